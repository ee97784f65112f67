/* history.c: a record's life in time order, and what hangs off an
 * account. See history.h. */
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/mask.h"
#include "core/query.h"
#include "data/history.h"
#include "io/out.h"
#include "core/record.h"

/* Audit rows of the entity, its activities, its tasks (made and done) and
 * a lead's behaviour events, oldest first. */
static const char history_sql[] =
	/* a purged record's id may be taken again: its life ends where the
	 * new record's begins (the last insert) */
	"SELECT * FROM (SELECT at, 'audit' AS src, action, user, before, after, id FROM audit WHERE entity = ?1 "
	"  AND id >= coalesce((SELECT max(id) FROM audit WHERE entity = ?1 AND action = 'insert'), 0) "
	/* its own activities, and those of the records that belong to it
	 * (a contact's, a ticket's reply: a word with its account): their
	 * entity in the sixth column */
	"UNION ALL SELECT at, 'activity', kind, owner, text, CASE WHEN entity = ?1 THEN NULL ELSE entity END, id "
	"  FROM activity WHERE (entity = ?1 OR entity IN (%s)) AND deleted_at IS NULL "
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
	"  WHEN src <> 'audit' THEN 3 WHEN action = 'insert' THEN 0 "
	"  WHEN action IN ('remove', 'purge') THEN 4 ELSE 2 END, at, src, id";

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

/* Whether an audit's after is a decision on an approval (its step, or
 * the first wave's approved_by), not the record's own change. */
static bool is_decision(const char *after)
{
	cJSON *a = after ? cJSON_Parse(after) : NULL;
	bool yes = cJSON_GetObjectItem(a, "approval") != NULL;
	cJSON_Delete(a);
	return yes;
}

/* What the pool, a handover and a leaving are, in a history's summary. */
static const char *write_label(const char *action)
{
	static const char *const labels[][2] = {
		{ "pool_claim", "claimed from the pool" },
		{ "pool_release", "released to the pool" },
		{ "pool_reclaim", "reclaimed by the pool" },
		{ "pool_lock", "locked" },
		{ "pool_unlock", "unlocked" },
		{ "handover", "handed over" },
		{ "leave", "left" },
		{ NULL, NULL },
	};
	for (int i = 0; labels[i][0]; i++)
		if (!strcmp(labels[i][0], action))
			return labels[i][1];
	return NULL;
}

/* "shared with bob (write) until 2026-12-31" */
static char *share_text(const char *what, const char *json)
{
	cJSON *j = json ? cJSON_Parse(json) : NULL;
	const char *with = cJSON_GetStringValue(cJSON_GetObjectItem(j, "with"));
	const char *until = cJSON_GetStringValue(cJSON_GetObjectItem(j, "until"));
	char *s = !strcmp(what, "share")
		? xasprintf("shared with %s%s%s%s", with ? with : "?", cJSON_IsTrue(cJSON_GetObjectItem(j, "write"))
			    ? " (write)" : "", until ? " until " : "", until ? until : "")
		: xasprintf("no longer shared with %s", with ? with : "?");
	cJSON_Delete(j);
	return s;
}

static void emit(struct crm *c, const struct type *t, const char *owner, const char *entity, sqlite3_stmt *st)
{
	struct out *o = c->out;
	const char *src = col(st, 1), *what = col(st, 2);
	out_begin(o);
	out_str(o, "type", "history");
	out_str(o, "entity", entity);
	out_str(o, "at", col(st, 0));
	out_str(o, "user", col(st, 3));
	if (!strcmp(src, "audit")) {
		out_str(o, "kind", what);
		cJSON *ch = NULL;
		char *summary = NULL;
		if (!strcmp(what, "update") || !strcmp(what, "stage_move") || !strcmp(what, "stage_move_forced")
		    || write_label(what)) {
			ch = changes(col(st, 4), col(st, 5));
			/* values the reader may not see, masked (mask.h) */
			mask_json(c, t, ch, owner);
			cJSON_DeleteItemFromObjectCaseSensitive(ch, "reason");
			cJSON_DeleteItemFromObjectCaseSensitive(ch, "rule");
			cJSON_DeleteItemFromObjectCaseSensitive(ch, "from");
			char *text = changes_text(ch);
			if (write_label(what)) {
				cJSON *a = col(st, 5) ? cJSON_Parse(col(st, 5)) : NULL;
				const char *why = cJSON_GetStringValue(cJSON_GetObjectItem(a, "reason"));
				summary = xasprintf("%s: %s%s%s", write_label(what), text, why ? " (" : "", why ? why : "");
				if (why) {
					char *s2 = xasprintf("%s)", summary);
					free(summary);
					summary = s2;
				}
				cJSON_Delete(a);
				free(text);
			} else {
				summary = text;
			}
		} else if (!strcmp(what, "share") || !strcmp(what, "unshare")) {
			summary = share_text(what, col(st, 5) ? col(st, 5) : col(st, 4));
		} else if (!strcmp(what, "insert")) {
			summary = xstrdup("created");
		} else if (!strcmp(what, "delete") || !strcmp(what, "remove")) {
			summary = xstrdup("removed");
		} else if (!strcmp(what, "purge")) {
			summary = xstrdup("removed for good");
		} else if (!strcmp(what, "restore")) {
			summary = xstrdup("restored");
		} else if ((!strcmp(what, "approve") || !strcmp(what, "reject")) && is_decision(col(st, 5))) {
			/* a decision on an approval step, logged on its record */
			cJSON *a = col(st, 5) ? cJSON_Parse(col(st, 5)) : NULL;
			const char *stage = cJSON_GetStringValue(cJSON_GetObjectItem(a, "stage"));
			const char *role = cJSON_GetStringValue(cJSON_GetObjectItem(a, "role"));
			const char *reason = cJSON_GetStringValue(cJSON_GetObjectItem(a, "reason"));
			const cJSON *step = cJSON_GetObjectItem(a, "step");
			char *which = cJSON_IsNumber(step) && role ? xasprintf("step %d (%s)", step->valueint, role)
								   : xstrdup("");
			const char *of = *which ? " of " : "";
			if (!strcmp(what, "reject"))
				summary = xasprintf("rejected %s%s%s", *which ? which : "it", reason ? ": " : "",
						    reason ? reason : "");
			else if (stage && strcmp(stage, "any"))
				summary = xasprintf("approved %s%sthe move to %s", which, of, stage);
			else if (stage)
				summary = xasprintf("approved %s%sthe next move that needs it", which, of);
			else
				summary = xasprintf("approved %s", *which ? which : "it");
			free(which);
			cJSON_Delete(a);
		} else if (!strcmp(what, "merge")) {
			cJSON *a = col(st, 5) ? cJSON_Parse(col(st, 5)) : NULL;
			const char *into = cJSON_GetStringValue(cJSON_GetObjectItem(a, "merged_into"));
			summary = xasprintf("merged into %s", into ? into : "another record");
			cJSON_Delete(a);
		} else if (col(st, 4) && col(st, 5)) {
			/* a change a verb made (send, sign, submit): what it changed */
			ch = changes(col(st, 4), col(st, 5));
			char *text = changes_text(ch);
			summary = *text ? xasprintf("%s: %s", what, text) : xstrdup(what);
			free(text);
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
		out_str(o, "about", col(st, 5));
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
	/* the records of types whose parent field (FF_PARENT) refers to t */
	struct sbuf kids = { 0 };
	for (int i = 0; type_at(c, i); i++) {
		const struct type *u = type_at(c, i);
		const struct field *fp = type_field_flagged(u, FF_PARENT);
		if (u != t && fp && fp->kind == FK_REF && fp->ref && !strcmp(fp->ref, t->name))
			sbuf_addf(&kids, "%sSELECT '%s:' || id FROM \"%s\" WHERE \"%s\" = ?3", kids.len ? " UNION ALL " : "",
				  u->name, u->name, fp->name);
	}
	char *sql = xasprintf(history_sql, kids.s ? kids.s : "NULL");
	sbuf_release(&kids);
	sqlite3_stmt *st = db_stmt(c, sql);
	free(sql);
	if (!st) {
		free(entity);
		return c->errcode;
	}
	sqlite3_bind_text(st, 1, entity, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, t->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, id);
	static const char *const cols[] = { "at", "user", "kind", "summary" };
	out_columns(c->out, cols, 4);
	char *owner = NULL;
	if (mask_any(c, t) && type_field(t, "owner")) {
		char *osql = xasprintf("SELECT owner FROM \"%s\" WHERE id = %lld", t->name, id);
		owner = db_get_text(c, osql, NULL);
		free(osql);
	}
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		emit(c, t, owner, entity, st);
	sqlite3_reset(st);
	free(owner);
	free(entity);
	return rc == SQLITE_DONE ? CRM_OK : crm_dberror(c, rc, "history");
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
	/* the contacts and deals the acting user may see, masked as they may */
	const struct type *tc = type_find(c, "contact"), *td = type_find(c, "deal");
	char *sc = query_scope(c, tc, "contact", false), *sd = query_scope(c, td, "deal", false);
	char *csql = xasprintf("SELECT id, name, title, phone, email, decision_role, owner AS _owner FROM contact "
			       "WHERE account_id = ?1 AND deleted_at IS NULL AND ?2 IS NOT NULL AND (%s) ORDER BY id", sc);
	char *dsql = xasprintf("SELECT id, name, stage, status, amount / 100.0 AS amount, currency, owner FROM deal "
			       "WHERE account_id = ?1 AND deleted_at IS NULL AND ?2 IS NOT NULL AND (%s) ORDER BY id", sd);
	free(sc);
	free(sd);
	cJSON *contacts = rows(c, csql, id, entity), *it;
	cJSON_ArrayForEach(it, contacts) {
		char *owner = xstrdup(cJSON_GetStringValue(cJSON_GetObjectItem(it, "_owner")) ?
				      cJSON_GetStringValue(cJSON_GetObjectItem(it, "_owner")) : "");
		cJSON_DeleteItemFromObjectCaseSensitive(it, "_owner");
		mask_json(c, tc, it, owner);
		free(owner);
	}
	cJSON_AddItemToObject(acc, "contacts", contacts);
	cJSON_AddItemToObject(acc, "deals", rows(c, dsql, id, entity));
	free(csql);
	free(dsql);
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
