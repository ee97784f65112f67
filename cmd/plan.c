/* plan.c: crm plan add|split|list|show|update|rm */
#include <stdlib.h>

#include "cash/plan.h"
#include "records.h"

static int plan_list_exec(struct crm *c, struct args *a) { return rec_list(c, a, "plan"); }
static int plan_show_exec(struct crm *c, struct args *a) { return rec_show(c, a, "plan"); }
static int plan_update_exec(struct crm *c, struct args *a) { return rec_update(c, a, "plan"); }
static int plan_rm_exec(struct crm *c, struct args *a) { return rec_rm(c, a, "plan"); }

static int plan_add_exec(struct crm *c, struct args *a)
{
	static const char *const map[] = { "contract", "contract_id", "amount", "amount", "due", "due", NULL };
	return rec_add_map(c, a, "plan", map, 0);
}

static int split_exec(struct crm *c, struct args *a)
{
	const char *k = arg_get(a, "contract");
	if (!k || !arg_get(a, "parts") || !arg_get(a, "first"))
		return cmd_usage_error(c, "--contract, --parts and --first are needed");
	/* the contract by id or by its number */
	cJSON *f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "contract_id", k);
	char *id = NULL;
	const struct type *t = type_find(c, "plan");
	int rc = field_normalize(c, t, type_field(t, "contract_id"), cJSON_GetObjectItem(f, "contract_id"), &id);
	cJSON_Delete(f);
	if (!rc) {
		rec_columns(c, t);
		rc = plan_split(c, strtoll(id, NULL, 10), arg_get(a, "parts"), arg_get(a, "first"), arg_get(a, "every"));
	} else if (rc == CRM_BADINPUT) {
		rc = CRM_NOTFOUND;   /* --contract names none */
	}
	free(id);
	return rc;
}

static const struct opt add_opts[] = {
	ADD_OPTS,
	{ "contract", 0, "ID|NUMBER", "the signed contract it is for", false },
	{ "amount", 0, "AMOUNT", "what is due (money)", false },
	{ "due", 0, "DATE", "when it is due", false },
	OPT_END
};

static const struct opt split_opts[] = {
	{ "contract", 0, "ID|NUMBER", "the signed contract", false },
	{ "parts", 0, "30%,40%,30%", "percentages of its amount, adding up to 100%", false },
	{ "first", 0, "DATE", "when the first part is due", false },
	{ "every", 0, "SPAN", "between parts: 1m a month (default), 1q, 1y, 2w, 30d", false },
	OPT_END
};

static const struct cmd_verb plan_verbs[] = {
	{ "add", "--contract ID amount=... due=D [FIELD=VALUE ...]", "add an instalment to a signed contract's "
	  "payment plan", add_opts, DB_WRITE, 0, -1, plan_add_exec, VERB_SERVER },
	{ "split", "--contract ID --parts 30%,40%,30% --first D [--every 1m]",
	  "make the instalments from percentages (the last takes the rounding remainder)", split_opts, DB_WRITE,
	  0, 0, split_exec, VERB_SERVER },
	{ "list", "[--where EXPR] [--owner U] [--status S] [--since D] [--sort F] [--limit N]",
	  "list plans matching the filters (exit 1 if none)",
	  rec_list_opts, DB_READ, 0, 0, plan_list_exec, VERB_SERVER },
	{ "show", "[ID ...]", "print plans by id, or the ids in JSON lines on stdin", NULL, DB_READ, 0, -1,
	  plan_show_exec, VERB_SERVER },
	{ "update", "[ID ...] FIELD=VALUE ...", "change plans (their sum stays within the contract's amount)",
	  NULL, DB_WRITE, 1, -1, plan_update_exec, VERB_SERVER },
	{ "rm", "[--purge] [ID ...]", "remove plans nothing was paid on",
	  rec_rm_opts, DB_WRITE, 0, -1, plan_rm_exec, VERB_SERVER },
	{ NULL }
};

const struct cmd_entry cmd_plan_entry = {
	.name = "plan",
	.summary = "payment plans (回款计划): a contract's instalments and when they are due",
	.verbs = plan_verbs,
	.description = "Plan fields: contract_id, installment (1, 2, ... per contract), amount, currency\n"
		       "(the contract's), due, owner, note; computed: received (the payments applied\n"
		       "to it), unreceived and status: pending, partial, paid, or overdue (the due\n"
		       "date has passed, from the day after, and it is not paid; a partly paid one\n"
		       "too). A contract's plans may not add up to more than its amount (exit 4).\n"
		       "A new plan takes what the contract's payments left unapplied (paid before\n"
		       "there was a plan, or past the plans), oldest payment first.\n"
		       "Events (crm automate tick, each once per plan): plan.due, config\n"
		       "plan.remind_days (default 3) days before it is due, and plan.overdue.\n"
		       "  crm plan split --contract HT-2026-0001 --parts 30%,40%,30% --first 2026-04-01",
};
