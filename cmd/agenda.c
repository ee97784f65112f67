/* agenda.c: crm agenda */
#include "core/cmd.h"
#include "sales/followup.h"

static const struct opt agenda_opts[] = {
	{ "user", 'u', "USER", "whose agenda (default: the acting user)", false },
	{ "date", 'd', "DAY", "which day (default: today)", false },
	OPT_END
};

static int agenda_exec(struct crm *c, struct args *a)
{
	const char *user = arg_get(a, "user");
	return agenda_print(c, user ? user : c->user, arg_get(a, "date"));
}

static const struct cmd_verb agenda_verbs[] = {
	{ "", "[--user U] [--date DAY]", "what to do today: overdue tasks, today's tasks, new leads, quiet deals",
	  agenda_opts, DB_READ, 0, 0, agenda_exec, VERB_SERVER },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_agenda_entry = {
	.name = "agenda",
	.summary = "what to do today: overdue and due tasks, uncontacted leads, quiet deals",
	.verbs = agenda_verbs,
	.description = "In this order: overdue tasks (agenda=overdue), tasks due that day (today),\n"
		       "the user's new leads not contacted within config agenda.new_lead_hours\n"
		       "(default 24; new_lead), and the user's open deals with no activity for\n"
		       "config agenda.stale_deal_days (default 7; stale_deal). Tasks by priority\n"
		       "within each part. Each line is the task, lead or deal itself (type, id); a\n"
		       "task line is the task as 'crm task list' prints it, plus agenda and when\n"
		       "(\"2 days late\", \"today 15:00\"), so one jq filter reads both and\n"
		       "  crm agenda | jq -c 'select(.agenda == \"overdue\")' | crm task done\n"
		       "works. Tasks about a removed record are left out until it is restored.\n"
		       "--date reads the times 'crm help task' lists (明天, 下周一, 12-15, ...).",
};
