/* report.h: what a sales manager reads, as set-based SQL over deals, the
 * stage history, leads and activities. Every report prints records of
 * its own "type" through c->out (JSON lines, or a table with a bar).
 *
 * The reports the dashboard and --compare read are in two steps: X_rows
 * computes the rows as data (a cJSON array of objects with the keys, in
 * order, of the JSON lines report_X prints; the caller deletes it, also
 * on failure), report_X prints them. One computation for all of them. */
#ifndef CRM_REPORT_H
#define CRM_REPORT_H

#include <cjson/cJSON.h>
#include "core/crm.h"

struct report_opts {
	const char *pipeline;   /* funnel: default "default"; forecast: all */
	const char *since;      /* a time or a span (30d) */
	const char *owner;
	const char *by;         /* forecast: month, week, owner, deal */
	long long days;         /* silent: -1 = defaults (90 accounts, 14 deals) */
	/* For the dashboard and --compare (funnel, forecast, leaderboard,
	 * sources): */
	const char *until;      /* only what happened before this time (NULL: up to now) */
	const char *members;    /* only these owners: a JSON array of names (a team) */
	long long limit;        /* forecast --by deal: the first N (0: all) */
};

int report_funnel_rows(struct crm *c, const struct report_opts *r, cJSON **rows);
int report_forecast_rows(struct crm *c, const struct report_opts *r, cJSON **rows);
int report_leaderboard_rows(struct crm *c, const struct report_opts *r, cJSON **rows);
int report_sources_rows(struct crm *c, const struct report_opts *r, cJSON **rows);

/* A money value of a row (exact: kept as the JSON text of the amount;
 * a percentage or days with one decimal reads the same way, in
 * hundredths) back in minor units: 0, or -1 when item is not one. */
int report_money(const cJSON *item, long long *minor);
/* Any number of a row (money too) as a double; 0 when absent. */
double report_number(const cJSON *item);

int report_funnel(struct crm *c, const struct report_opts *r);
int report_forecast(struct crm *c, const struct report_opts *r);
int report_cycle(struct crm *c, const struct report_opts *r);
int report_leaderboard(struct crm *c, const struct report_opts *r);
int report_sources(struct crm *c, const struct report_opts *r);
int report_silent(struct crm *c, const struct report_opts *r);

#endif
