/* history.c: a record's life in time order, and what hangs off an
 * account. See history.h. */
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/db.h"
#include "core/dialect.h"
#include "core/mask.h"
#include "core/query.h"
#include "data/history.h"
#include "io/out.h"
#include "core/record.h"

/* Audit rows of the entity (from ?4 on: a purged record's id may be
 * taken again, and its life ends where the new record's begins), the
 * scoring runs that changed it (one audit row each, the changes in a
 * string of ";id:before:after"), its activities, its tasks (made and
 * done) and a lead's behaviour events, oldest first. */
static const char history_sql[] =
	"SELECT * FROM (SELECT at, 'audit' AS src, action, \"user\", before, after, id FROM audit WHERE entity = ?1 "
	"  AND id >= ?4 "
	"UNION ALL SELECT at, 'score', 'update', \"user\", "
	"  substr(after, %s + 1, 64), NULL, id FROM audit "
	"  WHERE ?2 = 'lead' AND entity = 'score' AND id >= ?4 AND %s > 0 "
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
	"  WHERE ?2 = 'lead' AND lead_id = ?3) AS h "
	/* by the instant (times may carry other offsets); within one, the
	 * record is made first, then what happened to it (a note, an event),
	 * the changes that follow from it (last contact, score), the tasks
	 * it led to, and a removal last */
	"ORDER BY %s, CASE WHEN src IN ('activity', 'event') THEN 1 "
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
	struct db_stmt *st;
	int rc = db_prepare(c, sql, -1, &st, NULL);
	free(sql);
	if (rc != DB_OK)
		return false;   /* a type no import has made records of */
	db_bind_int64(st, 1, id);
	bool found = db_step(st) == DB_ROW;
	if (found) {
		o->run = db_column_int64(st, 0);
		o->line = db_column_int64(st, 1);
		o->file = xstrdup((const char *)db_column_text(st, 2));
		o->at = xstrdup((const char *)db_column_text(st, 3));
		o->user = db_column_text(st, 4) ? xstrdup((const char *)db_column_text(st, 4)) : NULL;
		o->audit_from = db_column_int64(st, 5);
	}
	db_finalize(st);
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
	struct db_stmt *st;
	char *pos = dialect_position(c, "after", "';' || ?4 || ':'");
	char *sql = xasprintf("SELECT before, entity, after FROM audit WHERE (entity = ?1 OR (entity = 'score' "
			      "AND ?3 = 'lead' AND %s > 0)) AND id >= ?2 ORDER BY id", pos);
	free(pos);
	int prc = db_prepare(c, sql, -1, &st, NULL);
	free(sql);
	if (prc == DB_OK) {
		db_bind_text(st, 1, entity, -1, DB_TRANSIENT);
		db_bind_int64(st, 2, from);
		db_bind_text(st, 3, t->name, -1, DB_STATIC);
		db_bind_int64(st, 4, id);
		while (db_step(st) == DB_ROW) {
			if (!strcmp((const char *)db_column_text(st, 1), "score")) {
				char key[32];
				snprintf(key, sizeof(key), ";%lld:", id);
				const char *a = (const char *)db_column_text(st, 2);
				const char *p = a ? strstr(a, key) : NULL;
				if (p && !cJSON_GetObjectItem(seen, "score")) {
					cJSON_ReplaceItemInObject(now, "score", cJSON_CreateNumber(strtod(p + strlen(key), NULL)));
					cJSON_AddTrueToObject(seen, "score");
				}
				continue;
			}
			const char *b = (const char *)db_column_text(st, 0);
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
		db_finalize(st);
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

static const char *col(struct db_stmt *st, int i)
{
	return (const char *)db_column_text(st, i);
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

static void emit(struct crm *c, const struct type *t, const char *owner, const char *entity, struct db_stmt *st)
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
		out_int(o, "activity_id", db_column_int64(st, 6));
		char *s = xasprintf("%s: %s", what, col(st, 4) ? col(st, 4) : "");
		out_str(o, "about", col(st, 5));
		out_str(o, "summary", s);
		free(s);
	} else if (!strcmp(src, "task")) {
		out_str(o, "kind", "task");
		out_int(o, "task_id", db_column_int64(st, 6));
		char *s = col(st, 5) ? xasprintf("%s (due %s)", col(st, 4), col(st, 5)) : xstrdup(col(st, 4));
		out_str(o, "summary", s);
		free(s);
	} else if (!strcmp(src, "task_done")) {
		out_str(o, "kind", "task_done");
		out_int(o, "task_id", db_column_int64(st, 6));
		out_str(o, "summary", col(st, 4));
	} else {
		out_str(o, "kind", "event");
		out_int(o, "event_id", db_column_int64(st, 6));
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
	/* the records of types whose parent field (FF_PARENT) refers to t */
	struct sbuf kids = { 0 };
	for (int i = 0; type_at(c, i); i++) {
		const struct type *u = type_at(c, i);
		const struct field *fp = type_field_flagged(u, FF_PARENT);
		if (u != t && fp && fp->kind == FK_REF && fp->ref && !strcmp(fp->ref, t->name))
			sbuf_addf(&kids, "%sSELECT '%s:' || id FROM \"%s\" WHERE \"%s\" = ?3", kids.len ? " UNION ALL " : "",
				  u->name, u->name, fp->name);
	}
	/* the lead's ";ID:" in a scoring run's compact after, and the instant */
	char *pos = dialect_position(c, "after", "';' || ?5 || ':'"), *at = dialect_instant(c, "at");
	char *sql = xasprintf(history_sql, pos, pos, kids.s ? kids.s : "NULL", at);
	free(pos);
	free(at);
	sbuf_release(&kids);
	struct db_stmt *st = db_stmt(c, sql);
	free(sql);
	if (!st) {
		free(entity);
		cJSON_Delete(values);
		if (imported)
			origin_release(&org);
		return c->errcode;
	}
	db_bind_text(st, 1, entity, -1, DB_TRANSIENT);
	db_bind_text(st, 2, t->name, -1, DB_STATIC);
	db_bind_int64(st, 3, id);
	db_bind_int64(st, 4, from);
	char idtext[24];   /* ?5: the id as text, where it is matched in text (a server types ?3 once) */
	snprintf(idtext, sizeof(idtext), "%lld", id);
	db_bind_text(st, 5, idtext, -1, DB_TRANSIENT);
	static const char *const cols[] = { "at", "user", "kind", "summary" };
	out_columns(c->out, cols, 4);
	char *owner = NULL;
	if (mask_any(c, t) && type_field(t, "owner")) {
		char *osql = xasprintf("SELECT owner FROM \"%s\" WHERE id = %lld", t->name, id);
		owner = db_get_text(c, osql, NULL);
		free(osql);
	}
	if (imported) {
		if (values)
			mask_json(c, t, values, owner);   /* as the reader may see them */
		emit_origin(c, entity, &org, values);
	}
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		emit(c, t, owner, entity, st);
	db_reset(st);
	free(owner);
	free(entity);
	cJSON_Delete(values);
	if (imported)
		origin_release(&org);
	return rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "history");
}

/* ---- crm log ---- */

int history_log(struct crm *c, const struct audit_filter *f)
{
	const struct type *t = NULL;
	long long id = 0;
	struct origin org;
	bool imported = false;
	if (f->entity && strchr(f->entity, ':') && entity_parse(c, f->entity, NULL, &t, &id) == CRM_OK
	    && origin_of(c, t, id, &org)) {
		/* as the rest of the log: only of a record the acting user may see */
		char *scope = query_scope(c, t, "r", false);
		char *q = xasprintf("SELECT count(*) FROM \"%s\" AS r WHERE r.id = %lld AND (%s)", t->name, id,
				    scope);
		imported = db_get_int(c, q, NULL, 0) > 0 && (!f->user || (org.user && !strcmp(org.user, f->user)));
		free(q);
		free(scope);
		if (!imported)
			origin_release(&org);
	}
	c->errmsg[0] = 0;
	if (!imported)
		return audit_list(c, f);
	/* its creation is in no audit row of its own (the run's entry says
	 * what the run did): made from the run and the record, and it is the
	 * oldest thing in the record's log */
	cJSON *values = as_imported(c, t, id, org.audit_from);
	if (values)
		mask_json(c, t, values, NULL);   /* as the reader may see them */
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
	struct db_stmt *st = db_stmt(c, sql);
	cJSON *arr = cJSON_CreateArray();
	if (!st)
		return arr;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, entity, -1, DB_TRANSIENT);
	while (db_step(st) == DB_ROW) {
		cJSON *r = cJSON_CreateObject();
		for (int i = 0; i < db_column_count(st); i++) {
			const char *name = db_column_name(st, i);
			switch (db_column_type(st, i)) {
			case DB_NULL:
				break;
			case DB_INTEGER:
				cJSON_AddNumberToObject(r, name, (double)db_column_int64(st, i));
				break;
			case DB_FLOAT:
				cJSON_AddNumberToObject(r, name, db_column_double(st, i));
				break;
			default:
				cJSON_AddStringToObject(r, name, col(st, i));
			}
		}
		cJSON_AddItemToArray(arr, r);
	}
	db_reset(st);
	return arr;
}

int account_related(struct crm *c, long long id, cJSON *acc)
{
	char *entity = xasprintf("account:%lld", id);
	/* the contacts and deals the acting user may see, masked as they may */
	const struct type *tc = type_find(c, "contact"), *td = type_find(c, "deal");
	char *sc = query_scope(c, tc, "contact", false), *sd = query_scope(c, td, "deal", false);
	/* ?2 typed: a server cannot tell an unused parameter's type */
	char *csql = xasprintf("SELECT id, name, title, phone, email, decision_role, owner AS _owner FROM contact "
			       "WHERE account_id = ?1 AND deleted_at IS NULL AND CAST(?2 AS text) IS NOT NULL AND (%s) "
			       "ORDER BY id", sc);
	char *dsql = xasprintf("SELECT id, name, stage, status, amount / 100.0 AS amount, currency, owner FROM deal "
			       "WHERE account_id = ?1 AND deleted_at IS NULL AND CAST(?2 AS text) IS NOT NULL AND (%s) "
			       "ORDER BY id", sd);
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
			       "WHERE deleted_at IS NULL AND status = 'open' AND %s ORDER BY due%s, id", about,
			       dialect_order(c, false));
	cJSON_AddItemToObject(acc, "activities", rows(c, asql, id, entity));
	cJSON_AddItemToObject(acc, "tasks", rows(c, tsql, id, entity));
	free(asql);
	free(tsql);
	free(entity);
	return CRM_OK;
}
