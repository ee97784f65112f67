/* dialect.c: the SQL that differs between SQLite and PostgreSQL (see
 * dialect.h). */
#include <stdlib.h>
#include <string.h>

#include "core/backend.h"
#include "core/dialect.h"

bool dialect_server(const struct crm *c)
{
	return c->conn && !strcmp(c->conn->ops->name, "postgresql");
}

char *dialect_instant(const struct crm *c, const char *expr)
{
	if (dialect_server(c))
		return xasprintf("CAST(%s AS timestamptz)", expr);
	return xasprintf("julianday(%s)", expr);
}

char *dialect_days_between(const struct crm *c, const char *a, const char *b)
{
	if (dialect_server(c))
		return xasprintf("(EXTRACT(EPOCH FROM CAST(%s AS timestamptz) - CAST(%s AS timestamptz)) / 86400.0)",
				 a, b);
	return xasprintf("(julianday(%s) - julianday(%s))", a, b);
}

char *dialect_days_between_days(const struct crm *c, const char *a, const char *b)
{
	if (dialect_server(c))
		return xasprintf("(CAST(%s AS date) - CAST(%s AS date))", a, b);
	return xasprintf("CAST(julianday(%s) - julianday(%s) AS INTEGER)", a, b);
}

char *dialect_day_plus(const struct crm *c, const char *day, long long n)
{
	if (dialect_server(c))
		return xasprintf("to_char(CAST(%s AS date) + %lld, 'YYYY-MM-DD')", day, n);
	return xasprintf("date(%s, '%+lld days')", day, n);
}

char *dialect_integer(const struct crm *c, const char *expr)
{
	if (dialect_server(c))
		return xasprintf("CAST(trunc(%s) AS bigint)", expr);
	return xasprintf("CAST(%s AS INTEGER)", expr);
}

char *dialect_joined(const struct crm *c, const char *expr, const char *sep, const char *from,
		     const char *order)
{
	if (dialect_server(c))
		return xasprintf("(SELECT string_agg(CAST(%s AS text), %s ORDER BY %s) FROM %s)", expr, sep, order,
				 from);
	return xasprintf("(SELECT group_concat(j.v, %s) FROM (SELECT %s AS v FROM %s ORDER BY %s) AS j)", sep, expr,
			 from, order);
}

char *dialect_month(const struct crm *c, const char *expr, bool instant)
{
	if (!instant)
		return xasprintf("substr(%s, 1, 7)", expr);
	if (dialect_server(c))
		return xasprintf("to_char(CAST(%s AS timestamptz), 'YYYY-MM')", expr);
	return xasprintf("strftime('%%Y-%%m', %s, 'localtime')", expr);
}

char *dialect_week(const struct crm *c, const char *expr, bool instant)
{
	if (dialect_server(c))
		return instant ? xasprintf("to_char(date_trunc('week', CAST(%s AS timestamptz)), 'YYYY-MM-DD')", expr)
			       : xasprintf("to_char(date_trunc('week', CAST(substr(%s, 1, 10) AS date)), 'YYYY-MM-DD')",
					   expr);
	if (instant)
		return xasprintf("date(%s, 'localtime', 'weekday 0', '-6 days')", expr);
	return xasprintf("date(substr(%s, 1, 10), 'weekday 0', '-6 days')", expr);
}

const char *dialect_index(const struct crm *c, const char *hint)
{
	return dialect_server(c) ? "" : hint;
}

bool dialect_triggers(const struct crm *c)
{
	return !dialect_server(c);
}

bool dialect_cascades(const struct crm *c)
{
	return !dialect_server(c);
}

char *dialect_json_values(const struct crm *c, const char *expr)
{
	/* crm stores a list (tags) as JSON text; an empty one may be '' */
	if (dialect_server(c))
		return xasprintf("json_array_elements_text(CAST(nullif(%s, '') AS json)) AS je(value)", expr);
	return xasprintf("json_each(%s)", expr);
}

char *dialect_truth(const struct crm *c, char *expr)
{
	/* SQLite's condition is any value, true when a nonzero number
	 * (--where 1); PostgreSQL's a boolean (a cast of one is none) */
	if (!dialect_server(c))
		return expr;
	char *t = xasprintf("CAST((%s\n) AS boolean)", expr);
	free(expr);
	return t;
}

char *dialect_field_column(const struct crm *c, const char *table, const char *column, const char *type)
{
	if (dialect_server(c)) {
		const char *pg = !type ? "text" : !strcmp(type, "INTEGER") ? "bigint"
				: !strcmp(type, "NUMERIC") ? "numeric" : "text";
		return xasprintf("SELECT crm_field_column('%s', '%s', '%s', %s)", table, column, pg,
				 type ? "true" : "false");
	}
	if (type)
		return xasprintf("ALTER TABLE \"%s\" ADD COLUMN \"%s\" %s", table, column, type);
	return xasprintf("ALTER TABLE \"%s\" DROP COLUMN \"%s\"", table, column);
}

const char *dialect_user_login(const struct crm *c)
{
	return dialect_server(c) ? "SELECT crm_user_role(?)" : NULL;
}

char *dialect_json_items(const struct crm *c, const char *expr, const char *alias)
{
	if (dialect_server(c))
		return xasprintf("json_array_elements_text(CAST(nullif(%s, '') AS json)) WITH ORDINALITY AS %s(value, key)",
				 expr, alias);
	return xasprintf("json_each(%s) AS %s", expr, alias);
}

const char *dialect_order(const struct crm *c, bool desc)
{
	/* PostgreSQL sorts NULL as larger than any value, SQLite as smaller */
	if (dialect_server(c))
		return desc ? " DESC NULLS LAST" : " NULLS FIRST";
	return desc ? " DESC" : "";
}

char *dialect_stored_table(const struct crm *c, const char *table)
{
	if (dialect_server(c))
		return xasprintf("\"%s\"", table);
	return xasprintf("main.\"%s\"", table);
}

char *dialect_position(const struct crm *c, const char *haystack, const char *needle)
{
	return xasprintf("%s(%s, %s)", dialect_server(c) ? "strpos" : "instr", haystack, needle);
}

const char *dialect_temp_schema(const struct crm *c)
{
	return dialect_server(c) ? "pg_temp" : "temp";
}

const char *dialect_columns_sql(const struct crm *c)
{
	if (dialect_server(c))
		/* the catalog itself: information_schema's views cost a
		 * planning of many joins each time they are read */
		return "SELECT attname::text FROM pg_attribute WHERE attrelid = to_regclass(quote_ident(current_schema()) || '.' || quote_ident(CAST(? AS text))) "
		       "AND attnum > 0 AND NOT attisdropped ORDER BY attnum";
	return "SELECT name FROM pragma_table_info(?, 'main') ORDER BY cid";
}

const char *dialect_default_sql(const struct crm *c)
{
	if (dialect_server(c))
		return "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef AS d JOIN pg_attribute AS a "
		       "ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
		       "WHERE d.adrelid = to_regclass(quote_ident(current_schema()) || '.' || quote_ident(CAST(? AS text))) AND a.attname = CAST(? AS text)";
	return "SELECT dflt_value FROM pragma_table_info(?) WHERE name = ?";
}

char *dialect_next_id(const struct crm *c, const char *table)
{
	/* the sequence's last value read as every group may (pg_sequences:
	 * NULL before its first nextval after a setval, as migrate leaves
	 * it: then the ids the role sees) */
	if (dialect_server(c))
		return xasprintf("SELECT greatest((SELECT coalesce(max(id), 0) + 1 FROM \"%s\"), "
				 "coalesce((SELECT s.last_value + 1 FROM pg_sequences AS s WHERE quote_ident(s.schemaname) "
				 "|| '.' || quote_ident(s.sequencename) = pg_get_serial_sequence('\"%s\"', 'id')), 1))",
				 table, table);
	return xasprintf("SELECT coalesce(max(id), 0) + 1 FROM \"%s\"", table);
}

const char *dialect_returning_id(const struct crm *c)
{
	return dialect_server(c) ? " RETURNING id" : "";
}
