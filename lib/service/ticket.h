/* ticket.h: service tickets (CLI.md 8.3): the record type, its
 * lifecycle, its SLA clocks as the record shows them, and the tick that
 * fires ticket.breached.
 *
 * Status: new -> open (the first reply) -> pending (waiting on the
 * customer) -> resolved -> closed; a reply takes pending back to open;
 * reopen takes resolved or closed to open. The clocks start at opened_at
 * (when the ticket was made); time pending, and between a resolution and
 * a reopen, does not count (ticket_pause); sla.hours and sla.PRIORITY say
 * what counts and how much (service/sla.h). first_response_due,
 * resolve_due and breached are computed whenever a ticket is read, by the
 * SQL function ticket_sla() this file registers (on a server: see
 * ticket_open_server). */
#ifndef CRM_SERVICE_TICKET_H
#define CRM_SERVICE_TICKET_H

#include <stdbool.h>
#include <time.h>
#include "base/sbuf.h"
#include "core/crm.h"
#include "core/type.h"
#include "service/sla.h"

extern const struct type ticket_type;

/* Register ticket_sla() on the connection (the module's open hook). */
int ticket_sql_register(struct crm *c);

/* On a server: the table this session's ticket_sla() reads, filled with
 * the clocks of every ticket the login role may see (the module's
 * open_server hook); ticket_pg_functions: that ticket_sla(), for crm
 * server init, as DDL into ddl. */
int ticket_open_server(struct crm *c);
void ticket_pg_functions(struct sbuf *ddl);

/* The business calendar and the policy of priority, as configured (one
 * read per command): CRM_BADINPUT naming the setting when it does not
 * parse. p may be NULL; priority NULL checks every priority's. */
int ticket_sla_config(struct crm *c, const char *priority, const struct sla_hours **h,
		      struct sla_policy *p);

/* The SQL of a ticket "r"'s pauses, as ticket_counted reads them. */
extern const char ticket_pauses_sql[];

/* Counted SLA seconds from from to to (times as stored) without the
 * pauses (text from ticket_pauses_sql); -1 when a time does not read or
 * the calendar is bad (the error recorded). */
long long ticket_counted(struct crm *c, const char *from, const char *to, const char *pauses);

/* Reply on ticket id: an activity on it (kind, default note), the first
 * one sets first_response_at, new and pending become open. Prints the
 * ticket. */
int ticket_reply(struct crm *c, long long id, const char *text, const char *kind);

/* pending, resolve, close or reopen ticket id, with an optional note (an
 * activity on it). A move its status does not allow exits 4 naming the
 * statuses that allow it. Prints the ticket. */
int ticket_move(struct crm *c, long long id, const char *verb, const char *note);

/* The extra conditions of crm ticket list, as SQL over the ticket "r" as
 * --where sees it (NULL: none). due_within: a span; open tickets whose
 * next due time (the first response's until it is given, then the
 * resolution's) is after now and within it. Newly allocated in *out. */
struct ticket_filter {
	bool breached;
	const char *due_within;
	const char *assignee;
};
int ticket_filter_sql(struct crm *c, const struct ticket_filter *f, char **out);

/* ticket.breached for every clock newly past due (once per clock and
 * ticket); dry: print them, write nothing. CRM_NOTFOUND when none. */
int ticket_tick(struct crm *c, bool dry);

/* For the dashboard: the tickets breached now (the acting user may see),
 * as ticket records through c->out, and their count in *n (may be NULL).
 * CRM_NOTFOUND when none. */
int ticket_breached_print(struct crm *c, long long *n);
/* Their count only. */
int ticket_breached_count(struct crm *c, long long *n);

#endif
