/* audit.h: the audit log. Every change to a record or setting is written
 * here by the library, in the same transaction as the change. */
#ifndef CRM_AUDIT_H
#define CRM_AUDIT_H

#include <stdbool.h>
#include "core/crm.h"

/* entity: "lead:42", "config:db.busy_timeout". action: "insert", "update",
 * "remove", "restore", "purge", "merge", "stage_move", ... before/after:
 * JSON text or NULL. */
int audit_log(struct crm *c, const char *entity, const char *action,
	      const char *before, const char *after);

struct audit_filter {
	const char *user;
	const char *since;     /* a time or a span (7d) */
	const char *entity;    /* "lead:42", or "lead" for every lead */
	long long limit;       /* 0: all */
	bool oldest_first;
};

/* Print audit entries through c->out, newest first. CRM_NOTFOUND if none. */
int audit_list(struct crm *c, const struct audit_filter *f);

#endif
