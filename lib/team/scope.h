/* scope.h: who sees and changes what (CLI.md 8.1), as the team module's
 * hooks (core/module.h): the visibility condition the core adds to every
 * query of records, masking, and the permissions of commands.
 *
 *   admin    everything
 *   manager  their own and their teams' members' records, the pool
 *   rep      their own records, what is shared with them, the pool
 *   finance  quotes, contracts, orders, plans, payments, invoices (all),
 *            the accounts and contacts they belong to (read), no leads
 *            but those shared with them; phones and emails of people masked
 *   service  accounts, contacts, tickets, surveys (all); deals (read);
 *            no leads but those shared with them
 *   legal    contracts (read); no leads but those shared with them
 *
 * Everyone sees and changes what they own and what is shared with them
 * (--write: changes too); a record with no owner of its own (a lead's
 * behaviour event) goes with the record it is about. */
#ifndef CRM_TEAM_SCOPE_H
#define CRM_TEAM_SCOPE_H

#include <stdbool.h>
#include "core/crm.h"
#include "core/type.h"

char *team_scope(struct crm *c, const struct type *t, const char *alias, bool write);
int team_mask(struct crm *c, const struct type *t, const struct field *f);
int team_permit(struct crm *c, const struct type *t, long long id, const char *action);

/* Whether the acting user may share record id of type t (its owner,
 * their manager or an admin): CRM_OK or CRM_PERM naming it. */
int scope_may_share(struct crm *c, const struct type *t, long long id);

/* Whoever a policy of the team server is about, in SQL: a user of role
 * named by the expression user_sql, whose own records are those whose
 * owner is in owners_sql (a SELECT), on the day today_sql; the row is
 * alias. */
struct team_who {
	const char *role, *user_sql, *owners_sql, *today_sql, *alias;
	/* the sets of records a role's other types belong to (finance: the
	 * accounts of its contracts) as calls of functions named
	 * PREFIX_ROLE_TYPE() (team_belongs says what they return), or NULL:
	 * inline */
	const char *belongs_fn;
};

/* The visibility condition team_scope gives a user of who->role (write:
 * what they may change) over a row of t, with the user, their owners
 * and the day as SQL expressions: the very same rule, for the server's
 * row-level security policies (lib/server). "1": every row; "0": none.
 * Newly allocated. */
char *team_policy(struct crm *c, const struct type *t, const struct team_who *who, bool write);

/* The ids of the records of type target that role's other types belong
 * to, as an SQL SELECT of one column, or NULL when role has no such set
 * (the body of the server's PREFIX_ROLE_TARGET function). Newly
 * allocated. */
char *team_belongs(struct crm *c, const char *role, const char *target);

#endif
