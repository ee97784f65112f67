/* args.c: looking up parsed options. Parsing itself is in cmd/main.c,
 * which knows the option tables. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmd.h"

static const struct optval *find(const struct args *a, const char *name, int nth)
{
	for (int i = 0; i < a->nopt; i++)
		if (!strcmp(a->opts[i].opt->name, name) && nth-- == 0)
			return &a->opts[i];
	return NULL;
}

bool arg_has(const struct args *a, const char *name)
{
	return find(a, name, 0) != NULL;
}

const char *arg_get(const struct args *a, const char *name)
{
	const char *v = NULL;
	for (int i = 0; i < a->nopt; i++)
		if (!strcmp(a->opts[i].opt->name, name))
			v = a->opts[i].value;
	return v;
}

const char *arg_nth(const struct args *a, const char *name, int i)
{
	const struct optval *ov = find(a, name, i);
	return ov ? ov->value : NULL;
}

long long arg_int(struct crm *c, const struct args *a, const char *name, long long def)
{
	const char *v = arg_get(a, name);
	char *end;
	if (!v)
		return def;
	long long n = strtoll(v, &end, 10);
	if (end == v || *end || n < 0) {
		cmd_usage_error(c, "--%s wants a non-negative number, not '%s'", name, v);
		return -1;
	}
	return n;
}

int cmd_usage_error(struct crm *c, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!c->cmd)   /* a global option: no command to show the usage of */
		return crm_error(c, CRM_USAGE, "%s; see 'crm help'", msg);
	crm_error(c, CRM_USAGE, "%s\nusage: crm %s%s%s", msg, c->cmd,
		  c->verb && c->verb->usage && *c->verb->usage ? " " : "",
		  c->verb && c->verb->usage ? c->verb->usage : "");
	return CRM_USAGE;
}
