/* mask.c: sensitive values as the acting user may see them. See mask.h. */
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/mask.h"
#include "core/module.h"

/* What the modules said for each field of a type, asked once per command
 * (the slot goes with the command) and acting user. */
struct tplan {
	char *name;
	int nfields;
	unsigned char *kind;   /* MASK_* per field */
	bool any;
};

struct plans {
	char *user;
	struct tplan *t;
	int n;
};

static const char plans_slot = 0;

static void plans_free(void *p)
{
	struct plans *ps = p;
	for (int i = 0; i < ps->n; i++) {
		free(ps->t[i].name);
		free(ps->t[i].kind);
	}
	free(ps->t);
	free(ps->user);
	free(ps);
}

static const struct tplan *plan_of(struct crm *c, const struct type *t)
{
	struct plans *ps = crm_slot_get(c, &plans_slot);
	const char *user = c->user ? c->user : "";
	if (ps && strcmp(ps->user, user)) {
		crm_slot_drop(c, &plans_slot);
		ps = NULL;
	}
	if (!ps) {
		ps = xcalloc(1, sizeof(*ps));
		ps->user = xstrdup(user);
		crm_slot_set(c, &plans_slot, ps, plans_free);
	}
	for (int i = 0; i < ps->n; i++)
		if (ps->t[i].nfields == t->nfields && !strcmp(ps->t[i].name, t->name))
			return &ps->t[i];
	ps->t = xrealloc(ps->t, (ps->n + 1) * sizeof(*ps->t));
	struct tplan *p = &ps->t[ps->n++];
	p->name = xstrdup(t->name);
	p->nfields = t->nfields;
	p->kind = xcalloc(t->nfields ? t->nfields : 1, 1);
	p->any = false;
	for (int m = 0; crm_modules[m]; m++) {
		if (!crm_modules[m]->mask)
			continue;
		for (int i = 0; i < t->nfields; i++) {
			int k = crm_modules[m]->mask(c, t, &t->fields[i]);
			/* always beats unless-owner */
			if (k == MASK_ALWAYS || (k == MASK_UNLESS_OWNER && p->kind[i] == MASK_NONE))
				p->kind[i] = (unsigned char)k;
			if (k != MASK_NONE)
				p->any = true;
		}
	}
	return p;
}

bool mask_any(struct crm *c, const struct type *t)
{
	if (c->system)
		return false;
	return t && plan_of(c, t)->any;
}

static bool masked(struct crm *c, int kind, const char *owner)
{
	if (kind == MASK_NONE)
		return false;
	if (kind == MASK_UNLESS_OWNER && owner && c->user && !strcmp(owner, c->user))
		return false;
	return true;
}

bool mask_field(struct crm *c, const struct type *t, int i, const char *owner)
{
	if (!mask_any(c, t) || i < 0 || i >= t->nfields)
		return false;
	return masked(c, plan_of(c, t)->kind[i], owner);
}

char *mask_text(const struct field *f, const char *v)
{
	size_t n = v ? strlen(v) : 0;
	if (f && f->kind == FK_PHONE && n >= 8) {
		char *s = xmalloc(n + 1);
		memcpy(s, v, 3);
		memset(s + 3, '*', n - 7);
		memcpy(s + n - 4, v + n - 4, 5);
		return s;
	}
	const char *at = f && f->kind == FK_EMAIL && v ? strchr(v, '@') : NULL;
	if (at) {
		size_t keep = (size_t)(at - v) < 2 ? (size_t)(at - v) : 2;
		return xasprintf("%.*s***%s", (int)keep, v, at);
	}
	return xstrdup("***");
}

char *mask_column_sql(struct crm *c, const struct type *t, int i, const char *col, const char *owner_col)
{
	if (!mask_any(c, t) || i < 0 || i >= t->nfields)
		return NULL;
	int kind = plan_of(c, t)->kind[i];
	if (kind == MASK_NONE)
		return NULL;
	const struct field *f = &t->fields[i];
	const char *k = f->kind == FK_PHONE ? "phone" : f->kind == FK_EMAIL ? "email" : "other";
	if (kind == MASK_UNLESS_OWNER && owner_col && c->user) {
		char *sql = sqlite3_mprintf("(CASE WHEN %s = %Q THEN %s ELSE crm_mask(%s, '%s') END)", owner_col,
					    c->user, col, col, k);
		char *r = xstrdup(sql);
		sqlite3_free(sql);
		return r;
	}
	return xasprintf("crm_mask(%s, '%s')", col, k);
}

static void fn_mask(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	const char *k = (const char *)sqlite3_value_text(argv[1]);
	struct field f = { 0 };
	f.kind = k && !strcmp(k, "phone") ? FK_PHONE : k && !strcmp(k, "email") ? FK_EMAIL : FK_TEXT;
	char *m = mask_text(&f, (const char *)sqlite3_value_text(argv[0]));
	sqlite3_result_text(ctx, m, -1, free);
}

int mask_register(struct crm *c)
{
	int rc = sqlite3_create_function(c->db, "crm_mask", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fn_mask,
					 NULL, NULL);
	return rc == DB_OK ? CRM_OK : crm_dberror(c, rc, "registering SQL functions");
}

static cJSON *masked_item(const struct field *f, const cJSON *v)
{
	if (cJSON_IsString(v)) {
		char *m = mask_text(f, v->valuestring);
		cJSON *r = cJSON_CreateString(m);
		free(m);
		return r;
	}
	if (cJSON_IsArray(v)) {   /* a history's [before, after] */
		cJSON *arr = cJSON_CreateArray();
		const cJSON *it;
		cJSON_ArrayForEach(it, v)
			cJSON_AddItemToArray(arr, cJSON_IsNull(it) ? cJSON_CreateNull() : masked_item(f, it));
		return arr;
	}
	return cJSON_CreateString("***");
}

void mask_json(struct crm *c, const struct type *t, cJSON *obj, const char *owner)
{
	if (!cJSON_IsObject(obj) || !mask_any(c, t))
		return;
	const struct tplan *p = plan_of(c, t);
	if (!owner)
		owner = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, "owner"));
	char *own = owner ? xstrdup(owner) : NULL;   /* obj changes under us */
	for (cJSON *it = obj->child; it; it = it->next) {
		const struct field *f = it->string ? type_field(t, it->string) : NULL;
		if (!f || cJSON_IsNull(it) || !masked(c, p->kind[f - t->fields], own))
			continue;
		cJSON *m = masked_item(f, it);
		m->string = xstrdup(it->string);   /* ReplaceItemViaPointer keeps no key */
		cJSON_ReplaceItemViaPointer(obj, it, m);
		it = m;   /* the old item is freed: go on from its place */
	}
	free(own);
}

/* Replace every occurrence of what in s (an sbuf) by with. */
static char *replace_all(const char *s, const char *what, const char *with)
{
	struct sbuf b = { 0 };
	size_t n = strlen(what);
	const char *p = s, *hit;
	while (n && (hit = strstr(p, what)) != NULL) {
		sbuf_addn(&b, p, (size_t)(hit - p));
		sbuf_add(&b, with);
		p = hit + n;
	}
	sbuf_add(&b, p);
	return sbuf_detach(&b);
}

char *mask_in_text(struct crm *c, const struct type *t, const cJSON *rec, const char *text)
{
	char *s = xstrdup(text ? text : "");
	if (!mask_any(c, t))
		return s;
	const struct tplan *p = plan_of(c, t);
	const char *owner = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "owner"));
	for (int i = 0; i < t->nfields; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, t->fields[i].name);
		if (!cJSON_IsString(v) || !*v->valuestring || !masked(c, p->kind[i], owner))
			continue;
		char *m = mask_text(&t->fields[i], v->valuestring);
		char *r = replace_all(s, v->valuestring, m);
		free(m);
		free(s);
		s = r;
	}
	return s;
}
