/* handover.h: crm user leave NAME (--to USER | --to-pool), CLI.md 8.1.
 *
 * In one transaction: every record of every type with an owner that the
 * user owns goes to the other user (with to_pool: pooled types' records
 * to the pool, the rest to the user's manager): leads, accounts,
 * contacts, deals, open tasks, the service layer's open tickets, ...;
 * what is done (a task done, a ticket closed) and what happened (their
 * activities) stay theirs. Each record's history shows the handover.
 * Then the user is marked left (refused from then on), and what was
 * shared with them ends. One summary line per type. */
#ifndef CRM_TEAM_HANDOVER_H
#define CRM_TEAM_HANDOVER_H

#include <stdbool.h>
#include "core/crm.h"

int team_handover(struct crm *c, const char *name, const char *to, bool to_pool);

#endif
