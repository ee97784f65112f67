/* report.c: funnel, forecast, cycle, leaderboard, sources, silent.
 *
 * The heavy lifting is set-based SQL; C only walks the few result rows.
 * Money is summed as integer minor units and printed with out_money.
 * The funnel and forecast read covering indexes and the derived data of
 * migration 005 (deal.reach, stage_history.days, stage_stats) and 074
 * (stage_history.deal_created_at), so they stay fast with a million
 * deals. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/money.h"
#include "base/sbuf.h"
#include "core/config.h"
#include "core/db.h"
#include "core/dialect.h"
#include "core/query.h"
#include "core/type.h"
#include "io/out.h"
#include "sales/report.h"

#define BAR_WIDTH 16

/* One decimal, as people read days and percentages. */
static double round1(double v)
{
	return (double)llround(v * 10) / 10;
}

/* --since as a stored time (NULL when not given). */
static int since_time(struct crm *c, const char *since, char *buf, const char **out)
{
	*out = NULL;
	if (!since)
		return CRM_OK;
	time_t now = date_now(), t;
	long long secs;
	if (date_parse(since, now, &t, NULL) != 0) {
		if (duration_parse(since, &secs) != 0)
			return crm_error(c, CRM_USAGE, "--since: '%s' is not a time or a span (2026-01-01, 30d)",
					 since);
		t = now - secs;
	}
	*out = date_format(t, buf);
	return CRM_OK;
}

/* A day a span back or on from a stored time t, as "YYYY-MM-DD" into buf
 * (NULL when t is): times sort as text only within one offset, so a time
 * range is first cut to the days around it, which an index on the column
 * can read, then checked exactly (julianday). Two days cover any offset. */
static const char *day_around(const char *t, int days, char *buf)
{
	time_t x;
	if (!t || date_parse(t, date_now(), &x, NULL) != 0)
		return NULL;
	return date_format_day(x + (time_t)days * 86400, buf);
}

/* Table columns (with the bar) or, for csv/tsv, every key in order so
 * rows that lack one still line up. */
static void columns(struct crm *c, const char *const *table, int nt, const char *const *all, int na)
{
	if (c->format == OUT_TABLE)
		out_columns(c->out, table, nt);
	else if (c->format != OUT_JSONL)
		out_columns(c->out, all, na);
}

/* What the acting user may see of type tn, over alias, as " AND (...)",
 * or "" when they see it all (no users, an admin): a rep's funnel is
 * their own deals. Newly allocated. */
static char *scope_and(struct crm *c, const char *tn, const char *alias)
{
	const struct type *t = type_find(c, tn);
	char *s = t ? query_scope(c, t, alias, false) : xstrdup(QUERY_SCOPE_ALL);
	char *r = strcmp(s, QUERY_SCOPE_ALL) ? xasprintf(" AND (%s)", s) : xstrdup("");
	free(s);
	return r;
}

static int prepare(struct crm *c, const char *sql, struct db_stmt **st)
{
	int rc = db_prepare(c, sql, -1, st, NULL);
	return rc == DB_OK ? CRM_OK : crm_dberror(c, rc, "report");
}

static void bind_opt(struct db_stmt *st, int i, const char *v)
{
	if (v)
		db_bind_text(st, i, v, -1, DB_TRANSIENT);
	else
		db_bind_null(st, i);
}

/* A sum of money read back: SQLite's sum() fails on an overflow, but
 * its + (the funnel's running totals) turns into floating point, so a
 * REAL where minor units should be is a sum past 64 bits, never a
 * figure to print (amounts are bounded: base/money.h MONEY_MAX). */
#define SUM_OVERFLOW (-1)

static bool sum_ok(struct db_stmt *st, int i)
{
	return db_column_type(st, i) != DB_FLOAT;
}

static int report_error(struct crm *c, int rc)
{
	if (rc == SUM_OVERFLOW)
		return crm_error(c, CRM_DBERR, "report: a sum of money is past what 64 bits hold");
	return crm_dberror(c, rc, "report");
}

static const char *col_text(struct db_stmt *st, int i)
{
	return (const char *)db_column_text(st, i);
}

/* Whether the leads created since since are few enough to read through
 * the index lead_created, one jump to its row each: those of a quarter of
 * the time the leads span or less; for more, reading the table in order
 * is faster. */
static bool recent_leads(struct crm *c, const char *since)
{
	char now[DATE_BUFSZ];
	struct db_stmt *st;
	if (!since || prepare(c, "SELECT (julianday(?1) - julianday(?2)) / "
			      "  (julianday(?1) - julianday((SELECT min(created_at) FROM lead)))", &st))
		return false;
	db_bind_text(st, 1, date_format(date_now(), now), -1, DB_TRANSIENT);
	db_bind_text(st, 2, since, -1, DB_TRANSIENT);
	bool few = db_step(st) == DB_ROW &&
		   (db_column_type(st, 0) == DB_NULL || db_column_double(st, 0) <= 0.25);
	db_finalize(st);
	return few;
}

/* ---- currencies ---- */

/* Sums never mix currencies: the currencies of the records a report adds
 * up (deals; leads too for sources), not removed, a record without one in
 * the default (config currency, else CNY), the default first. With one,
 * a report runs as it always did (its fast paths) and says which; with
 * several, once per currency over that currency's records. */
struct currencies {
	char *dflt;
	char **v;
	int n;
};

static void cur_add(struct currencies *cs, const char *cur)
{
	for (int i = 0; i < cs->n; i++)
		if (!strcmp(cs->v[i], cur))
			return;
	cs->v = xrealloc(cs->v, (cs->n + 1) * sizeof(char *));
	cs->v[cs->n++] = xstrdup(cur);
}

/* The distinct currencies of deals, one lookup each in the partial index
 * deal_currency; of leads (sources reads them all anyway) in one scan, or
 * those of a short period (since) through lead_created, as sources does. */
static int cur_scan(struct crm *c, const char *table, const char *since, struct currencies *cs)
{
	if (!strcmp(table, "lead")) {
		struct db_stmt *st;
		char lo[DATE_BUFSZ];
		bool few = recent_leads(c, since);
		int rc = prepare(c, few ? "SELECT DISTINCT coalesce(currency, ?1) FROM lead WHERE deleted_at IS NULL "
					  "AND created_at >= ?2 AND julianday(created_at) >= julianday(?3)"
					: "SELECT DISTINCT coalesce(currency, ?1) FROM lead WHERE deleted_at IS NULL", &st);
		if (rc)
			return rc;
		db_bind_text(st, 1, cs->dflt, -1, DB_TRANSIENT);
		if (few) {
			bind_opt(st, 2, day_around(since, -2, lo));
			bind_opt(st, 3, since);
		}
		while ((rc = db_step(st)) == DB_ROW)
			cur_add(cs, col_text(st, 0));
		db_finalize(st);
		return rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "report");
	}
	char *none = db_get_text(c, "SELECT EXISTS (SELECT 1 FROM deal WHERE deleted_at IS NULL AND currency IS NULL)",
				 NULL);
	if (!none && c->errmsg[0])
		return crm_error(c, CRM_DBERR, "report: %s", c->errmsg);
	bool unset = none && !strcmp(none, "1");
	free(none);
	if (unset)
		cur_add(cs, cs->dflt);
	char *prev = xstrdup("");
	for (;;) {
		char *next = db_get_text(c, "SELECT min(currency) FROM deal WHERE deleted_at IS NULL AND currency > ?",
					 prev);
		free(prev);
		if (!next)
			break;
		cur_add(cs, next);
		prev = next;
	}
	c->errmsg[0] = 0;
	return CRM_OK;
}

static void cur_free(struct currencies *cs)
{
	for (int i = 0; i < cs->n; i++)
		free(cs->v[i]);
	free(cs->v);
	free(cs->dflt);
}

static int cur_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cur_load(struct crm *c, bool leads, const char *since, struct currencies *cs)
{
	memset(cs, 0, sizeof(*cs));
	cs->dflt = config_get(c, "currency");
	if (!cs->dflt)
		cs->dflt = xstrdup("CNY");
	int rc = cur_scan(c, "deal", NULL, cs);
	if (!rc && leads)
		rc = cur_scan(c, "lead", since, cs);
	/* in order, the default first */
	if (cs->n > 1)
		qsort(cs->v, cs->n, sizeof(char *), cur_cmp);
	for (int i = 1; i < cs->n; i++)
		if (!strcmp(cs->v[i], cs->dflt)) {
			char *d = cs->v[i];
			memmove(&cs->v[1], &cs->v[0], i * sizeof(char *));
			cs->v[0] = d;
		}
	if (!cs->n)
		cur_add(cs, cs->dflt);
	if (rc)
		cur_free(cs);
	return rc;
}

/* The currency filter's parameters: the currency (NULL: no filter, one
 * currency in all) and the default a record without one counts in. */
static void bind_cur(struct db_stmt *st, int i, const struct currencies *cs, int k)
{
	bind_opt(st, i, cs->n > 1 ? cs->v[k] : NULL);
	bind_opt(st, i + 1, cs->dflt);
}

/* Table columns with "currency" after the first, when there are several. */
static void columns_cur(struct crm *c, const char *const *table, int nt, const char *const *all, int na,
			bool multi)
{
	const char *t2[16];
	int n = 0;
	for (int i = 0; i < nt && n < 15; i++) {
		t2[n++] = table[i];
		if (i == 0 && multi)
			t2[n++] = "currency";
	}
	columns(c, t2, n, all, na);
}

/* ---- rows as data, then printed ---- */

/* A report's rows are a cJSON array of objects with the keys of its JSON
 * lines, in order: the report prints them, the dashboard and --compare
 * read them (one computation). Money and fractions are kept as the exact
 * text they print as (raw items: money_format, out_real's digits);
 * report_money and report_number read them back. */
static cJSON *row_new(cJSON *rows)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToArray(rows, o);
	return o;
}

static void put_str(cJSON *o, const char *key, const char *val)
{
	if (val)
		cJSON_AddStringToObject(o, key, val);
}

static void put_int(cJSON *o, const char *key, long long val)
{
	cJSON_AddNumberToObject(o, key, (double)val);
}

/* Kept as the text out_real prints, right-aligned in a table. */
static void put_real(cJSON *o, const char *key, double val)
{
	char buf[64];
	snprintf(buf, sizeof(buf), "%.15g", val);
	if (strtod(buf, NULL) != val)
		snprintf(buf, sizeof(buf), "%.17g", val);
	cJSON_AddRawToObject(o, key, buf);
}

static void put_money(cJSON *o, const char *key, long long minor)
{
	char buf[MONEY_BUFSZ];
	cJSON_AddRawToObject(o, key, money_format(minor, buf));
}

int report_money(const cJSON *item, long long *minor)
{
	char buf[64];
	if (cJSON_IsRaw(item))
		return money_parse(item->valuestring, minor);
	if (!cJSON_IsNumber(item))
		return -1;
	snprintf(buf, sizeof(buf), "%.2f", item->valuedouble);
	return money_parse(buf, minor);
}

double report_number(const cJSON *item)
{
	if (cJSON_IsRaw(item))
		return strtod(item->valuestring, NULL);
	return cJSON_IsNumber(item) ? item->valuedouble : 0;
}

/* How a report draws its bar in a table: of key's value, out of the
 * largest in the rows, width columns, centred for a funnel. */
struct bar {
	const char *name, *key;
	int width;
	bool center;
};

/* Rows of one currency (a report with several gives each its block). */
static bool same_currency(const cJSON *a, const cJSON *b)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(a, "currency");
	const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, "currency");
	return cJSON_IsString(x) && cJSON_IsString(y) ? !strcmp(x->valuestring, y->valuestring) : x == y;
}

/* Print rows as records: the table's bar beside them, out of the largest
 * of its currency. */
static void print_rows(struct crm *c, const cJSON *rows, const struct bar *bar)
{
	struct out *o = c->out;
	const cJSON *row, *other;
	cJSON_ArrayForEach(row, rows) {
		double max = 0;
		cJSON_ArrayForEach(other, rows) {
			double v = report_number(cJSON_GetObjectItemCaseSensitive(other, bar->key));
			if (same_currency(row, other) && v > max)
				max = v;
		}
		out_begin(o);
		out_fields(o, row);
		double v = report_number(cJSON_GetObjectItemCaseSensitive(row, bar->key));
		if (bar->center)
			out_bar_center(o, bar->name, v, max, bar->width);
		else
			out_bar(o, bar->name, v, max, bar->width);
		out_end(o);
	}
}

/* Print a report's rows (multi: of several currencies, a column for it in
 * the table); CRM_NOTFOUND when there are none. */
static int print_report(struct crm *c, int rc, cJSON *rows, const char *const *tcols, int nt,
			const char *const *cols, int na, const struct bar *bar, bool multi)
{
	if (!rc) {
		columns_cur(c, tcols, nt, cols, na, multi);
		print_rows(c, rows, bar);
		rc = cJSON_GetArraySize(rows) ? CRM_OK : CRM_NOTFOUND;
	}
	cJSON_Delete(rows);
	return rc;
}

/* The rows of a report for currency k of cs, appended to rows. */
typedef int (*rows_fn)(struct crm *c, const struct report_opts *r, const char *since, const char *until,
		       const struct currencies *cs, int k, cJSON *rows);

/* Run fn once per currency (leads: their currencies count too); *multi:
 * there were several. */
static int per_currency(struct crm *c, const struct report_opts *r, bool leads, rows_fn fn, cJSON **rows,
			bool *multi)
{
	char sbuf[DATE_BUFSZ], ubuf[DATE_BUFSZ];
	const char *since, *until;
	*rows = cJSON_CreateArray();
	*multi = false;
	int rc = since_time(c, r->since, sbuf, &since);
	if (!rc)
		rc = since_time(c, r->until, ubuf, &until);
	if (rc)
		return rc;
	struct currencies cs;
	if ((rc = cur_load(c, leads, since, &cs)))
		return rc;
	*multi = cs.n > 1;
	for (int k = 0; !rc && k < cs.n; k++)
		rc = fn(c, r, since, until, &cs, k, *rows);
	cur_free(&cs);
	return rc;
}

/* ---- funnel ---- */

struct fstage {
	char *key, *label, *closes;
	long long deals, amount, stays;
	double days;
};

/* Deals that reached each stage: deal.reach is the furthest stage a deal
 * has been in (a skipped stage counts as passed, going back does not
 * undo it, each deal counts once); lost counts the deals now lost. The
 * deals are grouped once (a few rows per status and reach: kept up to date
 * by triggers in funnel_counts, or from the deals the filters keep), then
 * summed per stage. */
static const char funnel_sql[] =
	"SELECT s.key, s.label, s.closes, "
	"  coalesce(sum(CASE WHEN s.closes = 'lost' THEN CASE WHEN g.status = 'lost' THEN g.n ELSE 0 END "
	"      WHEN g.reach >= s.position THEN g.n END), 0), "
	"  coalesce(sum(CASE WHEN s.closes = 'lost' THEN CASE WHEN g.status = 'lost' THEN g.amt ELSE 0 END "
	"      WHEN g.reach >= s.position THEN g.amt END), 0) "
	"FROM stage s JOIN pipeline p ON p.id = s.pipeline_id "
	"LEFT JOIN (%s) g ON 1 = 1 "
	"WHERE p.key = ?1 GROUP BY s.id ORDER BY s.position";

static const char funnel_counts_all[] =
	"SELECT status, reach, n, amount AS amt FROM funnel_counts WHERE pipeline = ?1";

static const char funnel_counts_filtered[] =
	"SELECT d.status, coalesce(d.reach, 0) AS reach, count(*) AS n, coalesce(sum(d.amount), 0) AS amt "
	"FROM deal d%s WHERE d.pipeline = ?1 AND d.deleted_at IS NULL%s "
	"GROUP BY d.status, d.reach";

/* Days per stay: finished stays from stage_stats, plus the current stays
 * of open deals up to now. */
static const char days_fast_sql[] =
	"SELECT s.key, coalesce(ss.stays, 0) + coalesce(o.n, 0), coalesce(ss.days, 0) + coalesce(o.days, 0) "
	"FROM stage s JOIN pipeline p ON p.id = s.pipeline_id "
	"LEFT JOIN stage_stats ss ON ss.pipeline = p.key AND ss.stage = s.key "
	"LEFT JOIN (SELECT stage, count(*) AS n, sum(julianday(?4) - julianday(stage_entered_at)) AS days "
	"  FROM deal INDEXED BY deal_stay WHERE pipeline = ?1 AND status = 'open' AND deleted_at IS NULL "
	"  GROUP BY stage) o ON o.stage = s.key "
	"WHERE p.key = ?1";

/* The same from the history itself, for the deals the filters keep: the
 * deals first (by index deal_owner for --owner), then their stays (index
 * stage_history_deal), not every stay of every deal joined to its deal. */
static const char days_filtered_sql[] =
	"SELECT h.to_stage, coalesce(h.days, %s) "
	"FROM deal d%%s%s JOIN stage_history h%s ON h.deal_id = d.id "
	"WHERE h.pipeline = ?1 AND d.deleted_at IS NULL AND (h.left_at IS NOT NULL OR d.status = 'open')%%s";

/* A filtered query over deal d: the filters as conditions, only those
 * given ("?3 IS NULL OR d.owner = ?3" would keep SQLite from the index
 * deal_owner; ?2 since, ?3 owner, ?5 and ?6 the currency and the default
 * with several currencies, ?7 until, ?8 members, ?9 and ?10 the days
 * around since and until). A period is read from the covering index
 * deal_created (the deals that came in then, nothing else); without one
 * nor an owner filter the deals are read in table order: through an index
 * that is not covering, each would be a jump to its row (3.4 s instead of
 * 0.4 s at 1M deals). */
static char *deal_query(struct crm *c, const char *fmt, const char *since, const char *until,
			const struct report_opts *r, bool cur, const char *scope)
{
	char *created = dialect_instant(c, "d.created_at"), *lo = dialect_instant(c, "CAST(?2 AS text)");
	char *hi = dialect_instant(c, "CAST(?7 AS text)"), *members = dialect_json_values(c, "CAST(?8 AS text)");
	char *filters = xasprintf("%s%s%s%s%s%s%s%s%s%s%s%s%s",
				  since ? " AND d.created_at >= ?9 AND " : "", since ? created : "", since ? " >= " : "",
				  since ? lo : "",
				  until ? " AND d.created_at < ?10 AND " : "", until ? created : "", until ? " < " : "",
				  until ? hi : "",
				  r->owner ? " AND d.owner = ?3" : "",
				  r->members ? " AND d.owner IN (SELECT value FROM " : "", r->members ? members : "",
				  r->members ? ")" : "",
				  cur ? " AND coalesce(d.currency, ?6) = ?5" : "");
	free(created);
	free(lo);
	free(hi);
	free(members);
	char *both = xasprintf("%s%s", filters, scope);
	free(filters);
	char *sql = xasprintf(fmt, dialect_index(c, since || until ? " INDEXED BY deal_created"
						 : r->owner || r->members ? "" : " NOT INDEXED"), both);
	free(both);
	return sql;
}

/* The filters of deal_query, bound. */
static void bind_deal_query(struct db_stmt *st, const char *since, const char *until, const struct report_opts *r,
			    const struct currencies *cs, int k)
{
	char lo[DATE_BUFSZ], hi[DATE_BUFSZ];
	bind_opt(st, 2, since);
	bind_opt(st, 3, r->owner);
	bind_cur(st, 5, cs, k);
	bind_opt(st, 7, until);
	bind_opt(st, 8, r->members);
	bind_opt(st, 9, day_around(since, -2, lo));
	bind_opt(st, 10, day_around(until, 2, hi));
}

static bool deals_filtered(const struct crm *c, const char *since, const char *until, const struct report_opts *r,
			   bool multi, const char *scope)
{
	/* a server has no triggers keeping funnel_counts and stage_stats:
	 * the deals themselves are read */
	return !dialect_triggers(c) || since || until || r->owner || r->members || multi || *scope;
}

/* A period's stays: the deals the filters keep (from deal_created, as the
 * counts) marked in memory by id, then the stays of the deals made in the
 * period in one range of the index stage_history_period (their deal's
 * creation time is copied into each: migration 074), each kept if its
 * deal is; the same stays as days_filtered_sql, without a lookup of
 * stage_history_deal per deal. */
static const char period_deals_sql[] =
	"SELECT d.id, d.status = 'open' FROM deal d%s WHERE d.deleted_at IS NULL%s";

static const char period_stays_sql[] =
	"SELECT h.deal_id, h.to_stage, coalesce(h.days, julianday(?4) - julianday(h.at)), h.left_at IS NOT NULL "
	"FROM stage_history h INDEXED BY stage_history_period WHERE h.pipeline = ?1%s%s";

enum { DEAL_OUT, DEAL_CLOSED, DEAL_OPEN };

#define PERIOD_MAX_ID (64LL << 20)

static void stay_add(struct fstage *fs, int n, const char *stage, double days)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(fs[i].key, stage)) {
			fs[i].stays++;
			fs[i].days += days;
			return;
		}
}

static int funnel_days_period(struct crm *c, const struct report_opts *r, const char *since, const char *until,
			      const char *now, const struct currencies *cs, int k, const char *scope, long long top,
			      struct fstage *fs, int n)
{
	struct db_stmt *st;
	char lo[DATE_BUFSZ], hi[DATE_BUFSZ];
	unsigned char *kept = xcalloc((size_t)top + 1, 1);
	char *sql = deal_query(c, period_deals_sql, since, until, r, cs->n > 1, scope);
	int rc = prepare(c, sql, &st);
	free(sql);
	if (rc)
		goto cleanup;
	bind_deal_query(st, since, until, r, cs, k);
	while ((rc = db_step(st)) == DB_ROW) {
		long long id = db_column_int64(st, 0);
		if (id >= 0 && id <= top)
			kept[id] = db_column_int(st, 1) ? DEAL_OPEN : DEAL_CLOSED;
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		rc = crm_dberror(c, rc, "report");
		goto cleanup;
	}
	/* the deals' own period, as a range of text (the days around it,
	 * as deal_query's): which of them are kept the marks say */
	const char *from = day_around(since, -2, lo), *to = day_around(until, 2, hi);
	sql = xasprintf(period_stays_sql, from ? " AND h.deal_created_at >= ?2" : "",
			to ? " AND h.deal_created_at < ?3" : "");
	rc = prepare(c, sql, &st);
	free(sql);
	if (rc)
		goto cleanup;
	db_bind_text(st, 1, r->pipeline, -1, DB_TRANSIENT);
	bind_opt(st, 2, from);
	bind_opt(st, 3, to);
	db_bind_text(st, 4, now, -1, DB_TRANSIENT);
	while ((rc = db_step(st)) == DB_ROW) {
		long long id = db_column_int64(st, 0);
		int m = id >= 0 && id <= top ? kept[id] : DEAL_OUT;
		/* a finished stay, or the current stay of an open deal */
		if (m == DEAL_OPEN || (m == DEAL_CLOSED && db_column_int(st, 3)))
			stay_add(fs, n, col_text(st, 1), db_column_double(st, 2));
	}
	db_finalize(st);
	rc = rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "report");
cleanup:
	free(kept);
	return rc;
}

static int funnel_days(struct crm *c, const struct report_opts *r, const char *since, const char *until,
		       const char *now, const struct currencies *cs, int k, struct fstage *fs, int n)
{
	struct db_stmt *st;
	bool multi = cs->n > 1;
	char *scope = scope_and(c, "deal", "d");
	/* a mark per deal id up to the highest: unless ids set by hand left
	 * most of that range empty (past 64M ids, a deal's stays are looked
	 * up by its id, as for the other filters) */
	long long top = since || until ? db_get_int(c, "SELECT max(id) FROM deal", NULL, 0) : 0;
	if ((since || until) && top >= 0 && top < PERIOD_MAX_ID && dialect_triggers(c)) {
		int rc = funnel_days_period(c, r, since, until, now, cs, k, scope, top, fs, n);
		free(scope);
		return rc;
	}
	bool filtered = deals_filtered(c, since, until, r, multi, scope);
	char *sql = NULL;
	if (filtered) {
		/* the days so far of a current stay, then the deals' filters */
		char *days = dialect_days_between(c, "CAST(?4 AS text)", "h.at");
		char *fmt = xasprintf(days_filtered_sql, days, dialect_index(c, " CROSS"),
				      dialect_index(c, " INDEXED BY stage_history_deal"));
		sql = deal_query(c, fmt, since, until, r, multi, scope);
		free(fmt);
		free(days);
	}
	free(scope);
	int rc = prepare(c, sql ? sql : days_fast_sql, &st);
	if (rc) {
		free(sql);
		return rc;
	}
	db_bind_text(st, 1, r->pipeline, -1, DB_TRANSIENT);
	if (filtered)
		bind_deal_query(st, since, until, r, cs, k);
	db_bind_text(st, 4, now, -1, DB_TRANSIENT);
	/* the filtered query gives a row per stay, added up here (a GROUP BY
	 * sorted every stay first) */
	while ((rc = db_step(st)) == DB_ROW)
		for (int i = 0; i < n; i++)
			if (!strcmp(fs[i].key, col_text(st, 0))) {
				if (sql) {
					fs[i].stays++;
					fs[i].days += db_column_double(st, 1);
				} else {
					fs[i].stays = db_column_int64(st, 1);
					fs[i].days = db_column_double(st, 2);
				}
				break;
			}
	db_finalize(st);
	free(sql);
	return rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "report");
}

/* The funnel of the deals in currency k (all of them with one currency). */
static int funnel_one(struct crm *c, const struct report_opts *r, const char *since, const char *until,
		      const char *now, const struct currencies *cs, int k, cJSON *rows)
{
	struct db_stmt *st;
	char *scope = scope_and(c, "deal", "d");
	bool multi = cs->n > 1, filtered = deals_filtered(c, since, until, r, multi, scope);
	char *counts = filtered ? deal_query(c, funnel_counts_filtered, since, until, r, multi, scope) : NULL;
	free(scope);
	char *sql = xasprintf(funnel_sql, counts ? counts : funnel_counts_all);
	free(counts);
	int rc = prepare(c, sql, &st);
	free(sql);
	if (rc)
		return rc;
	db_bind_text(st, 1, r->pipeline, -1, DB_TRANSIENT);
	if (filtered)
		bind_deal_query(st, since, until, r, cs, k);
	struct fstage *fs = NULL;
	int n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		fs = xrealloc(fs, (n + 1) * sizeof(*fs));
		fs[n].key = xstrdup(col_text(st, 0));
		fs[n].label = xstrdup(col_text(st, 1) ? col_text(st, 1) : col_text(st, 0));
		fs[n].closes = col_text(st, 2) ? xstrdup(col_text(st, 2)) : NULL;
		fs[n].deals = db_column_int64(st, 3);
		fs[n].amount = db_column_int64(st, 4);
		fs[n].stays = 0;
		fs[n].days = 0;
		n++;
		if (!sum_ok(st, 4)) {
			rc = SUM_OVERFLOW;
			break;
		}
	}
	db_finalize(st);
	rc = rc == DB_DONE ? funnel_days(c, r, since, until, now, cs, k, fs, n) : report_error(c, rc);
	for (int i = 0; !rc && i < n; i++) {
		cJSON *o = row_new(rows);
		put_str(o, "type", "funnel");
		put_str(o, "pipeline", r->pipeline);
		put_str(o, "stage", fs[i].key);
		put_str(o, "label", fs[i].label);
		put_int(o, "deals", fs[i].deals);
		put_money(o, "amount", fs[i].amount);
		put_str(o, "currency", cs->v[k]);
		/* Conversion: of the deals that reached this stage, the share
		 * that reached the next one (lost is not a next stage). */
		if (!fs[i].closes) {
			for (int j = i + 1; j < n; j++) {
				if (fs[j].closes && !strcmp(fs[j].closes, "lost"))
					continue;
				if (fs[i].deals)
					put_real(o, "conversion_pct", round1(100.0 * fs[j].deals / fs[i].deals));
				break;
			}
			if (fs[i].stays)
				put_real(o, "avg_days", round1(fs[i].days / fs[i].stays));
		}
	}
	for (int i = 0; i < n; i++) {
		free(fs[i].key);
		free(fs[i].label);
		free(fs[i].closes);
	}
	free(fs);
	if (!rc && !n)
		rc = crm_error(c, CRM_NOTFOUND, "pipeline '%s' has no stages", r->pipeline);
	return rc;
}

static int funnel_rows(struct crm *c, const struct report_opts *r, cJSON **rows, bool *multi)
{
	char sbuf[DATE_BUFSZ], ubuf[DATE_BUFSZ], now[DATE_BUFSZ];
	const char *since, *until;
	*rows = cJSON_CreateArray();
	*multi = false;
	int rc = since_time(c, r->since, sbuf, &since);
	if (!rc)
		rc = since_time(c, r->until, ubuf, &until);
	if (rc)
		return rc;
	if (!db_get_int(c, "SELECT count(*) FROM pipeline WHERE key = ?", r->pipeline, 0))
		return crm_error(c, CRM_NOTFOUND, "no pipeline '%s' (see 'crm pipeline list')", r->pipeline);
	date_format(date_now(), now);
	struct currencies cs;
	if ((rc = cur_load(c, false, NULL, &cs)))
		return rc;
	*multi = cs.n > 1;
	for (int k = 0; !rc && k < cs.n; k++)
		rc = funnel_one(c, r, since, until, now, &cs, k, *rows);
	cur_free(&cs);
	return rc;
}

int report_funnel_rows(struct crm *c, const struct report_opts *r, cJSON **rows)
{
	bool multi;
	return funnel_rows(c, r, rows, &multi);
}

int report_funnel(struct crm *c, const struct report_opts *r)
{
	static const char *const tcols[] = { "label", "deals", "amount", "conversion_pct", "avg_days", "funnel" };
	static const char *const cols[] = { "type", "pipeline", "stage", "label", "deals", "amount", "currency",
					    "conversion_pct", "avg_days" };
	static const struct bar bar = { "funnel", "deals", BAR_WIDTH, true };
	cJSON *rows;
	bool multi;
	int rc = funnel_rows(c, r, &rows, &multi);
	return print_report(c, rc, rows, tcols, 6, cols, 9, &bar, multi);
}

/* ---- forecast ---- */

/* The forecast's filters: ?1 pipeline, ?2 owner, ?7 members. */
#define FORECAST_FILTERS "AND (CAST(?1 AS text) IS NULL OR pipeline = ?1) " \
	"AND (CAST(?2 AS text) IS NULL OR owner = ?2) AND (CAST(?7 AS text) IS NULL OR owner IN (SELECT value FROM %s))"

/* FORECAST_FILTERS, then more (conditions, with no %). */
static char *forecast_filters(struct crm *c, const char *more)
{
	char *members = dialect_json_values(c, "CAST(?7 AS text)");
	char *r = xasprintf(FORECAST_FILTERS "%s", members, more);
	free(members);
	return r;
}

/* --by deal: open deals by amount x probability, the largest first (the
 * dashboard's potential deals): weighed in the covering index, only the
 * rows kept are read from the table. Each row in its deal's currency (no
 * sum: nothing is added up). */
static int forecast_deals(struct crm *c, const struct report_opts *r, cJSON *rows)
{
	char *scope = scope_and(c, "deal", "deal");
	char *dflt = config_get(c, "currency");
	char *filters = forecast_filters(c, scope);
	char *sql = xasprintf(
		"SELECT d.id, d.name, d.owner, d.stage, d.expected_close, d.amount, d.probability, "
		"  t.w, coalesce(d.currency, ?4) FROM (SELECT id, coalesce(amount, 0) * coalesce(probability, 0) AS w "
		"  FROM deal%s WHERE status = 'open' AND deleted_at IS NULL %s "
		"  ORDER BY w DESC, id LIMIT ?3) t JOIN deal d ON d.id = t.id ORDER BY t.w DESC, t.id",
		dialect_index(c, *scope ? "" : " INDEXED BY deal_forecast"), filters);
	free(filters);
	free(scope);
	struct db_stmt *st;
	int rc = prepare(c, sql, &st);
	free(sql);
	if (rc) {
		free(dflt);
		return rc;
	}
	bind_opt(st, 1, r->pipeline);
	bind_opt(st, 2, r->owner);
	db_bind_int64(st, 3, r->limit > 0 ? r->limit : INT64_MAX);   /* no LIMIT -1 on a server */
	bind_opt(st, 4, dflt ? dflt : "CNY");
	bind_opt(st, 7, r->members);
	free(dflt);
	while ((rc = db_step(st)) == DB_ROW) {
		if (!sum_ok(st, 2) || !sum_ok(st, 5) || fabs(db_column_double(st, 3)) >= 9.2e18) {
			rc = SUM_OVERFLOW;
			break;
		}
		cJSON *o = row_new(rows);
		put_str(o, "type", "forecast");
		put_str(o, "by", "deal");
		put_int(o, "deal_id", db_column_int64(st, 0));
		put_str(o, "name", col_text(st, 1));
		put_str(o, "owner", col_text(st, 2));
		put_str(o, "stage", col_text(st, 3));
		put_str(o, "expected_close", col_text(st, 4));
		put_money(o, "amount", db_column_int64(st, 5));
		put_int(o, "probability", db_column_int64(st, 6));
		long long w = db_column_int64(st, 7);
		put_money(o, "weighted", (w + 50) / 100);
		put_str(o, "currency", col_text(st, 8));
	}
	db_finalize(st);
	return rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "report");
}

/* The forecast of the deals in currency k (all of them with one). */
static int forecast_one(struct crm *c, const struct report_opts *r, const char *since, const char *until,
			const struct currencies *cs, int k, cJSON *rows)
{
	const char *by = r->by ? r->by : "month";
	char *open_key, *won_key;
	const char *open_col = "expected_close", *won_col = "closed_at";
	/* expected_close is a day; closed_at an instant, written with the
	 * offset of whoever closed the deal: its period is the one here */
	if (!strcmp(by, "month")) {
		open_key = dialect_month(c, "e", false);
		won_key = dialect_month(c, "e", true);
	} else if (!strcmp(by, "week")) {
		open_key = dialect_week(c, "e", false);
		won_key = dialect_week(c, "e", true);
	} else {
		open_key = xstrdup("e");
		won_key = xstrdup("e");
		open_col = won_col = "owner";
	}
	/* Open deals by expected close, won deals by when they closed: first
	 * grouped by the stored column in the order of a covering index (no
	 * sort of every deal), then by period. */
	char *scope = scope_and(c, "deal", "deal");
	bool filtered = r->pipeline || r->owner || r->members || since || until || cs->n > 1 || *scope;
	/* the currency only when there are several: with one, the covering
	 * indexes (which have no currency) answer alone */
	char *more = xasprintf("%s%s", cs->n > 1 ? " AND coalesce(currency, ?5) = ?4" : "", scope);
	char *cond = forecast_filters(c, more);
	free(more);
	free(scope);
	char *closed = dialect_instant(c, "closed_at"), *lo = dialect_instant(c, "CAST(?3 AS text)");
	char *hi = dialect_instant(c, "CAST(?6 AS text)");
	char *period = xasprintf("AND (CAST(?3 AS text) IS NULL OR %s >= %s) AND (CAST(?6 AS text) IS NULL OR %s < %s)",
				 closed, lo, closed, hi);
	free(closed);
	free(lo);
	free(hi);
	char *sql = xasprintf(
		"WITH o AS (SELECT %s AS k, sum(n) AS n, sum(amt) AS amt, sum(w) AS w FROM ("
		"  SELECT %s AS e, count(*) AS n, coalesce(sum(amount), 0) AS amt, "
		"  coalesce(sum(amount * coalesce(probability, 0)), 0) AS w FROM deal %s "
		"  WHERE status = 'open' AND deleted_at IS NULL %s GROUP BY e) AS oe GROUP BY k), "
		"x AS (SELECT %s AS k, sum(n) AS n, sum(amt) AS amt FROM ("
		"  SELECT %s AS e, count(*) AS n, coalesce(sum(amount), 0) AS amt FROM deal %s "
		"  WHERE status = 'won' AND deleted_at IS NULL %s %s GROUP BY e) AS xe GROUP BY k) "
		"SELECT k, sum(on_), sum(oamt), sum(w), sum(wn), sum(wamt) FROM ("
		"  SELECT k, n AS on_, amt AS oamt, w, 0 AS wn, 0 AS wamt FROM o "
		"  UNION ALL SELECT k, 0, 0, 0, n, amt FROM x) AS u GROUP BY k ORDER BY k IS NULL, k",
		open_key, open_col, dialect_index(c, filtered || !strcmp(by, "owner") ? "" : "INDEXED BY deal_forecast"),
		cond, won_key, won_col, dialect_index(c, filtered || !strcmp(by, "owner") ? "" : "INDEXED BY deal_won"),
		cond, period);
	free(period);
	free(open_key);
	free(won_key);
	free(cond);
	struct db_stmt *st;
	int rc = prepare(c, sql, &st);
	free(sql);
	if (rc)
		return rc;
	bind_opt(st, 1, r->pipeline);
	bind_opt(st, 2, r->owner);
	bind_opt(st, 3, since);
	bind_cur(st, 4, cs, k);
	bind_opt(st, 6, until);
	bind_opt(st, 7, r->members);
	const char *key = !strcmp(by, "owner") ? "owner" : "period";
	while ((rc = db_step(st)) == DB_ROW) {
		cJSON *o = row_new(rows);
		put_str(o, "type", "forecast");
		put_str(o, "by", by);
		put_str(o, key, col_text(st, 0) ? col_text(st, 0) : "(none)");
		put_str(o, "currency", cs->v[k]);
		put_int(o, "open_deals", db_column_int64(st, 1));
		put_money(o, "pipeline", db_column_int64(st, 2));
		/* amount x percent: back to minor units, half away from zero */
		long long w = db_column_int64(st, 3);
		put_money(o, "weighted", w >= 0 ? (w + 50) / 100 : -((-w + 50) / 100));
		put_int(o, "won_deals", db_column_int64(st, 4));
		put_money(o, "won", db_column_int64(st, 5));
	}
	db_finalize(st);
	return rc == DB_DONE ? CRM_OK : report_error(c, rc);
}

static int forecast_rows(struct crm *c, const struct report_opts *r, cJSON **rows, bool *multi)
{
	const char *by = r->by ? r->by : "month";
	if (!strcmp(by, "deal")) {
		*rows = cJSON_CreateArray();
		*multi = false;
		return forecast_deals(c, r, *rows);
	}
	if (strcmp(by, "month") && strcmp(by, "week") && strcmp(by, "owner")) {
		*rows = cJSON_CreateArray();
		*multi = false;
		return crm_error(c, CRM_USAGE, "--by: '%s' is not month, week, owner or deal", by);
	}
	return per_currency(c, r, false, forecast_one, rows, multi);
}

int report_forecast_rows(struct crm *c, const struct report_opts *r, cJSON **rows)
{
	bool multi;
	return forecast_rows(c, r, rows, &multi);
}

int report_forecast(struct crm *c, const struct report_opts *r)
{
	const char *key = r->by && !strcmp(r->by, "owner") ? "owner" : "period";
	const char *tcols[] = { key, "open_deals", "pipeline", "weighted", "won_deals", "won", "weighted_bar" };
	const char *cols[] = { "type", "by", key, "currency", "open_deals", "pipeline", "weighted", "won_deals",
			       "won" };
	static const char *const dtcols[] = { "deal_id", "name", "owner", "stage", "amount", "probability",
					      "weighted", "weighted_bar" };
	static const char *const dcols[] = { "type", "by", "deal_id", "name", "owner", "stage",
					     "expected_close", "amount", "probability", "weighted", "currency" };
	static const struct bar bar = { "weighted_bar", "weighted", BAR_WIDTH, false };
	cJSON *rows;
	bool multi;
	int rc = forecast_rows(c, r, &rows, &multi);
	if (r->by && !strcmp(r->by, "deal"))
		return print_report(c, rc, rows, dtcols, 8, dcols, 11, &bar, false);
	return print_report(c, rc, rows, tcols, 7, cols, 9, &bar, multi);
}

/* ---- cycle ---- */

/* The days from lead (or deal) created to won of every won deal, with
 * its source, owner and pipeline, in one pass (in table order without
 * --owner: through an index each deal would be a jump to its row); the
 * groups are made and sorted here (a UNION of the three, sorted by
 * SQLite, took 2 s at 240k won deals). */
static const char cycle_sql[] =
	"SELECT coalesce(d.source, l.source, '(none)'), coalesce(d.owner, '(none)'), d.pipeline, "
	"  %s "
	"  FROM deal d%s LEFT JOIN lead l ON l.id = d.lead_id "
	"  WHERE d.status = 'won' AND d.deleted_at IS NULL AND d.closed_at IS NOT NULL "
	"  AND (CAST(?1 AS text) IS NULL OR %s >= %s) AND (CAST(?2 AS text) IS NULL OR d.owner = ?2)%s";

/* One group's days, sorted (NULL, an unreadable date, first, as NAN). */
struct days {
	double *v;
	size_t n, cap;
};

/* Median: the middle value (the mean of the two middle ones for an even
 * count). p90: the nearest-rank value, the ceil(0.9 n)-th smallest. A
 * NAN among them counts as nothing. */
static void cycle_emit(struct crm *c, const char *dim, const char *key, const struct days *d)
{
	double a = d->v[(d->n + 1) / 2 - 1], b = d->v[(d->n + 2) / 2 - 1];
	double median = isnan(a) ? (isnan(b) ? 0 : b) : isnan(b) ? a : (a + b) / 2;
	double p90 = d->v[(9 * d->n + 9) / 10 - 1];
	struct out *o = c->out;
	out_begin(o);
	out_str(o, "type", "cycle");
	out_str(o, "by", dim);
	out_str(o, "key", key);
	out_int(o, "won_deals", (long long)d->n);
	out_real(o, "median_days", round1(median));
	out_real(o, "p90_days", round1(isnan(p90) ? 0 : p90));
	out_end(o);
}

/* The groups of one dimension: a key and its days. */
struct cycle_group {
	char *key;
	struct days d;
};

struct cycle_dim {
	struct cycle_group *g;
	size_t n;
};

static void cycle_add(struct cycle_dim *dim, const char *key, double days)
{
	size_t i = 0;
	while (i < dim->n && strcmp(dim->g[i].key, key))
		i++;
	if (i == dim->n) {
		dim->g = xrealloc(dim->g, (dim->n + 1) * sizeof(*dim->g));
		dim->g[i].key = xstrdup(key);
		memset(&dim->g[i].d, 0, sizeof(dim->g[i].d));
		dim->n++;
	}
	struct days *d = &dim->g[i].d;
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 64;
		d->v = xrealloc(d->v, d->cap * sizeof(double));
	}
	d->v[d->n++] = days;
}

/* ORDER BY days: NULL (NAN) first */
static int days_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	if (isnan(x) || isnan(y))
		return isnan(y) - isnan(x);
	return (x > y) - (x < y);
}

static int group_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cycle_group *)a)->key, ((const struct cycle_group *)b)->key);
}

/* Step st (rows source, owner, pipeline, days) to its end, then one line
 * per group: by source, by owner, by pipeline, each in key order; *n:
 * how many. */
static int cycle_groups(struct crm *c, struct db_stmt *st, long *n)
{
	static const char *const names[3] = { "source", "owner", "pipeline" };
	struct cycle_dim dims[3] = { { 0 } };
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		double days = db_column_type(st, 3) == DB_NULL ? NAN : db_column_double(st, 3);
		for (int k = 0; k < 3; k++)
			cycle_add(&dims[k], col_text(st, k) ? col_text(st, k) : "", days);
	}
	for (int k = 0; k < 3; k++) {
		if (dims[k].n)
			qsort(dims[k].g, dims[k].n, sizeof(*dims[k].g), group_cmp);
		for (size_t i = 0; i < dims[k].n; i++) {
			struct days *d = &dims[k].g[i].d;
			qsort(d->v, d->n, sizeof(double), days_cmp);
			if (rc == DB_DONE) {
				cycle_emit(c, names[k], dims[k].g[i].key, d);
				(*n)++;
			}
			free(d->v);
			free(dims[k].g[i].key);
		}
		free(dims[k].g);
	}
	return rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "report");
}

/* Average days per stay in each open stage, over every deal's history
 * (finished stays, and current stays of open deals up to now): from the
 * finished stays the stage_history trigger adds up in stage_stats, as the
 * funnel does (joining 5M stays to their deals took 11 s at 1M deals). */
static const char stage_days_sql[] =
	"SELECT p.key, s.key, coalesce(ss.stays, 0) + coalesce(o.n, 0), "
	"  (coalesce(ss.days, 0) + coalesce(o.days, 0)) / (coalesce(ss.stays, 0) + coalesce(o.n, 0)) "
	"FROM pipeline p JOIN stage s ON s.pipeline_id = p.id "
	"LEFT JOIN stage_stats ss ON ss.pipeline = p.key AND ss.stage = s.key "
	"LEFT JOIN (SELECT pipeline, stage, count(*) AS n, sum(julianday(?3) - julianday(stage_entered_at)) AS days "
	"  FROM deal INDEXED BY deal_stay WHERE status = 'open' AND deleted_at IS NULL "
	"  GROUP BY pipeline, stage) o ON o.pipeline = p.key AND o.stage = s.key "
	"WHERE s.closes IS NULL AND coalesce(ss.stays, 0) + coalesce(o.n, 0) > 0 "
	"ORDER BY p.id, s.position";

/* The same for one owner's deals, from their own history: the deals
 * first (index deal_owner), then their stays (index stage_history_deal). */
static const char stage_days_owner_sql[] =
	"SELECT h.pipeline, h.to_stage, count(*), avg(coalesce(h.days, %s)) "
	"FROM deal d%s JOIN stage_history h ON h.deal_id = d.id "
	"JOIN pipeline p ON p.key = h.pipeline JOIN stage s ON s.pipeline_id = p.id AND s.key = h.to_stage "
	"WHERE %s%s AND d.deleted_at IS NULL AND s.closes IS NULL "
	"AND (h.left_at IS NOT NULL OR d.status = 'open') "
	"GROUP BY h.pipeline, h.to_stage, p.id, s.position ORDER BY p.id, s.position";

int report_cycle(struct crm *c, const struct report_opts *r)
{
	char sbuf[DATE_BUFSZ], now[DATE_BUFSZ];
	const char *since;
	int rc = since_time(c, r->since, sbuf, &since);
	if (rc)
		return rc;
	date_format(date_now(), now);
	static const char *const tcols[] = { "by", "key", "won_deals", "median_days", "p90_days", "avg_days" };
	static const char *const cols[] = { "type", "by", "key", "pipeline", "won_deals", "median_days",
					    "p90_days", "stays", "avg_days" };
	columns(c, tcols, 6, cols, 9);
	struct db_stmt *st;
	char *scope = scope_and(c, "deal", "d");
	/* in table order unless an owner (or the user's scope) picks a few */
	char *days = dialect_days_between(c, "d.closed_at", "coalesce(l.created_at, d.created_at)");
	char *closed = dialect_instant(c, "d.closed_at"), *from = dialect_instant(c, "CAST(?1 AS text)");
	char *sql = xasprintf(cycle_sql, days, dialect_index(c, r->owner || *scope ? "" : " NOT INDEXED"), closed,
			      from, scope);
	free(days);
	free(closed);
	free(from);
	rc = prepare(c, sql, &st);
	free(sql);
	if (rc) {
		free(scope);
		return rc;
	}
	bind_opt(st, 1, since);
	bind_opt(st, 2, r->owner);
	long n = 0;
	rc = cycle_groups(c, st, &n);
	db_finalize(st);
	if (rc) {
		free(scope);
		return rc;
	}
	/* the stage part follows the owner filter; --since means won since for
	 * the cycle rows and is not applied to stays */
	/* a scope reads the user's own deals' history, like --owner */
	/* and on a server, where no trigger keeps stage_stats */
	sql = NULL;
	if (r->owner || *scope || !dialect_triggers(c)) {
		days = dialect_days_between(c, "CAST(?3 AS text)", "h.at");
		sql = xasprintf(stage_days_owner_sql, days, dialect_index(c, " CROSS"),
				r->owner ? "d.owner = ?2" : "1 = 1", scope);
		free(days);
	}
	free(scope);
	rc = prepare(c, sql ? sql : stage_days_sql, &st);
	bool own = sql != NULL;
	free(sql);
	if (rc)
		return rc;
	if (own && r->owner)
		db_bind_text(st, 2, r->owner, -1, DB_TRANSIENT);
	db_bind_text(st, 3, now, -1, DB_TRANSIENT);
	while ((rc = db_step(st)) == DB_ROW) {
		struct out *o = c->out;
		out_begin(o);
		out_str(o, "type", "cycle");
		out_str(o, "by", "stage");
		out_str(o, "key", col_text(st, 1));
		out_str(o, "pipeline", col_text(st, 0));
		out_int(o, "stays", db_column_int64(st, 2));
		out_real(o, "avg_days", round1(db_column_double(st, 3)));
		out_end(o);
		n++;
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "report");
	return n ? CRM_OK : CRM_NOTFOUND;
}

/* ---- leaderboard ---- */

/* A time column within the period, ?1 since and ?5 until, compared as
 * instants. Newly allocated. */
static char *in_period(const struct crm *c, const char *col)
{
	char *t = dialect_instant(c, col), *lo = dialect_instant(c, "CAST(?1 AS text)");
	char *hi = dialect_instant(c, "CAST(?5 AS text)");
	char *r = xasprintf("(CAST(?1 AS text) IS NULL OR %s >= %s) AND (CAST(?5 AS text) IS NULL OR %s < %s)", t, lo,
			    t, hi);
	free(t);
	free(lo);
	free(hi);
	return r;
}

/* An owner column of --owner (?2) or of the members (?6). Newly
 * allocated. */
static char *of_owners(const struct crm *c, const char *col)
{
	char *m = dialect_json_values(c, "CAST(?6 AS text)");
	char *r = xasprintf("(CAST(?2 AS text) IS NULL OR %s = ?2) AND (CAST(?6 AS text) IS NULL OR %s IN "
			    "(SELECT value FROM %s))", col, col, m);
	free(m);
	return r;
}

/* ?1 since, ?2 owner, ?3 and ?4 the currency and the default (several
 * currencies), ?5 until, ?6 members, ?7 and ?8 the days around the period. */
static void bind_period(struct db_stmt *st, const char *since, const char *until, const struct report_opts *r,
			const struct currencies *cs, int k)
{
	char lo[DATE_BUFSZ], hi[DATE_BUFSZ];
	bind_opt(st, 1, since);
	bind_opt(st, 2, r->owner);
	bind_cur(st, 3, cs, k);
	bind_opt(st, 5, until);
	bind_opt(st, 6, r->members);
	bind_opt(st, 7, day_around(since, -2, lo));
	bind_opt(st, 8, day_around(until, 2, hi));
}

/* The days around the period on col, for an index on it: ?7 and ?8. */
static char *around(const char *col, const char *since, const char *until)
{
	struct sbuf b = { 0 };
	sbuf_add(&b, "");
	if (since)
		sbuf_addf(&b, " AND %s >= ?7", col);
	if (until)
		sbuf_addf(&b, " AND %s < ?8", col);
	return sbuf_detach(&b);
}

/* Each owner's numbers from the index deal_board (owner, status, closed_at,
 * amount): the owners one seek each, then per owner the won and lost deals
 * of the period and the open ones, as ranges of it; never every deal. The
 * %s: the index hint, the currency filter (several currencies) and what
 * the acting user may see (with, for the closed deals, the days around the
 * period and the period itself); for activities the days around the
 * period, the scope and the period; the activity-only owners, who are in
 * the default currency's rows; the owners asked for. */
static const char board_fmt[] =
	"(SELECT %s FROM deal%s WHERE deleted_at IS NULL AND owner = ow.owner AND status = '%s'%s)";
static const char leaderboard_fmt[] =
	"WITH RECURSIVE ow(owner) AS ("
	"  SELECT (SELECT min(owner) FROM deal%s WHERE deleted_at IS NULL%s) "
	"  UNION ALL SELECT (SELECT min(owner) FROM deal%s "
	"    WHERE deleted_at IS NULL AND owner > ow.owner%s) FROM ow WHERE ow.owner IS NOT NULL), "
	"d AS (SELECT ow.owner, %s AS won_amount, %s AS won, %s AS lost, %s AS open_amount, %s AS open_deals "
	"  FROM ow WHERE ow.owner IS NOT NULL), "
	"a AS (SELECT owner, count(*) AS n FROM activity WHERE deleted_at IS NULL AND owner IS NOT NULL%s "
	"  AND %s GROUP BY owner), "
	"o AS (SELECT owner FROM d UNION SELECT owner FROM a%s) "
	"SELECT o.owner, coalesce(d.won_amount, 0), coalesce(d.won, 0), coalesce(d.lost, 0), coalesce(a.n, 0), "
	"  coalesce(d.open_amount, 0), coalesce(d.open_deals, 0) "
	"FROM o LEFT JOIN d ON d.owner = o.owner LEFT JOIN a ON a.owner = o.owner "
	"WHERE %s ORDER BY 2 DESC, 3 DESC, o.owner";

static char *leaderboard_sql(struct crm *c, const char *since, const char *until, bool multi)
{
	const char *hint = dialect_index(c, " INDEXED BY deal_board");
	char *sd = scope_and(c, "deal", "deal"), *sa = scope_and(c, "activity", "activity");
	char *cur = xasprintf("%s%s", multi ? " AND coalesce(currency, ?4) = ?3" : "", sd);
	char *cl = around("closed_at", since, until), *ca = around("at", since, until);
	char *pd = in_period(c, "closed_at"), *pa = in_period(c, "at"), *owners = of_owners(c, "o.owner");
	char *closed = xasprintf("%s%s AND %s", cur, cl, pd), *acts = xasprintf("%s%s", ca, sa);
	char *won_amount = xasprintf(board_fmt, "coalesce(sum(amount), 0)", hint, "won", closed);
	char *won = xasprintf(board_fmt, "count(*)", hint, "won", closed);
	char *lost = xasprintf(board_fmt, "count(*)", hint, "lost", closed);
	char *open_amount = xasprintf(board_fmt, "coalesce(sum(amount), 0)", hint, "open", cur);
	char *open = xasprintf(board_fmt, "count(*)", hint, "open", cur);
	char *sql = xasprintf(leaderboard_fmt, hint, cur, hint, cur, won_amount, won, lost, open_amount, open, acts,
			      pa, multi ? " WHERE ?3 = ?4" : "", owners);
	char *parts[] = { sd, sa, cur, cl, ca, pd, pa, owners, closed, acts, won_amount, won, lost, open_amount,
			  open };
	for (size_t i = 0; i < sizeof(parts) / sizeof(*parts); i++)
		free(parts[i]);
	return sql;
}

static int leaderboard_one(struct crm *c, const struct report_opts *r, const char *since, const char *until,
			   const struct currencies *cs, int k, cJSON *rows)
{
	char *sql = leaderboard_sql(c, since, until, cs->n > 1);
	struct db_stmt *st;
	int rc = prepare(c, sql, &st);
	free(sql);
	if (rc)
		return rc;
	bind_period(st, since, until, r, cs, k);
	long n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (!sum_ok(st, 1) || !sum_ok(st, 5)) {
			rc = SUM_OVERFLOW;
			break;
		}
		cJSON *o = row_new(rows);
		long long won = db_column_int64(st, 2), lost = db_column_int64(st, 3);
		put_str(o, "type", "leaderboard");
		put_int(o, "rank", ++n);
		put_str(o, "owner", col_text(st, 0));
		put_money(o, "won_amount", db_column_int64(st, 1));
		put_str(o, "currency", cs->v[k]);
		put_int(o, "won_deals", won);
		if (won + lost)
			put_real(o, "win_pct", round1(100.0 * won / (won + lost)));
		put_int(o, "activities", db_column_int64(st, 4));
		put_money(o, "open_pipeline", db_column_int64(st, 5));
		put_int(o, "open_deals", db_column_int64(st, 6));
	}
	db_finalize(st);
	return rc == DB_DONE ? CRM_OK : report_error(c, rc);
}

int report_leaderboard_rows(struct crm *c, const struct report_opts *r, cJSON **rows)
{
	bool multi;
	return per_currency(c, r, false, leaderboard_one, rows, &multi);
}

int report_leaderboard(struct crm *c, const struct report_opts *r)
{
	static const char *const tcols[] = { "owner", "won_amount", "won_deals", "win_pct", "activities",
					     "open_pipeline", "won_bar" };
	static const char *const cols[] = { "type", "rank", "owner", "won_amount", "currency", "won_deals",
					    "win_pct", "activities", "open_pipeline", "open_deals" };
	static const struct bar bar = { "won_bar", "won_amount", BAR_WIDTH - 6, false };
	cJSON *rows;
	bool multi;
	int rc = per_currency(c, r, false, leaderboard_one, &rows, &multi);
	return print_report(c, rc, rows, tcols, 7, cols, 10, &bar, multi);
}

/* ---- sources ---- */

/* qualified: leads now qualified or converted; converted: leads turned
 * into a deal; won: deals won whose source (carried from the lead, or the
 * lead's) is this source. With several currencies, once per currency
 * over its leads (by their budget's) and deals. %s: the days around the
 * period on the leads' created_at (when the index is worth it), the period
 * and the owners on the leads, their currency and scope, then the same for
 * the deals on their closed_at (the scope: what the acting user may see). */
static const char sources_fmt[] =
	"WITH l AS (SELECT coalesce(nullif(source, ''), '(none)') AS src, count(*) AS leads, "
	"  sum(CASE WHEN status IN ('qualified', 'converted') THEN 1 ELSE 0 END) AS qualified, "
	"  sum(CASE WHEN status = 'converted' THEN 1 ELSE 0 END) AS converted "
	"  FROM lead WHERE deleted_at IS NULL%s AND %s AND %s%s GROUP BY src), "
	"w AS (SELECT coalesce(nullif(d.source, ''), l.source, '(none)') AS src, count(*) AS won, "
	"  coalesce(sum(d.amount), 0) AS amt FROM deal d LEFT JOIN lead l ON l.id = d.lead_id "
	"  WHERE d.status = 'won' AND d.deleted_at IS NULL%s AND %s AND %s%s "
	"  GROUP BY src), "
	"s AS (SELECT src FROM l UNION SELECT src FROM w) "
	"SELECT s.src, coalesce(l.leads, 0), coalesce(l.qualified, 0), coalesce(l.converted, 0), "
	"  coalesce(w.won, 0), coalesce(w.amt, 0) "
	"FROM s LEFT JOIN l ON l.src = s.src LEFT JOIN w ON w.src = s.src ORDER BY 6 DESC, 2 DESC, s.src";

static int sources_one(struct crm *c, const struct report_opts *r, const char *since, const char *until,
		       const struct currencies *cs, int k, cJSON *rows)
{
	bool multi = cs->n > 1;
	char *sl = scope_and(c, "lead", "lead"), *sd = scope_and(c, "deal", "d");
	char *cl = recent_leads(c, since) ? around("created_at", since, until) : xstrdup("");
	char *cd = around("d.closed_at", since, until);
	char *lf = xasprintf("%s%s", multi ? " AND coalesce(currency, ?4) = ?3" : "", sl);
	char *df = xasprintf("%s%s", multi ? " AND coalesce(d.currency, ?4) = ?3" : "", sd);
	char *pl = in_period(c, "created_at"), *ol = of_owners(c, "owner");
	char *pd = in_period(c, "d.closed_at"), *od = of_owners(c, "d.owner");
	char *sql = xasprintf(sources_fmt, cl, pl, ol, lf, cd, pd, od, df);
	free(pl);
	free(ol);
	free(pd);
	free(od);
	free(sl);
	free(sd);
	free(cl);
	free(cd);
	free(lf);
	free(df);
	struct db_stmt *st;
	int rc = prepare(c, sql, &st);
	free(sql);
	if (rc)
		return rc;
	bind_period(st, since, until, r, cs, k);
	while ((rc = db_step(st)) == DB_ROW) {
		if (!sum_ok(st, 5)) {
			rc = SUM_OVERFLOW;
			break;
		}
		cJSON *o = row_new(rows);
		long long leads = db_column_int64(st, 1);
		put_str(o, "type", "source");
		put_str(o, "source", col_text(st, 0));
		put_int(o, "leads", leads);
		put_int(o, "qualified", db_column_int64(st, 2));
		put_int(o, "converted", db_column_int64(st, 3));
		put_int(o, "won_deals", db_column_int64(st, 4));
		put_money(o, "won_amount", db_column_int64(st, 5));
		put_str(o, "currency", cs->v[k]);
		if (leads) {
			put_real(o, "qualified_pct", round1(100.0 * db_column_int64(st, 2) / leads));
			put_real(o, "converted_pct", round1(100.0 * db_column_int64(st, 3) / leads));
		}
	}
	db_finalize(st);
	return rc == DB_DONE ? CRM_OK : report_error(c, rc);
}

int report_sources_rows(struct crm *c, const struct report_opts *r, cJSON **rows)
{
	bool multi;
	return per_currency(c, r, true, sources_one, rows, &multi);
}

int report_sources(struct crm *c, const struct report_opts *r)
{
	static const char *const tcols[] = { "source", "leads", "qualified", "converted", "converted_pct",
					     "won_amount", "won_bar" };
	static const char *const cols[] = { "type", "source", "leads", "qualified", "converted", "won_deals",
					    "won_amount", "currency", "qualified_pct", "converted_pct" };
	static const struct bar bar = { "won_bar", "won_amount", BAR_WIDTH - 6, false };
	cJSON *rows;
	bool multi;
	int rc = per_currency(c, r, true, sources_one, &rows, &multi);
	return print_report(c, rc, rows, tcols, 7, cols, 10, &bar, multi);
}

/* ---- silent ---- */

/* The last activity of an account is the latest on the account, its
 * contacts or its deals (or its last_contacted_at); with none, the
 * silence counts from its creation. Deals: the same on the deal. %s: the
 * instants compared, the scopes, the days of silence (from ?1, now) and
 * their whole days. */
static const char silent_fmt[] =
	"WITH ae AS (SELECT id AS aid, 'account:' || id AS entity FROM account WHERE deleted_at IS NULL "
	"  UNION ALL SELECT account_id, 'contact:' || id FROM contact WHERE account_id IS NOT NULL "
	"  UNION ALL SELECT account_id, 'deal:' || id FROM deal WHERE account_id IS NOT NULL), "
	"al AS (SELECT ae.aid, max(a.at) AS last FROM ae JOIN activity a ON a.entity = ae.entity "
	"  AND a.deleted_at IS NULL GROUP BY ae.aid), "
	"acc AS (SELECT 1 AS o, 'account' AS type, x.id, x.name, x.owner, "
	"  CASE WHEN al.last IS NULL OR %s > %s "
	"       THEN x.last_contacted_at ELSE al.last END AS last, x.created_at "
	"  FROM account x LEFT JOIN al ON al.aid = x.id WHERE x.deleted_at IS NULL%s), "
	"dl AS (SELECT d.id, max(a.at) AS last FROM deal d JOIN activity a ON a.entity = 'deal:' || d.id "
	"  AND a.deleted_at IS NULL WHERE d.status = 'open' AND d.deleted_at IS NULL GROUP BY d.id), "
	"dea AS (SELECT 2 AS o, 'deal' AS type, d.id, d.name, d.owner, "
	"  CASE WHEN dl.last IS NULL OR %s > %s "
	"       THEN d.last_contacted_at ELSE dl.last END AS last, d.created_at "
	"  FROM deal d LEFT JOIN dl ON dl.id = d.id WHERE d.status = 'open' AND d.deleted_at IS NULL%s), "
	"u AS (SELECT *, %s AS silent FROM acc UNION ALL SELECT *, %s FROM dea) "
	"SELECT type, id, name, owner, last, %s FROM u "
	"WHERE silent >= CASE type WHEN 'account' THEN CAST(?2 AS INTEGER) ELSE CAST(?3 AS INTEGER) END "
	"AND (CAST(?4 AS text) IS NULL OR owner = ?4) "
	"ORDER BY o, silent DESC, id";

int report_silent(struct crm *c, const struct report_opts *r)
{
	char now[DATE_BUFSZ];
	date_format(date_now(), now);
	struct db_stmt *st;
	char *sa = scope_and(c, "account", "x"), *sd = scope_and(c, "deal", "d");
	char *xc = dialect_instant(c, "x.last_contacted_at"), *xa = dialect_instant(c, "al.last");
	char *dc = dialect_instant(c, "d.last_contacted_at"), *da = dialect_instant(c, "dl.last");
	char *days = dialect_days_between(c, "CAST(?1 AS text)", "coalesce(last, created_at)");
	char *whole = dialect_integer(c, "silent");
	char *sql = xasprintf(silent_fmt, xc, xa, sa, dc, da, sd, days, days, whole);
	char *parts[] = { sa, sd, xc, xa, dc, da, days, whole };
	for (size_t i = 0; i < sizeof(parts) / sizeof(*parts); i++)
		free(parts[i]);
	int rc = prepare(c, sql, &st);
	free(sql);
	if (rc)
		return rc;
	db_bind_text(st, 1, now, -1, DB_TRANSIENT);
	db_bind_int64(st, 2, r->days >= 0 ? r->days : 90);
	db_bind_int64(st, 3, r->days >= 0 ? r->days : 14);
	bind_opt(st, 4, r->owner);
	static const char *const tcols[] = { "type", "id", "name", "owner", "silent_days", "silent_bar",
					     "last_activity_at" };
	static const char *const cols[] = { "type", "id", "name", "owner", "last_activity_at", "silent_days" };
	columns(c, tcols, 7, cols, 6);
	long n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		struct out *o = c->out;
		out_begin(o);
		out_str(o, "type", col_text(st, 0));
		out_int(o, "id", db_column_int64(st, 1));
		out_str(o, "name", col_text(st, 2));
		out_str(o, "owner", col_text(st, 3));
		out_str(o, "last_activity_at", col_text(st, 4));
		out_int(o, "silent_days", db_column_int64(st, 5));
		out_bar(o, "silent_bar", (double)db_column_int64(st, 5), 365, BAR_WIDTH / 2);
		out_end(o);
		n++;
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "report");
	return n ? CRM_OK : CRM_NOTFOUND;
}
