/* handover.c: a user leaves, their records go on. See handover.h. */
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "core/audit.h"
#include "core/db.h"
#include "core/record.h"
#include "io/out.h"
#include "team/handover.h"
#include "team/pool.h"
#include "team/state.h"

/* What happened (an activity: about a record, with no status of its
 * own) stays with who did it. */
static bool history_type(const struct type *t)
{
	return type_field_flagged(t, FF_ABOUT) && !type_field(t, "status");
}

/* Work that can be finished (a task, a ticket) moves while it is not. */
static const char *unfinished(const struct type *t)
{
	const struct field *st = type_field(t, "status");
	if (!st || !st->choices)
		return "";
	if (strstr(st->choices, "done") || strstr(st->choices, "closed") || strstr(st->choices, "resolved"))
		return " AND coalesce(status, '') NOT IN ('done', 'closed', 'resolved')";
	return "";
}

static int move_type(struct crm *c, const struct type *t, const char *name, const char *to, bool pool,
		     long long *count)
{
	char *sql = xasprintf("SELECT id FROM \"%s\" WHERE owner = ? AND deleted_at IS NULL%s ORDER BY id",
			      t->name, unfinished(t));
	struct db_stmt *st;
	int rc = db_prepare(c, sql, -1, &st, NULL);
	free(sql);
	if (rc != DB_OK)
		return crm_dberror(c, rc, t->name);
	db_bind_text(st, 1, name, -1, DB_TRANSIENT);
	long long *ids;
	int n;
	if ((rc = db_ids(c, st, &ids, &n)))
		return rc;
	cJSON *extra = cJSON_CreateObject();
	cJSON_AddStringToObject(extra, "from", name);
	char *why = pool ? xasprintf("%s left: to the pool", name) : xasprintf("%s left: to %s", name, to);
	cJSON_AddStringToObject(extra, "reason", why);
	free(why);
	for (int i = 0; i < n && !rc; i++) {
		cJSON *before = pool ? record_get(c, t, ids[i], false) : NULL;
		cJSON *ch = cJSON_CreateObject();
		if (pool) {
			cJSON_AddNullToObject(ch, "owner");
			cJSON_AddStringToObject(ch, "previous_owner", name);
		} else {
			cJSON_AddStringToObject(ch, "owner", to);
		}
		rc = record_update_as(c, t, ids[i], ch, REC_SYSTEM, "handover", extra);
		if (!rc && pool)
			rc = record_announce(c, t, ids[i], "pool.released", before);
		cJSON_Delete(ch);
		cJSON_Delete(before);
	}
	cJSON_Delete(extra);
	free(ids);
	*count = n;
	return rc;
}

static void summary(struct crm *c, const struct type *t, long long n, const char *name, const char *to, bool pool)
{
	out_begin(c->out);
	out_str(c->out, "type", "handover");
	out_str(c->out, "record_type", t->name);
	out_int(c->out, "count", n);
	out_str(c->out, "from", name);
	if (pool)
		out_bool(c->out, "to_pool", true);
	else
		out_str(c->out, "to", to);
	out_end(c->out);
}

/* What was shared with the user ends with them. */
static int end_shares(struct crm *c, const char *name)
{
	struct db_stmt *st;
	int rc = db_prepare(c, "SELECT record_type || ':' || record_id, write, until FROM share "
				    "WHERE shared_with = ? ORDER BY id", -1, &st, NULL);
	if (rc != DB_OK)
		return crm_dberror(c, rc, "share");
	db_bind_text(st, 1, name, -1, DB_TRANSIENT);
	rc = CRM_OK;
	while (!rc && db_step(st) == DB_ROW) {
		cJSON *j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "with", name);
		cJSON_AddBoolToObject(j, "write", db_column_int(st, 1));
		if (db_column_type(st, 2) != DB_NULL)
			cJSON_AddStringToObject(j, "until", (const char *)db_column_text(st, 2));
		char *b = cJSON_PrintUnformatted(j);
		rc = audit_log(c, (const char *)db_column_text(st, 0), "unshare", b, NULL);
		cJSON_free(b);
		cJSON_Delete(j);
	}
	db_finalize(st);
	if (rc)
		return rc;
	st = db_stmt(c, "DELETE FROM share WHERE shared_with = ?");
	if (!st)
		return c->errcode;
	db_bind_text(st, 1, name, -1, DB_TRANSIENT);
	int src = db_step(st);
	db_reset(st);
	return src == DB_DONE ? CRM_OK : crm_dberror(c, src, "share");
}

static int handover(struct crm *c, const char *name, long long uid, const char *to, bool to_pool, const char *mgr)
{
	const struct type *tu = type_find(c, "user");
	int rc = CRM_OK;
	/* the summaries go out at the end: all moved, or none */
	struct line {
		const struct type *t;
		long long n;
		const char *to;
		bool pool;
	} lines[64];
	int nl = 0;
	for (int i = 0; type_at(c, i) && !rc; i++) {
		const struct type *t = type_at(c, i);
		if (t == tu || !type_field(t, "owner") || history_type(t))
			continue;
		bool pool = to_pool && type_pooled(t);
		const char *dest = pool ? NULL : to_pool ? mgr : to;
		long long n = 0;
		if (!pool && !dest) {
			/* nobody to take what is not pooled: fine when there is none */
			char *sql = xasprintf("SELECT count(*) FROM \"%s\" WHERE owner = ? AND deleted_at IS NULL%s",
					      t->name, unfinished(t));
			n = db_get_int(c, sql, name, 0);
			free(sql);
			if (n)
				rc = crm_error(c, CRM_CONFLICT, "%s has no manager to take their %s (%lld): give --to USER",
					       name, t->plural, n);
		} else {
			rc = move_type(c, t, name, dest, pool, &n);
		}
		if (!rc && nl < 64)
			lines[nl++] = (struct line){ t, n, dest, pool };
	}
	if (!rc)
		rc = end_shares(c, name);
	if (!rc) {
		char now[DATE_BUFSZ];
		date_format(date_now(), now);
		cJSON *ch = cJSON_CreateObject(), *extra = cJSON_CreateObject();
		cJSON_AddStringToObject(ch, "status", "left");
		cJSON_AddStringToObject(ch, "left_at", now);
		if (to_pool)
			cJSON_AddBoolToObject(extra, "to_pool", true);
		else
			cJSON_AddStringToObject(extra, "to", to);
		rc = record_update_as(c, tu, uid, ch, REC_SYSTEM, "leave", extra);
		cJSON_Delete(ch);
		cJSON_Delete(extra);
		team_forget(c);
	}
	/* a line per type of record that moved (types nobody had stay quiet:
	 * there are many once cash and service are in) */
	long long moved = 0;
	for (int i = 0; i < nl && !rc; i++)
		if (lines[i].n) {
			summary(c, lines[i].t, lines[i].n, name, lines[i].to, lines[i].pool);
			moved += lines[i].n;
		}
	if (!rc && !moved)
		crm_notice(c, "%s owned nothing to hand over", name);
	return rc;
}

int team_handover(struct crm *c, const char *name, const char *to, bool to_pool)
{
	if (!!to == to_pool)
		return crm_error(c, CRM_USAGE, "give --to USER or --to-pool (one of them)");
	char *status = NULL;
	long long uid = user_id(c, name, &status);
	int rc = CRM_OK;
	if (!uid)
		rc = crm_error(c, CRM_NOTFOUND, "no user named '%s' (crm user list)", name);
	else if (strcmp(status, "active"))
		rc = crm_error(c, CRM_CONFLICT, "%s has left already", name);
	free(status);
	if (rc)
		return rc;
	if (to) {
		char *ts = NULL;
		bool ok = user_id(c, to, &ts) && ts && !strcmp(ts, "active");
		free(ts);
		if (!ok)
			return crm_error(c, CRM_BADINPUT, "--to: no active user '%s'", to);
		if (!strcmp(to, name))
			return crm_error(c, CRM_BADINPUT, "--to: %s cannot hand over to themselves", name);
	}
	char *mgr = NULL;
	if (to_pool) {
		mgr = db_get_text(c, "SELECT manager FROM \"user\" WHERE name = ? AND deleted_at IS NULL", name);
		char *ms = NULL;
		if (mgr && !(user_id(c, mgr, &ms) && ms && !strcmp(ms, "active"))) {
			free(mgr);
			mgr = NULL;
		}
		free(ms);
	}
	/* one transaction, whatever the pipes: all of it moves or none */
	c->atomic = true;
	c->system++;
	rc = db_savepoint(c);
	if (!rc) {
		rc = handover(c, name, uid, to, to_pool, mgr);
		if (rc) {
			char msg[sizeof(c->errmsg)];
			memcpy(msg, c->errmsg, sizeof(msg));
			db_rollback_to(c);
			memcpy(c->errmsg, msg, sizeof(msg));
			c->rollback = true;
		} else {
			rc = db_release(c);
		}
	}
	c->system--;
	free(mgr);
	return rc;
}
