/* payment.c: crm payment add|list|show|update|rm */
#include "records.h"

static int payment_list_exec(struct crm *c, struct args *a) { return rec_list(c, a, "payment"); }
static int payment_show_exec(struct crm *c, struct args *a) { return rec_show(c, a, "payment"); }
static int payment_update_exec(struct crm *c, struct args *a) { return rec_update(c, a, "payment"); }
static int payment_rm_exec(struct crm *c, struct args *a) { return rec_rm(c, a, "payment"); }

static int payment_add_exec(struct crm *c, struct args *a)
{
	static const char *const map[] = { "contract", "contract_id", "plan", "installment", "force", "forced", NULL };
	return rec_add_map(c, a, "payment", map, 0);
}

static const struct opt add_opts[] = {
	ADD_OPTS,
	{ "contract", 0, "ID|NUMBER", "the signed contract paid on (its number from a bank statement works)", false },
	{ "plan", 0, "N", "apply it to instalment N first (else to the unpaid plans in due order)", false },
	{ "amount", 0, "AMOUNT", "how much came in (money)", false },
	{ "date", 0, "DATE", "when it came in (default today)", false },
	{ "force", 0, NULL, "record it even if it is more than the contract has still to receive (audited)", false },
	OPT_END
};

static const struct cmd_verb payment_verbs[] = {
	{ "add", "--contract ID amount=... [date=D] [method=...] [--plan N] [reference=...] [--force]",
	  "record a payment received on a signed contract", add_opts, DB_WRITE, 0, -1, payment_add_exec, VERB_SERVER },
	{ "list", "[--where EXPR] [--owner U] [--since D] [--sort F] [--limit N]",
	  "list payments matching the filters (exit 1 if none)",
	  rec_list_opts, DB_READ, 0, 0, payment_list_exec, VERB_SERVER },
	{ "show", "[ID ...]", "print payments by id, or the ids in JSON lines on stdin", NULL, DB_READ, 0, -1,
	  payment_show_exec, VERB_SERVER },
	{ "update", "[ID ...] FIELD=VALUE ...", "change payments (applied to the plans again)", NULL, DB_WRITE, 1,
	  -1, payment_update_exec, VERB_SERVER },
	{ "rm", "[--purge] [ID ...]", "remove payments: their application to the plans is undone", rec_rm_opts,
	  DB_WRITE, 0, -1, payment_rm_exec, VERB_SERVER },
	{ NULL }
};

const struct cmd_entry cmd_payment_entry = {
	.name = "payment",
	.summary = "payments received (回款), applied to the payment plans",
	.verbs = payment_verbs,
	.description = "Payment fields: number (回款编号, HK-YYYY-NNNN unless given), contract_id\n"
		       "(合同编号: an id or the contract's number), installment (--plan N), amount\n"
		       "(回款金额), currency (the contract's), date (回款日期, default today), method,\n"
		       "reference, payer, forced, owner, note; computed: contract_number, applied\n"
		       "(the plans it went to: [{\"plan_id\",\"installment\",\"amount\"}]).\n"
		       "A payment goes to its instalment first (--plan N), then to the contract's\n"
		       "other unpaid plans in due order; what is left stays on the contract. More\n"
		       "than the contract has still to receive exits 4 unless --force (forced=1,\n"
		       "in the audit log). Removing a payment undoes its application. Event:\n"
		       "payment.received (a hook on-payment.received can tell a finance system).\n"
		       "  crm import payments 银行流水.xlsx   (合同编号 回款金额 回款日期 ...)",
};
