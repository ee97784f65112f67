/* note.c: crm note ENTITY TEXT */
#include <string.h>

#include <stdlib.h>

#include "core/cmd.h"
#include "sales/followup.h"
#include "core/input.h"
#include "core/record.h"
#include "records.h"
#include "base/text.h"

static const struct opt note_opts[] = {
	{ "type", 't', "KIND", "call, meeting, email, visit, wechat or note (default)", false },
	{ "at", 0, "TIME", "when it happened (default: now)", false },
	{ "next", 0, "\"WHEN ACTION\"", "the follow-up task: --next \"tomorrow 14:00 发方案\"", false },
	OPT_END
};

static int note_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	int rc = record_subject(c, &t, &id);   /* an event's lead, an activity's record */
	if (rc)
		return rc;
	char *entity = xasprintf("%s:%lld", t->name, id);
	rc = note_add(c, entity, arg);
	free(entity);
	return rc;
}

static int note_exec(struct crm *c, struct args *a)
{
	struct note_opts n = {
		.kind = arg_get(a, "type"),
		.at = arg_get(a, "at"),
		.next = arg_get(a, "next"),
	};
	rec_columns(c, type_find(c, "activity"));
	char *text = text_trim(a->argv[a->argc - 1]);
	bool empty = !*text;
	free(text);
	if (empty)
		return cmd_usage_error(c, "the note is empty: what happened?");
	if (a->argc == 2) {
		n.text = a->argv[1];
		if (!strchr(a->argv[0], ':'))
			return cmd_usage_error(c, "'%s': say which record, as TYPE:ID (lead:42)", a->argv[0]);
		const struct type *t;
		long long id;
		if (entity_parse(c, a->argv[0], NULL, &t, &id))
			return c->errcode;
		/* the record named: another's (5), as a server's policy hides it; not found (1) */
		if (record_access(c, t, id, false))
			return c->errcode;
		if (!record_exists(c, t, id))
			return crm_error(c, CRM_NOTFOUND, "no %s with id %lld", t->name, id);
		return note_add(c, a->argv[0], &n);
	}
	/* one argument: the text, for each record piped in */
	if (!input_piped())
		return cmd_usage_error(c, "give the record and the text: crm note lead:42 \"...\"");
	n.text = a->argv[0];
	return input_each(c, 0, NULL, NULL, note_one, &n);
}

static const struct cmd_verb note_verbs[] = {
	{ "", "ENTITY TEXT [--type call|meeting|email|visit|wechat|note] [--at TIME] [--next \"WHEN ACTION\"]",
	  "record a call, visit, message or note about a record (and the next step)",
	  note_opts, DB_WRITE, 1, 2, note_exec, VERB_SERVER },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_note_entry = {
	.name = "note",
	.summary = "record a follow-up: a call, visit, message or note, and the next step",
	.verbs = note_verbs,
	.description = "The note becomes an activity of the record (crm activity list --for\n"
		       "ENTITY) and moves its last_contacted_at. --next \"WHEN ACTION\" also\n"
		       "creates the follow-up task, for the record's owner: WHEN is the longest\n"
		       "head that reads as a time (+3d, tomorrow 14:00, 下周一 9:30, 明天下午3点; the\n"
		       "times of 'crm help task'), ACTION the rest:\n"
		       "  crm note lead:1 \"客户说喜欢喝普洱茶\" --type call --next \"+3d 寄茶叶样品\"\n"
		       "A call, meeting, visit, email or wechat message on a lead is its first\n"
		       "contact: its open 首次联系 task (crm assign) is done.\n"
		       "With only TEXT, the note goes on every record piped in:\n"
		       "  crm lead list --tag 展会 | crm note \"群发了展会邀请\" --type wechat",
};
