/* user.c: crm user add|list|show|update|rm|leave */
#include <stdlib.h>
#include <string.h>

#include "core/input.h"
#include "io/out.h"
#include "core/query.h"
#include "records.h"
#include "team/handover.h"
#include "team/user.h"

static const char *const flag_fields[] = { "role", "team", "manager", "label", NULL };

/* --role, --team, --manager, --label into fields. */
static void flags_into(const struct args *a, cJSON **fields)
{
	for (int i = 0; flag_fields[i]; i++) {
		const char *v = arg_get(a, flag_fields[i]);
		if (!v)
			continue;
		if (!*fields)
			*fields = cJSON_CreateObject();
		cJSON_DeleteItemFromObjectCaseSensitive(*fields, flag_fields[i]);
		cJSON_AddStringToObject(*fields, flag_fields[i], v);
	}
}

static int add_line(struct crm *c, const cJSON *obj, long lineno, void *arg)
{
	const struct type *t = arg;
	long long id;
	int rc = record_insert(c, t, obj, 0, &id, NULL);
	return rc ? rc : record_print(c, t, id);
}

static int add_exec(struct crm *c, struct args *a)
{
	const struct type *t = type_find(c, "user");
	cJSON *fields;
	char **rest;
	int nrest;
	int rc = kv_parse(c, a->argc, a->argv, &fields, &rest, &nrest);
	if (rc)
		return rc;
	flags_into(a, &fields);
	rec_columns(c, t);
	if (!nrest && !fields && input_piped()) {
		free(rest);
		return input_each_object(c, add_line, (void *)t);
	}
	if (nrest != 1)
		rc = cmd_usage_error(c, nrest ? "one user at a time ('%s' is more)" : "which user? crm user add NAME "
				     "--role ROLE%s", nrest ? rest[1] : "");
	else if (!arg_get(a, "role") && !cJSON_GetObjectItemCaseSensitive(fields, "role"))
		rc = cmd_usage_error(c, "--role is needed (admin, manager, rep, finance, service, legal)");
	if (!rc) {
		cJSON_DeleteItemFromObjectCaseSensitive(fields, "name");
		cJSON_AddStringToObject(fields, "name", rest[0]);
		rc = add_line(c, fields, 0, (void *)t);
	}
	cJSON_Delete(fields);
	free(rest);
	return rc;
}

static int list_exec(struct crm *c, struct args *a)
{
	const struct type *t = type_find(c, "user");
	struct query q;
	if (query_from_args(c, a, &q))
		return c->errcode;
	/* --role and --team as conditions over the user */
	char *where = NULL;
	const char *role = arg_get(a, "role"), *team = arg_get(a, "team");
	if (role || team) {
		struct sbuf b = { 0 };
		const char *keys[2] = { "role", "team" }, *vals[2] = { role, team };
		for (int i = 0; i < 2; i++) {
			if (!vals[i])
				continue;
			sbuf_addf(&b, "%s%s = '", b.len ? " AND " : "", keys[i]);
			for (const char *p = vals[i]; *p; p++) {
				if (*p == '\'')
					sbuf_addc(&b, '\'');
				sbuf_addc(&b, *p);
			}
			sbuf_addc(&b, '\'');
		}
		where = sbuf_detach(&b);
		q.filter = where;
	}
	if (!q.sort)
		q.sort = "name";
	rec_columns(c, t);
	int rc = query_list(c, t, &q);
	free(where);
	return rc;
}

/* Each user named (a name, user:ID or an ID), or each JSON line on stdin
 * when none is. */
static int each_user(struct crm *c, int n, char **words, input_fn fn, void *arg)
{
	const struct type *t = type_find(c, "user");
	if (!n)
		return input_each(c, 0, NULL, "user", fn, arg);
	int worst = CRM_OK;
	for (int i = 0; i < n; i++) {
		long long id;
		int rc = user_find(c, words[i], &id);
		if (!rc)
			rc = fn(c, t, id, NULL, arg);
		if (rc && c->errmsg[0])
			crm_report(c);
		worst = status_worse(worst, rc);
		if (rc == CRM_DBERR || (rc && c->strict))
			break;
	}
	return worst;
}

static int show_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	return record_print(c, t, id);
}

static int show_exec(struct crm *c, struct args *a)
{
	rec_columns(c, type_find(c, "user"));
	return each_user(c, a->argc, a->argv, show_one, NULL);
}

static int update_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	int rc = record_check_fresh(c, t, id, line);
	if (!rc)
		rc = record_update(c, t, id, arg, 0);
	return rc ? rc : record_print(c, t, id);
}

static int update_exec(struct crm *c, struct args *a)
{
	cJSON *fields;
	char **rest;
	int nrest;
	int rc = kv_parse(c, a->argc, a->argv, &fields, &rest, &nrest);
	if (rc)
		return rc;
	flags_into(a, &fields);
	if (!fields) {
		rc = cmd_usage_error(c, "nothing to change: give FIELD=VALUE, --role, --team, --manager or --label");
	} else {
		rec_columns(c, type_find(c, "user"));
		rc = each_user(c, nrest, rest, update_one, fields);
	}
	cJSON_Delete(fields);
	free(rest);
	return rc;
}

static int rm_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	if (record_check_fresh(c, t, id, line))
		return c->errcode;
	cJSON *rec = record_get(c, t, id, false);
	if (!rec)
		return c->errcode;
	int rc = user_remove(c, id, *(bool *)arg);
	if (!rc)
		out_object(c->out, rec);
	cJSON_Delete(rec);
	return rc;
}

static int rm_exec(struct crm *c, struct args *a)
{
	bool purge = arg_has(a, "purge");
	rec_columns(c, type_find(c, "user"));
	return each_user(c, a->argc, a->argv, rm_one, &purge);
}

static int leave_exec(struct crm *c, struct args *a)
{
	const char *to = arg_get(a, "to");
	bool pool = arg_has(a, "to-pool");
	if (!!to == pool)
		return cmd_usage_error(c, "give --to USER or --to-pool (one of them)");
	static const char *const cols[] = { "record_type", "count", "from", "to" };
	out_columns(c->out, cols, 4);
	return team_handover(c, a->argv[0], to, pool);
}

static const struct opt add_opts[] = {
	{ "role", 0, "ROLE", "admin, manager, rep, finance, service or legal", false },
	{ "team", 0, "TEAM", "the team they are in", false },
	{ "manager", 0, "USER", "their manager (who sees and changes their records)", false },
	{ "label", 0, "显示名", "the name people know them by", false },
	OPT_END
};

static const struct opt list_opts[] = {
	{ "role", 0, "ROLE", "only users with this role", false },
	{ "team", 0, "TEAM", "only users of this team", false },
	{ "status", 0, "active|left", "only users with this status", false },
	{ "where", 'w', "EXPR", "SQL expression over the fields", false },
	{ "sort", 0, "FIELD[,-FIELD]", "sort by fields (default: name)", false },
	{ "limit", 'n', "N", "at most N users", false },
	OPT_END
};

static const struct opt leave_opts[] = {
	{ "to", 0, "USER", "the user who takes over every record", false },
	{ "to-pool", 0, NULL, "leads and accounts to the pool, the rest to their manager", false },
	OPT_END
};

static const struct cmd_verb user_verbs[] = {
	{ "add", "NAME --role ROLE [--team TEAM] [--manager USER] [--label 显示名] [FIELD=VALUE ...]",
	  "add a user (the first must be an admin), or one per JSON line on stdin", add_opts, DB_WRITE, 0, -1,
	  add_exec, VERB_ADMIN | VERB_SERVER },
	{ "list", "[--role R] [--team T] [--status S] [--where EXPR] [--sort F] [--limit N]",
	  "list the users (exit 1 if none)", list_opts, DB_READ, 0, 0, list_exec, VERB_SERVER },
	{ "show", "[NAME ...]", "print users by name or id, or the users in JSON lines on stdin", NULL, DB_READ, 0,
	  -1, show_exec, VERB_SERVER },
	{ "update", "[NAME ...] [--role R] [--team T] [--manager U] [--label L] [FIELD=VALUE ...]",
	  "change users (names, or JSON lines on stdin)", add_opts, DB_WRITE, 0, -1, update_exec,
	  VERB_ADMIN | VERB_SERVER },
	{ "rm", "[--purge] [NAME ...]", "remove users who own nothing (crm restore brings them back)", rec_rm_opts,
	  DB_WRITE, 0, -1, rm_exec, VERB_ADMIN | VERB_SERVER },
	{ "leave", "NAME (--to USER | --to-pool)",
	  "hand over everything a user owns, in one step, and mark them left", leave_opts, DB_WRITE, 1, 1,
	  leave_exec, VERB_ADMIN | VERB_SERVER },
	{ NULL }
};

const struct cmd_entry cmd_user_entry = {
	.name = "user",
	.summary = "the people who use crm: roles, teams, managers, leaving",
	.verbs = user_verbs,
	.description = "While there are no users, crm is single-user: everyone acts as admin. The\n"
		       "first user must be an admin; from then on the acting user (--as, $CRM_USER,\n"
		       "config user.name, $USER) must be an active user (exit 5 otherwise), and\n"
		       "users and settings are the admin's.\n"
		       "Roles: admin (everything), manager (their own and their teams' records;\n"
		       "approves), rep (their own records, records shared with them, the pool),\n"
		       "finance (quotes, contracts, orders, plans, payments, invoices and the\n"
		       "accounts they belong to; no leads; phones and emails masked), service\n"
		       "(accounts, contacts, tickets, surveys; deals read-only), legal (contracts,\n"
		       "read; approves). A manager manages their own team and the teams whose\n"
		       "members name them with --manager.\n"
		       "User fields: name (what --as, owner= and --manager take; it cannot change),\n"
		       "label, role, team, manager, status (active, left), email, phone, left_at,\n"
		       "tags, note.\n"
		       "'crm user leave alice --to bob' gives bob, in one transaction, every lead,\n"
		       "account, contact, deal, open task and open ticket alice owns, and her\n"
		       "quotes, contracts, orders, plans and invoices (--to-pool: leads and\n"
		       "accounts to the pool, the rest to alice's manager), ends what was shared\n"
		       "with her, marks her left and prints one line per type of record that moved:\n"
		       "{\"type\":\"handover\",\"record_type\":\"lead\",\"count\":12,\"from\":\"alice\",\"to\":\"bob\"}.\n"
		       "Her activities stay hers (they are what she did). Each record's history\n"
		       "shows the handover; from then on --as alice exits 5.\n"
		       "A user who owns records cannot be removed (exit 4): hand them over first.\n"
		       "Automation acts for the system: a rule fired by a rep's change may change\n"
		       "records the rep may not (rules are the admin's settings).\n"
		       "On a team server (crm help server) a user is also a login role in the\n"
		       "group of their role (crm_rep, ...): add makes it, update role=R moves it\n"
		       "to crm_R, leave and rm end it (no group, no login: exit 5 connecting),\n"
		       "restore gives it back, all in the same transaction as the user's row.",
};
