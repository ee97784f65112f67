/* sql.c: crm sql QUERY */
#include "core/cmd.h"
#include "core/query.h"

static int sql_exec(struct crm *c, struct args *a)
{
	return query_sql_print(c, a->argv[0]);
}

static const struct cmd_verb sql_verbs[] = {
	{ "", "QUERY", "run a read-only SQL query and print its rows as JSON lines",
	  NULL, DB_READ, 1, 1, sql_exec, VERB_SQL },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_sql_entry = {
	.name = "sql",
	.summary = "run a read-only SQL query",
	.verbs = sql_verbs,
	.description = "One SELECT (or WITH ... SELECT) statement. Writes, ATTACH, PRAGMA, schema\n"
		       "changes and functions with side effects are refused (exit 5). NULL columns\n"
		       "are left out of the printed record; money columns hold minor units (fen).\n"
		       "No rows: exit 1.",
};
