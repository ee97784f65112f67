/* assign.c: crm assign [IDS|stdin] --by ..., crm assign rule add|list|rm */
#include <stdlib.h>
#include <string.h>

#include "sales/assign.h"
#include "core/cmd.h"
#include "core/input.h"
#include "records.h"

static const struct opt assign_opts[] = {
	{ "by", 'b', "HOW", "region, industry, source, round-robin or least-loaded", false },
	{ "team", 't', "TEAM", "draw reps from config team.TEAM (default: team.default)", false },
	{ "force", 0, NULL, "assign converted leads too (they get no first-contact task)", false },
	OPT_END
};

static int assign_line(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	return assign_one(c, arg, t, id, true);
}

static int assign_exec(struct crm *c, struct args *a)
{
	const char *how = arg_get(a, "by");
	enum assign_by by;
	if (!how)
		return cmd_usage_error(c, "assign how? --by region|industry|source|round-robin|least-loaded");
	if (assign_by_parse(how, &by) != 0)
		return cmd_usage_error(c, "--by: '%s' is not one of region, industry, source, round-robin, least-loaded", how);
	if (!a->argc && !input_piped())
		return cmd_usage_error(c, "which records? lead ids, or JSON lines on stdin");
	struct assigner as;
	int rc = assigner_init(c, &as, by, arg_get(a, "team"));
	if (rc)
		return rc;
	as.force = arg_has(a, "force");
	rec_columns(c, type_find(c, "lead"));
	rc = input_each(c, a->argc, a->argv, "lead", assign_line, &as);
	assigner_release(&as);
	return rc;
}

static int rule_add_exec(struct crm *c, struct args *a)
{
	const char *field = NULL, *value = NULL, *owner = NULL;
	for (int i = 0; i < a->argc; i++) {
		char *eq = strchr(a->argv[i], '=');
		if (!eq)
			return cmd_usage_error(c, "'%s' is not FIELD=VALUE", a->argv[i]);
		*eq = 0;
		if (!strcmp(a->argv[i], "owner"))
			owner = eq + 1;
		else if (field)
			return cmd_usage_error(c, "one FIELD=VALUE per rule");
		else {
			field = a->argv[i];
			value = eq + 1;
		}
	}
	if (!field || !owner || !*owner || !*value)
		return cmd_usage_error(c, "crm assign rule add region=华东 owner=alice");
	return assign_rule_add(c, field, value, owner);
}

static int rule_list_exec(struct crm *c, struct args *a)
{
	return assign_rule_list(c, 0);
}

static int rule_rm_exec(struct crm *c, struct args *a)
{
	char *eq = strchr(a->argv[0], '=');
	if (eq) {   /* crm assign rule rm region=华东: the rules for that value */
		*eq = 0;
		return assign_rule_rm_match(c, a->argv[0], eq + 1);
	}
	char *end;
	long long id = strtoll(a->argv[0], &end, 10);
	if (end == a->argv[0] || *end || id <= 0)
		return cmd_usage_error(c, "'%s' is not a rule id (crm assign rule list)", a->argv[0]);
	return assign_rule_rm(c, id);
}

static const struct cmd_verb assign_verbs[] = {
	{ "rule add", "FIELD=VALUE owner=USER", "map a region, industry or source to a rep",
	  NULL, DB_WRITE, 2, 2, rule_add_exec, VERB_ADMIN | VERB_SERVER },
	{ "rule list", "", "list the assignment rules", NULL, DB_READ, 0, 0, rule_list_exec, VERB_SERVER },
	{ "rule rm", "ID | FIELD=VALUE", "remove an assignment rule (by id, or the rules for a value)",
	  NULL, DB_WRITE, 1, 1, rule_rm_exec, VERB_ADMIN | VERB_SERVER },
	{ "", "[ID ...] --by region|industry|source|round-robin|least-loaded [--team T] [--force]",
	  "give leads to reps, with a first-contact task each", assign_opts, DB_WRITE, 0, -1, assign_exec, VERB_SERVER },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_assign_entry = {
	.name = "assign",
	.summary = "give leads to reps: by region, industry, source, round-robin, least-loaded",
	.verbs = assign_verbs,
	.description = "--by region (industry, source): the rule for the lead's region wins, else\n"
		       "round-robin over the team. Teams are config entries: crm config set\n"
		       "team.sales alice,bob,carol (--team sales; default team.default).\n"
		       "Round-robin goes on where the last run stopped; least-loaded picks the rep\n"
		       "with the fewest open leads and deals. Each assigned lead gets a task\n"
		       "\"首次联系\" for its new owner, due in config assign.hot_hours (2) when its\n"
		       "score is above score.sql, else assign.first_contact_hours (24); assigned\n"
		       "again, the open task goes to the new owner with a new deadline, unless\n"
		       "that deadline is already missed (it stays, so the lateness shows). The\n"
		       "task is done when someone calls, meets, visits, emails or messages the\n"
		       "lead (crm note --type call ...) or converts it. A converted lead is\n"
		       "refused (exit 4) unless --force (it then gets no first-contact task).\n"
		       "  crm import leads new.csv --print | crm assign --by region",
};
