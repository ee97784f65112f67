/* history.c: a record's life in time order, and what hangs off an
 * account. See history.h. */
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/db.h"
#include "data/history.h"
#include "io/out.h"
#include "core/record.h"

/* Audit rows of the entity (from ?4 on: a purged record's id may be
 * taken again, and its life ends where the new record's begins), the
 * scoring runs that changed it (one audit row each, the changes in a
 * string of ";id:before:after"), its activities, its tasks (made and
 * done) and a lead's behaviour events, oldest first. */
static const char history_sql[] =
	"SELECT * FROM (SELECT at, 'audit' AS src, action, user, before, after, id FROM audit WHERE entity = ?1 "
	"  AND id >= ?4 "
	"UNION ALL SELECT at, 'score', 'update', user, "
	"  substr(after, instr(after, ';' || ?3 || ':') + 1, 64), NULL, id FROM audit "
	"  WHERE ?2 = 'lead' AND entity = 'score' AND id >= ?4 AND instr(after, ';' || ?3 || ':') > 0 "
	"UNION ALL SELECT at, 'activity', kind, owner, text, NULL, id FROM activity "
	"  WHERE entity = ?1 AND deleted_at IS NULL "
	"UNION ALL SELECT created_at, 'task', 'task', owner, title, due, id FROM task "
	"  WHERE entity = ?1 AND deleted_at IS NULL "
	"UNION ALL SELECT done_at, 'task_done', 'task_done', owner, title, NULL, id FROM task "
	"  WHERE entity = ?1 AND deleted_at IS NULL AND done_at IS NOT NULL "
	"UNION ALL SELECT at, 'event', name, NULL, props, NULL, id FROM event "
	"  WHERE ?2 = 'lead' AND lead_id = ?3) "
	/* by the instant (times may carry other offsets); within one, the
	 * record is made first, then what happened to it (a note, an event),
	 * the changes that follow from it (last contact, score), the tasks
	 * it led to, and a removal last */
	"ORDER BY julianday(at), CASE WHEN src IN ('activity', 'event') THEN 1 "
	"  WHEN src NOT IN ('audit', 'score') THEN 3 WHEN action = 'insert' THEN 0 "
	"  WHEN action IN ('remove', 'purge') THEN 4 ELSE 2 END, at, src, id";

/* Where a record an import made came from: its run, the line, the file,
 * when, by whom, and where the audit stood then. false: not imported. */
struct origin {
	long long run, line, audit_from;
	char *file, *at, *user;
};

static bool origin_of(struct crm *c, const struct type *t, long long id, struct origin *o)
{
	memset(o, 0, sizeof(*o));
	char *sql = xasprintf("SELECT r.import_run, r.import_line, i.file, i.started_at, i.user, i.audit_from "
			      "FROM \"%s\" AS r JOIN import_run AS i ON i.id = r.import_run WHERE r.id = ?", t->name);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return false;   /* a type no import has made records of */
	sqlite3_bind_int64(st, 1, id);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	if (found) {
		o->run = sqlite3_column_int64(st, 0);
		o->line = sqlite3_column_int64(st, 1);
		o->file = xstrdup((const char *)sqlite3_column_text(st, 2));
		o->at = xstrdup((const char *)sqlite3_column_text(st, 3));
		o->user = sqlite3_column_text(st, 4) ? xstrdup((const char *)sqlite3_column_text(st, 4)) : NULL;
		o->audit_from = sqlite3_column_int64(st, 5);
	}
	sqlite3_finalize(st);
	return found;
}

static void origin_release(struct origin *o)
{
	free(o->file);
	free(o->at);
	free(o->user);
}

/* A record as its import made it: what it is now, with every later
 * change's "before" put back (each field's first change says what it was
 * before any), a lead's score as before the first scoring run that moved
 * it. The import wrote no row per record: this is what its row said. */
static cJSON *as_imported(struct crm *c, const struct type *t, long long id, long long from)
{
	cJSON *now = record_get(c, t, id, true);
	if (!now)
		return NULL;
	c->errmsg[0] = 0;
	cJSON *seen = cJSON_CreateObject();
	char *entity = xasprintf("%s:%lld", t->name, id);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(c->db, "SELECT before, entity, after FROM audit WHERE (entity = ?1 OR (entity = 'score' "
			       "AND ?3 = 'lead' AND instr(after, ';' || ?4 || ':') > 0)) AND id >= ?2 ORDER BY id", -1,
			       &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, entity, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, from);
		sqlite3_bind_text(st, 3, t->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, id);
		while (sqlite3_step(st) == SQLITE_ROW) {
			if (!strcmp((const char *)sqlite3_column_text(st, 1), "score")) {
				char key[32];
				snprintf(key, sizeof(key), ";%lld:", id);
				const char *a = (const char *)sqlite3_column_text(st, 2);
				const char *p = a ? strstr(a, key) : NULL;
				if (p && !cJSON_GetObjectItem(seen, "score")) {
					cJSON_ReplaceItemInObject(now, "score", cJSON_CreateNumber(strtod(p + strlen(key), NULL)));
					cJSON_AddTrueToObject(seen, "score");
				}
				continue;
			}
			const char *b = (const char *)sqlite3_column_text(st, 0);
			cJSON *before = b ? cJSON_Parse(b) : NULL;
			const cJSON *it;
			cJSON_ArrayForEach(it, before) {
				if (cJSON_GetObjectItem(seen, it->string))
					continue;
				cJSON_AddTrueToObject(seen, it->string);
				cJSON_DeleteItemFromObject(now, it->string);
				if (!cJSON_IsNull(it))
					cJSON_AddItemToObject(now, it->string, cJSON_Duplicate(it, true));
			}
			cJSON_Delete(before);
		}
		sqlite3_finalize(st);
	}
	free(entity);
	cJSON_Delete(seen);
	cJSON_DeleteItemFromObject(now, "updated_at");   /* when it was made is the run's */
	return now;
}

static const char *file_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash && slash[1] ? slash + 1 : path;
}

/* "created by import run 7 from leads.csv line 12" */
static char *origin_text(const struct origin *o)
{
	return strcmp(o->file, "-") ? xasprintf("created by import run %lld from %s line %lld", o->run,
						file_name(o->file), o->line)
				    : xasprintf("created by import run %lld from stdin line %lld", o->run, o->line);
}

static void emit_origin(struct crm *c, const char *entity, const struct origin *o, cJSON *values)
{
	struct out *out = c->out;
	out_begin(out);
	out_str(out, "type", "history");
	out_str(out, "entity", entity);
	out_str(out, "at", o->at);
	out_str(out, "user", o->user);
	out_str(out, "kind", "insert");
	char *s = origin_text(o);
	out_str(out, "summary", s);
	free(s);
	out_int(out, "run", o->run);
	out_str(out, "file", o->file);
	out_int(out, "line", o->line);
	if (values)
		out_json(out, "values", values);
	out_end(out);
}

/* The fields an update changed: {"field":[before, after], ...}. */
static cJSON *changes(const char *before, const char *after)
{
	cJSON *b = before ? cJSON_Parse(before) : NULL, *a = after ? cJSON_Parse(after) : NULL;
	cJSON *ch = cJSON_CreateObject();
	const cJSON *it;
	cJSON_ArrayForEach(it, a) {
		if (!strcmp(it->string, "updated_at"))
			continue;
		const cJSON *old = cJSON_GetObjectItem(b, it->string);
		if (old && cJSON_Compare(old, it, true))
			continue;
		cJSON *pair = cJSON_CreateArray();
		cJSON_AddItemToArray(pair, old ? cJSON_Duplicate(old, true) : cJSON_CreateNull());
		cJSON_AddItemToArray(pair, cJSON_Duplicate(it, true));
		cJSON_AddItemToObject(ch, it->string, pair);
	}
	cJSON_ArrayForEach(it, b) {
		if (!cJSON_GetObjectItem(a, it->string) && a && strcmp(it->string, "updated_at")) {
			cJSON *pair = cJSON_CreateArray();
			cJSON_AddItemToArray(pair, cJSON_Duplicate(it, true));
			cJSON_AddItemToArray(pair, cJSON_CreateNull());
			cJSON_AddItemToObject(ch, it->string, pair);
		}
	}
	cJSON_Delete(a);
	cJSON_Delete(b);
	return ch;
}

/* "status: new → working; region: → 浙江" */
static char *changes_text(const cJSON *ch)
{
	struct sbuf b = { 0 };
	const cJSON *it;
	cJSON_ArrayForEach(it, ch) {
		const cJSON *o = cJSON_GetArrayItem(it, 0), *n = cJSON_GetArrayItem(it, 1);
		char *os = cJSON_IsNull(o) ? xstrdup("") : cJSON_IsString(o) ? xstrdup(o->valuestring) : cJSON_PrintUnformatted(o);
		char *ns = cJSON_IsNull(n) ? xstrdup("") : cJSON_IsString(n) ? xstrdup(n->valuestring) : cJSON_PrintUnformatted(n);
		sbuf_addf(&b, "%s%s: %s → %s", b.len ? "; " : "", it->string, os, ns);
		free(os);
		free(ns);
	}
	return b.s ? sbuf_detach(&b) : xstrdup("");
}

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static void emit(struct crm *c, const char *entity, sqlite3_stmt *st)
{
	struct out *o = c->out;
	const char *src = col(st, 1), *what = col(st, 2);
	out_begin(o);
	out_str(o, "type", "history");
	out_str(o, "entity", entity);
	out_str(o, "at", col(st, 0));
	out_str(o, "user", col(st, 3));
	if (!strcmp(src, "score")) {
		/* "12:0:35;..." of a scoring run: this lead's before and after */
		const char *p = col(st, 4);
		char *end;
		strtoll(p ? p : "", &end, 10);
		double before = *end == ':' ? strtod(end + 1, &end) : 0;
		double after = *end == ':' ? strtod(end + 1, NULL) : 0;
		cJSON *ch = cJSON_CreateObject(), *pair = cJSON_CreateArray();
		cJSON_AddItemToArray(pair, cJSON_CreateNumber(before));
		cJSON_AddItemToArray(pair, cJSON_CreateNumber(after));
		cJSON_AddItemToObject(ch, "score", pair);
		char *summary = changes_text(ch);
		out_str(o, "kind", "update");
		out_str(o, "summary", summary);
		out_json(o, "changes", ch);
		out_bool(o, "scoring_run", true);
		free(summary);
		cJSON_Delete(ch);
	} else if (!strcmp(src, "audit")) {
		out_str(o, "kind", what);
		cJSON *ch = NULL;
		char *summary = NULL;
		if (!strcmp(what, "update") || !strcmp(what, "stage_move") || !strcmp(what, "stage_move_forced")) {
			ch = changes(col(st, 4), col(st, 5));
			summary = changes_text(ch);
		} else if (!strcmp(what, "insert")) {
			summary = xstrdup("created");
		} else if (!strcmp(what, "delete") || !strcmp(what, "remove")) {
			summary = xstrdup("removed");
		} else if (!strcmp(what, "purge")) {
			summary = xstrdup("removed for good");
		} else if (!strcmp(what, "restore")) {
			summary = xstrdup("restored");
		} else if (!strcmp(what, "approve")) {
			cJSON *a = col(st, 5) ? cJSON_Parse(col(st, 5)) : NULL;
			const char *stage = cJSON_GetStringValue(cJSON_GetObjectItem(a, "stage"));
			summary = stage && strcmp(stage, "any") ? xasprintf("approved the move to %s", stage)
							       : xstrdup("approved the next move that needs it");
			cJSON_Delete(a);
		} else if (!strcmp(what, "merge")) {
			cJSON *a = col(st, 5) ? cJSON_Parse(col(st, 5)) : NULL;
			const char *into = cJSON_GetStringValue(cJSON_GetObjectItem(a, "merged_into"));
			summary = xasprintf("merged into %s", into ? into : "another record");
			cJSON_Delete(a);
		}
		out_str(o, "summary", summary ? summary : what);
		if (ch)
			out_json(o, "changes", ch);
		cJSON_Delete(ch);
		free(summary);
	} else if (!strcmp(src, "activity")) {
		out_str(o, "kind", "activity");
		out_int(o, "activity_id", sqlite3_column_int64(st, 6));
		char *s = xasprintf("%s: %s", what, col(st, 4) ? col(st, 4) : "");
		out_str(o, "summary", s);
		free(s);
	} else if (!strcmp(src, "task")) {
		out_str(o, "kind", "task");
		out_int(o, "task_id", sqlite3_column_int64(st, 6));
		char *s = col(st, 5) ? xasprintf("%s (due %s)", col(st, 4), col(st, 5)) : xstrdup(col(st, 4));
		out_str(o, "summary", s);
		free(s);
	} else if (!strcmp(src, "task_done")) {
		out_str(o, "kind", "task_done");
		out_int(o, "task_id", sqlite3_column_int64(st, 6));
		out_str(o, "summary", col(st, 4));
	} else {
		out_str(o, "kind", "event");
		out_int(o, "event_id", sqlite3_column_int64(st, 6));
		out_str(o, "summary", what);
		out_json_text(o, "props", col(st, 4));
	}
	out_end(o);
}

int history_print(struct crm *c, const struct type *t, long long id)
{
	char *entity = xasprintf("%s:%lld", t->name, id);
	/* a purged record still has its audit trail */
	cJSON *r = record_get(c, t, id, true);
	bool known = r || db_get_int(c, "SELECT count(*) FROM audit WHERE entity = ?", entity, 0) > 0;
	cJSON_Delete(r);
	if (!known) {
		free(entity);
		return crm_error(c, CRM_NOTFOUND, "no %s with id %lld", t->name, id);
	}
	c->errmsg[0] = 0;
	struct origin org;
	bool imported = origin_of(c, t, id, &org);
	/* a record an import made begins with the run; any other with its
	 * last insert (an id may have been a purged record's before) */
	long long from = imported ? org.audit_from
		       : db_get_int(c, "SELECT coalesce(max(id), 0) FROM audit WHERE entity = ? AND action = 'insert'",
				    entity, 0);
	cJSON *values = imported ? as_imported(c, t, id, from) : NULL;
	sqlite3_stmt *st = db_stmt(c, history_sql);
	if (!st) {
		free(entity);
		cJSON_Delete(values);
		if (imported)
			origin_release(&org);
		return c->errcode;
	}
	sqlite3_bind_text(st, 1, entity, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, t->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, id);
	sqlite3_bind_int64(st, 4, from);
	static const char *const cols[] = { "at", "user", "kind", "summary" };
	out_columns(c->out, cols, 4);
	if (imported)
		emit_origin(c, entity, &org, values);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		emit(c, entity, st);
	sqlite3_reset(st);
	free(entity);
	cJSON_Delete(values);
	if (imported)
		origin_release(&org);
	return rc == SQLITE_DONE ? CRM_OK : crm_dberror(c, rc, "history");
}

/* ---- crm log ---- */

int history_log(struct crm *c, const struct audit_filter *f)
{
	const struct type *t = NULL;
	long long id = 0;
	struct origin org;
	bool imported = false;
	if (f->entity && strchr(f->entity, ':') && entity_parse(c, f->entity, NULL, &t, &id) == CRM_OK)
		imported = origin_of(c, t, id, &org) && (!f->user || (org.user && !strcmp(org.user, f->user)));
	c->errmsg[0] = 0;
	if (!imported)
		return audit_list(c, f);
	/* its creation is in no audit row of its own (the run's entry says
	 * what the run did): made from the run and the record, and it is the
	 * oldest thing in the record's log */
	cJSON *values = as_imported(c, t, id, org.audit_from);
	cJSON *after = values ? values : cJSON_CreateObject();
	cJSON *from = cJSON_CreateObject();
	cJSON_AddNumberToObject(from, "run", (double)org.run);
	cJSON_AddStringToObject(from, "file", org.file);
	cJSON_AddNumberToObject(from, "line", (double)org.line);
	cJSON_AddItemToObject(after, "import", from);
	char *summary = origin_text(&org);
	long long have = db_get_int(c, "SELECT count(*) FROM audit WHERE entity = ?", f->entity, 0);
	int rc = CRM_OK;
	if (!f->oldest_first)
		rc = audit_list(c, f);
	if (f->oldest_first || f->limit <= 0 || have < f->limit) {
		out_begin(c->out);
		out_str(c->out, "type", "log");
		out_str(c->out, "at", org.at);
		out_str(c->out, "user", org.user);
		out_str(c->out, "entity", f->entity);
		out_str(c->out, "action", "insert");
		out_str(c->out, "summary", summary);
		out_json(c->out, "after", after);
		out_end(c->out);
	}
	if (f->oldest_first && (f->limit <= 0 || f->limit > 1)) {
		struct audit_filter g = *f;
		if (g.limit > 0)
			g.limit--;
		rc = audit_list(c, &g);
	}
	if (rc == CRM_NOTFOUND) {
		c->errmsg[0] = 0;
		rc = CRM_OK;   /* its creation was printed */
	}
	free(summary);
	cJSON_Delete(after);
	origin_release(&org);
	return rc;
}

/* ---- an account and what hangs off it ---- */

static cJSON *rows(struct crm *c, const char *sql, long long id, const char *entity)
{
	sqlite3_stmt *st = db_stmt(c, sql);
	cJSON *arr = cJSON_CreateArray();
	if (!st)
		return arr;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, entity, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW) {
		cJSON *r = cJSON_CreateObject();
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const char *name = sqlite3_column_name(st, i);
			switch (sqlite3_column_type(st, i)) {
			case SQLITE_NULL:
				break;
			case SQLITE_INTEGER:
				cJSON_AddNumberToObject(r, name, (double)sqlite3_column_int64(st, i));
				break;
			case SQLITE_FLOAT:
				cJSON_AddNumberToObject(r, name, sqlite3_column_double(st, i));
				break;
			default:
				cJSON_AddStringToObject(r, name, col(st, i));
			}
		}
		cJSON_AddItemToArray(arr, r);
	}
	sqlite3_reset(st);
	return arr;
}

int account_related(struct crm *c, long long id, cJSON *acc)
{
	char *entity = xasprintf("account:%lld", id);
	cJSON_AddItemToObject(acc, "contacts",
		rows(c, "SELECT id, name, title, phone, email, decision_role FROM contact "
			"WHERE account_id = ?1 AND deleted_at IS NULL AND ?2 IS NOT NULL ORDER BY id", id, entity));
	cJSON_AddItemToObject(acc, "deals",
		rows(c, "SELECT id, name, stage, status, amount / 100.0 AS amount, currency, owner FROM deal "
			"WHERE account_id = ?1 AND deleted_at IS NULL AND ?2 IS NOT NULL ORDER BY id", id, entity));
	/* the account's own activities and tasks, and those of its contacts and deals */
	const char *about = "(entity = ?2 OR entity IN (SELECT 'contact:' || id FROM contact WHERE account_id = ?1) "
			    "OR entity IN (SELECT 'deal:' || id FROM deal WHERE account_id = ?1))";
	char *asql = xasprintf("SELECT id, entity, kind, text, at, owner FROM activity WHERE deleted_at IS NULL "
			       "AND %s ORDER BY at DESC, id DESC LIMIT 20", about);
	char *tsql = xasprintf("SELECT id, entity, title, due, owner, priority, status FROM task "
			       "WHERE deleted_at IS NULL AND status = 'open' AND %s ORDER BY due, id", about);
	cJSON_AddItemToObject(acc, "activities", rows(c, asql, id, entity));
	cJSON_AddItemToObject(acc, "tasks", rows(c, tsql, id, entity));
	free(asql);
	free(tsql);
	free(entity);
	return CRM_OK;
}
