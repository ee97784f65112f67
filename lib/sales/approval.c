/* approval.c: the approval engine (approval.h) and the approval record
 * type: steps asked for, decided in order, used, voided. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/money.h"
#include "base/text.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/db.h"
#include "core/query.h"
#include "core/record.h"
#include "io/out.h"
#include "sales/approval.h"
#include "team/team.h"

/* ---- the record type ---- */

#define DEAL_OF_ENTITY "(CASE WHEN r.entity LIKE 'deal:%' THEN CAST(substr(r.entity, 6) AS INTEGER) END)"

static const struct field approval_fields[] = {
	FIELD_ID,
	{ "entity", FK_ENTITY, FF_REQUIRED | FF_SYSTEM | FF_LIST | FF_ABOUT, NULL, NULL, "审批对象", NULL },
	{ "step", FK_INT, FF_SYSTEM | FF_LIST, NULL, NULL, "步骤", "1" },
	{ "role", FK_TEXT, FF_REQUIRED | FF_SYSTEM | FF_LIST, NULL, NULL, "审批角色", NULL },
	{ "status", FK_ENUM, FF_SYSTEM | FF_LIST, "pending,approved,rejected,used,void", NULL, "状态", "pending" },
	{ "stage", FK_TEXT, FF_SYSTEM, NULL, NULL, "阶段", NULL },
	{ "amount", FK_MONEY, FF_SYSTEM | FF_LIST, NULL, NULL, "金额", NULL },
	{ "currency", FK_TEXT, FF_SYSTEM, NULL, NULL, "币种", NULL },
	{ "discount", FK_NUMBER, FF_SYSTEM, NULL, NULL, "折扣", NULL },
	{ "requested_by", FK_TEXT, FF_SYSTEM, NULL, NULL, "申请人", DFLT_USER },
	{ "by", FK_TEXT, FF_SYSTEM | FF_LIST, NULL, NULL, "审批人", NULL },
	{ "at", FK_TIME, FF_SYSTEM, NULL, NULL, "审批时间", NULL },
	{ "reason", FK_TEXT, 0, NULL, NULL, "审批意见", NULL },
	/* the first wave's keys for a deal's approval */
	{ "deal_id", FK_INT, FF_COMPUTED, NULL, NULL, "商机编号", NULL, DEAL_OF_ENTITY },
	{ "deal", FK_TEXT, FF_COMPUTED, NULL, NULL, "商机名称", NULL,
	  "SELECT d.name FROM deal AS d WHERE d.id = " DEAL_OF_ENTITY },
	{ "approved_by", FK_TEXT, FF_COMPUTED, NULL, NULL, "批准人", NULL,
	  "CASE WHEN r.status IN ('approved', 'used') THEN r.\"by\" END" },
	{ "approved_at", FK_TIME, FF_COMPUTED, NULL, NULL, "批准时间", NULL,
	  "CASE WHEN r.status IN ('approved', 'used') THEN r.at END" },
	FIELD_STAMPS,
};

/* Set while the engine writes approvals: nobody else adds one. */
static const int engine_key;

static bool engine_enter(struct crm *c)
{
	if (crm_slot_get(c, &engine_key))
		return false;
	crm_slot_set(c, &engine_key, (void *)&engine_key, NULL);
	return true;
}

static void engine_leave(struct crm *c, bool entered)
{
	if (entered)
		crm_slot_drop(c, &engine_key);
}

static int approval_check(struct crm *c, const struct type *t, const cJSON *fields, bool inserting,
			  unsigned flags)
{
	(void)t;
	(void)fields;
	(void)flags;
	if (inserting && !crm_slot_get(c, &engine_key))
		return crm_error(c, CRM_BADINPUT, "approvals are asked for by crm stage move, quote send and "
				 "contract submit, not added by hand");
	return CRM_OK;
}

static const struct type_ops approval_ops = {
	.check = approval_check,
};

static const struct type_event approval_on_value[] = {
	{ "status", "approved", "approval.approved" },
	{ "status", "rejected", "approval.rejected" },
	{ NULL, NULL, NULL },
};

/* approval.requested: a step was asked for (notify who holds it) */
const struct type approval_type = {
	"approval", "approvals", 0, TYPE_FIELDS(approval_fields), false, &approval_ops,
	"approval.requested", approval_on_value, NULL,
};

/* ---- steps ---- */

/* The steps of type: config approval.TYPE.steps, default manager. A
 * NULL-terminated list (free with team_names_free). */
static char **steps_of(struct crm *c, const char *type)
{
	char *key = xasprintf("approval.%s.steps", type);
	char *v = config_get(c, key);
	free(key);
	char **steps = xcalloc(1, sizeof(char *));
	int n = 0;
	struct sbuf b = { 0 };
	/* commas, full-width ones too */
	for (const char *p = v ? v : "manager"; *p; p++) {
		if (!strncmp(p, "，", 3)) {
			sbuf_addc(&b, ',');
			p += 2;
		} else {
			sbuf_addc(&b, *p);
		}
	}
	char *copy = b.s ? sbuf_detach(&b) : xstrdup(""), *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *step = text_trim(tok);
		if (!*step) {
			free(step);
			continue;
		}
		steps = xrealloc(steps, (n + 2) * sizeof(char *));
		steps[n++] = step;
		steps[n] = NULL;
	}
	free(copy);
	free(v);
	if (!n) {
		steps = xrealloc(steps, 2 * sizeof(char *));
		steps[0] = xstrdup("manager");
		steps[1] = NULL;
	}
	return steps;
}

/* ---- the current request ---- */

struct step_row {
	long long id;
	int step;
	char *role, *status, *stage;
	long long amount;
	bool has_amount;
	char *discount;
};

struct steps {
	struct step_row *r;
	int n;
};

static void steps_free(struct steps *s)
{
	for (int i = 0; i < s->n; i++) {
		free(s->r[i].role);
		free(s->r[i].status);
		free(s->r[i].discount);
		free(s->r[i].stage);
	}
	free(s->r);
	s->r = NULL;
	s->n = 0;
}

static char *col_text(struct db_stmt *st, int i)
{
	const unsigned char *v = db_column_text(st, i);
	return v ? xstrdup((const char *)v) : NULL;
}

/* The current (pending or approved) steps of entity, in step order. */
static int current_load(struct crm *c, const char *entity, struct steps *out)
{
	memset(out, 0, sizeof(*out));
	struct db_stmt *st = db_stmt(c, "SELECT id, step, role, status, amount, discount, stage FROM approval "
				      "WHERE entity = ? AND status IN ('pending', 'approved') AND deleted_at IS NULL "
				      "ORDER BY step, id");
	if (!st)
		return c->errcode;
	db_bind_text(st, 1, entity, -1, DB_TRANSIENT);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		out->r = xrealloc(out->r, (out->n + 1) * sizeof(*out->r));
		struct step_row *r = &out->r[out->n++];
		r->id = db_column_int64(st, 0);
		r->step = db_column_int(st, 1);
		r->role = col_text(st, 2);
		r->status = col_text(st, 3);
		r->has_amount = db_column_type(st, 4) != DB_NULL;
		r->amount = db_column_int64(st, 4);
		r->discount = col_text(st, 5);
		r->stage = col_text(st, 6);
	}
	db_reset(st);
	if (rc != DB_DONE) {
		steps_free(out);
		return crm_dberror(c, rc, "approval");
	}
	return CRM_OK;
}

int approval_state(struct crm *c, const char *entity, enum approval_state *state)
{
	struct steps s;
	*state = APPROVAL_NONE;
	int rc = current_load(c, entity, &s);
	if (rc)
		return rc;
	*state = s.n ? APPROVAL_APPROVED : APPROVAL_NONE;
	for (int i = 0; i < s.n; i++)
		if (!strcmp(s.r[i].status, "pending"))
			*state = APPROVAL_PENDING;
	steps_free(&s);
	return CRM_OK;
}

static const struct type *atype(struct crm *c)
{
	return type_find(c, approval_type.name);
}

int approval_request(struct crm *c, const char *entity, const struct approval_seen *seen, int *made)
{
	const char *colon = strchr(entity, ':');
	char *tname = xstrndup(entity, colon ? (size_t)(colon - entity) : strlen(entity));
	char **steps = steps_of(c, tname);
	free(tname);
	struct steps cur;
	int rc = current_load(c, entity, &cur);
	bool entered = engine_enter(c);
	int n = 0;
	for (int i = 0; !rc && steps[i]; i++) {
		bool have = false;
		for (int k = 0; k < cur.n; k++)
			have = have || cur.r[k].step == i + 1;
		if (have)
			continue;
		cJSON *f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "entity", entity);
		cJSON_AddNumberToObject(f, "step", i + 1);
		cJSON_AddStringToObject(f, "role", steps[i]);
		cJSON_AddStringToObject(f, "status", "pending");
		if (seen && seen->stage)
			cJSON_AddStringToObject(f, "stage", seen->stage);
		if (seen && seen->has_amount) {
			char buf[MONEY_BUFSZ];
			cJSON_AddStringToObject(f, "amount", money_format(seen->amount, buf));
			if (seen->currency)
				cJSON_AddStringToObject(f, "currency", seen->currency);
		}
		if (seen && seen->discount)
			cJSON_AddStringToObject(f, "discount", seen->discount);
		rc = record_insert(c, atype(c), f, REC_SYSTEM, NULL, NULL);
		cJSON_Delete(f);
		n++;
	}
	engine_leave(c, entered);
	steps_free(&cur);
	team_names_free(steps);
	if (made)
		*made = rc ? 0 : n;
	return rc;
}

/* Set the status (and reason) of approval id, as the engine. */
static int step_set(struct crm *c, long long id, const char *status, const char *reason, bool decided,
		    const char *action)
{
	char now[DATE_BUFSZ];
	cJSON *f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "status", status);
	if (reason)
		cJSON_AddStringToObject(f, "reason", reason);
	if (decided) {
		cJSON_AddStringToObject(f, "by", c->user);
		cJSON_AddStringToObject(f, "at", date_format(date_now(), now));
	}
	bool entered = engine_enter(c);
	int rc = record_update_as(c, atype(c), id, f, REC_SYSTEM, action, NULL);
	engine_leave(c, entered);
	cJSON_Delete(f);
	return rc;
}

int approval_consume(struct crm *c, const char *entity)
{
	struct steps s;
	int rc = current_load(c, entity, &s);
	for (int i = 0; !rc && i < s.n; i++)
		if (!strcmp(s.r[i].status, "approved"))
			rc = step_set(c, s.r[i].id, "used", NULL, false, "use");
	steps_free(&s);
	return rc;
}

int approval_void_raised(struct crm *c, const char *entity, long long amount, const char *discount,
			 const char *why)
{
	struct steps s;
	int rc = current_load(c, entity, &s);
	for (int i = 0; !rc && i < s.n; i++) {
		const struct step_row *r = &s.r[i];
		bool raised = r->has_amount && amount > r->amount;
		if (discount && r->discount && strtod(discount, NULL) > strtod(r->discount, NULL))
			raised = true;
		if (raised)
			rc = step_set(c, r->id, "void", why, false, "void");
	}
	steps_free(&s);
	return rc;
}

int approval_void(struct crm *c, const char *entity, const char *why)
{
	struct steps s;
	int rc = current_load(c, entity, &s);
	for (int i = 0; !rc && i < s.n; i++)
		rc = step_set(c, s.r[i].id, "void", why, false, "void");
	steps_free(&s);
	return rc;
}

/* ---- deals ---- */

/* Whether the deal is over the approval amount at all. */
static bool approval_needed(struct crm *c, const cJSON *deal)
{
	char *limit = config_get(c, "approval.amount_over");
	long long over;
	const cJSON *amt = cJSON_GetObjectItem(deal, "amount");
	bool need = limit && money_parse(limit, &over) == 0 && cJSON_IsNumber(amt)
		 && llround(amt->valuedouble * 100) > over;
	free(limit);
	return need;
}

bool approval_deal_needed(struct crm *c, const cJSON *deal, const char *stage, const char *closes)
{
	char *limit = config_get(c, "approval.amount_over");
	long long over;
	const cJSON *amt = cJSON_GetObjectItem(deal, "amount");
	bool need = false;
	if (limit && money_parse(limit, &over) == 0 && cJSON_IsNumber(amt)) {
		char *stages = config_get(c, "approval.stages");
		const char *list = stages ? stages : "negotiation,won";
		char *copy = xstrdup(list), *save = NULL;
		for (char *k = strtok_r(copy, ",", &save); k && !need; k = strtok_r(NULL, ",", &save))
			need = !strcmp(k, stage) || (!strcmp(k, "won") && closes && !strcmp(closes, "won"));
		free(copy);
		free(stages);
		long long minor = llround(amt->valuedouble * 100);
		need = need && minor > over;
	}
	free(limit);
	return need;
}

static struct approval_seen deal_seen(const cJSON *deal, const char *stage)
{
	const cJSON *amt = cJSON_GetObjectItem(deal, "amount");
	struct approval_seen seen = {
		.stage = stage,
		.has_amount = cJSON_IsNumber(amt),
		.amount = cJSON_IsNumber(amt) ? llround(amt->valuedouble * 100) : 0,
		.currency = cJSON_GetStringValue(cJSON_GetObjectItem(deal, "currency")),
	};
	return seen;
}

static char *over_text(struct crm *c)
{
	char buf[MONEY_BUFSZ];
	char *lim = config_get(c, "approval.amount_over");
	long long over = 0;
	money_parse(lim ? lim : "0", &over);
	free(lim);
	return xstrdup(money_format(over, buf));
}

int approval_deal_take(struct crm *c, long long id, const cJSON *deal, const char *stage)
{
	char entity[64];
	snprintf(entity, sizeof(entity), "deal:%lld", id);
	enum approval_state state;
	int rc = approval_state(c, entity, &state);
	if (rc)
		return rc;
	if (state == APPROVAL_APPROVED)
		return approval_consume(c, entity);
	char *limit = over_text(c);
	if (state == APPROVAL_NONE) {
		struct approval_seen seen = deal_seen(deal, stage);
		rc = approval_request(c, entity, &seen, NULL);
		if (!rc)
			rc = crm_error(c, CRM_CONFLICT, "deal:%lld is over the approval amount (%s): moving it to %s "
				       "needs an approval; requested (someone other than its owner runs "
				       "'crm approve deal:%lld')", id, limit, stage, id);
	} else {
		rc = crm_error(c, CRM_CONFLICT, "deal:%lld is over the approval amount (%s): moving it to %s "
			       "waits for approval ('crm approve deal:%lld' by someone other than its owner)",
			       id, limit, stage, id);
	}
	free(limit);
	return rc;
}

int approval_deal_updated(struct crm *c, const struct type *t, long long id, const cJSON *before,
			  const cJSON *after, unsigned flags)
{
	(void)t;
	(void)flags;
	const cJSON *a0 = cJSON_GetObjectItem(before, "amount"), *a1 = cJSON_GetObjectItem(after, "amount");
	const char *c0 = cJSON_GetStringValue(cJSON_GetObjectItem(before, "currency"));
	const char *c1 = cJSON_GetStringValue(cJSON_GetObjectItem(after, "currency"));
	bool cur_changed = c0 && c1 && strcmp(c0, c1);
	if (!cJSON_IsNumber(a1) || (!cur_changed && cJSON_IsNumber(a0) && a1->valuedouble <= a0->valuedouble))
		return CRM_OK;
	char entity[64], buf[MONEY_BUFSZ];
	snprintf(entity, sizeof(entity), "deal:%lld", id);
	long long minor = llround(a1->valuedouble * 100);
	char *why = xasprintf("the amount became %s%s%s", money_format(minor, buf), c1 ? " " : "", c1 ? c1 : "");
	int rc = cur_changed ? approval_void(c, entity, why) : approval_void_raised(c, entity, minor, NULL, why);
	free(why);
	return rc;
}

/* ---- deciding ---- */

static int first_pending(const struct steps *s)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->r[i].status, "pending"))
			return i;
	return -1;
}

/* The step approval id (t is the approval type): the record it is about,
 * if it is still pending. */
static int step_target(struct crm *c, const struct type *at, long long id, const struct type **et,
		       long long *eid)
{
	cJSON *row = record_get(c, at, id, false);
	if (!row)
		return c->errcode;
	const char *ent = cJSON_GetStringValue(cJSON_GetObjectItem(row, "entity"));
	const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(row, "status"));
	const char *by = cJSON_GetStringValue(cJSON_GetObjectItem(row, "by"));
	int rc = entity_parse(c, ent, NULL, et, eid);
	if (!rc && status && strcmp(status, "pending"))
		rc = crm_error(c, CRM_CONFLICT, "approval:%lld is %s already%s%s%s", id, status, by ? " (by " : "",
			       by ? by : "", by ? ")" : "");
	cJSON_Delete(row);
	return rc;
}

static int decided_audit(struct crm *c, const char *entity, const struct step_row *r, bool reject,
			 const char *reason)
{
	cJSON *a = cJSON_CreateObject();
	cJSON_AddNumberToObject(a, "approval", (double)r->id);
	cJSON_AddNumberToObject(a, "step", r->step);
	cJSON_AddStringToObject(a, "role", r->role);
	if (r->stage)
		cJSON_AddStringToObject(a, "stage", r->stage);
	cJSON_AddStringToObject(a, "status", reject ? "rejected" : "approved");
	cJSON_AddStringToObject(a, "by", c->user);
	if (reason)
		cJSON_AddStringToObject(a, "reason", reason);
	char *s = cJSON_PrintUnformatted(a);
	int rc = audit_log(c, entity, reject ? "reject" : "approve", "{\"status\":\"pending\"}", s);
	cJSON_free(s);
	cJSON_Delete(a);
	return rc;
}

/* A record approve could not read: on a server one the role may not see
 * is exit 5 naming it, as acting on it by id is (on a file approve reads
 * what it decides as the system does); else the error record_get gave. */
static int hidden_or(struct crm *c, const struct type *t, long long id)
{
	if (c->errcode != CRM_NOTFOUND || !c->db_role)
		return c->errcode;
	char msg[sizeof(c->errmsg)];
	memcpy(msg, c->errmsg, sizeof(msg));
	int system = c->system;   /* asked as the role, not as the engine reads */
	c->system = 0;
	int rc = record_access(c, t, id, false);
	c->system = system;
	if (rc)
		return rc;
	memcpy(c->errmsg, msg, sizeof(msg));
	return c->errcode = CRM_NOTFOUND;
}

int approval_decide(struct crm *c, const struct type *t, long long id, bool reject, const char *reason)
{
	const struct type *at = atype(c), *et = t;
	long long eid = id, target = 0;
	if (reject && (!reason || !*reason))
		return crm_error(c, CRM_USAGE, "a rejection needs --reason (say why)");
	if (t == at) {
		int rc = step_target(c, at, id, &et, &eid);
		if (rc)
			return rc;
		target = id;
	}
	char entity[96];
	snprintf(entity, sizeof(entity), "%s:%lld", et->name, eid);
	cJSON *rec = record_get(c, et, eid, false);
	if (!rec)
		return hidden_or(c, et, eid);
	const char *owner = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "owner"));
	struct steps s = { 0 };
	int rc = CRM_OK, next = -1;
	if (owner && c->user && !strcmp(owner, c->user)) {
		rc = crm_error(c, CRM_PERM, "%s owns %s and cannot %s it; another user must", c->user, entity,
			       reject ? "reject" : "approve");
		goto done;
	}
	if ((rc = current_load(c, entity, &s)))
		goto done;
	next = first_pending(&s);
	if (next < 0) {
		bool deal = !strcmp(et->name, "deal");
		if (reject || !deal || !approval_needed(c, rec)) {
			rc = deal ? crm_error(c, CRM_NOTFOUND, "%s has no pending approval request and needs none "
					      "(its amount is not over approval.amount_over)", entity)
				  : crm_error(c, CRM_NOTFOUND, "%s has no pending approval request", entity);
			goto done;
		}
		/* approved ahead of the move: the next move that needs it uses it */
		struct approval_seen seen = deal_seen(rec, "any");
		steps_free(&s);
		if ((rc = approval_request(c, entity, &seen, NULL)) || (rc = current_load(c, entity, &s)))
			goto done;
		next = first_pending(&s);
		if (next < 0)
			goto done;
	}
	const struct step_row *n = &s.r[next];
	if (target && target != n->id) {
		const struct step_row *want = NULL;
		for (int i = 0; i < s.n; i++)
			if (s.r[i].id == target)
				want = &s.r[i];
		rc = crm_error(c, CRM_CONFLICT, "approval:%lld is step %d (%s) of %s: step %d (%s) comes first", target,
			       want ? want->step : 0, want ? want->role : "?", entity, n->step, n->role);
		goto done;
	}
	if (!team_holds(c, c->user, n->role)) {
		for (int i = next + 1; !target && i < s.n; i++)
			if (!strcmp(s.r[i].status, "pending") && team_holds(c, c->user, s.r[i].role)) {
				rc = crm_error(c, CRM_CONFLICT, "%s: step %d (%s) is not the next: step %d (%s) comes "
					       "first", entity, s.r[i].step, s.r[i].role, n->step, n->role);
				goto done;
			}
		rc = crm_error(c, CRM_PERM, "%s does not hold step %d (%s) of %s", c->user, n->step, n->role, entity);
		goto done;
	}
	rc = step_set(c, n->id, reject ? "rejected" : "approved", reason, true, reject ? "reject" : "approve");
	for (int i = next + 1; !rc && reject && i < s.n; i++)
		if (!strcmp(s.r[i].status, "pending")) {
			char *why = xasprintf("step %d (%s) was rejected", n->step, n->role);
			rc = step_set(c, s.r[i].id, "void", why, false, "void");
			free(why);
		}
	if (!rc)
		rc = decided_audit(c, entity, n, reject, reason);
	if (!rc)
		rc = record_print(c, at, n->id);
done:
	steps_free(&s);
	cJSON_Delete(rec);
	return rc;
}

int approval_withdraw(struct crm *c, long long id, bool purge)
{
	const struct type *at = atype(c);
	cJSON *row = record_get(c, at, id, purge);
	if (!row)
		return c->errcode;
	const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(row, "status"));
	int rc = CRM_OK;
	if (status && strcmp(status, "pending"))
		rc = crm_error(c, CRM_CONFLICT, "approval:%lld is %s: decided approvals stay (they say who decided)",
			       id, status);
	if (!rc)
		rc = record_remove(c, at, id, purge);
	if (!rc)
		out_object(c->out, row);
	cJSON_Delete(row);
	return rc;
}

/* ---- listing ---- */

struct mine {
	const struct type *at;
	long n;
};

/* Whether the acting user can decide approval id now: pending, the next
 * step of its record, a step they hold, a record they do not own. */
static int mine_one(struct crm *c, long long id, void *arg)
{
	struct mine *m = arg;
	cJSON *row = record_get(c, m->at, id, false);
	if (!row)
		return c->errcode;
	const char *ent = cJSON_GetStringValue(cJSON_GetObjectItem(row, "entity"));
	const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(row, "status"));
	const cJSON *step = cJSON_GetObjectItem(row, "step");
	const char *role = cJSON_GetStringValue(cJSON_GetObjectItem(row, "role"));
	bool ok = ent && status && !strcmp(status, "pending") && role && team_holds(c, c->user, role);
	if (ok) {
		struct db_stmt *st = db_stmt(c, "SELECT 1 FROM approval WHERE entity = ? AND status = 'pending' "
					      "AND deleted_at IS NULL AND step < ? LIMIT 1");
		if (!st) {
			cJSON_Delete(row);
			return c->errcode;
		}
		db_bind_text(st, 1, ent, -1, DB_TRANSIENT);
		db_bind_int(st, 2, cJSON_IsNumber(step) ? step->valueint : 0);
		ok = db_step(st) != DB_ROW;
		db_reset(st);
	}
	const struct type *et;
	long long eid;
	if (ok && entity_parse(c, ent, NULL, &et, &eid) == CRM_OK) {
		cJSON *rec = record_get(c, et, eid, false);
		const char *owner = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "owner"));
		ok = rec && !(owner && !strcmp(owner, c->user));
		cJSON_Delete(rec);
	}
	c->errmsg[0] = 0;
	int rc = CRM_OK;
	if (ok) {
		rc = record_print(c, m->at, id);
		m->n++;
	}
	cJSON_Delete(row);
	return rc;
}

int approval_list(struct crm *c, const struct query *q, bool mine)
{
	const struct type *at = atype(c);
	if (!mine)
		return query_list(c, at, q);
	struct mine m = { at, 0 };
	/* what one may act on is the steps' say, not visibility (legal
	 * approves deals it cannot list): every pending step, held or not */
	c->system++;
	int rc = query_ids(c, at, q, mine_one, &m);
	c->system--;
	return rc ? rc : m.n ? CRM_OK : CRM_NOTFOUND;
}
