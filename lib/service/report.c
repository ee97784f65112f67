/* report.c (service): report service, health, renewals, repurchase and
 * account tier. See report.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "core/config.h"
#include "core/db.h"
#include "core/dialect.h"
#include "core/query.h"
#include "core/record.h"
#include "io/out.h"
#include "service/report.h"
#include "service/survey.h"
#include "service/ticket.h"

static const char *col_text(struct db_stmt *st, int i)
{
	return (const char *)db_column_text(st, i);
}

static int prepare(struct crm *c, const char *sql, struct db_stmt **st)
{
	return query_prepare_readonly(c, sql, st);
}

/* ---- report service ---- */

struct svc_group {
	char *key;
	long long opened, resolved, within, backlog;
	long long *fr, *rs;        /* counted seconds to the first response, to the resolution */
	int nfr, nrs;
};

struct svc {
	struct svc_group *g;
	int n;
};

static struct svc_group *svc_group(struct svc *s, const char *key)
{
	for (int i = 0; i < s->n; i++)
		if ((!key && !s->g[i].key) || (key && s->g[i].key && !strcmp(key, s->g[i].key)))
			return &s->g[i];
	s->g = xrealloc(s->g, (s->n + 1) * sizeof(*s->g));
	struct svc_group *g = &s->g[s->n++];
	memset(g, 0, sizeof(*g));
	g->key = key ? xstrdup(key) : NULL;
	return g;
}

static void push(long long **v, int *n, long long x)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = x;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

static int cmp_group(const void *a, const void *b)
{
	const struct svc_group *x = a, *y = b;
	return strcmp(x->key ? x->key : "", y->key ? y->key : "");
}

/* The middle value, or the mean of the two middle ones rounded half up. */
static long long median(long long *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_ll);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2] + 1) / 2;
}

/* The group key of a measure: the ticket's owner or category, or the
 * month of the instant the measure is about. */
static const char *key_of(const char *by, struct db_stmt *st, const char *when, char month[8])
{
	if (!by)
		return NULL;
	if (!strcmp(by, "assignee"))
		return col_text(st, 1) ? col_text(st, 1) : "(none)";
	if (!strcmp(by, "category"))
		return col_text(st, 2) ? col_text(st, 2) : "(none)";
	snprintf(month, 8, "%.7s", when ? when : "");
	return month;
}

static bool at_or_after(const char *t, time_t since)
{
	time_t x;
	return t && date_parse(t, date_now(), &x, NULL) == 0 && x >= since;
}

static void pct1(struct out *o, const char *key, long long part, long long whole)
{
	if (whole > 0)
		out_real(o, key, (double)((part * 2000 + whole) / (2 * whole)) / 10.0);
}

int report_service(struct crm *c, const struct service_opts *o)
{
	if (o->by && strcmp(o->by, "assignee") && strcmp(o->by, "category") && strcmp(o->by, "month"))
		return crm_error(c, CRM_USAGE, "--by: '%s' is not assignee, category or month", o->by);
	char sbuf[32];
	time_t since = 0;
	if (o->since) {
		if (service_since(c, "--since", o->since, sbuf) || date_parse(sbuf, date_now(), &since, NULL))
			return c->errcode ? c->errcode : CRM_USAGE;
	}
	const struct sla_hours *h = NULL;
	if (ticket_sla_config(c, NULL, &h, NULL))
		return c->errcode;
	const struct type *t = type_find(c, "ticket");
	char *src = query_source(t), *scope = query_scope(c, t, "r", false);
	char *sql = xasprintf("SELECT r.id, r.owner, r.category, r.status, r.opened_at, r.first_response_at, "
			      "r.resolved_at, r.breached, %s FROM %s WHERE r.deleted_at IS NULL AND (%s) ORDER BY r.id",
			      ticket_pauses_sql, src, scope);
	free(src);
	free(scope);
	struct db_stmt *st;
	int rc = prepare(c, sql, &st);
	free(sql);
	if (rc)
		return rc;
	struct svc s = { NULL, 0 };
	char month[8];
	while ((rc = db_step(st)) == DB_ROW) {
		const char *status = col_text(st, 3), *opened = col_text(st, 4), *first = col_text(st, 5),
			   *resolved = col_text(st, 6), *pauses = col_text(st, 8);
		bool unresolved = status && (!strcmp(status, "new") || !strcmp(status, "open") || !strcmp(status, "pending"));
		if (at_or_after(opened, since))
			svc_group(&s, key_of(o->by, st, opened, month))->opened++;
		if (unresolved)
			svc_group(&s, key_of(o->by, st, opened, month))->backlog++;
		if (first && at_or_after(first, since)) {
			long long n = ticket_counted(c, opened, first, pauses);
			struct svc_group *g = svc_group(&s, key_of(o->by, st, first, month));
			if (n >= 0)
				push(&g->fr, &g->nfr, n);
		}
		if (resolved && at_or_after(resolved, since)) {
			long long n = ticket_counted(c, opened, resolved, pauses);
			struct svc_group *g = svc_group(&s, key_of(o->by, st, resolved, month));
			g->resolved++;
			if (db_column_type(st, 7) == DB_NULL)
				g->within++;
			if (n >= 0)
				push(&g->rs, &g->nrs, n);
		}
	}
	rc = rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "report service");
	db_finalize(st);
	if (s.n > 1)
		qsort(s.g, (size_t)s.n, sizeof(*s.g), cmp_group);
	const char *key = o->by ? o->by : "by";
	const char *cols[] = { "type", "by", key, "opened", "resolved", "median_first_response_seconds",
			       "median_resolution_seconds", "within_sla_pct", "backlog" };
	if (o->by)
		out_columns(c->out, cols, 9);
	else {
		const char *flat[] = { "type", "opened", "resolved", "median_first_response_seconds",
				       "median_resolution_seconds", "within_sla_pct", "backlog" };
		out_columns(c->out, flat, 7);
	}
	for (int i = 0; i < s.n; i++) {
		struct svc_group *g = &s.g[i];
		if (!rc) {
			struct out *w = c->out;
			out_begin(w);
			out_str(w, "type", "service");
			if (o->by) {
				out_str(w, "by", o->by);
				out_str(w, o->by, g->key);
			}
			out_int(w, "opened", g->opened);
			out_int(w, "resolved", g->resolved);
			if (g->nfr)
				out_int(w, "median_first_response_seconds", median(g->fr, g->nfr));
			if (g->nrs)
				out_int(w, "median_resolution_seconds", median(g->rs, g->nrs));
			pct1(w, "within_sla_pct", g->within, g->resolved);
			out_int(w, "backlog", g->backlog);
			out_end(w);
		}
		free(g->key);
		free(g->fr);
		free(g->rs);
	}
	int n = s.n;
	free(s.g);
	return rc ? rc : n ? CRM_OK : CRM_NOTFOUND;
}

/* ---- report health ---- */

int health_score(const struct health_parts *p)
{
	long long d = p->last_activity_days < 0 ? 0 : p->last_activity_days;
	long long pen = (d < 60 ? d : 60) / 2;
	pen += (p->open_tickets < 3 ? p->open_tickets : 3) * 5;
	pen += (p->breached_tickets < 2 ? p->breached_tickets : 2) * 10;
	if (p->csat10 >= 0)
		pen += (1000 - p->csat10 + 25) / 50;   /* (100 - csat) / 5, half up */
	if (p->nps >= 0)
		pen += p->nps <= 6 ? 15 : p->nps <= 8 ? 5 : 0;
	if (p->overdue)
		pen += 15;
	if (p->events_prev_30d > 0 && p->events_30d < p->events_prev_30d) {
		long long drop = p->events_prev_30d - p->events_30d;
		pen += (20 * drop + p->events_prev_30d) / (2 * p->events_prev_30d);   /* 10 x drop / prev, half up */
	}
	return pen >= 100 ? 0 : (int)(100 - pen);
}

struct acct {
	long long id;
	char *name, *owner;
	struct health_parts p;
	long long csat_answers, csat_happy;
	long long overdue;          /* minor units */
	char *currency;
	int health;
};

static int cmp_acct_id(const void *key, const void *elem)
{
	long long k = *(const long long *)key, id = ((const struct acct *)elem)->id;
	return k < id ? -1 : k > id;
}

static struct acct *acct_find(struct acct *a, int n, long long id)
{
	if (!n)   /* no account to look in (bsearch wants an array) */
		return NULL;
	return bsearch(&id, a, (size_t)n, sizeof(*a), cmp_acct_id);
}

/* Run sql (account_id first, then values) and hand each row to fn. */
static int per_account(struct crm *c, const char *sql, struct acct *a, int n,
		       void (*fn)(struct acct *x, struct db_stmt *st))
{
	struct db_stmt *st;
	int rc = prepare(c, sql, &st);
	if (rc)
		return rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct acct *x = acct_find(a, n, db_column_int64(st, 0));
		if (x)
			fn(x, st);
	}
	rc = rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "report health");
	db_finalize(st);
	return rc;
}

static void set_tickets(struct acct *x, struct db_stmt *st)
{
	x->p.open_tickets = db_column_int64(st, 1);
	x->p.breached_tickets = db_column_int64(st, 2);
}

static void set_csat(struct acct *x, struct db_stmt *st)
{
	x->csat_answers = db_column_int64(st, 1);
	x->csat_happy = db_column_int64(st, 2);
}

static void set_nps(struct acct *x, struct db_stmt *st)
{
	x->p.nps = db_column_int64(st, 1);
}

static void set_events(struct acct *x, struct db_stmt *st)
{
	x->p.events_30d += db_column_int64(st, 1);
	x->p.events_prev_30d += db_column_int64(st, 2);
}

static void set_overdue(struct acct *x, struct db_stmt *st)
{
	/* one currency per account: the one with the most money past due */
	if (x->currency)
		return;
	x->overdue = db_column_int64(st, 1);
	x->currency = col_text(st, 2) ? xstrdup(col_text(st, 2)) : NULL;
	x->p.overdue = x->overdue > 0;
}

static int cmp_health(const void *a, const void *b)
{
	const struct acct *x = a, *y = b;
	if (x->health != y->health)
		return x->health < y->health ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static bool table_exists(struct crm *c, const char *name)
{
	/* a table has columns: the same question on both backends */
	char *sql = xasprintf("SELECT count(*) FROM (%s) AS t", dialect_columns_sql(c));
	bool r = db_get_int(c, sql, name, 0) > 0;
	free(sql);
	return r;
}

int report_health(struct crm *c, const struct service_opts *o)
{
	const struct type *ta = type_find(c, "account"), *tt = type_find(c, "ticket");
	char *scope = query_scope(c, ta, "r", false);
	char *days = dialect_integer(c, "days_since(coalesce(r.last_contacted_at, r.created_at))");
	char *sql = xasprintf("SELECT r.id, r.name, r.owner, %s FROM account AS r WHERE r.deleted_at IS NULL "
			      "AND (CAST(?1 AS text) IS NULL OR r.owner = ?1) AND (%s) ORDER BY r.id", days, scope);
	free(days);
	free(scope);
	struct db_stmt *st;
	int rc = prepare(c, sql, &st);
	free(sql);
	if (rc)
		return rc;
	if (o->owner)
		db_bind_text(st, 1, o->owner, -1, DB_TRANSIENT);
	struct acct *a = NULL;
	int n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		a = xrealloc(a, (n + 1) * sizeof(*a));
		struct acct *x = &a[n++];
		memset(x, 0, sizeof(*x));
		x->id = db_column_int64(st, 0);
		x->name = col_text(st, 1) ? xstrdup(col_text(st, 1)) : NULL;
		x->owner = col_text(st, 2) ? xstrdup(col_text(st, 2)) : NULL;
		x->p.last_activity_days = db_column_int64(st, 3);
		x->p.csat10 = x->p.nps = -1;
	}
	rc = rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "report health");
	db_finalize(st);

	/* the tickets not yet resolved, and those of them past an SLA due time */
	char *tsrc = query_source(tt);
	sql = xasprintf("SELECT r.account_id, count(*), coalesce(sum(r.breached IS NOT NULL), 0) FROM %s "
			"WHERE r.deleted_at IS NULL AND r.status IN ('new', 'open', 'pending') GROUP BY r.account_id", tsrc);
	free(tsrc);
	if (!rc)
		rc = per_account(c, sql, a, n, set_tickets);
	free(sql);
	if (!rc)
		rc = per_account(c, "SELECT account_id, count(*), coalesce(sum(csat >= 4), 0) FROM survey "
				    "WHERE deleted_at IS NULL AND csat IS NOT NULL "
				    "AND julianday(at) >= julianday(crm_now()) - 90 GROUP BY account_id", a, n, set_csat);
	if (!rc)
		rc = per_account(c, "SELECT s.account_id, s.nps FROM survey AS s WHERE s.deleted_at IS NULL "
				    "AND s.nps IS NOT NULL AND s.id = (SELECT s2.id FROM survey AS s2 WHERE "
				    "s2.account_id = s.account_id AND s2.nps IS NOT NULL AND s2.deleted_at IS NULL "
				    "ORDER BY julianday(s2.at) DESC, s2.id DESC LIMIT 1)", a, n, set_nps);
	/* behaviour events of its leads: a lead of the account, or of one of
	 * its contacts */
	if (!rc)
		rc = per_account(c, "SELECT coalesce(l.account_id, (SELECT k.account_id FROM contact AS k "
				    "WHERE k.id = l.contact_id)) AS acc, "
				    "coalesce(sum(julianday(e.at) > julianday(crm_now()) - 30), 0), "
				    "coalesce(sum(julianday(e.at) <= julianday(crm_now()) - 30 "
				    "AND julianday(e.at) > julianday(crm_now()) - 60), 0) "
				    "FROM event AS e JOIN lead AS l ON l.id = e.lead_id "
				    "WHERE e.deleted_at IS NULL AND l.deleted_at IS NULL "
				    "AND julianday(e.at) > julianday(crm_now()) - 60 GROUP BY acc", a, n, set_events);
	/* money past due: what the plans of its signed contracts due before
	 * today still miss (a plan due 03-31 is overdue on 04-01) */
	if (!rc && table_exists(c, "plan") && table_exists(c, "payment_alloc"))
		rc = per_account(c, "SELECT k.account_id, sum(p.amount - coalesce((SELECT sum(x.amount) FROM payment_alloc AS x "
				    "WHERE x.plan_id = p.id), 0)) AS owed, coalesce(p.currency, k.currency) AS cur "
				    "FROM plan AS p JOIN contract AS k ON k.id = p.contract_id "
				    "WHERE p.deleted_at IS NULL AND k.deleted_at IS NULL AND k.signed_at IS NOT NULL "
				    "AND p.due < substr(crm_now(), 1, 10) "
				    "AND p.amount > coalesce((SELECT sum(x.amount) FROM payment_alloc AS x WHERE x.plan_id = p.id), 0) "
				    "GROUP BY k.account_id, cur ORDER BY k.account_id, owed DESC", a, n, set_overdue);
	long long below = config_get_int(c, "health.risk_below", 40);
	for (int i = 0; i < n; i++) {
		struct acct *x = &a[i];
		struct satisfaction s = { .csat_answers = x->csat_answers, .csat_happy = x->csat_happy };
		long long v;
		if (satisfaction_csat_pct10(&s, &v))
			x->p.csat10 = v;
		x->health = health_score(&x->p);
	}
	if (n > 1)
		qsort(a, (size_t)n, sizeof(*a), cmp_health);
	static const char *const cols[] = { "type", "id", "name", "owner", "last_activity_days", "open_tickets",
					    "breached_tickets", "csat", "nps", "overdue", "event_trend", "health",
					    "risk" };
	out_columns(c->out, cols, 13);
	for (int i = 0; i < n; i++) {
		struct acct *x = &a[i];
		if (!rc) {
			struct out *w = c->out;
			out_begin(w);
			out_str(w, "type", "account");
			out_int(w, "id", x->id);
			out_str(w, "name", x->name);
			out_str(w, "owner", x->owner);
			out_int(w, "last_activity_days", x->p.last_activity_days);
			out_int(w, "open_tickets", x->p.open_tickets);
			out_int(w, "breached_tickets", x->p.breached_tickets);
			if (x->p.csat10 >= 0)
				out_real(w, "csat", (double)x->p.csat10 / 10.0);
			if (x->p.nps >= 0)
				out_int(w, "nps", x->p.nps);
			out_money(w, "overdue", x->overdue);
			if (x->currency)
				out_str(w, "currency", x->currency);
			out_int(w, "events_30d", x->p.events_30d);
			out_int(w, "events_prev_30d", x->p.events_prev_30d);
			if (x->p.events_prev_30d > 0)
				out_real(w, "event_trend",
					 (double)((x->p.events_30d * 20 + x->p.events_prev_30d) / (2 * x->p.events_prev_30d)) / 10.0);
			out_int(w, "health", x->health);
			out_bool(w, "risk", x->health < below);
			out_end(w);
		}
		free(x->name);
		free(x->owner);
		free(x->currency);
	}
	free(a);
	return rc ? rc : n ? CRM_OK : CRM_NOTFOUND;
}

/* Run sql and print a line per row through row; CRM_NOTFOUND when none. */
static int rows_print(struct crm *c, char *sql, const char *const *cols, int ncols, const char *what,
		      void (*row)(struct out *w, struct db_stmt *st))
{
	struct db_stmt *st;
	int rc = prepare(c, sql, &st);
	free(sql);
	if (rc)
		return rc;
	out_columns(c->out, cols, ncols);
	long n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		out_begin(c->out);
		row(c->out, st);
		out_end(c->out);
		n++;
	}
	rc = rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, what);
	db_finalize(st);
	return rc ? rc : n ? CRM_OK : CRM_NOTFOUND;
}

/* ---- report renewals ---- */

static void renewal_row(struct out *w, struct db_stmt *st)
{
	out_str(w, "type", "contract");
	out_int(w, "id", db_column_int64(st, 0));
	out_str(w, "number", col_text(st, 1));
	out_str(w, "name", col_text(st, 2));
	if (db_column_type(st, 3) != DB_NULL)
		out_int(w, "account_id", db_column_int64(st, 3));
	out_str(w, "account", col_text(st, 4));
	out_money(w, "amount", db_column_int64(st, 5));
	out_str(w, "currency", col_text(st, 6));
	out_str(w, "end", col_text(st, 7));
	out_int(w, "days_left", db_column_int64(st, 9));
	out_str(w, "owner", col_text(st, 8));
}

int report_renewals(struct crm *c, const struct service_opts *o)
{
	long long secs = 90LL * 86400;
	if (o->within && (duration_parse(o->within, &secs) != 0 || secs < 0))
		return crm_error(c, CRM_USAGE, "--within: '%s' is not a span (90d, 12w)", o->within);
	const struct type *tc = type_find(c, "contract");
	if (!tc || !table_exists(c, "contract"))
		return crm_error(c, CRM_NOTFOUND, "there are no contracts");
	char *scope = query_scope(c, tc, "k", false);
	char *left = dialect_days_between_days(c, "k.\"end\"", "substr(crm_now(), 1, 10)");
	char *last = dialect_day_plus(c, "substr(crm_now(), 1, 10)", secs / 86400);
	char *sql = xasprintf(
		"SELECT k.id, k.number, k.name, k.account_id, a.name, k.amount, k.currency, k.\"end\", k.owner, %s "
		"FROM contract AS k LEFT JOIN account AS a ON a.id = k.account_id "
		"WHERE k.deleted_at IS NULL AND k.status = 'signed' "
		"AND k.\"end\" >= substr(crm_now(), 1, 10) AND k.\"end\" <= %s "
		"AND NOT EXISTS (SELECT 1 FROM deal AS d WHERE d.renewal_of = k.id AND d.deleted_at IS NULL) "
		"AND (%s) ORDER BY k.\"end\", k.id", left, last, scope);
	free(left);
	free(last);
	free(scope);
	static const char *const cols[] = { "type", "id", "number", "account", "amount", "currency", "end",
					    "days_left", "owner" };
	return rows_print(c, sql, cols, 9, "report renewals", renewal_row);
}

/* ---- report repurchase ---- */

static void repurchase_row(struct out *w, struct db_stmt *st)
{
	out_str(w, "type", "account");
	out_int(w, "id", db_column_int64(st, 0));
	out_str(w, "name", col_text(st, 1));
	out_str(w, "owner", col_text(st, 2));
	out_int(w, "contracts", db_column_int64(st, 3));
	out_str(w, "first_signed_at", col_text(st, 4));
	out_str(w, "last_signed_at", col_text(st, 5));
	out_real(w, "avg_interval_days", round(db_column_double(st, 6) * 10) / 10);
	out_real(w, "days_since_last", round(db_column_double(st, 7) * 10) / 10);
}

int report_repurchase(struct crm *c, const struct service_opts *o)
{
	(void)o;
	const struct type *ta = type_find(c, "account"), *tc = type_find(c, "contract");
	if (!tc || !table_exists(c, "contract"))
		return crm_error(c, CRM_NOTFOUND, "there are no contracts");
	char *scope = query_scope(c, ta, "a", false), *kscope = query_scope(c, tc, "k", false);
	/* the interval between the first and the last of n signings, over
	 * n - 1, against the days since the last */
	char *sql = xasprintf(
		"SELECT * FROM (SELECT a.id, a.name, a.owner, s.n, s.first_at, s.last_at, "
		"(julianday(s.last_at) - julianday(s.first_at)) / (s.n - 1) AS avg_days, "
		"julianday(crm_now()) - julianday(s.last_at) AS since_days "
		"FROM (SELECT k.account_id AS acc, count(*) AS n, min(k.signed_at) AS first_at, max(k.signed_at) AS last_at "
		"  FROM contract AS k WHERE k.deleted_at IS NULL AND k.signed_at IS NOT NULL AND k.status <> 'terminated' "
		"  AND (%s) GROUP BY k.account_id HAVING count(*) >= 2) AS s "
		"JOIN account AS a ON a.id = s.acc WHERE a.deleted_at IS NULL AND (%s) "
		"AND julianday(crm_now()) - julianday(s.last_at) > (julianday(s.last_at) - julianday(s.first_at)) / (s.n - 1)"
		") AS r ORDER BY r.since_days - r.avg_days DESC, r.id", kscope, scope);
	free(scope);
	free(kscope);
	static const char *const cols[] = { "type", "id", "name", "owner", "contracts", "last_signed_at",
					    "avg_interval_days", "days_since_last" };
	return rows_print(c, sql, cols, 8, "report repurchase", repurchase_row);
}

/* ---- account tier ---- */

struct tier_row {
	long long id, received;
	char *name, *tier, *was;
};

/* The day months calendar months before day (YYYY-MM-DD), into buf, as
 * SQLite's date(day, '-N months') counts: the same day of that month,
 * past its end into the next (2024-02-29 less 12 months is 2023-03-01). */
static void months_before(const char *day, int months, char *buf)
{
	int y = 0, m = 0, d = 0;
	if (sscanf(day, "%4d-%2d-%2d", &y, &m, &d) != 3) {
		snprintf(buf, DATE_BUFSZ, "%s", day);
		return;
	}
	long total = (long)y * 12 + (m - 1) - months;
	char first[DATE_BUFSZ];
	snprintf(first, sizeof(first), "%04ld-%02ld-01", total / 12, total % 12 + 1);
	date_add_days(first, d - 1, buf);
}

int account_tier(struct crm *c, const struct service_opts *o)
{
	const struct type *ta = type_find(c, "account");
	char *cur = o->currency ? xstrdup(o->currency) : config_get(c, "currency");
	if (!cur)
		cur = xstrdup("CNY");
	bool cash = table_exists(c, "payment") && table_exists(c, "contract");
	/* what the user sees; --apply then needs write access to each (5) */
	char *scope = query_scope(c, ta, "a", false);
	/* payments received in the 12 months up to today, in the currency:
	 * the day counted from in C, as SQLite's date(today, '-12 months')
	 * has it (a 29 February's is 1 March), the same on a server */
	char today[DATE_BUFSZ], since[DATE_BUFSZ];
	date_format_day(date_now(), today);
	months_before(today, 12, since);
	char *sql = xasprintf(
		"SELECT a.id, a.name, a.tier, %s AS received FROM account AS a WHERE a.deleted_at IS NULL AND (%s) "
		"ORDER BY received DESC, a.id", cash ?
		"coalesce((SELECT sum(p.amount) FROM payment AS p JOIN contract AS k ON k.id = p.contract_id "
		"WHERE k.account_id = a.id AND p.deleted_at IS NULL AND k.deleted_at IS NULL "
		"AND coalesce(p.currency, k.currency, ?1) = ?1 "
		"AND p.date <= ?2 AND p.date > ?3), 0)" : "0",
		scope);
	free(scope);
	struct db_stmt *st;
	int rc = prepare(c, sql, &st);
	free(sql);
	if (rc) {
		free(cur);
		return rc;
	}
	if (cash) {
		db_bind_text(st, 1, cur, -1, DB_TRANSIENT);
		db_bind_text(st, 2, today, -1, DB_TRANSIENT);
		db_bind_text(st, 3, since, -1, DB_TRANSIENT);
	}
	struct tier_row *rows = NULL;
	int n = 0;
	long long total = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		rows = xrealloc(rows, (n + 1) * sizeof(*rows));
		struct tier_row *r = &rows[n++];
		r->id = db_column_int64(st, 0);
		r->name = col_text(st, 1) ? xstrdup(col_text(st, 1)) : NULL;
		r->was = col_text(st, 2) ? xstrdup(col_text(st, 2)) : NULL;
		r->received = db_column_int64(st, 3);
		r->tier = NULL;
		total += r->received > 0 ? r->received : 0;
	}
	rc = rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "account tier");
	db_finalize(st);
	static const char *const cols[] = { "type", "id", "name", "received", "currency", "share_pct", "running_pct",
					    "tier", "was" };
	out_columns(c->out, cols, 9);
	long long running = 0;
	bool perm = false;
	for (int i = 0; i < n; i++) {
		struct tier_row *r = &rows[i];
		/* A while the running share is within 80% (the first is always
		 * A), B within 95%, the rest C; no payments: C */
		const char *tier = "C";
		if (r->received > 0) {
			running += r->received;
			if (i == 0 || running * 100 <= total * 80)
				tier = "A";
			else if (running * 100 <= total * 95)
				tier = "B";
		}
		bool refused = false;
		if (!rc && o->apply && (!r->was || strcmp(r->was, tier))) {
			cJSON *ch = cJSON_CreateObject();
			cJSON_AddStringToObject(ch, "tier", tier);
			rc = record_update(c, ta, r->id, ch, 0);
			cJSON_Delete(ch);
			/* one the user sees but may not change is refused on
			 * its own (5 at the end); the others are stored */
			if (rc == CRM_PERM) {
				crm_report(c);
				refused = true;
				rc = CRM_OK;
			}
		}
		if (refused)
			perm = true;
		else if (!rc) {
			struct out *w = c->out;
			out_begin(w);
			out_str(w, "type", "account");
			out_int(w, "id", r->id);
			out_str(w, "name", r->name);
			out_money(w, "received", r->received);
			out_str(w, "currency", cur);
			if (total > 0 && r->received > 0) {
				out_real(w, "share_pct", (double)((r->received * 2000 + total) / (2 * total)) / 10.0);
				out_real(w, "running_pct", (double)((running * 2000 + total) / (2 * total)) / 10.0);
			}
			out_str(w, "tier", tier);
			if (r->was && strcmp(r->was, tier))
				out_str(w, "was", r->was);
			out_end(w);
		}
		free(r->name);
		free(r->was);
	}
	free(rows);
	free(cur);
	return rc ? rc : perm ? CRM_PERM : n ? CRM_OK : CRM_NOTFOUND;
}
