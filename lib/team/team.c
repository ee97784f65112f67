/* team.c: the team module, and users, roles and teams as the layers above
 * ask about them. */
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/db.h"
#include "team/pool.h"
#include "team/scope.h"
#include "team/state.h"
#include "team/team.h"
#include "team/user.h"

const char *const team_pool_events[] = { "pool.claimed", "pool.released", "pool.reclaimed", NULL };

bool team_active(struct crm *c)
{
	return c->conn && team_actor(c)->active;
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
	/* team NULL: any (cast: a server types the parameter from it) */
	struct db_stmt *st = db_stmt(c, "SELECT name FROM \"user\" WHERE role = ? AND status = 'active' "
				      "AND deleted_at IS NULL AND (CAST(?2 AS text) IS NULL OR team = ?2) ORDER BY name");
	if (!st)
		return names;
	db_bind_text(st, 1, role, -1, DB_TRANSIENT);
	db_bind_text(st, 2, team, -1, DB_TRANSIENT);
	while (db_step(st) == DB_ROW) {
		names = xrealloc(names, (n + 2) * sizeof(char *));
		names[n++] = xstrdup((const char *)db_column_text(st, 0));
		names[n] = NULL;
	}
	db_reset(st);
	return names;
}

void team_names_free(char **names)
{
	for (int i = 0; names && names[i]; i++)
		free(names[i]);
	free(names);
}

static const struct type *const team_types[] = { &team_user_type, NULL };

static const struct config_key team_config[] = {
	{ "pool.claim_limit", "0", "records a user may claim from the pool a day (0: no limit)",
	  config_is_count, "a whole number (0: no limit)" },
	{ "pool.hold_limit", "0", "leads plus accounts a user may own when claiming; closed customers "
				  "do not count (0: no limit)",
	  config_is_count, "a whole number (0: no limit)" },
	{ "pool.protect_days", "0", "days after losing a record in which its previous owner may not claim "
				    "it back (0: none)",
	  config_is_count, "a whole number of days" },
	{ "pool.reclaim_days", NULL, "the tick returns an owned lead or account with no activity for this "
				     "many days to the pool (unset or 0: never)",
	  config_is_count, "a whole number of days" },
	{ "pool.reclaim_no_deal_days", NULL, "the tick returns an account with no open or won deal this many "
					     "days after its owner got it (unset or 0: never)",
	  config_is_count, "a whole number of days" },
	{ "pool.remind_days", NULL, "the owner gets a task this many days before a reclaim (unset or 0: none)",
	  config_is_count, "a whole number of days" },
	{ NULL, NULL, NULL },
};

static int team_tick(struct crm *c, bool all, bool dry)
{
	return pool_tick(c, all, dry);
}

const struct module team_module = {
	.name = "team",
	.types = team_types,
	.subscribers = user_subscribers,
	.tick = team_tick,
	.config_keys = team_config,
	.scope = team_scope,
	.mask = team_mask,
	.permit = team_permit,
};
