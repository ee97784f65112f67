/* share.c: sharing a record with a user. See share.h. */
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "core/audit.h"
#include "core/db.h"
#include "core/record.h"
#include "io/out.h"
#include "team/scope.h"
#include "team/share.h"
#include "team/state.h"

static void share_print(struct crm *c, const char *type, long long id, const char *with, bool write,
			const char *until, const char *by, const char *at)
{
	char ent[96];
	snprintf(ent, sizeof(ent), "%s:%lld", type, id);
	out_begin(c->out);
	out_str(c->out, "type", "share");
	out_str(c->out, "entity", ent);
	out_str(c->out, "with", with);
	out_bool(c->out, "write", write);
	out_str(c->out, "until", until);
	out_str(c->out, "by", by);
	out_str(c->out, "at", at);
	out_end(c->out);
}

static char *share_json(const char *with, bool write, const char *until)
{
	cJSON *j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "with", with);
	cJSON_AddBoolToObject(j, "write", write);
	if (until)
		cJSON_AddStringToObject(j, "until", until);
	char *s = cJSON_PrintUnformatted(j);
	char *r = xstrdup(s);
	cJSON_free(s);
	cJSON_Delete(j);
	return r;
}

/* The share there is, as JSON text for the audit log, or NULL. */
static char *share_now(struct crm *c, const struct type *t, long long id, const char *with)
{
	struct db_stmt *st = db_stmt(c, "SELECT write, until FROM share WHERE record_type = ? AND record_id = ? "
				      "AND shared_with = ?");
	if (!st)
		return NULL;
	db_bind_text(st, 1, t->name, -1, DB_STATIC);
	db_bind_int64(st, 2, id);
	db_bind_text(st, 3, with, -1, DB_TRANSIENT);
	char *r = NULL;
	if (db_step(st) == DB_ROW)
		r = share_json(with, db_column_int(st, 0), (const char *)db_column_text(st, 1));
	db_reset(st);
	return r;
}

int share_add(struct crm *c, const struct type *t, long long id, const char *with, bool write, const char *until)
{
	if (!record_exists(c, t, id))
		return crm_error(c, CRM_NOTFOUND, "no %s with id %lld", t->name, id);
	int rc = scope_may_share(c, t, id);
	if (rc)
		return rc;
	char *status = NULL;
	bool active = user_id(c, with, &status) && status && !strcmp(status, "active");
	free(status);
	if (!active)
		return crm_error(c, CRM_BADINPUT, "--with: no active user '%s' (crm user list)", with);
	char day[DATE_BUFSZ], today[DATE_BUFSZ], now[DATE_BUFSZ];
	time_t tnow = date_now(), tu;
	date_format_day(tnow, today);
	date_format(tnow, now);
	if (until) {
		if (date_parse(until, tnow, &tu, NULL) != 0)
			return crm_error(c, CRM_BADINPUT, "--until: '%s' is not a date", until);
		date_format_day(tu, day);
		if (strcmp(day, today) < 0)
			return crm_error(c, CRM_BADINPUT, "--until: %s has passed", day);
	}
	char *before = share_now(c, t, id, with);
	struct db_stmt *st = db_stmt(c, "INSERT INTO share(record_type, record_id, shared_with, write, until, by, "
				      "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
				      "ON CONFLICT (record_type, record_id, shared_with) DO UPDATE SET "
				      "write = excluded.write, until = excluded.until, by = excluded.by, "
				      "created_at = excluded.created_at");
	if (!st) {
		free(before);
		return c->errcode;
	}
	db_bind_text(st, 1, t->name, -1, DB_STATIC);
	db_bind_int64(st, 2, id);
	db_bind_text(st, 3, with, -1, DB_TRANSIENT);
	db_bind_int(st, 4, write);
	if (until)
		db_bind_text(st, 5, day, -1, DB_TRANSIENT);
	else
		db_bind_null(st, 5);
	db_bind_text(st, 6, c->user, -1, DB_TRANSIENT);
	db_bind_text(st, 7, now, -1, DB_TRANSIENT);
	int src = db_step(st);
	db_reset(st);
	if (src != DB_DONE) {
		free(before);
		return crm_dberror(c, src, "share");
	}
	char *ent = xasprintf("%s:%lld", t->name, id);
	char *after = share_json(with, write, until ? day : NULL);
	rc = audit_log(c, ent, "share", before, after);
	free(ent);
	free(after);
	free(before);
	team_forget(c);
	if (!rc)
		share_print(c, t->name, id, with, write, until ? day : NULL, c->user, now);
	return rc;
}

int share_rm(struct crm *c, const struct type *t, long long id, const char *with)
{
	const struct actor *a = team_actor(c);
	/* the one it was shared with may give it up */
	int rc = a->user && with && !strcmp(a->user, with) ? CRM_OK : scope_may_share(c, t, id);
	if (rc)
		return rc;
	char *before = share_now(c, t, id, with);
	if (!before)
		return crm_error(c, CRM_NOTFOUND, "%s:%lld is not shared with %s", t->name, id, with);
	struct db_stmt *st = db_stmt(c, "DELETE FROM share WHERE record_type = ? AND record_id = ? AND shared_with = ?");
	if (!st) {
		free(before);
		return c->errcode;
	}
	db_bind_text(st, 1, t->name, -1, DB_STATIC);
	db_bind_int64(st, 2, id);
	db_bind_text(st, 3, with, -1, DB_TRANSIENT);
	int src = db_step(st);
	db_reset(st);
	if (src != DB_DONE) {
		free(before);
		return crm_dberror(c, src, "share");
	}
	char *ent = xasprintf("%s:%lld", t->name, id);
	rc = audit_log(c, ent, "unshare", before, NULL);
	free(before);
	team_forget(c);
	if (!rc) {
		out_begin(c->out);
		out_str(c->out, "type", "share");
		out_str(c->out, "entity", ent);
		out_str(c->out, "with", with);
		out_bool(c->out, "removed", true);
		out_end(c->out);
	}
	free(ent);
	return rc;
}

int share_list(struct crm *c, const struct type *t, long long id, const char *with)
{
	const struct actor *a = team_actor(c);
	bool all = !a->active || actor_is(a, "admin");
	char today[DATE_BUFSZ];
	date_format_day(date_now(), today);
	struct db_stmt *st = db_stmt(c, "SELECT record_type, record_id, shared_with, write, until, by, created_at "
				      "FROM share WHERE (CAST(?1 AS TEXT) IS NULL OR (record_type = ?1 AND record_id = ?2)) "
				      "AND (CAST(?3 AS TEXT) IS NULL OR shared_with = ?3) AND (until IS NULL OR until >= ?4) "
				      "AND (?5 = 1 OR by = ?6 OR shared_with = ?6) ORDER BY record_type, record_id, shared_with");
	if (!st)
		return c->errcode;
	if (t)
		db_bind_text(st, 1, t->name, -1, DB_STATIC);
	db_bind_int64(st, 2, id);
	db_bind_text(st, 3, with, -1, DB_TRANSIENT);
	db_bind_text(st, 4, today, -1, DB_TRANSIENT);
	db_bind_int(st, 5, all);
	db_bind_text(st, 6, a->user, -1, DB_TRANSIENT);
	static const char *const cols[] = { "entity", "with", "write", "until", "by" };
	out_columns(c->out, cols, 5);
	long n = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		share_print(c, (const char *)db_column_text(st, 0), db_column_int64(st, 1),
			    (const char *)db_column_text(st, 2), db_column_int(st, 3),
			    (const char *)db_column_text(st, 4), (const char *)db_column_text(st, 5),
			    (const char *)db_column_text(st, 6));
		n++;
	}
	db_reset(st);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "share");
	return n ? CRM_OK : CRM_NOTFOUND;
}
