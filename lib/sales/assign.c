/* assign.c: giving records to reps. See assign.h. */
#include <stdlib.h>
#include <string.h>

#include "sales/assign.h"
#include "core/audit.h"
#include "core/config.h"
#include "base/date.h"
#include "core/db.h"
#include "io/out.h"
#include "core/record.h"
#include "team/team.h"

/* The title of the task assign makes for a lead's first contact. */
#define FIRST_CONTACT "首次联系"

int assign_by_parse(const char *s, enum assign_by *by)
{
	static const char *const names[] = { "region", "industry", "source", "round-robin", "least-loaded" };
	for (int i = 0; i < 5; i++)
		if (!strcmp(s, names[i])) {
			*by = (enum assign_by)i;
			return 0;
		}
	return -1;
}

int assigner_init(struct crm *c, struct assigner *as, enum assign_by by, const char *team)
{
	memset(as, 0, sizeof(*as));
	as->by = by;
	as->team = xstrdup(team ? team : "default");
	char *members = NULL;
	if (team_active(c)) {
		/* the active users with role rep (of the team when given) */
		char **reps = team_users_with_role(c, "rep", team);
		for (int i = 0; reps[i]; i++) {
			as->rep = xrealloc(as->rep, (as->nrep + 1) * sizeof(char *));
			as->rep[as->nrep++] = xstrdup(reps[i]);
		}
		team_names_free(reps);
	} else {
		char *key = xasprintf("team.%s", as->team);
		members = config_get(c, key);
		free(key);
	}
	if (members) {
		char *save = NULL;
		for (char *m = strtok_r(members, ",， ", &save); m; m = strtok_r(NULL, ",， ", &save)) {
			as->rep = xrealloc(as->rep, (as->nrep + 1) * sizeof(char *));
			as->rep[as->nrep++] = xstrdup(m);
		}
		free(members);
	}
	bool needs_team = by == BY_ROUND_ROBIN || by == BY_LEAST_LOADED;
	if (needs_team && !as->nrep) {
		int rc = team_active(c)
			? (team ? crm_error(c, CRM_USAGE, "team %s has no active users with role rep (crm user add NAME "
					    "--role rep --team %s)", team, team)
				: crm_error(c, CRM_USAGE, "there are no active users with role rep (crm user add NAME "
					    "--role rep)"))
			: crm_error(c, CRM_USAGE, "team %s has no members: crm config set team.%s alice,bob,carol",
				    as->team, as->team);
		assigner_release(as);
		return rc;
	}
	as->load = xcalloc(as->nrep ? as->nrep : 1, sizeof(long long));
	if (by == BY_LEAST_LOADED)
		for (int i = 0; i < as->nrep; i++) {
			/* open leads and open deals */
			struct db_stmt *st = db_stmt(c, "SELECT (SELECT count(*) FROM lead WHERE owner = ?1 AND deleted_at IS NULL "
						      "AND status NOT IN ('converted', 'disqualified')) + (SELECT count(*) FROM deal "
						      "WHERE owner = ?1 AND deleted_at IS NULL AND status = 'open')");
			if (!st)
				return c->errcode;
			db_bind_text(st, 1, as->rep[i], -1, DB_TRANSIENT);
			if (db_step(st) == DB_ROW)
				as->load[i] = db_column_int64(st, 0);
			db_reset(st);
		}
	return CRM_OK;
}

void assigner_release(struct assigner *as)
{
	for (int i = 0; i < as->nrep; i++)
		free(as->rep[i]);
	free(as->rep);
	free(as->load);
	free(as->team);
	memset(as, 0, sizeof(*as));
}

/* The next rep in turn; the position is kept in the database. */
static char *round_robin(struct crm *c, struct assigner *as)
{
	long long next = db_get_int(c, "SELECT next FROM assign_state WHERE team = ?", as->team, 0);
	char *rep = xstrdup(as->rep[next % as->nrep]);
	struct db_stmt *st = db_stmt(c, "INSERT INTO assign_state(team, next) VALUES (?1, ?2) "
				      "ON CONFLICT(team) DO UPDATE SET next = ?2");
	if (st) {
		db_bind_text(st, 1, as->team, -1, DB_TRANSIENT);
		db_bind_int64(st, 2, (next + 1) % as->nrep);
		db_step(st);
		db_reset(st);
	}
	return rep;
}

static char *least_loaded(struct assigner *as)
{
	int best = 0;
	for (int i = 1; i < as->nrep; i++)
		if (as->load[i] < as->load[best])
			best = i;
	as->load[best]++;
	return xstrdup(as->rep[best]);
}

/* A mapping rule for the record's region, industry or source. */
static char *by_rule(struct crm *c, const char *field, const cJSON *rec)
{
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(rec, field));
	if (!v)
		return NULL;
	struct db_stmt *st = db_stmt(c, "SELECT owner FROM assign_rule WHERE field = ? AND value = ? ORDER BY id LIMIT 1");
	if (!st)
		return NULL;
	db_bind_text(st, 1, field, -1, DB_TRANSIENT);
	db_bind_text(st, 2, v, -1, DB_TRANSIENT);
	char *owner = NULL;
	if (db_step(st) == DB_ROW)
		owner = xstrdup((const char *)db_column_text(st, 0));
	db_reset(st);
	return owner;
}

/* The first-contact task: sooner for hot leads. */
static int first_contact(struct crm *c, const struct type *t, long long id, const char *owner, const cJSON *rec)
{
	if (strcmp(t->name, "lead"))
		return CRM_OK;
	const cJSON *score = cJSON_GetObjectItem(rec, "score");
	long long hot = config_get_int(c, "score.sql", 60);
	long long hours = cJSON_IsNumber(score) && score->valuedouble > (double)hot
		? config_get_int(c, "assign.hot_hours", 2) : config_get_int(c, "assign.first_contact_hours", 24);
	char due[DATE_BUFSZ], ent[64];
	date_format(date_now() + (time_t)hours * 3600, due);
	snprintf(ent, sizeof(ent), "lead:%lld", id);
	/* One first-contact task a lead: assigned again, the open one goes
	 * to the new owner (with the new deadline), or stays as it is. */
	struct db_stmt *st = db_stmt(c, "SELECT id, owner, julianday(due) < julianday(?2) FROM task "
				      "WHERE entity = ?1 AND title = '" FIRST_CONTACT "' "
				      "AND status = 'open' AND deleted_at IS NULL ORDER BY id LIMIT 1");
	if (!st)
		return c->errcode;
	char now[DATE_BUFSZ];
	date_format(date_now(), now);
	db_bind_text(st, 1, ent, -1, DB_TRANSIENT);
	db_bind_text(st, 2, now, -1, DB_TRANSIENT);
	long long open_id = 0;
	bool same = false, overdue = false;
	if (db_step(st) == DB_ROW) {
		open_id = db_column_int64(st, 0);
		const char *o = (const char *)db_column_text(st, 1);
		same = o && !strcmp(o, owner);
		overdue = db_column_int(st, 2) == 1;
	}
	db_reset(st);
	if (same)
		return CRM_OK;
	cJSON *f = cJSON_CreateObject();
	if (!open_id) {
		cJSON_AddStringToObject(f, "entity", ent);
		cJSON_AddStringToObject(f, "title", FIRST_CONTACT);
	}
	/* a deadline already missed stays as it was: the new owner sees how late it is */
	if (!overdue)
		cJSON_AddStringToObject(f, "due", due);
	cJSON_AddStringToObject(f, "owner", owner);
	if (!overdue)
		cJSON_AddStringToObject(f, "priority", hours <= 2 ? "high" : "normal");
	const struct type *tt = type_find(c, "task");
	int rc = open_id ? record_update(c, tt, open_id, f, REC_NO_RULES)
			 : record_insert(c, tt, f, REC_NO_RULES, NULL, NULL);
	cJSON_Delete(f);
	return rc;
}

int assign_first_contact_done(struct crm *c, long long lead_id)
{
	char ent[64], now[DATE_BUFSZ];
	snprintf(ent, sizeof(ent), "lead:%lld", lead_id);
	date_format(date_now(), now);
	struct db_stmt *st;
	if (db_prepare(c, "SELECT id FROM task WHERE entity = ? AND title = '" FIRST_CONTACT "' "
			       "AND status = 'open' AND deleted_at IS NULL ORDER BY id", -1, &st, NULL) != DB_OK)
		return crm_dberror(c, db_errcode(c), "task");
	db_bind_text(st, 1, ent, -1, DB_TRANSIENT);
	long long *ids;
	int n, rc = db_ids(c, st, &ids, &n);
	const struct type *tt = type_find(c, "task");
	for (int i = 0; i < n && !rc; i++) {
		cJSON *f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "status", "done");
		cJSON_AddStringToObject(f, "done_at", now);
		rc = record_update(c, tt, ids[i], f, REC_NO_RULES);
		cJSON_Delete(f);
	}
	free(ids);
	return rc;
}

int assign_one(struct crm *c, struct assigner *as, const struct type *t, long long id, bool print)
{
	if (!type_field(t, "owner"))
		return crm_error(c, CRM_USAGE, "%s records have no owner", t->name);
	cJSON *rec = record_get(c, t, id, false);
	if (!rec)
		return c->errcode;
	const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "status"));
	bool converted = !strcmp(t->name, "lead") && status && !strcmp(status, "converted");
	if (converted && !as->force) {
		cJSON_Delete(rec);
		return crm_error(c, CRM_CONFLICT, "lead:%lld is converted: its account, contact and deal have "
				 "their owners (--force assigns the lead anyway)", id);
	}
	static const char *const fields[] = { "region", "industry", "source" };
	char *owner = NULL;
	if (as->by <= BY_SOURCE)
		owner = by_rule(c, fields[as->by], rec);
	if (!owner && as->nrep)
		owner = as->by == BY_LEAST_LOADED ? least_loaded(as) : round_robin(c, as);
	int rc = CRM_OK;
	if (!owner) {
		const char *val = cJSON_GetStringValue(cJSON_GetObjectItem(rec, fields[as->by]));
		rc = crm_error(c, CRM_NOTFOUND, "%s:%lld: no assignment rule for %s '%s' and no team to fall back on "
			       "(crm assign rule add %s=... owner=..., or config team.%s)", t->name, id,
			       fields[as->by], val ? val : "",
			       fields[as->by], as->team);
		cJSON_Delete(rec);
		return rc;
	}
	cJSON *ch = cJSON_CreateObject();
	cJSON_AddStringToObject(ch, "owner", owner);
	rc = record_update(c, t, id, ch, 0);
	cJSON_Delete(ch);
	if (!rc && !converted)   /* a converted lead needs no first contact */
		rc = first_contact(c, t, id, owner, rec);
	free(owner);
	cJSON_Delete(rec);
	return rc || !print ? rc : record_print(c, t, id);
}

/* ---- mapping rules ---- */

int assign_rule_add(struct crm *c, const char *field, const char *value, const char *owner)
{
	if (strcmp(field, "region") && strcmp(field, "industry") && strcmp(field, "source"))
		return crm_error(c, CRM_USAGE, "assignment rules map region, industry or source, not '%s'", field);
	/* one owner a value: a second rule would never be used */
	struct db_stmt *st = db_stmt(c, "SELECT owner FROM assign_rule WHERE field = ? AND value = ? ORDER BY id LIMIT 1");
	if (!st)
		return c->errcode;
	db_bind_text(st, 1, field, -1, DB_TRANSIENT);
	db_bind_text(st, 2, value, -1, DB_TRANSIENT);
	char *had = db_step(st) == DB_ROW ? xstrdup((const char *)db_column_text(st, 0)) : NULL;
	db_reset(st);
	if (had) {
		int rc = crm_error(c, CRM_CONFLICT, "%s=%s already goes to %s (crm assign rule rm %s=%s first)",
				   field, value, had, field, value);
		free(had);
		return rc;
	}
	char now[DATE_BUFSZ];
	date_format(date_now(), now);
	st = db_stmt(c, "INSERT INTO assign_rule(field, value, owner, created_at) VALUES (?, ?, ?, ?)");
	if (!st)
		return c->errcode;
	db_bind_text(st, 1, field, -1, DB_TRANSIENT);
	db_bind_text(st, 2, value, -1, DB_TRANSIENT);
	db_bind_text(st, 3, owner, -1, DB_TRANSIENT);
	db_bind_text(st, 4, now, -1, DB_TRANSIENT);
	int rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "assignment rule");
	long long id = db_last_insert_id(c);
	char *entity = xasprintf("assign_rule:%lld", id);
	cJSON *a = cJSON_CreateObject();
	cJSON_AddStringToObject(a, field, value);
	cJSON_AddStringToObject(a, "owner", owner);
	char *after = cJSON_PrintUnformatted(a);
	rc = audit_log(c, entity, "insert", NULL, after);
	cJSON_free(after);
	cJSON_Delete(a);
	free(entity);
	return rc ? rc : assign_rule_list(c, id);
}

int assign_rule_list(struct crm *c, long long only)
{
	struct db_stmt *st = db_stmt(c, "SELECT id, field, value, owner FROM assign_rule WHERE ?1 = 0 OR id = ?1 ORDER BY id");
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, only);
	static const char *const cols[] = { "id", "field", "value", "owner" };
	out_columns(c->out, cols, 4);
	int n = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		out_begin(c->out);
		out_str(c->out, "type", "assign_rule");
		out_int(c->out, "id", db_column_int64(st, 0));
		out_str(c->out, "field", (const char *)db_column_text(st, 1));
		out_str(c->out, "value", (const char *)db_column_text(st, 2));
		out_str(c->out, "owner", (const char *)db_column_text(st, 3));
		out_end(c->out);
		n++;
	}
	db_reset(st);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "assignment rule");
	return n ? CRM_OK : CRM_NOTFOUND;
}

int assign_rule_rm(struct crm *c, long long id)
{
	struct db_stmt *st = db_stmt(c, "DELETE FROM assign_rule WHERE id = ?");
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "assignment rule");
	if (!db_changes(c))
		return crm_error(c, CRM_NOTFOUND, "no assignment rule %lld", id);
	char *entity = xasprintf("assign_rule:%lld", id);
	rc = audit_log(c, entity, "delete", NULL, NULL);
	free(entity);
	return rc;
}

int assign_rule_rm_match(struct crm *c, const char *field, const char *value)
{
	struct db_stmt *st;
	if (db_prepare(c, "SELECT id FROM assign_rule WHERE field = ? AND value = ? ORDER BY id",
			       -1, &st, NULL) != DB_OK)
		return crm_dberror(c, db_errcode(c), "assignment rule");
	db_bind_text(st, 1, field, -1, DB_TRANSIENT);
	db_bind_text(st, 2, value, -1, DB_TRANSIENT);
	long long *ids;
	int n, rc = db_ids(c, st, &ids, &n);
	for (int i = 0; i < n && !rc; i++)
		rc = assign_rule_rm(c, ids[i]);
	free(ids);
	if (!rc && !n)
		rc = crm_error(c, CRM_NOTFOUND, "no assignment rule for %s=%s", field, value);
	return rc;
}
