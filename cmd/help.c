/* help.c: crm help [COMMAND] [--commands] */
#include <stdio.h>
#include <string.h>

#include "core/cmd.h"
#include "main.h"

static const struct opt help_opts[] = {
	{ "commands", 0, NULL, "list the command names, one a line", false },
	OPT_END
};

static int help_exec(struct crm *c, struct args *a)
{
	if (arg_has(a, "commands")) {
		for (int i = 0; cmd_table[i]; i++)
			if (cmd_table[i]->name[0] != '_')
				printf("%s\n", cmd_table[i]->name);
		return CRM_OK;
	}
	if (!a->argc) {
		main_help_all(stdout);
		return CRM_OK;
	}
	const struct cmd_entry *e = cmd_find(a->argv[0]);
	if (!e)
		return crm_error(c, CRM_USAGE, "no such command '%s'; see 'crm help'", a->argv[0]);
	if (a->argc > 1) {
		struct sbuf verb = { 0 };
		for (int i = 1; i < a->argc; i++)
			sbuf_addf(&verb, "%s%s", i > 1 ? " " : "", a->argv[i]);
		for (const struct cmd_verb *v = e->verbs; v->name; v++)
			if (!strcmp(v->name, verb.s)) {
				sbuf_release(&verb);
				main_help_verb(stdout, e, v);
				return CRM_OK;
			}
		crm_error(c, CRM_USAGE, "'%s' is not a verb of crm %s", verb.s, e->name);
		sbuf_release(&verb);
		return CRM_USAGE;
	}
	main_help_command(stdout, e);
	return CRM_OK;
}

static const struct cmd_verb help_verbs[] = {
	{ "", "[--commands] [COMMAND [VERB]]", "describe crm, a command, or a verb",
	  help_opts, DB_NONE, 0, -1, help_exec },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.summary = "describe crm and its commands",
	.verbs = help_verbs,
	.description = "'crm help CMD', 'crm CMD --help' and 'man crm-CMD' say the same thing.",
};
