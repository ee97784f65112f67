/* followup.h: the daily loop: notes (activities), tasks, the agenda. */
#ifndef CRM_FOLLOWUP_H
#define CRM_FOLLOWUP_H

#include "core/crm.h"
#include "core/query.h"

struct note_opts {
	const char *text;
	const char *kind;   /* call, meeting, email, visit, wechat, note */
	const char *at;     /* when it happened (default now) */
	const char *next;   /* "WHEN ACTION": the follow-up task */
};

/* Record an activity on entity ("lead:1"), move its last_contacted_at,
 * and with next create the follow-up task. Prints what it created. */
int note_add(struct crm *c, const char *entity, const struct note_opts *n);

struct task_opts {
	const char *title, *due, *owner, *priority, *note;
};

/* A task for entity (may be NULL); the owner defaults to the entity's
 * owner, else the acting user. Prints it. */
int task_add(struct crm *c, const char *entity, const char *entity_owner, const struct task_opts *t);
/* The owner of the record entity ("lead:42") names, or NULL. Newly allocated. */
char *task_entity_owner(struct crm *c, const char *entity);
/* Mark done / move the due time. Print the task. */
int task_done(struct crm *c, long long id);
int task_snooze(struct crm *c, long long id, const char *when);

/* The extra conditions of crm task list, as an SQL expression over the
 * task (NULL: none). Newly allocated. */
struct task_filter {
	const char *owner;    /* --mine: the acting user */
	const char *due;      /* a day: today, tomorrow, 2026-12-01 */
	const char *entity;   /* --for */
	bool overdue, all;
};
int task_filter_sql(struct crm *c, const struct task_filter *f, char **out);

/* crm agenda: what user should do on day (default today). */
int agenda_print(struct crm *c, const char *user, const char *day);

#endif
