/* backend.c: what both backends share: the statement cache, closing,
 * codes to exit statuses (see backend.h). */
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "core/backend.h"

struct db_cache {
	char *sql;
	struct db_stmt *st;
	struct db_cache *next;
};

int db_conn_prepare(struct db_conn *conn, const char *sql, int n, struct db_stmt **st, const char **tail)
{
	return conn->ops->prepare(conn, sql, n, st, tail, false);
}

struct db_stmt *db_conn_cached(struct db_conn *conn, const char *sql)
{
	for (struct db_cache **pe = &conn->cache; *pe; pe = &(*pe)->next) {
		struct db_cache *e = *pe;
		if (e->sql == sql || !strcmp(e->sql, sql)) {
			db_reset(e->st);
			db_clear_bindings(e->st);
			/* to the front: a bulk write asks for the same few
			 * statements for every row */
			*pe = e->next;
			e->next = conn->cache;
			conn->cache = e;
			return e->st;
		}
	}
	struct db_stmt *st = NULL;
	if (conn->ops->prepare(conn, sql, -1, &st, NULL, true) != DB_OK) {
		db_finalize(st);
		return NULL;
	}
	struct db_cache *e = xmalloc(sizeof(*e));
	e->sql = xstrdup(sql);
	e->st = st;
	e->next = conn->cache;
	conn->cache = e;
	return st;
}

void db_conn_cache_clear(struct db_conn *conn)
{
	while (conn->cache) {
		struct db_cache *e = conn->cache;
		conn->cache = e->next;
		db_finalize(e->st);
		free(e->sql);
		free(e);
	}
}

void db_conn_close(struct db_conn *conn)
{
	if (!conn)
		return;
	conn->closing = true;
	db_conn_cache_clear(conn);
	conn->ops->close(conn);
}
