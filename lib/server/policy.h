/* policy.h: the team model on the server (CLI.md 8.1 and 8.5).
 *
 * One NOLOGIN group role per crm role (crm_admin, crm_manager, crm_rep,
 * crm_finance, crm_service, crm_legal) and one LOGIN role per user, a
 * member of its role's group: the acting user is whoever is connected
 * (current_user), mapped to the crm user of that name by crm_user().
 * Every record table has row-level security enabled and forced (the
 * owner of the tables is bound too), with policies per group built by
 * the team layer's own rule (team_policy): the same condition
 * `crm --as` adds to every query on a file, with the user, their owners
 * (crm_owners(): themselves, a manager's teams) and the day (shares'
 * --until) as SQL. crm_admin may do everything; whoever runs
 * `crm server init` is made a member of it.
 *
 * Each group's policies hold only while crm_role(), the connected user's
 * role in this database's user table, is that group's: one who has left
 * (or whose role changed) holds none, whatever groups the login role is
 * in (group roles are the cluster's, shared by its databases). The
 * login role follows the user's row too: crm_user_role(), called as crm
 * writes a user, and a deferred trigger on the user table as its
 * transaction commits, make it a member of the user's group alone, or
 * of none (and NOLOGIN, when crm made it) once the user left or was
 * removed; for every database of the cluster, since roles are its.
 *
 * Beyond the record tables: the users and shares are readable by every
 * group (the policies read them; the user table has no row-level
 * security, its writes are granted to crm_admin alone), the settings
 * (config, pipelines, stages, fields) too; the audit log and the tables
 * derived from records are crm_admin's alone until the live backend
 * scopes them. */
#ifndef CRM_SERVER_POLICY_H
#define CRM_SERVER_POLICY_H

#include "io/pq.h"

#include "core/crm.h"
#include "server/schema.h"

/* The crm roles, NULL-terminated (the user type's role choices). */
const char *const *policy_roles(void);
/* Whether role is one. */
bool policy_role_known(const char *role);

/* Make the group roles that are missing and make the connected role a
 * member of crm_admin. *made gets how many were made. */
int policy_groups(struct crm *c, PGconn *conn, int *made);

/* The SQL functions the policies use, the grants and the policies on
 * the tables of s; *npolicies gets how many policies were made. The
 * record types are c's (its SQLite database: crm's type registry). */
int policy_apply(struct crm *c, PGconn *conn, const struct schema *s, int *npolicies);

/* Whether policy_apply puts table under row-level security, enabled
 * and forced: the record tables (but the user table), the audit log,
 * the import runs, the shares and the tables that follow a record (a
 * lead's score, a deal's stage history, ...). */
bool policy_secured(struct crm *c, const char *table);

/* A statement whose one row says the connected role reads every row of
 * every table (a superuser, or crm_admin's policy holds for it: an
 * admin, or a member of crm_admin who is no crm user); no row if not. */
extern const char policy_admin_sql[];

/* The login role of user name, member of role's group alone (made when
 * missing and marked as crm's, LOGIN again when crm ended it; its
 * password set when password is not NULL). *made: whether it was made. */
int policy_login(struct crm *c, PGconn *conn, const char *name, const char *role, const char *password,
		 bool *made);

#endif
