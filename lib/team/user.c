/* user.c: the user record type, and teams. See user.h. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/dialect.h"
#include "core/event.h"
#include "core/query.h"
#include "core/record.h"
#include "io/out.h"
#include "team/state.h"
#include "team/user.h"

static const struct field user_fields[] = {
	FIELD_ID,
	{ "name", FK_TEXT, FF_REQUIRED | FF_SEARCH | FF_LIST, NULL, NULL, "用户名", NULL },
	{ "label", FK_TEXT, FF_SEARCH | FF_LIST, NULL, NULL, "显示名", NULL },
	{ "role", FK_ENUM, FF_REQUIRED | FF_LIST, "admin,manager,rep,finance,service,legal", NULL, "角色", NULL },
	{ "team", FK_TEXT, FF_LIST, NULL, NULL, "团队", NULL },
	{ "manager", FK_TEXT, FF_LIST, NULL, NULL, "上级", NULL },
	{ "status", FK_ENUM, FF_SYSTEM | FF_LIST, "active,left", NULL, "状态", "active" },
	{ "email", FK_EMAIL, FF_SEARCH, NULL, NULL, "邮箱", NULL },
	{ "phone", FK_PHONE, FF_SEARCH, NULL, NULL, "电话", NULL },
	{ "left_at", FK_TIME, FF_SYSTEM, NULL, NULL, "离职时间", NULL },
	FIELD_TAGS, FIELD_NOTE, FIELD_STAMPS,
};

static const char *given(const cJSON *fields, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(fields, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A name others can write after --as, owner= and in team lists. */
bool user_name_ok(const char *s)
{
	if (!s || !*s)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (isspace(*p) || *p == ',' || *p == ':' || *p == '\'' || *p == '"' || *p < 0x20)
			return false;
	return !strstr(s, "，");
}

static int user_check(struct crm *c, const struct type *t, const cJSON *fields, bool inserting, unsigned flags)
{
	(void)t;
	(void)flags;
	const struct actor *a = team_actor(c);
	if (!c->system && a->active && !actor_is(a, "admin"))
		return crm_error(c, CRM_PERM, "users are the admin's to change (%s is a %s)", a->user,
				 a->role ? a->role : "not a user");
	const char *name = given(fields, "name"), *role = given(fields, "role");
	const char *manager = given(fields, "manager");
	if (!inserting && cJSON_GetObjectItemCaseSensitive(fields, "name"))
		return crm_error(c, CRM_BADINPUT, "name: a user's name cannot change (records name them: add a "
				 "new user and hand over with crm user leave)");
	if (inserting) {
		if (!user_name_ok(name))
			return crm_error(c, CRM_BADINPUT, "name: '%s' is not a user name (no spaces, commas, colons "
					 "or quotes)", name ? name : "");
		long long other = user_id(c, name, NULL);
		if (other)
			return crm_error(c, CRM_CONFLICT, "there is a user %s already (user:%lld)", name, other);
		if (!a->active && role && strcmp(role, "admin"))
			return crm_error(c, CRM_USAGE, "the first user must be an admin (--role admin): once users "
					 "exist, settings and users are the admin's");
	}
	if (manager && *manager) {
		char *status = NULL;
		long long mid = user_id(c, manager, &status);
		bool ok = mid && status && !strcmp(status, "active");
		free(status);
		if (!ok)
			return crm_error(c, CRM_BADINPUT, "manager: no active user '%s'", manager);
		if (name && !strcmp(name, manager))
			return crm_error(c, CRM_BADINPUT, "manager: %s cannot be their own manager", name);
	}
	return CRM_OK;
}

/* Someone must stay admin: the last one may not become something else
 * or leave. */
static int admins_left(struct crm *c)
{
	if (db_get_int(c, "SELECT count(*) FROM \"user\" WHERE role = 'admin' AND status = 'active' "
			  "AND deleted_at IS NULL", NULL, 0) > 0)
		return CRM_OK;
	return crm_error(c, CRM_CONFLICT, "that leaves no admin: make another user an admin first");
}

static int user_inserted(struct crm *c, const struct type *t, long long id, const cJSON *after, unsigned flags)
{
	team_forget(c);
	return CRM_OK;
}

static int user_updated(struct crm *c, const struct type *t, long long id, const cJSON *before,
			const cJSON *after, unsigned flags)
{
	team_forget(c);
	const char *me = given(after, "name");
	const char *mgr = given(after, "manager");
	if (me && mgr && !strcmp(me, mgr))
		return crm_error(c, CRM_BADINPUT, "manager: %s cannot be their own manager", me);
	return admins_left(c);
}

static const struct type_ops user_ops = {
	.check = user_check,
	.inserted = user_inserted,
	.updated = user_updated,
};

const struct type team_user_type = {
	"user", "users", 8, TYPE_FIELDS(user_fields), false, &user_ops, NULL, NULL, NULL,
};

/* ---- the login role on a server ---- */

/* Whether a change of user ch may change what their login role is to
 * be: made, restored, removed, or a new role or status. */
static bool login_changes(const struct change *ch)
{
	if (!ch->before || !ch->after)
		return true;
	static const char *const keys[] = { "role", "status", "name" };
	for (int i = 0; i < 3; i++) {
		const char *b = given(ch->before, keys[i]), *a = given(ch->after, keys[i]);
		if (!b != !a || (a && strcmp(a, b)))
			return true;
	}
	return false;
}

/* On a server a user is also a login role in their role's group: made
 * what the user's row now says, in the change's transaction (all of it
 * goes back with the change). */
static int login_follow(struct crm *c, const struct change *ch)
{
	const char *sql = dialect_user_login(c);
	const char *name = given(ch->after ? ch->after : ch->before, "name");
	if (!sql || !name || !login_changes(ch))
		return CRM_OK;
	struct db_stmt *st = db_stmt(c, sql);
	int rc = CRM_OK;
	if (st) {
		db_bind_text(st, 1, name, -1, DB_TRANSIENT);
		int src = db_step(st);
		db_reset(st);
		if (src != DB_ROW) {
			char *what = xasprintf("the login role of %s", name);
			rc = crm_dberror(c, src, what);
			free(what);
			/* a name the server keeps for its own roles (crm_rep, pg_...) */
			if ((src & 0xff) == DB_MISMATCH)
				c->errcode = rc = CRM_BADINPUT;
		}
	} else {
		rc = c->errcode;
	}
	/* a server made before crm kept login roles (its init made none) */
	if (rc && strstr(c->errmsg, "crm_user_role(") && strstr(c->errmsg, "does not exist")) {
		char msg[sizeof(c->errmsg)];
		snprintf(msg, sizeof(msg), "%s", c->errmsg);
		rc = crm_error(c, CRM_DBERR, "%s (the server was made by an older crm: crm server user add adds users "
			       "there)", msg);
	}
	return rc;
}

static bool login_wanted(struct crm *c, const char *event)
{
	return dialect_user_login(c) != NULL;
}

const struct subscriber user_subscribers[] = {
	{ "user.created", login_follow, 0, login_wanted },
	{ "user.updated", login_follow, 0, login_wanted },
	{ "user.removed", login_follow, 0, login_wanted },
	{ "user.restored", login_follow, 0, login_wanted },
	{ NULL, NULL, 0, NULL },
};

int user_find(struct crm *c, const char *word, long long *id)
{
	const char *num = word && !strncmp(word, "user:", 5) ? word + 5 : word;
	char *end = NULL;
	errno = 0;
	long long n = num && *num ? strtoll(num, &end, 10) : 0;
	if (n > 0 && end && !*end && !errno) {
		*id = n;
		return record_exists(c, type_find(c, "user"), n) ? CRM_OK
			: crm_error(c, CRM_NOTFOUND, "no user with id %lld", n);
	}
	*id = word ? user_id(c, word, NULL) : 0;
	return *id ? CRM_OK : crm_error(c, CRM_NOTFOUND, "no user named '%s' (crm user list)", word ? word : "");
}

int user_remove(struct crm *c, long long id, bool purge)
{
	const struct type *t = type_find(c, "user");
	cJSON *u = record_get(c, t, id, false);
	if (!u)
		return c->errcode;
	const char *name = given(u, "name");
	char *nm = xstrdup(name ? name : "");
	cJSON_Delete(u);
	int rc = CRM_OK;
	long long owned = 0;
	for (int i = 0; type_at(c, i); i++) {
		const struct type *o = type_at(c, i);
		if (o == t || !type_field(o, "owner"))
			continue;
		char *sql = xasprintf("SELECT count(*) FROM \"%s\" WHERE owner = ? AND deleted_at IS NULL", o->name);
		owned += db_get_int(c, sql, nm, 0);
		free(sql);
	}
	if (owned)
		rc = crm_error(c, CRM_CONFLICT, "%s owns %lld record%s: hand them over first (crm user leave %s --to "
			       "USER, or --to-pool)", nm, owned, owned == 1 ? "" : "s", nm);
	if (!rc)
		rc = record_remove(c, t, id, purge);
	if (!rc) {
		team_forget(c);
		rc = admins_left(c);
	}
	free(nm);
	return rc;
}

/* ---- teams ---- */

/* Who manages a team: those its members name as --manager, and the
 * managers whose own team it is. */
static const char managers_sql[] =
	"SELECT name FROM ("
	"  SELECT manager AS name FROM \"user\" WHERE team = ?1 AND manager IS NOT NULL AND deleted_at IS NULL "
	"  AND status = 'active' "
	"  UNION SELECT name FROM \"user\" WHERE team = ?1 AND role = 'manager' AND deleted_at IS NULL "
	"  AND status = 'active') AS m ORDER BY name";

static void team_line(struct crm *c, const char *team, long long members)
{
	/* the managers by name (UNION: each once) */
	cJSON *arr = cJSON_CreateArray();
	struct db_stmt *st = db_stmt(c, managers_sql);
	if (st) {
		db_bind_text(st, 1, team, -1, DB_TRANSIENT);
		while (db_step(st) == DB_ROW)
			cJSON_AddItemToArray(arr, cJSON_CreateString((const char *)db_column_text(st, 0)));
		db_reset(st);
	}
	out_begin(c->out);
	out_str(c->out, "type", "team");
	out_str(c->out, "name", team);
	out_int(c->out, "members", members);
	int n = cJSON_GetArraySize(arr);
	if (n)
		out_str(c->out, "manager", cJSON_GetArrayItem(arr, 0)->valuestring);
	if (n > 1)
		out_json(c->out, "managers", arr);
	out_end(c->out);
	cJSON_Delete(arr);
}

int team_list(struct crm *c)
{
	struct db_stmt *st;
	int rc = db_prepare(c, "SELECT team, count(*) FROM \"user\" WHERE team IS NOT NULL "
				    "AND deleted_at IS NULL AND status = 'active' GROUP BY team ORDER BY team", -1, &st, NULL);
	if (rc != DB_OK)
		return crm_dberror(c, rc, "team");
	static const char *const cols[] = { "name", "members", "manager" };
	out_columns(c->out, cols, 3);
	long n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		char *team = xstrdup((const char *)db_column_text(st, 0));
		team_line(c, team, db_column_int64(st, 1));
		free(team);
		n++;
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "team");
	return n ? CRM_OK : CRM_NOTFOUND;
}

int team_show(struct crm *c, const char *team)
{
	long long n = db_get_int(c, "SELECT count(*) FROM \"user\" WHERE team = ? AND deleted_at IS NULL "
				    "AND status = 'active'", team, 0);
	if (!n)
		return crm_error(c, CRM_NOTFOUND, "no team '%s' (crm team list)", team);
	/* user records only, so that it pipes into user commands: the
	 * members, and the managers they name from elsewhere, by name */
	const struct type *t = type_find(c, "user");
	char *tq = sql_quote(team);
	char *where = xasprintf("status = 'active' AND (team = %s OR name IN (SELECT manager FROM \"user\" "
				"WHERE team = %s AND deleted_at IS NULL))", tq, tq);
	free(tq);
	struct query q = { .filter = where, .sort = "name" };
	int rc = query_list(c, t, &q);
	free(where);
	return rc;
}
