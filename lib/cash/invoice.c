/* invoice.c: the invoice type and its verbs (invoice.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/money.h"
#include "cash/common.h"
#include "cash/invoice.h"
#include "core/db.h"

static const struct field invoice_fields[] = {
	FIELD_ID,
	{ "number", FK_TEXT, FF_KEY | FF_SEARCH | FF_LIST, NULL, NULL, "发票号码", NULL },
	{ "contract_id", FK_REF, FF_REQUIRED | FF_LIST | FF_PARENT, NULL, "contract", "合同编号", NULL },
	{ "amount", FK_MONEY, FF_REQUIRED | FF_LIST, NULL, NULL, "开票金额", NULL },
	{ "currency", FK_TEXT, 0, NULL, NULL, "币种", NULL },
	{ "kind", FK_ENUM, FF_LIST, "普通发票,专用发票", NULL, "发票类型", "普通发票" },
	{ "title", FK_TEXT, FF_SEARCH | FF_LIST, NULL, NULL, "发票抬头", NULL },
	{ "tax_number", FK_TEXT, FF_SEARCH, NULL, NULL, "纳税人识别号", NULL },
	{ "status", FK_ENUM, FF_LIST, "draft,issued,void", NULL, "状态", "draft" },
	{ "issued_at", FK_DATE, FF_SYSTEM | FF_LIST, NULL, NULL, "开票日期", NULL },
	{ "voided_at", FK_TIME, FF_SYSTEM, NULL, NULL, "作废时间", NULL },
	{ "void_reason", FK_TEXT, FF_SYSTEM, NULL, NULL, "作废原因", NULL },
	{ "owner", FK_TEXT, FF_LIST, NULL, NULL, "负责人", NULL },
	FIELD_TAGS, FIELD_NOTE, FIELD_STAMPS,
};

static int invoice_check(struct crm *c, const struct type *t, const cJSON *fields, bool inserting, unsigned flags)
{
	(void)t;
	if (!(flags & REC_SYSTEM) && cJSON_GetObjectItemCaseSensitive(fields, "status"))
		return crm_error(c, CRM_BADINPUT, "status: an invoice %s", inserting ? "starts as a draft (then crm "
				 "invoice issue)" : "changes status with crm invoice issue or void, not by hand");
	return CRM_OK;
}

static int invoice_fill(struct crm *c, const struct type *t, struct rec *r, unsigned flags)
{
	(void)t;
	(void)flags;
	struct cash_contract k;
	int rc = cash_contract_signed(c, cash_ref(r, "contract_id"), "an invoice", &k);
	if (rc)
		return rc;
	const char *cur = rec_get(r, "currency");
	if (cur && strcmp(cur, k.currency))
		return crm_error(c, CRM_BADINPUT, "currency: contract:%lld is in %s: its invoices are too", k.id,
				 k.currency);
	rec_set(r, "currency", k.currency);
	if (strtoll(rec_get(r, "amount"), NULL, 10) <= 0)
		return crm_error(c, CRM_BADINPUT, "amount: an invoice is for an amount above 0");
	if (!rec_get(r, "owner") && *k.owner)
		rec_set(r, "owner", k.owner);
	if (!rec_get(r, "title") && k.account_id) {
		char idtxt[24];
		snprintf(idtxt, sizeof(idtxt), "%lld", k.account_id);
		char *name = db_get_text(c, "SELECT name FROM account WHERE id = ?", idtxt);
		rec_set(r, "title", name);
		free(name);
	}
	return cash_number_fill(c, r, "FP");
}

static int invoice_updated(struct crm *c, const struct type *t, long long id, const cJSON *before,
			   const cJSON *after, unsigned flags)
{
	if (flags & REC_SYSTEM || !cash_terms_changed(t, before, after))
		return CRM_OK;
	const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(before, "status"));
	if (status && strcmp(status, "draft"))
		return crm_error(c, CRM_CONFLICT, "invoice:%lld is %s: only a draft can be edited", id, status);
	const cJSON *c0 = cJSON_GetObjectItem(before, "contract_id"), *c1 = cJSON_GetObjectItem(after, "contract_id");
	if (!cJSON_IsNumber(c1) || (cJSON_IsNumber(c0) && c0->valuedouble != c1->valuedouble))
		return crm_error(c, CRM_BADINPUT, "contract_id: an invoice stays with its contract");
	int rc = cash_currency_kept(c, before, after, "an invoice", "contract");
	if (rc)
		return rc;
	const cJSON *a = cJSON_GetObjectItem(after, "amount");
	if (cJSON_IsNumber(a) && a->valuedouble <= 0)
		return crm_error(c, CRM_BADINPUT, "amount: an invoice is for an amount above 0");
	return CRM_OK;
}

static const struct type_ops invoice_ops = {
	.check = invoice_check,
	.fill = invoice_fill,
	.updated = invoice_updated,
};

static const struct type_event invoice_on_value[] = {
	{ "status", "issued", "invoice.issued" },
	{ "status", "void", "invoice.voided" },
	{ NULL, NULL, NULL },
};

const struct type invoice_type = {
	"invoice", "invoices", 13, TYPE_FIELDS(invoice_fields), false, &invoice_ops, NULL, invoice_on_value, NULL,
};

static int load(struct crm *c, long long id, long long *contract, long long *amount, char **status)
{
	struct db_stmt *st = db_stmt(c, "SELECT contract_id, amount, status FROM invoice WHERE id = ? "
				      "AND deleted_at IS NULL");
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*contract = db_column_int64(st, 0);
		*amount = db_column_int64(st, 1);
		*status = xstrdup((const char *)db_column_text(st, 2));
	}
	db_reset(st);
	if (rc == DB_ROW)
		return CRM_OK;
	return rc == DB_DONE ? crm_error(c, CRM_NOTFOUND, "no invoice with id %lld", id)
				 : crm_dberror(c, rc, "invoice");
}

static int set(struct crm *c, long long id, const char *status, const char *k1, const char *v1, const char *k2,
	       const char *v2, const char *action)
{
	cJSON *f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "status", status);
	if (v1)
		cJSON_AddStringToObject(f, k1, v1);
	if (v2)
		cJSON_AddStringToObject(f, k2, v2);
	int rc = cash_update(c, "invoice", id, f, action, NULL);
	cJSON_Delete(f);
	return rc ? rc : record_print(c, type_find(c, invoice_type.name), id);
}

/* A 专用发票 (VAT special invoice) names the buyer's taxpayer number: it
 * is not issued without one (a draft may wait for it). */
static int special_has_tax_number(struct crm *c, long long id)
{
	char idtxt[24];
	snprintf(idtxt, sizeof(idtxt), "%lld", id);
	char *kind = db_get_text(c, "SELECT kind FROM invoice WHERE id = ?", idtxt);
	char *tax = db_get_text(c, "SELECT tax_number FROM invoice WHERE id = ?", idtxt);
	int rc = CRM_OK;
	if (kind && !strcmp(kind, "专用发票") && (!tax || !*tax))
		rc = crm_error(c, CRM_BADINPUT, "tax_number: invoice:%lld is a 专用发票, issued only with the buyer's "
			       "tax number (crm invoice update %lld tax_number=...)", id, id);
	free(kind);
	free(tax);
	return rc;
}

int invoice_issue(struct crm *c, long long id, const char *date)
{
	long long contract, amount;
	char *status = NULL;
	int rc = load(c, id, &contract, &amount, &status);
	if (rc)
		return rc;
	char day[DATE_BUFSZ];
	struct cash_contract k;
	if (strcmp(status, "draft")) {
		rc = cash_refuse(c, "invoice", id, status, "issue", "a draft", !strcmp(status, "issued") ? "void" : "");
		goto done;
	}
	if (!date)
		cash_today(day);
	else if (date_normalize(date, 1, day) != 0) {
		rc = crm_error(c, CRM_USAGE, "--date: '%s' is not a date", date);
		goto done;
	}
	if ((rc = cash_contract_signed(c, contract, "issuing an invoice", &k)))
		goto done;
	if ((rc = special_has_tax_number(c, id)))
		goto done;
	char idtxt[24];
	snprintf(idtxt, sizeof(idtxt), "%lld", contract);
	long long issued = db_get_int(c, "SELECT coalesce(sum(amount), 0) FROM invoice WHERE contract_id = ? "
				      "AND status = 'issued' AND deleted_at IS NULL", idtxt, 0);
	if (issued + amount > k.amount) {
		char a[MONEY_BUFSZ], b[MONEY_BUFSZ], t[MONEY_BUFSZ], d[MONEY_BUFSZ];
		rc = crm_error(c, CRM_CONFLICT, "invoice:%lld: %s more would make the invoices of contract:%lld %s, "
			       "more than its amount %s (%s issued already)", id, money_format(amount, a), contract,
			       money_format(issued + amount, b), money_format(k.amount, t), money_format(issued, d));
		goto done;
	}
	rc = set(c, id, "issued", "issued_at", day, NULL, NULL, "issue");
done:
	free(status);
	return rc;
}

int invoice_void(struct crm *c, long long id, const char *reason)
{
	long long contract, amount;
	char *status = NULL;
	int rc = load(c, id, &contract, &amount, &status);
	if (rc)
		return rc;
	if (strcmp(status, "issued")) {
		rc = cash_refuse(c, "invoice", id, status, "void", "an issued invoice",
				 !strcmp(status, "draft") ? "issue (a draft is removed with crm invoice rm)" : "");
	} else {
		char now[DATE_BUFSZ];
		rc = set(c, id, "void", "voided_at", date_format(date_now(), now), "void_reason", reason, "void");
	}
	free(status);
	return rc;
}
