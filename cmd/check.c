/* check.c: crm check */
#include "core/cmd.h"
#include "core/db.h"
#include "core/dialect.h"
#include "server/check.h"

static int check_exec(struct crm *c, struct args *a)
{
	return dialect_server(c) ? server_check(c) : db_check(c);
}

static const struct cmd_verb check_verbs[] = {
	{ "", "", "check the database's integrity and foreign keys (a server's row-level security too)", NULL,
	  DB_READ, 0, 0, check_exec, VERB_SERVER },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.summary = "check the database for damage",
	.verbs = check_verbs,
	.description = "Runs SQLite's integrity check and foreign-key check and prints one record\n"
		       "per check (result \"ok\") or per problem found. Exit 6 when damaged.\n"
		       "On a server (an admin's: exit 5 for other roles) three lines, in the\n"
		       "server's words: integrity (every table and column of crm's schema is\n"
		       "there), foreign_keys (no row refers to one that is gone: the server has\n"
		       "no foreign keys, a purge deletes what refers to the record) and\n"
		       "row_level_security (enabled and forced on every table the server's\n"
		       "policies bind).",
};
