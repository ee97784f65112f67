/* type.c: the type registry, built from the modules' types and the
 * custom fields of crm field add. */
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/module.h"
#include "core/type.h"

struct types {
	int n;
	struct type *t;   /* copies of the modules' types, custom fields added */
	bool custom_read; /* the database's custom fields are in (else asked again) */
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

/* A field into t before its timestamps, so that it prints with the rest
 * (custom fields, and those other modules add). Returns it. */
static struct field *field_insert(struct type *t)
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
	t->nfields++;
	return f;
}

static struct field *add_custom(struct type *t, const char *name, const char *kind,
				const char *choices, int required, int sensitive)
{
	struct field *f = field_insert(t);
	f->name = xstrdup(name);
	f->kind = custom_kind(kind);
	/* a sensitive value is not put into the search index, where a
	 * snippet would show it */
	f->flags = FF_CUSTOM | (required ? FF_REQUIRED : 0) | (sensitive ? FF_SENSITIVE : 0)
		 | (f->kind == FK_TEXT && !sensitive ? FF_SEARCH : 0);
	f->choices = choices ? xstrdup(choices) : NULL;
	return f;
}

/* The fields modules add to other modules' types. */
static void add_extensions(struct types *ts)
{
	for (int m = 0; crm_modules[m]; m++)
		for (const struct type_extension *e = crm_modules[m]->extends; e && e->type; e++)
			for (int i = 0; i < ts->n; i++)
				if (!strcmp(ts->t[i].name, e->type))
					for (int k = 0; k < e->nfields; k++)
						*field_insert(&ts->t[i]) = e->fields[k];
}

void types_free(struct crm *c)
{
	if (!c->types)
		return;
	for (int i = 0; i < c->types->n; i++) {
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
	free(c->types->t);
	free(c->types);
	c->types = NULL;
}

/* The custom fields of the database into the types: once there is a
 * database to read them from, and again after a failed read. The types
 * stay where they are (a type found before the database was open is
 * still the one found after). */
static int custom_load(struct crm *c, struct types *ts)
{
	/* negative: from migration 015 on, sensitive: from 021 on (a
	 * read-only older file has neither) */
	struct db_stmt *st = db_stmt(c, "SELECT type, name, kind, choices, required, negative, sensitive "
				      "FROM field ORDER BY created_at, name");
	if (!st) {
		c->errmsg[0] = 0;
		st = db_stmt(c, "SELECT type, name, kind, choices, required, 0, 0 FROM field "
				"ORDER BY created_at, name");
	}
	if (!st)
		return c->errcode;
	while (db_step(st) == DB_ROW) {
		const char *tn = (const char *)db_column_text(st, 0);
		for (int i = 0; i < ts->n; i++) {
			if (strcmp(ts->t[i].name, tn))
				continue;
			struct field *f = add_custom(&ts->t[i], (const char *)db_column_text(st, 1),
						     (const char *)db_column_text(st, 2),
						     (const char *)db_column_text(st, 3),
						     db_column_int(st, 4), db_column_int(st, 6));
			if (f->kind == FK_MONEY && db_column_int(st, 5))
				f->flags |= FF_NEGATIVE;
		}
	}
	db_reset(st);
	ts->custom_read = true;
	return CRM_OK;
}

int types_load(struct crm *c)
{
	if (!c->types) {
		struct types *ts = xcalloc(1, sizeof(*ts));
		for (int m = 0; crm_modules[m]; m++)
			for (const struct type *const *d = crm_modules[m]->types; d && *d; d++) {
				ts->t = xrealloc(ts->t, (ts->n + 1) * sizeof(*ts->t));
				ts->t[ts->n++] = **d;
			}
		add_extensions(ts);
		c->types = ts;
	}
	if (c->types->custom_read || !c->conn)
		return CRM_OK;
	/* a database not set up yet has no custom fields: the modules' types
	 * are all there is, for now (asked again next time) */
	if (custom_load(c, c->types) != CRM_OK)
		c->errmsg[0] = 0;
	return CRM_OK;
}

const struct type *type_at(struct crm *c, int i)
{
	if (types_load(c) || i < 0 || i >= c->types->n)
		return NULL;
	return &c->types->t[i];
}

const struct type *type_find(struct crm *c, const char *name)
{
	if (!name || types_load(c))
		return NULL;
	/* the first byte before the whole name: a bulk run asks for every row */
	for (int i = 0; i < c->types->n; i++) {
		const struct type *t = &c->types->t[i];
		if ((t->name[0] == name[0] && !strcmp(t->name, name)) ||
		    (t->plural[0] == name[0] && !strcmp(t->plural, name)))
			return t;
	}
	return NULL;
}

const struct type *type_get(struct crm *c, const char *name)
{
	const struct type *t = type_find(c, name);
	if (t || types_load(c))
		return t;
	struct sbuf b = { 0 };
	for (int i = 0; i < c->types->n; i++) {
		sbuf_add(&b, i ? ", " : "");
		sbuf_add(&b, c->types->t[i].name);
	}
	crm_error(c, CRM_USAGE, "unknown record type '%s' (%s)", name ? name : "", b.s ? b.s : "");
	sbuf_release(&b);
	return NULL;
}

const struct field *type_field(const struct type *t, const char *name)
{
	for (int i = 0; i < t->nfields; i++)
		if (t->fields[i].name[0] == name[0] && !strcmp(t->fields[i].name, name))
			return &t->fields[i];
	return NULL;
}

const struct field *type_field_or_ref(const struct type *t, const char *name)
{
	const struct field *f = type_field(t, name);
	if (f)
		return f;
	for (int i = 0; i < t->nfields; i++) {
		const struct field *r = &t->fields[i];
		if (r->kind == FK_REF && r->ref && !strcmp(r->ref, name))
			return r;
	}
	return NULL;
}

const struct field *type_field_flagged(const struct type *t, unsigned flag)
{
	for (int i = 0; i < t->nfields; i++)
		if (t->fields[i].flags & flag)
			return &t->fields[i];
	return NULL;
}

bool type_has_expr(const struct type *t)
{
	for (int i = 0; i < t->nfields; i++)
		if (t->fields[i].expr)
			return true;
	return false;
}

char *type_column_sql(const struct field *f)
{
	return f->expr ? xasprintf("(%s)", f->expr) : xasprintf("r.\"%s\"", f->name);
}

const struct type *type_by_num(struct crm *c, int num)
{
	for (int i = 0; num > 0 && type_at(c, i); i++)
		if (type_at(c, i)->num == num)
			return type_at(c, i);
	return NULL;
}

static bool event_of(const struct type *t, const char *event)
{
	size_t n = strlen(t->name);
	if (!strncmp(event, t->name, n) && event[n] == '.') {
		const char *what = event + n + 1;
		if (!strcmp(what, "updated") || (!t->created_event && !strcmp(what, "created")))
			return true;
	}
	if (t->created_event && !strcmp(t->created_event, event))
		return true;
	for (const struct type_event *e = t->on_value; e && e->field; e++)
		if (!strcmp(e->event, event))
			return true;
	for (const char *const *e = t->events; e && *e; e++)
		if (!strcmp(*e, event))
			return true;
	return false;
}

bool type_event_known(struct crm *c, const char *event)
{
	for (int i = 0; type_at(c, i); i++)
		if (event_of(type_at(c, i), event))
			return true;
	return false;
}
