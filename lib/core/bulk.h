/* bulk.h: the one writer for many records at once.
 *
 * Import, track and scoring write hundreds of thousands of records; the
 * record write path (record.h) costs too much per record for that (an
 * audit row, a savepoint, every index kept up to date, the duplicate
 * guard's lookups). A bulk run writes records of one type with what
 * makes them the same records as record_insert's, and no more per row:
 *
 * - every row is checked, normalised and filled exactly as record_insert
 *   does it (record_prepare: the type's check and fill, the fields'
 *   rules, the defaults), so the type's behaviour holds;
 * - duplicates are looked up in a hash of the key fields' values (the
 *   caller's dedupe fields, and FF_KEY fields, which are unique), loaded
 *   once from the table: bulk_find; FF_KEY values are refused (exit 4)
 *   when a live record or an earlier row has them;
 * - the audit is per run, not per record: each record made carries its
 *   run and source line (columns import_run, import_line), and the caller
 *   writes one audit entry for the run; records it updates go through
 *   record_update (one entry each, tagged with the run: audit.run);
 * - staged (a run that adds more than about a tenth to its table, of a
 *   type without an `inserted` hook, whose records no rule or hook listens
 *   to when it starts): rows go into a staging table of the
 *   same shape (bulk_TYPE_RUN, no secondary indexes), committed with the
 *   caller's batches; bulk_finish moves them into the table in ONE
 *   transaction that drops the table's secondary indexes, copies the rows
 *   and builds the indexes again. A kill -9, a crash or a full disk at any
 *   moment leaves the table as it was, or with all of them, every index
 *   there: the staging table is the only thing half done, and the run
 *   goes on from it (--resume). Direct: rows go into the table itself,
 *   one savepoint each where what follows the INSERT may refuse the row
 *   (the type's `inserted` hook, a rule listening: that undoes only the
 *   row); none where it can only fail as the database fails (no hook, or
 *   one marked inserted_never_refuses, the search mark): such a failure
 *   ends the run's transaction (its batch is not kept, --resume goes on).
 * - events: every record made still publishes its TYPE.created to the
 *   subscribers (rules fire as for `crm lead add`) and queues the user's
 *   hook, which runs after the commit that makes the record visible: a
 *   run whose records are listened to writes them straight in, each
 *   published as it is written (a failing rule undoes that row only). A
 *   staged run resumed after a rule or hook came up publishes them in its
 *   final transaction, after the indexes are back, in id order; a record
 *   whose event fails is taken out again and handed to on_reject. Nobody
 *   listening (no rule on the event, no hook): nothing is published.
 * - commits: the caller commits (hook_commit) as often as it likes (every
 *   --batch rows, every half second); before each commit the bulk writer
 *   calls the caller's on_commit (save how far it got, write a batch's
 *   audit entry) in the same transaction.
 *
 * Undo (bulk_undo): what a run made goes (set-based, the indexes rebuilt
 * when that is most of the table) and what it changed goes back, in one
 * transaction, refusing where someone else changed a record since.
 *
 * On a team server (PostgreSQL) a run is always direct: no staging table,
 * no index dropped, no foreign keys turned off, no hash. Each row goes in
 * under its own savepoint (an error there aborts the transaction, and the
 * server's row-level security may refuse a row), its id from INSERT ...
 * RETURNING id; duplicates and FF_KEY values are asked of the table as
 * the role sees it (what lead add's guard sees), so memory does not grow
 * with the run. Its undo purges the run's records one by one through
 * record_remove (the server has no triggers or foreign keys to follow
 * a set-based delete). */
#ifndef CRM_CORE_BULK_H
#define CRM_CORE_BULK_H

#include <stdbool.h>
#include <cjson/cJSON.h>
#include "core/crm.h"
#include "core/record.h"
#include "core/type.h"

struct bulk;
struct progress;

struct bulk_opts {
	unsigned flags;            /* REC_* of every row (REC_ALLOW_DUP is implied) */
	long long run;             /* the run its records carry (import_run.id), 0: none */
	const char *const *keys;   /* fields duplicates are matched on, in order; NULL: none */
	int nkeys;
	bool stage;                /* may load into a staging table (bulk_staged says if it does) */
	long long expect;          /* about how many rows will come (0: unknown) */
	bool resume;               /* go on with the run's staging table, if there is one */
	long long first_id;        /* resume: the first id the run gave */
	/* Before every commit, in its transaction (the run's position). */
	int (*on_commit)(struct crm *c, void *arg);
	/* A row taken out again at the end (its event failed): c->errmsg says why. */
	void (*on_reject)(struct crm *c, void *arg, long line, long long id);
	/* A staged row found, at the end, to duplicate a record someone else
	 * wrote meanwhile (id: that record); it is dropped. */
	void (*on_late_dup)(struct crm *c, void *arg, long line, long long id);
	void *arg;
	struct progress *progress; /* the caller's progress line, for the move (may be NULL) */
};

/* Start a bulk run of type t; NULL with the error in c. */
struct bulk *bulk_open(struct crm *c, const struct type *t, const struct bulk_opts *o);
/* Whether rows go into a staging table (else into the table itself). */
bool bulk_staged(const struct bulk *b);
/* The first id the run gives (made records are first_id and up). */
long long bulk_first_id(const struct bulk *b);

/* The record r duplicates: the first key field (in the order given) whose
 * value a live record or an earlier row of the run has; its id (the
 * lowest), 0 when none. *which (may be NULL): that field. */
long long bulk_find(struct bulk *b, const struct rec *r, const char **which);
/* The same for one field and normalised value. */
long long bulk_find_value(struct bulk *b, const char *field, const char *value);

/* Whether a live record of t has value in field (a unique one, FF_KEY),
 * or a row of the bulk run of t that c has open: the run's hash then
 * (no query a row), the table's index else. */
bool bulk_key_taken(struct crm *c, const struct type *t, const char *field, const char *value);
/* Write r (prepared by record_prepare; the caller releases it) from
 * source line line; *id: its id. Checks FF_KEY values. */
int bulk_insert(struct bulk *b, struct rec *r, long line, long long *id);
/* Whether id is a record this run made (and has not moved yet: staged). */
bool bulk_is_staged(const struct bulk *b, long long id);
/* A made record (staged or moved) or any live one, as record_get reads
 * it (NULL when there is none). */
cJSON *bulk_get(struct bulk *b, long long id);
/* Update fields of record id (flags: REC_* of the update): a staged row of
 * the run in place (it is still being made: no audit), any other through
 * record_update. *changed: something differed. */
int bulk_update(struct bulk *b, long long id, const cJSON *fields, unsigned flags, bool *changed);
/* The type's fields changed (a custom field added during the run): the
 * type is read again, and the staging table gets the new columns. */
int bulk_refresh(struct bulk *b);

/* Records written since the last commit, and their ids (first..last). */
struct bulk_batch {
	long n;
	long long first, last;
	long total;
};
struct bulk_batch bulk_batch_take(struct bulk *b);

/* What a run made, once it is finished. */
struct bulk_result {
	long long made;            /* records made (by this process, for a direct run) */
	long long first, last;     /* their ids: first..last (0 when none) */
	long long shift;           /* how far a staged run's ids moved: someone else added
				    * records of the type meanwhile (0 mostly) */
	long long late_dups;       /* staged rows dropped as duplicates of those */
	long long rejected;        /* made records taken out again (their event failed) */
};

/* The end of the run: a staged run moves its rows into the table (one
 * transaction: see above), publishes their events and drops the staging
 * table. The caller writes its own (the run's audit entry, its state)
 * after this, in the same transaction, then calls bulk_done. */
int bulk_finish(struct bulk *b, struct bulk_result *res);
/* After the caller's last writes: when bulk_finish had to commit on its
 * own to turn off foreign keys for the copy (it checks them itself),
 * commit now, turn them on again, and begin the next transaction. */
int bulk_done(struct bulk *b);
/* Free it (an unfinished staged run keeps its staging table, to resume;
 * a failed move is rolled back). */
void bulk_close(struct bulk *b);

/* The staging table of a run of type t, if it has one (NULL if not):
 * newly allocated. Drop it with bulk_drop_stage. */
char *bulk_stage_name(struct crm *c, const struct type *t, long long run);
int bulk_drop_stage(struct crm *c, const struct type *t, long long run);

/* Make sure t's table has the columns that say where a record came from
 * (import_run, import_line). */
int bulk_origin_columns(struct crm *c, const struct type *t);

/* Undo run `run` of type t: remove the records it made (import_run =
 * run) and what the audit says it made of other types, put back what it
 * changed (audit rows tagged with it, newest first), in the transaction
 * open now. Refused (CRM_CONFLICT, naming them) when someone else changed
 * one of them since, or something of someone else's refers to one it made,
 * unless force. audit_from: the first audit id of the run. *removed and
 * *reverted: the counts. */
int bulk_undo(struct crm *c, const struct type *t, long long run, long long audit_from, bool force,
	      long long *removed, long long *reverted);

/* Foreign keys off for a transaction that checks them itself (a run's
 * move, its undo): commits what is open, turns them off and begins again;
 * bulk_fk_on commits and turns them on again (and begins). A no-op when
 * the command may not commit on its own (--atomic, --dry-run): then
 * SQLite keeps checking them. Not commit: roll back instead (it failed). */
bool bulk_fk_off(struct crm *c);
int bulk_fk_on(struct crm *c, bool was_off, bool commit);

/* Drop the table's secondary indexes (their SQL kept in *saved, a JSON
 * array of statements), or build them again from it. */
int bulk_indexes_drop(struct crm *c, const char *table, cJSON **saved);
int bulk_indexes_build(struct crm *c, cJSON *saved);

#endif
