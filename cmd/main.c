/* main.c: global options, the command table, dispatch.
 *
 * crm [global options] <command> [<verb>] [arguments]
 * An unknown command runs `crm-<command>` from PATH, like git. */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "core/cmd.h"
#include "core/config.h"
#include "core/db.h"
#include "core/open.h"
#include "core/hook.h"
#include "core/input.h"
#include "base/text.h"
#include "core/module.h"
#include "main.h"
#include "io/fs.h"
#include "io/out.h"
#include "core/record.h"

/* Options every verb takes, after the command as well as before it. */
static const struct opt common_opts[] = {
	{ "db", 0, "PATH", "the database file", false },
	{ "as", 0, "USER", "act as this user", false },
	{ "format", 0, "FMT", "jsonl, table, csv or tsv (how records are printed)", false },
	{ "json", 0, NULL, "same as --format jsonl", false },
	{ "table", 0, NULL, "same as --format table", false },
	{ "csv", 0, NULL, "same as --format csv", false },
	{ "tsv", 0, NULL, "same as --format tsv", false },
	{ "quiet", 'q', NULL, "no notices on stderr", false },
	{ "strict", 0, NULL, "stop at the first bad input line", false },
	{ "raw", 0, NULL, "csv/tsv: no ' before a cell starting with = + - @ (formula guard)", false },
	{ "help", 'h', NULL, "show this help", false },
	OPT_END
};

const struct opt *main_common_opts(void)
{
	return common_opts;
}

const struct cmd_entry *cmd_find(const char *name)
{
	for (int i = 0; cmd_table[i]; i++)
		if (!strcmp(cmd_table[i]->name, name))
			return cmd_table[i];
	return NULL;
}

/* ---- did you mean ---- */

/* The closest of names (a NULL-terminated list via get(i)): NULL when
 * none is close, unless any (then the nearest, however far). */
static const char *closest(const char *word, const char *(*get)(const void *, int), const void *ctx, bool any)
{
	const char *best = NULL;
	int bestd = INT_MAX;
	size_t wl = strlen(word);
	for (int i = 0; get(ctx, i); i++) {
		const char *n = get(ctx, i);
		if (!strncmp(n, "__", 2))
			continue;   /* internal commands (__complete, __man) are never suggested */
		int d = text_distance(word, n);
		if (wl >= 2 && !strncmp(n, word, wl))
			d = 1;   /* a prefix is close */
		if (d < bestd) {
			bestd = d;
			best = n;
		}
	}
	int limit = wl <= 3 ? 1 : wl <= 6 ? 2 : 3;
	return bestd <= limit || any ? best : NULL;
}

static const char *table_name(const void *ctx, int i)
{
	(void)ctx;
	return cmd_table[i] ? cmd_table[i]->name : NULL;
}

static const char *verb_name(const void *ctx, int i)
{
	const struct cmd_entry *e = ctx;
	return e->verbs[i].name;
}

/* ---- help ---- */

static void print_opts(FILE *fp, const struct opt *opts)
{
	for (const struct opt *o = opts; o && o->name; o++) {
		char left[96];
		if (o->shortname)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->shortname, o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name, o->arg ? " " : "",
				 o->arg ? o->arg : "");
		fprintf(fp, "  %-26s %s%s\n", left, o->help, o->multi ? " (repeatable)" : "");
	}
}

static void verb_usage_line(FILE *fp, const struct cmd_entry *e, const struct cmd_verb *v)
{
	fprintf(fp, "crm %s%s%s%s%s\n", e->name, *v->name ? " " : "", v->name,
		v->usage && *v->usage ? " " : "", v->usage ? v->usage : "");
}

void main_help_verb(FILE *fp, const struct cmd_entry *e, const struct cmd_verb *v)
{
	fprintf(fp, "usage: ");
	verb_usage_line(fp, e, v);
	fprintf(fp, "\n%s\n", v->summary);
	if (v->opts && v->opts->name) {
		fprintf(fp, "\noptions:\n");
		print_opts(fp, v->opts);
	}
}

void main_help_command(FILE *fp, const struct cmd_entry *e)
{
	fprintf(fp, "crm %s: %s\n\nusage:\n", e->name, e->summary);
	for (const struct cmd_verb *v = e->verbs; v->name; v++) {
		fprintf(fp, "  ");
		verb_usage_line(fp, e, v);
	}
	if (e->description)
		fprintf(fp, "\n%s\n", e->description);
	if (e->more_help) {
		char *more = e->more_help();
		fprintf(fp, "\n%s", more);
		free(more);
	}
	for (const struct cmd_verb *v = e->verbs; v->name; v++) {
		fprintf(fp, "\ncrm %s%s%s: %s\n", e->name, *v->name ? " " : "", v->name, v->summary);
		print_opts(fp, v->opts);
	}
	fprintf(fp, "\ncommon options (any command):\n");
	print_opts(fp, common_opts);
}

void main_help_all(FILE *fp)
{
	fprintf(fp, "usage: crm [--db PATH] [--as USER] [--format FMT] [-q] <command> [<verb>] [args]\n\n"
		    "A command-line CRM: records are JSON lines that pipe into each other and jq.\n\n"
		    "commands:\n");
	for (int i = 0; cmd_table[i]; i++)
		if (cmd_table[i]->summary && cmd_table[i]->name[0] != '_')
			fprintf(fp, "  %-12s %s\n", cmd_table[i]->name, cmd_table[i]->summary);
	fprintf(fp, "\nglobal options:\n");
	print_opts(fp, common_opts);
	fprintf(fp, "\nexit status: 0 ok, 1 nothing matched, 2 usage, 3 bad input, 4 conflict,\n"
		    "5 permission denied, 6 database unavailable.\n"
		    "'crm help COMMAND' or 'crm COMMAND --help' tells more; an unknown command\n"
		    "runs 'crm-COMMAND' from PATH.\n");
}

/* ---- option parsing ---- */

static const struct opt *find_opt(const struct opt *opts, const char *name, size_t n, char shortname)
{
	for (int pass = 0; pass < 2; pass++) {
		const struct opt *o = pass ? common_opts : opts;
		for (; o && o->name; o++) {
			if (shortname ? o->shortname == shortname
				      : strlen(o->name) == n && !strncmp(o->name, name, n))
				return o;
		}
	}
	return NULL;
}

static bool looks_like_option(const char *s)
{
	/* "-2w" and "-5" are values (relative dates, numbers), not options. */
	return s[0] == '-' && s[1] && !(s[1] >= '0' && s[1] <= '9');
}

/* Parse argv (after the verb) into a; options may come anywhere until "--". */
static int parse_args(struct crm *c, const struct opt *opts, int argc, char **argv, struct args *a)
{
	bool only_pos = false;
	a->argv = xcalloc(argc + 1, sizeof(char *));
	a->opts = xcalloc(argc + 1, sizeof(struct optval));
	for (int i = 0; i < argc; i++) {
		char *s = argv[i];
		if (only_pos || !looks_like_option(s)) {
			a->argv[a->argc++] = s;
			continue;
		}
		if (!strcmp(s, "--")) {
			only_pos = true;
			continue;
		}
		const struct opt *o;
		const char *val = NULL;
		if (s[1] == '-') {
			const char *name = s + 2, *eq = strchr(name, '=');
			o = find_opt(opts, name, eq ? (size_t)(eq - name) : strlen(name), 0);
			if (!o)
				return cmd_usage_error(c, "unknown option '%s'", s);
			if (eq) {
				if (!o->arg)
					return cmd_usage_error(c, "option '--%s' takes no value", o->name);
				val = eq + 1;
			}
		} else {
			if (s[2])
				return cmd_usage_error(c, "unknown option '%s'", s);
			o = find_opt(opts, NULL, 0, s[1]);
			if (!o)
				return cmd_usage_error(c, "unknown option '%s'", s);
		}
		if (o->arg && !val) {
			if (i + 1 >= argc)
				return cmd_usage_error(c, "option '--%s' needs a value (%s)", o->name, o->arg);
			val = argv[++i];
		}
		a->opts[a->nopt].opt = o;
		a->opts[a->nopt].value = val;
		a->nopt++;
	}
	return CRM_OK;
}

static void args_release(struct args *a)
{
	free(a->argv);
	free(a->opts);
}

/* ---- externals ---- */

static char *find_on_path(const char *name)
{
	const char *path = getenv("PATH");
	if (!path)
		return NULL;
	char *copy = xstrdup(path), *save = NULL, *found = NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		char *full = xasprintf("%s/%s", *dir ? dir : ".", name);
		if (access(full, X_OK) == 0) {
			found = full;
			break;
		}
		free(full);
	}
	free(copy);
	return found;
}

static void resolve_user(struct crm *c, const char *opt);

static int run_external(struct crm *c, const char *name, int argc, char **argv, const char *as_opt)
{
	char *prog = xasprintf("crm-%s", name);
	char *path = strchr(name, '/') ? NULL : find_on_path(prog);
	if (!path) {
		free(prog);
		return -1;
	}
	/* the acting user as a built-in command would have it: config
	 * user.name may be in the database */
	const char *env = getenv("CRM_USER");
	if (!(as_opt && *as_opt) && !(env && *env) && !c->conn && access(c->db_path, F_OK) == 0) {
		if (db_open(c) == CRM_OK)
			resolve_user(c, as_opt);
		c->errmsg[0] = 0;   /* no database we can read: the user stays as it was */
		db_close(c);
	}
	setenv("CRM_DB", c->db_path, 1);
	setenv("CRM_USER", c->user, 1);
	char **nargv = xcalloc(argc + 2, sizeof(char *));
	nargv[0] = prog;
	for (int i = 0; i < argc; i++)
		nargv[i + 1] = argv[i];
	fflush(NULL);
	fs_user_umask();
	execv(path, nargv);
	fprintf(stderr, "crm: cannot run %s: %s\n", path, strerror(errno));
	free(nargv);
	free(path);
	free(prog);
	return 126;
}

/* ---- running one command ---- */

static char *join_cmdline(int argc, char **argv)
{
	struct sbuf b = { 0 };
	sbuf_add(&b, "crm");
	for (int i = 0; i < argc; i++) {
		sbuf_addc(&b, ' ');
		char *w = db_url_redact(argv[i]);   /* no server password in the audit log */
		if (strpbrk(w, " \t'\"\\$;&|<>*?()") || !*w) {
			sbuf_addc(&b, '\'');
			for (const char *p = w; *p; p++) {
				if (*p == '\'')
					sbuf_add(&b, "'\\''");
				else
					sbuf_addc(&b, *p);
			}
			sbuf_addc(&b, '\'');
		} else {
			sbuf_add(&b, w);
		}
		free(w);
	}
	return sbuf_detach(&b);
}

/* The login name from the password database: cron and containers often
 * run without $USER. */
static char *login_name(void)
{
	struct passwd *pw = getpwuid(getuid());
	return xstrdup(pw && pw->pw_name && *pw->pw_name ? pw->pw_name : "unknown");
}

/* A writing command holds its output (out_hold) and lets it go once what
 * it printed is committed: the next command in a pipe must never act on a
 * record that a rollback then takes away (--strict failing, a SIGPIPE
 * from head). When records pile up it commits and lets them go, so a long
 * pipe streams and never waits for a reader while it holds the write lock;
 * --strict, --atomic and dry runs keep one transaction and print at the end. */
static bool writer_flush(void *arg, size_t bytes)
{
	struct crm *c = arg;
	(void)bytes;
	if (!db_in_txn(c))
		return true;
	if (!db_may_split(c, false) || hook_commit(c, false) != CRM_OK)
		return false;
	/* Out before we begin again: the reader may be a writer that needs
	 * the lock to go on reading. */
	out_release(c->out);
	/* Locked out past the timeout: not this record's failure; the next
	 * line read from a pipe begins again (input.c txn_resume). */
	if (db_begin(c) != CRM_OK)
		c->errmsg[0] = 0;
	return true;
}

/* --strict on a command that only reads: nothing goes out before the end */
static bool hold_all(void *arg, size_t bytes)
{
	(void)arg;
	(void)bytes;
	return false;
}

static void resolve_user(struct crm *c, const char *opt)
{
	const char *env = getenv("CRM_USER");
	char *cfg;
	free(c->user);
	if (opt && *opt)
		c->user = xstrdup(opt);
	else if (env && *env)
		c->user = xstrdup(env);
	else if ((cfg = config_get(c, "user.name")) != NULL)
		c->user = cfg;
	else if (getenv("USER") && *getenv("USER"))
		c->user = xstrdup(getenv("USER"));
	else
		c->user = login_name();
}

/* Find the verb: the longest verb name matching the leading args. */
static const struct cmd_verb *find_verb(const struct cmd_entry *e, int argc, char **argv, int *used)
{
	const struct cmd_verb *best = NULL, *dflt = NULL;
	int bestn = 0;
	for (const struct cmd_verb *v = e->verbs; v->name; v++) {
		if (!*v->name) {
			dflt = v;
			continue;
		}
		int n = 0;
		const char *p = v->name;
		while (*p && n < argc) {
			size_t wl = strcspn(p, " ");
			if (strlen(argv[n]) != wl || strncmp(argv[n], p, wl))
				break;
			n++;
			p += wl;
			while (*p == ' ')
				p++;
		}
		if (!*p && n > bestn) {
			best = v;
			bestn = n;
		}
	}
	*used = best ? bestn : 0;
	return best ? best : dflt;
}

static int apply_common(struct crm *c, const struct args *a, const char **db_opt, const char **as_opt)
{
	for (int i = 0; i < a->nopt; i++) {
		const char *n = a->opts[i].opt->name, *v = a->opts[i].value;
		if (a->opts[i].opt < common_opts
		    || a->opts[i].opt >= common_opts + sizeof(common_opts) / sizeof(*common_opts) - 1)
			continue;
		if (!strcmp(n, "db"))
			*db_opt = v;
		else if (!strcmp(n, "as"))
			*as_opt = v;
		else if (!strcmp(n, "quiet"))
			c->quiet = true;
		else if (!strcmp(n, "strict"))
			c->strict = true;
		else if (!strcmp(n, "raw"))
			c->raw = true;
		else if (!strcmp(n, "format")) {
			int f = out_format_parse(v);
			if (f < 0)
				return cmd_usage_error(c, "unknown format '%s' (jsonl, table, csv, tsv)", v);
			c->format = f;
			c->format_set = true;
		} else if (!strcmp(n, "json") || !strcmp(n, "table") || !strcmp(n, "csv") || !strcmp(n, "tsv")) {
			c->format = out_format_parse(n);
			c->format_set = true;
		}
	}
	return CRM_OK;
}

static int unknown_command(struct crm *c, const char *name)
{
	const char *near = closest(name, table_name, NULL, false);
	const char *s = near ? near : closest(name, table_name, NULL, true);
	c->cmd = "crm";
	if (near)
		return crm_error(c, CRM_USAGE, "'%s' is not a crm command; did you mean `crm %s`?", name, s);
	if (s)
		return crm_error(c, CRM_USAGE, "'%s' is not a crm command; did you mean `crm %s`? "
				 "('crm help' lists them all)", name, s);
	return crm_error(c, CRM_USAGE, "'%s' is not a crm command; see 'crm help'", name);
}

static int unknown_verb(struct crm *c, const struct cmd_entry *e, int argc, char **argv)
{
	struct sbuf verbs = { 0 };
	for (const struct cmd_verb *v = e->verbs; v->name; v++) {
		if (!*v->name || strchr(v->name, ' '))
			continue;
		if (verbs.len)
			sbuf_add(&verbs, ", ");
		sbuf_add(&verbs, v->name);
	}
	c->cmd = e->name;
	if (argc == 0)
		crm_error(c, CRM_USAGE, "which one? %s (see 'crm help %s')", verbs.s ? verbs.s : "", e->name);
	else {
		const char *s = closest(argv[0], verb_name, e, false);
		if (s)
			crm_error(c, CRM_USAGE, "'%s' is not a verb of crm %s; did you mean `crm %s %s`?",
				  argv[0], e->name, e->name, s);
		else
			crm_error(c, CRM_USAGE, "'%s' is not a verb of crm %s (%s)", argv[0], e->name,
				  verbs.s ? verbs.s : "");
	}
	sbuf_release(&verbs);
	return CRM_USAGE;
}

enum { TXN_RETRIES = 5 };   /* runs again after a deadlock or serialization failure */

static void retry_pause(int tries);
static int run_txn(struct crm *c, const struct cmd_verb *v, struct args *a);

/* Run the handler inside the database access it declared. */
static int run_handler(struct crm *c, const struct cmd_verb *v, struct args *a, const char *as_opt)
{
	int rc;
	if (v->db != DB_NONE && db_is_url(c->db_path) && !(v->flags & VERB_SERVER))
		return crm_error(c, CRM_USAGE, "not on a server yet: work on a file for it (crm help server "
				 "says what runs on a server)");
	if (v->db != DB_NONE) {
		rc = db_open(c);
		if (rc)
			return rc;
		if (c->db_role) {
			/* a server: the acting user is the login role */
			if (as_opt && *as_opt)
				return crm_error(c, CRM_USAGE, "--as is refused on a server: you act as the role "
						 "you connect as (%s)", c->db_role);
			free(c->user);
			c->user = xstrdup(c->db_role);
		} else {
			resolve_user(c, as_opt);   /* config user.name may be in the database */
		}
		/* once users exist, the acting user must be one (exit 5), and
		 * settings are the admin's */
		rc = module_permit(c, NULL, 0, "act");
		if (!rc && v->flags & VERB_ADMIN)
			rc = module_permit(c, NULL, 0, "admin");
		if (!rc && v->flags & VERB_SQL)
			rc = module_permit(c, NULL, 0, "sql");
		if (rc)
			return rc;
	}
	/* A writer on a server that lost to another (a deadlock, a
	 * serialization failure) runs again, a few times, if it can: the
	 * input it read is gone, and what it committed stays. */
	c->retry_ok = v->db == DB_WRITE && c->db_role && !input_piped();
	for (int tries = 0;; tries++) {
		unsigned long serial = c->txn_serial;
		c->db_retry = false;
		rc = run_txn(c, v, a);
		if (!(rc == CRM_DBERR && c->db_retry && c->retry_ok && tries < TXN_RETRIES
		      && c->txn_serial == serial + 1))
			break;
		c->errmsg[0] = 0;
		retry_pause(tries);
	}
	c->retry_ok = false;
	hook_run_pending(c);
	return rc;
}

/* Wait before running a transaction again: longer each time, and not
 * in step with the writer it lost to. */
static void retry_pause(int tries)
{
	long ms = (10L << tries) + (long)(getpid() % 10);
	struct timespec nap = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&nap, NULL);
}

/* The verb's transaction: begun, run, committed (or rolled back, its
 * output and hooks dropped). */
static int run_txn(struct crm *c, const struct cmd_verb *v, struct args *a)
{
	int rc;
	if (v->db == DB_WRITE) {
		rc = db_begin(c);
		if (rc)
			return rc;
	}
	rc = v->exec(c, a);
	if (c->txn_failed[0]) {
		/* a commit of part of the work failed (hook_commit): that part
		 * is undone and its output dropped; the rest must not stand */
		db_rollback(c);
		hook_discard(c);
		out_discard(c->out);
		if (rc != CRM_DBERR)   /* else the command said so (and may have printed it) */
			rc = crm_error(c, CRM_DBERR, "%s", c->txn_failed);
		return rc;
	}
	if (v->db == DB_WRITE && db_in_txn(c)) {
		/* Records refused one by one (3, 4, 5) undid themselves in
		 * their savepoints; the others stand, as the contract says.
		 * A command that failed at a statement with no savepoint
		 * around it (a name taken) left a server's transaction
		 * aborted: nothing of it can stand, and its error is the
		 * command's, not the commit's. */
		bool keep = !c->rollback && rc != CRM_USAGE && rc != CRM_DBERR && !(rc && db_txn_aborted(c));
		if (keep) {
			int crc = db_commit(c);
			if (crc) {
				db_rollback(c);
				hook_discard(c);
				out_discard(c->out);   /* it printed what never was */
				return crc;
			}
		} else {
			db_rollback(c);
			hook_discard(c);
			if (!c->dry_run)
				out_discard(c->out);   /* it printed what is undone */
		}
	}
	return rc;
}

static int run_inner(struct crm *c, int argc, char **argv)
{
	const char *db_opt = NULL, *as_opt = NULL;
	struct args g = { 0 };
	int rc = CRM_OK, i = 0;

	/* Global options stop at the first word that is not one. */
	while (i < argc && looks_like_option(argv[i]) && strcmp(argv[i], "--")) {
		if (!strcmp(argv[i], "--version")) {
			version_print();
			return CRM_OK;
		}
		const char *n = argv[i] + (argv[i][1] == '-' ? 2 : 1);
		const struct opt *o = argv[i][1] == '-' ? find_opt(NULL, n, strcspn(n, "="), 0)
							: (n[1] ? NULL : find_opt(NULL, NULL, 0, n[0]));
		if (!o) {
			c->cmd = "crm";
			return crm_error(c, CRM_USAGE, "unknown option '%s'; see 'crm help'", argv[i]);
		}
		int start = i++;
		if (o->arg && !strchr(argv[start], '='))
			i++;
		if (i > argc) {
			c->cmd = "crm";
			return crm_error(c, CRM_USAGE, "option '%s' needs a value", argv[start]);
		}
		struct args one = { 0 };
		rc = parse_args(c, NULL, i - start, argv + start, &one);
		if (!rc)
			rc = apply_common(c, &one, &db_opt, &as_opt);
		bool help = arg_has(&one, "help");
		args_release(&one);
		if (rc)
			return rc;
		if (help) {
			main_help_all(stdout);
			return CRM_OK;
		}
	}
	if (i >= argc) {
		main_help_all(stdout);
		return CRM_OK;
	}
	const char *name = argv[i++];
	const struct cmd_entry *e = cmd_find(name);
	if (!c->db_path)
		c->db_path = db_resolve(c, db_opt);
	if (!c->user || as_opt)
		resolve_user(c, as_opt);
	if (!e) {
		rc = run_external(c, name, argc - i, argv + i, as_opt);
		return rc >= 0 ? rc : unknown_command(c, name);
	}

	int used;
	const struct cmd_verb *v = find_verb(e, argc - i, argv + i, &used);
	if (!v) {
		if (i < argc && (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))) {
			main_help_command(stdout, e);
			return CRM_OK;
		}
		return unknown_verb(c, e, argc - i, argv + i);
	}
	i += used;
	char *cmdname = *v->name ? xasprintf("%s %s", e->name, v->name) : xstrdup(e->name);
	c->cmd = cmdname;
	c->verb = v;
	if (v->flags & VERB_RAW) {
		g.argv = xcalloc(argc - i + 1, sizeof(char *));
		for (int k = i; k < argc; k++)
			g.argv[g.argc++] = argv[k];
	} else {
		rc = parse_args(c, v->opts, argc - i, argv + i, &g);
	}
	if (!rc)
		rc = apply_common(c, &g, &db_opt, &as_opt);
	if (rc)
		goto cleanup;
	if (arg_has(&g, "help")) {
		if (*v->name)
			main_help_verb(stdout, e, v);
		else
			main_help_command(stdout, e);
		goto cleanup;
	}
	if (db_opt) {
		char *path = db_resolve(c, db_opt);
		if (c->conn && c->db_path && strcmp(path, c->db_path))
			db_close(c);   /* crm shell: this line is about another database */
		free(c->db_path);
		c->db_path = path;
	}
	if (as_opt)
		resolve_user(c, as_opt);
	if (g.argc < v->min_args) {
		rc = cmd_usage_error(c, "missing argument");
		goto cleanup;
	}
	if (v->max_args >= 0 && g.argc > v->max_args) {
		/* An unknown verb reads better than "too many arguments". */
		if (!*v->name && g.argc && v->max_args == 0) {
			rc = unknown_verb(c, e, g.argc, g.argv);
			goto cleanup;
		}
		rc = cmd_usage_error(c, "too many arguments ('%s')", g.argv[v->max_args]);
		goto cleanup;
	}
	if (!c->format_set)
		c->format = isatty(STDOUT_FILENO) ? OUT_TABLE : OUT_JSONL;
	struct out *outer = c->out;   /* crm shell's own, while it runs us */
	c->out = out_new(c->format, stdout);
	out_raw(c->out, c->raw);
	if (v->db == DB_WRITE && !isatty(STDOUT_FILENO)) {
		out_hold(c->out);
		out_on_flush(c->out, writer_flush, c);
	} else if (c->strict && !isatty(STDOUT_FILENO)) {
		out_hold(c->out);   /* --strict reading: all the lines or none */
		out_on_flush(c->out, hold_all, NULL);
	}
	c->rollback = false;
	c->txn_failed[0] = 0;
	c->dry_run = false;
	c->atomic = false;
	rc = run_handler(c, v, &g, as_opt);
	if (rc && c->strict && v->db != DB_WRITE)
		out_discard(c->out);   /* a writer's rollback dropped its own */
	if (out_free(c->out) != 0 && rc == CRM_OK && errno != EPIPE)
		rc = crm_error(c, CRM_DBERR, "cannot write output: %s", strerror(errno));
	c->out = outer;
cleanup:
	if (rc && c->errmsg[0])
		crm_report(c);   /* while c->cmd still names the command */
	args_release(&g);
	c->cmd = NULL;
	c->verb = NULL;
	free(cmdname);
	return rc;
}

int main_run(struct crm *c, int argc, char **argv)
{
	int rc = run_inner(c, argc, argv);
	if (rc && c->errmsg[0])
		crm_report(c);
	c->errmsg[0] = 0;
	/* what modules kept is for one command (crm shell runs many, maybe
	 * as other users) */
	crm_slots_release(c);
	return rc;
}

void main_release(struct crm *c)
{
	db_close(c);
	types_free(c);
	hook_free(c);
	config_release(c);
	crm_slots_release(c);
	free(c->db_path);
	free(c->user);
	free(c->cmdline);
	c->db_path = c->user = c->cmdline = NULL;
}

int main(int argc, char **argv)
{
	struct crm c = { 0 };
	/* What crm makes (the database, its -wal and -shm, backups,
	 * exports) is the user's alone, whatever the umask. */
	fs_private_umask();
	/* A closed pipe (crm log | head -1) ends us quietly, like any filter. */
	signal(SIGPIPE, SIG_DFL);
	/* The system zone, named once: with TZ unset, glibc checks
	 * /etc/localtime again on every time conversion (one per record). */
	if (!getenv("TZ") && access("/etc/localtime", R_OK) == 0)
		setenv("TZ", ":/etc/localtime", 0);
	/* Big writes when piped: listing a million records is mostly output.
	 * Our own buffer: given NULL, glibc ignores the size (4 KB for a pipe),
	 * and out.c must flush (and commit) before stdio would. */
	static char outbuf[1 << 17];
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
	c.cmdline = join_cmdline(argc - 1, argv + 1);
	int rc = main_run(&c, argc - 1, argv + 1);
	main_release(&c);
	/* An interrupted import has saved what it did: now end as the signal
	 * says, so the shell sees 130 (or 143) and a script stops. */
	if (c.signal) {
		fflush(NULL);
		signal(c.signal, SIG_DFL);
		raise(c.signal);
	}
	return rc;
}
