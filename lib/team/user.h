/* user.h: the user record type (CLI.md 8.1: crm user, crm team).
 *
 * A user is a record like any other (type "user": audited, events,
 * history, import and export) with a name others name them by (owner,
 * --as, --manager), a role, a team and a manager. While there is none,
 * crm is single-user; the first must be an admin. Only an admin changes
 * users once there are some. */
#ifndef CRM_TEAM_USER_H
#define CRM_TEAM_USER_H

#include <stdbool.h>
#include "core/crm.h"
#include "core/event.h"
#include "core/type.h"

extern const struct type team_user_type;

/* On a server, a user's login role follows their row (made with the
 * user, moved to their new role's group, ended when they leave or are
 * removed, back when restored): the team module's subscribers. */
extern const struct subscriber user_subscribers[];

/* Whether s may be a user's name: one others can write after --as,
 * owner= and in team lists (no spaces, commas, colons or quotes). */
bool user_name_ok(const char *s);

/* The user a word names: a name, user:ID or an ID. CRM_NOTFOUND naming
 * it when there is none (removed ones are not found). */
int user_find(struct crm *c, const char *word, long long *id);

/* Remove user id: refused (exit 4) while they own records (crm user
 * leave hands them over) or when they are the last admin. */
int user_remove(struct crm *c, long long id, bool purge);

/* crm team list: one line per team, its members and manager(s). */
int team_list(struct crm *c);
/* crm team show TEAM: the team's line, then its members as users. */
int team_show(struct crm *c, const char *team);

#endif
