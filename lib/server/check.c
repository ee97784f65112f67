/* check.c: crm check on a server (see check.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/dialect.h"
#include "core/open.h"
#include "server/check.h"
#include "server/policy.h"
#include "server/schema.h"

/* A problem of check name, counted. */
static void problem(struct crm *c, const char *name, int *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void problem(struct crm *c, const char *name, int *n, const char *fmt, ...)
{
	char s[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	db_check_line(c, name, s);
	(*n)++;
}

/* A statement that failed is a problem of its check, and the check goes on. */
static void failed(struct crm *c, const char *name, int *n, int rc)
{
	if (!c->errmsg[0])
		crm_dberror(c, rc, name);
	problem(c, name, n, "%s", c->errmsg);
	c->errmsg[0] = 0;
}

/* integrity: every table and column of crm's schema is on the server. */
static int check_tables(struct crm *c, const struct schema *s)
{
	int n = 0;
	for (int i = 0; i < s->n; i++) {
		const struct stable *t = &s->t[i];
		struct db_stmt *st;
		int rc = db_prepare(c, dialect_columns_sql(c), -1, &st, NULL);
		if (rc != DB_OK) {
			failed(c, "integrity", &n, rc);
			continue;
		}
		db_bind_text(st, 1, t->name, -1, DB_TRANSIENT);
		int found = 0;
		bool *have = xcalloc(t->ncols ? t->ncols : 1, sizeof(bool));
		while ((rc = db_step(st)) == DB_ROW) {
			const char *col = (const char *)db_column_text(st, 0);
			found++;
			for (int k = 0; k < t->ncols; k++)
				have[k] = have[k] || (col && !strcmp(col, t->cols[k].name));
		}
		db_finalize(st);
		if (rc != DB_DONE)
			failed(c, "integrity", &n, rc);
		else if (!found)
			problem(c, "integrity", &n, "%s: no such table on the server", t->name);
		else
			for (int k = 0; k < t->ncols; k++)
				if (!have[k])
					problem(c, "integrity", &n, "%s: no column %s on the server", t->name,
						t->cols[k].name);
		free(have);
	}
	return n;
}

/* foreign_keys: rows whose parent row is gone (the server has no foreign
 * keys), as SQLite's foreign_key_check prints them: the table, the row's
 * id (none for a table without), the table referred to, the key's number. */
static int check_orphans(struct crm *c, const struct schema *s)
{
	const struct db_fkeys *f = db_foreign_keys(c);
	int n = 0;
	if (!f) {
		failed(c, "foreign_keys", &n, DB_ERROR);
		return n;
	}
	for (int i = 0; i < f->n; i++) {
		const struct db_fkey *k = &f->k[i];
		const struct stable *t = schema_table(s, k->table);
		if (!t || !schema_table(s, k->parent))
			continue;   /* integrity says it is missing */
		char *sql = xasprintf("SELECT %s FROM \"%s\" AS r WHERE r.\"%s\" IS NOT NULL AND NOT EXISTS "
				      "(SELECT 1 FROM \"%s\" AS p WHERE p.id = r.\"%s\") ORDER BY 1",
				      stable_col(t, "id") ? "r.id" : "NULL", k->table, k->column, k->parent, k->column);
		struct db_stmt *st;
		int rc = db_prepare(c, sql, -1, &st, NULL);
		free(sql);
		if (rc != DB_OK) {
			failed(c, "foreign_keys", &n, rc);
			continue;
		}
		while ((rc = db_step(st)) == DB_ROW) {
			const char *id = (const char *)db_column_text(st, 0);
			problem(c, "foreign_keys", &n, "%s %s %s %d", k->table, id ? id : "", k->parent, k->id);
		}
		db_finalize(st);
		if (rc != DB_DONE)
			failed(c, "foreign_keys", &n, rc);
	}
	return n;
}

/* row_level_security: every table the policies bind has it enabled and
 * forced (its owner bound too). */
static int check_rls(struct crm *c, const struct schema *s)
{
	int n = 0;
	for (int i = 0; i < s->n; i++) {
		const char *name = s->t[i].name;
		if (!policy_secured(c, name))
			continue;
		struct db_stmt *st;
		int rc = db_prepare(c, "SELECT CASE WHEN relrowsecurity THEN 1 ELSE 0 END, "
				       "CASE WHEN relforcerowsecurity THEN 1 ELSE 0 END FROM pg_class "
				       "WHERE oid = to_regclass(quote_ident(current_schema()) || '.' || quote_ident(CAST(? AS text)))",
				    -1, &st, NULL);
		if (rc != DB_OK) {
			failed(c, "row_level_security", &n, rc);
			continue;
		}
		db_bind_text(st, 1, name, -1, DB_TRANSIENT);
		rc = db_step(st);
		if (rc == DB_ROW && !db_column_int(st, 0))
			problem(c, "row_level_security", &n, "%s: row-level security is off", name);
		else if (rc == DB_ROW && !db_column_int(st, 1))
			problem(c, "row_level_security", &n, "%s: row-level security is not forced (its owner reads past it)",
				name);
		else if (rc != DB_ROW && rc != DB_DONE)
			failed(c, "row_level_security", &n, rc);
		db_finalize(st);
	}
	return n;
}

int server_check(struct crm *c)
{
	char *admin = db_get_text(c, policy_admin_sql, NULL);
	c->errmsg[0] = 0;
	if (!admin)
		return crm_error(c, CRM_PERM, "crm check on a server reads every table: connect as an admin "
				 "(%s is not one)", c->db_role ? c->db_role : "this role");
	free(admin);
	sqlite3 *m;
	struct schema s = { 0 };
	int rc = db_schema_memory(c, &m);
	if (!rc) {
		rc = schema_read(c, m, &s);
		sqlite3_close(m);
	}
	if (rc)
		return rc;
	static const struct {
		const char *name;
		int (*run)(struct crm *c, const struct schema *s);
	} checks[] = { { "integrity", check_tables }, { "foreign_keys", check_orphans },
		       { "row_level_security", check_rls } };
	int bad = 0;
	for (size_t i = 0; i < sizeof(checks) / sizeof(*checks); i++) {
		int found = checks[i].run(c, &s);
		if (!found)
			db_check_line(c, checks[i].name, "ok");
		bad += found;
	}
	schema_release(&s);
	if (!bad)
		return CRM_OK;
	char *where = db_url_redact(c->db_path);
	rc = crm_error(c, CRM_DBERR, "server %s is damaged (%d problem%s above)", where, bad, bad == 1 ? "" : "s");
	free(where);
	return rc;
}
