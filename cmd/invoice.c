/* invoice.c: crm invoice add|list|show|update|rm|issue|void */
#include "cash/invoice.h"
#include "records.h"

static int invoice_list_exec(struct crm *c, struct args *a) { return rec_list(c, a, "invoice"); }
static int invoice_show_exec(struct crm *c, struct args *a) { return rec_show(c, a, "invoice"); }
static int invoice_update_exec(struct crm *c, struct args *a) { return rec_update(c, a, "invoice"); }
static int invoice_rm_exec(struct crm *c, struct args *a) { return rec_rm(c, a, "invoice"); }

static int invoice_add_exec(struct crm *c, struct args *a)
{
	static const char *const map[] = { "contract", "contract_id", NULL };
	return rec_add_map(c, a, "invoice", map, 0);
}

static int issue_one(struct crm *c, long long id, const struct args *a)
{
	return invoice_issue(c, id, arg_get(a, "date"));
}

static int void_one(struct crm *c, long long id, const struct args *a)
{
	return invoice_void(c, id, arg_get(a, "reason"));
}

static int issue_exec(struct crm *c, struct args *a) { return rec_each(c, a, "invoice", issue_one); }
static int void_exec(struct crm *c, struct args *a) { return rec_each(c, a, "invoice", void_one); }

static const struct opt add_opts[] = {
	ADD_OPTS,
	{ "contract", 0, "ID|NUMBER", "the signed contract it is for", false },
	{ "amount", 0, "AMOUNT", "the invoice's amount (money)", false },
	OPT_END
};

static const struct opt issue_opts[] = {
	{ "date", 0, "DATE", "the day it is issued (default today)", false },
	OPT_END
};

static const struct opt void_opts[] = {
	{ "reason", 0, "TEXT", "why it is void", false },
	OPT_END
};

static const struct cmd_verb invoice_verbs[] = {
	{ "add", "--contract ID amount=... [kind=普通发票|专用发票] [title=...] [tax_number=...]",
	  "add a draft invoice for a signed contract", add_opts, DB_WRITE, 0, -1, invoice_add_exec, VERB_SERVER },
	{ "list", "[--where EXPR] [--owner U] [--status S] [--since D] [--sort F] [--limit N]",
	  "list invoices matching the filters (exit 1 if none)",
	  rec_list_opts, DB_READ, 0, 0, invoice_list_exec, VERB_SERVER },
	{ "show", "[ID ...]", "print invoices by id, or the ids in JSON lines on stdin", NULL, DB_READ, 0, -1,
	  invoice_show_exec, VERB_SERVER },
	{ "update", "[ID ...] FIELD=VALUE ...", "change draft invoices",
	  NULL, DB_WRITE, 1, -1, invoice_update_exec, VERB_SERVER },
	{ "rm", "[--purge] [ID ...]", "remove invoices (crm restore brings them back unless --purge)", rec_rm_opts,
	  DB_WRITE, 0, -1, invoice_rm_exec, VERB_SERVER },
	{ "issue", "[--date D] [ID ...]", "issue draft invoices (not beyond the contract's amount)", issue_opts,
	  DB_WRITE, 0, -1, issue_exec, VERB_SERVER },
	{ "void", "[--reason TEXT] [ID ...]", "void issued invoices",
	  void_opts, DB_WRITE, 0, -1, void_exec, VERB_SERVER },
	{ NULL }
};

const struct cmd_entry cmd_invoice_entry = {
	.name = "invoice",
	.summary = "invoices (发票): draft, issued, void",
	.verbs = invoice_verbs,
	.description = "Invoice fields: number (发票号码, FP-YYYY-NNNN unless given), contract_id,\n"
		       "amount, currency (the contract's), kind (普通发票 default, 专用发票), title\n"
		       "(发票抬头, default the account's name), tax_number (纳税人识别号), status,\n"
		       "issued_at, voided_at, void_reason, owner, note.\n"
		       "Status: draft -> issued -> void. The issued invoices of a contract may not add\n"
		       "up to more than its amount: checked when one is issued (exit 4). A 专用发票\n"
		       "is issued only with its tax_number (exit 3; the draft may wait for it).\n"
		       "Only a draft is edited. Events: invoice.issued, invoice.voided.",
};
