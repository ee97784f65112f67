/* log.c: crm log */
#include "core/audit.h"
#include "core/cmd.h"
#include "data/history.h"

static const struct opt log_opts[] = {
	{ "limit", 'n', "N", "show at most N entries", false },
	{ "user", 0, "USER", "only changes by USER", false },
	{ "since", 0, "WHEN", "only changes since WHEN (a time, or a span like 7d)", false },
	{ "entity", 0, "TYPE[:ID]", "only changes to this record or type", false },
	{ "reverse", 0, NULL, "oldest first", false },
	OPT_END
};

static int log_exec(struct crm *c, struct args *a)
{
	struct audit_filter f = {
		.user = arg_get(a, "user"),
		.since = arg_get(a, "since"),
		.entity = arg_get(a, "entity"),
		.limit = arg_int(c, a, "limit", 0),
		.oldest_first = arg_has(a, "reverse"),
	};
	if (f.limit < 0)
		return CRM_USAGE;
	return history_log(c, &f);
}

static const struct cmd_verb log_verbs[] = {
	{ "", "[--limit N] [--user USER] [--since WHEN] [--entity TYPE[:ID]]",
	  "show the audit log, newest first", log_opts, DB_READ, 0, 0, log_exec, VERB_SERVER },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_log_entry = {
	.name = "log",
	.summary = "show the audit log of every change",
	.verbs = log_verbs,
	.description = "Every insert, update, removal of a record and every setting change, with\n"
		       "time, user, command line, and the values before and after. Bulk work is one\n"
		       "entry per run: an import (entity import:RUN, action import, its file, mapping\n"
		       "and counts; undo when it is taken back), a scoring run (entity score: each\n"
		       "lead's before and after in \"changes\", \";ID:BEFORE:AFTER...\"), a batch of\n"
		       "tracked events (entity track: how many, their ids). --entity lead:N shows a\n"
		       "record an import made with its creation too (action insert, \"after\" the\n"
		       "values as imported and \"import\": run, file, line); --entity score or track\n"
		       "lists those runs.",
};
