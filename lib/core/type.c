/* types.c: the record types, their fields, and custom fields. */
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/record.h"

#define ID      { "id", FK_INT, FF_SYSTEM | FF_LIST, NULL, NULL, "编号", NULL }
#define STAMPS \
	{ "created_at", FK_TIME, FF_SYSTEM, NULL, NULL, "创建时间", NULL }, \
	{ "updated_at", FK_TIME, FF_SYSTEM, NULL, NULL, "更新时间", NULL }, \
	{ "deleted_at", FK_TIME, FF_SYSTEM | FF_HIDDEN, NULL, NULL, NULL, NULL }
#define TAGS    { "tags", FK_TAGS, FF_SEARCH | FF_LIST, NULL, NULL, "标签", NULL }
#define NOTE    { "note", FK_TEXT, FF_SEARCH, NULL, NULL, "备注", NULL }
/* Owned by whoever adds it unless said otherwise; crm assign hands leads
 * on. */
#define OWNER_ME { "owner", FK_TEXT, FF_LIST, NULL, NULL, "负责人", DFLT_USER }
#define LASTC   { "last_contacted_at", FK_TIME, 0, NULL, NULL, "最近联系", NULL }

static const struct field lead_fields[] = {
	ID,
	{ "name", FK_TEXT, FF_REQUIRED | FF_SEARCH | FF_LIST, NULL, NULL, "姓名", NULL },
	{ "phone", FK_PHONE, FF_SEARCH | FF_DEDUPE | FF_LIST, NULL, NULL, "手机", NULL },
	{ "email", FK_EMAIL, FF_SEARCH | FF_DEDUPE, NULL, NULL, "邮箱", NULL },
	{ "company", FK_TEXT, FF_SEARCH | FF_LIST, NULL, NULL, "公司", NULL },
	{ "title", FK_TEXT, FF_SEARCH, NULL, NULL, "职位", NULL },
	{ "industry", FK_TEXT, 0, NULL, NULL, "行业", NULL },
	{ "region", FK_TEXT, FF_LIST, NULL, NULL, "地区", NULL },
	{ "source", FK_TEXT, 0, NULL, NULL, "来源", NULL },
	{ "budget", FK_MONEY, 0, NULL, NULL, "预算", NULL },
	{ "currency", FK_TEXT, 0, NULL, NULL, "币种", NULL },
	{ "company_size", FK_INT, 0, NULL, NULL, "公司规模", NULL },
	{ "status", FK_ENUM, FF_LIST, "new,working,nurturing,qualified,disqualified,converted",
	  NULL, "状态", "new" },
	{ "score", FK_INT, FF_LIST, NULL, NULL, "评分", "0" },
	OWNER_ME, TAGS, NOTE,
	{ "account_id", FK_REF, 0, NULL, "account", "客户编号", NULL },
	{ "contact_id", FK_REF, 0, NULL, "contact", "联系人编号", NULL },
	{ "deal_id", FK_REF, 0, NULL, "deal", "商机编号", NULL },
	{ "converted_at", FK_TIME, 0, NULL, NULL, "转化时间", NULL },
	LASTC, STAMPS,
};

static const struct field account_fields[] = {
	ID,
	{ "name", FK_TEXT, FF_REQUIRED | FF_SEARCH | FF_LIST, NULL, NULL, "公司", NULL },
	{ "industry", FK_TEXT, FF_LIST, NULL, NULL, "行业", NULL },
	{ "size", FK_INT, 0, NULL, NULL, "规模", NULL },
	{ "region", FK_TEXT, FF_LIST, NULL, NULL, "地区", NULL },
	{ "tier", FK_ENUM, FF_LIST, "A,B,C", NULL, "等级", NULL },
	OWNER_ME,
	{ "source", FK_TEXT, 0, NULL, NULL, "来源", NULL },
	{ "phone", FK_PHONE, FF_SEARCH, NULL, NULL, "电话", NULL },
	{ "address", FK_TEXT, FF_SEARCH, NULL, NULL, "地址", NULL },
	{ "website", FK_TEXT, 0, NULL, NULL, "网站", NULL },
	TAGS, NOTE, LASTC, STAMPS,
};

static const struct field contact_fields[] = {
	ID,
	{ "name", FK_TEXT, FF_REQUIRED | FF_SEARCH | FF_LIST, NULL, NULL, "姓名", NULL },
	{ "title", FK_TEXT, FF_SEARCH | FF_LIST, NULL, NULL, "职位", NULL },
	{ "phone", FK_PHONE, FF_SEARCH | FF_DEDUPE | FF_LIST, NULL, NULL, "手机", NULL },
	{ "email", FK_EMAIL, FF_SEARCH | FF_DEDUPE, NULL, NULL, "邮箱", NULL },
	{ "wechat", FK_TEXT, FF_SEARCH, NULL, NULL, "微信", NULL },
	{ "birthday", FK_DATE, 0, NULL, NULL, "生日", NULL },
	{ "account_id", FK_REF, FF_LIST, NULL, "account", "客户编号", NULL },
	{ "decision_role", FK_TEXT, 0, NULL, NULL, "决策角色", NULL },
	OWNER_ME,
	{ "source", FK_TEXT, 0, NULL, NULL, "来源", NULL },
	TAGS, NOTE, LASTC, STAMPS,
};

static const struct field deal_fields[] = {
	ID,
	{ "name", FK_TEXT, FF_REQUIRED | FF_SEARCH | FF_LIST, NULL, NULL, "商机", NULL },
	{ "account_id", FK_REF, 0, NULL, "account", "客户编号", NULL },
	{ "contact_id", FK_REF, 0, NULL, "contact", "联系人编号", NULL },
	{ "lead_id", FK_REF, 0, NULL, "lead", "线索编号", NULL },
	{ "amount", FK_MONEY, FF_LIST, NULL, NULL, "金额", NULL },
	{ "currency", FK_TEXT, 0, NULL, NULL, "币种", NULL },
	{ "pipeline", FK_TEXT, 0, NULL, NULL, "销售流程", "default" },
	{ "stage", FK_TEXT, FF_LIST, NULL, NULL, "阶段", NULL },
	{ "probability", FK_INT, 0, "0..100", NULL, "赢率", NULL },
	{ "expected_close", FK_DATE, FF_LIST, NULL, NULL, "预计成交", NULL },
	OWNER_ME,
	{ "source", FK_TEXT, 0, NULL, NULL, "来源", NULL },
	{ "status", FK_ENUM, FF_LIST, "open,won,lost", NULL, "状态", "open" },
	{ "lost_reason", FK_TEXT, 0, NULL, NULL, "输单原因", NULL },
	{ "closed_at", FK_TIME, FF_SYSTEM, NULL, NULL, "成交时间", NULL },
	{ "stage_entered_at", FK_TIME, FF_SYSTEM, NULL, NULL, "进入阶段时间", NULL },
	TAGS, NOTE, LASTC, STAMPS,
};

static const struct field activity_fields[] = {
	ID,
	{ "entity", FK_ENTITY, FF_REQUIRED | FF_LIST, NULL, NULL, "对象", NULL },
	{ "kind", FK_ENUM, FF_LIST, "call,meeting,email,visit,wechat,note", NULL, "方式", "note" },
	{ "text", FK_TEXT, FF_SEARCH | FF_LIST, NULL, NULL, "内容", NULL },
	{ "at", FK_TIME, FF_LIST, NULL, NULL, "时间", NULL },
	OWNER_ME, TAGS, STAMPS,
};

static const struct field task_fields[] = {
	ID,
	{ "entity", FK_ENTITY, FF_LIST, NULL, NULL, "对象", NULL },
	{ "title", FK_TEXT, FF_REQUIRED | FF_SEARCH | FF_LIST, NULL, NULL, "任务", NULL },
	{ "due", FK_TIME, FF_LIST, NULL, NULL, "截止", NULL },
	OWNER_ME,
	{ "priority", FK_ENUM, FF_LIST, "high,normal,low", NULL, "优先级", "normal" },
	{ "status", FK_ENUM, FF_LIST, "open,done", NULL, "状态", "open" },
	{ "done_at", FK_TIME, 0, NULL, NULL, "完成时间", NULL },
	{ "rule", FK_TEXT, 0, NULL, NULL, "规则", NULL },
	TAGS, NOTE, STAMPS,
};

static const struct field event_fields[] = {
	ID,
	{ "lead_id", FK_REF, FF_REQUIRED | FF_LIST, NULL, "lead", "线索编号", NULL },
	{ "name", FK_TEXT, FF_REQUIRED | FF_LIST, NULL, NULL, "事件", NULL },
	{ "at", FK_TIME, FF_LIST, NULL, NULL, "时间", NULL },
	{ "props", FK_JSON, 0, NULL, NULL, "属性", NULL },
	STAMPS,
};

#define N(a) (int)(sizeof(a) / sizeof(a[0]))

static const struct type builtin_types[] = {
	{ "lead", "leads", 1, (struct field *)lead_fields, N(lead_fields), false },
	{ "account", "accounts", 2, (struct field *)account_fields, N(account_fields), false },
	{ "contact", "contacts", 3, (struct field *)contact_fields, N(contact_fields), false },
	{ "deal", "deals", 4, (struct field *)deal_fields, N(deal_fields), false },
	{ "activity", "activities", 5, (struct field *)activity_fields, N(activity_fields), false },
	{ "task", "tasks", 6, (struct field *)task_fields, N(task_fields), false },
	{ "event", "events", 7, (struct field *)event_fields, N(event_fields), false },
};
#define NTYPES N(builtin_types)

struct types {
	struct type t[NTYPES];
};

static enum fkind custom_kind(const char *k)
{
	if (!strcmp(k, "number"))
		return FK_NUMBER;
	if (!strcmp(k, "money"))
		return FK_MONEY;
	if (!strcmp(k, "date"))
		return FK_DATE;
	if (!strcmp(k, "enum"))
		return FK_ENUM;
	return FK_TEXT;
}

/* Custom fields go before the timestamps, so they print with the rest. */
static void add_custom(struct type *t, const char *name, const char *kind,
		       const char *choices, int required)
{
	if (!t->owned) {
		struct field *f = xcalloc(t->nfields + 1, sizeof(*f));
		memcpy(f, t->fields, t->nfields * sizeof(*f));
		t->fields = f;
		t->owned = true;
	} else {
		t->fields = xrealloc(t->fields, (t->nfields + 1) * sizeof(*t->fields));
	}
	int at = t->nfields;
	while (at > 0 && t->fields[at - 1].flags & FF_SYSTEM && strcmp(t->fields[at - 1].name, "id"))
		at--;
	memmove(&t->fields[at + 1], &t->fields[at], (t->nfields - at) * sizeof(*t->fields));
	struct field *f = &t->fields[at];
	memset(f, 0, sizeof(*f));
	f->name = xstrdup(name);
	f->kind = custom_kind(kind);
	f->flags = FF_CUSTOM | (required ? FF_REQUIRED : 0) | (f->kind == FK_TEXT ? FF_SEARCH : 0);
	f->choices = choices ? xstrdup(choices) : NULL;
	t->nfields++;
}

void types_free(struct crm *c)
{
	if (!c->types)
		return;
	for (int i = 0; i < NTYPES; i++) {
		struct type *t = &c->types->t[i];
		if (!t->owned)
			continue;
		for (int j = 0; j < t->nfields; j++) {
			if (!(t->fields[j].flags & FF_CUSTOM))
				continue;
			free((char *)t->fields[j].name);
			free((char *)t->fields[j].choices);
		}
		free(t->fields);
	}
	free(c->types);
	c->types = NULL;
}

int types_load(struct crm *c)
{
	if (c->types)
		return CRM_OK;
	c->types = xcalloc(1, sizeof(*c->types));
	memcpy(c->types->t, builtin_types, sizeof(builtin_types));
	if (!c->db)
		return CRM_OK;
	sqlite3_stmt *st = db_stmt(c, "SELECT type, name, kind, choices, required FROM field ORDER BY created_at, name");
	if (!st)
		return c->errcode;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *tn = (const char *)sqlite3_column_text(st, 0);
		for (int i = 0; i < NTYPES; i++)
			if (!strcmp(c->types->t[i].name, tn))
				add_custom(&c->types->t[i], (const char *)sqlite3_column_text(st, 1),
					   (const char *)sqlite3_column_text(st, 2),
					   (const char *)sqlite3_column_text(st, 3),
					   sqlite3_column_int(st, 4));
	}
	sqlite3_reset(st);
	return CRM_OK;
}

const struct type *type_at(struct crm *c, int i)
{
	if (types_load(c) || i < 0 || i >= NTYPES)
		return NULL;
	return &c->types->t[i];
}

const struct type *type_find(struct crm *c, const char *name)
{
	if (!name || types_load(c))
		return NULL;
	for (int i = 0; i < NTYPES; i++) {
		const struct type *t = &c->types->t[i];
		if (!strcmp(t->name, name) || !strcmp(t->plural, name))
			return t;
	}
	return NULL;
}

const struct type *type_get(struct crm *c, const char *name)
{
	const struct type *t = type_find(c, name);
	if (!t)
		crm_error(c, CRM_USAGE, "unknown record type '%s' (lead, account, contact, deal, "
			  "activity, task, event)", name ? name : "");
	return t;
}

const struct field *type_field(const struct type *t, const char *name)
{
	for (int i = 0; i < t->nfields; i++)
		if (!strcmp(t->fields[i].name, name))
			return &t->fields[i];
	return NULL;
}
