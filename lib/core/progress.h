/* progress.h: a progress line for a command that runs long.
 *
 * Drawn on stderr only when stderr is a terminal and -q was not given,
 * and only once the command has run for a second: a pipe, a log file and
 * a quick command see nothing of it. "import: 120000 rows  81234 rows/s
 * 12%  ETA 0:11", redrawn at most five times a second and ended with a
 * newline when it was drawn at all. */
#ifndef CRM_CORE_PROGRESS_H
#define CRM_CORE_PROGRESS_H

#include <stdbool.h>
#include <time.h>
#include "core/crm.h"

struct progress {
	struct crm *c;
	char what[160];         /* "leads.csv", "score", "search index" */
	const char *unit;       /* "rows", "leads", "events" */
	bool on;                /* stderr is a terminal and not -q */
	bool drawn;
	struct timespec t0, last;
	long long n;
	double frac;            /* how far, 0..1; < 0: unknown */
};

/* Start measuring (nothing is drawn yet). */
void progress_begin(struct progress *p, struct crm *c, const char *what, const char *unit);
/* n done so far; frac how far (0..1, or < 0 when unknown), for the ETA. */
void progress_update(struct progress *p, long long n, double frac);
/* What the command does now ("building indexes"), shown at once if the
 * line is up. */
void progress_phase(struct progress *p, const char *what);
/* The last line, with a newline, if any was drawn. */
void progress_end(struct progress *p);
/* Seconds since progress_begin. */
double progress_seconds(const struct progress *p);

#endif
