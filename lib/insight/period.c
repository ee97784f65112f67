/* period.c: periods (this month, an ISO week, the one before) and the
 * owners of a team. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/config.h"
#include "insight/period.h"
#include "team/team.h"

static void set_texts(struct period *p)
{
	date_format(p->from, p->since);
	date_format(p->to, p->until);
}

/* Local midnight of the day t falls on, moved by days and months. */
static time_t local_day(time_t t, int days, int months)
{
	struct tm tm;
	localtime_r(&t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday += days;
	tm.tm_mon += months;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

time_t period_day(time_t t, int days)
{
	return local_day(t, days, 0);
}

static time_t month_start(time_t t)
{
	struct tm tm;
	localtime_r(&t, &tm);
	return local_day(t, 1 - tm.tm_mday, 0);
}

int period_since(struct crm *c, const char *since, struct period *p)
{
	memset(p, 0, sizeof(*p));
	time_t now = date_now();
	p->to = now;
	if (!since) {
		p->from = month_start(now);
	} else {
		long long secs;
		if (date_parse(since, now, &p->from, NULL) != 0) {
			if (duration_parse(since, &secs) != 0)
				return crm_error(c, CRM_USAGE,
						 "--since: '%s' is not a time or a span (2026-01-01, 30d)", since);
			p->from = now - secs;
		}
		if (p->from > now)
			return crm_error(c, CRM_USAGE, "--since: '%s' is in the future", since);
	}
	p->month = p->from == month_start(p->from) && p->to <= local_day(p->from, 0, 1);
	set_texts(p);
	return CRM_OK;
}

/* Monday 00:00 of the week t is in. */
static time_t week_start(time_t t)
{
	struct tm tm;
	localtime_r(&t, &tm);
	return local_day(t, -((tm.tm_wday + 6) % 7), 0);
}

/* "2026-W09" of the week starting on monday (ISO 8601: the week's year
 * is the year of its Thursday). */
static void week_name(time_t monday, char *buf, size_t n)
{
	time_t thu = local_day(monday, 3, 0);
	struct tm tm;
	localtime_r(&thu, &tm);
	snprintf(buf, n, "%04d-W%02d", tm.tm_year + 1900, tm.tm_yday / 7 + 1);
}

int period_week(struct crm *c, const char *week, struct period *p)
{
	memset(p, 0, sizeof(*p));
	time_t now = date_now(), day;
	int y, w;
	char end, want[32];
	if (!week) {
		day = local_day(week_start(now), -7, 0);
	} else if (sscanf(week, "%4d-%*1[Ww]%2d%c", &y, &w, &end) == 2) {
		/* week 1 is the one with January 4th in it */
		struct tm tm = { .tm_year = y - 1900, .tm_mon = 0, .tm_mday = 4, .tm_hour = 12, .tm_isdst = -1 };
		time_t jan4 = mktime(&tm);
		day = local_day(week_start(jan4), 7 * (w - 1), 0);
		week_name(day, p->week, sizeof(p->week));
		snprintf(want, sizeof(want), "%04d-W%02d", y, w);
		if (y < 1970 || w < 1 || strcmp(p->week, want))
			return crm_error(c, CRM_USAGE, "--week: %04d has no week %d (its weeks are W01 to W52 or W53)",
					 y, w);
	} else if (date_parse(week, now, &day, NULL) != 0) {
		return crm_error(c, CRM_USAGE, "--week: '%s' is not a week (2026-W48) or a day in one", week);
	}
	p->from = week_start(day);
	p->to = local_day(p->from, 7, 0);
	week_name(p->from, p->week, sizeof(p->week));
	set_texts(p);
	return CRM_OK;
}

void period_previous(const struct period *p, struct period *prev)
{
	memset(prev, 0, sizeof(*prev));
	if (p->month) {
		prev->from = local_day(p->from, 0, -1);
		/* the same time a month back, or the whole month when that day
		 * does not exist there (March 31 -> all of February) */
		struct tm a, b;
		localtime_r(&p->to, &a);
		a.tm_mon -= 1;
		a.tm_isdst = -1;
		int mday = a.tm_mday;
		time_t back = mktime(&a);
		localtime_r(&back, &b);
		prev->to = b.tm_mday != mday || back > p->from ? p->from : back;
		prev->month = true;
	} else {
		prev->from = p->from - (p->to - p->from);
		prev->to = p->from;
	}
	if (p->week[0])
		week_name(prev->from, prev->week, sizeof(prev->week));
	set_texts(prev);
}

void period_apply(const struct period *p, struct report_opts *r)
{
	r->since = p->since;
	/* a period to now has no end: what happens at this very second (a
	 * pinned clock) counts, as in the reports without --until */
	r->until = p->to >= date_now() ? NULL : p->until;
}

void period_names_free(char **names)
{
	for (int i = 0; names && names[i]; i++)
		free(names[i]);
	free(names);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The members of team: its active users of any role, or config team.T. */
static char **team_members(struct crm *c, const char *team)
{
	static const char *const roles[] = { "admin", "manager", "rep", "finance", "service", "legal" };
	char **names = xcalloc(1, sizeof(char *));
	int n = 0;
	if (team_active(c)) {
		for (size_t r = 0; r < sizeof(roles) / sizeof(roles[0]); r++) {
			char **some = team_users_with_role(c, roles[r], team);
			for (int i = 0; some[i]; i++) {
				names = xrealloc(names, (n + 2) * sizeof(char *));
				names[n++] = xstrdup(some[i]);
			}
			team_names_free(some);
		}
	} else {
		char *key = xasprintf("team.%s", team);
		char *list = config_get(c, key);
		free(key);
		char *save = NULL;
		for (char *m = list ? strtok_r(list, ",， ", &save) : NULL; m; m = strtok_r(NULL, ",， ", &save)) {
			names = xrealloc(names, (n + 2) * sizeof(char *));
			names[n++] = xstrdup(m);
		}
		free(list);
	}
	names[n] = NULL;
	qsort(names, n, sizeof(char *), by_name);
	return names;
}

int period_owners(struct crm *c, const char *owner, const char *team, struct report_opts *r,
		  char **members, char ***names)
{
	*members = NULL;
	if (names)
		*names = NULL;
	if (owner && team)
		return crm_error(c, CRM_USAGE, "--owner and --team: one or the other");
	r->owner = owner;
	if (!team)
		return CRM_OK;
	char **list = team_members(c, team);
	if (!list[0]) {
		period_names_free(list);
		if (team_active(c))
			return crm_error(c, CRM_NOTFOUND, "team '%s' has no active members (see 'crm user list')", team);
		return crm_error(c, CRM_NOTFOUND, "team '%s' has no members: crm config set team.%s alice,bob",
				 team, team);
	}
	cJSON *arr = cJSON_CreateArray();
	for (int i = 0; list[i]; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(list[i]));
	char *json = cJSON_PrintUnformatted(arr);
	*members = xstrdup(json);
	cJSON_free(json);
	cJSON_Delete(arr);
	r->members = *members;
	if (names)
		*names = list;
	else
		period_names_free(list);
	return CRM_OK;
}
