/* product.c: crm product add|list|show|update|rm */
#include "records.h"

RECORD_HANDLERS(product)

static const struct opt add_opts[] = {
	ADD_OPTS,
	{ "name", 0, "NAME", "the product's name (产品名称)", false },
	{ "sku", 0, "SKU", "its code, unique among products (产品编号)", false },
	{ "price", 0, "PRICE", "unit price (money: 12800, 1.28万)", false },
	{ "tag", 0, "TAG", "a tag", true },
	OPT_END
};

static const struct cmd_verb product_verbs[] = {
	RECORD_VERBS_FLAGS(product, add_opts, rec_list_opts, rec_rm_opts, VERB_SERVER),
	{ NULL }
};

const struct cmd_entry cmd_product_entry = {
	.name = "product",
	.summary = "products: what quotes are made of (产品)",
	.verbs = product_verbs,
	.description = "Product fields: sku (required, unique among live products; a quote line,\n"
		       "an import and any reference may give it instead of the id), name\n"
		       "(required), category, unit (default 套), price (required, money, tax\n"
		       "included unless config tax.included is false), currency, tax_rate\n"
		       "(percent, default 13), status (active, inactive: not quoted any more, exit\n"
		       "4; the quotes that have it keep it), description, tags, note.\n"
		       "  crm product add name=企业版 sku=CRM-ENT price=12800 unit=套 tax_rate=13\n"
		       "  crm import products 产品.xlsx     (产品编号 产品名称 单价 单位 税率 ...)",
};
