/* check.c: crm check */
#include "core/cmd.h"
#include "core/db.h"

static int check_exec(struct crm *c, struct args *a)
{
	return db_check(c);
}

static const struct cmd_verb check_verbs[] = {
	{ "", "", "check the database's integrity and foreign keys", NULL, DB_READ, 0, 0, check_exec },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.summary = "check the database for damage",
	.verbs = check_verbs,
	.description = "Runs SQLite's integrity check and foreign-key check and prints one record\n"
		       "per check (result \"ok\") or per problem found. Exit 6 when damaged.",
};
