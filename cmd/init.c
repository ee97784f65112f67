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
	bool existed = access(c->db_path, F_OK) == 0;
	int rc = existed ? db_open(c) : db_create(c);
	if (rc)
		return rc;
	if (existed)
		crm_notice(c, "database %s already exists (schema v%d)", c->db_path, db_schema_version());
	out_begin(c->out);
	out_str(c->out, "type", "database");
	out_str(c->out, "path", c->db_path);
	out_int(c->out, "schema_version", db_schema_version());
	out_bool(c->out, "created", !existed);
	out_end(c->out);
	return CRM_OK;
}

static const struct cmd_verb init_verbs[] = {
	{ "", "[PATH]", "create a database (schema and default pipeline) at PATH or the default place",
	  NULL, DB_NONE, 0, 1, init_exec },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_init_entry = {
	.name = "init",
	.summary = "create a database",
	.verbs = init_verbs,
	.description = "The first command that needs a database creates it anyway; init does it\n"
		       "explicitly and prints where. An existing database is opened (and migrated\n"
		       "forward if it is older) and left as it is.",
};
