/* weekly.h: crm report weekly, the weekly report nobody has to write.
 *
 * For an ISO week (default: the last full one) and a rep (default: the
 * acting user) or a team: activities by kind, new leads and the share
 * first contacted within 24 hours (an activity on the lead no later than
 * a day after it came in), deals moved (stage changes in the week, the
 * deal's first stage not counted), deals won and lost with their amounts
 * (by the week they closed, one sum per currency), payments received and
 * tickets handled (not available while their layer is missing), tasks
 * overdue as the week ended (or now, for this week) and tasks due in the
 * week after. A team's report has these for the team and a line per
 * member.
 *
 * Markdown, even into a pipe: it is a document. JSON lines with --json
 * (or --format jsonl): one {"type":"weekly",...} line for the rep or the
 * team, then one per member of a team. */
#ifndef CRM_INSIGHT_WEEKLY_H
#define CRM_INSIGHT_WEEKLY_H

#include <stdbool.h>

#include "core/crm.h"

struct weekly_opts {
	const char *owner, *team;   /* neither: the acting user */
	const char *week;           /* "2026-W48", a day in it; NULL: last week */
	bool json;
};

int weekly_run(struct crm *c, const struct weekly_opts *w);

#endif
