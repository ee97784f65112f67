/* cmd.h: how a command declares itself.
 *
 * Each cmd/X.c exports one `const struct cmd_entry cmd_X_entry`; the table
 * is generated from them (tools/gen-cmd-table.sh). A group has verbs; a
 * verb's name may be several words ("rule add"), and a verb named "" runs
 * when no verb matches (`crm score`, `crm note lead:1 ...`). The option
 * table drives parsing, --help, `crm help` and shell completion. */
#ifndef CRM_CMD_H
#define CRM_CMD_H

#include "core/crm.h"

enum cmd_db {
	DB_NONE,    /* no database */
	DB_READ,    /* open (create if missing), no transaction */
	DB_WRITE,   /* open, one write transaction around the handler */
};

struct opt {
	const char *name;    /* long name without "--" */
	char shortname;      /* or 0 */
	const char *arg;     /* argument placeholder ("N", "EXPR"), NULL for a flag */
	const char *help;
	bool multi;          /* may repeat (--do A --do B) */
};

#define OPT_END { NULL, 0, NULL, NULL, false }

struct args {
	int argc;            /* positional arguments */
	char **argv;
	int nopt;
	struct optval {
		const struct opt *opt;
		const char *value; /* NULL for a flag */
	} *opts;
};

struct cmd_verb {
	const char *name;     /* "add", "rule add", or "" for the default */
	const char *usage;    /* after "crm GROUP VERB ": "[--owner U] name=value ..." */
	const char *summary;
	const struct opt *opts;
	enum cmd_db db;
	int min_args, max_args;  /* positional counts; max -1 = any */
	int (*exec)(struct crm *c, struct args *a);
	unsigned flags;          /* VERB_* */
};

enum {
	VERB_RAW = 1 << 0,       /* no option parsing: every word is positional */
	VERB_ADMIN = 1 << 1,     /* changes settings: once users exist, an admin's (exit 5) */
	VERB_SQL = 1 << 2,       /* reads around visibility (crm sql): admin and manager only */
	VERB_SERVER = 1 << 3,    /* runs on a team server (--db postgresql://...) too */
};

struct cmd_entry {
	const char *name;
	const char *summary;
	const struct cmd_verb *verbs;  /* ends with a verb whose name is NULL */
	const char *description;       /* a paragraph for `crm help NAME`, or NULL */
	/* More text after it, made when asked (the settings modules declare),
	 * newly allocated; or NULL */
	char *(*more_help)(void);
};

extern const struct cmd_entry *const cmd_table[];

/* The value of --name (the last one if repeated), or NULL. */
const char *arg_get(const struct args *a, const char *name);
/* Whether --name was given. */
bool arg_has(const struct args *a, const char *name);
/* The i-th value of a repeatable --name, or NULL past the end. */
const char *arg_nth(const struct args *a, const char *name, int i);
/* --name parsed as a non-negative integer; def when absent; -1 when bad
 * (with the error recorded in c). */
long long arg_int(struct crm *c, const struct args *a, const char *name, long long def);

const struct cmd_entry *cmd_find(const char *name);

/* Usage error: "crm: CMD: MSG" and the usage line; returns CRM_USAGE. */
int cmd_usage_error(struct crm *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
