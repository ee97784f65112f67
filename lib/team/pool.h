/* pool.h: the public pool (公海, CLI.md 8.1), after 悟空CRM's rules.
 *
 * A record of a pooled type (leads, accounts: team.h) with no owner is in
 * the pool. Claiming makes the acting user its owner, within the limits
 * (config, 0 = none): pool.claim_limit claims a user a day,
 * pool.hold_limit leads plus accounts one may own (closed customers, with
 * a won deal or a signed contract, and converted leads do not count),
 * pool.protect_days in which the previous owner may not claim it back.
 * Releasing gives it back (previous_owner keeps who had it). The tick
 * reclaims (pool.reclaim_days: no activity for N days, counted from the
 * later of the last activity and when its owner got it;
 * pool.reclaim_no_deal_days: an account with no open or won deal M days
 * after its owner got it), closed customers and locked records exempt,
 * and reminds the owner once, pool.remind_days before. Every change is a
 * write through the core (audited, in the record's history) and an
 * event: pool.claimed, pool.released, pool.reclaimed. */
#ifndef CRM_TEAM_POOL_H
#define CRM_TEAM_POOL_H

#include <stdbool.h>
#include <cjson/cJSON.h>
#include "core/crm.h"
#include "core/query.h"
#include "core/type.h"

/* crm pool list [--type T]: the pooled records of t (NULL: every pooled
 * type) that match q. */
int pool_list(struct crm *c, const struct type *t, const struct query *q);

/* The pooled types' names, "lead, account". Newly allocated. */
char *pool_types(struct crm *c);

/* What crm pool claim|release|lock|unlock do to one record, which they
 * print. reason goes into the audit log. */
int pool_claim(struct crm *c, const struct type *t, long long id, const char *reason);
int pool_release(struct crm *c, const struct type *t, long long id, const char *reason);
int pool_lock(struct crm *c, const struct type *t, long long id, const char *reason, bool lock);


/* The tick's part: reminders and reclaims. */
int pool_tick(struct crm *c, bool all, bool dry);

/* For crm server init: what the file's triggers (schema 021) keep on a
 * pooled table, kept there by a trigger of the server's: owned_at when
 * its owner got it, pooled_at when it last went to the pool and
 * previous_owner who gave it back, whatever wrote the owner. */
struct sbuf;
void pool_pg_triggers(struct sbuf *ddl);

#endif
