/* report.h (service): what a service team and an account manager read
 * after the sale: crm report service|health|renewals|repurchase and
 * crm account tier. Every report respects visibility (query_scope) and
 * prints records through c->out; those that are about accounts or
 * contracts print them as such ("type":"account", "id"), so they pipe
 * into crm task add, crm contract renew, ... */
#ifndef CRM_SERVICE_REPORT_H
#define CRM_SERVICE_REPORT_H

#include <stdbool.h>
#include "core/crm.h"

struct service_opts {
	const char *by;      /* NULL, assignee, category, month */
	const char *since;   /* a time or a span (30d) */
	const char *owner;   /* health: only the accounts USER owns */
	const char *within;  /* renewals: a span, default 90d */
	const char *currency;/* tier: the currency ranked (default: config currency) */
	bool apply;          /* tier: store it */
};

int report_service(struct crm *c, const struct service_opts *o);
int report_health(struct crm *c, const struct service_opts *o);
int report_renewals(struct crm *c, const struct service_opts *o);
int report_repurchase(struct crm *c, const struct service_opts *o);
int account_tier(struct crm *c, const struct service_opts *o);

/* The health of an account from its parts (the formula crm help report
 * states), 0-100. csat10: CSAT percent times ten, or -1 when none; nps:
 * the latest answer, or -1; trend: events in the last 30 days and the 30
 * before. */
struct health_parts {
	long long last_activity_days, open_tickets, breached_tickets;
	long long csat10, nps;
	bool overdue;
	long long events_30d, events_prev_30d;
};
int health_score(const struct health_parts *p);

#endif
