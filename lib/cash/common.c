/* common.c: what the cash types share (common.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/money.h"
#include "cash/common.h"
#include "cash/price.h"
#include "core/bulk.h"
#include "core/db.h"
#include "core/hook.h"

char *cash_today(char *buf)
{
	/* the day of the clock as last formatted (a pure function of the
	 * clock, as date_now's pin is): a bulk run asks for it every row */
	static time_t last = (time_t)-1;
	static char day[DATE_BUFSZ];
	time_t now = date_now();
	if (now != last) {
		date_format_day(now, day);
		last = now;
	}
	memcpy(buf, day, DATE_BUFSZ);
	return buf;
}

/* Where the numbers of a type went last in this transaction: the next
 * is the id after, with no query (nobody else writes while it lasts). */
struct number_hint {
	const char *table;
	unsigned long serial;   /* c->txn_serial it holds for */
	long long last;
};
#define NUMBER_HINTS 8
static const char number_hints_key[] = "cash number hints";

static struct number_hint *number_hint(struct crm *c, const char *table)
{
	struct number_hint *h = crm_slot_get(c, number_hints_key);
	if (!h) {
		h = xcalloc(NUMBER_HINTS, sizeof(*h));
		crm_slot_set(c, number_hints_key, h, free);
	}
	int i = 0;
	while (i < NUMBER_HINTS - 1 && h[i].table && strcmp(h[i].table, table))
		i++;
	if (!h[i].table || strcmp(h[i].table, table))
		h[i] = (struct number_hint){ table, 0, 0 };
	return &h[i];
}

int cash_number_fill(struct crm *c, struct rec *r, const char *prefix)
{
	if (rec_get(r, "number"))
		return CRM_OK;
	char day[DATE_BUFSZ];
	cash_today(day);
	/* the record's own id to be (ids only grow while a record keeps its
	 * row): no counter to write for every record of an import */
	struct number_hint *h = number_hint(c, r->t->name);
	long long n = h->last;
	if (h->serial != c->txn_serial || !db_in_txn(c)) {
		char sql[160];   /* on the stack: an import asks this for every row */
		snprintf(sql, sizeof(sql), "SELECT coalesce(max(id), 0) FROM \"%s\"", r->t->name);
		n = db_get_int(c, sql, NULL, 0);
	}
	/* a number given by hand (or imported) may hold it already */
	for (;;) {
		char num[96];
		snprintf(num, sizeof(num), "%s-%.4s-%04lld", prefix, day, ++n);
		c->errmsg[0] = '\0';
		if (!bulk_key_taken(c, r->t, "number", num)) {
			if (c->errmsg[0] && c->errcode == CRM_DBERR)
				return c->errcode;
			rec_set(r, "number", num);
			break;
		}
	}
	*h = (struct number_hint){ r->t->name, c->txn_serial, n };
	return CRM_OK;
}

static void copy_col(char *dst, size_t n, struct db_stmt *st, int i)
{
	const char *v = (const char *)db_column_text(st, i);
	size_t len = v ? strlen(v) : 0;
	if (len >= n)
		len = n - 1;
	memcpy(dst, v ? v : "", len);
	dst[len] = '\0';
}

int cash_contract_load(struct crm *c, long long id, struct cash_contract *k)
{
	memset(k, 0, sizeof(*k));
	struct db_stmt *st = db_stmt(c, "SELECT id, amount, deal_id, account_id, quote_id, status, currency, number, "
				      "owner, start, \"end\", (SELECT coalesce(sum(p.amount), 0) FROM payment AS p "
				      "WHERE p.contract_id = k.id AND p.deleted_at IS NULL) FROM contract AS k "
				      "WHERE id = ? AND deleted_at IS NULL");
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		k->id = db_column_int64(st, 0);
		k->amount = db_column_int64(st, 1);
		k->deal_id = db_column_int64(st, 2);
		k->account_id = db_column_int64(st, 3);
		k->quote_id = db_column_int64(st, 4);
		copy_col(k->status, sizeof(k->status), st, 5);
		copy_col(k->currency, sizeof(k->currency), st, 6);
		copy_col(k->number, sizeof(k->number), st, 7);
		copy_col(k->owner, sizeof(k->owner), st, 8);
		copy_col(k->start, sizeof(k->start), st, 9);
		copy_col(k->end, sizeof(k->end), st, 10);
		k->received = db_column_int64(st, 11);
	}
	db_reset(st);
	if (rc == DB_ROW)
		return CRM_OK;
	if (rc == DB_DONE)
		return crm_error(c, CRM_BADINPUT, "contract_id: no contract with id %lld", id);
	return crm_dberror(c, rc, "contract");
}

int cash_alloc_add(struct crm *c, long long payment, long long plan, long long amount, const char *date)
{
	struct db_stmt *st = db_stmt(c, "INSERT INTO payment_alloc(payment_id, plan_id, amount, date) VALUES (?, ?, ?, ?)");
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, payment);
	db_bind_int64(st, 2, plan);
	db_bind_int64(st, 3, amount);
	db_bind_text(st, 4, date, -1, DB_TRANSIENT);
	int rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "payment");
}

int cash_contract_signed(struct crm *c, long long id, const char *what, struct cash_contract *k)
{
	int rc = cash_contract_load(c, id, k);
	if (!rc && strcmp(k->status, "signed"))
		rc = crm_error(c, CRM_CONFLICT, "contract:%lld is %s: %s needs a signed contract "
			       "(crm contract sign %lld)", id, k->status, what, id);
	return rc;
}

long long cash_contract_received(struct crm *c, long long id)
{
	char idtxt[24];
	snprintf(idtxt, sizeof(idtxt), "%lld", id);
	return db_get_int(c, "SELECT coalesce(sum(amount), 0) FROM payment WHERE contract_id = ? "
			  "AND deleted_at IS NULL", idtxt, 0);
}

char *cash_status(struct crm *c, const char *table, long long id)
{
	char *sql = xasprintf("SELECT status FROM \"%s\" WHERE id = ? AND deleted_at IS NULL", table);
	char idtxt[24];
	snprintf(idtxt, sizeof(idtxt), "%lld", id);
	char *s = db_get_text(c, sql, idtxt);
	free(sql);
	return s;
}

int cash_refuse(struct crm *c, const char *type, long long id, const char *status, const char *verb,
		const char *needs, const char *allowed)
{
	return crm_error(c, CRM_CONFLICT, "%s:%lld is %s: %s needs %s (from %s: %s)", type, id, status, verb, needs,
			 status, allowed && *allowed ? allowed : "nothing");
}

const char *cash_given(const cJSON *fields, const char *name, char *buf, size_t n)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(fields, name);
	if (cJSON_IsString(v))
		return v->valuestring;
	if (cJSON_IsNumber(v)) {
		if (v->valuedouble == (double)(long long)v->valuedouble)
			snprintf(buf, n, "%lld", (long long)v->valuedouble);
		else
			snprintf(buf, n, "%.15g", v->valuedouble);
		return buf;
	}
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v) ? "1" : "0";
	return NULL;
}

long long cash_ref(const struct rec *r, const char *field)
{
	const char *v = rec_get(r, field);
	return v ? strtoll(v, NULL, 10) : 0;
}

void cash_set_int(struct rec *r, const char *field, long long v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%lld", v);
	rec_set(r, field, buf);
}

void cash_set_money(struct rec *r, const char *field, long long minor)
{
	cash_set_int(r, field, minor);   /* stored as minor units */
}

int cash_update(struct crm *c, const char *type, long long id, cJSON *fields, const char *action,
		const cJSON *extra)
{
	const struct type *t = type_find(c, type);
	return record_update_as(c, t, id, fields, REC_SYSTEM, action, extra);
}

int cash_pct(struct crm *c, const char *field, const char *text, int *bp)
{
	*bp = 0;
	if (!text)
		return CRM_OK;
	if (price_parse_pct(text, bp) != 0)
		return crm_error(c, CRM_BADINPUT, "%s: '%s' is not a percentage from 0 to 100 (up to 2 decimals)",
				 field, text);
	return CRM_OK;
}

int cash_begin(struct crm *c, struct cash_txn *x)
{
	x->hooks = hook_mark(c);
	return db_exec(c, "SAVEPOINT cash");
}

int cash_end(struct crm *c, struct cash_txn *x, int rc)
{
	if (!rc)
		return db_exec(c, "RELEASE cash");
	db_execute(c, "ROLLBACK TO cash; RELEASE cash");
	hook_rollback(c, x->hooks);
	return rc;
}

bool cash_terms_changed(const struct type *t, const cJSON *before, const cJSON *after)
{
	static const char *const free_fields[] = { "tags", "note", "owner", "updated_at", NULL };
	for (int i = 0; i < t->nfields; i++) {
		const struct field *f = &t->fields[i];
		bool free_one = f->flags & (FF_CUSTOM | FF_COMPUTED);
		for (int k = 0; free_fields[k] && !free_one; k++)
			free_one = !strcmp(free_fields[k], f->name);
		if (free_one)
			continue;
		const cJSON *b = cJSON_GetObjectItemCaseSensitive(before, f->name);
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(after, f->name);
		if (!b != !a || (a && !cJSON_Compare(a, b, true)))
			return true;
	}
	return false;
}

int cash_currency_kept(struct crm *c, const cJSON *before, const cJSON *after, const char *what,
		       const char *whose)
{
	const char *c0 = cJSON_GetStringValue(cJSON_GetObjectItem(before, "currency"));
	const char *c1 = cJSON_GetStringValue(cJSON_GetObjectItem(after, "currency"));
	if (c0 && c1 && strcmp(c0, c1))
		return crm_error(c, CRM_BADINPUT, "currency: %s is in its %s's currency (%s)", what, whose, c0);
	return CRM_OK;
}
