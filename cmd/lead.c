/* lead.c: crm lead add|list|show|update|rm|convert */
#include "sales/convert.h"
#include "core/input.h"
#include "records.h"

RECORD_HANDLERS(lead)

static const struct opt add_opts[] = {
	ADD_OPTS,
	{ "name", 0, "NAME", "the person's name", false },
	{ "phone", 0, "PHONE", "phone (normalised: +86 138-1234-5678 -> 13812345678)", false },
	{ "email", 0, "EMAIL", "email address", false },
	{ "company", 0, "COMPANY", "company name", false },
	{ "source", 0, "SOURCE", "where the lead came from", false },
	{ "owner", 0, "USER", "the rep who owns it", false },
	{ "tag", 0, "TAG", "a tag", true },
	OPT_END
};

static const struct opt convert_opts[] = {
	{ "deal-name", 0, "NAME", "also make a deal of this name", false },
	{ "amount", 0, "AMOUNT", "also make a deal of this amount (default: the lead's budget)", false },
	{ "stage", 0, "STAGE", "also make a deal, in this stage", false },
	{ "pipeline", 0, "KEY", "the deal's pipeline (default: default)", false },
	{ "reason", 0, "TEXT", "why the deal was lost (--stage lost)", false },
	{ "force", 0, NULL, "move the deal past its stage's gate (logged)", false },
	OPT_END
};

static int convert_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	int rc = record_check_fresh(c, t, id, line);
	return rc ? rc : lead_convert(c, id, arg);
}

static int lead_convert_exec(struct crm *c, struct args *a)
{
	struct convert_opts o = {
		.deal_name = arg_get(a, "deal-name"),
		.amount = arg_get(a, "amount"),
		.stage = arg_get(a, "stage"),
		.pipeline = arg_get(a, "pipeline"),
		.reason = arg_get(a, "reason"),
		.force = arg_has(a, "force"),
	};
	int rc = input_each(c, a->argc, a->argv, "lead", convert_one, &o);
	/* a single lead is all or nothing; each of many (ids, or lines from a
	 * pipe) is too, and the others go on */
	if (rc && a->argc == 1)
		c->rollback = true;
	return rc;
}

static const struct cmd_verb lead_verbs[] = {
	RECORD_VERBS_FLAGS(lead, add_opts, rec_list_opts, rec_rm_opts, VERB_SERVER),
	{ "convert", "[ID ...] [--deal-name NAME] [--amount AMOUNT] [--stage STAGE [--reason TEXT] [--force]]",
	  "turn leads into an account (matched by company name), a contact and a deal",
	  convert_opts, DB_WRITE, 0, -1, lead_convert_exec, VERB_SERVER },
	{ NULL }
};

const struct cmd_entry cmd_lead_entry = {
	.name = "lead",
	.summary = "leads: people who may buy",
	.verbs = lead_verbs,
	.description = "Lead fields: name (required), phone, email, company, title, wechat,\n"
		       "industry, region, source, budget (money), currency, company_size, status\n"
		       "(new, working, nurturing, qualified, disqualified, converted), score, owner,\n"
		       "tags, note, last_contacted_at, plus custom fields (crm field add lead ...).\n"
		       "A lead with no owner (owner= given empty) is in the pool (crm help pool);\n"
		       "previous_owner and locked_by are the pool's, kept by crm.\n"
		       "Phones and emails are normalised, and a currency is its code (usd is USD,\n"
		       "人民币 is CNY); adding a lead whose phone or email is already known fails\n"
		       "with exit 4 naming the existing lead.\n"
		       "'crm lead convert ID' makes (or finds, by company name without 有限公司\n"
		       "and the like) the account, makes (or finds, by phone or email) the contact,\n"
		       "with --deal-name, --amount or --stage a deal too, and marks the lead\n"
		       "converted with account_id, contact_id and deal_id: all in one step, or\n"
		       "nothing if any part fails. It prints what it made, then the lead.",
};
