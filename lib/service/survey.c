/* survey.c: satisfaction surveys and the satisfaction report. See survey.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "core/db.h"
#include "core/query.h"
#include "core/record.h"
#include "io/out.h"
#include "service/survey.h"

static const struct field survey_fields[] = {
	FIELD_ID,
	{ "entity", FK_ENTITY, FF_REQUIRED | FF_LIST | FF_ABOUT, NULL, NULL, "对象", NULL },
	{ "account_id", FK_REF, FF_PARENT | FF_SYSTEM, NULL, "account", "客户编号", NULL },
	{ "csat", FK_INT, FF_LIST, "1..5", NULL, "满意度", NULL },
	{ "nps", FK_INT, FF_LIST, "0..10", NULL, "NPS", NULL },
	{ "comment", FK_TEXT, FF_SEARCH | FF_LIST, NULL, NULL, "评价", NULL },
	{ "at", FK_TIME, FF_LIST, NULL, NULL, "时间", DFLT_NOW },
	{ "owner", FK_TEXT, 0, NULL, NULL, "负责人", NULL },
	{ "category", FK_TEXT, 0, NULL, NULL, "分类", NULL },
	FIELD_TAGS, FIELD_STAMPS,
};

static bool given(const cJSON *fields, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(fields, key);
	return v && !cJSON_IsNull(v) && !(cJSON_IsString(v) && !*v->valuestring);
}

static int survey_check(struct crm *c, const struct type *t, const cJSON *fields, bool inserting,
			unsigned flags)
{
	(void)t;
	(void)flags;
	bool csat = given(fields, "csat"), nps = given(fields, "nps");
	if (inserting && csat == nps)
		return crm_error(c, CRM_BADINPUT, csat ? "a survey answer is CSAT (csat=1-5) or NPS (nps=0-10), not both"
					    : "a survey needs an answer: csat=1-5 or nps=0-10");
	return CRM_OK;
}

/* What it is about gives its account, owner and category. */
static int survey_fill(struct crm *c, const struct type *t, struct rec *r, unsigned flags)
{
	(void)t;
	(void)flags;
	const char *ent = rec_get(r, "entity");
	const struct type *et;
	long long id;
	if (!ent || entity_parse(c, ent, NULL, &et, &id))
		return crm_error(c, CRM_BADINPUT, "entity: required field missing");
	const char *sql;
	if (!strcmp(et->name, "ticket"))
		sql = "SELECT account_id, owner, category FROM ticket WHERE id = ?";
	else if (!strcmp(et->name, "contact"))
		sql = "SELECT account_id, owner, NULL FROM contact WHERE id = ?";
	else if (!strcmp(et->name, "account"))
		sql = "SELECT id, owner, NULL FROM account WHERE id = ?";
	else
		return crm_error(c, CRM_BADINPUT, "entity: a survey is about a ticket, an account or a contact, not %s",
				 ent);
	struct db_stmt *st = db_stmt(c, sql);
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, id);
	if (db_step(st) == DB_ROW) {
		rec_set(r, "account_id", (const char *)db_column_text(st, 0));
		if (!rec_get(r, "owner"))
			rec_set(r, "owner", (const char *)db_column_text(st, 1));
		if (!rec_get(r, "category"))
			rec_set(r, "category", (const char *)db_column_text(st, 2));
	}
	db_reset(st);
	if (!rec_get(r, "owner"))
		rec_set(r, "owner", c->user);
	return CRM_OK;
}

/* An update keeps one answer: a CSAT one or an NPS one. */
static int survey_updated(struct crm *c, const struct type *t, long long id, const cJSON *before,
			  const cJSON *after, unsigned flags)
{
	(void)t;
	(void)before;
	(void)flags;
	if (given(after, "csat") == given(after, "nps"))
		return crm_error(c, CRM_BADINPUT, "survey:%lld: an answer is CSAT (csat=1-5) or NPS (nps=0-10): "
				 "exactly one of them", id);
	return CRM_OK;
}

static const struct type_ops survey_ops = {
	.check = survey_check,
	.fill = survey_fill,
	.updated = survey_updated,
};

const struct type survey_type = {
	"survey", "surveys", 15, TYPE_FIELDS(survey_fields), false, &survey_ops, "survey.received", NULL, NULL,
};

/* ---- the report ---- */

int service_since(struct crm *c, const char *opt, const char *in, char out[32])
{
	time_t now = date_now(), t;
	long long secs;
	if (date_parse(in, now, &t, NULL) != 0) {
		if (duration_parse(in, &secs) != 0)
			return crm_error(c, CRM_USAGE, "%s: '%s' is not a time or a span (2026-01-01, 30d)", opt, in);
		t = now - (time_t)secs;
	}
	date_format(t, out);
	return CRM_OK;
}

/* a * 1000 / b, rounded half away from zero (b > 0) */
static long long pct10(long long a, long long b)
{
	long long x = a * 1000;
	return x >= 0 ? (2 * x + b) / (2 * b) : -((-2 * x + b) / (2 * b));
}

bool satisfaction_csat_pct10(const struct satisfaction *s, long long *v)
{
	if (s->csat_answers <= 0)
		return false;
	*v = pct10(s->csat_happy, s->csat_answers);
	return true;
}

bool satisfaction_nps10(const struct satisfaction *s, long long *v)
{
	if (s->nps_answers <= 0)
		return false;
	/* the difference of the two percents, rounded once */
	*v = pct10(s->promoters - s->detractors, s->nps_answers);
	return true;
}

void satisfaction_free(struct satisfaction *rows, int n)
{
	for (int i = 0; i < n; i++)
		free(rows[i].key);
	free(rows);
}

int satisfaction_compute(struct crm *c, const struct satisfaction_opts *o, struct satisfaction **rows, int *n)
{
	*rows = NULL;
	*n = 0;
	const char *key;
	if (!o->by)
		key = "CAST(NULL AS text)";
	else if (!strcmp(o->by, "month"))
		key = "substr(r.at, 1, 7)";
	else if (!strcmp(o->by, "owner"))
		key = "coalesce(r.owner, '(none)')";
	else if (!strcmp(o->by, "category"))
		key = "coalesce(r.category, '(none)')";
	else
		return crm_error(c, CRM_USAGE, "--by: '%s' is not month, owner or category", o->by);
	char since[32] = "";
	if (o->since && service_since(c, "--since", o->since, since))
		return c->errcode;
	const struct type *t = type_find(c, "survey");
	char *scope = query_scope(c, t, "r", false);
	char *sql = xasprintf(
		"SELECT %s AS k, count(*), count(r.csat), coalesce(sum(r.csat >= 4), 0), count(r.nps), "
		"coalesce(sum(r.nps >= 9), 0), coalesce(sum(r.nps <= 6), 0) FROM survey AS r "
		"WHERE r.deleted_at IS NULL AND (?1 = '' OR julianday(r.at) >= julianday(?1)) "
		"AND (CAST(?2 AS text) IS NULL OR r.owner = ?2) AND (%s) GROUP BY k ORDER BY k", key, scope);
	free(scope);
	struct db_stmt *st;
	int rc = query_prepare_readonly(c, sql, &st);
	free(sql);
	if (rc)
		return rc;
	db_bind_text(st, 1, since, -1, DB_TRANSIENT);
	if (o->owner)
		db_bind_text(st, 2, o->owner, -1, DB_TRANSIENT);
	while ((rc = db_step(st)) == DB_ROW) {
		if (db_column_int64(st, 1) == 0)
			continue;   /* no group: an aggregate over nothing */
		*rows = xrealloc(*rows, (*n + 1) * sizeof(**rows));
		struct satisfaction *s = &(*rows)[(*n)++];
		const char *k = (const char *)db_column_text(st, 0);
		s->key = k ? xstrdup(k) : NULL;
		s->responses = db_column_int64(st, 1);
		s->csat_answers = db_column_int64(st, 2);
		s->csat_happy = db_column_int64(st, 3);
		s->nps_answers = db_column_int64(st, 4);
		s->promoters = db_column_int64(st, 5);
		s->detractors = db_column_int64(st, 6);
	}
	rc = rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "report satisfaction");
	db_finalize(st);
	if (rc) {
		satisfaction_free(*rows, *n);
		*rows = NULL;
		*n = 0;
		return rc;
	}
	return *n ? CRM_OK : CRM_NOTFOUND;
}

void satisfaction_emit(struct crm *c, const char *by, const struct satisfaction *s)
{
	struct out *o = c->out;
	long long v;
	out_begin(o);
	out_str(o, "type", "satisfaction");
	if (by) {
		out_str(o, "by", by);
		out_str(o, by, s->key);
	}
	out_int(o, "responses", s->responses);
	out_int(o, "csat_answers", s->csat_answers);
	if (satisfaction_csat_pct10(s, &v))
		out_real(o, "csat_pct", (double)v / 10.0);
	out_int(o, "nps_answers", s->nps_answers);
	out_int(o, "promoters", s->promoters);
	out_int(o, "detractors", s->detractors);
	if (satisfaction_nps10(s, &v))
		out_real(o, "nps", (double)v / 10.0);
	out_end(o);
}

int satisfaction_report(struct crm *c, const struct satisfaction_opts *o)
{
	struct satisfaction *rows;
	int n;
	int rc = satisfaction_compute(c, o, &rows, &n);
	if (rc && rc != CRM_NOTFOUND)
		return rc;
	const char *cols[] = { "type", "by", o->by ? o->by : "by", "responses", "csat_answers", "csat_pct",
			       "nps_answers", "promoters", "detractors", "nps" };
	if (o->by)
		out_columns(c->out, cols, 10);
	else {
		const char *flat[] = { "type", "responses", "csat_answers", "csat_pct", "nps_answers", "promoters",
				       "detractors", "nps" };
		out_columns(c->out, flat, 8);
	}
	for (int i = 0; i < n; i++)
		satisfaction_emit(c, o->by, &rows[i]);
	satisfaction_free(rows, n);
	return rc;
}
