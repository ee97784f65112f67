/* hook.h: user hooks, executables named on-<event> in the hooks folder
 * ($XDG_CONFIG_HOME/crm/hooks or ~/.config/crm/hooks). They get the record
 * as one JSON line on stdin after the change is committed; a failing hook
 * is reported and changes nothing. CRM_NO_HOOKS=1 turns them off. A hook
 * file group or others may write is refused (as ssh refuses such keys);
 * one still running after config hooks.timeout (30 s) is killed with what
 * it started; a failed, killed or refused hook is in the audit log
 * (entity hook:on-EVENT, action hook_failed, hook_killed, hook_refused). */
#ifndef CRM_HOOK_H
#define CRM_HOOK_H

#include <cjson/cJSON.h>
#include "core/crm.h"

/* Queue the record for the hook of event, if such a hook exists. */
void hook_queue(struct crm *c, const char *event, const cJSON *record);
/* Whether a hook for event would run (hooks on, and there is one). */
bool hook_wanted(struct crm *c, const char *event);
/* Run what is queued (after commit); reports failures on stderr. */
void hook_run_pending(struct crm *c);
/* Commit the transaction, then run the hooks its changes queued (a hook
 * sees only what is committed); again: begin the next transaction. */
int hook_commit(struct crm *c, bool again);
/* hook_commit(c, true) for a bulk writer (import, track, score): between
 * the commit and the next BEGIN it waits 10 ms, longer than another
 * writer's busy handler sleeps between tries (5 ms), so that one gets the
 * lock instead of finding it taken again at once. */
int hook_commit_bulk(struct crm *c);
/* Forget what is queued (after rollback). */
void hook_discard(struct crm *c);
/* Where the queue ends now; hook_rollback drops what was queued after it
 * (the change that queued it was rolled back to a savepoint). Only valid
 * until the next commit. */
void *hook_mark(struct crm *c);
void hook_rollback(struct crm *c, void *mark);
/* The hooks folder, newly allocated. */
char *hook_dir(void);
/* Free the queue and what it knows (at the end of the process). */
void hook_free(struct crm *c);

#endif
