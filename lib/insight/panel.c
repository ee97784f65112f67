/* panel.c: reading panels, and numbers as people read them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insight/panel.h"
#include "sales/report.h"

const cJSON *panel_find(const cJSON *panels, const char *id)
{
	const cJSON *p;
	cJSON_ArrayForEach(p, panels) {
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(p, "panel");
		if (cJSON_IsString(name) && !strcmp(name->valuestring, id))
			return p;
	}
	return NULL;
}

bool panel_available(const cJSON *panel)
{
	return panel && !cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(panel, "available"));
}

const char *panel_str(const cJSON *obj, const char *key, const char *dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(v) ? v->valuestring : dflt;
}

bool panel_has(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsNumber(v) || cJSON_IsRaw(v);
}

bool panel_minor(const cJSON *obj, const char *key, long long *minor)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	*minor = 0;
	return v && report_money(v, minor) == 0;
}

double panel_double(const cJSON *obj, const char *key)
{
	return report_number(cJSON_GetObjectItemCaseSensitive(obj, key));
}

const char *panel_json(const cJSON *obj, const char *key, char *buf, size_t n)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	buf[0] = 0;
	if (cJSON_IsRaw(v)) {
		snprintf(buf, n, "%s", v->valuestring);
	} else if (cJSON_IsNumber(v)) {
		char *s = cJSON_PrintUnformatted(v);
		snprintf(buf, n, "%s", s ? s : "");
		cJSON_free(s);
	}
	return buf;
}

double panel_max(const cJSON *rows, const char *key)
{
	const cJSON *row;
	double max = 0;
	cJSON_ArrayForEach(row, rows)
		if (panel_double(row, key) > max)
			max = panel_double(row, key);
	return max;
}

static void month_add(char *ym, int k)
{
	int y = atoi(ym), m = atoi(ym + 5) + k;
	while (m < 1) {
		m += 12;
		y--;
	}
	while (m > 12) {
		m -= 12;
		y++;
	}
	char buf[32];
	snprintf(buf, sizeof(buf), "%04d-%02d", y, m);
	memcpy(ym, buf, 7);
	ym[7] = 0;
}

void panel_last_months(const cJSON *rows, const char *now, const cJSON *row[6], char month[6][8])
{
	const char *cur = panel_str(cJSON_GetArrayItem(rows, 0), "currency", NULL);
	for (int i = 0; i < 6; i++) {
		snprintf(month[i], 8, "%.7s", now);
		month_add(month[i], i - 5);
		row[i] = NULL;
		const cJSON *r;
		cJSON_ArrayForEach(r, rows) {
			const char *rc = panel_str(r, "currency", NULL);
			if (!strcmp(panel_str(r, "period", ""), month[i]) && (!cur || (rc && !strcmp(rc, cur))))
				row[i] = r;
		}
	}
}

/* digits of v grouped by three */
static void grouped(unsigned long long v, char *buf, size_t n)
{
	char raw[32], out[48];
	int len = snprintf(raw, sizeof(raw), "%llu", v), j = 0;
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			out[j++] = ',';
		out[j++] = raw[i];
	}
	out[j] = 0;
	snprintf(buf, n, "%s", out);
}

const char *panel_count(long long v, char *buf, size_t n)
{
	char g[48];
	grouped((unsigned long long)(v < 0 ? -v : v), g, sizeof(g));
	snprintf(buf, n, "%s%s", v < 0 ? "-" : "", g);
	return buf;
}

const char *panel_money(long long minor, const char *currency, char *buf, size_t n)
{
	static const struct { const char *code, *sym; } syms[] = {
		{ "CNY", "¥" }, { "RMB", "¥" }, { "USD", "$" }, { "EUR", "€" }, { "GBP", "£" },
		{ "HKD", "HK$" }, { "JPY", "JP¥" }, { "TWD", "NT$" }, { "SGD", "S$" },
	};
	const char *sym = NULL;
	for (size_t i = 0; currency && i < sizeof(syms) / sizeof(syms[0]); i++)
		if (!strcmp(currency, syms[i].code))
			sym = syms[i].sym;
	unsigned long long a = (unsigned long long)(minor < 0 ? -minor : minor);
	char g[48], cents[8] = "";
	grouped(a / 100, g, sizeof(g));
	if (a % 100)
		snprintf(cents, sizeof(cents), ".%02llu", a % 100);
	if (sym || !currency)
		snprintf(buf, n, "%s%s%s%s", minor < 0 ? "-" : "", sym ? sym : "", g, cents);
	else
		snprintf(buf, n, "%s%s%s %s", minor < 0 ? "-" : "", g, cents, currency);
	return buf;
}
