/* man.c: crm __man [COMMAND] (hidden): the man page crm(1) or crm-COMMAND(1)
 * in roff, generated from the same tables as --help, so they cannot drift.
 * `make man` writes share/man/man1 from it; a test checks they match. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmd.h"
#include "main.h"

/* Text with roff's special characters escaped. */
static void roff(const char *s)
{
	bool bol = true;
	for (; *s; s++) {
		if (bol && (*s == '.' || *s == '\''))
			fputs("\\&", stdout);
		if (*s == '\\')
			fputs("\\e", stdout);
		else if (*s == '-')
			fputs("\\-", stdout);
		else
			putchar(*s);
		bol = *s == '\n';
	}
}

/* Running text as --help prints it: its lines are filled, but an
 * indented line (a list item, an example) starts a line of its own (roff
 * breaks before a leading space), and so does the first line after such
 * a block (which roff would fill onto the block's last line). */
static void roff_text(const char *s)
{
	bool indented = false;
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		char *line = strndup(s, n);
		bool in = line[0] == ' ';
		if (!n)
			fputs(".PP\n", stdout);
		else {
			if (indented && !in)
				fputs(".br\n", stdout);
			roff(line);
			putchar('\n');
		}
		indented = in;
		free(line);
		s += n + (nl ? 1 : 0);
	}
}

static void man_opts(const struct opt *opts)
{
	for (const struct opt *o = opts; o && o->name; o++) {
		fputs(".TP\n.B ", stdout);
		if (o->shortname)
			printf("\\-%c, ", o->shortname);
		fputs("\\-\\-", stdout);
		roff(o->name);
		if (o->arg) {
			fputs(" \\fI", stdout);
			roff(o->arg);
			fputs("\\fR", stdout);
		}
		putchar('\n');
		roff(o->help);
		fputs(o->multi ? " (repeatable)\n" : "\n", stdout);
	}
}

static void man_command(const struct cmd_entry *e)
{
	printf(".TH CRM-%s 1 \"\" \"crm %s\" \"crm manual\"\n", e->name, CRM_VERSION);
	fputs(".SH NAME\ncrm\\-", stdout);
	roff(e->name);
	fputs(" \\- ", stdout);
	roff(e->summary);
	fputs("\n.SH SYNOPSIS\n", stdout);
	for (const struct cmd_verb *v = e->verbs; v->name; v++) {
		fputs(".B crm ", stdout);
		roff(e->name);
		if (*v->name) {
			putchar(' ');
			roff(v->name);
		}
		putchar('\n');
		if (v->usage && *v->usage) {
			roff(v->usage);
			putchar('\n');
		}
		fputs(".br\n", stdout);
	}
	if (e->description) {
		fputs(".SH DESCRIPTION\n", stdout);
		roff_text(e->description);
	}
	if (e->more_help) {
		char *more = e->more_help();
		fputs(".PP\n.nf\n", stdout);
		roff(more);
		fputs(".fi\n", stdout);
		free(more);
	}
	for (const struct cmd_verb *v = e->verbs; v->name; v++) {
		fputs(".SH ", stdout);
		if (*v->name) {
			roff(v->name);
			putchar('\n');
		} else {
			fputs("USAGE\n", stdout);
		}
		roff(v->summary);
		putchar('\n');
		man_opts(v->opts);
	}
	fputs(".SH COMMON OPTIONS\n", stdout);
	man_opts(main_common_opts());
	fputs(".SH SEE ALSO\n.BR crm (1)\n", stdout);
}

static void man_main(void)
{
	printf(".TH CRM 1 \"\" \"crm %s\" \"crm manual\"\n", CRM_VERSION);
	fputs(".SH NAME\ncrm \\- a command-line CRM whose records are JSON lines\n"
	      ".SH SYNOPSIS\n.B crm\n[\\-\\-db \\fIPATH\\fR] [\\-\\-as \\fIUSER\\fR] [\\-\\-format \\fIFMT\\fR] [\\-q]\n"
	      "\\fICOMMAND\\fR [\\fIVERB\\fR] [\\fIARGS\\fR]\n"
	      ".SH DESCRIPTION\n"
	      "crm keeps leads, accounts, contacts, deals, follow-ups and tasks in one SQLite\n"
	      "database. Commands print records as JSON lines when piped (a table on a\n"
	      "terminal) and act on JSON lines read from stdin, so they compose with each\n"
	      "other and with jq.\n"
	      ".SH COMMANDS\n", stdout);
	for (int i = 0; cmd_table[i]; i++) {
		if (cmd_table[i]->name[0] == '_')
			continue;
		fputs(".TP\n.BR crm\\-", stdout);
		roff(cmd_table[i]->name);
		fputs(" (1)\n", stdout);
		roff(cmd_table[i]->summary);
		putchar('\n');
	}
	fputs(".SH GLOBAL OPTIONS\n", stdout);
	man_opts(main_common_opts());
	fputs(".SH ENVIRONMENT\n"
	      ".TP\n.B CRM_DB\nthe database file (after \\-\\-db)\n"
	      ".TP\n.B CRM_USER\nthe acting user (after \\-\\-as)\n"
	      ".TP\n.B CRM_NOW\npin the current time (for tests and replays)\n"
	      ".TP\n.B CRM_NO_HOOKS\nset to 1 to run no hooks\n"
	      ".TP\n.B NO_COLOR, COLUMNS\ntable output\n"
	      ".SH FILES\n"
	      "$XDG_DATA_HOME/crm/crm.db or ~/.local/share/crm/crm.db (the database),\n"
	      "$XDG_CONFIG_HOME/crm/config or ~/.config/crm/config (settings),\n"
	      "$XDG_CONFIG_HOME/crm/hooks/on\\-EVENT (hooks).\n"
	      ".SH TRANSACTIONS\n"
	      "Each command that writes is one transaction, except in a pipe: a writer\n"
	      "reading a pipe commits what it has whenever its input waits, and a\n"
	      "writer prints a record only once it is committed: it commits and lets\n"
	      "its output go every megabyte or so, and at the end. So the next command\n"
	      "never acts on a record that is then rolled back, and writers can feed\n"
	      "writers without waiting for each other's lock. A record is never\n"
	      "half-written. \\-\\-strict (and import \\-\\-atomic) keep one transaction\n"
	      "whatever happens and print at the end, once it is committed; nothing if\n"
	      "it is rolled back.\n"
	      ".SH EXIT STATUS\n"
	      "0 success; 1 nothing matched or not found; 2 usage error; 3 bad input data;\n"
	      "4 conflict (duplicate, gate not met, approval required, record changed\n"
	      "underneath: a piped line whose updated_at is no longer the record's);\n"
	      "5 permission denied;\n"
	      "6 database unavailable (cannot open, locked, corrupt, disk full).\n"
	      ".SH EXTENDING\n"
	      "An unknown command \\fIfoo\\fR runs \\fBcrm\\-foo\\fR from PATH with the remaining\n"
	      "arguments, and CRM_DB and CRM_USER set.\n", stdout);
}

static int man_exec(struct crm *c, struct args *a)
{
	if (!a->argc) {
		man_main();
		return CRM_OK;
	}
	const struct cmd_entry *e = cmd_find(a->argv[0]);
	if (!e || e->name[0] == '_')
		return crm_error(c, CRM_USAGE, "no such command '%s'", a->argv[0]);
	man_command(e);
	return CRM_OK;
}

static const struct cmd_verb man_verbs[] = {
	{ "", "[COMMAND]", "print a man page in roff", NULL, DB_NONE, 0, 1, man_exec },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd___man_entry = {
	.name = "__man",
	.summary = NULL,
	.verbs = man_verbs,
	.description = NULL,
};
