/* history.h: crm history, and what crm account show adds. */
#ifndef CRM_HISTORY_H
#define CRM_HISTORY_H

#include <cjson/cJSON.h>
#include "core/crm.h"
#include "core/record.h"

/* Print the record's life, oldest first: its audit entries (field
 * changes, stage moves, approvals), activities, tasks made and done, and
 * a lead's behaviour events. */
int history_print(struct crm *c, const struct type *t, long long id);

/* crm log: the audit log (core/audit.h audit_list); for one record an
 * import made, with its creation ("created by import run R from FILE
 * line L", the values as imported), which has no audit row of its own. */
struct audit_filter;
int history_log(struct crm *c, const struct audit_filter *f);

/* Add an account's contacts, deals, recent activities and open tasks to
 * acc (arrays "contacts", "deals", "activities", "tasks"). */
int account_related(struct crm *c, long long id, cJSON *acc);

#endif
