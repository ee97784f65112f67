/* order.c: the order type (order.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cash/common.h"
#include "cash/order.h"
#include "core/db.h"

static const struct field order_fields[] = {
	FIELD_ID,
	{ "number", FK_TEXT, FF_KEY | FF_SEARCH | FF_LIST, NULL, NULL, "订单编号", NULL },
	{ "contract_id", FK_REF, FF_REQUIRED | FF_LIST | FF_PARENT, NULL, "contract", "合同编号", NULL },
	{ "account_id", FK_REF, 0, NULL, "account", "客户编号", NULL },
	{ "status", FK_ENUM, FF_LIST, "pending,delivering,delivered,cancelled", NULL, "状态", "pending" },
	{ "amount", FK_MONEY, FF_LIST, NULL, NULL, "订单金额", NULL },
	{ "currency", FK_TEXT, 0, NULL, NULL, "币种", NULL },
	{ "lines", FK_JSON, 0, NULL, NULL, "订单明细", NULL },
	{ "delivered_at", FK_TIME, FF_SYSTEM, NULL, NULL, "交付时间", NULL },
	{ "owner", FK_TEXT, FF_LIST, NULL, NULL, "负责人", NULL },
	FIELD_TAGS, FIELD_NOTE, FIELD_STAMPS,
};

static int order_check(struct crm *c, const struct type *t, const cJSON *fields, bool inserting, unsigned flags)
{
	(void)t;
	const char *status = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(fields, "status"));
	if (inserting && !(flags & REC_SYSTEM) && status && strcmp(status, "pending"))
		return crm_error(c, CRM_BADINPUT, "status: an order starts pending (then crm order update ID "
				 "status=delivering)");
	return CRM_OK;
}

static int order_fill(struct crm *c, const struct type *t, struct rec *r, unsigned flags)
{
	(void)t;
	(void)flags;
	struct cash_contract k;
	int rc = cash_contract_signed(c, cash_ref(r, "contract_id"), "an order", &k);
	if (rc)
		return rc;
	const char *cur = rec_get(r, "currency");
	if (cur && strcmp(cur, k.currency))
		return crm_error(c, CRM_BADINPUT, "currency: contract:%lld is in %s: its orders are too", k.id, k.currency);
	rec_set(r, "currency", k.currency);
	if (!rec_get(r, "account_id") && k.account_id)
		cash_set_int(r, "account_id", k.account_id);
	if (!rec_get(r, "owner") && *k.owner)
		rec_set(r, "owner", k.owner);
	if (!rec_get(r, "amount"))
		cash_set_money(r, "amount", k.amount);
	if (!rec_get(r, "lines") && k.quote_id) {
		/* the quote's lines, as they were agreed */
		char idtxt[24];
		snprintf(idtxt, sizeof(idtxt), "%lld", k.quote_id);
		char *lines = db_get_text(c, "SELECT json_group_array(json_object('line_no', l.line_no, 'product_id', "
					  "l.product_id, 'sku', l.sku, 'name', l.name, 'unit', l.unit, 'qty', l.qty, "
					  "'price', " CASH_SQL_MONEY_JSON("l.price") ", 'amount', "
					  CASH_SQL_MONEY_JSON("cash_line('total', l.qty, l.price, l.discount, q.discount, "
							      "l.tax_rate, q.tax_included)") ")) FROM (SELECT * FROM quote_line "
					  "WHERE quote_id = ?1 AND deleted_at IS NULL ORDER BY line_no) AS l "
					  "JOIN quote AS q ON q.id = l.quote_id", idtxt);
		if (lines && strcmp(lines, "[]"))
			rec_set(r, "lines", lines);
		free(lines);
	}
	return cash_number_fill(c, r, "SO");
}

/* Where an order may go from status. */
static const char *order_next(const char *status)
{
	if (!strcmp(status, "pending"))
		return "delivering,cancelled";
	if (!strcmp(status, "delivering"))
		return "delivered,cancelled";
	return "";
}

static bool allowed(const char *from, const char *to)
{
	const char *next = order_next(from);
	size_t n = strlen(to);
	for (const char *p = next; *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && !strncmp(p, to, n))
			return true;
		p += len + (p[len] == ',');
	}
	return false;
}

static int order_updated(struct crm *c, const struct type *t, long long id, const cJSON *before,
			 const cJSON *after, unsigned flags)
{
	if (flags & REC_SYSTEM)
		return CRM_OK;
	const char *from = cJSON_GetStringValue(cJSON_GetObjectItem(before, "status"));
	const char *to = cJSON_GetStringValue(cJSON_GetObjectItem(after, "status"));
	const cJSON *c0 = cJSON_GetObjectItem(before, "contract_id"), *c1 = cJSON_GetObjectItem(after, "contract_id");
	if (!cJSON_IsNumber(c1) || (cJSON_IsNumber(c0) && c0->valuedouble != c1->valuedouble))
		return crm_error(c, CRM_BADINPUT, "contract_id: an order stays with its contract");
	int rc = cash_currency_kept(c, before, after, "an order", "contract");
	if (rc)
		return rc;
	if (!from || !to || !strcmp(from, to))
		return CRM_OK;
	if (!allowed(from, to)) {
		const char *next = order_next(from);
		return crm_error(c, CRM_CONFLICT, "order:%lld is %s: it cannot become %s (from %s: %s)", id, from, to,
				 from, *next ? next : "nothing");
	}
	if (strcmp(to, "delivered"))
		return CRM_OK;
	char now[DATE_BUFSZ];
	cJSON *f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "delivered_at", date_format(date_now(), now));
	rc = record_update(c, t, id, f, REC_SYSTEM | REC_NO_RULES);
	cJSON_Delete(f);
	return rc;
}

static const struct type_ops order_ops = {
	.check = order_check,
	.fill = order_fill,
	.updated = order_updated,
};

static const struct type_event order_on_value[] = {
	{ "status", "delivered", "order.delivered" },
	{ NULL, NULL, NULL },
};

const struct type order_type = {
	"order", "orders", 12, TYPE_FIELDS(order_fields), false, &order_ops, NULL, order_on_value, NULL,
};
