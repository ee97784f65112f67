/* shell.c: crm shell, every command in one process with one database
 * connection. readline on a terminal; plain lines otherwise, so a file of
 * commands can be piped in. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/fs.h"
#include "core/cmd.h"
#include "core/db.h"
#include "io/lineedit.h"
#include "main.h"
#include "base/split.h"

/* Ctrl-C on a terminal: at the prompt it must not end the shell (and
 * lose its history); while a command runs it stops the command's SQL
 * (the backend's interrupt: SQLite's, or a server's cancel), which then
 * fails and rolls back, and the prompt
 * comes back. The handler can reach nothing else: the one piece of
 * global state, as in import.c. */
static struct crm *volatile running;
static const struct lineedit *prompt_le;

static void on_sigint(int sig)
{
	(void)sig;
	if (running) {
		if (running->conn)
			db_conn_interrupt(running->conn);
		return;
	}
	/* at the prompt: readline has put the terminal back and calls us
	 * from its own handler; drop the line and prompt again */
	if (prompt_le) {
		prompt_le->replace_line("", 0);
		prompt_le->crlf();
		prompt_le->on_new_line();
		prompt_le->redisplay();
	}
}

static char *history_path(void)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	if (xdg && *xdg)
		return xasprintf("%s/crm/shell_history", xdg);
	return xasprintf("%s/.local/share/crm/shell_history", home && *home ? home : ".");
}

/* The next line, without its newline; NULL at end of input. le: readline
 * on a terminal, else plain lines. */
static char *next_line(const struct lineedit *le)
{
	if (le)
		return le->readline("crm> ");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);
	if (n < 0) {
		free(line);
		return NULL;
	}
	if (n && line[n - 1] == '\n')
		line[n - 1] = 0;
	return line;
}

static int shell_exec(struct crm *c, struct args *a)
{
	const struct lineedit *le = NULL;
	char why[512];
	if (isatty(STDIN_FILENO) && !(le = lineedit_get(why, sizeof(why))))
		crm_warn(c, "%s", why);   /* still a shell, without line editing */
	char *hist = history_path();
	int status = CRM_OK;
	/* What the shell was started with applies to every command. */
	int format = c->format;
	bool format_set = c->format_set, quiet = c->quiet;
	char *db_path = c->db_path ? xstrdup(c->db_path) : NULL;
	struct sigaction sa = { .sa_handler = on_sigint, .sa_flags = SA_RESTART }, old_int;
	sigemptyset(&sa.sa_mask);
	prompt_le = le;
	if (le)
		sigaction(SIGINT, &sa, &old_int);
	if (le)
		le->read_history(hist);
	char *line;
	while ((line = next_line(le)) != NULL) {
		char **argv;
		int argc = split_words(line, &argv);
		if (argc < 0) {
			fprintf(stderr, "crm: shell: unterminated quote\n");
			status = CRM_USAGE;
		} else if (argc > 0) {
			if (le)
				le->add_history(line);
			if (!strcmp(argv[0], "exit") || !strcmp(argv[0], "quit")) {
				if (argc > 1)   /* exit N, as in sh */
					status = atoi(argv[1]) & 0xff;
				split_free(argv);
				free(line);
				break;
			}
			/* "crm lead list" and "lead list" both work. */
			int skip = !strcmp(argv[0], "crm") ? 1 : 0;
			if (argc > skip && !strcmp(argv[skip], "shell")) {
				fprintf(stderr, "crm: shell: already in the shell\n");
				status = CRM_USAGE;
			} else {
				c->format = format;
				c->format_set = format_set;
				c->quiet = quiet;
				c->strict = false;
				c->raw = false;
				c->errmsg[0] = 0;
				running = c;
				status = main_run(c, argc - skip, argv + skip);
				running = NULL;
				c->signal = 0;   /* an interrupted import: back to the prompt */
				fflush(stdout);
				/* --db on one line is for that line: back to the shell's */
				if (db_path && c->db_path && strcmp(db_path, c->db_path)) {
					db_close(c);
					free(c->db_path);
					c->db_path = xstrdup(db_path);
				}
			}
		}
		split_free(argv);
		free(line);
	}
	if (le)
		sigaction(SIGINT, &old_int, NULL);
	if (le && make_parent_dirs(hist) == 0)
		le->write_history(hist);
	free(hist);
	free(db_path);
	c->cmd = "shell";
	return status;
}

static const struct cmd_verb shell_verbs[] = {
	{ "", "", "run crm commands one per line in one process (readline on a terminal)",
	  NULL, DB_NONE, 0, 0, shell_exec },
	{ NULL }
};

const struct cmd_entry cmd_shell_entry = {
	.name = "shell",
	.summary = "run commands interactively, or a file of commands",
	.verbs = shell_verbs,
	.description = "Each line is a crm command without the leading \"crm\" (it may be given):\n"
		       "  crm> lead list --where \"region = '浙江'\"\n"
		       "Words are split like sh does ('...', \"...\", backslash); no pipes or\n"
		       "redirection. 'exit' (or 'exit N') or end of input leaves; the exit status\n"
		       "is the last command's (or N). On a terminal Ctrl-C clears the line, or\n"
		       "stops the running command (its changes are undone), not the shell; --db\n"
		       "on a line is for that line only. History is kept in\n"
		       "~/.local/share/crm/shell_history.",
};
