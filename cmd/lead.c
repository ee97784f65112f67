/* lead.c: crm lead add|list|show|update|rm */
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

static const struct opt list_opts[] = {
	LIST_OPTS,
	OPT_END
};

static const struct opt rm_opts[] = {
	RM_OPTS,
	OPT_END
};

static const struct cmd_verb lead_verbs[] = {
	RECORD_VERBS(lead, add_opts, list_opts, rm_opts),
	{ NULL }
};

const struct cmd_entry cmd_lead_entry = {
	.name = "lead",
	.summary = "leads: people who may buy",
	.verbs = lead_verbs,
	.description = "Lead fields: name (required), phone, email, company, title, industry, region,\n"
		       "source, budget (money), currency, company_size, status (new, working,\n"
		       "nurturing, qualified, disqualified, converted), score, owner, tags, note,\n"
		       "last_contacted_at, plus custom fields (crm field add lead ...).\n"
		       "Phones and emails are normalised; adding a lead whose phone or email is\n"
		       "already known fails with exit 4 naming the existing lead.",
};
