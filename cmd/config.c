/* config.c: crm config get|set|unset|list */
#include <stdlib.h>
#include <string.h>

#include "core/cmd.h"
#include "core/config.h"
#include "core/db.h"
#include "io/out.h"

static int get_exec(struct crm *c, struct args *a)
{
	char *v = config_get(c, a->argv[0]);
	if (!v)
		return CRM_NOTFOUND;   /* like git config: silent, exit 1 */
	printf("%s\n", v);
	free(v);
	return CRM_OK;
}

static int set_exec(struct crm *c, struct args *a)
{
	return config_set(c, a->argv[0], a->argv[1]);
}

static int unset_exec(struct crm *c, struct args *a)
{
	return config_unset(c, a->argv[0]);
}

static int list_exec(struct crm *c, struct args *a)
{
	return config_list(c);
}

static const struct cmd_verb config_verbs[] = {
	{ "get", "KEY", "print a setting's value (exit 1 if unset)", NULL, DB_READ, 1, 1, get_exec },
	{ "set", "KEY VALUE", "set a setting in the database", NULL, DB_WRITE, 2, 2, set_exec },
	{ "unset", "KEY", "remove a setting from the database", NULL, DB_WRITE, 1, 1, unset_exec },
	{ "list", "", "list settings (database and config file)", NULL, DB_READ, 0, 0, list_exec },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_config_entry = {
	.name = "config",
	.summary = "get and set settings",
	.verbs = config_verbs,
	.description = "Settings live in the database (shared by everyone using it) and in\n"
		       "$XDG_CONFIG_HOME/crm/config or ~/.config/crm/config (\"key = value\" lines);\n"
		       "the database wins. Known settings: currency (CNY), db.busy_timeout (ms, 5000),\n"
		       "user.name, team.NAME (comma-separated users), approval.amount_over,\n"
		       "score.mql (30), score.sql (60), score.target_industries, score.min_company_size,\n"
		       "agenda.new_lead_hours (24), agenda.stale_deal_days (7), query.timeout (s, 10:\n"
		       "how long crm sql or --where may run), hooks.timeout (s, 30: then a hook is\n"
		       "killed).\n"
		       "Every change is in the audit log (crm log).",
};
