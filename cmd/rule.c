/* rule.c: crm rule add|list|rm|test */
#include "core/cmd.h"
#include "core/record.h"
#include "sales/rules.h"

static const struct opt add_opts[] = {
	{ "on", 0, "EVENT", "lead.created, lead.updated, lead.qualified, deal.stage_changed, activity.created, "
	  "event.tracked, or tick", false },
	{ "type", 't', "TYPE", "the records a tick rule looks at (lead, account, contact, deal, task)", false },
	{ "when", 'w', "EXPR", "only when this holds for the record (an SQL expression, as in --where)", false },
	{ "every", 0, "SPAN", "tick rules: how often (1m, 1h, 1d; default 1h)", false },
	{ "do", 0, "ACTION", "task \"title\" --due +3d [--owner owner|manager], set F=V, tag add X, "
	  "assign --by HOW, score, notify, create TYPE F=V... (repeatable)", true },
	OPT_END
};

static int add_exec(struct crm *c, struct args *a)
{
	const char *acts[64];
	int n = 0;
	for (const char *d; n < 64 && (d = arg_nth(a, "do", n)); n++)
		acts[n] = d;
	struct rule_spec s = {
		.name = a->argv[0],
		.event = arg_get(a, "on"),
		.type = arg_get(a, "type"),
		.cond = arg_get(a, "when"),
		.every = arg_get(a, "every"),
		.actions = acts,
		.nactions = n,
	};
	if (!s.event)
		return cmd_usage_error(c, "on which event? --on lead.created (or tick)");
	return rules_add(c, &s);
}

static int list_exec(struct crm *c, struct args *a)
{
	return rules_list(c, NULL);
}

static int rm_exec(struct crm *c, struct args *a)
{
	return rules_rm(c, a->argv[0]);
}

static int test_exec(struct crm *c, struct args *a)
{
	const struct type *t;
	long long id;
	if (entity_parse(c, a->argv[1], NULL, &t, &id))
		return c->errcode;
	return rules_test(c, a->argv[0], t, id);
}

static const struct cmd_verb rule_verbs[] = {
	{ "add", "NAME --on EVENT [--type TYPE] [--when EXPR] [--every SPAN] --do ACTION [--do ACTION ...]",
	  "add an automation rule", add_opts, DB_WRITE, 1, 1, add_exec, VERB_ADMIN | VERB_SERVER },
	{ "list", "", "list the automation rules", NULL, DB_READ, 0, 0, list_exec, VERB_SERVER },
	{ "rm", "NAME", "remove an automation rule", NULL, DB_WRITE, 1, 1, rm_exec, VERB_ADMIN | VERB_SERVER },
	{ "test", "NAME ENTITY", "would the rule fire for this record? (exit 1 if not; changes nothing)",
	  NULL, DB_READ, 2, 2, test_exec, VERB_SERVER },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_rule_entry = {
	.name = "rule",
	.summary = "automation rules: when something happens (or keeps not happening), act",
	.verbs = rule_verbs,
	.description = "Event rules run in the transaction of the change that fired them: a\n"
		       "rule that fails rolls the change back and says why. Tick rules (--on\n"
		       "tick) run from 'crm automate tick' (cron, every minute is fine): each\n"
		       "fires once per record while its --when holds, and again only after it\n"
		       "stopped holding. On an activity, a task or a survey, actions act on the\n"
		       "record it is about; create TYPE F=V... makes a record of another type\n"
		       "about that one (its references to it and to its account are filled):\n"
		       "  --on activity.created --when \"text LIKE '%投诉%'\" --do 'create ticket title=客户投诉'\n"
		       "and an event.tracked rule's --when reads the event (name, props) and its\n"
		       "actions act on the event's lead. The pool's events (pool.claimed,\n"
		       "pool.released, pool.reclaimed) are a lead's or, with --type account, an\n"
		       "account's. Once users exist, rules are the admin's, and their actions\n"
		       "act for the system: on records the user whose change fired them may not\n"
		       "see or change.\n"
		       "Samples: share/rules/samples.sh. For example:\n"
		       "  crm rule add 报价跟进 --on deal.stage_changed --when \"stage = 'proposal'\" \\\n"
		       "      --do 'task 跟进报价反馈 --due +7d'",
};
