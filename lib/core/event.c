/* event.c: publishing record changes to the modules' subscribers. */
#include <string.h>

#include "core/event.h"
#include "core/hook.h"
#include "core/module.h"

/* Automation may set off more automation, up to this deep. */
#define AUTOMATION_DEPTH 8

int event_publish(struct crm *c, const struct change *ch)
{
	bool automation = !(ch->flags & REC_NO_RULES);
	if (automation && c->depth >= AUTOMATION_DEPTH)
		return crm_error(c, CRM_CONFLICT, "automation rules loop (more than %d levels)", AUTOMATION_DEPTH);
	int rc = CRM_OK;
	c->depth++;
	/* what a change sets off (rules, scoring) is done for the system: the
	 * change itself was checked against the user's rights; the rules are
	 * the admin's settings */
	c->system++;
	for (int m = 0; crm_modules[m] && !rc; m++) {
		for (const struct subscriber *s = crm_modules[m]->subscribers; s && s->fn && !rc; s++) {
			if (s->event && strcmp(s->event, ch->event))
				continue;
			if (s->flags & SUB_AUTOMATION && !automation)
				continue;
			rc = s->fn(c, ch);
		}
	}
	c->system--;
	c->depth--;
	/* a rule's own writes fire no more rules, but hooks see every change */
	if (!rc)
		hook_queue(c, ch->event, ch->after ? ch->after : ch->before);
	return rc;
}

bool event_heard(struct crm *c, const char *event, unsigned flags)
{
	bool automation = !(flags & REC_NO_RULES);
	for (int m = 0; crm_modules[m]; m++)
		for (const struct subscriber *s = crm_modules[m]->subscribers; s && s->fn; s++) {
			if (s->event && strcmp(s->event, event))
				continue;
			if (s->flags & SUB_AUTOMATION && !automation)
				continue;
			if (!s->wants || s->wants(c, event))
				return true;
		}
	return hook_wanted(c, event);
}
