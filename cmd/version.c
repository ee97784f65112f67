/* version.c: crm version */
#include <stdio.h>

#include "core/cmd.h"
#include "core/db.h"
#include "core/open.h"
#include "main.h"

void version_print(void)
{
	printf("crm %s (schema v%d, sqlite %s)\n", CRM_VERSION, db_schema_version(), sqlite3_libversion());
}

static int version_exec(struct crm *c, struct args *a)
{
	version_print();
	return CRM_OK;
}

static const struct cmd_verb version_verbs[] = {
	{ "", "", "print the version", NULL, DB_NONE, 0, 0, version_exec },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_version_entry = {
	.name = "version",
	.summary = "print the version",
	.verbs = version_verbs,
	.description = NULL,
};
