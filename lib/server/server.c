/* server.c: crm server init, user add and migrate (see server.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/date.h"
#include "core/bulk.h"
#include "core/db.h"
#include "core/open.h"
#include "core/search.h"
#include "core/type.h"
#include "io/fs.h"
#include "io/out.h"
#include "server/copy.h"
#include "server/pg.h"
#include "server/policy.h"
#include "server/schema.h"
#include "server/server.h"
#include "service/ticket.h"
#include "team/pool.h"
#include "team/user.h"

const struct module server_module = {
	.name = "server",
};

/* The table that says a database is a crm server, and of which schema. */
#define MARK_TABLE "crm_schema"

/* ---- the SQLite side: c's own handle, put back as it was after ---- */

struct sqlite_side {
	char *saved_path;   /* c->db_path before */
	char *dir;          /* a temporary directory of ours, or NULL */
	char *path;         /* the file we made (removed on failure), or NULL */
};

static void side_enter(struct crm *c, struct sqlite_side *s)
{
	memset(s, 0, sizeof(*s));
	db_close(c);   /* crm shell may hold another database open */
	types_free(c);
	s->saved_path = c->db_path;
	c->db_path = NULL;
}

static void remove_db_files(const char *path)
{
	const char *ext[] = { "", "-wal", "-shm", "-journal" };
	for (int i = 0; i < 4; i++) {
		char *f = xasprintf("%s%s", path, ext[i]);
		unlink(f);
		free(f);
	}
}

/* failed: the file we made is removed, as if never begun */
static void side_leave(struct crm *c, struct sqlite_side *s, bool failed)
{
	db_close(c);
	types_free(c);
	if (s->path && (failed || s->dir))
		remove_db_files(s->path);
	if (s->dir)
		rmdir(s->dir);
	free(s->dir);
	free(s->path);
	free(c->db_path);
	c->db_path = s->saved_path;
}

/* Make a new database at path with crm's migrations (0600). */
static int side_create(struct crm *c, struct sqlite_side *s, const char *path)
{
	c->db_path = xstrdup(path);
	bool quiet = c->quiet;
	c->quiet = true;
	int rc = db_create(c);
	c->quiet = quiet;
	if (rc != CRM_CONFLICT)
		s->path = xstrdup(path);
	return rc;
}

/* A fresh database in a temporary directory: what crm init makes. */
static int side_fresh(struct crm *c, struct sqlite_side *s)
{
	const char *tmp = getenv("TMPDIR");
	s->dir = xasprintf("%s/crm-server-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(s->dir)) {
		int rc = crm_error(c, CRM_DBERR, "cannot make a temporary directory in %s: %s",
				   tmp && *tmp ? tmp : "/tmp", strerror(errno));
		free(s->dir);
		s->dir = NULL;
		return rc;
	}
	char *path = xasprintf("%s/fresh.db", s->dir);
	int rc = side_create(c, s, path);
	free(path);
	return rc;
}

/* ---- the server's state ---- */

/* Which of s's tables the server has: 0 none, else how many; *marked:
 * whether it is a crm server (MARK_TABLE). */
static int server_tables(struct crm *c, PGconn *conn, const struct schema *s, int *n, bool *marked)
{
	struct sbuf arr = { 0 };
	sbuf_add(&arr, "{\"" MARK_TABLE "\"");
	for (int i = 0; i < s->n; i++) {
		sbuf_add(&arr, ",\"");
		for (const char *p = s->t[i].name; *p; p++) {   /* an array element, quoted */
			if (*p == '"' || *p == '\\')
				sbuf_addc(&arr, '\\');
			sbuf_addc(&arr, *p);
		}
		sbuf_addc(&arr, '"');
	}
	sbuf_add(&arr, "}");
	const char *params[1] = { arr.s };
	PGresult *r;
	int rc = pg_query(c, conn, "SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace "
			  "AND relkind IN ('r', 'p') AND relname = ANY ($1::text[])", 1, params, &r,
			  "reading the server's tables");
	sbuf_release(&arr);
	if (rc)
		return rc;
	*n = 0;
	*marked = false;
	for (int i = 0; i < PQntuples(r); i++) {
		if (!strcmp(PQgetvalue(r, i, 0), MARK_TABLE))
			*marked = true;
		else
			(*n)++;
	}
	PQclear(r);
	return CRM_OK;
}

static int check_version(struct crm *c, PGconn *conn)
{
	int rc;
	char *v = pg_get_text(c, conn, "SELECT max(version) FROM " MARK_TABLE, NULL, &rc);
	if (rc)
		return rc;
	int ver = v ? atoi(v) : 0;
	free(v);
	if (ver != db_schema_version())
		return crm_error(c, CRM_DBERR, "the server has crm schema v%d and this crm v%d: one of them is to be "
				 "brought up to date first", ver, db_schema_version());
	return CRM_OK;
}

/* pg_trgm, for search, when the server has it (else searching scans) */
static int add_trigram(struct crm *c, PGconn *conn, bool *have)
{
	int rc;
	char *v = pg_get_text(c, conn, "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'", NULL, &rc);
	*have = v != NULL;
	free(v);
	if (rc || !*have)
		return rc;
	rc = pg_exec(c, conn, "SAVEPOINT trgm", "pg_trgm");
	if (!rc && pg_exec(c, conn, "CREATE EXTENSION IF NOT EXISTS pg_trgm", "pg_trgm") != CRM_OK) {
		crm_notice(c, "%s (search will scan)", c->errmsg);
		c->errmsg[0] = 0;
		*have = false;
		return pg_exec(c, conn, "ROLLBACK TO SAVEPOINT trgm", "pg_trgm");
	}
	return rc ? rc : pg_exec(c, conn, "RELEASE SAVEPOINT trgm", "pg_trgm");
}

struct built {
	int tables, groups, policies;
	bool trigram;
};

/* The tables of s, the mark, the roles and the policies, on a server
 * that has none of them (in the caller's transaction). */
static int build(struct crm *c, PGconn *conn, const struct schema *s, struct built *b)
{
	struct sbuf ddl = { 0 };
	for (int i = 0; i < s->n; i++)
		stable_pg_ddl(conn, &s->t[i], &ddl);
	char stamp[DATE_BUFSZ];
	date_format(date_now(), stamp);
	sbuf_addf(&ddl, "CREATE TABLE " MARK_TABLE " (version bigint NOT NULL, made_at text NOT NULL);\n"
		  "INSERT INTO " MARK_TABLE " VALUES (%d, '%s');\n", db_schema_version(), stamp);
	schema_pg_functions(&ddl);
	ticket_pg_functions(&ddl);
	pool_pg_triggers(&ddl);
	int rc = pg_exec(c, conn, ddl.s, "making the tables");
	sbuf_release(&ddl);
	b->tables = s->n;
	if (!rc)
		rc = policy_groups(c, conn, &b->groups);
	if (!rc)
		rc = add_trigram(c, conn, &b->trigram);
	if (!rc && b->trigram) {   /* what crm search reads, found through its trigrams */
		struct sbuf idx = { 0 };
		search_pg_indexes(c, &idx);
		if (idx.s)
			rc = pg_exec(c, conn, idx.s, "making the search indexes");
		sbuf_release(&idx);
	}
	if (!rc)
		rc = policy_apply(c, conn, s, &b->policies);
	if (!rc)
		rc = pg_exec(c, conn, "GRANT SELECT ON " MARK_TABLE " TO crm_admin, crm_manager, crm_rep, crm_finance, "
			     "crm_service, crm_legal", "making the tables");
	return rc;
}

/* Identities past the largest id copied. */
static int identities_past(struct crm *c, PGconn *conn, const struct stable *t)
{
	const char *key = stable_identity(t);
	if (!key)
		return CRM_OK;
	char *q = pg_ident(conn, t->name), *k = pg_ident(conn, key);
	char *sql = xasprintf("SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(max(%s), 0) + 1, false) "
			      "FROM %s", k, q);
	const char *params[2] = { q, key };
	int rc = pg_query(c, conn, sql, 2, params, NULL, "setting the identity past the ids copied");
	free(sql);
	free(k);
	free(q);
	return rc;
}

/* Set or clear FORCE ROW LEVEL SECURITY on table. */
static int force_rls(struct crm *c, PGconn *conn, const char *table, bool on)
{
	char *q = pg_ident(conn, table);
	char *sql = xasprintf("ALTER TABLE %s %sFORCE ROW LEVEL SECURITY", q, on ? "" : "NO ");
	int rc = pg_exec(c, conn, sql, "copying into the tables");
	free(sql);
	free(q);
	if (rc == CRM_PERM || (rc && strstr(c->errmsg, "must be owner")))
		rc = crm_error(c, CRM_PERM, "only the owner of the server's tables (whoever ran crm server init) "
			       "may copy into them: %s is forced to row-level security", table);
	return rc;
}

/* Copy the rows of t into the server: COPY FROM refuses a table under
 * row-level security, so its owner copies with the security not forced
 * on itself, and forces it again, in the same transaction (nobody else
 * ever sees the table without it). */
static int copy_in(struct crm *c, PGconn *conn, const struct stable *t, long long total, long long *n)
{
	int rc;
	const char *params[1] = { t->name };
	char *forced = pg_get_text(c, conn, "SELECT 1 FROM pg_class WHERE oid = to_regclass(quote_ident($1)) "
				   "AND relforcerowsecurity", params[0], &rc);
	if (!rc && forced)
		rc = force_rls(c, conn, t->name, false);
	if (!rc)
		rc = copy_to_pg(c, c->db, conn, t, total, n);
	if (!rc && forced)
		rc = force_rls(c, conn, t->name, true);
	if (!rc)
		rc = identities_past(c, conn, t);
	free(forced);
	return rc;
}

/* Whether the connected role may read everything: crm migrate from the
 * server (and crm backup there, what) copies all of it, not what a rep
 * sees. */
static int require_admin(struct crm *c, PGconn *conn, const char *what)
{
	int rc;
	char *v = pg_get_text(c, conn, policy_admin_sql, NULL, &rc);
	bool ok = v != NULL;
	free(v);
	if (rc || ok)
		return rc;
	return crm_error(c, CRM_PERM, "%s copies everything: connect as an admin (a member of crm_admin)", what);
}

/* ---- crm server init ---- */

static int copy_all_to_pg(struct crm *c, PGconn *conn, const struct schema *s, long long *counts)
{
	int rc = CRM_OK;
	for (int i = 0; !rc && i < s->n; i++)
		rc = copy_in(c, conn, &s->t[i], -1, &counts[i]);
	return rc;
}

static void print_init(struct crm *c, PGconn *conn, const struct built *b)
{
	out_begin(c->out);
	out_str(c->out, "type", "server");
	out_str(c->out, "database", PQdb(conn));
	out_int(c->out, "schema_version", db_schema_version());
	out_int(c->out, "tables", b->tables);
	out_int(c->out, "roles_made", b->groups);
	out_int(c->out, "policies", b->policies);
	out_bool(c->out, "pg_trgm", b->trigram);
	out_end(c->out);
}

static int init_on(struct crm *c, PGconn *conn, const struct schema *s)
{
	int n;
	bool marked;
	int rc = server_tables(c, conn, s, &n, &marked);
	if (rc)
		return rc;
	if (marked || n)
		return crm_error(c, CRM_CONFLICT, "database %s %s: crm server init makes a new one (crm migrate "
				 "copies a file into it)", PQdb(conn),
				 marked ? "is a crm server already" : "has tables of crm's names");
	struct built b = { 0 };
	long long *counts = xcalloc(s->n, sizeof(long long));
	rc = build(c, conn, s, &b);
	if (!rc)
		rc = copy_all_to_pg(c, conn, s, counts);   /* the default pipeline, settings, ... */
	free(counts);
	if (!rc)
		rc = pg_exec(c, conn, "COMMIT", "committing");
	if (!rc)
		print_init(c, conn, &b);
	return rc;
}

int server_init(struct crm *c, const char *url)
{
	struct sqlite_side side;
	side_enter(c, &side);
	PGconn *conn = NULL;
	struct schema s = { 0 };
	int rc = side_fresh(c, &side);
	/* every record table says where a record came from (a file adds the
	 * columns at a type's first import; a role on a server may not) */
	for (int i = 0; !rc && type_at(c, i); i++)
		rc = bulk_origin_columns(c, type_at(c, i));
	if (!rc)
		rc = schema_read(c, c->db, &s);
	if (!rc)
		rc = pg_connect(c, url, &conn);
	if (!rc)
		rc = pg_exec(c, conn, "BEGIN", "beginning");
	if (!rc)
		rc = init_on(c, conn, &s);
	schema_release(&s);
	pg_close(conn);   /* an open transaction is rolled back */
	side_leave(c, &side, rc != CRM_OK);
	return rc;
}

/* ---- crm server user add ---- */

static int user_count(struct crm *c, PGconn *conn, const char *where, const char *param, long long *n)
{
	char *sql = xasprintf("SELECT count(*) FROM \"user\" WHERE deleted_at IS NULL%s", where);
	int rc;
	char *v = pg_get_text(c, conn, sql, param, &rc);
	*n = v ? strtoll(v, NULL, 10) : 0;
	free(v);
	free(sql);
	return rc;
}

static int user_check(struct crm *c, PGconn *conn, const struct server_user *u)
{
	long long all, same, mgr = 1;
	int rc = user_count(c, conn, "", NULL, &all);
	if (!rc)
		rc = user_count(c, conn, " AND name = $1", u->name, &same);
	if (!rc && u->manager)
		rc = user_count(c, conn, " AND name = $1 AND status = 'active'", u->manager, &mgr);
	if (rc)
		return rc;
	if (same)
		return crm_error(c, CRM_CONFLICT, "there is a user %s already", u->name);
	if (!all && strcmp(u->role, "admin"))
		return crm_error(c, CRM_USAGE, "the first user must be an admin (--role admin): once users exist, "
				 "settings and users are the admin's");
	if (!mgr)
		return crm_error(c, CRM_BADINPUT, "manager: no active user '%s'", u->manager);
	return CRM_OK;
}

/* The user's row and its entry in the audit log, as crm user add
 * writes them on a file. */
static int user_insert(struct crm *c, PGconn *conn, const struct server_user *u)
{
	char stamp[DATE_BUFSZ];
	date_format(date_now(), stamp);
	const char *params[7] = { u->name, u->label, u->role, u->team, u->manager, stamp, c->cmdline };
	PGresult *r;
	int rc = pg_query(c, conn, "INSERT INTO \"user\" (name, label, role, team, manager, status, created_at, "
			  "updated_at) VALUES ($1, $2, $3, $4, $5, 'active', $6, $6) RETURNING id", 6, params, &r,
			  "adding the user");
	if (rc)
		return rc;
	char *id = xstrdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	const char *aparams[8] = { stamp, c->cmdline, id, u->name, u->label, u->role, u->team, u->manager };
	rc = pg_query(c, conn, "INSERT INTO audit (at, \"user\", command, entity, action, after) VALUES ($1::text, "
		      "current_user, $2, 'user:' || $3::text, 'insert', json_strip_nulls(json_build_object('type', 'user', "
		      "'id', $3::bigint, 'name', $4::text, 'label', $5::text, 'role', $6::text, 'team', $7::text, "
		      "'manager', $8::text, 'status', 'active', 'created_at', $1::text, 'updated_at', $1::text))::text)",
		      8, aparams, NULL, "writing the audit log");
	free(id);
	return rc;
}

static void print_user(struct crm *c, const struct server_user *u, bool made)
{
	out_begin(c->out);
	out_str(c->out, "type", "user");
	out_str(c->out, "name", u->name);
	out_str(c->out, "label", u->label);
	out_str(c->out, "role", u->role);
	out_str(c->out, "team", u->team);
	out_str(c->out, "manager", u->manager);
	out_str(c->out, "status", "active");
	out_str(c->out, "login_role", u->name);
	out_bool(c->out, "login_role_made", made);
	out_bool(c->out, "password", u->password != NULL);
	out_end(c->out);
}

static int user_add_on(struct crm *c, PGconn *conn, const struct server_user *u)
{
	int n;
	bool marked, made = false;
	struct schema none = { 0 };
	int rc = server_tables(c, conn, &none, &n, &marked);
	if (!rc && !marked)
		rc = crm_error(c, CRM_DBERR, "database %s is not a crm server (crm server init URL makes it one)",
			       PQdb(conn));
	if (!rc)
		rc = check_version(c, conn);
	if (!rc)
		rc = user_check(c, conn, u);
	if (!rc)
		rc = user_insert(c, conn, u);
	if (!rc)
		rc = policy_login(c, conn, u->name, u->role, u->password, &made);
	if (!rc)
		rc = pg_exec(c, conn, "COMMIT", "committing");
	if (!rc)
		print_user(c, u, made);
	return rc;
}

int server_user_add(struct crm *c, const char *url, const struct server_user *u)
{
	if (!user_name_ok(u->name))
		return crm_error(c, CRM_BADINPUT, "name: '%s' is not a user name (no spaces, commas, colons or quotes)",
				 u->name);
	if (!policy_role_known(u->role))
		return crm_error(c, CRM_BADINPUT, "role: '%s' is not one of admin,manager,rep,finance,service,legal",
				 u->role);
	if (u->manager && !strcmp(u->manager, u->name))
		return crm_error(c, CRM_BADINPUT, "manager: %s cannot be their own manager", u->name);
	PGconn *conn;
	int rc = pg_connect(c, url, &conn);
	if (rc)
		return rc;
	rc = pg_exec(c, conn, "BEGIN", "beginning");
	if (!rc)
		rc = user_add_on(c, conn, u);
	pg_close(conn);
	return rc;
}

/* ---- crm migrate ---- */

struct tally {
	long long *source, *target;
	int n;
};

static void print_tally(struct crm *c, const struct schema *s, const struct tally *t)
{
	for (int i = 0; i < t->n; i++) {
		out_begin(c->out);
		out_str(c->out, "type", "migrate");
		out_str(c->out, "table", s->t[i].name);
		out_int(c->out, "source", t->source[i]);
		out_int(c->out, "target", t->target[i]);
		out_bool(c->out, "ok", t->source[i] == t->target[i]);
		out_end(c->out);
	}
}

static int tally_check(struct crm *c, const struct schema *s, const struct tally *t)
{
	int bad = 0;
	for (int i = 0; i < t->n; i++)
		bad += t->source[i] != t->target[i];
	if (!bad)
		return CRM_OK;
	for (int i = 0; i < t->n; i++)
		if (t->source[i] != t->target[i])
			return crm_error(c, CRM_DBERR, "the counts differ in %d table%s (%s: %lld copied from %lld): "
					 "nothing was written", bad, bad > 1 ? "s" : "", s->t[i].name,
					 t->target[i], t->source[i]);
	return CRM_OK;
}

/* Whether the server holds anything beyond what a new crm database
 * does: users, records or audit entries (the tables are cleared and
 * written whole). */
static int pg_empty(struct crm *c, PGconn *conn, const struct schema *s)
{
	for (int i = 0; i < s->n; i++) {
		const char *name = s->t[i].name;
		const struct type *t = type_find(c, name);
		if (!(t && !strcmp(t->name, name)) && strcmp(name, "audit"))
			continue;
		long long n;
		int rc = count_pg(c, conn, name, &n);
		if (rc)
			return rc;
		if (n)
			return crm_error(c, CRM_CONFLICT, "database %s is not empty (%s has %lld row%s): crm migrate "
					 "writes only into a new server", PQdb(conn), name, n, n == 1 ? "" : "s");
	}
	return CRM_OK;
}

/* The columns the file has and the server lacks (custom fields) added;
 * every table emptied of what server init put in it. */
static int pg_prepare(struct crm *c, PGconn *conn, const struct schema *s)
{
	struct sbuf b = { 0 };
	for (int i = 0; i < s->n; i++) {
		struct stable have = { .name = xstrdup(s->t[i].name) };
		int rc = schema_read_pg(c, conn, &have);
		if (rc && rc != CRM_NOTFOUND) {
			stable_release(&have);
			sbuf_release(&b);
			return rc;
		}
		c->errmsg[0] = 0;
		char *table = pg_ident(conn, s->t[i].name);
		if (rc == CRM_NOTFOUND)
			stable_pg_ddl(conn, &s->t[i], &b);   /* a table of a layer newer than the server's */
		for (int k = 0; !rc && k < s->t[i].ncols; k++) {
			if (stable_col(&have, s->t[i].cols[k].name))
				continue;
			char *col = pg_ident(conn, s->t[i].cols[k].name);
			sbuf_addf(&b, "ALTER TABLE %s ADD COLUMN %s %s;\n", table, col, col_pg_type(s->t[i].cols[k].kind));
			free(col);
		}
		sbuf_addf(&b, "TRUNCATE %s RESTART IDENTITY;\n", table);
		free(table);
		stable_release(&have);
	}
	int rc = pg_exec(c, conn, b.s, "preparing the server's tables");
	sbuf_release(&b);
	return rc;
}

/* A login role for each active user copied, member of their group. */
static int logins_for_users(struct crm *c, PGconn *conn)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(c->db, "SELECT name, role FROM \"user\" WHERE deleted_at IS NULL AND status = 'active' "
			       "ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return crm_error(c, CRM_DBERR, "reading the users: %s", sqlite3_errmsg(c->db));
	int rc = CRM_OK;
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		bool made;
		rc = policy_login(c, conn, (const char *)sqlite3_column_text(st, 0),
				  (const char *)sqlite3_column_text(st, 1), NULL, &made);
	}
	sqlite3_finalize(st);
	return rc;
}

static int to_pg_on(struct crm *c, PGconn *conn, const struct schema *s, struct tally *t)
{
	int n;
	bool marked;
	int rc = server_tables(c, conn, s, &n, &marked);
	if (rc)
		return rc;
	if (!marked && n)
		return crm_error(c, CRM_CONFLICT, "database %s has tables of crm's names but is not a crm server",
				 PQdb(conn));
	struct built b = { 0 };
	if (!marked)
		rc = build(c, conn, s, &b);   /* a new database: made a server first */
	else if (!(rc = check_version(c, conn)) && !(rc = require_admin(c, conn, "crm migrate"))
		 && !(rc = pg_empty(c, conn, s)))
		rc = pg_prepare(c, conn, s);
	if (!rc)
		rc = db_exec(c, "BEGIN");     /* one snapshot of the file */
	for (int i = 0; !rc && i < s->n; i++) {
		rc = count_sqlite(c, c->db, s->t[i].name, &t->source[i]);
		long long copied;
		if (!rc)
			rc = copy_in(c, conn, &s->t[i], t->source[i], &copied);
		if (!rc)
			rc = count_pg(c, conn, s->t[i].name, &t->target[i]);
	}
	if (!rc)
		rc = logins_for_users(c, conn);
	if (!rc)
		rc = tally_check(c, s, t);
	if (!rc)
		rc = pg_exec(c, conn, "COMMIT", "committing");
	return rc;
}

static int migrate_to_pg(struct crm *c, const char *file, const char *url, struct schema *s, struct tally *t)
{
	if (access(file, F_OK) != 0)
		return crm_error(c, CRM_DBERR, "no database %s to copy from", file);
	c->db_path = xstrdup(file);
	int rc = db_open(c);   /* an older file is brought up to date first, as always */
	if (!rc)
		rc = schema_read(c, c->db, s);
	if (rc)
		return rc;
	t->n = s->n;
	t->source = xcalloc(s->n, sizeof(long long));
	t->target = xcalloc(s->n, sizeof(long long));
	PGconn *conn;
	rc = pg_connect(c, url, &conn);
	if (!rc)
		rc = pg_exec(c, conn, "BEGIN", "beginning");
	if (!rc)
		rc = to_pg_on(c, conn, s, t);
	pg_close(conn);
	return rc;
}

/* -- into a file -- */

struct triggers {
	char **sql;
	int n;
};

/* The file's triggers, saved and dropped: rows copied must not be
 * counted again into the tables the triggers keep (funnel_counts). */
static int triggers_drop(struct crm *c, struct triggers *tr)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(c->db, "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name", -1,
			       &st, NULL) != SQLITE_OK)
		return crm_error(c, CRM_DBERR, "reading the triggers: %s", sqlite3_errmsg(c->db));
	char **names = NULL;
	int rc = CRM_OK;
	while (sqlite3_step(st) == SQLITE_ROW) {
		tr->sql = xrealloc(tr->sql, (tr->n + 1) * sizeof(char *));
		names = xrealloc(names, (tr->n + 1) * sizeof(char *));
		tr->sql[tr->n] = xstrdup((const char *)sqlite3_column_text(st, 1));
		names[tr->n++] = sqlite3_mprintf("DROP TRIGGER \"%w\"", (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	for (int i = 0; i < tr->n; i++) {
		if (!rc)
			rc = db_exec(c, names[i]);
		sqlite3_free(names[i]);
	}
	free(names);
	return rc;
}

static int triggers_restore(struct crm *c, struct triggers *tr)
{
	int rc = CRM_OK;
	for (int i = 0; !rc && i < tr->n; i++)
		rc = db_exec(c, tr->sql[i]);
	return rc;
}

static void triggers_release(struct triggers *tr)
{
	for (int i = 0; i < tr->n; i++)
		free(tr->sql[i]);
	free(tr->sql);
}

/* The file's table t made to have the server's columns (custom fields
 * added), then emptied of what the new file had. */
static int sqlite_prepare(struct crm *c, PGconn *conn, struct stable *t, struct stable *src)
{
	src->name = xstrdup(t->name);
	int rc = schema_read_pg(c, conn, src);
	if (rc == CRM_NOTFOUND)
		return crm_error(c, CRM_DBERR, "the server has no table %s", t->name);
	for (int k = 0; !rc && k < src->ncols; k++) {
		if (stable_col(t, src->cols[k].name))
			continue;
		char *sql = sqlite3_mprintf("ALTER TABLE \"%w\" ADD COLUMN \"%w\" %s", t->name, src->cols[k].name,
					    col_sqlite_type(src->cols[k].kind));
		rc = db_exec(c, sql);
		sqlite3_free(sql);
		t->cols = xrealloc(t->cols, (t->ncols + 1) * sizeof(*t->cols));
		t->cols[t->ncols++] = (struct scol){ .name = xstrdup(src->cols[k].name), .kind = src->cols[k].kind };
	}
	char *del = sqlite3_mprintf("DELETE FROM \"%w\"", t->name);
	if (!rc)
		rc = db_exec(c, del);
	sqlite3_free(del);
	return rc;
}

/* The search index made again from the records copied. */
static int search_rebuild(struct crm *c)
{
	types_free(c);   /* the fields copied may have added some */
	int rc = CRM_OK;
	for (int k = 0; !rc && type_at(c, k); k++) {
		const struct type *t = type_at(c, k);
		bool searched = false;
		for (int i = 0; i < t->nfields; i++)
			searched = searched || (t->fields[i].flags & FF_SEARCH);
		if (t->num <= 0 || !searched)
			continue;
		char *sql = sqlite3_mprintf("INSERT OR IGNORE INTO search_dirty(key) SELECT id * 16 + %d FROM \"%w\"",
					    t->num, t->name);
		rc = db_exec(c, sql);
		sqlite3_free(sql);
	}
	return rc ? rc : search_refresh(c);
}

static int from_pg_copy(struct crm *c, PGconn *conn, struct schema *s, struct tally *t)
{
	struct triggers tr = { 0 };
	int rc = db_begin(c);
	if (!rc)
		rc = db_exec(c, "PRAGMA defer_foreign_keys = ON");
	if (!rc)
		rc = triggers_drop(c, &tr);
	for (int i = 0; !rc && i < s->n; i++) {
		struct stable src = { 0 };
		long long copied;
		rc = sqlite_prepare(c, conn, &s->t[i], &src);
		if (!rc)
			rc = count_pg(c, conn, s->t[i].name, &t->source[i]);
		if (!rc)
			rc = copy_from_pg(c, conn, &src, c->db, &s->t[i], t->source[i], &copied);
		if (!rc)
			rc = count_sqlite(c, c->db, s->t[i].name, &t->target[i]);
		stable_release(&src);
	}
	if (!rc)
		rc = tally_check(c, s, t);
	if (!rc)
		rc = triggers_restore(c, &tr);
	if (!rc)
		rc = search_rebuild(c);
	if (!rc)
		rc = db_commit(c);
	if (rc)
		db_rollback(c);
	triggers_release(&tr);
	return rc;
}

static int migrate_from_pg(struct crm *c, const char *url, const char *file, struct sqlite_side *side,
			   struct schema *s, struct tally *t, const char *what)
{
	if (access(file, F_OK) == 0)
		return crm_error(c, CRM_CONFLICT, "%s exists: crm migrate writes a new file", file);
	PGconn *conn;
	int rc = pg_connect(c, url, &conn);
	if (!rc)
		rc = pg_exec(c, conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "beginning");
	int n;
	bool marked;
	struct schema none = { 0 };
	if (!rc)
		rc = server_tables(c, conn, &none, &n, &marked);
	if (!rc && !marked)
		rc = crm_error(c, CRM_DBERR, "database %s is not a crm server", PQdb(conn));
	if (!rc)
		rc = check_version(c, conn);
	if (!rc)
		rc = require_admin(c, conn, what);
	if (!rc)
		rc = side_create(c, side, file);
	if (!rc)
		rc = schema_read(c, c->db, s);
	if (!rc) {
		t->n = s->n;
		t->source = xcalloc(s->n, sizeof(long long));
		t->target = xcalloc(s->n, sizeof(long long));
		rc = from_pg_copy(c, conn, s, t);
	}
	pg_close(conn);
	return rc;
}

int server_migrate(struct crm *c, const char *from, const char *to)
{
	bool from_pg = db_is_url(from), to_pg = db_is_url(to);
	if (from_pg == to_pg)
		return crm_error(c, CRM_USAGE, "one of --from and --to is a database file, the other a server "
				 "(postgresql://...)");
	struct sqlite_side side;
	side_enter(c, &side);
	struct schema s = { 0 };
	struct tally t = { 0 };
	copy_catch_signals(true);
	int rc = to_pg ? migrate_to_pg(c, from, to, &s, &t) : migrate_from_pg(c, from, to, &side, &s, &t, "crm migrate");
	copy_catch_signals(false);
	c->signal = copy_signal();   /* main ends of it, once all is rolled back (or committed) */
	if (t.n && (rc == CRM_OK || (c->errmsg[0] && strstr(c->errmsg, "counts differ"))))
		print_tally(c, &s, &t);
	free(t.source);
	free(t.target);
	schema_release(&s);
	side_leave(c, &side, rc != CRM_OK);
	return rc;
}

/* ---- crm backup ---- */

int server_backup(struct crm *c, const char *path)
{
	int rc = db_backup_target(c, path);
	if (rc)
		return rc;
	/* made in a folder of ours beside path (its -wal too), put in place
	 * when whole */
	char *dir = xasprintf("%s.tmp-XXXXXX", path);
	if (!mkdtemp(dir)) {
		rc = crm_error(c, CRM_DBERR, "cannot create backup %s: %s", path, strerror(errno));
		free(dir);
		return rc;
	}
	char *tmp = xasprintf("%s/backup.db", dir), *url = xstrdup(c->db_path);
	struct sqlite_side side;
	side_enter(c, &side);
	struct schema s = { 0 };
	struct tally t = { 0 };
	copy_catch_signals(true);
	rc = migrate_from_pg(c, url, tmp, &side, &s, &t, "crm backup");
	copy_catch_signals(false);
	c->signal = copy_signal();
	free(t.source);
	free(t.target);
	schema_release(&s);
	side_leave(c, &side, rc != CRM_OK);
	if (!rc && fs_commit(tmp, path, 0) != 0)
		rc = errno == EEXIST ? crm_error(c, CRM_CONFLICT, "backup file %s already exists", path)
				     : crm_error(c, CRM_DBERR, "cannot create backup %s: %s", path, strerror(errno));
	remove_db_files(tmp);
	rmdir(dir);
	free(tmp);
	free(url);
	free(dir);
	return rc;
}
