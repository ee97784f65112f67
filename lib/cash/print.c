/* print.c: a quote as HTML or text (print.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "cash/common.h"
#include "cash/price.h"
#include "cash/print.h"
#include "cash/quote.h"
#include "core/config.h"
#include "core/db.h"

struct pline {
	char *no, *sku, *name, *unit, *qty, *discount, *tax;
	long long price, total;
};

struct doc {
	char *number, *version, *customer, *deal, *contact, *owner, *currency, *valid, *date, *status;
	char *discount;   /* the whole quote's, in percent: in every line's amount */
	char *co_name, *co_addr, *co_phone, *co_tax;
	bool tax_included;
	struct quote_sums sums;
	struct pline *lines;
	int n;
};

static char *dup_col(struct db_stmt *st, int i)
{
	const unsigned char *v = db_column_text(st, i);
	return v ? xstrdup((const char *)v) : NULL;
}

static void doc_free(struct doc *d)
{
	char **s[] = { &d->number, &d->version, &d->customer, &d->deal, &d->contact, &d->owner, &d->currency,
		       &d->valid, &d->date, &d->status, &d->discount, &d->co_name, &d->co_addr, &d->co_phone,
		       &d->co_tax };
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		free(*s[i]);
	for (int i = 0; i < d->n; i++) {
		struct pline *l = &d->lines[i];
		free(l->no);
		free(l->sku);
		free(l->name);
		free(l->unit);
		free(l->qty);
		free(l->discount);
		free(l->tax);
	}
	free(d->lines);
}

static int doc_load(struct crm *c, long long id, struct doc *d)
{
	memset(d, 0, sizeof(*d));
	struct db_stmt *st = db_stmt(c, "SELECT q.number, q.version, a.name, dl.name, ct.name, q.owner, q.currency, "
				      "q.valid_until, substr(coalesce(q.sent_at, q.created_at), 1, 10), q.status, "
				      "q.tax_included, q.discount FROM quote AS q LEFT JOIN account AS a ON a.id = q.account_id "
				      "LEFT JOIN deal AS dl ON dl.id = q.deal_id LEFT JOIN contact AS ct ON ct.id = q.contact_id "
				      "WHERE q.id = ? AND q.deleted_at IS NULL");
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		char **f[] = { &d->number, &d->version, &d->customer, &d->deal, &d->contact, &d->owner, &d->currency,
			       &d->valid, &d->date, &d->status };
		for (int i = 0; i < 10; i++)
			*f[i] = dup_col(st, i);
		d->tax_included = db_column_int(st, 10) != 0;
		d->discount = dup_col(st, 11);
	}
	db_reset(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? crm_error(c, CRM_NOTFOUND, "no quote with id %lld", id)
					 : crm_dberror(c, rc, "quote");
	d->co_name = config_get(c, "company.name");
	d->co_addr = config_get(c, "company.address");
	d->co_phone = config_get(c, "company.phone");
	d->co_tax = config_get(c, "company.tax_number");
	if ((rc = quote_sums(c, id, &d->sums)))
		return rc;
	st = db_stmt(c, "SELECT l.line_no, l.sku, l.name, l.unit, l.qty, l.price, l.discount, l.tax_rate, "
			"cash_line('total', l.qty, l.price, l.discount, q.discount, l.tax_rate, q.tax_included) "
			"FROM quote_line AS l JOIN quote AS q ON q.id = l.quote_id WHERE l.quote_id = ? "
			"AND l.deleted_at IS NULL ORDER BY l.line_no");
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		d->lines = xrealloc(d->lines, (d->n + 1) * sizeof(*d->lines));
		struct pline *l = &d->lines[d->n++];
		l->no = xasprintf("%d", d->n);   /* numbered as printed: removed lines leave no gaps */
		l->sku = dup_col(st, 1);
		l->name = dup_col(st, 2);
		l->unit = dup_col(st, 3);
		l->qty = dup_col(st, 4);
		l->price = db_column_int64(st, 5);
		l->discount = dup_col(st, 6);
		l->tax = dup_col(st, 7);
		l->total = db_column_int64(st, 8);
	}
	db_reset(st);
	return rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "quote");
}

/* 1234567 -> "12,345.67" (a minus before a negative one). */
static char *amount(long long minor)
{
	char digits[32];
	unsigned long long m = minor < 0 ? -(unsigned long long)minor : (unsigned long long)minor;
	snprintf(digits, sizeof(digits), "%llu", m / 100);
	struct sbuf b = { 0 };
	if (minor < 0)
		sbuf_addc(&b, '-');
	size_t n = strlen(digits);
	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			sbuf_addc(&b, ',');
		sbuf_addc(&b, digits[i]);
	}
	sbuf_addf(&b, ".%02llu", m % 100);
	return sbuf_detach(&b);
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static char *pct(const char *v)
{
	return v && strcmp(v, "0") ? xasprintf("%s%%", v) : xstrdup("");
}

static const char *symbol(const char *cur)
{
	return cur && !strcmp(cur, "CNY") ? "¥" : "";
}

/* ---- text ---- */

/* s padded with spaces to w display columns (CJK counts double). */
static void pad(struct sbuf *b, const char *s, int w, bool right)
{
	int sw = utf8_width(s);
	if (right)
		for (int i = sw; i < w; i++)
			sbuf_addc(b, ' ');
	sbuf_add(b, s);
	if (!right)
		for (int i = sw; i < w; i++)
			sbuf_addc(b, ' ');
}

static void text_doc(const struct doc *d, struct sbuf *b)
{
	if (d->co_name)
		sbuf_addf(b, "%s\n", d->co_name);
	if (d->co_addr)
		sbuf_addf(b, "地址: %s\n", d->co_addr);
	if (d->co_phone)
		sbuf_addf(b, "电话: %s\n", d->co_phone);
	if (d->co_tax)
		sbuf_addf(b, "税号: %s\n", d->co_tax);
	sbuf_addf(b, "\n报价单 %s (第 %s 版)\n\n", or_empty(d->number), or_empty(d->version));
	if (d->customer)
		sbuf_addf(b, "客户: %s\n", d->customer);
	if (d->contact)
		sbuf_addf(b, "联系人: %s\n", d->contact);
	if (d->deal)
		sbuf_addf(b, "项目: %s\n", d->deal);
	sbuf_addf(b, "日期: %s\n", or_empty(d->date));
	if (d->valid)
		sbuf_addf(b, "有效期至: %s\n", d->valid);
	if (d->owner)
		sbuf_addf(b, "负责人: %s\n", d->owner);
	sbuf_addf(b, "币种: %s (%s)\n", or_empty(d->currency), d->tax_included ? "含税价" : "不含税价");
	char *qd = pct(d->discount);
	if (*qd)
		sbuf_addf(b, "整单折扣: %s (已计入各行金额)\n", qd);
	free(qd);
	sbuf_addc(b, '\n');
	const char *head[] = { "序号", "产品编号", "产品名称", "单位", "数量", "单价", "折扣", "税率", "金额" };
	int n = d->n + 1;
	char ***cells = xcalloc(n, sizeof(char **));
	int w[9] = { 0 };
	for (int r = 0; r < n; r++) {
		cells[r] = xcalloc(9, sizeof(char *));
		if (!r) {
			for (int k = 0; k < 9; k++)
				cells[r][k] = xstrdup(head[k]);
		} else {
			const struct pline *l = &d->lines[r - 1];
			cells[r][0] = xstrdup(l->no);
			cells[r][1] = xstrdup(or_empty(l->sku));
			cells[r][2] = xstrdup(or_empty(l->name));
			cells[r][3] = xstrdup(or_empty(l->unit));
			cells[r][4] = xstrdup(or_empty(l->qty));
			cells[r][5] = amount(l->price);
			cells[r][6] = pct(l->discount);
			cells[r][7] = pct(l->tax);
			cells[r][8] = amount(l->total);
		}
		for (int k = 0; k < 9; k++)
			if (utf8_width(cells[r][k]) > w[k])
				w[k] = utf8_width(cells[r][k]);
	}
	for (int r = 0; r < n; r++) {
		for (int k = 0; k < 9; k++) {
			if (k)
				sbuf_add(b, "  ");
			pad(b, cells[r][k], w[k], r && (k == 0 || k >= 4));
			free(cells[r][k]);
		}
		/* no spaces at the end of a line */
		while (b->len && b->s[b->len - 1] == ' ')
			b->s[--b->len] = 0;
		sbuf_addc(b, '\n');
		free(cells[r]);
	}
	free(cells);
	char *u = amount(d->sums.untaxed), *t = amount(d->sums.tax), *tot = amount(d->sums.total);
	sbuf_addf(b, "\n未税金额: %s%s\n税额: %s%s\n合计: %s%s %s\n", symbol(d->currency), u, symbol(d->currency), t,
		  symbol(d->currency), tot, or_empty(d->currency));
	if (d->currency && !strcmp(d->currency, "CNY")) {
		char cap[PRICE_CAPITAL_BUFSZ];
		sbuf_addf(b, "大写: %s\n", price_capital(d->sums.total, cap, sizeof(cap)));
	}
	free(u);
	free(t);
	free(tot);
}

/* ---- HTML ---- */

static void html_row(struct sbuf *b, const char *label, const char *value)
{
	if (!value)
		return;
	sbuf_add(b, "<tr><th>");
	sbuf_add_html(b, label);
	sbuf_add(b, "</th><td>");
	sbuf_add_html(b, value);
	sbuf_add(b, "</td></tr>\n");
}

static void html_doc(const struct doc *d, struct sbuf *b)
{
	sbuf_add(b, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>报价单 ");
	sbuf_add_html(b, d->number);
	sbuf_add(b, "</title>\n<style>\n"
		 "@page { size: A4; margin: 15mm; }\n"
		 "body { font-family: \"PingFang SC\", \"Microsoft YaHei\", \"Noto Sans CJK SC\", sans-serif; "
		 "font-size: 10.5pt; color: #222; margin: 0 auto; max-width: 180mm; }\n"
		 "h1 { font-size: 18pt; text-align: center; margin: 6mm 0 4mm; letter-spacing: 0.3em; }\n"
		 ".company { border-bottom: 2px solid #333; padding-bottom: 3mm; }\n"
		 ".company .name { font-size: 14pt; font-weight: bold; }\n"
		 "table { border-collapse: collapse; width: 100%; }\n"
		 ".meta th { text-align: left; font-weight: normal; color: #555; width: 22mm; padding: 1mm 0; }\n"
		 ".lines { margin-top: 5mm; }\n"
		 ".lines th, .lines td { border: 1px solid #999; padding: 1.5mm 2mm; }\n"
		 ".lines th { background: #eee; font-weight: bold; }\n"
		 ".lines td.n { text-align: right; white-space: nowrap; }\n"
		 ".totals { margin-top: 3mm; width: auto; margin-left: auto; }\n"
		 ".totals th { text-align: right; font-weight: normal; padding: 1mm 3mm; }\n"
		 ".totals td { text-align: right; padding: 1mm 0; white-space: nowrap; }\n"
		 ".totals tr.total td, .totals tr.total th { font-weight: bold; font-size: 12pt; }\n"
		 ".capital { margin-top: 2mm; text-align: right; }\n"
		 "tr { page-break-inside: avoid; }\n"
		 "</style>\n</head>\n<body>\n<div class=\"company\">\n");
	if (d->co_name) {
		sbuf_add(b, "<div class=\"name\">");
		sbuf_add_html(b, d->co_name);
		sbuf_add(b, "</div>\n");
	}
	const char *labels[] = { "地址", "电话", "税号" };
	const char *vals[] = { d->co_addr, d->co_phone, d->co_tax };
	for (int i = 0; i < 3; i++)
		if (vals[i]) {
			sbuf_add(b, "<div>");
			sbuf_add_html(b, labels[i]);
			sbuf_add(b, ": ");
			sbuf_add_html(b, vals[i]);
			sbuf_add(b, "</div>\n");
		}
	sbuf_add(b, "</div>\n<h1>报价单</h1>\n<table class=\"meta\">\n");
	char *num = xasprintf("%s (第 %s 版)", or_empty(d->number), or_empty(d->version));
	html_row(b, "报价单号", num);
	free(num);
	html_row(b, "客户", d->customer);
	html_row(b, "联系人", d->contact);
	html_row(b, "项目", d->deal);
	html_row(b, "日期", d->date);
	html_row(b, "有效期至", d->valid);
	html_row(b, "负责人", d->owner);
	char *cur = xasprintf("%s (%s)", or_empty(d->currency), d->tax_included ? "含税价" : "不含税价");
	html_row(b, "币种", cur);
	free(cur);
	char *qd = pct(d->discount);
	if (*qd) {
		char *row = xasprintf("%s (已计入各行金额)", qd);
		html_row(b, "整单折扣", row);
		free(row);
	}
	free(qd);
	sbuf_add(b, "</table>\n<table class=\"lines\">\n<thead><tr><th>序号</th><th>产品编号</th><th>产品名称</th>"
		 "<th>单位</th><th>数量</th><th>单价</th><th>折扣</th><th>税率</th><th>金额</th></tr></thead>\n<tbody>\n");
	for (int i = 0; i < d->n; i++) {
		const struct pline *l = &d->lines[i];
		char *p = amount(l->price), *t = amount(l->total), *dc = pct(l->discount), *tx = pct(l->tax);
		const char *cells[] = { l->no, l->sku, l->name, l->unit, l->qty, p, dc, tx, t };
		sbuf_add(b, "<tr>");
		for (int k = 0; k < 9; k++) {
			sbuf_add(b, k == 0 || k >= 4 ? "<td class=\"n\">" : "<td>");
			sbuf_add_html(b, cells[k]);
			sbuf_add(b, "</td>");
		}
		sbuf_add(b, "</tr>\n");
		free(p);
		free(t);
		free(dc);
		free(tx);
	}
	sbuf_add(b, "</tbody>\n</table>\n<table class=\"totals\">\n");
	char *u = amount(d->sums.untaxed), *t = amount(d->sums.tax), *tot = amount(d->sums.total);
	const char *sym = symbol(d->currency);
	sbuf_add(b, "<tr><th>未税金额</th><td>");
	sbuf_add_html(b, sym);
	sbuf_add_html(b, u);
	sbuf_add(b, "</td></tr>\n<tr><th>税额</th><td>");
	sbuf_add_html(b, sym);
	sbuf_add_html(b, t);
	sbuf_add(b, "</td></tr>\n<tr class=\"total\"><th>合计</th><td>");
	sbuf_add_html(b, sym);
	sbuf_add_html(b, tot);
	sbuf_add(b, " ");
	sbuf_add_html(b, d->currency);
	sbuf_add(b, "</td></tr>\n</table>\n");
	if (d->currency && !strcmp(d->currency, "CNY")) {
		char cap[PRICE_CAPITAL_BUFSZ];
		sbuf_add(b, "<div class=\"capital\">大写: ");
		sbuf_add_html(b, price_capital(d->sums.total, cap, sizeof(cap)));
		sbuf_add(b, "</div>\n");
	}
	sbuf_add(b, "</body>\n</html>\n");
	free(u);
	free(t);
	free(tot);
}

int quote_print(struct crm *c, long long id, bool html, char **out)
{
	struct doc d;
	*out = NULL;
	/* a document of the quote is for those who may see the quote */
	int rc = record_access(c, type_find(c, quote_type.name), id, false);
	if (rc)
		return rc;
	rc = doc_load(c, id, &d);
	if (!rc) {
		struct sbuf b = { 0 };
		if (html)
			html_doc(&d, &b);
		else
			text_doc(&d, &b);
		*out = sbuf_detach(&b);
	}
	doc_free(&d);
	return rc;
}
