/* contract.c: crm contract add|list|show|update|rm|submit|sign|terminate|renew */
#include "cash/contract.h"
#include "records.h"

static int contract_list_exec(struct crm *c, struct args *a) { return rec_list(c, a, "contract"); }
static int contract_show_exec(struct crm *c, struct args *a) { return rec_show(c, a, "contract"); }
static int contract_update_exec(struct crm *c, struct args *a) { return rec_update(c, a, "contract"); }
static int contract_rm_exec(struct crm *c, struct args *a) { return rec_rm(c, a, "contract"); }

static int contract_add_exec(struct crm *c, struct args *a)
{
	static const char *const map[] = { "quote", "quote_id", "deal", "deal_id", "number", "number", NULL };
	if (arg_has(a, "quote") && arg_has(a, "deal"))
		return cmd_usage_error(c, "--quote or --deal, not both (a quote names its deal)");
	return rec_add_map(c, a, "contract", map, 0);
}

static int submit_one(struct crm *c, long long id, const struct args *a) { return contract_submit(c, id); }
static int renew_one(struct crm *c, long long id, const struct args *a) { return contract_renew(c, id); }
static int sign_one(struct crm *c, long long id, const struct args *a)
{
	return contract_sign(c, id, arg_get(a, "date"));
}
static int terminate_one(struct crm *c, long long id, const struct args *a)
{
	return contract_terminate(c, id, arg_get(a, "reason"));
}

static int submit_exec(struct crm *c, struct args *a) { return rec_each(c, a, "contract", submit_one); }
static int sign_exec(struct crm *c, struct args *a) { return rec_each(c, a, "contract", sign_one); }
static int renew_exec(struct crm *c, struct args *a) { return rec_each(c, a, "contract", renew_one); }

static int terminate_exec(struct crm *c, struct args *a)
{
	const char *reason = arg_get(a, "reason");
	if (!reason || !*reason)
		return cmd_usage_error(c, "--reason is needed (why is it terminated?)");
	return rec_each(c, a, "contract", terminate_one);
}

static const struct opt add_opts[] = {
	ADD_OPTS,
	{ "quote", 0, "ID", "from this accepted quote: its deal, total and currency", false },
	{ "deal", 0, "ID", "from this deal (give amount=...)", false },
	{ "number", 0, "HT-...", "its number (default HT-YYYY-NNNN)", false },
	{ "owner", 0, "USER", "who owns it (default: the deal's owner)", false },
	{ "tag", 0, "TAG", "a tag", true },
	OPT_END
};

static const struct opt sign_opts[] = {
	{ "date", 0, "DATE", "the day it was signed (default today)", false },
	OPT_END
};

static const struct opt terminate_opts[] = {
	{ "reason", 0, "TEXT", "why it ends early (required)", false },
	OPT_END
};

static const struct cmd_verb contract_verbs[] = {
	{ "add", "(--quote ID | --deal ID amount=...) start=D end=D [number=...] [FIELD=VALUE ...]",
	  "add a draft contract from an accepted quote or a deal",
	  add_opts, DB_WRITE, 0, -1, contract_add_exec, VERB_SERVER },
	{ "list", "[--where EXPR] [--owner U] [--status S] [--since D] [--sort F] [--limit N]",
	  "list contracts matching the filters (exit 1 if none)",
	  rec_list_opts, DB_READ, 0, 0, contract_list_exec, VERB_SERVER },
	{ "show", "[ID ...]", "print contracts by id, or the ids in JSON lines on stdin", NULL, DB_READ, 0, -1,
	  contract_show_exec, VERB_SERVER },
	{ "update", "[ID ...] FIELD=VALUE ...", "change fields of draft contracts (voids their approvals)",
	  add_opts, DB_WRITE, 1, -1, contract_update_exec, VERB_SERVER },
	{ "rm", "[--purge] [ID ...]", "remove contracts without payments or issued invoices",
	  rec_rm_opts, DB_WRITE, 0, -1, contract_rm_exec, VERB_SERVER },
	{ "submit", "[ID ...]", "submit drafts for approval (straight to approved under the threshold)",
	  NULL, DB_WRITE, 0, -1, submit_exec, VERB_SERVER },
	{ "sign", "[--date D] [ID ...]", "sign approved contracts: their deals move to the won stage",
	  sign_opts, DB_WRITE, 0, -1, sign_exec, VERB_SERVER },
	{ "terminate", "--reason TEXT [ID ...]", "end signed contracts early", terminate_opts, DB_WRITE, 0, -1,
	  terminate_exec, VERB_SERVER },
	{ "renew", "[ID ...]", "make the renewal deal (续约: NAME, same account and amount, renewal_of)",
	  NULL, DB_WRITE, 0, -1, renew_exec, VERB_SERVER },
	{ NULL }
};

const struct cmd_entry cmd_contract_entry = {
	.name = "contract",
	.summary = "contracts (合同): approval, signing, payments, invoices, renewal",
	.verbs = contract_verbs,
	.description = "Contract fields: number (合同编号, HT-YYYY-NNNN unless given; unique, and\n"
		       "a payment or an import may name the contract by it), name, deal_id,\n"
		       "account_id, quote_id, amount (a quote's total when made from one),\n"
		       "currency (its deal's, on update too), start, end, status,\n"
		       "signed_at, owner, tags, note; computed: received, unreceived, invoiced.\n"
		       "Status: draft -> pending -> approved -> signed, or back to draft when an\n"
		       "approver rejects; terminated (with a reason) from signed; a signed\n"
		       "contract reads expired from the day after its end. submit asks for approval\n"
		       "when the amount is over config approval.contract.amount_over: the steps are\n"
		       "config approval.contract.steps, roles or user names in order (default\n"
		       "manager), each approved by someone holding it who is not the owner (crm\n"
		       "approve contract:ID); under the threshold, or with it unset, submit\n"
		       "approves at once. Only a draft is editable (tags, note and owner change in\n"
		       "any status), and any edit voids the earlier approvals: the next submit starts\n"
		       "at step 1 (after a rejection without an edit it asks for the steps not yet\n"
		       "approved). sign needs approved and moves\n"
		       "the deal to its won stage if it is open. Plans, payments, invoices and orders\n"
		       "need a signed contract. Events: contract.submitted, contract.approved,\n"
		       "contract.rejected, contract.signed, contract.expiring (config\n"
		       "renewal.remind_days, default 30, before the end; once, by crm automate tick).",
};
