/* quote.c: the quote and quote_line types and the quote verbs (quote.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/money.h"
#include "cash/common.h"
#include "cash/price.h"
#include "cash/product.h"
#include "cash/quote.h"
#include "core/config.h"
#include "core/db.h"
#include "io/out.h"
#include "sales/approval.h"

/* ---- the types ---- */

#define TODAY "substr(crm_now(), 1, 10)"
#define QUOTE_STATUS \
	"CASE WHEN r.status = 'sent' AND r.valid_until < " TODAY " THEN 'expired' ELSE r.status END"
#define QUOTE_SUM(kind) \
	"SELECT coalesce(sum(cash_line('" kind "', l.qty, l.price, l.discount, r.discount, l.tax_rate, " \
	"r.tax_included)), 0) FROM quote_line AS l WHERE l.quote_id = r.id AND l.deleted_at IS NULL"
#define OF_QUOTE(col) "(SELECT q." col " FROM quote AS q WHERE q.id = r.quote_id)"
#define LINE_AMOUNT(kind) \
	"cash_line('" kind "', r.qty, r.price, r.discount, " OF_QUOTE("discount") ", r.tax_rate, " \
	OF_QUOTE("tax_included") ")"

static const struct field quote_fields[] = {
	FIELD_ID,
	{ "number", FK_TEXT, FF_KEY | FF_SEARCH | FF_LIST, NULL, NULL, "报价单号", NULL },
	{ "deal_id", FK_REF, FF_REQUIRED | FF_LIST | FF_PARENT, NULL, "deal", "商机编号", NULL },
	{ "account_id", FK_REF, 0, NULL, "account", "客户编号", NULL },
	{ "contact_id", FK_REF, 0, NULL, "contact", "联系人编号", NULL },
	{ "version", FK_INT, FF_SYSTEM | FF_LIST, NULL, NULL, "版本", "1" },
	{ "revision_of", FK_REF, FF_SYSTEM, NULL, "quote", "原报价", NULL },
	{ "status", FK_ENUM, FF_LIST, "draft,sent,accepted,rejected,superseded", NULL, "状态", "draft",
	  QUOTE_STATUS },
	{ "valid_until", FK_DATE, FF_LIST, NULL, NULL, "有效期至", NULL },
	{ "discount", FK_NUMBER, 0, NULL, NULL, "整单折扣", NULL },
	{ "currency", FK_TEXT, 0, NULL, NULL, "币种", NULL },
	{ "tax_included", FK_INT, 0, "0..1", NULL, "含税", NULL },
	{ "amount_untaxed", FK_MONEY, FF_COMPUTED, NULL, NULL, "未税金额", NULL, QUOTE_SUM("untaxed") },
	{ "amount_tax", FK_MONEY, FF_COMPUTED, NULL, NULL, "税额", NULL, QUOTE_SUM("tax") },
	{ "amount_total", FK_MONEY, FF_COMPUTED | FF_LIST, NULL, NULL, "报价总额", NULL, QUOTE_SUM("total") },
	{ "owner", FK_TEXT, FF_LIST, NULL, NULL, "负责人", NULL },
	{ "sent_at", FK_TIME, FF_SYSTEM, NULL, NULL, "发送时间", NULL },
	{ "accepted_at", FK_TIME, FF_SYSTEM, NULL, NULL, "接受时间", NULL },
	FIELD_TAGS, FIELD_NOTE, FIELD_STAMPS,
};

static const struct field line_fields[] = {
	FIELD_ID,
	{ "quote_id", FK_REF, FF_REQUIRED | FF_LIST | FF_PARENT, NULL, "quote", "报价单编号", NULL },
	{ "line_no", FK_INT, FF_SYSTEM | FF_LIST, NULL, NULL, "行号", NULL },
	{ "product_id", FK_REF, 0, NULL, "product", "产品ID", NULL },
	{ "sku", FK_TEXT, FF_LIST, NULL, NULL, "产品编号", NULL },
	{ "name", FK_TEXT, FF_LIST, NULL, NULL, "产品名称", NULL },
	{ "unit", FK_TEXT, FF_LIST, NULL, NULL, "单位", NULL },
	{ "qty", FK_NUMBER, FF_LIST, NULL, NULL, "数量", "1" },
	{ "price", FK_MONEY, FF_LIST, NULL, NULL, "单价", NULL },
	{ "discount", FK_NUMBER, FF_LIST, NULL, NULL, "折扣", NULL },
	{ "tax_rate", FK_NUMBER, 0, NULL, NULL, "税率", NULL },
	{ "amount_untaxed", FK_MONEY, FF_COMPUTED, NULL, NULL, "未税金额", NULL, LINE_AMOUNT("untaxed") },
	{ "amount_tax", FK_MONEY, FF_COMPUTED, NULL, NULL, "税额", NULL, LINE_AMOUNT("tax") },
	{ "amount_total", FK_MONEY, FF_COMPUTED | FF_LIST, NULL, NULL, "价税合计", NULL, LINE_AMOUNT("total") },
	FIELD_NOTE, FIELD_STAMPS,
};

/* ---- cash_line() for SQL ---- */

static int value_pct(sqlite3_value *v, int *bp)
{
	*bp = 0;
	if (sqlite3_value_type(v) == SQLITE_NULL)
		return 0;
	return price_parse_pct((const char *)sqlite3_value_text(v), bp);
}

static void fn_cash_line(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *kind = (const char *)sqlite3_value_text(argv[0]);
	struct price_line l = { 0 };
	int qdisc;
	if (sqlite3_value_type(argv[2]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	const char *qty = sqlite3_value_type(argv[1]) == SQLITE_NULL ? "1" : (const char *)sqlite3_value_text(argv[1]);
	l.price = sqlite3_value_int64(argv[2]);
	struct price_amounts a;
	if (!kind || price_parse_qty(qty, &l.qty_milli) || value_pct(argv[3], &l.discount_bp)
	    || value_pct(argv[4], &qdisc) || value_pct(argv[5], &l.tax_bp)
	    || price_line_amounts(&l, qdisc, sqlite3_value_type(argv[6]) == SQLITE_NULL || sqlite3_value_int(argv[6]),
				  &a)) {
		sqlite3_result_error(ctx, "cash_line: a quote line's quantity, price, discount or tax rate is out of range",
				     -1);
		return;
	}
	long long v = !strcmp(kind, "net") ? a.net : !strcmp(kind, "untaxed") ? a.untaxed
		    : !strcmp(kind, "tax") ? a.tax : a.total;
	sqlite3_result_int64(ctx, v);
}

int quote_sql_register(struct crm *c)
{
	int rc = sqlite3_create_function(c->db, "cash_line", 7, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
					 NULL, fn_cash_line, NULL, NULL);
	return rc == DB_OK ? CRM_OK : crm_dberror(c, rc, "registering cash_line()");
}

/* ---- sums ---- */

int quote_sums(struct crm *c, long long id, struct quote_sums *s)
{
	memset(s, 0, sizeof(*s));
	struct db_stmt *st = db_stmt(c, "SELECT coalesce(sum(cash_line('untaxed', l.qty, l.price, l.discount, q.discount, "
				      "l.tax_rate, q.tax_included)), 0), coalesce(sum(cash_line('tax', l.qty, l.price, "
				      "l.discount, q.discount, l.tax_rate, q.tax_included)), 0), coalesce(sum(cash_line("
				      "'total', l.qty, l.price, l.discount, q.discount, l.tax_rate, q.tax_included)), 0), "
				      "count(l.id), max(coalesce(l.discount, 0)), max(q.discount) FROM quote AS q LEFT JOIN "
				      "quote_line AS l ON l.quote_id = q.id AND l.deleted_at IS NULL WHERE q.id = ?");
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		s->untaxed = db_column_int64(st, 0);
		s->tax = db_column_int64(st, 1);
		s->total = db_column_int64(st, 2);
		s->lines = db_column_int(st, 3);
		int a = 0, b = 0;
		if (db_column_type(st, 4) != DB_NULL)
			price_parse_pct((const char *)db_column_text(st, 4), &a);
		if (db_column_type(st, 5) != DB_NULL)
			price_parse_pct((const char *)db_column_text(st, 5), &b);
		s->max_discount_bp = a > b ? a : b;
	}
	db_reset(st);
	return rc == DB_ROW ? CRM_OK : crm_dberror(c, rc, "quote");
}

/* "12.5" for 1250 basis points. */
static char *pct_text(int bp, char *buf, size_t n)
{
	if (bp % 100 == 0)
		snprintf(buf, n, "%d", bp / 100);
	else if (bp % 10 == 0)
		snprintf(buf, n, "%d.%d", bp / 100, bp % 100 / 10);
	else
		snprintf(buf, n, "%d.%02d", bp / 100, bp % 100);
	return buf;
}

/* After a draft's lines or discount changed: an approval given for less
 * (a lower total, a smaller discount) no longer holds. */
static int quote_changed(struct crm *c, long long id)
{
	struct quote_sums s;
	int rc = quote_sums(c, id, &s);
	if (rc)
		return rc;
	char ent[64], pct[16], buf[MONEY_BUFSZ];
	snprintf(ent, sizeof(ent), "quote:%lld", id);
	pct_text(s.max_discount_bp, pct, sizeof(pct));
	char *why = xasprintf("the quote became %s with a discount of %s%%", money_format(s.total, buf), pct);
	rc = approval_void_raised(c, ent, s.total, pct, why);
	free(why);
	return rc;
}

/* ---- the quote's behaviour ---- */

static int quote_check(struct crm *c, const struct type *t, const cJSON *fields, bool inserting, unsigned flags)
{
	(void)t;
	(void)inserting;
	if (!(flags & REC_SYSTEM) && cJSON_GetObjectItemCaseSensitive(fields, "status"))
		return crm_error(c, CRM_BADINPUT, "status: a quote changes status with crm quote send, accept, "
				 "reject or revise, not by hand");
	return CRM_OK;
}

static int quote_fill(struct crm *c, const struct type *t, struct rec *r, unsigned flags)
{
	(void)t;
	(void)flags;
	int bp;
	int rc = cash_pct(c, "discount", rec_get(r, "discount"), &bp);
	if (rc)
		return rc;
	long long deal = cash_ref(r, "deal_id");
	char idtxt[24];
	snprintf(idtxt, sizeof(idtxt), "%lld", deal);
	if (!rec_get(r, "account_id")) {
		char *acc = db_get_text(c, "SELECT account_id FROM deal WHERE id = ?", idtxt);
		rec_set(r, "account_id", acc);
		free(acc);
	}
	char *cur = db_get_text(c, "SELECT currency FROM deal WHERE id = ?", idtxt);
	if (cur && rec_get(r, "currency") && strcmp(cur, rec_get(r, "currency"))) {
		rc = crm_error(c, CRM_BADINPUT, "currency: deal:%lld is in %s: its quotes are too", deal, cur);
		free(cur);
		return rc;
	}
	if (!rec_get(r, "currency")) {
		char *dflt = config_get(c, "currency");
		rec_set(r, "currency", cur ? cur : dflt ? dflt : "CNY");
		free(dflt);
	}
	free(cur);
	if (!rec_get(r, "owner")) {
		char *owner = db_get_text(c, "SELECT owner FROM deal WHERE id = ?", idtxt);
		rec_set(r, "owner", owner ? owner : c->user);
		free(owner);
	}
	if (!rec_get(r, "tax_included")) {
		char *inc = config_get(c, "tax.included");
		rec_set(r, "tax_included", inc && (!strcmp(inc, "false") || !strcmp(inc, "0") || !strcmp(inc, "no"))
				   ? "0" : "1");
		free(inc);
	}
	return cash_number_fill(c, r, "Q");
}

static int quote_updated(struct crm *c, const struct type *t, long long id, const cJSON *before,
			 const cJSON *after, unsigned flags)
{
	if (flags & REC_SYSTEM || !cash_terms_changed(t, before, after))
		return CRM_OK;
	const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(before, "status"));
	if (status && strcmp(status, "draft"))
		return crm_error(c, CRM_CONFLICT, "quote:%lld is %s: only a draft can be edited "
				 "(crm quote revise %lld makes a new draft)", id, status, id);
	int rc = cash_currency_kept(c, before, after, "a quote", "deal");
	if (rc)
		return rc;
	const cJSON *d = cJSON_GetObjectItem(after, "discount");
	char buf[32];
	int bp;
	rc = cash_pct(c, "discount", cJSON_IsNumber(d) ? cash_given(after, "discount", buf, sizeof(buf)) : NULL,
			  &bp);
	return rc ? rc : quote_changed(c, id);
}

static const struct type_ops quote_ops = {
	.check = quote_check,
	.fill = quote_fill,
	.updated = quote_updated,
};

static const struct type_event quote_on_value[] = {
	{ "status", "sent", "quote.sent" },
	{ "status", "accepted", "quote.accepted" },
	{ NULL, NULL, NULL },
};
static const char *const quote_events[] = { "quote.expired", NULL };

const struct type quote_type = {
	"quote", "quotes", 10, TYPE_FIELDS(quote_fields), false, &quote_ops, NULL, quote_on_value, quote_events,
};

/* ---- lines ---- */

static int quote_draft(struct crm *c, long long quote_id)
{
	char *status = cash_status(c, "quote", quote_id);
	int rc = CRM_OK;
	if (!status)
		rc = crm_error(c, CRM_BADINPUT, "quote_id: no quote with id %lld", quote_id);
	else if (strcmp(status, "draft"))
		rc = crm_error(c, CRM_CONFLICT, "quote:%lld is %s: only a draft can be edited "
			       "(crm quote revise %lld makes a new draft)", quote_id, status, quote_id);
	free(status);
	return rc;
}

/* A line's values must make sense: a quantity of up to 3 decimals,
 * percentages, an amount that fits. */
static int line_valid(struct crm *c, long long quote_id, const char *qty, const char *price, const char *disc,
		      const char *tax)
{
	struct price_line l = { 0 };
	if (!qty || price_parse_qty(qty, &l.qty_milli))
		return crm_error(c, CRM_BADINPUT, "qty: '%s' is not a quantity above 0 with up to 3 decimals",
				 qty ? qty : "");
	if (!price)
		return crm_error(c, CRM_BADINPUT, "price: required field missing (the product has none: give --price)");
	l.price = strtoll(price, NULL, 10);
	if (l.price < 0)
		return crm_error(c, CRM_BADINPUT, "price: a price cannot be negative");
	int rc = cash_pct(c, "discount", disc, &l.discount_bp);
	if (!rc)
		rc = cash_pct(c, "tax_rate", tax, &l.tax_bp);
	if (rc)
		return rc;
	char idtxt[24];
	snprintf(idtxt, sizeof(idtxt), "%lld", quote_id);
	char *qd = db_get_text(c, "SELECT discount FROM quote WHERE id = ?", idtxt);
	int qbp = 0;
	price_parse_pct(qd ? qd : "0", &qbp);
	free(qd);
	struct price_amounts a;
	if (price_line_amounts(&l, qbp, 1, &a) || price_line_amounts(&l, qbp, 0, &a))
		return crm_error(c, CRM_BADINPUT, "qty: %s at %s is more money than crm can count", qty, price);
	return CRM_OK;
}

static int line_fill(struct crm *c, const struct type *t, struct rec *r, unsigned flags)
{
	(void)t;
	(void)flags;
	long long q = cash_ref(r, "quote_id");
	int rc = quote_draft(c, q);
	if (rc)
		return rc;
	long long p = cash_ref(r, "product_id");
	if (p) {
		struct db_stmt *st = db_stmt(c, "SELECT sku, name, unit, price, tax_rate, currency, status FROM product "
					      "WHERE id = ?");
		if (!st)
			return c->errcode;
		db_bind_int64(st, 1, p);
		int src = db_step(st);
		if (src == DB_ROW && !(flags & REC_SYSTEM) && db_column_type(st, 6) != DB_NULL
		    && !strcmp((const char *)db_column_text(st, 6), "inactive")) {
			/* a line of a revised quote keeps its product (REC_SYSTEM) */
			rc = crm_error(c, CRM_CONFLICT, "product:%lld (%s) is inactive: it is not quoted any more (crm product "
				       "update %lld status=active)", p, db_column_type(st, 0) == DB_NULL ? ""
				       : (const char *)db_column_text(st, 0), p);
			db_reset(st);
			return rc;
		}
		if (src == DB_ROW) {
			static const char *const copy[] = { "sku", "name", "unit", "price", "tax_rate" };
			for (int i = 0; i < 5; i++)
				if (!rec_get(r, copy[i]) && db_column_type(st, i) != DB_NULL)
					rec_set(r, copy[i], (const char *)db_column_text(st, i));
			char *pcur = db_column_type(st, 5) == DB_NULL ? NULL
				   : xstrdup((const char *)db_column_text(st, 5));
			db_reset(st);
			char idtxt[24];
			snprintf(idtxt, sizeof(idtxt), "%lld", q);
			char *qcur = db_get_text(c, "SELECT currency FROM quote WHERE id = ?", idtxt);
			bool differ = pcur && qcur && strcmp(pcur, qcur);
			if (differ)
				rc = crm_error(c, CRM_BADINPUT, "price: product:%lld is priced in %s, quote:%lld is in %s: "
					       "give --price in %s", p, pcur, q, qcur, qcur);
			free(pcur);
			free(qcur);
			if (rc)
				return rc;
		} else {
			db_reset(st);
		}
	}
	if (!rec_get(r, "name"))
		return crm_error(c, CRM_BADINPUT, "name: required field missing (give --product or name=)");
	char idtxt[24];
	snprintf(idtxt, sizeof(idtxt), "%lld", q);
	long long next = db_get_int(c, "SELECT coalesce(max(line_no), 0) + 1 FROM quote_line WHERE quote_id = ?", idtxt, 1);
	cash_set_int(r, "line_no", next);
	return line_valid(c, q, rec_get(r, "qty"), rec_get(r, "price"), rec_get(r, "discount"), rec_get(r, "tax_rate"));
}

static int line_inserted(struct crm *c, const struct type *t, long long id, const cJSON *after, unsigned flags)
{
	(void)t;
	(void)id;
	(void)flags;
	const cJSON *q = cJSON_GetObjectItem(after, "quote_id");
	return cJSON_IsNumber(q) ? quote_changed(c, (long long)q->valuedouble) : CRM_OK;
}

static int line_updated(struct crm *c, const struct type *t, long long id, const cJSON *before,
			const cJSON *after, unsigned flags)
{
	(void)t;
	(void)id;
	(void)flags;
	const cJSON *q0 = cJSON_GetObjectItem(before, "quote_id"), *q = cJSON_GetObjectItem(after, "quote_id");
	if (!cJSON_IsNumber(q))
		return CRM_OK;
	long long qid = (long long)q->valuedouble;
	int rc = quote_draft(c, qid);
	if (!rc && cJSON_IsNumber(q0) && q0->valuedouble != q->valuedouble)
		rc = quote_draft(c, (long long)q0->valuedouble);
	char b1[32], b2[32], b3[32], b4[MONEY_BUFSZ];
	const cJSON *price = cJSON_GetObjectItem(after, "price");
	const char *ptext = NULL;
	long long minor = 0;
	if (cJSON_IsNumber(price) && money_parse(cash_given(after, "price", b3, sizeof(b3)), &minor) == 0) {
		snprintf(b4, sizeof(b4), "%lld", minor);
		ptext = b4;
	}
	if (!rc)
		rc = line_valid(c, qid, cash_given(after, "qty", b1, sizeof(b1)), ptext,
				cash_given(after, "discount", b2, sizeof(b2)), cash_given(after, "tax_rate", b3, sizeof(b3)));
	return rc ? rc : quote_changed(c, qid);
}

static const struct type_ops line_ops = {
	.fill = line_fill,
	.inserted = line_inserted,
	.updated = line_updated,
};

const struct type quote_line_type = {
	"quote_line", "quote_lines", 0, TYPE_FIELDS(line_fields), false, &line_ops, NULL, NULL, NULL,
};

int quote_line_find(struct crm *c, long long quote_id, long long line_no, long long *id)
{
	struct db_stmt *st = db_stmt(c, "SELECT id FROM quote_line WHERE quote_id = ? AND line_no = ? "
				      "AND deleted_at IS NULL");
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, quote_id);
	db_bind_int64(st, 2, line_no);
	*id = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 0;
	db_reset(st);
	return *id ? CRM_OK : crm_error(c, CRM_NOTFOUND, "quote:%lld has no line %lld", quote_id, line_no);
}

int quote_line_add(struct crm *c, long long quote_id, const char *product, const cJSON *fields)
{
	cJSON *f = fields ? cJSON_Duplicate(fields, true) : cJSON_CreateObject();
	int rc = CRM_OK;
	if (product) {
		long long pid;
		if ((rc = product_find(c, product, &pid)))
			goto done;
		cJSON_DeleteItemFromObjectCaseSensitive(f, "product_id");
		cJSON_AddNumberToObject(f, "product_id", (double)pid);
	}
	cJSON_DeleteItemFromObjectCaseSensitive(f, "quote_id");
	cJSON_AddNumberToObject(f, "quote_id", (double)quote_id);
	const struct type *t = type_find(c, quote_line_type.name);
	long long id;
	rc = record_insert(c, t, f, 0, &id, NULL);
	if (!rc)
		rc = record_print(c, t, id);
done:
	cJSON_Delete(f);
	return rc;
}

int quote_line_remove(struct crm *c, long long quote_id, long long line_no)
{
	long long id;
	int rc = quote_line_find(c, quote_id, line_no, &id);
	if (!rc)
		rc = quote_draft(c, quote_id);
	if (rc)
		return rc;
	const struct type *t = type_find(c, quote_line_type.name);
	cJSON *line = record_get(c, t, id, false);
	if (!line)
		return c->errcode;
	rc = record_remove(c, t, id, false);
	if (!rc)
		rc = quote_changed(c, quote_id);
	if (!rc)
		out_object(c->out, line);
	cJSON_Delete(line);
	return rc;
}

/* ---- the verbs ---- */

int quote_show(struct crm *c, long long id)
{
	const struct type *t = type_find(c, quote_type.name), *lt = type_find(c, quote_line_type.name);
	int rc = record_print(c, t, id);
	if (rc)
		return rc;
	struct db_stmt *st;
	if (db_prepare(c, "SELECT id FROM quote_line WHERE quote_id = ? AND deleted_at IS NULL "
			       "ORDER BY line_no", -1, &st, NULL) != DB_OK)
		return crm_dberror(c, db_errcode(c), "quote");
	db_bind_int64(st, 1, id);
	long long *ids;
	int n;
	if ((rc = db_ids(c, st, &ids, &n)))
		return rc;
	for (int i = 0; i < n && !rc; i++)
		rc = record_print(c, lt, ids[i]);
	free(ids);
	return rc;
}

/* The stored status, and whether it reads expired today. */
static int quote_state(struct crm *c, long long id, char **status, bool *expired, char **valid)
{
	struct db_stmt *st = db_stmt(c, "SELECT status, valid_until, valid_until < " TODAY " FROM quote "
				      "WHERE id = ? AND deleted_at IS NULL");
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*status = xstrdup((const char *)db_column_text(st, 0));
		*valid = db_column_type(st, 1) == DB_NULL ? NULL
		       : xstrdup((const char *)db_column_text(st, 1));
		*expired = db_column_int(st, 2) != 0;
	}
	db_reset(st);
	if (rc == DB_ROW)
		return CRM_OK;
	return rc == DB_DONE ? crm_error(c, CRM_NOTFOUND, "no quote with id %lld", id)
				 : crm_dberror(c, rc, "quote");
}

/* What a quote in status can do next, for refusals. */
static const char *quote_next(const char *shown)
{
	if (!strcmp(shown, "draft"))
		return "send";
	if (!strcmp(shown, "sent"))
		return "accept, reject, revise";
	if (!strcmp(shown, "expired") || !strcmp(shown, "rejected"))
		return "revise";
	return "";
}

static int set_status(struct crm *c, long long id, const char *status, const char *stamp, const char *action)
{
	char now[DATE_BUFSZ];
	cJSON *f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "status", status);
	if (stamp)
		cJSON_AddStringToObject(f, stamp, date_format(date_now(), now));
	int rc = cash_update(c, "quote", id, f, action, NULL);
	cJSON_Delete(f);
	return rc;
}

int quote_send(struct crm *c, long long id)
{
	char *status = NULL, *valid = NULL;
	bool expired = false;
	int rc = quote_state(c, id, &status, &expired, &valid);
	if (rc)
		return rc;
	struct quote_sums s;
	char limit_pct[16], disc[16];
	if (strcmp(status, "draft")) {
		const char *shown = expired ? "expired" : status;
		rc = cash_refuse(c, "quote", id, shown, "send", "a draft", quote_next(shown));
		goto done;
	}
	if ((rc = quote_sums(c, id, &s)))
		goto done;
	if (!s.lines) {
		rc = crm_error(c, CRM_CONFLICT, "quote:%lld has no lines: add them first "
			       "(crm quote line add %lld --product SKU)", id, id);
		goto done;
	}
	if (expired) {
		rc = crm_error(c, CRM_CONFLICT, "quote:%lld is valid until %s, which has passed: give it a later "
			       "valid_until first", id, valid);
		goto done;
	}
	char *limit = config_get(c, "approval.discount_over");
	int lbp = -1;
	if (limit && price_parse_pct(limit, &lbp)) {
		rc = crm_error(c, CRM_BADINPUT, "config approval.discount_over: '%s' is not a percentage", limit);
		free(limit);
		goto done;
	}
	free(limit);
	if (lbp >= 0 && s.max_discount_bp > lbp) {
		char ent[64];
		snprintf(ent, sizeof(ent), "quote:%lld", id);
		enum approval_state state;
		if ((rc = approval_state(c, ent, &state)))
			goto done;
		pct_text(lbp, limit_pct, sizeof(limit_pct));
		pct_text(s.max_discount_bp, disc, sizeof(disc));
		if (state == APPROVAL_NONE) {
			struct approval_seen seen = { .has_amount = true, .amount = s.total, .discount = disc };
			char *cur = db_get_text(c, "SELECT currency FROM quote WHERE id = ?", ent + 6);
			seen.currency = cur;
			rc = approval_request(c, ent, &seen, NULL);
			free(cur);
			if (!rc)
				rc = crm_error(c, CRM_CONFLICT, "quote:%lld has a discount of %s%%, over approval.discount_over "
					       "(%s%%): sending it needs an approval; requested (someone other than its "
					       "owner runs 'crm approve quote:%lld')", id, disc, limit_pct, id);
			goto done;
		}
		if (state == APPROVAL_PENDING) {
			rc = crm_error(c, CRM_CONFLICT, "quote:%lld has a discount of %s%%, over approval.discount_over "
				       "(%s%%): sending it waits for approval ('crm approve quote:%lld')", id, disc,
				       limit_pct, id);
			goto done;
		}
	}
	rc = set_status(c, id, "sent", "sent_at", "send");
	if (!rc)
		rc = record_print(c, type_find(c, "quote"), id);
done:
	free(status);
	free(valid);
	return rc;
}

int quote_accept(struct crm *c, long long id)
{
	char *status = NULL, *valid = NULL;
	bool expired = false;
	int rc = quote_state(c, id, &status, &expired, &valid);
	if (rc)
		return rc;
	if (strcmp(status, "sent") || expired) {
		const char *shown = expired && !strcmp(status, "sent") ? "expired" : status;
		rc = cash_refuse(c, "quote", id, shown, "accept", "a sent quote within its valid_until",
				 quote_next(shown));
		goto done;
	}
	struct quote_sums s;
	struct cash_txn x;
	if ((rc = quote_sums(c, id, &s)) || (rc = cash_begin(c, &x)))
		goto done;
	if ((rc = set_status(c, id, "accepted", "accepted_at", "accept"))) {
		cash_end(c, &x, rc);
		goto done;
	}
	/* the deal is worth what the customer accepted */
	char idtxt[24], buf[MONEY_BUFSZ];
	snprintf(idtxt, sizeof(idtxt), "%lld", id);
	long long deal = db_get_int(c, "SELECT deal_id FROM quote WHERE id = ?", idtxt, 0);
	char *cur = db_get_text(c, "SELECT currency FROM quote WHERE id = ?", idtxt);
	cJSON *f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "amount", money_format(s.total, buf));
	if (cur)
		cJSON_AddStringToObject(f, "currency", cur);
	cJSON *extra = cJSON_CreateObject();
	char q[32];
	snprintf(q, sizeof(q), "quote:%lld", id);
	cJSON_AddStringToObject(extra, "quote", q);
	rc = record_update_as(c, type_find(c, "deal"), deal, f, 0, "quote_accepted", extra);
	cJSON_Delete(extra);
	cJSON_Delete(f);
	free(cur);
	rc = cash_end(c, &x, rc);
	if (!rc)
		rc = record_print(c, type_find(c, "quote"), id);
done:
	free(status);
	free(valid);
	return rc;
}

int quote_reject(struct crm *c, long long id)
{
	char *status = NULL, *valid = NULL;
	bool expired = false;
	int rc = quote_state(c, id, &status, &expired, &valid);
	if (rc)
		return rc;
	if (strcmp(status, "sent")) {
		rc = cash_refuse(c, "quote", id, status, "reject", "a sent quote", quote_next(status));
	} else {
		rc = set_status(c, id, "rejected", NULL, "reject");
		if (!rc)
			rc = record_print(c, type_find(c, "quote"), id);
	}
	free(status);
	free(valid);
	return rc;
}

int quote_revise(struct crm *c, long long id)
{
	char *status = NULL, *valid = NULL;
	bool expired = false;
	int rc = quote_state(c, id, &status, &expired, &valid);
	if (rc)
		return rc;
	const char *shown = expired && !strcmp(status, "sent") ? "expired" : status;
	const struct type *t = type_find(c, quote_type.name), *lt = type_find(c, quote_line_type.name);
	cJSON *old = NULL, *f = NULL;
	long long *ids = NULL;
	int n = 0;
	if (strcmp(status, "sent") && strcmp(status, "rejected")) {
		rc = cash_refuse(c, "quote", id, shown, "revise", "a sent, rejected or expired quote", quote_next(shown));
		goto done;
	}
	if (!(old = record_get(c, t, id, false))) {
		rc = c->errcode;
		goto done;
	}
	/* the copy: what the user gave, not what crm keeps */
	static const char *const keep[] = { "deal_id", "account_id", "contact_id", "discount", "currency",
					    "tax_included", "owner", "tags", "note", NULL };
	f = cJSON_CreateObject();
	for (int i = 0; keep[i]; i++) {
		const cJSON *v = cJSON_GetObjectItem(old, keep[i]);
		if (v)
			cJSON_AddItemToObject(f, keep[i], cJSON_Duplicate(v, true));
	}
	if (valid && !expired)
		cJSON_AddStringToObject(f, "valid_until", valid);
	const cJSON *ver = cJSON_GetObjectItem(old, "version");
	int version = cJSON_IsNumber(ver) ? ver->valueint + 1 : 2;
	cJSON_AddNumberToObject(f, "version", version);
	/* the same number, with its version: Q-2026-0001-v2 */
	const char *num = cJSON_GetStringValue(cJSON_GetObjectItem(old, "number"));
	if (num) {
		const char *v = strstr(num, "-v");
		size_t base = v && v[2] >= '0' && v[2] <= '9' && strspn(v + 2, "0123456789") == strlen(v + 2)
			    ? (size_t)(v - num) : strlen(num);
		char *nn = xasprintf("%.*s-v%d", (int)base, num, version);
		cJSON_AddStringToObject(f, "number", nn);
		free(nn);
	}
	cJSON_AddNumberToObject(f, "revision_of", (double)id);
	long long nid;
	struct cash_txn x;
	if ((rc = cash_begin(c, &x)))
		goto done;
	if ((rc = set_status(c, id, "superseded", NULL, "revise"))
	    || (rc = record_insert(c, t, f, REC_SYSTEM, &nid, NULL))) {
		cash_end(c, &x, rc);
		goto done;
	}
	struct db_stmt *st;
	if (db_prepare(c, "SELECT id FROM quote_line WHERE quote_id = ? AND deleted_at IS NULL "
			       "ORDER BY line_no", -1, &st, NULL) != DB_OK) {
		rc = cash_end(c, &x, crm_dberror(c, db_errcode(c), "quote"));
		goto done;
	}
	db_bind_int64(st, 1, id);
	if ((rc = db_ids(c, st, &ids, &n))) {
		cash_end(c, &x, rc);
		goto done;
	}
	for (int i = 0; i < n && !rc; i++) {
		cJSON *line = record_get(c, lt, ids[i], false);
		if (!line) {
			rc = c->errcode;
			break;
		}
		static const char *const lkeep[] = { "product_id", "sku", "name", "unit", "qty", "price", "discount",
						     "tax_rate", "note", NULL };
		cJSON *lf = cJSON_CreateObject();
		for (int k = 0; lkeep[k]; k++) {
			const cJSON *v = cJSON_GetObjectItem(line, lkeep[k]);
			if (v)
				cJSON_AddItemToObject(lf, lkeep[k], cJSON_Duplicate(v, true));
		}
		cJSON_AddNumberToObject(lf, "quote_id", (double)nid);
		rc = record_insert(c, lt, lf, REC_SYSTEM, NULL, NULL);
		cJSON_Delete(lf);
		cJSON_Delete(line);
	}
	rc = cash_end(c, &x, rc);
	if (!rc)
		rc = record_print(c, t, nid);
done:
	free(ids);
	cJSON_Delete(f);
	cJSON_Delete(old);
	free(status);
	free(valid);
	return rc;
}
