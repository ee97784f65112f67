/* field.c: custom fields. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "base/date.h"
#include "core/db.h"
#include "core/dialect.h"
#include "data/field.h"
#include "io/out.h"
#include "base/text.h"

static int list_where(struct crm *c, const char *tn, const char *name);

static const char *const kinds[] = { "text", "number", "money", "date", "enum", NULL };

bool field_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (!n || n > 64 || !(islower((unsigned char)name[0]) || name[0] == '_'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)name[i]) || isdigit((unsigned char)name[i]) || name[i] == '_'))
			return false;
	return true;
}

static bool kind_ok(const char *kind)
{
	for (int i = 0; kinds[i]; i++)
		if (!strcmp(kinds[i], kind))
			return true;
	return false;
}

/* "a, b,,c" -> "a,b,c"; NULL when no value is left. */
static char *choices_clean(const char *in)
{
	struct sbuf b = { 0 };
	char *copy = xstrdup(in), *save = NULL;
	for (char *tok = strtok_r(copy, ",，", &save); tok; tok = strtok_r(NULL, ",，", &save)) {
		char *v = text_trim(tok);
		if (*v) {
			if (b.len)
				sbuf_addc(&b, ',');
			sbuf_add(&b, v);
		}
		free(v);
	}
	free(copy);
	return b.s ? sbuf_detach(&b) : NULL;
}

static const char *column_type(const char *kind)
{
	if (!strcmp(kind, "number"))
		return "NUMERIC";
	if (!strcmp(kind, "money"))
		return "INTEGER";
	return "TEXT";
}

static int field_audit(struct crm *c, const char *tn, const char *name, const char *before,
		       const char *after)
{
	char *entity = xasprintf("field:%s.%s", tn, name);
	int rc = audit_log(c, entity, after ? "insert" : "delete", before, after);
	free(entity);
	return rc;
}

static char *field_json(const char *kind, const char *choices, bool required, bool negative)
{
	cJSON *j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "kind", kind);
	if (choices)
		cJSON_AddStringToObject(j, "values", choices);
	if (required)
		cJSON_AddBoolToObject(j, "required", true);
	if (negative)
		cJSON_AddBoolToObject(j, "negative", true);
	char *p = cJSON_PrintUnformatted(j), *s = xstrdup(p);
	cJSON_free(p);
	cJSON_Delete(j);
	return s;
}

static void types_reload(struct crm *c)
{
	types_free(c);
	types_load(c);
}

/* --sensitive: printed masked to all but an admin and the record's owner
 * (the team model's masking, core/mask.h). */
static int mark_sensitive(struct crm *c, const char *tn, const char *name)
{
	struct db_stmt *st = db_stmt(c, "UPDATE field SET sensitive = 1 WHERE type = ? AND name = ?");
	if (!st)
		return c->errcode;
	db_bind_text(st, 1, tn, -1, DB_TRANSIENT);
	db_bind_text(st, 2, name, -1, DB_TRANSIENT);
	int rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "field");
	char *entity = xasprintf("field:%s.%s", tn, name);
	rc = audit_log(c, entity, "update", "{\"sensitive\":false}", "{\"sensitive\":true}");
	free(entity);
	types_reload(c);
	return rc;
}

static int create(struct crm *c, const char *tn, const char *name, const char *kind,
		  const char *choices, bool required, bool negative);

int field_add(struct crm *c, const char *tn, const char *name, const char *kind,
	      const char *choices, bool required, bool negative, bool sensitive)
{
	int rc = create(c, tn, name, kind, choices, required, negative);
	const struct type *t = rc ? NULL : type_find(c, tn);
	if (!rc && sensitive) {
		char *tname = xstrdup(t->name);
		rc = mark_sensitive(c, tname, name);
		t = type_find(c, tname);
		free(tname);
		if (rc)
			c->rollback = true;
	}
	return rc ? rc : list_where(c, t->name, name);
}

int field_set_label(struct crm *c, const char *tn, const char *name, const char *label)
{
	struct db_stmt *st = db_stmt(c, "UPDATE field SET label = ? WHERE type = ? AND name = ?");
	if (!st)
		return c->errcode;
	db_bind_text(st, 1, label, -1, DB_TRANSIENT);
	db_bind_text(st, 2, tn, -1, DB_TRANSIENT);
	db_bind_text(st, 3, name, -1, DB_TRANSIENT);
	int rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "field");
}

int field_create(struct crm *c, const char *tn, const char *name, const char *kind,
		 const char *choices, bool required)
{
	return create(c, tn, name, kind, choices, required, false);
}

static int create(struct crm *c, const char *tn, const char *name, const char *kind,
		  const char *choices, bool required, bool negative)
{
	const struct type *t = type_get(c, tn);
	if (!t)
		return c->errcode;
	/* tasks, activities and events are made by commands that take no
	 * fields of one's own (a required one would stop them all) */
	if (strcmp(t->name, "lead") && strcmp(t->name, "account") && strcmp(t->name, "contact")
	    && strcmp(t->name, "deal"))
		return crm_error(c, CRM_USAGE, "custom fields are for leads, accounts, contacts and deals, "
				 "not %ss", t->name);
	if (!field_name_ok(name))
		return crm_error(c, CRM_USAGE, "'%s' is not a field name (lower-case letters, digits, _)", name);
	if (!kind_ok(kind))
		return crm_error(c, CRM_USAGE, "--kind: '%s' is not one of text, number, money, date, enum", kind);
	if (type_field(t, name) || !strcmp(name, "type") || !strcmp(name, "deleted_at"))
		return crm_error(c, CRM_CONFLICT, "%s already has a field '%s'", t->name, name);
	char *vals = choices ? choices_clean(choices) : NULL;
	int rc = CRM_OK;
	if (!strcmp(kind, "enum") && !vals) {
		rc = crm_error(c, CRM_USAGE, "an enum field needs --values a,b,c");
		goto cleanup;
	}
	if (strcmp(kind, "enum") && vals) {
		rc = crm_error(c, CRM_USAGE, "--values is for enum fields only");
		goto cleanup;
	}
	if (strcmp(kind, "money") && negative) {
		rc = crm_error(c, CRM_USAGE, "--negative is for money fields only");
		goto cleanup;
	}
	char *sql = dialect_field_column(c, t->name, name, column_type(kind));
	rc = db_exec(c, sql);
	free(sql);
	if (rc)
		goto cleanup;
	char now[DATE_BUFSZ];
	date_format(date_now(), now);
	struct db_stmt *st = db_stmt(c, "INSERT INTO field(type, name, kind, choices, required, created_at, negative) "
				      "VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (!st) {
		rc = c->errcode;
		goto cleanup;
	}
	db_bind_text(st, 1, t->name, -1, DB_TRANSIENT);
	db_bind_text(st, 2, name, -1, DB_TRANSIENT);
	db_bind_text(st, 3, kind, -1, DB_TRANSIENT);
	if (vals)
		db_bind_text(st, 4, vals, -1, DB_TRANSIENT);
	else
		db_bind_null(st, 4);
	db_bind_int(st, 5, required);
	db_bind_text(st, 6, now, -1, DB_TRANSIENT);
	db_bind_int(st, 7, negative);
	int src = db_step(st);
	db_reset(st);
	if (src != DB_DONE) {
		rc = crm_dberror(c, src, "field");
		goto cleanup;
	}
	char *after = field_json(kind, vals, required, negative);
	char *tname = xstrdup(t->name);
	rc = field_audit(c, tname, name, NULL, after);
	free(after);
	types_reload(c);
	free(tname);
cleanup:
	free(vals);
	if (rc)
		c->rollback = true;   /* the column must not stay without its row */
	return rc;
}

int field_remove(struct crm *c, const char *tn, const char *name)
{
	const struct type *t = type_get(c, tn);
	if (!t)
		return c->errcode;
	const struct field *f = type_field(t, name);
	if (!f)
		return crm_error(c, CRM_NOTFOUND, "%s has no field '%s'", t->name, name);
	if (!(f->flags & FF_CUSTOM))
		return crm_error(c, CRM_USAGE, "'%s' is a built-in field of %s and cannot be removed", name, t->name);
	char *tname = xstrdup(t->name), *fname = xstrdup(name);
	int rc = CRM_OK;
	struct db_stmt *st = db_stmt(c, "SELECT kind, choices, required, negative FROM field WHERE type = ? AND name = ?");
	char *before = NULL;
	if (!st) {
		rc = c->errcode;
		goto cleanup;
	}
	db_bind_text(st, 1, tname, -1, DB_TRANSIENT);
	db_bind_text(st, 2, fname, -1, DB_TRANSIENT);
	if (db_step(st) == DB_ROW)
		before = field_json((const char *)db_column_text(st, 0),
				    (const char *)db_column_text(st, 1), db_column_int(st, 2),
				    db_column_int(st, 3));
	db_reset(st);
	char *sql = dialect_field_column(c, tname, fname, NULL);
	rc = db_exec(c, sql);
	free(sql);
	if (rc)
		goto cleanup;
	st = db_stmt(c, "DELETE FROM field WHERE type = ? AND name = ?");
	if (!st) {
		rc = c->errcode;
		goto cleanup;
	}
	db_bind_text(st, 1, tname, -1, DB_TRANSIENT);
	db_bind_text(st, 2, fname, -1, DB_TRANSIENT);
	int src = db_step(st);
	db_reset(st);
	if (src != DB_DONE) {
		rc = crm_dberror(c, src, "field");
		goto cleanup;
	}
	rc = field_audit(c, tname, fname, before, NULL);
	types_reload(c);
	if (!rc) {
		out_begin(c->out);
		out_str(c->out, "type", "field");
		out_str(c->out, "record_type", tname);
		out_str(c->out, "name", fname);
		out_bool(c->out, "removed", true);
		out_end(c->out);
	}
cleanup:
	if (rc)
		c->rollback = true;
	free(before);
	free(tname);
	free(fname);
	return rc;
}

static int list_where(struct crm *c, const char *tn, const char *name)
{
	struct db_stmt *st = db_stmt(c, "SELECT type, name, kind, choices, required, created_at, negative, sensitive FROM field "
				      "WHERE (CAST(?1 AS TEXT) IS NULL OR type = ?1) AND (CAST(?2 AS TEXT) IS NULL OR name = ?2) "
				      "ORDER BY type, created_at, name");
	if (!st)
		return c->errcode;
	if (tn)
		db_bind_text(st, 1, tn, -1, DB_TRANSIENT);
	if (name)
		db_bind_text(st, 2, name, -1, DB_TRANSIENT);
	static const char *const cols[] = { "record_type", "name", "kind", "values", "required" };
	out_columns(c->out, cols, 5);
	int n = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct out *o = c->out;
		out_begin(o);
		out_str(o, "type", "field");
		out_str(o, "record_type", (const char *)db_column_text(st, 0));
		out_str(o, "name", (const char *)db_column_text(st, 1));
		out_str(o, "kind", (const char *)db_column_text(st, 2));
		if (db_column_type(st, 3) != DB_NULL)
			out_str(o, "values", (const char *)db_column_text(st, 3));
		out_bool(o, "required", db_column_int(st, 4));
		if (db_column_int(st, 6))
			out_bool(o, "negative", true);
		if (db_column_int(st, 7))
			out_bool(o, "sensitive", true);
		out_str(o, "created_at", (const char *)db_column_text(st, 5));
		out_end(o);
		n++;
	}
	db_reset(st);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "field");
	return n ? CRM_OK : CRM_NOTFOUND;
}

int field_list(struct crm *c, const char *tn)
{
	if (tn) {
		const struct type *t = type_get(c, tn);
		if (!t)
			return c->errcode;
		tn = t->name;
	}
	return list_where(c, tn, NULL);
}
