/* import.c: crm import. See import.h. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/audit.h"
#include "core/bulk.h"
#include "core/config.h"
#include "core/progress.h"
#include "io/csv.h"
#include "base/date.h"
#include "core/db.h"
#include "core/dialect.h"
#include "io/encoding.h"
#include "data/field.h"
#include "core/hook.h"
#include "data/import.h"
#include "core/input.h"
#include "io/jsonl.h"
#include "io/out.h"
#include "core/record.h"
#include "base/text.h"
#include "core/module.h"
#include "io/xlsx.h"

/* Set by SIGINT/SIGTERM: the one piece of global state, because a signal
 * handler can reach nothing else. The row loop stops at the next row,
 * commits what is done and says how to resume. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

int dup_action_parse(const char *s, enum dup_action *out)
{
	static const char *const names[] = { "skip", "update", "merge", "error" };
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, names[i])) {
			*out = (enum dup_action)i;
			return 0;
		}
	return -1;
}

/* ---- header names ---- */

/* Headers people write, for each field (the types' own Chinese headers
 * and field names match too). Compared after header_key(). */
static const struct {
	const char *field;
	const char *names;   /* '|'-separated */
} aliases[] = {
	{ "name", "姓名|名字|联系人|客户姓名|联系人姓名|姓名称呼|fullname|contact|contactname|contactperson|"
		  "商机名称|商机名|机会名称|dealname|opportunityname" },
	{ "currency", "货币|币别|币种代码|货币代码|currencycode" },
	{ "phone", "手机|手机号|手机号码|电话|联系电话|电话号码|移动电话|联系方式|联系手机|mobile|mobilephone|"
		   "phonenumber|tel|telephone|cell" },
	{ "email", "邮箱|电子邮件|电子邮箱|邮件|邮箱地址|e-mail|mail|emailaddress" },
	/* 客户名称 is the customer's name: the company (a sheet without a
	 * person's column takes the name from it too: header_map) */
	{ "company", "公司|公司名称|客户名称|客户公司|单位|单位名称|企业|企业名称|organization|organisation|"
		     "org|companyname|customer|customername" },
	{ "industry", "行业|所属行业|行业类别" },
	{ "region", "地区|省份|省|城市|区域|所在地区|所在地|大区|province|city|area" },
	{ "source", "来源|渠道|线索来源|客户来源|来源渠道|leadsource|channel" },
	{ "title", "职位|职务|头衔|岗位|jobtitle|position" },
	{ "budget", "预算|预算金额|意向金额|预计金额" },
	/* 跟进记录: a lead's or account's note, an activity's text */
	{ "note", "备注|说明|描述|备注说明|跟进记录|跟进情况|notes|remark|remarks|comment|comments|description" },
	{ "created_at", "创建时间|创建日期|录入时间|登记时间|created|createdat|createdate|date" },
	{ "owner", "负责人|销售|所属销售|跟进人|归属|salesrep|assignedto" },
	{ "status", "状态|线索状态" },
	{ "score", "评分|分数" },
	{ "tags", "标签|tag" },
	{ "company_size", "公司规模|规模|员工数|员工人数|人数|employees|companysize" },
	{ "wechat", "微信|微信号|微信账号|wechatid|weixin" },
	{ "birthday", "生日|出生日期" },
	{ "website", "网站|官网|网址|url" },
	{ "address", "地址|详细地址|公司地址" },
	{ "amount", "金额|商机金额|合同金额" },
	{ "stage", "阶段|销售阶段" },
	{ "expected_close", "预计成交|预计成交日期|预计签约|预计签约日期" },
	{ "closed_at", "成交日期|签约日期|赢单日期|关闭日期|结单日期|closedate|closed|closedon|wondate" },
	{ "lost_reason", "丢单原因|失败原因|输单理由|lostreason" },
	{ "decision_role", "决策角色|角色" },
	{ "text", "内容|跟进内容|记录|跟进记录" },
	{ "kind", "方式|跟进方式|类型" },
	{ "at", "时间|跟进时间" },
	{ "entity", "对象|关联对象" },
};

/* A header as compared: trimmed, ASCII lower-cased, without spaces, '_'
 * and '-', and without a trailing '*' or "(必填)" style note. */
static char *header_key(const char *h)
{
	char *t = text_trim(h);
	struct sbuf b = { 0 };
	for (const char *p = t; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch == ' ' || ch == '_' || ch == '-' || ch == '\t')
			continue;
		sbuf_addc(&b, (char)(ch < 128 ? tolower(ch) : ch));
	}
	free(t);
	char *k = b.s ? sbuf_detach(&b) : xstrdup("");
	size_t n = strlen(k);
	while (n && k[n - 1] == '*')
		k[--n] = 0;
	size_t lead = 0;   /* "*姓名", "* 手机": required, in Chinese templates */
	while (lead < n && k[lead] == '*')
		lead++;
	memmove(k, k + lead, n - lead + 1);
	/* "手机（必填）", "phone (required)": drop a trailing bracketed note */
	const char *opens[] = { "(", "（", "[", "【" };
	for (int i = 0; i < 4; i++) {
		char *o = strstr(k, opens[i]);
		if (o && o != k)
			*o = 0;
	}
	return k;
}

static bool alias_has(const char *names, const char *key)
{
	size_t kl = strlen(key);
	for (const char *p = names; *p;) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		if (n == kl && !memcmp(p, key, n))
			return true;
		p += n + (bar ? 1 : 0);
	}
	return false;
}

/* ---- the importer ---- */

struct colmap {
	char *col;       /* the header as in the file */
	char *field;     /* the field it fills, or NULL: ignored */
};

struct importer {
	struct crm *c;
	const struct import_opts *o;
	const char *tname;           /* the type's name (stable) */
	struct colmap *user;         /* --map / saved map pairs */
	int nuser;
	struct colmap *labels;       /* custom field labels */
	int nlabels;
	FILE *errors;
	/* per file */
	const char *file;
	xlsx_reader *xr;             /* an .xlsx being read */
	struct colmap *cols;         /* tabular: one per column */
	int ncols;
	int name_from;               /* a column that gives the name too (the company), or -1 */
	struct colmap *seen;         /* jsonl: keys resolved so far */
	int nseen;
	long long first_new_id;      /* ids from here on were made by this run */
	long long run_id;
	long resume_after;           /* rows up to this line are done */
	long last_line;
	long rows, inserted, updated, skipped, in_file, rejected, short_rows;
	long dup_db;                 /* skipped as duplicates of records made before this file */
	long *made;                  /* the line each record made by this file came from, by id */
	long long nmade;
	bool named;                  /* skipped duplicates went to --errors */
	bool dup_conflict;
	struct progress pg;
	int fd;                      /* for progress: bytes read so far */
	long long size;
	struct bulk *b;              /* the run's writer (core/bulk.h), from the first row */
	const char *keys[4];         /* the fields duplicates are matched by */
	int nkeys;
	const char **text;           /* a tabular row's cells by field index */
	int ntext;
	int *colfield;               /* each column's field index (the last: name's) */
	int colfield_n;              /* the type's fields when they were found */
	int nfields_seen;            /* the type's fields when the writer was made */
	bool staging;                /* this file's rows go through a staging table */
	bool staged_run;             /* the run being resumed loaded through one */
	long long audit_from;        /* the audit's next id when the run began */
	long long first_made, last_id;
};

static const struct type *im_type(struct importer *im)
{
	return type_find(im->c, im->tname);
}

static void colmaps_free(struct colmap *m, int n)
{
	for (int i = 0; i < n; i++) {
		free(m[i].col);
		free(m[i].field);
	}
	free(m);
}

/* "列名=field,列名2=field2" into pairs; a field "-" ignores the column. */
static int map_parse(struct crm *c, const char *spec, struct colmap **m, int *n)
{
	char *copy = xstrdup(spec), *save = NULL;
	int rc = CRM_OK;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		if (!eq) {
			rc = crm_error(c, CRM_USAGE, "--map: '%s' is not COLUMN=FIELD", tok);
			break;
		}
		*eq = 0;
		*m = xrealloc(*m, (*n + 1) * sizeof(**m));
		(*m)[*n].col = header_key(tok);
		(*m)[*n].field = text_trim(eq + 1);
		(*n)++;
	}
	free(copy);
	return rc;
}

/* The field a header fills, or NULL. */
static const char *map_lookup(struct importer *im, const char *header)
{
	const struct type *t = im_type(im);
	char *k = header_key(header);
	const char *found = NULL;
	for (int i = 0; i < im->nuser && !found; i++)
		if (!strcmp(im->user[i].col, k))
			found = strcmp(im->user[i].field, "-") ? im->user[i].field : "";
	for (int i = 0; i < t->nfields && !found; i++) {
		const struct field *f = &t->fields[i];
		char *fk = header_key(f->name), *zk = f->zh ? header_key(f->zh) : NULL;
		if (!strcmp(fk, k) || (zk && !strcmp(zk, k)))   /* 产品ID as export wrote it */
			found = f->name;
		free(fk);
		free(zk);
	}
	for (int i = 0; i < t->nfields && !found; i++)   /* account -> account_id */
		if (t->fields[i].kind == FK_REF && !strcmp(t->fields[i].ref, k))
			found = t->fields[i].name;
	for (int i = 0; i < im->nlabels && !found; i++)
		if (!strcmp(im->labels[i].col, k))
			found = im->labels[i].field;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]) && !found; i++) {
		if (!alias_has(aliases[i].names, k))
			continue;
		const char *fname = aliases[i].field;
		/* An account's name is the company. */
		if (!strcmp(fname, "company") && !type_field(t, "company") && !strcmp(t->name, "account"))
			fname = "name";
		if (type_field(t, fname))
			found = type_field(t, fname)->name;
	}
	free(k);
	return found;   /* "" for a column --map ignores (COLUMN=-) */
}

/* A name for a new field made from a header: ASCII headers give their
 * snake_case; others custom_N (the header is kept as its label). */
static char *new_field_name(struct importer *im, const char *header)
{
	const struct type *t = im_type(im);
	struct sbuf b = { 0 };
	bool ascii = true;
	for (const char *p = header; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch >= 128) {
			ascii = false;
			break;
		}
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
			sbuf_addc(&b, (char)ch);
		else if (ch >= 'A' && ch <= 'Z')
			sbuf_addc(&b, (char)(ch - 'A' + 'a'));
		else if (b.len && b.s[b.len - 1] != '_')
			sbuf_addc(&b, '_');
	}
	if (ascii && b.len && field_name_ok(b.s) && !type_field(t, b.s))
		return sbuf_detach(&b);
	sbuf_release(&b);
	for (int n = 1;; n++) {
		char *name = xasprintf("custom_%d", n);
		if (!type_field(t, name))
			return name;
		free(name);
	}
}

/* An unknown column: a new text field (--create-fields), or a warning. */
static int unknown_column(struct importer *im, const char *header, char **field)
{
	struct crm *c = im->c;
	*field = NULL;
	if (!im->o->create_fields) {
		crm_warn(c, "%s: column '%s' is not %s %s field: ignored (--map '%s=FIELD', or --create-fields)",
			 im->file, header, text_article(im->tname), im->tname, header);
		return CRM_OK;
	}
	char *name = new_field_name(im, header);
	int rc = field_create(c, im->tname, name, "text", NULL, false);
	if (!rc) {
		char *label = text_trim(header);
		rc = field_set_label(c, im->tname, name, label);
		free(label);
	}
	if (rc) {
		free(name);
		return rc;
	}
	crm_notice(c, "%s: column '%s' goes to the new field %s", im->file, header, name);
	*field = name;
	return CRM_OK;
}

static int labels_load(struct importer *im)
{
	struct db_stmt *st = db_stmt(im->c, "SELECT name, label FROM field WHERE type = ? AND label IS NOT NULL");
	if (!st)
		return im->c->errcode;
	db_bind_text(st, 1, im->tname, -1, DB_TRANSIENT);
	while (db_step(st) == DB_ROW) {
		im->labels = xrealloc(im->labels, (im->nlabels + 1) * sizeof(*im->labels));
		im->labels[im->nlabels].col = header_key((const char *)db_column_text(st, 1));
		im->labels[im->nlabels].field = xstrdup((const char *)db_column_text(st, 0));
		im->nlabels++;
	}
	db_reset(st);
	return CRM_OK;
}

/* Map the header row: each column to its field, or ignored. */
static int header_map(struct importer *im, char **fields, int n, long line)
{
	im->cols = xcalloc(n ? n : 1, sizeof(*im->cols));
	im->ncols = n;
	for (int i = 0; i < n; i++) {
		im->cols[i].col = text_trim(fields[i]);
		if (!*im->cols[i].col)
			continue;
		const char *f = map_lookup(im, im->cols[i].col);
		for (int j = 0; f && j < i; j++)
			if (im->cols[j].field && !strcmp(im->cols[j].field, f)) {
				crm_warn(im->c, "%s: column '%s' fills %s like column '%s' before it: ignored",
					 im->file, im->cols[i].col, f, im->cols[j].col);
				f = "";
			}
		if (f && *f) {
			im->cols[i].field = xstrdup(f);
		} else if (!f) {
			int rc = unknown_column(im, im->cols[i].col, &im->cols[i].field);
			if (rc)
				return rc;
		}
	}
	/* A computed field that only shows another (a ticket's assignee is
	 * its owner) fills that one, when no column of its own does: a
	 * sheet's 受理人 column hands the tickets over as --assignee does. */
	const struct type *t = im_type(im);
	for (int i = 0; i < n; i++) {
		const struct field *f = im->cols[i].field ? type_field(t, im->cols[i].field) : NULL;
		if (!f || !(f->flags & FF_COMPUTED) || !f->expr || strncmp(f->expr, "r.", 2))
			continue;
		const struct field *to = type_field(t, f->expr + 2);
		if (!to || to->flags & (FF_COMPUTED | FF_SYSTEM))
			continue;
		bool taken = false;
		for (int j = 0; j < n && !taken; j++)
			taken = im->cols[j].field && !strcmp(im->cols[j].field, to->name);
		if (!taken) {
			free(im->cols[i].field);
			im->cols[i].field = xstrdup(to->name);
		}
	}
	im->name_from = -1;
	for (int i = 0; i < n; i++)
		if (im->cols[i].field && !strcmp(im->cols[i].field, "name"))
			return CRM_OK;
	const struct field *req = type_field(im_type(im), "name");
	if (!req || !(req->flags & FF_REQUIRED))
		return CRM_OK;
	/* a list of customers without a person's column (客户名称, 联系电话):
	 * each is named by its company */
	for (int i = 0; i < n; i++)
		if (im->cols[i].field && !strcmp(im->cols[i].field, "company")) {
			im->name_from = i;
			crm_notice(im->c, "%s: no column for a person's name: the %s are named by column '%s'",
				   im->file, im_type(im)->plural, im->cols[i].col);
			return CRM_OK;
		}
	return crm_error(im->c, CRM_BADINPUT, "%s: no column for name (姓名); the header is line %ld: "
			 "map one with --map 'COLUMN=name'", im->file, line);
}

/* JSON lines: keys are field names or headers. */
static const char *key_field(struct importer *im, const char *key, int *rc)
{
	*rc = CRM_OK;
	if (!strcmp(key, "type") || !strcmp(key, "id") || !strcmp(key, "updated_at") || !strcmp(key, "deleted_at"))
		return NULL;
	for (int i = 0; i < im->nseen; i++)
		if (!strcmp(im->seen[i].col, key))
			return im->seen[i].field;
	const char *f = map_lookup(im, key);
	char *field = NULL;
	if (f && *f)
		field = xstrdup(f);
	else if (!f)
		*rc = unknown_column(im, key, &field);
	im->seen = xrealloc(im->seen, (im->nseen + 1) * sizeof(*im->seen));
	im->seen[im->nseen].col = xstrdup(key);
	im->seen[im->nseen].field = field;
	return im->seen[im->nseen++].field;
}

/* ---- rejected rows ---- */

/* The column a record error is about: errors start "field: ...". */
static const char *error_column(struct importer *im, const char *msg)
{
	const char *colon = strchr(msg, ':');
	if (!colon)
		return NULL;
	size_t n = (size_t)(colon - msg);
	for (int i = 0; i < im->ncols; i++)
		if (im->cols[i].field && strlen(im->cols[i].field) == n && !memcmp(im->cols[i].field, msg, n))
			return im->cols[i].col;
	for (int i = 0; i < im->nseen; i++)
		if (im->seen[i].field && strlen(im->seen[i].field) == n && !memcmp(im->seen[i].field, msg, n))
			return im->seen[i].col;
	return NULL;
}

/* Reject the row at line: c->errmsg says why; col (may be NULL) is the
 * column it is about, else the one the message names. */
static int reject_col(struct importer *im, long line, const cJSON *raw, const char *col)
{
	struct crm *c = im->c;
	im->rejected++;
	crm_warn(c, "%s: line %ld: %s", im->file, line, c->errmsg);
	if (im->errors) {
		cJSON *e = cJSON_CreateObject();
		cJSON_AddNumberToObject(e, "line", (double)line);
		if (strcmp(im->file, "-"))
			cJSON_AddStringToObject(e, "file", im->file);
		if (!col)
			col = error_column(im, c->errmsg);
		if (col)
			cJSON_AddStringToObject(e, "column", col);
		cJSON_AddStringToObject(e, "error", c->errmsg);
		cJSON_AddItemToObject(e, "row", cJSON_Duplicate(raw, true));
		char *s = cJSON_PrintUnformatted(e);
		fprintf(im->errors, "%s\n", s);
		cJSON_free(s);
		cJSON_Delete(e);
	}
	c->errmsg[0] = 0;
	return CRM_OK;
}

static int reject(struct importer *im, long line, const cJSON *raw, int code)
{
	(void)code;
	return reject_col(im, line, raw, NULL);
}

/* ---- duplicates ---- */

static int save_position(struct crm *c, void *arg);
static int run_mark_staged(struct importer *im);
static void late_reject(struct crm *c, void *arg, long line, long long id);
static void late_dup(struct crm *c, void *arg, long line, long long id);

/* A row as read: a spreadsheet's cells, mapped to fields by index
 * (im->text), or a JSON line's object and the fields mapped from it. The
 * JSON forms of a tabular row are made only when needed (a duplicate to
 * update, a row to reject). */
struct row {
	long line;
	char **cells;                /* tabular: trimmed cells (NULL: a JSON line) */
	int ncells;
	const cJSON *json;           /* JSON lines: the object read */
	const cJSON *fields;         /* and its fields */
	cJSON *made_fields, *made_raw;
};

/* The row's fields as JSON (name -> value). */
static const cJSON *row_fields(struct importer *im, struct row *r)
{
	if (!r->cells)
		return r->fields;
	if (!r->made_fields) {
		const struct type *t = im_type(im);
		r->made_fields = cJSON_CreateObject();
		for (int i = 0; i < t->nfields && i < im->ntext; i++)
			if (im->text[i])
				cJSON_AddStringToObject(r->made_fields, t->fields[i].name, im->text[i]);
	}
	return r->made_fields;
}

/* The row as in the file (header -> cell), for --errors. */
static const cJSON *row_raw(struct importer *im, struct row *r)
{
	if (!r->cells)
		return r->json;
	if (!r->made_raw) {
		r->made_raw = cJSON_CreateObject();
		for (int i = 0; i < r->ncells && i < im->ncols; i++)
			if (*im->cols[i].col && *r->cells[i])
				cJSON_AddStringToObject(r->made_raw, im->cols[i].col, r->cells[i]);
	}
	return r->made_raw;
}

static void row_release(struct row *r)
{
	cJSON_Delete(r->made_fields);
	cJSON_Delete(r->made_raw);
}

/* The normalised value of field name in the row, or NULL (a value that
 * does not normalise is the insert's to report). */
static char *norm_value(struct importer *im, struct row *r, const char *name)
{
	const struct type *t = im_type(im);
	const struct field *f = type_field(t, name);
	char *out = NULL;
	if (!f)
		return NULL;
	int rc;
	if (r->cells) {
		int i = (int)(f - t->fields);
		rc = i < im->ntext && im->text[i] ? field_normalize_text(im->c, t, f, im->text[i], &out) : CRM_OK;
	} else {
		const cJSON *v = cJSON_GetObjectItem(r->fields, name);
		rc = v ? field_normalize(im->c, t, f, v, &out) : CRM_OK;
	}
	if (rc != CRM_OK) {
		im->c->errmsg[0] = 0;
		free(out);
		return NULL;
	}
	return out;
}

/* The fields duplicates are matched by: --key, else phone or email, else
 * a numbered record's number, else (accounts) the name. */
static int dedupe_keys(struct importer *im, const char **keys)
{
	const struct type *t = im_type(im);
	int n = 0;
	if (im->o->key) {
		keys[n++] = im->o->key;
		return n;
	}
	const struct field *fp = type_field(t, "phone"), *fe = type_field(t, "email");
	if (fp && fp->flags & FF_DEDUPE)
		keys[n++] = "phone";
	if (fe && fe->flags & FF_DEDUPE)
		keys[n++] = "email";
	if (n)
		return n;
	const struct field *key = type_field_flagged(t, FF_KEY);
	if (key) {   /* its own number: a contract's HT-2026-0001, a product's SKU */
		keys[n++] = key->name;
		return n;
	}
	if (!strcmp(t->name, "account"))
		keys[n++] = "name";
	return n;
}

/* The record this row duplicates (by the keys above, in order), 0 when none. */
static long long find_existing(struct importer *im, struct row *r)
{
	for (int k = 0; k < im->nkeys; k++) {
		char *v = norm_value(im, r, im->keys[k]);
		long long id = v ? bulk_find_value(im->b, im->keys[k], v) : 0;
		free(v);
		if (id)
			return id;
	}
	return 0;
}

/* Fields an update may set: not the ones crm keeps itself. */
static cJSON *update_fields(struct importer *im, const cJSON *fields, const cJSON *existing)
{
	const struct type *t = im_type(im);
	cJSON *u = cJSON_CreateObject();
	const cJSON *it;
	cJSON_ArrayForEach(it, fields) {
		const struct field *f = type_field(t, it->string);
		if (!f || f->flags & (FF_SYSTEM | FF_COMPUTED) || !strcmp(f->name, "created_at"))
			continue;
		const cJSON *old = existing ? cJSON_GetObjectItem(existing, it->string) : NULL;
		if (existing && old && !cJSON_IsNull(old)) {
			if (f->kind != FK_TAGS || !cJSON_IsArray(old))
				continue;   /* merge: the record's own value wins */
			/* tags: the union */
			cJSON *all = cJSON_Duplicate(old, true);
			char *v = NULL;
			cJSON *add = NULL;
			if (field_normalize(im->c, t, f, it, &v) == CRM_OK && v)
				add = cJSON_Parse(v);
			free(v);
			const cJSON *tag;
			cJSON_ArrayForEach(tag, add) {
				bool have = false;
				const cJSON *o;
				cJSON_ArrayForEach(o, all)
					have = have || !strcmp(cJSON_GetStringValue(o), cJSON_GetStringValue(tag));
				if (!have)
					cJSON_AddItemToArray(all, cJSON_CreateString(cJSON_GetStringValue(tag)));
			}
			cJSON_Delete(add);
			cJSON_AddItemToObject(u, it->string, all);
			continue;
		}
		cJSON_AddItemToObject(u, it->string, cJSON_Duplicate(it, true));
	}
	return u;
}

/* ---- one row ---- */

/* The bulk writer of this file's run, made at its first row (the header
 * may have made fields). */
static int writer_open(struct importer *im)
{
	if (im->b)
		return CRM_OK;
	struct crm *c = im->c;
	im->nkeys = dedupe_keys(im, im->keys);
	struct bulk_opts bo = {
		.flags = REC_ALLOW_DUP | REC_SYSTEM | REC_IMPORT,
		.run = im->run_id,
		.keys = im->keys,
		.nkeys = im->nkeys,
		/* --print streams each record to the next command as it is
		 * written: it must be in the table by then */
		.stage = !im->o->print,
		.expect = im->size > 0 ? im->size / 200 + 1 : 0,
		.resume = im->resume_after > 0,
		.first_id = im->first_new_id,
		.on_commit = save_position,
		.on_reject = late_reject,
		.on_late_dup = late_dup,
		.arg = im,
		.progress = &im->pg,
	};
	im->b = bulk_open(c, im_type(im), &bo);
	if (!im->b)
		return c->errcode;
	if (im->resume_after > 0 && im->staged_run && !bulk_staged(im->b))
		return crm_error(c, CRM_DBERR, "%s: the rows run %lld had read are gone (no bulk_%s_%lld table): "
				 "import the file again without --resume", im->file, im->run_id, im->tname, im->run_id);
	im->first_new_id = bulk_first_id(im->b);
	im->staging = bulk_staged(im->b);
	im->nfields_seen = im_type(im)->nfields;
	return run_mark_staged(im);
}

/* Insert the row, or act on the record it duplicates. *inserted: a new
 * record; *changed: the database changed. */
static int row_write(struct importer *im, struct row *r, long long *id, bool *inserted, bool *changed)
{
	struct crm *c = im->c;
	const struct type *t = im_type(im);
	*inserted = *changed = false;
	int rc = writer_open(im);
	if (!rc && t->nfields != im->nfields_seen) {
		rc = bulk_refresh(im->b);   /* a key of this JSON line made a field */
		im->nfields_seen = t->nfields;
	}
	if (rc)
		return rc;
	/* The row as a record first (what most rows become), its keys then
	 * looked up from its values; a row that does not make a record may
	 * still duplicate one (by its phone, say), and acting on that one
	 * (skip, update) does not need its other cells to be right. */
	struct rec rec;
	unsigned flags = REC_ALLOW_DUP | REC_SYSTEM | REC_IMPORT;
	int prc = r->cells ? record_prepare_text(c, t, (const char *const *)im->text, flags, &rec)
			   : record_prepare(c, t, r->fields, flags, &rec);
	long long dup;
	if (prc) {
		char why[sizeof(c->errmsg)];
		snprintf(why, sizeof(why), "%s", c->errmsg);
		dup = find_existing(im, r);
		if (!dup) {
			snprintf(c->errmsg, sizeof(c->errmsg), "%s", why);
			c->errcode = prc;
			return prc;
		}
		c->errmsg[0] = 0;
	} else {
		dup = bulk_find(im->b, &rec, NULL);
		if (!dup) {
			rc = bulk_insert(im->b, &rec, r->line, id);
			rec_release(&rec);
			*inserted = *changed = rc == CRM_OK;
			return rc;
		}
		rec_release(&rec);
	}
	*id = dup;
	switch (im->o->on_dup) {
	case DUP_SKIP:
		return CRM_OK;
	case DUP_ERROR: {
		cJSON *old = bulk_get(im->b, dup);
		const char *nm = cJSON_GetStringValue(cJSON_GetObjectItem(old, "name"));
		crm_error(c, CRM_CONFLICT, "duplicate of %s:%lld%s%s%s", t->name, dup, nm ? " (" : "",
			  nm ? nm : "", nm ? ")" : "");
		cJSON_Delete(old);
		im->dup_conflict = true;   /* exit 4: a duplicate; other rejections are 3 */
		return CRM_CONFLICT;
	}
	case DUP_UPDATE:
	case DUP_MERGE: {
		cJSON *old = im->o->on_dup == DUP_MERGE ? bulk_get(im->b, dup) : NULL;
		cJSON *u = update_fields(im, row_fields(im, r), old);
		rc = bulk_update(im->b, dup, u, REC_IMPORT, changed);
		if (rc == CRM_CONFLICT)
			im->dup_conflict = true;   /* its new phone or email is another's */
		cJSON_Delete(u);
		cJSON_Delete(old);
		return rc;
	}
	}
	return CRM_OK;
}

/* Record id was made from the row at line (for naming a repeat of it). */
static void made_at(struct importer *im, long long id, long line)
{
	long long k = id - im->first_new_id;
	if (k < 0 || k > 100000000)
		return;
	if (k >= im->nmade) {
		long long cap = im->nmade ? im->nmade : 1024;
		while (cap <= k)
			cap *= 2;
		im->made = xrealloc(im->made, (size_t)cap * sizeof(*im->made));
		memset(im->made + im->nmade, 0, (size_t)(cap - im->nmade) * sizeof(*im->made));
		im->nmade = cap;
	}
	im->made[k] = line;
}

/* A line of --errors. */
static void errors_line(struct importer *im, cJSON *e)
{
	char *s = cJSON_PrintUnformatted(e);
	fprintf(im->errors, "%s\n", s);
	cJSON_free(s);
}

/* A row skipped as a duplicate goes to --errors too, naming the record
 * it duplicates (and the row of this file that made it). */
static void name_skipped(struct importer *im, long line, const cJSON *raw, long long id, bool repeat,
			 const char *why)
{
	if (!im->errors)
		return;
	const struct type *t = im_type(im);
	cJSON *rec = type_field(t, "name") ? bulk_get(im->b, id) : NULL;
	const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "name"));
	long long k = id - im->first_new_id;
	long made = repeat && k >= 0 && k < im->nmade ? im->made[k] : 0;
	char *entity = xasprintf("%s:%lld", t->name, id);
	char *what = why ? xstrdup(why) : made ? xasprintf("made from line %ld of this file", made)
		   : repeat ? xstrdup("made from an earlier row of this file") : xstrdup("already in crm");
	char *msg = xasprintf("duplicate of %s%s%s%s, %s: skipped", entity, name ? " (" : "", name ? name : "",
			      name ? ")" : "", what);
	cJSON *e = cJSON_CreateObject();
	cJSON_AddNumberToObject(e, "line", (double)line);
	if (strcmp(im->file, "-"))
		cJSON_AddStringToObject(e, "file", im->file);
	cJSON_AddStringToObject(e, "skipped", "duplicate");
	cJSON_AddStringToObject(e, "duplicate_of", entity);
	if (made)
		cJSON_AddNumberToObject(e, "duplicate_line", (double)made);
	cJSON_AddStringToObject(e, "error", msg);
	if (raw)
		cJSON_AddItemToObject(e, "row", cJSON_Duplicate(raw, true));
	errors_line(im, e);
	cJSON_Delete(e);
	im->named = true;
	free(msg);
	free(what);
	free(entity);
	cJSON_Delete(rec);
}

/* At the end of a staged run: a record whose event failed (a rule that
 * could not act) is not kept, as if its row had been refused. */
static void late_reject(struct crm *c, void *arg, long line, long long id)
{
	struct importer *im = arg;
	(void)id;
	im->inserted--;
	cJSON *raw = cJSON_CreateObject();
	reject_col(im, line, raw, NULL);
	cJSON_Delete(raw);
	(void)c;
}

/* At the end of a staged run: a row whose phone or email someone else gave
 * a record while the file was read is a duplicate of that one. */
static void late_dup(struct crm *c, void *arg, long line, long long id)
{
	struct importer *im = arg;
	(void)c;
	im->inserted--;
	im->skipped++;
	im->dup_db++;
	name_skipped(im, line, NULL, id, false, "written while the import ran");
}

static int row_import(struct importer *im, struct row *r)
{
	long long id = 0;
	bool inserted, changed;
	long line = r->line;
	im->rows++;
	int rc = row_write(im, r, &id, &inserted, &changed);
	/* on a server, a row the role's policy refuses (a lead for another
	 * owner) is that row's problem, as a bad value is */
	if (rc == CRM_BADINPUT || rc == CRM_CONFLICT || rc == CRM_NOTFOUND || (rc == CRM_PERM && im->c->db_role))
		return reject(im, line, row_raw(im, r), rc);
	if (rc)
		return rc;
	bool repeat = !inserted && id >= im->first_new_id;
	if (repeat)
		im->in_file++;   /* the same person twice in the file */
	if (inserted) {
		im->inserted++;
		made_at(im, id, line);
	} else if (changed) {
		im->updated++;
	} else {
		im->skipped++;
		if (im->o->on_dup == DUP_SKIP) {
			if (!repeat)
				im->dup_db++;
			name_skipped(im, line, row_raw(im, r), id, repeat, NULL);
		}
	}
	im->last_line = line;   /* done: printing it may commit (save_position) */
	return im->o->print && changed ? record_print(im->c, im_type(im), id) : CRM_OK;
}

/* A tabular row: its cells by field into im->text, then imported; bad
 * (may be NULL): a byte of it could not be read, in column bad_col. */
static int tab_row_bad(struct importer *im, char **vals, int n, long line, const char *bad, int bad_col)
{
	struct crm *c = im->c;
	const struct type *t = im_type(im);
	struct row r = { .line = line, .ncells = n };
	r.cells = xcalloc(n ? n : 1, sizeof(char *));
	if (im->ntext < t->nfields) {
		im->text = xrealloc(im->text, t->nfields * sizeof(*im->text));
		im->ntext = t->nfields;
	}
	memset(im->text, 0, im->ntext * sizeof(*im->text));
	int extra = 0;
	for (int i = 0; i < n; i++) {
		r.cells[i] = text_trim(vals[i]);
		char *v = r.cells[i];
		/* '=SUM(...): a cell export guarded against a spreadsheet
		 * running it (out_raw) reads back as it was */
		if (v[0] == '\'' && v[1] && strchr("=+-@\t\r", v[1]))
			memmove(v, v + 1, strlen(v));
		/* 45678.5 in a date or time column: a date Excel kept as its
		 * serial number (a cell in General format) */
		const struct field *df = im->xr && i < im->ncols && im->cols[i].field
			? type_field(t, im->cols[i].field) : NULL;
		char serial[64];
		if (df && (df->kind == FK_DATE || df->kind == FK_TIME)
		    && xlsx_serial_text(im->xr, v, df->kind == FK_TIME, serial, sizeof(serial)) == 0) {
			free(v);
			v = r.cells[i] = xstrdup(serial);
		}
		if (i >= im->ncols) {
			if (*v)
				extra++;
			continue;
		}
		if (!*v || !*im->cols[i].col)
			continue;
		if (im->colfield_n != t->nfields) {
			/* each column's field by index, again when the type grew */
			im->colfield = xrealloc(im->colfield, (im->ncols + 1) * sizeof(*im->colfield));
			for (int j = 0; j < im->ncols; j++) {
				const struct field *f = im->cols[j].field ? type_field(t, im->cols[j].field) : NULL;
				im->colfield[j] = f ? (int)(f - t->fields) : -1;
			}
			const struct field *fn = type_field(t, "name");
			im->colfield[im->ncols] = fn ? (int)(fn - t->fields) : -1;
			im->colfield_n = t->nfields;
		}
		if (im->colfield[i] >= 0)
			im->text[im->colfield[i]] = v;
		if (i == im->name_from && im->colfield[im->ncols] >= 0)
			im->text[im->colfield[im->ncols]] = v;
	}
	int rc;
	if (bad) {
		im->rows++;
		crm_error(c, CRM_BADINPUT, "%s", bad);
		rc = reject_col(im, line, row_raw(im, &r), bad_col >= 0 && bad_col < im->ncols && *im->cols[bad_col].col
				? im->cols[bad_col].col : NULL);
	} else if (extra) {
		im->rows++;
		crm_error(c, CRM_BADINPUT, "the row has %d field%s more than the header's %d", extra,
			  extra == 1 ? "" : "s", im->ncols);
		rc = reject(im, line, row_raw(im, &r), CRM_BADINPUT);
	} else {
		if (n < im->ncols)
			im->short_rows++;
		rc = row_import(im, &r);
	}
	row_release(&r);
	for (int i = 0; i < n; i++)
		free(r.cells[i]);
	free(r.cells);
	return rc;
}

static int tab_row(struct importer *im, char **vals, int n, long line)
{
	return tab_row_bad(im, vals, n, line, NULL, -1);
}

static int json_row(struct importer *im, const cJSON *obj, long line)
{
	cJSON *fields = cJSON_CreateObject();
	const cJSON *it;
	int rc = CRM_OK;
	cJSON_ArrayForEach(it, obj) {
		const char *f = key_field(im, it->string, &rc);
		if (rc)
			break;
		if (f && !cJSON_IsNull(it))
			cJSON_AddItemToObject(fields, f, cJSON_Duplicate(it, true));
	}
	struct row r = { .line = line, .json = obj, .fields = fields };
	if (!rc)
		rc = row_import(im, &r);
	row_release(&r);
	cJSON_Delete(fields);
	return rc;
}

/* ---- runs: how far an import got ---- */

static int run_identity(const char *file, char **abs, long long *size, long long *mtime)
{
	struct stat sb;
	char buf[PATH_MAX];
	if (!strcmp(file, "-") || stat(file, &sb) != 0 || !S_ISREG(sb.st_mode) || !realpath(file, buf))
		return -1;
	*abs = xstrdup(buf);
	*size = sb.st_size;
	*mtime = sb.st_mtime;
	return 0;
}

/* The id the audit log's next entry gets (on a server past the entries
 * the role may read). */
static long long audit_next(struct crm *c)
{
	char *sql = dialect_next_id(c, "audit");
	long long id = db_get_int(c, sql, NULL, 1);
	free(sql);
	return id;
}

/* Every import but a dry run is a run (stdin's too, file "-"): what it
 * made carries it, crm import runs lists it, crm import undo takes it
 * back. Only a file's run can be resumed. */
static int run_start(struct importer *im)
{
	struct crm *c = im->c;
	char *abs = NULL;
	long long size = 0, mtime = 0;
	if (im->o->dry_run)
		return CRM_OK;
	if (run_identity(im->file, &abs, &size, &mtime) != 0) {
		if (im->o->resume)
			crm_warn(c, "%s: --resume needs a file (not a pipe): starting at the beginning", im->file);
		abs = xstrdup(im->file);
	}
	im->size = size;
	struct db_stmt *st = db_stmt(c, "SELECT id, line, inserted, updated, skipped, rejected, first_id, in_file, "
				      "staged, audit_from FROM import_run "
				      "WHERE file = ? AND size = ? AND mtime = ? AND type = ? AND finished_at IS NULL "
				      "AND undone_at IS NULL AND file <> '-' "
				      "ORDER BY id DESC LIMIT 1");
	if (!st) {
		free(abs);
		return c->errcode;
	}
	db_bind_text(st, 1, abs, -1, DB_TRANSIENT);
	db_bind_int64(st, 2, size);
	db_bind_int64(st, 3, mtime);
	db_bind_text(st, 4, im->tname, -1, DB_STATIC);
	long long old = 0, line = 0;
	if (db_step(st) == DB_ROW) {
		old = db_column_int64(st, 0);
		line = db_column_int64(st, 1);
		if (im->o->resume && line > 0) {
			im->inserted = (long)db_column_int64(st, 2);
			im->updated = (long)db_column_int64(st, 3);
			im->skipped = (long)db_column_int64(st, 4);
			im->rejected = (long)db_column_int64(st, 5);
			if (db_column_type(st, 6) != DB_NULL)
				im->first_new_id = db_column_int64(st, 6);
			im->in_file = (long)db_column_int64(st, 7);
			im->staged_run = db_column_int(st, 8) != 0;
			im->audit_from = db_column_int64(st, 9);
		}
	}
	db_reset(st);
	char now[DATE_BUFSZ];
	date_format(date_now(), now);
	if (old && line == 0) {
		/* one that stopped before it committed a row did nothing: it is
		 * this run, begun again (--resume or not) */
		im->run_id = old;
		im->audit_from = audit_next(c);
		free(abs);
		st = db_stmt(c, "UPDATE import_run SET \"user\" = ?, started_at = ?, first_id = ?, audit_from = ? WHERE id = ?");
		if (!st)
			return c->errcode;
		db_bind_text(st, 1, c->user, -1, DB_STATIC);
		db_bind_text(st, 2, now, -1, DB_TRANSIENT);
		db_bind_int64(st, 3, im->first_new_id);
		db_bind_int64(st, 4, im->audit_from);
		db_bind_int64(st, 5, old);
		int urc = db_step(st);
		db_reset(st);
		return urc == DB_DONE ? CRM_OK : crm_dberror(c, urc, "import_run");
	}
	if (old && im->o->resume) {
		im->run_id = old;
		im->resume_after = (long)line;
		crm_notice(c, "%s: resuming after line %lld", im->file, line);
		free(abs);
		return CRM_OK;
	}
	if (old)
		crm_notice(c, "%s: an earlier import of this file stopped after line %lld; "
			   "--resume would go on from there", im->file, line);
	else if (im->o->resume && strcmp(im->file, "-"))
		crm_notice(c, "%s: no unfinished import of this file: starting at the beginning", im->file);
	im->audit_from = audit_next(c);
	st = db_stmt(c, "INSERT INTO import_run(type, file, size, mtime, \"user\", started_at, first_id, audit_from) "
			"VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st) {
		free(abs);
		return c->errcode;
	}
	db_bind_text(st, 1, im->tname, -1, DB_STATIC);
	db_bind_text(st, 2, abs, -1, DB_TRANSIENT);
	db_bind_int64(st, 3, size);
	db_bind_int64(st, 4, mtime);
	db_bind_text(st, 5, c->user, -1, DB_STATIC);
	db_bind_text(st, 6, now, -1, DB_TRANSIENT);
	db_bind_int64(st, 7, im->first_new_id);
	db_bind_int64(st, 8, im->audit_from);
	int rc = db_step(st);
	db_reset(st);
	free(abs);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "import_run");
	im->run_id = db_last_insert_id(c);
	return CRM_OK;
}

/* A run that stopped before its first row (a header without a name
 * column, a file that cannot be read) did nothing: its row, committed as
 * it began, goes in the command's transaction (which keeps what files
 * before it imported), so that crm import runs lists no run that never
 * ran. The error stands whatever becomes of this. */
static void run_forget(struct importer *im)
{
	struct crm *c = im->c;
	if (!im->run_id || !db_in_txn(c))
		return;
	char saved[sizeof(c->errmsg)];
	memcpy(saved, c->errmsg, sizeof(saved));
	int code = c->errcode;
	/* under a savepoint: where the role may not delete the run (a server's
	 * rep), the refusal must not abort what the command goes on with */
	if (db_savepoint(c) == CRM_OK) {
		struct db_stmt *st = db_stmt(c, "DELETE FROM import_run WHERE id = ? AND line = 0 AND finished_at IS NULL");
		int drc = DB_ERROR;
		if (st) {
			db_bind_int64(st, 1, im->run_id);
			drc = db_step(st);
			db_reset(st);
		}
		if (drc == DB_DONE)
			db_release(c);
		else
			db_rollback_to(c);
	}
	memcpy(c->errmsg, saved, sizeof(saved));
	c->errcode = code;
	im->run_id = 0;
}

/* Record how far we got (finished: the whole file), in the transaction
 * of the rows it counts. */
static int run_save(struct importer *im, bool finished)
{
	if (!im->run_id)
		return CRM_OK;
	char now[DATE_BUFSZ];
	date_format(date_now(), now);
	struct db_stmt *st = db_stmt(im->c, "UPDATE import_run SET line = ?, inserted = ?, updated = ?, skipped = ?, "
					  "rejected = ?, finished_at = coalesce(?, finished_at), in_file = ?, "
					  "first_id = ?, last_id = coalesce(?, last_id) WHERE id = ?");
	if (!st)
		return im->c->errcode;
	db_bind_int64(st, 1, im->last_line);
	db_bind_int64(st, 2, im->inserted);
	db_bind_int64(st, 3, im->updated);
	db_bind_int64(st, 4, im->skipped);
	db_bind_int64(st, 5, im->rejected);
	if (finished)
		db_bind_text(st, 6, now, -1, DB_TRANSIENT);
	else
		db_bind_null(st, 6);
	db_bind_int64(st, 7, im->in_file);
	db_bind_int64(st, 8, im->first_new_id);
	if (im->last_id)
		db_bind_int64(st, 9, im->last_id);
	else
		db_bind_null(st, 9);
	db_bind_int64(st, 10, im->run_id);
	int rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? CRM_OK : crm_dberror(im->c, rc, "import_run");
}

/* The run loads through a staging table (a resumed one must find it). */
static int run_mark_staged(struct importer *im)
{
	if (!im->run_id)
		return CRM_OK;
	char *sql = xasprintf("UPDATE import_run SET staged = %d, first_id = %lld WHERE id = %lld",
			      bulk_staged(im->b) ? 1 : 0, im->first_new_id, im->run_id);
	int rc = db_exec(im->c, sql);
	free(sql);
	return rc;
}

static bool batching(const struct importer *im)
{
	return !im->o->atomic && !im->o->dry_run;
}

/* Before any commit on the way (a batch, or the output let go down a
 * pipe): how far the import got, in the same transaction. */
static int save_position(struct crm *c, void *arg)
{
	(void)c;
	return run_save(arg, false);
}

static int batch_commit(struct importer *im)
{
	return hook_commit_bulk(im->c);   /* save_position first */
}

/* The run's one entry in the audit log: who, when, what file, how its
 * columns were read, what it did. */
static int run_audit(struct importer *im, bool staged)
{
	if (!im->run_id)
		return CRM_OK;
	cJSON *a = cJSON_CreateObject();
	cJSON_AddNumberToObject(a, "run", (double)im->run_id);
	cJSON_AddStringToObject(a, "type", im->tname);
	char *q = xasprintf("SELECT file FROM import_run WHERE id = %lld", im->run_id);
	char *file = db_get_text(im->c, q, NULL);
	free(q);
	cJSON_AddStringToObject(a, "file", file ? file : im->file);
	free(file);
	cJSON *map = cJSON_CreateObject();
	for (int i = 0; i < im->ncols; i++)
		if (*im->cols[i].col)
			cJSON_AddItemToObject(map, im->cols[i].col, im->cols[i].field ? cJSON_CreateString(im->cols[i].field)
										   : cJSON_CreateNull());
	for (int i = 0; i < im->nseen; i++)
		cJSON_AddItemToObject(map, im->seen[i].col, im->seen[i].field ? cJSON_CreateString(im->seen[i].field)
									  : cJSON_CreateNull());
	cJSON_AddItemToObject(a, "mapping", map);
	cJSON_AddNumberToObject(a, "rows", (double)im->rows);
	cJSON_AddNumberToObject(a, "inserted", (double)im->inserted);
	cJSON_AddNumberToObject(a, "updated", (double)im->updated);
	cJSON_AddNumberToObject(a, "skipped", (double)im->skipped);
	cJSON_AddNumberToObject(a, "rejected", (double)im->rejected);
	if (im->inserted) {
		cJSON_AddNumberToObject(a, "first_id", (double)im->first_made);
		cJSON_AddNumberToObject(a, "last_id", (double)im->last_id);
	}
	cJSON_AddBoolToObject(a, "staged", staged);
	char *after = cJSON_PrintUnformatted(a);
	char *entity = xasprintf("import:%lld", im->run_id);
	int rc = audit_log(im->c, entity, "import", NULL, after);
	free(entity);
	cJSON_free(after);
	cJSON_Delete(a);
	return rc;
}

/* ---- sources ---- */

enum fmt { F_CSV, F_TSV, F_JSONL, F_XLSX };

static int format_of(struct crm *c, const char *path, const char *given, enum fmt *f)
{
	const char *name = given;
	if (!name) {
		const char *dot = strrchr(path, '.');
		name = dot && !strchr(dot, '/') ? dot + 1 : "csv";
		if (!strcasecmp(name, "txt") || !strcasecmp(name, "tab"))
			name = "tsv";
		if (!strcasecmp(name, "ndjson") || !strcasecmp(name, "json"))
			name = "jsonl";
		if (!strcmp(path, "-"))
			name = "csv";
	}
	static const char *const names[] = { "csv", "tsv", "jsonl", "xlsx" };
	for (int i = 0; i < 4; i++)
		if (!strcasecmp(name, names[i])) {
			*f = (enum fmt)i;
			return CRM_OK;
		}
	if (given)
		return crm_error(c, CRM_USAGE, "--format: '%s' is not one of csv, tsv, jsonl, xlsx", given);
	*f = F_CSV;   /* an unknown extension: try CSV */
	return CRM_OK;
}

/* After a row of any format: where we are, a batch committed every
 * --batch rows, the progress line now and then. rc: the row's status. */
static int row_done(struct importer *im, long line, int rc)
{
	im->last_line = line;
	/* every --batch rows, and at least every half second of work: another
	 * writer waits for our lock no longer than that */
	if (!rc && batching(im) && db_in_txn(im->c)
	    && (im->rows % im->o->batch == 0 || db_txn_seconds(im->c) >= DB_TXN_MAX_SECONDS))
		rc = batch_commit(im);
	if (!rc && im->rows % 256 == 0) {
		off_t pos = im->fd >= 0 && im->size > 0 ? lseek(im->fd, 0, SEEK_CUR) : -1;
		progress_update(&im->pg, im->rows, pos > 0 ? (double)pos / (double)im->size : -1);
	}
	return rc;
}

/* Rows read before the header is known (held_rows_import). */
#define HELD_MAX 3
struct held_rows {
	char **v[HELD_MAX];
	int nv[HELD_MAX];
	long line[HELD_MAX];
	int n;
};

static void held_add(struct held_rows *h, char **vals, int n, long line)
{
	h->v[h->n] = xcalloc(n ? n : 1, sizeof(char *));
	for (int i = 0; i < n; i++)
		h->v[h->n][i] = xstrdup(vals[i] ? vals[i] : "");
	h->nv[h->n] = n;
	h->line[h->n++] = line;
}

static void held_clear(struct held_rows *h)
{
	for (int k = 0; k < h->n; k++) {
		for (int i = 0; i < h->nv[k]; i++)
			free(h->v[k][i]);
		free(h->v[k]);
	}
	h->n = 0;
}

/* A row of one non-empty cell that names no field: a title, if a header
 * follows it. */
static bool lone_cell(struct importer *im, char **vals, int n)
{
	int cells = 0;
	const char *only = NULL;
	for (int i = 0; i < n; i++)
		if (vals[i] && vals[i][strspn(vals[i], " \t")] != 0) {
			cells++;
			only = vals[i];
		}
	return cells == 1 && !map_lookup(im, only);
}

/* The held rows of a one-column file: the first is its header, the
 * others rows. */
static int held_rows_import(struct importer *im, struct held_rows *h)
{
	int rc = h->n ? header_map(im, h->v[0], h->nv[0], h->line[0]) : CRM_OK;
	for (int k = 1; k < h->n && !rc; k++)
		if (h->line[k] > im->resume_after)
			rc = row_done(im, h->line[k], tab_row(im, h->v[k], h->nv[k], h->line[k]));
	return rc;
}

static int read_tabular(struct importer *im, enum fmt f)
{
	struct crm *c = im->c;
	char err[512];
	csv_reader *cr = NULL;
	xlsx_reader *xr = NULL;
	if (f == F_XLSX) {
		if (!strcmp(im->file, "-"))
			return crm_error(c, CRM_USAGE, "an .xlsx workbook cannot come from stdin: give its file name");
		xr = im->xr = xlsx_open(im->file, im->o->sheet, err, sizeof(err));
		if (!xr)
			return crm_error(c, CRM_BADINPUT, "%s", err);
	} else {
		im->fd = strcmp(im->file, "-") ? open(im->file, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
		if (im->fd < 0)
			return crm_error(c, CRM_NOTFOUND, "cannot open %s: %s", im->file, strerror(errno));
		cr = csv_open_fd(im->fd, im->o->encoding, f == F_TSV ? '\t' : im->o->format ? ',' : 0, err, sizeof(err));
		if (!cr) {
			if (im->fd != STDIN_FILENO)
				close(im->fd);
			return crm_error(c, CRM_BADINPUT, "%s: %s", im->file, err);
		}
		csv_tolerate(cr);   /* a stray bad byte rejects its row, not the file */
	}
	char **vals;
	int n, got = 0, rc = CRM_OK;
	long line;
	bool header = true;
	struct held_rows held = { 0 };
	while (!interrupted && (got = cr ? csv_read(cr, &vals, &n, &line) : xlsx_read(xr, &vals, &n, &line)) > 0) {
		int bad_col = -1;
		const char *bad = cr ? csv_bad(cr, &bad_col) : NULL;
		if (bad && header) {
			rc = crm_error(c, CRM_BADINPUT, "%s: the header: %s", im->file, bad);
			break;
		}
		if (header) {
			/* a title above the header ("客户名单 2025" alone in A1 or on
			 * the first line): one cell that is no column name, held
			 * until a row of more cells (the header) shows it was one */
			bool lone = lone_cell(im, vals, n);
			if (lone && held.n < HELD_MAX) {
				held_add(&held, vals, n, line);
				continue;
			}
			header = false;
			if (!lone) {
				for (int i = 0; i < held.n; i++)
					crm_notice(c, "%s: line %ld is a title, not the header: skipped", im->file,
						   held.line[i]);
				held_clear(&held);
				if ((rc = header_map(im, vals, n, line)))
					break;
				continue;
			}
			/* one column all along: its first row was the header */
			rc = held_rows_import(im, &held);
			held_clear(&held);
			if (rc)
				break;
		}
		if (line <= im->resume_after)
			continue;
		if ((rc = row_done(im, line, tab_row_bad(im, vals, n, line, bad, bad_col))))
			break;
	}
	if (!rc && header && held.n && !interrupted && got >= 0) {
		header = false;
		rc = held_rows_import(im, &held);
	}
	held_clear(&held);
	if (!rc && !interrupted && got < 0)
		rc = crm_error(c, CRM_BADINPUT, "%s: %s", im->file, cr ? csv_error(cr) : xlsx_error(xr));
	if (!rc && header && !interrupted)
		rc = crm_error(c, CRM_BADINPUT, "%s: no header row: the file is empty", im->file);
	if (cr) {
		csv_close(cr);
		if (im->fd != STDIN_FILENO)
			close(im->fd);
	}
	xlsx_close(xr);
	im->xr = NULL;
	im->fd = -1;
	return rc;
}

static int read_jsonl(struct importer *im)
{
	struct crm *c = im->c;
	FILE *fp = strcmp(im->file, "-") ? fopen(im->file, "r") : stdin;
	if (!fp)
		return crm_error(c, CRM_NOTFOUND, "cannot open %s: %s", im->file, strerror(errno));
	im->fd = fileno(fp);
	struct jsonl_reader r;
	jsonl_init(&r, fp);
	cJSON *obj;
	int got, rc = CRM_OK;
	while (!interrupted && (got = jsonl_next(&r, &obj)) != 0) {
		if (r.lineno <= im->resume_after) {
			cJSON_Delete(obj);
			continue;
		}
		if (got < 0) {
			im->rows++;
			crm_error(c, CRM_BADINPUT, "%s", r.err);
			cJSON *raw = cJSON_CreateString(r.line ? r.line : "");
			rc = reject(im, r.lineno, raw, CRM_BADINPUT);
			cJSON_Delete(raw);
		} else {
			rc = json_row(im, obj, r.lineno);
			cJSON_Delete(obj);
		}
		if ((rc = row_done(im, r.lineno, rc)))
			break;
	}
	jsonl_release(&r);
	if (fp != stdin)
		fclose(fp);
	im->fd = -1;
	return rc;
}

/* ---- one file ---- */

static void summary(struct importer *im)
{
	struct crm *c = im->c;
	progress_end(&im->pg);
	struct sbuf b = { 0 };
	/* --atomic with a rejected row keeps nothing: say what it would have done */
	const char *would = im->o->dry_run || (im->o->atomic && im->rejected) ? "would be " : "";
	sbuf_addf(&b, "%s: %ld %sinserted, %ld %supdated, %ld %sskipped", im->file, im->inserted, would,
		  im->updated, would, im->skipped, would);
	if (im->in_file)
		sbuf_addf(&b, " (%ld repeated in the file)", im->in_file);
	sbuf_addf(&b, ", %ld rejected", im->rejected);
	if ((im->rejected || im->named) && im->o->errors)
		sbuf_addf(&b, " (see %s)", im->o->errors);
	if (im->dup_db)
		sbuf_addf(&b, "; %ld %sskipped as duplicate%s of records already in crm", im->dup_db, would,
			  im->dup_db == 1 ? "" : "s");
	if (im->short_rows)
		sbuf_addf(&b, "; %ld short rows read as if their missing cells were empty", im->short_rows);
	if (im->run_id && !*would)   /* a run that keeps nothing has nothing to undo */
		sbuf_addf(&b, "; run %lld (crm import undo %lld takes it back)", im->run_id, im->run_id);
	sbuf_addf(&b, "; %.2f s", progress_seconds(&im->pg));
	crm_notice(c, "%s", b.s);
	sbuf_release(&b);
}

/* The file is read: a staged run's rows go into the table (one
 * transaction), the run is finished and audited. */
static int run_finish(struct importer *im)
{
	struct crm *c = im->c;
	struct bulk_result res = { 0 };
	/* a resumed run whose rows were all read before: its staged rows
	 * still go into the table */
	int rc = !im->b && im->resume_after > 0 && im->staged_run ? writer_open(im) : CRM_OK;
	if (!rc && im->b)
		rc = bulk_finish(im->b, &res);
	if (rc)
		return rc;
	if (res.shift) {
		crm_warn(c, "%s: %lld %s were added while the import ran: its records got ids from %lld "
			 "(not %lld as --errors may say)", im->file, res.shift, im_type(im)->plural,
			 im->first_new_id + res.shift, im->first_new_id);
		im->first_new_id += res.shift;
	}
	im->first_made = res.first ? res.first : im->first_new_id;
	im->last_id = res.last;
	if ((rc = run_save(im, true)))
		return rc;
	if ((rc = run_audit(im, im->staging)))
		return rc;
	return im->b ? bulk_done(im->b) : CRM_OK;
}

static int import_one(struct importer *im, const char *file)
{
	struct crm *c = im->c;
	enum fmt f = F_CSV;
	int rc = format_of(c, file, im->o->format, &f);
	if (rc)
		return rc;
	im->file = file;
	im->rows = im->inserted = im->updated = im->skipped = im->in_file = im->rejected = im->short_rows = 0;
	im->dup_db = 0;
	im->named = false;
	free(im->made);
	im->made = NULL;
	im->nmade = 0;
	im->resume_after = im->last_line = 0;
	im->run_id = 0;
	im->size = 0;
	im->fd = -1;
	im->dup_conflict = false;
	im->staged_run = im->staging = false;
	im->colfield_n = 0;
	im->last_id = im->first_made = 0;
	progress_begin(&im->pg, c, file, "rows");
	char *sql = dialect_next_id(c, im->tname);
	im->first_new_id = db_get_int(c, sql, NULL, 1);
	free(sql);
	if ((rc = run_start(im)))
		return rc;
	if (batching(im) && (rc = hook_commit(c, true)))
		return rc;
	/* what the run changes one by one (an update, a rule's write) says so */
	c->audit_run = im->run_id;
	rc = f == F_JSONL ? read_jsonl(im) : read_tabular(im, f);
	if (!rc && !interrupted)
		rc = run_finish(im);
	bulk_close(im->b);
	im->b = NULL;
	c->audit_run = 0;
	colmaps_free(im->cols, im->ncols);
	colmaps_free(im->seen, im->nseen);
	im->cols = im->seen = NULL;
	im->ncols = im->nseen = 0;
	if (rc) {
		/* bytes that cannot be read stop the file: say what was done before */
		if (rc == CRM_BADINPUT && im->rows && !im->o->atomic && !im->o->dry_run)
			summary(im);
		else if (!im->rows && batching(im))
			run_forget(im);
		return rc;
	}
	if (interrupted) {
		progress_end(&im->pg);
		if (!batching(im)) {
			c->rollback = true;
			return crm_error(c, CRM_BADINPUT, "%s: interrupted at line %ld: nothing was imported",
					 file, im->last_line);
		}
		rc = run_save(im, false);
		if (rc)
			return rc;
		return crm_error(c, CRM_BADINPUT, "%s: interrupted after line %ld (%ld inserted%s): "
				 "run the same command with --resume to go on", file, im->last_line, im->inserted,
				 im->staging ? ", kept aside until the import ends" : "");
	}
	summary(im);
	if (im->o->atomic && im->rejected) {
		c->rollback = true;
		return crm_error(c, CRM_BADINPUT, "%s: %ld row%s rejected: %s imports nothing", file,
				 im->rejected, im->rejected == 1 ? "" : "s", c->strict ? "--strict" : "--atomic");
	}
	if (im->dup_conflict)
		return CRM_CONFLICT;
	return im->rejected ? CRM_BADINPUT : CRM_OK;
}

/* ---- saved mappings ---- */

static int maps_setup(struct importer *im)
{
	struct crm *c = im->c;
	const struct import_opts *o = im->o;
	int rc = CRM_OK;
	char *saved = NULL;
	if (o->map_name) {
		char *key = xasprintf("import.map.%s", o->map_name);
		saved = config_get(c, key);
		free(key);
		if (!saved)
			return crm_error(c, CRM_NOTFOUND, "no saved mapping '%s' (save one with --save-map)", o->map_name);
		rc = map_parse(c, saved, &im->user, &im->nuser);
	}
	if (!rc && o->map)
		rc = map_parse(c, o->map, &im->user, &im->nuser);
	if (!rc && o->save_map) {
		if (!config_key_valid(o->save_map)) {
			rc = crm_error(c, CRM_USAGE, "--save-map: '%s' is not a name (a-z, 0-9, ., _, -)", o->save_map);
		} else {
			struct sbuf b = { 0 };
			if (saved)
				sbuf_add(&b, saved);
			if (o->map)
				sbuf_addf(&b, "%s%s", b.len ? "," : "", o->map);
			char *key = xasprintf("import.map.%s", o->save_map);
			rc = b.s ? config_set(c, key, b.s) : crm_error(c, CRM_USAGE, "--save-map needs --map");
			free(key);
			sbuf_release(&b);
		}
	}
	for (int i = 0; !rc && i < im->nuser; i++)
		if (strcmp(im->user[i].field, "-") && !type_field(im_type(im), im->user[i].field))
			rc = crm_error(c, CRM_USAGE, "--map: %s has no field '%s'", im->tname, im->user[i].field);
	free(saved);
	return rc;
}

int import_files(struct crm *c, const struct import_opts *o, int nfiles, char **files)
{
	const struct type *t = type_get(c, o->type);
	if (!t)
		return c->errcode;
	if (o->key && !type_field(t, o->key))
		return crm_error(c, CRM_USAGE, "--key: %s has no field '%s'", t->name, o->key);
	if (o->encoding && !enc_known(o->encoding))
		return crm_error(c, CRM_USAGE, "--encoding: '%s' is not one of auto, utf-8, gbk, gb18030, "
				 "utf-16, utf-16le, utf-16be, latin1", o->encoding);
	/* new fields are settings, the admin's as `crm field add` is (on a
	 * server crm_field_column() refuses the others too) */
	if (o->create_fields && module_permit(c, NULL, 0, "admin"))
		return c->errcode;
	struct importer im = { .c = c, .o = o, .tname = t->name, .fd = -1 };
	if (o->dry_run)
		c->rollback = c->dry_run = true;   /* from the start: nothing may commit on the way */
	c->atomic = o->atomic;
	db_bulk(c, 40);   /* 40 MB: the import keeps under 100 MB */
	int rc = maps_setup(&im);
	if (!rc)
		rc = labels_load(&im);
	if (!rc && o->errors) {
		im.errors = fopen(o->errors, o->resume ? "a" : "w");
		if (!im.errors)
			rc = crm_error(c, CRM_USAGE, "--errors: cannot write %s: %s", o->errors, strerror(errno));
	}
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	interrupted = 0;
	int worst = rc;
	for (int i = 0; !rc && i < nfiles && !interrupted; i++) {
		int frc = import_one(&im, files[i]);
		if (frc && c->errmsg[0])
			crm_report(c);
		worst = status_worse(worst, frc);
		if (frc != CRM_OK && frc != CRM_BADINPUT && frc != CRM_CONFLICT)
			break;
		if (c->rollback && !o->dry_run)
			break;   /* --atomic: one file's rejected row imports nothing */
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	c->signal = interrupted;   /* main dies of it once the batch is committed */
	if (im.errors)
		fclose(im.errors);
	colmaps_free(im.user, im.nuser);
	colmaps_free(im.labels, im.nlabels);
	free(im.made);
	free(im.text);
	free(im.colfield);
	return worst;
}

/* ---- runs: listing and undoing ---- */

int import_runs(struct crm *c, long long limit)
{
	char *sql = xasprintf("SELECT id, type, file, \"user\", started_at, finished_at, line, inserted, updated, "
			      "skipped, rejected, first_id, last_id, staged, undone_at, undone_by FROM import_run "
			      "ORDER BY id DESC%s", limit > 0 ? " LIMIT ?" : "");
	struct db_stmt *st;
	int rc = db_prepare(c, sql, -1, &st, NULL);
	free(sql);
	if (rc != DB_OK)
		return crm_dberror(c, rc, "import runs");
	if (limit > 0)
		db_bind_int64(st, 1, limit);
	static const char *const cols[] = { "id", "record_type", "status", "file", "inserted", "updated",
					    "skipped", "rejected", "started_at", "user" };
	out_columns(c->out, cols, 10);
	long n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *finished = (const char *)db_column_text(st, 5);
		const char *undone = (const char *)db_column_text(st, 14);
		struct out *o = c->out;
		out_begin(o);
		out_str(o, "type", "import_run");
		out_int(o, "id", db_column_int64(st, 0));
		out_str(o, "record_type", (const char *)db_column_text(st, 1));
		out_str(o, "status", undone ? "undone" : finished ? "finished" : "unfinished");
		out_str(o, "file", (const char *)db_column_text(st, 2));
		out_str(o, "user", (const char *)db_column_text(st, 3));
		out_str(o, "started_at", (const char *)db_column_text(st, 4));
		out_str(o, "finished_at", finished);
		out_int(o, "line", db_column_int64(st, 6));
		static const char *const counts[] = { "inserted", "updated", "skipped", "rejected" };
		for (int i = 0; i < 4; i++)
			out_int(o, counts[i], db_column_int64(st, 7 + i));
		if (db_column_type(st, 11) != DB_NULL && db_column_int64(st, 7))
			out_int(o, "first_id", db_column_int64(st, 11));
		if (db_column_type(st, 12) != DB_NULL)
			out_int(o, "last_id", db_column_int64(st, 12));
		out_bool(o, "staged", db_column_int(st, 13) != 0);
		out_str(o, "undone_at", undone);
		out_str(o, "undone_by", (const char *)db_column_text(st, 15));
		out_end(o);
		n++;
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "import runs");
	return n ? CRM_OK : crm_error(c, CRM_NOTFOUND, "no import runs yet");
}

int import_undo(struct crm *c, long long run, bool force)
{
	struct db_stmt *st = db_stmt(c, "SELECT type, audit_from, undone_at, undone_by, file FROM import_run WHERE id = ?");
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, run);
	if (db_step(st) != DB_ROW) {
		db_reset(st);
		return crm_error(c, CRM_NOTFOUND, "no import run %lld (crm import runs lists them)", run);
	}
	char *tname = xstrdup((const char *)db_column_text(st, 0));
	long long audit_from = db_column_int64(st, 1);
	char *undone = db_column_text(st, 2) ? xstrdup((const char *)db_column_text(st, 2)) : NULL;
	char *by = db_column_text(st, 3) ? xstrdup((const char *)db_column_text(st, 3)) : NULL;
	char *file = xstrdup((const char *)db_column_text(st, 4));
	db_reset(st);
	const struct type *t = type_find(c, tname);
	int rc = CRM_OK;
	if (undone)
		rc = crm_error(c, CRM_CONFLICT, "import run %lld was undone already (%s, by %s)", run, undone,
			       by ? by : "?");
	else if (!t)
		rc = crm_error(c, CRM_DBERR, "import run %lld is of '%s', which this crm does not know", run, tname);
	if (rc)
		goto done;
	/* one transaction, its foreign keys checked by the undo itself */
	bool fk = bulk_fk_off(c);
	struct progress pg;
	char what[160];
	snprintf(what, sizeof(what), "undo import run %lld", run);
	progress_begin(&pg, c, what, t->plural);
	long long removed = 0, reverted = 0;
	rc = bulk_undo(c, t, run, audit_from, force, &removed, &reverted);
	if (!rc) {
		char now[DATE_BUFSZ];
		date_format(date_now(), now);
		struct db_stmt *up = db_stmt(c, "UPDATE import_run SET undone_at = ?, undone_by = ? WHERE id = ?");
		if (!up) {
			rc = c->errcode;
		} else {
			db_bind_text(up, 1, now, -1, DB_TRANSIENT);
			db_bind_text(up, 2, c->user, -1, DB_STATIC);
			db_bind_int64(up, 3, run);
			int src = db_step(up);
			db_reset(up);
			if (src != DB_DONE)
				rc = crm_dberror(c, src, "import_run");
		}
	}
	if (!rc) {
		cJSON *a = cJSON_CreateObject();
		cJSON_AddNumberToObject(a, "run", (double)run);
		cJSON_AddStringToObject(a, "type", tname);
		cJSON_AddStringToObject(a, "file", file);
		cJSON_AddNumberToObject(a, "removed", (double)removed);
		cJSON_AddNumberToObject(a, "reverted", (double)reverted);
		if (force)
			cJSON_AddBoolToObject(a, "forced", true);
		char *after = cJSON_PrintUnformatted(a);
		char *entity = xasprintf("import:%lld", run);
		rc = audit_log(c, entity, "undo", NULL, after);
		free(entity);
		cJSON_free(after);
		cJSON_Delete(a);
	}
	progress_update(&pg, removed + reverted, 1);
	progress_end(&pg);
	int frc = bulk_fk_on(c, fk, rc == CRM_OK);
	if (!rc)
		rc = frc;
	if (!rc) {
		out_begin(c->out);
		out_str(c->out, "type", "import_run");
		out_int(c->out, "id", run);
		out_str(c->out, "record_type", tname);
		out_str(c->out, "status", "undone");
		out_int(c->out, "removed", removed);
		out_int(c->out, "reverted", reverted);
		out_end(c->out);
		crm_notice(c, "import run %lld undone: %lld %s removed, %lld records put back", run, removed,
			   removed == 1 ? "record" : "records", reverted);
	}
done:
	free(tname);
	free(undone);
	free(by);
	free(file);
	return rc;
}
