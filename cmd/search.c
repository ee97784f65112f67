/* search.c: crm search TEXT */
#include <stdio.h>

#include "core/cmd.h"
#include "data/find.h"

static const struct opt search_opts[] = {
	{ "type", 't', "TYPE", "only records of this type (lead, account, contact, deal, activity, task)", false },
	{ "limit", 'n', "N", "at most N records (default 50)", false },
	OPT_END
};

static int search_exec(struct crm *c, struct args *a)
{
	const struct type *only = NULL;
	const char *tn = arg_get(a, "type");
	long long limit = arg_int(c, a, "limit", 50);
	if (limit < 0)
		return CRM_USAGE;
	if (tn && !(only = type_get(c, tn)))
		return c->errcode;
	int rc = find_records(c, a->argv[0], only, limit);
	if (rc == CRM_USAGE) {   /* with the usage line after it */
		char why[sizeof(c->errmsg)];
		snprintf(why, sizeof(why), "%s", c->errmsg);
		return cmd_usage_error(c, "%s", why);
	}
	return rc;
}

static const struct cmd_verb search_verbs[] = {
	{ "", "TEXT [--type TYPE] [--limit N]", "find records by any word in them, Chinese included",
	  search_opts, DB_WRITE, 1, 1, search_exec, VERB_SERVER },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_search_entry = {
	.name = "search",
	.summary = "full-text search over names, companies, phones, emails, notes and activities",
	.verbs = search_verbs,
	.description = "Each match is printed as the record it is in, with a \"snippet\" around the\n"
		       "match. Searches of three or more characters use the trigram index;\n"
		       "shorter ones (普洱, 茶) scan it, so they work too. Words separated by\n"
		       "spaces must all be in the record (钱七 喜欢). The index is brought up\n"
		       "to date by the search itself, so imports do not pay for it.",
};
