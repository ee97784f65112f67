/* kpi.c: the KPIs of a period, beside the previous one when asked. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/query.h"
#include "core/type.h"
#include "insight/compare.h"
#include "insight/kpi.h"
#include "insight/period.h"
#include "io/out.h"

/* ?1 since, ?2 until (NULL: up to now), ?3 owner, ?4 members (JSON):
 * whose records. */
#define IN_PERIOD(col) "julianday(" col ") >= julianday(?1) AND (CAST(?2 AS text) IS NULL " \
	"OR julianday(" col ") < julianday(?2))"
#define OWNED(col) "(CAST(?3 AS text) IS NULL OR " col " = ?3) AND (CAST(?4 AS text) IS NULL " \
	"OR " col " IN (SELECT value FROM json_each(?4)))"

static int prepare(struct crm *c, const char *fmt, const char *type, const char *alias,
		   const struct report_opts *r, struct db_stmt **st)
{
	const struct type *t = type_find(c, type);
	char *scope = t ? query_scope(c, t, alias, false) : xstrdup(QUERY_SCOPE_ALL);
	char *sql = xasprintf(fmt, scope);
	free(scope);
	int rc = db_prepare(c, sql, -1, st, NULL);
	free(sql);
	if (rc != DB_OK)
		return crm_dberror(c, rc, "report kpi");
	db_bind_text(*st, 1, r->since, -1, DB_TRANSIENT);
	db_bind_text(*st, 2, r->until, -1, DB_TRANSIENT);
	if (r->owner)
		db_bind_text(*st, 3, r->owner, -1, DB_TRANSIENT);
	if (r->members)
		db_bind_text(*st, 4, r->members, -1, DB_TRANSIENT);
	return CRM_OK;
}

static int finish(struct crm *c, struct db_stmt *st, int rc)
{
	db_finalize(st);
	return rc == DB_DONE || rc == DB_ROW ? CRM_OK : crm_dberror(c, rc, "report kpi");
}

static void put_dec(cJSON *o, const char *key, double v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%.15g", (double)llround(v * 10) / 10);
	cJSON_AddRawToObject(o, key, buf);
}

static cJSON *kpi_row(cJSON *rows, const char *kpi, const char *label, const char *unit)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", "kpi");
	cJSON_AddStringToObject(o, "kpi", kpi);
	cJSON_AddStringToObject(o, "label", label);
	cJSON_AddStringToObject(o, "unit", unit);
	cJSON_AddItemToArray(rows, o);
	return o;
}

static void pct(cJSON *o, const char *key, long long part, long long whole)
{
	if (whole)
		put_dec(o, key, 100.0 * part / whole);
}

static int response(struct crm *c, const struct report_opts *r, cJSON *rows)
{
	struct db_stmt *st;
	int rc = prepare(c, "SELECT h FROM (SELECT (julianday((SELECT min(a.at) FROM activity a "
			    "  WHERE a.entity = 'lead:' || l.id AND a.deleted_at IS NULL)) - julianday(l.created_at)) * 24 AS h "
			    "FROM lead l WHERE l.deleted_at IS NULL AND " IN_PERIOD("l.created_at") " AND "
			    OWNED("l.owner") " AND (%s)) AS x ORDER BY h IS NULL, h", "lead", "l", r, &st);
	if (rc)
		return rc;
	double *v = NULL;
	long long n = 0, leads = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		leads++;
		if (db_column_type(st, 0) == DB_NULL)
			continue;
		v = xrealloc(v, (n + 1) * sizeof(double));
		double h = db_column_double(st, 0);
		v[n++] = h < 0 ? 0 : h;
	}
	cJSON *o = kpi_row(rows, "lead_response_hours", "线索响应时间 lead response", "hours");
	/* the middle value, the mean of the two middle ones for an even count
	 * (sorted: a negative one, counted as 0, was first) */
	if (n) {
		double a = v[(n + 1) / 2 - 1], b = v[(n + 2) / 2 - 1];
		put_dec(o, "value", (a + b) / 2);
	}
	cJSON_AddNumberToObject(o, "leads", (double)leads);
	cJSON_AddNumberToObject(o, "contacted", (double)n);
	free(v);
	return finish(c, st, rc);
}

static int leads(struct crm *c, const struct report_opts *r, cJSON *rows)
{
	struct db_stmt *st;
	int rc = prepare(c, "SELECT count(*), coalesce(sum(l.status = 'converted' OR l.deal_id IS NOT NULL), 0) "
			    "FROM lead l WHERE l.deleted_at IS NULL AND " IN_PERIOD("l.created_at") " AND "
			    OWNED("l.owner") " AND (%s)", "lead", "l", r, &st);
	if (rc)
		return rc;
	long long n = 0, conv = 0;
	if ((rc = db_step(st)) == DB_ROW) {
		n = db_column_int64(st, 0);
		conv = db_column_int64(st, 1);
	}
	rc = finish(c, st, rc);
	cJSON *o = kpi_row(rows, "lead_to_deal_pct", "线索转商机 lead to deal", "percent");
	pct(o, "value", conv, n);
	cJSON_AddNumberToObject(o, "leads", (double)n);
	cJSON_AddNumberToObject(o, "converted", (double)conv);
	return rc;
}

static int completeness(struct crm *c, const struct report_opts *r, cJSON *rows)
{
	struct db_stmt *st;
	int rc = prepare(c, "SELECT count(*), "
			    "coalesce(sum(nullif(l.phone, '') IS NOT NULL), 0), "
			    "coalesce(sum(nullif(l.company, '') IS NOT NULL), 0), "
			    "coalesce(sum(nullif(l.industry, '') IS NOT NULL), 0), "
			    "coalesce(sum(nullif(l.source, '') IS NOT NULL), 0), "
			    "coalesce(sum(nullif(l.phone, '') IS NOT NULL AND nullif(l.company, '') IS NOT NULL "
			    "  AND nullif(l.industry, '') IS NOT NULL AND nullif(l.source, '') IS NOT NULL), 0) "
			    "FROM lead l WHERE l.deleted_at IS NULL AND " IN_PERIOD("l.created_at") " AND "
			    OWNED("l.owner") " AND (%s)", "lead", "l", r, &st);
	if (rc)
		return rc;
	long long v[6] = { 0 };
	if ((rc = db_step(st)) == DB_ROW)
		for (int i = 0; i < 6; i++)
			v[i] = db_column_int64(st, i);
	rc = finish(c, st, rc);
	cJSON *o = kpi_row(rows, "data_completeness_pct", "数据完整度 data completeness", "percent");
	pct(o, "value", v[5], v[0]);
	cJSON_AddNumberToObject(o, "leads", (double)v[0]);
	pct(o, "phone_pct", v[1], v[0]);
	pct(o, "company_pct", v[2], v[0]);
	pct(o, "industry_pct", v[3], v[0]);
	pct(o, "source_pct", v[4], v[0]);
	return rc;
}

static int deals(struct crm *c, const struct report_opts *r, cJSON *rows)
{
	struct db_stmt *st;
	int rc = prepare(c, "SELECT coalesce(sum(d.status = 'won'), 0), coalesce(sum(d.status = 'lost'), 0), "
			    "avg(CASE WHEN d.status = 'won' THEN julianday(d.closed_at) - "
			    "  julianday(coalesce((SELECT l.created_at FROM lead l WHERE l.id = d.lead_id), d.created_at)) END) "
			    "FROM deal d WHERE d.deleted_at IS NULL AND d.status IN ('won', 'lost') AND "
			    IN_PERIOD("d.closed_at") " AND " OWNED("d.owner") " AND (%s)", "deal", "d", r, &st);
	if (rc)
		return rc;
	long long won = 0, lost = 0;
	double days = 0;
	bool have_days = false;
	if ((rc = db_step(st)) == DB_ROW) {
		won = db_column_int64(st, 0);
		lost = db_column_int64(st, 1);
		have_days = db_column_type(st, 2) != DB_NULL;
		days = db_column_double(st, 2);
	}
	rc = finish(c, st, rc);
	cJSON *o = kpi_row(rows, "win_rate_pct", "赢率 win rate", "percent");
	pct(o, "value", won, won + lost);
	cJSON_AddNumberToObject(o, "won_deals", (double)won);
	cJSON_AddNumberToObject(o, "lost_deals", (double)lost);
	o = kpi_row(rows, "sales_cycle_days", "销售周期 sales cycle", "days");
	if (have_days)
		put_dec(o, "value", days < 0 ? 0 : days);
	cJSON_AddNumberToObject(o, "won_deals", (double)won);
	return rc;
}

/* The KPIs of a period, in the order they print. */
static int kpi_rows(struct crm *c, const struct report_opts *r, cJSON **rows)
{
	*rows = cJSON_CreateArray();
	int rc = response(c, r, *rows);
	if (!rc)
		rc = leads(c, r, *rows);
	if (!rc)
		rc = deals(c, r, *rows);
	if (!rc)
		rc = completeness(c, r, *rows);
	return rc;
}

int kpi_run(struct crm *c, const struct kpi_opts *k)
{
	struct period p, pp;
	struct report_opts r = { 0 };
	char *members = NULL;
	if (k->compare && strcmp(k->compare, "previous"))
		return crm_error(c, CRM_USAGE, "--compare: '%s' is not previous", k->compare);
	int rc = period_since(c, k->since, &p);
	if (!rc)
		rc = period_owners(c, k->owner, k->team, &r, &members, NULL);
	if (rc)
		return rc;
	cJSON *rows = NULL, *prev = NULL, *out = NULL;
	period_apply(&p, &r);
	rc = kpi_rows(c, &r, &rows);
	if (!rc && k->compare) {
		period_previous(&p, &pp);
		period_apply(&pp, &r);
		rc = kpi_rows(c, &r, &prev);
		if (!rc)
			out = compare_rows(rows, prev, &p, &pp);
	} else if (!rc) {
		out = cJSON_Duplicate(rows, true);
		const cJSON *row;
		cJSON_ArrayForEach(row, out) {
			cJSON_AddStringToObject((cJSON *)row, "since", p.since);
			cJSON_AddStringToObject((cJSON *)row, "until", p.until);
		}
	}
	if (!rc) {
		static const char *const tcols[] = { "label", "value", "unit" };
		static const char *const ccols[] = { "label", "value", "value_previous", "value_change", "unit" };
		compare_print(c, out, k->compare ? ccols : tcols, k->compare ? 5 : 3);
	}
	cJSON_Delete(rows);
	cJSON_Delete(prev);
	cJSON_Delete(out);
	free(members);
	return rc;
}
