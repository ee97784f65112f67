/* report.h: what a sales manager reads, as set-based SQL over deals, the
 * stage history, leads and activities. Every report prints records of
 * its own "type" through c->out (JSON lines, or a table with a bar). */
#ifndef CRM_REPORT_H
#define CRM_REPORT_H

#include "core/crm.h"

struct report_opts {
	const char *pipeline;   /* funnel: default "default"; forecast: all */
	const char *since;      /* a time or a span (30d) */
	const char *owner;
	const char *by;         /* forecast: month, week, owner */
	long long days;         /* silent: -1 = defaults (90 accounts, 14 deals) */
};

int report_funnel(struct crm *c, const struct report_opts *r);
int report_forecast(struct crm *c, const struct report_opts *r);
int report_cycle(struct crm *c, const struct report_opts *r);
int report_leaderboard(struct crm *c, const struct report_opts *r);
int report_sources(struct crm *c, const struct report_opts *r);
int report_silent(struct crm *c, const struct report_opts *r);

#endif
