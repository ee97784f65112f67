/* payment.c: the payment type and how payments are applied to plans
 * (payment.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/money.h"
#include "cash/common.h"
#include "cash/payment.h"
#include "core/db.h"

static const struct field payment_fields[] = {
	FIELD_ID,
	{ "number", FK_TEXT, FF_KEY | FF_LIST, NULL, NULL, "回款编号", NULL },
	{ "contract_id", FK_REF, FF_REQUIRED | FF_LIST | FF_PARENT, NULL, "contract", "合同编号", NULL },
	{ "installment", FK_INT, 0, NULL, NULL, "期次", NULL },
	{ "plan_id", FK_REF, FF_SYSTEM, NULL, "plan", "回款计划", NULL },
	{ "amount", FK_MONEY, FF_REQUIRED | FF_LIST, NULL, NULL, "回款金额", NULL },
	{ "currency", FK_TEXT, 0, NULL, NULL, "币种", NULL },
	{ "date", FK_DATE, FF_LIST, NULL, NULL, "回款日期", NULL },
	{ "method", FK_TEXT, FF_LIST, NULL, NULL, "付款方式", NULL },
	{ "reference", FK_TEXT, 0, NULL, NULL, "流水号", NULL },
	{ "payer", FK_TEXT, 0, NULL, NULL, "付款方", NULL },
	{ "forced", FK_INT, 0, "0..1", NULL, "超额回款", NULL },
	{ "contract_number", FK_TEXT, FF_COMPUTED, NULL, NULL, "合同号码", NULL,
	  "SELECT k.number FROM contract AS k WHERE k.id = r.contract_id" },
	{ "applied", FK_JSON, FF_COMPUTED, NULL, NULL, "核销明细", NULL,
	  /* a JSON array made as text (group_concat: a server has it as crm server init made it) */
	  "SELECT '[' || coalesce(group_concat(j.o, ','), '') || ']' FROM (SELECT '{\"plan_id\":' || "
	  "CAST(a.plan_id AS TEXT) || ',\"installment\":' || coalesce(CAST(p.installment AS TEXT), 'null') || "
	  "',\"amount\":' || " CASH_SQL_MONEY_JSON("a.amount") " || '}' AS o FROM payment_alloc AS a "
	  "JOIN plan AS p ON p.id = a.plan_id WHERE a.payment_id = r.id ORDER BY a.plan_id) AS j" },
	{ "owner", FK_TEXT, FF_LIST, NULL, NULL, "负责人", NULL },
	FIELD_NOTE, FIELD_STAMPS,
};

/* What payment self may still take of contract k: its amount less the
 * other live payments. */
static long long unpaid(struct crm *c, const struct cash_contract *k, long long self)
{
	if (!self)
		return k->amount - k->received;
	struct db_stmt *st = db_stmt(c, "SELECT coalesce(sum(amount), 0) FROM payment WHERE contract_id = ? "
				      "AND id <> ? AND deleted_at IS NULL");
	if (!st)
		return 0;
	db_bind_int64(st, 1, k->id);
	db_bind_int64(st, 2, self);
	long long got = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 0;
	db_reset(st);
	return k->amount - got;
}

static int over_unpaid(struct crm *c, const struct cash_contract *k, long long self, long long amount, bool forced)
{
	long long left = unpaid(c, k, self);
	if (amount <= left || forced)
		return CRM_OK;
	char a[MONEY_BUFSZ], b[MONEY_BUFSZ];
	return crm_error(c, CRM_CONFLICT, "amount: %s is more than the %s contract:%lld (%s) has still to receive "
			 "(--force records it anyway, in the audit log)", money_format(amount, a),
			 money_format(left > 0 ? left : 0, b), k->id, k->number);
}

/* The plan of contract k numbered installment, or CRM_BADINPUT. */
static int plan_of(struct crm *c, const struct cash_contract *k, long long installment, long long *plan)
{
	struct db_stmt *st = db_stmt(c, "SELECT id FROM plan WHERE contract_id = ? AND installment = ? "
				      "AND deleted_at IS NULL");
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, k->id);
	db_bind_int64(st, 2, installment);
	*plan = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 0;
	db_reset(st);
	return *plan ? CRM_OK : crm_error(c, CRM_BADINPUT, "installment: contract:%lld has no plan %lld "
					  "(see crm plan list --where 'contract_id = %lld')", k->id, installment, k->id);
}

static int payment_fill(struct crm *c, const struct type *t, struct rec *r, unsigned flags)
{
	(void)t;
	(void)flags;
	struct cash_contract k;
	int rc = cash_contract_signed(c, cash_ref(r, "contract_id"), "a payment", &k);
	if (rc)
		return rc;
	const char *cur = rec_get(r, "currency");
	if (cur && strcmp(cur, k.currency))
		return crm_error(c, CRM_BADINPUT, "currency: contract:%lld is in %s: its payments are too", k.id,
				 k.currency);
	rec_set(r, "currency", k.currency);
	if (!rec_get(r, "owner") && *k.owner)
		rec_set(r, "owner", k.owner);
	if (!rec_get(r, "date")) {
		char day[DATE_BUFSZ];
		rec_set(r, "date", cash_today(day));
	}
	long long amount = strtoll(rec_get(r, "amount"), NULL, 10);
	if (amount <= 0)
		return crm_error(c, CRM_BADINPUT, "amount: a payment is for an amount above 0");
	const char *forced = rec_get(r, "forced");
	if ((rc = over_unpaid(c, &k, 0, amount, forced && strcmp(forced, "0"))))
		return rc;
	rec_set(r, "plan_id", NULL);
	if (rec_get(r, "installment")) {
		long long plan;
		if ((rc = plan_of(c, &k, strtoll(rec_get(r, "installment"), NULL, 10), &plan)))
			return rc;
		cash_set_int(r, "plan_id", plan);
	}
	return cash_number_fill(c, r, "HK");
}

/* Apply payment id (amount, of contract, on date) to plans: its own plan
 * first, then the unpaid ones in due order. */
static int apply(struct crm *c, long long id, long long contract, long long plan, long long amount, const char *date)
{
	/* in due order by the index (no sort for every payment of an import) */
	struct db_stmt *st = db_stmt(c, "SELECT p.id, p.amount - coalesce((SELECT sum(a.amount) FROM payment_alloc AS a "
				      "WHERE a.plan_id = p.id), 0) FROM plan AS p WHERE p.contract_id = ? "
				      "AND p.deleted_at IS NULL ORDER BY p.due, p.installment");
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, contract);
	long long *ids = NULL, *open = NULL;
	int n = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		ids = xrealloc(ids, (n + 1) * sizeof(*ids));
		open = xrealloc(open, (n + 1) * sizeof(*open));
		ids[n] = db_column_int64(st, 0);
		open[n] = db_column_int64(st, 1);
		if (ids[n] == plan && n) {   /* its own plan goes first */
			long long i0 = ids[n], o0 = open[n];
			memmove(ids + 1, ids, n * sizeof(*ids));
			memmove(open + 1, open, n * sizeof(*open));
			ids[0] = i0;
			open[0] = o0;
		}
		n++;
	}
	db_reset(st);
	long long left = amount;
	rc = CRM_OK;
	for (int i = 0; i < n && left > 0 && !rc; i++) {
		if (open[i] <= 0)
			continue;
		long long take = left < open[i] ? left : open[i];
		rc = cash_alloc_add(c, id, ids[i], take, date);
		left -= take;
	}
	free(ids);
	free(open);
	return rc;
}

static int unapply(struct crm *c, long long id)
{
	struct db_stmt *st = db_stmt(c, "DELETE FROM payment_alloc WHERE payment_id = ?");
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "payment");
}

static long long num(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItem(o, k);
	return cJSON_IsNumber(v) ? (long long)v->valuedouble : 0;
}

/* A money field of a record as JSON gives it (a number of the major
 * unit: record_json divides the minor units by 100) back in minor units:
 * the nearest integer is exact, as any amount under 2^53 fen is. */
static long long minor_of(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	if (cJSON_IsNumber(v))
		return llround(v->valuedouble * 100.0);
	long long m = 0;
	if (cJSON_IsString(v))
		money_parse(v->valuestring, &m);
	return m;
}

static int payment_inserted(struct crm *c, const struct type *t, long long id, const cJSON *after, unsigned flags)
{
	(void)t;
	(void)flags;
	return apply(c, id, num(after, "contract_id"), num(after, "plan_id"), minor_of(after, "amount"),
		     cJSON_GetStringValue(cJSON_GetObjectItem(after, "date")));
}

/* The value of field name in vals (a record's values as stored), or NULL. */
static const char *val_of(const struct type *t, char *const *vals, const char *name)
{
	const struct field *f = type_field(t, name);
	return f ? vals[f - t->fields] : NULL;
}

static long long val_int(const struct type *t, char *const *vals, const char *name)
{
	const char *v = val_of(t, vals, name);
	return v ? strtoll(v, NULL, 10) : 0;
}

/* payment_inserted for a bulk run's row, from the values it wrote */
static int payment_inserted_vals(struct crm *c, const struct type *t, long long id, char *const *vals,
				 unsigned flags)
{
	(void)flags;
	return apply(c, id, val_int(t, vals, "contract_id"), val_int(t, vals, "plan_id"), val_int(t, vals, "amount"),
		     val_of(t, vals, "date"));
}

static int payment_updated(struct crm *c, const struct type *t, long long id, const cJSON *before,
			   const cJSON *after, unsigned flags)
{
	(void)t;
	(void)flags;
	if (num(before, "contract_id") != num(after, "contract_id"))
		return crm_error(c, CRM_BADINPUT, "contract_id: a payment stays with its contract (remove it and add "
				 "another)");
	const char *c0 = cJSON_GetStringValue(cJSON_GetObjectItem(before, "currency"));
	const char *c1 = cJSON_GetStringValue(cJSON_GetObjectItem(after, "currency"));
	if (c0 && c1 && strcmp(c0, c1))
		return crm_error(c, CRM_BADINPUT, "currency: a payment is in its contract's currency (%s)", c0);
	long long amount = minor_of(after, "amount");
	if (amount <= 0)
		return crm_error(c, CRM_BADINPUT, "amount: a payment is for an amount above 0");
	struct cash_contract k;
	int rc = cash_contract_load(c, num(after, "contract_id"), &k);
	if (!rc && amount > minor_of(before, "amount"))
		rc = over_unpaid(c, &k, id, amount, num(after, "forced") != 0);
	long long plan = 0;
	if (!rc && num(after, "installment") && (rc = plan_of(c, &k, num(after, "installment"), &plan)))
		return rc;
	if (!rc && plan != num(after, "plan_id")) {
		cJSON *f = cJSON_CreateObject();
		if (plan)
			cJSON_AddNumberToObject(f, "plan_id", (double)plan);
		else
			cJSON_AddNullToObject(f, "plan_id");
		rc = record_update(c, type_find(c, payment_type.name), id, f, REC_SYSTEM | REC_NO_RULES);
		cJSON_Delete(f);
	}
	/* applied again, as if it came in like this */
	if (!rc)
		rc = unapply(c, id);
	if (!rc)
		rc = apply(c, id, k.id, plan, amount, cJSON_GetStringValue(cJSON_GetObjectItem(after, "date")));
	return rc;
}

static const struct type_ops payment_ops = {
	.fill = payment_fill,
	.inserted = payment_inserted,
	.inserted_never_refuses = true,   /* apply only writes allocations */
	.inserted_vals = payment_inserted_vals,
	.updated = payment_updated,
};

/* a payment is received, as rules and hooks see it */
const struct type payment_type = {
	"payment", "payments", 0, TYPE_FIELDS(payment_fields), false, &payment_ops, "payment.received", NULL, NULL,
};

int payment_on_removed(struct crm *c, const struct change *ch)
{
	return unapply(c, ch->id);
}

int payment_on_restored(struct crm *c, const struct change *ch)
{
	struct cash_contract k;
	const cJSON *p = ch->after;
	int rc = cash_contract_signed(c, num(p, "contract_id"), "a payment", &k);
	if (!rc)
		rc = over_unpaid(c, &k, ch->id, minor_of(p, "amount"), num(p, "forced") != 0);
	if (!rc)
		rc = unapply(c, ch->id);
	if (!rc)
		rc = apply(c, ch->id, k.id, num(p, "plan_id"), minor_of(p, "amount"),
			   cJSON_GetStringValue(cJSON_GetObjectItem(p, "date")));
	return rc;
}
