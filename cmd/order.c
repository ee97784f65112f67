/* order.c: crm order add|list|show|update|rm */
#include "records.h"

static int order_list_exec(struct crm *c, struct args *a) { return rec_list(c, a, "order"); }
static int order_show_exec(struct crm *c, struct args *a) { return rec_show(c, a, "order"); }
static int order_update_exec(struct crm *c, struct args *a) { return rec_update(c, a, "order"); }
static int order_rm_exec(struct crm *c, struct args *a) { return rec_rm(c, a, "order"); }

static int order_add_exec(struct crm *c, struct args *a)
{
	static const char *const map[] = { "contract", "contract_id", NULL };
	return rec_add_map(c, a, "order", map, 0);
}

static const struct opt add_opts[] = {
	ADD_OPTS,
	{ "contract", 0, "ID|NUMBER", "the signed contract it delivers", false },
	{ "tag", 0, "TAG", "a tag", true },
	OPT_END
};

static const struct cmd_verb order_verbs[] = {
	{ "add", "--contract ID [FIELD=VALUE ...]", "add an order from a signed contract, with its quote's lines",
	  add_opts, DB_WRITE, 0, -1, order_add_exec, VERB_SERVER },
	{ "list", "[--where EXPR] [--owner U] [--status S] [--since D] [--sort F] [--limit N]",
	  "list orders matching the filters (exit 1 if none)",
	  rec_list_opts, DB_READ, 0, 0, order_list_exec, VERB_SERVER },
	{ "show", "[ID ...]", "print orders by id, or the ids in JSON lines on stdin", NULL, DB_READ, 0, -1,
	  order_show_exec, VERB_SERVER },
	{ "update", "[ID ...] status=delivering|delivered|cancelled ...", "change orders (ids, or JSON lines on stdin)",
	  NULL, DB_WRITE, 1, -1, order_update_exec, VERB_SERVER },
	{ "rm", "[--purge] [ID ...]", "remove orders (crm restore brings them back unless --purge)", rec_rm_opts,
	  DB_WRITE, 0, -1, order_rm_exec, VERB_SERVER },
	{ NULL }
};

const struct cmd_entry cmd_order_entry = {
	.name = "order",
	.summary = "orders (订单) of signed contracts: pending, delivering, delivered, cancelled",
	.verbs = order_verbs,
	.description = "Order fields: number (SO-YYYY-NNNN unless given), contract_id, account_id,\n"
		       "status, amount and currency (the contract's), lines (the quote's lines,\n"
		       "as JSON), delivered_at, owner, tags, note.\n"
		       "Status: pending -> delivering -> delivered, or cancelled from pending or\n"
		       "delivering (crm order update ID status=...); any other change exits 4\n"
		       "naming the allowed ones. Event: order.delivered.",
};
