/* config.c: crm config get|set|unset|list */
#include <stdlib.h>
#include <string.h>

#include "core/cmd.h"
#include "core/config.h"
#include "core/db.h"
#include "io/out.h"

/* The value, or the declared default when unset. With an explicit
 * --format (jsonl, table, ...) a record with its source: "database", the
 * config file, or "default". */
static int get_exec(struct crm *c, struct args *a)
{
	char *src, *v = config_get_source(c, a->argv[0], &src);
	if (!v)
		return CRM_NOTFOUND;   /* like git config: silent, exit 1 */
	if (c->format_set) {
		out_begin(c->out);
		out_str(c->out, "type", "config");
		out_str(c->out, "key", a->argv[0]);
		out_str(c->out, "value", v);
		out_str(c->out, "source", src);
		out_end(c->out);
	} else {
		printf("%s\n", v);
	}
	free(v);
	free(src);
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
	return config_list(c, arg_has(a, "all"));
}

static const struct opt list_opts[] = {
	{ "all", 0, NULL, "also every setting crm reads that is unset, with its default (source \"default\")", false },
	OPT_END
};

static const struct cmd_verb config_verbs[] = {
	{ "get", "KEY", "print a setting's value, or its default when unset (exit 1 if neither)",
	  NULL, DB_READ, 1, 1, get_exec, VERB_SERVER },
	{ "set", "KEY VALUE", "set a setting in the database (a key crm knows, or x.NAME)", NULL, DB_WRITE, 2, 2,
	  set_exec, VERB_ADMIN | VERB_SERVER },
	{ "unset", "KEY", "remove a setting from the database", NULL, DB_WRITE, 1, 1, unset_exec, VERB_ADMIN | VERB_SERVER },
	{ "list", "[--all]", "list settings (database and config file; --all: and the defaults)", list_opts,
	  DB_READ, 0, 0, list_exec, VERB_SERVER },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_config_entry = {
	.name = "config",
	.summary = "get and set settings",
	.verbs = config_verbs,
	.description = "Settings live in the database (shared by everyone using it) and in\n"
		       "$XDG_CONFIG_HOME/crm/config or ~/.config/crm/config (\"key = value\"\n"
		       "lines); the database wins. db.url, which says where the database is, lives\n"
		       "in the config file alone: config set and unset write it there (0600, the\n"
		       "other lines kept). `config set` takes only a key crm reads (listed below)\n"
		       "or one of a family users name (team.NAME, import.map.NAME, x.NAME):\n"
		       "any other key is refused (exit 2) with the nearest known one, so a typo is\n"
		       "not saved to be ignored. `config get KEY` prints the value, or the default\n"
		       "when the key is unset; to tell them apart, `crm config get KEY --format\n"
		       "jsonl` prints {\"key\",\"value\",\"source\"} where source is \"database\", the\n"
		       "config file's path, or \"default\"; `crm config list --all` lists every\n"
		       "setting that way. Every change of the database's settings is in its audit\n"
		       "log (crm log).",
	.more_help = config_keys_help,
};
