/* restore.c: crm restore TYPE:ID ... */
#include "core/input.h"
#include "data/merge.h"
#include "io/out.h"
#include "records.h"

static int restore_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	int rc = record_restore(c, t, id);
	if (!rc)
		rc = merge_undo(c, t, id);   /* a merged record gets back what moved */
	return rc ? rc : record_print(c, t, id);
}

static int restore_exec(struct crm *c, struct args *a)
{
	return input_each(c, a->argc, a->argv, NULL, restore_one, NULL);
}

static const struct cmd_verb restore_verbs[] = {
	{ "", "[TYPE:ID ...]", "bring back removed records (ids, or JSON lines on stdin)",
	  NULL, DB_WRITE, 0, -1, restore_exec, VERB_SERVER },
	{ NULL }
};

const struct cmd_entry cmd_restore_entry = {
	.name = "restore",
	.summary = "bring back removed records",
	.verbs = restore_verbs,
	.description = "Undoes `crm TYPE rm` (not --purge). The audit log keeps both steps.",
};
