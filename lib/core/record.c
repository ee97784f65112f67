/* record.c: the one write path for records, and reading them back. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/date.h"
#include "base/money.h"
#include "base/phone.h"
#include "base/text.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/db.h"
#include "core/dialect.h"
#include "core/event.h"
#include "core/hook.h"
#include "core/mask.h"
#include "core/module.h"
#include "core/open.h"
#include "core/record.h"
#include "core/search.h"
#include "io/out.h"

/* ---- reading ---- */

static char *select_from(const struct type *t, const char *table);

char *record_select_sql(const struct type *t)
{
	return select_from(t, t->name);
}

static char *select_from(const struct type *t, const char *table)
{
	/* Built for every record shown or written: plain appends, no printf. */
	struct sbuf b = { 0 };
	sbuf_add(&b, "SELECT ");
	for (int i = 0; i < t->nfields; i++) {
		const struct field *f = &t->fields[i];
		if (f->expr) {
			sbuf_addf(&b, "%s(%s) AS \"%s\"", i ? ", " : "", f->expr, f->name);
			continue;
		}
		sbuf_add(&b, i ? ", r.\"" : "r.\"");
		sbuf_add(&b, f->name);
		sbuf_addc(&b, '"');
	}
	sbuf_add(&b, " FROM \"");
	sbuf_add(&b, table);
	sbuf_add(&b, "\" AS r");
	return sbuf_detach(&b);
}

void record_emit_row(struct crm *c, const struct type *t, struct db_stmt *st)
{
	struct out *o = c->out;
	/* sensitive values the reader may not see print masked */
	bool masks = mask_any(c, t);
	const struct field *fo = masks ? type_field(t, "owner") : NULL;
	const char *owner = fo ? (const char *)db_column_text(st, (int)(fo - t->fields)) : NULL;
	out_begin(o);
	out_str(o, "type", t->name);
	for (int i = 0; i < t->nfields; i++) {
		const struct field *f = &t->fields[i];
		int ct = db_column_type(st, i);
		if (ct == DB_NULL || f->flags & FF_HIDDEN)
			continue;
		if (masks && mask_field(c, t, i, owner)) {
			char *m = mask_text(f, (const char *)db_column_text(st, i));
			out_str(o, f->name, m);
			free(m);
			continue;
		}
		switch (f->kind) {
		case FK_INT:
		case FK_REF:
			out_int(o, f->name, db_column_int64(st, i));
			break;
		case FK_NUMBER:
			if (ct == DB_INTEGER)
				out_int(o, f->name, db_column_int64(st, i));
			else
				out_real(o, f->name, db_column_double(st, i));
			break;
		case FK_MONEY:
			out_money(o, f->name, db_column_int64(st, i));
			break;
		case FK_TAGS:
		case FK_JSON:
			out_json_text(o, f->name, (const char *)db_column_text(st, i));
			break;
		default:
			out_str(o, f->name, (const char *)db_column_text(st, i));
			break;
		}
	}
	out_end(o);
}

int record_emit_vals(struct crm *c, const struct type *t, long long id, char **vals)
{
	if (type_has_expr(t))
		return record_print(c, t, id);   /* computed fields come from the database */
	struct out *o = c->out;
	out_begin(o);
	out_str(o, "type", t->name);
	out_int(o, "id", id);
	for (int i = 1; i < t->nfields; i++) {
		const struct field *f = &t->fields[i];
		const char *v = vals[i];
		char *end;
		if (!v || f->flags & FF_HIDDEN)
			continue;
		switch (f->kind) {
		case FK_INT:
		case FK_REF:
			out_int(o, f->name, strtoll(v, NULL, 10));
			break;
		case FK_NUMBER: {
			long long n = strtoll(v, &end, 10);
			if (*end)
				out_real(o, f->name, strtod(v, NULL));
			else
				out_int(o, f->name, n);
			break;
		}
		case FK_MONEY:
			out_money(o, f->name, strtoll(v, NULL, 10));
			break;
		case FK_TAGS:
		case FK_JSON:
			out_json_text(o, f->name, v);
			break;
		default:
			out_str(o, f->name, v);
			break;
		}
	}
	out_end(o);
	return CRM_OK;
}

/* The raw stored values of a record, as text (NULL for SQL NULL), from
 * its table or another of the same shape (a bulk run's staging table). */
static char **row_load_from(struct crm *c, const struct type *t, const char *table, long long id,
			    bool with_deleted)
{
	char *sel = select_from(t, table);
	char *sql = xasprintf("%s WHERE r.id = ?%s", sel, with_deleted ? "" : " AND r.deleted_at IS NULL");
	free(sel);
	struct db_stmt *st = db_stmt(c, sql);
	free(sql);
	if (!st)
		return NULL;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		if (rc == DB_DONE)
			crm_error(c, CRM_NOTFOUND, "no %s with id %lld", t->name, id);
		else
			crm_dberror(c, rc, t->name);
		return NULL;
	}
	char **vals = xcalloc(t->nfields, sizeof(char *));
	for (int i = 0; i < t->nfields; i++)
		if (db_column_type(st, i) != DB_NULL)
			vals[i] = xstrdup((const char *)db_column_text(st, i));
	db_reset(st);
	return vals;
}

static char **row_load(struct crm *c, const struct type *t, long long id, bool with_deleted)
{
	return row_load_from(c, t, t->name, id, with_deleted);
}

char **record_load(struct crm *c, const struct type *t, const char *table, long long id)
{
	return row_load_from(c, t, table ? table : t->name, id, !table || strcmp(table, t->name));
}

static void vals_free(char **vals, int n)
{
	if (!vals)
		return;
	for (int i = 0; i < n; i++)
		free(vals[i]);
	free(vals);
}

/* A stored value as JSON. */
static cJSON *value_json(const struct field *f, const char *v)
{
	switch (f->kind) {
	case FK_INT:
	case FK_REF:
		return cJSON_CreateNumber((double)strtoll(v, NULL, 10));
	case FK_NUMBER:
		return cJSON_CreateNumber(strtod(v, NULL));
	case FK_MONEY:
		return cJSON_CreateNumber((double)strtoll(v, NULL, 10) / 100.0);
	case FK_TAGS:
	case FK_JSON: {
		cJSON *j = cJSON_Parse(v);
		return j ? j : cJSON_CreateString(v);
	}
	default:
		return cJSON_CreateString(v);
	}
}

static cJSON *vals_json(const struct type *t, long long id, char **vals)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", t->name);
	cJSON_AddNumberToObject(o, "id", (double)id);
	for (int i = 1; i < t->nfields; i++) {
		const struct field *f = &t->fields[i];
		if (!vals[i] || f->flags & FF_HIDDEN)
			continue;
		/* a built-in field's name is a constant: not copied for every
		 * record (a custom one's goes when the types are read again) */
		if (f->flags & FF_CUSTOM)
			cJSON_AddItemToObject(o, f->name, value_json(f, vals[i]));
		else
			cJSON_AddItemToObjectCS(o, f->name, value_json(f, vals[i]));
	}
	return o;
}

cJSON *record_json(const struct type *t, long long id, char **vals)
{
	return vals_json(t, id, vals);
}

void record_vals_free(const struct type *t, char **vals)
{
	vals_free(vals, t->nfields);
}

cJSON *record_get(struct crm *c, const struct type *t, long long id, bool with_deleted)
{
	char **vals = row_load(c, t, id, with_deleted);
	if (!vals)
		return NULL;
	cJSON *o = vals_json(t, id, vals);
	vals_free(vals, t->nfields);
	return o;
}

/* Whether row id is there (with_deleted: removed or not). */
static bool row_exists(struct crm *c, const struct type *t, long long id, bool with_deleted)
{
	char *sql = xasprintf("SELECT 1 FROM \"%s\" WHERE id = ?%s", t->name,
			      with_deleted ? "" : " AND deleted_at IS NULL");
	struct db_stmt *st = db_stmt(c, sql);
	free(sql);
	if (!st)
		return false;
	db_bind_int64(st, 1, id);
	bool found = db_step(st) == DB_ROW;
	db_reset(st);
	return found;
}

bool record_exists(struct crm *c, const struct type *t, long long id)
{
	return row_exists(c, t, id, false);
}

/* record_access on a server: what its row-level security lets the role
 * read (or lock for an update), and crm_record_exists() (server init's,
 * which reads past it) to tell a record not visible from none at all. */
static int server_row(struct crm *c, const struct type *t, long long id, bool lock)
{
	char *sql = xasprintf("SELECT 1 FROM \"%s\" WHERE id = ?%s", t->name, lock ? " FOR UPDATE" : "");
	struct db_stmt *st = db_stmt(c, sql);
	free(sql);
	if (!st)
		return DB_ERROR;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		crm_dberror(c, rc, t->name);
	return rc;
}

static int server_access(struct crm *c, const struct type *t, long long id, bool write)
{
	int rc = server_row(c, t, id, write);
	if (rc == DB_ROW)
		return CRM_OK;
	if (rc == DB_DONE && write)
		rc = server_row(c, t, id, false);
	if (rc == DB_ROW)
		return crm_error(c, CRM_PERM, "%s:%lld: %s may not change it (its owner, their manager, "
				 "an admin or a --write share may)", t->name, id, c->user ? c->user : "");
	if (rc != DB_DONE)
		return c->errcode ? c->errcode : CRM_DBERR;
	struct db_stmt *st = db_stmt(c, "SELECT crm_record_exists(?, ?)");
	if (!st)
		return c->errcode;
	db_bind_text(st, 1, t->name, -1, DB_STATIC);
	db_bind_int64(st, 2, id);
	rc = db_step(st);
	bool exists = rc == DB_ROW && db_column_int(st, 0);
	db_reset(st);
	if (rc != DB_ROW)
		return crm_dberror(c, rc, t->name);
	if (!exists)
		return CRM_OK;   /* no such record: the caller says so */
	return crm_error(c, CRM_PERM, "%s:%lld is not visible to %s", t->name, id, c->user ? c->user : "");
}

int record_access(struct crm *c, const struct type *t, long long id, bool write)
{
	if (c->db_role && !c->system)
		return server_access(c, t, id, write);
	char *scope = module_scope(c, t, "r", write);
	if (!scope)
		return CRM_OK;
	char *sql = xasprintf("SELECT (%s) FROM \"%s\" AS r WHERE r.id = ?", scope, t->name);
	free(scope);
	struct db_stmt *st = db_stmt(c, sql);
	free(sql);
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	bool refused = rc == DB_ROW && !db_column_int(st, 0);
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return crm_dberror(c, rc, t->name);
	if (!refused)
		return CRM_OK;   /* allowed, or no such record: the caller says so */
	if (write && record_access(c, t, id, false) == CRM_OK)
		return crm_error(c, CRM_PERM, "%s:%lld: %s may not change it (its owner, their manager, "
				 "an admin or a --write share may)", t->name, id, c->user ? c->user : "");
	c->errmsg[0] = 0;
	return crm_error(c, CRM_PERM, "%s:%lld is not visible to %s", t->name, id, c->user ? c->user : "");
}

/* The records that fields of a write name as what it is about or belongs
 * to (a note's lead, a contact's account) must be visible to the writer:
 * a note on a record one may not see is refused (exit 5), naming it. */
static int refs_visible(struct crm *c, const struct type *t, char **vals, const bool *set)
{
	if (c->system)
		return CRM_OK;
	for (int i = 0; i < t->nfields; i++) {
		const struct field *f = &t->fields[i];
		if (!set[i] || !vals[i] || !(f->flags & (FF_ABOUT | FF_PARENT)))
			continue;
		const struct type *rt = NULL;
		long long rid = 0;
		if (f->kind == FK_REF && f->ref) {
			rt = type_find(c, f->ref);
			rid = strtoll(vals[i], NULL, 10);
		} else if (f->kind == FK_ENTITY && entity_parse(c, vals[i], NULL, &rt, &rid)) {
			c->errmsg[0] = 0;
			continue;
		}
		int rc = rt ? record_access(c, rt, rid, false) : CRM_OK;
		if (rc)
			return rc;
	}
	return CRM_OK;
}

/* A value given for a field the writer sees masked, and equal to the
 * mask of what is stored (a masked line piped back into update), is no
 * change: the stored value stays. A copy of fields without those, or
 * NULL when there are none. */
static cJSON *drop_masked(struct crm *c, const struct type *t, const cJSON *fields, char **old)
{
	if (!mask_any(c, t))
		return NULL;
	const struct field *fo = type_field(t, "owner");
	const char *owner = fo ? old[fo - t->fields] : NULL;
	cJSON *copy = NULL;
	const cJSON *it;
	cJSON_ArrayForEach(it, fields) {
		const struct field *f = it->string ? type_field(t, it->string) : NULL;
		int i = f ? (int)(f - t->fields) : -1;
		if (!f || !old[i] || !cJSON_IsString(it) || !mask_field(c, t, i, owner))
			continue;
		char *m = mask_text(f, old[i]);
		bool same = !strcmp(m, it->valuestring);
		free(m);
		if (!same)
			continue;
		if (!copy)
			copy = cJSON_Duplicate(fields, true);
		cJSON_DeleteItemFromObjectCaseSensitive(copy, it->string);
	}
	return copy;
}

int record_check_fresh(struct crm *c, const struct type *t, long long id, const cJSON *line)
{
	const char *seen = line ? cJSON_GetStringValue(cJSON_GetObjectItem(line, "updated_at")) : NULL;
	if (!seen || !type_field(t, "updated_at"))
		return CRM_OK;
	/* a line about another record (an approval about deal:7) says nothing
	 * of when this one changed */
	const char *tn = cJSON_GetStringValue(cJSON_GetObjectItem(line, "type"));
	const cJSON *lid = cJSON_GetObjectItem(line, "id");
	if ((tn && strcmp(tn, t->name)) || (cJSON_IsNumber(lid) && (long long)lid->valuedouble != id))
		return CRM_OK;
	char *sql = xasprintf("SELECT updated_at FROM \"%s\" WHERE id = ?", t->name);
	struct db_stmt *st = db_stmt(c, sql);
	free(sql);
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, id);
	int rc = CRM_OK;
	if (db_step(st) == DB_ROW) {
		const char *now = (const char *)db_column_text(st, 0);
		time_t a, b;
		int date_only;
		/* as instants: the same time may be written with another offset */
		if (now && date_parse(seen, 0, &a, &date_only) == 0
		    && date_parse(now, 0, &b, &date_only) == 0 && a != b)
			rc = crm_error(c, CRM_CONFLICT, "%s:%lld was changed after this line was read "
				       "(updated_at %s, now %s): read it again", t->name, id, seen, now);
	}
	db_reset(st);
	return rc;
}

int record_print(struct crm *c, const struct type *t, long long id)
{
	char *sel = record_select_sql(t);
	char *sql = xasprintf("%s WHERE r.id = ?", sel);
	free(sel);
	struct db_stmt *st = db_stmt(c, sql);
	free(sql);
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		record_emit_row(c, t, st);
	db_reset(st);
	if (rc == DB_ROW)
		return CRM_OK;
	if (rc == DB_DONE)
		return crm_error(c, CRM_NOTFOUND, "no %s with id %lld", t->name, id);
	return crm_dberror(c, rc, t->name);
}

/* ---- entity references ---- */

int entity_parse(struct crm *c, const char *s, const char *dflt_type,
		 const struct type **t, long long *id)
{
	const char *colon = s ? strchr(s, ':') : NULL;
	const char *num = colon ? colon + 1 : s;
	char *end;
	if (!s || !*s)
		return crm_error(c, CRM_USAGE, "missing record reference (TYPE:ID)");
	if (colon) {
		char *tn = xstrndup(s, colon - s);
		*t = type_get(c, tn);   /* the error names the types there are */
		free(tn);
		if (!*t) {
			char why[sizeof(c->errmsg)];
			snprintf(why, sizeof(why), "%s", c->errmsg);
			return crm_error(c, CRM_USAGE, "'%s': %s", s, why);
		}
	} else {
		*t = type_find(c, dflt_type);
		if (!*t)
			return crm_error(c, CRM_USAGE, "'%s': say which record, as TYPE:ID (lead:42)", s);
	}
	errno = 0;
	*id = strtoll(num, &end, 10);
	if (end == num || *end || *id <= 0 || errno)
		return crm_error(c, CRM_USAGE, "'%s' is not a record id", s);
	return CRM_OK;
}

/* ---- normalising values ---- */

static int bad(struct crm *c, const struct field *f, const char *v, const char *why)
{
	return crm_error(c, CRM_BADINPUT, "%s: '%s' %s", f->name, v, why);
}

static bool in_choices(const char *choices, const char *v)
{
	size_t n = strlen(v);
	for (const char *p = choices; p && *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && !strncmp(p, v, n))
			return true;
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

/* Tags from a JSON array or "a,b，c" text: trimmed, no empties, no repeats. */
static int norm_tags(struct crm *c, const struct field *f, const cJSON *in, const char *text, char **out)
{
	cJSON *arr = cJSON_CreateArray();
	char *copy = NULL;
	const cJSON *it;
	if (cJSON_IsArray(in)) {
		cJSON_ArrayForEach(it, in) {
			if (!cJSON_IsString(it)) {
				cJSON_Delete(arr);
				return bad(c, f, "[...]", "must be a list of text tags");
			}
		}
	}
	/* Collect the raw tags as one comma-joined string, then split. */
	struct sbuf b = { 0 };
	if (cJSON_IsArray(in)) {
		cJSON_ArrayForEach(it, in) {
			sbuf_add(&b, it->valuestring);
			sbuf_addc(&b, '\x1f');
		}
	} else {
		for (const char *p = text; *p; p++) {
			if (*p == ',')
				sbuf_addc(&b, '\x1f');
			else if (!strncmp(p, "，", 3)) {
				sbuf_addc(&b, '\x1f');
				p += 2;
			} else
				sbuf_addc(&b, *p);
		}
	}
	copy = b.s ? sbuf_detach(&b) : xstrdup("");
	char *save = NULL;
	for (char *tok = strtok_r(copy, "\x1f", &save); tok; tok = strtok_r(NULL, "\x1f", &save)) {
		char *tag = text_trim(tok);
		bool dup = false;
		cJSON_ArrayForEach(it, arr)
			if (!strcmp(it->valuestring, tag))
				dup = true;
		if (*tag && !dup)
			cJSON_AddItemToArray(arr, cJSON_CreateString(tag));
		free(tag);
	}
	free(copy);
	if (cJSON_GetArraySize(arr) == 0) {
		*out = NULL;
	} else {
		char *s = cJSON_PrintUnformatted(arr);
		*out = xstrdup(s);
		cJSON_free(s);
	}
	cJSON_Delete(arr);
	return CRM_OK;
}

/* The input as text: strings as they are, numbers without a needless ".0". */
static char *input_text(const cJSON *in)
{
	if (cJSON_IsString(in))
		return xstrdup(in->valuestring);
	if (cJSON_IsBool(in))
		return xstrdup(cJSON_IsTrue(in) ? "1" : "0");
	if (cJSON_IsNumber(in)) {
		double d = in->valuedouble;
		if (d == (double)(long long)d && d < 9e15 && d > -9e15)
			return xasprintf("%lld", (long long)d);
		/* the shortest text that reads back as the same number:
		 * 12345678901234.57, not 12345678901234.6 */
		char buf[64];
		for (int prec = 15; prec <= 17; prec++) {
			snprintf(buf, sizeof(buf), "%.*g", prec, d);
			if (strtod(buf, NULL) == d)
				break;
		}
		return xstrdup(buf);
	}
	char *s = cJSON_PrintUnformatted(in);
	char *r = xstrdup(s ? s : "");
	cJSON_free(s);
	return r;
}

/* A reference given by the record's own number (contract=HT-2026-0001,
 * a field flagged FF_KEY) or by name (account=杭州云启科技有限公司): it
 * must name exactly one live record, or the user has to say which by id. */
static int ref_by_name(struct crm *c, const struct field *f, const struct type *rt,
		       const char *v, long long *id)
{
	const struct field *key = type_field_flagged(rt, FF_KEY);
	if (key) {
		char sql[256];   /* on the stack: an import asks this for every row */
		snprintf(sql, sizeof(sql), "SELECT id FROM \"%s\" WHERE \"%s\" = ? AND deleted_at IS NULL LIMIT 1",
			 rt->name, key->name);
		*id = db_get_int(c, sql, v, 0);
		if (*id)
			return CRM_OK;
		if (!type_field(rt, "name"))
			return crm_error(c, CRM_BADINPUT, "%s: no %s numbered '%s'", f->name, rt->name, v);
	}
	if (!type_field(rt, "name"))
		return bad(c, f, v, "is not a record id");
	char *sql = xasprintf("SELECT id FROM \"%s\" WHERE name = ? AND deleted_at IS NULL "
			      "ORDER BY id LIMIT 2", rt->name);
	struct db_stmt *st = db_stmt(c, sql);
	free(sql);
	if (!st)
		return c->errcode;
	db_bind_text(st, 1, v, -1, DB_STATIC);
	int n = 0;
	long long first = 0, second = 0;
	while (db_step(st) == DB_ROW) {
		if (n++ == 0)
			first = db_column_int64(st, 0);
		else
			second = db_column_int64(st, 0);
	}
	db_reset(st);
	if (n == 0)
		return crm_error(c, CRM_BADINPUT, "%s: no %s %s '%s'", f->name, rt->name,
				 key ? "numbered or named" : "named", v);
	if (n > 1)
		return crm_error(c, CRM_BADINPUT, "%s: '%s' names more than one %s (%s:%lld, %s:%lld): "
				 "give the id", f->name, v, rt->name, rt->name, first, rt->name, second);
	*id = first;
	return CRM_OK;
}

/* "%lld" without printf (a bulk write prints one for most rows). */
static char *ll_text(long long n)
{
	struct sbuf b = { 0 };
	sbuf_add_int(&b, n);
	return sbuf_detach(&b);
}

/* A reference to a record the writer may not see: on a server, whose
 * row-level security hides it as if there were none, exit 5 naming it,
 * as refs_visible says on a file; CRM_OK when there is none. */
static int ref_hidden(struct crm *c, const struct type *rt, long long id)
{
	return c->db_role ? record_access(c, rt, id, false) : CRM_OK;
}

static int norm_ref(struct crm *c, const struct field *f, const char *v, char **out)
{
	const struct type *rt;
	long long id;
	const char *num = v;
	char *end;
	if (strchr(v, ':')) {
		if (entity_parse(c, v, NULL, &rt, &id))
			return bad(c, f, v, "is not a record reference");
		if (strcmp(rt->name, f->ref))
			return bad(c, f, v, "refers to the wrong type of record");
	} else {
		rt = type_find(c, f->ref);
		errno = 0;
		id = strtoll(num, &end, 10);
		if (end == num || *end || errno) {
			int rc = ref_by_name(c, f, rt, v, &id);
			if (rc)
				return rc;
			*out = ll_text(id);   /* found among the live ones */
			return CRM_OK;
		} else if (id <= 0) {
			return bad(c, f, v, "is not a record id");
		}
	}
	if (!record_exists(c, rt, id)) {
		int rc = ref_hidden(c, rt, id);
		return rc ? rc : crm_error(c, CRM_BADINPUT, "%s: no %s with id %lld", f->name, rt->name, id);
	}
	*out = ll_text(id);
	return CRM_OK;
}

static int norm_entity(struct crm *c, const struct field *f, const char *v, char **out)
{
	const struct type *rt;
	long long id;
	if (!strchr(v, ':') || entity_parse(c, v, NULL, &rt, &id))
		return bad(c, f, v, "is not a record reference (TYPE:ID, like lead:42)");
	if (!record_exists(c, rt, id)) {
		int rc = ref_hidden(c, rt, id);
		return rc ? rc : crm_error(c, CRM_BADINPUT, "%s: no %s with id %lld", f->name, rt->name, id);
	}
	*out = xasprintf("%s:%lld", rt->name, id);
	return CRM_OK;
}

static int norm_scalar(struct crm *c, const struct type *t, const struct field *f, const char *v, char **out)
{
	char buf[EMAIL_BUFSZ];
	char *end;
	long long n;
	(void)t;
	switch (f->kind) {
	case FK_INT: {
		errno = 0;
		n = strtoll(v, &end, 10);
		if (end == v || *end || errno)
			return bad(c, f, v, "is not a whole number");
		long long lo, hi;
		if (f->choices && sscanf(f->choices, "%lld..%lld", &lo, &hi) == 2 && (n < lo || n > hi))
			return crm_error(c, CRM_BADINPUT, "%s: '%s' is not between %lld and %lld", f->name, v, lo, hi);
		*out = ll_text(n);
		return CRM_OK;
	}
	case FK_NUMBER: {
		double d = strtod(v, &end);
		/* a percentage as spreadsheets write it: 13% is 13 */
		if (end != v && (!strcmp(end, "%") || !strcmp(end, "％")))
			end += strlen(end);
		if (end == v || *end)
			return bad(c, f, v, "is not a number");
		if (d == (double)(long long)d && d < 9e15 && d > -9e15)
			*out = xasprintf("%lld", (long long)d);
		else
			*out = xasprintf("%.15g", d);
		return CRM_OK;
	}
	case FK_MONEY:
		if (money_parse(v, &n) != 0)
			return bad(c, f, v, "is not an amount of money");
		if (n < 0 && !(f->flags & FF_NEGATIVE))
			return bad(c, f, v, "is below zero: an amount may not be negative (only a money field "
				   "added with --negative may be)");
		if (!money_in_bounds(n))
			return bad(c, f, v, "is more than crm holds (at most 9000000000 either side of 0)");
		*out = ll_text(n);
		return CRM_OK;
	case FK_DATE:
	case FK_TIME: {
		char d[DATE_BUFSZ];
		int (*norm)(const char *, int, char *) = f->flags & FF_AHEAD ? date_normalize_ahead : date_normalize;
		if (norm(v, f->kind == FK_DATE, d) != 0)
			return bad(c, f, v, f->kind == FK_DATE ? "is not a date" : "is not a time");
		/* years 1900 to 2200: outside, a typo (0202, 20025), not a date */
		if (strncmp(d, "1900", 4) < 0 || strncmp(d, "2200", 4) > 0)
			return bad(c, f, v, "is not between the years 1900 and 2200");
		*out = xstrdup(d);
		return CRM_OK;
	}
	case FK_ENUM:
		if (!in_choices(f->choices, v))
			return crm_error(c, CRM_BADINPUT, "%s: '%s' is not one of %s", f->name, v, f->choices);
		*out = xstrdup(v);
		return CRM_OK;
	case FK_PHONE:
		if (phone_normalize(v, buf, sizeof(buf)) != 0)
			return bad(c, f, v, "is not a phone number");
		*out = xstrdup(buf);
		return CRM_OK;
	case FK_EMAIL:
		if (email_normalize(v, buf, sizeof(buf)) != 0)
			return bad(c, f, v, "is not an email address");
		*out = xstrdup(buf);
		return CRM_OK;
	case FK_REF:
		return norm_ref(c, f, v, out);
	case FK_ENTITY:
		return norm_entity(c, f, v, out);
	case FK_JSON: {
		cJSON *j = cJSON_Parse(v);
		if (!j)
			return bad(c, f, v, "is not JSON");
		cJSON_Delete(j);
		*out = xstrdup(v);
		return CRM_OK;
	}
	default:
		if (f->kind == FK_TEXT && !strcmp(f->name, "currency")) {
			/* one currency, one code: usd and USD are not two */
			char code[CURRENCY_BUFSZ];
			if (currency_normalize(v, code) != 0)
				return bad(c, f, v, "is not a currency code (three letters, as CNY, USD, EUR)");
			*out = xstrdup(code);
			return CRM_OK;
		}
		*out = xstrdup(v);
		return CRM_OK;
	}
}

/* What spreadsheets write in a cell that has no value: a budget of 面议
 * (to be agreed), a phone of 无 or -. Empty for a number, money, date,
 * phone or email; text keeps it as written. */
static bool no_value(const char *v)
{
	static const char *const words[] = {
		"-", "--", "—", "/", "无", "没有", "面议", "待定", "未知", "不详", "暂无",
		"n/a", "na", "none", "null", "nil", "tbd", NULL
	};
	/* none starts with a digit or is longer than six bytes */
	if ((*v >= '0' && *v <= '9') || strlen(v) > 6)
		return false;
	for (int i = 0; words[i]; i++)
		if (!strcasecmp(v, words[i]))
			return true;
	return false;
}

/* Long text: a note, an activity's text, a description. Up to
 * TEXT_LONG_MAX bytes, with tabs and line breaks; any other text field
 * up to TEXT_MAX, on one line. */
#define TEXT_MAX      (64 << 10)
#define TEXT_LONG_MAX (1 << 20)

static bool long_text(const struct field *f)
{
	static const char *const names[] = { "note", "text", "body", "description", "content",
					     "summary", "address", NULL };
	if (f->kind == FK_JSON)
		return true;
	for (int i = 0; names[i]; i++)
		if (!strcmp(f->name, names[i]))
			return true;
	return false;
}

/* Control characters (C0 but tab and line breaks in long text, DEL, C1)
 * are refused, not stripped: an ANSI escape (ESC [ ...) in a name would
 * redraw a terminal that prints it, and quietly changing the value
 * would hide that something sent it. */
static int check_text(struct crm *c, const struct field *f, const char *v)
{
	bool lng = long_text(f);
	size_t len = strlen(v), max = lng ? TEXT_LONG_MAX : TEXT_MAX;
	if (len > max)
		return crm_error(c, CRM_BADINPUT, "%s: %zu bytes is longer than the %zu KB a %s holds",
				 f->name, len, max >> 10, lng ? "long text field" : "field");
	if (f->kind == FK_JSON)
		return CRM_OK;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)v[i];
		bool bad = ch < 0x20 || ch == 0x7f;
		if (ch == '\t' || ch == '\n')
			bad = !lng;
		if (ch == '\r' && lng && v[i + 1] == '\n')
			bad = false;
		/* C1 controls, U+0080..U+009F: C2 80..C2 9F (CSI is C2 9B) */
		if (ch == 0xc2 && i + 1 < len && (unsigned char)v[i + 1] >= 0x80
		    && (unsigned char)v[i + 1] <= 0x9f)
			bad = true;
		if (bad)
			return crm_error(c, CRM_BADINPUT, "%s: a control character (0x%02x%s) at byte %zu is not "
					 "allowed%s", f->name, ch == 0xc2 ? (unsigned char)v[i + 1] : ch,
					 ch == 0x1b ? ", an escape sequence" : "", i + 1,
					 lng ? "" : " (tabs and line breaks only in notes and long text)");
	}
	return CRM_OK;
}

/* The text of a value: the checks and rules every value goes through,
 * whether it came as JSON or as a spreadsheet's cell. tags: the JSON
 * array it came as (FK_TAGS), or NULL. */
static int normalize_raw(struct crm *c, const struct type *t, const struct field *f,
			 const char *raw, const cJSON *tags, char **out)
{
	size_t bad_at;
	if (!utf8_valid(raw, strlen(raw), &bad_at))
		return crm_error(c, CRM_BADINPUT, "%s: invalid UTF-8 at byte %zu", f->name, bad_at + 1);
	if (check_text(c, f, raw) != CRM_OK)
		return CRM_BADINPUT;
	if (f->kind == FK_TAGS) {
		/* ["a,b","c"]: a list whose tags have commas (as export writes it) */
		cJSON *list = !tags && raw[0] == '[' ? cJSON_Parse(raw) : NULL;
		const cJSON *it;
		bool strings = cJSON_IsArray(list);
		cJSON_ArrayForEach(it, list)
			strings = strings && cJSON_IsString(it);
		int rc = norm_tags(c, f, strings ? list : tags, raw, out);
		cJSON_Delete(list);
		return rc;
	}
	char *v = text_trim(raw);
	int rc = CRM_OK;
	if (*v && !(f->kind != FK_TEXT && f->kind != FK_ENUM && no_value(v)))
		rc = norm_scalar(c, t, f, v, out);
	free(v);
	return rc;
}

int field_normalize_text(struct crm *c, const struct type *t, const struct field *f,
			 const char *text, char **out)
{
	*out = NULL;
	return text ? normalize_raw(c, t, f, text, NULL, out) : CRM_OK;
}

int field_normalize(struct crm *c, const struct type *t, const struct field *f,
		    const cJSON *in, char **out)
{
	*out = NULL;
	if (!in || cJSON_IsNull(in))
		return CRM_OK;
	if (f->kind == FK_JSON && (cJSON_IsObject(in) || cJSON_IsArray(in))) {
		char *s = cJSON_PrintUnformatted(in);
		*out = xstrdup(s);
		cJSON_free(s);
		return CRM_OK;
	}
	if (cJSON_IsObject(in) || (cJSON_IsArray(in) && f->kind != FK_TAGS))
		return crm_error(c, CRM_BADINPUT, "%s: a list or object is not a valid value", f->name);
	char *raw = cJSON_IsArray(in) ? xstrdup("") : input_text(in);
	int rc = normalize_raw(c, t, f, raw, cJSON_IsArray(in) ? in : NULL, out);
	free(raw);
	return rc;
}

/* ---- writing ---- */

/* Ignored silently on input: they describe a record, they do not set it. */
static bool ignored_key(const char *k)
{
	return !strcmp(k, "type") || !strcmp(k, "id") || !strcmp(k, "updated_at")
	    || !strcmp(k, "deleted_at");
}

/* Whether field f may be given on this write: NULL (ignore it: a computed
 * field in a system write), or an error. */
static int field_settable(struct crm *c, const struct field *f, unsigned flags, bool inserting, bool *skip)
{
	*skip = false;
	if (f->flags & FF_COMPUTED) {
		if (flags & REC_SYSTEM) {
			*skip = true;   /* an export read back: it describes the record */
			return CRM_OK;
		}
		return crm_error(c, CRM_BADINPUT, "field '%s' is computed by crm, not set", f->name);
	}
	bool settable = !(f->flags & FF_SYSTEM) || flags & REC_SYSTEM
		     || (inserting && !strcmp(f->name, "created_at"));
	if (!settable)
		return crm_error(c, CRM_BADINPUT, "field '%s' is set by crm, not by hand", f->name);
	return CRM_OK;
}

/* Normalise every given field into vals[] (set[] marks the given ones). */
static int collect(struct crm *c, const struct type *t, const cJSON *fields, unsigned flags,
		   bool inserting, char **vals, bool *set)
{
	const cJSON *it;
	if (!cJSON_IsObject(fields))
		return crm_error(c, CRM_BADINPUT, "a record must be a JSON object");
	cJSON_ArrayForEach(it, fields) {
		if (ignored_key(it->string))
			continue;
		const struct field *f = type_field_or_ref(t, it->string);
		if (!f)
			return crm_error(c, CRM_BADINPUT, "unknown field '%s' for %s (see 'crm field add')",
					 it->string, t->name);
		int i = (int)(f - t->fields);
		bool skip;
		int rc = field_settable(c, f, flags, inserting, &skip);
		if (rc)
			return rc;
		if (skip)
			continue;
		free(vals[i]);
		if ((rc = field_normalize(c, t, f, it, &vals[i])))
			return rc;
		set[i] = true;
	}
	return CRM_OK;
}

/* The same for text values by field index (a spreadsheet's cells). */
static int collect_text(struct crm *c, const struct type *t, const char *const *text, unsigned flags,
			char **vals)
{
	for (int i = 1; i < t->nfields; i++) {
		const struct field *f = &t->fields[i];
		if (!text[i] || (f->flags & FF_SYSTEM && ignored_key(f->name)))
			continue;
		bool skip;
		int rc = field_settable(c, f, flags, true, &skip);
		if (rc)
			return rc;
		if (!skip && (rc = field_normalize_text(c, t, f, text[i], &vals[i])))
			return rc;
	}
	return CRM_OK;
}

long long record_find_dup(struct crm *c, const struct type *t, const char *phone,
			  const char *email, long long except_id)
{
	const char *keys[2] = { "phone", "email" };
	const char *vals[2] = { phone, email };
	for (int k = 0; k < 2; k++) {
		const struct field *f = type_field(t, keys[k]);
		if (!vals[k] || !f || !(f->flags & FF_DEDUPE))
			continue;
		char *sql = xasprintf("SELECT id FROM \"%s\" WHERE \"%s\" = ? AND deleted_at IS NULL "
				      "AND id <> ? ORDER BY id LIMIT 1", t->name, keys[k]);
		struct db_stmt *st = db_stmt(c, sql);
		free(sql);
		if (!st)
			return -1;
		db_bind_text(st, 1, vals[k], -1, DB_STATIC);
		db_bind_int64(st, 2, except_id);
		long long id = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 0;
		db_reset(st);
		if (id)
			return id;
	}
	return 0;
}

static int dup_guard(struct crm *c, const struct type *t, char **vals, long long self, long long *dup_id)
{
	const struct field *fp = type_field(t, "phone"), *fe = type_field(t, "email");
	const char *phone = fp ? vals[fp - t->fields] : NULL;
	const char *email = fe ? vals[fe - t->fields] : NULL;
	long long id = record_find_dup(c, t, phone, email, self);
	if (id < 0)
		return c->errcode;
	if (!id)
		return CRM_OK;
	if (dup_id)
		*dup_id = id;
	char *name = NULL;
	char *sql = xasprintf("SELECT name FROM \"%s\" WHERE id = %lld", t->name, id);
	name = db_get_text(c, sql, NULL);
	free(sql);
	/* Say which value matched. */
	long long by_phone = phone ? record_find_dup(c, t, phone, NULL, self) : 0;
	crm_error(c, CRM_CONFLICT, "%s %s already belongs to %s:%lld (%s); --allow-duplicate adds it anyway",
		  by_phone == id ? "phone" : "email", by_phone == id ? phone : email, t->name, id,
		  name ? name : "");
	free(name);
	return CRM_CONFLICT;
}

/* The fields flagged FF_KEY (a contract's number) are unique among live
 * records, whatever the write's flags. vals: the values being written
 * (NULL: not written). */
static int key_guard(struct crm *c, const struct type *t, char **vals, long long self)
{
	for (int i = 0; i < t->nfields; i++) {
		const struct field *f = &t->fields[i];
		if (!(f->flags & FF_KEY) || !vals[i])
			continue;
		char *sql = xasprintf("SELECT id FROM \"%s\" WHERE \"%s\" = ? AND deleted_at IS NULL "
				      "AND id <> ? LIMIT 1", t->name, f->name);
		struct db_stmt *st = db_stmt(c, sql);
		free(sql);
		if (!st)
			return c->errcode;
		db_bind_text(st, 1, vals[i], -1, DB_STATIC);
		db_bind_int64(st, 2, self);
		long long other = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 0;
		db_reset(st);
		if (other)
			return crm_error(c, CRM_CONFLICT, "%s %s already belongs to %s:%lld", f->name, vals[i],
					 t->name, other);
	}
	return CRM_OK;
}

static char *json_text(const cJSON *j)
{
	char *s = cJSON_PrintUnformatted(j);
	char *r = xstrdup(s ? s : "null");
	cJSON_free(s);
	return r;
}

/* Whether a user's hook wants the record of a change of t (what:
 * "created", "updated", ...) as it reads: t has computed fields and a
 * hook for the change's event or one of t's value events. Rules and
 * subscribers read the database for what they need; reading the record
 * again for them alone would only slow an import down. */
static bool hooks_want(struct crm *c, const struct type *t, const char *what)
{
	if (!type_has_expr(t))
		return false;
	char *ev = !strcmp(what, "created") && t->created_event ? xstrdup(t->created_event)
								 : xasprintf("%s.%s", t->name, what);
	bool want = hook_wanted(c, ev);
	free(ev);
	for (const struct type_event *e = t->on_value; !want && e && e->field; e++)
		want = hook_wanted(c, e->event);
	return want;
}

/* The events of a change: TYPE.what (or the type's own name for its
 * making), then those its on_value names for a field that took a value. */
static int publish(struct crm *c, const struct type *t, long long id, const char *what,
		   const cJSON *before, const cJSON *after, const bool *set, const char *const *vals,
		   unsigned flags)
{
	char *ev = !strcmp(what, "created") && t->created_event ? xstrdup(t->created_event)
								 : xasprintf("%s.%s", t->name, what);
	/* told only to whoever listens (a bulk write publishes a million) */
	int rc = CRM_OK;
	for (const struct type_event *e = NULL;; e = e ? e + 1 : t->on_value) {
		const char *name = ev;
		if (e) {
			if (!e->field || !vals)
				break;
			const struct field *f = type_field(t, e->field);
			int i = f ? (int)(f - t->fields) : -1;
			if (i < 0 || (set && !set[i]) || !vals[i] || strcmp(vals[i], e->value))
				continue;
			name = e->event;
		}
		if (event_heard(c, name, flags)) {
			struct change ch = { name, t, id, before, after, flags };
			rc = event_publish(c, &ch);
		}
		if (rc || !t->on_value)
			break;
	}
	free(ev);
	return rc;
}

/* Audit and events after a write: the same for every change. */
static int after_write(struct crm *c, const struct type *t, long long id, const char *action,
		       const char *what, const cJSON *before, const cJSON *after, unsigned flags)
{
	char *entity = xasprintf("%s:%lld", t->name, id);
	char *b = before ? json_text(before) : NULL, *a = after ? json_text(after) : NULL;
	int rc = audit_log(c, entity, action, b, a);
	free(entity);
	free(b);
	free(a);
	/* the audit keeps what was stored; a hook gets the record as it
	 * reads, computed fields included */
	cJSON *shown = !rc && what && after && hooks_want(c, t, what) ? record_get(c, t, id, false) : NULL;
	if (!rc && what)
		rc = publish(c, t, id, what, before, shown ? shown : after, NULL, NULL, flags);
	cJSON_Delete(shown);
	return rc;
}

int record_publish(struct crm *c, const struct type *t, long long id, const char *what, unsigned flags)
{
	/* a hook gets the record as it reads (computed fields), rules read
	 * the database for what they need */
	cJSON *after = hooks_want(c, t, what) ? record_get(c, t, id, false) : NULL;
	if (!after) {
		char **vals = row_load(c, t, id, false);
		if (!vals)
			return c->errcode;
		after = vals_json(t, id, vals);
		vals_free(vals, t->nfields);
	}
	int rc = publish(c, t, id, what, NULL, after, NULL, NULL, flags);
	cJSON_Delete(after);
	return rc;
}

int record_announce(struct crm *c, const struct type *t, long long id, const char *event, const cJSON *before)
{
	cJSON *after = record_get(c, t, id, false);
	if (!after)
		return c->errcode;
	struct change ch = { event, t, id, before, after, 0 };
	int rc = event_publish(c, &ch);
	cJSON_Delete(after);
	return rc;
}

static bool has_money(const struct type *t, char **vals)
{
	for (int i = 0; i < t->nfields; i++)
		if (t->fields[i].kind == FK_MONEY && vals[i])
			return true;
	return false;
}

/* The currency of an amount given without one: config currency, else CNY
 * (read once per command: a bulk write asks for every row). */
static char *default_currency(struct crm *c)
{
	static const char key = 0;
	const char *have = crm_slot_get(c, &key);
	if (!have) {
		char *cur = config_get(c, "currency");
		char code[CURRENCY_BUFSZ];
		if (cur && currency_normalize(cur, code) == 0) {
			free(cur);
			cur = xstrdup(code);
		}
		crm_slot_set(c, &key, cur ? cur : xstrdup("CNY"), free);
		have = crm_slot_get(c, &key);
	}
	return xstrdup(have);
}

static int fill_defaults(struct crm *c, const struct type *t, char **vals, const bool *set)
{
	/* the time of the write, formatted once a second (a bulk write
	 * fills it for every row) */
	static time_t last;
	static char now[DATE_BUFSZ], tz[64];
	time_t tnow = date_now();
	const char *z = getenv("TZ");
	if (tnow != last || !now[0] || strncmp(z ? z : "", tz, sizeof(tz))) {
		date_format(tnow, now);
		last = tnow;
		snprintf(tz, sizeof(tz), "%s", z ? z : "");
	}
	for (int i = 0; i < t->nfields; i++) {
		const struct field *f = &t->fields[i];
		if (vals[i])
			continue;
		/* owner= given empty: nobody's (a lead or account in the pool) */
		if (f->dflt && set && set[i] && !strcmp(f->dflt, DFLT_USER))
			continue;
		if (f->dflt)
			vals[i] = xstrdup(f->dflt[0] != DFLT_NOW[0] ? f->dflt
					  : !strcmp(f->dflt, DFLT_NOW) ? now
					  : !strcmp(f->dflt, DFLT_USER) ? c->user ? c->user : "unknown"
					  : f->dflt);
		else if (f->kind == FK_TIME && (!strcmp(f->name, "created_at") || !strcmp(f->name, "updated_at")))
			vals[i] = xstrdup(now);
		if (!vals[i] && f->flags & FF_REQUIRED && strcmp(f->name, "id"))
			return crm_error(c, CRM_BADINPUT, "%s: required field missing", f->name);
	}
	return CRM_OK;
}

const char *rec_get(const struct rec *r, const char *field)
{
	const struct field *f = type_field(r->t, field);
	return f ? r->vals[f - r->t->fields] : NULL;
}

void rec_set(struct rec *r, const char *field, const char *value)
{
	const struct field *f = type_field(r->t, field);
	if (!f || f->flags & FF_COMPUTED)
		return;
	char **v = &r->vals[f - r->t->fields];
	if (*v == value)
		return;
	char *copy = value ? xstrdup(value) : NULL;
	free(*v);
	*v = copy;
}

void rec_release(struct rec *r)
{
	if (r->vals)
		vals_free(r->vals, r->t->nfields);
	r->vals = NULL;
}

/* After the values are in (set[]: those given): the defaults, the type's
 * fill, an amount's currency (the one fill gave it, a contract's is its
 * deal's, else the default), and the records they name that the writer
 * must be able to see. */
static int prepare_fill(struct crm *c, const struct type *t, struct rec *r, const bool *set, unsigned flags)
{
	char **vals = r->vals;
	int rc = fill_defaults(c, t, vals, set);
	if (!rc && t->ops && t->ops->fill)
		rc = t->ops->fill(c, t, r, flags);
	const struct field *fcur = type_field(t, "currency");
	if (!rc && fcur && !vals[fcur - t->fields] && has_money(t, vals))
		vals[fcur - t->fields] = default_currency(c);
	if (!rc)
		rc = refs_visible(c, t, vals, set);
	return rc;
}

int record_prepare(struct crm *c, const struct type *t, const cJSON *fields, unsigned flags, struct rec *r)
{
	r->t = t;
	r->vals = xcalloc(t->nfields, sizeof(char *));
	bool *set = xcalloc(t->nfields, sizeof(bool));
	int rc = t->ops && t->ops->check ? t->ops->check(c, t, fields, true, flags) : CRM_OK;
	if (!rc)
		rc = collect(c, t, fields, flags, true, r->vals, set);
	if (!rc)
		rc = prepare_fill(c, t, r, set, flags);
	free(set);
	if (rc)
		rec_release(r);
	return rc;
}

int record_prepare_text(struct crm *c, const struct type *t, const char *const *text, unsigned flags,
			struct rec *r)
{
	int rc = CRM_OK;
	if (t->ops && t->ops->check) {
		/* the type's check reads the fields as given */
		cJSON *fields = cJSON_CreateObject();
		for (int i = 1; i < t->nfields; i++)
			if (text[i])
				cJSON_AddStringToObject(fields, t->fields[i].name, text[i]);
		rc = t->ops->check(c, t, fields, true, flags);
		cJSON_Delete(fields);
		if (rc)
			return rc;
	}
	r->t = t;
	r->vals = xcalloc(t->nfields, sizeof(char *));
	bool *set = xcalloc(t->nfields, sizeof(bool));
	for (int i = 1; i < t->nfields; i++)
		set[i] = text[i] != NULL;
	rc = collect_text(c, t, text, flags, r->vals);
	if (!rc)
		rc = prepare_fill(c, t, r, set, flags);
	free(set);
	if (rc)
		rec_release(r);
	return rc;
}

int record_guard(struct crm *c, const struct type *t, char **vals, long long self, unsigned flags,
		 long long *dup_id)
{
	int rc = flags & REC_ALLOW_DUP ? CRM_OK : dup_guard(c, t, vals, self, dup_id);
	return rc ? rc : key_guard(c, t, vals, self);
}

int record_apply(struct crm *c, const struct type *t, char **vals, const cJSON *fields, unsigned flags,
		 bool *set, int *nchanged)
{
	char **given = xcalloc(t->nfields, sizeof(char *));
	memset(set, 0, t->nfields * sizeof(bool));
	*nchanged = 0;
	int rc = t->ops && t->ops->check ? t->ops->check(c, t, fields, false, flags) : CRM_OK;
	if (!rc)
		rc = collect(c, t, fields, flags, false, given, set);
	if (!rc)
		rc = refs_visible(c, t, given, set);
	for (int i = 0; !rc && i < t->nfields; i++) {
		if (!set[i])
			continue;
		if (!given[i] && t->fields[i].flags & FF_REQUIRED)
			rc = crm_error(c, CRM_BADINPUT, "%s: required field cannot be emptied", t->fields[i].name);
		else if ((given[i] == NULL) != (vals[i] == NULL) || (given[i] && strcmp(given[i], vals[i]))) {
			free(vals[i]);
			vals[i] = given[i];
			given[i] = NULL;
			(*nchanged)++;
		} else {
			set[i] = false;
		}
	}
	vals_free(given, t->nfields);
	return rc;
}

/* A write of a record read a moment ago in the same transaction that
 * touched no row: a server's row-level security let the user read it
 * but not change it (its policy's USING hid the row from the write; on
 * a file crm's own scope refuses before). */
static int unchanged(struct crm *c, const struct type *t, long long id)
{
	return crm_error(c, CRM_PERM, "%s:%lld: the server's policy lets %s read it but not change it", t->name, id,
			 c->user ? c->user : "you");
}

/* A record's savepoint, and the user hooks its change queued: rolled
 * back together. */
static int rec_savepoint(struct crm *c, void **hooks)
{
	*hooks = hook_mark(c);
	return db_savepoint(c);
}

static void rec_rollback(struct crm *c, void *hooks)
{
	db_rollback_to(c);
	hook_rollback(c, hooks);
}

int record_insert(struct crm *c, const struct type *t, const cJSON *fields,
		  unsigned flags, long long *id_out, long long *dup_id)
{
	struct rec r = { t, NULL };
	cJSON *after = NULL;
	long long id = 0;
	int rc = record_prepare(c, t, fields, flags, &r);
	if (rc)
		return rc;
	char **vals = r.vals;
	if ((rc = record_guard(c, t, vals, 0, flags, dup_id)))
		goto cleanup;

	struct sbuf sql = { 0 }, qs = { 0 };
	sbuf_add(&sql, "INSERT INTO \"");
	sbuf_add(&sql, t->name);
	sbuf_add(&sql, "\"(");
	int n = 0;
	for (int i = 1; i < t->nfields; i++) {
		if (!vals[i])
			continue;
		sbuf_add(&sql, n ? ", \"" : "\"");
		sbuf_add(&sql, t->fields[i].name);
		sbuf_addc(&sql, '"');
		sbuf_add(&qs, n++ ? ", ?" : "?");
	}
	sbuf_add(&sql, ") VALUES (");
	sbuf_add(&sql, qs.s ? qs.s : "");
	sbuf_addc(&sql, ')');
	struct db_stmt *st = db_stmt(c, sql.s);
	sbuf_release(&sql);
	sbuf_release(&qs);
	if (!st) {
		rc = c->errcode;
		goto cleanup;
	}
	n = 0;
	for (int i = 1; i < t->nfields; i++)
		if (vals[i])
			db_bind_text(st, ++n, vals[i], -1, DB_STATIC);
	void *hooks;
	if ((rc = rec_savepoint(c, &hooks)))
		goto cleanup;
	int src = db_step(st);
	db_reset(st);
	if (src != DB_DONE) {
		rc = crm_dberror(c, src, t->name);
		rec_rollback(c, hooks);
		goto cleanup;
	}
	id = db_last_insert_id(c);
	after = vals_json(t, id, vals);
	rc = t->ops && t->ops->inserted ? t->ops->inserted(c, t, id, after, flags) : CRM_OK;
	if (!rc)
		rc = search_mark(c, t, id);
	if (!rc)
		rc = after_write(c, t, id, "insert", "created", NULL, after, flags);
	if (rc) {
		rec_rollback(c, hooks);
		goto cleanup;
	}
	rc = db_release(c);
	if (!rc && id_out)
		*id_out = id;
cleanup:
	cJSON_Delete(after);
	rec_release(&r);
	return rc;
}

/* Whether two stored values differ (NULL-aware). */
static bool differ(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a && strcmp(a, b));
}

int record_update(struct crm *c, const struct type *t, long long id,
		  const cJSON *fields, unsigned flags)
{
	return record_update_as(c, t, id, fields, flags, "update", NULL);
}

int record_update_as(struct crm *c, const struct type *t, long long id, const cJSON *fields,
		     unsigned flags, const char *action, const cJSON *extra)
{
	char **old = row_load(c, t, id, false);
	if (!old)
		return c->errcode;
	int rc = c->system ? CRM_OK : record_access(c, t, id, true);
	if (rc) {
		vals_free(old, t->nfields);
		return rc;
	}
	char **vals = xcalloc(t->nfields, sizeof(char *));
	bool *set = xcalloc(t->nfields, sizeof(bool));
	cJSON *before = NULL, *after = NULL, *bdiff = NULL, *adiff = NULL;
	cJSON *unmasked = drop_masked(c, t, fields, old);
	if (unmasked)
		fields = unmasked;
	rc = t->ops && t->ops->check ? t->ops->check(c, t, fields, false, flags) : CRM_OK;
	if (!rc)
		rc = collect(c, t, fields, flags, false, vals, set);
	if (!rc)
		rc = refs_visible(c, t, vals, set);
	if (rc)
		goto cleanup;
	/* An amount given to a record that had none: in the default currency,
	 * as on insert. */
	const struct field *fcur = type_field(t, "currency");
	int icur = fcur ? (int)(fcur - t->fields) : -1;
	if (icur >= 0 && !set[icur] && !old[icur] && has_money(t, vals)) {
		vals[icur] = default_currency(c);
		set[icur] = true;
	}
	int nchanged = 0;
	for (int i = 0; i < t->nfields; i++) {
		if (!set[i])
			continue;
		if (!vals[i] && t->fields[i].flags & FF_REQUIRED) {
			rc = crm_error(c, CRM_BADINPUT, "%s: required field cannot be emptied", t->fields[i].name);
			goto cleanup;
		}
		if (!differ(old[i], vals[i]))
			set[i] = false;
		else
			nchanged++;
	}
	if (!nchanged)
		goto cleanup;
	/* The guard looks at the merged record, for a changed phone or email. */
	char **merged = xcalloc(t->nfields, sizeof(char *));
	for (int i = 0; i < t->nfields; i++)
		merged[i] = set[i] ? vals[i] : NULL;
	if (!(flags & REC_ALLOW_DUP))
		rc = dup_guard(c, t, merged, id, NULL);
	if (!rc)
		rc = key_guard(c, t, merged, id);
	free(merged);
	if (rc)
		goto cleanup;

	char now[DATE_BUFSZ];
	date_format(date_now(), now);
	const char *stamp = cJSON_GetStringValue(cJSON_GetObjectItem(fields, "updated_at"));
	if (flags & REC_RESTORE && stamp && strlen(stamp) < sizeof(now))
		snprintf(now, sizeof(now), "%s", stamp);   /* as it was */
	struct sbuf sql = { 0 };
	sbuf_addf(&sql, "UPDATE \"%s\" SET ", t->name);
	for (int i = 0; i < t->nfields; i++)
		if (set[i])
			sbuf_addf(&sql, "\"%s\" = ?, ", t->fields[i].name);
	sbuf_add(&sql, "updated_at = ? WHERE id = ?");
	struct db_stmt *st = db_stmt(c, sql.s);
	sbuf_release(&sql);
	if (!st) {
		rc = c->errcode;
		goto cleanup;
	}
	int n = 0;
	for (int i = 0; i < t->nfields; i++)
		if (set[i])
			db_bind_text(st, ++n, vals[i], -1, DB_STATIC);
	db_bind_text(st, ++n, now, -1, DB_STATIC);
	db_bind_int64(st, ++n, id);
	void *hooks;
	if ((rc = rec_savepoint(c, &hooks)))
		goto cleanup;
	int src = db_step(st);
	db_reset(st);
	if (src != DB_DONE || db_changes(c) == 0) {
		rc = src != DB_DONE ? crm_dberror(c, src, t->name) : unchanged(c, t, id);
		rec_rollback(c, hooks);
		goto cleanup;
	}
	before = vals_json(t, id, old);
	for (int i = 0; i < t->nfields; i++)
		if (set[i]) {
			free(old[i]);
			old[i] = vals[i] ? xstrdup(vals[i]) : NULL;
		}
	const struct field *fu = type_field(t, "updated_at");
	if (fu) {
		free(old[fu - t->fields]);
		old[fu - t->fields] = xstrdup(now);
	}
	after = vals_json(t, id, old);
	bdiff = cJSON_CreateObject();
	adiff = cJSON_CreateObject();
	for (int i = 0; i < t->nfields; i++) {
		const char *k = t->fields[i].name;
		/* a bulk run's change keeps the stamp too: undoing the run puts
		 * the record back exactly as it was */
		if (!set[i] && !(c->audit_run && fu && i == fu - t->fields))
			continue;
		cJSON *bv = cJSON_GetObjectItemCaseSensitive(before, k);
		cJSON *av = cJSON_GetObjectItemCaseSensitive(after, k);
		cJSON_AddItemToObject(bdiff, k, bv ? cJSON_Duplicate(bv, 1) : cJSON_CreateNull());
		cJSON_AddItemToObject(adiff, k, av ? cJSON_Duplicate(av, 1) : cJSON_CreateNull());
	}
	rc = t->ops && t->ops->updated ? t->ops->updated(c, t, id, before, after, flags) : CRM_OK;
	if (!rc)
		rc = search_mark(c, t, id);
	if (!rc) {
		char *entity = xasprintf("%s:%lld", t->name, id);
		const cJSON *it;
		cJSON_ArrayForEach(it, extra)
			cJSON_AddItemToObject(adiff, it->string, cJSON_Duplicate(it, 1));
		char *b = json_text(bdiff), *a = json_text(adiff);
		rc = audit_log(c, entity, action, b, a);
		free(entity);
		free(b);
		free(a);
	}
	if (!rc) {
		cJSON *shown = hooks_want(c, t, "updated") ? record_get(c, t, id, false) : NULL;
		rc = publish(c, t, id, "updated", before, shown ? shown : after, set, (const char *const *)vals, flags);
		cJSON_Delete(shown);
	}
	if (rc) {
		rec_rollback(c, hooks);
		goto cleanup;
	}
	rc = db_release(c);
cleanup:
	cJSON_Delete(unmasked);
	cJSON_Delete(before);
	cJSON_Delete(after);
	cJSON_Delete(bdiff);
	cJSON_Delete(adiff);
	vals_free(old, t->nfields);
	vals_free(vals, t->nfields);
	free(set);
	return rc;
}

/* Run sql (taken), of one parameter, the id: CRM_OK or the error (of what). */
static int exec_by_id(struct crm *c, char *sql, long long id, const char *what)
{
	struct db_stmt *st = db_stmt(c, sql);
	free(sql);
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, id);
	int src = db_step(st);
	db_reset(st);
	return src != DB_DONE ? crm_dberror(c, src, what) : CRM_OK;
}

/* Where the database has no foreign keys (a server), the rows of the
 * tables that are no record type and refer to record id of t (a lead's
 * score, a deal's stage history, a payment's allocations) go as their
 * keys in crm's schema say: deleted (CASCADE) or emptied (SET NULL). A
 * file's foreign keys do it as the record's row goes. */
static int purge_children(struct crm *c, const struct type *t, long long id)
{
	if (dialect_cascades(c))
		return CRM_OK;
	const struct db_fkeys *f = db_foreign_keys(c);
	if (!f)
		return c->errcode;
	int rc = CRM_OK;
	for (int i = 0; i < f->n && !rc; i++) {
		const struct db_fkey *k = &f->k[i];
		const struct type *u = type_find(c, k->table);
		if (strcmp(k->parent, t->name) || (u && !strcmp(u->name, k->table)))
			continue;   /* records: purge_dependents did them, through the write path */
		char *sql;
		if (!strcmp(k->on_delete, "CASCADE"))
			sql = xasprintf("DELETE FROM \"%s\" WHERE \"%s\" = ?", k->table, k->column);
		else if (!strcmp(k->on_delete, "SET NULL"))
			sql = xasprintf("UPDATE \"%s\" SET \"%s\" = NULL WHERE \"%s\" = ?", k->table, k->column, k->column);
		else
			continue;
		rc = exec_by_id(c, sql, id, k->table);
	}
	return rc;
}

/* Before a record is purged, what refers to it changes through the write
 * path, so that the audit log has it (the foreign keys would do it
 * silently): references to it are emptied (a contact's account_id), and
 * what is about it goes with it (its notes, tasks, a lead's events). */
static int purge_dependents(struct crm *c, const struct type *t, long long id)
{
	char ent[64];
	snprintf(ent, sizeof(ent), "%s:%lld", t->name, id);
	int rc = CRM_OK;
	for (int i = 0; type_at(c, i) && !rc; i++) {
		const struct type *u = type_at(c, i);
		for (int j = 0; j < u->nfields && !rc; j++) {
			const struct field *f = &u->fields[j];
			if (f->flags & FF_COMPUTED)
				continue;
			bool ref = f->kind == FK_REF && f->ref && !strcmp(f->ref, t->name);
			if (!ref && f->kind != FK_ENTITY)
				continue;
			/* an event is nothing without its lead: it goes too */
			bool goes = f->kind == FK_ENTITY || f->flags & FF_REQUIRED;
			char *sql = xasprintf("SELECT id FROM \"%s\" WHERE \"%s\" = ?%s ORDER BY id", u->name, f->name,
					      goes ? "" : " AND deleted_at IS NULL");
			struct db_stmt *st;
			rc = db_prepare(c, sql, -1, &st, NULL);
			free(sql);
			if (rc != DB_OK)
				return crm_dberror(c, rc, u->name);
			if (ref)
				db_bind_int64(st, 1, id);
			else
				db_bind_text(st, 1, ent, -1, DB_TRANSIENT);
			long long *ids;
			int n;
			rc = db_ids(c, st, &ids, &n);
			for (int k = 0; k < n && !rc; k++) {
				if (goes) {
					rc = record_remove(c, u, ids[k], true);
				} else {
					cJSON *ch = cJSON_CreateObject();
					cJSON_AddNullToObject(ch, f->name);
					rc = record_update(c, u, ids[k], ch, REC_NO_RULES | REC_SYSTEM);
					cJSON_Delete(ch);
				}
			}
			free(ids);
		}
	}
	return rc ? rc : purge_children(c, t, id);
}

int record_remove(struct crm *c, const struct type *t, long long id, bool purge)
{
	cJSON *before = record_get(c, t, id, purge);
	if (!before)
		return c->errcode;
	int arc = c->system ? CRM_OK : record_access(c, t, id, true);
	if (arc) {
		cJSON_Delete(before);
		return arc;
	}
	char now[DATE_BUFSZ];
	date_format(date_now(), now);
	void *hooks;
	int rc = rec_savepoint(c, &hooks);
	if (rc) {
		cJSON_Delete(before);
		return rc;
	}
	/* first: it writes other records (the statement cache may turn over);
	 * what goes with a record one may remove goes, whoever owns it */
	if (purge) {
		c->system++;
		rc = purge_dependents(c, t, id);
		c->system--;
	}
	if (rc) {
		rec_rollback(c, hooks);
		cJSON_Delete(before);
		return rc;
	}
	char *sql = purge ? xasprintf("DELETE FROM \"%s\" WHERE id = ?", t->name)
			  : xasprintf("UPDATE \"%s\" SET deleted_at = ? WHERE id = ?", t->name);
	struct db_stmt *st = db_stmt(c, sql);
	free(sql);
	if (!st) {
		rc = c->errcode;
		rec_rollback(c, hooks);
		cJSON_Delete(before);
		return rc;
	}
	int n = 0;
	if (!purge)
		db_bind_text(st, ++n, now, -1, DB_STATIC);
	db_bind_int64(st, ++n, id);
	int src = db_step(st);
	db_reset(st);
	rc = src != DB_DONE ? crm_dberror(c, src, t->name) : db_changes(c) == 0 ? unchanged(c, t, id) : CRM_OK;
	if (!rc)
		rc = search_mark(c, t, id);
	if (!rc)
		rc = after_write(c, t, id, purge ? "purge" : "remove", "removed", before, NULL, 0);
	if (rc)
		rec_rollback(c, hooks);
	else
		rc = db_release(c);
	cJSON_Delete(before);
	return rc;
}

int record_restore(struct crm *c, const struct type *t, long long id)
{
	/* write access to it, and what the modules say of restoring (another
	 * user's record: an admin's) */
	int arc = c->system ? CRM_OK : record_access(c, t, id, true);
	if (!arc && row_exists(c, t, id, true))
		arc = module_permit(c, t, id, "restore");
	if (arc)
		return arc;
	/* Its phone or email may belong to another record since: the same
	 * guard as for a new one. Not for one merged away: the record it went
	 * into gives back what it took (merge_undo, after this). */
	char ent[64];
	snprintf(ent, sizeof(ent), "%s:%lld", t->name, id);
	char *last = db_get_text(c, "SELECT action FROM audit WHERE entity = ? AND action IN ('merge', 'remove') "
				    "ORDER BY id DESC LIMIT 1", ent);
	bool merged = last && !strcmp(last, "merge");
	free(last);
	c->errmsg[0] = 0;
	char **vals = merged ? NULL : row_load(c, t, id, true);
	if (vals) {
		long long other = 0;
		int rc = dup_guard(c, t, vals, id, &other);
		if (rc == CRM_CONFLICT) {
			vals_free(vals, t->nfields);
			return crm_error(c, CRM_CONFLICT, "%s:%lld cannot come back: its phone or email belongs to "
					 "%s:%lld now", t->name, id, t->name, other);
		}
		if (!rc && (rc = key_guard(c, t, vals, id)) == CRM_CONFLICT) {
			char why[sizeof(c->errmsg)];
			snprintf(why, sizeof(why), "%s", c->errmsg);
			crm_error(c, CRM_CONFLICT, "%s:%lld cannot come back: its %s", t->name, id, why);
		}
		vals_free(vals, t->nfields);
		if (rc)
			return rc;
	}
	c->errmsg[0] = 0;   /* not there at all: said below */
	int rc = exec_by_id(c, xasprintf("UPDATE \"%s\" SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL",
					 t->name), id, t->name);
	if (rc)
		return rc;
	if (db_changes(c) == 0)
		return record_exists(c, t, id)
			? crm_error(c, CRM_NOTFOUND, "%s:%lld is not removed", t->name, id)
			: crm_error(c, CRM_NOTFOUND, "no removed %s with id %lld", t->name, id);
	cJSON *after = record_get(c, t, id, false);
	rc = search_mark(c, t, id);
	if (!rc)
		rc = after_write(c, t, id, "restore", "restored", NULL, after, 0);
	cJSON_Delete(after);
	return rc;
}

static int touch(struct crm *c, const char *entity, const char *at);

/* Last contact follows from an activity the user was allowed to add: it
 * is written for the system (the account of a contact may be another's). */
int record_touch(struct crm *c, const char *entity, const char *at)
{
	c->system++;
	int rc = touch(c, entity, at);
	c->system--;
	return rc;
}

static int touch(struct crm *c, const char *entity, const char *at)
{
	const struct type *t;
	long long id;
	if (entity_parse(c, entity, NULL, &t, &id))
		return c->errcode;
	const struct field *f = type_field(t, "last_contacted_at");
	if (!f)
		return CRM_OK;
	cJSON *cur = record_get(c, t, id, false);
	if (!cur)
		return c->errcode;
	const cJSON *old = cJSON_GetObjectItemCaseSensitive(cur, "last_contacted_at");
	int rc = CRM_OK;
	/* Only move forward: a note about last month does not make it recent
	 * (as instants, on either backend; no time yet: any is later). */
	char *now = dialect_instant(c, "?1"), *was = dialect_instant(c, "?2");
	char *sql = xasprintf("SELECT CASE WHEN %s IS NULL THEN 0 WHEN %s IS NULL OR %s > %s THEN 1 ELSE 0 END",
			      now, was, now, was);
	free(now);
	free(was);
	struct db_stmt *st = db_stmt(c, sql);
	free(sql);
	if (!st) {
		cJSON_Delete(cur);
		return c->errcode;
	}
	db_bind_text(st, 1, at, -1, DB_STATIC);
	db_bind_text(st, 2, cJSON_IsString(old) ? old->valuestring : NULL, -1, DB_STATIC);
	bool newer = db_step(st) == DB_ROW && db_column_int(st, 0);
	db_reset(st);
	if (newer) {
		cJSON *ch = cJSON_CreateObject();
		cJSON_AddStringToObject(ch, "last_contacted_at", at);
		rc = record_update(c, t, id, ch, REC_NO_RULES);
		cJSON_Delete(ch);
	}
	/* a word with a contact, or about a deal, is a word with its account */
	const struct field *fp = type_field_flagged(t, FF_PARENT);
	const cJSON *parent = fp ? cJSON_GetObjectItemCaseSensitive(cur, fp->name) : NULL;
	const struct type *tp = fp && fp->ref ? type_find(c, fp->ref) : NULL;
	if (!rc && tp && tp != t && cJSON_IsNumber(parent) && record_exists(c, tp, (long long)parent->valuedouble)) {
		char ent[96];
		snprintf(ent, sizeof(ent), "%s:%lld", tp->name, (long long)parent->valuedouble);
		rc = touch(c, ent, at);
	}
	cJSON_Delete(cur);
	return rc;
}

int record_subject(struct crm *c, const struct type **t, long long *id)
{
	const struct field *about = type_field_flagged(*t, FF_ABOUT);
	if (about) {
		cJSON *r = record_get(c, *t, *id, false);
		if (!r)
			return c->errcode;
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(r, about->name);
		int rc = CRM_OK;
		if (about->kind == FK_REF && cJSON_IsNumber(v) && type_find(c, about->ref)) {
			*t = type_find(c, about->ref);
			*id = (long long)v->valuedouble;
		} else if (cJSON_IsString(v)) {
			rc = entity_parse(c, v->valuestring, NULL, t, id);
		}
		cJSON_Delete(r);
		if (rc)
			return rc;
	}
	if (!record_exists(c, *t, *id))
		return crm_error(c, CRM_NOTFOUND, "no %s with id %lld", (*t)->name, *id);
	return CRM_OK;
}
