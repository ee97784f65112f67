/* ticket.c: service tickets, their lifecycle and SLA clocks. See ticket.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "core/config.h"
#include "core/db.h"
#include "core/dialect.h"
#include "core/event.h"
#include "core/query.h"
#include "core/record.h"
#include "io/out.h"
#include "service/ticket.h"

/* The pauses of the ticket "r", as text "from|to;from|to" (to empty while
 * the pause lasts), for ticket_sla(). */
#define PAUSES "(SELECT group_concat(p.from_at || '|' || coalesce(p.to_at, ''), ';') " \
	"FROM ticket_pause AS p WHERE p.ticket_id = r.id)"
#define SLA_ARGS "r.priority, r.opened_at, " PAUSES ", r.first_response_at, r.resolved_at, r.id"

static const struct field ticket_fields[] = {
	FIELD_ID,
	{ "title", FK_TEXT, FF_REQUIRED | FF_SEARCH | FF_LIST, NULL, NULL, "工单标题", NULL },
	{ "account_id", FK_REF, FF_PARENT | FF_LIST, NULL, "account", "客户编号", NULL },
	{ "contact_id", FK_REF, 0, NULL, "contact", "联系人编号", NULL },
	{ "priority", FK_ENUM, FF_LIST, "low,normal,high,urgent", NULL, "优先级", "normal" },
	{ "category", FK_TEXT, FF_LIST, NULL, NULL, "分类", NULL },
	{ "status", FK_ENUM, FF_LIST, "new,open,pending,resolved,closed", NULL, "状态", "new" },
	/* the one handling it; assignee says the same for the contract's word */
	{ "owner", FK_TEXT, FF_LIST, NULL, NULL, "处理人", DFLT_USER },
	{ "assignee", FK_TEXT, FF_COMPUTED, NULL, NULL, "受理人", NULL, "r.owner" },
	{ "opened_at", FK_TIME, 0, NULL, NULL, "提交时间", DFLT_NOW },
	{ "first_response_at", FK_TIME, FF_SYSTEM, NULL, NULL, "首次响应时间", NULL },
	{ "resolved_at", FK_TIME, FF_SYSTEM, NULL, NULL, "解决时间", NULL },
	{ "closed_at", FK_TIME, FF_SYSTEM, NULL, NULL, "关闭时间", NULL },
	{ "first_response_due", FK_TIME, FF_COMPUTED, NULL, NULL, "首次响应期限", NULL,
	  "ticket_sla('first_due', " SLA_ARGS ")" },
	{ "resolve_due", FK_TIME, FF_COMPUTED | FF_LIST, NULL, NULL, "解决期限", NULL,
	  "ticket_sla('resolve_due', " SLA_ARGS ")" },
	{ "breached", FK_JSON, FF_COMPUTED | FF_LIST, NULL, NULL, "超时", NULL,
	  "ticket_sla('breached', " SLA_ARGS ")" },
	FIELD_TAGS, FIELD_NOTE, FIELD_LAST_CONTACT, FIELD_STAMPS,
};

/* ---- the SLA as configured, read once per command ---- */

static const char *const priorities[] = { "urgent", "high", "normal", "low" };
#define NPRIO 4

struct sla_conf {
	char herr[256];             /* sla.hours does not parse: why */
	struct sla_hours h;
	struct sla_policy p[NPRIO];
	char perr[NPRIO][256];      /* sla.PRIORITY does not parse: why */
	bool warned;
};

static const char sla_slot = 0;

static struct sla_conf *sla_conf(struct crm *c)
{
	struct sla_conf *s = crm_slot_get(c, &sla_slot);
	if (s)
		return s;
	s = xcalloc(1, sizeof(*s));
	char err[200];
	char *hours = config_get(c, "sla.hours");
	if (sla_hours_parse(hours, &s->h, err, sizeof(err)) != 0)
		snprintf(s->herr, sizeof(s->herr), "sla.hours: %s", err);
	free(hours);
	for (int i = 0; i < NPRIO && !s->herr[0]; i++) {
		char *key = xasprintf("sla.%s", priorities[i]);
		char *v = config_get(c, key);
		if (sla_policy_parse(v ? v : sla_policy_default(priorities[i]), &s->h, &s->p[i], err, sizeof(err)) != 0)
			snprintf(s->perr[i], sizeof(s->perr[i]), "%s: %s", key, err);
		free(v);
		free(key);
	}
	c->errmsg[0] = 0;
	crm_slot_set(c, &sla_slot, s, free);
	return s;
}

int ticket_sla_config(struct crm *c, const char *priority, const struct sla_hours **h,
		      struct sla_policy *p)
{
	struct sla_conf *s = sla_conf(c);
	if (s->herr[0])
		return crm_error(c, CRM_BADINPUT, "%s", s->herr);
	*h = &s->h;
	if (!priority) {
		/* every priority's policy must read */
		for (int i = 0; i < NPRIO; i++)
			if (s->perr[i][0])
				return crm_error(c, CRM_BADINPUT, "%s", s->perr[i]);
		return CRM_OK;
	}
	if (!p)
		return CRM_OK;
	for (int i = 0; i < NPRIO; i++)
		if (priority && !strcmp(priority, priorities[i])) {
			if (s->perr[i][0])
				return crm_error(c, CRM_BADINPUT, "%s", s->perr[i]);
			*p = s->p[i];
			return CRM_OK;
		}
	return crm_error(c, CRM_BADINPUT, "priority '%s' has no SLA (low, normal, high, urgent)",
			 priority ? priority : "");
}

static int time_of(const char *s, time_t *t)
{
	return s && *s && date_parse(s, date_now(), t, NULL) == 0 ? 0 : -1;
}

/* "from|to;from|to" into pauses; a pause that lasts ends now, so the due
 * times show where they stand if the ticket went on now. */
static int pauses_parse(const char *s, time_t now, struct sla_pause **out)
{
	int n = 0;
	*out = NULL;
	if (!s)
		return 0;
	char *copy = xstrdup(s), *save = NULL;
	for (char *tok = strtok_r(copy, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		char *bar = strchr(tok, '|');
		if (!bar)
			continue;
		*bar = 0;
		struct sla_pause p;
		if (time_of(tok, &p.from))
			continue;
		if (time_of(bar + 1, &p.to))
			p.to = now > p.from ? now : p.from;
		*out = xrealloc(*out, (n + 1) * sizeof(**out));
		(*out)[n++] = p;
	}
	free(copy);
	return n;
}

/* The due time of a clock done at done (0: running), leaving out the
 * pauses that began after it stopped. */
static time_t clock_due(const struct sla_hours *h, time_t start, long long secs, const struct sla_pause *ps,
			int np, time_t done)
{
	struct sla_pause *before = xcalloc(np ? np : 1, sizeof(*before));
	int n = 0;
	for (int i = 0; i < np; i++)
		if (!done || ps[i].from < done)
			before[n++] = ps[i];
	time_t due = sla_due(h, start, secs, before, n);
	free(before);
	return due;
}

/* The clocks of a ticket from what they follow from (the arguments of
 * ticket_sla, as text): the due times into first and resolve (empty:
 * none), the clocks past due as a JSON list into *breached (NULL: none).
 * warn: a setting that does not read is said once (else the clocks are
 * only off). */
static void sla_of(struct crm *c, const char *prio, const char *opened_at, const char *pauses,
		   const char *first_at, const char *resolved_at, bool warn, char first[DATE_BUFSZ],
		   char resolve[DATE_BUFSZ], const char **breached)
{
	first[0] = resolve[0] = 0;
	*breached = NULL;
	time_t opened, done_first = 0, resolved = 0, now = date_now();
	if (!prio || time_of(opened_at, &opened))
		return;
	const struct sla_hours *h = NULL;
	struct sla_policy p;
	if (ticket_sla_config(c, prio, &h, &p)) {
		/* a setting that does not read: no clocks, said once */
		struct sla_conf *s = sla_conf(c);
		if (warn && !s->warned)
			crm_warn(c, "%s (the SLA clocks are off until it is fixed: crm config set)", c->errmsg);
		s->warned = s->warned || warn;
		c->errmsg[0] = 0;
		c->errcode = 0;
		return;
	}
	time_of(first_at, &done_first);
	time_of(resolved_at, &resolved);
	struct sla_pause *ps;
	int np = pauses_parse(pauses, now, &ps);
	/* the first response is owed until it is given, or until the ticket
	 * is resolved without one; a clock that stopped is not moved by a
	 * pause after it */
	time_t done1 = done_first ? done_first : resolved;
	time_t d1 = clock_due(h, opened, p.first, ps, np, done1), d2 = clock_due(h, opened, p.resolve, ps, np, resolved);
	if (d1 != SLA_PENDING && d1 != SLA_INVALID)
		date_format(d1, first);
	if (d2 != SLA_PENDING && d2 != SLA_INVALID)
		date_format(d2, resolve);
	bool b1 = sla_breached(d1, done1, now);
	bool b2 = sla_breached(d2, resolved, now);
	if (b1 || b2)
		*breached = b1 && b2 ? "[\"first_response\",\"resolve\"]" : b1 ? "[\"first_response\"]" : "[\"resolve\"]";
	free(ps);
}

/* ticket_sla(what, priority, opened_at, pauses, first_response_at,
 * resolved_at, id): what is first_due, resolve_due (a time) or breached
 * (a JSON list of the clocks past due, NULL when none). */
static void fn_ticket_sla(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	struct crm *c = sqlite3_user_data(ctx);
	const char *what = (const char *)sqlite3_value_text(argv[0]);
	if (!what) {
		sqlite3_result_null(ctx);
		return;
	}
	char first[DATE_BUFSZ], resolve[DATE_BUFSZ];
	const char *breached;
	sla_of(c, (const char *)sqlite3_value_text(argv[1]), (const char *)sqlite3_value_text(argv[2]),
	       (const char *)sqlite3_value_text(argv[3]), (const char *)sqlite3_value_text(argv[4]),
	       (const char *)sqlite3_value_text(argv[5]), true, first, resolve, &breached);
	const char *v = !strcmp(what, "first_due") ? first : !strcmp(what, "resolve_due") ? resolve : breached;
	if (v && *v)
		sqlite3_result_text(ctx, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_result_null(ctx);
}

/* ---- the clocks on a server ----
 *
 * The server cannot run sla.c: its ticket_sla() (ticket_pg_functions)
 * reads each ticket's clocks from a table of this session, which crm
 * fills as it opens the server (every ticket the login role may see) and
 * again for a ticket each time it is written (its inserted and updated
 * hooks), computed here by sla_of as on a file. */

#define SLA_TABLE "pg_temp.crm_ticket_sla"
#define SLA_BATCH 500

static void sql_text_or_null(struct sbuf *b, const char *v)
{
	if (!v || !*v) {
		sbuf_add(b, "NULL");
		return;
	}
	sbuf_addc(b, '\'');
	for (const char *p = v; *p; p++) {
		if (*p == '\'')
			sbuf_addc(b, '\'');
		sbuf_addc(b, *p);
	}
	sbuf_addc(b, '\'');
}

static int sla_flush(struct crm *c, struct sbuf *b)
{
	if (!b->len)
		return CRM_OK;
	sbuf_add(b, " ON CONFLICT (id) DO UPDATE SET first_due = excluded.first_due, "
		 "resolve_due = excluded.resolve_due, breached = excluded.breached");
	int rc = db_exec(c, b->s);
	sbuf_release(b);
	return rc;
}

/* The clocks of ticket id (0: of every ticket one may see) into the table. */
static int sla_fill(struct crm *c, long long id)
{
	struct db_stmt *st = db_stmt(c, "SELECT r.id, r.priority, r.opened_at, " PAUSES ", r.first_response_at, "
				      "r.resolved_at FROM ticket AS r WHERE (?1 = 0 OR r.id = ?1)");
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, id);
	struct sbuf b = { 0 };
	int n = 0, rc = CRM_OK, src;
	while (!rc && (src = db_step(st)) == DB_ROW) {
		char first[DATE_BUFSZ], resolve[DATE_BUFSZ];
		const char *breached;
		sla_of(c, (const char *)db_column_text(st, 1), (const char *)db_column_text(st, 2),
		       (const char *)db_column_text(st, 3), (const char *)db_column_text(st, 4),
		       (const char *)db_column_text(st, 5), false, first, resolve, &breached);
		sbuf_add(&b, b.len ? ", (" : "INSERT INTO " SLA_TABLE "(id, first_due, resolve_due, breached) VALUES (");
		sbuf_addf(&b, "%lld, ", db_column_int64(st, 0));
		sql_text_or_null(&b, first);
		sbuf_add(&b, ", ");
		sql_text_or_null(&b, resolve);
		sbuf_add(&b, ", ");
		sql_text_or_null(&b, breached);
		sbuf_addc(&b, ')');
		if (++n % SLA_BATCH == 0)
			rc = sla_flush(c, &b);
	}
	if (!rc && src != DB_DONE)
		rc = crm_dberror(c, src, "ticket SLA");
	db_reset(st);
	if (!rc)
		rc = sla_flush(c, &b);
	sbuf_release(&b);
	return rc;
}

static int sla_table(struct crm *c)
{
	return db_exec(c, "CREATE TEMP TABLE IF NOT EXISTS crm_ticket_sla (id bigint PRIMARY KEY, "
		       "first_due text, resolve_due text, breached text)");
}

/* The table is made only where there are tickets to time (making a
 * session's first temp table costs more than most commands do): without
 * it ticket_sla() is NULL, and a ticket written makes it (sla_fill). */
int ticket_open_server(struct crm *c)
{
	long long any = db_get_int(c, "SELECT EXISTS (SELECT 1 FROM ticket)", NULL, -1);
	if (any <= 0)
		return any ? crm_error(c, CRM_DBERR, "reading the tickets: %s", db_errmsg(c)) : CRM_OK;
	int rc = sla_table(c);
	return rc ? rc : sla_fill(c, 0);
}

void ticket_pg_functions(struct sbuf *ddl)
{
	sbuf_add(ddl, "CREATE FUNCTION ticket_sla(what text, priority text, opened_at text, pauses text, "
		 "first_at text, resolved_at text, tid bigint) RETURNS text LANGUAGE plpgsql STABLE AS $crm$ "
		 "DECLARE v text; BEGIN "
		 "IF to_regclass('" SLA_TABLE "') IS NULL THEN RETURN NULL; END IF; "
		 "SELECT CASE what WHEN 'first_due' THEN s.first_due WHEN 'resolve_due' THEN s.resolve_due "
		 "WHEN 'breached' THEN s.breached END INTO v FROM " SLA_TABLE " AS s WHERE s.id = tid; "
		 "RETURN v; END $crm$;\n");
}

const char ticket_pauses_sql[] = PAUSES;

long long ticket_counted(struct crm *c, const char *from, const char *to, const char *pauses)
{
	const struct sla_hours *h = NULL;
	time_t f, t;
	if (ticket_sla_config(c, NULL, &h, NULL))
		return -1;
	if (time_of(from, &f) || time_of(to, &t))
		return -1;
	struct sla_pause *ps;
	int np = pauses_parse(pauses, date_now(), &ps);
	long long n = sla_elapsed(h, f, t, ps, np);
	free(ps);
	return n;
}

int ticket_sql_register(struct crm *c)
{
	int rc = sqlite3_create_function(c->db, "ticket_sla", 7, SQLITE_UTF8, c, fn_ticket_sla, NULL, NULL);
	return rc == DB_OK ? CRM_OK : crm_dberror(c, rc, "registering ticket_sla()");
}

/* ---- the type's behaviour ---- */

static int ticket_check(struct crm *c, const struct type *t, const cJSON *fields, bool inserting,
			unsigned flags)
{
	(void)t;
	if (flags & REC_SYSTEM)
		return CRM_OK;
	const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(fields, "status"));
	if (status && (!inserting || strcmp(status, "new")))
		return crm_error(c, CRM_BADINPUT, "status: a ticket %s %s by crm ticket reply|pending|resolve|"
				 "close|reopen, not by hand", inserting ? "starts new and becomes" : "becomes", status);
	return CRM_OK;
}

/* The account follows from the contact; a contact of another account is
 * a mistake. */
static int ticket_fill(struct crm *c, const struct type *t, struct rec *r, unsigned flags)
{
	(void)t;
	(void)flags;
	const char *acc = rec_get(r, "account_id"), *con = rec_get(r, "contact_id");
	if (con) {
		char *sql = xasprintf("SELECT coalesce(account_id, 0) FROM contact WHERE id = %s", con);
		long long ca = db_get_int(c, sql, NULL, 0);
		free(sql);
		if (!acc && ca) {
			char v[32];
			snprintf(v, sizeof(v), "%lld", ca);
			rec_set(r, "account_id", v);
			acc = rec_get(r, "account_id");
		} else if (acc && ca && ca != strtoll(acc, NULL, 10)) {
			return crm_error(c, CRM_BADINPUT, "contact:%s belongs to account:%lld, not account:%s",
					 con, ca, acc);
		}
	}
	if (!acc)
		return crm_error(c, CRM_BADINPUT, "account: required field missing (--account ID, "
				 "or a contact of the account)");
	return CRM_OK;
}

/* On a server, the clocks of the ticket as it now is (sla_fill). */
static int ticket_inserted(struct crm *c, const struct type *t, long long id, const cJSON *after, unsigned flags)
{
	(void)t;
	(void)after;
	(void)flags;
	if (!dialect_server(c))
		return CRM_OK;
	int rc = sla_table(c);
	return rc ? rc : sla_fill(c, id);
}

static int ticket_updated(struct crm *c, const struct type *t, long long id, const cJSON *before,
			  const cJSON *after, unsigned flags)
{
	(void)before;
	return ticket_inserted(c, t, id, after, flags);
}

static const struct type_ops ticket_ops = {
	.check = ticket_check,
	.fill = ticket_fill,
	.inserted = ticket_inserted,
	.inserted_never_refuses = true,
	.updated = ticket_updated,
};

static const struct type_event ticket_on_value[] = {
	{ "status", "pending", "ticket.pending" },
	{ "status", "resolved", "ticket.resolved" },
	{ "status", "closed", "ticket.closed" },
	{ NULL, NULL, NULL },
};

static const char *const ticket_events[] = {
	"ticket.replied", "ticket.reopened", "ticket.breached", NULL
};

const struct type ticket_type = {
	"ticket", "tickets", 14, TYPE_FIELDS(ticket_fields), false, &ticket_ops, NULL, ticket_on_value,
	ticket_events,
};

/* ---- the lifecycle ---- */

static int activity_on(struct crm *c, long long id, const char *text, const char *kind, const char *at)
{
	const struct type *ta = type_find(c, "activity");
	char ent[48];
	snprintf(ent, sizeof(ent), "ticket:%lld", id);
	cJSON *f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "entity", ent);
	cJSON_AddStringToObject(f, "kind", kind ? kind : "note");
	cJSON_AddStringToObject(f, "text", text);
	cJSON_AddStringToObject(f, "at", at);
	int rc = record_insert(c, ta, f, 0, NULL, NULL);
	cJSON_Delete(f);
	return rc ? rc : record_touch(c, ent, at);
}

/* End the pause of ticket id that lasts (if any) at at. */
static int pause_end(struct crm *c, long long id, const char *at)
{
	struct db_stmt *st = db_stmt(c, "UPDATE ticket_pause SET to_at = ?1 WHERE ticket_id = ?2 AND to_at IS NULL");
	if (!st)
		return c->errcode;
	db_bind_text(st, 1, at, -1, DB_TRANSIENT);
	db_bind_int64(st, 2, id);
	int rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "ticket_pause");
}

static int pause_add(struct crm *c, long long id, const char *kind, const char *from, const char *to)
{
	struct db_stmt *st = db_stmt(c, "INSERT INTO ticket_pause(ticket_id, kind, from_at, to_at) VALUES (?, ?, ?, ?)");
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, kind, -1, DB_STATIC);
	db_bind_text(st, 3, from, -1, DB_TRANSIENT);
	if (to)
		db_bind_text(st, 4, to, -1, DB_TRANSIENT);
	else
		db_bind_null(st, 4);
	int rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "ticket_pause");
}

static const char *str_of(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* The ticket's fields change (with REC_SYSTEM: status and the stamps
 * are crm's to set here), in one savepoint with what goes with them. */
static int ticket_set(struct crm *c, long long id, cJSON *ch)
{
	return record_update(c, type_find(c, "ticket"), id, ch, REC_SYSTEM);
}

/* The end of a verb's savepoint: undone on failure, else kept and the
 * ticket printed. */
static int finish(struct crm *c, int rc, const struct type *t, long long id)
{
	if (rc) {
		db_rollback_to(c);
		return rc;
	}
	if ((rc = db_release(c)))
		return rc;
	return record_print(c, t, id);
}

int ticket_reply(struct crm *c, long long id, const char *text, const char *kind)
{
	const struct type *t = type_find(c, "ticket");
	cJSON *before = record_get(c, t, id, false);
	if (!before)
		return c->errcode;
	const char *status = str_of(before, "status");
	int rc = CRM_OK;
	if (status && !strcmp(status, "closed")) {
		rc = crm_error(c, CRM_CONFLICT, "ticket:%lld is closed: reply needs new, open, pending or resolved "
			       "(crm ticket reopen %lld first)", id, id);
		cJSON_Delete(before);
		return rc;
	}
	char now[DATE_BUFSZ];
	date_format(date_now(), now);
	if ((rc = db_savepoint(c))) {
		cJSON_Delete(before);
		return rc;
	}
	rc = activity_on(c, id, text, kind, now);
	cJSON *ch = cJSON_CreateObject();
	if (!str_of(before, "first_response_at"))
		cJSON_AddStringToObject(ch, "first_response_at", now);
	if (status && (!strcmp(status, "new") || !strcmp(status, "pending")))
		cJSON_AddStringToObject(ch, "status", "open");
	if (!rc && status && !strcmp(status, "pending"))
		rc = pause_end(c, id, now);
	if (!rc && cJSON_GetArraySize(ch))
		rc = ticket_set(c, id, ch);
	cJSON_Delete(ch);
	if (!rc)
		rc = record_announce(c, type_find(c, "ticket"), id, "ticket.replied", before);
	cJSON_Delete(before);
	return finish(c, rc, t, id);
}

struct move {
	const char *verb, *from, *allowed, *to;
};

/* from: the statuses (",new,open,") a verb works on; allowed: the same
 * in words. */
static const struct move moves[] = {
	{ "pending", ",open,", "open", "pending" },
	{ "resolve", ",new,open,pending,", "new, open or pending", "resolved" },
	{ "close", ",resolved,", "resolved", "closed" },
	{ "reopen", ",resolved,closed,", "resolved or closed", "open" },
};

int ticket_move(struct crm *c, long long id, const char *verb, const char *note)
{
	const struct type *t = type_find(c, "ticket");
	const struct move *m = NULL;
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++)
		if (!strcmp(moves[i].verb, verb))
			m = &moves[i];
	if (!m)
		return crm_error(c, CRM_USAGE, "'%s' is not a ticket move (pending, resolve, close, reopen)", verb);
	cJSON *before = record_get(c, t, id, false);
	if (!before)
		return c->errcode;
	const char *status = str_of(before, "status");
	char pat[32];
	snprintf(pat, sizeof(pat), ",%s,", status ? status : "");
	int rc;
	if (!strstr(m->from, pat)) {
		rc = crm_error(c, CRM_CONFLICT, "ticket:%lld is %s: %s needs a ticket that is %s", id,
			       status ? status : "without a status", verb, m->allowed);
		cJSON_Delete(before);
		return rc;
	}
	char now[DATE_BUFSZ];
	date_format(date_now(), now);
	if ((rc = db_savepoint(c))) {
		cJSON_Delete(before);
		return rc;
	}
	cJSON *ch = cJSON_CreateObject();
	cJSON_AddStringToObject(ch, "status", m->to);
	if (!strcmp(verb, "pending")) {
		rc = pause_add(c, id, "pending", now, NULL);
	} else if (!strcmp(verb, "resolve")) {
		cJSON_AddStringToObject(ch, "resolved_at", now);
		rc = pause_end(c, id, now);
	} else if (!strcmp(verb, "close")) {
		cJSON_AddStringToObject(ch, "closed_at", now);
	} else {
		/* the time it stood resolved was the customer's, not ours */
		const char *res = str_of(before, "resolved_at");
		if (res)
			rc = pause_add(c, id, "resolved", res, now);
		cJSON_AddNullToObject(ch, "resolved_at");
		cJSON_AddNullToObject(ch, "closed_at");
	}
	if (!rc && note && *note)
		rc = activity_on(c, id, note, "note", now);
	if (!rc)
		rc = ticket_set(c, id, ch);
	cJSON_Delete(ch);
	if (!rc && !strcmp(verb, "reopen"))
		rc = record_announce(c, type_find(c, "ticket"), id, "ticket.reopened", before);
	cJSON_Delete(before);
	return finish(c, rc, t, id);
}

/* ---- crm ticket list's filters ---- */

int ticket_filter_sql(struct crm *c, const struct ticket_filter *f, char **out)
{
	struct sbuf b = { 0 };
	*out = NULL;
	if (f->breached)
		sbuf_add(&b, "r.breached IS NOT NULL");
	if (f->assignee) {
		char *q = sqlite3_mprintf("%Q", f->assignee);
		sbuf_addf(&b, "%sr.owner = %s", b.len ? " AND " : "", q);
		sqlite3_free(q);
	}
	if (f->due_within) {
		long long secs;
		if (duration_parse(f->due_within, &secs) != 0 || secs <= 0) {
			sbuf_release(&b);
			return crm_error(c, CRM_USAGE, "--due-within: '%s' is not a span (30m, 4h, 2d)", f->due_within);
		}
		char now[DATE_BUFSZ], until[DATE_BUFSZ];
		date_format(date_now(), now);
		date_format(date_now() + (time_t)secs, until);
		char *next = dialect_instant(c, "CASE WHEN r.first_response_at IS NULL THEN r.first_response_due "
					     "ELSE r.resolve_due END");
		char *from = xasprintf("'%s'", now), *to = xasprintf("'%s'", until);
		char *a = dialect_instant(c, from), *z = dialect_instant(c, to);
		sbuf_addf(&b, "%sr.status IN ('new', 'open', 'pending') AND %s > %s AND %s <= %s", b.len ? " AND " : "",
			  next, a, next, z);
		free(next);
		free(from);
		free(to);
		free(a);
		free(z);
	}
	*out = b.s ? sbuf_detach(&b) : NULL;
	return CRM_OK;
}

/* ---- ticket.breached, once per clock ---- */

static int breach_fire(struct crm *c, long long id, const char *clock, const char *due, bool dry)
{
	char now[DATE_BUFSZ], ent[48];
	date_format(date_now(), now);
	snprintf(ent, sizeof(ent), "ticket:%lld", id);
	int rc = CRM_OK;
	if (!dry) {
		struct db_stmt *st = db_stmt(c, "INSERT INTO ticket_breach(ticket_id, clock, due, fired_at) VALUES (?, ?, ?, ?)");
		if (!st)
			return c->errcode;
		db_bind_int64(st, 1, id);
		db_bind_text(st, 2, clock, -1, DB_STATIC);
		db_bind_text(st, 3, due ? due : now, -1, DB_TRANSIENT);
		db_bind_text(st, 4, now, -1, DB_TRANSIENT);
		int s = db_step(st);
		db_reset(st);
		if (s != DB_DONE)
			return crm_dberror(c, s, "ticket_breach");
		cJSON *after = record_get(c, type_find(c, "ticket"), id, false);
		if (!after)
			return c->errcode;
		/* the hook learns which clock; rules read the ticket */
		cJSON_AddStringToObject(after, "clock", clock);
		struct change ch = { "ticket.breached", type_find(c, "ticket"), id, NULL, after, 0 };
		rc = event_publish(c, &ch);
		cJSON_Delete(after);
	}
	if (!rc) {
		out_begin(c->out);
		out_str(c->out, "type", "fired");
		out_str(c->out, "event", "ticket.breached");
		out_str(c->out, "entity", ent);
		out_str(c->out, "clock", clock);
		out_str(c->out, "due", due);
		if (dry)
			out_bool(c->out, "dry_run", true);
		out_end(c->out);
	}
	return rc;
}

int ticket_tick(struct crm *c, bool dry)
{
	const struct type *t = type_find(c, "ticket");
	char *src = query_source(t);
	char *items = dialect_json_items(c, "r.breached", "j");
	char *sql = xasprintf("SELECT r.id, j.value, CASE j.value WHEN 'first_response' THEN r.first_response_due "
			      "ELSE r.resolve_due END FROM %s, %s "
			      "WHERE r.deleted_at IS NULL AND r.breached IS NOT NULL AND NOT EXISTS "
			      "(SELECT 1 FROM ticket_breach AS b WHERE b.ticket_id = r.id AND b.clock = j.value) "
			      "ORDER BY r.id, j.key", src, items);
	free(src);
	free(items);
	struct db_stmt *st;
	int rc = db_prepare(c, sql, -1, &st, NULL);
	free(sql);
	if (rc != DB_OK)
		return crm_dberror(c, rc, "tick");
	/* gathered first: firing writes */
	struct hit { long long id; char *clock, *due; } *hits = NULL;
	int n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		hits = xrealloc(hits, (n + 1) * sizeof(*hits));
		hits[n].id = db_column_int64(st, 0);
		hits[n].clock = xstrdup((const char *)db_column_text(st, 1));
		const char *due = (const char *)db_column_text(st, 2);
		hits[n].due = due ? xstrdup(due) : NULL;
		n++;
	}
	rc = rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "tick");
	db_finalize(st);
	for (int i = 0; i < n; i++) {
		if (!rc)
			rc = breach_fire(c, hits[i].id, hits[i].clock, hits[i].due, dry);
		free(hits[i].clock);
		free(hits[i].due);
	}
	free(hits);
	return rc ? rc : n ? CRM_OK : CRM_NOTFOUND;
}

/* ---- for the dashboard ---- */

static char *breached_sql(struct crm *c, const char *what)
{
	const struct type *t = type_find(c, "ticket");
	char *src = query_source(t), *scope = query_scope(c, t, "r", false);
	char *sql = xasprintf("SELECT %s FROM %s WHERE r.deleted_at IS NULL AND r.breached IS NOT NULL "
			      "AND r.status IN ('new', 'open', 'pending') AND (%s)", what, src, scope);
	free(src);
	free(scope);
	return sql;
}

int ticket_breached_count(struct crm *c, long long *n)
{
	char *sql = breached_sql(c, "count(*)");
	struct db_stmt *st;
	int rc = query_prepare_readonly(c, sql, &st);
	free(sql);
	if (rc)
		return rc;
	rc = db_step(st);
	*n = rc == DB_ROW ? db_column_int64(st, 0) : 0;
	rc = rc == DB_ROW ? CRM_OK : crm_dberror(c, rc, "breached tickets");
	db_finalize(st);
	return rc;
}

int ticket_breached_print(struct crm *c, long long *n)
{
	char *sql = breached_sql(c, "r.id");
	char *ordered = xasprintf("%s ORDER BY r.id", sql);
	free(sql);
	struct db_stmt *st;
	int rc = query_prepare_readonly(c, ordered, &st);
	free(ordered);
	if (rc)
		return rc;
	long long *ids;
	int k;
	rc = db_ids(c, st, &ids, &k);
	for (int i = 0; i < k && !rc; i++)
		rc = record_print(c, type_find(c, "ticket"), ids[i]);
	free(ids);
	if (n)
		*n = k;
	return rc ? rc : k ? CRM_OK : CRM_NOTFOUND;
}
