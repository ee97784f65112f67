/* server.c: crm server init|user add (the team server, CLI.md 8.5) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cmd.h"
#include "core/open.h"
#include "server/server.h"

static int need_url(struct crm *c, const char *url)
{
	if (db_is_url(url))
		return CRM_OK;
	return cmd_usage_error(c, "'%s' is not a server: give a URL postgresql://[USER@]HOST/DATABASE", url);
}

/* The server: URL given, or the one --db, $CRM_DB or db.url names. */
static const char *server_url(struct crm *c, const char *given)
{
	if (given)
		return given;
	return db_is_url(c->db_path) ? c->db_path : NULL;
}

static int init_exec(struct crm *c, struct args *a)
{
	const char *url = server_url(c, a->argc ? a->argv[0] : NULL);
	if (!url)
		return cmd_usage_error(c, "which server? crm server init URL (postgresql://...)");
	int rc = need_url(c, url);
	return rc ? rc : server_init(c, url);
}

/* The password: the first line of stdin, without its line end. */
static int read_password(struct crm *c, char **pw)
{
	size_t cap = 0;
	ssize_t n = getline(pw, &cap, stdin);
	if (n <= 0) {
		free(*pw);
		*pw = NULL;
		return crm_error(c, CRM_BADINPUT, "--password-stdin: no password on stdin");
	}
	while (n && ((*pw)[n - 1] == '\n' || (*pw)[n - 1] == '\r'))
		(*pw)[--n] = 0;
	if (!n)
		return crm_error(c, CRM_BADINPUT, "--password-stdin: the password is empty");
	return CRM_OK;
}

static int user_add_exec(struct crm *c, struct args *a)
{
	/* --server, or a server the global --db, $CRM_DB or db.url names */
	const char *url = server_url(c, arg_get(a, "server"));
	if (!url)
		return cmd_usage_error(c, "which server? --server URL (or --db URL before the command)");
	int rc = need_url(c, url);
	if (rc)
		return rc;
	if (!arg_get(a, "role"))
		return cmd_usage_error(c, "--role ROLE is needed (admin, manager, rep, finance, service, legal)");
	struct server_user u = {
		.name = a->argv[0],
		.role = arg_get(a, "role"),
		.team = arg_get(a, "team"),
		.manager = arg_get(a, "manager"),
		.label = arg_get(a, "label"),
	};
	char *pw = NULL;
	if (arg_has(a, "password-stdin") && (rc = read_password(c, &pw)) != CRM_OK)
		return rc;
	u.password = pw;
	rc = server_user_add(c, url, &u);
	if (pw) {
		memset(pw, 0, strlen(pw));
		free(pw);
	}
	return rc;
}

static const struct opt user_add_opts[] = {
	{ "server", 0, "URL", "the server (default: --db, $CRM_DB or db.url when one names a server)", false },
	{ "role", 0, "ROLE", "admin, manager, rep, finance, service or legal", false },
	{ "team", 0, "TEAM", "their team", false },
	{ "manager", 0, "USER", "their manager (an active user)", false },
	{ "label", 0, "NAME", "the name shown (显示名)", false },
	{ "password-stdin", 0, NULL, "the login role's password: the first line of stdin", false },
	OPT_END
};

static const struct cmd_verb server_verbs[] = {
	{ "init", "[URL]", "make an empty PostgreSQL database a crm server: schema, roles, row-level security "
	  "(URL: default the server --db names)", NULL, DB_NONE, 0, 1, init_exec },
	{ "user add", "NAME --role ROLE [--server URL] [--team TEAM] [--manager USER] [--label 显示名] "
	  "[--password-stdin]", "add a user to the server and make their login role", user_add_opts, DB_NONE, 1, 1,
	  user_add_exec },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_server_entry = {
	.name = "server",
	.summary = "the team server on PostgreSQL: init, users",
	.verbs = server_verbs,
	.description =
		"When a team outgrows one file, its data moves to PostgreSQL (15 or later),\n"
		"where each person connects as their own database role and the database\n"
		"itself enforces who sees what. crm server init URL makes an empty\n"
		"database a crm server; crm server user add NAME adds a user and their\n"
		"login role; crm migrate --from FILE --to URL copies a file to it, and back\n"
		"(crm help migrate). On the server (--db postgresql://..., $CRM_DB or a\n"
		"line db.url = URL in the config file naming it) every crm command runs,\n"
		"with the output a file gives, as the login role you connect as (--as is\n"
		"refused): its row-level security decides what you see and change, and\n"
		"--where and crm sql run in a READ ONLY transaction. crm init checks the\n"
		"server and never makes one. crm field add and rm alter a table through\n"
		"crm_field_column(), which init makes (ALTER is the tables' owner's; it\n"
		"acts for an active admin only), and so does import --create-fields. The\n"
		"share table's policies let a group share what crm lets them share (in\n"
		"their own name, records of owners they answer for); a share ends by the\n"
		"server's clock. The pool's own policies let a rep or a manager take an\n"
		"unlocked record of no owner and give back their own, a manager lock what\n"
		"is in the pool. A user's login role follows their row (crm user, below).\n"
		"Whoever holds a pending approval step reads what waits on it and all its\n"
		"steps while it waits; the owner never decides one. crm merge, backup and\n"
		"check are an admin's: merge all or nothing as on a file; backup writes a\n"
		"database file of every table, as crm migrate --from URL --to FILE copies\n"
		"them (crm-backup-YYYYmmdd-HHMMSS-mmm.db here by default); check prints\n"
		"integrity (every table and column of crm's there), foreign_keys (no row\n"
		"referring to one gone) and a third line, row_level_security (enabled and\n"
		"forced on every table the policies bind). Ctrl-C in crm shell cancels the\n"
		"server's statement, as it interrupts a file's.\n"
		"A writer that loses a deadlock or a serialization failure\n"
		"runs its transaction again (up to five times) when it read no input and\n"
		"committed nothing yet; lock waits are bounded by db.busy_timeout.\n"
		"Where the server differs: an import there writes each row straight into\n"
		"its table under a savepoint, in batches (no staging table, no index\n"
		"rebuilt); its duplicates are the records your role can see (a rep's file\n"
		"is matched against their own leads), and a row the server's policy\n"
		"refuses is rejected as that row. A group sees the import runs of the\n"
		"owners it answers for; import undo purges what a run made one by one,\n"
		"each purge audited. Search reads the record tables themselves (no\n"
		"index of crm's to keep), each record's searched text as a file's index\n"
		"holds it, words of 3 or more characters by ILIKE through pg_trgm's GIN\n"
		"index on that text (made by init when the server has pg_trgm; a scan\n"
		"without it), shorter ones by a scan, ranked by the bm25 a file's FTS5\n"
		"ranks by, computed over what the reader may see (on a file over every\n"
		"record): an admin's order is the file's, a rep's may differ where the\n"
		"records they cannot see would have weighed; a word's occurrences are\n"
		"counted without overlaps (FTS5 counts 啊啊啊 twice in 啊啊啊啊). A ticket's\n"
		"SLA clocks are computed by crm as it connects, for every ticket the role\n"
		"may see (and again as one is written), so each command pays once for\n"
		"the tickets there are; a bad sla setting turns the clocks off there\n"
		"without the warning a file gives. A rep's crm score --all scores the\n"
		"leads their role may see (on a file every lead, printing theirs); the\n"
		"scoring rules' crm_config() reads the server's settings (crm config),\n"
		"not a configuration file. crm report health and silent count what the\n"
		"role may see: on a file a rep's health counts every ticket, survey and\n"
		"event of their accounts and silent every activity on them, on the server\n"
		"those of others are not there (another's ticket on a rep's account\n"
		"leaves it healthier on the server); crm account tier ranks by the\n"
		"payments the role may read (a service user's tiers count none).\n"
		"init, in one transaction (a database that has crm's tables already exits 4,\n"
		"nothing written): every table of a new crm database (found by reading one\n"
		"that crm's own migrations make: columns, types as bigint, double precision,\n"
		"numeric, text and bytea, NOT NULL, literal defaults, primary keys, an\n"
		"INTEGER PRIMARY KEY as a bigint identity, unique constraints and plain\n"
		"indexes) with its default rows (the pipeline, the scoring model); left out\n"
		"are SQLite's own tables and the full-text index (the FTS5 table and its\n"
		"shadow tables: the server has pg_trgm, made when available, and a\n"
		"trigram index on each searched type's text), CHECK and\n"
		"foreign key constraints, partial and expression indexes and the triggers\n"
		"(the server has two of its own: the user table's, below, and one that\n"
		"keeps a lead's and an account's owned_at, pooled_at and previous_owner as\n"
		"the file's do, whatever writes the owner): a purge there\n"
		"deletes, or empties, what refers to the record as a file's foreign keys\n"
		"would (a lead's score, a deal's stage history, a payment's allocations).\n"
		"Roles: one NOLOGIN group per crm role (crm_admin, crm_manager, crm_rep,\n"
		"crm_finance, crm_service, crm_legal); whoever runs init joins crm_admin.\n"
		"Every record table has row-level security, enabled and forced (the tables'\n"
		"owner is bound too), with each group's policies made from the same rule\n"
		"`crm --as` applies to a file: a user's own records, their teams' (a\n"
		"manager), what is shared with them (until its --until day), the pool, and\n"
		"the finance and service scopes; changes only where they may write. The\n"
		"acting user is the connected role (current_user), the crm user of that\n"
		"name; a group's policies hold while that user has the group's role (one\n"
		"who has left holds none). The users, shares and settings (config,\n"
		"pipelines, stages, fields) are readable by every group (the users' table\n"
		"changed by crm_admin alone). The audit log: each group appends entries in\n"
		"its own name and reads those of the records it may see (crm history, crm\n"
		"log), as on a file; the password of a server URL on the command line is\n"
		"written down as ***. The tables derived from records are crm_admin's\n"
		"until the live backend scopes them. Masking is not\n"
		"on the server yet: a role that may see a row sees all its columns (a\n"
		"finance user's psql shows phones and emails crm masks for them).\n"
		"user add makes the user's row (the first must be an admin, exit 2; a name\n"
		"taken exits 4; an unknown role or manager exits 3), its audit entry, and a\n"
		"LOGIN role of the same name in the role's group, with the password read\n"
		"from stdin (--password-stdin, sent hashed) or none (peer or trust\n"
		"authentication). Connecting takes libpq's usual ways: ~/.pgpass,\n"
		"$PGPASSWORD, a service file. Exit 5 when the server refuses (no right to\n"
		"make roles), 6 when it cannot be reached. A login role crm made and\n"
		"ended (a user who left) logs in again, in the role's group alone.\n"
		"crm user add, update, rm, leave and restore on the server, run by an\n"
		"admin as their own login role (who may not CREATE ROLE), write the user's\n"
		"row and call crm_user_role(NAME), which init makes: run as its owner\n"
		"(whoever ran init: a superuser, or a role with CREATEROLE that owns the\n"
		"database), for an active admin alone (or init's maker, or an admin's\n"
		"change of their own row), it makes the login role what the row says: an\n"
		"active user's made when missing (LOGIN, no password, marked as crm's by\n"
		"its comment) and a member of crm_ROLE alone (update role=manager: in\n"
		"crm_manager, out of crm_rep); one who left or was removed in no group,\n"
		"and a login role crm made may no longer log in (NOLOGIN: connecting\n"
		"exits 5, \"may not log in\"; restore gives it back). A deferred trigger on\n"
		"the user table does the same for every row changed as a transaction\n"
		"commits: what an admin changes through psql, and an admin's own leaving,\n"
		"which ends their login as their command commits. A superuser is an\n"
		"admin's login role or none (row-level security does not bind one: exit\n"
		"5) and is never ended; a group role's name and pg_... exit 3; the LOGIN\n"
		"of a role crm did not make stays as the cluster has it. The handover's writes pass the admin's policies; the\n"
		"audit log and each record's history are the file's. Login roles and\n"
		"groups are the cluster's: a user's role change or leaving in one crm\n"
		"database moves their login role for every database of that cluster (a\n"
		"team per cluster, or names of their own).",
};
