/* account.c: crm account add|list|show|update|rm */
#include "records.h"

RECORD_HANDLERS(account)

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
		       "fields.",
};
