/* account.c: crm account add|list|show|update|rm */
#include <stdio.h>

#include "data/history.h"
#include "core/input.h"
#include "core/mask.h"
#include "io/out.h"
#include "records.h"
#include "service/report.h"

static int account_add_exec(struct crm *c, struct args *a) { return rec_add(c, a, "account"); }
static int account_list_exec(struct crm *c, struct args *a) { return rec_list(c, a, "account"); }
static int account_update_exec(struct crm *c, struct args *a) { return rec_update(c, a, "account"); }
static int account_rm_exec(struct crm *c, struct args *a) { return rec_rm(c, a, "account"); }

/* On a terminal: the account's own table, then one per related list
 * that has rows, each printed before the next begins. */
static void show_tables(struct crm *c, const struct type *t, cJSON *acc)
{
	static const char *const rel[] = { "contacts", "deals", "activities", "tasks" };
	cJSON *lists[4];
	for (int i = 0; i < 4; i++)
		lists[i] = cJSON_DetachItemFromObject(acc, rel[i]);
	struct out *keep = c->out;
	c->out = out_new(OUT_TABLE, stdout);
	out_vertical(c->out);   /* every field it has, one a line */
	out_object(c->out, acc);
	out_free(c->out);
	for (int i = 0; i < 4; i++) {
		int n = cJSON_GetArraySize(lists[i]);
		if (n > 0) {
			printf("\n%s (%d)\n", rel[i], n);
			c->out = out_new(OUT_TABLE, stdout);
			const cJSON *it;
			cJSON_ArrayForEach(it, lists[i])
				out_object(c->out, it);
			out_free(c->out);
		}
		cJSON_Delete(lists[i]);
	}
	c->out = keep;
}

/* The account with its contacts, deals, recent activities, open tasks. */
static int show_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	cJSON *acc = record_get(c, t, id, false);
	if (!acc)
		return c->errcode;
	mask_json(c, t, acc, NULL);
	int rc = account_related(c, id, acc);
	if (!rc && c->format == OUT_TABLE)
		show_tables(c, t, acc);
	else if (!rc)
		out_object(c->out, acc);
	cJSON_Delete(acc);
	return rc;
}

static int account_show_exec(struct crm *c, struct args *a)
{
	if (c->format != OUT_TABLE)
		rec_columns(c, type_find(c, "account"));
	return input_each(c, a->argc, a->argv, "account", show_one, NULL);
}

static const struct opt add_opts[] = {
	ADD_OPTS,
	{ "name", 0, "NAME", "the company name", false },
	{ "industry", 0, "INDUSTRY", "industry", false },
	{ "region", 0, "REGION", "region", false },
	{ "tier", 0, "A|B|C", "tier", false },
	{ "owner", 0, "USER", "the rep who owns it", false },
	{ "tag", 0, "TAG", "a tag", true },
	OPT_END
};

static int account_tier_exec(struct crm *c, struct args *a)
{
	struct service_opts o = { .currency = arg_get(a, "currency"), .apply = arg_has(a, "apply") };
	return account_tier(c, &o);
}

static const struct opt tier_opts[] = {
	{ "apply", 0, NULL, "store each account's tier in its tier field (audited)", false },
	{ "currency", 0, "CUR", "the currency whose payments rank them (default: config currency)", false },
	OPT_END
};

static const struct cmd_verb account_verbs[] = {
	RECORD_VERBS_FLAGS(account, add_opts, rec_list_opts, rec_rm_opts, VERB_SERVER),
	{ "tier", "[--apply] [--currency CUR]",
	  "ABC tiers by payments received in the last 12 months (A to 80%, B to 95%, C the rest)",
	  tier_opts, DB_WRITE, 0, 0, account_tier_exec, VERB_SERVER },
	{ NULL }
};

const struct cmd_entry cmd_account_entry = {
	.name = "account",
	.summary = "accounts: customer companies",
	.verbs = account_verbs,
	.description = "Account fields: name (required), industry, size, region, tier (A, B, C), owner,\n"
		       "source, phone, address, website, tags, note, last_contacted_at, plus custom\n"
		       "fields; with no owner it is in the pool (crm help pool), and previous_owner\n"
		       "and locked_by are the pool's, kept by crm. 'crm account show' adds its contacts, deals, recent activities and\n"
		       "open tasks (of the account, its contacts and its deals) as arrays; as a\n"
		       "table (on a terminal), one table for each after the account's own.\n"
		       "'crm account tier' ranks the accounts by payments received in the last 12\n"
		       "months (one currency): sorted by that amount, an account is A while the\n"
		       "running share is within 80% (the first is always A), B within 95%, else C;\n"
		       "accounts without payments are C. It prints every account with received,\n"
		       "share_pct, running_pct and tier (was: the tier stored before, when it\n"
		       "differs); --apply stores the tier (an audited update), and needs write\n"
		       "access: one the user sees but may not change is named and left as it was\n"
		       "(exit 5 at the end), the others are stored.",
};
