/* policy.c: roles, grants and row-level security (see policy.h). */
#include <stdlib.h>
#include <string.h>

#include "core/type.h"
#include "server/pg.h"
#include "server/policy.h"
#include "team/scope.h"
#include "team/state.h"

/* The same list as the user type's role choices (team/user.c). */
static const char *const roles[] = { "admin", "manager", "rep", "finance", "service", "legal", NULL };

/* crm_admin's policy holds for an admin, and for whoever made the server
 * (a member of crm_admin who is no crm user). */
#define ADMIN_HOLDS "crm_role() IS NULL OR crm_role() = 'admin'"

/* The user table: read by every group, changed by crm_admin (grants, no
 * row-level security: the policies' functions read it). */
#define USER_TABLE "user"

/* The functions a policy reads a role's belongs sets through. */
#define BELONGS_FN "crm_belongs"

/* Tables every group may read besides the record tables: what a
 * command reads as it writes a record (the rules to run, the scoring
 * rules). */
static const char *const readable[] = { USER_TABLE, "config", "pipeline", "stage", "field", "rule",
					"score_rule", NULL };

/* Tables of rows of a record, by its id in a column, that a group
 * reads where it may read the record (a lead's score is read with the
 * lead), and writes there too where crm writes them with the record's
 * changes (a deal's stage history with its moves, gone with its purge;
 * what a payment paid of each instalment, written with the payment;
 * a lead's score, by whoever scores the leads they may see). */
static const struct follow {
	const char *table, *record, *column;
	bool writes;
} follows[] = {
	{ "lead_score", "lead", "id", true },
	{ "stage_history", "deal", "deal_id", true },
	{ "payment_alloc", "payment", "payment_id", true },
	{ "ticket_pause", "ticket", "ticket_id", true },
	{ "ticket_breach", "ticket", "ticket_id", true },
};

/* Counts per pipeline and stage that crm keeps as it writes deals (a
 * file's triggers do): every group reads and writes them. */
static const char *const derived[] = { "stage_stats", "funnel_counts", NULL };

/* Approval steps (the approval table, of deal:, quote: and contract:
 * entities) and the table whose records wait on them: a step that names
 * a group's role, or the user, is read and decided (pending to approved
 * or rejected) by them, and a contract they decided a step of is set
 * from pending to what follows (approved, or draft when rejected) by
 * them, whoever owns it: on a file the approval module acts for the
 * system there. And no group's role decides a step but as its decider
 * (a restrictive policy): approved or rejected only with "by" the user,
 * who holds the step and does not own what waits on it (a manager may
 * approve ahead, a step approve itself requests), so a rep's write
 * access to their own deal's steps through psql does not approve them. Like every
 * group's policy it binds only while crm_role() is the group's role: the
 * groups are the cluster's, and a login role may be in crm_rep for one
 * database while a manager in another. */
#define APPROVAL_TABLE "approval"
#define DECIDED_TABLE "contract"
#define DECIDED_FN "crm_decided"
#define ENTITY_OWNER_FN "crm_entity_owner"
#define WAITING_FN "crm_waiting"

/* The shares: read by every group (the policies read them), written
 * by a group where crm shares (scope_may_share): a share given in the
 * user's own name, of a record whose owner is one they answer for
 * (themselves; a manager's team), read through the record's own
 * policies; and given up by the one it is shared with too. */
#define SHARE_TABLE "share"
#define MAY_SHARE_FN "crm_may_share"

/* The function that alters a record table for crm field add and rm. */
#define FIELD_FN "crm_field_column"

/* The function that makes a user's login role what the user table says
 * (crm user add, update, rm, leave, restore), and the comment that marks
 * the login roles crm made (the only ones whose LOGIN it changes). */
#define LOGIN_FN "crm_user_role"
#define LOGIN_MARK "crm: the login role of a crm user"

/* The audit log: every group appends its own entries (crm writes one
 * with each change) and reads those of the records it may see. */
#define AUDIT_TABLE "audit"

/* The import runs: a group starts runs in its own name, and reads, goes
 * on with and undoes those of whose records it owns (its own; a
 * manager's team's), as crm import runs lists them. */
#define RUN_TABLE "import_run"


const char *const *policy_roles(void)
{
	return roles;
}

bool policy_role_known(const char *role)
{
	for (int i = 0; roles[i]; i++)
		if (!strcmp(roles[i], role))
			return true;
	return false;
}

static int role_exists(struct crm *c, PGconn *conn, const char *name, bool *exists)
{
	int rc;
	char *v = pg_get_text(c, conn, "SELECT 1 FROM pg_roles WHERE rolname = $1", name, &rc);
	*exists = v != NULL;
	free(v);
	return rc;
}

int policy_groups(struct crm *c, PGconn *conn, int *made)
{
	*made = 0;
	int rc = CRM_OK;
	for (int i = 0; !rc && roles[i]; i++) {
		char *group = xasprintf("crm_%s", roles[i]);
		bool exists;
		rc = role_exists(c, conn, group, &exists);
		if (!rc && !exists) {
			char *sql = xasprintf("CREATE ROLE %s NOLOGIN", group);
			rc = pg_exec(c, conn, sql, "making the group roles");
			free(sql);
			(*made)++;
		}
		free(group);
	}
	if (!rc)
		rc = pg_exec(c, conn, "GRANT crm_admin TO CURRENT_USER", "making you a member of crm_admin");
	return rc;
}

/* crm_user(): the connected role's crm user (active), or NULL;
 * crm_role(): their role ('left' once they have left), NULL when the
 * role is no crm user (whoever ran server init); crm_owners(): whose
 * records are theirs. They read the user table, which has no row-level
 * security of its own (everyone may read it, grants keep its writes
 * crm_admin's), so no policy reads through another. */
static int make_functions(struct crm *c, PGconn *conn)
{
	char *members = team_members_sql("crm_user()");
	char *sql = xasprintf(
		"CREATE FUNCTION crm_user() RETURNS text LANGUAGE sql STABLE AS $crm$ "
		"SELECT name FROM \"user\" WHERE name = current_user::text AND status = 'active' "
		"AND deleted_at IS NULL $crm$;\n"
		"CREATE FUNCTION crm_role() RETURNS text LANGUAGE sql STABLE AS $crm$ "
		"SELECT CASE WHEN status = 'active' THEN role ELSE 'left' END FROM \"user\" "
		"WHERE name = current_user::text AND deleted_at IS NULL $crm$;\n"
		"CREATE FUNCTION crm_owners() RETURNS SETOF text LANGUAGE sql STABLE AS $crm$ "
		"SELECT crm_user() WHERE crm_user() IS NOT NULL UNION SELECT m.name FROM (%s) AS m "
		"WHERE EXISTS (SELECT 1 FROM \"user\" WHERE name = crm_user() AND role = 'manager' "
		"AND deleted_at IS NULL) $crm$;\n"
		/* whether a record exists though the caller may not see it: crm
		 * tells a record not visible (exit 5) from none (exit 1), as on
		 * a file; only tables under row-level security, only an id */
		"CREATE FUNCTION crm_record_exists(tab text, rid bigint) RETURNS integer LANGUAGE plpgsql STABLE "
		"SECURITY DEFINER SET search_path FROM CURRENT AS $crm$ DECLARE found integer; BEGIN "
		"IF NOT EXISTS (SELECT 1 FROM pg_class WHERE oid = to_regclass(quote_ident(tab)) "
		"AND relrowsecurity) THEN RETURN 0; END IF; "
		"EXECUTE format('SELECT count(*)::integer FROM %%I WHERE id = $1', tab) INTO found USING rid; "
		"RETURN found; END $crm$;\n"
		/* whether the reader may see the record an audit entry is of
		 * ("lead:12"), read through the record table's own policies as
		 * the reader (no SECURITY DEFINER); entries of no one record (a
		 * scoring run's) and of tables without row-level security are
		 * everyone's, as crm log shows them on a file */
		"CREATE FUNCTION crm_entry_visible(entity text) RETURNS boolean LANGUAGE plpgsql STABLE "
		"SET search_path FROM CURRENT AS $crm$ DECLARE tab text := split_part(entity, ':', 1); "
		"rid text := split_part(entity, ':', 2); found boolean; BEGIN "
		"IF rid !~ '^[0-9]{1,18}$' THEN RETURN true; END IF; "
		"IF NOT EXISTS (SELECT 1 FROM pg_class WHERE oid = to_regclass(quote_ident(tab)) "
		"AND relrowsecurity) THEN RETURN true; END IF; "
		"EXECUTE format('SELECT EXISTS (SELECT 1 FROM %%I WHERE id = $1)', tab) INTO found USING rid::bigint; "
		"RETURN found; EXCEPTION WHEN insufficient_privilege THEN RETURN false; END $crm$;\n", members);
	int rc = pg_exec(c, conn, sql, "making the functions of the policies");
	free(sql);
	free(members);
	return rc;
}

/* crm_belongs_ROLE_TYPE(): the ids of the records of a type the role's
 * other types belong to (finance: the accounts of its contracts, quotes
 * and their deals), read by the policies of that type. SECURITY DEFINER:
 * it reads the tables as their owner (crm_admin's policy), not through
 * the reader's own policies, which would read the same table back (an
 * infinite recursion to PostgreSQL). Only the role's group may call it,
 * and it returns ids that group may see anyway. */
static void belongs_functions(struct crm *c, PGconn *conn, const struct schema *s, const char *schema,
			      struct sbuf *b)
{
	for (int r = 1; roles[r]; r++)
		for (int i = 0; i < s->n; i++) {
			char *body = team_belongs(c, roles[r], s->t[i].name);
			if (!body)
				continue;
			char *fn = xasprintf("%s_%s_%s", BELONGS_FN, roles[r], s->t[i].name);
			char *q = pg_ident(conn, fn);
			sbuf_addf(b, "CREATE FUNCTION %s() RETURNS SETOF bigint LANGUAGE sql STABLE SECURITY DEFINER "
				  "SET search_path = %s, pg_temp AS $crm$ %s $crm$;\n"
				  "REVOKE ALL ON FUNCTION %s() FROM PUBLIC;\nGRANT EXECUTE ON FUNCTION %s() TO crm_%s;\n",
				  q, schema, body, q, q, roles[r]);
			free(q);
			free(fn);
			free(body);
		}
}

static bool listed(const char *const *list, const char *name)
{
	for (int i = 0; list[i]; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}

/* A group's condition: the team rule's scope, while the crm user has
 * the group's role (one who left, or whose role changed, holds none). */
static char *held(const char *role, const char *scope)
{
	if (!strcmp(scope, "1"))
		return xasprintf("crm_role() = '%s'", role);
	return xasprintf("crm_role() = '%s' AND (%s)", role, scope);
}

/* What the pool lets a group change beyond its own records (pool.c acts
 * for the system there on a file): a rep or a manager takes a record of
 * no owner that is not locked, becoming its owner; gives back one of
 * theirs (no owner, previous_owner theirs); a manager locks and unlocks
 * what is in the pool. Returns the policies made. */
static int pool_policies(const char *table, const char *role, const char *wr, struct sbuf *b)
{
	bool mgr = !strcmp(role, "manager");
	if (!mgr && strcmp(role, "rep"))
		return 0;
	sbuf_addf(b, "CREATE POLICY crm_%s_claim ON %s FOR UPDATE TO crm_%s USING (crm_role() = '%s' "
		  "AND owner IS NULL AND locked_by IS NULL) WITH CHECK (crm_role() = '%s' AND owner = crm_user());\n"
		  "CREATE POLICY crm_%s_release ON %s FOR UPDATE TO crm_%s USING (%s) WITH CHECK (crm_role() = '%s' "
		  "AND owner IS NULL AND previous_owner IN (SELECT crm_owners()));\n",
		  role, table, role, role, role, role, table, role, wr, role);
	if (mgr)
		sbuf_addf(b, "CREATE POLICY crm_%s_lock ON %s FOR UPDATE TO crm_%s USING (crm_role() = '%s' "
			  "AND owner IS NULL) WITH CHECK (crm_role() = '%s' AND owner IS NULL);\n",
			  role, table, role, role, role);
	return mgr ? 3 : 2;
}

/* The policies of one group on record table t, into b. */
static int group_policies(struct crm *c, PGconn *conn, const struct type *t, const char *role, struct sbuf *b)
{
	char *table = pg_ident(conn, t->name);
	struct team_who who = { role, "crm_user()", "SELECT crm_owners()", "to_char(current_date, 'YYYY-MM-DD')",
				table, BELONGS_FN };
	char *r = team_policy(c, t, &who, false), *w = team_policy(c, t, &who, true);
	char *rd = held(role, r), *wr = held(role, w);
	int n = 0;
	if (strcmp(r, "0")) {
		sbuf_addf(b, "CREATE POLICY crm_%s_read ON %s FOR SELECT TO crm_%s USING (%s);\n", role, table, role, rd);
		n++;
	}
	if (strcmp(w, "0")) {
		sbuf_addf(b, "CREATE POLICY crm_%s_insert ON %s FOR INSERT TO crm_%s WITH CHECK (%s);\n"
			  "CREATE POLICY crm_%s_update ON %s FOR UPDATE TO crm_%s USING (%s) WITH CHECK (%s);\n"
			  "CREATE POLICY crm_%s_delete ON %s FOR DELETE TO crm_%s USING (%s);\n",
			  role, table, role, wr, role, table, role, wr, wr, role, table, role, wr);
		n += 3;
	}
	if (type_pooled(t))
		n += pool_policies(table, role, wr, b);
	free(r);
	free(w);
	free(rd);
	free(wr);
	free(table);
	return n;
}

/* Row-level security on record table t: forced, crm_admin's policy and
 * each group's. */
static int table_policies(struct crm *c, PGconn *conn, const struct type *t, struct sbuf *b)
{
	char *table = pg_ident(conn, t->name);
	sbuf_addf(b, "ALTER TABLE %s ENABLE ROW LEVEL SECURITY;\nALTER TABLE %s FORCE ROW LEVEL SECURITY;\n"
		  "CREATE POLICY crm_admin_all ON %s TO crm_admin USING (%s) WITH CHECK (%s);\n",
		  table, table, table, ADMIN_HOLDS, ADMIN_HOLDS);
	int n = 1;
	for (int i = 1; roles[i]; i++) {
		sbuf_addf(b, "GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO crm_%s;\n", table, roles[i]);
		n += group_policies(c, conn, t, roles[i], b);
	}
	free(table);
	return n;
}

static void grant_others(PGconn *conn, const struct stable *t, struct sbuf *b)
{
	char *table = pg_ident(conn, t->name);
	sbuf_addf(b, "GRANT ALL ON %s TO crm_admin;\n", table);
	for (int i = 1; roles[i] && listed(readable, t->name); i++)
		sbuf_addf(b, "GRANT SELECT ON %s TO crm_%s;\n", table, roles[i]);
	for (int i = 1; roles[i] && listed(derived, t->name); i++)
		sbuf_addf(b, "GRANT SELECT, INSERT, UPDATE ON %s TO crm_%s;\n", table, roles[i]);
	free(table);
}

/* Row-level security on a table that follows a record table: a row is
 * read (and written, f->writes) by whoever reads the record's. Returns
 * the policies made. */
static int follow_policies(PGconn *conn, const struct follow *f, struct sbuf *b)
{
	char *table = pg_ident(conn, f->table), *of = pg_ident(conn, f->record), *col = pg_ident(conn, f->column);
	sbuf_addf(b, "ALTER TABLE %s ENABLE ROW LEVEL SECURITY;\nALTER TABLE %s FORCE ROW LEVEL SECURITY;\n"
		  "CREATE POLICY crm_admin_all ON %s TO crm_admin USING (" ADMIN_HOLDS ") WITH CHECK (" ADMIN_HOLDS ");\n",
		  table, table, table);
	int n = 1;
	for (int i = 1; roles[i]; i++) {
		sbuf_addf(b, "GRANT SELECT%s ON %s TO crm_%s;\n"
			  "CREATE POLICY crm_%s_read ON %s FOR SELECT TO crm_%s USING (%s IN (SELECT id FROM %s));\n",
			  f->writes ? ", INSERT, UPDATE, DELETE" : "", table, roles[i], roles[i], table, roles[i], col, of);
		n++;
		if (f->writes) {
			sbuf_addf(b, "CREATE POLICY crm_%s_insert ON %s FOR INSERT TO crm_%s "
				  "WITH CHECK (%s IN (SELECT id FROM %s));\n"
				  "CREATE POLICY crm_%s_update ON %s FOR UPDATE TO crm_%s "
				  "USING (%s IN (SELECT id FROM %s)) WITH CHECK (%s IN (SELECT id FROM %s));\n"
				  "CREATE POLICY crm_%s_delete ON %s FOR DELETE TO crm_%s USING (%s IN (SELECT id FROM %s));\n",
				  roles[i], table, roles[i], col, of, roles[i], table, roles[i], col, of, col, of,
				  roles[i], table, roles[i], col, of);
			n += 3;
		}
	}
	free(table);
	free(of);
	free(col);
	return n;
}

/* fn (its name and argument types) callable by crm's groups alone. */
static void groups_execute(const char *fn, struct sbuf *b)
{
	sbuf_addf(b, "REVOKE ALL ON FUNCTION %s FROM PUBLIC;\n", fn);
	for (int i = 1; roles[i]; i++)
		sbuf_addf(b, "GRANT EXECUTE ON FUNCTION %s TO crm_%s;\n", fn, roles[i]);
}

/* crm_decided(who): the entities whose steps who decided; SECURITY
 * DEFINER (the contract policy that reads it would otherwise read the
 * approval table through policies that read contracts back), called only
 * by the groups, with crm_user() as who. */
static void decided_function(const char *schema, struct sbuf *b)
{
	sbuf_addf(b, "CREATE FUNCTION " DECIDED_FN "(who text) RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER "
		  "SET search_path = %s, pg_temp AS $crm$ SELECT entity FROM " APPROVAL_TABLE " WHERE \"by\" = who "
		  "AND status IN ('approved', 'rejected') AND deleted_at IS NULL $crm$;\n", schema);
	groups_execute(DECIDED_FN "(text)", b);
	/* crm_waiting(who, grp): the entities with a pending step who holds
	 * (it names who, or grp, who's group): who reads them and all their
	 * steps while it waits (legal deciding a deal's step; the order of
	 * the steps is read from all of them) */
	sbuf_addf(b, "CREATE FUNCTION " WAITING_FN "(who text, grp text) RETURNS SETOF text LANGUAGE sql STABLE "
		  "SECURITY DEFINER SET search_path = %s, pg_temp AS $crm$ SELECT entity FROM " APPROVAL_TABLE " "
		  "WHERE status = 'pending' AND deleted_at IS NULL AND (role = grp OR role = who) $crm$;\n", schema);
	groups_execute(WAITING_FN "(text, text)", b);
	/* crm_entity_owner(entity): the owner of the deal, quote or contract
	 * a step waits on, read past its policies (a manager deciding may not
	 * see it otherwise): the owner never decides a step of their own, as
	 * the approval module says on a file */
	sbuf_addf(b, "CREATE FUNCTION " ENTITY_OWNER_FN "(e text) RETURNS text LANGUAGE sql STABLE SECURITY DEFINER "
		  "SET search_path = %s, pg_temp AS $crm$ SELECT CASE split_part(e, ':', 1) "
		  "WHEN 'deal' THEN (SELECT owner FROM deal WHERE id = CAST(split_part(e, ':', 2) AS bigint)) "
		  "WHEN 'quote' THEN (SELECT owner FROM quote WHERE id = CAST(split_part(e, ':', 2) AS bigint)) "
		  "WHEN 'contract' THEN (SELECT owner FROM contract WHERE id = CAST(split_part(e, ':', 2) AS bigint)) "
		  "END $crm$;\n", schema);
	groups_execute(ENTITY_OWNER_FN "(text)", b);
}

/* crm_field_column(tab, col, type, adding): a custom field's column
 * added or dropped (crm field add|rm). ALTER TABLE is the tables'
 * owner's alone: this runs as that owner (SECURITY DEFINER) for the
 * connected admin (session_user: inside it current_user is the owner),
 * or for whoever made the server, on the four types that take fields,
 * a name crm allows and the column types crm gives fields; a column is
 * dropped only while crm lists it as a field. */
static void field_function(const char *schema, struct sbuf *b)
{
	sbuf_addf(b, "CREATE FUNCTION " FIELD_FN "(tab text, col text, typ text, adding boolean) RETURNS void "
		  "LANGUAGE plpgsql SECURITY DEFINER SET search_path = %s, pg_temp AS $crm$ BEGIN "
		  "IF NOT EXISTS (SELECT 1 FROM \"user\" WHERE name = session_user::text AND role = 'admin' "
		  "AND status = 'active' AND deleted_at IS NULL) AND (EXISTS (SELECT 1 FROM \"user\" "
		  "WHERE name = session_user::text) OR NOT pg_has_role(session_user, 'crm_admin', 'MEMBER')) THEN "
		  "RAISE insufficient_privilege USING MESSAGE = 'only an admin adds or removes a custom field'; END IF; "
		  "IF tab NOT IN ('lead', 'account', 'contact', 'deal') OR col !~ '^[a-z_][a-z0-9_]{0,63}$' "
		  "OR typ NOT IN ('numeric', 'bigint', 'text') THEN "
		  "RAISE invalid_parameter_value USING MESSAGE = format('%%s.%%s %%s is no custom field', tab, col, typ); "
		  "END IF; "
		  "IF adding THEN EXECUTE format('ALTER TABLE %%I ADD COLUMN %%I %%s', tab, col, typ); "
		  "ELSIF EXISTS (SELECT 1 FROM field WHERE type = tab AND name = col) THEN "
		  "EXECUTE format('ALTER TABLE %%I DROP COLUMN %%I', tab, col); "
		  "ELSE RAISE invalid_parameter_value USING MESSAGE = format('%%s has no custom field %%s', tab, col); "
		  "END IF; END $crm$;\n"
		  "REVOKE ALL ON FUNCTION " FIELD_FN "(text, text, text, boolean) FROM PUBLIC;\n"
		  "GRANT EXECUTE ON FUNCTION " FIELD_FN "(text, text, text, boolean) TO crm_admin;\n", schema);
}

/* crm_user_role(who): the login role of user who made what the user
 * table says, as crm user add, update, rm, leave and restore change the
 * row (team/user.c, through core's dialect_user_login): an active
 * user's login role is made when missing (LOGIN, marked as crm's by its
 * comment) and is a member of their role's group alone (crm_X granted,
 * the other groups revoked); a user who left or was removed, or is no
 * more, is in none, and a login role crm made can no longer log in
 * (NOLOGIN; LOGIN again when the user is back). A role crm did not make
 * keeps its LOGIN as the cluster has it, and the functions' owner keeps
 * its own; a superuser may be an admin's login role alone (row-level
 * security does not bind it: it is no rep) and is never ended, and the
 * group roles' names and PostgreSQL's own (pg_...) are refused.
 *
 * CREATE ROLE, GRANT and ALTER ROLE are a CREATEROLE role's: the work is
 * LOGIN_SYNC_FN's, run as the functions' owner (SECURITY DEFINER),
 * whoever made the server, and only for the connected admin (session_user:
 * inside it current_user is the owner), the owner itself, whoever else
 * made the server (a member of crm_admin who is no crm user), or an admin
 * changing their own row (their role or status changed before this runs).
 * A login role's own row changes its groups and login as its transaction
 * commits (a deferred trigger on the user table, LOGIN_TRIGGER_FN, makes
 * every row changed what it says then): until then the rest of its
 * command runs as it, so crm_user_role() of oneself only grants. The
 * trigger keeps what an admin changes in the table by psql too. */
#define LOGIN_SYNC_FN "crm_login_sync"
#define LOGIN_TRIGGER_FN "crm_user_committed"
static void login_function(const char *schema, struct sbuf *b)
{
	struct sbuf groups = { 0 };
	for (int i = 0; roles[i]; i++)
		sbuf_addf(&groups, "%s'crm_%s'", i ? ", " : "", roles[i]);
	sbuf_addf(b, "CREATE FUNCTION " LOGIN_SYNC_FN "(who text, ending boolean) RETURNS text "
		  "LANGUAGE plpgsql SECURITY DEFINER SET search_path = %s, pg_temp AS $crm$ DECLARE "
		  "want text; rid oid; super boolean; canlogin boolean; ours boolean; g text; BEGIN "
		  "IF NOT pg_has_role(session_user, 'crm_admin', 'MEMBER') OR NOT (who = session_user::text "
		  "OR session_user = current_user "
		  "OR EXISTS (SELECT 1 FROM \"user\" WHERE name = session_user::text AND role = 'admin' "
		  "AND status = 'active' AND deleted_at IS NULL) "
		  "OR NOT EXISTS (SELECT 1 FROM \"user\" WHERE name = session_user::text)) THEN "
		  "RAISE insufficient_privilege USING MESSAGE = 'only an admin makes, moves or ends a user''s login role'; "
		  "END IF; "
		  "IF who IS NULL OR who = '' OR who IN (%s) OR who LIKE 'pg\\_%%' THEN "
		  "RAISE invalid_parameter_value USING MESSAGE = format('%%L is no name for a crm user''s login role', who); "
		  "END IF; "
		  "SELECT 'crm_' || role INTO want FROM \"user\" WHERE name = who AND status = 'active' "
		  "AND deleted_at IS NULL AND 'crm_' || role IN (%s); "
		  "SELECT oid, rolsuper, rolcanlogin, shobj_description(oid, 'pg_authid') IS NOT DISTINCT FROM %s "
		  "INTO rid, super, canlogin, ours FROM pg_roles WHERE rolname = who; "
		  "IF super AND want <> 'crm_admin' THEN RAISE insufficient_privilege USING MESSAGE = "
		  "format('%%s is a superuser: row-level security does not bind it, so it is no %%s''s login role', who, "
		  "substr(want, 5)); END IF; "
		  "IF (super AND want IS NULL) OR (rid IS NULL AND want IS NULL) THEN RETURN 'none'; END IF; "
		  "IF rid IS NULL THEN "
		  "EXECUTE format('CREATE ROLE %%I LOGIN', who); "
		  "EXECUTE format('COMMENT ON ROLE %%I IS %%L', who, %s); "
		  "SELECT oid INTO rid FROM pg_roles WHERE rolname = who; "
		  "ELSIF want IS NOT NULL AND ours AND NOT canlogin THEN "
		  "EXECUTE format('ALTER ROLE %%I LOGIN', who); "
		  "END IF; "
		  "FOREACH g IN ARRAY ARRAY[%s] LOOP "
		  "IF g IS NOT DISTINCT FROM want THEN "
		  "IF NOT EXISTS (SELECT 1 FROM pg_auth_members WHERE roleid = g::regrole AND member = rid) THEN "
		  "EXECUTE format('GRANT %%I TO %%I', g, who); END IF; "
		  "ELSIF ending AND EXISTS (SELECT 1 FROM pg_auth_members WHERE roleid = g::regrole AND member = rid) THEN "
		  "EXECUTE format('REVOKE %%I FROM %%I', g, who); "
		  "END IF; END LOOP; "
		  "IF ending AND want IS NULL AND ours AND canlogin AND who <> current_user::text THEN "
		  "EXECUTE format('ALTER ROLE %%I NOLOGIN', who); "
		  "END IF; "
		  "RETURN coalesce(want, 'none'); END $crm$;\n"
		  "REVOKE ALL ON FUNCTION " LOGIN_SYNC_FN "(text, boolean) FROM PUBLIC;\n"
		  "CREATE FUNCTION " LOGIN_FN "(who text) RETURNS text LANGUAGE sql SECURITY DEFINER "
		  "SET search_path = %s, pg_temp AS $crm$ "
		  "SELECT " LOGIN_SYNC_FN "(who, who IS DISTINCT FROM session_user::text) $crm$;\n"
		  "REVOKE ALL ON FUNCTION " LOGIN_FN "(text) FROM PUBLIC;\n"
		  "GRANT EXECUTE ON FUNCTION " LOGIN_FN "(text) TO crm_admin;\n"
		  "CREATE FUNCTION " LOGIN_TRIGGER_FN "() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
		  "SET search_path = %s, pg_temp AS $crm$ BEGIN "
		  "IF TG_OP <> 'INSERT' AND (TG_OP = 'DELETE' OR OLD.name IS DISTINCT FROM NEW.name) THEN "
		  "PERFORM " LOGIN_SYNC_FN "(OLD.name, true); END IF; "
		  "IF TG_OP <> 'DELETE' THEN PERFORM " LOGIN_SYNC_FN "(NEW.name, true); END IF; "
		  "RETURN NULL; END $crm$;\n"
		  "REVOKE ALL ON FUNCTION " LOGIN_TRIGGER_FN "() FROM PUBLIC;\n"
		  "CREATE CONSTRAINT TRIGGER crm_user_login AFTER INSERT OR UPDATE OR DELETE ON \"" USER_TABLE "\" "
		  "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION " LOGIN_TRIGGER_FN "();\n",
		  schema, groups.s, groups.s, "'" LOGIN_MARK "'", "'" LOGIN_MARK "'", groups.s, schema, schema);
	sbuf_release(&groups);
}

/* The deciders' policies on the approval table, or on the table decided
 * (see APPROVAL_TABLE). Returns the policies made. */
static int decider_policies(const char *table, struct sbuf *b)
{
	int n = 0;
	for (int i = 1; roles[i]; i++, n += 2) {
		const char *r = roles[i];
		if (!strcmp(table, APPROVAL_TABLE) && ++n)
			sbuf_addf(b, "CREATE POLICY crm_%s_decides_own ON " APPROVAL_TABLE " AS RESTRICTIVE FOR UPDATE "
				  "TO crm_%s USING (true) WITH CHECK (crm_role() IS DISTINCT FROM '%s' "
				  "OR status NOT IN ('approved', 'rejected') "
				  "OR (\"by\" = crm_user() AND (role = '%s' OR role = crm_user()) "
				  "AND " ENTITY_OWNER_FN "(entity) IS DISTINCT FROM crm_user()));\n", r, r, r, r);
		if (!strcmp(table, APPROVAL_TABLE))
			sbuf_addf(b, "CREATE POLICY crm_%s_decide_read ON " APPROVAL_TABLE " FOR SELECT TO crm_%s "
				  "USING (crm_role() = '%s' AND (role = '%s' OR role = crm_user() "
				  "OR entity IN (SELECT " WAITING_FN "(crm_user(), '%s'))));\n"
				  "CREATE POLICY crm_%s_decide ON " APPROVAL_TABLE " FOR UPDATE TO crm_%s "
				  "USING (crm_role() = '%s' AND status = 'pending' AND (role = '%s' OR role = crm_user())) "
				  "WITH CHECK (crm_role() = '%s' AND (role = '%s' OR role = crm_user()));\n",
				  r, r, r, r, r, r, r, r, r, r, r);
		else
			sbuf_addf(b, "CREATE POLICY crm_%s_decided_read ON %s FOR SELECT TO crm_%s USING (crm_role() = '%s' "
				  "AND '%s:' || id IN (SELECT " DECIDED_FN "(crm_user())));\n"
				  "CREATE POLICY crm_%s_decided ON %s FOR UPDATE TO crm_%s USING (crm_role() = '%s' "
				  "AND status = 'pending' AND '%s:' || id IN (SELECT " DECIDED_FN "(crm_user()))) "
				  "WITH CHECK (crm_role() = '%s' AND '%s:' || id IN (SELECT " DECIDED_FN "(crm_user())));\n",
				  r, table, r, r, table, r, table, r, r, table, r, table);
	}
	return n;
}

/* What a pending step waits on (a deal, a quote, a contract) is read by
 * whoever holds that step while it waits (crm_waiting), as the approval
 * module reads it for them on a file: legal deciding a deal's step.
 * Returns the policies made. */
static const char *const waited_on[] = { "deal", "quote", "contract", NULL };

static int waiting_policies(const char *table, struct sbuf *b)
{
	int n = 0;
	for (int i = 1; roles[i]; i++, n++)
		sbuf_addf(b, "CREATE POLICY crm_%s_waiting_read ON %s FOR SELECT TO crm_%s USING (crm_role() = '%s' "
			  "AND '%s:' || id IN (SELECT " WAITING_FN "(crm_user(), '%s')));\n",
			  roles[i], table, roles[i], roles[i], table, roles[i]);
	return n;
}

/* The audit log's rows: an entry is appended in the name of the role
 * that writes it, never another's, and read where its record may be
 * (crm history, crm log). A member of crm_admin appends in its own name
 * whatever its row says by then: an admin who made themselves a rep, or
 * left, writes that change's entry (the login role leaves crm_admin
 * with it, crm_user_role()). Returns the policies made. */
static int audit_policies(struct sbuf *b)
{
	sbuf_add(b, "ALTER TABLE " AUDIT_TABLE " ENABLE ROW LEVEL SECURITY;\n"
		 "ALTER TABLE " AUDIT_TABLE " FORCE ROW LEVEL SECURITY;\n"
		 "CREATE POLICY crm_admin_all ON " AUDIT_TABLE " TO crm_admin USING (" ADMIN_HOLDS ") "
		 "WITH CHECK (" ADMIN_HOLDS ");\n"
		 "CREATE POLICY crm_admin_own ON " AUDIT_TABLE " FOR INSERT TO crm_admin "
		 "WITH CHECK (\"user\" = current_user::text);\n");
	for (int i = 1; roles[i]; i++)
		sbuf_addf(b, "GRANT SELECT, INSERT ON " AUDIT_TABLE " TO crm_%s;\n"
			  "CREATE POLICY crm_%s_append ON " AUDIT_TABLE " FOR INSERT TO crm_%s "
			  "WITH CHECK (\"user\" = crm_user());\n"
			  "CREATE POLICY crm_%s_read ON " AUDIT_TABLE " FOR SELECT TO crm_%s "
			  "USING (crm_entry_visible(entity));\n", roles[i], roles[i], roles[i], roles[i], roles[i]);
	return 2 + 2 * ((int)(sizeof(roles) / sizeof(*roles)) - 2);
}

/* crm_may_share(type, id): whether the record is the caller's to share,
 * read as the caller (no SECURITY DEFINER), only of tables with an owner
 * under row-level security. */
static void share_function(struct sbuf *b)
{
	sbuf_add(b, "CREATE FUNCTION " MAY_SHARE_FN "(typ text, rid bigint) RETURNS boolean LANGUAGE plpgsql STABLE "
		 "SET search_path FROM CURRENT AS $crm$ DECLARE found boolean; BEGIN "
		 "IF NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
		 "WHERE c.oid = to_regclass(quote_ident(typ)) AND c.relrowsecurity AND a.attname = 'owner' "
		 "AND NOT a.attisdropped) THEN RETURN false; END IF; "
		 "EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE id = $1 AND owner IN (SELECT crm_owners()))', typ) "
		 "INTO found USING rid; RETURN found; END $crm$;\n");
}

/* The shares' rows (see SHARE_TABLE). Returns the policies made. */
static int share_policies(struct sbuf *b)
{
	sbuf_add(b, "ALTER TABLE " SHARE_TABLE " ENABLE ROW LEVEL SECURITY;\n"
		 "ALTER TABLE " SHARE_TABLE " FORCE ROW LEVEL SECURITY;\n"
		 "CREATE POLICY crm_admin_all ON " SHARE_TABLE " TO crm_admin USING (" ADMIN_HOLDS ") "
		 "WITH CHECK (" ADMIN_HOLDS ");\n");
	int n = 1;
	for (int i = 1; roles[i]; i++, n += 5) {
		const char *r = roles[i];
		sbuf_addf(b, "GRANT SELECT, INSERT, UPDATE, DELETE ON " SHARE_TABLE " TO crm_%s;\n"
			  "CREATE POLICY crm_%s_read ON " SHARE_TABLE " FOR SELECT TO crm_%s USING (true);\n"
			  "CREATE POLICY crm_%s_share ON " SHARE_TABLE " FOR INSERT TO crm_%s WITH CHECK (crm_role() = '%s' "
			  "AND \"by\" = crm_user() AND " MAY_SHARE_FN "(record_type, record_id));\n"
			  "CREATE POLICY crm_%s_reshare ON " SHARE_TABLE " FOR UPDATE TO crm_%s USING (crm_role() = '%s' "
			  "AND " MAY_SHARE_FN "(record_type, record_id)) WITH CHECK (crm_role() = '%s' "
			  "AND \"by\" = crm_user() AND " MAY_SHARE_FN "(record_type, record_id));\n"
			  "CREATE POLICY crm_%s_unshare ON " SHARE_TABLE " FOR DELETE TO crm_%s USING (crm_role() = '%s' "
			  "AND " MAY_SHARE_FN "(record_type, record_id));\n"
			  "CREATE POLICY crm_%s_give_up ON " SHARE_TABLE " FOR DELETE TO crm_%s USING (crm_role() = '%s' "
			  "AND shared_with = crm_user());\n",
			  r, r, r, r, r, r, r, r, r, r, r, r, r, r, r, r);
	}
	return n;
}

/* The import runs' rows (see RUN_TABLE). Returns the policies made. */
static int run_policies(struct sbuf *b)
{
	sbuf_add(b, "ALTER TABLE " RUN_TABLE " ENABLE ROW LEVEL SECURITY;\n"
		 "ALTER TABLE " RUN_TABLE " FORCE ROW LEVEL SECURITY;\n"
		 "CREATE POLICY crm_admin_all ON " RUN_TABLE " TO crm_admin USING (" ADMIN_HOLDS ") "
		 "WITH CHECK (" ADMIN_HOLDS ");\n");
	/* a run deleted is only one that stopped before its first row (the
	 * import forgets it): a group may not delete a run that did anything */
	int n = 1;
	for (int i = 1; roles[i]; i++, n += 2)
		sbuf_addf(b, "GRANT SELECT, INSERT, UPDATE, DELETE ON " RUN_TABLE " TO crm_%s;\n"
			  "CREATE POLICY crm_%s_runs ON " RUN_TABLE " TO crm_%s "
			  "USING (\"user\" IN (SELECT crm_owners())) WITH CHECK (\"user\" IN (SELECT crm_owners()));\n"
			  "CREATE POLICY crm_%s_runs_forget ON " RUN_TABLE " AS RESTRICTIVE FOR DELETE TO crm_%s "
			  "USING (line = 0 AND finished_at IS NULL);\n",
			  roles[i], roles[i], roles[i], roles[i], roles[i]);
	return n;
}

bool policy_secured(struct crm *c, const char *table)
{
	const struct type *t = type_find(c, table);
	if (t && !strcmp(t->name, table))
		return strcmp(table, USER_TABLE) != 0;
	if (!strcmp(table, AUDIT_TABLE) || !strcmp(table, RUN_TABLE) || !strcmp(table, SHARE_TABLE))
		return true;
	for (size_t k = 0; k < sizeof(follows) / sizeof(*follows); k++)
		if (!strcmp(table, follows[k].table))
			return true;
	return false;
}

const char policy_admin_sql[] =
	/* crm_admin's policy holds: a member who is no crm user, or an admin */
	"SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolsuper OR "
	"(pg_has_role(current_user, 'crm_admin', 'MEMBER') AND coalesce(crm_role(), 'admin') = 'admin'))";

int policy_apply(struct crm *c, PGconn *conn, const struct schema *s, int *npolicies)
{
	*npolicies = 0;
	int rc = make_functions(c, conn);
	if (rc)
		return rc;
	char *name = pg_get_text(c, conn, "SELECT current_schema()", NULL, &rc);
	if (rc)
		return rc;
	if (!name)
		return crm_error(c, CRM_DBERR, "the server has no schema to make the tables in (search_path)");
	char *schema = pg_ident(conn, name);
	free(name);
	struct sbuf b = { 0 };
	for (int i = 0; roles[i]; i++)
		sbuf_addf(&b, "GRANT USAGE ON SCHEMA %s TO crm_%s;\n"
			  "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %s TO crm_%s;\n",
			  schema, roles[i], schema, roles[i]);
	belongs_functions(c, conn, s, schema, &b);
	decided_function(schema, &b);
	field_function(schema, &b);
	login_function(schema, &b);
	share_function(&b);
	free(schema);
	for (int i = 0; i < s->n; i++) {
		const struct type *t = type_find(c, s->t[i].name);
		grant_others(conn, &s->t[i], &b);
		if (t && !strcmp(t->name, s->t[i].name) && strcmp(t->name, USER_TABLE))
			*npolicies += table_policies(c, conn, t, &b);
		if (!strcmp(s->t[i].name, AUDIT_TABLE))
			*npolicies += audit_policies(&b);
		if (!strcmp(s->t[i].name, APPROVAL_TABLE) || !strcmp(s->t[i].name, DECIDED_TABLE))
			*npolicies += decider_policies(s->t[i].name, &b);
		else if (!strcmp(s->t[i].name, RUN_TABLE))
			*npolicies += run_policies(&b);
		else if (!strcmp(s->t[i].name, SHARE_TABLE))
			*npolicies += share_policies(&b);
		for (int k = 0; waited_on[k]; k++)
			if (!strcmp(s->t[i].name, waited_on[k]))
				*npolicies += waiting_policies(s->t[i].name, &b);
		for (size_t k = 0; k < sizeof(follows) / sizeof(*follows); k++)
			if (!strcmp(s->t[i].name, follows[k].table))
				*npolicies += follow_policies(conn, &follows[k], &b);
	}
	rc = pg_exec(c, conn, b.s, "making the policies");
	sbuf_release(&b);
	return rc;
}

/* Into b, what makes the existing login role name one of user of role
 * again: LOGIN when crm made it and ended it, the other groups revoked. */
static int login_again(struct crm *c, PGconn *conn, const char *name, const char *role, struct sbuf *b)
{
	struct sbuf groups = { 0 };
	for (int i = 0; roles[i]; i++)
		sbuf_addf(&groups, "%s'crm_%s'", i ? ", " : "", roles[i]);
	char *sql = xasprintf("SELECT NOT r.rolcanlogin AND shobj_description(r.oid, 'pg_authid') IS NOT DISTINCT FROM "
			      "'" LOGIN_MARK "', (SELECT string_agg(quote_ident(g.rolname), ', ') FROM pg_auth_members AS m "
			      "JOIN pg_roles AS g ON g.oid = m.roleid WHERE m.member = r.oid AND g.rolname IN (%s) "
			      "AND g.rolname <> 'crm_' || $2) FROM pg_roles AS r WHERE r.rolname = $1", groups.s);
	sbuf_release(&groups);
	const char *params[2] = { name, role };
	PGresult *r;
	int rc = pg_query(c, conn, sql, 2, params, &r, "reading the login role");
	free(sql);
	if (rc)
		return rc;
	char *who = pg_ident(conn, name);
	if (PQntuples(r) && !strcmp(PQgetvalue(r, 0, 0), "t"))
		sbuf_addf(b, "ALTER ROLE %s LOGIN;\n", who);
	if (PQntuples(r) && !PQgetisnull(r, 0, 1))
		sbuf_addf(b, "REVOKE %s FROM %s;\n", PQgetvalue(r, 0, 1), who);
	free(who);
	PQclear(r);
	return CRM_OK;
}

int policy_login(struct crm *c, PGconn *conn, const char *name, const char *role, const char *password,
		 bool *made)
{
	bool exists;
	int rc = role_exists(c, conn, name, &exists);
	if (rc)
		return rc;
	*made = !exists;
	char *who = pg_ident(conn, name);
	struct sbuf b = { 0 };
	if (!exists) {   /* marked as crm's: crm_user_role() ends its LOGIN when the user leaves */
		sbuf_addf(&b, "CREATE ROLE %s LOGIN;\nCOMMENT ON ROLE %s IS '" LOGIN_MARK "';\n", who, who);
	} else {
		/* one crm made and ended (a user who left, here or in another
		 * database of the cluster) logs in again; it is in its role's
		 * group alone, as crm_user_role() keeps it */
		rc = login_again(c, conn, name, role, &b);
		if (rc) {
			free(who);
			sbuf_release(&b);
			return rc;
		}
	}
	if (password) {
		/* hashed here: the password itself never reaches the server's logs */
		char *hash = PQencryptPasswordConn(conn, password, name, NULL);
		if (!hash) {
			free(who);
			sbuf_release(&b);
			return pg_error(c, conn, NULL, "hashing the password");
		}
		char *lit = pg_literal(conn, hash);
		PQfreemem(hash);
		sbuf_addf(&b, "ALTER ROLE %s PASSWORD %s;\n", who, lit);
		free(lit);
	}
	sbuf_addf(&b, "GRANT crm_%s TO %s;\n", role, who);
	char *what = xasprintf("making the login role %s", name);
	rc = pg_exec(c, conn, b.s, what);
	free(what);
	free(who);
	sbuf_release(&b);
	return rc;
}
