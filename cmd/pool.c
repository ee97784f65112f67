/* pool.c: crm pool list|claim|release|lock|unlock */
#include <stdlib.h>

#include "core/input.h"
#include "core/query.h"
#include "records.h"
#include "team/pool.h"

static int list_exec(struct crm *c, struct args *a)
{
	const char *tn = arg_get(a, "type");
	const struct type *t = tn ? type_get(c, tn) : NULL;
	if (tn && !t)
		return c->errcode;
	struct query q = { .where = arg_get(a, "where"), .sort = arg_get(a, "sort") };
	q.limit = arg_int(c, a, "limit", 0);
	if (q.limit < 0)
		return CRM_USAGE;
	if (query_where_allowed(c, q.where))
		return c->errcode;
	if (t)
		rec_columns(c, t);
	return pool_list(c, t, &q);
}

enum pool_act { CLAIM, RELEASE, LOCK, UNLOCK };

struct act {
	enum pool_act what;
	const char *reason;
};

static int act_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	const struct act *a = arg;
	int rc = record_check_fresh(c, t, id, line);
	if (rc)
		return rc;
	switch (a->what) {
	case CLAIM:
		return pool_claim(c, t, id, a->reason);
	case RELEASE:
		return pool_release(c, t, id, a->reason);
	default:
		return pool_lock(c, t, id, a->reason, a->what == LOCK);
	}
}

static int run(struct crm *c, struct args *a, enum pool_act what)
{
	struct act act = { what, arg_get(a, "reason") };
	return input_each(c, a->argc, a->argv, NULL, act_one, &act);
}

static int claim_exec(struct crm *c, struct args *a) { return run(c, a, CLAIM); }
static int release_exec(struct crm *c, struct args *a) { return run(c, a, RELEASE); }
static int lock_exec(struct crm *c, struct args *a) { return run(c, a, LOCK); }
static int unlock_exec(struct crm *c, struct args *a) { return run(c, a, UNLOCK); }

static const struct opt list_opts[] = {
	{ "type", 't', "lead|account", "only this type's pool (default: every one)", false },
	{ "where", 'w', "EXPR", "SQL expression over the fields", false },
	{ "sort", 0, "FIELD[,-FIELD]", "sort by fields", false },
	{ "limit", 'n', "N", "at most N records of each type", false },
	OPT_END
};

static const struct opt act_opts[] = {
	{ "reason", 0, "TEXT", "why (kept in the audit log and the record's history)", false },
	OPT_END
};

static const struct cmd_verb pool_verbs[] = {
	{ "list", "[--type lead|account] [--where EXPR] [--sort F] [--limit N]",
	  "the records in the pool: leads and accounts with no owner", list_opts, DB_READ, 0, 0, list_exec, VERB_SERVER },
	{ "claim", "[ENTITY ...] [--reason T]", "take records from the pool: you become their owner",
	  act_opts, DB_WRITE, 0, -1, claim_exec, VERB_SERVER },
	{ "release", "[ENTITY ...] [--reason T]", "give records back to the pool (previous_owner keeps who had "
	  "them)", act_opts, DB_WRITE, 0, -1, release_exec, VERB_SERVER },
	{ "lock", "[ENTITY ...] [--reason T]", "keep records from being reclaimed (managers)", act_opts,
	  DB_WRITE, 0, -1, lock_exec, VERB_SERVER },
	{ "unlock", "[ENTITY ...] [--reason T]", "let locked records be reclaimed again (managers)", act_opts,
	  DB_WRITE, 0, -1, unlock_exec, VERB_SERVER },
	{ NULL }
};

const struct cmd_entry cmd_pool_entry = {
	.name = "pool",
	.summary = "the public pool (公海): leads and accounts with no owner",
	.verbs = pool_verbs,
	.description = "A lead or account with no owner is in the pool; reps see it, claim from it\n"
		       "and release to it (records as TYPE:ID arguments or JSON lines on stdin):\n"
		       "  crm pool list --type lead --where \"region = '浙江'\" | crm pool claim\n"
		       "Limits (config, 0 = none; each refusal exits 4 naming it):\n"
		       "pool.claim_limit claims per user per day; pool.hold_limit leads plus\n"
		       "accounts one may own (customers with a won deal or a signed contract, and\n"
		       "converted leads, do not count); pool.protect_days: the previous owner may\n"
		       "not claim a record back within that many days of losing it.\n"
		       "'crm automate tick' reclaims (each unset or 0 = off): pool.reclaim_days N\n"
		       "returns an owned lead or account with no activity for N days, counted from\n"
		       "the later of its last activity and when its owner got it;\n"
		       "pool.reclaim_no_deal_days M returns an account without an open or won deal\n"
		       "M days after its owner got it. Exempt: customers with a won deal or a\n"
		       "signed contract, and records a manager locked (crm pool lock). With\n"
		       "pool.remind_days K the owner gets one task \"即将进入公海: NAME\" K days before.\n"
		       "Claims, releases, locks and reclaims are in the audit log and the record's\n"
		       "history with their reason; rules and hooks get pool.claimed, pool.released\n"
		       "and pool.reclaimed (crm rule add ... --on pool.claimed --type account).",
};
