/* automate.c: crm automate tick|run */
#include "core/cmd.h"
#include "core/module.h"

static const struct opt run_opts[] = {
	{ "dry-run", 'n', NULL, "print what would fire, change nothing", false },
	OPT_END
};

static int tick_exec(struct crm *c, struct args *a)
{
	int rc = module_tick_all(c, false, false);
	return rc == CRM_NOTFOUND ? CRM_OK : rc;   /* a quiet minute is fine for cron */
}

static int run_exec(struct crm *c, struct args *a)
{
	return module_tick_all(c, true, arg_has(a, "dry-run"));
}

static const struct cmd_verb automate_verbs[] = {
	{ "tick", "", "run the time-based rules that are due (from cron; never fires twice)",
	  NULL, DB_WRITE, 0, 0, tick_exec, VERB_SERVER },
	{ "run", "[--dry-run]", "run every time-based rule now (--dry-run: only show what would fire)",
	  run_opts, DB_WRITE, 0, 0, run_exec, VERB_SERVER },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_automate_entry = {
	.name = "automate",
	.summary = "run the time-based automation rules (cron: * * * * * crm automate tick)",
	.verbs = automate_verbs,
	.description = "Prints one {\"type\":\"fired\",\"rule\",\"entity\",\"actions\"} line per firing.\n"
		       "A rule fires once per record while its condition holds, so running tick\n"
		       "every minute creates each task once. The tick also keeps the pool (crm help\n"
		       "pool): a {\"type\":\"pool\",\"action\":\"reminded\"} line per reminder task and\n"
		       "a {\"type\":\"pool\",\"action\":\"reclaimed\"} line per record returned to it.\n"
		       "It acts for the system, on everyone's records.",
};
