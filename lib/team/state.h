/* state.h: the acting user as the team model sees them, read once per
 * command (the user table is small; every query of records asks). */
#ifndef CRM_TEAM_STATE_H
#define CRM_TEAM_STATE_H

#include <stdbool.h>
#include "core/crm.h"
#include "core/type.h"

struct actor {
	char *user;          /* c->user this is about */
	bool active;         /* users exist: crm is not single-user */
	bool known;          /* user is an active user */
	bool left;           /* user was one and has left */
	char *role;          /* their role (known only) */
	char *team;
	char *manager;
	char *user_sql;      /* the name as an SQL string: 'carol' */
	char *owners_sql;    /* whose records are theirs, as an SQL list:
			      * 'carol', or a manager's and their teams' members' */
	char **owners;       /* the same names, NULL-terminated */
	bool shares;         /* something is shared with them (a live share) */
	char today[32];      /* YYYY-MM-DD, for shares' --until */
	char *today_sql;     /* the same as SQL: '2026-03-02' */
	const char *belongs_fn; /* NULL: a role's belongs sets inline; else read
				 * through functions of that prefix (the server's
				 * policies: team_policy) */
};

/* The acting user, computed once per command (and again when the users
 * or shares change: team_forget). */
const struct actor *team_actor(struct crm *c);
void team_forget(struct crm *c);

/* Whether a is a known user of role. */
bool actor_is(const struct actor *a, const char *role);
/* Whether name is among a's owners (themselves, a manager's team). */
bool actor_owns(const struct actor *a, const char *name);

/* The users whose records a manager named by the SQL expression who
 * also holds (the members of their own team and of the teams whose
 * members name them as manager, and whoever names them directly), as an
 * SQL SELECT of their names: ?1 here, crm_user() on the server
 * (server/policy.c). Newly allocated. */
char *team_members_sql(const char *who);

/* s as an SQL string literal ('' doubled). Newly allocated. */
char *sql_quote(const char *s);

/* Whether t has a pool (its events are the pool's, team.h). */
bool type_pooled(const struct type *t);

/* The id of the live user name (0 when none); *status gets their status
 * when not NULL (newly allocated). */
long long user_id(struct crm *c, const char *name, char **status);

#endif
