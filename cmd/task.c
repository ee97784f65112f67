/* task.c: crm task add|list|show|update|done|snooze|rm */
#include <string.h>

#include <stdlib.h>

#include "core/cmd.h"
#include "sales/followup.h"
#include "core/input.h"
#include "core/query.h"
#include "core/record.h"
#include "records.h"

static const struct opt add_opts[] = {
	{ "for", 0, "ENTITY", "the record it is about (lead:42); default: each record piped in", false },
	{ "title", 't', "TEXT", "what is to be done", false },
	{ "due", 'd', "WHEN", "when (tomorrow 14:00, +3d, 下周一, 2026-12-01 10:00; see below)", false },
	{ "owner", 0, "USER", "who does it (default: the record's owner, else you)", false },
	{ "priority", 'p', "high|normal|low", "default normal", false },
	{ "note", 0, "TEXT", "more about it", false },
	OPT_END
};

static void add_opts_read(const struct args *a, struct task_opts *t)
{
	t->title = arg_get(a, "title");
	t->due = arg_get(a, "due");
	t->owner = arg_get(a, "owner");
	t->priority = arg_get(a, "priority");
	t->note = arg_get(a, "note");
}

static int add_for_line(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	const struct type *was = t;
	int rc = record_subject(c, &t, &id);   /* an event's lead, an activity's record */
	if (rc)
		return rc;
	char *entity = xasprintf("%s:%lld", t->name, id);
	const char *owner = t == was ? cJSON_GetStringValue(cJSON_GetObjectItem(line, "owner")) : NULL;
	rc = task_add(c, entity, owner, arg);
	free(entity);
	return rc;
}

static int add_from_fields(struct crm *c, const cJSON *obj, long lineno, void *arg)
{
	const struct task_opts *o = arg;
	const struct type *tt = type_find(c, "task");
	const char *jt = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, "type"));
	const cJSON *jid = cJSON_GetObjectItemCaseSensitive(obj, "id");
	/* a line crm printed is a record that exists: a task line is that
	 * task (adding it again would copy it), any other needs a title */
	if (jid && (!jt || type_find(c, jt) == tt))
		return crm_error(c, CRM_BADINPUT, "task:%lld exists already: a task line adds no task; use task "
				 "update to change it (crm task list ... | crm task update owner=bob)",
				 cJSON_IsNumber(jid) ? (long long)jid->valuedouble : 0LL);
	if (jid && jt)
		return crm_error(c, CRM_BADINPUT, "%s:%lld: what is to be done about it? (--title TEXT)", jt,
				 cJSON_IsNumber(jid) ? (long long)jid->valuedouble : 0LL);
	long long id = 0;
	/* the options say what every task gets; no owner: the owner of the
	 * record it is about, as with --for */
	cJSON *f = cJSON_Duplicate(obj, true);
	const char *const keys[] = { "due", "owner", "priority", "note" };
	const char *const vals[] = { o->due, o->owner, o->priority, o->note };
	for (int i = 0; i < 4; i++)
		if (vals[i]) {
			cJSON_DeleteItemFromObjectCaseSensitive(f, keys[i]);
			cJSON_AddStringToObject(f, keys[i], vals[i]);
		}
	const char *ent = cJSON_GetStringValue(cJSON_GetObjectItem(f, "entity"));
	if (!cJSON_GetObjectItem(f, "owner") && ent) {
		char *owner = task_entity_owner(c, ent);
		if (owner)
			cJSON_AddStringToObject(f, "owner", owner);
		free(owner);
		c->errmsg[0] = 0;
	}
	int rc = record_insert(c, tt, f, 0, &id, NULL);
	cJSON_Delete(f);
	return rc ? rc : record_print(c, tt, id);
}

static int add_exec(struct crm *c, struct args *a)
{
	struct task_opts t;
	add_opts_read(a, &t);
	const char *on = arg_get(a, "for");
	rec_columns(c, type_find(c, "task"));
	if (!t.title) {
		/* no --title: tasks from JSON lines of their fields */
		if (on || !input_piped())
			return cmd_usage_error(c, "what is to be done? --title TEXT");
		return input_each_object(c, add_from_fields, &t);
	}
	if (on) {
		const struct type *et;
		long long id;
		if (entity_parse(c, on, NULL, &et, &id))
			return c->errcode;
		if (record_access(c, et, id, false))   /* another's (5), before a server hides it */
			return c->errcode;
		if (!record_exists(c, et, id))
			return crm_error(c, CRM_NOTFOUND, "--for: no %s with id %lld", et->name, id);
		char *entity = xasprintf("%s:%lld", et->name, id);
		int rc = task_add(c, entity, NULL, &t);
		free(entity);
		return rc;
	}
	if (input_piped())
		return input_each(c, 0, NULL, NULL, add_for_line, &t);
	return task_add(c, NULL, NULL, &t);
}

static const struct opt list_opts[] = {
	{ "mine", 0, NULL, "only my tasks (the acting user's)", false },
	{ "overdue", 0, NULL, "only open tasks past their due time", false },
	{ "due", 0, "DAY", "only tasks due that day (today, tomorrow, 2026-12-01)", false },
	{ "for", 0, "ENTITY", "only tasks about this record", false },
	{ "all", 'a', NULL, "done tasks too (default: open ones)", false },
	LIST_OPTS,
	OPT_END
};

static int list_exec(struct crm *c, struct args *a)
{
	const struct type *t = type_find(c, "task");
	struct query q;
	if (query_from_args(c, a, &q))
		return c->errcode;
	struct task_filter f = {
		.owner = arg_has(a, "mine") ? c->user : NULL,
		.due = arg_get(a, "due"),
		.entity = arg_get(a, "for"),
		.overdue = arg_has(a, "overdue"),
		.all = arg_has(a, "all") || q.status,
	};
	char *extra = NULL;
	int rc = task_filter_sql(c, &f, &extra);
	if (rc)
		return rc;
	q.filter = extra;
	if (!q.sort)
		q.sort = "due,id";
	rec_columns(c, t);
	rc = query_list(c, t, &q);
	free(extra);
	return rc;
}

static int done_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	int rc = record_check_fresh(c, t, id, line);
	return rc ? rc : task_done(c, id);
}

static int done_exec(struct crm *c, struct args *a)
{
	rec_columns(c, type_find(c, "task"));
	return input_each(c, a->argc, a->argv, "task", done_one, NULL);
}

static int snooze_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	int rc = record_check_fresh(c, t, id, line);
	return rc ? rc : task_snooze(c, id, arg);
}

static int snooze_exec(struct crm *c, struct args *a)
{
	rec_columns(c, type_find(c, "task"));
	const char *when = a->argv[a->argc - 1];
	return input_each(c, a->argc - 1, a->argv, "task", snooze_one, (void *)when);
}

static int show_exec(struct crm *c, struct args *a) { return rec_show(c, a, "task"); }
static int rm_exec(struct crm *c, struct args *a) { return rec_rm(c, a, "task"); }

/* A task's status changes with done and snooze, which keep done_at. */
static int update_exec(struct crm *c, struct args *a)
{
	static const char *const kept[] = { "status", "done_at" };
	for (int i = 0; i < a->argc; i++) {
		const char *eq = strchr(a->argv[i], '=');
		for (int k = 0; eq && k < 2; k++)
			if ((size_t)(eq - a->argv[i]) == strlen(kept[k]) && !strncmp(a->argv[i], kept[k], eq - a->argv[i]))
				return cmd_usage_error(c, "%s changes with 'crm task done' and 'crm task snooze', not "
						       "with update", kept[k]);
	}
	return rec_update(c, a, "task");
}

/* add's, with what they change to (no defaults) */
static const struct opt update_opts[] = {
	{ "title", 't', "TEXT", "what is to be done", false },
	{ "due", 'd', "WHEN", "the new due time (see the times below)", false },
	{ "owner", 0, "USER", "who does it now", false },
	{ "priority", 'p', "high|normal|low", "how urgent it is now", false },
	{ "note", 0, "TEXT", "more about it", false },
	OPT_END
};

static const struct cmd_verb task_verbs[] = {
	{ "add", "--title TEXT [--for ENTITY] [--due WHEN] [--owner U] [--priority high|normal|low]",
	  "add a task (for each record piped in, without --for)", add_opts, DB_WRITE, 0, 0, add_exec,
	  VERB_SERVER },
	{ "list", "[--mine] [--overdue] [--due DAY] [--for ENTITY] [--all] [--where EXPR] ...",
	  "list open tasks by due time", list_opts, DB_READ, 0, 0, list_exec, VERB_SERVER },
	{ "show", "[ID ...]", "print tasks by id, or the ids in JSON lines on stdin", NULL, DB_READ, 0, -1,
	  show_exec, VERB_SERVER },
	{ "update", "[ID ...] [--title T] [--due WHEN] [--owner U] [--priority P] [FIELD=VALUE ...]",
	  "change tasks (ids, or the task lines on stdin): title, due, owner, priority, note, entity",
	  update_opts, DB_WRITE, 0, -1, update_exec, VERB_SERVER },
	{ "done", "[ID ...]", "mark tasks done (ids, or JSON lines on stdin)", NULL, DB_WRITE, 0, -1, done_exec,
	  VERB_SERVER },
	{ "snooze", "[ID ...] WHEN", "move tasks to a later time (+2d, tomorrow 14:00, 下周一; not the past)",
	  NULL, DB_WRITE, 1, -1, snooze_exec, VERB_SERVER },
	{ "rm", "[--purge] [ID ...]", "remove tasks (crm restore task:ID brings one back unless --purge)",
	  rec_rm_opts, DB_WRITE, 0, -1, rm_exec, VERB_SERVER },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_task_entry = {
	.name = "task",
	.summary = "tasks: the next steps, with due times and owners",
	.verbs = task_verbs,
	.description = "A task is about a record (entity lead:42, deal:7, ...) or nothing. Without\n"
		       "--for, crm task add makes one task per record piped in, for its owner:\n"
		       "  crm deal list --stage proposal --stale 7d | crm task add --title 催报价反馈 --due tomorrow\n"
		       "and without --title it creates tasks from JSON lines of task fields (the\n"
		       "options --due, --owner, --priority and --note apply to each). Task lines\n"
		       "crm printed are tasks that exist: 'crm task add' refuses them (exit 3);\n"
		       "change them with update:\n"
		       "  crm task list --owner carol | crm task update owner=bob\n"
		       "crm agenda puts overdue and today's tasks first; tasks about a removed\n"
		       "record leave task list and the agenda until it is restored.\n"
		       "\n"
		       "Times (--due, snooze, note --next, --since, $CRM_NOW and every time field):\n"
		       "  a day     2026-12-15, 2026/12/15, 2026年12月15日, 12-15, 12/15, 12月15日\n"
		       "            (this year); today tomorrow yesterday, 今天 明天 后天 大后天 昨天 前天;\n"
		       "            周五 星期五 本周五 (this week's, Monday first), 下周一 .. 下周日\n"
		       "            (next week's), 上周五; monday .. sunday (the coming one, today\n"
		       "            included), this friday, next monday (next week's), last friday\n"
		       "  a time    14:00, 9:30:15, 3pm, 10:30am, noon, 下午3点, 3点半, 15点20分,\n"
		       "            上午10点, 晚上8:30, 中午; alone: today's (a due time, tomorrow's\n"
		       "            once it is past: --due 9:00 at 10:00 is tomorrow 9:00)\n"
		       "  both      明天 14:00, tomorrow 14:00, tomorrow at 2pm, 下周一 9:30,\n"
		       "            12-15 10:00, 周五下午3点, +2d 14:00\n"
		       "  relative  +3d -2w (calendar days, keeping the clock), +4h +30m, now\n"
		       "A day alone is due all that day. crm task snooze refuses a time in the past\n"
		       "(exit 3). --next \"WHEN ACTION\" takes the longest head that reads as a time:\n"
		       "  crm note lead:1 \"电话沟通\" --type call --next \"tomorrow 14:00 发方案\"",
};
