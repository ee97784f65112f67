/* score.c: lead scoring. See score.h. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/config.h"
#include "base/date.h"
#include "core/db.h"
#include "core/dialect.h"
#include "core/hook.h"
#include "core/event.h"
#include "core/progress.h"
#include "io/out.h"
#include "core/query.h"
#include "core/record.h"
#include "sales/score.h"

static char *model_name(struct crm *c, const char *model)
{
	if (model)
		return xstrdup(model);
	char *m = config_get(c, "score.model");
	return m ? m : xstrdup("default");
}

int score_rule_add(struct crm *c, const char *name, const char *expr, long long points, const char *model)
{
	const struct type *t = type_find(c, "lead");
	char *sql = NULL;
	int rc = query_expr(c, t, expr, &sql);
	free(sql);
	if (rc)
		return rc;
	char *m = model_name(c, model), now[DATE_BUFSZ];
	date_format(date_now(), now);
	struct db_stmt *st = db_stmt(c, "INSERT INTO score_rule(model, name, expr, points, created_at) "
				      "VALUES (?, ?, ?, ?, ?)");
	if (!st) {
		free(m);
		return c->errcode;
	}
	db_bind_text(st, 1, m, -1, DB_TRANSIENT);
	db_bind_text(st, 2, name, -1, DB_TRANSIENT);
	db_bind_text(st, 3, expr, -1, DB_TRANSIENT);
	db_bind_int64(st, 4, points);
	db_bind_text(st, 5, now, -1, DB_TRANSIENT);
	int src = db_step(st);
	db_reset(st);
	if (src == DB_CONSTRAINT_UNIQUE) {
		rc = crm_error(c, CRM_CONFLICT, "model %s has a rule '%s' already (crm score rule rm %s)", m, name, name);
	} else if (src != DB_DONE) {
		rc = crm_dberror(c, src, "score rule");
	} else {
		cJSON *a = cJSON_CreateObject();
		cJSON_AddStringToObject(a, "when", expr);
		cJSON_AddNumberToObject(a, "points", (double)points);
		char *after = cJSON_PrintUnformatted(a), *entity = xasprintf("score_rule:%s.%s", m, name);
		rc = audit_log(c, entity, "insert", NULL, after);
		cJSON_free(after);
		cJSON_Delete(a);
		free(entity);
		if (!rc)
			rc = score_rule_list(c, m, name);
	}
	free(m);
	return rc;
}

int score_rule_list(struct crm *c, const char *model, const char *name)
{
	char *m = model_name(c, model);
	struct db_stmt *st = db_stmt(c, "SELECT id, model, name, expr, points FROM score_rule "
				      "WHERE model = ?1 AND (CAST(?2 AS text) IS NULL OR name = ?2) ORDER BY id");
	if (!st) {
		free(m);
		return c->errcode;
	}
	db_bind_text(st, 1, m, -1, DB_TRANSIENT);
	if (name)
		db_bind_text(st, 2, name, -1, DB_TRANSIENT);
	static const char *const cols[] = { "name", "points", "when" };
	out_columns(c->out, cols, 3);
	int n = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		out_begin(c->out);
		out_str(c->out, "type", "score_rule");
		out_int(c->out, "id", db_column_int64(st, 0));
		out_str(c->out, "model", (const char *)db_column_text(st, 1));
		out_str(c->out, "name", (const char *)db_column_text(st, 2));
		out_int(c->out, "points", db_column_int64(st, 4));
		out_str(c->out, "when", (const char *)db_column_text(st, 3));
		out_end(c->out);
		n++;
	}
	db_reset(st);
	free(m);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "score rule");
	return n ? CRM_OK : CRM_NOTFOUND;
}

int score_rule_rm(struct crm *c, const char *name, const char *model)
{
	char *m = model_name(c, model);
	struct db_stmt *st = db_stmt(c, "DELETE FROM score_rule WHERE model = ? AND name = ? RETURNING expr, points");
	if (!st) {
		free(m);
		return c->errcode;
	}
	db_bind_text(st, 1, m, -1, DB_TRANSIENT);
	db_bind_text(st, 2, name, -1, DB_TRANSIENT);
	int rc = CRM_OK;
	if (db_step(st) == DB_ROW) {
		cJSON *b = cJSON_CreateObject();
		cJSON_AddStringToObject(b, "when", (const char *)db_column_text(st, 0));
		cJSON_AddNumberToObject(b, "points", (double)db_column_int64(st, 1));
		db_reset(st);
		char *before = cJSON_PrintUnformatted(b), *entity = xasprintf("score_rule:%s.%s", m, name);
		rc = audit_log(c, entity, "delete", before, NULL);
		cJSON_free(before);
		cJSON_Delete(b);
		free(entity);
		if (!rc) {
			out_begin(c->out);
			out_str(c->out, "type", "score_rule");
			out_str(c->out, "model", m);
			out_str(c->out, "name", name);
			out_bool(c->out, "removed", true);
			out_end(c->out);
		}
	} else {
		db_reset(st);
		rc = crm_error(c, CRM_NOTFOUND, "model %s has no rule '%s'", m, name);
	}
	free(m);
	return rc;
}

/* The rules of the model: their checked SQL and points. */
struct score_model {
	int n;
	char **name, **sql;
	long long *points;
};

static void model_release(struct score_model *r)
{
	for (int i = 0; i < r->n; i++) {
		free(r->name[i]);
		free(r->sql[i]);
	}
	free(r->name);
	free(r->sql);
	free(r->points);
	memset(r, 0, sizeof(*r));
}

/* The same SQL scores all leads or a set of them: what has_event() reads
 * is the set's (target_events) when it is a set. */
static int model_load(struct crm *c, struct score_model *r)
{
	const struct type *t = type_find(c, "lead");
	char *m = model_name(c, NULL);
	struct db_stmt *st;
	int rc = db_prepare(c, "SELECT name, expr, points FROM score_rule WHERE model = ? ORDER BY id",
				    -1, &st, NULL);
	if (rc != DB_OK) {
		free(m);
		return crm_dberror(c, rc, "score rules");
	}
	db_bind_text(st, 1, m, -1, DB_TRANSIENT);
	free(m);
	rc = CRM_OK;
	while (!rc && db_step(st) == DB_ROW) {
		char *sql = NULL;
		const char *name = (const char *)db_column_text(st, 0);
		const char *expr = (const char *)db_column_text(st, 1);
		rc = query_expr(c, t, expr, &sql);
		if (rc) {
			char *msg = xstrdup(c->errmsg);
			crm_error(c, rc, "score rule %s: %s", name, msg);
			free(msg);
			break;
		}
		r->name = xrealloc(r->name, (r->n + 1) * sizeof(char *));
		r->sql = xrealloc(r->sql, (r->n + 1) * sizeof(char *));
		r->points = xrealloc(r->points, (r->n + 1) * sizeof(long long));
		r->name[r->n] = xstrdup(name);
		r->sql[r->n] = sql;
		r->points[r->n++] = db_column_int64(st, 2);
	}
	db_finalize(st);
	return rc;
}

/* The ids added to the set, gathered in memory (a stream adds one an
 * event) and put into score_ids in ascending order, each once,
 * before anything reads it (targets_flush). */
struct pending_ids {
	long n, cap;
	long long *id;
};

static const char pending_slot = 0;

static void pending_free(void *p)
{
	struct pending_ids *q = p;
	free(q->id);
	free(q);
}

static int cmp_id(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

static int targets_flush(struct crm *c)
{
	struct pending_ids *q = crm_slot_get(c, &pending_slot);
	if (!q || !q->n)
		return CRM_OK;
	qsort(q->id, (size_t)q->n, sizeof(*q->id), cmp_id);
	struct db_stmt *st = db_stmt(c, "INSERT INTO score_ids(id) VALUES (?) ON CONFLICT DO NOTHING");
	if (!st)
		return c->errcode;
	int rc = DB_DONE;
	for (long i = 0; i < q->n && rc == DB_DONE; i++) {
		if (i && q->id[i] == q->id[i - 1])
			continue;
		db_bind_int64(st, 1, q->id[i]);
		rc = db_step(st);
		db_reset(st);
	}
	q->n = 0;
	return rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "score");
}

int score_targets_begin(struct crm *c)
{
	crm_slot_drop(c, &pending_slot);
	return db_exec(c, "CREATE TEMP TABLE IF NOT EXISTS score_ids(id INTEGER PRIMARY KEY); DELETE FROM score_ids");
}

int score_target_add(struct crm *c, long long id)
{
	struct pending_ids *q = crm_slot_get(c, &pending_slot);
	if (!q) {
		q = xcalloc(1, sizeof(*q));
		crm_slot_set(c, &pending_slot, q, pending_free);
	}
	if (q->n == q->cap) {
		q->cap = q->cap ? 2 * q->cap : 1024;
		q->id = xrealloc(q->id, (size_t)q->cap * sizeof(*q->id));
	}
	q->id[q->n++] = id;
	return CRM_OK;
}

long long score_targets_count(struct crm *c)
{
	if (targets_flush(c))
		return -1;
	return db_get_int(c, "SELECT count(*) FROM score_ids", NULL, 0);
}

/* The live events of the leads a run scores, read once for the run
 * (one range of index event_lead a lead): has_event() over the set
 * answers from them, as over all leads it answers from one bitmap per
 * name (sales.c), not with a lookup per lead and rule. */
struct target_events {
	long n;
	long long *id;   /* ascending; a lead without events once, name -1 */
	int *name;       /* index into names */
	int nnames;
	char **names;
};

static const char target_events_slot = 0;

static void target_events_free(void *p)
{
	struct target_events *te = p;
	for (int i = 0; i < te->nnames; i++)
		free(te->names[i]);
	free(te->names);
	free(te->id);
	free(te->name);
	free(te);
}

/* The index of an event name among te's, or -1. */
static int name_index(const struct target_events *te, const char *name)
{
	for (int i = 0; name && i < te->nnames; i++)
		if (!strcmp(te->names[i], name))
			return i;
	return -1;
}

static int target_events_load(struct crm *c)
{
	struct db_stmt *st;
	int rc = db_prepare(c, "SELECT s.id, e.name FROM score_ids AS s LEFT JOIN event AS e "
					   "ON e.lead_id = s.id AND e.deleted_at IS NULL "
					   "ORDER BY s.id", -1, &st, NULL);
	if (rc != DB_OK)
		return crm_dberror(c, rc, "score");
	struct target_events *te = xcalloc(1, sizeof(*te));
	long cap = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (te->n == cap) {
			cap = cap ? 2 * cap : 1024;
			te->id = xrealloc(te->id, (size_t)cap * sizeof(*te->id));
			te->name = xrealloc(te->name, (size_t)cap * sizeof(*te->name));
		}
		const char *name = (const char *)db_column_text(st, 1);
		int k = name_index(te, name);
		if (name && k < 0) {
			te->names = xrealloc(te->names, (size_t)(te->nnames + 1) * sizeof(char *));
			te->names[k = te->nnames++] = xstrdup(name);
		}
		te->id[te->n] = db_column_int64(st, 0);
		te->name[te->n++] = k;
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		target_events_free(te);
		return crm_dberror(c, rc, "score");
	}
	crm_slot_set(c, &target_events_slot, te, target_events_free);
	return CRM_OK;
}

static void target_events_drop(struct crm *c)
{
	crm_slot_drop(c, &target_events_slot);
}

bool score_target_has_event(struct crm *c, long long id, const char *name, bool *has)
{
	const struct target_events *te = crm_slot_get(c, &target_events_slot);
	if (!te || !name)
		return false;
	long lo = 0, hi = te->n;   /* the first entry of id */
	while (lo < hi) {
		long mid = lo + (hi - lo) / 2;
		if (te->id[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == te->n || te->id[lo] != id)
		return false;   /* not a lead of the run: asked of the table */
	int k = name_index(te, name);
	*has = false;
	for (long i = lo; k >= 0 && i < te->n && te->id[i] == id && !*has; i++)
		*has = te->name[i] == k;
	return true;
}

/* Leads whose score moved to the SQL threshold or above become qualified
 * (through record_update: logged, lead.qualified rules fire). */
static int qualify(struct crm *c)
{
	long long thr = config_get_int(c, "score.sql", 60);
	const struct type *t = type_find(c, "lead");
	struct db_stmt *st;
	char *sql = xasprintf("SELECT n.id FROM score_new n%s JOIN lead l ON l.id = n.id "
			      "WHERE n.s >= ?1 AND coalesce(n.old, 0) < ?1 "
			      "AND l.status IN ('new', 'working', 'nurturing') ORDER BY n.id", dialect_index(c, " CROSS"));
	int rc = db_prepare(c, sql, -1, &st, NULL);
	free(sql);
	if (rc != DB_OK)
		return crm_dberror(c, rc, "score");
	db_bind_int64(st, 1, thr);
	long long *ids;
	int n;
	rc = db_ids(c, st, &ids, &n);
	cJSON *ch = cJSON_CreateObject();
	cJSON_AddStringToObject(ch, "status", "qualified");
	for (int i = 0; i < n && !rc; i++)
		rc = record_update(c, t, ids[i], ch, 0);
	cJSON_Delete(ch);
	free(ids);
	return rc;
}

static int explain(struct crm *c, const struct score_model *r)
{
	const struct type *t = type_find(c, "lead");
	char *src = query_source(t);
	static const char *const cols[] = { "lead", "name", "rule", "points" };
	out_columns(c->out, cols, 4);
	struct db_stmt *ids;
	char *scope = query_scope(c, t, "l", false);
	char *isql = xasprintf("SELECT n.id, l.name, n.s FROM score_all n JOIN lead l ON l.id = n.id "
			       "WHERE %s ORDER BY n.id", scope);
	free(scope);
	int rc = db_prepare(c, isql, -1, &ids, NULL);
	free(isql);
	if (rc != DB_OK) {
		free(src);
		return crm_dberror(c, rc, "score");
	}
	rc = CRM_OK;
	while (!rc && db_step(ids) == DB_ROW) {
		long long id = db_column_int64(ids, 0);
		const char *name = (const char *)db_column_text(ids, 1);
		for (int i = 0; i < r->n; i++) {
			char *sql = xasprintf("SELECT 1 FROM %s WHERE r.id = ? AND (%s)", src, r->sql[i]);
			struct db_stmt *st = db_stmt(c, sql);
			free(sql);
			if (!st) {
				rc = c->errcode;
				break;
			}
			db_bind_int64(st, 1, id);
			bool hit = db_step(st) == DB_ROW;
			db_reset(st);
			if (!hit)
				continue;
			out_begin(c->out);
			out_str(c->out, "type", "score");
			out_int(c->out, "lead", id);
			out_str(c->out, "name", name);
			out_str(c->out, "rule", r->name[i]);
			out_int(c->out, "points", r->points[i]);
			out_end(c->out);
		}
		out_begin(c->out);
		out_str(c->out, "type", "score");
		out_int(c->out, "lead", id);
		out_str(c->out, "name", name);
		out_str(c->out, "rule", "total");
		out_int(c->out, "points", db_column_int64(ids, 2));
		out_end(c->out);
	}
	db_finalize(ids);
	free(src);
	return rc;
}

/* The scoring run's audit entry: which leads changed, from what to what,
 * in one string crm history finds a lead in (";12:0:35;13:10:45": id,
 * before, after, by id), not one audit row per lead. */
static int audit_run(struct crm *c, const char *model, const char *now)
{
	struct db_stmt *st;
	int rc = db_prepare(c, "SELECT id, coalesce(old, 0), s FROM score_new ORDER BY id", -1, &st, NULL);
	if (rc != DB_OK)
		return crm_dberror(c, rc, "score");
	struct sbuf ch = { 0 };
	long long n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		sbuf_addc(&ch, ';');
		sbuf_add_int(&ch, db_column_int64(st, 0));
		sbuf_addc(&ch, ':');
		sbuf_add_int(&ch, db_column_int64(st, 1));
		sbuf_addc(&ch, ':');
		sbuf_add_int(&ch, db_column_int64(st, 2));
		n++;
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		sbuf_release(&ch);
		return crm_dberror(c, rc, "score");
	}
	if (!n)
		return CRM_OK;
	struct sbuf a = { 0 };
	sbuf_add(&a, "{\"model\":");
	cJSON *jm = cJSON_CreateString(model);
	char *m = cJSON_PrintUnformatted(jm);
	sbuf_add(&a, m);
	cJSON_free(m);
	cJSON_Delete(jm);
	sbuf_addf(&a, ",\"leads\":%lld,\"changes\":\"%s\"}", n, ch.s);
	sbuf_release(&ch);
	rc = audit_log(c, "score", "score", NULL, a.s);
	sbuf_release(&a);
	(void)now;
	return rc;
}

int score_run(struct crm *c, bool all, bool explain_it, bool print)
{
	const struct type *t = type_find(c, "lead");
	if (all && !dialect_server(c))
		db_bulk(c, 40);   /* SQLite's cache */
	struct score_model r = { 0 };
	int rc = all ? CRM_OK : targets_flush(c);
	if (!rc)
		rc = model_load(c, &r);
	if (rc) {
		model_release(&r);
		return rc;
	}
	struct progress pg;
	progress_begin(&pg, c, "score", "leads");
	struct sbuf sum = { 0 };
	for (int i = 0; i < r.n; i++)
		sbuf_addf(&sum, "%s(CASE WHEN (%s) THEN %lld ELSE 0 END)", i ? " + " : "", r.sql[i], r.points[i]);
	char *src = query_source(t);
	/* every lead scored (score_all) only for --explain; otherwise just
	 * the changed ones, to keep the temporary tables small at 1M leads.
	 * The score before is read from lead_score beside the rules. The
	 * inner query's LIMIT -1 keeps SQLite from flattening it into the
	 * outer one, which would compute the rules twice a lead (once for
	 * WHERE s IS DISTINCT FROM old, once for the value). */
	char *cross = xasprintf("score_ids AS s%s JOIN ", dialect_index(c, " CROSS"));
	const char *from = all ? "" : cross;
	const char *on = all ? "" : " ON r.id = s.id";
	char *sql = explain_it
		? xasprintf("CREATE TEMP TABLE IF NOT EXISTS score_all(id INTEGER PRIMARY KEY, old INTEGER, s INTEGER); "
			    "CREATE TEMP TABLE IF NOT EXISTS score_new(id INTEGER PRIMARY KEY, old INTEGER, s INTEGER); "
			    "DELETE FROM score_all; DELETE FROM score_new; "
			    "INSERT INTO score_all SELECT r.id, coalesce(ls.score, 0), %s FROM %s%s%s "
			    "LEFT JOIN lead_score AS ls ON ls.id = r.id WHERE r.deleted_at IS NULL; "
			    "INSERT INTO score_new SELECT * FROM score_all WHERE s IS DISTINCT FROM old",
			    sum.s ? sum.s : "0", from, src, on)
		: xasprintf("CREATE TEMP TABLE IF NOT EXISTS score_new(id INTEGER PRIMARY KEY, old INTEGER, s INTEGER); "
			    "DELETE FROM score_new; "
			    "INSERT INTO score_new SELECT id, old, s FROM (SELECT r.id AS id, coalesce(ls.score, 0) AS old, "
			    "%s AS s FROM %s%s%s LEFT JOIN lead_score AS ls ON ls.id = r.id WHERE r.deleted_at IS NULL"
			    "%s) AS n WHERE s IS DISTINCT FROM old",
			    sum.s ? sum.s : "0", from, src, on, dialect_index(c, " LIMIT -1"));
	free(src);
	free(cross);
	sbuf_release(&sum);
	/* --all computes every lead's score without the write lock (seconds
	 * at a million leads: another writer would wait that long): what is
	 * open is committed first, when the command may commit on its own,
	 * and the changes are written in a transaction of their own after */
	bool relock = all && db_in_txn(c) && db_may_split(c, false);
	if (relock && (rc = hook_commit(c, false))) {
		free(sql);
		model_release(&r);
		return rc;
	}
	if (all)
		progress_phase(&pg, "score: computing the rules");
	rc = all ? CRM_OK : target_events_load(c);
	if (!rc)
		rc = db_exec(c, sql);
	target_events_drop(c);
	free(sql);
	long long changed = rc ? 0 : db_get_int(c, "SELECT count(*) FROM score_new", NULL, 0);
	progress_update(&pg, changed, -1);
	char now[DATE_BUFSZ];
	date_format(date_now(), now);
	char *model = model_name(c, NULL);
	if (!rc && changed && relock)
		rc = db_begin(c);
	if (!rc && changed && relock)
		/* computed without the write lock: a lead whose score another
		 * writer changed meanwhile keeps theirs */
		rc = db_exec(c, "DELETE FROM score_new WHERE old IS DISTINCT FROM "
				"coalesce((SELECT score FROM lead_score AS l WHERE l.id = score_new.id), 0)");
	if (!rc && changed) {
		/* the changed scores into their narrow rows, in one short
		 * transaction with the run's one audit entry: no lead row is
		 * rewritten (nor its updated_at: a score is not an edit) */
		progress_phase(&pg, "score: writing the changed scores");
		rc = db_exec(c, "INSERT INTO lead_score(id, score) SELECT id, s FROM score_new WHERE s <> 0 "
				"ON CONFLICT(id) DO UPDATE SET score = excluded.score; "
				"DELETE FROM lead_score WHERE id IN (SELECT id FROM score_new WHERE s = 0)");
		if (!rc)
			rc = audit_run(c, model, now);
	}
	free(model);
	if (!rc && relock && !changed)
		rc = db_begin(c);
	if (!rc) {
		/* what the scores say follows for everyone's leads (the rules
		 * are the admin's), whoever ran the scoring */
		c->system++;
		rc = qualify(c);
		c->system--;
	}
	if (!rc && explain_it) {
		rc = all ? CRM_OK : target_events_load(c);
		if (!rc)
			rc = explain(c, &r);
		target_events_drop(c);
	}
	else if (!rc && print && changed) {
		/* the changed leads in one query, not one SELECT each */
		progress_phase(&pg, "score: printing the changed leads");
		char *sel = record_select_sql(t);
		char *scope = query_scope(c, t, "r", false);
		char *q = xasprintf("%s WHERE r.id IN (SELECT id FROM score_new) AND (%s) ORDER BY r.id", sel, scope);
		free(scope);
		free(sel);
		struct db_stmt *st;
		int src2 = db_prepare(c, q, -1, &st, NULL);
		free(q);
		if (src2 == DB_OK) {
			while ((src2 = db_step(st)) == DB_ROW)
				record_emit_row(c, t, st);
			db_finalize(st);
		}
		if (src2 != DB_DONE)
			rc = crm_dberror(c, src2, "score");
	}
	progress_end(&pg);
	model_release(&r);
	return rc;
}

int score_on_merged(struct crm *c, const struct change *ch)
{
	int rc = score_targets_begin(c);
	if (!rc)
		rc = score_target_add(c, ch->id);
	return rc ? rc : score_run(c, false, false, false);
}
