/* test_period.c: ISO weeks, this month and the period before, under a
 * pinned clock (CRM_NOW) and zone. Expected texts are written out, not
 * computed with the code under test. */
#include "insight/period.h"
#include "unit.h"

#include <stdlib.h>
#include <unistd.h>

static void set_tz(const char *tz)
{
	if (strcmp(tz, "Asia/Shanghai") == 0 && access("/usr/share/zoneinfo/Asia/Shanghai", R_OK) != 0)
		tz = "CST-8";
	setenv("TZ", tz, 1);
	tzset();
}

static struct crm c;

/* the week of day: name, since, until */
static void week(const char *day, const char *name, const char *since, const char *until)
{
	struct period p;
	CHECK(period_week(&c, day, &p) == CRM_OK);
	CHECK_STR(p.week, name);
	CHECK_STR(p.since, since);
	CHECK_STR(p.until, until);
}

static void previous(const char *now, const char *since, const char *psince, const char *puntil)
{
	struct period p, pp;
	setenv("CRM_NOW", now, 1);
	CHECK(period_since(&c, since, &p) == CRM_OK);
	period_previous(&p, &pp);
	CHECK_STR(pp.since, psince);
	CHECK_STR(pp.until, puntil);
}

int main(void)
{
	set_tz("Asia/Shanghai");
	setenv("CRM_NOW", "2026-03-04 09:00", 1);

	/* the default: the last full week (Monday 00:00 to Monday 00:00) */
	week(NULL, "2026-W09", "2026-02-23T00:00:00+08:00", "2026-03-02T00:00:00+08:00");
	week("2026-W09", "2026-W09", "2026-02-23T00:00:00+08:00", "2026-03-02T00:00:00+08:00");
	week("2026-w48", "2026-W48", "2026-11-23T00:00:00+08:00", "2026-11-30T00:00:00+08:00");
	/* a Sunday is the end of its week */
	week("2026-03-01", "2026-W09", "2026-02-23T00:00:00+08:00", "2026-03-02T00:00:00+08:00");
	/* the week's year is its Thursday's: 2021-01-01 (a Friday) is in 2020-W53,
	 * 2024-12-30 (a Monday) in 2025-W01 */
	week("2021-01-01", "2020-W53", "2020-12-28T00:00:00+08:00", "2021-01-04T00:00:00+08:00");
	week("2024-12-30", "2025-W01", "2024-12-30T00:00:00+08:00", "2025-01-06T00:00:00+08:00");
	week("2026-W53", "2026-W53", "2026-12-28T00:00:00+08:00", "2027-01-04T00:00:00+08:00");
	week("2025-W01", "2025-W01", "2024-12-30T00:00:00+08:00", "2025-01-06T00:00:00+08:00");

	struct period p;
	CHECK(period_week(&c, "2025-W53", &p) == CRM_USAGE);   /* 2025 has 52 weeks */
	CHECK(period_week(&c, "2026-W00", &p) == CRM_USAGE);
	CHECK(period_week(&c, "2026-W5x", &p) == CRM_USAGE);
	CHECK(period_week(&c, "W09", &p) == CRM_USAGE);

	/* this month so far */
	CHECK(period_since(&c, NULL, &p) == CRM_OK);
	CHECK_STR(p.since, "2026-03-01T00:00:00+08:00");
	CHECK_STR(p.until, "2026-03-04T09:00:00+08:00");
	CHECK(p.month);
	CHECK(period_since(&c, "30d", &p) == CRM_OK);
	CHECK_STR(p.since, "2026-02-02T09:00:00+08:00");
	CHECK(!p.month);
	CHECK(period_since(&c, "2026-04-01", &p) == CRM_USAGE);   /* the future */
	CHECK(period_since(&c, "whenever", &p) == CRM_USAGE);

	/* a month from its 1st: the same stretch of the month before */
	previous("2026-03-15 10:00", NULL, "2026-02-01T00:00:00+08:00", "2026-02-15T10:00:00+08:00");
	/* no February 31st: all of February */
	previous("2026-03-31 10:00", NULL, "2026-02-01T00:00:00+08:00", "2026-03-01T00:00:00+08:00");
	/* January against December, across the year */
	previous("2026-01-10 08:00", NULL, "2025-12-01T00:00:00+08:00", "2025-12-10T08:00:00+08:00");
	/* a whole month (to the next 1st) against the whole one before */
	previous("2026-03-01 00:00", "2026-02-01", "2026-01-01T00:00:00+08:00", "2026-02-01T00:00:00+08:00");
	/* otherwise as long, ending where it starts */
	previous("2026-03-01 10:00", "2026-02-15", "2026-01-31T14:00:00+08:00", "2026-02-15T00:00:00+08:00");
	/* 47 days and 10 hours: from Dec 16 00:00 less 10 hours */
	previous("2026-03-20 10:00", "2026-02-01", "2025-12-15T14:00:00+08:00", "2026-02-01T00:00:00+08:00");

	/* a period apply: the reports' since and until; to now: no until (what
	 * happens at this second counts) */
	struct report_opts r = { 0 };
	setenv("CRM_NOW", "2026-03-04 09:00", 1);
	period_since(&c, NULL, &p);
	period_apply(&p, &r);
	CHECK_STR(r.since, "2026-03-01T00:00:00+08:00");
	CHECK(r.until == NULL);
	struct period pp;
	period_previous(&p, &pp);
	period_apply(&pp, &r);
	CHECK_STR(r.since, "2026-02-01T00:00:00+08:00");
	CHECK_STR(r.until, "2026-02-04T09:00:00+08:00");
	UNIT_DONE();
}
