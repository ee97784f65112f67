/* schema.c: crm's tables by introspection (see schema.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cash/price.h"
#include "server/pg.h"
#include "server/schema.h"

/* SQLite's affinity rules (datatype3.html, 3.1), in their order. */
enum col_kind col_kind_of_sqlite(const char *decl)
{
	char up[64];
	size_t n = 0;
	for (const char *p = decl ? decl : ""; *p && n + 1 < sizeof(up); p++)
		up[n++] = (char)toupper((unsigned char)*p);
	up[n] = 0;
	if (strstr(up, "INT"))
		return COL_INT;
	if (strstr(up, "CHAR") || strstr(up, "CLOB") || strstr(up, "TEXT"))
		return COL_TEXT;
	if (!*up || strstr(up, "BLOB"))
		return COL_BLOB;
	if (strstr(up, "REAL") || strstr(up, "FLOA") || strstr(up, "DOUB"))
		return COL_REAL;
	return COL_NUM;
}

const char *col_pg_type(enum col_kind k)
{
	static const char *const names[] = { "bigint", "double precision", "numeric", "text", "bytea" };
	return names[k];
}

const char *col_sqlite_type(enum col_kind k)
{
	static const char *const names[] = { "INTEGER", "REAL", "NUMERIC", "TEXT", "BLOB" };
	return names[k];
}

enum col_kind col_kind_of_pg(const char *type)
{
	if (!strcmp(type, "bigint") || !strcmp(type, "integer") || !strcmp(type, "smallint"))
		return COL_INT;
	if (!strcmp(type, "double precision") || !strcmp(type, "real"))
		return COL_REAL;
	if (!strncmp(type, "numeric", 7))
		return COL_NUM;
	if (!strcmp(type, "bytea"))
		return COL_BLOB;
	return COL_TEXT;
}

/* A default we can say the same way on both sides: a number or a quoted
 * string. */
static bool literal_default(const char *d)
{
	if (!d || !*d)
		return false;
	if (d[0] == '\'')
		return d[strlen(d) - 1] == '\'';
	char *end;
	strtod(d, &end);
	return *end == 0;
}

static int prepare(struct crm *c, sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
	int rc = sqlite3_prepare_v2(db, sql, -1, st, NULL);
	if (rc != SQLITE_OK)
		return crm_error(c, CRM_DBERR, "reading the schema: %s", sqlite3_errmsg(db));
	return CRM_OK;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	return s ? s : "";
}

static int read_columns(struct crm *c, sqlite3 *db, struct stable *t)
{
	sqlite3_stmt *st;
	int rc = prepare(c, db, "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?)", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_TRANSIENT);
	int npk = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		t->cols = xrealloc(t->cols, (t->ncols + 1) * sizeof(*t->cols));
		struct scol *k = &t->cols[t->ncols++];
		k->name = xstrdup(col_text(st, 0));
		k->kind = col_kind_of_sqlite(col_text(st, 1));
		k->notnull = sqlite3_column_int(st, 2) != 0;
		k->dflt = literal_default(col_text(st, 3)) ? xstrdup(col_text(st, 3)) : NULL;
		k->pk = sqlite3_column_int(st, 4);
		if (k->pk)
			npk++;
		if (k->pk && !strcasecmp(col_text(st, 1), "INTEGER"))
			t->identity = true;
	}
	rc = sqlite3_finalize(st);
	if (rc != SQLITE_OK)
		return crm_error(c, CRM_DBERR, "reading the columns of %s: %s", t->name, sqlite3_errmsg(db));
	t->identity = t->identity && npk == 1 && t->rowid;
	return CRM_OK;
}

/* One index: its key columns, or false when it is not a plain one (an
 * expression, a collation other than SQLite's binary). */
static bool read_index(sqlite3 *db, const char *name, struct sindex *x)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT cid, name, coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno",
			       -1, &st, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	bool plain = true;
	while (plain && sqlite3_step(st) == SQLITE_ROW) {
		if (sqlite3_column_int(st, 0) < 0 || strcmp(col_text(st, 2), "BINARY")) {
			plain = false;
			break;
		}
		x->cols = xrealloc(x->cols, (x->ncols + 1) * sizeof(char *));
		x->cols[x->ncols++] = xstrdup(col_text(st, 1));
	}
	sqlite3_finalize(st);
	return plain && x->ncols > 0;
}

static void index_release(struct sindex *x)
{
	for (int i = 0; i < x->ncols; i++)
		free(x->cols[i]);
	free(x->cols);
	free(x->name);
}

static int read_indexes(struct crm *c, sqlite3 *db, struct stable *t)
{
	sqlite3_stmt *st;
	int rc = prepare(c, db, "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?) ORDER BY name", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *origin = col_text(st, 2);
		if (!strcmp(origin, "pk") || sqlite3_column_int(st, 3))
			continue;   /* the key is the table's; partial indexes are not taken */
		struct sindex x = { 0 };
		x.unique = sqlite3_column_int(st, 1) != 0;
		x.name = strcmp(origin, "u") ? xstrdup(col_text(st, 0)) : NULL;
		if (!read_index(db, col_text(st, 0), &x)) {
			index_release(&x);
			continue;
		}
		t->idx = xrealloc(t->idx, (t->nidx + 1) * sizeof(*t->idx));
		t->idx[t->nidx++] = x;
	}
	sqlite3_finalize(st);
	return CRM_OK;
}

int schema_read(struct crm *c, sqlite3 *db, struct schema *s)
{
	memset(s, 0, sizeof(*s));
	sqlite3_stmt *st;
	/* type 'table' leaves out views, virtual tables and their shadow tables */
	int rc = prepare(c, db, "SELECT l.name, m.sql FROM pragma_table_list AS l JOIN sqlite_schema AS m "
			 "ON m.name = l.name AND m.type = 'table' WHERE l.schema = 'main' AND l.type = 'table' "
			 "AND l.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY l.name", &st);
	if (rc)
		return rc;
	while (rc == CRM_OK && sqlite3_step(st) == SQLITE_ROW) {
		s->t = xrealloc(s->t, (s->n + 1) * sizeof(*s->t));
		struct stable *t = &s->t[s->n++];
		memset(t, 0, sizeof(*t));
		t->name = xstrdup(col_text(st, 0));
		t->rowid = !strcasestr(col_text(st, 1), "WITHOUT ROWID");
		rc = read_columns(c, db, t);
		if (!rc)
			rc = read_indexes(c, db, t);
	}
	sqlite3_finalize(st);
	if (rc)
		schema_release(s);
	return rc;
}

void stable_release(struct stable *t)
{
	for (int i = 0; i < t->ncols; i++) {
		free(t->cols[i].name);
		free(t->cols[i].dflt);
	}
	for (int i = 0; i < t->nidx; i++)
		index_release(&t->idx[i]);
	free(t->cols);
	free(t->idx);
	free(t->name);
}

void schema_release(struct schema *s)
{
	for (int i = 0; i < s->n; i++)
		stable_release(&s->t[i]);
	free(s->t);
	memset(s, 0, sizeof(*s));
}

const struct stable *schema_table(const struct schema *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->t[i].name, name))
			return &s->t[i];
	return NULL;
}

const struct scol *stable_col(const struct stable *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i].name, name))
			return &t->cols[i];
	return NULL;
}

const char *stable_identity(const struct stable *t)
{
	for (int i = 0; t->identity && i < t->ncols; i++)
		if (t->cols[i].pk)
			return t->cols[i].name;
	return NULL;
}

static void add_ident(PGconn *conn, struct sbuf *b, const char *name)
{
	char *q = pg_ident(conn, name);
	sbuf_add(b, q);
	free(q);
}

static void add_col_list(PGconn *conn, struct sbuf *b, char **cols, int n)
{
	for (int i = 0; i < n; i++) {
		sbuf_add(b, i ? ", " : "");
		add_ident(conn, b, cols[i]);
	}
}

/* A default is never pasted into the server's DDL as SQLite spelled it:
 * its text, quoted again. */
char *sql_unquote(const char *q)
{
	size_t n = strlen(q);
	if (n < 2 || q[0] != '\'' || q[n - 1] != '\'')
		return NULL;
	struct sbuf b = { 0 };
	for (size_t i = 1; i + 1 < n; i++) {
		if (q[i] == '\'' && q[i + 1] != '\'') {
			sbuf_release(&b);
			return NULL;   /* a quote that ends the literal early */
		}
		sbuf_addc(&b, q[i]);
		if (q[i] == '\'')
			i++;
	}
	char *text = sbuf_detach(&b);
	return text ? text : xstrdup("");   /* '' */
}

static void column_ddl(PGconn *conn, const struct stable *t, const struct scol *k, struct sbuf *b)
{
	add_ident(conn, b, k->name);
	sbuf_addf(b, " %s", col_pg_type(k->kind));
	if (k->pk && t->identity) {
		sbuf_add(b, " GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
		return;
	}
	if (k->notnull || k->pk)
		sbuf_add(b, " NOT NULL");
	if (k->dflt && k->dflt[0] != '\'') {
		sbuf_addf(b, " DEFAULT %s", k->dflt);   /* a number: literal_default read it whole */
	} else if (k->dflt) {
		char *text = sql_unquote(k->dflt);
		if (text) {
			char *lit = pg_literal(conn, text);
			sbuf_addf(b, " DEFAULT %s", lit);
			free(lit);
		}
		free(text);
	}
}

void stable_pg_ddl(PGconn *conn, const struct stable *t, struct sbuf *b)
{
	sbuf_add(b, "CREATE TABLE ");
	add_ident(conn, b, t->name);
	sbuf_add(b, " (");
	char *pk[16];
	int npk = 0;
	for (int i = 0; i < t->ncols; i++) {
		sbuf_add(b, i ? ", " : "");
		column_ddl(conn, t, &t->cols[i], b);
		if (t->cols[i].pk && t->cols[i].pk <= 16 && !t->identity) {
			pk[t->cols[i].pk - 1] = t->cols[i].name;
			npk = npk > t->cols[i].pk ? npk : t->cols[i].pk;
		}
	}
	if (npk) {
		sbuf_add(b, ", PRIMARY KEY (");
		add_col_list(conn, b, pk, npk);
		sbuf_add(b, ")");
	}
	for (int i = 0; i < t->nidx; i++)
		if (!t->idx[i].name) {
			sbuf_add(b, ", UNIQUE (");
			add_col_list(conn, b, t->idx[i].cols, t->idx[i].ncols);
			sbuf_add(b, ")");
		}
	sbuf_add(b, ");\n");
	for (int i = 0; i < t->nidx; i++) {
		const struct sindex *x = &t->idx[i];
		if (!x->name)
			continue;
		sbuf_addf(b, "CREATE %sINDEX ", x->unique ? "UNIQUE " : "");
		add_ident(conn, b, x->name);
		sbuf_add(b, " ON ");
		add_ident(conn, b, t->name);
		sbuf_add(b, " (");
		add_col_list(conn, b, x->cols, x->ncols);
		sbuf_add(b, ");\n");
	}
}

/* crm_now(): the clock crm writes with, pinned as crm pins it (CRM_NOW:
 * the opener sets crm.now for the session). days_since(t): whole and
 * fractional days from t to now, NULL for NULL or a non-time.
 * crm_mask(v, kind): a value as one who may not see it sees it (a phone
 * keeps its first 3 and last 4 characters, an email two characters and
 * its domain, anything else is ***), as mask_text does. julianday(t):
 * SQLite's, for the times crm writes and the ones a --where names (a
 * day, a time with or without its offset: without one it is UTC, as in
 * SQLite; 'now' the real clock, as SQLite's, not crm's pinned one), NULL
 * for anything else (crm_instant(t) reads t so, as a timestamptz);
 * unixepoch(t): SQLite's, its whole seconds since 1970 (the agenda's
 * spans). cash_line(...): a quote line's amounts, which
 * cash/price.c gives SQLite in C. group_concat(v [, sep]): SQLite's
 * aggregate of that name, the values as text (NULLs left out) joined by
 * sep (a comma without one) in the order they come, NULL for none;
 * static SQL both sides run calls it (a ticket's pauses), and crm sql's
 * queries may. sum(boolean): the trues counted, NULL when
 * there are none but NULLs, as SQLite's sum over a comparison (its 1 and
 * 0), which the reports count with. json_each(list): the values of a
 * JSON array as text, in a column named value, as SQLite's over a list
 * of names (a team's members). crm_config(key [, default]): a
 * setting of the server's config table, as the scoring rules read one
 * (a file's reads the configuration file too, config_get).
 * instr(haystack, needle): SQLite's, which the default scoring rules
 * call. */
void schema_pg_functions(struct sbuf *b)
{
	sbuf_addf(b, "%s;\n", price_line_pg_function);
	sbuf_add(b, "CREATE FUNCTION crm_concat_step(s text, v text, sep text) RETURNS text LANGUAGE sql IMMUTABLE "
		 "AS $crm$ SELECT CASE WHEN v IS NULL THEN s WHEN s IS NULL THEN v ELSE s || sep || v END $crm$;\n"
		 "CREATE AGGREGATE group_concat(text, text) (SFUNC = crm_concat_step, STYPE = text);\n"
		 "CREATE FUNCTION crm_concat_any(s text, v anyelement) RETURNS text LANGUAGE sql IMMUTABLE "
		 "AS $crm$ SELECT CASE WHEN v IS NULL THEN s WHEN s IS NULL THEN CAST(v AS text) "
		 "ELSE s || ',' || CAST(v AS text) END $crm$;\n"
		 "CREATE AGGREGATE group_concat(anyelement) (SFUNC = crm_concat_any, STYPE = text);\n"
		 "CREATE FUNCTION crm_count_step(s bigint, v boolean) RETURNS bigint LANGUAGE sql IMMUTABLE "
		 "AS $crm$ SELECT CASE WHEN v IS NULL THEN s ELSE coalesce(s, 0) + CAST(v AS integer) END $crm$;\n"
		 "CREATE AGGREGATE sum(boolean) (SFUNC = crm_count_step, STYPE = bigint);\n"
		 "CREATE FUNCTION json_each(j text) RETURNS TABLE(value text) LANGUAGE sql IMMUTABLE AS $crm$ "
		 "SELECT json_array_elements_text(CAST(nullif(j, '') AS json)) $crm$;\n");
	sbuf_add(b, "CREATE FUNCTION crm_now() RETURNS text LANGUAGE sql STABLE AS $crm$ "
		 "SELECT coalesce(nullif(current_setting('crm.now', true), ''), "
		 "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"')) $crm$;\n"
		 "CREATE FUNCTION days_since(t text) RETURNS double precision LANGUAGE plpgsql STABLE AS $crm$ "
		 "BEGIN RETURN extract(epoch FROM CAST(crm_now() AS timestamptz) - CAST(t AS timestamptz)) / 86400.0; "
		 "EXCEPTION WHEN others THEN RETURN NULL; END $crm$;\n"

		 "CREATE FUNCTION crm_mask(v anyelement, kind text) RETURNS text LANGUAGE sql IMMUTABLE AS $crm$ "
		 "SELECT CASE WHEN v IS NULL THEN NULL "
		 "WHEN kind = 'phone' AND octet_length(v::text) >= 8 THEN "
		 "left(v::text, 3) || repeat('*', length(v::text) - 7) || right(v::text, 4) "
		 "WHEN kind = 'email' AND position('@' in v::text) > 0 THEN "
		 "left(v::text, least(position('@' in v::text) - 1, 2)) || '***' || substr(v::text, position('@' in v::text)) "
		 "ELSE '***' END $crm$;\n"
		 "CREATE FUNCTION crm_instant(t text) RETURNS timestamptz LANGUAGE plpgsql STABLE AS $crm$ "
		 "DECLARE s text := t; "
		 "BEGIN IF s = 'now' THEN RETURN now(); END IF; "
		 "IF s !~ '(Z|[+-][0-9][0-9](:?[0-9][0-9])?)$' OR s ~ '^[0-9]{4}-[0-9][0-9]-[0-9][0-9]$' "
		 "THEN s := s || '+00'; END IF; "
		 "RETURN CAST(s AS timestamptz); "
		 "EXCEPTION WHEN others THEN RETURN NULL; END $crm$;\n"
		 "CREATE FUNCTION julianday(t text) RETURNS double precision LANGUAGE sql STABLE AS $crm$ "
		 "SELECT CAST(extract(epoch FROM crm_instant(t)) / 86400.0 + 2440587.5 AS double precision) $crm$;\n"
		 "CREATE FUNCTION unixepoch(t text) RETURNS bigint LANGUAGE sql STABLE AS $crm$ "
		 "SELECT CAST(floor(extract(epoch FROM crm_instant(t))) AS bigint) $crm$;\n"
		 "CREATE FUNCTION crm_config(k text, dflt text DEFAULT NULL) RETURNS text LANGUAGE sql STABLE AS $crm$ "
		 "SELECT coalesce((SELECT value FROM config WHERE key = k), dflt) $crm$;\n"
		 "CREATE FUNCTION instr(haystack text, needle text) RETURNS integer LANGUAGE sql IMMUTABLE AS $crm$ "
		 "SELECT strpos(haystack, needle) $crm$;\n");
}

int schema_read_pg(struct crm *c, PGconn *conn, struct stable *t)
{
	PGresult *r;
	const char *params[1] = { t->name };
	int rc = pg_query(c, conn, "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute AS a "
			  "WHERE a.attrelid = to_regclass(quote_ident($1)) AND a.attnum > 0 AND NOT a.attisdropped "
			  "ORDER BY a.attnum", 1, params, &r, "reading the server's columns");
	if (rc)
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		t->cols = xrealloc(t->cols, (t->ncols + 1) * sizeof(*t->cols));
		struct scol *k = &t->cols[t->ncols++];
		memset(k, 0, sizeof(*k));
		k->name = xstrdup(PQgetvalue(r, i, 0));
		k->kind = col_kind_of_pg(PQgetvalue(r, i, 1));
	}
	PQclear(r);
	return t->ncols ? CRM_OK : CRM_NOTFOUND;
}
