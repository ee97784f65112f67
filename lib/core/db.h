/* db.h: the database handle's statements and transactions. */
#ifndef CRM_DB_H
#define CRM_DB_H

#include <stdbool.h>
#include "core/backend.h"
#include "core/crm.h"

/* BEGIN IMMEDIATE (waits for the write lock up to the busy timeout, so
 * two writers queue instead of failing halfway), COMMIT, ROLLBACK. */
int db_begin(struct crm *c);
int db_commit(struct crm *c);
void db_rollback(struct crm *c);
bool db_in_txn(struct crm *c);
/* the server aborted the open transaction at a failed statement */
bool db_txn_aborted(struct crm *c);
/* A command about to write in bulk (import, score, track): a page cache
 * of cache_mb, not SQLite's 2 MB, so that the pages it comes back to stay
 * in memory instead of being read and spilled again every few rows. */
void db_bulk(struct crm *c, int cache_mb);
/* A command whose reads land all over a large file (track: a random lead
 * page an event): on, pages are read in place from the file's mapping
 * (the system's page cache) rather than copied in one pread each; off
 * again after. A hint. */
void db_read_mapped(struct crm *c, bool on);
/* About to build indexes of a million keys (a staged import's move):
 * temporary files on disk, so that sorting takes no more memory than the
 * cache. Only then: with them on disk, every savepoint's pages went to a
 * temporary file as well (ten writes a row of a direct import). Call it
 * outside a transaction; it drops any temporary table (there is none
 * while an import runs). */
void db_sort_on_disk(struct crm *c);
/* Back to temporary files in memory, as a command starts (outside a
 * transaction). */
void db_sort_in_memory(struct crm *c);
/* Whether the command may commit its work in parts (a long stream, a
 * pipe's reader waiting for our lock): not when it must not commit (a
 * --dry-run, a failure) or must be all or nothing (import --atomic,
 * --strict). when_idle: the input waits; a stream that commits whenever
 * it waits (tail -f | crm track) does so even with --strict. */
bool db_may_split(const struct crm *c, bool when_idle);

/* Seconds since the transaction began (db_begin). A bulk writer
 * (import, track) commits once this passes DB_TXN_MAX_SECONDS as well as
 * every so many rows, so that another writer waits milliseconds for the
 * lock, not seconds. */
#define DB_TXN_MAX_SECONDS 0.5
double db_txn_seconds(const struct crm *c);

/* Close the handle (rolling back what is open) and forget its statements. */
void db_close(struct crm *c);

/* Savepoints: one record operation is all or nothing inside a batch. */
int db_savepoint(struct crm *c);
int db_release(struct crm *c);
void db_rollback_to(struct crm *c);

/* Step st (prepared by the caller, not cached) to its end, collecting
 * column 0 into a new array *ids of *n ids (the caller frees it), then
 * finalize it: ids first, so the caller may write while it goes through
 * them. */
int db_ids(struct crm *c, struct db_stmt *st, long long **ids, int *n);

/* Run SQL without results: CRM_OK, or the error recorded in c. */
int db_exec(struct crm *c, const char *sql);

/* The context's backend (backend.h), by SQLite's call shapes: sqlite3_X(c->db,
 * ...) is db_X(c, ...). db_execute runs SQL without recording an error in
 * c (a rollback after one keeps it): its code, the message in db_errmsg. */
static inline int db_prepare(struct crm *c, const char *sql, int n, struct db_stmt **st, const char **tail)
{
	return db_conn_prepare(c->conn, sql, n, st, tail);
}
static inline int db_execute(struct crm *c, const char *sql)
{
	return db_conn_exec(c->conn, sql);
}
static inline const char *db_errmsg(struct crm *c)
{
	return db_conn_errmsg(c->conn);
}
static inline int db_errcode(struct crm *c)
{
	return db_conn_errcode(c->conn);
}
static inline long long db_changes(struct crm *c)
{
	return db_conn_changes(c->conn);
}
static inline long long db_last_insert_id(struct crm *c)
{
	return db_conn_last_insert_id(c->conn);
}

/* A prepared statement from a cache keyed by the SQL text: reset, with
 * bindings cleared, owned by the cache (do not finalize). NULL on error
 * (recorded in c). */
struct db_stmt *db_stmt(struct crm *c, const char *sql);

/* Online backup of the open database to path (safe while others write). */
int db_backup_to(struct crm *c, const char *path);
/* Whether a backup may be written at path: CRM_CONFLICT (recorded) when
 * something is there, a file or a symbolic link (never written through). */
int db_backup_target(struct crm *c, const char *path);

/* Integrity and foreign-key checks, each printed as a record.
 * CRM_DBERR when the database is damaged. */
int db_check(struct crm *c);
/* One line of a check: {"type":"check","check":CHECK,"result":RESULT}
 * ("ok", or a problem found). */
void db_check_line(struct crm *c, const char *check, const char *result);

/* The first column of the first row of sql (one optional text parameter),
 * newly allocated, or NULL. */
char *db_get_text(struct crm *c, const char *sql, const char *param);
/* Same, as an integer; def when there is no row. */
long long db_get_int(struct crm *c, const char *sql, const char *param, long long def);

#endif
