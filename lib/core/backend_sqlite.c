/* backend_sqlite.c: the backend interface over SQLite (the default).
 *
 * A thin layer: our codes and column types have SQLite's values, so each
 * call is SQLite's own, its result handed through. The handle stays the
 * opener's (core/open.c keeps it in c->db for what only SQLite has: SQL
 * functions, the authorizer, pragmas, the online backup). */
#include <stdio.h>
#include <stdlib.h>
#include <sqlite3.h>

#include "base/mem.h"
#include "core/backend.h"

_Static_assert(DB_ROW == SQLITE_ROW && DB_DONE == SQLITE_DONE && DB_BUSY == SQLITE_BUSY
	       && DB_LOCKED == SQLITE_LOCKED && DB_CONSTRAINT == SQLITE_CONSTRAINT && DB_PERM == SQLITE_AUTH
	       && DB_CONSTRAINT_UNIQUE == SQLITE_CONSTRAINT_UNIQUE && DB_BUSY_RETRY == SQLITE_BUSY_SNAPSHOT
	       && DB_BUSY_TIMEOUT == SQLITE_BUSY_TIMEOUT && DB_INTERRUPT == SQLITE_INTERRUPT
	       && DB_RANGE == SQLITE_RANGE && DB_TOOBIG == SQLITE_TOOBIG && DB_FULL == SQLITE_FULL && DB_CORRUPT == SQLITE_CORRUPT,
	       "our result codes are SQLite's");
_Static_assert(DB_INTEGER == SQLITE_INTEGER && DB_FLOAT == SQLITE_FLOAT && DB_TEXT == SQLITE_TEXT
	       && DB_BLOB == SQLITE_BLOB && DB_NULL == SQLITE_NULL, "our column types are SQLite's");

struct sq_conn {
	struct db_conn base;
	sqlite3 *db;
};

struct sq_stmt {
	struct db_stmt base;
	sqlite3_stmt *st;
};

static const struct db_ops sq_ops;

#define ST(s) (((struct sq_stmt *)(s))->st)
#define DB(c) (((struct sq_conn *)(c))->db)

static int sq_prepare(struct db_conn *conn, const char *sql, int n, struct db_stmt **out, const char **tail,
		      bool persistent)
{
	sqlite3_stmt *st = NULL;
	*out = NULL;
	int rc = sqlite3_prepare_v3(DB(conn), sql, n, persistent ? SQLITE_PREPARE_PERSISTENT : 0, &st, tail);
	if (rc != SQLITE_OK || !st)   /* no statement at all (only spaces): DB_OK, *out NULL */
		return rc;
	struct sq_stmt *s = xmalloc(sizeof(*s));
	s->base.ops = &sq_ops;
	s->st = st;
	*out = &s->base;
	return DB_OK;
}

static int sq_bind_text(struct db_stmt *s, int i, const char *v, int n, db_destructor how)
{
	return sqlite3_bind_text(ST(s), i, v, n, how);
}

static int sq_bind_blob(struct db_stmt *s, int i, const void *p, int n, db_destructor how)
{
	return sqlite3_bind_blob(ST(s), i, p, n, how);
}

static int sq_bind_int64(struct db_stmt *s, int i, long long v)
{
	return sqlite3_bind_int64(ST(s), i, v);
}

static int sq_bind_double(struct db_stmt *s, int i, double v)
{
	return sqlite3_bind_double(ST(s), i, v);
}

static int sq_bind_null(struct db_stmt *s, int i)
{
	return sqlite3_bind_null(ST(s), i);
}

static int sq_clear_bindings(struct db_stmt *s)
{
	return sqlite3_clear_bindings(ST(s));
}

static int sq_step(struct db_stmt *s)
{
	return sqlite3_step(ST(s));
}

static int sq_reset(struct db_stmt *s)
{
	return sqlite3_reset(ST(s));
}

static int sq_finalize(struct db_stmt *s)
{
	int rc = sqlite3_finalize(ST(s));
	free(s);
	return rc;
}

static int sq_column_count(struct db_stmt *s)
{
	return sqlite3_column_count(ST(s));
}

static const char *sq_column_name(struct db_stmt *s, int i)
{
	return sqlite3_column_name(ST(s), i);
}

static int sq_column_type(struct db_stmt *s, int i)
{
	return sqlite3_column_type(ST(s), i);
}

static long long sq_column_int64(struct db_stmt *s, int i)
{
	return sqlite3_column_int64(ST(s), i);
}

static double sq_column_double(struct db_stmt *s, int i)
{
	return sqlite3_column_double(ST(s), i);
}

static const unsigned char *sq_column_text(struct db_stmt *s, int i)
{
	return sqlite3_column_text(ST(s), i);
}

static const void *sq_column_blob(struct db_stmt *s, int i)
{
	return sqlite3_column_blob(ST(s), i);
}

static int sq_column_bytes(struct db_stmt *s, int i)
{
	return sqlite3_column_bytes(ST(s), i);
}

static bool sq_readonly(struct db_stmt *s)
{
	return sqlite3_stmt_readonly(ST(s));
}

static int sq_exec(struct db_conn *conn, const char *sql)
{
	return sqlite3_exec(DB(conn), sql, NULL, NULL, NULL);
}

static long long sq_changes(struct db_conn *conn)
{
	return sqlite3_changes64(DB(conn));
}

static long long sq_last_insert_id(struct db_conn *conn)
{
	return sqlite3_last_insert_rowid(DB(conn));
}

static int sq_errcode(struct db_conn *conn)
{
	return sqlite3_extended_errcode(DB(conn));
}

static const char *sq_errmsg(struct db_conn *conn)
{
	return sqlite3_errmsg(DB(conn));
}

static bool sq_in_txn(struct db_conn *conn)
{
	return !sqlite3_get_autocommit(DB(conn));
}

static int sq_begin(struct db_conn *conn)
{
	return sq_exec(conn, "BEGIN IMMEDIATE");
}

static int sq_commit(struct db_conn *conn)
{
	return sq_exec(conn, "COMMIT");
}

static int sq_rollback(struct db_conn *conn)
{
	return sq_in_txn(conn) ? sq_exec(conn, "ROLLBACK") : DB_OK;
}

static int sq_savepoint_sql(struct db_conn *conn, const char *verb, const char *name)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "%s %s", verb, name);
	return sq_exec(conn, sql);
}

/* SAVEPOINT and RELEASE come once a record written: from the cache, not
 * parsed again each time (that showed in profiles). */
static int sq_cached_step(struct db_conn *conn, const char *verb, const char *name)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "%s %s", verb, name);
	struct db_stmt *st = db_conn_cached(conn, sql);
	if (!st)
		return sqlite3_extended_errcode(DB(conn));
	int rc = sqlite3_step(ST(st));
	sqlite3_reset(ST(st));
	return rc == SQLITE_DONE ? DB_OK : rc;
}

static int sq_savepoint(struct db_conn *conn, const char *name)
{
	return sq_cached_step(conn, "SAVEPOINT", name);
}

static int sq_release(struct db_conn *conn, const char *name)
{
	return sq_cached_step(conn, "RELEASE", name);
}

static int sq_rollback_to(struct db_conn *conn, const char *name)
{
	return sq_savepoint_sql(conn, "ROLLBACK TO", name);
}

static void sq_interrupt(struct db_conn *conn)
{
	sqlite3_interrupt(((struct sq_conn *)conn)->db);
}

static void sq_close(struct db_conn *conn)
{
	free(conn);   /* the handle is the opener's */
}

static const struct db_ops sq_ops = {
	.name = "sqlite",
	.prepare = sq_prepare,
	.bind_text = sq_bind_text,
	.bind_blob = sq_bind_blob,
	.bind_int64 = sq_bind_int64,
	.bind_double = sq_bind_double,
	.bind_null = sq_bind_null,
	.clear_bindings = sq_clear_bindings,
	.step = sq_step,
	.reset = sq_reset,
	.finalize = sq_finalize,
	.column_count = sq_column_count,
	.column_name = sq_column_name,
	.column_type = sq_column_type,
	.column_int64 = sq_column_int64,
	.column_double = sq_column_double,
	.column_text = sq_column_text,
	.column_blob = sq_column_blob,
	.column_bytes = sq_column_bytes,
	.readonly = sq_readonly,
	.exec = sq_exec,
	.changes = sq_changes,
	.last_insert_id = sq_last_insert_id,
	.errcode = sq_errcode,
	.errmsg = sq_errmsg,
	.in_txn = sq_in_txn,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.savepoint = sq_savepoint,
	.release = sq_release,
	.rollback_to = sq_rollback_to,
	.interrupt = sq_interrupt,
	.close = sq_close,
};

struct db_conn *db_sqlite_conn(void *handle)
{
	struct sq_conn *c = xcalloc(1, sizeof(*c));
	c->base.ops = &sq_ops;
	c->db = handle;
	return &c->base;
}
