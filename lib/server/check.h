/* check.h: crm check on a server, through the command's own connection
 * (as the login role, an admin's): what a file's integrity and
 * foreign-key checks say, in the server's words, and its row-level
 * security.
 *
 * integrity: every table and column of crm's schema (as this crm's
 * migrations make it) is on the server. foreign_keys: no row of a table
 * refers to a row that is gone (the server has no foreign keys: crm
 * deletes what a file's would), one line per such row as SQLite's
 * foreign_key_check has it. row_level_security: every table the
 * server's policies bind (server/policy.h) has row-level security
 * enabled and forced. One line per check ("ok") or per problem found. */
#ifndef CRM_SERVER_CHECK_H
#define CRM_SERVER_CHECK_H

#include "core/crm.h"

/* CRM_DBERR when the server is damaged, CRM_PERM when the role is no
 * admin (nothing checked). */
int server_check(struct crm *c);

#endif
