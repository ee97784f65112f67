/* dashboard.h: crm report dashboard.
 *
 * The period (default: this month so far) and whose records (--owner,
 * --team, else all the acting user may see) make one list of panels:
 * new leads, conversion, won amount, received amount, the funnel, the
 * forecast by month, the top 3 reps, the top 5 potential deals,
 * receivables aging, CSAT and NPS, breached tickets. Each panel is the
 * rows (or a sum of them) of the report it names in "source", run with
 * the same filters: the dashboard has no numbers of its own. A panel
 * whose layer is missing (no payment, plan, survey or ticket type in the
 * registry) is {"available":false,"reason":...}.
 *
 * Printed as one screen of text on a terminal (80 columns, or 160 when
 * there are), as JSON lines of the panels otherwise (one line each, the
 * first the period), or as one self-contained HTML page (--html). */
#ifndef CRM_INSIGHT_DASHBOARD_H
#define CRM_INSIGHT_DASHBOARD_H

#include <stdbool.h>
#include <cjson/cJSON.h>

#include "core/crm.h"

struct dashboard_opts {
	const char *since;   /* NULL: this month */
	const char *owner, *team;
	bool html;
	const char *file;    /* -o FILE: the page goes there (created 0600) */
};

/* The panels as data (a new array; deleted by the caller, also on
 * failure). */
int dashboard_panels(struct crm *c, const struct dashboard_opts *d, cJSON **panels);

/* The whole command: panels, then text, JSON lines or HTML. */
int dashboard_run(struct crm *c, const struct dashboard_opts *d);

#endif
