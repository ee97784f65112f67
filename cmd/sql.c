/* sql.c: crm sql QUERY */
#include "core/cmd.h"
#include "core/query.h"

static int sql_exec(struct crm *c, struct args *a)
{
	if (arg_has(a, "raw") && arg_has(a, "removed"))
		return cmd_usage_error(c, "--raw already shows removed records; give one of --raw and --removed");
	return query_sql_run(c, a->argv[0], arg_has(a, "raw"), arg_has(a, "removed"));
}

static const struct opt sql_opts[] = {
	{ "removed", 0, NULL, "the record tables keep removed records too (their deleted_at is set)", false },
	{ "raw", 0, NULL, "the tables as stored: money in minor units (fen), removed records in", false },
	OPT_END
};

static const struct cmd_verb sql_verbs[] = {
	{ "", "[--removed | --raw] QUERY", "run a read-only SQL query and print its rows as JSON lines",
	  sql_opts, DB_READ, 1, 1, sql_exec, VERB_SQL | VERB_SERVER },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_sql_entry = {
	.name = "sql",
	.summary = "run a read-only SQL query",
	.verbs = sql_verbs,
	.description = "One SELECT (or WITH ... SELECT) statement. Writes, ATTACH, PRAGMA, schema\n"
		       "changes and functions with side effects are refused (exit 5). NULL columns\n"
		       "are left out of the printed record. No rows: exit 1.\n"
		       "The record tables (lead, account, contact, deal, activity, task, event, and\n"
		       "every other record type) read as crm shows them, the same as in --where:\n"
		       "money columns, custom money fields included, in major units (amount 500000\n"
		       "is 50万), fields crm computes as they read (a lead's score, kept apart in\n"
		       "lead_score), and removed records left out. --removed keeps those (deleted_at\n"
		       "says when they were removed); main.TABLE (main.deal) is always the table as\n"
		       "stored, money in minor units (fen), and --raw reads every table that way.\n"
		       "Money literals work in the query as in --where: amount > 50万, budget >=\n"
		       "1.5万, amount = ¥1200 (a number with ¥/￥ before it or 万/亿/元 after it).\n"
		       "These are per-connection TEMP VIEWs named like the tables (SQLite looks a\n"
		       "name up in the temp schema before main); they exist only while the query\n"
		       "runs, under the same read-only authorizer. Other tables (approval, audit,\n"
		       "config, ...) are as stored.\n"
		       "\n"
		       "A query is bounded, as --where is: it may run for query.timeout seconds\n"
		       "(config, default 10; the time crm spends in SQLite, not the time a reader\n"
		       "of its output takes), then it stops with exit 6 and \"query took longer\n"
		       "than 10 s\"; it may use 256 MB of memory more than crm had when it began\n"
		       "(exit 6); a string or blob it makes may be 32 MB long (longer is an error,\n"
		       "exit 6, or NULL where SQLite's printf() gives up).",
};
