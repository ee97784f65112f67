/* hook.h: user hooks, executables named on-<event> in the hooks folder
 * ($XDG_CONFIG_HOME/crm/hooks or ~/.config/crm/hooks). They get the record
 * as one JSON line on stdin after the change is committed; a failing hook
 * is reported and changes nothing. CRM_NO_HOOKS=1 turns them off. */
#ifndef CRM_HOOK_H
#define CRM_HOOK_H

#include <cjson/cJSON.h>
#include "core/crm.h"

/* Queue the record for the hook of event, if such a hook exists. */
void hook_queue(struct crm *c, const char *event, const cJSON *record);
/* Whether the user has a hook for event (and hooks are on). */
bool hook_exists(struct crm *c, const char *event);
/* Run what is queued (after commit); reports failures on stderr. */
void hook_run_pending(struct crm *c);
/* Commit the transaction, then run the hooks its changes queued (a hook
 * sees only what is committed); again: begin the next transaction. */
int hook_commit(struct crm *c, bool again);
/* Forget what is queued (after rollback). */
void hook_discard(struct crm *c);
/* The hooks folder, newly allocated. */
char *hook_dir(void);
/* Free the queue and what it knows (at the end of the process). */
void hook_free(struct crm *c);

#endif
