/* copy.c: rows to the server and back (see copy.h). */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/progress.h"
#include "server/copy.h"
#include "server/pg.h"

#define COPY_CHUNK (256 * 1024)   /* bytes handed to libpq at a time */

/* Set by SIGINT/SIGTERM: the one piece of state here, because a signal
 * handler can reach nothing else (as import's). */
static volatile sig_atomic_t interrupted;
static struct sigaction old_int, old_term;

static void on_signal(int sig)
{
	interrupted = sig;
}

void copy_catch_signals(bool on)
{
	if (on) {
		struct sigaction sa = { .sa_handler = on_signal };
		sigemptyset(&sa.sa_mask);
		interrupted = 0;
		sigaction(SIGINT, &sa, &old_int);
		sigaction(SIGTERM, &sa, &old_term);
	} else {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
	}
}

int copy_signal(void)
{
	return interrupted;
}

static int stopped(struct crm *c, const char *table)
{
	return crm_error(c, CRM_DBERR, "interrupted while copying %s: nothing was written", table);
}

void copy_format_real(double v, char buf[40])
{
	if (isinf(v)) {
		snprintf(buf, 40, "%s", v > 0 ? "Infinity" : "-Infinity");
		return;
	}
	if (isnan(v)) {
		snprintf(buf, 40, "NaN");
		return;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, 40, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

static void add_real(struct sbuf *b, double v)
{
	char buf[40];
	copy_format_real(v, buf);
	sbuf_add(b, buf);
}

void copy_add_text(struct sbuf *b, const unsigned char *s, int len)
{
	for (int i = 0; i < len; i++) {
		switch (s[i]) {
		case '\\': sbuf_add(b, "\\\\"); break;
		case '\t': sbuf_add(b, "\\t"); break;
		case '\n': sbuf_add(b, "\\n"); break;
		case '\r': sbuf_add(b, "\\r"); break;
		default: sbuf_addc(b, (char)s[i]);
		}
	}
}

/* A BLOB as bytea's hex form, its backslash escaped for COPY. */
static void add_copy_blob(struct sbuf *b, const unsigned char *p, int len)
{
	static const char hex[] = "0123456789abcdef";
	sbuf_add(b, "\\\\x");
	for (int i = 0; i < len; i++) {
		sbuf_addc(b, hex[p[i] >> 4]);
		sbuf_addc(b, hex[p[i] & 15]);
	}
}

static void add_copy_value(struct sbuf *b, sqlite3_stmt *st, int i)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		sbuf_add(b, "\\N");
		break;
	case SQLITE_INTEGER:
		sbuf_addf(b, "%lld", (long long)sqlite3_column_int64(st, i));
		break;
	case SQLITE_FLOAT:
		add_real(b, sqlite3_column_double(st, i));
		break;
	case SQLITE_BLOB:
		add_copy_blob(b, sqlite3_column_blob(st, i), sqlite3_column_bytes(st, i));
		break;
	default:
		copy_add_text(b, sqlite3_column_text(st, i), sqlite3_column_bytes(st, i));
	}
}

static void add_ident(PGconn *conn, struct sbuf *b, const char *name)
{
	char *q = pg_ident(conn, name);
	sbuf_add(b, q);
	free(q);
}

/* "c1", "c2", ... of t's columns (quoted the server's way: both sides
 * quote identifiers with double quotes). */
static void add_columns(PGconn *conn, struct sbuf *b, const struct stable *t, const struct stable *only)
{
	int n = 0;
	for (int i = 0; i < t->ncols; i++) {
		if (only && !stable_col(only, t->cols[i].name))
			continue;
		sbuf_add(b, n++ ? ", " : "");
		add_ident(conn, b, t->cols[i].name);
	}
}

static int put(struct crm *c, PGconn *conn, struct sbuf *b, const char *table)
{
	if (!b->len)
		return CRM_OK;
	if (PQputCopyData(conn, b->s, (int)b->len) != 1)
		return crm_error(c, CRM_DBERR, "copying %s to the server: %s", table, PQerrorMessage(conn));
	b->len = 0;
	b->s[0] = 0;
	return CRM_OK;
}

static void progress_start(struct progress *pg, struct crm *c, const char *table)
{
	char what[128];
	snprintf(what, sizeof(what), "migrate %s", table);
	progress_begin(pg, c, what, "rows");
}

static void progress_at(struct progress *pg, long long n, long long total)
{
	if ((n & 4095) == 0)
		progress_update(pg, n, total > 0 ? (double)n / (double)total : -1);
}

/* Stream the rows of st into the COPY that is under way. */
static int stream_rows(struct crm *c, sqlite3 *db, sqlite3_stmt *st, PGconn *conn, const char *table,
		       long long total, long long *n)
{
	struct progress pg;
	progress_start(&pg, c, table);
	struct sbuf b = { 0 };
	int ncol = sqlite3_column_count(st), rc = CRM_OK, step;
	while (rc == CRM_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < ncol; i++) {
			sbuf_add(&b, i ? "\t" : "");
			add_copy_value(&b, st, i);
		}
		sbuf_addc(&b, '\n');
		progress_at(&pg, ++*n, total);
		if (b.len >= COPY_CHUNK)
			rc = interrupted ? stopped(c, table) : put(c, conn, &b, table);
	}
	progress_end(&pg);
	if (!rc && step != SQLITE_DONE)
		rc = crm_error(c, CRM_DBERR, "reading %s: %s", table, sqlite3_errmsg(db));
	if (!rc)
		rc = put(c, conn, &b, table);
	sbuf_release(&b);
	return rc;
}

/* End the COPY (aborting it when rc says so) and take its result. */
static int copy_end(struct crm *c, PGconn *conn, const char *table, int rc)
{
	if (PQputCopyEnd(conn, rc ? "crm migrate stopped" : NULL) != 1 && !rc)
		rc = crm_error(c, CRM_DBERR, "copying %s to the server: %s", table, PQerrorMessage(conn));
	PGresult *r;
	char what[160];
	snprintf(what, sizeof(what), "copying %s to the server", table);
	while ((r = PQgetResult(conn)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && !rc)
			rc = pg_error(c, conn, r, what);
		PQclear(r);
	}
	return rc;
}

int copy_to_pg(struct crm *c, sqlite3 *db, PGconn *conn, const struct stable *t, long long total, long long *n)
{
	*n = 0;
	struct sbuf sel = { 0 }, cp = { 0 };
	sbuf_add(&sel, "SELECT ");
	add_columns(conn, &sel, t, NULL);
	sbuf_add(&sel, " FROM ");
	add_ident(conn, &sel, t->name);
	sbuf_add(&sel, t->rowid ? " ORDER BY rowid" : "");
	sqlite3_stmt *st = NULL;
	int rc = CRM_OK;
	if (sqlite3_prepare_v2(db, sel.s, -1, &st, NULL) != SQLITE_OK)
		rc = crm_error(c, CRM_DBERR, "reading %s: %s", t->name, sqlite3_errmsg(db));
	sbuf_add(&cp, "COPY ");
	add_ident(conn, &cp, t->name);
	sbuf_add(&cp, " (");
	add_columns(conn, &cp, t, NULL);
	sbuf_add(&cp, ") FROM STDIN");
	PGresult *r = rc ? NULL : PQexec(conn, cp.s);
	if (!rc && PQresultStatus(r) != PGRES_COPY_IN) {
		rc = pg_error(c, conn, r, "starting the copy");
		PQclear(r);
	} else if (!rc) {
		PQclear(r);
		rc = copy_end(c, conn, t->name, stream_rows(c, db, st, conn, t->name, total, n));
	}
	sqlite3_finalize(st);
	sbuf_release(&sel);
	sbuf_release(&cp);
	return rc;
}

/* ---- from the server ---- */

static int bind_value(struct crm *c, sqlite3_stmt *ins, int i, const struct scol *k, const PGresult *r, int col)
{
	if (PQgetisnull(r, 0, col))
		return sqlite3_bind_null(ins, i);
	const char *v = PQgetvalue(r, 0, col);
	switch (k->kind) {
	case COL_INT:
		return sqlite3_bind_int64(ins, i, strtoll(v, NULL, 10));
	case COL_REAL:
		return sqlite3_bind_double(ins, i, strtod(v, NULL));
	case COL_BLOB: {
		size_t len = 0;
		unsigned char *p = PQunescapeBytea((const unsigned char *)v, &len);
		if (!p)
			return crm_error(c, CRM_DBERR, "out of memory reading %s", k->name), SQLITE_NOMEM;
		int rc = sqlite3_bind_blob(ins, i, p, (int)len, SQLITE_TRANSIENT);
		PQfreemem(p);
		return rc;
	}
	default:   /* TEXT, and NUMERIC from its text as SQLite would read it */
		return sqlite3_bind_text(ins, i, v, PQgetlength(r, 0, col), SQLITE_TRANSIENT);
	}
}

static int insert_row(struct crm *c, sqlite3 *db, sqlite3_stmt *ins, const struct stable *t,
		      const struct stable *src, const PGresult *r)
{
	int col = 0;
	for (int i = 0; i < t->ncols; i++) {
		if (!stable_col(src, t->cols[i].name))
			continue;
		if (bind_value(c, ins, col + 1, &t->cols[i], r, col) != SQLITE_OK)
			return c->errmsg[0] ? c->errcode
					    : crm_error(c, CRM_DBERR, "copying %s: %s", t->name, sqlite3_errmsg(db));
		col++;
	}
	int rc = sqlite3_step(ins);
	sqlite3_reset(ins);
	if (rc != SQLITE_DONE)
		return crm_error(c, CRM_DBERR, "copying %s: %s", t->name, sqlite3_errmsg(db));
	return CRM_OK;
}

static char *select_from_pg(PGconn *conn, const struct stable *src, const struct stable *t)
{
	struct sbuf b = { 0 };
	sbuf_add(&b, "SELECT ");
	add_columns(conn, &b, t, src);
	sbuf_add(&b, " FROM ");
	add_ident(conn, &b, t->name);
	/* the order the rows went in (rowids as they were) */
	sbuf_add(&b, " ORDER BY ");
	if (stable_identity(t))
		add_ident(conn, &b, stable_identity(t));
	else
		sbuf_add(&b, "ctid");
	return sbuf_detach(&b);
}

static char *insert_into_sqlite(PGconn *conn, const struct stable *src, const struct stable *t)
{
	struct sbuf b = { 0 };
	sbuf_add(&b, "INSERT INTO ");
	add_ident(conn, &b, t->name);
	sbuf_add(&b, " (");
	add_columns(conn, &b, t, src);
	sbuf_add(&b, ") VALUES (");
	for (int i = 0, n = 0; i < t->ncols; i++)
		if (stable_col(src, t->cols[i].name))
			sbuf_add(&b, n++ ? ", ?" : "?");
	sbuf_add(&b, ")");
	return sbuf_detach(&b);
}

/* Take the results of the query under way to its end. */
static int drain(struct crm *c, PGconn *conn, int rc, const char *what)
{
	PGresult *r;
	while ((r = PQgetResult(conn)) != NULL) {
		ExecStatusType s = PQresultStatus(r);
		if (!rc && s != PGRES_TUPLES_OK && s != PGRES_SINGLE_TUPLE)
			rc = pg_error(c, conn, r, what);
		PQclear(r);
	}
	return rc;
}

int copy_from_pg(struct crm *c, PGconn *conn, const struct stable *src, sqlite3 *db, const struct stable *t,
		 long long total, long long *n)
{
	struct progress pg;
	progress_start(&pg, c, t->name);
	*n = 0;
	char *sel = select_from_pg(conn, src, t), *sql = insert_into_sqlite(conn, src, t);
	char what[160];
	snprintf(what, sizeof(what), "reading %s from the server", t->name);
	sqlite3_stmt *ins = NULL;
	int rc = CRM_OK;
	if (sqlite3_prepare_v2(db, sql, -1, &ins, NULL) != SQLITE_OK)
		rc = crm_error(c, CRM_DBERR, "copying %s: %s", t->name, sqlite3_errmsg(db));
	else if (!PQsendQuery(conn, sel) || !PQsetSingleRowMode(conn))
		rc = pg_error(c, conn, NULL, what);
	PGresult *r;
	while (!rc && (r = PQgetResult(conn)) != NULL) {
		ExecStatusType s = PQresultStatus(r);
		if (s == PGRES_SINGLE_TUPLE) {
			rc = interrupted ? stopped(c, t->name) : insert_row(c, db, ins, t, src, r);
			progress_at(&pg, ++*n, total);
		} else if (s != PGRES_TUPLES_OK) {
			rc = pg_error(c, conn, r, what);
		}
		PQclear(r);
	}
	if (ins)
		rc = drain(c, conn, rc, what);
	progress_end(&pg);
	sqlite3_finalize(ins);
	free(sel);
	free(sql);
	return rc;
}

int count_sqlite(struct crm *c, sqlite3 *db, const char *table, long long *n)
{
	char *sql = sqlite3_mprintf("SELECT count(*) FROM \"%w\"", table);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	sqlite3_free(sql);
	if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		*n = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		return CRM_OK;
	}
	rc = crm_error(c, CRM_DBERR, "counting %s: %s", table, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc;
}

int count_pg(struct crm *c, PGconn *conn, const char *table, long long *n)
{
	char *q = pg_ident(conn, table);
	char *sql = xasprintf("SELECT count(*) FROM %s", q);
	int rc;
	char *v = pg_get_text(c, conn, sql, NULL, &rc);
	*n = v ? strtoll(v, NULL, 10) : 0;
	free(v);
	free(sql);
	free(q);
	return rc;
}
