/* pg.c: the libpq connection, errors and quoting (see pg.h). */
#include <stdlib.h>
#include <string.h>

#include "server/pg.h"

/* The server's name for messages: the database and where, never the
 * password a URL may hold. */
static char *server_name(PGconn *conn, const char *url)
{
	if (conn && PQdb(conn) && *PQdb(conn)) {
		const char *host = PQhost(conn);
		return xasprintf("database %s on %s", PQdb(conn), host && *host ? host : "the local socket");
	}
	const char *at = strrchr(url, '@');
	return xasprintf("the server %s", at ? at + 1 : url + strcspn(url, ":") + 3);
}

int pg_connect(struct crm *c, const char *url, PGconn **conn)
{
	/* the URL as libpq reads it, and "crm" in pg_stat_activity unless it names another */
	const char *const keys[] = { "dbname", "fallback_application_name", NULL };
	const char *const values[] = { url, "crm", NULL };
	char err[256];
	*conn = NULL;
	if (pq_load(err, sizeof(err)))
		return crm_error(c, CRM_DBERR, "%s", err);
	*conn = PQconnectdbParams(keys, values, 1);
	if (!*conn)
		return crm_error(c, CRM_DBERR, "cannot connect: out of memory");
	if (PQstatus(*conn) == CONNECTION_OK) {
		PQsetClientEncoding(*conn, "UTF8");
		return pg_exec(c, *conn, "SET client_min_messages = warning", "connect");
	}
	char *name = server_name(*conn, url);
	const char *msg = PQerrorMessage(*conn);
	size_t len = strlen(msg);
	while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		len--;
	/* authentication refused is a permission, not an unavailable server */
	int code = strstr(msg, "authentication failed") || strstr(msg, "password") || strstr(msg, "no pg_hba.conf")
		   ? CRM_PERM : CRM_DBERR;
	crm_error(c, code, "cannot connect to %s: %.*s", name, (int)len, msg);
	free(name);
	PQfinish(*conn);
	*conn = NULL;
	return code;
}

void pg_close(PGconn *conn)
{
	if (conn)
		PQfinish(conn);
}

/* SQLSTATE classes to our exit codes (CLI.md section 5). */
static int status_of(const char *state)
{
	if (!state || strlen(state) != 5)
		return CRM_DBERR;
	if (!strcmp(state, "42501") || !strncmp(state, "28", 2))
		return CRM_PERM;       /* insufficient privilege, row-level security, authentication */
	if (!strncmp(state, "23", 2) || !strcmp(state, "40001") || !strcmp(state, "40P01")
	    || !strcmp(state, "42710") || !strcmp(state, "42P07"))
		return CRM_CONFLICT;   /* constraint, serialization, deadlock, exists already */
	if (!strncmp(state, "22", 2))
		return CRM_BADINPUT;   /* data exception: a value the column cannot hold */
	return CRM_DBERR;
}

int pg_error(struct crm *c, PGconn *conn, const PGresult *res, const char *what)
{
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (!msg)
		msg = conn ? PQerrorMessage(conn) : "no connection";
	size_t len = strlen(msg);
	while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		len--;
	int code = state ? status_of(state) : CRM_DBERR;
	return crm_error(c, code, "%s: %.*s", what, (int)len, msg);
}

int pg_query(struct crm *c, PGconn *conn, const char *sql, int n, const char *const *params,
	     PGresult **res, const char *what)
{
	PGresult *r = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		int rc = pg_error(c, conn, r, what);
		PQclear(r);
		if (res)
			*res = NULL;
		return rc;
	}
	if (res)
		*res = r;
	else
		PQclear(r);
	return CRM_OK;
}

int pg_exec(struct crm *c, PGconn *conn, const char *sql, const char *what)
{
	/* PQexec: several statements in one string (the schema's DDL) */
	PGresult *r = PQexec(conn, sql);
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? CRM_OK : pg_error(c, conn, r, what);
	PQclear(r);
	return rc;
}

char *pg_get_text(struct crm *c, PGconn *conn, const char *sql, const char *param, int *rc)
{
	PGresult *r;
	const char *params[1] = { param };
	*rc = pg_query(c, conn, sql, param ? 1 : 0, params, &r, "query");
	if (*rc)
		return NULL;
	char *v = PQntuples(r) && !PQgetisnull(r, 0, 0) ? xstrdup(PQgetvalue(r, 0, 0)) : NULL;
	PQclear(r);
	return v;
}

char *pg_ident(PGconn *conn, const char *name)
{
	char *q = PQescapeIdentifier(conn, name, strlen(name));
	if (!q)
		abort();   /* out of memory, as xmalloc */
	char *s = xstrdup(q);
	PQfreemem(q);
	return s;
}

char *pg_literal(PGconn *conn, const char *s)
{
	char *q = PQescapeLiteral(conn, s, strlen(s));
	if (!q)
		abort();
	char *r = xstrdup(q);
	PQfreemem(q);
	return r;
}
