/* sales.c: the sales module: the first wave's record types (leads,
 * accounts, contacts, deals, activities, tasks, behaviour events), and
 * what sales plugs into the core: the rule engine and scoring on record
 * events, has_event() and event_count() for --where, the tick rules
 * (the layer itself: sales.h). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/db.h"
#include "core/dialect.h"
#include "core/event.h"
#include "core/config.h"
#include "core/module.h"
#include "core/query.h"
#include "core/record.h"
#include "sales/assign.h"
#include "sales/approval.h"
#include "sales/pipeline.h"
#include "sales/rules.h"
#include "sales/sales.h"
#include "sales/score.h"
#include "team/team.h"

static const struct field lead_fields[] = {
	FIELD_ID,
	{ "name", FK_TEXT, FF_REQUIRED | FF_SEARCH | FF_LIST, NULL, NULL, "姓名", NULL },
	{ "phone", FK_PHONE, FF_SEARCH | FF_DEDUPE | FF_LIST, NULL, NULL, "手机", NULL },
	{ "email", FK_EMAIL, FF_SEARCH | FF_DEDUPE, NULL, NULL, "邮箱", NULL },
	{ "company", FK_TEXT, FF_SEARCH | FF_LIST, NULL, NULL, "公司", NULL },
	{ "title", FK_TEXT, FF_SEARCH, NULL, NULL, "职位", NULL },
	{ "wechat", FK_TEXT, FF_SEARCH, NULL, NULL, "微信", NULL },
	{ "industry", FK_TEXT, 0, NULL, NULL, "行业", NULL },
	{ "region", FK_TEXT, FF_LIST, NULL, NULL, "地区", NULL },
	{ "source", FK_TEXT, 0, NULL, NULL, "来源", NULL },
	{ "budget", FK_MONEY, 0, NULL, NULL, "预算", NULL },
	{ "currency", FK_TEXT, 0, NULL, NULL, "币种", NULL },
	{ "company_size", FK_INT, 0, NULL, NULL, "公司规模", NULL },
	{ "status", FK_ENUM, FF_LIST, "new,working,nurturing,qualified,disqualified,converted",
	  NULL, "状态", "new" },
	/* kept apart from the lead row (lead_score, written by scoring runs) */
	{ "score", FK_INT, FF_LIST | FF_COMPUTED, NULL, NULL, "评分", NULL,
	  "coalesce((SELECT s.score FROM lead_score AS s WHERE s.id = r.id), 0)" },
	FIELD_OWNER, TEAM_POOL_FIELDS, FIELD_TAGS, FIELD_NOTE,
	{ "account_id", FK_REF, FF_PARENT, NULL, "account", "客户编号", NULL },
	{ "contact_id", FK_REF, 0, NULL, "contact", "联系人编号", NULL },
	{ "deal_id", FK_REF, 0, NULL, "deal", "商机编号", NULL },
	{ "converted_at", FK_TIME, 0, NULL, NULL, "转化时间", NULL },
	FIELD_LAST_CONTACT, FIELD_STAMPS,
};

static const struct field account_fields[] = {
	FIELD_ID,
	{ "name", FK_TEXT, FF_REQUIRED | FF_SEARCH | FF_LIST, NULL, NULL, "公司", NULL },
	{ "industry", FK_TEXT, FF_LIST, NULL, NULL, "行业", NULL },
	{ "size", FK_INT, 0, NULL, NULL, "规模", NULL },
	{ "region", FK_TEXT, FF_LIST, NULL, NULL, "地区", NULL },
	{ "tier", FK_ENUM, FF_LIST, "A,B,C", NULL, "等级", NULL },
	FIELD_OWNER, TEAM_POOL_FIELDS,
	{ "source", FK_TEXT, 0, NULL, NULL, "来源", NULL },
	{ "phone", FK_PHONE, FF_SEARCH, NULL, NULL, "电话", NULL },
	{ "address", FK_TEXT, FF_SEARCH, NULL, NULL, "地址", NULL },
	{ "website", FK_TEXT, 0, NULL, NULL, "网站", NULL },
	FIELD_TAGS, FIELD_NOTE, FIELD_LAST_CONTACT, FIELD_STAMPS,
};

static const struct field contact_fields[] = {
	FIELD_ID,
	{ "name", FK_TEXT, FF_REQUIRED | FF_SEARCH | FF_LIST, NULL, NULL, "姓名", NULL },
	{ "title", FK_TEXT, FF_SEARCH | FF_LIST, NULL, NULL, "职位", NULL },
	{ "phone", FK_PHONE, FF_SEARCH | FF_DEDUPE | FF_LIST, NULL, NULL, "手机", NULL },
	{ "email", FK_EMAIL, FF_SEARCH | FF_DEDUPE, NULL, NULL, "邮箱", NULL },
	{ "wechat", FK_TEXT, FF_SEARCH, NULL, NULL, "微信", NULL },
	{ "birthday", FK_DATE, 0, NULL, NULL, "生日", NULL },
	{ "account_id", FK_REF, FF_LIST | FF_PARENT, NULL, "account", "客户编号", NULL },
	{ "decision_role", FK_TEXT, 0, NULL, NULL, "决策角色", NULL },
	FIELD_OWNER,
	{ "source", FK_TEXT, 0, NULL, NULL, "来源", NULL },
	FIELD_TAGS, FIELD_NOTE, FIELD_LAST_CONTACT, FIELD_STAMPS,
};

static const struct field deal_fields[] = {
	FIELD_ID,
	{ "name", FK_TEXT, FF_REQUIRED | FF_SEARCH | FF_LIST, NULL, NULL, "商机", NULL },
	{ "account_id", FK_REF, FF_PARENT, NULL, "account", "客户编号", NULL },
	{ "contact_id", FK_REF, 0, NULL, "contact", "联系人编号", NULL },
	{ "lead_id", FK_REF, 0, NULL, "lead", "线索编号", NULL },
	{ "amount", FK_MONEY, FF_LIST, NULL, NULL, "金额", NULL },
	{ "currency", FK_TEXT, 0, NULL, NULL, "币种", NULL },
	{ "pipeline", FK_TEXT, 0, NULL, NULL, "销售流程", "default" },
	{ "stage", FK_TEXT, FF_LIST, NULL, NULL, "阶段", NULL },
	{ "probability", FK_INT, 0, "0..100", NULL, "赢率", NULL },
	{ "expected_close", FK_DATE, FF_LIST, NULL, NULL, "预计成交", NULL },
	FIELD_OWNER,
	{ "source", FK_TEXT, 0, NULL, NULL, "来源", NULL },
	{ "status", FK_ENUM, FF_LIST, "open,won,lost", NULL, "状态", "open" },
	{ "lost_reason", FK_TEXT, 0, NULL, NULL, "输单原因", NULL },
	{ "closed_at", FK_TIME, FF_SYSTEM, NULL, NULL, "成交时间", NULL },
	{ "stage_entered_at", FK_TIME, FF_SYSTEM, NULL, NULL, "进入阶段时间", NULL },
	FIELD_TAGS, FIELD_NOTE, FIELD_LAST_CONTACT, FIELD_STAMPS,
};

static const struct field activity_fields[] = {
	FIELD_ID,
	{ "entity", FK_ENTITY, FF_REQUIRED | FF_LIST | FF_ABOUT, NULL, NULL, "对象", NULL },
	{ "kind", FK_ENUM, FF_LIST, "call,meeting,email,visit,wechat,note", NULL, "方式", "note" },
	{ "text", FK_TEXT, FF_SEARCH | FF_LIST, NULL, NULL, "内容", NULL },
	{ "at", FK_TIME, FF_LIST, NULL, NULL, "时间", DFLT_NOW },
	FIELD_OWNER, FIELD_TAGS, FIELD_STAMPS,
};

static const struct field task_fields[] = {
	FIELD_ID,
	{ "entity", FK_ENTITY, FF_LIST | FF_ABOUT, NULL, NULL, "对象", NULL },
	{ "title", FK_TEXT, FF_REQUIRED | FF_SEARCH | FF_LIST, NULL, NULL, "任务", NULL },
	{ "due", FK_TIME, FF_LIST | FF_AHEAD, NULL, NULL, "截止", NULL },
	FIELD_OWNER,
	{ "priority", FK_ENUM, FF_LIST, "high,normal,low", NULL, "优先级", "normal" },
	{ "status", FK_ENUM, FF_LIST, "open,done", NULL, "状态", "open" },
	{ "done_at", FK_TIME, 0, NULL, NULL, "完成时间", NULL },
	{ "rule", FK_TEXT, 0, NULL, NULL, "规则", NULL },
	FIELD_TAGS, FIELD_NOTE, FIELD_STAMPS,
};

static const struct field event_fields[] = {
	FIELD_ID,
	{ "lead_id", FK_REF, FF_REQUIRED | FF_LIST | FF_ABOUT, NULL, "lead", "线索编号", NULL },
	{ "name", FK_TEXT, FF_REQUIRED | FF_LIST, NULL, NULL, "事件", NULL },
	{ "at", FK_TIME, FF_LIST, NULL, NULL, "时间", DFLT_NOW },
	{ "props", FK_JSON, 0, NULL, NULL, "属性", NULL },
	FIELD_STAMPS,
};

static const struct type_ops deal_ops = {
	.check = pipeline_deal_check,
	.fill = pipeline_deal_fill,
	.inserted = pipeline_deal_inserted,
	.updated = approval_deal_updated,
};

static const struct type_event lead_on_value[] = {
	{ "status", "qualified", "lead.qualified" },
	{ NULL, NULL, NULL },
};

static const char *const deal_events[] = { "deal.stage_changed", NULL };

/* leads and accounts have a pool (公海, team.h) */
static const struct type lead_type = {
	"lead", "leads", 1, TYPE_FIELDS(lead_fields), false, NULL, NULL, lead_on_value, team_pool_events,
};
static const struct type account_type = {
	"account", "accounts", 2, TYPE_FIELDS(account_fields), false, NULL, NULL, NULL, team_pool_events,
};
static const struct type contact_type = {
	"contact", "contacts", 3, TYPE_FIELDS(contact_fields), false, NULL, NULL, NULL, NULL,
};
static const struct type deal_type = {
	"deal", "deals", 4, TYPE_FIELDS(deal_fields), false, &deal_ops, NULL, NULL, deal_events,
};
static const struct type activity_type = {
	"activity", "activities", 5, TYPE_FIELDS(activity_fields), false, NULL, NULL, NULL, NULL,
};
static const struct type task_type = {
	"task", "tasks", 6, TYPE_FIELDS(task_fields), false, NULL, NULL, NULL, NULL,
};
/* behaviour events are tracked, not created, as rules and hooks see them */
static const struct type event_type = {
	"event", "events", 7, TYPE_FIELDS(event_fields), false, NULL, "event.tracked", NULL, NULL,
};

static const struct type *const sales_types[] = {
	&lead_type, &account_type, &contact_type, &deal_type, &activity_type, &task_type, &event_type,
	&approval_type, NULL,
};

/* ---- has_event('x'), event_count('x' [, days]) over a lead's events ---- */

static int helper_has_event(struct crm *c, const struct type *t, bool one, char **argv, int argc,
			    struct sbuf *out)
{
	if (argc != 1)
		return crm_error(c, CRM_USAGE, "has_event() takes one event name");
	if (strcmp(t->name, "lead"))
		sbuf_add(out, "0");
	else if (one || dialect_server(c))
		/* a lookup for this lead (index event_lead): gathering every
		 * lead with that event would cost as much as for all leads (a
		 * server has no crm_has_event: a lookup there too) */
		sbuf_addf(out, "(EXISTS (SELECT 1 FROM event AS e WHERE e.lead_id = r.id "
			  "AND e.name = (%s) AND e.deleted_at IS NULL))", argv[0]);
	else
		/* the lead ids with that event gathered once per statement
		 * into a bitmap, not looked up per lead (score --all over a
		 * million leads: 1.8 s of IN lookups -> 0.3 s) */
		sbuf_addf(out, "crm_has_event(r.id, (%s))", argv[0]);
	return CRM_OK;
}

/* crm_has_event(lead_id, name): while a scoring run scores a set of
 * leads, the set's own events (score.c, read once for the run); else
 * the bitmap of the leads with a live event of that name, read once per
 * statement (auxdata on the constant name) from event_name_lead. */
struct event_set {
	long long max;
	unsigned char *bits;
};

static void event_set_free(void *p)
{
	struct event_set *s = p;
	free(s->bits);
	free(s);
}

static struct event_set *event_set_read(sqlite3 *db, sqlite3_value *name)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT e.lead_id FROM event AS e WHERE e.name = ? AND e.deleted_at IS NULL "
			       "ORDER BY e.lead_id DESC", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_value(st, 1, name);
	struct event_set *s = xcalloc(1, sizeof(*s));
	while (sqlite3_step(st) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		if (id <= 0)
			continue;
		if (!s->bits) {   /* the largest first */
			s->max = id;
			s->bits = xcalloc((size_t)(id / 8 + 1), 1);
		}
		if (id <= s->max)
			s->bits[id / 8] |= (unsigned char)(1u << (id % 8));
	}
	sqlite3_finalize(st);
	return s;
}

static void fn_has_event(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	bool has;
	if (score_target_has_event(sqlite3_user_data(ctx), sqlite3_value_int64(argv[0]),
				   (const char *)sqlite3_value_text(argv[1]), &has)) {
		sqlite3_result_int(ctx, has);
		return;
	}
	struct event_set *s = sqlite3_get_auxdata(ctx, 1);
	bool fresh = !s;
	if (fresh && !(s = event_set_read(sqlite3_context_db_handle(ctx), argv[1]))) {
		sqlite3_result_error(ctx, "has_event: cannot read the events", -1);
		return;
	}
	long long id = sqlite3_value_int64(argv[0]);
	sqlite3_result_int(ctx, id > 0 && id <= s->max && s->bits && (s->bits[id / 8] >> (id % 8) & 1));
	if (fresh)
		sqlite3_set_auxdata(ctx, 1, s, event_set_free);   /* kept while the name is a constant */
}

static int sales_open(struct crm *c)
{
	int rc = sqlite3_create_function(c->db, "crm_has_event", 2, SQLITE_UTF8, c, fn_has_event, NULL, NULL);
	return rc == DB_OK ? CRM_OK : crm_dberror(c, rc, "registering SQL functions");
}

static int helper_event_count(struct crm *c, const struct type *t, bool one, char **argv, int argc,
			      struct sbuf *out)
{
	(void)one;
	if (argc < 1 || argc > 2)
		return crm_error(c, CRM_USAGE, "event_count() takes an event name and optionally days");
	if (strcmp(t->name, "lead"))
		sbuf_add(out, "0");
	else {
		/* within the days: now - at <= days */
		char *days = dialect_days_between(c, "crm_now()", "e.at");
		sbuf_addf(out, "(SELECT count(*) FROM event AS e WHERE e.lead_id = r.id "
			  "AND e.name = (%s) AND e.deleted_at IS NULL%s%s%s%s%s)", argv[0],
			  argc == 2 ? " AND " : "", argc == 2 ? days : "", argc == 2 ? " <= (" : "",
			  argc == 2 ? argv[1] : "", argc == 2 ? ")" : "");
		free(days);
	}
	return CRM_OK;
}

static const struct query_helper sales_helpers[] = {
	{ "has_event", helper_has_event },
	{ "event_count", helper_event_count },
	{ NULL, NULL },
};

/* A call, meeting, visit, email or message logged on a lead is its first
 * contact (a plain note is not). */
static int first_contact_on_activity(struct crm *c, const struct change *ch)
{
	const char *ent = cJSON_GetStringValue(cJSON_GetObjectItem(ch->after, "entity"));
	const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(ch->after, "kind"));
	if (!ent || strncmp(ent, "lead:", 5) || !kind || !strcmp(kind, "note"))
		return CRM_OK;
	return assign_first_contact_done(c, strtoll(ent + 5, NULL, 10));
}

/* An import that updates a deal it matched does not move it: its
 * stage, status and pipeline change through crm stage move, which keeps
 * the history, the gates and the approvals. */
static int deal_import_updated(struct crm *c, const struct change *ch)
{
	static const char *const moved[] = { "stage", "status", "pipeline" };
	if (!(ch->flags & REC_IMPORT) || !ch->before || !ch->after)
		return CRM_OK;
	for (int i = 0; i < 3; i++) {
		const char *b = cJSON_GetStringValue(cJSON_GetObjectItem(ch->before, moved[i]));
		const char *a = cJSON_GetStringValue(cJSON_GetObjectItem(ch->after, moved[i]));
		if ((a == NULL) != (b == NULL) || (a && strcmp(a, b)))
			return crm_error(c, CRM_BADINPUT, "%s: deal:%lld is %s; an import does not move it to %s "
					 "(crm stage move does, keeping its history)", moved[i], ch->id, b ? b : "-",
					 a ? a : "-");
	}
	return CRM_OK;
}

static const struct subscriber sales_subscribers[] = {
	{ "deal.updated", deal_import_updated, 0 },
	{ NULL, rules_on_change, SUB_AUTOMATION, rules_wanted },
	{ "activity.created", first_contact_on_activity, 0 },
	{ "lead.merged", score_on_merged, 0 },
	{ "lead.unmerged", score_on_merged, 0 },
	{ NULL, NULL, 0 },
};

static int sales_tick(struct crm *c, bool all, bool dry)
{
	return rules_tick(c, all, dry);
}

/* Every setting sales reads (grep config_get in lib/sales). */
static const struct config_key sales_config_keys[] = {
	{ "team.", NULL, "the reps crm assign --team NAME draws from (alice,bob,carol); "
	  "team.default without --team" },
	{ "assign.hot_hours", "2", "hours a new owner has to first contact a hot lead (score above score.sql)",
	  config_is_count, "a whole number of hours" },
	{ "assign.first_contact_hours", "24", "hours a new owner has to first contact any other lead",
	  config_is_count, "a whole number of hours" },
	{ "score.sql", "60", "the score from which a lead is qualified (sales-qualified)",
	  config_is_int, "a whole number (a score)" },
	{ "score.mql", "30", "the marketing-qualified score, for your filters (--where \"score >= 30\")",
	  config_is_int, "a whole number (a score)" },
	{ "score.model", "default", "the scoring model used without --model" },
	{ "score.target_industries", NULL, "industries the default model gives +20 (comma-separated)" },
	{ "score.min_company_size", "100", "the company_size from which the default model gives +15",
	  config_is_count, "a whole number of people" },
	{ "manager", NULL, "the manager a rule's 'manager' means when manager.NAME is unset" },
	{ "manager.", NULL, "the manager of user NAME, for rules that notify 'manager'" },
	{ "approval.amount_over", NULL, "a deal over this amount needs an approval before the stages "
	  "approval.stages names",
	  config_is_amount, "an amount of money" },
	{ "approval.stages", "negotiation,won", "the stages a deal over approval.amount_over needs an approval for" },
	{ "approval.deal.steps", "manager", "who approves a deal, in order: roles or user names, comma-separated" },
	{ "agenda.new_lead_hours", "24", "hours a new lead may wait for first contact before the agenda "
	  "lists it (its old name agenda.first_contact_hours is still read)",
	  config_is_count, "a whole number of hours" },
	{ "agenda.stale_deal_days", "7", "days without activity after which an open deal is on the agenda",
	  config_is_count, "a whole number of days" },
	{ NULL, NULL, NULL },
};

const struct module sales_module = {
	.name = "sales",
	.types = sales_types,
	.subscribers = sales_subscribers,
	.helpers = sales_helpers,
	.tick = sales_tick,
	.config_keys = sales_config_keys,
	.open = sales_open,
};
