/* reports.c: receivables, revenue and product sales (reports.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/dialect.h"
#include "base/date.h"
#include "cash/common.h"
#include "cash/reports.h"
#include "core/query.h"
#include "io/out.h"

/* A date from --as-of or --since (a date, or a span back from today). */
static int day_of(struct crm *c, const char *opt, const char *v, char *buf)
{
	time_t now = date_now(), t;
	long long secs;
	if (date_parse(v, now, &t, NULL) != 0) {
		if (duration_parse(v, &secs) != 0)
			return crm_error(c, CRM_USAGE, "--%s: '%s' is not a date or a span (2026-01-01, 90d)", opt, v);
		t = now - secs;
	}
	date_format_day(t, buf);
	return CRM_OK;
}

static void columns(struct crm *c, const char *const *cols, int n)
{
	if (c->format != OUT_JSONL)
		out_columns(c->out, cols, n);
}

static int run(struct crm *c, const char *sql, const char *p1, struct db_stmt **st)
{
	int rc = query_prepare_readonly(c, sql, st);
	if (rc)
		return rc;
	if (p1)
		db_bind_text(*st, 1, p1, -1, DB_TRANSIENT);
	return CRM_OK;
}

static int finish(struct crm *c, struct db_stmt *st, int rc, long n)
{
	db_finalize(st);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "report");
	return n ? CRM_OK : CRM_NOTFOUND;
}

static const char *text(struct db_stmt *st, int i)
{
	return (const char *)db_column_text(st, i);
}

int cash_report_receivables(struct crm *c, const struct cash_report_opts *o)
{
	char day[DATE_BUFSZ];
	const char *by = o->by ? o->by : "account";
	int rc = o->as_of ? day_of(c, "as-of", o->as_of, day) : (cash_today(day), CRM_OK);
	if (rc)
		return rc;
	const char *key, *label;
	if (!strcmp(by, "account")) {
		key = "k.account_id";
		label = "(SELECT a.name FROM account AS a WHERE a.id = k.account_id)";
	} else if (!strcmp(by, "owner")) {
		key = "k.owner";
		label = "NULL";
	} else if (!strcmp(by, "contract")) {
		key = "k.id";
		label = "k.number";
	} else {
		return crm_error(c, CRM_USAGE, "--by: '%s' is not one of account, owner, contract", by);
	}
	char *scope = query_scope(c, type_find(c, "contract"), "k", false);
	char *late = dialect_days_between_days(c, "?1", "p.due");
	char *late_k = dialect_days_between_days(c, "?1", "substr(coalesce(k.signed_at, k.start), 1, 10)");
	/* what each plan still has to receive on the day, and how late it is:
	 * worked out once per plan (a flattened subquery would repeat the sum
	 * in every bucket: 7 times the work); a signed contract without a plan
	 * is one instalment of its amount, due the day it was signed, less
	 * what was paid on it by the day */
	char *sql = xasprintf(
		"WITH x AS MATERIALIZED (SELECT p.contract_id, p.amount - coalesce((SELECT sum(a.amount) "
		"  FROM payment_alloc AS a WHERE a.plan_id = p.id AND a.date <= ?1), 0) AS open, "
		"  %s AS late FROM plan AS p "
		"  WHERE p.deleted_at IS NULL "
		"  UNION ALL SELECT k.id, k.amount - coalesce((SELECT sum(y.amount) FROM payment AS y "
		"  WHERE y.contract_id = k.id AND y.deleted_at IS NULL AND y.date <= ?1), 0), %s "
		"  FROM contract AS k WHERE k.status = 'signed' AND k.deleted_at IS NULL "
		"  AND k.id NOT IN (SELECT p.contract_id FROM plan AS p WHERE p.deleted_at IS NULL)) "
		"SELECT %s, %s, k.currency, "
		"sum(CASE WHEN x.late <= 0 THEN x.open ELSE 0 END), "
		"sum(CASE WHEN x.late BETWEEN 1 AND 30 THEN x.open ELSE 0 END), "
		"sum(CASE WHEN x.late BETWEEN 31 AND 60 THEN x.open ELSE 0 END), "
		"sum(CASE WHEN x.late BETWEEN 61 AND 90 THEN x.open ELSE 0 END), "
		"sum(CASE WHEN x.late > 90 THEN x.open ELSE 0 END), sum(x.open) "
		"FROM x JOIN contract AS k ON k.id = x.contract_id "
		"WHERE x.open > 0 AND k.status = 'signed' AND k.deleted_at IS NULL "
		"AND (k.signed_at IS NULL OR k.signed_at <= ?1) AND (%s) "
		"GROUP BY %s, k.currency ORDER BY sum(x.open) DESC, %s, k.currency",
		late, late_k, key, label, scope, key, key);
	free(late);
	free(late_k);
	free(scope);
	struct db_stmt *st;
	rc = run(c, sql, day, &st);
	free(sql);
	if (rc)
		return rc;
	const char *k1 = !strcmp(by, "account") ? "account_id" : !strcmp(by, "owner") ? "owner" : "contract_id";
	const char *k2 = !strcmp(by, "account") ? "account" : !strcmp(by, "contract") ? "number" : NULL;
	const char *cols[12];
	int nc = 0;
	if (c->format != OUT_TABLE) {
		cols[nc++] = "type";
		cols[nc++] = "as_of";
	}
	cols[nc++] = k1;
	if (k2)
		cols[nc++] = k2;
	static const char *const tail[] = { "currency", "not_due", "d1_30", "d31_60", "d61_90", "over_90", "total" };
	for (int i = 0; i < 7; i++)
		cols[nc++] = tail[i];
	columns(c, cols, nc);
	long n = 0;
	static const char *const buckets[] = { "not_due", "d1_30", "d31_60", "d61_90", "over_90", "total" };
	while ((rc = db_step(st)) == DB_ROW) {
		struct out *w = c->out;
		out_begin(w);
		out_str(w, "type", "receivables");
		out_str(w, "as_of", day);
		if (!strcmp(by, "owner"))
			out_str(w, k1, text(st, 0) ? text(st, 0) : "(none)");
		else if (db_column_type(st, 0) != DB_NULL)
			out_int(w, k1, db_column_int64(st, 0));
		if (k2)
			out_str(w, k2, text(st, 1) ? text(st, 1) : "(none)");
		out_str(w, "currency", text(st, 2));
		for (int i = 0; i < 6; i++)
			out_money(w, buckets[i], db_column_int64(st, 3 + i));
		out_end(w);
		n++;
	}
	return finish(c, st, rc, n);
}

int cash_report_revenue(struct crm *c, const struct cash_report_opts *o)
{
	char day[DATE_BUFSZ];
	const char *by = o->by ? o->by : "month";
	int rc = o->since ? day_of(c, "since", o->since, day) : CRM_OK;
	if (rc)
		return rc;
	const char *fmt;   /* the group of a date column (%1$s) of a row under contract k */
	if (!strcmp(by, "month"))
		fmt = "substr(%s, 1, 7)";
	else if (!strcmp(by, "quarter"))
		fmt = "substr(%s, 1, 4) || '-Q' || ((CAST(substr(%s, 6, 2) AS INTEGER) + 2) / 3)";
	else if (!strcmp(by, "owner"))
		fmt = "k.owner";
	else
		return crm_error(c, CRM_USAGE, "--by: '%s' is not one of month, quarter, owner", by);
	char *g[3];
	const char *cols_of[3] = { "k.signed_at", "i.issued_at", "p.date" };
	for (int i = 0; i < 3; i++)
		g[i] = strcmp(by, "owner") ? xasprintf(fmt, cols_of[i], cols_of[i]) : xstrdup(fmt);
	char *scope = query_scope(c, type_find(c, "contract"), "k", false);
	char *sql = xasprintf(
		"SELECT g, currency, sum(contracted), sum(invoiced), sum(received) FROM ("
		" SELECT %s AS g, k.currency AS currency, k.amount AS contracted, 0 AS invoiced, 0 AS received "
		"  FROM contract AS k WHERE k.signed_at IS NOT NULL AND k.status IN ('signed', 'terminated') "
		"  AND k.deleted_at IS NULL AND (CAST(?1 AS TEXT) IS NULL OR k.signed_at >= ?1) AND (%s) "
		" UNION ALL SELECT %s, i.currency, 0, i.amount, 0 FROM invoice AS i JOIN contract AS k ON k.id = i.contract_id "
		"  WHERE i.status = 'issued' AND i.deleted_at IS NULL AND (CAST(?1 AS TEXT) IS NULL OR i.issued_at >= ?1) AND (%s) "
		" UNION ALL SELECT %s, p.currency, 0, 0, p.amount FROM payment AS p JOIN contract AS k ON k.id = p.contract_id "
		"  WHERE p.deleted_at IS NULL AND (CAST(?1 AS TEXT) IS NULL OR p.date >= ?1) AND (%s)"
		") AS u GROUP BY g, currency ORDER BY g IS NULL, g, currency",
		g[0], scope, g[1], scope, g[2], scope);
	for (int i = 0; i < 3; i++)
		free(g[i]);
	free(scope);
	struct db_stmt *st;
	rc = run(c, sql, o->since ? day : NULL, &st);
	free(sql);
	if (rc)
		return rc;
	const char *key = !strcmp(by, "owner") ? "owner" : "period";
	const char *cols[] = { "type", "by", key, "currency", "contracted", "invoiced", "received" };
	if (c->format == OUT_TABLE)
		out_columns(c->out, cols + 2, 5);
	else
		columns(c, cols, 7);
	long n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		struct out *w = c->out;
		out_begin(w);
		out_str(w, "type", "revenue");
		out_str(w, "by", by);
		out_str(w, key, text(st, 0) ? text(st, 0) : "(none)");
		out_str(w, "currency", text(st, 1));
		out_money(w, "contracted", db_column_int64(st, 2));
		out_money(w, "invoiced", db_column_int64(st, 3));
		out_money(w, "received", db_column_int64(st, 4));
		out_end(w);
		n++;
	}
	return finish(c, st, rc, n);
}

int cash_report_products(struct crm *c, const struct cash_report_opts *o)
{
	char day[DATE_BUFSZ];
	int rc = o->since ? day_of(c, "since", o->since, day) : CRM_OK;
	if (rc)
		return rc;
	char *scope = query_scope(c, type_find(c, "contract"), "k", false);
	char *sql = xasprintf(
		"SELECT l.product_id, coalesce(pr.sku, l.sku), coalesce(pr.name, l.name), q.currency, "
		"sum(CAST(round(l.qty * 1000) AS BIGINT)), "
		"sum(cash_line('total', l.qty, l.price, l.discount, q.discount, l.tax_rate, q.tax_included)), "
		"count(DISTINCT k.id) "
		"FROM contract AS k JOIN quote AS q ON q.id = k.quote_id "
		"JOIN quote_line AS l ON l.quote_id = q.id AND l.deleted_at IS NULL "
		"LEFT JOIN product AS pr ON pr.id = l.product_id "
		"WHERE k.signed_at IS NOT NULL AND k.status IN ('signed', 'terminated') AND k.deleted_at IS NULL "
		"AND (CAST(?1 AS TEXT) IS NULL OR k.signed_at >= ?1) AND (%s) "
		"GROUP BY l.product_id, coalesce(pr.sku, l.sku), coalesce(pr.name, l.name), q.currency "
		"ORDER BY 6 DESC, 3", scope);
	free(scope);
	struct db_stmt *st;
	rc = run(c, sql, o->since ? day : NULL, &st);
	free(sql);
	if (rc)
		return rc;
	const char *cols[] = { "type", "product_id", "sku", "name", "currency", "quantity", "amount", "contracts" };
	if (c->format == OUT_TABLE)
		out_columns(c->out, cols + 1, 7);
	else
		columns(c, cols, 8);
	long n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		struct out *w = c->out;
		out_begin(w);
		out_str(w, "type", "products");
		if (db_column_type(st, 0) != DB_NULL)
			out_int(w, "product_id", db_column_int64(st, 0));
		out_str(w, "sku", text(st, 1));
		out_str(w, "name", text(st, 2));
		out_str(w, "currency", text(st, 3));
		long long milli = db_column_int64(st, 4);
		if (milli % 1000 == 0)
			out_int(w, "quantity", milli / 1000);
		else
			out_real(w, "quantity", (double)milli / 1000.0);
		out_money(w, "amount", db_column_int64(st, 5));
		out_int(w, "contracts", db_column_int64(st, 6));
		out_end(w);
		n++;
	}
	return finish(c, st, rc, n);
}
