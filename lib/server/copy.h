/* copy.h: a table's rows from a SQLite database to the server and back,
 * streamed: COPY FROM STDIN one buffer at a time one way, libpq's
 * single-row mode into one prepared INSERT the other, so memory stays
 * the same whatever the size of the table. Values keep their kind: a
 * REAL is written with as many digits as it takes to read back the same
 * double, a BLOB as bytea. */
#ifndef CRM_SERVER_COPY_H
#define CRM_SERVER_COPY_H

#include <stdbool.h>
#include "io/pq.h"
#include <sqlite3.h>

#include "core/crm.h"
#include "server/schema.h"

/* Copy every row of table t (its columns as db has them) from db into
 * the server's table of the same name; *n gets the count copied. total
 * (the rows expected, or -1) is for the progress line of a long copy. */
int copy_to_pg(struct crm *c, sqlite3 *db, PGconn *conn, const struct stable *t, long long total, long long *n);

/* Copy every row of the server's table into db's table t (the columns
 * of t the server has too: src), in the server's key order; *n gets the
 * count copied. */
int copy_from_pg(struct crm *c, PGconn *conn, const struct stable *src, sqlite3 *db, const struct stable *t,
		 long long total, long long *n);

/* While on, SIGINT and SIGTERM stop a copy at its next row (it fails,
 * the caller rolls back and removes what it made); off puts the old
 * handlers back and says which signal came, 0 for none. */
void copy_catch_signals(bool on);
int copy_signal(void);

/* A double in the fewest digits (15 to 17) that read back as the same
 * double, into buf; Infinity, -Infinity and NaN as the server spells them. */
void copy_format_real(double v, char buf[40]);
/* A text value in COPY's text format (backslash, tab and line ends
 * escaped), added to b. */
void copy_add_text(struct sbuf *b, const unsigned char *s, int len);

/* count(*) of a table on either side. */
int count_sqlite(struct crm *c, sqlite3 *db, const char *table, long long *n);
int count_pg(struct crm *c, PGconn *conn, const char *table, long long *n);

#endif
