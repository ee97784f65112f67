/* product.c: the product type: a SKU unique among live products, a
 * price (tax included unless config tax.included is false), a tax rate
 * in percent (default 13), a unit (default 套). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cash/common.h"
#include "cash/product.h"
#include "core/db.h"

static const struct field product_fields[] = {
	FIELD_ID,
	{ "sku", FK_TEXT, FF_REQUIRED | FF_KEY | FF_SEARCH | FF_LIST, NULL, NULL, "产品编号", NULL },
	{ "name", FK_TEXT, FF_REQUIRED | FF_SEARCH | FF_LIST, NULL, NULL, "产品名称", NULL },
	{ "category", FK_TEXT, FF_LIST, NULL, NULL, "产品分类", NULL },
	{ "unit", FK_TEXT, FF_LIST, NULL, NULL, "单位", "套" },
	{ "price", FK_MONEY, FF_REQUIRED | FF_LIST, NULL, NULL, "单价", NULL },
	{ "currency", FK_TEXT, 0, NULL, NULL, "币种", NULL },
	{ "tax_rate", FK_NUMBER, FF_LIST, NULL, NULL, "税率", "13" },
	{ "status", FK_ENUM, FF_LIST, "active,inactive", NULL, "状态", "active" },
	{ "description", FK_TEXT, FF_SEARCH, NULL, NULL, "产品描述", NULL },
	FIELD_TAGS, FIELD_NOTE, FIELD_STAMPS,
};

static int product_fill_check(struct crm *c, const struct type *t, struct rec *r, unsigned flags)
{
	(void)t;
	(void)flags;
	int bp;
	const char *price = rec_get(r, "price");
	if (price && strtoll(price, NULL, 10) < 0)
		return crm_error(c, CRM_BADINPUT, "price: a price cannot be negative");
	return cash_pct(c, "tax_rate", rec_get(r, "tax_rate"), &bp);
}

static int product_updated(struct crm *c, const struct type *t, long long id, const cJSON *before,
			   const cJSON *after, unsigned flags)
{
	(void)t;
	(void)id;
	(void)before;
	(void)flags;
	const cJSON *price = cJSON_GetObjectItem(after, "price");
	if (cJSON_IsNumber(price) && price->valuedouble < 0)
		return crm_error(c, CRM_BADINPUT, "price: a price cannot be negative");
	const cJSON *rate = cJSON_GetObjectItem(after, "tax_rate");
	int bp;
	char buf[32];
	const char *text = cJSON_IsNumber(rate) ? cash_given(after, "tax_rate", buf, sizeof(buf)) : NULL;
	return cash_pct(c, "tax_rate", text, &bp);
}

static const struct type_ops product_ops = {
	.fill = product_fill_check,
	.updated = product_updated,
};

const struct type product_type = {
	"product", "products", 9, TYPE_FIELDS(product_fields), false, &product_ops, NULL, NULL, NULL,
};

int product_find(struct crm *c, const char *sku_or_id, long long *id)
{
	*id = db_get_int(c, "SELECT id FROM product WHERE sku = ? AND deleted_at IS NULL", sku_or_id, 0);
	if (*id)
		return CRM_OK;
	char *end;
	long long n = strtoll(sku_or_id, &end, 10);
	if (end != sku_or_id && !*end && n > 0) {
		char idtxt[24];
		snprintf(idtxt, sizeof(idtxt), "%lld", n);
		*id = db_get_int(c, "SELECT id FROM product WHERE id = ? AND deleted_at IS NULL", idtxt, 0);
	}
	if (*id)
		return CRM_OK;
	return crm_error(c, CRM_BADINPUT, "product: no product with SKU or id '%s'", sku_or_id);
}
