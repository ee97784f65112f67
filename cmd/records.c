/* records.c: add, list, show, update and rm for every record type. */
#include <stdlib.h>
#include <string.h>

#include "core/input.h"
#include "core/mask.h"
#include "io/out.h"
#include "core/query.h"
#include "records.h"
#include "base/text.h"

const struct opt rec_list_opts[] = {
	LIST_OPTS,
	OPT_END
};

const struct opt rec_rm_opts[] = {
	RM_OPTS,
	OPT_END
};

void rec_columns(struct crm *c, const struct type *t)
{
	const char *cols[128];
	int n = 0;
	bool table = c->format == OUT_TABLE;
	if (c->format == OUT_JSONL)
		return;
	for (int i = 0; i < t->nfields && n < 128; i++) {
		unsigned fl = t->fields[i].flags;
		if (fl & FF_HIDDEN)
			continue;
		if (table && !(fl & (FF_LIST | FF_CUSTOM)))
			continue;
		cols[n++] = t->fields[i].name;
	}
	out_columns(c->out, cols, n);
}

/* Flags such as --phone X or --tag T (repeatable) that name fields. */
static void add_flag_fields(const struct type *t, const struct args *a, cJSON **fields)
{
	for (int i = 0; i < a->nopt; i++) {
		const char *name = a->opts[i].opt->name;
		const char *v = a->opts[i].value;
		if (!v)
			continue;
		if (!strcmp(name, "tag") && type_field(t, "tags")) {
			if (!*fields)
				*fields = cJSON_CreateObject();
			cJSON *tags = cJSON_GetObjectItemCaseSensitive(*fields, "tags");
			if (!cJSON_IsArray(tags)) {
				cJSON_DeleteItemFromObjectCaseSensitive(*fields, "tags");
				tags = cJSON_AddArrayToObject(*fields, "tags");
			}
			cJSON_AddItemToArray(tags, cJSON_CreateString(v));
			continue;
		}
		if (!type_field(t, name))
			continue;
		if (!*fields)
			*fields = cJSON_CreateObject();
		cJSON_DeleteItemFromObjectCaseSensitive(*fields, name);
		cJSON_AddStringToObject(*fields, name, v);
	}
}

struct add_ctx {
	const struct type *t;
	unsigned flags;
	const cJSON *given;    /* options that name fields, for every line (or NULL) */
};

static int add_one(struct crm *c, const cJSON *obj, long lineno, void *arg)
{
	struct add_ctx *ac = arg;
	long long id;
	const cJSON *jt = cJSON_GetObjectItemCaseSensitive(obj, "type");
	if (cJSON_IsString(jt) && type_find(c, jt->valuestring) != ac->t)
		return crm_error(c, CRM_BADINPUT, "%s %s, not %s %s", text_article(jt->valuestring),
				 jt->valuestring, text_article(ac->t->name), ac->t->name);
	cJSON *merged = NULL;
	if (ac->given && obj != ac->given) {
		merged = cJSON_Duplicate(obj, true);
		const cJSON *it;
		cJSON_ArrayForEach(it, ac->given)
			if (!cJSON_GetObjectItemCaseSensitive(merged, it->string))
				cJSON_AddItemToObject(merged, it->string, cJSON_Duplicate(it, true));
	}
	int rc = record_insert(c, ac->t, merged ? merged : obj, ac->flags, &id, NULL);
	cJSON_Delete(merged);
	return rc ? rc : record_print(c, ac->t, id);
}

int rec_add_map(struct crm *c, struct args *a, const char *type, const char *const *map, unsigned flags)
{
	const struct type *t = type_get(c, type);
	cJSON *fields, *given = NULL;
	char **rest;
	int nrest, rc;
	if (!t)
		return c->errcode;
	if ((rc = kv_parse(c, a->argc, a->argv, &fields, &rest, &nrest)))
		return rc;
	if (nrest) {
		rc = cmd_usage_error(c, "'%s' is not a field=value pair", rest[0]);
		goto cleanup;
	}
	add_flag_fields(t, a, &fields);
	for (int i = 0; map && map[i]; i += 2) {
		const char *v = arg_get(a, map[i]);
		if (!v && arg_has(a, map[i]))
			v = "1";   /* a flag: --force sets forced=1 */
		if (!v)
			continue;
		if (!given)
			given = cJSON_CreateObject();
		cJSON_AddStringToObject(given, map[i + 1], v);
	}
	struct add_ctx ac = { t, flags | (arg_has(a, "allow-duplicate") ? REC_ALLOW_DUP : 0), given };
	rec_columns(c, t);
	if (!fields && input_piped() && !given) {
		rc = input_each_object(c, add_one, &ac);
		goto cleanup;
	}
	if (!fields && !given) {
		rc = cmd_usage_error(c, "no fields given (FIELD=VALUE ..., or JSON lines on stdin)");
		goto cleanup;
	}
	if (!fields)
		fields = cJSON_CreateObject();
	rc = add_one(c, fields, 0, &ac);
cleanup:
	cJSON_Delete(fields);
	cJSON_Delete(given);
	free(rest);
	return rc;
}

int rec_add(struct crm *c, struct args *a, const char *type)
{
	const struct type *t = type_get(c, type);
	cJSON *fields;
	char **rest;
	int nrest, rc;
	if (!t)
		return c->errcode;
	if ((rc = kv_parse(c, a->argc, a->argv, &fields, &rest, &nrest)))
		return rc;
	struct add_ctx ac = { t, arg_has(a, "allow-duplicate") ? REC_ALLOW_DUP : 0 };
	if (nrest) {
		rc = cmd_usage_error(c, "'%s' is not a field=value pair", rest[0]);
		goto cleanup;
	}
	add_flag_fields(t, a, &fields);
	rec_columns(c, t);
	if (!fields) {
		if (!input_piped()) {
			rc = cmd_usage_error(c, "no fields given (name=... or JSON lines on stdin)");
			goto cleanup;
		}
		rc = input_each_object(c, add_one, &ac);
		goto cleanup;
	}
	rc = add_one(c, fields, 0, &ac);
cleanup:
	cJSON_Delete(fields);
	free(rest);
	return rc;
}

int rec_list(struct crm *c, struct args *a, const char *type)
{
	const struct type *t = type_get(c, type);
	struct query q;
	if (!t)
		return c->errcode;
	if (query_from_args(c, a, &q))
		return c->errcode;
	if (a->argc)
		return cmd_usage_error(c, "unexpected argument '%s' (filters are options: --where ...)", a->argv[0]);
	rec_columns(c, t);
	return query_list(c, t, &q);
}

static int show_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	if (!record_exists(c, t, id)) {
		cJSON *gone = record_get(c, t, id, true);
		cJSON_Delete(gone);
		if (gone)
			return crm_error(c, CRM_NOTFOUND, "%s:%lld was removed ('crm restore %s:%lld' brings it back)",
					 t->name, id, t->name, id);
		return crm_error(c, CRM_NOTFOUND, "no %s with id %lld", t->name, id);
	}
	return record_print(c, t, id);
}

int rec_show(struct crm *c, struct args *a, const char *type)
{
	const struct type *t = type_get(c, type);
	if (!t)
		return c->errcode;
	/* on a terminal every field it has, one a line; else as list prints it */
	if (c->format == OUT_TABLE)
		out_vertical(c->out);
	else
		rec_columns(c, t);
	return input_each(c, a->argc, a->argv, t->name, show_one, NULL);
}

static int update_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	const cJSON *fields = arg;
	int rc = record_check_fresh(c, t, id, line);
	if (!rc)
		rc = record_update(c, t, id, fields, 0);
	return rc ? rc : record_print(c, t, id);
}

int rec_update(struct crm *c, struct args *a, const char *type)
{
	const struct type *t = type_get(c, type);
	cJSON *fields;
	char **rest;
	int nrest, rc;
	if (!t)
		return c->errcode;
	if ((rc = kv_parse(c, a->argc, a->argv, &fields, &rest, &nrest)))
		return rc;
	add_flag_fields(t, a, &fields);
	if (!fields) {
		rc = cmd_usage_error(c, "nothing to change: give field=value pairs");
	} else {
		rec_columns(c, t);
		rc = input_each(c, nrest, rest, t->name, update_one, fields);
	}
	cJSON_Delete(fields);
	free(rest);
	return rc;
}

static int rm_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	bool purge = *(bool *)arg;
	if (record_check_fresh(c, t, id, line))
		return c->errcode;
	cJSON *rec = record_get(c, t, id, purge);
	if (!rec)
		return c->errcode;
	int rc = record_remove(c, t, id, purge);
	mask_json(c, t, rec, NULL);
	if (!rc)
		out_object(c->out, rec);
	cJSON_Delete(rec);
	return rc;
}

int rec_rm(struct crm *c, struct args *a, const char *type)
{
	const struct type *t = type_get(c, type);
	bool purge = arg_has(a, "purge");
	if (!t)
		return c->errcode;
	rec_columns(c, t);
	return input_each(c, a->argc, a->argv, t->name, rm_one, &purge);
}

struct each_ctx {
	rec_verb_fn fn;
	const struct args *a;
};

static int each_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	const struct each_ctx *e = arg;
	int rc = record_check_fresh(c, t, id, line);
	return rc ? rc : e->fn(c, id, e->a);
}

int rec_each(struct crm *c, struct args *a, const char *type, rec_verb_fn fn)
{
	const struct type *t = type_get(c, type);
	if (!t)
		return c->errcode;
	struct each_ctx e = { fn, a };
	rec_columns(c, t);
	return input_each(c, a->argc, a->argv, t->name, each_one, &e);
}
