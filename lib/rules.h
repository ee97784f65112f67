/* rules.h: automation rules fired by record changes (see rules.c). */
#ifndef CRM_RULES_H
#define CRM_RULES_H

#include <cjson/cJSON.h>
#include "crm.h"
#include "record.h"

/* Fire the event rules for a change ("lead.created", "lead.updated",
 * "lead.qualified", "deal.stage_changed", "activity.created",
 * "event.tracked", ...). Runs inside the change's transaction: a failing
 * rule returns an error and the caller rolls the change back. before or
 * after may be NULL. */
int rules_fire(struct crm *c, const char *event, const struct type *t, long long id,
	       const cJSON *before, const cJSON *after);

#endif
