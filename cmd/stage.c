/* stage.c: crm stage list|add|rm|move */
#include <stdlib.h>

#include "core/input.h"
#include "sales/pipeline.h"

static const char *pipeline_of(const struct args *a)
{
	const char *p = arg_get(a, "pipeline");
	return p ? p : "default";
}

static int list_exec(struct crm *c, struct args *a)
{
	return pipeline_show(c, pipeline_of(a));
}

static int add_exec(struct crm *c, struct args *a)
{
	struct stage_spec s = {
		.key = a->argv[0],
		.label = arg_get(a, "label"),
		.probability = (int)arg_int(c, a, "probability", -1),
		.position = (int)arg_int(c, a, "position", 0),
		.require = arg_get(a, "require"),
		.require_activity = arg_get(a, "require-activity"),
		.closes = arg_get(a, "closes"),
	};
	if ((arg_has(a, "probability") && s.probability < 0) || s.position < 0)
		return CRM_USAGE;
	return stage_add(c, pipeline_of(a), &s);
}

static int rm_exec(struct crm *c, struct args *a)
{
	return stage_rm(c, pipeline_of(a), a->argv[0]);
}

static int move_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	int rc = record_check_fresh(c, t, id, line);
	if (!rc)
		rc = stage_move(c, id, arg);
	return rc ? rc : record_print(c, t, id);
}

static int move_exec(struct crm *c, struct args *a)
{
	struct move_opts m = {
		.stage = a->argv[a->argc - 1],
		.reason = arg_get(a, "reason"),
		.force = arg_has(a, "force"),
	};
	return input_each(c, a->argc - 1, a->argv, "deal", move_one, &m);
}

static const struct opt pipeline_opt[] = {
	{ "pipeline", 'p', "KEY", "the pipeline (default: default)", false },
	OPT_END
};

static const struct opt add_opts[] = {
	{ "pipeline", 'p', "KEY", "the pipeline (default: default)", false },
	{ "label", 0, "LABEL", "what people call it (default: the key)", false },
	{ "probability", 0, "N", "win probability in percent a deal gets in this stage", false },
	{ "position", 0, "N", "place in the pipeline, 1 = first (default: before won/lost)", false },
	{ "require", 0, "FIELD,...", "fields a deal must have to enter (\"\" clears)", false },
	{ "require-activity", 0, "KIND", "an activity (call, meeting, visit, ...) needed since the deal "
	  "entered its current stage (\"\" clears)", false },
	{ "closes", 0, "won|lost", "moving here closes the deal as won or lost (a stage called won or "
	  "lost does unless --closes \"\")", false },
	OPT_END
};

static const struct opt move_opts[] = {
	{ "reason", 0, "TEXT", "why (required for a lost stage: becomes lost_reason)", false },
	{ "force", 0, NULL, "move even if the stage's gate is not met (logged)", false },
	OPT_END
};

static const struct cmd_verb stage_verbs[] = {
	{ "list", "[--pipeline P]", "list the stages of a pipeline in order", pipeline_opt, DB_READ, 0, 0,
	  list_exec, VERB_SERVER },
	{ "add", "KEY [--pipeline P] [--label L] [--probability N] [--position N] [--require F,...] "
	  "[--require-activity KIND] [--closes won|lost]",
	  "add a stage, or change those attributes of an existing one", add_opts, DB_WRITE, 1, 1, add_exec,
	  VERB_ADMIN | VERB_SERVER },
	{ "rm", "KEY [--pipeline P]", "remove a stage no deal is in (exit 4 otherwise)", pipeline_opt,
	  DB_WRITE, 1, 1, rm_exec, VERB_ADMIN | VERB_SERVER },
	{ "move", "[DEAL ...] STAGE [--reason R] [--force]",
	  "move deals (ids, or JSON lines on stdin) to STAGE of their pipeline", move_opts, DB_WRITE, 1, -1,
	  move_exec, VERB_SERVER },
	{ NULL }
};

const struct cmd_entry cmd_stage_entry = {
	.name = "stage",
	.summary = "pipeline stages and moving deals through them",
	.verbs = stage_verbs,
	.description = "A move records from, to, who, when and why in the stage history, sets the\n"
		       "deal's probability to the stage's, and closes the deal in a won or lost\n"
		       "stage (lost needs --reason). A stage's gate may require fields\n"
		       "(--require amount,expected_close) and an activity logged since the deal\n"
		       "entered its current stage (--require-activity call); a move that does not\n"
		       "meet it fails with exit 4 saying what is missing, unless --force (the\n"
		       "forced move is marked in the history and the audit log). With config\n"
		       "approval.amount_over set, moving a deal above that amount into\n"
		       "negotiation or won (config approval.stages) needs 'crm approve deal:ID'\n"
		       "first: the move fails with exit 4 and asks for it; --force does not skip it.\n"
		       "From stdin, deals that pass are moved and the others reported (exit 4).",
};
