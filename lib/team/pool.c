/* pool.c: the public pool (公海). See pool.h. */
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/sbuf.h"
#include "core/config.h"
#include "core/db.h"
#include "core/record.h"
#include "io/out.h"
#include "team/pool.h"
#include "team/state.h"

char *pool_types(struct crm *c)
{
	struct sbuf b = { 0 };
	for (int i = 0; type_at(c, i); i++)
		if (type_pooled(type_at(c, i))) {
			sbuf_add(&b, b.len ? ", " : "");
			sbuf_add(&b, type_at(c, i)->plural);
		}
	return b.s ? sbuf_detach(&b) : xstrdup("none");
}

static int not_pooled(struct crm *c, const struct type *t, long long id)
{
	char *names = pool_types(c);
	int rc = crm_error(c, CRM_USAGE, "%s:%lld: only %s are in the pool", t->name, id, names);
	free(names);
	return rc;
}

/* A customer is closed when a record that refers to it is won or signed
 * (a won deal of an account or of a lead, a signed contract: the cash
 * layer's, once it declares one): it is exempt from reclaim and does not
 * count towards the holding limit. Over alias; "0" when nothing can. */
static char *closed_sql(struct crm *c, const struct type *t, const char *alias)
{
	struct sbuf b = { 0 };
	for (int i = 0; type_at(c, i); i++) {
		const struct type *u = type_at(c, i);
		if (!type_field(u, "status"))
			continue;
		for (int j = 0; j < u->nfields; j++) {
			const struct field *f = &u->fields[j];
			if (f->kind != FK_REF || !f->ref || strcmp(f->ref, t->name))
				continue;
			sbuf_addf(&b, "%sEXISTS (SELECT 1 FROM \"%s\" AS k WHERE k.\"%s\" = %s.id AND k.status IN "
				  "('won', 'signed')%s)", b.len ? " OR " : "", u->name, f->name, alias,
				  type_field(u, "deleted_at") ? " AND k.deleted_at IS NULL" : "");
		}
	}
	return b.s ? sbuf_detach(&b) : xstrdup("0");
}

/* An open or won deal of an account (deals are what belongs to it and
 * can be won): NULL when t has none that could. */
static char *deal_sql(struct crm *c, const struct type *t, const char *alias)
{
	struct sbuf b = { 0 };
	for (int i = 0; type_at(c, i); i++) {
		const struct type *u = type_at(c, i);
		const struct field *st = type_field(u, "status");
		if (!st || !st->choices || !strstr(st->choices, "won"))
			continue;
		for (int j = 0; j < u->nfields; j++) {
			const struct field *f = &u->fields[j];
			if (f->kind != FK_REF || !f->ref || strcmp(f->ref, t->name) || !(f->flags & FF_PARENT))
				continue;
			sbuf_addf(&b, "%sEXISTS (SELECT 1 FROM \"%s\" AS k WHERE k.\"%s\" = %s.id AND k.status IN "
				  "('open', 'won') AND k.deleted_at IS NULL)", b.len ? " OR " : "", u->name, f->name, alias);
		}
	}
	return b.s ? sbuf_detach(&b) : NULL;
}

int pool_list(struct crm *c, const struct type *t, const struct query *q)
{
	int rc = CRM_NOTFOUND;
	if (t && !type_pooled(t)) {
		char *names = pool_types(c);
		rc = crm_error(c, CRM_USAGE, "--type: only %s are in the pool, not %s", names, t->plural);
		free(names);
		return rc;
	}
	for (int i = 0; type_at(c, i); i++) {
		const struct type *u = type_at(c, i);
		if ((t && u != t) || !type_pooled(u))
			continue;
		struct query p = *q;
		p.filter = "owner IS NULL";   /* apart from --where, which cannot reach around it */
		int r = query_list(c, u, &p);
		if (r == CRM_OK)
			rc = CRM_OK;
		else if (r != CRM_NOTFOUND)
			return r;
	}
	return rc;
}

static const char *str(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* One write of the pool's: the fields, audited as action with the reason. */
static int pool_write(struct crm *c, const struct type *t, long long id, cJSON *fields, const char *action,
		      const char *reason, const char *rule)
{
	cJSON *extra = cJSON_CreateObject();
	if (reason)
		cJSON_AddStringToObject(extra, "reason", reason);
	if (rule)
		cJSON_AddStringToObject(extra, "rule", rule);
	int rc = record_update_as(c, t, id, fields, REC_SYSTEM, action, extra);
	cJSON_Delete(extra);
	return rc;
}

/* ---- claim ---- */

static long long claims_today(struct crm *c, const char *user)
{
	time_t now = date_now(), day;
	char today[DATE_BUFSZ], start[DATE_BUFSZ];
	date_format_day(now, today);
	if (date_parse(today, now, &day, NULL) != 0)
		day = now;
	date_format(day, start);
	struct db_stmt *st = db_stmt(c, "SELECT count(*) FROM audit WHERE \"user\" = ?1 AND action = 'pool_claim' "
				      "AND julianday(at) >= julianday(?2)");
	if (!st)
		return 0;
	db_bind_text(st, 1, user, -1, DB_TRANSIENT);
	db_bind_text(st, 2, start, -1, DB_TRANSIENT);
	long long n = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 0;
	db_reset(st);
	return n;
}

/* Leads and accounts user holds, closed customers and converted leads
 * left out. */
static long long holding(struct crm *c, const char *user)
{
	long long n = 0;
	for (int i = 0; type_at(c, i); i++) {
		const struct type *t = type_at(c, i);
		if (!type_pooled(t))
			continue;
		char *closed = closed_sql(c, t, "r");
		char *sql = xasprintf("SELECT count(*) FROM \"%s\" AS r WHERE r.owner = ? AND r.deleted_at IS NULL "
				      "AND NOT (%s)%s", t->name, closed,
				      type_field(t, "status") ? " AND coalesce(r.status, '') <> 'converted'" : "");
		n += db_get_int(c, sql, user, 0);
		free(sql);
		free(closed);
	}
	return n;
}

static int limits(struct crm *c, const struct type *t, long long id, const cJSON *r, const char *me)
{
	long long lim = config_get_int(c, "pool.claim_limit", 0);
	long long n;
	if (lim > 0 && (n = claims_today(c, me)) >= lim)
		return crm_error(c, CRM_CONFLICT, "pool.claim_limit: %s has claimed %lld today, the most a day (%lld)",
				 me, n, lim);
	lim = config_get_int(c, "pool.hold_limit", 0);
	if (lim > 0 && (n = holding(c, me)) >= lim)
		return crm_error(c, CRM_CONFLICT, "pool.hold_limit: %s holds %lld leads and accounts, the most one "
				 "may (%lld)", me, n, lim);
	lim = config_get_int(c, "pool.protect_days", 0);
	const char *prev = str(r, "previous_owner");
	if (lim > 0 && prev && !strcmp(prev, me)) {
		char *sql = xasprintf("SELECT pooled_at FROM \"%s\" WHERE id = %lld", t->name, id);
		char *lost = db_get_text(c, sql, NULL);
		free(sql);
		time_t at, now = date_now();
		if (lost && date_parse(lost, now, &at, NULL) == 0 && now < at + (time_t)lim * 86400) {
			char from[DATE_BUFSZ];
			date_format(at + (time_t)lim * 86400, from);
			int rc = crm_error(c, CRM_CONFLICT, "pool.protect_days: %s lost %s:%lld on %.10s and may claim it "
					   "back from %.16s (%lld days)", me, t->name, id, lost, from, lim);
			free(lost);
			return rc;
		}
		free(lost);
	}
	return CRM_OK;
}

int pool_claim(struct crm *c, const struct type *t, long long id, const char *reason)
{
	if (!type_pooled(t))
		return not_pooled(c, t, id);
	const struct actor *a = team_actor(c);
	if (a->active && !actor_is(a, "rep") && !actor_is(a, "manager") && !actor_is(a, "admin"))
		return crm_error(c, CRM_PERM, "the pool is for reps and managers (%s is a %s)", a->user,
				 a->role ? a->role : "not a user");
	cJSON *r = record_get(c, t, id, false);
	if (!r)
		return c->errcode;
	const char *owner = str(r, "owner"), *locked = str(r, "locked_by");
	const char *me = c->user;
	int rc = CRM_OK;
	if (owner && !strcmp(owner, me))
		rc = crm_error(c, CRM_CONFLICT, "%s:%lld is yours already", t->name, id);
	else if (owner)
		rc = crm_error(c, CRM_CONFLICT, "%s:%lld is not in the pool (%s owns it)", t->name, id, owner);
	else if (locked)
		rc = crm_error(c, CRM_CONFLICT, "%s:%lld is locked by %s (crm pool unlock)", t->name, id, locked);
	if (!rc)
		rc = limits(c, t, id, r, me);
	if (!rc) {
		/* a rep may not change a pooled record, but may take it */
		cJSON *ch = cJSON_CreateObject();
		cJSON_AddStringToObject(ch, "owner", me);
		c->system++;
		rc = pool_write(c, t, id, ch, "pool_claim", reason, NULL);
		if (!rc)
			rc = record_announce(c, t, id, "pool.claimed", r);
		c->system--;
		cJSON_Delete(ch);
	}
	cJSON_Delete(r);
	return rc ? rc : record_print(c, t, id);
}

/* ---- release, lock ---- */

int pool_release(struct crm *c, const struct type *t, long long id, const char *reason)
{
	if (!type_pooled(t))
		return not_pooled(c, t, id);
	cJSON *r = record_get(c, t, id, false);
	if (!r)
		return c->errcode;
	const char *owner = str(r, "owner");
	int rc = CRM_OK;
	if (!owner) {
		rc = crm_error(c, CRM_CONFLICT, "%s:%lld is in the pool already", t->name, id);
	} else {
		cJSON *ch = cJSON_CreateObject();
		cJSON_AddNullToObject(ch, "owner");
		cJSON_AddStringToObject(ch, "previous_owner", owner);
		rc = pool_write(c, t, id, ch, "pool_release", reason, NULL);   /* write access: checked */
		cJSON_Delete(ch);
		if (!rc) {
			c->system++;
			rc = record_announce(c, t, id, "pool.released", r);
			c->system--;
		}
	}
	cJSON_Delete(r);
	return rc ? rc : record_print(c, t, id);
}

int pool_lock(struct crm *c, const struct type *t, long long id, const char *reason, bool lock)
{
	if (!type_pooled(t))
		return not_pooled(c, t, id);
	const struct actor *a = team_actor(c);
	if (a->active && !actor_is(a, "manager") && !actor_is(a, "admin"))
		return crm_error(c, CRM_PERM, "%s:%lld: locking is for managers (%s is a %s)", t->name, id, a->user,
				 a->role ? a->role : "not a user");
	cJSON *r = record_get(c, t, id, false);
	if (!r)
		return c->errcode;
	const char *locked = str(r, "locked_by");
	int rc = CRM_OK;
	if (lock && locked)
		rc = crm_error(c, CRM_CONFLICT, "%s:%lld is locked already (by %s)", t->name, id, locked);
	else if (!lock && !locked)
		rc = crm_error(c, CRM_CONFLICT, "%s:%lld is not locked", t->name, id);
	if (!rc) {
		cJSON *ch = cJSON_CreateObject();
		if (lock)
			cJSON_AddStringToObject(ch, "locked_by", c->user);
		else
			cJSON_AddNullToObject(ch, "locked_by");
		rc = pool_write(c, t, id, ch, lock ? "pool_lock" : "pool_unlock", reason, NULL);
		cJSON_Delete(ch);
	}
	cJSON_Delete(r);
	return rc ? rc : record_print(c, t, id);
}

/* ---- the tick: reminders and reclaims ---- */

static void tick_line(struct crm *c, const char *action, const struct type *t, long long id, const char *name,
		      const char *owner, const char *rule, const char *reason, bool dry)
{
	char ent[96];
	snprintf(ent, sizeof(ent), "%s:%lld", t->name, id);
	out_begin(c->out);
	out_str(c->out, "type", "pool");
	out_str(c->out, "action", action);
	out_str(c->out, "entity", ent);
	out_str(c->out, "name", name);
	out_str(c->out, !strcmp(action, "reclaimed") ? "previous_owner" : "owner", owner);
	out_str(c->out, "rule", rule);
	out_str(c->out, "reason", reason);
	if (dry)
		out_bool(c->out, "dry_run", true);
	out_end(c->out);
}

static int remind(struct crm *c, const struct type *t, long long id, const char *name, const char *owner,
		  const char *basis, const char *due, const char *rule, bool dry, long *done)
{
	char ent[96];
	snprintf(ent, sizeof(ent), "%s:%lld", t->name, id);
	struct db_stmt *st = db_stmt(c, "SELECT 1 FROM pool_reminder WHERE entity = ? AND basis = ?");
	if (!st)
		return c->errcode;
	db_bind_text(st, 1, ent, -1, DB_TRANSIENT);
	db_bind_text(st, 2, basis, -1, DB_TRANSIENT);
	bool sent = db_step(st) == DB_ROW;
	db_reset(st);
	if (sent)
		return CRM_OK;   /* once for this deadline */
	char *why = xasprintf("goes back to the pool on %.10s (%s)", due, rule);
	tick_line(c, "reminded", t, id, name, owner, rule, why, dry);
	free(why);
	(*done)++;
	if (dry)
		return CRM_OK;
	const struct type *tt = type_find(c, "task");
	long long tid = 0;
	int rc = CRM_OK;
	if (tt) {
		cJSON *f = cJSON_CreateObject();
		char *title = xasprintf("即将进入公海: %s", name ? name : ent);
		cJSON_AddStringToObject(f, "entity", ent);
		cJSON_AddStringToObject(f, "title", title);
		cJSON_AddStringToObject(f, "owner", owner);
		cJSON_AddStringToObject(f, "due", due);
		cJSON_AddStringToObject(f, "priority", "high");
		cJSON_AddStringToObject(f, "rule", rule);
		rc = record_insert(c, tt, f, 0, &tid, NULL);
		free(title);
		cJSON_Delete(f);
	}
	if (rc)
		return rc;
	char now[DATE_BUFSZ];
	date_format(date_now(), now);
	st = db_stmt(c, "INSERT INTO pool_reminder(entity, basis, task_id, at) VALUES (?, ?, ?, ?) "
			"ON CONFLICT (entity, basis) DO UPDATE SET task_id = excluded.task_id, at = excluded.at");
	if (!st)
		return c->errcode;
	db_bind_text(st, 1, ent, -1, DB_TRANSIENT);
	db_bind_text(st, 2, basis, -1, DB_TRANSIENT);
	db_bind_int64(st, 3, tid);
	db_bind_text(st, 4, now, -1, DB_TRANSIENT);
	int src = db_step(st);
	db_reset(st);
	return src == DB_DONE ? CRM_OK : crm_dberror(c, src, "pool");
}

static int reclaim(struct crm *c, const struct type *t, long long id, const char *name, const char *owner,
		   const char *rule, const char *reason, bool dry, long *done)
{
	tick_line(c, "reclaimed", t, id, name, owner, rule, reason, dry);
	(*done)++;
	if (dry)
		return CRM_OK;
	cJSON *before = record_get(c, t, id, false);
	if (!before)
		return c->errcode;
	cJSON *ch = cJSON_CreateObject();
	cJSON_AddNullToObject(ch, "owner");
	cJSON_AddStringToObject(ch, "previous_owner", owner);
	int rc = pool_write(c, t, id, ch, "pool_reclaim", reason, rule);
	cJSON_Delete(ch);
	if (!rc)
		rc = record_announce(c, t, id, "pool.reclaimed", before);
	cJSON_Delete(before);
	if (!rc) {
		char ent[96];
		snprintf(ent, sizeof(ent), "%s:%lld", t->name, id);
		struct db_stmt *st = db_stmt(c, "DELETE FROM pool_reminder WHERE entity = ?");
		if (!st)
			return c->errcode;
		db_bind_text(st, 1, ent, -1, DB_TRANSIENT);
		db_step(st);
		db_reset(st);
	}
	return rc;
}

/* The owned, unlocked, open records of t with how long they have been
 * idle (since the later of their last activity and when the owner got
 * them) and owned, and whether they have a deal. */
static const char candidates_sql[] =
	"SELECT id, name, owner, basis, julianday(?1) - julianday(basis), owned, "
	"  julianday(?1) - julianday(owned), has_deal FROM ("
	"  SELECT r.id, r.name, r.owner, %s AS has_deal, coalesce(r.owned_at, r.created_at) AS owned, "
	"    CASE WHEN r.last_contacted_at IS NOT NULL AND julianday(r.last_contacted_at) > "
	"      julianday(coalesce(r.owned_at, r.created_at)) THEN r.last_contacted_at "
	"      ELSE coalesce(r.owned_at, r.created_at) END AS basis "
	"  FROM \"%s\" AS r WHERE r.owner IS NOT NULL AND r.deleted_at IS NULL AND r.locked_by IS NULL "
	"  AND NOT (%s)) AS c ORDER BY id";

static int tick_type(struct crm *c, const struct type *t, long long days, long long nodeal, long long remind_k,
		     bool dry, long *done)
{
	char now[DATE_BUFSZ];
	date_format(date_now(), now);
	char *closed = closed_sql(c, t, "r");
	char *deal = deal_sql(c, t, "r");
	bool deals = deal != NULL;
	char *sql = xasprintf(candidates_sql, deal ? deal : "0", t->name, closed);
	free(closed);
	free(deal);
	struct db_stmt *st;
	int rc = db_prepare(c, sql, -1, &st, NULL);
	free(sql);
	if (rc != DB_OK)
		return crm_dberror(c, rc, "pool tick");
	db_bind_text(st, 1, now, -1, DB_TRANSIENT);
	struct cand {
		long long id;
		char *name, *owner, *basis, *owned;
		double idle, held;
		bool has_deal;
	} *cs = NULL;
	int n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		cs = xrealloc(cs, (n + 1) * sizeof(*cs));
		struct cand *x = &cs[n++];
		x->id = db_column_int64(st, 0);
		x->name = db_column_text(st, 1) ? xstrdup((const char *)db_column_text(st, 1)) : NULL;
		x->owner = xstrdup((const char *)db_column_text(st, 2));
		x->basis = xstrdup((const char *)db_column_text(st, 3));
		x->idle = db_column_double(st, 4);
		x->owned = xstrdup((const char *)db_column_text(st, 5));
		x->held = db_column_double(st, 6);
		x->has_deal = db_column_int(st, 7) != 0;
	}
	db_finalize(st);
	rc = rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "pool tick");
	for (int i = 0; i < n && !rc; i++) {
		struct cand *x = &cs[i];
		char reason[256], basis[128];
		if (days > 0 && x->idle >= (double)days) {
			snprintf(reason, sizeof(reason), "no activity for %lld days (pool.reclaim_days %lld)",
				 (long long)x->idle, days);
			rc = reclaim(c, t, x->id, x->name, x->owner, "pool.reclaim_days", reason, dry, done);
		} else if (nodeal > 0 && deals && !x->has_deal && x->held >= (double)nodeal) {
			snprintf(reason, sizeof(reason), "no open or won deal %lld days after %s got it "
				 "(pool.reclaim_no_deal_days %lld)", (long long)x->held, x->owner, nodeal);
			rc = reclaim(c, t, x->id, x->name, x->owner, "pool.reclaim_no_deal_days", reason, dry, done);
		} else if (remind_k > 0) {
			time_t b;
			if (days > 0 && x->idle >= (double)(days - remind_k)
			    && date_parse(x->basis, date_now(), &b, NULL) == 0) {
				char due[DATE_BUFSZ];
				date_format(b + (time_t)days * 86400, due);
				snprintf(basis, sizeof(basis), "activity %s", x->basis);
				rc = remind(c, t, x->id, x->name, x->owner, basis, due, "pool.reclaim_days", dry, done);
			}
			if (!rc && nodeal > 0 && deals && !x->has_deal && x->held >= (double)(nodeal - remind_k)
			    && date_parse(x->owned, date_now(), &b, NULL) == 0) {
				char due[DATE_BUFSZ];
				date_format(b + (time_t)nodeal * 86400, due);
				snprintf(basis, sizeof(basis), "no deal %s", x->owned);
				rc = remind(c, t, x->id, x->name, x->owner, basis, due, "pool.reclaim_no_deal_days", dry,
					    done);
			}
		}
	}
	for (int i = 0; i < n; i++) {
		free(cs[i].name);
		free(cs[i].owner);
		free(cs[i].basis);
		free(cs[i].owned);
	}
	free(cs);
	return rc;
}

int pool_tick(struct crm *c, bool all, bool dry)
{
	(void)all;
	long long days = config_get_int(c, "pool.reclaim_days", 0);
	long long nodeal = config_get_int(c, "pool.reclaim_no_deal_days", 0);
	long long remind_k = config_get_int(c, "pool.remind_days", 0);
	if (days <= 0 && nodeal <= 0)
		return CRM_NOTFOUND;
	long done = 0;
	int rc = CRM_OK;
	for (int i = 0; type_at(c, i) && !rc; i++)
		if (type_pooled(type_at(c, i)))
			rc = tick_type(c, type_at(c, i), days, nodeal, remind_k, dry, &done);
	return rc ? rc : done ? CRM_OK : CRM_NOTFOUND;
}

void pool_pg_triggers(struct sbuf *ddl)
{
	sbuf_add(ddl, "CREATE FUNCTION crm_owner_changed() RETURNS trigger LANGUAGE plpgsql AS $crm$ BEGIN "
		 "IF TG_OP = 'INSERT' THEN "
		 "IF NEW.owner IS NOT NULL AND NEW.owned_at IS NULL THEN NEW.owned_at := NEW.created_at; END IF; "
		 "ELSIF NEW.owner IS DISTINCT FROM OLD.owner THEN "
		 "NEW.owned_at := CASE WHEN NEW.owner IS NULL THEN NULL ELSE NEW.updated_at END; "
		 "IF NEW.owner IS NULL THEN NEW.pooled_at := NEW.updated_at; END IF; "
		 "IF NEW.owner IS NULL AND OLD.owner IS NOT NULL THEN NEW.previous_owner := OLD.owner; END IF; "
		 "END IF; RETURN NEW; END $crm$;\n");
	static const char *const pooled[] = { "lead", "account" };   /* as schema 021 */
	/* the WHEN clauses spare the rows that need nothing the function
	 * call (a migrate's COPY of every lead) */
	for (size_t i = 0; i < sizeof(pooled) / sizeof(*pooled); i++)
		sbuf_addf(ddl, "CREATE TRIGGER %s_owned BEFORE INSERT ON \"%s\" FOR EACH ROW "
			  "WHEN (NEW.owner IS NOT NULL AND NEW.owned_at IS NULL) EXECUTE FUNCTION crm_owner_changed();\n"
			  "CREATE TRIGGER %s_owner_changed BEFORE UPDATE OF owner ON \"%s\" FOR EACH ROW "
			  "WHEN (NEW.owner IS DISTINCT FROM OLD.owner) EXECUTE FUNCTION crm_owner_changed();\n",
			  pooled[i], pooled[i], pooled[i], pooled[i]);
}
