/* dialect.h: the SQL that differs between SQLite and PostgreSQL, said
 * once. Code that builds a statement asks here for the piece that
 * differs (a time as an instant, the values of a JSON array, the
 * columns of a table) instead of naming a backend; the rest of crm's
 * SQL is the same on both. Every result is newly allocated unless it
 * says otherwise. */
#ifndef CRM_CORE_DIALECT_H
#define CRM_CORE_DIALECT_H

#include <stdbool.h>
#include "core/crm.h"

/* Whether c's open connection is a server's (PostgreSQL). */
bool dialect_server(const struct crm *c);

/* expr (a time as crm writes it, 2026-03-01T09:30:00+08:00) as what
 * compares and orders by the instant: julianday(expr), (expr)::timestamptz. */
char *dialect_instant(const struct crm *c, const char *expr);

/* The days from instant b to instant a (times as crm writes them), a
 * real number: julianday(a) - julianday(b), the epoch seconds of the
 * timestamptz difference / 86400. */
char *dialect_days_between(const struct crm *c, const char *a, const char *b);

/* The whole days from day b to day a (days as text, 2026-03-01), an
 * integer: CAST(julianday(a) - julianday(b) AS INTEGER), the difference
 * of the two as dates. */
char *dialect_days_between_days(const struct crm *c, const char *a, const char *b);

/* The day n days after day (a day as text, 2026-03-01; n may be
 * negative), as text: date(day, '+n days'), the date plus n. */
char *dialect_day_plus(const struct crm *c, const char *day, long long n);

/* A real number cut to an integer toward zero, as SQLite's CAST(expr AS
 * INTEGER) does (PostgreSQL's cast rounds): CAST(trunc(expr) AS bigint). */
char *dialect_integer(const struct crm *c, const char *expr);

/* A scalar subquery: the values of expr over the rows of from (a FROM
 * list with its WHERE) in the order of order, joined by sep (a SQL
 * string literal), NULL when there are none: group_concat over an
 * ordered subquery, string_agg(... ORDER BY order). */
char *dialect_joined(const struct crm *c, const char *expr, const char *sep, const char *from,
		     const char *order);

/* Whether the schema's triggers keep the derived data (a deal's reach,
 * the stays in stage_history and stage_stats): a file's do; a server has
 * none of those, and crm writes them itself (its one trigger of the
 * kind keeps a pooled record's owned_at, pooled_at and previous_owner:
 * team/pool.c). */
bool dialect_triggers(const struct crm *c);

/* Whether the schema's foreign keys act as a record is deleted (ON
 * DELETE CASCADE and SET NULL on the tables that are no record type: a
 * lead's score, a deal's stage history): a file's do; a server has no
 * foreign keys, and crm deletes and empties what they would. */
bool dialect_cascades(const struct crm *c);

/* The period an instant or a day (text) falls in, as text: its month
 * (2026-03) or the Monday its week starts (2026-03-02); an instant's in
 * local time (strftime/date(..., 'localtime'); a server's session time
 * zone, which crm sets to TZ). */
char *dialect_month(const struct crm *c, const char *expr, bool instant);
char *dialect_week(const struct crm *c, const char *expr, bool instant);

/* hint, one of SQLite's planner hints (" INDEXED BY i", " NOT INDEXED",
 * " CROSS" before JOIN to fix the order of a join), as it is; "" on a
 * server, which has none (static: hint itself). */
const char *dialect_index(const struct crm *c, const char *hint);

/* A condition as the backend takes it: expr itself (SQLite's truth is
 * any nonzero number) or cast to boolean. Takes expr, returns the
 * caller's. */
char *dialect_truth(const struct crm *c, char *expr);

/* The statement that adds a custom field's column of SQLite's type
 * (INTEGER, NUMERIC, TEXT) to table, or with type NULL drops it: ALTER
 * TABLE on a file; on a server the owner's crm_field_column() (crm
 * server init makes it), as ALTER is the owner's. table and column are
 * names crm checked (letters, digits, _). */
char *dialect_field_column(const struct crm *c, const char *table, const char *column, const char *type);

/* The statement, of one parameter (a user's name), that makes the
 * user's login role what their row in the user table says, as a user
 * is added, changes role, leaves, is removed or restored: on a server
 * the owner's crm_user_role() (crm server init makes it), as CREATE
 * ROLE and GRANT are the server maker's; NULL on a file, where a user
 * is a row alone (static). */
const char *dialect_user_login(const struct crm *c);

/* A FROM item over the elements of the JSON array in expr (text), each
 * as the column "value": json_each(expr), json_array_elements_text(...). */
char *dialect_json_values(const struct crm *c, const char *expr);
/* The same, named alias, with the columns value and key (the element's
 * place, in order): json_each(expr) AS alias, or ... WITH ORDINALITY. */
char *dialect_json_items(const struct crm *c, const char *expr, const char *alias);

/* The direction of an ORDER BY term, NULL first as SQLite has it
 * (static): "", " DESC"; " NULLS FIRST", " DESC NULLS LAST". */
const char *dialect_order(const struct crm *c, bool desc);

/* A table as stored, past a TEMP view of the same name (crm sql's
 * views): main."t" on SQLite; "t" on a server, where the name is bound
 * when the view is made, before the view exists. */
char *dialect_stored_table(const struct crm *c, const char *table);

/* Where text needle first occurs in haystack, from 1 (0: nowhere):
 * instr(haystack, needle), strpos(haystack, needle). */
char *dialect_position(const struct crm *c, const char *haystack, const char *needle);

/* The schema of this connection's TEMP objects: temp, pg_temp (static). */
const char *dialect_temp_schema(const struct crm *c);

/* A statement whose one parameter is a table's name and whose rows are
 * its column names, in their order (static). */
const char *dialect_columns_sql(const struct crm *c);

/* A statement whose parameters are a table's and a column's names and
 * whose one row is the column's default as an SQL expression, NULL when
 * it has none: pragma_table_info's dflt_value; the server's catalog
 * (static). */
const char *dialect_default_sql(const struct crm *c);

/* A statement whose one row is the id the next record of table gets:
 * max(id) + 1 on a file; on a server, past what row-level security lets
 * the role read, from the id's sequence once it has given one. */
char *dialect_next_id(const struct crm *c, const char *table);

/* What an INSERT ends with so that its step returns the id it made as a
 * row (static): "" on a file (db_last_insert_id is free there), "
 * RETURNING id" on a server (lastval() is a round trip of its own). */
const char *dialect_returning_id(const struct crm *c);

#endif
