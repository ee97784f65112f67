/* progress.c: the progress line. See progress.h. */
#include <stdio.h>
#include <unistd.h>

#include "core/progress.h"

static double secs_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

double progress_seconds(const struct progress *p)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return secs_between(&p->t0, &now);
}

void progress_begin(struct progress *p, struct crm *c, const char *what, const char *unit)
{
	p->c = c;
	snprintf(p->what, sizeof(p->what), "%s", what);
	p->unit = unit;
	p->on = !c->quiet && isatty(STDERR_FILENO);
	p->drawn = false;
	p->n = 0;
	p->frac = -1;
	clock_gettime(CLOCK_MONOTONIC, &p->t0);
	p->last = p->t0;
}

static void draw(struct progress *p, bool final)
{
	double secs = progress_seconds(p);
	double rate = secs > 0 ? (double)p->n / secs : 0;
	char eta[40] = "";
	if (!final && p->frac > 0.001 && p->frac <= 1) {
		double left = secs * (1 - p->frac) / p->frac;
		snprintf(eta, sizeof(eta), "  %3d%%  ETA %d:%02d", (int)(100.0 * p->frac), (int)left / 60,
			 (int)left % 60);
	}
	if (final)
		snprintf(eta, sizeof(eta), "  %.1f s", secs);
	fprintf(stderr, "\r\033[K%s: %lld %s  %.0f %s/s%s%s", p->what, p->n, p->unit, rate, p->unit, eta,
		final ? "\n" : "");
	fflush(stderr);
	p->drawn = true;
	clock_gettime(CLOCK_MONOTONIC, &p->last);
}

void progress_update(struct progress *p, long long n, double frac)
{
	p->n = n;
	p->frac = frac;
	if (!p->on)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (secs_between(&p->t0, &now) < 1.0 || secs_between(&p->last, &now) < 0.2)
		return;
	draw(p, false);
}

void progress_phase(struct progress *p, const char *what)
{
	snprintf(p->what, sizeof(p->what), "%s", what);
	if (p->on && (p->drawn || progress_seconds(p) >= 1.0))
		draw(p, false);
}

void progress_end(struct progress *p)
{
	if (p->on && p->drawn)
		draw(p, true);
	p->on = false;
}
