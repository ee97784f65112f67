/* find.c: crm search's query (find.h): every word of a text in the
 * full-text index (core/search.h), the hits the acting user may see,
 * masked, with a snippet. */
#include <stdlib.h>
#include <string.h>

#include "base/sbuf.h"
#include "base/text.h"
#include "core/db.h"
#include "core/mask.h"
#include "core/query.h"
#include "core/record.h"
#include "core/search.h"
#include "data/find.h"
#include "io/out.h"

#define MAX_WORDS 8   /* words of a query: more are ignored */

/* Around the first match in body: "…前后文 [普洱] 茶…" (whole characters). */
static char *snippet_around(const char *body, const char *q)
{
	const char *hit = strstr(body, q);
	if (!hit)
		return xstrdup("");
	const char *from = hit, *to = hit + strlen(q);
	for (int n = 0; n < 12 && from > body; n++) {
		do
			from--;
		while (from > body && ((unsigned char)*from & 0xC0) == 0x80);
	}
	for (int n = 0; n < 12 && *to; n++) {
		do
			to++;
		while (*to && ((unsigned char)*to & 0xC0) == 0x80);
	}
	struct sbuf b = { 0 };
	if (from > body)
		sbuf_add(&b, "…");
	sbuf_addn(&b, from, (size_t)(hit - from));
	sbuf_addc(&b, '[');
	sbuf_add(&b, q);
	sbuf_addc(&b, ']');
	const char *after = hit + strlen(q);
	sbuf_addn(&b, after, (size_t)(to - after));
	if (*to)
		sbuf_add(&b, "…");
	char *s = sbuf_detach(&b);
	for (char *p = s; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return s;
}

/* Whether the acting user sees less than everything of some type. */
static bool scoped(struct crm *c)
{
	for (int i = 0; type_at(c, i); i++) {
		char *s = query_scope(c, type_at(c, i), "r", false);
		bool all = !strcmp(s, QUERY_SCOPE_ALL);
		free(s);
		if (!all)
			return true;
	}
	return false;
}

int find_records(struct crm *c, const char *text, const struct type *only, long long limit)
{
	char *q = text_trim(text);
	int rc = CRM_OK;
	if (!*q) {
		free(q);
		return crm_error(c, CRM_USAGE, "search for what? crm search TEXT");
	}
	/* records written since the last search go into the index now */
	if ((rc = search_refresh(c)))
		goto done;
	/* Words separated by spaces must all be there (钱七 喜欢). trigram
	 * finds words of 3+ characters; shorter ones (普洱, 茶) are a scan
	 * (search_query). */
	char *words[MAX_WORDS], *save = NULL;
	int nw = 0;
	for (char *w = strtok_r(q, " \t", &save); w && nw < MAX_WORDS; w = strtok_r(NULL, " \t", &save))
		words[nw++] = w;
	/* a scope drops hits the user may not see: the limit counts the rest */
	struct db_stmt *st = search_query(c, words, nw, only ? only->num : 0, limit && !scoped(c) ? limit : -1);
	if (!st) {
		rc = c->errcode;
		goto done;
	}
	static const char *const cols[] = { "type", "id", "name", "snippet" };
	out_columns(c->out, cols, 4);
	long n = 0;
	int src;
	while ((src = db_step(st)) == DB_ROW) {
		long long key = db_column_int64(st, 0);
		const struct type *t = NULL;
		t = type_by_num(c, (int)(key % 16));
		/* only what the acting user may see, masked as they may */
		if (t && record_access(c, t, key / 16, false)) {
			c->errmsg[0] = 0;
			continue;
		}
		cJSON *r = t ? record_get(c, t, key / 16, false) : NULL;
		if (!r) {
			c->errmsg[0] = 0;
			continue;
		}
		/* a hit only in what prints masked to this user is no hit: else
		 * searching digit by digit would tell the hidden ones */
		const char *raw = (const char *)db_column_text(st, 1);
		char *body = mask_in_text(c, t, r, raw);
		bool hidden = false;
		for (int i = 0; raw && strcmp(body, raw) && i < nw && !hidden; i++)
			hidden = !strcasestr(body, words[i]);
		if (hidden) {
			free(body);
			cJSON_Delete(r);
			continue;
		}
		if (limit && n >= limit) {
			free(body);
			cJSON_Delete(r);
			break;
		}
		char *snip = snippet_around(body, words[0]);
		free(body);
		mask_json(c, t, r, NULL);
		if (!cJSON_GetObjectItem(r, "name")) {
			const char *label = cJSON_GetStringValue(cJSON_GetObjectItem(r, "title"));
			if (!label)
				label = cJSON_GetStringValue(cJSON_GetObjectItem(r, "entity"));
			if (label)
				cJSON_AddStringToObject(r, "name", label);
		}
		cJSON_AddStringToObject(r, "snippet", snip);
		out_object(c->out, r);
		free(snip);
		cJSON_Delete(r);
		n++;
	}
	db_reset(st);
	if (src != DB_DONE)
		rc = crm_dberror(c, src, "search");
	else
		rc = n ? CRM_OK : CRM_NOTFOUND;
done:
	free(q);
	return rc;
}
