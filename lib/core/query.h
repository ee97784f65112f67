/* query.h: --where and the shorthand filters, turned into SQL that SQLite
 * evaluates under a read-only authorizer. */
#ifndef CRM_QUERY_H
#define CRM_QUERY_H

#include <stdbool.h>
#include "core/backend.h"
#include "core/crm.h"
#include "core/record.h"

struct query {
	const char *where;     /* user SQL expression over the record's fields */
	const char *filter;    /* the command's own condition (its shorthands), ANDed with where */
	const char *owner, *tag, *status, *stage, *source, *pipeline;
	const char *since;     /* created at or after (a time) */
	const char *stale;     /* no contact for this long (a span: 7d) */
	const char *sort;      /* "field,-field" */
	long long limit;       /* 0: no limit */
	bool removed;          /* list removed records instead */
};

/* A function --where gains (has_event('webinar')): it writes the SQL for
 * a call over the row "r" of type t into out. argv holds the call's
 * arguments, already rewritten; one: the expression is evaluated for one
 * or a few records at a time (look the answer up for r, do not gather
 * it for every record first). A module lists its helpers (module.h). */
struct query_helper {
	const char *name;
	int (*expand)(struct crm *c, const struct type *t, bool one, char **argv, int argc,
		      struct sbuf *out);
};

/* What the acting user may see (write: may change) of type t, as an SQL
 * condition over alias: every module's scope (module.h) ANDed,
 * QUERY_SCOPE_ALL when none limits it (a condition a server takes too:
 * PostgreSQL has no integer for a boolean). Newly allocated. Every query
 * of records adds it: lists, exports, searches, reports. */
#define QUERY_SCOPE_ALL "1 = 1"
char *query_scope(struct crm *c, const struct type *t, const char *alias, bool write);

/* Run the query and print every matching record. CRM_NOTFOUND when none
 * matched (the caller decides whether that is an error). */
int query_list(struct crm *c, const struct type *t, const struct query *q);

/* Call fn for the id of every matching record (ids collected first, so fn
 * may write). */
int query_ids(struct crm *c, const struct type *t, const struct query *q,
	      int (*fn)(struct crm *c, long long id, void *arg), void *arg);

/* Check a user expression and turn it into SQL over the alias "r" (a row
 * of type t, money in major units), with has_tag()/has_event()/
 * event_count() expanded. CRM_PERM for anything that is not a read-only
 * expression, CRM_USAGE for a syntax error. *out is newly allocated. */
int query_expr(struct crm *c, const struct type *t, const char *expr, char **out);
/* The same for evaluating on one or a few records at a time (a rule's
 * condition, rescoring the leads events touched): helpers look up that
 * record instead of gathering the answer for every record first. */
int query_expr_one(struct crm *c, const struct type *t, const char *expr, char **out);

/* "(SELECT ... FROM <table>) AS r": the record as --where sees it (money in
 * major units, the stored minor units as _minor_<name>). Newly allocated. */
char *query_source(const struct type *t);

/* Prepare sql (one statement) under the read-only authorizer. */
int query_prepare_readonly(struct crm *c, const char *sql, struct db_stmt **st);

/* Run a user's read-only SQL (crm sql) and print its rows as records
 * (NULL columns omitted). CRM_NOTFOUND when there are no rows. */
int query_sql_print(struct crm *c, const char *sql);

/* crm sql: run the user's sql with each record type's table seen as crm
 * shows its records: a TEMP VIEW per type named like its table (SQLite
 * resolves an unqualified name in the temp schema before main), with money
 * in major units and removed records left out (removed: kept, with their
 * deleted_at). raw: no views, the tables as stored. main.TABLE is always
 * the stored table. Money literals (50万, ¥1200) are major units. The views
 * are dropped again before it returns. */
int query_sql_run(struct crm *c, const char *sql, bool raw, bool removed);

/* Fill q from the common list options of a parsed command line: CRM_USAGE
 * for a bad --limit, CRM_PERM for a --where subquery of one crm sql is
 * not for (it would read around visibility). */
struct args;
int query_from_args(struct crm *c, const struct args *a, struct query *q);

/* CRM_OK, or CRM_PERM (said) when a --where of the acting user's holds a
 * subquery and crm sql is not for them: it would read around visibility. */
int query_where_allowed(struct crm *c, const char *where);

#endif
