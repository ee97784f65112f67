/* plan.c: the plan type and plan split (plan.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/mem.h"
#include "base/money.h"
#include "cash/common.h"
#include "cash/plan.h"
#include "cash/price.h"
#include "core/db.h"

#define TODAY "substr(crm_now(), 1, 10)"
#define PLAN_RECEIVED "(SELECT coalesce(sum(a.amount), 0) FROM payment_alloc AS a WHERE a.plan_id = r.id)"

static const struct field plan_fields[] = {
	FIELD_ID,
	{ "contract_id", FK_REF, FF_REQUIRED | FF_LIST | FF_PARENT, NULL, "contract", "合同编号", NULL },
	{ "installment", FK_INT, FF_SYSTEM | FF_LIST, NULL, NULL, "期次", NULL },
	{ "amount", FK_MONEY, FF_REQUIRED | FF_LIST, NULL, NULL, "计划金额", NULL },
	{ "currency", FK_TEXT, 0, NULL, NULL, "币种", NULL },
	{ "due", FK_DATE, FF_REQUIRED | FF_LIST, NULL, NULL, "计划回款日期", NULL },
	{ "received", FK_MONEY, FF_COMPUTED | FF_LIST, NULL, NULL, "已回款", NULL, PLAN_RECEIVED },
	{ "unreceived", FK_MONEY, FF_COMPUTED, NULL, NULL, "未回款", NULL, "r.amount - " PLAN_RECEIVED },
	{ "status", FK_ENUM, FF_COMPUTED | FF_LIST, "pending,partial,paid,overdue", NULL, "状态", NULL,
	  "CASE WHEN " PLAN_RECEIVED " >= r.amount THEN 'paid' WHEN r.due < " TODAY " THEN 'overdue' "
	  "WHEN " PLAN_RECEIVED " > 0 THEN 'partial' ELSE 'pending' END" },
	{ "owner", FK_TEXT, FF_LIST, NULL, NULL, "负责人", NULL },
	FIELD_NOTE, FIELD_STAMPS,
};

/* The amounts of the other live plans of contract (all but plan self). */
static long long planned(struct crm *c, long long contract, long long self)
{
	struct db_stmt *st = db_stmt(c, "SELECT coalesce(sum(amount), 0) FROM plan WHERE contract_id = ? AND id <> ? "
				      "AND deleted_at IS NULL");
	if (!st)
		return 0;
	db_bind_int64(st, 1, contract);
	db_bind_int64(st, 2, self);
	long long n = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 0;
	db_reset(st);
	return n;
}

static int over_contract(struct crm *c, const struct cash_contract *k, long long others, long long amount)
{
	if (others + amount <= k->amount)
		return CRM_OK;
	char a[MONEY_BUFSZ], b[MONEY_BUFSZ], t[MONEY_BUFSZ];
	return crm_error(c, CRM_CONFLICT, "amount: the plans of contract:%lld would add up to %s, more than its "
			 "amount %s (%s planned already)", k->id, money_format(others + amount, a),
			 money_format(k->amount, t), money_format(others, b));
}

static int plan_fill(struct crm *c, const struct type *t, struct rec *r, unsigned flags)
{
	(void)t;
	(void)flags;
	struct cash_contract k;
	long long contract = cash_ref(r, "contract_id");
	int rc = cash_contract_signed(c, contract, "a payment plan", &k);
	if (rc)
		return rc;
	const char *cur = rec_get(r, "currency");
	if (cur && strcmp(cur, k.currency))
		return crm_error(c, CRM_BADINPUT, "currency: contract:%lld is in %s: its plans are too", k.id, k.currency);
	rec_set(r, "currency", k.currency);
	if (!rec_get(r, "owner") && *k.owner)
		rec_set(r, "owner", k.owner);
	long long amount = strtoll(rec_get(r, "amount"), NULL, 10);
	if (amount <= 0)
		return crm_error(c, CRM_BADINPUT, "amount: a plan is for an amount above 0");
	if ((rc = over_contract(c, &k, planned(c, contract, 0), amount)))
		return rc;
	char idtxt[24];
	snprintf(idtxt, sizeof(idtxt), "%lld", contract);
	cash_set_int(r, "installment", db_get_int(c, "SELECT coalesce(max(installment), 0) + 1 FROM plan "
						     "WHERE contract_id = ? AND deleted_at IS NULL", idtxt, 1));
	return CRM_OK;
}

static int plan_updated(struct crm *c, const struct type *t, long long id, const cJSON *before,
			const cJSON *after, unsigned flags)
{
	(void)t;
	(void)flags;
	const cJSON *c0 = cJSON_GetObjectItem(before, "contract_id"), *c1 = cJSON_GetObjectItem(after, "contract_id");
	if (!cJSON_IsNumber(c1) || (cJSON_IsNumber(c0) && c0->valuedouble != c1->valuedouble))
		return crm_error(c, CRM_BADINPUT, "contract_id: a plan stays with its contract (remove it and add "
				 "another)");
	const char *cur0 = cJSON_GetStringValue(cJSON_GetObjectItem(before, "currency"));
	const char *cur1 = cJSON_GetStringValue(cJSON_GetObjectItem(after, "currency"));
	if (cur0 && cur1 && strcmp(cur0, cur1))
		return crm_error(c, CRM_BADINPUT, "currency: a plan is in its contract's currency (%s)", cur0);
	const cJSON *a0 = cJSON_GetObjectItem(before, "amount"), *a1 = cJSON_GetObjectItem(after, "amount");
	if (!cJSON_IsNumber(a1) || (cJSON_IsNumber(a0) && a0->valuedouble == a1->valuedouble))
		return CRM_OK;
	long long amount = 0;
	char buf[40];
	money_parse(cash_given(after, "amount", buf, sizeof(buf)), &amount);
	if (amount <= 0)
		return crm_error(c, CRM_BADINPUT, "amount: a plan is for an amount above 0");
	struct cash_contract k;
	int rc = cash_contract_load(c, (long long)c1->valuedouble, &k);
	if (!rc)
		rc = over_contract(c, &k, planned(c, k.id, id), amount);
	if (rc)
		return rc;
	char idtxt[24];
	snprintf(idtxt, sizeof(idtxt), "%lld", id);
	long long received = db_get_int(c, "SELECT coalesce(sum(amount), 0) FROM payment_alloc WHERE plan_id = ?",
					idtxt, 0);
	if (amount < received) {
		char a[MONEY_BUFSZ], b[MONEY_BUFSZ];
		return crm_error(c, CRM_CONFLICT, "amount: plan:%lld has received %s already, more than %s", id,
				 money_format(received, a), money_format(amount, b));
	}
	return CRM_OK;
}

/* A new plan takes what its contract's payments have left unapplied
 * (paid before there was a plan for it, or past the plans there were),
 * oldest payment first, up to its amount: so its open amount, the
 * receivables and the contract's unreceived agree. */
static int plan_inserted(struct crm *c, const struct type *t, long long id, const cJSON *after, unsigned flags)
{
	(void)t;
	(void)after;
	(void)flags;
	struct db_stmt *st = db_stmt(c, "SELECT p.amount, y.id, y.amount - coalesce((SELECT sum(a.amount) "
				      "FROM payment_alloc AS a WHERE a.payment_id = y.id), 0), y.date FROM plan AS p "
				      "JOIN payment AS y ON y.contract_id = p.contract_id AND y.deleted_at IS NULL "
				      "WHERE p.id = ? ORDER BY y.date, y.id");
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, id);
	struct loose { long long payment, amount; char date[40]; } *ls = NULL;
	int n = 0, src;
	long long left = 0;
	while ((src = db_step(st)) == DB_ROW) {
		left = db_column_int64(st, 0);
		if (db_column_int64(st, 2) <= 0)
			continue;
		ls = xrealloc(ls, (n + 1) * sizeof(*ls));
		ls[n].payment = db_column_int64(st, 1);
		ls[n].amount = db_column_int64(st, 2);
		snprintf(ls[n].date, sizeof(ls[n].date), "%s", (const char *)db_column_text(st, 3));
		n++;
	}
	db_reset(st);
	int rc = src == DB_DONE ? CRM_OK : crm_dberror(c, src, "plan");
	for (int i = 0; !rc && i < n && left > 0; i++) {
		long long take = ls[i].amount < left ? ls[i].amount : left;
		rc = cash_alloc_add(c, ls[i].payment, id, take, ls[i].date);
		left -= take;
	}
	free(ls);
	return rc;
}

static const struct type_ops plan_ops = {
	.fill = plan_fill,
	.inserted = plan_inserted,
	.updated = plan_updated,
};

static const char *const plan_events[] = { "plan.due", "plan.overdue", NULL };

const struct type plan_type = {
	"plan", "plans", 0, TYPE_FIELDS(plan_fields), false, &plan_ops, NULL, NULL, plan_events,
};

int plan_on_removed(struct crm *c, const struct change *ch)
{
	char idtxt[24];
	snprintf(idtxt, sizeof(idtxt), "%lld", ch->id);
	long long pay = db_get_int(c, "SELECT payment_id FROM payment_alloc WHERE plan_id = ? LIMIT 1", idtxt, 0);
	if (pay)
		return crm_error(c, CRM_CONFLICT, "plan:%lld has payments applied to it (payment:%lld): remove them "
				 "first", ch->id, pay);
	return CRM_OK;
}

/* ---- dates ---- */

static int days_in(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : d[m - 1];
}

int plan_add_months(const char *date, int months, char *buf)
{
	int y, m, d;
	if (!date || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	long total = (long)y * 12 + (m - 1) + months;
	y = (int)(total / 12);
	m = (int)(total % 12) + 1;
	if (d > days_in(y, m))
		d = days_in(y, m);
	snprintf(buf, DATE_BUFSZ, "%04d-%02d-%02d", y, m, d);
	return 0;
}

static int add_days(const char *date, int days, char *buf)
{
	struct tm tm = { 0 };
	if (sscanf(date, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_mday += days;
	tm.tm_hour = 12;   /* away from any DST edge */
	tm.tm_isdst = -1;
	if (mktime(&tm) == (time_t)-1)
		return -1;
	strftime(buf, DATE_BUFSZ, "%Y-%m-%d", &tm);
	return 0;
}

/* "1m" -> 1 month; "2w" -> 14 days; "1q" -> 3 months; "1y" -> 12 months. */
static int span_parse(const char *s, int *months, int *days)
{
	char *end;
	long n = strtol(s, &end, 10);
	*months = *days = 0;
	if (end == s || n <= 0 || n > 1200)
		return -1;
	if (!strcmp(end, "m") || !strcmp(end, "mo") || !strcmp(end, "月"))
		*months = (int)n;
	else if (!strcmp(end, "q"))
		*months = (int)n * 3;
	else if (!strcmp(end, "y"))
		*months = (int)n * 12;
	else if (!strcmp(end, "w"))
		*days = (int)n * 7;
	else if (!strcmp(end, "d") || !*end)
		*days = (int)n;
	else
		return -1;
	return 0;
}

int plan_split(struct crm *c, long long contract, const char *parts, const char *first, const char *every)
{
	int pct[64], n, months, days;
	long long amounts[64];
	char day[DATE_BUFSZ];
	struct cash_contract k;
	if (!parts || price_parse_split(parts, pct, 64, &n) != 0)
		return crm_error(c, CRM_USAGE, "--parts: '%s' is not a list of percentages (30%%,40%%,30%%)",
				 parts ? parts : "");
	if (!first || date_normalize(first, 1, day) != 0)
		return crm_error(c, CRM_USAGE, "--first: '%s' is not a date", first ? first : "");
	if (span_parse(every ? every : "1m", &months, &days) != 0)
		return crm_error(c, CRM_USAGE, "--every: '%s' is not a span (1m a month, 1q, 1y, 2w, 30d)", every);
	int rc = cash_contract_signed(c, contract, "a payment plan", &k);
	if (rc)
		return rc == CRM_BADINPUT ? crm_error(c, CRM_NOTFOUND, "no contract with id %lld", contract) : rc;
	for (int i = 0; i < n; i++)
		if (pct[i] <= 0)
			return crm_error(c, CRM_USAGE, "--parts: %s has a part of 0%%: every instalment is for something",
					 parts);
	if (price_split(k.amount, pct, n, amounts) != 0)
		return crm_error(c, CRM_USAGE, "--parts: %s does not add up to 100%%", parts);
	const struct type *t = type_find(c, plan_type.name);
	long long ids[64];
	struct cash_txn x;
	if ((rc = cash_begin(c, &x)))
		return rc;
	for (int i = 0; i < n && !rc; i++) {
		char due[DATE_BUFSZ], buf[MONEY_BUFSZ];
		rc = months ? plan_add_months(day, months * i, due) : add_days(day, days * i, due);
		if (rc) {
			rc = crm_error(c, CRM_USAGE, "--first: '%s' is not a date", first);
			break;
		}
		cJSON *f = cJSON_CreateObject();
		cJSON_AddNumberToObject(f, "contract_id", (double)contract);
		cJSON_AddStringToObject(f, "amount", money_format(amounts[i], buf));
		cJSON_AddStringToObject(f, "due", due);
		rc = record_insert(c, t, f, 0, &ids[i], NULL);
		cJSON_Delete(f);
	}
	if ((rc = cash_end(c, &x, rc)))
		return rc;
	for (int i = 0; i < n && !rc; i++)
		rc = record_print(c, t, ids[i]);
	return rc;
}
