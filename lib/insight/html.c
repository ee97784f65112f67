/* html.c: the dashboard page: cards, SVG charts, tables; nothing fetched. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/sbuf.h"
#include "insight/html.h"
#include "insight/panel.h"

static const char css[] =
	"@page{size:A4 landscape;margin:8mm}\n"
	":root{--ink:#1e293b;--muted:#64748b;--faint:#94a3b8;--line:#e2e8f0;--bg:#eef2f7;--card:#fff;"
	"--blue:#2563eb;--sky:#bfdbfe;--green:#16a34a;--mint:#dcfce7;--amber:#d97706;--red:#dc2626}\n"
	"*{box-sizing:border-box}\n"
	"html{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
	"body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 \"PingFang SC\",\"Hiragino Sans GB\","
	"\"Microsoft YaHei\",\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"WenQuanYi Micro Hei\",system-ui,sans-serif}\n"
	"main{max-width:1360px;margin:0 auto;padding:18px 22px 10px}\n"
	"header{display:flex;justify-content:space-between;align-items:baseline;gap:16px;margin-bottom:12px}\n"
	"h1{font-size:22px;margin:0;letter-spacing:.02em}\n"
	"h1 small,h2 small{font-weight:400;color:var(--muted);font-size:.62em;margin-left:.5em;letter-spacing:0}\n"
	".period{color:var(--muted);font-size:13px;text-align:right}\n"
	".period b{color:var(--ink);font-weight:600}\n"
	".kpis{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin-bottom:12px}\n"
	".grid{display:grid;grid-template-columns:1.05fr 1fr 1.1fr;gap:12px}\n"
	".card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px 8px;"
	"box-shadow:0 1px 2px rgba(15,23,42,.05);display:flex;flex-direction:column;break-inside:avoid}\n"
	"h2{font-size:15px;margin:0 0 8px}\n"
	".card[data-available=false]{background:#f8fafc;border-style:dashed;box-shadow:none}\n"
	".kpi .label{color:var(--muted);font-size:13px}\n"
	".kpi .value{font-size:30px;font-weight:700;line-height:1.2;margin:2px 0 4px;font-variant-numeric:tabular-nums}\n"
	".kpi .sub{color:var(--muted);font-size:12px;min-height:18px}\n"
	".kpi .row{display:flex;justify-content:space-between;align-items:center;gap:8px}\n"
	".won .value{color:var(--green)}\n"
	".na .value{color:var(--faint);font-size:18px;font-weight:600;margin:10px 0 6px}\n"
	"p.na{color:var(--faint);margin:18px 0;text-align:center;font-size:13px}\n"
	"p.na:before{content:\"\\2014\";display:block;font-size:26px;line-height:1;color:var(--line)}\n"
	".source{margin-top:auto;padding-top:6px;color:var(--faint);font:11px/1.3 ui-monospace,\"DejaVu Sans Mono\","
	"monospace;overflow-wrap:anywhere}\n"
	"svg{display:block;width:100%;height:auto;overflow:visible}\n"
	"svg text{font-family:inherit;font-variant-numeric:tabular-nums}\n"
	"table{width:100%;border-collapse:collapse;font-size:13px}\n"
	"th{color:var(--muted);font-weight:400;font-size:12px;text-align:left;padding:2px 4px;"
	"border-bottom:1px solid var(--line)}\n"
	"td{padding:5px 4px;border-bottom:1px solid var(--line);white-space:nowrap;font-variant-numeric:tabular-nums}\n"
	"tr:last-child td{border-bottom:0}\n"
	"td.num,th.num{text-align:right}\n"
	"td.name{max-width:150px;overflow:hidden;text-overflow:ellipsis}\n"
	".muted{color:var(--muted)}\n"
	".strong{font-weight:600}\n"
	".rank{display:inline-block;width:20px;height:20px;border-radius:50%;text-align:center;line-height:20px;"
	"font-size:12px;font-weight:700;color:#fff;background:var(--faint)}\n"
	".r1{background:#f59e0b}.r2{background:#94a3b8}.r3{background:#b45309}\n"
	".meter{height:8px;border-radius:4px;background:var(--mint);overflow:hidden;min-width:60px}\n"
	".meter i{display:block;height:100%;background:var(--green);border-radius:4px}\n"
	".legend{display:flex;flex-wrap:wrap;gap:4px 12px;font-size:12px;color:var(--muted);margin-top:6px}\n"
	".legend i{display:inline-block;width:9px;height:9px;border-radius:2px;margin-right:4px}\n"
	".stack{display:flex;flex-direction:column;gap:12px}\n"
	"footer{color:var(--faint);font-size:11px;margin-top:10px;text-align:center}\n"
	/* one A4 page across: everything a little smaller */
	"@media print{body{background:#fff;font-size:12px}main{max-width:none;padding:0}"
	"header{margin-bottom:6px}h1{font-size:18px}.kpis{gap:8px;margin-bottom:8px}.grid{gap:8px}"
	".card{box-shadow:none;padding:8px 10px 5px}h2{font-size:13px;margin-bottom:4px}"
	".kpi .value{font-size:22px;margin:0 0 2px}.na .value{font-size:15px;margin:4px 0}"
	"p.na{margin:6px 0}td{padding:3px 4px}table{font-size:12px}.legend{margin-top:3px}"
	".source{font-size:9px;padding-top:3px}footer{margin-top:4px}}\n";

/* ---- writing ---- */

/* The attributes that say which number this is: the panel, the row (its
 * stage, owner, deal, period, source or currency), the key and the JSON
 * text the report prints for it. */
static void num_attrs(struct sbuf *b, const char *panel, const char *row, const char *key, const char *json)
{
	sbuf_add(b, " data-panel=\"");
	sbuf_add_html(b, panel);
	if (row) {
		sbuf_add(b, "\" data-row=\"");
		sbuf_add_html(b, row);
	}
	sbuf_add(b, "\" data-key=\"");
	sbuf_add_html(b, key);
	sbuf_add(b, "\" data-value=\"");
	sbuf_add_html(b, json);
	sbuf_add(b, "\"");
}

/* A number in HTML: <data value=JSON ...>shown</data>. */
static void data_el(struct sbuf *b, const char *cls, const char *panel, const char *row, const char *key,
		    const char *json, const char *shown)
{
	sbuf_add(b, "<data");
	if (cls)
		sbuf_addf(b, " class=\"%s\"", cls);
	sbuf_add(b, " value=\"");
	sbuf_add_html(b, json);
	sbuf_add(b, "\"");
	num_attrs(b, panel, row, key, json);
	sbuf_add(b, ">");
	sbuf_add_html(b, shown);
	sbuf_add(b, "</data>");
}

/* obj's key as money, a count or a percentage (exact value, shown as
 * people read it). */
static void money_el(struct sbuf *b, const char *cls, const char *panel, const char *row, const cJSON *obj,
		     const char *key, const char *currency)
{
	char json[64], shown[80];
	long long m;
	panel_json(obj, key, json, sizeof(json));
	panel_minor(obj, key, &m);
	data_el(b, cls, panel, row, key, json, panel_money(m, currency, shown, sizeof(shown)));
}

static void count_el(struct sbuf *b, const char *cls, const char *panel, const char *row, const cJSON *obj,
		     const char *key)
{
	char json[64], shown[64];
	panel_json(obj, key, json, sizeof(json));
	data_el(b, cls, panel, row, key, json, panel_count((long long)panel_double(obj, key), shown, sizeof(shown)));
}

static void pct_el(struct sbuf *b, const char *cls, const char *panel, const char *row, const cJSON *obj,
		   const char *key)
{
	char json[64], shown[72];
	panel_json(obj, key, json, sizeof(json));
	snprintf(shown, sizeof(shown), "%s%%", json);
	data_el(b, cls, panel, row, key, json, shown);
}

/* An SVG <text> that is a number. */
static void svg_num(struct sbuf *b, double x, double y, const char *attrs, const char *panel, const char *row,
		    const char *key, const char *json, const char *shown)
{
	sbuf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" %s", x, y, attrs);
	num_attrs(b, panel, row, key, json);
	sbuf_add(b, ">");
	sbuf_add_html(b, shown);
	sbuf_add(b, "</text>");
}

static void section_open(struct sbuf *b, const cJSON *p, const char *cls, const char *en)
{
	sbuf_addf(b, "<section class=\"card %s\" data-panel=\"", cls);
	sbuf_add_html(b, panel_str(p, "panel", ""));
	sbuf_add(b, "\"");
	if (panel_str(p, "source", NULL)) {
		sbuf_add(b, " data-source=\"");
		sbuf_add_html(b, panel_str(p, "source", ""));
		sbuf_add(b, "\"");
	}
	sbuf_addf(b, " data-available=\"%s\">\n", panel_available(p) ? "true" : "false");
	if (en) {
		sbuf_add(b, "<h2>");
		sbuf_add_html(b, panel_str(p, "title", ""));
		sbuf_add(b, "<small>");
		sbuf_add_html(b, en);
		sbuf_add(b, "</small></h2>\n");
	}
}

static void section_close(struct sbuf *b, const cJSON *p)
{
	if (panel_str(p, "source", NULL)) {
		sbuf_add(b, "<div class=\"source\">");
		sbuf_add_html(b, panel_str(p, "source", ""));
		sbuf_add(b, "</div>\n");
	}
	sbuf_add(b, "</section>\n");
}

static void not_available(struct sbuf *b, const cJSON *p)
{
	sbuf_add(b, "<p class=\"na\">not available: ");
	sbuf_add_html(b, panel_str(p, "reason", "its layer is not in this crm"));
	sbuf_add(b, "</p>\n");
}

static const cJSON *rows_of(const cJSON *p)
{
	return cJSON_GetObjectItemCaseSensitive(p, "rows");
}

/* ---- the cards ---- */

static const char *const source_colors[] = { "#2563eb", "#0891b2", "#7c3aed", "#db2777", "#ea580c", "#94a3b8" };

static void kpi_open(struct sbuf *b, const cJSON *p, const char *cls, const char *en)
{
	char *c = xasprintf("kpi %s%s", cls, panel_available(p) ? "" : " na");
	section_open(b, p, c, NULL);
	free(c);
	sbuf_add(b, "<div class=\"label\">");
	sbuf_add_html(b, panel_str(p, "title", ""));
	sbuf_addf(b, " <span class=\"muted\">%s</span></div>\n", en);
}

static void kpi_na(struct sbuf *b, const cJSON *p)
{
	sbuf_add(b, "<div class=\"value\">not available</div><div class=\"sub\">");
	sbuf_add_html(b, panel_str(p, "reason", ""));
	sbuf_add(b, "</div>\n");
}

static void card_new_leads(struct sbuf *b, const cJSON *p)
{
	kpi_open(b, p, "leads", "New leads");
	if (!panel_available(p)) {
		kpi_na(b, p);
		section_close(b, p);
		return;
	}
	sbuf_add(b, "<div class=\"value\">");
	count_el(b, NULL, "new_leads", NULL, p, "value");
	sbuf_add(b, "</div>\n");
	/* the share of each source, as one bar: the biggest first */
	double total = panel_double(p, "value");
	const cJSON *rows = rows_of(p);
	int n = cJSON_GetArraySize(rows), k = 0;
	const cJSON **by = xcalloc(n ? n : 1, sizeof(*by));
	for (int i = 0; i < n; i++) {
		const cJSON *row = cJSON_GetArrayItem(rows, i);
		if (panel_double(row, "leads") <= 0)
			continue;
		int j = k++;
		while (j > 0 && panel_double(by[j - 1], "leads") < panel_double(row, "leads")) {
			by[j] = by[j - 1];
			j--;
		}
		by[j] = row;
	}
	if (total > 0) {
		sbuf_add(b, "<svg viewBox=\"0 0 300 10\" role=\"img\" aria-label=\"leads by source\">");
		double x = 0;
		for (int i = 0; i < k; i++) {
			double w = 300 * panel_double(by[i], "leads") / total;
			sbuf_addf(b, "<rect x=\"%.2f\" y=\"0\" width=\"%.2f\" height=\"10\" fill=\"%s\"><title>", x, w,
				  source_colors[i < 5 ? i : 5]);
			sbuf_add_html(b, panel_str(by[i], "source", ""));
			sbuf_addf(b, ": %.0f</title></rect>", panel_double(by[i], "leads"));
			x += w;
		}
		sbuf_add(b, "</svg>\n<div class=\"legend\">");
		for (int i = 0; i < k && i < 5; i++) {
			sbuf_addf(b, "<span><i style=\"background:%s\"></i>", source_colors[i]);
			sbuf_add_html(b, panel_str(by[i], "source", ""));
			sbuf_add(b, " ");
			count_el(b, NULL, "new_leads", panel_str(by[i], "source", ""), by[i], "leads");
			sbuf_add(b, "</span>");
		}
		if (k > 5)
			sbuf_addf(b, "<span><i style=\"background:%s\"></i>%d more</span>", source_colors[5], k - 5);
		sbuf_add(b, "</div>\n");
	} else {
		sbuf_add(b, "<div class=\"sub\">no new leads in this period</div>\n");
	}
	free(by);
	section_close(b, p);
}

static void card_conversion(struct sbuf *b, const cJSON *p)
{
	kpi_open(b, p, "conversion", "Conversion");
	if (!panel_available(p)) {
		kpi_na(b, p);
		section_close(b, p);
		return;
	}
	double pct = panel_has(p, "conversion_pct") ? panel_double(p, "conversion_pct") : 0;
	sbuf_add(b, "<div class=\"row\"><div><div class=\"value\">");
	if (panel_has(p, "conversion_pct"))
		pct_el(b, NULL, "conversion", NULL, p, "conversion_pct");
	else
		sbuf_add(b, "—");
	sbuf_add(b, "</div><div class=\"sub\">won ");
	count_el(b, NULL, "conversion", NULL, p, "won_deals");
	sbuf_add(b, " of ");
	count_el(b, NULL, "conversion", NULL, p, "deals");
	sbuf_add(b, " new deals</div></div>\n");
	/* a ring: the share won */
	double r = 22, len = 2 * M_PI * r, on = len * (pct > 100 ? 100 : pct < 0 ? 0 : pct) / 100;
	sbuf_addf(b, "<svg viewBox=\"0 0 56 56\" style=\"width:56px;flex:none\" role=\"img\" aria-label=\"conversion\">"
		     "<circle cx=\"28\" cy=\"28\" r=\"%.0f\" fill=\"none\" stroke=\"#e2e8f0\" stroke-width=\"8\"/>"
		     "<circle cx=\"28\" cy=\"28\" r=\"%.0f\" fill=\"none\" stroke=\"#2563eb\" stroke-width=\"8\" "
		     "stroke-linecap=\"round\" stroke-dasharray=\"%.2f %.2f\" transform=\"rotate(-90 28 28)\"/></svg>",
		  r, r, on, len);
	sbuf_add(b, "</div>\n");
	section_close(b, p);
}

/* amounts: [{currency, KEY, COUNT}] one line each */
static void card_amounts(struct sbuf *b, const cJSON *p, const char *key, const char *count, const char *what)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(p, "amounts"), *it;
	const char *id = panel_str(p, "panel", "");
	int i = 0;
	cJSON_ArrayForEach(it, a) {
		const char *cur = panel_str(it, "currency", NULL);
		sbuf_addf(b, "<div class=\"%s\">", i ? "sub strong" : "value");
		money_el(b, NULL, id, cur, it, key, cur);
		sbuf_add(b, "</div>\n");
		if (!i && count) {
			sbuf_add(b, "<div class=\"sub\">");
			count_el(b, NULL, id, cur, it, count);
			sbuf_addf(b, " %s</div>\n", what);
		}
		i++;
	}
	if (!i)
		sbuf_add(b, "<div class=\"value\">—</div><div class=\"sub\">none in this period</div>\n");
}

static void card_won(struct sbuf *b, const cJSON *p)
{
	kpi_open(b, p, "won", "Won");
	if (!panel_available(p))
		kpi_na(b, p);
	else
		card_amounts(b, p, "won_amount", "won_deals", "deals won");
	section_close(b, p);
}

static void card_received(struct sbuf *b, const cJSON *p)
{
	kpi_open(b, p, "won received", "Received");
	if (!panel_available(p))
		kpi_na(b, p);
	else
		card_amounts(b, p, "received", NULL, NULL);
	section_close(b, p);
}

/* ---- the charts ---- */

/* Open stages from deep blue to light; won green, lost grey. */
static void stage_color(int i, int n, const cJSON *row, char *buf)
{
	const char *stage = panel_str(row, "stage", "");
	if (!strcmp(stage, "won") || !strcmp(panel_str(row, "label", ""), "赢单")) {
		strcpy(buf, "#16a34a");
		return;
	}
	if (!strcmp(stage, "lost") || !strcmp(panel_str(row, "label", ""), "输单")) {
		strcpy(buf, "#cbd5e1");
		return;
	}
	double t = n > 1 ? (double)i / (n - 1) : 0;
	int r = (int)(29 + t * (96 - 29)), g = (int)(78 + t * (165 - 78)), bl = (int)(216 + t * (250 - 216));
	snprintf(buf, 8, "#%02x%02x%02x", r, g, bl);
}

static void draw_funnel(struct sbuf *b, const cJSON *p, const char *dflt)
{
	section_open(b, p, "funnel", "Funnel");
	if (!panel_available(p)) {
		not_available(b, p);
		section_close(b, p);
		return;
	}
	const cJSON *rows = rows_of(p), *row;
	int n = cJSON_GetArraySize(rows), i = 0;
	double max = panel_max(rows, "deals");
	const double rh = 30, cx = 178, bw = 176;
	sbuf_addf(b, "<svg viewBox=\"0 0 400 %.0f\" role=\"img\" aria-label=\"funnel\">\n", n * rh + 4);
	cJSON_ArrayForEach(row, rows) {
		const char *stage = panel_str(row, "stage", "");
		double v = panel_double(row, "deals"), w = max > 0 ? bw * v / max : 0, y = i * rh + 2;
		char color[8], json[64], shown[96];
		if (w < 3)
			w = 3;
		stage_color(i, n, row, color);
		sbuf_addf(b, "<text x=\"0\" y=\"%.1f\" font-size=\"13\" fill=\"#1e293b\">", y + 17);
		sbuf_add_html(b, panel_str(row, "label", stage));
		sbuf_add(b, "</text>");
		sbuf_addf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" rx=\"4\" fill=\"%s\"/>",
			  cx - w / 2, y, w, rh - 6, color);
		panel_json(row, "deals", json, sizeof(json));
		panel_count((long long)v, shown, sizeof(shown));
		bool inside = w > 34;
		svg_num(b, inside ? cx : cx + w / 2 + 4, y + 17,
			inside ? "font-size=\"13\" font-weight=\"700\" fill=\"#fff\" text-anchor=\"middle\""
			       : "font-size=\"13\" font-weight=\"700\" fill=\"#1e293b\"",
			"funnel", stage, "deals", json, shown);
		long long m;
		panel_minor(row, "amount", &m);
		panel_json(row, "amount", json, sizeof(json));
		panel_money(m, panel_str(row, "currency", dflt), shown, sizeof(shown));
		svg_num(b, 272, y + 17, "font-size=\"11\" fill=\"#64748b\"", "funnel", stage, "amount", json, shown);
		if (panel_has(row, "conversion_pct")) {
			panel_json(row, "conversion_pct", json, sizeof(json));
			snprintf(shown, sizeof(shown), "→%s%%", json);
			svg_num(b, 400, y + 17, "font-size=\"12\" fill=\"#2563eb\" text-anchor=\"end\"", "funnel", stage,
				"conversion_pct", json, shown);
		}
		sbuf_add(b, "\n");
		i++;
	}
	sbuf_add(b, "</svg>\n<div class=\"legend\"><span>deals the period brought in, by the furthest stage "
		    "they reached; → the share that went on to the next</span></div>\n");
	section_close(b, p);
}

static void draw_forecast(struct sbuf *b, const cJSON *p, const char *now, const char *dflt)
{
	section_open(b, p, "forecast", "Forecast by month");
	if (!panel_available(p)) {
		not_available(b, p);
		section_close(b, p);
		return;
	}
	const cJSON *rows = rows_of(p), *row;
	/* the months ahead: pipeline (light) and weighted (dark) */
	double max = 0;
	int n = 0;
	cJSON_ArrayForEach(row, rows)
		if (strcmp(panel_str(row, "period", ""), now) >= 0 && panel_double(row, "open_deals") > 0 && n < 6) {
			n++;
			if (panel_double(row, "pipeline") > max)
				max = panel_double(row, "pipeline");
		}
	const double rh = 28, x0 = 62, bw = 214;
	if (n) {
		sbuf_addf(b, "<svg viewBox=\"0 0 400 %.0f\" role=\"img\" aria-label=\"forecast\">\n", n * rh + 2);
		int i = 0;
		cJSON_ArrayForEach(row, rows) {
			const char *per = panel_str(row, "period", "");
			if (strcmp(per, now) < 0 || panel_double(row, "open_deals") <= 0 || i >= 6)
				continue;
			double y = i++ * rh + 2;
			double pw = max > 0 ? bw * panel_double(row, "pipeline") / max : 0;
			double ww = max > 0 ? bw * panel_double(row, "weighted") / max : 0;
			char json[64], shown[64], cur[64];
			long long m, pm;
			sbuf_addf(b, "<text x=\"0\" y=\"%.1f\" font-size=\"13\" fill=\"#1e293b\">", y + 16);
			sbuf_add_html(b, strcmp(per, "(none)") ? per : "未定");
			sbuf_add(b, "</text>");
			sbuf_addf(b, "<rect x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" height=\"20\" rx=\"3\" fill=\"#bfdbfe\"/>",
				  x0, y + 2, pw < 2 ? 2 : pw);
			sbuf_addf(b, "<rect x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" height=\"20\" rx=\"3\" fill=\"#2563eb\"/>",
				  x0, y + 2, ww < 2 ? 2 : ww);
			panel_minor(row, "weighted", &m);
			panel_json(row, "weighted", json, sizeof(json));
			svg_num(b, 400, y + 12, "font-size=\"12\" font-weight=\"700\" fill=\"#1e293b\" text-anchor=\"end\"",
				"forecast", per, "weighted", json,
				panel_money(m, panel_str(row, "currency", dflt), shown, sizeof(shown)));
			panel_minor(row, "pipeline", &pm);
			panel_json(row, "pipeline", json, sizeof(json));
			snprintf(cur, sizeof(cur), "of %s", panel_money(pm, panel_str(row, "currency", dflt), shown,
									 sizeof(shown)));
			svg_num(b, 400, y + 24, "font-size=\"10\" fill=\"#64748b\" text-anchor=\"end\"", "forecast", per,
				"pipeline", json, cur);
			sbuf_add(b, "\n");
		}
		sbuf_add(b, "</svg>\n<div class=\"legend\"><span><i style=\"background:#2563eb\"></i>weighted "
			    "(amount × probability)</span><span><i style=\"background:#bfdbfe\"></i>open pipeline</span></div>\n");
	} else {
		sbuf_add(b, "<p class=\"na\">no open deals expected from this month on</p>\n");
	}
	/* won, month by month: the last six months as a small area chart */
	const cJSON *mrow[6];
	char month[6][8];
	double won[6], wmax = 0;
	panel_last_months(rows, now, mrow, month);
	for (int i = 0; i < 6; i++) {
		won[i] = panel_double(mrow[i], "won");
		if (won[i] > wmax)
			wmax = won[i];
	}
	sbuf_add(b, "<svg viewBox=\"0 0 400 62\" role=\"img\" aria-label=\"won by month\" style=\"margin-top:8px\">");
	struct sbuf line = { 0 };
	for (int i = 0; i < 6; i++)
		sbuf_addf(&line, "%s%.1f,%.1f", i ? " " : "", 20 + i * 72.0, 44 - (wmax > 0 ? 36 * won[i] / wmax : 0));
	sbuf_addf(b, "<polygon points=\"20,44 %s 380,44\" fill=\"#dcfce7\"/>", line.s);
	sbuf_addf(b, "<polyline points=\"%s\" fill=\"none\" stroke=\"#16a34a\" stroke-width=\"2\"/>", line.s);
	sbuf_release(&line);
	for (int i = 0; i < 6; i++) {
		double x = 20 + i * 72.0, y = 44 - (wmax > 0 ? 36 * won[i] / wmax : 0);
		/* the month's won amount, as forecast's row for it says (0: no row) */
		char json[64] = "0", shown[80];
		long long m = 0;
		if (mrow[i]) {
			panel_json(mrow[i], "won", json, sizeof(json));
			panel_minor(mrow[i], "won", &m);
		}
		sbuf_addf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#16a34a\"", x, y);
		num_attrs(b, "forecast", month[i], "won", json);
		sbuf_addf(b, "><title>%s: %s</title></circle>", month[i],
			  panel_money(m, panel_str(mrow[i], "currency", dflt), shown, sizeof(shown)));
		sbuf_addf(b, "<text x=\"%.1f\" y=\"58\" font-size=\"10\" fill=\"#64748b\" text-anchor=\"middle\">%s</text>",
			  x, month[i] + 2);
	}
	sbuf_add(b, "</svg>\n<div class=\"legend\"><span><i style=\"background:#16a34a\"></i>won by the month "
		    "deals closed</span></div>\n");
	section_close(b, p);
}

/* A panel of rows opened: its rows, or NULL when it is closed already
 * (not available, or nothing to show: empty says so). */
static const cJSON *panel_rows(struct sbuf *b, const cJSON *p, const char *cls, const char *en, const char *empty)
{
	section_open(b, p, cls, en);
	const cJSON *rows = rows_of(p);
	if (panel_available(p) && cJSON_GetArraySize(rows))
		return rows;
	if (!panel_available(p))
		not_available(b, p);
	else
		sbuf_addf(b, "<p class=\"na\">%s</p>\n", empty);
	section_close(b, p);
	return NULL;
}

static void draw_top_deals(struct sbuf *b, const cJSON *p, const char *dflt)
{
	const cJSON *rows = panel_rows(b, p, "deals", "Top 5 potential deals", "no open deals"), *row;
	if (!rows)
		return;
	sbuf_add(b, "<table><tr><th>deal</th><th>owner</th><th>stage</th><th class=\"num\">amount × prob.</th>"
		    "<th class=\"num\">weighted</th></tr>\n");
	cJSON_ArrayForEach(row, rows) {
		char id[64], json[64], shown[96];
		const char *cur = panel_str(row, "currency", dflt);
		snprintf(id, sizeof(id), "%s", panel_json(row, "deal_id", json, sizeof(json)));
		sbuf_add(b, "<tr><td class=\"name\">");
		sbuf_add_html(b, panel_str(row, "name", ""));
		sbuf_add(b, "</td><td>");
		sbuf_add_html(b, panel_str(row, "owner", ""));
		sbuf_add(b, "</td><td class=\"muted\">");
		sbuf_add_html(b, panel_str(row, "stage", ""));
		sbuf_add(b, "</td><td class=\"num muted\">");
		money_el(b, NULL, "top_deals", id, row, "amount", cur);
		sbuf_add(b, " × ");
		panel_json(row, "probability", json, sizeof(json));
		snprintf(shown, sizeof(shown), "%s%%", json);
		data_el(b, NULL, "top_deals", id, "probability", json, shown);
		sbuf_add(b, "</td><td class=\"num strong\">");
		money_el(b, NULL, "top_deals", id, row, "weighted", cur);
		sbuf_add(b, "</td></tr>\n");
	}
	sbuf_add(b, "</table>\n");
	section_close(b, p);
}

static void draw_top_reps(struct sbuf *b, const cJSON *p, const char *dflt)
{
	const cJSON *rows = panel_rows(b, p, "reps", "Top 3 reps", "no deals yet"), *row;
	if (!rows)
		return;
	double max = panel_max(rows, "won_amount");
	sbuf_add(b, "<table><tr><th></th><th>rep</th><th class=\"num\">won</th><th></th><th class=\"num\">deals</th>"
		    "<th class=\"num\">win rate</th></tr>\n");
	cJSON_ArrayForEach(row, rows) {
		const char *owner = panel_str(row, "owner", "");
		int rank = (int)panel_double(row, "rank");
		double share = max > 0 ? 100 * panel_double(row, "won_amount") / max : 0;
		sbuf_addf(b, "<tr><td><span class=\"rank r%d\">", rank);
		count_el(b, NULL, "top_reps", owner, row, "rank");
		sbuf_add(b, "</span></td><td class=\"strong\">");
		sbuf_add_html(b, owner);
		sbuf_add(b, "</td><td class=\"num strong\">");
		money_el(b, NULL, "top_reps", owner, row, "won_amount", panel_str(row, "currency", dflt));
		sbuf_addf(b, "</td><td style=\"width:30%%\"><div class=\"meter\"><i style=\"width:%.1f%%\"></i></div></td>"
			     "<td class=\"num\">", share);
		count_el(b, NULL, "top_reps", owner, row, "won_deals");
		sbuf_add(b, "</td><td class=\"num muted\">");
		if (panel_has(row, "win_pct"))
			pct_el(b, NULL, "top_reps", owner, row, "win_pct");
		else
			sbuf_add(b, "—");
		sbuf_add(b, "</td></tr>\n");
	}
	sbuf_add(b, "</table>\n");
	section_close(b, p);
}

/* ---- the panels of the layers above sales ---- */

/* The aging per currency: a bar of its buckets (not due to over 90 days
 * late), their amounts, the total; then the largest rows of the report. */
static void draw_receivables(struct sbuf *b, const cJSON *p, const char *dflt)
{
	static const char *const keys[][3] = {
		{ "not_due", "not due", "#86efac" }, { "d1_30", "1-30 days", "#fde047" },
		{ "d31_60", "31-60", "#fb923c" }, { "d61_90", "61-90", "#f87171" }, { "over_90", "90+", "#b91c1c" },
	};
	const int nk = (int)(sizeof(keys) / sizeof(keys[0]));
	section_open(b, p, "receivables", "Receivables aging");
	if (!panel_available(p)) {
		not_available(b, p);
		section_close(b, p);
		return;
	}
	const cJSON *aging = cJSON_GetObjectItemCaseSensitive(p, "aging"), *it;
	if (!cJSON_GetArraySize(aging))
		sbuf_add(b, "<p class=\"na\">nothing to receive</p>\n");
	cJSON_ArrayForEach(it, aging) {
		const char *cur = panel_str(it, "currency", dflt);
		double total = panel_double(it, "total"), x = 0;
		sbuf_add(b, "<div class=\"kpi\"><div class=\"value\">");
		money_el(b, NULL, "receivables", cur, it, "total", cur);
		sbuf_add(b, "</div></div>\n<svg viewBox=\"0 0 400 14\" role=\"img\" aria-label=\"aging\">");
		for (int k = 0; k < nk; k++) {
			double w = total > 0 ? 400 * panel_double(it, keys[k][0]) / total : 0;
			if (w > 0)
				sbuf_addf(b, "<rect x=\"%.2f\" y=\"0\" width=\"%.2f\" height=\"14\" fill=\"%s\"/>", x, w,
					  keys[k][2]);
			x += w;
		}
		sbuf_add(b, "</svg>\n<div class=\"legend\">");
		for (int k = 0; k < nk; k++) {
			sbuf_addf(b, "<span><i style=\"background:%s\"></i>%s ", keys[k][2], keys[k][1]);
			money_el(b, NULL, "receivables", cur, it, keys[k][0], cur);
			sbuf_add(b, "</span>");
		}
		sbuf_add(b, "</div>\n");
	}
	/* who owes most: the report's rows, the largest totals */
	const cJSON *rows = rows_of(p), *row;
	int n = cJSON_GetArraySize(rows), shown = 0;
	if (n) {
		sbuf_add(b, "<table style=\"margin-top:8px\"><tr><th>owed by</th><th class=\"num\">not due</th>"
			    "<th class=\"num\">total</th></tr>\n");
		bool *done = xcalloc(n, sizeof(bool));
		while (shown < 3 && shown < n) {
			int best = -1;
			for (int i = 0; i < n; i++)
				if (!done[i] && (best < 0 || panel_double(cJSON_GetArrayItem(rows, i), "total") >
							      panel_double(cJSON_GetArrayItem(rows, best), "total")))
					best = i;
			done[best] = true;
			row = cJSON_GetArrayItem(rows, best);
			const char *who = panel_str(row, "account", panel_str(row, "owner", panel_str(row, "number", "")));
			const char *cur = panel_str(row, "currency", dflt);
			char key[160];
			snprintf(key, sizeof(key), "%s %s", who, cur);
			sbuf_add(b, "<tr><td class=\"name\">");
			sbuf_add_html(b, who);
			sbuf_add(b, "</td><td class=\"num muted\">");
			money_el(b, NULL, "receivables", key, row, "not_due", cur);
			sbuf_add(b, "</td><td class=\"num strong\">");
			money_el(b, NULL, "receivables", key, row, "total", cur);
			sbuf_add(b, "</td></tr>\n");
			shown++;
		}
		free(done);
		sbuf_add(b, "</table>\n");
	}
	section_close(b, p);
}

/* A share 0..100 (CSAT) or -100..100 (NPS) as a bar. */
static void gauge(struct sbuf *b, double v, double lo, const char *color)
{
	double at = (v - lo) / (100 - lo) * 100, zero = (0 - lo) / (100 - lo) * 100;
	if (at < 0)
		at = 0;
	if (at > 100)
		at = 100;
	double from = at < zero ? at : zero, to = at < zero ? zero : at;
	sbuf_addf(b, "<svg viewBox=\"0 0 100 8\" preserveAspectRatio=\"none\" style=\"height:8px\" role=\"img\">"
		     "<rect width=\"100\" height=\"8\" rx=\"4\" fill=\"#e2e8f0\"/>"
		     "<rect x=\"%.2f\" width=\"%.2f\" height=\"8\" rx=\"4\" fill=\"%s\"/></svg>",
		  lo < 0 ? from : 0, lo < 0 ? to - from : at, color);
}

static void draw_satisfaction(struct sbuf *b, const cJSON *p)
{
	section_open(b, p, "satisfaction", "CSAT and NPS");
	if (!panel_available(p)) {
		not_available(b, p);
		section_close(b, p);
		return;
	}
	if (panel_double(p, "responses") <= 0) {
		sbuf_add(b, "<p class=\"na\">no answers in this period</p>\n");
		section_close(b, p);
		return;
	}
	sbuf_add(b, "<div class=\"kpis\" style=\"grid-template-columns:1fr 1fr;margin:0\">");
	sbuf_add(b, "<div class=\"kpi\"><div class=\"label\">CSAT (4-5 of 5)</div><div class=\"value\">");
	if (panel_has(p, "csat_pct"))
		pct_el(b, NULL, "satisfaction", NULL, p, "csat_pct");
	else
		sbuf_add(b, "—");
	sbuf_add(b, "</div>");
	gauge(b, panel_double(p, "csat_pct"), 0, "#16a34a");
	sbuf_add(b, "</div><div class=\"kpi\"><div class=\"label\">NPS (9-10 less 0-6)</div><div class=\"value\">");
	if (panel_has(p, "nps")) {
		char json[64];
		data_el(b, NULL, "satisfaction", NULL, "nps", panel_json(p, "nps", json, sizeof(json)), json);
	} else {
		sbuf_add(b, "—");
	}
	sbuf_add(b, "</div>");
	gauge(b, panel_double(p, "nps"), -100, "#2563eb");
	sbuf_add(b, "</div></div>\n<div class=\"sub muted\">");
	count_el(b, NULL, "satisfaction", NULL, p, "responses");
	sbuf_add(b, " responses</div>\n");
	section_close(b, p);
}

static void draw_breached(struct sbuf *b, const cJSON *p)
{
	section_open(b, p, "breached", "Breached tickets");
	if (!panel_available(p)) {
		not_available(b, p);
		section_close(b, p);
		return;
	}
	sbuf_addf(b, "<div class=\"kpi\"><div class=\"value\" style=\"color:%s\">",
		  panel_double(p, "value") > 0 ? "#dc2626" : "#16a34a");
	count_el(b, NULL, "breached", NULL, p, "value");
	sbuf_add(b, "</div></div>\n");
	const cJSON *row;
	int k = 0;
	sbuf_add(b, "<table>");
	cJSON_ArrayForEach(row, rows_of(p)) {
		if (k++ == 4)
			break;
		const cJSON *br = cJSON_GetObjectItemCaseSensitive(row, "breached"), *it;
		sbuf_add(b, "<tr><td class=\"name\">");
		sbuf_add_html(b, panel_str(row, "title", ""));
		sbuf_add(b, "</td><td class=\"muted\">");
		sbuf_add_html(b, panel_str(row, "priority", ""));
		sbuf_add(b, "</td><td>");
		sbuf_add_html(b, panel_str(row, "owner", ""));
		sbuf_add(b, "</td><td class=\"muted\">");
		int i = 0;
		cJSON_ArrayForEach(it, br) {
			if (i++)
				sbuf_add(b, ", ");
			sbuf_add_html(b, cJSON_IsString(it) && !strcmp(it->valuestring, "first_response") ? "first reply" : "resolve");
		}
		sbuf_add(b, "</td></tr>\n");
	}
	sbuf_add(b, "</table>\n");
	section_close(b, p);
}

static void short_time(const char *iso, char *buf, size_t n)
{
	size_t len = strlen(iso);
	snprintf(buf, n, "%.10s %.5s", iso, len > 11 ? iso + 11 : "");
}

char *html_dashboard(const cJSON *panels)
{
	struct sbuf b = { 0 };
	const cJSON *per = panel_find(panels, "period");
	char since[32], until[32], now[8];
	short_time(panel_str(per, "since", ""), since, sizeof(since));
	short_time(panel_str(per, "until", ""), until, sizeof(until));
	snprintf(now, sizeof(now), "%.7s", panel_str(per, "until", ""));
	sbuf_add(&b, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
		     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		     "<meta name=\"generator\" content=\"crm report dashboard\">\n<title>crm 仪表盘 ");
	sbuf_add_html(&b, since);
	sbuf_add(&b, " → ");
	sbuf_add_html(&b, until);
	sbuf_add(&b, "</title>\n<style>\n");
	sbuf_add(&b, css);
	sbuf_add(&b, "</style>\n</head>\n<body>\n<main>\n");

	sbuf_add(&b, "<header data-panel=\"period\" data-since=\"");
	sbuf_add_html(&b, panel_str(per, "since", ""));
	sbuf_add(&b, "\" data-until=\"");
	sbuf_add_html(&b, panel_str(per, "until", ""));
	sbuf_add(&b, "\">\n<h1>仪表盘<small>Dashboard</small></h1>\n<div class=\"period\"><b>");
	sbuf_add_html(&b, since);
	sbuf_add(&b, "</b> → <b>");
	sbuf_add_html(&b, until);
	sbuf_add(&b, "</b><br>");
	if (panel_str(per, "owner", NULL)) {
		sbuf_add(&b, "owner ");
		sbuf_add_html(&b, panel_str(per, "owner", ""));
	} else if (panel_str(per, "team", NULL)) {
		sbuf_add(&b, "team ");
		sbuf_add_html(&b, panel_str(per, "team", ""));
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(per, "members"), *it;
		int i = 0;
		sbuf_add(&b, " (");
		cJSON_ArrayForEach(it, m) {
			if (i++)
				sbuf_add(&b, ", ");
			sbuf_add_html(&b, cJSON_IsString(it) ? it->valuestring : "");
		}
		sbuf_add(&b, ")");
	} else {
		sbuf_add(&b, "everything ");
		sbuf_add_html(&b, panel_str(per, "user", "you"));
		sbuf_add(&b, " may see");
	}
	sbuf_add(&b, "</div>\n</header>\n");

	sbuf_add(&b, "<div class=\"kpis\">\n");
	card_new_leads(&b, panel_find(panels, "new_leads"));
	card_conversion(&b, panel_find(panels, "conversion"));
	card_won(&b, panel_find(panels, "won"));
	card_received(&b, panel_find(panels, "received"));
	sbuf_add(&b, "</div>\n<div class=\"grid\">\n");
	const char *cur = panel_str(per, "currency", NULL);
	draw_funnel(&b, panel_find(panels, "funnel"), cur);
	draw_forecast(&b, panel_find(panels, "forecast"), now, cur);
	draw_top_deals(&b, panel_find(panels, "top_deals"), cur);
	draw_top_reps(&b, panel_find(panels, "top_reps"), cur);
	draw_receivables(&b, panel_find(panels, "receivables"), cur);
	sbuf_add(&b, "<div class=\"stack\">\n");
	draw_satisfaction(&b, panel_find(panels, "satisfaction"));
	draw_breached(&b, panel_find(panels, "breached"));
	sbuf_add(&b, "</div>\n</div>\n<footer>crm report dashboard · ");
	sbuf_add_html(&b, until);
	sbuf_add(&b, " · under each panel, the report that prints its numbers</footer>\n</main>\n</body>\n</html>\n");
	return sbuf_detach(&b);
}
