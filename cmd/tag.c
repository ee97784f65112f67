/* tag.c: crm tag add|rm|list */
#include <stdlib.h>
#include <string.h>

#include "core/cmd.h"
#include "core/input.h"
#include "records.h"
#include "data/tag.h"

struct tag_args {
	char **tags;
	int n;
	bool add;
};

static int tag_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	struct tag_args *ta = arg;
	return tag_change(c, t, id, ta->tags, ta->n, ta->add);
}

/* crm tag add lead:1 VIP 高预算, or crm tag add VIP for records piped in. */
static int change(struct crm *c, struct args *a, bool add)
{
	struct tag_args ta = { a->argv, a->argc, add };
	/* TYPE:ID first (lead:1), not a tag with a colon in it (来源:展会) */
	const char *colon = strchr(a->argv[0], ':');
	char *tn = colon ? xstrndup(a->argv[0], (size_t)(colon - a->argv[0])) : NULL;
	bool entity = tn && type_find(c, tn);
	free(tn);
	if (entity) {
		if (a->argc < 2)
			return cmd_usage_error(c, "which tags? crm tag %s %s TAG...", add ? "add" : "rm", a->argv[0]);
		ta.tags = a->argv + 1;
		ta.n = a->argc - 1;
		return input_each(c, 1, a->argv, NULL, tag_one, &ta);
	}
	if (!input_piped())
		return cmd_usage_error(c, "which record? crm tag %s lead:42 TAG... (or pipe records in)",
				       add ? "add" : "rm");
	return input_each(c, 0, NULL, NULL, tag_one, &ta);
}

static int add_exec(struct crm *c, struct args *a)
{
	return change(c, a, true);
}

static int rm_exec(struct crm *c, struct args *a)
{
	return change(c, a, false);
}

static const struct opt list_opts[] = {
	{ "count", 'c', NULL, "how many records have each tag", false },
	{ "type", 't', "TYPE", "only tags of this record type", false },
	OPT_END
};

static int list_exec(struct crm *c, struct args *a)
{
	const char *tn = arg_get(a, "type");
	if (tn) {
		const struct type *t = type_get(c, tn);
		if (!t)
			return c->errcode;
		tn = t->name;
	}
	return tag_list(c, tn, arg_has(a, "count"));
}

static const struct cmd_verb tag_verbs[] = {
	{ "add", "ENTITY TAG... | TAG... (records piped in)", "tag a record", NULL, DB_WRITE, 1, -1, add_exec,
	  VERB_SERVER },
	{ "rm", "ENTITY TAG... | TAG... (records piped in)", "take tags off a record", NULL, DB_WRITE, 1, -1, rm_exec,
	  VERB_SERVER },
	{ "list", "[--count] [--type TYPE]", "the tags in use, most used first", list_opts, DB_READ, 0, 0,
	  list_exec, VERB_SERVER },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_tag_entry = {
	.name = "tag",
	.summary = "tags on leads, accounts, contacts, deals, activities and tasks",
	.verbs = tag_verbs,
	.description = "  crm tag add lead:1 高预算 VIP\n"
		       "  crm lead list --where \"budget >= 500000\" | crm tag add 高预算\n"
		       "  crm lead list --tag 高预算         (or --where \"has_tag('高预算')\")",
};
