/* team.h: who the users are and what they hold, for the layers above.
 *
 * lib/team is the team model (CLI.md 8.1): users and their roles (admin,
 * manager, rep, finance, service, legal), teams and their managers, who
 * sees and changes what (the scope the core's queries add), masking, the
 * public pool (公海) and handover. It uses core, io and base only; it
 * plugs into the core's read and write paths through its module, so
 * every command is scoped without code of its own. With no users, crm
 * is single-user and everyone acts as admin (the first wave).
 *
 * The files: state (the acting user, asked once per command), user (the
 * user record type), scope (visibility, masking, permissions), pool,
 * share, handover; team.c is the module. */
#ifndef CRM_TEAM_TEAM_H
#define CRM_TEAM_TEAM_H

#include <stdbool.h>
#include "core/crm.h"
#include "core/module.h"
#include "core/type.h"

extern const struct module team_module;

/* Whether any user exists; with none, crm is single-user. */
bool team_active(struct crm *c);

/* The role of the active user name, or NULL when there is no such
 * active user (or no users at all). Newly allocated. */
char *team_role(struct crm *c, const char *name);

/* Whether user name holds step (an approval step: a role, or a user's
 * name): the step names them, or it is a role they have; an admin holds
 * every role. In single-user mode anyone holds any step. */
bool team_holds(struct crm *c, const char *name, const char *step);

/* The manager of user name (their --manager), or NULL. Newly allocated. */
char *team_manager_of(struct crm *c, const char *name);

/* The active users with role (of team, when not NULL), in name order:
 * a NULL-terminated array the caller frees with team_names_free. An
 * empty array when there are none. */
char **team_users_with_role(struct crm *c, const char *role, const char *team);
void team_names_free(char **names);

/* The pool (公海): a record type whose events are these has a pool
 * (its records with no owner), and these fields, which crm keeps:
 * previous_owner (who had it before the pool), locked_by (a manager
 * locked it: no reclaim), owned_at (when its owner got it) and pooled_at
 * (when it last went to the pool), hidden. Leads and accounts (sales)
 * declare them. */
extern const char *const team_pool_events[];
#define TEAM_POOL_FIELDS \
	{ "previous_owner", FK_TEXT, FF_SYSTEM, NULL, NULL, "前负责人", NULL }, \
	{ "locked_by", FK_TEXT, FF_SYSTEM, NULL, NULL, "锁定人", NULL }, \
	{ "owned_at", FK_TIME, FF_SYSTEM | FF_HIDDEN, NULL, NULL, "领取时间", NULL }, \
	{ "pooled_at", FK_TIME, FF_SYSTEM | FF_HIDDEN, NULL, NULL, "退回时间", NULL }

#endif
