/* complete.c: crm __complete WORD... (hidden): the candidates for the last
 * word, one a line, from the same tables that drive parsing and help, so
 * the shell completions never drift from the code. */
#include <stdio.h>
#include <string.h>

#include "core/cmd.h"
#include "core/config.h"
#include "main.h"
#include "io/out.h"

static void say(const char *cand, const char *prefix)
{
	if (!strncmp(cand, prefix, strlen(prefix)))
		printf("%s\n", cand);
}

static void say_opts(const struct opt *opts, const char *prefix)
{
	char buf[128];
	for (const struct opt *o = opts; o && o->name; o++) {
		snprintf(buf, sizeof(buf), "--%s", o->name);
		say(buf, prefix);
	}
}

static const struct opt *opt_named(const struct opt *opts, const char *word)
{
	for (int pass = 0; pass < 2; pass++)
		for (const struct opt *o = pass ? main_common_opts() : opts; o && o->name; o++)
			if (word[0] == '-' && word[1] == '-' && !strcmp(word + 2, o->name))
				return o;
	return NULL;
}

/* A word that may be one of an option's values: csv, round-robin, name+company. */
static bool value_word(const char *w, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((w[i] >= 'a' && w[i] <= 'z') || (w[i] >= '0' && w[i] <= '9') || w[i] == '-'
		      || w[i] == '+' || w[i] == '.'))
			return false;
	return true;
}

/* Values of an option, where they are a known set, read from the option
 * table itself: its argument ("high|normal|low"), or its help when that
 * lists them ("csv (default), tsv, jsonl or xlsx ..."), so completion
 * never has a list of its own. */
static void complete_value(const struct opt *o, const char *cur)
{
	char buf[256];
	const char *src = o->arg && strchr(o->arg, '|') ? o->arg : o->help ? o->help : "";
	/* the help without what it says in (...) */
	size_t n = 0;
	int depth = 0;
	for (const char *p = src; *p && n + 1 < sizeof(buf); p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth = depth ? depth - 1 : 0;
		else if (!depth)
			buf[n++] = *p;
	}
	buf[n] = 0;
	const char *words[16];
	size_t lens[16];
	int k = 0;
	for (char *p = buf; *p && k < 16;) {
		while (*p == ' ' || *p == ',' || *p == '|')
			p++;
		if (!strncmp(p, "or ", 3))
			p += 3;
		char *end = p + strcspn(p, ",|");
		char *or = strstr(p, " or ");
		if (or && or < end)
			end = or;
		size_t len = (size_t)(end - p);
		while (len && p[len - 1] == ' ')
			len--;
		if (!value_word(p, len))
			return;   /* prose, not a list of values */
		words[k] = p;
		lens[k++] = len;
		p = end;
	}
	for (int i = 0; k >= 2 && i < k; i++) {
		char w[64];
		snprintf(w, sizeof(w), "%.*s", (int)lens[i], words[i]);
		say(w, cur);
	}
}

static int complete_exec(struct crm *c, struct args *a)
{
	int n = a->argc;
	const char *cur = n ? a->argv[n - 1] : "";
	int i = 0;
	const char *prev = n >= 2 ? a->argv[n - 2] : "";
	/* global options and their values */
	while (i < n - 1 && a->argv[i][0] == '-') {
		const struct opt *o = opt_named(NULL, a->argv[i]);
		i += o && o->arg ? 2 : 1;
	}
	if (i >= n - 1) {
		const struct opt *go = opt_named(NULL, prev);
		if (go && go->arg) {
			complete_value(go, cur);
			return CRM_OK;
		}
		if (cur[0] == '-') {
			say_opts(main_common_opts(), cur);
			say("--version", cur);
			return CRM_OK;
		}
		for (int k = 0; cmd_table[k]; k++)
			if (cmd_table[k]->name[0] != '_')
				say(cmd_table[k]->name, cur);
		return CRM_OK;
	}
	const struct cmd_entry *e = cmd_find(a->argv[i++]);
	if (!e)
		return CRM_OK;
	if (!strcmp(e->name, "help") && i == n - 1) {
		for (int k = 0; cmd_table[k]; k++)
			if (cmd_table[k]->name[0] != '_')
				say(cmd_table[k]->name, cur);
		return CRM_OK;
	}
	/* The words typed so far after the command, without options. */
	char typed[256] = "";
	for (int k = i; k < n - 1; k++) {
		if (a->argv[k][0] == '-')
			break;
		snprintf(typed + strlen(typed), sizeof(typed) - strlen(typed), "%s%s", *typed ? " " : "",
			 a->argv[k]);
	}
	const struct cmd_verb *verb = NULL;
	for (const struct cmd_verb *v = e->verbs; v->name; v++) {
		size_t vl = strlen(v->name);
		if (*v->name && !strncmp(typed, v->name, vl) && (typed[vl] == 0 || typed[vl] == ' ')
		    && (!verb || vl > strlen(verb->name)))
			verb = v;
		if (!*v->name && !verb)
			verb = v;
	}
	const struct opt *po = opt_named(verb ? verb->opts : NULL, prev);
	if (po && po->arg) {
		complete_value(po, cur);
		return CRM_OK;
	}
	if (cur[0] == '-') {
		say_opts(verb ? verb->opts : NULL, cur);
		/* the common ones the verb does not have itself (export --format) */
		for (const struct opt *g = main_common_opts(); g && g->name; g++) {
			const struct opt *own = verb ? verb->opts : NULL;
			while (own && own->name && strcmp(own->name, g->name))
				own++;
			if (own && own->name)
				continue;
			char opt[64];
			snprintf(opt, sizeof(opt), "--%s", g->name);
			say(opt, cur);
		}
		return CRM_OK;
	}
	/* config get|set|unset KEY: the settings crm reads (a family as "team.") */
	if (!strcmp(e->name, "config") && verb && *verb->name && strcmp(verb->name, "list")
	    && !strcmp(typed, verb->name)) {
		for (int k = 0; config_key_at(k); k++)
			say(config_key_at(k)->key, cur);
		return CRM_OK;
	}
	/* Next word of a verb name ("score rule" -> add, list, rm). */
	size_t tl = strlen(typed);
	for (const struct cmd_verb *v = e->verbs; v->name; v++) {
		if (!*v->name || strncmp(v->name, typed, tl) || (tl && v->name[tl] != ' '))
			continue;
		const char *w = v->name + tl + (tl ? 1 : 0);
		char word[64];
		snprintf(word, sizeof(word), "%.*s", (int)strcspn(w, " "), w);
		say(word, cur);
	}
	return CRM_OK;
}

static const struct cmd_verb complete_verbs[] = {
	{ "", "WORD...", "print completion candidates for the last word", NULL, DB_NONE, 0, -1, complete_exec,
	  VERB_RAW },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd___complete_entry = {
	.name = "__complete",
	.summary = NULL,
	.verbs = complete_verbs,
	.description = NULL,
};
