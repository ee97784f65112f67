/* activity.c: crm activity list */
#include <stdlib.h>

#include "core/cmd.h"
#include "core/query.h"
#include "core/record.h"
#include "records.h"

static const struct opt list_opts[] = {
	{ "for", 0, "ENTITY", "only activities about this record (lead:42)", false },
	LIST_OPTS,
	OPT_END
};

static int list_exec(struct crm *c, struct args *a)
{
	const struct type *t = type_find(c, "activity");
	struct query q;
	if (query_from_args(c, a, &q))
		return c->errcode;
	char *where = NULL;
	const char *on = arg_get(a, "for");
	if (on) {
		const struct type *et;
		long long id;
		if (entity_parse(c, on, NULL, &et, &id) || record_access(c, et, id, false))
			return c->errcode;
		where = xasprintf("entity = '%s:%lld'", et->name, id);
		q.filter = where;
	}
	if (!q.sort)
		q.sort = "at";
	rec_columns(c, t);
	int rc = query_list(c, t, &q);
	free(where);
	return rc;
}

static const struct cmd_verb activity_verbs[] = {
	{ "list", "[--for ENTITY] [--since WHEN] [--where EXPR] [--owner U] [--sort F] [--limit N]",
	  "list activities (calls, visits, notes), oldest first", list_opts, DB_READ, 0, 0, list_exec, VERB_SERVER },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_activity_entry = {
	.name = "activity",
	.summary = "activities: the calls, visits, messages and notes logged with crm note",
	.verbs = activity_verbs,
	.description = "--since counts from when the activity was recorded; --where sees kind,\n"
		       "text, at, owner, entity.",
};
