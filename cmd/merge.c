/* merge.c: crm merge TYPE KEEP_ID DROP_ID... */
#include <stdlib.h>

#include "core/cmd.h"
#include "data/merge.h"

static int merge_exec(struct crm *c, struct args *a)
{
	long long ids[a->argc];
	for (int i = 1; i < a->argc; i++) {
		char *end;
		ids[i] = strtoll(a->argv[i], &end, 10);
		if (end == a->argv[i] || *end || ids[i] <= 0)
			return cmd_usage_error(c, "'%s' is not a record id", a->argv[i]);
	}
	return merge_run(c, a->argv[0], ids[1], ids + 2, a->argc - 2);
}

static const struct cmd_verb merge_verbs[] = {
	{ "", "TYPE KEEP_ID DROP_ID...", "merge duplicates into one record (crm restore undoes it)",
	  NULL, DB_WRITE, 3, -1, merge_exec, VERB_ADMIN | VERB_SERVER },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_merge_entry = {
	.name = "merge",
	.summary = "merge duplicate records, keeping their history",
	.verbs = merge_verbs,
	.description = "The kept record's values win; its empty fields are filled from the others,\n"
		       "tags are joined. Activities, tasks, behaviour events, deals and contacts of\n"
		       "the others move to it, and the others are removed. The merge is in the\n"
		       "audit log; 'crm restore TYPE:DROP_ID' brings a dropped record back with\n"
		       "what was moved from it. It is an admin's; on a server it runs as the\n"
		       "admin's login role, whose row-level security decides what it moves.",
};
