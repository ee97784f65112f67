/* history.c: crm history ENTITY */
#include "core/cmd.h"
#include "data/history.h"
#include "core/input.h"
#include "core/record.h"

static int history_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	return history_print(c, t, id);
}

static int history_exec(struct crm *c, struct args *a)
{
	return input_each(c, a->argc, a->argv, NULL, history_one, NULL);
}

static const struct cmd_verb history_verbs[] = {
	{ "", "ENTITY ...", "a record's life in time order (or of each record piped in)",
	  NULL, DB_READ, 0, -1, history_exec, VERB_SERVER },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_history_entry = {
	.name = "history",
	.summary = "a record's life: field changes, activities, tasks, stage moves, events",
	.verbs = history_verbs,
	.description = "One line per happening, oldest first, with kind insert, update (and the\n"
		       "changed fields as \"changes\": {\"field\": [before, after]}), delete, restore,\n"
		       "stage_move, approve, activity, task, task_done or event. A record an import\n"
		       "made begins \"created by import run R from FILE line L\" (\"run\", \"file\",\n"
		       "\"line\", and \"values\": the record as imported); a lead's score changes come\n"
		       "from the scoring runs that made them (\"scoring_run\": true). A removed or\n"
		       "purged record keeps its history.",
};
