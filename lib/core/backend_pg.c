/* backend_pg.c: the backend interface over PostgreSQL, through libpq.
 *
 * Statements are named server-side prepared statements (PQprepare, once
 * per statement: db_conn_cached keeps them as it keeps SQLite's), their
 * SQL's `?` and `?NNN` rewritten as `$n` first. Parameters go as text
 * (the server infers their types from where they stand), blobs as
 * binary.
 *
 * Rows: the first db_step runs the statement and fetches its whole
 * result (PQexecPrepared); the steps after walk it. Not single-row mode,
 * on purpose: a connection in single-row mode can run nothing else until
 * the result is read to its end, and crm reads a statement's rows while
 * it writes others (the rules engine, a merge, an undo all do). A
 * statement marked db_stream (a list, an export: rows without bound)
 * reads through a cursor instead, inside the transaction it runs in:
 * DECLARE, then FETCH STREAM_BATCH rows at a time, CLOSE at the end, so
 * a million-row export holds one batch, not the whole result.
 *
 * Errors: each SQLSTATE becomes one of our codes (map_state), its
 * primary message kept in the connection. Inside a transaction an error
 * aborts it on PostgreSQL until a ROLLBACK (TO a savepoint): crm makes a
 * savepoint around each record, so one refused record costs only its
 * own changes, as on SQLite.
 *
 * The last insert id is lastval() (asked only when wanted, under a
 * savepoint when a transaction is open, since asking it before any
 * nextval is an error that would abort the transaction): see backend.h
 * for when a feature needs RETURNING id instead. */
#include <ctype.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "io/pq.h"

#include "base/mem.h"
#include "base/sbuf.h"
#include "core/backend.h"
#include "core/crm.h"

/* Type OIDs of pg_type (catalog/pg_type.h, stable since 7.x). */
enum {
	OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_OID = 26,
	OID_FLOAT4 = 700, OID_FLOAT8 = 701, OID_NUMERIC = 1700,
};

struct pg_conn {
	struct db_conn base;
	PGconn *pg;
	PGcancel *cancel;                  /* for pg_interrupt, made as it connects */
	volatile sig_atomic_t interrupted; /* pg_interrupt asked: a cancel is DB_INTERRUPT */
	int errcode;
	char *errmsg;
	long long changes;
	unsigned long next_name;   /* statements are crm_1, crm_2, ... */
};

struct pg_stmt {
	struct db_stmt base;
	struct pg_conn *conn;
	char name[32];
	char *sql;                  /* as PostgreSQL reads it, for readonly */
	int nparams;
	char **params;              /* NULL: SQL NULL */
	int *lengths, *formats;
	PGresult *res;              /* the rows, once stepped */
	PGresult *desc;             /* the columns before the first step */
	int row;                    /* the current row, -1 before the first */
	int failed;                 /* the code of a failed run, until reset */
	bool stream;                /* db_stream: read through a cursor */
	bool cursor_used;           /* this run reads through the cursor */
	bool cursor_open;           /* DECLAREd, not yet at its end */
	bool cursor_end;            /* the last batch is the one in res */
	unsigned char *blob;        /* column_blob's decoding of the current row */
	size_t blob_len;
	int blob_col;
};

static const struct db_ops pg_ops;

#define CONN(c) ((struct pg_conn *)(c))
#define STMT(s) ((struct pg_stmt *)(s))

/* ---- errors ---- */

/* SQLSTATE to our codes. */
static int map_state(const char *state)
{
	if (!state || strlen(state) != 5)
		return DB_ERROR;
	if (!strcmp(state, "23505"))
		return DB_CONSTRAINT_UNIQUE;
	if (!strncmp(state, "23", 2))
		return DB_CONSTRAINT;          /* not null, foreign key, check, exclusion */
	if (!strcmp(state, "40001") || !strcmp(state, "40P01"))
		return DB_BUSY_RETRY;          /* serialization failure, deadlock */
	if (!strcmp(state, "55P03") || !strcmp(state, "57014"))
		return DB_BUSY_TIMEOUT;        /* lock_timeout, statement_timeout */
	if (!strcmp(state, "42501") || !strncmp(state, "28", 2))
		return DB_PERM;                /* privilege, row-level security, authorization */
	if (!strcmp(state, "25006"))
		return DB_READONLY;
	if (!strncmp(state, "22", 2))
		return DB_MISMATCH;            /* data exception */
	if (!strcmp(state, "53100"))
		return DB_FULL;
	if (!strcmp(state, "53200"))
		return DB_NOMEM;
	if (!strncmp(state, "XX", 2))
		return DB_CORRUPT;
	return DB_ERROR;
}

static void set_msg(struct pg_conn *pc, int code, const char *msg)
{
	size_t len = strlen(msg);
	while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		len--;
	free(pc->errmsg);
	pc->errmsg = xstrndup(msg, len);
	pc->errcode = code;
}

static void set_ok(struct pg_conn *pc)
{
	if (pc->errcode != DB_OK)
		set_msg(pc, DB_OK, "not an error");
}

/* The code of a failed result (or of the connection when res is NULL),
 * its message kept. */
static int fail(struct pg_conn *pc, const PGresult *res)
{
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (!msg)
		msg = PQerrorMessage(pc->pg);
	int code = map_state(state);
	if (state && !strcmp(state, "57014")) {
		/* canceled as asked, or timed out (a cancel asked while nothing
		 * ran is no part of a later timeout) */
		bool asked = pc->interrupted && !(msg && strstr(msg, "statement timeout"));
		pc->interrupted = 0;
		if (asked) {
			set_msg(pc, DB_INTERRUPT, "interrupted");
			return DB_INTERRUPT;
		}
	}
	set_msg(pc, code, msg && *msg ? msg : "unknown error");
	return code;
}

/* ---- placeholders ---- */

/* db_pg_placeholders, and into *used (newly allocated, one byte per
 * number up to *nparams, when used is not NULL) which numbers appear. */
static char *placeholders(const char *sql, int n, int *nparams, unsigned char **used)
{
	size_t len = n < 0 ? strlen(sql) : (size_t)n;
	struct sbuf b = { 0 };
	int max = 0;
	unsigned char *seen = NULL;
	size_t i = 0;
	while (i < len) {
		char ch = sql[i];
		if (ch == '\'' || ch == '"' || ch == '`') {   /* through the closing quote; doubled is one */
			size_t j = i + 1;
			while (j < len) {
				if (sql[j] == ch) {
					if (j + 1 < len && sql[j + 1] == ch) {
						j += 2;
						continue;
					}
					break;
				}
				j++;
			}
			j = j < len ? j + 1 : len;
			sbuf_addn(&b, sql + i, j - i);
			i = j;
		} else if (ch == '-' && i + 1 < len && sql[i + 1] == '-') {
			size_t j = i;
			while (j < len && sql[j] != '\n')
				j++;
			sbuf_addn(&b, sql + i, j - i);
			i = j;
		} else if (ch == '/' && i + 1 < len && sql[i + 1] == '*') {
			size_t j = i + 2;
			while (j + 1 < len && !(sql[j] == '*' && sql[j + 1] == '/'))
				j++;
			j = j + 1 < len ? j + 2 : len;
			sbuf_addn(&b, sql + i, j - i);
			i = j;
		} else if (ch == '?') {
			size_t j = i + 1;
			int num = 0;
			while (j < len && isdigit((unsigned char)sql[j]) && num < 100000)
				num = num * 10 + (sql[j++] - '0');
			if (j == i + 1)
				num = max + 1;   /* a bare ?: one more than the largest so far, as SQLite */
			if (num > max) {
				if (used)
					seen = xrealloc(seen, (size_t)num + 1);
				if (used)
					memset(seen + max + 1, 0, (size_t)(num - max));
				max = num;
			}
			if (used)
				seen[num] = 1;
			sbuf_addf(&b, "$%d", num);
			i = j;
		} else {
			size_t j = i + 1;
			while (j < len && !strchr("'\"`-/?", sql[j]))
				j++;
			sbuf_addn(&b, sql + i, j - i);
			i = j;
		}
	}
	if (nparams)
		*nparams = max;
	if (used)
		*used = seen;
	char *r = sbuf_detach(&b);
	return r ? r : xstrdup("");
}

char *db_pg_placeholders(const char *sql, int n, int *nparams)
{
	return placeholders(sql, n, nparams, NULL);
}

/* ---- statements ---- */

static int pg_prepare(struct db_conn *conn, const char *sql, int n, struct db_stmt **out, const char **tail,
		      bool persistent)
{
	struct pg_conn *pc = CONN(conn);
	(void)persistent;   /* every statement is a named one, kept until finalized */
	*out = NULL;
	struct pg_stmt *s = xcalloc(1, sizeof(*s));
	s->base.ops = &pg_ops;
	s->conn = pc;
	s->row = -1;
	s->blob_col = -1;
	unsigned char *used = NULL;
	s->sql = placeholders(sql, n, &s->nparams, &used);
	snprintf(s->name, sizeof(s->name), "crm_%lu", ++pc->next_name);
	/* a number the statement skips (?4 with no ?3, as SQLite allows) has
	 * no type PostgreSQL could infer: text, whatever is bound to it */
	Oid *types = s->nparams ? xcalloc((size_t)s->nparams, sizeof(*types)) : NULL;
	for (int i = 1; i <= s->nparams; i++)
		if (!used[i])
			types[i - 1] = 25;   /* TEXTOID */
	free(used);
	PGresult *r = PQprepare(pc->pg, s->name, s->sql, s->nparams, types);
	free(types);
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
		int code = fail(pc, r);
		PQclear(r);
		free(s->sql);
		free(s);
		return code;
	}
	PQclear(r);
	if (s->nparams) {
		s->params = xcalloc((size_t)s->nparams, sizeof(*s->params));
		s->lengths = xcalloc((size_t)s->nparams, sizeof(*s->lengths));
		s->formats = xcalloc((size_t)s->nparams, sizeof(*s->formats));
	}
	if (tail)   /* PostgreSQL prepares one statement: it refused more */
		*tail = sql + (n < 0 ? strlen(sql) : (size_t)n);
	set_ok(pc);
	*out = &s->base;
	return DB_OK;
}

/* The cursor of a statement: crm_c_N beside its crm_N. */
static void cursor_name(const struct pg_stmt *s, char *buf, size_t n)
{
	snprintf(buf, n, "crm_c_%s", s->name + 4);
}

/* Close the cursor. sure: it was just read from. Else only if the
 * server still has it: a rollback (to a savepoint) closes it too, and
 * closing one that is gone would abort the transaction. */
static void cursor_close(struct pg_stmt *s, bool sure)
{
	if (!s->cursor_open)
		return;
	s->cursor_open = false;
	if (PQstatus(s->conn->pg) != CONNECTION_OK || PQtransactionStatus(s->conn->pg) != PQTRANS_INTRANS)
		return;
	char name[48];
	cursor_name(s, name, sizeof(name));
	bool there = sure;
	if (!there) {
		const char *const p[] = { name };
		PGresult *r = PQexecParams(s->conn->pg, "SELECT 1 FROM pg_cursors WHERE name = $1", 1, NULL, p, NULL,
					   NULL, 0);
		there = r && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0;
		PQclear(r);
	}
	if (there) {
		char sql[64];
		snprintf(sql, sizeof(sql), "CLOSE %s", name);
		PQclear(PQexec(s->conn->pg, sql));
	}
}

static void drop_result(struct pg_stmt *s)
{
	cursor_close(s, false);
	s->cursor_end = false;
	s->cursor_used = false;
	PQclear(s->res);
	s->res = NULL;
	s->row = -1;
	s->failed = 0;
	if (s->blob)
		PQfreemem(s->blob);
	s->blob = NULL;
	s->blob_col = -1;
}

static int set_param(struct pg_stmt *s, int i, char *v, int len, int format)
{
	if (i < 1 || i > s->nparams) {
		free(v);
		set_msg(s->conn, DB_RANGE, "parameter index out of range");
		return DB_RANGE;
	}
	free(s->params[i - 1]);
	s->params[i - 1] = v;
	s->lengths[i - 1] = len;
	s->formats[i - 1] = format;
	return DB_OK;
}

static int pg_bind_text(struct db_stmt *st, int i, const char *v, int n, db_destructor how)
{
	/* copied whatever how says: libpq reads it when the statement runs */
	(void)how;
	if (!v)
		return set_param(STMT(st), i, NULL, 0, 0);
	size_t len = n < 0 ? strlen(v) : (size_t)n;
	return set_param(STMT(st), i, xstrndup(v, len), (int)len, 0);
}

static int pg_bind_blob(struct db_stmt *st, int i, const void *p, int n, db_destructor how)
{
	(void)how;
	if (!p)
		return set_param(STMT(st), i, NULL, 0, 0);
	char *v = xmalloc((size_t)n + 1);
	memcpy(v, p, (size_t)n);
	v[n] = 0;
	return set_param(STMT(st), i, v, n, 1);
}

static int pg_bind_int64(struct db_stmt *st, int i, long long v)
{
	return set_param(STMT(st), i, xasprintf("%lld", v), 0, 0);
}

static int pg_bind_double(struct db_stmt *st, int i, double v)
{
	/* 17 significant digits read back as the same double */
	return set_param(STMT(st), i, xasprintf("%.17g", v), 0, 0);
}

static int pg_bind_null(struct db_stmt *st, int i)
{
	return set_param(STMT(st), i, NULL, 0, 0);
}

static int pg_clear_bindings(struct db_stmt *st)
{
	struct pg_stmt *s = STMT(st);
	for (int i = 0; i < s->nparams; i++) {
		free(s->params[i]);
		s->params[i] = NULL;
	}
	return DB_OK;
}

#define STREAM_BATCH 1000

/* The next batch of a cursor's rows into s->res (none: cursor_end). */
static int cursor_fetch(struct pg_stmt *s)
{
	char name[48], sql[80];
	cursor_name(s, name, sizeof(name));
	snprintf(sql, sizeof(sql), "FETCH %d FROM %s", STREAM_BATCH, name);
	PQclear(s->res);
	s->res = PQexec(s->conn->pg, sql);
	s->row = -1;
	if (!s->res || PQresultStatus(s->res) != PGRES_TUPLES_OK) {
		s->cursor_open = false;   /* the error aborted the transaction: the cursor with it */
		s->failed = fail(s->conn, s->res);
		PQclear(s->res);
		s->res = NULL;
		return s->failed;
	}
	s->cursor_end = PQntuples(s->res) < STREAM_BATCH;
	return DB_OK;
}

static int cursor_open(struct pg_stmt *s)
{
	char name[48];
	cursor_name(s, name, sizeof(name));
	char *sql = xasprintf("DECLARE %s NO SCROLL CURSOR FOR %s", name, s->sql);
	PGresult *r = PQexecParams(s->conn->pg, sql, s->nparams, NULL, (const char *const *)s->params, s->lengths,
				   s->formats, 0);
	free(sql);
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
		s->failed = fail(s->conn, r);
		PQclear(r);
		return s->failed;
	}
	PQclear(r);
	s->cursor_open = s->cursor_used = true;
	return cursor_fetch(s);
}

/* A streamed statement's next row: DB_ROW, DB_DONE (the cursor closed)
 * or an error. */
static int cursor_step(struct pg_stmt *s)
{
	int rc = s->cursor_used ? DB_OK : cursor_open(s);
	if (rc)
		return rc;
	if (s->row + 1 >= PQntuples(s->res) && !s->cursor_end && (rc = cursor_fetch(s)))
		return rc;
	if (s->row < PQntuples(s->res))
		s->row++;
	if (s->row < PQntuples(s->res))
		return DB_ROW;
	cursor_close(s, true);   /* in the transaction still: the rows are all read */
	return DB_DONE;
}

static int pg_step(struct db_stmt *st)
{
	struct pg_stmt *s = STMT(st);
	struct pg_conn *pc = s->conn;
	if (s->failed)
		return s->failed;
	if (s->blob)
		PQfreemem(s->blob);
	s->blob = NULL;
	s->blob_col = -1;
	if (s->stream && (s->cursor_used || (!s->res && PQtransactionStatus(pc->pg) == PQTRANS_INTRANS))) {
		int rc = cursor_step(s);
		if (rc == DB_ROW || rc == DB_DONE)
			set_ok(pc);
		return rc;
	}
	if (!s->res) {
		s->res = PQexecPrepared(pc->pg, s->name, s->nparams, (const char *const *)s->params, s->lengths,
					s->formats, 0);
		ExecStatusType t = s->res ? PQresultStatus(s->res) : PGRES_FATAL_ERROR;
		if (t == PGRES_COMMAND_OK) {
			const char *n = PQcmdTuples(s->res);
			pc->changes = n && *n ? atoll(n) : 0;
		} else if (t != PGRES_TUPLES_OK) {
			s->failed = fail(pc, s->res);
			PQclear(s->res);
			s->res = NULL;
			return s->failed;
		}
		set_ok(pc);
	}
	if (s->row < PQntuples(s->res))
		s->row++;
	return s->row < PQntuples(s->res) ? DB_ROW : DB_DONE;
}

static void pg_stream(struct db_stmt *st)
{
	STMT(st)->stream = true;
}

static int pg_reset(struct db_stmt *st)
{
	int rc = STMT(st)->failed;
	drop_result(STMT(st));
	return rc;
}

static int pg_finalize(struct db_stmt *st)
{
	struct pg_stmt *s = STMT(st);
	int rc = s->failed;
	drop_result(s);
	PQclear(s->desc);
	/* not in a failed transaction: the server would refuse it; nor as
	 * the connection closes: the server forgets the session's statements
	 * with it (a round trip each saved as every command ends) */
	if (!s->conn->base.closing && PQstatus(s->conn->pg) == CONNECTION_OK
	    && PQtransactionStatus(s->conn->pg) != PQTRANS_INERROR) {
		char sql[64];
		snprintf(sql, sizeof(sql), "DEALLOCATE %s", s->name);
		PQclear(PQexec(s->conn->pg, sql));
	}
	pg_clear_bindings(st);
	free(s->params);
	free(s->lengths);
	free(s->formats);
	free(s->sql);
	free(s);
	return rc;
}

/* The result that says what the columns are: the rows once stepped,
 * else the statement's description (asked once). */
static const PGresult *columns(struct pg_stmt *s)
{
	if (s->res)
		return s->res;
	if (!s->desc)
		s->desc = PQdescribePrepared(s->conn->pg, s->name);
	return s->desc && PQresultStatus(s->desc) == PGRES_COMMAND_OK ? s->desc : NULL;
}

static int pg_column_count(struct db_stmt *st)
{
	const PGresult *r = columns(STMT(st));
	return r ? PQnfields(r) : 0;
}

static const char *pg_column_name(struct db_stmt *st, int i)
{
	const PGresult *r = columns(STMT(st));
	return r && i >= 0 && i < PQnfields(r) ? PQfname(r, i) : NULL;
}

/* The current row's value of column i, or NULL (SQL NULL, no row). */
static const char *value(struct pg_stmt *s, int i)
{
	if (!s->res || s->row < 0 || s->row >= PQntuples(s->res) || i < 0 || i >= PQnfields(s->res)
	    || PQgetisnull(s->res, s->row, i))
		return NULL;
	return PQgetvalue(s->res, s->row, i);
}

static int pg_column_type(struct db_stmt *st, int i)
{
	struct pg_stmt *s = STMT(st);
	const char *v = value(s, i);
	if (!v)
		return DB_NULL;
	switch (PQftype(s->res, i)) {
	case OID_BOOL:
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
	case OID_OID:
		return DB_INTEGER;
	case OID_FLOAT4:
	case OID_FLOAT8:
		return DB_FLOAT;
	case OID_NUMERIC:   /* sum() of bigints is numeric: whole is an integer, as SQLite's */
		return strpbrk(v, ".eEN") ? DB_FLOAT : DB_INTEGER;
	case OID_BYTEA:
		return DB_BLOB;
	default:
		return DB_TEXT;
	}
}

static long long pg_column_int64(struct db_stmt *st, int i)
{
	struct pg_stmt *s = STMT(st);
	const char *v = value(s, i);
	if (!v)
		return 0;
	if (PQftype(s->res, i) == OID_BOOL)
		return *v == 't';
	char *end;
	long long n = strtoll(v, &end, 10);
	if (*end == '.' || *end == 'e' || *end == 'E')
		return (long long)strtod(v, NULL);
	return n;
}

static double pg_column_double(struct db_stmt *st, int i)
{
	struct pg_stmt *s = STMT(st);
	const char *v = value(s, i);
	if (!v)
		return 0;
	if (PQftype(s->res, i) == OID_BOOL)
		return *v == 't';
	return strtod(v, NULL);
}

static const unsigned char *pg_column_text(struct db_stmt *st, int i)
{
	struct pg_stmt *s = STMT(st);
	const char *v = value(s, i);
	if (v && PQftype(s->res, i) == OID_BOOL)
		return (const unsigned char *)(*v == 't' ? "1" : "0");   /* SQLite's booleans */
	return (const unsigned char *)v;
}

static const void *pg_column_blob(struct db_stmt *st, int i)
{
	struct pg_stmt *s = STMT(st);
	const char *v = value(s, i);
	if (!v || PQftype(s->res, i) != OID_BYTEA)
		return v;
	if (s->blob_col != i) {
		if (s->blob)
			PQfreemem(s->blob);
		s->blob = PQunescapeBytea((const unsigned char *)v, &s->blob_len);
		s->blob_col = s->blob ? i : -1;
	}
	return s->blob;
}

static int pg_column_bytes(struct db_stmt *st, int i)
{
	struct pg_stmt *s = STMT(st);
	const char *v = value(s, i);
	if (!v)
		return 0;
	if (PQftype(s->res, i) == OID_BOOL)
		return 1;
	if (PQftype(s->res, i) == OID_BYTEA && s->blob_col == i)
		return (int)s->blob_len;
	return PQgetlength(s->res, s->row, i);
}

/* Whether the statement only reads: its first word. An approximation
 * (a WITH may hold a data-modifying part); a query's real guard on the
 * server is a READ ONLY transaction. */
static bool pg_readonly(struct db_stmt *st)
{
	const char *p = STMT(st)->sql;
	while (*p && (isspace((unsigned char)*p) || *p == '('))
		p++;
	if (!strncasecmp(p, "SELECT", 6) || !strncasecmp(p, "VALUES", 6) || !strncasecmp(p, "SHOW", 4)
	    || !strncasecmp(p, "EXPLAIN", 7))
		return true;
	if (strncasecmp(p, "WITH", 4))
		return false;
	/* a WITH that writes: one of these as a word (deleted_at is none) */
	const char *w[] = { "INSERT", "UPDATE", "DELETE", "MERGE" };
	for (size_t k = 0; k < sizeof(w) / sizeof(*w); k++)
		for (const char *h = p; (h = strcasestr(h, w[k])); h++) {
			size_t n = strlen(w[k]);
			bool before = h > p && (isalnum((unsigned char)h[-1]) || h[-1] == '_');
			bool after = isalnum((unsigned char)h[n]) || h[n] == '_';
			if (!before && !after)
				return false;
		}
	return true;
}

/* ---- the connection ---- */

static int pg_exec(struct db_conn *conn, const char *sql)
{
	struct pg_conn *pc = CONN(conn);
	PGresult *r = PQexec(pc->pg, sql);
	ExecStatusType t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	int code = DB_OK;
	if (t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK) {
		const char *n = PQcmdTuples(r);
		pc->changes = n && *n ? atoll(n) : 0;
		set_ok(pc);
	} else {
		code = fail(pc, r);
	}
	PQclear(r);
	return code;
}

static long long pg_changes(struct db_conn *conn)
{
	return CONN(conn)->changes;
}

static long long pg_last_insert_id(struct db_conn *conn)
{
	struct pg_conn *pc = CONN(conn);
	bool txn = PQtransactionStatus(pc->pg) == PQTRANS_INTRANS;
	if (txn)
		PQclear(PQexec(pc->pg, "SAVEPOINT crm_lastval"));
	PGresult *r = PQexec(pc->pg, "SELECT lastval()");
	long long id = 0;
	if (r && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
		id = atoll(PQgetvalue(r, 0, 0));
	bool failed = !r || PQresultStatus(r) != PGRES_TUPLES_OK;
	PQclear(r);
	if (txn)
		PQclear(PQexec(pc->pg, failed ? "ROLLBACK TO crm_lastval; RELEASE crm_lastval"
					      : "RELEASE crm_lastval"));
	return id;
}

static int pg_errcode(struct db_conn *conn)
{
	return CONN(conn)->errcode;
}

static const char *pg_errmsg(struct db_conn *conn)
{
	return CONN(conn)->errmsg ? CONN(conn)->errmsg : "not an error";
}

static bool pg_in_txn(struct db_conn *conn)
{
	PGTransactionStatusType t = PQtransactionStatus(CONN(conn)->pg);
	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

static bool pg_txn_aborted(struct db_conn *conn)
{
	return PQtransactionStatus(CONN(conn)->pg) == PQTRANS_INERROR;
}

static int pg_begin(struct db_conn *conn)
{
	return pg_exec(conn, "BEGIN");
}

static int pg_commit(struct db_conn *conn)
{
	struct pg_conn *pc = CONN(conn);
	PGresult *r = PQexec(pc->pg, "COMMIT");
	int code = DB_OK;
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK)
		code = fail(pc, r);
	else if (!strcmp(PQcmdStatus(r), "ROLLBACK")) {
		/* the server's answer to COMMIT of a transaction an error aborted */
		code = DB_ERROR;
		set_msg(pc, code, "the transaction failed and was rolled back");
	} else
		set_ok(pc);
	PQclear(r);
	return code;
}

static int pg_rollback(struct db_conn *conn)
{
	return pg_in_txn(conn) ? pg_exec(conn, "ROLLBACK") : DB_OK;
}

static int pg_savepoint_sql(struct db_conn *conn, const char *verb, const char *name)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "%s %s", verb, name);
	return pg_exec(conn, sql);
}

static int pg_savepoint(struct db_conn *conn, const char *name)
{
	return pg_savepoint_sql(conn, "SAVEPOINT", name);
}

static int pg_release(struct db_conn *conn, const char *name)
{
	return pg_savepoint_sql(conn, "RELEASE", name);
}

static int pg_rollback_to(struct db_conn *conn, const char *name)
{
	return pg_savepoint_sql(conn, "ROLLBACK TO", name);
}

/* PQcancel is async-signal-safe (libpq says so): it asks the server, on
 * a connection of its own, to cancel what this session runs. */
static void pg_interrupt(struct db_conn *conn)
{
	struct pg_conn *pc = CONN(conn);
	char err[128];
	pc->interrupted = 1;
	if (pc->cancel)
		PQcancel(pc->cancel, err, sizeof(err));
}

static void pg_close(struct db_conn *conn)
{
	struct pg_conn *pc = CONN(conn);
	if (pc->cancel)
		PQfreeCancel(pc->cancel);
	PQfinish(pc->pg);   /* the server rolls back what is open */
	free(pc->errmsg);
	free(pc);
}

static const struct db_ops pg_ops = {
	.name = "postgresql",
	.prepare = pg_prepare,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_int64 = pg_bind_int64,
	.bind_double = pg_bind_double,
	.bind_null = pg_bind_null,
	.clear_bindings = pg_clear_bindings,
	.step = pg_step,
	.reset = pg_reset,
	.finalize = pg_finalize,
	.column_count = pg_column_count,
	.column_name = pg_column_name,
	.column_type = pg_column_type,
	.column_int64 = pg_column_int64,
	.column_double = pg_column_double,
	.column_text = pg_column_text,
	.column_blob = pg_column_blob,
	.column_bytes = pg_column_bytes,
	.readonly = pg_readonly,
	.stream = pg_stream,
	.exec = pg_exec,
	.changes = pg_changes,
	.last_insert_id = pg_last_insert_id,
	.errcode = pg_errcode,
	.errmsg = pg_errmsg,
	.in_txn = pg_in_txn,
	.txn_aborted = pg_txn_aborted,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.savepoint = pg_savepoint,
	.release = pg_release,
	.rollback_to = pg_rollback_to,
	.interrupt = pg_interrupt,
	.close = pg_close,
};

int db_pg_connect(struct crm *c, const char *url, int lock_ms, struct db_conn **conn)
{
	*conn = NULL;
	const char *const keys[] = { "dbname", "fallback_application_name", NULL };
	const char *const values[] = { url, "crm", NULL };
	char err[256];
	if (pq_load(err, sizeof(err)))
		return crm_error(c, CRM_DBERR, "%s", err);
	PGconn *pg = PQconnectdbParams(keys, values, 1);
	if (!pg)
		return crm_error(c, CRM_DBERR, "cannot connect: out of memory");
	if (PQstatus(pg) != CONNECTION_OK) {
		const char *msg = PQerrorMessage(pg);
		size_t len = strlen(msg);
		while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
			len--;
		/* authentication refused is a permission, not an unavailable
		 * server; so is a login role that may not log in (NOLOGIN: a
		 * crm user who left or was removed) or that the server has not */
		int code = strstr(msg, "authentication failed") || strstr(msg, "password")
				   || strstr(msg, "no pg_hba.conf") || strstr(msg, "is not permitted to log in")
				   || (strstr(msg, "FATAL:  role \"") && strstr(msg, "\" does not exist"))
				   ? CRM_PERM : CRM_DBERR;
		/* the database's name, never the password a URL may hold */
		const char *db = PQdb(pg), *who = PQuser(pg);
		if (strstr(msg, "is not permitted to log in") && who && *who)
			crm_error(c, code, "cannot connect to database %s: the login role %s may not log in (%s has left "
				  "or was removed, or the server's administrator ended the login)", db && *db ? db : "(unknown)",
				  who, who);
		else
			crm_error(c, code, "cannot connect to database %s: %.*s", db && *db ? db : "(unknown)", (int)len,
				  msg);
		PQfinish(pg);
		return code;
	}
	PQsetClientEncoding(pg, "UTF8");
	struct pg_conn *pc = xcalloc(1, sizeof(*pc));
	pc->base.ops = &pg_ops;
	pc->pg = pg;
	pc->cancel = PQgetCancel(pg);
	char set[128];
	snprintf(set, sizeof(set), "SET client_min_messages = warning; SET lock_timeout = %d", lock_ms > 0 ? lock_ms : 0);
	if (pg_exec(&pc->base, set) != DB_OK) {
		crm_error(c, CRM_DBERR, "connect: %s", pc->errmsg);
		pg_close(&pc->base);
		return CRM_DBERR;
	}
	*conn = &pc->base;
	return CRM_OK;
}
