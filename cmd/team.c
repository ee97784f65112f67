/* team.c: crm team list|show TEAM */
#include "core/cmd.h"
#include "team/user.h"

static int list_exec(struct crm *c, struct args *a)
{
	return team_list(c);
}

static int show_exec(struct crm *c, struct args *a)
{
	return team_show(c, a->argv[0]);
}

static const struct cmd_verb team_verbs[] = {
	{ "list", "", "list the teams: members and manager", NULL, DB_READ, 0, 0, list_exec, VERB_SERVER },
	{ "show", "TEAM", "the team's members (and its manager) as users", NULL, DB_READ, 1, 1, show_exec, VERB_SERVER },
	{ NULL }
};

const struct cmd_entry cmd_team_entry = {
	.name = "team",
	.summary = "teams: the users of a team and who manages it",
	.verbs = team_verbs,
	.description = "A team is what users' --team says (crm user add NAME --role rep --team\n"
		       "east). Its manager is whoever its members name with --manager, and a\n"
		       "manager whose own team it is; a manager sees and changes the records of\n"
		       "the teams they manage. 'crm team list' prints\n"
		       "{\"type\":\"team\",\"name\":\"east\",\"members\":3,\"manager\":\"dave\"} per team;\n"
		       "'crm team show east' prints its members and the managers they name as\n"
		       "user records (by name), so it pipes: crm team show east | crm user show.\n"
		       "Before users exist, config team.NAME entries serve crm assign.",
};
