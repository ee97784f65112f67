/* pipeline.c: pipelines, stages, stage moves with their gates and
 * approvals, and the stage history the reports read. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/config.h"
#include "base/date.h"
#include "core/db.h"
#include "core/dialect.h"
#include "core/event.h"
#include "base/money.h"
#include "io/out.h"
#include "sales/approval.h"
#include "sales/pipeline.h"
#include "core/query.h"
#include "core/record.h"
#include "base/text.h"

/* ---- reading ---- */

static long long pipeline_id(struct crm *c, const char *key)
{
	return db_get_int(c, "SELECT id FROM pipeline WHERE key = ?", key, 0);
}

static int no_pipeline(struct crm *c, const char *key)
{
	return crm_error(c, CRM_NOTFOUND, "no pipeline '%s' (see 'crm pipeline list')", key);
}

static const char *const stage_cols[] = {
	"pipeline", "position", "key", "label", "probability", "closes", "require", "require_activity",
};

static void stage_emit(struct crm *c, struct db_stmt *st)
{
	/* columns: id, pipeline, key, label, probability, position, closes,
	 * require_fields, require_activity */
	struct out *o = c->out;
	out_begin(o);
	out_str(o, "type", "stage");
	out_int(o, "id", db_column_int64(st, 0));
	out_str(o, "pipeline", (const char *)db_column_text(st, 1));
	out_str(o, "key", (const char *)db_column_text(st, 2));
	out_str(o, "label", (const char *)db_column_text(st, 3));
	out_int(o, "probability", db_column_int64(st, 4));
	out_int(o, "position", db_column_int64(st, 5));
	out_str(o, "closes", (const char *)db_column_text(st, 6));
	const char *req = (const char *)db_column_text(st, 7);
	if (req && *req) {
		cJSON *arr = cJSON_CreateArray();
		char *copy = xstrdup(req), *save = NULL;
		for (char *f = strtok_r(copy, ",", &save); f; f = strtok_r(NULL, ",", &save))
			cJSON_AddItemToArray(arr, cJSON_CreateString(f));
		out_json(o, "require", arr);
		cJSON_Delete(arr);
		free(copy);
	}
	out_str(o, "require_activity", (const char *)db_column_text(st, 8));
	out_end(o);
}

#define STAGE_SELECT "SELECT s.id, p.key, s.key, s.label, s.probability, s.position, s.closes, " \
	"s.require_fields, s.require_activity FROM stage s JOIN pipeline p ON p.id = s.pipeline_id "

static int stages_print(struct crm *c, const char *pipeline, const char *key)
{
	struct db_stmt *st = db_stmt(c, STAGE_SELECT "WHERE p.key = ?1 AND (CAST(?2 AS text) IS NULL OR s.key = ?2) "
				      "ORDER BY s.position");
	if (!st)
		return c->errcode;
	db_bind_text(st, 1, pipeline, -1, DB_TRANSIENT);
	db_bind_text(st, 2, key, -1, DB_TRANSIENT);
	if (c->format != OUT_JSONL)
		out_columns(c->out, stage_cols, 8);
	int rc, n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		stage_emit(c, st);
		n++;
	}
	db_reset(st);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "stage");
	return n ? CRM_OK : CRM_NOTFOUND;
}

int pipeline_list(struct crm *c)
{
	/* the open deals the acting user may see */
	char *scope = query_scope(c, type_find(c, "deal"), "d", false);
	if (!strcmp(scope, QUERY_SCOPE_ALL))
		scope[0] = 0;   /* all of them */
	char *joined = dialect_joined(c, "s.key", "','", "stage s WHERE s.pipeline_id = p.id", "s.position");
	char *sql = xasprintf("SELECT p.id, p.key, p.label, p.is_default, %s, "
			      "(SELECT count(*) FROM deal d WHERE d.pipeline = p.key AND d.deleted_at IS NULL "
			      "AND d.status = 'open'%s%s%s) FROM pipeline p ORDER BY p.id", joined, *scope ? " AND (" : "", scope,
			      *scope ? ")" : "");
	struct db_stmt *st = db_stmt(c, sql);
	free(sql);
	free(joined);
	free(scope);
	if (!st)
		return c->errcode;
	static const char *const cols[] = { "key", "label", "default", "stages", "open_deals" };
	if (c->format != OUT_JSONL)
		out_columns(c->out, cols, 5);
	int rc, n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		struct out *o = c->out;
		out_begin(o);
		out_str(o, "type", "pipeline");
		out_int(o, "id", db_column_int64(st, 0));
		out_str(o, "key", (const char *)db_column_text(st, 1));
		out_str(o, "label", (const char *)db_column_text(st, 2));
		out_bool(o, "default", db_column_int(st, 3) != 0);
		const char *keys = (const char *)db_column_text(st, 4);
		cJSON *arr = cJSON_CreateArray();
		char *copy = xstrdup(keys ? keys : ""), *save = NULL;
		for (char *k = strtok_r(copy, ",", &save); k; k = strtok_r(NULL, ",", &save))
			cJSON_AddItemToArray(arr, cJSON_CreateString(k));
		out_json(o, "stages", arr);
		cJSON_Delete(arr);
		free(copy);
		out_int(o, "open_deals", db_column_int64(st, 5));
		out_end(o);
		n++;
	}
	db_reset(st);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "pipeline");
	return n ? CRM_OK : CRM_NOTFOUND;
}

int pipeline_show(struct crm *c, const char *key)
{
	if (!pipeline_id(c, key))
		return no_pipeline(c, key);
	int rc = stages_print(c, key, NULL);
	if (rc == CRM_NOTFOUND)
		crm_error(c, CRM_NOTFOUND, "pipeline '%s' has no stages yet (crm stage add KEY --pipeline %s)",
			  key, key);
	return rc;
}

/* ---- changing pipelines and stages ---- */

static bool valid_key(const char *k)
{
	size_t bad;
	if (!k || !*k || strlen(k) > 64 || !utf8_valid(k, strlen(k), &bad))
		return false;
	for (const unsigned char *p = (const unsigned char *)k; *p; p++)
		if (*p <= ' ' || *p == ',' || *p == ':' || *p == '\'' || *p == '"' || *p == 0x7f)
			return false;
	return true;
}

static int audit_stage(struct crm *c, const char *pipeline, const char *action, cJSON *before, cJSON *after)
{
	char *entity = xasprintf("pipeline:%s", pipeline);
	char *b = before ? cJSON_PrintUnformatted(before) : NULL;
	char *a = after ? cJSON_PrintUnformatted(after) : NULL;
	int rc = audit_log(c, entity, action, b, a);
	cJSON_free(b);
	cJSON_free(a);
	free(entity);
	return rc;
}

/* The stage as JSON, for the audit log. NULL if it does not exist. */
static cJSON *stage_json(struct crm *c, long long pid, const char *key)
{
	struct db_stmt *st = db_stmt(c, "SELECT label, probability, position, closes, require_fields, "
				      "require_activity FROM stage WHERE pipeline_id = ? AND key = ?");
	if (!st)
		return NULL;
	db_bind_int64(st, 1, pid);
	db_bind_text(st, 2, key, -1, DB_TRANSIENT);
	cJSON *o = NULL;
	if (db_step(st) == DB_ROW) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "stage", key);
		static const char *const names[] = { "label", "probability", "position", "closes",
						     "require", "require_activity" };
		for (int i = 0; i < 6; i++) {
			if (db_column_type(st, i) == DB_NULL)
				continue;
			if (db_column_type(st, i) == DB_INTEGER)
				cJSON_AddNumberToObject(o, names[i], (double)db_column_int64(st, i));
			else
				cJSON_AddStringToObject(o, names[i], (const char *)db_column_text(st, i));
		}
	}
	db_reset(st);
	return o;
}

static bool stage_exists(struct crm *c, long long pid, const char *key)
{
	cJSON *o = stage_json(c, pid, key);
	cJSON_Delete(o);
	return o != NULL;
}

/* "amount, expected_close" checked against the deal's fields. */
static int check_require(struct crm *c, const char *req, char **out)
{
	const struct type *t = type_find(c, "deal");
	struct sbuf b = { 0 };
	char *copy = xstrdup(req), *save = NULL;
	int rc = CRM_OK;
	for (char *f = strtok_r(copy, ",，", &save); f; f = strtok_r(NULL, ",，", &save)) {
		char *name = text_trim(f);
		const struct field *fl = *name ? type_field(t, name) : NULL;
		if (*name && (!fl || fl->flags & FF_SYSTEM))
			rc = crm_error(c, CRM_USAGE, "--require: a deal has no field '%s' that a rep sets", name);
		else if (*name) {
			if (b.len)
				sbuf_addc(&b, ',');
			sbuf_add(&b, name);
		}
		free(name);
		if (rc)
			break;
	}
	free(copy);
	if (rc) {
		sbuf_release(&b);
		return rc;
	}
	*out = b.s ? sbuf_detach(&b) : NULL;
	return CRM_OK;
}

static int check_activity_kind(struct crm *c, const char *kind)
{
	const struct field *f = type_field(type_find(c, "activity"), "kind");
	const char *ch = f->choices;
	size_t n = strlen(kind);
	for (const char *p = ch; *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && !strncmp(p, kind, n))
			return CRM_OK;
		p += len + (p[len] == ',');
	}
	return crm_error(c, CRM_USAGE, "--require-activity: '%s' is not an activity kind (%s)", kind, ch);
}

static int insert_stage(struct crm *c, long long pid, const struct stage_spec *s, const char *req)
{
	int pos = s->position;
	char *pidtxt = xasprintf("%lld", pid);
	int last = (int)db_get_int(c, "SELECT coalesce(max(position), 0) FROM stage WHERE pipeline_id = ?",
				   pidtxt, 0);
	int firstclose = (int)db_get_int(c, "SELECT min(position) FROM stage WHERE pipeline_id = ? "
					 "AND closes IS NOT NULL", pidtxt, 0);
	free(pidtxt);
	if (pos <= 0 || pos > last + 1)
		pos = (!s->closes || !*s->closes) && firstclose ? firstclose : last + 1;
	/* Make room: later stages and the deals that reached them move up one. */
	struct db_stmt *st = db_stmt(c, "UPDATE stage SET position = position + 1 WHERE pipeline_id = ? "
				      "AND position >= ?");
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, pid);
	db_bind_int(st, 2, pos);
	int rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "stage");
	st = db_stmt(c, "UPDATE deal SET reach = reach + 1 WHERE pipeline = (SELECT key FROM pipeline "
			"WHERE id = ?) AND reach >= ?");
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, pid);
	db_bind_int(st, 2, pos);
	rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "deal");
	st = db_stmt(c, "INSERT INTO stage(pipeline_id, key, label, probability, position, closes, "
			"require_fields, require_activity) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return c->errcode;
	int prob = s->probability >= 0 ? s->probability : s->closes && !strcmp(s->closes, "won") ? 100 : 0;
	db_bind_int64(st, 1, pid);
	db_bind_text(st, 2, s->key, -1, DB_TRANSIENT);
	db_bind_text(st, 3, s->label && *s->label ? s->label : s->key, -1, DB_TRANSIENT);
	db_bind_int(st, 4, prob);
	db_bind_int(st, 5, pos);
	db_bind_text(st, 6, s->closes && *s->closes ? s->closes : NULL, -1, DB_TRANSIENT);
	db_bind_text(st, 7, req, -1, DB_TRANSIENT);
	db_bind_text(st, 8, s->require_activity && *s->require_activity ? s->require_activity : NULL,
			  -1, DB_TRANSIENT);
	rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "stage");
}

static int update_stage(struct crm *c, long long pid, const struct stage_spec *s, const char *req)
{
	struct db_stmt *st = db_stmt(c, "UPDATE stage SET label = coalesce(?1, label), "
				      "probability = CASE WHEN ?2 >= 0 THEN ?2 ELSE probability END, "
				      "closes = CASE WHEN CAST(?3 AS text) IS NULL THEN closes ELSE nullif(?3, '') END, "
				      "require_fields = CASE WHEN CAST(?4 AS text) IS NULL THEN require_fields ELSE nullif(?4, '') END, "
				      "require_activity = CASE WHEN CAST(?5 AS text) IS NULL THEN require_activity ELSE nullif(?5, '') END "
				      "WHERE pipeline_id = ?6 AND key = ?7");
	if (!st)
		return c->errcode;
	db_bind_text(st, 1, s->label && *s->label ? s->label : NULL, -1, DB_TRANSIENT);
	db_bind_int(st, 2, s->probability);
	db_bind_text(st, 3, s->closes, -1, DB_TRANSIENT);
	db_bind_text(st, 4, s->require ? (req ? req : "") : NULL, -1, DB_TRANSIENT);
	db_bind_text(st, 5, s->require_activity, -1, DB_TRANSIENT);
	db_bind_int64(st, 6, pid);
	db_bind_text(st, 7, s->key, -1, DB_TRANSIENT);
	int rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "stage");
}

/* The closing a stage key means when --closes is not given: a stage
 * called won (赢单) closes deals as won, lost (输单) as lost. */
static const char *closes_by_key(const char *key)
{
	if (!strcmp(key, "won") || !strcmp(key, "赢单"))
		return "won";
	if (!strcmp(key, "lost") || !strcmp(key, "输单"))
		return "lost";
	return NULL;
}

/* Add or change a stage without printing it. */
static int stage_put(struct crm *c, long long pid, const char *pipeline, const struct stage_spec *given)
{
	char *req = NULL;
	int rc;
	struct stage_spec spec = *given, *s = &spec;
	if (!s->closes && s->key)
		s->closes = closes_by_key(s->key);
	if (!valid_key(s->key))
		return crm_error(c, CRM_USAGE, "'%s' is not a valid stage key (no spaces, commas, colons or quotes)",
				 s->key ? s->key : "");
	if (s->probability > 100)
		return crm_error(c, CRM_USAGE, "--probability: %d is not between 0 and 100", s->probability);
	if (s->closes && *s->closes && strcmp(s->closes, "won") && strcmp(s->closes, "lost"))
		return crm_error(c, CRM_USAGE, "--closes: '%s' is not won or lost", s->closes);
	if (s->require && (rc = check_require(c, s->require, &req)))
		return rc;
	if (s->require_activity && *s->require_activity && (rc = check_activity_kind(c, s->require_activity))) {
		free(req);
		return rc;
	}
	cJSON *before = stage_json(c, pid, s->key);
	if (before && s->position > 0) {
		cJSON_Delete(before);
		free(req);
		return crm_error(c, CRM_CONFLICT, "stage '%s' already exists in pipeline '%s'; its position "
				 "cannot change", s->key, pipeline);
	}
	rc = before ? update_stage(c, pid, s, req) : insert_stage(c, pid, s, req);
	free(req);
	if (!rc) {
		cJSON *after = stage_json(c, pid, s->key);
		rc = audit_stage(c, pipeline, before ? "stage_update" : "stage_add", before, after);
		cJSON_Delete(after);
	}
	cJSON_Delete(before);
	return rc;
}

int stage_add(struct crm *c, const char *pipeline, const struct stage_spec *s)
{
	long long pid = pipeline_id(c, pipeline);
	if (!pid)
		return no_pipeline(c, pipeline);
	int rc = db_exec(c, "SAVEPOINT stage");
	if (rc)
		return rc;
	rc = stage_put(c, pid, pipeline, s);
	if (rc) {
		db_execute(c, "ROLLBACK TO stage; RELEASE stage");
		return rc;
	}
	rc = db_exec(c, "RELEASE stage");
	return rc ? rc : stages_print(c, pipeline, s->key);
}

int stage_rm(struct crm *c, const char *pipeline, const char *key)
{
	long long pid = pipeline_id(c, pipeline);
	if (!pid)
		return no_pipeline(c, pipeline);
	cJSON *before = stage_json(c, pid, key);
	if (!before)
		return crm_error(c, CRM_NOTFOUND, "no stage '%s' in pipeline '%s'", key, pipeline);
	int pos = cJSON_GetObjectItem(before, "position")->valueint;
	struct db_stmt *st = db_stmt(c, "SELECT count(*) FROM deal WHERE pipeline = ? AND stage = ?");
	int rc = CRM_OK;
	if (!st) {
		rc = c->errcode;
		goto cleanup;
	}
	db_bind_text(st, 1, pipeline, -1, DB_TRANSIENT);
	db_bind_text(st, 2, key, -1, DB_TRANSIENT);
	long long n = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 0;
	db_reset(st);
	if (n) {
		rc = crm_error(c, CRM_CONFLICT, "stage '%s' of pipeline '%s' still has %lld deal%s; move them "
			       "first (crm deal list --pipeline %s --stage %s | crm stage move OTHER)",
			       key, pipeline, n, n == 1 ? "" : "s", pipeline, key);
		goto cleanup;
	}
	if ((rc = db_exec(c, "SAVEPOINT stage")))
		goto cleanup;
	char *p = xasprintf("%lld", pid);
	char *sql1 = sqlite3_mprintf("DELETE FROM stage WHERE pipeline_id = %lld AND key = %Q", pid, key);
	char *sql2 = sqlite3_mprintf("UPDATE stage SET position = position - 1 WHERE pipeline_id = %lld "
				     "AND position > %d", pid, pos);
	char *sql3 = sqlite3_mprintf("UPDATE deal SET reach = reach - 1 WHERE pipeline = %Q AND reach >= %d",
				     pipeline, pos);
	rc = db_exec(c, sql1);
	if (!rc)
		rc = db_exec(c, sql2);
	if (!rc)
		rc = db_exec(c, sql3);
	if (!rc)
		rc = audit_stage(c, pipeline, "stage_rm", before, NULL);
	sqlite3_free(sql1);
	sqlite3_free(sql2);
	sqlite3_free(sql3);
	free(p);
	if (rc) {
		db_execute(c, "ROLLBACK TO stage; RELEASE stage");
		goto cleanup;
	}
	rc = db_exec(c, "RELEASE stage");
	if (!rc) {
		cJSON_AddStringToObject(before, "type", "stage");
		cJSON_AddStringToObject(before, "pipeline", pipeline);
		out_begin(c->out);
		out_str(c->out, "type", "stage");
		out_str(c->out, "pipeline", pipeline);
		out_str(c->out, "key", key);
		out_str(c->out, "label", cJSON_GetStringValue(cJSON_GetObjectItem(before, "label")));
		out_end(c->out);
	}
cleanup:
	cJSON_Delete(before);
	return rc;
}

/* One "key:label:probability[:won|lost]" of a --stages list. */
static int parse_stage(struct crm *c, char *item, struct stage_spec *s)
{
	char *parts[4] = { NULL, NULL, NULL, NULL };
	int n = 0;
	for (char *p = item; n < 4;) {
		parts[n++] = p;
		char *colon = strchr(p, ':');
		if (!colon)
			break;
		*colon = 0;
		p = colon + 1;
	}
	if (strchr(parts[n - 1], ':'))
		return crm_error(c, CRM_USAGE, "--stages: too many ':' in '%s'", item);
	memset(s, 0, sizeof(*s));
	s->key = parts[0];
	s->label = n > 1 ? parts[1] : NULL;
	s->probability = -1;
	if (n > 2 && *parts[2]) {
		char *end;
		long v = strtol(parts[2], &end, 10);
		if (*end || v < 0 || v > 100)
			return crm_error(c, CRM_USAGE, "--stages: probability '%s' of stage '%s' is not 0..100",
					 parts[2], parts[0]);
		s->probability = (int)v;
	}
	s->closes = n > 3 ? parts[3] : NULL;
	return CRM_OK;
}

int pipeline_add(struct crm *c, const char *key, const char *label, const char *stages)
{
	if (!valid_key(key))
		return crm_error(c, CRM_USAGE, "'%s' is not a valid pipeline key (no spaces, commas, colons "
				 "or quotes)", key);
	if (pipeline_id(c, key))
		return crm_error(c, CRM_CONFLICT, "pipeline '%s' already exists (see 'crm pipeline show %s')",
				 key, key);
	int rc = db_exec(c, "SAVEPOINT pipeline");
	if (rc)
		return rc;
	struct db_stmt *st = db_stmt(c, "INSERT INTO pipeline(key, label, created_at) VALUES (?, ?, ?)");
	char now[DATE_BUFSZ];
	date_format(date_now(), now);
	if (!st) {
		rc = c->errcode;
		goto fail;
	}
	db_bind_text(st, 1, key, -1, DB_TRANSIENT);
	db_bind_text(st, 2, label && *label ? label : key, -1, DB_TRANSIENT);
	db_bind_text(st, 3, now, -1, DB_TRANSIENT);
	int src = db_step(st);
	db_reset(st);
	if (src != DB_DONE) {
		rc = crm_dberror(c, src, "pipeline");
		goto fail;
	}
	long long pid = db_last_insert_id(c);
	cJSON *after = cJSON_CreateObject();
	cJSON_AddStringToObject(after, "key", key);
	cJSON_AddStringToObject(after, "label", label && *label ? label : key);
	rc = audit_stage(c, key, "insert", NULL, after);
	cJSON_Delete(after);
	if (rc)
		goto fail;
	char *copy = stages ? xstrdup(stages) : NULL, *save = NULL;
	for (char *it = copy ? strtok_r(copy, ",", &save) : NULL; it && !rc; it = strtok_r(NULL, ",", &save)) {
		struct stage_spec s;
		char *item = text_trim(it);
		rc = parse_stage(c, item, &s);
		if (!rc && stage_exists(c, pid, s.key)) {
			rc = crm_error(c, CRM_USAGE, "--stages: stage '%s' is given twice", s.key);
		}
		if (!rc)
			rc = stage_put(c, pid, key, &s);
		free(item);
	}
	free(copy);
	/* Every pipeline can win and lose a deal: the closing stages the
	 * default pipeline has, unless the stages given have their own. */
	static const struct { const char *key, *label, *closes; int probability; } closing[] = {
		{ "won", "赢单", "won", 100 }, { "lost", "输单", "lost", 0 },
	};
	for (int i = 0; i < 2 && !rc; i++) {
		char *pidtxt = xasprintf("%lld", pid);
		char *sql = xasprintf("SELECT count(*) FROM stage WHERE pipeline_id = ? AND closes = '%s'",
				      closing[i].closes);
		long long have = db_get_int(c, sql, pidtxt, 0);
		free(sql);
		free(pidtxt);
		struct stage_spec s = { .key = closing[i].key, .label = closing[i].label,
					.probability = closing[i].probability, .closes = closing[i].closes };
		if (!have && stage_exists(c, pid, s.key))
			rc = crm_error(c, CRM_USAGE, "--stages: stage '%s' is given with --closes other than %s; "
				       "a pipeline needs a stage that closes deals as %s", s.key, s.closes, s.closes);
		else if (!have)
			rc = stage_put(c, pid, key, &s);
	}
	if (rc)
		goto fail;
	if ((rc = db_exec(c, "RELEASE pipeline")))
		return rc;
	rc = stages_print(c, key, NULL);
	if (rc == CRM_NOTFOUND) {
		/* No stages yet: print the pipeline itself. */
		out_begin(c->out);
		out_str(c->out, "type", "pipeline");
		out_int(c->out, "id", pid);
		out_str(c->out, "key", key);
		out_str(c->out, "label", label && *label ? label : key);
		out_end(c->out);
		c->errmsg[0] = 0;
		rc = CRM_OK;
	}
	return rc;
fail:
	db_execute(c, "ROLLBACK TO pipeline; RELEASE pipeline");
	return rc;
}

/* ---- the stage history ---- */

/* What 005's trigger stage_history_moved does on a file, for a server
 * (no triggers): the deal's open stay ends at `at` and is counted in
 * stage_stats (before the new stay is written); after it, the deal's
 * reach. */
static int stays_end(struct crm *c, long long id, const char *at)
{
	char *days = dialect_days_between(c, "CAST(?2 AS text)", "h.at");
	char *sql = xasprintf("INSERT INTO stage_stats(pipeline, stage, stays, days) "
			      "SELECT h.pipeline, h.to_stage, 1, %s FROM stage_history h "
			      "WHERE h.deal_id = ?1 AND h.left_at IS NULL "
			      "ON CONFLICT (pipeline, stage) DO UPDATE SET stays = stage_stats.stays + 1, "
			      "days = stage_stats.days + excluded.days", days);
	struct db_stmt *st = db_stmt(c, sql);
	free(sql);
	free(days);
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, at, -1, DB_TRANSIENT);
	int rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "stage stats");
	days = dialect_days_between(c, "CAST(?2 AS text)", "at");
	sql = xasprintf("UPDATE stage_history SET left_at = ?2, days = %s WHERE deal_id = ?1 AND left_at IS NULL",
			days);
	st = db_stmt(c, sql);
	free(sql);
	free(days);
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, at, -1, DB_TRANSIENT);
	rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "stage history");
}

/* A lost stage does not count as progress: a deal keeps its best. */
static int reach_update(struct crm *c, long long id, const char *pipeline, const char *to)
{
	struct db_stmt *st = db_stmt(c, "SELECT s.position FROM stage s JOIN pipeline p ON p.id = s.pipeline_id "
				      "WHERE p.key = ? AND s.key = ? AND coalesce(s.closes, '') <> 'lost'");
	if (!st)
		return c->errcode;
	db_bind_text(st, 1, pipeline, -1, DB_TRANSIENT);
	db_bind_text(st, 2, to, -1, DB_TRANSIENT);
	int rc = db_step(st);
	long long pos = rc == DB_ROW ? db_column_int64(st, 0) : 0;
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return crm_dberror(c, rc, "stage");
	st = db_stmt(c, "UPDATE deal SET reach = CASE WHEN coalesce(reach, 0) >= ?2 THEN coalesce(reach, 0) "
			"ELSE ?2 END WHERE id = ?1");
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, pos);
	rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "deal reach");
}

static int history_insert(struct crm *c, long long id, const char *pipeline, const char *from,
			  const char *to, const char *at, const char *reason, bool forced)
{
	bool triggers = dialect_triggers(c);
	if (!triggers) {
		int rc = stays_end(c, id, at);
		if (rc)
			return rc;
	}
	/* with the deal's creation time, which the reports of a period read
	 * stays by (migration 074) */
	struct db_stmt *st = db_stmt(c, "INSERT INTO stage_history(deal_id, pipeline, from_stage, to_stage, at, "
				      "\"user\", reason, forced, deal_created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
				      "(SELECT created_at FROM deal WHERE id = ?1))");
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, pipeline, -1, DB_TRANSIENT);
	db_bind_text(st, 3, from, -1, DB_TRANSIENT);
	db_bind_text(st, 4, to, -1, DB_TRANSIENT);
	db_bind_text(st, 5, at, -1, DB_TRANSIENT);
	db_bind_text(st, 6, c->user, -1, DB_TRANSIENT);
	db_bind_text(st, 7, reason, -1, DB_TRANSIENT);
	db_bind_int(st, 8, forced);
	int rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "stage history");
	return triggers ? CRM_OK : reach_update(c, id, pipeline, to);
}

cJSON *pipeline_history(struct crm *c, long long deal_id)
{
	struct db_stmt *st = db_stmt(c, "SELECT from_stage, to_stage, at, \"user\", reason, forced, days "
				      "FROM stage_history WHERE deal_id = ? ORDER BY at, id");
	if (!st)
		return NULL;
	db_bind_int64(st, 1, deal_id);
	cJSON *arr = cJSON_CreateArray();
	static const char *const names[] = { "from", "to", "at", "user", "reason" };
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		cJSON *o = cJSON_CreateObject();
		for (int i = 0; i < 5; i++)
			if (db_column_type(st, i) != DB_NULL)
				cJSON_AddStringToObject(o, names[i], (const char *)db_column_text(st, i));
		if (db_column_int(st, 5))
			cJSON_AddBoolToObject(o, "forced", true);
		if (db_column_type(st, 6) != DB_NULL)
			cJSON_AddNumberToObject(o, "days", (double)llround(db_column_double(st, 6) * 10) / 10);
		cJSON_AddItemToArray(arr, o);
	}
	db_reset(st);
	if (rc != DB_DONE) {
		cJSON_Delete(arr);
		crm_dberror(c, rc, "stage history");
		return NULL;
	}
	return arr;
}

/* ---- moving ---- */

struct stage_row {
	char *key, *closes, *require, *activity;
	int probability;
};

static void stage_row_free(struct stage_row *s)
{
	free(s->key);
	free(s->closes);
	free(s->require);
	free(s->activity);
}

static int stage_load(struct crm *c, const char *pipeline, const char *key, struct stage_row *s)
{
	memset(s, 0, sizeof(*s));
	struct db_stmt *st = db_stmt(c, "SELECT s.key, s.closes, s.require_fields, s.require_activity, "
				      "s.probability FROM stage s JOIN pipeline p ON p.id = s.pipeline_id "
				      "WHERE p.key = ? AND s.key = ?");
	if (!st)
		return c->errcode;
	db_bind_text(st, 1, pipeline, -1, DB_TRANSIENT);
	db_bind_text(st, 2, key, -1, DB_TRANSIENT);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		for (int i = 0; i < 4; i++) {
			const char *v = (const char *)db_column_text(st, i);
			char **dst[] = { &s->key, &s->closes, &s->require, &s->activity };
			*dst[i] = v && *v ? xstrdup(v) : NULL;
		}
		s->probability = db_column_int(st, 4);
	}
	db_reset(st);
	if (rc == DB_DONE)
		return crm_error(c, CRM_BADINPUT, "no stage '%s' in pipeline '%s' (see 'crm stage list "
				 "--pipeline %s')", key, pipeline, pipeline);
	return rc == DB_ROW ? CRM_OK : crm_dberror(c, rc, "stage");
}

static bool field_set(const cJSON *deal, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(deal, name);
	if (!v || cJSON_IsNull(v))
		return false;
	if (cJSON_IsString(v))
		return *v->valuestring != 0;
	if (cJSON_IsArray(v))
		return cJSON_GetArraySize(v) > 0;
	return true;
}

/* What the gate of stage s misses for deal, or NULL when it passes. */
static char *gate_missing(struct crm *c, long long id, const cJSON *deal, const struct stage_row *s)
{
	struct sbuf b = { 0 };
	if (s->require) {
		char *copy = xstrdup(s->require), *save = NULL;
		for (char *f = strtok_r(copy, ",", &save); f; f = strtok_r(NULL, ",", &save))
			if (!field_set(deal, f)) {
				sbuf_add(&b, b.len ? ", " : "");
				sbuf_add(&b, f);
			}
		free(copy);
	}
	if (s->activity) {
		const char *since = cJSON_GetStringValue(cJSON_GetObjectItem(deal, "stage_entered_at"));
		const char *cur = cJSON_GetStringValue(cJSON_GetObjectItem(deal, "stage"));
		char *at = dialect_instant(c, "at"), *entered = dialect_instant(c, "coalesce(CAST(? AS text), at)");
		char *sql = xasprintf("SELECT 1 FROM activity WHERE entity = ? AND kind = ? AND deleted_at IS NULL "
				      "AND %s >= %s LIMIT 1", at, entered);
		struct db_stmt *st = db_stmt(c, sql);
		free(sql);
		free(at);
		free(entered);
		bool found = false;
		if (st) {
			char *entity = xasprintf("deal:%lld", id);
			db_bind_text(st, 1, entity, -1, DB_TRANSIENT);
			db_bind_text(st, 2, s->activity, -1, DB_TRANSIENT);
			db_bind_text(st, 3, since, -1, DB_TRANSIENT);
			found = db_step(st) == DB_ROW;
			db_reset(st);
			free(entity);
		}
		if (!found)
			sbuf_addf(&b, "%sa %s logged since the deal entered %s", b.len ? " and " : "", s->activity,
				  cur ? cur : "its stage");
	}
	return b.s ? sbuf_detach(&b) : NULL;
}

static int move_write(struct crm *c, long long id, const cJSON *before, const struct stage_row *s,
		      const struct move_opts *m, bool forced)
{
	const struct type *t = type_find(c, "deal");
	const char *pipeline = cJSON_GetStringValue(cJSON_GetObjectItem(before, "pipeline"));
	const char *from = cJSON_GetStringValue(cJSON_GetObjectItem(before, "stage"));
	const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(before, "status"));
	char now[DATE_BUFSZ];
	date_format(date_now(), now);
	int rc = history_insert(c, id, pipeline, from, s->key, now, m->reason, forced);
	if (rc)
		return rc;
	cJSON *ch = cJSON_CreateObject();
	cJSON_AddStringToObject(ch, "stage", s->key);
	cJSON_AddNumberToObject(ch, "probability", s->probability);
	cJSON_AddStringToObject(ch, "stage_entered_at", now);
	const char *newstatus = s->closes ? s->closes : "open";
	if (!status || strcmp(status, newstatus)) {
		cJSON_AddStringToObject(ch, "status", newstatus);
		if (s->closes)
			cJSON_AddStringToObject(ch, "closed_at", now);
		else
			cJSON_AddNullToObject(ch, "closed_at");
	}
	bool lost = s->closes && !strcmp(s->closes, "lost");
	if (lost)
		cJSON_AddStringToObject(ch, "lost_reason", m->reason);
	else if (field_set(before, "lost_reason"))
		cJSON_AddNullToObject(ch, "lost_reason");
	/* one audit row: the fields the move changed, with its reason (a
	 * lost deal's is its lost_reason already) */
	cJSON *extra = cJSON_CreateObject();
	if (m->reason && !lost)
		cJSON_AddStringToObject(extra, "reason", m->reason);
	if (forced)
		cJSON_AddBoolToObject(extra, "forced", true);
	rc = record_update_as(c, t, id, ch, REC_SYSTEM, forced ? "stage_move_forced" : "stage_move", extra);
	cJSON_Delete(extra);
	cJSON_Delete(ch);
	if (rc)
		return rc;
	cJSON *after = record_get(c, t, id, false);
	if (!after)
		return c->errcode;
	struct change moved = { "deal.stage_changed", t, id, before, after, 0 };
	rc = event_publish(c, &moved);
	cJSON_Delete(after);
	return rc;
}

/* What must hold before deal id goes into stage s: a lost deal's reason,
 * the stage's gate (*missing: what it misses, when forced past it), the
 * approval of a big deal (taken, or asked for). */
static int move_checks(struct crm *c, long long id, const cJSON *deal, const struct stage_row *s,
		       const struct move_opts *m, char **missing)
{
	*missing = NULL;
	if (s->closes && !strcmp(s->closes, "lost") && (!m->reason || !*m->reason))
		return m->adding ? crm_error(c, CRM_BADINPUT, "lost_reason: a deal added as %s needs one "
					     "(why was it lost?)", s->key)
				 : crm_error(c, CRM_USAGE, "moving deal:%lld to %s needs --reason (why was it lost?)",
					     id, s->key);
	*missing = gate_missing(c, id, deal, s);
	if (*missing && !m->force)
		return m->adding ? crm_error(c, CRM_CONFLICT, "stage %s needs %s: add the deal without them in "
					     "an earlier stage", s->key, *missing)
				 : crm_error(c, CRM_CONFLICT, "deal:%lld: stage %s needs %s (--force overrides)", id,
					     s->key, *missing);
	if (m->approved || !approval_deal_needed(c, deal, s->key, s->closes))
		return CRM_OK;
	if (m->fresh)
		return crm_error(c, CRM_CONFLICT, "the deal is over the approval amount: it cannot be made in %s "
				 "before it is approved (make it in an earlier stage, 'crm approve deal:ID', then "
				 "'crm stage move')", s->key);
	return approval_deal_take(c, id, deal, s->key);
}

int stage_move(struct crm *c, long long id, const struct move_opts *m)
{
	const struct type *t = type_find(c, "deal");
	struct stage_row s;
	cJSON *deal = record_get(c, t, id, false);
	if (!deal)
		return c->errcode;
	const char *pipeline = cJSON_GetStringValue(cJSON_GetObjectItem(deal, "pipeline"));
	const char *cur = cJSON_GetStringValue(cJSON_GetObjectItem(deal, "stage"));
	int rc = stage_load(c, pipeline ? pipeline : "default", m->stage, &s);
	if (rc) {
		cJSON_Delete(deal);
		return rc;
	}
	char *missing = NULL;
	if (cur && !strcmp(cur, s.key))
		goto cleanup;   /* already there: nothing to record */
	if ((rc = move_checks(c, id, deal, &s, m, &missing)))
		goto cleanup;
	if ((rc = db_exec(c, "SAVEPOINT move")))
		goto cleanup;
	rc = move_write(c, id, deal, &s, m, missing != NULL);
	if (rc)
		db_execute(c, "ROLLBACK TO move; RELEASE move");
	else
		rc = db_exec(c, "RELEASE move");
	if (!rc && missing)
		crm_notice(c, "deal:%lld moved to %s without %s (forced, logged)", id, s.key, missing);
cleanup:
	free(missing);
	stage_row_free(&s);
	cJSON_Delete(deal);
	return rc;
}

char *pipeline_first_stage(struct crm *c, const char *pipeline)
{
	return db_get_text(c, "SELECT s.key FROM stage s JOIN pipeline p ON p.id = s.pipeline_id "
			   "WHERE p.key = ? AND s.closes IS NULL ORDER BY s.position LIMIT 1", pipeline);
}

char *pipeline_won_stage(struct crm *c, const char *pipeline)
{
	return db_get_text(c, "SELECT s.key FROM stage s JOIN pipeline p ON p.id = s.pipeline_id "
			   "WHERE p.key = ? AND s.closes = 'won' ORDER BY s.position LIMIT 1", pipeline);
}

/* ---- the deal type's behaviour (type_ops) ---- */

int pipeline_deal_check(struct crm *c, const struct type *t, const cJSON *fields, bool inserting,
			unsigned flags)
{
	(void)t;
	if (inserting && flags & REC_IMPORT) {
		/* an import's status must agree with its stage (fill checks it),
		 * and a deal closes after it was made */
		const char *made = cJSON_GetStringValue(cJSON_GetObjectItem(fields, "created_at"));
		const char *closed = cJSON_GetStringValue(cJSON_GetObjectItem(fields, "closed_at"));
		time_t tm, tc, now = date_now();
		if (made && closed && !date_parse(made, now, &tm, NULL) && !date_parse(closed, now, &tc, NULL)
		    && tc < tm)
			return crm_error(c, CRM_BADINPUT, "closed_at: %s is before the deal was made (%s)", closed,
					 made);
		return CRM_OK;
	}
	if (!inserting || flags & REC_SYSTEM)
		return CRM_OK;
	const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(fields, "status"));
	if (status && strcmp(status, "open"))
		return crm_error(c, CRM_BADINPUT, "status: a deal is %s by its stage (stage=%s%s), "
				 "not by hand", status, status, strcmp(status, "lost") ? "" : " lost_reason=...");
	return CRM_OK;
}

/* Two stored times compared as instants (their offsets may differ). */
static int time_cmp(const char *a, const char *b)
{
	time_t ta, tb;
	if (date_parse(a, 0, &ta, NULL) || date_parse(b, 0, &tb, NULL))
		return strcmp(a, b);
	return ta < tb ? -1 : ta > tb;
}

int pipeline_deal_fill(struct crm *c, const struct type *t, struct rec *r, unsigned flags)
{
	(void)t;
	(void)flags;
	char now[DATE_BUFSZ];
	date_format(date_now(), now);
	const char *pipeline = rec_get(r, "pipeline");
	if (!db_get_int(c, "SELECT count(*) FROM pipeline WHERE key = ?", pipeline, 0))
		return crm_error(c, CRM_BADINPUT, "pipeline: no pipeline '%s' (see 'crm pipeline list')",
				 pipeline ? pipeline : "");
	/* A deal starts at its pipeline's first stage, with its probability. */
	if (!rec_get(r, "stage")) {
		char *first = pipeline_first_stage(c, pipeline);
		if (!first)
			return crm_error(c, CRM_BADINPUT, "pipeline '%s' has no open stage for a deal to start in "
					 "(crm stage add KEY --pipeline %s)", pipeline, pipeline);
		rec_set(r, "stage", first);
		free(first);
	}
	/* The stage by its key, or by its label (a spreadsheet's 赢单). */
	struct db_stmt *st = db_stmt(c, "SELECT s.probability, s.closes, s.key FROM stage s JOIN pipeline p "
				      "ON p.id = s.pipeline_id WHERE p.key = ?1 AND (s.key = ?2 OR s.label = ?2) "
				      "ORDER BY s.key = ?2 DESC, s.position LIMIT 1");
	if (!st)
		return c->errcode;
	db_bind_text(st, 1, pipeline, -1, DB_TRANSIENT);
	db_bind_text(st, 2, rec_get(r, "stage"), -1, DB_TRANSIENT);
	if (db_step(st) != DB_ROW) {
		db_reset(st);
		return crm_error(c, CRM_BADINPUT, "stage: no stage '%s' in pipeline '%s' (see 'crm stage list')",
				 rec_get(r, "stage"), pipeline);
	}
	rec_set(r, "stage", (const char *)db_column_text(st, 2));
	if (!rec_get(r, "probability")) {
		char prob[24];
		snprintf(prob, sizeof(prob), "%d", db_column_int(st, 0));
		rec_set(r, "probability", prob);
	}
	const char *cl = (const char *)db_column_text(st, 1);
	char *closes = cl ? xstrdup(cl) : NULL;
	db_reset(st);
	int rc = CRM_OK;
	const char *status = rec_get(r, "status");
	const char *closed = rec_get(r, "closed_at");
	if (flags & REC_IMPORT) {
		/* A row brings its status and closing date (an export of
		 * crm's own, a spreadsheet's 成交日期): they must agree with
		 * the stage, and a closing date cannot be ahead of now or
		 * before the deal was made. */
		const char *created = rec_get(r, "created_at");
		if (status && strcmp(status, closes ? closes : "open") && !(closes && !strcmp(status, "open")))
			rc = crm_error(c, CRM_BADINPUT, "status: a deal in stage %s is %s, not %s (its status "
				       "follows the stage)", rec_get(r, "stage"), closes ? closes : "open", status);
		else if (closed && !closes)
			rc = crm_error(c, CRM_BADINPUT, "closed_at: a deal in stage %s is open: only a won or lost "
				       "deal has a closing date", rec_get(r, "stage"));
		else if (closed && time_cmp(closed, now) > 0)
			rc = crm_error(c, CRM_BADINPUT, "closed_at: %s is in the future", closed);
		/* closed before the time of the import, with no created_at
		 * given (check saw to one given): it was made by then */
		else if (closed && created && time_cmp(closed, created) < 0)
			rec_set(r, "created_at", closed);
	}
	/* Added straight into a won/lost stage: it is closed, now or when the
	 * import says. */
	if (!rc && closes) {
		rec_set(r, "status", closes);
		if (!closed)
			rec_set(r, "closed_at", now);
		if (!rec_get(r, "stage_entered_at"))
			rec_set(r, "stage_entered_at", rec_get(r, "closed_at"));
	}
	free(closes);
	if (!rc && !rec_get(r, "stage_entered_at"))
		rec_set(r, "stage_entered_at", now);
	return rc;
}

int pipeline_deal_inserted(struct crm *c, const struct type *t, long long id, const cJSON *deal,
			   unsigned flags)
{
	(void)t;
	/* Its first stage goes into the stage history the funnel reads. */
	const char *pipeline = cJSON_GetStringValue(cJSON_GetObjectItem(deal, "pipeline"));
	const char *stage = cJSON_GetStringValue(cJSON_GetObjectItem(deal, "stage"));
	const char *at = cJSON_GetStringValue(cJSON_GetObjectItem(deal, "stage_entered_at"));
	if (!at)
		at = cJSON_GetStringValue(cJSON_GetObjectItem(deal, "created_at"));
	if (!pipeline || !stage || !at)
		return CRM_OK;
	int rc = history_insert(c, id, pipeline, NULL, stage, at, NULL, false);
	/* A deal added in a later stage than its pipeline's first (its history
	 * starts there) must meet what crm stage move would ask: the gate,
	 * the approval, a lost reason; an imported one too (REC_IMPORT).
	 * Other system writes bring deals in where they already are. */
	if (rc || (flags & REC_SYSTEM && !(flags & REC_IMPORT)))
		return rc;
	char *first = pipeline_first_stage(c, pipeline);
	bool later = !first || strcmp(first, stage);
	free(first);
	if (!later)
		return CRM_OK;
	struct stage_row s;
	if ((rc = stage_load(c, pipeline, stage, &s)))
		return rc;
	struct move_opts m = {
		.stage = stage,
		.reason = cJSON_GetStringValue(cJSON_GetObjectItem(deal, "lost_reason")),
		.adding = true,
		.fresh = true,
	};
	char *missing = NULL;
	rc = move_checks(c, id, deal, &s, &m, &missing);
	free(missing);
	stage_row_free(&s);
	return rc;
}
