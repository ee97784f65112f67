/* term.c: the dashboard on a terminal: blocks of lines side by side. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/sbuf.h"
#include "base/text.h"
#include "insight/panel.h"
#include "insight/term.h"

#define BOLD "\033[1m"
#define DIM "\033[2m"
#define CYAN "\033[36m"
#define GREEN "\033[32m"
#define BLUE "\033[34m"
#define YELLOW "\033[33m"
#define RESET "\033[0m"

/* A panel drawn: lines of at most width columns. */
struct block {
	char **lines;
	int n, width;
	bool color;
	const char *currency;   /* of amounts whose row does not say */
};

/* Columns a line takes, its colour codes taking none. */
static int vis_width(const char *s)
{
	int w = 0;
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		if (s[i] == '\033') {
			while (i < n && s[i] != 'm')
				i++;
			i++;
			continue;
		}
		unsigned cp;
		int len = utf8_decode(s + i, n - i, &cp);
		if (len <= 0) {
			i++;
			continue;
		}
		w += cp_width(cp);
		i += len;
	}
	return w;
}

/* s cut to at most max columns (colour codes kept, and reset after). */
static void cut_line(struct sbuf *b, const char *s, int max)
{
	if (vis_width(s) <= max) {
		sbuf_add(b, s);
		return;
	}
	size_t start = b->len, n = strlen(s);
	struct sbuf codes = { 0 };   /* colour codes waiting for a character to colour */
	bool coloured = false;
	int w = 0;
	for (size_t i = 0; i < n;) {
		if (s[i] == '\033') {
			size_t j = i;
			while (j < n && s[j] != 'm')
				j++;
			sbuf_addn(&codes, s + i, j + 1 - i);
			i = j + 1;
			continue;
		}
		unsigned cp;
		int len = utf8_decode(s + i, n - i, &cp);
		if (len <= 0)
			len = 1, cp = '?';
		if (w + cp_width(cp) > max)
			break;
		if (codes.len) {
			sbuf_add(b, codes.s);
			sbuf_reset(&codes);
			coloured = true;
		}
		w += cp_width(cp);
		sbuf_addn(b, s + i, (size_t)len);
		i += (size_t)len;
	}
	sbuf_release(&codes);
	/* no blanks at the end of the cut */
	while (b->len > start && b->s[b->len - 1] == ' ')
		b->s[--b->len] = 0;
	if (coloured)
		sbuf_add(b, RESET);
}

static void block_add(struct block *bl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void block_add(struct block *bl, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		s = xstrdup("");
	va_end(ap);
	bl->lines = xrealloc(bl->lines, (bl->n + 1) * sizeof(char *));
	bl->lines[bl->n++] = s;
}

static void block_free(struct block *bl)
{
	for (int i = 0; i < bl->n; i++)
		free(bl->lines[i]);
	free(bl->lines);
	bl->lines = NULL;
	bl->n = 0;
}

/* text cut to w columns (with "…"), then padded to w; right: aligned right. */
static char *cell(const char *text, int w, bool right)
{
	char cut[512];
	int cw = utf8_truncate(text ? text : "", w, cut, sizeof(cut));
	return right ? xasprintf("%*s%s", w - cw, "", cut) : xasprintf("%s%*s", cut, w - cw, "");
}

/* text in colour sgr (when allowed); a new string. */
static char *paint(const struct block *bl, const char *sgr, const char *text)
{
	return bl->color ? xasprintf("%s%s" RESET, sgr, text) : xstrdup(text);
}

/* value/max as a bar of width columns, in eighths. */
static char *bar(double value, double max, int width)
{
	static const char *const part[] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
	struct sbuf b = { 0 };
	long n = max > 0 && value > 0 ? lround(value / max * width * 8) : 0;
	if (value > 0 && n == 0)
		n = 1;
	for (long i = 0; i < n / 8; i++)
		sbuf_add(&b, "█");
	sbuf_add(&b, part[n % 8]);
	return b.s ? sbuf_detach(&b) : xstrdup("");
}

/* text cut to w columns and padded to w, in colour sgr: the padding
 * outside the colour (a line's trailing blanks are trimmed). */
static char *paint_cell(const struct block *bl, const char *sgr, const char *text, int w)
{
	char cut[512];
	int cw = utf8_truncate(text ? text : "", w, cut, sizeof(cut));
	return bl->color && *cut ? xasprintf("%s%s" RESET "%*s", sgr, cut, w - cw, "")
				 : xasprintf("%s%*s", cut, w - cw, "");
}

/* A bar in colour sgr padded to width; centred: a funnel's. */
static char *bar_cell(const struct block *bl, const char *sgr, double value, double max, int width, bool center)
{
	char *raw = bar(value, max, width);
	int w = utf8_width(raw), left = center ? (width - w) / 2 : 0;
	char *s = bl->color && *raw ? xasprintf("%*s%s%s" RESET "%*s", left, "", sgr, raw, width - w - left, "")
				    : xasprintf("%*s%s%*s", left, "", raw, width - w - left, "");
	free(raw);
	return s;
}

static char *sparkline(const double *v, int n)
{
	static const char *const ticks[] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	double max = 0;
	for (int i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	struct sbuf b = { 0 };
	for (int i = 0; i < n; i++)
		sbuf_add(&b, ticks[max > 0 ? (int)lround(v[i] / max * 7) : 0]);
	return b.s ? sbuf_detach(&b) : xstrdup("");
}

/* The title line of a panel: its Chinese title, then English, dim. */
static void title(struct block *bl, const cJSON *panel, const char *en, const char *note)
{
	char *t = paint(bl, BOLD, panel_str(panel, "title", ""));
	char *e = paint(bl, DIM, en);
	char *x = note ? paint(bl, DIM, note) : xstrdup("");
	char *line = xasprintf("%s %s%s%s", t, e, note ? "  " : "", x);
	struct sbuf b = { 0 };
	cut_line(&b, line, bl->width);
	block_add(bl, "%s", b.s);
	sbuf_release(&b);
	free(line);
	free(t);
	free(e);
	free(x);
}

static void not_available(struct block *bl, const cJSON *panel)
{
	char *s = xasprintf("not available: %s", panel_str(panel, "reason", "its layer is missing"));
	char *p = paint_cell(bl, DIM, s, bl->width);
	block_add(bl, "%s", p);
	free(s);
	free(p);
}

/* ---- cards ---- */

static void card(struct block *bl, const char *head, const char *value, const char *sub, const char *sgr)
{
	char *hp = paint_cell(bl, DIM, head, bl->width), *vp = paint_cell(bl, sgr, value, bl->width);
	char *s = cell(sub, bl->width, false);
	block_add(bl, "%s", hp);
	block_add(bl, "%s", vp);
	block_add(bl, "%s", s);
	free(s);
	free(hp);
	free(vp);
}

static void card_new_leads(struct block *bl, const cJSON *p)
{
	char head[64], value[32];
	snprintf(head, sizeof(head), "%s New leads", panel_str(p, "title", ""));
	if (!panel_available(p)) {
		card(bl, head, "not available", panel_str(p, "reason", ""), DIM);
		return;
	}
	panel_count((long long)panel_double(p, "value"), value, sizeof(value));
	/* the biggest sources */
	struct sbuf b = { 0 };
	const cJSON *row;
	int k = 0;
	cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(p, "rows")) {
		if (panel_double(row, "leads") <= 0 || k >= 3)
			continue;
		sbuf_addf(&b, "%s%s %.0f", k++ ? " · " : "", panel_str(row, "source", ""), panel_double(row, "leads"));
	}
	card(bl, head, value, b.s ? b.s : "", BOLD YELLOW);
	sbuf_release(&b);
}

static void card_conversion(struct block *bl, const cJSON *p)
{
	char head[64], value[32] = "—", sub[64];
	snprintf(head, sizeof(head), "%s Conversion", panel_str(p, "title", ""));
	if (!panel_available(p)) {
		card(bl, head, "not available", panel_str(p, "reason", ""), DIM);
		return;
	}
	char num[32];
	if (panel_has(p, "conversion_pct"))
		snprintf(value, sizeof(value), "%s%%", panel_json(p, "conversion_pct", num, sizeof(num)));
	snprintf(sub, sizeof(sub), "%.0f of %.0f deals won", panel_double(p, "won_deals"), panel_double(p, "deals"));
	card(bl, head, value, sub, BOLD YELLOW);
}

static void card_won(struct block *bl, const cJSON *p)
{
	char head[64], value[64] = "—", sub[96] = "";
	snprintf(head, sizeof(head), "%s Won", panel_str(p, "title", ""));
	if (!panel_available(p)) {
		card(bl, head, "not available", panel_str(p, "reason", ""), DIM);
		return;
	}
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(p, "amounts"), *it;
	int i = 0;
	size_t used = 0;
	cJSON_ArrayForEach(it, a) {
		long long m;
		panel_minor(it, "won_amount", &m);
		char buf[64];
		panel_money(m, panel_str(it, "currency", bl->currency), buf, sizeof(buf));
		if (!i++) {
			snprintf(value, sizeof(value), "%s", buf);
			used += (size_t)snprintf(sub + used, sizeof(sub) - used, "%.0f deals",
						 panel_double(it, "won_deals"));
		} else if (used < sizeof(sub)) {
			used += (size_t)snprintf(sub + used, sizeof(sub) - used, " + %s", buf);
		}
	}
	if (!i)
		snprintf(sub, sizeof(sub), "no deals won yet");
	card(bl, head, value, sub, BOLD GREEN);
}

static void card_received(struct block *bl, const cJSON *p)
{
	char head[64];
	snprintf(head, sizeof(head), "%s Received", panel_str(p, "title", ""));
	if (!panel_available(p)) {
		card(bl, head, "not available", panel_str(p, "reason", ""), DIM);
		return;
	}
	char value[64] = "—", sub[96] = "";
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(p, "amounts"), *it;
	int i = 0;
	cJSON_ArrayForEach(it, a) {
		long long m;
		panel_minor(it, "received", &m);
		char buf[64];
		panel_money(m, panel_str(it, "currency", bl->currency), buf, sizeof(buf));
		if (!i++)
			snprintf(value, sizeof(value), "%s", buf);
		else
			snprintf(sub + strlen(sub), sizeof(sub) - strlen(sub), "%s+ %s", *sub ? " " : "", buf);
	}
	card(bl, head, value, sub, BOLD GREEN);
}

/* ---- panels ---- */

static void draw_funnel(struct block *bl, const cJSON *p)
{
	title(bl, p, "Funnel", "new deals");
	if (!panel_available(p)) {
		not_available(bl, p);
		return;
	}
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(p, "rows"), *row;
	double max = panel_max(rows, "deals");
	int lw = 8, nw = 5, pw = 6, bw = bl->width - lw - nw - pw - 3;
	cJSON_ArrayForEach(row, rows) {
		char num[32], pct[32] = "";
		char *l = cell(panel_str(row, "label", ""), lw, false);
		char *n = cell(panel_count((long long)panel_double(row, "deals"), num, sizeof(num)), nw, true);
		if (panel_has(row, "conversion_pct")) {
			char j[32];
			snprintf(pct, sizeof(pct), "→%s%%", panel_json(row, "conversion_pct", j, sizeof(j)));
		}
		char *pc = cell(pct, pw, true);
		char *bp = bar_cell(bl, CYAN, panel_double(row, "deals"), max, bw, true);
		block_add(bl, "%s %s %s %s", l, n, bp, pc);
		free(l);
		free(n);
		free(pc);
		free(bp);
	}
}

/* "2026-03" of the period's end (this month). */
static void this_month(const cJSON *panels, char *buf)
{
	const char *until = panel_str(panel_find(panels, "period"), "until", "");
	snprintf(buf, 8, "%.7s", until);
}

static void draw_forecast(struct block *bl, const cJSON *p, const cJSON *panels, int ahead)
{
	title(bl, p, "Forecast", "weighted");
	if (!panel_available(p)) {
		not_available(bl, p);
		return;
	}
	char now[8];
	this_month(panels, now);
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(p, "rows"), *row;
	double max = 0;
	cJSON_ArrayForEach(row, rows)
		if (strcmp(panel_str(row, "period", ""), now) >= 0 && panel_double(row, "weighted") > max)
			max = panel_double(row, "weighted");
	int mw = 8, vw = 13, bw = bl->width - mw - vw - 2, shown = 0;
	cJSON_ArrayForEach(row, rows) {
		const char *per = panel_str(row, "period", "");
		if (strcmp(per, now) < 0 || shown >= ahead || panel_double(row, "open_deals") <= 0)
			continue;
		shown++;
		long long w;
		char money[64];
		panel_minor(row, "weighted", &w);
		char *m = cell(per, mw, false);
		char *bp = bar_cell(bl, BLUE, panel_double(row, "weighted"), max, bw, false);
		char *v = cell(panel_money(w, panel_str(row, "currency", bl->currency), money, sizeof(money)), vw, true);
		block_add(bl, "%s %s %s", m, bp, v);
		free(m);
		free(bp);
		free(v);
	}
	if (!shown)
		block_add(bl, "%s", "no open deals expected from now on");
	/* won, month by month, the last six months */
	const cJSON *mrow[6];
	char month[6][8];
	double won[6];
	panel_last_months(rows, now, mrow, month);
	for (int i = 0; i < 6; i++)
		won[i] = panel_double(mrow[i], "won");
	char *s = sparkline(won, 6);
	char *sp = paint(bl, GREEN, s);
	char *note = xasprintf("won by month %s..%s", month[0], month[5]);
	char *np = paint(bl, DIM, note);
	block_add(bl, "%s  %s", sp, np);
	free(s);
	free(sp);
	free(note);
	free(np);
}

static void draw_top_reps(struct block *bl, const cJSON *p)
{
	title(bl, p, "Top 3 reps", "won");
	if (!panel_available(p)) {
		not_available(bl, p);
		return;
	}
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(p, "rows"), *row;
	double max = panel_max(rows, "won_amount");
	int nw = 10, vw = 13, dw = 6, bw = bl->width - 2 - nw - vw - dw - 3;
	cJSON_ArrayForEach(row, rows) {
		long long m;
		char money[64], deals[32];
		panel_minor(row, "won_amount", &m);
		char *n = cell(panel_str(row, "owner", ""), nw, false);
		char *v = cell(panel_money(m, panel_str(row, "currency", bl->currency), money, sizeof(money)), vw, true);
		snprintf(deals, sizeof(deals), "%.0f won", panel_double(row, "won_deals"));
		char *d = cell(deals, dw, true);
		char *bp = bar_cell(bl, GREEN, panel_double(row, "won_amount"), max, bw, false);
		block_add(bl, "%.0f %s %s %s %s", panel_double(row, "rank"), n, v, d, bp);
		free(n);
		free(v);
		free(d);
		free(bp);
	}
	if (!cJSON_GetArraySize(rows))
		block_add(bl, "%s", "no deals yet");
}

static void draw_top_deals(struct block *bl, const cJSON *p)
{
	title(bl, p, "Top 5 deals", "amount × prob.");
	if (!panel_available(p)) {
		not_available(bl, p);
		return;
	}
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(p, "rows"), *row;
	int ow = 6, vw = 12, pw = 4, nw = bl->width - ow - vw - pw - 3;
	cJSON_ArrayForEach(row, rows) {
		long long w;
		char money[64], pct[16];
		panel_minor(row, "weighted", &w);
		char *n = cell(panel_str(row, "name", ""), nw, false);
		char *o = cell(panel_str(row, "owner", ""), ow, false);
		char *v = cell(panel_money(w, panel_str(row, "currency", bl->currency), money, sizeof(money)), vw, true);
		snprintf(pct, sizeof(pct), "%.0f%%", panel_double(row, "probability"));
		char *pc = cell(pct, pw, true);
		block_add(bl, "%s %s %s %s", n, o, v, pc);
		free(n);
		free(o);
		free(v);
		free(pc);
	}
	if (!cJSON_GetArraySize(rows))
		block_add(bl, "%s", "no open deals");
}

/* ---- the panels of the layers above sales ---- */

static bool drawn_na(struct block *bl, const cJSON *p, const char *en)
{
	title(bl, p, en, NULL);
	if (panel_available(p))
		return false;
	not_available(bl, p);
	return true;
}

static void line_of(struct block *bl, const char *text)
{
	char *c = cell(text, bl->width, false);
	block_add(bl, "%s", c);
	free(c);
}

/* Per currency: the total and each bucket with something in it. */
static void draw_receivables(struct block *bl, const cJSON *p)
{
	static const char *const keys[][2] = { { "not_due", "not due" }, { "d1_30", "1-30d" }, { "d31_60", "31-60d" },
					       { "d61_90", "61-90d" }, { "over_90", "90d+" } };
	if (drawn_na(bl, p, "Receivables"))
		return;
	const cJSON *it;
	int n = 0;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(p, "aging")) {
		const char *cur = panel_str(it, "currency", bl->currency);
		long long m;
		char money[64];
		struct sbuf b = { 0 };
		panel_minor(it, "total", &m);
		sbuf_addf(&b, "%s to receive", panel_money(m, cur, money, sizeof(money)));
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (panel_minor(it, keys[k][0], &m) && m)
				sbuf_addf(&b, " · %s %s", keys[k][1], panel_money(m, cur, money, sizeof(money)));
		line_of(bl, b.s);
		sbuf_release(&b);
		n++;
	}
	if (!n)
		line_of(bl, "nothing to receive");
}

static void draw_satisfaction(struct block *bl, const cJSON *p)
{
	if (drawn_na(bl, p, "CSAT / NPS"))
		return;
	char num[64], text[160];
	size_t used = 0;
	text[0] = 0;
	if (panel_has(p, "csat_pct"))
		used += (size_t)snprintf(text + used, sizeof(text) - used, "CSAT %s%% · ",
					 panel_json(p, "csat_pct", num, sizeof(num)));
	if (panel_has(p, "nps"))
		used += (size_t)snprintf(text + used, sizeof(text) - used, "NPS %s · ", panel_json(p, "nps", num, sizeof(num)));
	snprintf(text + used, sizeof(text) - used, "%.0f responses", panel_double(p, "responses"));
	line_of(bl, panel_double(p, "responses") > 0 ? text : "no answers in this period");
}

/* How many, then the tickets: title (priority, assignee). */
static void draw_breached(struct block *bl, const cJSON *p)
{
	if (drawn_na(bl, p, "Breached tickets"))
		return;
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(p, "rows"), *row;
	int n = cJSON_GetArraySize(rows), k = 0;
	struct sbuf b = { 0 };
	sbuf_addf(&b, "%d past due%s", n, n ? ":" : "");
	cJSON_ArrayForEach(row, rows) {
		if (k++ == 3)
			break;
		sbuf_addf(&b, " %s (%s, %s)", panel_str(row, "title", ""), panel_str(row, "priority", ""),
			  panel_str(row, "owner", "-"));
	}
	line_of(bl, b.s);
	sbuf_release(&b);
}

/* ---- the screen ---- */

/* Blocks side by side, gap columns apart, into b. */
static void side_by_side(struct sbuf *b, struct block *bl, int n, int gap, int max)
{
	int rows = 0;
	for (int i = 0; i < n; i++)
		if (bl[i].n > rows)
			rows = bl[i].n;
	for (int r = 0; r < rows; r++) {
		struct sbuf line = { 0 };
		sbuf_add(&line, "");
		for (int i = 0; i < n; i++) {
			const char *s = r < bl[i].n ? bl[i].lines[r] : "";
			if (i)
				sbuf_addf(&line, "%*s", gap, "");
			/* a line no wider than its block, so the next starts in place */
			struct sbuf cut = { 0 };
			cut_line(&cut, s, bl[i].width);
			sbuf_add(&line, cut.s ? cut.s : "");
			if (i < n - 1) {
				int pad = bl[i].width - vis_width(cut.s ? cut.s : "");
				sbuf_addf(&line, "%*s", pad > 0 ? pad : 0, "");
			}
			sbuf_release(&cut);
		}
		while (line.len && line.s[line.len - 1] == ' ')
			line.s[--line.len] = 0;
		cut_line(b, line.s, max);
		sbuf_addc(b, '\n');
		sbuf_release(&line);
	}
	for (int i = 0; i < n; i++)
		block_free(&bl[i]);
}

static void blocks(struct block *bl, int n, int width, bool color, const char *currency)
{
	for (int i = 0; i < n; i++)
		bl[i] = (struct block){ .width = width, .color = color, .currency = currency };
}

/* "2026-03-01 10:00" of a stored time. */
static void short_time(const char *iso, char *buf, size_t n)
{
	size_t len = strlen(iso);
	snprintf(buf, n, "%.10s %.5s", iso, len > 11 ? iso + 11 : "");
}

static void header(struct sbuf *b, const cJSON *panels, bool color, int max)
{
	const cJSON *p = panel_find(panels, "period");
	char since[32], until[32];
	short_time(panel_str(p, "since", ""), since, sizeof(since));
	short_time(panel_str(p, "until", ""), until, sizeof(until));
	char *who;
	if (panel_str(p, "owner", NULL))
		who = xasprintf("owner %s", panel_str(p, "owner", ""));
	else if (panel_str(p, "team", NULL))
		who = xasprintf("team %s", panel_str(p, "team", ""));
	else
		who = xasprintf("everything %s may see", panel_str(p, "user", "you"));
	char *line = xasprintf("%s仪表盘 Dashboard%s  %s → %s  %s%s%s", color ? BOLD : "", color ? RESET : "",
			       since, until, color ? DIM : "", who, color ? RESET : "");
	cut_line(b, line, max);
	sbuf_add(b, "\n\n");
	free(line);
	free(who);
}

char *term_dashboard(const cJSON *panels, int layout, int max, bool color)
{
	struct sbuf b = { 0 };
	struct block bl[4];
	bool wide = layout >= 160;
	if (max <= 0 || max > layout)
		max = layout;
	header(&b, panels, color, max);

	const char *cur = panel_str(panel_find(panels, "period"), "currency", NULL);
	int cw = wide ? 38 : 18;
	blocks(bl, 4, cw, color, cur);
	card_new_leads(&bl[0], panel_find(panels, "new_leads"));
	card_conversion(&bl[1], panel_find(panels, "conversion"));
	card_won(&bl[2], panel_find(panels, "won"));
	card_received(&bl[3], panel_find(panels, "received"));
	side_by_side(&b, bl, 4, 2, max);
	sbuf_addc(&b, '\n');

	if (wide) {
		blocks(bl, 3, 52, color, cur);
		draw_funnel(&bl[0], panel_find(panels, "funnel"));
		draw_forecast(&bl[1], panel_find(panels, "forecast"), panels, 5);
		draw_top_deals(&bl[2], panel_find(panels, "top_deals"));
		side_by_side(&b, bl, 3, 2, max);
		sbuf_addc(&b, '\n');
		blocks(bl, 3, 52, color, cur);
		draw_top_reps(&bl[0], panel_find(panels, "top_reps"));
		draw_receivables(&bl[1], panel_find(panels, "receivables"));
		draw_satisfaction(&bl[2], panel_find(panels, "satisfaction"));
		draw_breached(&bl[2], panel_find(panels, "breached"));
		side_by_side(&b, bl, 3, 2, max);
	} else {
		blocks(bl, 2, 39, color, cur);
		draw_funnel(&bl[0], panel_find(panels, "funnel"));
		draw_forecast(&bl[1], panel_find(panels, "forecast"), panels, 5);
		side_by_side(&b, bl, 2, 2, max);
		sbuf_addc(&b, '\n');
		blocks(bl, 2, 39, color, cur);
		draw_top_reps(&bl[0], panel_find(panels, "top_reps"));
		draw_top_deals(&bl[1], panel_find(panels, "top_deals"));
		side_by_side(&b, bl, 2, 2, max);
		sbuf_addc(&b, '\n');
		void (*const others[])(struct block *, const cJSON *) = { draw_receivables, draw_satisfaction,
									  draw_breached };
		static const char *const ids[] = { "receivables", "satisfaction", "breached" };
		for (int i = 0; i < 3; i++) {
			struct block one = { .width = 78, .color = color, .currency = cur };
			others[i](&one, panel_find(panels, ids[i]));
			/* title and what it says on one line, what it says cut to
			 * what is left of it (with "…") */
			struct block joined = { .width = 78, .color = color };
			const char *said = one.n > 1 ? one.lines[1] : "";
			int room = 78 - vis_width(one.lines[0]) - 2;
			char cut[512], bare[512];
			snprintf(bare, sizeof(bare), "%s", said);
			for (size_t l = strlen(bare); l && bare[l - 1] == ' '; l--)
				bare[l - 1] = 0;
			if (!strchr(bare, '\033') && room > 0)
				utf8_truncate(bare, room, cut, sizeof(cut));
			else
				snprintf(cut, sizeof(cut), "%s", bare);
			block_add(&joined, "%s  %s", one.lines[0], cut);
			block_free(&one);
			side_by_side(&b, &joined, 1, 0, max);
		}
	}
	return sbuf_detach(&b);
}
