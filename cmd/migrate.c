/* migrate.c: crm migrate --from A --to B (a file and a team server) */
#include "core/cmd.h"
#include "server/server.h"

static int migrate_exec(struct crm *c, struct args *a)
{
	const char *from = arg_get(a, "from"), *to = arg_get(a, "to");
	if (!from || !to)
		return cmd_usage_error(c, "both --from and --to are needed");
	return server_migrate(c, from, to);
}

static const struct opt migrate_opts[] = {
	{ "from", 0, "FILE|URL", "the database to copy", false },
	{ "to", 0, "URL|FILE", "a new server (postgresql://...) or a file that does not exist", false },
	OPT_END
};

static const struct cmd_verb migrate_verbs[] = {
	{ "", "--from FILE.db --to URL | --from URL --to FILE.db",
	  "copy everything from a database file to a team server, or back", migrate_opts, DB_NONE, 0, 0,
	  migrate_exec },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_migrate_entry = {
	.name = "migrate",
	.summary = "copy a database file to a team server and back",
	.verbs = migrate_verbs,
	.description =
		"Copies every table (records, history, the audit log, settings, users, the\n"
		"tables derived from them) in one transaction on the target, then counts\n"
		"each table on both sides and prints one line per table (table, source,\n"
		"target, ok). A count that differs exits 6 and leaves nothing on the target.\n"
		"The target must be new: a server with users, records or audit entries, or\n"
		"a file that exists, exits 4, nothing written.\n"
		"To a server (postgresql://...): a database that is not a crm server yet is\n"
		"made one first, as crm server init does; the file's custom fields become\n"
		"columns there; every active user copied gets a login role in their role's\n"
		"group (no password: set one with ALTER ROLE, or use peer authentication);\n"
		"identities continue past the largest id. The file is read in one snapshot\n"
		"(an older file is brought up to date first, as every command does).\n"
		"To a file: made with crm's own migrations (0600), read from the server in\n"
		"one snapshot; the file's triggers are set aside while the rows go in and\n"
		"made again after (the tables they keep, funnel_counts and stage_stats, come\n"
		"as copied, not counted twice), and the search index is built again.\n"
		"Rows stream both ways (COPY FROM STDIN to the server, one row at a time\n"
		"back), so memory does not grow with the database. Interrupted (Ctrl-C,\n"
		"SIGTERM), it stops at the next row, rolls back and removes the file it was\n"
		"making. crm help server says what the server has and what is not built yet.",
};
