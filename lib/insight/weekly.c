/* weekly.c: a rep's (or a team's) week, as data, then as Markdown. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/money.h"
#include "base/sbuf.h"
#include "core/config.h"
#include "core/db.h"
#include "core/dialect.h"
#include "core/query.h"
#include "core/type.h"
#include "insight/panel.h"
#include "insight/period.h"
#include "insight/weekly.h"
#include "io/out.h"

/* The week's bounds and whose records, bound as ?1 owners (JSON), ?2
 * from, ?3 to, ?4 as of (the week's end, or now), ?5 the next week's end,
 * ?6 the default currency. */
struct week {
	struct period p;
	char asof[DATE_BUFSZ], next[DATE_BUFSZ];
	char from_day[DATE_BUFSZ], to_day[DATE_BUFSZ];   /* ?7, ?8: the week's days, for dates */
	const char *currency;
};

/* SQL with each %s a type's scope over its alias (type, alias pairs). */
static char *scoped(struct crm *c, const char *fmt, const char *t1, const char *a1, const char *t2, const char *a2)
{
	const struct type *x = t1 ? type_find(c, t1) : NULL, *y = t2 ? type_find(c, t2) : NULL;
	char *s1 = x ? query_scope(c, x, a1, false) : xstrdup(QUERY_SCOPE_ALL);
	char *s2 = y ? query_scope(c, y, a2, false) : xstrdup(QUERY_SCOPE_ALL);
	char *sql = xasprintf(fmt, s1, s2);
	free(s1);
	free(s2);
	return sql;
}

static int run(struct crm *c, char *sql, const char *owners, const struct week *w, struct db_stmt **st)
{
	int rc = db_prepare(c, sql, -1, st, NULL);
	free(sql);
	if (rc != DB_OK)
		return crm_dberror(c, rc, "report weekly");
	db_bind_text(*st, 1, owners, -1, DB_TRANSIENT);
	db_bind_text(*st, 2, w->p.since, -1, DB_TRANSIENT);
	db_bind_text(*st, 3, w->p.until, -1, DB_TRANSIENT);
	db_bind_text(*st, 4, w->asof, -1, DB_TRANSIENT);
	db_bind_text(*st, 5, w->next, -1, DB_TRANSIENT);
	db_bind_text(*st, 6, w->currency, -1, DB_TRANSIENT);
	db_bind_text(*st, 7, w->from_day, -1, DB_TRANSIENT);
	db_bind_text(*st, 8, w->to_day, -1, DB_TRANSIENT);
	return CRM_OK;
}

static const char *text(struct db_stmt *st, int i)
{
	return (const char *)db_column_text(st, i);
}

static int done(struct crm *c, struct db_stmt *st, int rc)
{
	db_finalize(st);
	return rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "report weekly");
}

#define OWNERS(col) col " IN (SELECT value FROM json_each(?1))"
#define IN_WEEK(col) "julianday(" col ") >= julianday(?2) AND julianday(" col ") < julianday(?3)"

static int activities(struct crm *c, const char *owners, const struct week *w, cJSON *o)
{
	struct db_stmt *st;
	int rc = run(c, scoped(c, "SELECT a.kind, count(*) FROM activity a WHERE a.deleted_at IS NULL AND "
				  OWNERS("a.owner") " AND " IN_WEEK("a.at") " AND (%s) AND (%s) "
				  "GROUP BY a.kind ORDER BY 2 DESC, 1", "activity", "a", NULL, NULL),
		     owners, w, &st);
	if (rc)
		return rc;
	cJSON *by = cJSON_AddObjectToObject(o, "activities");
	long long total = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		cJSON_AddNumberToObject(by, text(st, 0) ? text(st, 0) : "note", (double)db_column_int64(st, 1));
		total += db_column_int64(st, 1);
	}
	cJSON_AddNumberToObject(o, "activities_total", (double)total);
	return done(c, st, rc);
}

static void add_pct(cJSON *o, const char *key, long long part, long long whole)
{
	if (!whole)
		return;
	char buf[32];
	snprintf(buf, sizeof(buf), "%.15g", (double)llround(100.0 * part / whole * 10) / 10);
	cJSON_AddRawToObject(o, key, buf);
}

static int leads(struct crm *c, const char *owners, const struct week *w, cJSON *o)
{
	struct db_stmt *st;
	int rc = run(c, scoped(c, "SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM activity a "
				  "WHERE a.entity = 'lead:' || l.id AND a.deleted_at IS NULL "
				  "AND julianday(a.at) <= julianday(l.created_at) + 1)), 0) "
				  "FROM lead l WHERE l.deleted_at IS NULL AND " OWNERS("l.owner") " AND "
				  IN_WEEK("l.created_at") " AND (%s) AND (%s)", "lead", "l", NULL, NULL),
		     owners, w, &st);
	if (rc)
		return rc;
	if ((rc = db_step(st)) == DB_ROW) {
		long long n = db_column_int64(st, 0), fast = db_column_int64(st, 1);
		cJSON_AddNumberToObject(o, "new_leads", (double)n);
		cJSON_AddNumberToObject(o, "contacted_24h", (double)fast);
		add_pct(o, "contacted_24h_pct", fast, n);
		rc = DB_DONE;
	}
	return done(c, st, rc);
}

static int moves(struct crm *c, const char *owners, const struct week *w, cJSON *o)
{
	struct db_stmt *st;
	/* the deals first, then their stays (SQLite's CROSS keeps that order) */
	char *fmt = xasprintf("SELECT h.deal_id, d.name, h.from_stage, h.to_stage, h.at, "
			      "coalesce(sf.label, h.from_stage), coalesce(sto.label, h.to_stage) "
			      "FROM deal d%s JOIN stage_history h ON h.deal_id = d.id "
			      "LEFT JOIN pipeline p ON p.key = h.pipeline "
			      "LEFT JOIN stage sf ON sf.pipeline_id = p.id AND sf.key = h.from_stage "
			      "LEFT JOIN stage sto ON sto.pipeline_id = p.id AND sto.key = h.to_stage "
			      "WHERE d.deleted_at IS NULL AND " OWNERS("d.owner") " AND h.from_stage IS NOT NULL "
			      "AND " IN_WEEK("h.at") " AND (%%s) AND (%%s) ORDER BY h.at, h.id",
			      dialect_index(c, " CROSS"));
	int rc = run(c, scoped(c, fmt, "deal", "d", NULL, NULL), owners, w, &st);
	free(fmt);
	if (rc)
		return rc;
	cJSON *list = cJSON_CreateArray();
	long long deals = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		long long id = db_column_int64(st, 0);
		bool seen = false;
		const cJSON *it;
		cJSON_ArrayForEach(it, list)
			seen = seen || (long long)panel_double(it, "deal_id") == id;
		deals += !seen;
		cJSON *m = cJSON_CreateObject();
		cJSON_AddNumberToObject(m, "deal_id", (double)id);
		cJSON_AddStringToObject(m, "name", text(st, 1) ? text(st, 1) : "");
		cJSON_AddStringToObject(m, "from", text(st, 2));
		cJSON_AddStringToObject(m, "to", text(st, 3));
		cJSON_AddStringToObject(m, "from_label", text(st, 5));
		cJSON_AddStringToObject(m, "to_label", text(st, 6));
		cJSON_AddStringToObject(m, "at", text(st, 4));
		cJSON_AddItemToArray(list, m);
	}
	cJSON_AddNumberToObject(o, "deals_moved", (double)deals);
	cJSON_AddItemToObject(o, "moves", list);
	return done(c, st, rc);
}

/* {currency, amount, deals} per currency, the order they come in. */
static void sum_into(cJSON *sums, const char *cur, long long amount)
{
	cJSON *slot = NULL, *it;
	cJSON_ArrayForEach(it, sums)
		if (!strcmp(panel_str(it, "currency", ""), cur))
			slot = it;
	long long have = 0;
	double n = 0;
	if (slot) {
		panel_minor(slot, "amount", &have);
		n = panel_double(slot, "deals");
	} else {
		slot = cJSON_CreateObject();
		cJSON_AddStringToObject(slot, "currency", cur);
		cJSON_AddRawToObject(slot, "amount", "0");
		cJSON_AddNumberToObject(slot, "deals", 0);
		cJSON_AddItemToArray(sums, slot);
	}
	char buf[MONEY_BUFSZ];
	cJSON_ReplaceItemInObjectCaseSensitive(slot, "amount", cJSON_CreateRaw(money_format(have + amount, buf)));
	cJSON_ReplaceItemInObjectCaseSensitive(slot, "deals", cJSON_CreateNumber(n + 1));
}

static int closed(struct crm *c, const char *owners, const struct week *w, cJSON *o)
{
	struct db_stmt *st;
	int rc = run(c, scoped(c, "SELECT d.id, d.name, d.status, coalesce(d.amount, 0), coalesce(d.currency, ?6), "
				  "d.lost_reason, d.closed_at FROM deal d WHERE d.deleted_at IS NULL "
				  "AND d.status IN ('won', 'lost') AND " OWNERS("d.owner") " AND " IN_WEEK("d.closed_at")
				  " AND (%s) AND (%s) ORDER BY d.closed_at, d.id", "deal", "d", NULL, NULL),
		     owners, w, &st);
	if (rc)
		return rc;
	cJSON *won = cJSON_CreateArray(), *lost = cJSON_CreateArray(), *list = cJSON_CreateArray();
	long long nwon = 0, nlost = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		bool is_won = !strcmp(text(st, 2), "won");
		long long amount = db_column_int64(st, 3);
		char buf[MONEY_BUFSZ];
		sum_into(is_won ? won : lost, text(st, 4), amount);
		if (is_won)
			nwon++;
		else
			nlost++;
		cJSON *d = cJSON_CreateObject();
		cJSON_AddNumberToObject(d, "deal_id", (double)db_column_int64(st, 0));
		cJSON_AddStringToObject(d, "name", text(st, 1) ? text(st, 1) : "");
		cJSON_AddStringToObject(d, "status", text(st, 2));
		cJSON_AddRawToObject(d, "amount", money_format(amount, buf));
		cJSON_AddStringToObject(d, "currency", text(st, 4));
		if (text(st, 5) && *text(st, 5))
			cJSON_AddStringToObject(d, "lost_reason", text(st, 5));
		cJSON_AddStringToObject(d, "closed_at", text(st, 6));
		cJSON_AddItemToArray(list, d);
	}
	cJSON_AddNumberToObject(o, "won_deals", (double)nwon);
	cJSON_AddItemToObject(o, "won", won);
	cJSON_AddNumberToObject(o, "lost_deals", (double)nlost);
	cJSON_AddItemToObject(o, "lost", lost);
	cJSON_AddItemToObject(o, "closed", list);
	return done(c, st, rc);
}

/* The name of what a task is about ("lead:2" -> its name), or NULL. */
static char *about(struct crm *c, const char *entity)
{
	char type[32];
	long long id;
	if (!entity || sscanf(entity, "%31[a-z_]:%lld", type, &id) != 2 || !type_find(c, type))
		return NULL;
	const struct type *t = type_find(c, type);
	if (!type_field(t, "name"))
		return NULL;
	char *sql = xasprintf("SELECT name FROM \"%s\" WHERE id = %lld", t->name, id);
	char *name = db_get_text(c, sql, NULL);
	free(sql);
	c->errmsg[0] = 0;
	return name;
}

static int tasks(struct crm *c, const char *owners, const struct week *w, cJSON *o, bool next)
{
	struct db_stmt *st;
	/* open as the week ended (or now): not done, or done since */
	int rc = run(c, scoped(c, next ?
		"SELECT t.id, t.title, t.due, t.entity FROM task t WHERE t.deleted_at IS NULL AND " OWNERS("t.owner")
		" AND julianday(t.due) >= julianday(?3) AND julianday(t.due) < julianday(?5) "
		"AND (t.status = 'open' OR julianday(t.done_at) >= julianday(?4)) AND (%s) AND (%s) "
		"ORDER BY t.due, t.id" :
		"SELECT t.id, t.title, t.due, t.entity FROM task t WHERE t.deleted_at IS NULL AND " OWNERS("t.owner")
		" AND julianday(t.due) < julianday(?4) "
		"AND (t.status = 'open' OR julianday(t.done_at) >= julianday(?4)) AND (%s) AND (%s) "
		"ORDER BY t.due, t.id", "task", "t", NULL, NULL),
		owners, w, &st);
	if (rc)
		return rc;
	cJSON *list = cJSON_CreateArray();
	while ((rc = db_step(st)) == DB_ROW) {
		cJSON *t = cJSON_CreateObject();
		cJSON_AddNumberToObject(t, "task_id", (double)db_column_int64(st, 0));
		cJSON_AddStringToObject(t, "title", text(st, 1) ? text(st, 1) : "");
		cJSON_AddStringToObject(t, "due", text(st, 2));
		if (text(st, 3)) {
			cJSON_AddStringToObject(t, "entity", text(st, 3));
			char *name = about(c, text(st, 3));
			if (name)
				cJSON_AddStringToObject(t, "about", name);
			free(name);
		}
		cJSON_AddItemToArray(list, t);
	}
	cJSON_AddNumberToObject(o, next ? "tasks_due_next_week" : "tasks_overdue", cJSON_GetArraySize(list));
	cJSON_AddItemToObject(o, next ? "due_next_week" : "overdue", list);
	return done(c, st, rc);
}

/* A part of another layer that is not in this crm (built without cash or
 * service: no payment or ticket type in the registry). */
static void not_here(cJSON *o, const char *key, const char *type, const char *reason)
{
	cJSON *x = cJSON_AddObjectToObject(o, key);
	cJSON_AddBoolToObject(x, "available", false);
	cJSON_AddStringToObject(x, "reason", reason);
	cJSON_AddStringToObject(x, "needs", type);
}

/* Payments received in the week (by their date, a day) on the owners'
 * contracts: per currency, and how many. */
static int payments(struct crm *c, const char *owners, const struct week *w, cJSON *o)
{
	if (!type_find(c, "payment")) {
		not_here(o, "payments", "payment", "no cash layer in this crm");
		return CRM_OK;
	}
	struct db_stmt *st;
	int rc = run(c, scoped(c, "SELECT coalesce(p.currency, ?6), count(*), coalesce(sum(p.amount), 0) FROM payment p "
				  "WHERE p.deleted_at IS NULL AND " OWNERS("p.owner") " AND substr(p.date, 1, 10) >= ?7 "
				  "AND substr(p.date, 1, 10) < ?8 AND (%s) AND (%s) "
				  "GROUP BY 1 ORDER BY coalesce(p.currency, ?6) <> ?6, 1",
			       "payment", "p", NULL, NULL),
		     owners, w, &st);
	if (rc)
		return rc;
	cJSON *x = cJSON_AddObjectToObject(o, "payments"), *sums = cJSON_CreateArray();
	long long n = 0;
	cJSON_AddBoolToObject(x, "available", true);
	while ((rc = db_step(st)) == DB_ROW) {
		char buf[MONEY_BUFSZ];
		cJSON *one = cJSON_CreateObject();
		cJSON_AddStringToObject(one, "currency", text(st, 0));
		cJSON_AddRawToObject(one, "amount", money_format(db_column_int64(st, 2), buf));
		cJSON_AddNumberToObject(one, "payments", (double)db_column_int64(st, 1));
		cJSON_AddItemToArray(sums, one);
		n += db_column_int64(st, 1);
	}
	cJSON_AddNumberToObject(x, "count", (double)n);
	cJSON_AddItemToObject(x, "received", sums);
	return done(c, st, rc);
}

/* Tickets handled: the owners' tickets they replied to or resolved in the
 * week; and of those, resolved. */
static int tickets(struct crm *c, const char *owners, const struct week *w, cJSON *o)
{
	if (!type_find(c, "ticket")) {
		not_here(o, "tickets", "ticket", "no service layer in this crm");
		return CRM_OK;
	}
	struct db_stmt *st;
	int rc = run(c, scoped(c, "SELECT count(*), coalesce(sum(t.resolved_at IS NOT NULL AND " IN_WEEK("t.resolved_at")
				  "), 0) FROM ticket t WHERE t.deleted_at IS NULL AND " OWNERS("t.owner") " AND (%s) "
				  "AND ((t.resolved_at IS NOT NULL AND " IN_WEEK("t.resolved_at") ") OR EXISTS (SELECT 1 "
				  "FROM activity a WHERE a.entity = 'ticket:' || t.id AND a.deleted_at IS NULL "
				  "AND " OWNERS("a.owner") " AND " IN_WEEK("a.at") " AND (%s)))",
			       "ticket", "t", "activity", "a"),
		     owners, w, &st);
	if (rc)
		return rc;
	cJSON *x = cJSON_AddObjectToObject(o, "tickets");
	cJSON_AddBoolToObject(x, "available", true);
	if ((rc = db_step(st)) == DB_ROW) {
		cJSON_AddNumberToObject(x, "handled", (double)db_column_int64(st, 0));
		cJSON_AddNumberToObject(x, "resolved", (double)db_column_int64(st, 1));
		rc = DB_DONE;
	}
	return done(c, st, rc);
}

/* One scope's week (owners: a JSON array of names). */
static int week_of(struct crm *c, const struct week *w, const char *owners, cJSON *o)
{
	int rc = activities(c, owners, w, o);
	if (!rc)
		rc = leads(c, owners, w, o);
	if (!rc)
		rc = moves(c, owners, w, o);
	if (!rc)
		rc = closed(c, owners, w, o);
	if (!rc) {
		rc = payments(c, owners, w, o);
	}
	if (!rc)
		rc = tickets(c, owners, w, o);
	if (!rc)
		rc = tasks(c, owners, w, o, false);
	if (!rc)
		rc = tasks(c, owners, w, o, true);
	return rc;
}

static cJSON *head(const struct week *w)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", "weekly");
	cJSON_AddStringToObject(o, "week", w->p.week);
	cJSON_AddStringToObject(o, "since", w->p.since);
	cJSON_AddStringToObject(o, "until", w->p.until);
	return o;
}

static char *one_owner(const char *name)
{
	cJSON *a = cJSON_CreateArray();
	cJSON_AddItemToArray(a, cJSON_CreateString(name));
	char *s = cJSON_PrintUnformatted(a);
	char *r = xstrdup(s);
	cJSON_free(s);
	cJSON_Delete(a);
	return r;
}

/* ---- Markdown ---- */

static const char *kind_zh(const char *kind)
{
	static const char *const names[][2] = {
		{ "call", "电话" }, { "meeting", "会议" }, { "email", "邮件" },
		{ "visit", "拜访" }, { "wechat", "微信" }, { "note", "备注" },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(kind, names[i][0]))
			return names[i][1];
	return kind;
}

/* Markdown-safe text in a table cell or a list item. */
static void md(struct sbuf *b, const char *s)
{
	for (; s && *s; s++) {
		if (strchr("|\\*_`[]<>", *s))
			sbuf_addc(b, '\\');
		if (*s == '\n')
			sbuf_addc(b, ' ');
		else
			sbuf_addc(b, *s);
	}
}

/* "¥100,000" per currency, joined; "" when none. */
static void amounts(struct sbuf *b, const cJSON *sums)
{
	const cJSON *it;
	int i = 0;
	cJSON_ArrayForEach(it, sums) {
		long long m;
		char buf[80];
		panel_minor(it, "amount", &m);
		sbuf_addf(b, "%s%s", i++ ? " + " : "", panel_money(m, panel_str(it, "currency", NULL), buf, sizeof(buf)));
	}
}

static void day_of(const char *iso, char *buf)
{
	snprintf(buf, 11, "%.10s", iso ? iso : "");
}

static void summary(struct sbuf *b, const cJSON *o)
{
	char num[32];
	sbuf_add(b, "| 项目 Item | 本周 This week |\n|---|---:|\n");
	sbuf_addf(b, "| 活动 Activities | %.0f |\n", panel_double(o, "activities_total"));
	sbuf_addf(b, "| 新线索 New leads | %.0f |\n", panel_double(o, "new_leads"));
	sbuf_addf(b, "| 24小时内首次联系 Contacted within 24h | %.0f", panel_double(o, "contacted_24h"));
	if (panel_has(o, "contacted_24h_pct"))
		sbuf_addf(b, " (%s%%)", panel_json(o, "contacted_24h_pct", num, sizeof(num)));
	sbuf_add(b, " |\n");
	sbuf_addf(b, "| 推进的商机 Deals moved | %.0f |\n", panel_double(o, "deals_moved"));
	sbuf_addf(b, "| 赢单 Won | %.0f", panel_double(o, "won_deals"));
	if (panel_double(o, "won_deals") > 0) {
		sbuf_add(b, " · ");
		amounts(b, cJSON_GetObjectItemCaseSensitive(o, "won"));
	}
	sbuf_add(b, " |\n");
	sbuf_addf(b, "| 输单 Lost | %.0f", panel_double(o, "lost_deals"));
	if (panel_double(o, "lost_deals") > 0) {
		sbuf_add(b, " · ");
		amounts(b, cJSON_GetObjectItemCaseSensitive(o, "lost"));
	}
	sbuf_add(b, " |\n");
	static const char *const others[][2] = { { "payments", "回款 Payments received" },
						 { "tickets", "处理的工单 Tickets handled" } };
	for (int i = 0; i < 2; i++) {
		const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, others[i][0]);
		sbuf_addf(b, "| %s | ", others[i][1]);
		if (!panel_available(x)) {
			sbuf_add(b, "not available: ");
			md(b, panel_str(x, "reason", ""));
		} else if (i == 0) {
			sbuf_addf(b, "%.0f", panel_double(x, "count"));
			if (panel_double(x, "count") > 0) {
				sbuf_add(b, " · ");
				amounts(b, cJSON_GetObjectItemCaseSensitive(x, "received"));
			}
		} else {
			sbuf_addf(b, "%.0f (%.0f resolved)", panel_double(x, "handled"), panel_double(x, "resolved"));
		}
		sbuf_add(b, " |\n");
	}
	sbuf_addf(b, "| 逾期任务 Tasks overdue | %.0f |\n", panel_double(o, "tasks_overdue"));
	sbuf_addf(b, "| 下周到期 Tasks due next week | %.0f |\n", panel_double(o, "tasks_due_next_week"));
}

static void task_items(struct sbuf *b, const cJSON *list)
{
	const cJSON *t;
	if (!cJSON_GetArraySize(list)) {
		sbuf_add(b, "无 None.\n");
		return;
	}
	cJSON_ArrayForEach(t, list) {
		char due[16];
		day_of(panel_str(t, "due", ""), due);
		sbuf_add(b, "- [ ] ");
		md(b, panel_str(t, "title", ""));
		if (panel_str(t, "entity", NULL)) {
			sbuf_add(b, " (");
			if (panel_str(t, "about", NULL)) {
				md(b, panel_str(t, "about", ""));
				sbuf_add(b, ", ");
			}
			md(b, panel_str(t, "entity", ""));
			sbuf_add(b, ")");
		}
		sbuf_addf(b, ", due %s\n", due);
	}
}

static void details(struct sbuf *b, const cJSON *o)
{
	const cJSON *it, *acts = cJSON_GetObjectItemCaseSensitive(o, "activities");
	sbuf_add(b, "\n## 活动 Activities\n\n");
	if (!cJSON_GetArraySize(acts)) {
		sbuf_add(b, "无 None.\n");
	} else {
		sbuf_add(b, "| 方式 Kind | 次数 Count |\n|---|---:|\n");
		cJSON_ArrayForEach(it, acts) {
			sbuf_addf(b, "| %s %s | %.0f |\n", kind_zh(it->string), it->string, it->valuedouble);
		}
	}
	sbuf_add(b, "\n## 商机推进 Deals moved\n\n");
	const cJSON *mv = cJSON_GetObjectItemCaseSensitive(o, "moves");
	if (!cJSON_GetArraySize(mv))
		sbuf_add(b, "无 None.\n");
	cJSON_ArrayForEach(it, mv) {
		char day[16];
		day_of(panel_str(it, "at", ""), day);
		sbuf_addf(b, "- %s ", day);
		md(b, panel_str(it, "name", ""));
		sbuf_addf(b, " (deal:%.0f): ", panel_double(it, "deal_id"));
		md(b, panel_str(it, "from_label", ""));
		sbuf_add(b, " → ");
		md(b, panel_str(it, "to_label", ""));
		sbuf_addc(b, '\n');
	}
	sbuf_add(b, "\n## 赢单与输单 Won and lost\n\n");
	const cJSON *cl = cJSON_GetObjectItemCaseSensitive(o, "closed");
	if (!cJSON_GetArraySize(cl))
		sbuf_add(b, "无 None.\n");
	cJSON_ArrayForEach(it, cl) {
		char day[16], money[80];
		long long m;
		bool won = !strcmp(panel_str(it, "status", ""), "won");
		day_of(panel_str(it, "closed_at", ""), day);
		panel_minor(it, "amount", &m);
		sbuf_addf(b, "- %s %s: ", day, won ? "赢单 won" : "输单 lost");
		md(b, panel_str(it, "name", ""));
		sbuf_addf(b, " (deal:%.0f) %s", panel_double(it, "deal_id"),
			  panel_money(m, panel_str(it, "currency", NULL), money, sizeof(money)));
		if (panel_str(it, "lost_reason", NULL)) {
			sbuf_add(b, ", ");
			md(b, panel_str(it, "lost_reason", ""));
		}
		sbuf_addc(b, '\n');
	}
	sbuf_add(b, "\n## 任务 Tasks\n\n### 逾期 Overdue\n\n");
	task_items(b, cJSON_GetObjectItemCaseSensitive(o, "overdue"));
	sbuf_add(b, "\n### 下周到期 Due next week\n\n");
	task_items(b, cJSON_GetObjectItemCaseSensitive(o, "due_next_week"));
}

static void members_table(struct sbuf *b, const cJSON *lines)
{
	const cJSON *o;
	sbuf_add(b, "\n## 成员 Members\n\n| 成员 Member | 活动 Activities | 新线索 New leads | 24h联系 Contacted 24h "
		    "| 推进 Moved | 赢单 Won | 输单 Lost | 逾期任务 Overdue |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
	cJSON_ArrayForEach(o, lines) {
		if (!panel_str(o, "owner", NULL))
			continue;
		char num[32];
		sbuf_add(b, "| ");
		md(b, panel_str(o, "owner", ""));
		sbuf_addf(b, " | %.0f | %.0f | ", panel_double(o, "activities_total"), panel_double(o, "new_leads"));
		if (panel_has(o, "contacted_24h_pct"))
			sbuf_addf(b, "%s%%", panel_json(o, "contacted_24h_pct", num, sizeof(num)));
		else
			sbuf_add(b, "—");
		sbuf_addf(b, " | %.0f | %.0f", panel_double(o, "deals_moved"), panel_double(o, "won_deals"));
		if (panel_double(o, "won_deals") > 0) {
			sbuf_add(b, " · ");
			amounts(b, cJSON_GetObjectItemCaseSensitive(o, "won"));
		}
		sbuf_addf(b, " | %.0f | %.0f |\n", panel_double(o, "lost_deals"), panel_double(o, "tasks_overdue"));
	}
}

static char *markdown(const cJSON *lines)
{
	struct sbuf b = { 0 };
	const cJSON *o = cJSON_GetArrayItem(lines, 0);
	char from[16], to[16];
	day_of(panel_str(o, "since", ""), from);
	/* the last day of the week: the day before its end */
	snprintf(to, sizeof(to), "%s", panel_str(o, "last_day", ""));
	sbuf_addf(&b, "# 周报 Weekly report %s · ", panel_str(o, "week", ""));
	if (panel_str(o, "team", NULL)) {
		sbuf_add(&b, "团队 team ");
		md(&b, panel_str(o, "team", ""));
	} else {
		md(&b, panel_str(o, "owner", ""));
	}
	sbuf_addf(&b, "\n\n%s – %s", from, to);
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, "members"), *it;
	if (m) {
		sbuf_add(&b, " · ");
		int i = 0;
		cJSON_ArrayForEach(it, m) {
			if (i++)
				sbuf_add(&b, ", ");
			md(&b, cJSON_IsString(it) ? it->valuestring : "");
		}
	}
	sbuf_add(&b, "\n\n## 概要 Summary\n\n");
	summary(&b, o);
	if (m)
		members_table(&b, lines);
	details(&b, o);
	return sbuf_detach(&b);
}

int weekly_run(struct crm *c, const struct weekly_opts *o)
{
	struct week w = { 0 };
	struct report_opts r = { 0 };
	char *members = NULL, **names = NULL;
	int rc = period_week(c, o->week, &w.p);
	if (!rc)
		rc = period_owners(c, o->owner, o->team, &r, &members, &names);
	if (rc)
		return rc;
	time_t now = date_now();
	date_format(w.p.to < now ? w.p.to : now, w.asof);
	date_format(period_day(w.p.to, 7), w.next);
	date_format_day(w.p.from, w.from_day);
	date_format_day(w.p.to, w.to_day);
	char *cur = config_get(c, "currency");
	w.currency = cur ? cur : "CNY";
	char last[DATE_BUFSZ];
	date_format_day(period_day(w.p.to, -1), last);

	const char *who = o->owner ? o->owner : c->user;
	if (!o->team && !who) {
		free(cur);
		return crm_error(c, CRM_USAGE, "whose week? --owner USER (no acting user)");
	}
	cJSON *lines = cJSON_CreateArray(), *top = head(&w);
	cJSON_AddItemToArray(lines, top);
	if (o->team) {
		cJSON_AddStringToObject(top, "team", o->team);
		cJSON *arr = cJSON_AddArrayToObject(top, "members");
		for (int i = 0; names[i]; i++)
			cJSON_AddItemToArray(arr, cJSON_CreateString(names[i]));
		rc = week_of(c, &w, members, top);
		for (int i = 0; !rc && names[i]; i++) {
			cJSON *one = head(&w);
			cJSON_AddStringToObject(one, "owner", names[i]);
			cJSON_AddItemToArray(lines, one);
			char *list = one_owner(names[i]);
			rc = week_of(c, &w, list, one);
			free(list);
		}
	} else {
		cJSON_AddStringToObject(top, "owner", who);
		char *list = one_owner(who);
		rc = week_of(c, &w, list, top);
		free(list);
	}
	/* a document, even into a pipe; JSON lines when asked for */
	bool json = o->json || (c->format == OUT_JSONL && c->format_set);
	if (!rc && json) {
		const cJSON *it;
		cJSON_ArrayForEach(it, lines)
			out_object(c->out, it);
	} else if (!rc) {
		cJSON_AddStringToObject(top, "last_day", last);
		char *doc = markdown(lines);
		out_text(c->out, doc, strlen(doc));
		free(doc);
	}
	cJSON_Delete(lines);
	free(members);
	period_names_free(names);
	free(cur);
	return rc;
}
