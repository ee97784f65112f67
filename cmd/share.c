/* share.c: crm share ENTITY --with USER [--write] [--until D], crm share rm|list */
#include "core/input.h"
#include "io/out.h"
#include "records.h"
#include "team/share.h"

struct share_opts {
	const char *with, *until;
	bool write;
};

static int share_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	const struct share_opts *o = arg;
	return share_add(c, t, id, o->with, o->write, o->until);
}

static int unshare_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	const struct share_opts *o = arg;
	return share_rm(c, t, id, o->with);
}

static void columns(struct crm *c)
{
	static const char *const cols[] = { "entity", "with", "write", "until", "by" };
	out_columns(c->out, cols, 5);
}

static int share_exec(struct crm *c, struct args *a)
{
	struct share_opts o = { arg_get(a, "with"), arg_get(a, "until"), arg_has(a, "write") };
	if (!o.with)
		return cmd_usage_error(c, "with whom? --with USER");
	columns(c);
	return input_each(c, a->argc, a->argv, NULL, share_one, &o);
}

static int rm_exec(struct crm *c, struct args *a)
{
	struct share_opts o = { arg_get(a, "with"), NULL, false };
	if (!o.with)
		return cmd_usage_error(c, "with whom? --with USER");
	columns(c);
	return input_each(c, a->argc, a->argv, NULL, unshare_one, &o);
}

static int list_exec(struct crm *c, struct args *a)
{
	const struct type *t = NULL;
	long long id = 0;
	if (a->argc && entity_parse(c, a->argv[0], NULL, &t, &id))
		return c->errcode;
	return share_list(c, t, id, arg_get(a, "with"));
}

static const struct opt share_opts[] = {
	{ "with", 0, "USER", "the user it is shared with", false },
	{ "write", 0, NULL, "they may change it too (not only read it)", false },
	{ "until", 0, "DAY", "the last day of the share (default: no end)", false },
	OPT_END
};

static const struct opt rm_opts[] = {
	{ "with", 0, "USER", "the user it was shared with", false },
	OPT_END
};

static const struct opt list_opts[] = {
	{ "with", 0, "USER", "only shares with USER", false },
	OPT_END
};

static const struct cmd_verb share_verbs[] = {
	{ "rm", "[ENTITY ...] --with USER", "end a share (records, or JSON lines on stdin)", rm_opts, DB_WRITE,
	  0, -1, rm_exec, VERB_SERVER },
	{ "list", "[ENTITY] [--with USER]", "the live shares you made or got (an admin: all)", list_opts,
	  DB_READ, 0, 1, list_exec, VERB_SERVER },
	{ "", "[ENTITY ...] --with USER [--write] [--until DAY]",
	  "let a user read (or --write: change) records and what hangs off them", share_opts, DB_WRITE, 0, -1,
	  share_exec, VERB_SERVER },
	{ NULL }
};

const struct cmd_entry cmd_share_entry = {
	.name = "share",
	.summary = "share records with a user: read, or write, until a day",
	.verbs = share_verbs,
	.description = "'crm share deal:7 --with bob [--write] [--until 2026-12-31]' lets bob see\n"
		       "deal:7 and what hangs off it (its notes, tasks, events), and with --write\n"
		       "change them, through the day given. The record's owner, their manager or\n"
		       "an admin may share it; sharing again changes the share. 'crm share rm\n"
		       "deal:7 --with bob' ends it (bob may give it up himself). Records come as\n"
		       "TYPE:ID arguments or JSON lines on stdin:\n"
		       "  crm deal list --stage negotiation | crm share --with dave --until +7d\n"
		       "Each share is {\"type\":\"share\",\"entity\":\"deal:7\",\"with\":\"bob\",\"write\":false,\n"
		       "\"until\":\"2026-12-31\",\"by\":\"alice\",...}, and in the record's history.",
};
