/* audit.c: the audit log writer. */
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "io/out.h"
#include "base/date.h"
#include "core/db.h"
#include "core/dialect.h"
#include "core/mask.h"
#include "core/module.h"
#include "core/type.h"

int audit_log(struct crm *c, const char *entity, const char *action,
	      const char *before, const char *after)
{
	char now[DATE_BUFSZ];
	struct db_stmt *st = db_stmt(c, "INSERT INTO audit(at, \"user\", command, entity, action, before, after, run) "
				      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");  /* JSON text from cJSON */
	if (!st)
		return c->errcode;
	date_format(date_now(), now);
	db_bind_text(st, 1, now, -1, DB_TRANSIENT);
	db_bind_text(st, 2, c->user, -1, DB_STATIC);
	db_bind_text(st, 3, c->cmdline, -1, DB_STATIC);
	db_bind_text(st, 4, entity, -1, DB_STATIC);
	db_bind_text(st, 5, action, -1, DB_STATIC);
	db_bind_text(st, 6, before, -1, DB_STATIC);
	db_bind_text(st, 7, after, -1, DB_STATIC);
	if (c->audit_run)
		db_bind_int64(st, 8, c->audit_run);
	else
		db_bind_null(st, 8);
	int rc = db_step(st);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "audit log");
	return CRM_OK;
}

/* An entry's before and after, masked as the acting user may see them
 * when they are a record's values (mask.h). */
static void print_values(struct crm *c, const char *entity, const char *before, const char *after)
{
	const char *colon = entity ? strchr(entity, ':') : NULL;
	char *tn = colon ? xstrndup(entity, (size_t)(colon - entity)) : NULL;
	const struct type *t = tn ? type_find(c, tn) : NULL;
	free(tn);
	if (!t || !mask_any(c, t)) {
		out_json_text(c->out, "before", before);
		out_json_text(c->out, "after", after);
		return;
	}
	char *owner = NULL;
	if (type_field(t, "owner")) {
		char *sql = xasprintf("SELECT owner FROM \"%s\" WHERE id = CAST(? AS INTEGER)", t->name);
		owner = db_get_text(c, sql, colon + 1);
		free(sql);
		c->errmsg[0] = 0;
	}
	const char *vals[2] = { before, after }, *keys[2] = { "before", "after" };
	for (int i = 0; i < 2; i++) {
		cJSON *j = vals[i] ? cJSON_Parse(vals[i]) : NULL;
		if (!j) {
			out_json_text(c->out, keys[i], vals[i]);
			continue;
		}
		mask_json(c, t, j, owner);
		out_json(c->out, keys[i], j);
		cJSON_Delete(j);
	}
	free(owner);
}

/* The command line of an entry, with the values of the record that the
 * acting user may not see masked in it (a phone typed into an update). */
static char *masked_command(struct crm *c, const char *entity, const char *command, const char *before,
			    const char *after)
{
	const char *colon = entity ? strchr(entity, ':') : NULL;
	char *tn = colon ? xstrndup(entity, (size_t)(colon - entity)) : NULL;
	const struct type *t = tn ? type_find(c, tn) : NULL;
	free(tn);
	if (!command || !t || !mask_any(c, t))
		return command ? xstrdup(command) : NULL;
	char *s = xstrdup(command);
	const char *vals[2] = { before, after };
	for (int i = 0; i < 2; i++) {
		cJSON *j = vals[i] ? cJSON_Parse(vals[i]) : NULL;
		if (cJSON_IsObject(j)) {
			char *m = mask_in_text(c, t, j, s);
			free(s);
			s = m;
		}
		cJSON_Delete(j);
	}
	return s;
}

int audit_list(struct crm *c, const struct audit_filter *f)
{
	struct sbuf sql = { 0 };
	const char *params[5];
	char since[DATE_BUFSZ], *like = NULL;
	int np = 0;
	sbuf_add(&sql, "SELECT id, at, \"user\", command, entity, action, before, after FROM audit WHERE 1 = 1");
	if (f->user) {
		sbuf_add(&sql, " AND \"user\" = ?");
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
		char *a = dialect_instant(c, "at"), *b = dialect_instant(c, "?");
		sbuf_addf(&sql, " AND %s >= %s", a, b);
		free(a);
		free(b);
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
	/* the changes of records the acting user may not see stay out */
	for (int i = 0; type_at(c, i); i++) {
		const struct type *t = type_at(c, i);
		char *scope = module_scope(c, t, "r", false);
		if (!scope)
			continue;
		sbuf_addf(&sql, " AND (NOT (entity > '%s:' AND entity < '%s;') OR CAST(substr(entity, %d) AS INTEGER) "
			  "IN (SELECT r.id FROM \"%s\" AS r WHERE %s))", t->name, t->name, (int)strlen(t->name) + 2,
			  t->name, scope);
		free(scope);
	}
	sbuf_addf(&sql, " ORDER BY id %s", f->oldest_first ? "ASC" : "DESC");
	if (f->limit > 0)
		sbuf_addf(&sql, " LIMIT %lld", f->limit);
	struct db_stmt *st;
	int rc = db_prepare(c, sql.s, -1, &st, NULL);
	sbuf_release(&sql);
	if (rc != DB_OK) {
		free(like);
		return crm_dberror(c, rc, "audit log");
	}
	for (int i = 0; i < np; i++)
		db_bind_text(st, i + 1, params[i], -1, DB_TRANSIENT);
	free(like);
	long n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		out_begin(c->out);
		out_str(c->out, "type", "log");
		out_int(c->out, "id", db_column_int64(st, 0));
		const char *cols[8];
		for (int i = 1; i < 8; i++)
			cols[i] = (const char *)db_column_text(st, i);
		char *cmd = masked_command(c, cols[4], cols[3], cols[6], cols[7]);
		for (int i = 1; i < 6; i++)
			out_str(c->out, db_column_name(st, i), i == 3 ? cmd : cols[i]);
		free(cmd);
		print_values(c, cols[4], cols[6], cols[7]);
		out_end(c->out);
		n++;
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "audit log");
	return n ? CRM_OK : CRM_NOTFOUND;
}
