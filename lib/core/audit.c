/* audit.c: the audit log writer. */
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "io/out.h"
#include "base/date.h"
#include "core/db.h"

int audit_log(struct crm *c, const char *entity, const char *action,
	      const char *before, const char *after)
{
	char now[DATE_BUFSZ];
	sqlite3_stmt *st = db_stmt(c, "INSERT INTO audit(at, user, command, entity, action, before, after, run) "
				      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");  /* JSON text from cJSON */
	if (!st)
		return c->errcode;
	date_format(date_now(), now);
	sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, c->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->cmdline, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, entity, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, before, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, after, -1, SQLITE_STATIC);
	if (c->audit_run)
		sqlite3_bind_int64(st, 8, c->audit_run);
	else
		sqlite3_bind_null(st, 8);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		return crm_dberror(c, rc, "audit log");
	return CRM_OK;
}

int audit_list(struct crm *c, const struct audit_filter *f)
{
	struct sbuf sql = { 0 };
	const char *params[5];
	char since[DATE_BUFSZ], *like = NULL;
	int np = 0;
	sbuf_add(&sql, "SELECT id, at, user, command, entity, action, before, after FROM audit WHERE 1");
	if (f->user) {
		sbuf_add(&sql, " AND user = ?");
		params[np++] = f->user;
	}
	if (f->since) {
		time_t t, now = date_now();
		long long secs;
		if (date_parse(f->since, now, &t, NULL) != 0) {
			if (duration_parse(f->since, &secs) != 0) {
				sbuf_release(&sql);
				return crm_error(c, CRM_USAGE, "--since: '%s' is not a time or a span", f->since);
			}
			t = now - secs;
		}
		sbuf_add(&sql, " AND julianday(at) >= julianday(?)");
		params[np++] = date_format(t, since);
	}
	if (f->entity) {
		if (strchr(f->entity, ':')) {
			sbuf_add(&sql, " AND entity = ?");
			params[np++] = f->entity;
		} else {
			/* "lead": every lead's; "score", "track": those runs' own entries */
			like = xasprintf("%s:%%", f->entity);
			sbuf_add(&sql, " AND (entity LIKE ? OR entity = ?)");
			params[np++] = like;
			params[np++] = f->entity;
		}
	}
	sbuf_addf(&sql, " ORDER BY id %s", f->oldest_first ? "ASC" : "DESC");
	if (f->limit > 0)
		sbuf_addf(&sql, " LIMIT %lld", f->limit);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(c->db, sql.s, -1, &st, NULL);
	sbuf_release(&sql);
	if (rc != SQLITE_OK) {
		free(like);
		return crm_dberror(c, rc, "audit log");
	}
	for (int i = 0; i < np; i++)
		sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_TRANSIENT);
	free(like);
	long n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out_begin(c->out);
		out_str(c->out, "type", "log");
		out_int(c->out, "id", sqlite3_column_int64(st, 0));
		for (int i = 1; i < 6; i++)
			out_str(c->out, sqlite3_column_name(st, i), (const char *)sqlite3_column_text(st, i));
		out_json_text(c->out, "before", (const char *)sqlite3_column_text(st, 6));
		out_json_text(c->out, "after", (const char *)sqlite3_column_text(st, 7));
		out_end(c->out);
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return crm_dberror(c, rc, "audit log");
	return n ? CRM_OK : CRM_NOTFOUND;
}
