/* backend.h: the database behind one interface, statement by statement.
 *
 * Every feature talks to the database through these calls, never to
 * SQLite or libpq by name: prepare a statement (or take it from the cache
 * keyed by its SQL), bind its parameters, step through its rows, read
 * their columns, reset or finalize it; run SQL without rows; begin,
 * commit, roll back, make and undo savepoints. The calls have SQLite's
 * shapes (db_step is sqlite3_step, db_bind_text takes a length and
 * DB_STATIC or DB_TRANSIENT), so code written for one reads the same
 * with the other.
 *
 * Two backends implement it: SQLite (backend_sqlite.c, the default: a
 * file) and PostgreSQL through libpq (backend_pg.c, a team server). SQL
 * that differs between the two belongs in a backend, not in a feature.
 *
 * Cost: a call is one indirect call through the statement's ops (the
 * wrappers below are inline), then the backend's own function; a bulk
 * import makes some twenty a row.
 *
 * Result codes are ours (DB_ROW, DB_DONE, DB_CONSTRAINT, ...). Their
 * values are those of SQLite's primary (and, for the few that need it,
 * extended) result codes, so that the SQLite backend hands its codes
 * through unchanged on the hot path; the PostgreSQL backend maps each
 * SQLSTATE to one of them. Compare with `(rc & 0xff)` for the class,
 * with the whole value for DB_CONSTRAINT_UNIQUE. A failed call keeps its
 * message in the connection (db_conn_errmsg); crm_dberror (crm.h) maps the code
 * to crm's exit statuses and records the message in the context. */
#ifndef CRM_BACKEND_H
#define CRM_BACKEND_H

#include <stdbool.h>

struct crm;

enum db_code {
	DB_OK = 0,
	DB_ERROR = 1,          /* any other failure: CRM_DBERR */
	DB_BUSY = 5,           /* another writer holds the lock past the timeout: CRM_DBERR */
	DB_LOCKED = 6,         /* the same, within the connection: CRM_DBERR */
	DB_NOMEM = 7,
	DB_READONLY = 8,
	DB_INTERRUPT = 9,      /* interrupted (^C in crm shell): CRM_DBERR */
	DB_CORRUPT = 11,
	DB_FULL = 13,
	DB_TOOBIG = 18,        /* a string or blob past the length limit */
	DB_CONSTRAINT = 19,    /* a constraint refused the row: CRM_CONFLICT */
	DB_MISMATCH = 20,      /* a value the column cannot hold */
	DB_PERM = 23,          /* refused: the authorizer, a privilege, row-level security: CRM_PERM */
	DB_RANGE = 25,         /* a parameter index out of range */
	DB_ROW = 100,          /* db_step: a row is ready */
	DB_DONE = 101,         /* db_step: no more rows */
	/* extended codes: the class is the low byte */
	DB_BUSY_RETRY = DB_BUSY | (2 << 8),    /* serialization failure, deadlock: run it again */
	DB_BUSY_TIMEOUT = DB_BUSY | (3 << 8),  /* a lock or statement timeout passed */
	DB_CONSTRAINT_UNIQUE = DB_CONSTRAINT | (8 << 8), /* a UNIQUE or primary key violation */
};

/* Column types (db_column_type): SQLite's fundamental types. */
enum db_type {
	DB_INTEGER = 1,
	DB_FLOAT = 2,
	DB_TEXT = 3,
	DB_BLOB = 4,
	DB_NULL = 5,
};

/* What db_bind_text does with the caller's string: use it as it is until
 * the statement is reset or bound again (DB_STATIC), or copy it now
 * (DB_TRANSIENT). The values are SQLite's. */
typedef void (*db_destructor)(void *);
#define DB_STATIC ((db_destructor)0)
#define DB_TRANSIENT ((db_destructor)-1)

struct db_ops;
struct db_cache;

/* A connection and a prepared statement: each starts with its backend's
 * ops; the rest is the backend's own (opaque here). */
struct db_conn {
	const struct db_ops *ops;
	struct db_cache *cache;   /* db_conn_cached's statements (backend.c) */
	bool closing;             /* db_conn_close: the statements go with the session */
};
struct db_stmt {
	const struct db_ops *ops;
};

/* A backend: what backend_sqlite.c and backend_pg.c fill in. Callers use
 * the db_ wrappers below, never these. Parameter indexes count from 1,
 * column indexes from 0, as in SQLite. */
struct db_ops {
	const char *name;   /* "sqlite", "postgresql" */
	/* statements */
	int (*prepare)(struct db_conn *, const char *sql, int n, struct db_stmt **, const char **tail,
		       bool persistent);
	int (*bind_text)(struct db_stmt *, int i, const char *s, int n, db_destructor how);
	int (*bind_blob)(struct db_stmt *, int i, const void *p, int n, db_destructor how);
	int (*bind_int64)(struct db_stmt *, int i, long long v);
	int (*bind_double)(struct db_stmt *, int i, double v);
	int (*bind_null)(struct db_stmt *, int i);
	int (*clear_bindings)(struct db_stmt *);
	int (*step)(struct db_stmt *);
	int (*reset)(struct db_stmt *);
	int (*finalize)(struct db_stmt *);
	int (*column_count)(struct db_stmt *);
	const char *(*column_name)(struct db_stmt *, int i);
	int (*column_type)(struct db_stmt *, int i);
	long long (*column_int64)(struct db_stmt *, int i);
	double (*column_double)(struct db_stmt *, int i);
	const unsigned char *(*column_text)(struct db_stmt *, int i);
	const void *(*column_blob)(struct db_stmt *, int i);
	int (*column_bytes)(struct db_stmt *, int i);
	bool (*readonly)(struct db_stmt *);
	/* its rows may be without bound (a list, an export): read them in
	 * batches, not all at once (NULL: the backend always does) */
	void (*stream)(struct db_stmt *);
	/* the connection */
	int (*exec)(struct db_conn *, const char *sql);
	long long (*changes)(struct db_conn *);
	long long (*last_insert_id)(struct db_conn *);
	int (*errcode)(struct db_conn *);
	const char *(*errmsg)(struct db_conn *);
	bool (*in_txn)(struct db_conn *);
	/* a statement's error aborted the open transaction: nothing more
	 * runs in it and its commit is a rollback (NULL: never; SQLite
	 * undoes only the failed statement) */
	bool (*txn_aborted)(struct db_conn *);
	int (*begin)(struct db_conn *);
	int (*commit)(struct db_conn *);
	int (*rollback)(struct db_conn *);
	/* SAVEPOINT name, RELEASE name, ROLLBACK TO name */
	int (*savepoint)(struct db_conn *, const char *name);
	int (*release)(struct db_conn *, const char *name);
	int (*rollback_to)(struct db_conn *, const char *name);
	/* from a signal handler (async-signal-safe): the statement running
	 * now fails with DB_INTERRUPT (Ctrl-C in crm shell) */
	void (*interrupt)(struct db_conn *);
	void (*close)(struct db_conn *);
};

/* ---- statements (SQLite's call shapes) ---- */

static inline int db_bind_text(struct db_stmt *st, int i, const char *s, int n, db_destructor how)
{
	return st->ops->bind_text(st, i, s, n, how);
}
static inline int db_bind_blob(struct db_stmt *st, int i, const void *p, int n, db_destructor how)
{
	return st->ops->bind_blob(st, i, p, n, how);
}
static inline int db_bind_int64(struct db_stmt *st, int i, long long v)
{
	return st->ops->bind_int64(st, i, v);
}
static inline int db_bind_int(struct db_stmt *st, int i, int v)
{
	return st->ops->bind_int64(st, i, v);
}
static inline int db_bind_double(struct db_stmt *st, int i, double v)
{
	return st->ops->bind_double(st, i, v);
}
static inline int db_bind_null(struct db_stmt *st, int i)
{
	return st->ops->bind_null(st, i);
}
static inline int db_clear_bindings(struct db_stmt *st)
{
	return st->ops->clear_bindings(st);
}
/* DB_ROW, DB_DONE or an error code (its message in the connection). */
static inline int db_step(struct db_stmt *st)
{
	return st->ops->step(st);
}
/* Back to before the first step, bindings kept; NULL is fine. */
static inline int db_reset(struct db_stmt *st)
{
	return st ? st->ops->reset(st) : DB_OK;
}
/* Free a statement of one's own (not one from db_stmt's cache); NULL is fine. */
static inline int db_finalize(struct db_stmt *st)
{
	return st ? st->ops->finalize(st) : DB_OK;
}
static inline int db_column_count(struct db_stmt *st)
{
	return st->ops->column_count(st);
}
static inline const char *db_column_name(struct db_stmt *st, int i)
{
	return st->ops->column_name(st, i);
}
static inline int db_column_type(struct db_stmt *st, int i)
{
	return st->ops->column_type(st, i);
}
static inline long long db_column_int64(struct db_stmt *st, int i)
{
	return st->ops->column_int64(st, i);
}
static inline int db_column_int(struct db_stmt *st, int i)
{
	return (int)st->ops->column_int64(st, i);
}
static inline double db_column_double(struct db_stmt *st, int i)
{
	return st->ops->column_double(st, i);
}
/* NULL for SQL NULL; valid until the next step, reset or finalize. */
static inline const unsigned char *db_column_text(struct db_stmt *st, int i)
{
	return st->ops->column_text(st, i);
}
static inline const void *db_column_blob(struct db_stmt *st, int i)
{
	return st->ops->column_blob(st, i);
}
/* Bytes of the text or blob column i (after db_column_text or _blob). */
static inline int db_column_bytes(struct db_stmt *st, int i)
{
	return st->ops->column_bytes(st, i);
}
/* Whether the statement cannot change the database. */
static inline bool db_stmt_readonly(struct db_stmt *st)
{
	return st->ops->readonly(st);
}

/* Before the first step: st's rows may be many (see db_ops.stream). */
static inline void db_stream(struct db_stmt *st)
{
	if (st->ops->stream)
		st->ops->stream(st);
}

/* ---- connections ---- */

/* Prepare the first statement of sql (n bytes, or up to its NUL when
 * negative) into *st (the caller finalizes it); *tail (when not NULL)
 * points after it. DB_OK, or an error code with its message kept. Use
 * `?` or `?NNN` for parameters on both backends. */
int db_conn_prepare(struct db_conn *conn, const char *sql, int n, struct db_stmt **st, const char **tail);
/* A prepared statement from the connection's cache, keyed by the SQL's
 * text: reset, its bindings cleared, owned by the cache (never finalize
 * it). NULL on error (db_conn_errcode, db_conn_errmsg say which). */
struct db_stmt *db_conn_cached(struct db_conn *conn, const char *sql);
/* Finalize every cached statement (before a schema change, or closing). */
void db_conn_cache_clear(struct db_conn *conn);
/* Run SQL without rows (SQLite: several statements; PostgreSQL: several
 * statements, no parameters). DB_OK or an error code. */
static inline int db_conn_exec(struct db_conn *conn, const char *sql)
{
	return conn->ops->exec(conn, sql);
}
/* Rows the last INSERT, UPDATE or DELETE changed. */
static inline long long db_conn_changes(struct db_conn *conn)
{
	return conn->ops->changes(conn);
}
/* The id the last INSERT made (SQLite: its rowid; PostgreSQL: lastval(),
 * the value the session's last nextval gave: the id of a table whose id
 * is an identity or serial, unless a trigger inserted into another such
 * table after it: then use INSERT ... RETURNING id). */
static inline long long db_conn_last_insert_id(struct db_conn *conn)
{
	return conn->ops->last_insert_id(conn);
}
/* The last failure's code and message (DB_OK and "not an error" when
 * none). */
static inline int db_conn_errcode(struct db_conn *conn)
{
	return conn->ops->errcode(conn);
}
static inline const char *db_conn_errmsg(struct db_conn *conn)
{
	return conn->ops->errmsg(conn);
}
static inline bool db_conn_in_txn(struct db_conn *conn)
{
	return conn->ops->in_txn(conn);
}
static inline bool db_conn_txn_aborted(struct db_conn *conn)
{
	return conn->ops->txn_aborted && conn->ops->txn_aborted(conn);
}
/* Transactions: SQLite's BEGIN IMMEDIATE (the write lock now, so that two
 * writers queue instead of failing halfway); PostgreSQL's BEGIN (READ
 * COMMITTED; row locks as it writes, waits bounded by lock_timeout). */
static inline int db_conn_begin(struct db_conn *conn)
{
	return conn->ops->begin(conn);
}
static inline int db_conn_commit(struct db_conn *conn)
{
	return conn->ops->commit(conn);
}
static inline int db_conn_rollback(struct db_conn *conn)
{
	return conn->ops->rollback(conn);
}
/* name is an identifier of ours (a literal), never input. */
static inline int db_conn_savepoint(struct db_conn *conn, const char *name)
{
	return conn->ops->savepoint(conn, name);
}
static inline int db_conn_release(struct db_conn *conn, const char *name)
{
	return conn->ops->release(conn, name);
}
/* ROLLBACK TO name: the savepoint stays, as in SQL; release it after. */
static inline int db_conn_rollback_to(struct db_conn *conn, const char *name)
{
	return conn->ops->rollback_to(conn, name);
}
/* Stop the statement running on conn; safe in a signal handler. */
static inline void db_conn_interrupt(struct db_conn *conn)
{
	conn->ops->interrupt(conn);
}
/* Close the connection (rolling back what is open) and free it, its
 * cached statements with it; NULL is fine. */
void db_conn_close(struct db_conn *conn);

/* ---- the two backends ---- */

/* SQLite: a connection over an open handle (a sqlite3 *), which stays the
 * caller's: db_conn_close frees our part, not the handle. */
struct db_conn *db_sqlite_conn(void *sqlite3_handle);
/* PostgreSQL: connect to url (postgresql://...). CRM_OK with *conn set,
 * or CRM_DBERR / CRM_PERM with the error recorded in c. lock_ms bounds a
 * wait for a lock (lock_timeout) when > 0. */
int db_pg_connect(struct crm *c, const char *url, int lock_ms, struct db_conn **conn);
/* sql with SQLite's placeholders (? and ?NNN, outside quoted strings,
 * quoted identifiers and comments) as PostgreSQL's ($1, $NNN); the
 * number of parameters in *nparams. Newly allocated. */
char *db_pg_placeholders(const char *sql, int n, int *nparams);

#endif
