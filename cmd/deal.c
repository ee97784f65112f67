/* deal.c: crm deal add|list|show|update|rm */
#include "records.h"

RECORD_HANDLERS(deal)

static const struct opt add_opts[] = {
	ADD_OPTS,
	{ "name", 0, "NAME", "what is being sold", false },
	{ "amount", 0, "AMOUNT", "amount (money: 120000, 12万)", false },
	{ "account_id", 0, "ID", "the customer account", false },
	{ "pipeline", 0, "KEY", "pipeline (default: default)", false },
	{ "stage", 0, "KEY", "starting stage (default: the first)", false },
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

static const struct cmd_verb deal_verbs[] = {
	RECORD_VERBS(deal, add_opts, list_opts, rm_opts),
	{ NULL }
};

const struct cmd_entry cmd_deal_entry = {
	.name = "deal",
	.summary = "deals: opportunities moving through a pipeline",
	.verbs = deal_verbs,
	.description = "Deal fields: name (required), account_id, contact_id, lead_id, amount (money),\n"
		       "currency, pipeline, stage, probability, expected_close (date), owner, source,\n"
		       "status (open, won, lost), lost_reason, tags, note, plus custom fields.",
};
