/* sql.c: crm sql QUERY */
#include "core/cmd.h"
#include "core/query.h"

static int sql_exec(struct crm *c, struct args *a)
{
	return query_sql_print(c, a->argv[0]);
}

static const struct cmd_verb sql_verbs[] = {
	{ "", "QUERY", "run a read-only SQL query and print its rows as JSON lines",
	  NULL, DB_READ, 1, 1, sql_exec },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_sql_entry = {
	.name = "sql",
	.summary = "run a read-only SQL query",
	.verbs = sql_verbs,
	.description = "One SELECT (or WITH ... SELECT) statement. Writes, ATTACH, PRAGMA, schema\n"
		       "changes and functions with side effects are refused (exit 5). NULL columns\n"
		       "are left out of the printed record; money columns hold minor units (fen).\n"
		       "No rows: exit 1.\n"
		       "\n"
		       "A query is bounded, as --where is: it may run for query.timeout seconds\n"
		       "(config, default 10; the time crm spends in SQLite, not the time a reader\n"
		       "of its output takes), then it stops with exit 6 and \"query took longer\n"
		       "than 10 s\"; it may use 256 MB of memory more than crm had when it began\n"
		       "(exit 6); a string or blob it makes may be 32 MB long (longer is an error,\n"
		       "exit 6, or NULL where SQLite's printf() gives up).",
};
