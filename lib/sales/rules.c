/* rules.c: automation rules: event rules fired by record changes, tick
 * rules run by crm automate. See rules.h. */
#include <stdlib.h>
#include <string.h>

#include "sales/assign.h"
#include "core/audit.h"
#include "core/config.h"
#include "base/date.h"
#include "core/db.h"
#include "core/dialect.h"
#include "core/event.h"
#include "core/hook.h"
#include "io/out.h"
#include "core/query.h"
#include "core/record.h"
#include "sales/rules.h"
#include "sales/score.h"
#include "base/split.h"
#include "base/text.h"
#include "team/team.h"

struct rule {
	long long id;
	char *name, *event, *type, *cond;
	long long every;
	cJSON *actions;     /* array of strings */
	char *last_run;
	char *cond_sql;     /* cond checked and expanded, the first time */
};

struct rule_cache {
	int n;
	struct rule *r;
};

static void rule_free(struct rule *r)
{
	free(r->name);
	free(r->event);
	free(r->type);
	free(r->cond);
	free(r->last_run);
	free(r->cond_sql);
	cJSON_Delete(r->actions);
}

/* The key of the rules read for this command (crm_slot_get). */
static const char rules_slot = 0;

static void cache_free(void *p)
{
	struct rule_cache *rc = p;
	for (int i = 0; i < rc->n; i++)
		rule_free(&rc->r[i]);
	free(rc->r);
	free(rc);
}

void rules_release(struct crm *c)
{
	crm_slot_drop(c, &rules_slot);
}

static const char *col(struct db_stmt *st, int i)
{
	return (const char *)db_column_text(st, i);
}

/* All rules, read once per command (rule add/rm forget them). */
static struct rule_cache *rules_load(struct crm *c)
{
	struct rule_cache *rc = crm_slot_get(c, &rules_slot);
	if (rc)
		return rc;
	rc = xcalloc(1, sizeof(*rc));
	crm_slot_set(c, &rules_slot, rc, cache_free);
	struct db_stmt *st;
	if (db_prepare(c, "SELECT id, name, event, type, cond, every, actions, last_run FROM rule ORDER BY id",
			       -1, &st, NULL) != DB_OK)
		return rc;   /* an older schema: no rules */
	while (db_step(st) == DB_ROW) {
		rc->r = xrealloc(rc->r, (rc->n + 1) * sizeof(*rc->r));
		struct rule *r = &rc->r[rc->n++];
		memset(r, 0, sizeof(*r));
		r->id = db_column_int64(st, 0);
		r->name = xstrdup(col(st, 1));
		r->event = xstrdup(col(st, 2));
		r->type = col(st, 3) ? xstrdup(col(st, 3)) : NULL;
		r->cond = col(st, 4) ? xstrdup(col(st, 4)) : NULL;
		r->every = db_column_int64(st, 5);
		r->actions = cJSON_Parse(col(st, 6));
		r->last_run = col(st, 7) ? xstrdup(col(st, 7)) : NULL;
	}
	db_finalize(st);
	return rc;
}

/* Whether the rule's --when holds for record id of type t. */
static int cond_holds(struct crm *c, struct rule *r, const struct type *t, long long id, bool *holds)
{
	*holds = true;
	if (!r->cond)
		return CRM_OK;
	if (!r->cond_sql) {   /* checked once per command, not once per record */
		char *expr = NULL;
		int rc = query_expr_one(c, t, r->cond, &expr);
		if (rc)
			return rc;
		char *src = query_source(t);
		r->cond_sql = xasprintf("SELECT 1 FROM %s WHERE r.id = ? AND (%s)", src, expr);
		free(src);
		free(expr);
	}
	char *sql = xstrdup(r->cond_sql);
	struct db_stmt *st = db_stmt(c, sql);
	free(sql);
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, id);
	*holds = db_step(st) == DB_ROW;
	db_reset(st);
	return CRM_OK;
}

/* ---- actions ---- */

/* The record an action acts on: the actions of a record about another
 * (an activity, a task, a survey: its FF_ABOUT entity) go to that one. */
static int target_of(struct crm *c, const struct type *t, long long id, const struct type **tt, long long *tid)
{
	*tt = t;
	*tid = id;
	const struct field *about = type_field_flagged(t, FF_ABOUT);
	if (!about || about->kind != FK_ENTITY)
		return CRM_OK;
	cJSON *rec = record_get(c, t, id, true);
	const char *e = cJSON_GetStringValue(cJSON_GetObjectItem(rec, about->name));
	int rc = e ? entity_parse(c, e, NULL, tt, tid) : CRM_OK;
	cJSON_Delete(rec);
	return rc;
}

/* "owner", "manager" or a user name, for a record owned by owner. */
static char *who(struct crm *c, const char *spec, const char *owner)
{
	if (!spec || !strcmp(spec, "owner"))
		return xstrdup(owner ? owner : c->user);
	if (!strcmp(spec, "manager")) {
		/* the owner's manager: theirs as a user, else config manager.NAME */
		char *m = team_active(c) ? team_manager_of(c, owner ? owner : c->user) : NULL;
		if (m)
			return m;
		char *key = xasprintf("manager.%s", owner ? owner : c->user);
		m = config_get(c, key);
		free(key);
		if (!m)
			m = config_get(c, "manager");
		return m ? m : xstrdup(owner ? owner : c->user);
	}
	return xstrdup(spec);
}

/* The value of --name in argv[from..], or NULL. */
static const char *opt_of(char **argv, int argc, int from, const char *name)
{
	for (int i = from; i + 1 < argc; i++)
		if (!strcmp(argv[i], name))
			return argv[i + 1];
	return NULL;
}

static int act_task(struct crm *c, const struct rule *ru, char **argv, int argc,
		    const struct type *t, long long id, const char *owner)
{
	char ent[64];
	snprintf(ent, sizeof(ent), "%s:%lld", t->name, id);
	char *o = who(c, opt_of(argv, argc, 2, "--owner"), owner);
	cJSON *f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "entity", ent);
	cJSON_AddStringToObject(f, "title", argv[1]);
	cJSON_AddStringToObject(f, "due", opt_of(argv, argc, 2, "--due") ? opt_of(argv, argc, 2, "--due") : "+1d");
	cJSON_AddStringToObject(f, "owner", o);
	if (opt_of(argv, argc, 2, "--priority"))
		cJSON_AddStringToObject(f, "priority", opt_of(argv, argc, 2, "--priority"));
	cJSON_AddStringToObject(f, "rule", ru->name);
	int rc = record_insert(c, type_find(c, "task"), f, REC_NO_RULES, NULL, NULL);
	cJSON_Delete(f);
	free(o);
	return rc;
}

static int act_tag(struct crm *c, char **argv, int argc, const struct type *t, long long id)
{
	cJSON *rec = record_get(c, t, id, false);
	if (!rec)
		return c->errcode;
	cJSON *tags = cJSON_Duplicate(cJSON_GetObjectItem(rec, "tags"), true);
	if (!tags)
		tags = cJSON_CreateArray();
	bool add = !strcmp(argv[1], "add");
	for (int i = 2; i < argc; i++) {
		int at = -1, k = 0;
		const cJSON *it;
		cJSON_ArrayForEach(it, tags) {
			if (cJSON_IsString(it) && !strcmp(it->valuestring, argv[i]))
				at = k;
			k++;
		}
		if (add && at < 0)
			cJSON_AddItemToArray(tags, cJSON_CreateString(argv[i]));
		else if (!add && at >= 0)
			cJSON_DeleteItemFromArray(tags, at);
	}
	cJSON *ch = cJSON_CreateObject();
	cJSON_AddItemToObject(ch, "tags", tags);
	int rc = record_update(c, t, id, ch, REC_NO_RULES);
	cJSON_Delete(ch);
	cJSON_Delete(rec);
	return rc;
}

static int act_set(struct crm *c, char **argv, int argc, const struct type *t, long long id)
{
	cJSON *ch = cJSON_CreateObject();
	for (int i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (!eq)
			continue;
		char *k = xstrndup(argv[i], (size_t)(eq - argv[i]));
		cJSON_AddStringToObject(ch, k, eq + 1);
		free(k);
	}
	int rc = record_update(c, t, id, ch, REC_NO_RULES);
	cJSON_Delete(ch);
	return rc;
}

static int act_notify(struct crm *c, const struct rule *ru, char **argv, int argc,
		      const struct type *t, long long id, const char *owner)
{
	cJSON *rec = record_get(c, t, id, true);
	cJSON *msg = cJSON_CreateObject();
	char ent[64], *to = who(c, opt_of(argv, argc, 1, "--to"), owner);
	snprintf(ent, sizeof(ent), "%s:%lld", t->name, id);
	cJSON_AddStringToObject(msg, "type", "notify");
	cJSON_AddStringToObject(msg, "rule", ru->name);
	cJSON_AddStringToObject(msg, "entity", ent);
	cJSON_AddStringToObject(msg, "to", to);
	if (argc > 1 && strncmp(argv[1], "--", 2))
		cJSON_AddStringToObject(msg, "text", argv[1]);
	if (rec)
		cJSON_AddItemToObject(msg, "record", rec);
	hook_queue(c, "notify", msg);
	cJSON_Delete(msg);
	free(to);
	c->errmsg[0] = 0;
	return CRM_OK;
}

static int act_assign(struct crm *c, char **argv, int argc, const struct type *t, long long id)
{
	enum assign_by by;
	const char *how = opt_of(argv, argc, 1, "--by");
	if (!how || assign_by_parse(how, &by))
		return crm_error(c, CRM_USAGE, "assign needs --by region|industry|source|round-robin|least-loaded");
	struct assigner as;
	int rc = assigner_init(c, &as, by, opt_of(argv, argc, 1, "--team"));
	as.force = true;   /* a rule's condition chose the record: it is meant */
	if (!rc)
		rc = assign_one(c, &as, t, id, false);
	assigner_release(&as);
	return rc;
}

/* create TYPE FIELD=VALUE...: a record of another type about the one the
 * rule acts on: its references to that record (or to what that record
 * belongs to: a contact's account) and its FF_ABOUT entity are filled
 * unless given, its owner is that record's. */
static int act_create(struct crm *c, const struct rule *ru, char **argv, int argc,
		      const struct type *t, long long id, const char *owner)
{
	const struct type *nt = type_get(c, argv[1]);
	if (!nt)
		return c->errcode;
	cJSON *f = cJSON_CreateObject();
	for (int i = 2; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (!eq)
			continue;
		char *k = xstrndup(argv[i], (size_t)(eq - argv[i]));
		const struct field *kf = type_field_or_ref(nt, k);
		cJSON_DeleteItemFromObjectCaseSensitive(f, kf ? kf->name : k);
		cJSON_AddStringToObject(f, kf ? kf->name : k, eq + 1);
		free(k);
	}
	cJSON *rec = record_get(c, t, id, true);
	const struct field *tp = type_field_flagged(t, FF_PARENT);
	const cJSON *pv = tp ? cJSON_GetObjectItemCaseSensitive(rec, tp->name) : NULL;
	for (int i = 0; i < nt->nfields; i++) {
		const struct field *nf = &nt->fields[i];
		if (nf->flags & (FF_COMPUTED | FF_SYSTEM) || cJSON_GetObjectItemCaseSensitive(f, nf->name))
			continue;
		if (nf->kind == FK_REF && nf->ref && !strcmp(nf->ref, t->name))
			cJSON_AddNumberToObject(f, nf->name, (double)id);
		else if (nf->kind == FK_REF && nf->ref && tp && tp->ref && !strcmp(nf->ref, tp->ref) && cJSON_IsNumber(pv))
			cJSON_AddNumberToObject(f, nf->name, pv->valuedouble);
		else if (nf->kind == FK_ENTITY && nf->flags & FF_ABOUT) {
			char ent[64];
			snprintf(ent, sizeof(ent), "%s:%lld", t->name, id);
			cJSON_AddStringToObject(f, nf->name, ent);
		} else if (!strcmp(nf->name, "owner") && owner)
			cJSON_AddStringToObject(f, "owner", owner);
		else if (!strcmp(nf->name, "rule"))
			cJSON_AddStringToObject(f, "rule", ru->name);
	}
	cJSON_Delete(rec);
	int rc = record_insert(c, nt, f, REC_NO_RULES, NULL, NULL);
	cJSON_Delete(f);
	return rc;
}

static int act_score(struct crm *c, const struct type *t, long long id)
{
	if (strcmp(t->name, "lead"))
		return CRM_OK;
	int rc = db_exec(c, "CREATE TEMP TABLE IF NOT EXISTS score_ids(id INTEGER PRIMARY KEY)");
	if (!rc)
		rc = score_target_add(c, id);
	return rc ? rc : score_run(c, false, false, false);
}

/* Whether value is one field f of t takes; a usage error naming the
 * action when not (a rule that would fail every change it fires on). */
static int value_check(struct crm *c, const char *action, const struct type *t, const struct field *f,
		       const char *value)
{
	cJSON *v = cJSON_CreateString(value);
	char *out = NULL;
	int rc = field_normalize(c, t, f, v, &out);
	free(out);
	cJSON_Delete(v);
	if (rc) {
		char *msg = xstrdup(c->errmsg);
		rc = crm_error(c, CRM_USAGE, "--do %s: %s", action, msg);
		free(msg);
	}
	return rc;
}

/* Check an action's words; t is the type of the record the actions act
 * on (NULL when it depends on the record: an activity's). */
int rules_action_check(struct crm *c, const char *action, const struct type *t)
{
	char **argv;
	int argc = split_words(action, &argv);
	int rc = CRM_OK;
	if (argc < 1)
		rc = crm_error(c, CRM_USAGE, "--do: '%s' is not an action", action);
	else if (!strcmp(argv[0], "task")) {
		time_t tm;
		const char *due = opt_of(argv, argc, 2, "--due");
		const char *prio = opt_of(argv, argc, 2, "--priority");
		const struct type *tt = type_find(c, "task");
		if (argc < 2 || !strncmp(argv[1], "--", 2))
			rc = crm_error(c, CRM_USAGE, "--do task: give the task's title: task \"title\" --due +3d");
		else if (due && date_parse(due, date_now(), &tm, NULL) != 0)
			rc = crm_error(c, CRM_USAGE, "--do task: --due '%s' is not a time", due);
		else if (prio)
			rc = value_check(c, "task", tt, type_field(tt, "priority"), prio);
	} else if (!strcmp(argv[0], "tag")) {
		if (argc < 3 || (strcmp(argv[1], "add") && strcmp(argv[1], "rm")))
			rc = crm_error(c, CRM_USAGE, "--do tag: tag add TAG... or tag rm TAG...");
		else if (t && !type_field(t, "tags"))
			rc = crm_error(c, CRM_USAGE, "--do tag: %s %s has no tags", text_article(t->name), t->name);
	} else if (!strcmp(argv[0], "set")) {
		char *eq = argc >= 2 ? strchr(argv[1], '=') : NULL;
		if (!eq) {
			rc = crm_error(c, CRM_USAGE, "--do set: set FIELD=VALUE");
		} else if (t) {
			*eq = 0;
			const struct field *f = type_field_or_ref(t, argv[1]);   /* account=... too */
			if (!f || f->flags & FF_SYSTEM)
				rc = crm_error(c, CRM_USAGE, "--do set: %s %s has no field '%s' to set",
					       text_article(t->name), t->name, argv[1]);
			else if (*(eq + 1))
				rc = value_check(c, "set", t, f, eq + 1);
		}
	} else if (!strcmp(argv[0], "assign")) {
		enum assign_by by;
		const char *how = opt_of(argv, argc, 1, "--by");
		if (!how || assign_by_parse(how, &by))
			rc = crm_error(c, CRM_USAGE, "--do assign: assign --by region|industry|source|round-robin|least-loaded");
	} else if (!strcmp(argv[0], "create")) {
		const struct type *nt = argc >= 2 ? type_find(c, argv[1]) : NULL;
		if (!nt)
			rc = crm_error(c, CRM_USAGE, "--do create: create TYPE FIELD=VALUE... (create ticket title=客户投诉)");
		for (int i = 2; i < argc && !rc; i++) {
			char *eq = strchr(argv[i], '=');
			if (!eq) {
				rc = crm_error(c, CRM_USAGE, "--do create: '%s' is not FIELD=VALUE", argv[i]);
				break;
			}
			*eq = 0;
			const struct field *f = type_field_or_ref(nt, argv[i]);
			if (!f || f->flags & (FF_SYSTEM | FF_COMPUTED))
				rc = crm_error(c, CRM_USAGE, "--do create: %s %s has no field '%s' to set",
					       text_article(nt->name), nt->name, argv[i]);
			else if (*(eq + 1) && f->kind != FK_REF && f->kind != FK_ENTITY)
				rc = value_check(c, "create", nt, f, eq + 1);
		}
	} else if (strcmp(argv[0], "score") && strcmp(argv[0], "notify")) {
		rc = crm_error(c, CRM_USAGE, "--do: '%s' is not an action (task, set, tag, assign, score, notify, create)",
			       argv[0]);
	}
	if (argc >= 0)
		split_free(argv);
	return rc;
}

static int act(struct crm *c, const struct rule *ru, const char *action, const struct type *t, long long id)
{
	char **argv;
	int argc = split_words(action, &argv);
	if (argc < 1) {
		if (argc == 0)
			split_free(argv);
		return crm_error(c, CRM_USAGE, "'%s' is not an action", action);
	}
	const struct type *tt;
	long long tid;
	int rc = target_of(c, t, id, &tt, &tid);
	char *owner = NULL;
	if (!rc) {
		cJSON *rec = record_get(c, tt, tid, true);
		const char *o = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "owner"));
		owner = o ? xstrdup(o) : NULL;
		cJSON_Delete(rec);
		c->errmsg[0] = 0;
	}
	if (rc)
		;
	else if (!strcmp(argv[0], "task"))
		rc = act_task(c, ru, argv, argc, tt, tid, owner);
	else if (!strcmp(argv[0], "tag"))
		rc = act_tag(c, argv, argc, tt, tid);
	else if (!strcmp(argv[0], "set"))
		rc = act_set(c, argv, argc, tt, tid);
	else if (!strcmp(argv[0], "notify"))
		rc = act_notify(c, ru, argv, argc, tt, tid, owner);
	else if (!strcmp(argv[0], "assign"))
		rc = act_assign(c, argv, argc, tt, tid);
	else if (!strcmp(argv[0], "score"))
		rc = act_score(c, tt, tid);
	else if (!strcmp(argv[0], "create") && argc >= 2)
		rc = act_create(c, ru, argv, argc, tt, tid, owner);
	else
		rc = crm_error(c, CRM_USAGE, "'%s' is not an action", argv[0]);
	free(owner);
	split_free(argv);
	return rc;
}

static int run_actions(struct crm *c, const struct rule *r, const struct type *t, long long id)
{
	const cJSON *a;
	int rc = CRM_OK;
	cJSON_ArrayForEach(a, r->actions) {
		if (!cJSON_IsString(a))
			continue;
		c->depth++;
		rc = c->depth > 8 ? crm_error(c, CRM_CONFLICT, "automation rules loop (more than 8 levels)")
				  : act(c, r, a->valuestring, t, id);
		c->depth--;
		if (rc) {
			char *msg = xstrdup(c->errmsg);
			crm_error(c, rc, "rule %s: %s", r->name, msg);
			free(msg);
			return rc;
		}
	}
	return rc;
}

int rules_fire(struct crm *c, const char *event, const struct type *t, long long id,
	       const cJSON *before, const cJSON *after)
{
	(void)before;
	struct rule_cache *rc = rules_load(c);
	/* A tracked event's rule is checked against the event (its name,
	 * props) and acts on its lead: the task, tag or score is the lead's. */
	const struct type *at = t;
	long long aid = id;
	if (!strcmp(event, "event.tracked")) {
		const cJSON *l = cJSON_GetObjectItem(after, "lead_id");
		if (cJSON_IsNumber(l)) {
			at = type_find(c, "lead");
			aid = (long long)l->valuedouble;
		}
	}
	for (int i = 0; i < rc->n; i++) {
		struct rule *r = &rc->r[i];
		if (strcmp(r->event, event))
			continue;
		/* an event several types publish (pool.claimed): the rule's type */
		if (r->type && strcmp(r->type, t->name))
			continue;
		bool holds;
		int err = cond_holds(c, r, t, id, &holds);
		if (!err && holds)
			err = run_actions(c, r, at, aid);
		if (err)
			return err;
		rc = rules_load(c);   /* an action may not change the rules, but stay safe */
	}
	return CRM_OK;
}

bool rules_wanted(struct crm *c, const char *event)
{
	struct rule_cache *rc = rules_load(c);
	for (int i = 0; i < rc->n; i++)
		if (!strcmp(rc->r[i].event, event))
			return true;
	return false;
}

int rules_on_change(struct crm *c, const struct change *ch)
{
	return rules_fire(c, ch->event, ch->t, ch->id, ch->before, ch->after);
}

/* ---- tick rules ---- */

static bool due_to_run(const struct rule *r, const char *now)
{
	if (!r->last_run)
		return true;
	time_t last, t;
	if (date_parse(r->last_run, date_now(), &last, NULL) || date_parse(now, date_now(), &t, NULL))
		return true;
	return t - last >= r->every;
}

static int fired_print(struct crm *c, const struct rule *r, const char *entity, bool dry)
{
	out_begin(c->out);
	out_str(c->out, "type", "fired");
	out_str(c->out, "rule", r->name);
	out_str(c->out, "entity", entity);
	out_json(c->out, "actions", r->actions);
	if (dry)
		out_bool(c->out, "dry_run", true);
	out_end(c->out);
	return CRM_OK;
}

/* One tick rule over every record of its type: fire for those that newly
 * meet the condition, forget those that no longer do. */
static int tick_one(struct crm *c, struct rule *r, const char *now, bool dry, long *fired)
{
	const struct type *t = type_find(c, r->type);
	if (!t)
		return crm_error(c, CRM_USAGE, "rule %s: unknown type '%s'", r->name, r->type);
	char *expr = NULL;
	int rc = r->cond ? query_expr(c, t, r->cond, &expr) : CRM_OK;
	if (rc)
		return rc;
	char *src = query_source(t);
	const char *tmp = dialect_temp_schema(c);
	char *sql = xasprintf("CREATE TEMP TABLE IF NOT EXISTS tick_now(entity TEXT PRIMARY KEY, id INTEGER); "
			      "DELETE FROM %s.tick_now; "
			      "INSERT INTO %s.tick_now SELECT '%s:' || r.id, r.id FROM %s WHERE r.deleted_at IS NULL AND (%s)",
			      tmp, tmp, t->name, src, expr ? expr : "1 = 1");
	free(src);
	free(expr);
	rc = db_exec(c, sql);
	free(sql);
	if (rc)
		return rc;
	struct db_stmt *st;
	sql = xasprintf("SELECT n.id FROM %s.tick_now n WHERE NOT EXISTS "
			"(SELECT 1 FROM rule_fired f WHERE f.rule_id = ?1 AND f.entity = n.entity) ORDER BY n.id", tmp);
	rc = db_prepare(c, sql, -1, &st, NULL);
	free(sql);
	if (rc != DB_OK)
		return crm_dberror(c, rc, "tick");
	db_bind_int64(st, 1, r->id);
	long long *ids;
	int n;
	if ((rc = db_ids(c, st, &ids, &n)))
		return rc;
	for (int i = 0; i < n && !rc; i++) {
		char ent[64];
		snprintf(ent, sizeof(ent), "%s:%lld", t->name, ids[i]);
		if (!dry)
			rc = run_actions(c, r, t, ids[i]);
		if (!rc) {
			struct db_stmt *ins = db_stmt(c, "INSERT INTO rule_fired(rule_id, entity, at) VALUES (?, ?, ?) "
						      "ON CONFLICT DO NOTHING");
			if (!ins) {
				rc = c->errcode;
				break;
			}
			db_bind_int64(ins, 1, r->id);
			db_bind_text(ins, 2, ent, -1, DB_TRANSIENT);
			db_bind_text(ins, 3, now, -1, DB_TRANSIENT);
			db_step(ins);
			db_reset(ins);
			fired_print(c, r, ent, dry);
			(*fired)++;
		}
	}
	free(ids);
	if (rc)
		return rc;
	/* the condition stopped holding: it may fire again when it holds again */
	char *forget = xasprintf("DELETE FROM rule_fired WHERE rule_id = %lld AND entity NOT IN "
				 "(SELECT entity FROM %s.tick_now); UPDATE rule SET last_run = '%s' WHERE id = %lld",
				 r->id, tmp, now, r->id);
	rc = db_exec(c, forget);
	free(forget);
	return rc;
}

int rules_tick(struct crm *c, bool all, bool dry)
{
	struct rule_cache *rc = rules_load(c);
	char now[DATE_BUFSZ];
	date_format(date_now(), now);
	long fired = 0;
	int err = CRM_OK;
	if (dry)
		c->rollback = c->dry_run = true;   /* from the start: nothing may commit on the way */
	for (int i = 0; i < rc->n && !err; i++) {
		struct rule *r = &rc->r[i];
		if (strcmp(r->event, "tick") || (!all && !due_to_run(r, now)))
			continue;
		err = tick_one(c, r, now, dry, &fired);
	}
	return err ? err : fired ? CRM_OK : CRM_NOTFOUND;
}

/* ---- crm rule add|list|rm|test ---- */

static const char *const events[] = {
	"lead.created", "lead.updated", "lead.qualified", "deal.stage_changed", "activity.created",
	"event.tracked", "tick", NULL
};

static bool event_ok(struct crm *c, const char *ev)
{
	for (int i = 0; events[i]; i++)
		if (!strcmp(events[i], ev))
			return true;
	/* TYPE.created / TYPE.updated for the other types too, and what the
	 * types say they publish */
	return type_event_known(c, ev);
}

int rules_add(struct crm *c, const struct rule_spec *s)
{
	if (!event_ok(c, s->event))
		return crm_error(c, CRM_USAGE, "--on: '%s' is not an event (lead.created, lead.updated, lead.qualified, "
				 "deal.stage_changed, activity.created, event.tracked, tick)", s->event);
	bool tick = !strcmp(s->event, "tick");
	char *tn = NULL;
	if (tick) {
		if (!s->type)
			return crm_error(c, CRM_USAGE, "a tick rule needs --type lead|account|contact|deal|task");
		tn = xstrdup(s->type);
	} else {
		const char *dot = strchr(s->event, '.');
		tn = xstrndup(s->event, (size_t)(dot - s->event));
		if (!type_find(c, tn)) {
			/* not TYPE.x (pool.claimed): the type that publishes it,
			 * --type when several do */
			free(tn);
			tn = NULL;
			const struct type *want = s->type ? type_find(c, s->type) : NULL;
			for (int i = 0; !tn && type_at(c, i); i++) {
				const struct type *u = type_at(c, i);
				for (const char *const *e = u->events; e && *e && !tn; e++)
					if (!strcmp(*e, s->event) && (!want || want == u))
						tn = xstrdup(u->name);
			}
			if (!tn)
				return crm_error(c, CRM_USAGE, "--type %s does not go with --on %s", s->type, s->event);
		}
		if (s->type && strcmp(s->type, tn) && strcmp(s->type, type_find(c, tn)->plural)) {
			free(tn);
			return crm_error(c, CRM_USAGE, "--type %s does not go with --on %s", s->type, s->event);
		}
	}
	const struct type *t = type_get(c, tn);
	free(tn);
	if (!t)
		return c->errcode;
	long long every = 0;
	if (s->every && duration_parse(s->every, &every) != 0)
		return crm_error(c, CRM_USAGE, "--every: '%s' is not a span (1m, 1h, 1d)", s->every);
	if (tick && !s->every)
		every = 3600;
	if (!tick && s->every)
		return crm_error(c, CRM_USAGE, "--every is for --on tick rules");
	if (!s->nactions)
		return crm_error(c, CRM_USAGE, "what should the rule do? --do ACTION (task, set, tag, assign, score, notify)");
	int rc = CRM_OK;
	if (s->cond) {
		char *expr = NULL;
		rc = query_expr(c, t, s->cond, &expr);
		free(expr);
		if (rc)
			return rc;
	}
	/* what the actions act on: the record it is about (an activity's or a
	 * survey's: any), an event's lead */
	const struct field *about = !tick ? type_field_flagged(t, FF_ABOUT) : NULL;
	const struct type *target = !about ? t : about->kind == FK_ENTITY ? NULL
				  : about->ref ? type_find(c, about->ref) : t;
	cJSON *acts = cJSON_CreateArray();
	for (int i = 0; i < s->nactions && !rc; i++) {
		rc = rules_action_check(c, s->actions[i], target);
		cJSON_AddItemToArray(acts, cJSON_CreateString(s->actions[i]));
	}
	char *actions = cJSON_PrintUnformatted(acts);
	cJSON_Delete(acts);
	if (rc) {
		cJSON_free(actions);
		return rc;
	}
	char now[DATE_BUFSZ];
	date_format(date_now(), now);
	struct db_stmt *st = db_stmt(c, "INSERT INTO rule(name, event, type, cond, every, actions, created_at) "
				      "VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (!st) {
		cJSON_free(actions);
		return c->errcode;
	}
	db_bind_text(st, 1, s->name, -1, DB_TRANSIENT);
	db_bind_text(st, 2, s->event, -1, DB_TRANSIENT);
	db_bind_text(st, 3, t->name, -1, DB_TRANSIENT);
	if (s->cond)
		db_bind_text(st, 4, s->cond, -1, DB_TRANSIENT);
	else
		db_bind_null(st, 4);
	if (tick)
		db_bind_int64(st, 5, every);
	else
		db_bind_null(st, 5);
	db_bind_text(st, 6, actions, -1, DB_TRANSIENT);
	db_bind_text(st, 7, now, -1, DB_TRANSIENT);
	int src = db_step(st);
	db_reset(st);
	if (src == DB_CONSTRAINT_UNIQUE)
		rc = crm_error(c, CRM_CONFLICT, "there is a rule '%s' already (crm rule rm %s)", s->name, s->name);
	else if (src != DB_DONE)
		rc = crm_dberror(c, src, "rule");
	if (!rc) {
		char *entity = xasprintf("rule:%s", s->name);
		rc = audit_log(c, entity, "insert", NULL, actions);
		free(entity);
	}
	cJSON_free(actions);
	rules_release(c);
	return rc ? rc : rules_list(c, s->name);
}

int rules_list(struct crm *c, const char *name)
{
	struct rule_cache *rc = rules_load(c);
	static const char *const cols[] = { "name", "on", "record", "when", "every", "do" };
	out_columns(c->out, cols, 6);
	int n = 0;
	for (int i = 0; i < rc->n; i++) {
		struct rule *r = &rc->r[i];
		if (name && strcmp(name, r->name))
			continue;
		out_begin(c->out);
		out_str(c->out, "type", "rule");
		out_int(c->out, "id", r->id);
		out_str(c->out, "name", r->name);
		out_str(c->out, "on", r->event);
		out_str(c->out, "record", r->type);
		out_str(c->out, "when", r->cond);
		if (r->every)
			out_int(c->out, "every", r->every);
		out_json(c->out, "do", r->actions);
		out_end(c->out);
		n++;
	}
	return n ? CRM_OK : CRM_NOTFOUND;
}

int rules_rm(struct crm *c, const char *name)
{
	/* what it fired goes with it (a file's foreign key cascades; a
	 * server has none) */
	struct db_stmt *st = db_stmt(c, "DELETE FROM rule_fired WHERE rule_id IN (SELECT id FROM rule WHERE name = ?)");
	if (!st)
		return c->errcode;
	db_bind_text(st, 1, name, -1, DB_TRANSIENT);
	int rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "rule_fired");
	st = db_stmt(c, "DELETE FROM rule WHERE name = ?");
	if (!st)
		return c->errcode;
	db_bind_text(st, 1, name, -1, DB_TRANSIENT);
	rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "rule");
	if (!db_changes(c))
		return crm_error(c, CRM_NOTFOUND, "no rule '%s'", name);
	char *entity = xasprintf("rule:%s", name);
	rc = audit_log(c, entity, "delete", NULL, NULL);
	free(entity);
	rules_release(c);
	if (!rc) {
		out_begin(c->out);
		out_str(c->out, "type", "rule");
		out_str(c->out, "name", name);
		out_bool(c->out, "removed", true);
		out_end(c->out);
	}
	return rc;
}

int rules_test(struct crm *c, const char *name, const struct type *t, long long id)
{
	struct rule_cache *rc = rules_load(c);
	for (int i = 0; i < rc->n; i++) {
		struct rule *r = &rc->r[i];
		if (strcmp(r->name, name))
			continue;
		if (r->type && strcmp(r->type, t->name))
			return crm_error(c, CRM_USAGE, "rule %s is about %s records, not %s", name, r->type, t->name);
		if (!record_exists(c, t, id))
			return crm_error(c, CRM_NOTFOUND, "no %s with id %lld", t->name, id);
		bool holds;
		int err = cond_holds(c, r, t, id, &holds);
		if (err)
			return err;
		char ent[64];
		snprintf(ent, sizeof(ent), "%s:%lld", t->name, id);
		out_begin(c->out);
		out_str(c->out, "type", "rule_test");
		out_str(c->out, "rule", r->name);
		out_str(c->out, "entity", ent);
		out_bool(c->out, "fires", holds);
		out_json(c->out, "do", r->actions);
		out_end(c->out);
		return holds ? CRM_OK : CRM_NOTFOUND;
	}
	return crm_error(c, CRM_NOTFOUND, "no rule '%s'", name);
}
