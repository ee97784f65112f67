/* order.c: the order type (order.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/money.h"
#include "base/sbuf.h"
#include "cash/common.h"
#include "cash/order.h"
#include "cash/price.h"
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

/* A percentage column (NULL: 0) as price.h reads it. */
static int column_pct(struct db_stmt *st, int i, int *bp)
{
	*bp = 0;
	return db_column_type(st, i) == DB_NULL ? 0 : price_parse_pct((const char *)db_column_text(st, i), bp);
}

/* A JSON number of an exact decimal: v / 10^places, trailing zeros dropped. */
static void add_decimal(struct sbuf *b, long long v, int places)
{
	long long unit = 1;
	for (int i = 0; i < places; i++)
		unit *= 10;
	sbuf_addf(b, "%lld", v / unit);
	long long frac = v % unit;
	if (!frac)
		return;
	char digits[24];
	snprintf(digits, sizeof(digits), "%0*lld", places, frac);
	for (int n = places; n > 0 && digits[n - 1] == '0'; n--)
		digits[n - 1] = 0;
	sbuf_addf(b, ".%s", digits);
}

static void add_json_text(struct sbuf *b, const char *key, const char *v)
{
	sbuf_addf(b, ",\"%s\":", key);
	if (!v) {
		sbuf_add(b, "null");
		return;
	}
	cJSON *s = cJSON_CreateString(v);
	char *q = cJSON_PrintUnformatted(s);
	sbuf_add(b, q);
	cJSON_free(q);
	cJSON_Delete(s);
}

/* The live lines of quote q as an order keeps them, a JSON array (newly
 * allocated; "[]" for none): each line's number, product, name, unit,
 * quantity, unit price and total, worked out by price.h. NULL with the
 * error recorded when a line cannot be read or priced. */
static char *quote_lines_json(struct crm *c, long long q)
{
	struct db_stmt *st = db_stmt(c, "SELECT l.line_no, l.product_id, l.sku, l.name, l.unit, l.qty, l.price, "
				      "l.discount, q.discount, l.tax_rate, q.tax_included FROM quote_line AS l "
				      "JOIN quote AS q ON q.id = l.quote_id WHERE l.quote_id = ? AND l.deleted_at IS NULL "
				      "ORDER BY l.line_no");
	if (!st)
		return NULL;
	db_bind_int64(st, 1, q);
	struct sbuf b = { 0 };
	sbuf_add(&b, "[");
	int rc, n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		struct price_line l = { 0 };
		struct price_amounts a;
		int qdisc;
		const char *qty = db_column_type(st, 5) == DB_NULL ? "1" : (const char *)db_column_text(st, 5);
		l.price = db_column_int64(st, 6);
		if (price_parse_qty(qty, &l.qty_milli) || column_pct(st, 7, &l.discount_bp) || column_pct(st, 8, &qdisc)
		    || column_pct(st, 9, &l.tax_bp)
		    || price_line_amounts(&l, qdisc, db_column_type(st, 10) == DB_NULL || db_column_int64(st, 10), &a)) {
			db_reset(st);
			sbuf_release(&b);
			crm_error(c, CRM_BADINPUT, "quote:%lld: a line's quantity, price, discount or tax rate is out of "
				  "range", q);
			return NULL;
		}
		char money[MONEY_BUFSZ];
		sbuf_addf(&b, "%s{\"line_no\":%lld,\"product_id\":", n++ ? "," : "", db_column_int64(st, 0));
		if (db_column_type(st, 1) == DB_NULL)
			sbuf_add(&b, "null");
		else
			sbuf_addf(&b, "%lld", db_column_int64(st, 1));
		add_json_text(&b, "sku", (const char *)db_column_text(st, 2));
		add_json_text(&b, "name", (const char *)db_column_text(st, 3));
		add_json_text(&b, "unit", (const char *)db_column_text(st, 4));
		sbuf_add(&b, ",\"qty\":");
		add_decimal(&b, l.qty_milli, 3);
		sbuf_addf(&b, ",\"price\":%s", money_format(l.price, money));
		sbuf_addf(&b, ",\"amount\":%s}", money_format(a.total, money));
	}
	db_reset(st);
	if (rc != DB_DONE) {
		sbuf_release(&b);
		crm_dberror(c, rc, "reading the quote's lines");
		return NULL;
	}
	sbuf_add(&b, "]");
	return b.s;
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
		char *lines = quote_lines_json(c, k.quote_id);
		if (!lines)
			return c->errcode;
		if (strcmp(lines, "[]"))
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
