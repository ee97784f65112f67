/* init.c: crm init [PATH] */
#include <stdlib.h>
#include <unistd.h>

#include "core/cmd.h"
#include "core/db.h"
#include "core/open.h"
#include "io/out.h"

static int init_exec(struct crm *c, struct args *a)
{
	if (a->argc) {
		free(c->db_path);
		c->db_path = xstrdup(a->argv[0]);
	}
	/* a server exists once crm server init made it: init checks it */
	bool url = db_is_url(c->db_path);
	bool existed = url || access(c->db_path, F_OK) == 0;
	int rc = existed ? db_open(c) : db_create(c);
	if (rc)
		return rc;
	char *where = url ? db_url_redact(c->db_path) : xstrdup(c->db_path);
	if (existed)
		crm_notice(c, "database %s already exists (schema v%d)", where, db_schema_version());
	out_begin(c->out);
	out_str(c->out, "type", "database");
	out_str(c->out, "path", where);
	out_int(c->out, "schema_version", db_schema_version());
	out_bool(c->out, "created", !existed);
	out_end(c->out);
	free(where);
	return CRM_OK;
}

static const struct cmd_verb init_verbs[] = {
	{ "", "[PATH]", "create a database (schema and default pipeline) at PATH or the default place",
	  NULL, DB_NONE, 0, 1, init_exec, VERB_SERVER },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_init_entry = {
	.name = "init",
	.summary = "create a database",
	.verbs = init_verbs,
	.description = "The first command that needs a database creates it anyway; init does it\n"
		       "explicitly and prints where. An existing database is opened (and migrated\n"
		       "forward if it is older) and left as it is. On a server (a postgresql://\n"
		       "URL) init checks that crm server init made it; it never makes one.",
};
