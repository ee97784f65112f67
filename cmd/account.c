/* account.c: crm account add|list|show|update|rm */
#include "history.h"
#include "input.h"
#include "out.h"
#include "records.h"

static int account_add_exec(struct crm *c, struct args *a) { return rec_add(c, a, "account"); }
static int account_list_exec(struct crm *c, struct args *a) { return rec_list(c, a, "account"); }
static int account_update_exec(struct crm *c, struct args *a) { return rec_update(c, a, "account"); }
static int account_rm_exec(struct crm *c, struct args *a) { return rec_rm(c, a, "account"); }

/* The account with its contacts, deals, recent activities, open tasks. */
static int show_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	cJSON *acc = record_get(c, t, id, false);
	if (!acc)
		return c->errcode;
	int rc = account_related(c, id, acc);
	if (!rc)
		out_object(c->out, acc);
	cJSON_Delete(acc);
	return rc;
}

static int account_show_exec(struct crm *c, struct args *a)
{
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

static const struct opt list_opts[] = {
	LIST_OPTS,
	OPT_END
};

static const struct opt rm_opts[] = {
	RM_OPTS,
	OPT_END
};

static const struct cmd_verb account_verbs[] = {
	RECORD_VERBS(account, add_opts, list_opts, rm_opts),
	{ NULL }
};

const struct cmd_entry cmd_account_entry = {
	.name = "account",
	.summary = "accounts: customer companies",
	.verbs = account_verbs,
	.description = "Account fields: name (required), industry, size, region, tier (A, B, C), owner,\n"
		       "source, phone, address, website, tags, note, last_contacted_at, plus custom\n"
		       "fields. 'crm account show' adds its contacts, deals, recent activities and\n"
		       "open tasks (of the account, its contacts and its deals) as arrays.",
};
