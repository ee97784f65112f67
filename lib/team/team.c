/* team.c: users, roles and teams as the layers above ask about them. */
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/db.h"
#include "team/team.h"

bool team_active(struct crm *c)
{
	return c->db && db_get_int(c, "SELECT EXISTS (SELECT 1 FROM \"user\" WHERE deleted_at IS NULL)",
				    NULL, 0) != 0;
}

char *team_role(struct crm *c, const char *name)
{
	if (!name)
		return NULL;
	return db_get_text(c, "SELECT role FROM \"user\" WHERE name = ? AND status = 'active' "
			   "AND deleted_at IS NULL", name);
}

bool team_holds(struct crm *c, const char *name, const char *step)
{
	if (!name || !step)
		return false;
	if (!strcmp(name, step) || !team_active(c))
		return true;
	char *role = team_role(c, name);
	bool holds = role && (!strcmp(role, step) || !strcmp(role, "admin"));
	free(role);
	return holds;
}

char *team_manager_of(struct crm *c, const char *name)
{
	if (!name)
		return NULL;
	return db_get_text(c, "SELECT manager FROM \"user\" WHERE name = ? AND deleted_at IS NULL", name);
}

char **team_users_with_role(struct crm *c, const char *role, const char *team)
{
	char **names = xcalloc(1, sizeof(char *));
	int n = 0;
	sqlite3_stmt *st = db_stmt(c, "SELECT name FROM \"user\" WHERE role = ? AND status = 'active' "
				      "AND deleted_at IS NULL AND (?2 IS NULL OR team = ?2) ORDER BY name");
	if (!st)
		return names;
	sqlite3_bind_text(st, 1, role, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, team, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW) {
		names = xrealloc(names, (n + 2) * sizeof(char *));
		names[n++] = xstrdup((const char *)sqlite3_column_text(st, 0));
		names[n] = NULL;
	}
	sqlite3_reset(st);
	return names;
}

void team_names_free(char **names)
{
	for (int i = 0; names && names[i]; i++)
		free(names[i]);
	free(names);
}

/* The pool's limits (spec 8.1): unset or 0 means none. */
static const struct config_key team_config_keys[] = {
	{ "pool.claim_limit", "0", "claims from the pool a user may make a day, 0 for no limit" },
	{ "pool.hold_limit", "0", "leads plus accounts a rep may own, 0 for no limit" },
	{ "pool.protect_days", "0", "days before a previous owner may claim a record back" },
	{ "pool.reclaim_days", "0", "days without activity after which an owned lead or account goes back to the pool, 0 for never" },
	{ "pool.reclaim_no_deal_days", "0", "days after which an account without an open or won deal goes "
	  "back to the pool, 0 for never" },
	{ "pool.remind_days", "0", "days before a reclaim that its owner gets a task, 0 for none" },
	{ NULL, NULL, NULL },
};

const struct module team_module = {
	.name = "team",
	.config_keys = team_config_keys,
};
