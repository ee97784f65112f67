/* approve.c: crm approve ENTITY... [--reject --reason T] | --pending */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/input.h"
#include "core/query.h"
#include "sales/approval.h"
#include "records.h"

struct decision {
	bool reject;
	const char *reason;
};

static int approve_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	static const char *const kinds[] = { "deal", "quote", "contract", "approval", NULL };
	const struct decision *d = arg;
	bool ok = false;
	for (int i = 0; kinds[i]; i++)
		ok = ok || !strcmp(t->name, kinds[i]);
	if (!ok)
		return crm_error(c, line ? CRM_BADINPUT : CRM_USAGE, "approvals are for deals, quotes and "
				 "contracts, not %ss (deal:ID, quote:ID, contract:ID, or approval:ID for one step)",
				 t->name);
	return approval_decide(c, t, id, d->reject, d->reason);
}

static bool bare_id(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static int approve_exec(struct crm *c, struct args *a)
{
	if (arg_has(a, "pending")) {
		if (a->argc || arg_has(a, "reject"))
			return cmd_usage_error(c, "--pending lists the requests: it takes no records");
		struct query q = { .status = "pending" };
		rec_columns(c, type_find(c, "approval"));
		return approval_list(c, &q, false);
	}
	struct decision d = { arg_has(a, "reject"), arg_get(a, "reason") };
	if (d.reason && !d.reject)
		return cmd_usage_error(c, "--reason goes with --reject");
	if (d.reject && (!d.reason || !*d.reason))
		return cmd_usage_error(c, "--reject needs --reason (say why)");
	if (!a->argc && !input_piped())
		return cmd_usage_error(c, "which record? crm approve deal:ID|quote:ID|contract:ID (or --pending)");
	/* a bare id is a deal's, as in the first wave */
	char **ids = xcalloc(a->argc + 1, sizeof(char *));
	for (int i = 0; i < a->argc; i++)
		ids[i] = bare_id(a->argv[i]) ? xasprintf("deal:%s", a->argv[i]) : xstrdup(a->argv[i]);
	rec_columns(c, type_find(c, "approval"));
	/* who may decide is the steps' say (holding the next one, not owning
	 * the record), not visibility: legal approves deals it cannot list */
	c->system++;
	int rc = input_each(c, a->argc, ids, NULL, approve_one, &d);
	c->system--;
	for (int i = 0; i < a->argc; i++)
		free(ids[i]);
	free(ids);
	return rc;
}

static const struct opt approve_opts[] = {
	{ "pending", 0, NULL, "list the approval steps waiting (crm approval list --pending)", false },
	{ "reject", 0, NULL, "reject the step instead (needs --reason)", false },
	{ "reason", 0, "TEXT", "why it is rejected", false },
	OPT_END
};

static const struct cmd_verb approve_verbs[] = {
	{ "", "[--reject --reason TEXT] ENTITY ... | --pending",
	  "decide the next approval step of deals, quotes or contracts (ids, or JSON lines on stdin), "
	  "or list the pending steps",
	  approve_opts, DB_WRITE, 0, -1, approve_exec, VERB_SERVER },
	{ NULL }
};

const struct cmd_entry cmd_approve_entry = {
	.name = "approve",
	.summary = "approve (or reject) deals, quotes and contracts that need it",
	.verbs = approve_verbs,
	.description = "ENTITY is deal:ID, quote:ID or contract:ID (a bare id is a deal), or approval:ID\n"
		       "for one step; JSON lines on stdin (crm approval list --mine | crm approve) work\n"
		       "too. Each call decides the next pending step of the record: its steps are\n"
		       "config approval.TYPE.steps (deal, quote, contract), roles or user names in\n"
		       "order, default manager; the user must hold the step (with no users, anyone\n"
		       "does) and must not own the record (exit 5); a step that is not the next one\n"
		       "exits 4. --reject --reason T rejects it: a contract goes back to draft, the\n"
		       "steps after it are void. What asks for approval:\n"
		       "  deals: with config approval.amount_over set, moving a deal above it into\n"
		       "    negotiation or won (config approval.stages) exits 4 and asks; a deal\n"
		       "    over it may be approved ahead of the move; the next move that needs an\n"
		       "    approval uses it up.\n"
		       "  quotes: 'crm quote send' when a discount is over approval.discount_over.\n"
		       "  contracts: 'crm contract submit' when the amount is over\n"
		       "    approval.contract.amount_over.\n"
		       "An approval is for the amount it saw: raising a deal's or quote's amount or\n"
		       "discount afterwards, or changing a contract, voids it. Approvals are records\n"
		       "(crm approval list), and in 'crm history ENTITY' and 'crm log'.",
};
