/* layers.h: the rows of the cash and service layers' reports, as data.
 *
 * Those reports print their records as they go (cash/reports.h,
 * service/survey.h, service/ticket.h); the insight layer runs the very
 * same functions with their records caught as JSON lines instead of
 * printed (layers_capture), so a panel's rows are exactly the lines its
 * report prints, from the same code. */
#ifndef CRM_INSIGHT_LAYERS_H
#define CRM_INSIGHT_LAYERS_H

#include <cjson/cJSON.h>

#include "core/crm.h"
#include "sales/report.h"

/* Run fn(c, arg) with the records it prints caught, as JSON objects, in
 * the new array *rows (CRM_NOTFOUND from fn: no rows, not an error). */
int layers_capture(struct crm *c, int (*fn)(struct crm *c, const void *arg), const void *arg, cJSON **rows);

/* crm report revenue --since (--by owner): received per period */
int layers_revenue(struct crm *c, const char *since, const char *by, cJSON **rows);
/* crm report receivables (--by owner) */
int layers_receivables(struct crm *c, const char *by, cJSON **rows);
/* crm ticket list --breached */
int layers_breached(struct crm *c, cJSON **rows);

/* crm report satisfaction for the period of r (since, until: the
 * answers since minus those since until, counts being additive), by
 * r->by, of r->owner or, with r->members, the members' answers together
 * (one group). */
int layers_satisfaction(struct crm *c, const struct report_opts *r, cJSON **rows);

#endif
