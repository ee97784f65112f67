/* state.c: the acting user, read once per command. See state.h. */
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "core/db.h"
#include "team/state.h"

static const char actor_slot = 0;

static void actor_free(void *p)
{
	struct actor *a = p;
	free(a->user);
	free(a->role);
	free(a->team);
	free(a->manager);
	free(a->user_sql);
	free(a->today_sql);
	free(a->owners_sql);
	for (int i = 0; a->owners && a->owners[i]; i++)
		free(a->owners[i]);
	free(a->owners);
	free(a);
}

char *sql_quote(const char *s)
{
	struct sbuf b = { 0 };
	sbuf_add_quoted(&b, s, '\'');
	return sbuf_detach(&b);
}

static void owner_add(struct actor *a, int *n, const char *name)
{
	for (int i = 0; i < *n; i++)
		if (!strcmp(a->owners[i], name))
			return;
	a->owners = xrealloc(a->owners, (*n + 2) * sizeof(char *));
	a->owners[(*n)++] = xstrdup(name);
	a->owners[*n] = NULL;
}

char *team_members_sql(const char *who)
{
	return xasprintf("SELECT name FROM \"user\" WHERE deleted_at IS NULL AND (manager = %1$s OR (team IS NOT NULL "
			 "AND team IN (SELECT team FROM \"user\" WHERE deleted_at IS NULL AND team IS NOT NULL AND "
			 "(name = %1$s OR manager = %1$s)))) ORDER BY name", who);
}

static void load(struct crm *c, struct actor *a)
{
	a->active = db_get_int(c, "SELECT EXISTS (SELECT 1 FROM \"user\" WHERE deleted_at IS NULL)", NULL, 0) != 0;
	c->errmsg[0] = 0;   /* a file older than the users: single-user */
	if (!a->active)
		return;
	struct db_stmt *st = db_stmt(c, "SELECT role, team, manager, status FROM \"user\" "
				      "WHERE name = ? AND deleted_at IS NULL");
	if (!st)
		return;
	db_bind_text(st, 1, a->user, -1, DB_TRANSIENT);
	if (db_step(st) == DB_ROW) {
		const char *status = (const char *)db_column_text(st, 3);
		a->known = status && !strcmp(status, "active");
		a->left = status && !strcmp(status, "left");
		a->role = xstrdup((const char *)db_column_text(st, 0));
		if (db_column_type(st, 1) != DB_NULL)
			a->team = xstrdup((const char *)db_column_text(st, 1));
		if (db_column_type(st, 2) != DB_NULL)
			a->manager = xstrdup((const char *)db_column_text(st, 2));
	}
	db_reset(st);
	if (!a->known) {
		free(a->role);
		a->role = NULL;
		return;
	}
	int n = 0;
	owner_add(a, &n, a->user);
	char *team_sql = strcmp(a->role, "manager") ? NULL : team_members_sql("?1");
	if (team_sql && (st = db_stmt(c, team_sql)) != NULL) {
		db_bind_text(st, 1, a->user, -1, DB_TRANSIENT);
		while (db_step(st) == DB_ROW)
			owner_add(a, &n, (const char *)db_column_text(st, 0));
		db_reset(st);
	}
	free(team_sql);
	struct sbuf b = { 0 };
	for (int i = 0; i < n; i++) {
		char *q = sql_quote(a->owners[i]);
		sbuf_add(&b, i ? ", " : "");
		sbuf_add(&b, q);
		free(q);
	}
	a->owners_sql = sbuf_detach(&b);
	st = db_stmt(c, "SELECT EXISTS (SELECT 1 FROM share WHERE shared_with = ?1 AND (until IS NULL OR until >= ?2))");
	if (st) {
		db_bind_text(st, 1, a->user, -1, DB_TRANSIENT);
		db_bind_text(st, 2, a->today, -1, DB_TRANSIENT);
		a->shares = db_step(st) == DB_ROW && db_column_int(st, 0);
		db_reset(st);
	}
	c->errmsg[0] = 0;
}

/* Set while a command that began single-user (its user acting as admin)
 * has added the first users: it stays the admin's to its end (a pipe of
 * users to add, the admin first). */
static const char founder_slot = 0;

const struct actor *team_actor(struct crm *c)
{
	struct actor *a = crm_slot_get(c, &actor_slot);
	const char *user = c->user ? c->user : "";
	if (a && !strcmp(a->user, user))
		return a;
	a = xcalloc(1, sizeof(*a));
	a->user = xstrdup(user);
	a->user_sql = sql_quote(user);
	date_format_day(date_now(), a->today);
	a->today_sql = sql_quote(a->today);
	if (c->conn)
		load(c, a);
	if (a->active && !a->known && crm_slot_get(c, &founder_slot)) {
		a->known = true;
		free(a->role);
		a->role = xstrdup("admin");
	}
	crm_slot_set(c, &actor_slot, a, actor_free);
	return a;
}

void team_forget(struct crm *c)
{
	const struct actor *a = crm_slot_get(c, &actor_slot);
	if (a && (!a->active || crm_slot_get(c, &founder_slot)))
		crm_slot_set(c, &founder_slot, (void *)&founder_slot, NULL);
	crm_slot_drop(c, &actor_slot);
}

bool actor_is(const struct actor *a, const char *role)
{
	return a->known && a->role && !strcmp(a->role, role);
}

bool actor_owns(const struct actor *a, const char *name)
{
	for (int i = 0; name && a->owners && a->owners[i]; i++)
		if (!strcmp(a->owners[i], name))
			return true;
	return false;
}

bool type_pooled(const struct type *t)
{
	for (const char *const *e = t->events; e && *e; e++)
		if (!strcmp(*e, "pool.claimed"))
			return true;
	return false;
}

long long user_id(struct crm *c, const char *name, char **status)
{
	if (status)
		*status = NULL;
	struct db_stmt *st = db_stmt(c, "SELECT id, status FROM \"user\" WHERE name = ? AND deleted_at IS NULL");
	if (!st)
		return 0;
	db_bind_text(st, 1, name, -1, DB_TRANSIENT);
	long long id = 0;
	if (db_step(st) == DB_ROW) {
		id = db_column_int64(st, 0);
		if (status)
			*status = xstrdup((const char *)db_column_text(st, 1));
	}
	db_reset(st);
	return id;
}
