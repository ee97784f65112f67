/* field.c: crm field add|list|rm */
#include "core/cmd.h"
#include "data/field.h"

static const struct opt add_opts[] = {
	{ "kind", 'k', "KIND", "text, number, money, date or enum (default: text)", false },
	{ "values", 0, "A,B,...", "the values an enum field may take", false },
	{ "required", 0, NULL, "new records must have it", false },
	{ "negative", 0, NULL, "a money field that may be below zero (a discount, a refund)", false },
	{ "sensitive", 0, NULL, "print it masked (***) to all but an admin and the record's owner", false },
	OPT_END
};

static int add_exec(struct crm *c, struct args *a)
{
	const char *kind = arg_get(a, "kind");
	return field_add(c, a->argv[0], a->argv[1], kind ? kind : "text", arg_get(a, "values"),
			 arg_has(a, "required"), arg_has(a, "negative"), arg_has(a, "sensitive"));
}

static int list_exec(struct crm *c, struct args *a)
{
	return field_list(c, a->argc ? a->argv[0] : NULL);
}

static int rm_exec(struct crm *c, struct args *a)
{
	return field_remove(c, a->argv[0], a->argv[1]);
}

static const struct cmd_verb field_verbs[] = {
	{ "add", "TYPE NAME [--kind text|number|money|date|enum] [--values A,B,...] [--required] [--negative] [--sensitive]",
	  "add a custom field to a record type", add_opts, DB_WRITE, 2, 2, add_exec, VERB_ADMIN | VERB_SERVER },
	{ "list", "[TYPE]", "list the custom fields", NULL, DB_READ, 0, 1, list_exec, VERB_SERVER },
	{ "rm", "TYPE NAME", "remove a custom field and its values (the audit log keeps them)",
	  NULL, DB_WRITE, 2, 2, rm_exec, VERB_ADMIN | VERB_SERVER },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_field_entry = {
	.name = "field",
	.summary = "custom fields: your own columns on leads, accounts, contacts, deals",
	.verbs = field_verbs,
	.description = "A custom field is an ordinary top-level key of the records' JSON, validated\n"
		       "on every write by its kind (an enum only takes its values, a number only\n"
		       "numbers, money parses like amounts, a date like other dates), usable in\n"
		       "--where and --sort, and exported and imported like the built-in fields.\n"
		       "Money is never below zero (amount=-10万 is refused, exit 3, naming the\n"
		       "field), unless the field is added with --negative: crm field add deal\n"
		       "discount_amount --kind money --negative.\n"
		       "A --sensitive field prints masked (***) to every user but an admin and the\n"
		       "record's owner, wherever records print (lists, show, export, search,\n"
		       "history, log); it stays out of the search index, and --where and --sort\n"
		       "read it as it prints to the user (so does a finance user's view of phones\n"
		       "and emails). Once users exist, adding and removing fields is the admin's.",
};
