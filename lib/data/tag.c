/* tag.c: tags. See tag.h. */
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/dialect.h"
#include "io/out.h"
#include "core/query.h"
#include "data/tag.h"
#include "base/text.h"

static bool has(const cJSON *arr, const char *tag)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it) && !strcmp(it->valuestring, tag))
			return true;
	return false;
}

int tag_change(struct crm *c, const struct type *t, long long id, char **tags, int ntags, bool add)
{
	if (!type_field(t, "tags"))
		return crm_error(c, CRM_USAGE, "%s records have no tags", t->name);
	cJSON *r = record_get(c, t, id, false);
	if (!r)
		return c->errcode;
	const cJSON *cur = cJSON_GetObjectItem(r, "tags");
	cJSON *next = cJSON_CreateArray();
	const cJSON *it;
	cJSON_ArrayForEach(it, cur)
		if (cJSON_IsString(it)) {
			bool drop = false;
			for (int i = 0; !add && i < ntags; i++) {
				char *tg = text_trim(tags[i]);
				drop = drop || !strcmp(tg, it->valuestring);
				free(tg);
			}
			if (!drop)
				cJSON_AddItemToArray(next, cJSON_CreateString(it->valuestring));
		}
	for (int i = 0; add && i < ntags; i++) {
		char *tg = text_trim(tags[i]);
		if (*tg && !has(next, tg))
			cJSON_AddItemToArray(next, cJSON_CreateString(tg));
		free(tg);
	}
	cJSON_Delete(r);
	cJSON *ch = cJSON_CreateObject();
	cJSON_AddItemToObject(ch, "tags", next);
	int rc = record_update(c, t, id, ch, 0);
	cJSON_Delete(ch);
	return rc ? rc : record_print(c, t, id);
}

int tag_list(struct crm *c, const char *tn, bool counts)
{
	struct sbuf sql = { 0 };
	sbuf_add(&sql, "SELECT value AS tag, count(*) AS n FROM (");
	int n = 0;
	for (int i = 0; type_at(c, i); i++) {
		const struct type *t = type_at(c, i);
		if (!type_field(t, "tags") || (tn && strcmp(tn, t->name)))
			continue;
		/* the tags of what the acting user may see */
		char *scope = query_scope(c, t, "x", false);
		bool all = !strcmp(scope, QUERY_SCOPE_ALL);
		sbuf_addf(&sql, "%sSELECT tags FROM \"%s\" AS x WHERE deleted_at IS NULL AND tags IS NOT NULL%s%s%s",
			  n++ ? " UNION ALL " : "", t->name, all ? "" : " AND (", all ? "" : scope, all ? "" : ")");
		free(scope);
	}
	if (!n) {
		sbuf_release(&sql);
		return crm_error(c, CRM_USAGE, "%s records have no tags", tn);
	}
	/* the elements as the column value (a server names them je.value) */
	char *values = dialect_json_values(c, "r.tags");
	sbuf_addf(&sql, ") AS r, %s GROUP BY value ORDER BY n DESC, value", values);
	free(values);
	struct db_stmt *st;
	int rc = db_prepare(c, sql.s, -1, &st, NULL);
	sbuf_release(&sql);
	if (rc != DB_OK)
		return crm_dberror(c, rc, "tags");
	long rows = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		out_begin(c->out);
		out_str(c->out, "type", "tag");
		out_str(c->out, "tag", (const char *)db_column_text(st, 0));
		if (counts)
			out_int(c->out, "count", db_column_int64(st, 1));
		out_end(c->out);
		rows++;
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "tags");
	return rows ? CRM_OK : CRM_NOTFOUND;
}
