/* crm.h: the one context object every command and library call gets.
 *
 * There is no other global mutable state: the database handle, the acting
 * user, the output writer and the error slot all live here, so `crm shell`
 * can run many commands in one process.
 *
 * lib/core is the layer every feature stands on: the context (crm.h),
 * the database (db, open: statements, transactions, migrations), settings
 * (config), the audit log, user hooks, the type registry (type.h), the
 * one write path for records (record.h) and the events it publishes
 * (event.h), the query layer with its read-only authorizer (query.h),
 * masking (mask.h), and what commands read (input.h, cmd.h). It uses
 * lib/base and lib/io only, and names no feature: features plug in
 * through the modules they declare (module.h). */
#ifndef CRM_CRM_H
#define CRM_CRM_H

#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <sqlite3.h>

#include "base/mem.h"
#include "base/sbuf.h"

struct out;
struct crm_slot;
struct bulk;
struct types;
struct hookq;
struct cmd_verb;
struct db_conn;

/* Exit statuses: the contract in CLI.md section 5. */
enum crm_status {
	CRM_OK = 0,
	CRM_NOTFOUND = 1,   /* nothing matched / not found */
	CRM_USAGE = 2,      /* unknown command or option, missing argument */
	CRM_BADINPUT = 3,   /* bad input data, records rejected */
	CRM_CONFLICT = 4,   /* duplicate, gate not met, approval required */
	CRM_PERM = 5,       /* permission denied */
	CRM_DBERR = 6,      /* database unavailable, locked, corrupt, full */
};

/* Combine statuses: the worse one wins (6 > 5 > 4 > 3 > 2 > 1 > 0). */
static inline int status_worse(int a, int b)
{
	return a > b ? a : b;
}

struct crm {
	sqlite3 *db;             /* SQLite's own handle: what only SQLite has (functions,
				  * the authorizer, pragmas, backup); NULL on PostgreSQL */
	struct db_conn *conn;    /* the backend every statement goes through (backend.h) */
	char *db_path;          /* resolved path of the database */
	bool db_readonly;       /* opened read-only: we may not write the file */
	char *user;             /* acting user */
	char *db_role;          /* PostgreSQL: the login role acting (SET ROLE), the
				 * acting user; NULL on SQLite */
	struct out *out;        /* where records go (stdout) */
	int format;             /* enum out_format */
	bool format_set;        /* --format given explicitly */
	bool quiet;             /* -q: no notices */
	bool strict;            /* --strict: first bad input line aborts */
	bool raw;               /* --raw: csv/tsv cells as they are (out_raw) */
	bool rollback;          /* the command asks not to commit */
	bool dry_run;           /* rollback on purpose: what it printed is what would be done */
	bool commit_when_idle;  /* streaming: commit whenever stdin waits (tail -f) */
	bool atomic;            /* one transaction, whatever the pipes (import --atomic) */
	int busy_ms;            /* how long to wait for another writer's lock */
	int signal;             /* SIGINT/SIGTERM caught: re-raised at exit, once work is saved */
	struct timespec busy_since;
	int (*idle)(struct crm *c, void *arg); /* called then, before the commit */
	void *idle_arg;
	/* called by hook_commit before a command commits part of its work
	 * (an import saves how far it got, so --resume starts after it) */
	int (*before_commit)(struct crm *c, void *arg);
	void *before_commit_arg;
	const char *cmd;        /* "lead add": the prefix of error messages */
	const struct cmd_verb *verb; /* the verb running, for usage errors */
	char *cmdline;          /* the whole command line, for the audit log */
	char errmsg[1024];      /* the last error a library call reported */
	int errcode;
	struct types *types;    /* record types with custom fields (type.c) */
	struct hookq *hooks;    /* hooks to run after commit (hook.c) */
	struct crm_slot *slots; /* what modules keep for the command (crm_slot_get) */
	int depth;              /* nesting of rule-fired changes */
	int system;             /* > 0: acting for the system, not the user (what a
				 * subscriber or a tick does, what follows from a change
				 * the user was allowed): no visibility or write checks */
	struct cfgfile *cfgfile;/* the config file, read once (config.c) */
	/* A commit of part of the command's work failed (a full disk): what
	 * it did since is rolled back, its output dropped, and the command
	 * writes nothing more (db_begin and db_savepoint refuse). */
	char txn_failed[1024];
	long long audit_run;    /* the bulk run the changes belong to (audit.run), 0: none */
	struct timespec txn_began;  /* when db_begin began the transaction */
	unsigned long txn_serial;   /* transactions db_begin began: which one this is */
	struct bulk *bulk;      /* the bulk run open (bulk_open..bulk_close), NULL: none */
	/* The last database failure was a serialization failure or a
	 * deadlock (DB_BUSY_RETRY): the transaction may be run again. */
	bool db_retry;
	/* The command may be run again from the start when that happens (it
	 * reads no input, and has committed nothing yet): a failure that
	 * says so is kept for the caller, not printed (input.c). */
	bool retry_ok;
};

/* Record an error in c and return code; the caller passes it up. */
int crm_error(struct crm *c, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Print c's recorded error as "crm: <cmd>: <message>" and return its code. */
int crm_report(struct crm *c);
/* Print "crm: <cmd>: <message>" now (a problem with one input line, a
 * notice). Not an error by itself. */
void crm_warn(struct crm *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Like crm_warn, unless -q. */
void crm_notice(struct crm *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A module's own state for the length of a command (the rules it read),
 * kept in the context under a key of the module's (the address of a
 * static of its own). data is freed with free_fn by crm_slots_release. */
void *crm_slot_get(struct crm *c, const void *key);
void crm_slot_set(struct crm *c, const void *key, void *data, void (*free_fn)(void *));
/* Free the slot under key now (its data changed: rule add), or all. */
void crm_slot_drop(struct crm *c, const void *key);
void crm_slots_release(struct crm *c);

/* The crm status for a backend code (backend.h; CLI.md section 5): a
 * constraint is CRM_CONFLICT, a refusal CRM_PERM, any other failure
 * CRM_DBERR; DB_OK, DB_ROW and DB_DONE are CRM_OK. */
int crm_dbstatus(int code);
/* Map a backend result code to a crm status, recording "what: the
 * backend's message" (a lock or a serialization failure says so). */
int crm_dberror(struct crm *c, int rc, const char *what);

#endif
