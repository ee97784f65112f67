/* event.h: record changes, published to whoever subscribed.
 *
 * The write path publishes every change as an event ("lead.created",
 * "deal.updated", "lead.qualified", "event.tracked", ...); features
 * publish their own ("deal.stage_changed", "contract.signed"). The
 * subscribers are the modules' (module.h): the rule engine, scoring,
 * ... in module order; then the user's hook for the event is queued
 * (hook.h), to run after the commit. All inside the change's
 * transaction: a subscriber's failure fails the change. */
#ifndef CRM_CORE_EVENT_H
#define CRM_CORE_EVENT_H

#include <stdbool.h>
#include <cjson/cJSON.h>
#include "core/crm.h"
#include "core/type.h"

struct change {
	const char *event;        /* "lead.created" */
	const struct type *t;     /* the record changed */
	long long id;
	const cJSON *before;      /* the record before (NULL when made) */
	const cJSON *after;       /* and after (NULL when removed) */
	unsigned flags;           /* the write's REC_* flags (record.h) */
};

enum {
	/* An automation subscriber (rules) is not told of the writes of
	 * automation itself (REC_NO_RULES), and its nesting is bounded. */
	SUB_AUTOMATION = 1 << 0,
};

struct subscriber {
	const char *event;        /* the event it wants; NULL: every event */
	int (*fn)(struct crm *c, const struct change *ch);
	unsigned flags;           /* SUB_* */
	/* Whether it would act on event at all (the rules: one is on it);
	 * NULL: whenever it is told. A bulk writer publishes nothing that
	 * no one would act on. */
	bool (*wants)(struct crm *c, const char *event);
};

/* Tell every subscriber of ch->event, then queue its hook. The first
 * failing subscriber's status is returned (and nothing more is told). */
int event_publish(struct crm *c, const struct change *ch);

/* Whether publishing event would reach anyone: a subscriber that wants
 * it (automation ones not with REC_NO_RULES in flags), or the user's hook. */
bool event_heard(struct crm *c, const char *event, unsigned flags);

#endif
