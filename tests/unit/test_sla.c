/* test_sla.c: SLA clocks over business hours, pauses and DST.
 *
 * Instants are written as local wall-clock text and read with date_parse
 * (not the code under test; one is pinned to its epoch number below);
 * every expected due time is worked out by hand in the comment beside
 * it. 2026-03-06 is a Friday, 03-07/08 the weekend, 03-09 a Monday. */
#include "base/date.h"
#include "service/sla.h"
#include "unit.h"

#include <stdlib.h>
#include <unistd.h>

#define M 60LL
#define H 3600LL
#define D 86400LL

static void set_tz(const char *tz)
{
	/* Without tzdata, the POSIX spellings give the same rules. */
	if (strcmp(tz, "Asia/Shanghai") == 0 && access("/usr/share/zoneinfo/Asia/Shanghai", R_OK) != 0)
		tz = "CST-8";
	if (strcmp(tz, "Europe/Berlin") == 0 && access("/usr/share/zoneinfo/Europe/Berlin", R_OK) != 0)
		tz = "CET-1CEST,M3.5.0,M10.5.0/3";
	setenv("TZ", tz, 1);
	tzset();
}

/* A local time "2026-03-06 17:30"; a failed parse is a test bug. */
static time_t at(const char *s)
{
	time_t t;
	if (date_parse(s, 0, &t, NULL) != 0) {
		printf("# bad time in test: %s\n", s);
		abort();
	}
	return t;
}

/* Due instants as text (with the offset, so DST shows). */
static const char *fmt(time_t t)
{
	static char bufs[8][DATE_BUFSZ];
	static int n;
	char *b = bufs[n++ % 8];
	if (t == SLA_PENDING)
		return "PENDING";
	if (t == SLA_INVALID)
		return "INVALID";
	return date_format(t, b);
}

static long long span(const struct sla_hours *h, const char *s)
{
	long long v = -1;
	if (sla_span_parse(s, h, &v) != 0)
		return -1;
	return v;
}

static const char *due(const struct sla_hours *h, const char *start, const char *sp,
                       const struct sla_pause *p, int n)
{
	return fmt(sla_due(h, at(start), span(h, sp), p, n));
}

static struct sla_hours hours(const char *spec)
{
	struct sla_hours h;
	char err[200];
	if (sla_hours_parse(spec, &h, err, sizeof(err)) != 0) {
		printf("# bad hours in test: %s: %s\n", spec, err);
		abort();
	}
	return h;
}

#define NP(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void test_acceptance(void)
{
	set_tz("Asia/Shanghai");
	struct sla_hours b = hours("09:00-18:00 1-5");
	time_t open = at("2026-03-06 17:30");
	CHECK((long long)open == 1772789400LL);   /* 2026-03-06T09:30:00Z */

	struct sla_policy p;
	char err[200];
	CHECK(sla_policy_parse(sla_policy_default("urgent"), &b, &p, err, sizeof(err)) == 0);
	CHECK(p.first == 1 * H && p.resolve == 4 * H);

	/* First response 1h: Fri 17:30-18:00 is 30m, Mon 09:00-09:30 the
	 * other 30m: Monday 09:30. */
	time_t first = sla_due(&b, open, p.first, NULL, 0);
	CHECK_STR(fmt(first), "2026-03-09T09:30:00+08:00");
	/* Resolution 4h: 30m on Friday, 3h30 on Monday from 09:00: 12:30. */
	time_t resolve = sla_due(&b, open, p.resolve, NULL, 0);
	CHECK_STR(fmt(resolve), "2026-03-09T12:30:00+08:00");
	CHECK(sla_elapsed(&b, open, first, NULL, 0) == 1 * H);
	CHECK(sla_elapsed(&b, open, resolve, NULL, 0) == 4 * H);

	/* Pending Mon 10:00-12:00: 2 business hours do not count, so the
	 * resolution moves 2h on, 12:30 -> 14:30; the first response (09:30)
	 * came before the pause and stays. */
	struct sla_pause pend[] = { { at("2026-03-09 10:00"), at("2026-03-09 12:00") } };
	CHECK_STR(fmt(sla_due(&b, open, p.resolve, pend, 1)), "2026-03-09T14:30:00+08:00");
	CHECK_STR(fmt(sla_due(&b, open, p.first, pend, 1)), "2026-03-09T09:30:00+08:00");
	/* Counted Fri 17:30 -> Mon 14:30 with the pause: 30m + 1h (09-10)
	 * + 2h30 (12:00-14:30) = 4h; to 12:30 only 30m + 1h + 30m = 2h. */
	CHECK(sla_elapsed(&b, open, at("2026-03-09 14:30"), pend, 1) == 4 * H);
	CHECK(sla_elapsed(&b, open, at("2026-03-09 12:30"), pend, 1) == 2 * H);

	/* Breached: done after due, or not done and now after due. */
	CHECK(sla_breached(first, at("2026-03-09 09:30"), 0) == 0);   /* at due: within */
	CHECK(sla_breached(first, at("2026-03-09 09:31"), 0) == 1);
	CHECK(sla_breached(first, at("2026-03-06 17:45"), at("2026-03-20 00:00")) == 0);
	CHECK(sla_breached(first, 0, at("2026-03-09 09:29")) == 0);
	CHECK(sla_breached(first, 0, at("2026-03-09 09:31")) == 1);
	time_t moved = sla_due(&b, open, p.resolve, pend, 1);
	CHECK(sla_breached(moved, 0, at("2026-03-09 14:00")) == 0);   /* 12:30 no longer breaches */
	CHECK(sla_breached(moved, 0, at("2026-03-09 14:31")) == 1);
}

static void test_weekend_start(void)
{
	set_tz("Asia/Shanghai");
	struct sla_hours b = hours("09:00-18:00 1-5");
	/* Opened Saturday 11:00: nothing counts until Monday 09:00, so the
	 * urgent clocks are Mon 09:00 + 1h = 10:00 and + 4h = 13:00. */
	CHECK_STR(due(&b, "2026-03-07 11:00", "1h", NULL, 0), "2026-03-09T10:00:00+08:00");
	CHECK_STR(due(&b, "2026-03-07 11:00", "4h", NULL, 0), "2026-03-09T13:00:00+08:00");
	/* Sunday 23:59 is the same. */
	CHECK_STR(due(&b, "2026-03-08 23:59", "4h", NULL, 0), "2026-03-09T13:00:00+08:00");
	/* Sat 11:00 -> Mon 09:00 counts nothing; -> Mon 13:00 counts 4h. */
	CHECK(sla_elapsed(&b, at("2026-03-07 11:00"), at("2026-03-09 09:00"), NULL, 0) == 0);
	CHECK(sla_elapsed(&b, at("2026-03-07 11:00"), at("2026-03-09 13:00"), NULL, 0) == 4 * H);
}

static void test_early_and_late_start(void)
{
	set_tz("Asia/Shanghai");
	struct sla_hours b = hours("09:00-18:00 1-5");
	/* Opened Tuesday 08:00: counts from 09:00; urgent 10:00 / 13:00. */
	CHECK_STR(due(&b, "2026-03-10 08:00", "1h", NULL, 0), "2026-03-10T10:00:00+08:00");
	CHECK_STR(due(&b, "2026-03-10 08:00", "4h", NULL, 0), "2026-03-10T13:00:00+08:00");
	/* Normal 8h/3d: 09:00 + 8h = Tue 17:00. 3d = 27 business hours =
	 * all of Tue, Wed and Thu: the count reaches 27h at Thu 18:00 (the
	 * first instant it does: not Friday 09:00). */
	CHECK_STR(due(&b, "2026-03-10 08:00", "8h", NULL, 0), "2026-03-10T17:00:00+08:00");
	CHECK_STR(due(&b, "2026-03-10 08:00", "3d", NULL, 0), "2026-03-12T18:00:00+08:00");
	CHECK(sla_elapsed(&b, at("2026-03-10 08:00"), at("2026-03-12 18:00"), NULL, 0) == 27 * H);
	/* Opened exactly at closing, Tue 18:00: counts from Wed 09:00. */
	CHECK_STR(due(&b, "2026-03-10 18:00", "1h", NULL, 0), "2026-03-11T10:00:00+08:00");
	/* Opened at 17:59:59 with 1s to go: 18:00 itself. */
	CHECK_STR(due(&b, "2026-03-10 17:59:59", "1s", NULL, 0), "2026-03-10T18:00:00+08:00");
	/* A zero span is due at the start, even outside hours. */
	CHECK_STR(due(&b, "2026-03-10 08:00", "0m", NULL, 0), "2026-03-10T08:00:00+08:00");
}

static void test_high_over_weekend(void)
{
	set_tz("Asia/Shanghai");
	struct sla_hours b = hours("09:00-18:00 1-5");
	struct sla_policy p;
	char err[200];
	CHECK(sla_policy_parse(sla_policy_default("high"), &b, &p, err, sizeof(err)) == 0);
	CHECK(p.first == 4 * H && p.resolve == 9 * H);   /* 1d = one 9h business day */
	time_t open = at("2026-03-06 15:00");
	/* First 4h: Fri 15:00-18:00 is 3h, then Mon 09:00-10:00. */
	CHECK_STR(fmt(sla_due(&b, open, p.first, NULL, 0)), "2026-03-09T10:00:00+08:00");
	/* Resolve 9h: 3h on Friday, 6h on Monday: 15:00. */
	CHECK_STR(fmt(sla_due(&b, open, p.resolve, NULL, 0)), "2026-03-09T15:00:00+08:00");
	CHECK(sla_elapsed(&b, open, at("2026-03-09 15:00"), NULL, 0) == 9 * H);
	CHECK(sla_elapsed(&b, open, at("2026-03-09 10:00"), NULL, 0) == 4 * H);
}

static void test_pending_over_night(void)
{
	set_tz("Asia/Shanghai");
	struct sla_hours b = hours("09:00-18:00 1-5");
	/* Normal, opened Mon 09:00; pending Mon 17:00 -> Tue 10:00. Of that
	 * only Mon 17-18 and Tue 09-10 are business time: 2h excluded. */
	struct sla_pause pend[] = { { at("2026-03-09 17:00"), at("2026-03-10 10:00") } };
	/* 3d = 27h: without the pause all of Mon, Tue, Wed = Wed 18:00; with
	 * it 2h more on Thursday: Thu 11:00. */
	CHECK_STR(due(&b, "2026-03-09 09:00", "3d", NULL, 0), "2026-03-11T18:00:00+08:00");
	CHECK_STR(due(&b, "2026-03-09 09:00", "3d", pend, 1), "2026-03-12T11:00:00+08:00");
	/* 8h first response: 09:00-17:00 is exactly 8h, reached at 17:00 as
	 * the pause begins. */
	CHECK_STR(due(&b, "2026-03-09 09:00", "8h", pend, 1), "2026-03-09T17:00:00+08:00");
	/* 9h: 8h on Monday, the 9th hour Tue 10:00-11:00. */
	CHECK_STR(due(&b, "2026-03-09 09:00", "9h", pend, 1), "2026-03-10T11:00:00+08:00");
	/* Mon 09:00 -> Tue 10:00: 10 business hours, 8 of them not pending. */
	CHECK(sla_elapsed(&b, at("2026-03-09 09:00"), at("2026-03-10 10:00"), NULL, 0) == 10 * H);
	CHECK(sla_elapsed(&b, at("2026-03-09 09:00"), at("2026-03-10 10:00"), pend, 1) == 8 * H);
	CHECK(sla_elapsed(&b, at("2026-03-09 09:00"), at("2026-03-12 11:00"), pend, 1) == 27 * H);
}

static void test_several_pauses(void)
{
	set_tz("Asia/Shanghai");
	struct sla_hours b = hours("09:00-18:00 1-5");
	/* Urgent, opened Mon 09:00. Pauses out of order and overlapping:
	 * 10:45-11:30 and 11:00-11:15 make one 45m pause; 09:30-10:00 is
	 * 30m; Sunday's pause ends before the start, an empty and a
	 * backwards one are nothing. */
	struct sla_pause pend[] = {
		{ at("2026-03-09 10:45"), at("2026-03-09 11:30") },
		{ at("2026-03-09 09:30"), at("2026-03-09 10:00") },
		{ at("2026-03-09 11:00"), at("2026-03-09 11:15") },
		{ at("2026-03-08 10:00"), at("2026-03-09 08:00") },
		{ at("2026-03-09 13:00"), at("2026-03-09 13:00") },
		{ at("2026-03-09 15:00"), at("2026-03-09 14:00") },
	};
	/* First 1h: 09:00-09:30 (30m), pause, 10:00-10:30 (30m): 10:30. */
	CHECK_STR(due(&b, "2026-03-09 09:00", "1h", pend, NP(pend)), "2026-03-09T10:30:00+08:00");
	/* Resolve 4h: 30m + 45m (10:00-10:45) = 1h15 by the second pause,
	 * 2h45 more from 11:30: 14:15 (the 13:00 empty pause, the 15:00
	 * backwards one change nothing). */
	CHECK_STR(due(&b, "2026-03-09 09:00", "4h", pend, NP(pend)), "2026-03-09T14:15:00+08:00");
	CHECK(sla_elapsed(&b, at("2026-03-09 09:00"), at("2026-03-09 14:15"), pend, NP(pend)) == 4 * H);
	/* Ticket opened Sat 10:00 and pending Sat 12:00 -> Mon 11:00: counts
	 * from Mon 11:00, so 4h is 15:00. */
	struct sla_pause wk[] = { { at("2026-03-07 12:00"), at("2026-03-09 11:00") } };
	CHECK_STR(due(&b, "2026-03-07 10:00", "4h", wk, 1), "2026-03-09T15:00:00+08:00");
	/* Two pauses that touch are one: 10:00-11:00 and 11:00-12:00; 4h
	 * from Mon 09:00 is 1h + 3h after 12:00 = 15:00. */
	struct sla_pause touch[] = {
		{ at("2026-03-09 11:00"), at("2026-03-09 12:00") },
		{ at("2026-03-09 10:00"), at("2026-03-09 11:00") },
	};
	CHECK_STR(due(&b, "2026-03-09 09:00", "4h", touch, 2), "2026-03-09T15:00:00+08:00");
}

static void test_open_pause(void)
{
	set_tz("Asia/Shanghai");
	struct sla_hours b = hours("09:00-18:00 1-5");
	/* Urgent, opened Mon 09:00, pending since 11:00 and still pending. */
	struct sla_pause pend[] = { { at("2026-03-09 11:00"), 0 } };
	/* First 1h ran out at 10:00, before the pause: known. */
	CHECK_STR(due(&b, "2026-03-09 09:00", "1h", pend, 1), "2026-03-09T10:00:00+08:00");
	/* Resolve 4h: 2h counted when the pause began; the rest waits. */
	time_t r = sla_due(&b, at("2026-03-09 09:00"), 4 * H, pend, 1);
	CHECK(r == SLA_PENDING);
	CHECK(sla_breached(r, 0, at("2026-04-01 00:00")) == 0);
	/* Elapsed stops at the pause: Mon 09:00 -> Tue 12:00 is 2h. */
	CHECK(sla_elapsed(&b, at("2026-03-09 09:00"), at("2026-03-10 12:00"), pend, 1) == 2 * H);
	/* Pending from 15:00: the 4h had run out at 13:00. */
	struct sla_pause late[] = { { at("2026-03-09 15:00"), 0 } };
	CHECK_STR(due(&b, "2026-03-09 09:00", "4h", late, 1), "2026-03-09T13:00:00+08:00");
	/* Opened Fri 17:30, pending since Fri 19:00 (outside hours): 30m
	 * counted on Friday, the first hour is not yet known. */
	struct sla_pause eve[] = { { at("2026-03-06 19:00"), 0 } };
	CHECK(sla_due(&b, at("2026-03-06 17:30"), 1 * H, eve, 1) == SLA_PENDING);
	CHECK(sla_elapsed(&b, at("2026-03-06 17:30"), at("2026-03-09 12:00"), eve, 1) == 30 * M);
	/* An open pause absorbs a closed one after it. */
	struct sla_pause both[] = {
		{ at("2026-03-09 12:00"), at("2026-03-09 13:00") },
		{ at("2026-03-09 11:00"), 0 },
	};
	CHECK(sla_due(&b, at("2026-03-09 09:00"), 4 * H, both, 2) == SLA_PENDING);
}

static void test_calendar_hours(void)
{
	set_tz("Asia/Shanghai");
	struct sla_hours cal, zero;
	char err[200];
	memset(&zero, 0, sizeof(zero));
	CHECK(sla_hours_parse("", &cal, err, sizeof(err)) == 0 && cal.days == 0);
	CHECK(sla_hours_parse("   ", &cal, err, sizeof(err)) == 0 && cal.days == 0);
	CHECK(sla_hours_parse(NULL, &cal, err, sizeof(err)) == 0 && cal.days == 0);
	struct sla_policy p;
	CHECK(sla_policy_parse(sla_policy_default("normal"), &cal, &p, err, sizeof(err)) == 0);
	CHECK(p.first == 8 * H && p.resolve == 3 * D);   /* a day is 24h */
	const struct sla_hours *hs[] = { &cal, &zero, NULL };
	for (int i = 0; i < 3; i++) {
		const struct sla_hours *h = hs[i];
		/* Fri 17:30 + 8h = Sat 01:30; + 72h = Mon 17:30. */
		CHECK_STR(due(h, "2026-03-06 17:30", "8h", NULL, 0), "2026-03-07T01:30:00+08:00");
		CHECK_STR(due(h, "2026-03-06 17:30", "3d", NULL, 0), "2026-03-09T17:30:00+08:00");
		/* Pending Sat 10:00-12:00: the resolution 2h later, Mon 19:30;
		 * the first response (Sat 01:30) was before it. */
		struct sla_pause sat[] = { { at("2026-03-07 10:00"), at("2026-03-07 12:00") } };
		CHECK_STR(due(h, "2026-03-06 17:30", "3d", sat, 1), "2026-03-09T19:30:00+08:00");
		CHECK_STR(due(h, "2026-03-06 17:30", "8h", sat, 1), "2026-03-07T01:30:00+08:00");
		/* Pending Fri 20:00-22:00: the first response at Sat 03:30. */
		struct sla_pause fri[] = { { at("2026-03-06 20:00"), at("2026-03-06 22:00") } };
		CHECK_STR(due(h, "2026-03-06 17:30", "8h", fri, 1), "2026-03-07T03:30:00+08:00");
		/* Elapsed is plain subtraction less the pause. */
		CHECK(sla_elapsed(h, at("2026-03-06 17:30"), at("2026-03-09 17:30"), NULL, 0) == 3 * D);
		CHECK(sla_elapsed(h, at("2026-03-06 17:30"), at("2026-03-09 19:30"), sat, 1) == 3 * D);
		/* Open pause since Sat 00:00: 8h due 01:30 known, 3d not. */
		struct sla_pause open[] = { { at("2026-03-07 00:00"), 0 } };
		CHECK_STR(due(h, "2026-03-06 17:30", "8h", open, 1), "PENDING");   /* 6h30 counted */
		CHECK_STR(due(h, "2026-03-06 17:30", "6h", open, 1), "2026-03-06T23:30:00+08:00");
		CHECK(sla_elapsed(h, at("2026-03-06 17:30"), at("2026-03-10 00:00"), open, 1) == 6 * H + 30 * M);
	}
	CHECK(span(&cal, "1w") == 7 * D);
	CHECK(span(NULL, "1d4h") == 28 * H);
}

static void test_elapsed(void)
{
	set_tz("Asia/Shanghai");
	struct sla_hours b = hours("09:00-18:00 1-5");
	/* to <= from: nothing. */
	CHECK(sla_elapsed(&b, at("2026-03-09 12:00"), at("2026-03-09 12:00"), NULL, 0) == 0);
	CHECK(sla_elapsed(&b, at("2026-03-09 12:00"), at("2026-03-09 11:00"), NULL, 0) == 0);
	CHECK(sla_elapsed(NULL, at("2026-03-09 12:00"), at("2026-03-09 11:00"), NULL, 0) == 0);
	/* A whole week, Mon 09:00 -> next Mon 09:00: 5 x 9h = 45h. */
	CHECK(sla_elapsed(&b, at("2026-03-09 09:00"), at("2026-03-16 09:00"), NULL, 0) == 45 * H);
	/* A night, Tue 20:00 -> Wed 08:00: nothing. */
	CHECK(sla_elapsed(&b, at("2026-03-10 20:00"), at("2026-03-11 08:00"), NULL, 0) == 0);
	/* Inside one window: plain difference. */
	CHECK(sla_elapsed(&b, at("2026-03-10 10:15"), at("2026-03-10 11:00"), NULL, 0) == 45 * M);
	/* A pause wholly outside [from, to) does nothing. */
	struct sla_pause far[] = { { at("2026-03-20 10:00"), at("2026-03-20 12:00") } };
	CHECK(sla_elapsed(&b, at("2026-03-10 10:00"), at("2026-03-10 12:00"), far, 1) == 2 * H);
	/* Round trips: elapsed(start, due(start, n)) == n. */
	const char *starts[] = { "2026-03-06 17:30", "2026-03-07 11:00", "2026-03-10 08:00",
	                         "2026-03-10 13:27:41" };
	const char *spans[] = { "1s", "30m", "1h", "4h", "1d", "3d", "1d4h", "7d", "2w" };
	struct sla_pause pend[] = { { at("2026-03-10 10:00"), at("2026-03-11 15:00") } };
	int ok = 1;
	for (int i = 0; i < NP(starts); i++)
		for (int j = 0; j < NP(spans); j++)
			for (int k = 0; k < 2; k++) {
				time_t s = at(starts[i]);
				long long n = span(&b, spans[j]);
				time_t d = sla_due(&b, s, n, pend, k);
				if (sla_elapsed(&b, s, d, pend, k) != n || sla_elapsed(&b, s, d - 1, pend, k) != n - 1) {
					printf("# round trip %s + %s (pause %d): due %s\n", starts[i], spans[j], k, fmt(d));
					ok = 0;
				}
			}
	CHECK(ok);
}

static void test_long_spans(void)
{
	set_tz("Asia/Shanghai");
	struct sla_hours b = hours("09:00-18:00 1-5");
	/* Low 7d = 63 business hours from Fri 17:30: 30m Friday, then 62h30
	 * = Mon..Fri (45h) + Mon 16th (9h) + 8h30 on Tue 17th: 17:30. */
	CHECK_STR(due(&b, "2026-03-06 17:30", "7d", NULL, 0), "2026-03-17T17:30:00+08:00");
	/* 1w = 45h: Mon 09:00 -> the count reaches it Fri 13th 18:00. */
	CHECK_STR(due(&b, "2026-03-09 09:00", "1w", NULL, 0), "2026-03-13T18:00:00+08:00");
	/* 520 weeks from Mon 2026-03-09 09:00: Mon 09:00 3640 days later is
	 * 2036-02-25, and the count is complete at the Friday before, 18:00.
	 * Walked a day at a time, not minute by minute. */
	CHECK_STR(due(&b, "2026-03-09 09:00", "520w", NULL, 0), "2036-02-22T18:00:00+08:00");
	CHECK(sla_elapsed(&b, at("2026-03-09 09:00"), at("2036-02-25 09:00"), NULL, 0) == 520 * 45 * H);
	/* 522 weeks is the limit; more, or a negative span, is refused. */
	CHECK(span(&b, "522w") == 522 * 45 * H);
	CHECK(span(&b, "523w") == -1);
	CHECK(span(NULL, "522w") == 522 * 7 * D);
	CHECK(span(NULL, "3655d") == -1);
	CHECK(sla_due(&b, at("2026-03-09 09:00"), 523 * 45 * H, NULL, 0) == SLA_INVALID);
	CHECK(sla_due(&b, at("2026-03-09 09:00"), -1, NULL, 0) == SLA_INVALID);
	CHECK(sla_due(NULL, at("2026-03-09 09:00"), 523 * 7 * D, NULL, 0) == SLA_INVALID);
	/* A calendar with no open day cannot be parsed; one built by hand
	 * with bits outside 1..7 (bit 0) or a bad window is refused. */
	struct sla_hours bad = { 9 * 3600, 18 * 3600, 1u };
	CHECK(sla_due(&bad, at("2026-03-09 09:00"), H, NULL, 0) == SLA_INVALID);
	CHECK(sla_elapsed(&bad, at("2026-03-09 09:00"), at("2026-03-10 09:00"), NULL, 0) == -1);
	struct sla_hours inverted = { 18 * 3600, 9 * 3600, 0x3Eu };
	CHECK(sla_due(&inverted, at("2026-03-09 09:00"), H, NULL, 0) == SLA_INVALID);
}

static void test_hours_parse(void)
{
	struct sla_hours h;
	char err[200];
	CHECK(sla_hours_parse("09:00-18:00 1-5", &h, err, sizeof(err)) == 0);
	CHECK(h.open == 9 * 3600 && h.close == 18 * 3600 && h.days == 0x3Eu);   /* bits 1..5 */
	CHECK(sla_day_length(&h) == 9 * H);
	CHECK(sla_hours_parse("08:30-12:00 1-5,6", &h, err, sizeof(err)) == 0);
	CHECK(h.open == 8 * 3600 + 30 * 60 && h.close == 12 * 3600 && h.days == 0x7Eu);
	CHECK(sla_day_length(&h) == 3 * H + 30 * M);
	CHECK(span(&h, "1w") == 6 * (3 * H + 30 * M));   /* six open days */
	CHECK(sla_hours_parse("09:00-18:00 1,2,3,4,5", &h, err, sizeof(err)) == 0 && h.days == 0x3Eu);
	CHECK(sla_hours_parse("  9:00-17:30   1, 3 ,5-7 ", &h, err, sizeof(err)) == 0);
	CHECK(h.open == 9 * 3600 && h.close == 17 * 3600 + 1800 && h.days == 0xEAu);   /* 1,3,5,6,7 */
	CHECK(sla_hours_parse("00:00-24:00 1-7", &h, err, sizeof(err)) == 0);
	CHECK(h.open == 0 && h.close == 86400 && h.days == 0xFEu && sla_day_length(&h) == D);
	CHECK(sla_hours_parse("０９：００－１８：００　１－５", &h, err, sizeof(err)) == 0 && h.days == 0x3Eu);

	struct sla_hours keep = { 1, 2, 0x02u };
	h = keep;
#define BAD(spec, msg) do { \
		CHECK(sla_hours_parse(spec, &h, err, sizeof(err)) == -1); \
		CHECK_STR(err, msg); \
		CHECK(h.open == 1 && h.close == 2 && h.days == 0x02u); \
	} while (0)
	BAD("25:00-18:00 1-5", "opening time \"25:00\" is not HH:MM from 00:00 to 23:59");
	BAD("09:00-08:00 1-5", "the window 09:00-08:00 ends before it starts (one window a day, within the day)");
	BAD("09:00-09:00 1-5", "the window 09:00-09:00 ends when it starts (one window a day, within the day)");
	BAD("09:00-18:00 0-8", "day 0 is not 1 (Monday) .. 7 (Sunday)");
	BAD("09:00-18:00 1-8", "day 8 is not 1 (Monday) .. 7 (Sunday)");
	BAD("junk", "\"junk\" is not business hours like \"09:00-18:00 1-5\"");
	BAD("09:00-18:00", "\"09:00-18:00\" has no days: add them, as in \"09:00-18:00 1-5\" (1 = Monday .. 7 = Sunday)");
	BAD("09:00-18:00 5-1", "days 5-1 run backwards (Friday to Monday is 5-7,1)");
	BAD("09:00-18:00 1-5,x", "\"x\" is not a day or a range of days (1 = Monday .. 7 = Sunday)");
	BAD("09:00-18:00 1-5,", "\"\" is not a day or a range of days (1 = Monday .. 7 = Sunday)");
	BAD("09:00-18:00 1-5 6", "\"1-5 6\" is not a day or a range of days (1 = Monday .. 7 = Sunday)");
	BAD("09:00-18:60 1-5", "closing time \"18:60\" is not HH:MM from 00:00 to 24:00");
	BAD("24:00-24:00 1-5", "opening time \"24:00\" is not HH:MM from 00:00 to 23:59");
	BAD("09:00-24:01 1-5", "closing time \"24:01\" is not HH:MM from 00:00 to 24:00");
	BAD("9-18 1-5", "opening time \"9\" is not HH:MM from 00:00 to 23:59");
	BAD("09:00-18:00 001", "\"001\" is not a day or a range of days (1 = Monday .. 7 = Sunday)");
#undef BAD
	/* err may be NULL. */
	CHECK(sla_hours_parse("junk", &h, NULL, 0) == -1);
}

static void test_span_parse(void)
{
	struct sla_hours b = hours("09:00-18:00 1-5");
	CHECK(span(&b, "30m") == 30 * M);
	CHECK(span(&b, "90m") == 90 * M);
	CHECK(span(&b, "4h") == 4 * H);
	CHECK(span(&b, "45s") == 45);
	CHECK(span(&b, "1d") == 9 * H);           /* one business day */
	CHECK(span(&b, "3d") == 27 * H);
	CHECK(span(&b, "1d4h") == 13 * H);
	CHECK(span(&b, "1d 4h") == 13 * H);
	CHECK(span(&b, "1h30m") == 90 * M);
	CHECK(span(&b, "1w") == 45 * H);          /* five business days */
	CHECK(span(&b, "1w2d") == 63 * H);
	CHECK(span(&b, "1天4小时") == 13 * H);
	CHECK(span(&b, "30分钟") == 30 * M);
	CHECK(span(&b, "３ｄ") == 27 * H);
	CHECK(span(&b, " 4h ") == 4 * H);
	CHECK(span(&b, "0m") == 0);
	CHECK(span(NULL, "1d") == D);
	CHECK(span(NULL, "1w") == 7 * D);
	const char *bad[] = {
		"4x", "", " ", "4", "h", "-1h", "+1h", "4 h", "1h1d", "1h1h", "1.5h",
		"1M", "1y", "1d4", "99999999999999999999h", "4hx",
	};
	for (int i = 0; i < NP(bad); i++) {
		long long v = 77;
		int rc = sla_span_parse(bad[i], &b, &v);
		if (rc == 0)
			printf("# accepted span \"%s\"\n", bad[i]);
		CHECK(rc == -1 && v == 77);
	}
	long long v = 77;
	CHECK(sla_span_parse(NULL, &b, &v) == -1 && v == 77);
}

static void test_policy_parse(void)
{
	struct sla_hours b = hours("09:00-18:00 1-5");
	struct sla_policy p = { -1, -1 };
	char err[200];
	CHECK(sla_policy_parse("1h/4h", &b, &p, err, sizeof(err)) == 0 && p.first == H && p.resolve == 4 * H);
	CHECK(sla_policy_parse(" 8h / 3d ", &b, &p, err, sizeof(err)) == 0 && p.first == 8 * H && p.resolve == 27 * H);
	CHECK(sla_policy_parse("30m/1d4h", NULL, &p, err, sizeof(err)) == 0 && p.first == 30 * M && p.resolve == 28 * H);
	CHECK_STR(sla_policy_default("urgent"), "1h/4h");
	CHECK_STR(sla_policy_default("high"), "4h/1d");
	CHECK_STR(sla_policy_default("normal"), "8h/3d");
	CHECK_STR(sla_policy_default("low"), "1d/7d");
	CHECK_STR(sla_policy_default("critical"), NULL);
	CHECK_STR(sla_policy_default(NULL), NULL);
	/* low 1d/7d with business hours: 9h and 63h. */
	CHECK(sla_policy_parse(sla_policy_default("low"), &b, &p, err, sizeof(err)) == 0);
	CHECK(p.first == 9 * H && p.resolve == 63 * H);

	p.first = p.resolve = -1;
#define BAD(v, msg) do { \
		CHECK(sla_policy_parse(v, &b, &p, err, sizeof(err)) == -1); \
		CHECK_STR(err, msg); \
		CHECK(p.first == -1 && p.resolve == -1); \
	} while (0)
	BAD("1h", "\"1h\" is not FIRST/RESOLVE, two spans like \"1h/4h\"");
	BAD("1h/4h/8h", "\"1h/4h/8h\" is not FIRST/RESOLVE, two spans like \"1h/4h\"");
	BAD("", "\"\" is not FIRST/RESOLVE, two spans like \"1h/4h\"");
	BAD("1h/", "resolution span \"\" is not a span like 30m, 4h, 1d or 1d4h (at most 522 weeks)");
	BAD("/4h", "first response span \"\" is not a span like 30m, 4h, 1d or 1d4h (at most 522 weeks)");
	BAD("1h/4x", "resolution span \"4x\" is not a span like 30m, 4h, 1d or 1d4h (at most 522 weeks)");
	BAD("1x / 4h", "first response span \"1x\" is not a span like 30m, 4h, 1d or 1d4h (at most 522 weeks)");
#undef BAD
	CHECK(sla_policy_parse(NULL, &b, &p, err, sizeof(err)) == -1);
}

static void test_dst_berlin(void)
{
	/* Europe/Berlin: Sunday 2026-03-29 02:00 CET the clocks go to 03:00
	 * CEST; Sunday 2026-10-25 03:00 CEST back to 02:00 CET. */
	set_tz("Europe/Berlin");
	/* Calendar hours: a day is 24 real hours. Sat 03-28 12:00 CET
	 * (11:00Z) + 24h = 03-29 11:00Z = 13:00 CEST. */
	CHECK_STR(due(NULL, "2026-03-28 12:00", "1d", NULL, 0), "2026-03-29T13:00:00+02:00");
	CHECK(sla_elapsed(NULL, at("2026-03-28 12:00"), at("2026-03-29 12:00"), NULL, 0) == 23 * H);
	/* Autumn: Sat 10-24 12:00 CEST (10:00Z) + 24h = 10-25 10:00Z = 11:00 CET. */
	CHECK_STR(due(NULL, "2026-10-24 12:00", "1d", NULL, 0), "2026-10-25T11:00:00+01:00");

	/* Business hours across the spring weekend: high, opened Fri 03-27
	 * 17:00 CET. 1d = 9h: 1h Friday, 8h from Mon 09:00 CEST: 17:00 CEST,
	 * 71 real hours after the start (a 24h-per-day walk from Friday
	 * would land an hour late). */
	struct sla_hours b = hours("09:00-18:00 1-5");
	CHECK_STR(due(&b, "2026-03-27 17:00", "1d", NULL, 0), "2026-03-30T17:00:00+02:00");
	CHECK(sla_due(&b, at("2026-03-27 17:00"), 9 * H, NULL, 0) - at("2026-03-27 17:00") == 71 * H);
	/* 4h: 1h Friday + 3h Monday: 12:00 CEST. */
	CHECK_STR(due(&b, "2026-03-27 17:00", "4h", NULL, 0), "2026-03-30T12:00:00+02:00");
	CHECK(sla_elapsed(&b, at("2026-03-27 17:00"), at("2026-03-30 17:00"), NULL, 0) == 9 * H);

	/* A window around the jump: 00:00-24:00 every day, Sunday 03-29 has
	 * 23 real hours. From Sat 12:00 CET: 12h on Saturday, 12 real hours
	 * from Sun 00:00 CET (23:00Z) = 11:00Z = 13:00 CEST, as with
	 * calendar hours. */
	struct sla_hours all = hours("00:00-24:00 1-7");
	CHECK_STR(due(&all, "2026-03-28 12:00", "1d", NULL, 0), "2026-03-29T13:00:00+02:00");
	CHECK(sla_elapsed(&all, at("2026-03-29 00:00"), at("2026-03-30 00:00"), NULL, 0) == 23 * H);
	CHECK(sla_elapsed(&all, at("2026-10-25 00:00"), at("2026-10-26 00:00"), NULL, 0) == 25 * H);
	/* Sundays 01:00-04:00: on 03-29 that is 01:00 CET to 04:00 CEST, 2
	 * real hours; a 3h span from Sat 03-28 takes those 2h and 1h of the
	 * next Sunday 04-05, 01:00-02:00 CEST. */
	struct sla_hours night = hours("01:00-04:00 7");
	CHECK_STR(due(&night, "2026-03-28 12:00", "3h", NULL, 0), "2026-04-05T02:00:00+02:00");
	CHECK(sla_elapsed(&night, at("2026-03-28 12:00"), at("2026-04-05 02:00"), NULL, 0) == 3 * H);
}

int main(void)
{
	unsetenv("CRM_NOW");
	test_acceptance();
	test_weekend_start();
	test_early_and_late_start();
	test_high_over_weekend();
	test_pending_over_night();
	test_several_pauses();
	test_open_pause();
	test_calendar_hours();
	test_elapsed();
	test_long_spans();
	test_hours_parse();
	test_span_parse();
	test_policy_parse();
	test_dst_berlin();
	UNIT_DONE();
}
