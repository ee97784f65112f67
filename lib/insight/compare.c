/* compare.c: --compare previous, for any report whose rows are data. */
#include <stdlib.h>
#include <string.h>

#include "base/money.h"
#include "base/sbuf.h"
#include "insight/compare.h"
#include "insight/layers.h"
#include "io/out.h"

struct comparable {
	const char *name;
	int (*rows)(struct crm *c, const struct report_opts *r, cJSON **rows);
	const char *const tcols[9];   /* the table's columns (after --by's, when it has one) */
};

static const struct comparable reports[] = {
	{ "funnel", report_funnel_rows,
	  { "label", "deals", "deals_previous", "deals_change", "conversion_pct", "conversion_pct_previous",
	    "conversion_pct_change", NULL } },
	{ "sources", report_sources_rows,
	  { "source", "leads", "leads_previous", "leads_change", "won_amount", "won_amount_previous",
	    "won_amount_change", NULL } },
	{ "leaderboard", report_leaderboard_rows,
	  { "owner", "won_amount", "won_amount_previous", "won_amount_change", "win_pct", "win_pct_previous",
	    "win_pct_change", NULL } },
	{ "satisfaction", layers_satisfaction,
	  { "responses", "responses_previous", "csat_pct", "csat_pct_previous", "csat_pct_change", "nps",
	    "nps_previous", "nps_change", NULL } },
	{ NULL, NULL, { NULL } },
};

static const struct comparable *find(const char *report)
{
	for (const struct comparable *r = reports; r->name; r++)
		if (!strcmp(r->name, report))
			return r;
	return NULL;
}

bool compare_known(const char *report)
{
	return find(report) != NULL;
}

static bool is_number(const cJSON *it)
{
	return cJSON_IsNumber(it) || cJSON_IsRaw(it);
}

/* A row's names: its text values but the type, which tell rows apart. */
static char *identity(const cJSON *row)
{
	struct sbuf b = { 0 };
	const cJSON *it;
	cJSON_ArrayForEach(it, row)
		if (cJSON_IsString(it) && strcmp(it->string, "type")) {
			sbuf_add(&b, it->string);
			sbuf_addc(&b, '=');
			sbuf_add(&b, it->valuestring);
			sbuf_addc(&b, '\037');
		}
	return b.s ? sbuf_detach(&b) : xstrdup("");
}

static const cJSON *match(const cJSON *rows, const cJSON *row)
{
	char *want = identity(row);
	const cJSON *it, *found = NULL;
	cJSON_ArrayForEach(it, rows) {
		char *id = identity(it);
		bool same = !strcmp(id, want);
		free(id);
		if (same) {
			found = it;
			break;
		}
	}
	free(want);
	return found;
}

/* b - a as a new item: exact in hundredths for amounts and one-decimal
 * figures (raw items), an integer for counts. */
static cJSON *difference(const cJSON *now, const cJSON *before)
{
	long long x, y;
	if (cJSON_IsNumber(now) && cJSON_IsNumber(before))
		return cJSON_CreateNumber(now->valuedouble - before->valuedouble);
	if (!report_money(now, &x) && !report_money(before, &y)) {
		char buf[MONEY_BUFSZ];
		return cJSON_CreateRaw(money_format(x - y, buf));
	}
	return cJSON_CreateNumber(report_number(now) - report_number(before));
}

/* A rate or an average (conversion_pct, avg_days) has no value where
 * there is nothing to divide; a count or an amount is 0. */
static bool is_ratio(const char *key)
{
	size_t n = strlen(key);
	return (n > 4 && !strcmp(key + n - 4, "_pct")) || (n > 5 && !strcmp(key + n - 5, "_days")) ||
	       !strcmp(key, "rank") || !strcmp(key, "nps");
}

static void add_periods(cJSON *o, const struct period *p, const struct period *pp)
{
	cJSON_AddStringToObject(o, "since", p->since);
	cJSON_AddStringToObject(o, "until", p->until);
	cJSON_AddStringToObject(o, "previous_since", pp->since);
	cJSON_AddStringToObject(o, "previous_until", pp->until);
}

cJSON *compare_rows(const cJSON *cur, const cJSON *prev, const struct period *p, const struct period *pp)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *row, *it;
	cJSON_ArrayForEach(row, cur) {
		const cJSON *before = match(prev, row);
		cJSON *o = cJSON_CreateObject();
		cJSON *zero = cJSON_CreateNumber(0);
		cJSON_ArrayForEach(it, row) {
			cJSON_AddItemToObject(o, it->string, cJSON_Duplicate(it, true));
			if (!is_number(it))
				continue;
			/* a row the previous period lacks had none of it then */
			const cJSON *b = before ? cJSON_GetObjectItemCaseSensitive(before, it->string)
					 : is_ratio(it->string) ? NULL : zero;
			if (!b || !is_number(b))
				continue;
			char *k = xasprintf("%s_previous", it->string);
			cJSON_AddItemToObject(o, k, cJSON_Duplicate(b, true));
			free(k);
			k = xasprintf("%s_change", it->string);
			cJSON_AddItemToObject(o, k, difference(it, b));
			free(k);
		}
		cJSON_Delete(zero);
		/* what the previous period had and this one has not (a win rate
		 * with no deals closed now) */
		cJSON_ArrayForEach(it, before) {
			if (!is_number(it) || cJSON_GetObjectItemCaseSensitive(row, it->string))
				continue;
			char *k = xasprintf("%s_previous", it->string);
			cJSON_AddItemToObject(o, k, cJSON_Duplicate(it, true));
			free(k);
		}
		add_periods(o, p, pp);
		cJSON_AddItemToArray(out, o);
	}
	/* what only the previous period had: nothing of it now */
	cJSON_ArrayForEach(row, prev) {
		if (match(cur, row))
			continue;
		cJSON *o = cJSON_CreateObject();
		cJSON_ArrayForEach(it, row) {
			if (!is_number(it)) {
				cJSON_AddItemToObject(o, it->string, cJSON_Duplicate(it, true));
				continue;
			}
			bool ratio = is_ratio(it->string);
			if (!ratio)
				cJSON_AddNumberToObject(o, it->string, 0);
			char *k = xasprintf("%s_previous", it->string);
			cJSON_AddItemToObject(o, k, cJSON_Duplicate(it, true));
			free(k);
			if (!ratio) {
				k = xasprintf("%s_change", it->string);
				cJSON *zero = cJSON_CreateNumber(0);
				cJSON_AddItemToObject(o, k, difference(zero, it));
				cJSON_Delete(zero);
				free(k);
			}
		}
		add_periods(o, p, pp);
		cJSON_AddItemToArray(out, o);
	}
	return out;
}

/* Every key of the rows, in the order they first come (csv, tsv). */
static char **all_keys(const cJSON *rows, int *n)
{
	char **keys = NULL;
	*n = 0;
	const cJSON *row, *it;
	cJSON_ArrayForEach(row, rows)
		cJSON_ArrayForEach(it, row) {
			int i = 0;
			while (i < *n && strcmp(keys[i], it->string))
				i++;
			if (i == *n) {
				keys = xrealloc(keys, (*n + 1) * sizeof(char *));
				keys[(*n)++] = it->string;
			}
		}
	return keys;
}

void compare_print(struct crm *c, const cJSON *rows, const char *const *tcols, int nt)
{
	if (c->format == OUT_TABLE) {
		out_columns(c->out, tcols, nt);
	} else if (c->format != OUT_JSONL) {
		int na;
		char **keys = all_keys(rows, &na);
		out_columns(c->out, (const char *const *)keys, na);
		free(keys);
	}
	const cJSON *row;
	cJSON_ArrayForEach(row, rows)
		out_object(c->out, row);
}

int compare_report(struct crm *c, const char *report, const struct report_opts *r, const struct period *p)
{
	const struct comparable *cmp = find(report);
	if (!cmp)
		return crm_error(c, CRM_USAGE, "--compare: %s cannot be compared", report);
	struct period pp;
	period_previous(p, &pp);
	struct report_opts now = *r, before = *r;
	period_apply(p, &now);
	period_apply(&pp, &before);
	cJSON *cur = NULL, *prev = NULL;
	int rc = cmp->rows(c, &now, &cur);
	if (!rc)
		rc = cmp->rows(c, &before, &prev);
	if (!rc) {
		cJSON *rows = compare_rows(cur, prev, p, &pp);
		const char *tcols[10];
		int nt = 0;
		if (!strcmp(cmp->name, "satisfaction") && r->by)
			tcols[nt++] = r->by;   /* its groups' key */
		for (int i = 0; cmp->tcols[i]; i++)
			tcols[nt++] = cmp->tcols[i];
		compare_print(c, rows, tcols, nt);
		rc = cJSON_GetArraySize(rows) ? CRM_OK : CRM_NOTFOUND;
		cJSON_Delete(rows);
	}
	cJSON_Delete(cur);
	cJSON_Delete(prev);
	return rc;
}
