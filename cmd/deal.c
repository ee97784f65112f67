/* deal.c: crm deal add|list|show|update|rm */
#include <stdlib.h>
#include <string.h>

#include "core/input.h"
#include "core/mask.h"
#include "io/out.h"
#include "sales/pipeline.h"
#include "records.h"

static int deal_add_exec(struct crm *c, struct args *a) { return rec_add(c, a, "deal"); }
static int deal_list_exec(struct crm *c, struct args *a) { return rec_list(c, a, "deal"); }
static int deal_rm_exec(struct crm *c, struct args *a) { return rec_rm(c, a, "deal"); }

/* Stage and status change only through `crm stage move`, which keeps the
 * stage history, the gates and the approvals. */
static int deal_update_exec(struct crm *c, struct args *a)
{
	static const char *const moved[] = { "stage", "status", "pipeline" };
	for (int i = 0; i < a->argc; i++) {
		const char *eq = strchr(a->argv[i], '=');
		if (!eq)
			continue;
		for (int k = 0; k < 3; k++)
			if ((size_t)(eq - a->argv[i]) == strlen(moved[k]) && !strncmp(a->argv[i], moved[k], eq - a->argv[i]))
				return cmd_usage_error(c, "%s cannot be changed with update; use "
						       "'crm stage move DEAL STAGE' (it keeps the stage history)", moved[k]);
	}
	return rec_update(c, a, "deal");
}

static int show_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	cJSON *deal = record_get(c, t, id, false);
	if (!deal)
		return c->errcode;
	cJSON *hist = pipeline_history(c, id);
	if (!hist) {
		cJSON_Delete(deal);
		return c->errcode;
	}
	if (c->format == OUT_TABLE) {
		/* One readable cell: new → qualified → proposal */
		struct sbuf b = { 0 };
		const cJSON *h;
		cJSON_ArrayForEach(h, hist) {
			if (b.len)
				sbuf_add(&b, " → ");
			sbuf_add(&b, cJSON_GetStringValue(cJSON_GetObjectItem(h, "to")));
			if (cJSON_IsTrue(cJSON_GetObjectItem(h, "forced")))
				sbuf_add(&b, "(forced)");
		}
		cJSON_AddStringToObject(deal, "stage_history", b.s ? b.s : "");
		sbuf_release(&b);
		cJSON_Delete(hist);
	} else {
		cJSON_AddItemToObject(deal, "stage_history", hist);
	}
	mask_json(c, t, deal, NULL);
	out_object(c->out, deal);
	cJSON_Delete(deal);
	return CRM_OK;
}

static int deal_show_exec(struct crm *c, struct args *a)
{
	if (c->format == OUT_TABLE)
		out_vertical(c->out);   /* every field it has, the stage history last */
	else
		rec_columns(c, type_find(c, "deal"));
	return input_each(c, a->argc, a->argv, "deal", show_one, NULL);
}

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
	{ "stage", 0, "STAGE", "only deals in this stage", false },
	{ "pipeline", 0, "KEY", "only deals in this pipeline", false },
	OPT_END
};

static const struct opt update_opts[] = {
	ADD_OPTS,
	OPT_END
};

static const struct cmd_verb deal_verbs[] = {
	{ "add", "[--allow-duplicate] [FIELD=VALUE ...]",
	  "add a deal from FIELD=VALUE arguments, or one per JSON line on stdin (it starts in its "
	  "pipeline's first stage)", add_opts, DB_WRITE, 0, -1, deal_add_exec, VERB_SERVER },
	{ "list", "[--where EXPR] [--owner U] [--stage S] [--pipeline P] [--status S] [--since D] [--stale D] "
	  "[--sort F] [--limit N]", "list deals matching the filters (exit 1 if none)", list_opts, DB_READ, 0, 0,
	  deal_list_exec, VERB_SERVER },
	{ "show", "[ID ...]", "print deals by id (or the ids in JSON lines on stdin) with their stage history",
	  NULL, DB_READ, 0, -1, deal_show_exec, VERB_SERVER },
	{ "update", "[ID ...] FIELD=VALUE ...",
	  "change fields of the given deals (ids, or JSON lines on stdin); stage and status change with "
	  "'crm stage move'", update_opts, DB_WRITE, 1, -1, deal_update_exec, VERB_SERVER },
	{ "rm", "[--purge] [ID ...]", "remove deals (crm restore brings them back unless --purge)",
	  rec_rm_opts, DB_WRITE, 0, -1, deal_rm_exec, VERB_SERVER },
	{ NULL }
};

const struct cmd_entry cmd_deal_entry = {
	.name = "deal",
	.summary = "deals: opportunities moving through a pipeline",
	.verbs = deal_verbs,
	.description = "Deal fields: name (required), account_id, contact_id, lead_id, amount (money),\n"
		       "currency, pipeline, stage, probability, expected_close (date), owner, source,\n"
		       "status (open, won, lost), lost_reason, tags, note, plus custom fields.\n"
		       "A new deal starts in the first stage of its pipeline that does not close\n"
		       "(or the stage given, by key or label), with that stage's probability; one\n"
		       "made in a later stage must meet what a move there asks (the gate, a lost\n"
		       "deal's lost_reason, the approval amount), and in a won or lost stage it is\n"
		       "closed (closed_at). 'crm import deals' checks each row the same way; a row\n"
		       "may bring a status that agrees with its stage and a closed_at (成交日期).\n"
		       "Stage and status change only through 'crm stage move', which checks the\n"
		       "stage's gates and keeps the history that 'crm deal show' and the reports\n"
		       "read. A currency is its three-letter code: usd is USD, 人民币 and RMB are\n"
		       "CNY, 美元 is USD (anything else is refused, exit 3).",
};
