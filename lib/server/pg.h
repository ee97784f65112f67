/* pg.h: a connection to a PostgreSQL server through libpq, with every
 * result checked and its error mapped to crm's exit codes. */
#ifndef CRM_SERVER_PG_H
#define CRM_SERVER_PG_H

#include <stdbool.h>
#include "io/pq.h"

#include "core/crm.h"

/* Connect to url (postgresql://...). CRM_OK with *conn set, or
 * CRM_DBERR (cannot connect) / CRM_PERM (authentication refused), the
 * error recorded naming the server. */
int pg_connect(struct crm *c, const char *url, PGconn **conn);
void pg_close(PGconn *conn);

/* The crm status for a failed result (or a failed connection when res
 * is NULL), recording "what: the server's message". */
int pg_error(struct crm *c, PGconn *conn, const PGresult *res, const char *what);

/* Run sql (no parameters, no rows wanted): CRM_OK or the error. */
int pg_exec(struct crm *c, PGconn *conn, const char *sql, const char *what);
/* Run sql with text parameters; *res gets the rows (the caller PQclears
 * it) when not NULL. */
int pg_query(struct crm *c, PGconn *conn, const char *sql, int n, const char *const *params,
	     PGresult **res, const char *what);
/* The first column of the first row of sql with one parameter (or none),
 * newly allocated, or NULL (no row, NULL, or an error: then *rc says). */
char *pg_get_text(struct crm *c, PGconn *conn, const char *sql, const char *param, int *rc);

/* name as a quoted identifier ("order"), newly allocated (malloc). */
char *pg_ident(PGconn *conn, const char *name);
/* s as a quoted literal, newly allocated (malloc). */
char *pg_literal(PGconn *conn, const char *s);

#endif
