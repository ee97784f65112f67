/* rules.h: automation rules.
 *
 * Event rules (--on lead.created, lead.updated, lead.qualified,
 * deal.stage_changed, activity.created, event.tracked, TYPE.created,
 * TYPE.updated) fire inside the transaction of the change: a failing
 * action fails the change. Tick rules (--on tick --type T --every D) are
 * run by crm automate: they fire once per record while their condition
 * holds, and again only after it stopped holding. Actions: task "title"
 * [--due W] [--owner owner|manager|USER] [--priority P], set F=V,
 * tag add|rm TAG..., assign --by HOW [--team T], score, notify [TEXT]
 * [--to owner|manager|USER] (runs the on-notify hook), create TYPE
 * FIELD=VALUE... (a record of another type about it: its references to
 * the record, and to what the record belongs to, are filled). On a record
 * about another (an activity, a task, a survey), actions act on that one. */
#ifndef CRM_RULES_H
#define CRM_RULES_H

#include <cjson/cJSON.h>
#include "core/crm.h"
#include "core/record.h"

/* Fire the event rules for a change. before or after may be NULL. */
int rules_fire(struct crm *c, const char *event, const struct type *t, long long id,
	       const cJSON *before, const cJSON *after);

/* The same, as the event bus's subscriber (sales.c). */
struct change;
int rules_on_change(struct crm *c, const struct change *ch);
/* Whether some rule is on event (the subscriber's wants). */
bool rules_wanted(struct crm *c, const char *event);

struct rule_spec {
	const char *name, *event, *type, *cond, *every;
	const char **actions;
	int nactions;
};

int rules_add(struct crm *c, const struct rule_spec *s);
int rules_list(struct crm *c, const char *name);
int rules_rm(struct crm *c, const char *name);
/* Whether rule name would fire for record id: prints it; 1 if not. */
int rules_test(struct crm *c, const char *name, const struct type *t, long long id);
/* Run the tick rules that are due (all: every one, now); dry: print what
 * would fire and write nothing. */
int rules_tick(struct crm *c, bool all, bool dry);
/* Check the words of one --do action; t: the type of the records it acts
 * on (NULL: any). */
int rules_action_check(struct crm *c, const char *action, const struct type *t);
/* Forget the rules read (they are read once per command). */
void rules_release(struct crm *c);

#endif
