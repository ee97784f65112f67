/* db.c: statements, transactions, savepoints; backup and checks. */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/db.h"
#include "core/dialect.h"
#include "io/fs.h"
#include "io/out.h"

/* An SQL run's failure as db_exec reports it: CRM_OK, or the error
 * recorded (a lock says so, a constraint is a conflict). */
static int exec_status(struct crm *c, int rc)
{
	if (rc == DB_OK)
		return CRM_OK;
	int code = crm_dbstatus(rc);
	if (code == CRM_OK)
		code = CRM_DBERR;
	c->db_retry = rc == DB_BUSY_RETRY;
	if (rc == DB_BUSY_RETRY)
		return crm_error(c, code, "database is locked: another writer changed the same rows meanwhile "
				 "(serialization failure or deadlock); run it again");
	if ((rc & 0xff) == DB_BUSY)
		return crm_error(c, code, "database is locked (busy timeout passed)");
	return crm_error(c, code, "%s", db_errmsg(c));
}

int db_exec(struct crm *c, const char *sql)
{
	return exec_status(c, db_execute(c, sql));
}

struct db_stmt *db_stmt(struct crm *c, const char *sql)
{
	struct db_stmt *st = db_conn_cached(c->conn, sql);
	if (!st)
		crm_dberror(c, db_errcode(c), "prepare");
	return st;
}

char *db_get_text(struct crm *c, const char *sql, const char *param)
{
	struct db_stmt *st = db_stmt(c, sql);
	char *r = NULL;
	if (!st)
		return NULL;
	if (param)
		db_bind_text(st, 1, param, -1, DB_STATIC);
	if (db_step(st) == DB_ROW && db_column_type(st, 0) != DB_NULL)
		r = xstrdup((const char *)db_column_text(st, 0));
	db_reset(st);
	return r;
}

long long db_get_int(struct crm *c, const char *sql, const char *param, long long def)
{
	struct db_stmt *st = db_stmt(c, sql);
	long long r = def;
	if (!st)
		return def;
	if (param)
		db_bind_text(st, 1, param, -1, DB_STATIC);
	if (db_step(st) == DB_ROW && db_column_type(st, 0) != DB_NULL)
		r = db_column_int64(st, 0);
	db_reset(st);
	return r;
}

/* ---- transactions ---- */

bool db_in_txn(struct crm *c)
{
	return c->conn && db_conn_in_txn(c->conn);
}

bool db_txn_aborted(struct crm *c)
{
	return c->conn && db_conn_txn_aborted(c->conn);
}

void db_bulk(struct crm *c, int cache_mb)
{
	/* SQLite's hints (a PRAGMA in a server's transaction would abort it) */
	if (dialect_server(c))
		return;
	char q[64];
	snprintf(q, sizeof(q), "PRAGMA cache_size = -%d", cache_mb * 1024);
	db_execute(c, q);   /* a hint */
	/* its batches' pages go back into the database file every 64 MB
	 * of them, not every 4 MB */
	db_execute(c, "PRAGMA wal_autocheckpoint = 16384");
}

void db_read_mapped(struct crm *c, bool on)
{
	if (dialect_server(c))
		return;
	db_execute(c, on ? "PRAGMA mmap_size = 2147483648" : "PRAGMA mmap_size = 0");
}

void db_sort_on_disk(struct crm *c)
{
	if (dialect_server(c))
		return;
	/* the sorter that builds a table's indexes spills to files past the
	 * cache size: in memory it held every key */
	db_execute(c, "PRAGMA temp_store = FILE");   /* a hint */
}

void db_sort_in_memory(struct crm *c)
{
	if (dialect_server(c))
		return;
	db_execute(c, "PRAGMA temp_store = MEMORY");   /* a hint */
}

int db_begin(struct crm *c)
{
	if (c->txn_failed[0])
		return crm_error(c, CRM_DBERR, "%s", c->txn_failed);
	if (c->db_readonly)
		return crm_error(c, CRM_DBERR, "database %s is read-only", c->db_path);
	int rc = exec_status(c, db_conn_begin(c->conn));
	clock_gettime(CLOCK_MONOTONIC, &c->txn_began);
	c->txn_serial++;
	return rc;
}

double db_txn_seconds(const struct crm *c)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - c->txn_began.tv_sec) + (now.tv_nsec - c->txn_began.tv_nsec) / 1e9;
}

int db_commit(struct crm *c)
{
	return exec_status(c, db_conn_commit(c->conn));
}

void db_rollback(struct crm *c)
{
	if (db_in_txn(c))
		db_conn_rollback(c->conn);
}

bool db_may_split(const struct crm *c, bool when_idle)
{
	if (c->rollback || c->atomic)
		return false;
	return !c->strict || (when_idle && c->commit_when_idle);
}

int db_savepoint(struct crm *c)
{
	if (c->txn_failed[0])
		return crm_error(c, CRM_DBERR, "%s", c->txn_failed);
	int rc = db_conn_savepoint(c->conn, "rec");
	return rc == DB_OK ? CRM_OK : crm_dberror(c, rc, "SAVEPOINT rec");
}

int db_release(struct crm *c)
{
	int rc = db_conn_release(c->conn, "rec");
	return rc == DB_OK ? CRM_OK : crm_dberror(c, rc, "RELEASE rec");
}

/* Undo the record's changes, keeping the error that made us undo them. */
void db_rollback_to(struct crm *c)
{
	db_conn_rollback_to(c->conn, "rec");
	db_conn_release(c->conn, "rec");
}

int db_ids(struct crm *c, struct db_stmt *st, long long **ids, int *n)
{
	int rc, cap = 0;
	*ids = NULL;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*ids = xrealloc(*ids, cap * sizeof(**ids));
		}
		(*ids)[(*n)++] = db_column_int64(st, 0);
	}
	db_finalize(st);
	return rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "reading ids");
}

void db_close(struct crm *c)
{
	if (!c->conn)
		return;
	db_rollback(c);
	db_conn_close(c->conn);
	c->conn = NULL;
	if (c->db)
		sqlite3_close(c->db);
	c->db = NULL;
	c->db_readonly = false;
	free(c->db_role);
	c->db_role = NULL;
}

int db_backup_target(struct crm *c, const char *path)
{
	struct stat lst;
	if (lstat(path, &lst) == 0)
		return S_ISLNK(lst.st_mode)
			? crm_error(c, CRM_CONFLICT, "backup file %s is a symbolic link: not written through", path)
			: crm_error(c, CRM_CONFLICT, "backup file %s already exists", path);
	return CRM_OK;
}

int db_backup_to(struct crm *c, const char *path)
{
	sqlite3 *dst;
	int trc = db_backup_target(c, path);
	if (trc)
		return trc;
	/* Into a new file of our own (O_EXCL, 0600) beside it, put in place
	 * when whole: a backup is never half a file, nor written through a
	 * link someone put in its place meanwhile. */
	char *tmp;
	int fd = fs_temp_beside(path, &tmp);
	if (fd < 0)
		return crm_error(c, CRM_DBERR, "cannot create backup %s: %s", path, strerror(errno));
	close(fd);
	int rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL);
	if (rc != SQLITE_OK) {
		crm_error(c, CRM_DBERR, "cannot create backup %s: %s", path, sqlite3_errmsg(dst));
		sqlite3_close(dst);
		unlink(tmp);
		free(tmp);
		return CRM_DBERR;
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", c->db, "main");
	if (!b) {
		crm_error(c, CRM_DBERR, "cannot back up to %s: %s", path, sqlite3_errmsg(dst));
		sqlite3_close(dst);
		unlink(tmp);
		free(tmp);
		return CRM_DBERR;
	}
	/* Copy in steps so writers elsewhere are not locked out for long;
	 * a write by another connection restarts the copy. */
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	int crc = sqlite3_close(dst);
	if (rc != SQLITE_DONE || crc != SQLITE_OK) {
		crm_error(c, CRM_DBERR, "backup to %s failed: %s", path,
			  sqlite3_errstr(rc != SQLITE_DONE ? rc : crc));
		unlink(tmp);
		free(tmp);
		return CRM_DBERR;
	}
	if (fs_commit(tmp, path, 0) != 0) {
		int e = errno;
		free(tmp);
		return e == EEXIST ? crm_error(c, CRM_CONFLICT, "backup file %s already exists", path)
				   : crm_error(c, CRM_DBERR, "cannot create backup %s: %s", path, strerror(e));
	}
	free(tmp);
	return CRM_OK;
}

void db_check_line(struct crm *c, const char *check, const char *result)
{
	out_begin(c->out);
	out_str(c->out, "type", "check");
	out_str(c->out, "check", check);
	out_str(c->out, "result", result);
	out_end(c->out);
}

static int check_one(struct crm *c, const char *name, const char *sql, bool *damaged)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		*damaged = true;
		db_check_line(c, name, sqlite3_errmsg(c->db));
		return CRM_OK;
	}
	int problems = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		if (!strcmp(name, "integrity") && v && !strcmp(v, "ok"))
			continue;
		struct sbuf b = { 0 };
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const char *col = (const char *)sqlite3_column_text(st, i);
			sbuf_addf(&b, "%s%s", i ? " " : "", col ? col : "");
		}
		db_check_line(c, name, b.s ? b.s : "");
		sbuf_release(&b);
		problems++;
	}
	if (rc != SQLITE_DONE) {
		problems++;
		db_check_line(c, name, sqlite3_errmsg(c->db));
	}
	sqlite3_finalize(st);
	if (!problems)
		db_check_line(c, name, "ok");
	if (problems)
		*damaged = true;
	return CRM_OK;
}

int db_check(struct crm *c)
{
	bool damaged = false;
	check_one(c, "integrity", "PRAGMA integrity_check", &damaged);
	check_one(c, "foreign_keys", "PRAGMA foreign_key_check", &damaged);
	if (damaged)
		return crm_error(c, CRM_DBERR, "database %s is damaged; restore a backup (crm backup)",
				 c->db_path);
	return CRM_OK;
}
