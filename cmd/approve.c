/* approve.c: crm approve deal:ID | --pending */
#include <string.h>

#include "core/input.h"
#include "sales/approval.h"

static int approve_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	if (strcmp(t->name, "deal"))
		return crm_error(c, line ? CRM_BADINPUT : CRM_USAGE, "approvals are for deals, not %ss (deal:ID)",
				 t->name);
	return approval_approve(c, id);
}

static int approve_exec(struct crm *c, struct args *a)
{
	if (arg_has(a, "pending")) {
		if (a->argc)
			return cmd_usage_error(c, "--pending takes no deals");
		return approval_list_pending(c);
	}
	if (!a->argc && !input_piped())
		return cmd_usage_error(c, "which deal? crm approve deal:ID (or --pending)");
	return input_each(c, a->argc, a->argv, "deal", approve_one, NULL);
}

static const struct opt approve_opts[] = {
	{ "pending", 0, NULL, "list the approval requests waiting", false },
	OPT_END
};

static const struct cmd_verb approve_verbs[] = {
	{ "", "deal:ID ... | --pending", "approve deals' pending (or next) stage moves (ids, or JSON lines on stdin), or list pending requests",
	  approve_opts, DB_WRITE, 0, -1, approve_exec },
	{ NULL }
};

const struct cmd_entry cmd_approve_entry = {
	.name = "approve",
	.summary = "approve deals that need it before a stage move",
	.verbs = approve_verbs,
	.description = "With config approval.amount_over set (an amount), moving a deal above it into\n"
		       "negotiation or won (config approval.stages to change the list) fails with\n"
		       "exit 4 and records a request. Any user other than the deal's owner approves\n"
		       "it (the owner gets exit 5), before the move or after the request; the next\n"
		       "move that needs one then goes through and uses the approval. Approvals are\n"
		       "in 'crm history deal:ID' and 'crm log'.",
};
