/* period.h: what the insight reports are about: a stretch of time and
 * whose records.
 *
 * A period runs from its start up to (not including) its end. The
 * dashboard's and the KPIs' default is this month so far; the weekly
 * report's an ISO week (Monday 00:00 to the next Monday, local time). The
 * previous period of --compare previous is as long as the period and ends
 * where it starts; a period that starts on the 1st of a month and ends
 * within that month is compared with the same stretch of the month before
 * (March 1-15 with February 1-15). */
#ifndef CRM_INSIGHT_PERIOD_H
#define CRM_INSIGHT_PERIOD_H

#include <stdbool.h>
#include <time.h>

#include "base/date.h"
#include "core/crm.h"
#include "sales/report.h"

struct period {
	time_t from, to;
	char since[DATE_BUFSZ], until[DATE_BUFSZ];  /* from and to as stored times */
	char week[32];                              /* an ISO week: "2026-W09", else "" */
	bool month;                                 /* from the 1st of a month, within it */
};

/* From since (a time, a date, or a span back from now: 30d) up to now;
 * NULL: this month so far. CRM_USAGE for what is not a time. */
int period_since(struct crm *c, const char *since, struct period *p);

/* An ISO week: "2026-W48", or any day in it (2026-11-25, today); NULL:
 * the last full week (the one before this). CRM_USAGE otherwise. */
int period_week(struct crm *c, const char *week, struct period *p);

/* The period before p, for --compare previous. */
void period_previous(const struct period *p, struct period *prev);

/* Whose records: --owner U, or --team T (the active users of team T, or
 * config team.T while there are no users: sets r->members to their names
 * as a JSON array, newly allocated in *members), or neither (everyone the
 * acting user may see). Both: CRM_USAGE; a team without members:
 * CRM_NOTFOUND. *names (may be NULL) gets the members' names, a
 * NULL-terminated array to free with period_names_free. */
int period_owners(struct crm *c, const char *owner, const char *team, struct report_opts *r,
		  char **members, char ***names);
void period_names_free(char **names);

/* Local midnight days after (before) the day t falls on. */
time_t period_day(time_t t, int days);

/* The records in a period: r->since and r->until set to p's (no until
 * for a period that ends now). */
void period_apply(const struct period *p, struct report_opts *r);

#endif
