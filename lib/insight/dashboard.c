/* dashboard.c: the dashboard's panels, from the reports' own rows. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/money.h"
#include "base/sbuf.h"
#include "core/config.h"
#include "core/db.h"
#include "core/type.h"
#include "insight/dashboard.h"
#include "insight/html.h"
#include "insight/layers.h"
#include "insight/panel.h"
#include "insight/period.h"
#include "insight/term.h"
#include "io/out.h"
#include "sales/report.h"

struct dash {
	struct period p;
	struct report_opts r;     /* whose records; since = the period's start */
	char *members;            /* --team: the owners as JSON */
	char **names;
	const char *owner, *team;
	char *filter;             /* the same filters for a report's command line */
	char *pipeline;           /* the default pipeline */
	char *currency;           /* of amounts that do not say */
	cJSON *leaderboard;       /* read by two panels */
	cJSON *funnel;
};

/* A word for a shell command line: quoted when it needs to be. */
static void shell_word(struct sbuf *b, const char *s)
{
	bool plain = *s != 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && plain; p++)
		plain = *p >= 0x80 || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
			(*p >= 'A' && *p <= 'Z') || strchr("_-.:+@,/", *p);
	if (plain) {
		sbuf_add(b, s);
		return;
	}
	sbuf_addc(b, '\'');
	for (const char *p = s; *p; p++)
		if (*p == '\'')
			sbuf_add(b, "'\\''");
		else
			sbuf_addc(b, *p);
	sbuf_addc(b, '\'');
}

/* "crm report NAME ARGS --since S --owner U": the report whose rows a
 * panel shows (since: with the period's start). */
static void add_source(cJSON *panel, const struct dash *d, const char *report, bool since)
{
	struct sbuf b = { 0 };
	sbuf_addf(&b, "crm report %s", report);
	if (since) {
		sbuf_add(&b, " --since ");
		shell_word(&b, d->p.since);
	}
	sbuf_add(&b, d->filter);
	cJSON_AddStringToObject(panel, "source", b.s);
	sbuf_release(&b);
}

static void add_rows(cJSON *panel, const cJSON *rows, int max)
{
	cJSON *arr = cJSON_AddArrayToObject(panel, "rows");
	const cJSON *row;
	int n = 0;
	cJSON_ArrayForEach(row, rows) {
		if (max && n++ >= max)
			break;
		cJSON_AddItemToArray(arr, cJSON_Duplicate(row, true));
	}
}

static int get_funnel(struct crm *c, struct dash *d)
{
	if (d->funnel)
		return CRM_OK;
	struct report_opts r = d->r;
	r.pipeline = d->pipeline;
	return report_funnel_rows(c, &r, &d->funnel);
}

static int get_leaderboard(struct crm *c, struct dash *d)
{
	return d->leaderboard ? CRM_OK : report_leaderboard_rows(c, &d->r, &d->leaderboard);
}

/* ---- the panels ---- */

static int panel_new_leads(struct crm *c, struct dash *d, cJSON *panel)
{
	cJSON *rows;
	int rc = report_sources_rows(c, &d->r, &rows);
	if (!rc) {
		long long n = 0;
		const cJSON *row;
		cJSON_ArrayForEach(row, rows)
			n += (long long)panel_double(row, "leads");
		cJSON_AddNumberToObject(panel, "value", (double)n);
		add_source(panel, d, "sources", true);
		add_rows(panel, rows, 0);
	}
	cJSON_Delete(rows);
	return rc;
}

static int panel_conversion(struct crm *c, struct dash *d, cJSON *panel)
{
	int rc = get_funnel(c, d);
	if (rc)
		return rc;
	/* of the deals the period brought in (the first stage: each deal
	 * counts in every stage it reached), the share now won */
	char *won = db_get_text(c, "SELECT s.key FROM stage s JOIN pipeline p ON p.id = s.pipeline_id "
			       "WHERE p.key = ? AND s.closes = 'won' ORDER BY s.position LIMIT 1", d->pipeline);
	const cJSON *first = cJSON_GetArrayItem(d->funnel, 0), *row;
	long long deals = first ? (long long)panel_double(first, "deals") : 0, wins = 0;
	cJSON_ArrayForEach(row, d->funnel)
		if (won && !strcmp(panel_str(row, "stage", ""), won))
			wins = (long long)panel_double(row, "deals");
	free(won);
	if (deals) {
		char buf[32];
		/* one decimal, as the reports round */
		snprintf(buf, sizeof(buf), "%.15g", (double)llround(100.0 * wins / deals * 10) / 10);
		cJSON_AddRawToObject(panel, "conversion_pct", buf);
	}
	cJSON_AddNumberToObject(panel, "deals", (double)deals);
	cJSON_AddNumberToObject(panel, "won_deals", (double)wins);
	cJSON_AddStringToObject(panel, "pipeline", d->pipeline);
	add_source(panel, d, "funnel", true);
	return CRM_OK;
}

/* Sums per currency (never one sum of several): {currency, money keys:
 * sums, count: n} in the order the currencies come (keys ends with NULL;
 * count may be NULL). */
static cJSON *sum_by_currency(const struct dash *d, const cJSON *rows, const char *const *keys, const char *count)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *row;
	cJSON_ArrayForEach(row, rows) {
		const char *cur = panel_str(row, "currency", d->currency);
		cJSON *slot = NULL, *it;
		cJSON_ArrayForEach(it, out)
			if (!strcmp(panel_str(it, "currency", ""), cur))
				slot = it;
		if (!slot) {
			slot = cJSON_CreateObject();
			cJSON_AddStringToObject(slot, "currency", cur);
			for (int k = 0; keys[k]; k++)
				cJSON_AddRawToObject(slot, keys[k], "0");
			if (count)
				cJSON_AddNumberToObject(slot, count, 0);
			cJSON_AddItemToArray(out, slot);
		}
		for (int k = 0; keys[k]; k++) {
			long long have, add;
			char buf[MONEY_BUFSZ];
			panel_minor(slot, keys[k], &have);
			panel_minor(row, keys[k], &add);
			cJSON_ReplaceItemInObjectCaseSensitive(slot, keys[k], cJSON_CreateRaw(money_format(have + add, buf)));
		}
		if (count)
			cJSON_ReplaceItemInObjectCaseSensitive(slot, count, cJSON_CreateNumber(panel_double(slot, count) +
												     panel_double(row, count)));
	}
	return out;
}

static int panel_won(struct crm *c, struct dash *d, cJSON *panel)
{
	int rc = get_leaderboard(c, d);
	if (rc)
		return rc;
	static const char *const keys[] = { "won_amount", NULL };
	cJSON_AddItemToObject(panel, "amounts", sum_by_currency(d, d->leaderboard, keys, "won_deals"));
	add_source(panel, d, "leaderboard", true);
	return CRM_OK;
}

static int panel_funnel(struct crm *c, struct dash *d, cJSON *panel)
{
	int rc = get_funnel(c, d);
	if (rc)
		return rc;
	cJSON_AddStringToObject(panel, "pipeline", d->pipeline);
	add_source(panel, d, "funnel", true);
	add_rows(panel, d->funnel, 0);
	return CRM_OK;
}

static int panel_forecast(struct crm *c, struct dash *d, cJSON *panel)
{
	struct report_opts r = d->r;
	r.since = NULL;   /* the months ahead, and what was won month by month */
	cJSON *rows;
	int rc = report_forecast_rows(c, &r, &rows);
	if (!rc) {
		add_source(panel, d, "forecast", false);
		add_rows(panel, rows, 0);
	}
	cJSON_Delete(rows);
	return rc;
}

static int panel_top_reps(struct crm *c, struct dash *d, cJSON *panel)
{
	int rc = get_leaderboard(c, d);
	if (rc)
		return rc;
	add_source(panel, d, "leaderboard", true);
	add_rows(panel, d->leaderboard, 3);
	return CRM_OK;
}

static int panel_top_deals(struct crm *c, struct dash *d, cJSON *panel)
{
	struct report_opts r = d->r;
	r.since = NULL;
	r.by = "deal";
	r.limit = 5;
	cJSON *rows;
	int rc = report_forecast_rows(c, &r, &rows);
	if (!rc) {
		add_source(panel, d, "forecast --by deal --limit 5", false);
		add_rows(panel, rows, 0);
	}
	cJSON_Delete(rows);
	return rc;
}

/* ---- the panels of the layers above sales ---- */

/* Whether a row of the cash or service layers is of the filter's owners
 * (its key: "owner"); no filter: all are. */
static bool ours(const struct dash *d, const cJSON *row)
{
	const char *o = panel_str(row, "owner", NULL);
	if (d->owner)
		return o && !strcmp(o, d->owner);
	for (int i = 0; d->team && d->names && d->names[i]; i++)
		if (o && !strcmp(o, d->names[i]))
			return true;
	return !d->team;
}

/* The rows of the filter's owners only, a new array. */
static cJSON *of_ours(const struct dash *d, const cJSON *rows)
{
	cJSON *kept = cJSON_CreateArray();
	const cJSON *row;
	cJSON_ArrayForEach(row, rows)
		if (ours(d, row))
			cJSON_AddItemToArray(kept, cJSON_Duplicate(row, true));
	return kept;
}

/* "crm report revenue --since S [--by owner]": received, per currency. */
static int panel_received(struct crm *c, struct dash *d, cJSON *panel)
{
	bool by_owner = d->owner || d->team;
	cJSON *rows;
	int rc = layers_revenue(c, d->p.since, by_owner ? "owner" : NULL, &rows);
	if (!rc) {
		static const char *const keys[] = { "received", NULL };
		cJSON *kept = of_ours(d, rows);
		cJSON_AddItemToObject(panel, "amounts", sum_by_currency(d, kept, keys, NULL));
		struct sbuf b = { 0 };
		sbuf_add(&b, "crm report revenue --since ");
		shell_word(&b, d->p.since);
		if (by_owner)
			sbuf_add(&b, " --by owner");
		cJSON_AddStringToObject(panel, "source", b.s);
		sbuf_release(&b);
		cJSON_AddItemToObject(panel, "rows", kept);
	}
	cJSON_Delete(rows);
	return rc;
}

/* "crm report receivables [--by owner]": what is due, by how late, per
 * currency, and the report's rows. */
static int panel_receivables(struct crm *c, struct dash *d, cJSON *panel)
{
	bool by_owner = d->owner || d->team;
	cJSON *rows;
	int rc = layers_receivables(c, by_owner ? "owner" : NULL, &rows);
	if (!rc) {
		static const char *const keys[] = { "not_due", "d1_30", "d31_60", "d61_90", "over_90", "total", NULL };
		cJSON *kept = of_ours(d, rows);
		cJSON_AddItemToObject(panel, "aging", sum_by_currency(d, kept, keys, NULL));
		cJSON_AddStringToObject(panel, "source", by_owner ? "crm report receivables --by owner"
							     : "crm report receivables");
		cJSON_AddItemToObject(panel, "rows", kept);
	}
	cJSON_Delete(rows);
	return rc;
}

/* "crm report satisfaction --since S [--owner U]": CSAT and NPS (a team:
 * its members' answers together). */
static int panel_satisfaction(struct crm *c, struct dash *d, cJSON *panel)
{
	struct report_opts r = { .since = d->p.since, .owner = d->owner, .members = d->members };
	cJSON *rows;
	int rc = layers_satisfaction(c, &r, &rows);
	if (!rc) {
		const cJSON *row = cJSON_GetArrayItem(rows, 0), *it;
		static const char *const keys[] = { "responses", "csat_pct", "nps", NULL };
		for (int k = 0; keys[k]; k++)
			if ((it = cJSON_GetObjectItemCaseSensitive(row, keys[k])))
				cJSON_AddItemToObject(panel, keys[k], cJSON_Duplicate(it, true));
		if (!row)
			cJSON_AddNumberToObject(panel, "responses", 0);
		struct sbuf b = { 0 };
		sbuf_add(&b, "crm report satisfaction --since ");
		shell_word(&b, d->p.since);
		if (d->owner) {
			sbuf_add(&b, " --owner ");
			shell_word(&b, d->owner);
		} else if (d->team) {
			sbuf_add(&b, " --by owner (the team's members together)");
		}
		cJSON_AddStringToObject(panel, "source", b.s);
		sbuf_release(&b);
		cJSON_AddItemToObject(panel, "rows", rows);
		rows = NULL;
	}
	cJSON_Delete(rows);
	return rc;
}

/* "crm ticket list --breached [--assignee U]": the tickets past an SLA
 * due time now, and how many. */
static int panel_breached(struct crm *c, struct dash *d, cJSON *panel)
{
	cJSON *rows;
	int rc = layers_breached(c, &rows);
	if (!rc) {
		cJSON *kept = of_ours(d, rows);
		cJSON_AddNumberToObject(panel, "value", cJSON_GetArraySize(kept));
		struct sbuf b = { 0 };
		sbuf_add(&b, "crm ticket list --breached");
		if (d->owner) {
			sbuf_add(&b, " --assignee ");
			shell_word(&b, d->owner);
		}
		cJSON_AddStringToObject(panel, "source", b.s);
		sbuf_release(&b);
		cJSON_AddItemToObject(panel, "rows", kept);
	}
	cJSON_Delete(rows);
	return rc;
}

/* The panels, in the order they are drawn. needs: the record type the
 * panel's layer brings (asked of the registry when the dashboard runs);
 * build NULL: that layer's report is not wired in yet (the seam: cash's
 * report revenue and receivables, service's satisfaction and tickets). */
struct panel_def {
	const char *id, *title, *needs, *missing;
	int (*build)(struct crm *c, struct dash *d, cJSON *panel);
};

static const struct panel_def panel_defs[] = {
	{ "new_leads", "新线索", NULL, NULL, panel_new_leads },
	{ "conversion", "转化率", NULL, NULL, panel_conversion },
	{ "won", "赢单金额", NULL, NULL, panel_won },
	{ "received", "回款金额", "payment", "no cash layer in this crm", panel_received },
	{ "funnel", "销售漏斗", NULL, NULL, panel_funnel },
	{ "forecast", "月度预测", NULL, NULL, panel_forecast },
	{ "top_reps", "销售排行", NULL, NULL, panel_top_reps },
	{ "top_deals", "潜力商机", NULL, NULL, panel_top_deals },
	{ "receivables", "应收账龄", "plan", "no cash layer in this crm", panel_receivables },
	{ "satisfaction", "客户满意度", "survey", "no service layer in this crm", panel_satisfaction },
	{ "breached", "超时工单", "ticket", "no service layer in this crm", panel_breached },
	{ NULL, NULL, NULL, NULL, NULL },
};

static cJSON *panel_new(cJSON *panels, const char *id, const char *title)
{
	cJSON *p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "type", "dashboard");
	cJSON_AddStringToObject(p, "panel", id);
	cJSON_AddStringToObject(p, "title", title);
	cJSON_AddItemToArray(panels, p);
	return p;
}

static void period_panel(struct crm *c, const struct dash *d, cJSON *panels)
{
	cJSON *p = panel_new(panels, "period", "仪表盘");
	cJSON_AddStringToObject(p, "since", d->p.since);
	cJSON_AddStringToObject(p, "until", d->p.until);
	if (d->owner)
		cJSON_AddStringToObject(p, "owner", d->owner);
	if (d->team) {
		cJSON_AddStringToObject(p, "team", d->team);
		cJSON *m = cJSON_AddArrayToObject(p, "members");
		for (int i = 0; d->names && d->names[i]; i++)
			cJSON_AddItemToArray(m, cJSON_CreateString(d->names[i]));
	}
	if (c->user)
		cJSON_AddStringToObject(p, "user", c->user);
	cJSON_AddStringToObject(p, "currency", d->currency);
}

int dashboard_panels(struct crm *c, const struct dashboard_opts *o, cJSON **panels)
{
	struct dash d = { .owner = o->owner, .team = o->team };
	*panels = cJSON_CreateArray();
	int rc = period_since(c, o->since, &d.p);
	if (!rc)
		rc = period_owners(c, o->owner, o->team, &d.r, &d.members, &d.names);
	if (rc)
		goto done;
	d.r.since = d.p.since;
	struct sbuf f = { 0 };
	sbuf_add(&f, "");
	if (o->owner || o->team) {
		sbuf_add(&f, o->owner ? " --owner " : " --team ");
		shell_word(&f, o->owner ? o->owner : o->team);
	}
	d.filter = sbuf_detach(&f);
	d.pipeline = db_get_text(c, "SELECT key FROM pipeline WHERE is_default = 1 ORDER BY id LIMIT 1", NULL);
	if (!d.pipeline)
		d.pipeline = xstrdup("default");
	d.currency = config_get(c, "currency");
	if (!d.currency)
		d.currency = xstrdup("CNY");
	period_panel(c, &d, *panels);
	for (const struct panel_def *def = panel_defs; !rc && def->id; def++) {
		cJSON *p = panel_new(*panels, def->id, def->title);
		if (def->needs && (!type_find(c, def->needs) || !def->build)) {
			cJSON_AddBoolToObject(p, "available", false);
			cJSON_AddStringToObject(p, "reason", def->missing);
			cJSON_AddStringToObject(p, "needs", def->needs);
			continue;
		}
		cJSON_AddBoolToObject(p, "available", true);
		rc = def->build(c, &d, p);
	}
done:
	cJSON_Delete(d.leaderboard);
	cJSON_Delete(d.funnel);
	free(d.members);
	period_names_free(d.names);
	free(d.filter);
	free(d.pipeline);
	free(d.currency);
	return rc;
}

/* Write the page to path: all or nothing (a new file renamed over it),
 * readable by its owner only. As export -o: a file that cannot be made is
 * a usage error, one that cannot be written (disk full) exit 6. */
static int write_file(struct crm *c, const char *path, const char *text)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC, 0600);
	if (fd < 0) {
		int e = errno;
		free(tmp);
		return crm_error(c, CRM_USAGE, "-o: cannot write %s: %s", path, strerror(e));
	}
	size_t len = strlen(text), off = 0;
	int e = 0;
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			e = w < 0 ? errno : EIO;
			break;
		}
		off += (size_t)w;
	}
	if (close(fd) != 0 && !e)
		e = errno;
	if (!e && rename(tmp, path) != 0)
		e = errno;
	if (e)
		unlink(tmp);
	free(tmp);
	if (e)
		return crm_error(c, CRM_DBERR, "cannot write %s: %s", path, strerror(e));
	return CRM_OK;
}

int dashboard_run(struct crm *c, const struct dashboard_opts *o)
{
	bool html = o->html || o->file;
	if (!html && (c->format == OUT_CSV || c->format == OUT_TSV))
		return crm_error(c, CRM_USAGE, "the dashboard is text on a terminal, JSON lines, or a page (--html)");
	cJSON *panels;
	int rc = dashboard_panels(c, o, &panels);
	if (rc) {
		cJSON_Delete(panels);
		return rc;
	}
	if (html) {
		char *page = html_dashboard(panels);
		if (o->file) {
			rc = write_file(c, o->file, page);
			if (!rc)
				crm_notice(c, "wrote %s", o->file);
		} else {
			out_text(c->out, page, strlen(page));
		}
		free(page);
	} else if (c->format == OUT_TABLE) {
		int width = out_width(c->out);
		char *screen = term_dashboard(panels, width >= 160 ? 160 : 80, width, out_color(c->out));
		out_text(c->out, screen, strlen(screen));
		free(screen);
	} else {
		const cJSON *p;
		cJSON_ArrayForEach(p, panels)
			out_object(c->out, p);
	}
	cJSON_Delete(panels);
	return rc;
}
