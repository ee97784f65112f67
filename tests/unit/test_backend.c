/* test_backend.c: the two database backends behind core/backend.h do the
 * same for the same calls: prepare, bind, step, columns, NULLs, Chinese
 * text, placeholders (a ? inside a string is text), a unique violation's
 * code and exit status, a transaction and a savepoint rolled back.
 *
 * SQLite runs in memory. PostgreSQL is a throwaway cluster started with
 * tests/pg.bash (the team server suites' own), or the server at
 * CRM_TEST_PG_URL; without server binaries its checks are skipped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "core/backend.h"
#include "core/crm.h"
#include "unit.h"

static const char *chinese = "张三 (北京)";

/* DDL is what differs: an id that numbers itself. */
struct dialect {
	const char *name;
	const char *create;
};

static long long count(struct db_conn *conn, const char *where)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM t WHERE %s", where);
	struct db_stmt *st = NULL;
	long long n = -1;
	if (db_conn_prepare(conn, sql, -1, &st, NULL) == DB_OK && db_step(st) == DB_ROW)
		n = db_column_int64(st, 0);
	db_finalize(st);
	return n;
}

static int insert(struct db_conn *conn, const char *name)
{
	struct db_stmt *st = db_conn_cached(conn, "INSERT INTO t (name, n) VALUES (?, ?)");
	if (!st)
		return -1;
	db_bind_text(st, 1, name, -1, DB_TRANSIENT);
	db_bind_int(st, 2, 7);
	int rc = db_step(st);
	db_reset(st);
	return rc;
}

static void exercise(struct db_conn *conn, const struct dialect *d)
{
	printf("# backend %s\n", d->name);
	CHECK(db_conn_exec(conn, "DROP TABLE IF EXISTS t") == DB_OK);
	CHECK(db_conn_exec(conn, d->create) == DB_OK);

	/* prepare, bind every kind, step */
	struct db_stmt *st = NULL;
	CHECK(db_conn_prepare(conn, "INSERT INTO t (name, n, x, note) VALUES (?, ?2, ?, ?)", -1, &st, NULL) == DB_OK);
	CHECK(st != NULL);
	if (!st)
		return;
	CHECK(db_bind_text(st, 1, chinese, -1, DB_STATIC) == DB_OK);
	CHECK(db_bind_int64(st, 2, 9007199254740993LL) == DB_OK);   /* not a double's */
	CHECK(db_bind_double(st, 3, 2.5) == DB_OK);
	CHECK(db_bind_null(st, 4) == DB_OK);
	CHECK(db_bind_int(st, 5, 1) == DB_RANGE);
	CHECK(db_step(st) == DB_DONE);
	CHECK(db_conn_changes(conn) == 1);
	CHECK(db_conn_last_insert_id(conn) == 1);
	CHECK(db_finalize(st) == DB_OK);

	/* columns, NULLs, a ? inside strings and quoted names stays text */
	st = NULL;
	CHECK(db_conn_prepare(conn, "SELECT name, n, x, note, 'a?b' AS \"q?\", '?'' ?' FROM t "
			      "WHERE id = ? AND name = ? -- a comment? yes\n", -1, &st, NULL) == DB_OK);
	if (!st)
		return;
	CHECK(db_column_count(st) == 6);
	CHECK_STR(db_column_name(st, 0), "name");
	CHECK_STR(db_column_name(st, 4), "q?");
	db_bind_int64(st, 1, 1);
	db_bind_text(st, 2, chinese, (int)strlen(chinese), DB_TRANSIENT);
	CHECK(db_step(st) == DB_ROW);
	CHECK(db_column_type(st, 0) == DB_TEXT);
	CHECK_STR((const char *)db_column_text(st, 0), chinese);
	CHECK(db_column_bytes(st, 0) == (int)strlen(chinese));
	CHECK(db_column_type(st, 1) == DB_INTEGER);
	CHECK(db_column_int64(st, 1) == 9007199254740993LL);
	CHECK(db_column_type(st, 2) == DB_FLOAT);
	CHECK(db_column_double(st, 2) == 2.5);
	CHECK(db_column_type(st, 3) == DB_NULL);
	CHECK(db_column_text(st, 3) == NULL);
	CHECK(db_column_int(st, 3) == 0);
	CHECK_STR((const char *)db_column_text(st, 4), "a?b");
	CHECK_STR((const char *)db_column_text(st, 5), "?' ?");
	CHECK(db_step(st) == DB_DONE);
	/* reset keeps the bindings: the same row again */
	db_reset(st);
	CHECK(db_step(st) == DB_ROW);
	CHECK(db_column_int64(st, 1) == 9007199254740993LL);
	db_finalize(st);

	/* the cache: the same statement for the same SQL, its bindings cleared */
	const char *sel = "SELECT count(*) FROM t WHERE name = ?";
	struct db_stmt *a = db_conn_cached(conn, sel), *b;
	CHECK(a != NULL);
	if (!a)
		return;
	db_bind_text(a, 1, chinese, -1, DB_STATIC);
	CHECK(db_step(a) == DB_ROW && db_column_int64(a, 0) == 1);
	char copy[64];
	snprintf(copy, sizeof(copy), "%s", sel);   /* another string, the same SQL */
	b = db_conn_cached(conn, copy);
	CHECK(a == b);
	CHECK(db_step(b) == DB_ROW && db_column_int64(b, 0) == 0);   /* NULL: no name = NULL */
	CHECK(db_stmt_readonly(b));
	db_reset(b);

	/* a unique violation: its own code, a constraint, exit status 4 */
	int rc = insert(conn, chinese);
	CHECK(rc == DB_CONSTRAINT_UNIQUE);
	CHECK((rc & 0xff) == DB_CONSTRAINT);
	CHECK(crm_dbstatus(rc) == CRM_CONFLICT);
	struct crm c = { 0 };
	c.conn = conn;
	CHECK(crm_dberror(&c, rc, "lead") == CRM_CONFLICT);
	CHECK(!strncmp(c.errmsg, "lead: ", 6) && strlen(c.errmsg) > 6);
	printf("# %s\n", c.errmsg);
	CHECK(db_conn_errcode(conn) == DB_CONSTRAINT_UNIQUE);
	CHECK(crm_dbstatus(DB_BUSY_RETRY) == CRM_DBERR);
	CHECK(crm_dberror(&c, DB_BUSY_RETRY, "lead") == CRM_DBERR && strstr(c.errmsg, "run it again"));
	CHECK(crm_dbstatus(DB_PERM) == CRM_PERM);
	CHECK(crm_dbstatus(DB_BUSY_TIMEOUT) == CRM_DBERR);
	CHECK(crm_dbstatus(DB_DONE) == CRM_OK);

	/* a transaction rolled back */
	CHECK(!db_conn_in_txn(conn));
	CHECK(db_conn_begin(conn) == DB_OK);
	CHECK(db_conn_in_txn(conn));
	CHECK(insert(conn, "李四") == DB_DONE);
	CHECK(count(conn, "name = '李四'") == 1);
	CHECK(db_conn_rollback(conn) == DB_OK);
	CHECK(!db_conn_in_txn(conn));
	CHECK(count(conn, "name = '李四'") == 0);

	/* a savepoint rolled back after a refused row: the rest commits */
	CHECK(db_conn_begin(conn) == DB_OK);
	CHECK(insert(conn, "王五") == DB_DONE);
	CHECK(db_conn_savepoint(conn, "rec") == DB_OK);
	CHECK(insert(conn, "赵六") == DB_DONE);
	CHECK(insert(conn, "王五") == DB_CONSTRAINT_UNIQUE);
	CHECK(db_conn_rollback_to(conn, "rec") == DB_OK);
	CHECK(db_conn_release(conn, "rec") == DB_OK);
	CHECK(insert(conn, "钱七") == DB_DONE);
	CHECK(db_conn_commit(conn) == DB_OK);
	CHECK(count(conn, "name = '王五'") == 1);
	CHECK(count(conn, "name = '赵六'") == 0);
	CHECK(count(conn, "name = '钱七'") == 1);
	CHECK(count(conn, "1 = 1") == 3);

	/* a syntax error is an error, its message kept */
	st = NULL;
	CHECK(db_conn_prepare(conn, "SELEC 1", -1, &st, NULL) == DB_ERROR);
	CHECK(st == NULL);
	CHECK(strlen(db_conn_errmsg(conn)) > 0);
	CHECK(db_conn_exec(conn, "DROP TABLE t") == DB_OK);
}

static void test_placeholders(void)
{
	int n = -1;
	char *s = db_pg_placeholders("SELECT ?, ?3, ? FROM x WHERE a = '?' AND \"q?\" = ? -- ?\n"
				     "AND b = 'it''s ?' /* ? */ AND c = ?1", -1, &n);
	/* (not CHECK_STR: it would print the newline into the test's output) */
	CHECK(!strcmp(s, "SELECT $1, $3, $4 FROM x WHERE a = '?' AND \"q?\" = $5 -- ?\n"
		      "AND b = 'it''s ?' /* ? */ AND c = $1"));
	CHECK(n == 5);
	free(s);
	s = db_pg_placeholders("SELECT 1", -1, &n);
	CHECK_STR(s, "SELECT 1");
	CHECK(n == 0);
	free(s);
	s = db_pg_placeholders("SELECT '?", -1, &n);   /* unterminated: left as it is */
	CHECK_STR(s, "SELECT '?");
	CHECK(n == 0);
	free(s);
	s = db_pg_placeholders("a = ? AND b = ?; more", 8, &n);   /* the first n bytes */
	CHECK_STR(s, "a = $1 AN");
	CHECK(n == 1);
	free(s);
}

static void test_sqlite(void)
{
	sqlite3 *db = NULL;
	CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
	sqlite3_extended_result_codes(db, 1);
	struct db_conn *conn = db_sqlite_conn(db);
	const struct dialect d = { "sqlite",
		"CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, n INTEGER, x REAL, note TEXT)" };
	exercise(conn, &d);
	db_conn_close(conn);
	CHECK(sqlite3_close(db) == SQLITE_OK);   /* every statement finalized */
}

/* ---- PostgreSQL ---- */

static char pg_env[1024];   /* "PG_DIR=... PG_BIN=... PG_USER=...": what pg_stop needs */

/* Start a throwaway cluster; its socket directory in sock, or why not. */
static int pg_start(char *sock, size_t len, char *why, size_t wlen)
{
	FILE *p = popen("ROOT_DIR=$PWD bash -c '. tests/pg.bash; pg_start >&2 || exit 1; "
			"if [ -n \"${PG_SKIP:-}\" ]; then echo \"SKIP $PG_SKIP\"; "
			"else echo \"$PG_DIR $PG_BIN $PG_USER\"; fi'", "r");
	char line[1024] = "";
	if (!p || !fgets(line, sizeof(line), p)) {
		if (p)
			pclose(p);
		snprintf(why, wlen, "the cluster did not start");
		return -1;
	}
	pclose(p);
	line[strcspn(line, "\n")] = 0;
	if (!strncmp(line, "SKIP ", 5)) {
		snprintf(why, wlen, "%.500s", line + 5);
		return -1;
	}
	char dir[512], bin[256], user[64];
	if (sscanf(line, "%511s %255s %63s", dir, bin, user) != 3) {
		snprintf(why, wlen, "pg_start said '%s'", line);
		return -1;
	}
	snprintf(pg_env, sizeof(pg_env), "PG_DIR=\"%s\" PG_BIN=\"%s\" PG_USER=\"%s\"", dir, bin, user);
	snprintf(sock, len, "%s/sock", dir);
	return 0;
}

static void pg_stop(void)
{
	if (!pg_env[0])
		return;
	char cmd[1400];
	snprintf(cmd, sizeof(cmd), "bash -c '. tests/pg.bash; %s; pg_stop'", pg_env);
	if (system(cmd) != 0)
		printf("# pg_stop failed\n");
}

/* A second connection waits for a row the first holds: lock_timeout. */
static void pg_lock_timeout(struct crm *c, const char *url, struct db_conn *a)
{
	struct db_conn *b = NULL;
	CHECK(db_pg_connect(c, url, 200, &b) == CRM_OK);
	if (!b)
		return;
	CHECK(db_conn_exec(a, "CREATE TABLE lk (id bigint PRIMARY KEY, v text)") == DB_OK);
	CHECK(db_conn_exec(a, "INSERT INTO lk VALUES (1, 'a')") == DB_OK);
	CHECK(db_conn_begin(a) == DB_OK);
	CHECK(db_conn_exec(a, "UPDATE lk SET v = 'b' WHERE id = 1") == DB_OK);
	struct db_stmt *st = db_conn_cached(b, "UPDATE lk SET v = ? WHERE id = ?");
	CHECK(st != NULL);
	if (st) {
		db_bind_text(st, 1, "c", -1, DB_STATIC);
		db_bind_int64(st, 2, 1);
		int rc = db_step(st);
		CHECK(rc == DB_BUSY_TIMEOUT);
		CHECK(crm_dberror(c, rc, "update") == CRM_DBERR && strstr(c->errmsg, "locked"));
		db_reset(st);
	}
	CHECK(db_conn_rollback(a) == DB_OK);
	db_conn_close(b);
	CHECK(db_conn_exec(a, "DROP TABLE lk") == DB_OK);
}

/* A role without the privilege: 42501 is DB_PERM, exit status 5. */
static void pg_permission(struct crm *c, const char *sock, struct db_conn *a)
{
	CHECK(db_conn_exec(a, "DROP ROLE IF EXISTS crm_unit_nobody; CREATE ROLE crm_unit_nobody LOGIN; "
			   "CREATE TABLE secret (id bigint)") == DB_OK);
	char url[1200];
	snprintf(url, sizeof(url), "postgresql:///crm_unit?host=%s&user=crm_unit_nobody", sock);
	struct db_conn *b = NULL;
	CHECK(db_pg_connect(c, url, 0, &b) == CRM_OK);
	if (b) {
		struct db_stmt *st = NULL;
		int rc = db_conn_prepare(b, "SELECT id FROM secret", -1, &st, NULL);
		if (rc == DB_OK)
			rc = db_step(st);
		CHECK(rc == DB_PERM);
		CHECK(crm_dbstatus(rc) == CRM_PERM);
		db_finalize(st);
		db_conn_close(b);
	}
	CHECK(db_conn_exec(a, "DROP TABLE secret; DROP ROLE crm_unit_nobody") == DB_OK);
}

static void test_pg(void)
{
	char sock[600] = "", why[600] = "", url[1200];
	const char *given = getenv("CRM_TEST_PG_URL");
	struct crm c = { 0 };
	struct db_conn *conn = NULL;
	if (given && *given) {
		snprintf(url, sizeof(url), "%s", given);
	} else {
		if (pg_start(sock, sizeof(sock), why, sizeof(why))) {
			printf("ok - postgresql backend # skip %s\n", why);
			return;
		}
		snprintf(url, sizeof(url), "postgresql:///postgres?host=%s&user=postgres", sock);
		CHECK(db_pg_connect(&c, url, 0, &conn) == CRM_OK);
		if (!conn) {
			printf("# %s\n", c.errmsg);
			return;
		}
		CHECK(db_conn_exec(conn, "CREATE DATABASE crm_unit") == DB_OK);
		db_conn_close(conn);
		conn = NULL;
		snprintf(url, sizeof(url), "postgresql:///crm_unit?host=%s&user=postgres", sock);
	}
	CHECK(db_pg_connect(&c, url, 0, &conn) == CRM_OK);
	if (!conn) {
		printf("# %s\n", c.errmsg);
		return;
	}
	const struct dialect d = { "postgresql",
		"CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name text UNIQUE, "
		"n bigint, x double precision, note text)" };
	exercise(conn, &d);
	/* booleans read as SQLite's 0 and 1; sum() of bigints is whole */
	struct db_stmt *st = NULL;
	CHECK(db_conn_prepare(conn, "SELECT true, false, sum(v) FROM (VALUES (1::bigint), (2)) AS s(v)", -1, &st,
			      NULL) == DB_OK);
	if (st) {
		CHECK(db_step(st) == DB_ROW);
		CHECK(db_column_type(st, 0) == DB_INTEGER && db_column_int64(st, 0) == 1);
		CHECK_STR((const char *)db_column_text(st, 1), "0");
		CHECK(db_column_type(st, 2) == DB_INTEGER && db_column_int64(st, 2) == 3);
		db_finalize(st);
	}
	/* COMMIT of a transaction an error aborted fails */
	CHECK(db_conn_begin(conn) == DB_OK);
	CHECK(db_conn_exec(conn, "SELECT 1/0") == DB_MISMATCH);
	CHECK(db_conn_commit(conn) != DB_OK);
	CHECK(!db_conn_in_txn(conn));
	if (sock[0]) {
		pg_lock_timeout(&c, url, conn);
		pg_permission(&c, sock, conn);
	}
	db_conn_close(conn);
}

int main(void)
{
	test_placeholders();
	test_sqlite();
	test_pg();
	pg_stop();
	UNIT_DONE();
}
