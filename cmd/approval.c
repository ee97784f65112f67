/* approval.c: crm approval list|show|update|rm */
#include "core/input.h"
#include "core/query.h"
#include "sales/approval.h"
#include "records.h"

static int list_exec(struct crm *c, struct args *a)
{
	struct query q;
	if (query_from_args(c, a, &q))
		return c->errcode;
	if (arg_has(a, "pending") || arg_has(a, "mine")) {
		if (q.status)
			return cmd_usage_error(c, "--pending and --mine are --status pending already");
		q.status = "pending";
	}
	rec_columns(c, type_find(c, "approval"));
	return approval_list(c, &q, arg_has(a, "mine"));
}

static int show_exec(struct crm *c, struct args *a) { return rec_show(c, a, "approval"); }
static int update_exec(struct crm *c, struct args *a) { return rec_update(c, a, "approval"); }

static int rm_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	int rc = record_check_fresh(c, t, id, line);
	return rc ? rc : approval_withdraw(c, id, *(bool *)arg);
}

static int rm_exec(struct crm *c, struct args *a)
{
	bool purge = arg_has(a, "purge");
	rec_columns(c, type_find(c, "approval"));
	return input_each(c, a->argc, a->argv, "approval", rm_one, &purge);
}

static const struct opt list_opts[] = {
	LIST_OPTS,
	{ "pending", 0, NULL, "only the steps waiting for a decision", false },
	{ "mine", 0, NULL, "only the steps the acting user can decide now (the next step of a record "
	  "they do not own, which they hold)", false },
	OPT_END
};

static const struct cmd_verb approval_verbs[] = {
	{ "list", "[--pending] [--mine] [--where EXPR] [--status S] [--since D] [--sort F] [--limit N]",
	  "list approval steps (exit 1 if none); --mine: what you can approve now", list_opts, DB_READ, 0, 0,
	  list_exec, VERB_SERVER },
	{ "show", "[ID ...]", "print approvals by id, or the ids in JSON lines on stdin", NULL, DB_READ, 0, -1,
	  show_exec, VERB_SERVER },
	{ "update", "[ID ...] reason=TEXT", "change the reason of approvals (the rest is crm's)", NULL,
	  DB_WRITE, 1, -1, update_exec, VERB_SERVER },
	{ "rm", "[--purge] [ID ...]", "withdraw pending approval steps (decided ones stay)", rec_rm_opts, DB_WRITE,
	  0, -1, rm_exec, VERB_SERVER },
	{ NULL }
};

const struct cmd_entry cmd_approval_entry = {
	.name = "approval",
	.summary = "approval steps of deals, quotes and contracts: what waits for whom",
	.verbs = approval_verbs,
	.description = "An approval is one step of a record's approval: {\"type\":\"approval\",\n"
		       "\"entity\":\"contract:3\",\"step\":1,\"role\":\"manager\",\"status\":\"pending\",\n"
		       "\"by\":\"dave\",\"at\":...,\"reason\":...}, also with the amount (and a quote's\n"
		       "discount) it saw, requested_by, and for a deal its stage, deal_id and deal.\n"
		       "status: pending, approved, rejected, used (a deal's move took it), void (the\n"
		       "amount was raised or the record changed after it, or an earlier step was\n"
		       "rejected). They are asked for by crm stage move, crm quote send and\n"
		       "crm contract submit, and decided with crm approve; there is no add.\n"
		       "  crm approval list --mine | crm approve     approve all you can, in a pipe",
};
