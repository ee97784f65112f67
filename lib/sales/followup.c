/* followup.c: notes, tasks and the agenda. See followup.h. */
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "base/date.h"
#include "core/db.h"
#include "core/dialect.h"
#include "sales/followup.h"
#include "io/out.h"
#include "core/record.h"
#include "base/text.h"

/* Split "WHEN ACTION": the longest head that reads as a time (the
 * grammar of date.h: "+3d 寄样品", "tomorrow 14:00 发方案", "下周一 9:30 回访",
 * "明天下午3点发方案"). A head ends at a space, or where ASCII meets a
 * character that is not. */
static int next_split(struct crm *c, const char *next, char **when, char **action)
{
	char *s = text_trim(next);
	size_t len = strlen(s);
	time_t t;
	for (size_t n = len; n > 0; n--) {
		unsigned char before = (unsigned char)s[n - 1], after = (unsigned char)s[n];
		if ((after & 0xC0) == 0x80)
			continue;   /* inside a character */
		if (n < len && after != ' ' && after != '\t' && after < 0x80 && before < 0x80)
			continue;   /* inside a word */
		char *head = xstrndup(s, n);
		if (date_parse(head, date_now(), &t, NULL) != 0) {
			free(head);
			continue;
		}
		if (n == len) {   /* a time and nothing else */
			free(head);
			break;
		}
		*when = head;
		*action = text_trim(s + n);
		free(s);
		if (**action)
			return CRM_OK;
		free(*when);
		free(*action);
		return crm_error(c, CRM_USAGE, "--next: what is to be done? (--next \"+3d 寄样品\")");
	}
	int rc = date_parse(s, date_now(), &t, NULL) == 0
		? crm_error(c, CRM_USAGE, "--next: what is to be done after '%s'? (--next \"+3d 寄样品\")", s)
		: crm_error(c, CRM_USAGE, "--next: '%s' does not start with a time (--next \"tomorrow 14:00 "
			    "发方案\"; see 'crm help task' for the times crm reads)", s);
	free(s);
	return rc;
}

/* The owner of the record an entity names, or NULL. Newly allocated. */
char *task_entity_owner(struct crm *c, const char *entity)
{
	const struct type *t;
	long long id;
	if (!entity || entity_parse(c, entity, NULL, &t, &id) || !type_field(t, "owner")) {
		c->errmsg[0] = 0;
		return NULL;
	}
	cJSON *r = record_get(c, t, id, false);
	const char *o = cJSON_GetStringValue(cJSON_GetObjectItem(r, "owner"));
	char *owner = o ? xstrdup(o) : NULL;
	cJSON_Delete(r);
	c->errmsg[0] = 0;
	return owner;
}

int note_add(struct crm *c, const char *entity, const struct note_opts *n)
{
	const struct type *ta = type_find(c, "activity"), *tt = type_find(c, "task");
	char *when = NULL, *action = NULL;
	int rc = n->next ? next_split(c, n->next, &when, &action) : CRM_OK;
	if (rc)
		return rc;
	cJSON *f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "entity", entity);
	cJSON_AddStringToObject(f, "kind", n->kind ? n->kind : "note");
	cJSON_AddStringToObject(f, "text", n->text);
	if (n->at)
		cJSON_AddStringToObject(f, "at", n->at);
	long long aid = 0, tid = 0;
	if ((rc = db_savepoint(c)))
		goto cleanup;
	rc = record_insert(c, ta, f, 0, &aid, NULL);
	cJSON *act = rc ? NULL : record_get(c, ta, aid, false);
	const char *at = cJSON_GetStringValue(cJSON_GetObjectItem(act, "at"));
	const char *ent = cJSON_GetStringValue(cJSON_GetObjectItem(act, "entity"));
	if (!rc && !act)
		rc = c->errcode;
	if (!rc)
		rc = record_touch(c, ent, at);
	if (!rc && when) {
		cJSON *tf = cJSON_CreateObject();
		char *owner = task_entity_owner(c, ent);
		cJSON_AddStringToObject(tf, "entity", ent);
		cJSON_AddStringToObject(tf, "title", action);
		cJSON_AddStringToObject(tf, "due", when);
		if (owner)
			cJSON_AddStringToObject(tf, "owner", owner);
		rc = record_insert(c, tt, tf, 0, &tid, NULL);
		free(owner);
		cJSON_Delete(tf);
	}
	cJSON_Delete(act);
	if (rc) {
		db_rollback_to(c);
		goto cleanup;
	}
	if ((rc = db_release(c)))
		goto cleanup;
	rc = record_print(c, ta, aid);
	if (!rc && tid)
		rc = record_print(c, tt, tid);
cleanup:
	cJSON_Delete(f);
	free(when);
	free(action);
	return rc;
}

int task_add(struct crm *c, const char *entity, const char *entity_owner_hint, const struct task_opts *o)
{
	const struct type *tt = type_find(c, "task");
	cJSON *f = cJSON_CreateObject();
	char *owner = NULL;
	if (entity)
		cJSON_AddStringToObject(f, "entity", entity);
	cJSON_AddStringToObject(f, "title", o->title);
	if (o->due)
		cJSON_AddStringToObject(f, "due", o->due);
	if (o->priority)
		cJSON_AddStringToObject(f, "priority", o->priority);
	if (o->note)
		cJSON_AddStringToObject(f, "note", o->note);
	if (o->owner)
		owner = xstrdup(o->owner);
	else if (entity_owner_hint)
		owner = xstrdup(entity_owner_hint);
	else
		owner = task_entity_owner(c, entity);
	if (owner)
		cJSON_AddStringToObject(f, "owner", owner);
	long long id = 0;
	int rc = record_insert(c, tt, f, 0, &id, NULL);
	cJSON_Delete(f);
	free(owner);
	return rc ? rc : record_print(c, tt, id);
}

static int task_set(struct crm *c, long long id, cJSON *ch)
{
	const struct type *tt = type_find(c, "task");
	int rc = record_update(c, tt, id, ch, 0);
	cJSON_Delete(ch);
	return rc ? rc : record_print(c, tt, id);
}

int task_done(struct crm *c, long long id)
{
	const struct type *tt = type_find(c, "task");
	cJSON *cur = record_get(c, tt, id, false);
	if (!cur)
		return c->errcode;
	const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(cur, "status"));
	bool done = status && !strcmp(status, "done");
	cJSON_Delete(cur);
	if (done)
		return record_print(c, tt, id);   /* done already: nothing to change */
	char now[DATE_BUFSZ];
	date_format(date_now(), now);
	cJSON *ch = cJSON_CreateObject();
	cJSON_AddStringToObject(ch, "status", "done");
	cJSON_AddStringToObject(ch, "done_at", now);
	return task_set(c, id, ch);
}

int task_snooze(struct crm *c, long long id, const char *when)
{
	time_t t, now = date_now();
	int date_only = 0;
	char day[DATE_BUFSZ], today[DATE_BUFSZ], at[DATE_BUFSZ];
	if (date_parse_ahead(when, now, &t, &date_only) != 0)
		return crm_error(c, CRM_BADINPUT, "'%s' is not a time (tomorrow 14:00, +2d, 下周一 9:30; "
				 "see 'crm help task')", when);
	date_format_day(t, day);
	date_format_day(now, today);
	/* a day without a time is due all that day: today is not past */
	if (date_only ? strcmp(day, today) < 0 : t < now)
		return crm_error(c, CRM_BADINPUT, "task:%lld: '%s' is in the past (%s): snooze to a later time",
				 id, when, date_only ? day : date_format(t, at));
	cJSON *ch = cJSON_CreateObject();
	cJSON_AddStringToObject(ch, "due", when);
	cJSON_AddStringToObject(ch, "status", "open");
	cJSON_AddNullToObject(ch, "done_at");   /* a done task snoozed is open again */
	return task_set(c, id, ch);
}

static int day_of(struct crm *c, const char *in, char *day)
{
	time_t t;
	if (date_parse(in ? in : "today", date_now(), &t, NULL) != 0)
		return crm_error(c, CRM_USAGE, "'%s' is not a day (today, tomorrow, 2026-12-01)", in);
	date_format_day(t, day);
	return CRM_OK;
}

/* An SQL condition: the task (alias a) is about nothing, or about a
 * record that is not removed (a removed lead's tasks wait for its
 * restore). Newly allocated. */
static char *task_subject_live(struct crm *c, const char *a)
{
	struct sbuf b = { 0 };
	sbuf_addf(&b, "(%s.entity IS NULL", a);
	for (int i = 0; type_at(c, i); i++) {
		const struct type *t = type_at(c, i);
		if (!type_field(t, "deleted_at"))
			continue;
		size_t n = strlen(t->name) + 1;   /* "lead:" */
		sbuf_addf(&b, " OR (substr(%s.entity, 1, %zu) = '%s:' AND EXISTS (SELECT 1 FROM \"%s\" AS x "
			  "WHERE x.id = CAST(substr(%s.entity, %zu) AS INTEGER) AND x.deleted_at IS NULL))",
			  a, n, t->name, t->name, a, n + 1);
	}
	sbuf_addc(&b, ')');
	return sbuf_detach(&b);
}

int task_filter_sql(struct crm *c, const struct task_filter *f, char **out)
{
	struct sbuf b = { 0 };
	*out = NULL;
	char *live = task_subject_live(c, "r");
	sbuf_add(&b, live);
	free(live);
	if (!f->all && !f->overdue)
		sbuf_add(&b, " AND status = 'open'");
	if (f->owner) {
		sbuf_add(&b, " AND owner = ");
		sbuf_add_quoted(&b, f->owner, '\'');
	}
	if (f->entity) {
		const struct type *t;
		long long id;
		if (entity_parse(c, f->entity, NULL, &t, &id)) {
			sbuf_release(&b);
			return c->errcode;
		}
		sbuf_addf(&b, " AND entity = '%s:%lld'", t->name, id);
	}
	if (f->overdue) {
		/* a due day without a time (stored as midnight) is due all day */
		char now[DATE_BUFSZ], today[DATE_BUFSZ];
		date_format(date_now(), now);
		date_format_day(date_now(), today);
		char *quoted = xasprintf("'%s'", now);
		char *due = dialect_instant(c, "due"), *at = dialect_instant(c, quoted);
		sbuf_addf(&b, " AND status = 'open' AND due IS NOT NULL AND (substr(due, 1, 10) < '%s' OR "
			  "(%s < %s AND substr(due, 12, 8) <> '00:00:00'))",
			  today, due, at);
		free(quoted);
		free(due);
		free(at);
	}
	if (f->due) {
		char day[DATE_BUFSZ];
		if (day_of(c, f->due, day)) {
			sbuf_release(&b);
			return c->errcode;
		}
		sbuf_addf(&b, " AND substr(due, 1, 10) = '%s'", day);
	}
	*out = sbuf_detach(&b);
	return CRM_OK;
}

/* ---- the agenda ---- */

static const char agenda_fmt[] =
	/* 1 overdue, 2 due on the day: open tasks of the user */
	/* (overdue as in task list --overdue: a time of the day already past too) */
	"SELECT CASE WHEN substr(t.due, 1, 10) < ?2 OR (substr(t.due, 12, 8) <> '00:00:00' "
	"  AND julianday(t.due) < julianday(?6)) THEN 1 ELSE 2 END AS section, 'task', t.id, t.title, "
	"  t.entity, t.due, t.priority, "
	"  CAST(julianday(?2) - julianday(substr(t.due, 1, 10)) AS INTEGER) AS days, "
	"  CASE t.priority WHEN 'high' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END AS prank "
	"FROM task t WHERE t.deleted_at IS NULL AND t.status = 'open' AND t.owner = ?1 "
	"  AND t.due IS NOT NULL AND substr(t.due, 1, 10) <= ?2 AND %s "
	"UNION ALL "
	/* 3 new leads not contacted within the first-contact window (spans in
	 * whole seconds: a difference of julian days, a double, times 24 made
	 * 25 hours 24.9999 and so 24) */
	"SELECT 3, 'lead', l.id, l.name, NULL, l.created_at, NULL, "
	"  (unixepoch(?3) - unixepoch(l.created_at)) / 3600, 1 "
	"FROM lead l WHERE l.deleted_at IS NULL AND l.owner = ?1 AND l.status = 'new' "
	"  AND l.last_contacted_at IS NULL AND unixepoch(?3) - unixepoch(l.created_at) >= ?4 * 3600 "
	"UNION ALL "
	/* 4 the user's open deals with no activity for N days */
	"SELECT 4, 'deal', d.id, d.name, NULL, d.stage, NULL, "
	"  (unixepoch(?3) - unixepoch(coalesce((SELECT max(a.at) FROM activity a "
	"    WHERE a.entity = 'deal:' || d.id AND a.deleted_at IS NULL), d.stage_entered_at, d.created_at))) / 86400, 1 "
	"FROM deal d WHERE d.deleted_at IS NULL AND d.owner = ?1 AND d.status = 'open' "
	"  AND unixepoch(?3) - unixepoch(coalesce((SELECT max(a.at) FROM activity a "
	"    WHERE a.entity = 'deal:' || d.id AND a.deleted_at IS NULL), d.stage_entered_at, d.created_at)) >= ?5 * 86400 "
	"ORDER BY 1, 9, 8 DESC, 3";

static const char *const section_names[] = { "", "overdue", "today", "new_lead", "stale_deal" };

/* "lead:1" -> "张伟 (lead:1)": who a task is about. Newly allocated. */
static char *entity_label(struct crm *c, const char *entity)
{
	const struct type *t;
	long long id;
	if (!entity || entity_parse(c, entity, NULL, &t, &id)) {
		c->errmsg[0] = 0;
		return entity ? xstrdup(entity) : NULL;
	}
	cJSON *r = record_get(c, t, id, true);
	const char *n = cJSON_GetStringValue(cJSON_GetObjectItem(r, "name"));
	char *label = n ? xasprintf("%s (%s)", n, entity) : xstrdup(entity);
	cJSON_Delete(r);
	c->errmsg[0] = 0;
	return label;
}

int agenda_print(struct crm *c, const char *user, const char *day)
{
	char d[DATE_BUFSZ], at[DATE_BUFSZ];
	int rc = day_of(c, day, d);
	if (rc)
		return rc;
	/* "now" on the agenda's day: the end of it for a later day */
	time_t now = date_now(), t;
	char today[DATE_BUFSZ], real_now[DATE_BUFSZ];
	date_format_day(now, today);
	date_format(now, real_now);
	bool is_today = !strcmp(d, today);
	if (!is_today && date_parse(d, now, &t, NULL) == 0)
		now = t + 86399;
	date_format(now, at);
	char *live = task_subject_live(c, "t");
	char *sql = xasprintf(agenda_fmt, live);
	struct db_stmt *st = db_stmt(c, sql);
	free(sql);
	free(live);
	if (!st)
		return c->errcode;
	db_bind_text(st, 1, user, -1, DB_TRANSIENT);
	db_bind_text(st, 2, d, -1, DB_TRANSIENT);
	db_bind_text(st, 3, at, -1, DB_TRANSIENT);
	/* agenda.new_lead_hours, or its old name if a database has that set */
	db_bind_int64(st, 4, config_get_int(c, "agenda.new_lead_hours",
						 config_get_int(c, "agenda.first_contact_hours", 24)));
	db_bind_int64(st, 5, config_get_int(c, "agenda.stale_deal_days", 7));
	/* a time of today already past is overdue; on another day's agenda, due that day */
	if (is_today)
		db_bind_text(st, 6, real_now, -1, DB_TRANSIENT);
	else
		db_bind_null(st, 6);
	static const char *const cols[] = { "agenda", "what", "for", "when", "priority" };
	out_columns(c->out, cols, 5);
	long n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		struct out *o = c->out;
		int sec = db_column_int(st, 0);
		const char *type = (const char *)db_column_text(st, 1);
		/* another's agenda (--user) shows what the acting user may see */
		const struct type *rt = type_find(c, type);
		if (rt && record_access(c, rt, db_column_int64(st, 2), false)) {
			c->errmsg[0] = 0;
			continue;
		}
		long long n7 = db_column_int64(st, 7);
		const char *t5 = (const char *)db_column_text(st, 5);
		char *when;   /* the part of the line a person reads first */
		n++;
		if (sec <= 2) {
			/* the task as crm task list prints it, with its agenda and when */
			cJSON *task = record_get(c, type_find(c, "task"), db_column_int64(st, 2), false);
			if (!task) {
				db_reset(st);
				return c->errcode;
			}
			cJSON_AddStringToObject(task, "agenda", section_names[sec]);
			if (sec == 1) {   /* n7: days overdue */
				when = n7 > 0 ? xasprintf("%lld day%s late", n7, n7 == 1 ? "" : "s")
					      : xasprintf("late since %.5s", t5 + 11);
			} else {
				bool timed = t5 && strlen(t5) >= 16 && strncmp(t5 + 11, "00:00", 5);
				when = timed ? xasprintf("today %.5s", t5 + 11) : xstrdup("today");
			}
			cJSON_AddStringToObject(task, "when", when);
			free(when);
			if (c->format != OUT_JSONL) {   /* the table's columns */
				char *label = entity_label(c, (const char *)db_column_text(st, 4));
				cJSON_AddStringToObject(task, "what", (const char *)db_column_text(st, 3));
				if (label)
					cJSON_AddStringToObject(task, "for", label);
				free(label);
			}
			out_object(o, task);
			cJSON_Delete(task);
			continue;
		}
		out_begin(o);
		out_str(o, "type", (const char *)db_column_text(st, 1));
		out_int(o, "id", db_column_int64(st, 2));
		out_str(o, "agenda", section_names[sec]);
		out_str(o, "what", (const char *)db_column_text(st, 3));
		if (sec == 3) {
			out_str(o, "created_at", t5);
			out_int(o, "hours", n7);  /* waiting for a first contact */
			when = n7 >= 48 ? xasprintf("waiting %lld days", n7 / 24) : xasprintf("waiting %lld h", n7);
		} else {
			out_str(o, "stage", t5);
			out_int(o, "days", n7);   /* with no activity */
			when = xasprintf("%lld days quiet (%s)", n7, t5 ? t5 : "");
		}
		out_str(o, "when", when);
		free(when);
		out_str(o, "owner", user);
		out_end(o);
	}
	db_reset(st);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "agenda");
	return n ? CRM_OK : CRM_NOTFOUND;
}
