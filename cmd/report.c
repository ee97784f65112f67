/* report.c: crm report funnel|forecast|cycle|leaderboard|sources|silent|receivables|revenue|products|
 * service|satisfaction|renewals|health|repurchase|dashboard|weekly|kpi */
#include <stdlib.h>
#include <string.h>

#include "cash/reports.h"
#include "core/cmd.h"
#include "insight/compare.h"
#include "insight/dashboard.h"
#include "insight/kpi.h"
#include "insight/period.h"
#include "insight/weekly.h"
#include "sales/report.h"
#include "service/report.h"
#include "service/survey.h"

static void opts_from_args(const struct args *a, struct report_opts *r)
{
	*r = (struct report_opts){ 0 };
	r->pipeline = arg_get(a, "pipeline");
	r->since = arg_get(a, "since");
	r->until = arg_get(a, "until");
	r->owner = arg_get(a, "owner");
	r->by = arg_get(a, "by");
	r->days = -1;
}

/* A report the dashboard reads: for --owner U or --team T, and with
 * --compare previous beside the period before. */
static int run_report(struct crm *c, struct args *a, struct report_opts *r, const char *name,
		      int (*report)(struct crm *c, const struct report_opts *r))
{
	char *members = NULL;
	int rc = period_owners(c, r->owner, arg_get(a, "team"), r, &members, NULL);
	const char *cmp = arg_get(a, "compare");
	struct period p;
	if (rc)
		;
	else if (cmp && strcmp(cmp, "previous"))
		rc = cmd_usage_error(c, "--compare: '%s' is not previous", cmp);
	else if (cmp && r->until)
		rc = cmd_usage_error(c, "--compare previous compares up to now: no --until");
	else if (cmp && !(rc = period_since(c, r->since, &p)))
		rc = compare_report(c, name, r, &p);
	else if (!cmp)
		rc = report(c, r);
	free(members);
	return rc;
}

static int funnel_exec(struct crm *c, struct args *a)
{
	struct report_opts r;
	opts_from_args(a, &r);
	if (!r.pipeline)
		r.pipeline = "default";
	return run_report(c, a, &r, "funnel", report_funnel);
}

static int forecast_exec(struct crm *c, struct args *a)
{
	struct report_opts r;
	opts_from_args(a, &r);
	r.limit = arg_int(c, a, "limit", 0);
	if (r.limit < 0)
		return CRM_USAGE;
	if (r.limit && (!r.by || strcmp(r.by, "deal")))
		return cmd_usage_error(c, "--limit goes with --by deal");
	return run_report(c, a, &r, "forecast", report_forecast);
}

static int cycle_exec(struct crm *c, struct args *a)
{
	struct report_opts r;
	opts_from_args(a, &r);
	return report_cycle(c, &r);
}

static int leaderboard_exec(struct crm *c, struct args *a)
{
	struct report_opts r;
	opts_from_args(a, &r);
	return run_report(c, a, &r, "leaderboard", report_leaderboard);
}

static int sources_exec(struct crm *c, struct args *a)
{
	struct report_opts r;
	opts_from_args(a, &r);
	return run_report(c, a, &r, "sources", report_sources);
}

static int silent_exec(struct crm *c, struct args *a)
{
	struct report_opts r;
	opts_from_args(a, &r);
	r.days = arg_int(c, a, "days", -1);
	if (arg_has(a, "days") && r.days < 0)
		return CRM_USAGE;
	return report_silent(c, &r);
}

static int dashboard_exec(struct crm *c, struct args *a)
{
	struct dashboard_opts d = {
		.since = arg_get(a, "since"),
		.owner = arg_get(a, "owner"),
		.team = arg_get(a, "team"),
		.html = arg_has(a, "html"),
		.file = arg_get(a, "output"),
	};
	return dashboard_run(c, &d);
}

static int kpi_exec(struct crm *c, struct args *a)
{
	struct kpi_opts k = {
		.since = arg_get(a, "since"),
		.owner = arg_get(a, "owner"),
		.team = arg_get(a, "team"),
		.compare = arg_get(a, "compare"),
	};
	return kpi_run(c, &k);
}

static int weekly_exec(struct crm *c, struct args *a)
{
	struct weekly_opts w = {
		.owner = arg_get(a, "owner"),
		.team = arg_get(a, "team"),
		.week = arg_get(a, "week"),
		.json = arg_has(a, "json"),
	};
	return weekly_run(c, &w);
}


/* ---- after the sale (service) ---- */

static void service_opts_from_args(const struct args *a, struct service_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->by = arg_get(a, "by");
	o->since = arg_get(a, "since");
	o->owner = arg_get(a, "owner");
	o->within = arg_get(a, "within");
}

static int service_exec(struct crm *c, struct args *a)
{
	struct service_opts o;
	service_opts_from_args(a, &o);
	return report_service(c, &o);
}

static int satisfaction_exec(struct crm *c, struct args *a)
{
	struct satisfaction_opts o = { arg_get(a, "by"), arg_get(a, "since"), arg_get(a, "owner") };
	const char *cmp = arg_get(a, "compare");
	if (!cmp)
		return satisfaction_report(c, &o);
	if (strcmp(cmp, "previous"))
		return cmd_usage_error(c, "--compare: '%s' is not previous", cmp);
	/* the period (--since, default this month) beside the one before */
	struct report_opts r;
	opts_from_args(a, &r);
	struct period p;
	int rc = period_since(c, r.since, &p);
	return rc ? rc : compare_report(c, "satisfaction", &r, &p);
}

static int renewals_exec(struct crm *c, struct args *a)
{
	struct service_opts o;
	service_opts_from_args(a, &o);
	return report_renewals(c, &o);
}

static int health_exec(struct crm *c, struct args *a)
{
	struct service_opts o;
	service_opts_from_args(a, &o);
	return report_health(c, &o);
}

static int repurchase_exec(struct crm *c, struct args *a)
{
	struct service_opts o;
	service_opts_from_args(a, &o);
	return report_repurchase(c, &o);
}

static const struct opt service_opts[] = {
	{ "by", 0, "assignee|category|month", "one line per assignee, category or month (default: one line)", false },
	{ "since", 0, "WHEN", "only what happened since WHEN (a time, or a span like 30d)", false },
	OPT_END
};

static const struct opt satisfaction_opts[] = {
	{ "by", 0, "month|owner|category", "one line per month, owner or category (default: one line)", false },
	{ "since", 0, "WHEN", "only answers since WHEN (a time, or a span like 90d)", false },
	{ "owner", 0, "USER", "only the surveys about what USER owns", false },
	{ "compare", 0, "previous", "beside the period before: as long as --since (default: this month) to now, "
				    "ending where it starts", false },
	OPT_END
};

static const struct opt renewals_opts[] = {
	{ "within", 0, "SPAN", "contracts ending within SPAN from today (default 90d)", false },
	OPT_END
};

static const struct opt health_opts[] = {
	{ "owner", 0, "USER", "only the accounts USER owns", false },
	OPT_END
};

/* ---- cash ---- */

static void cash_opts_from_args(const struct args *a, struct cash_report_opts *o)
{
	o->as_of = arg_get(a, "as-of");
	o->by = arg_get(a, "by");
	o->since = arg_get(a, "since");
}

static int receivables_exec(struct crm *c, struct args *a)
{
	struct cash_report_opts o;
	cash_opts_from_args(a, &o);
	return cash_report_receivables(c, &o);
}

static int revenue_exec(struct crm *c, struct args *a)
{
	struct cash_report_opts o;
	cash_opts_from_args(a, &o);
	return cash_report_revenue(c, &o);
}

static int products_exec(struct crm *c, struct args *a)
{
	struct cash_report_opts o;
	cash_opts_from_args(a, &o);
	return cash_report_products(c, &o);
}

static const struct opt receivables_opts[] = {
	{ "as-of", 0, "DATE", "how late things are on DATE (default today); payments after it do not count", false },
	{ "by", 0, "account|owner|contract", "one line per account (default), owner or contract, and currency", false },
	OPT_END
};

static const struct opt revenue_opts[] = {
	{ "by", 0, "month|quarter|owner", "one line per month (default), quarter or owner, and currency", false },
	{ "since", 0, "WHEN", "only what happened since WHEN (a date, or a span like 90d)", false },
	OPT_END
};

static const struct opt products_opts[] = {
	{ "since", 0, "WHEN", "only contracts signed since WHEN (a date, or a span like 90d)", false },
	OPT_END
};

#define OWNER_OPT { "owner", 0, "USER", "only deals (and leads, activities) of USER", false }
#define TEAM_OPT { "team", 0, "TEAM", "only those of TEAM's members (users of the team, or config team.TEAM)", false }
#define UNTIL_OPT { "until", 0, "WHEN", "only what happened before WHEN (default: now)", false }
#define COMPARE_OPT { "compare", 0, "previous", \
	"beside the period before: as long as --since (default: this month) to now, ending where it starts", false }

static const struct opt funnel_opts[] = {
	{ "pipeline", 'p', "KEY", "the pipeline (default: default)", false },
	{ "since", 0, "WHEN", "only deals created since WHEN (a time, or a span like 90d)", false },
	{ "until", 0, "WHEN", "only deals created before WHEN", false },
	OWNER_OPT,
	TEAM_OPT,
	COMPARE_OPT,
	OPT_END
};

static const struct opt forecast_opts[] = {
	{ "by", 0, "month|week|owner|deal", "one line per expected-close month (default), week, owner, or open deal", false },
	{ "limit", 0, "N", "--by deal: the N deals of the largest weighted amount", false },
	{ "pipeline", 'p', "KEY", "only this pipeline (default: all)", false },
	{ "since", 0, "WHEN", "count won deals closed since WHEN", false },
	{ "until", 0, "WHEN", "count won deals closed before WHEN", false },
	OWNER_OPT,
	TEAM_OPT,
	OPT_END
};

static const struct opt since_opts[] = {
	{ "since", 0, "WHEN", "only what happened since WHEN (a time, or a span like 30d)", false },
	OWNER_OPT,
	OPT_END
};

static const struct opt compare_opts[] = {
	{ "since", 0, "WHEN", "only what happened since WHEN (a time, or a span like 30d)", false },
	UNTIL_OPT,
	OWNER_OPT,
	TEAM_OPT,
	COMPARE_OPT,
	OPT_END
};

static const struct opt silent_opts[] = {
	{ "days", 0, "N", "silent for at least N days (default: 90 for accounts, 14 for deals)", false },
	OWNER_OPT,
	OPT_END
};

static const struct opt dashboard_opts[] = {
	{ "html", 0, NULL, "one self-contained HTML page (prints on A4 landscape) instead of text", false },
	{ "output", 'o', "FILE", "write the HTML page to FILE (0600; implies --html)", false },
	{ "since", 0, "WHEN", "the period starts at WHEN (default: the 1st of this month)", false },
	{ "owner", 0, "USER", "only USER's records", false },
	TEAM_OPT,
	OPT_END
};

static const struct opt weekly_opts[] = {
	{ "owner", 0, "USER", "USER's week (default: the acting user's)", false },
	TEAM_OPT,
	{ "week", 0, "YYYY-Www", "the ISO week (2026-W48), or a day in it (default: last week)", false },
	{ "json", 0, NULL, "JSON lines instead of Markdown", false },
	OPT_END
};

static const struct opt kpi_opts[] = {
	{ "since", 0, "WHEN", "the period starts at WHEN (default: the 1st of this month)", false },
	{ "owner", 0, "USER", "only USER's leads and deals", false },
	TEAM_OPT,
	COMPARE_OPT,
	OPT_END
};

static const struct cmd_verb report_verbs[] = {
	{ "funnel", "[--pipeline P] [--since D] [--owner U | --team T] [--compare previous]",
	  "per stage: deals and amount that reached it, conversion to the next, average days",
	  funnel_opts, DB_READ, 0, 0, funnel_exec, VERB_SERVER },
	{ "forecast", "[--by month|week|owner|deal] [--limit N] [--pipeline P] [--owner U | --team T]",
	  "open pipeline weighted by probability per expected close period, beside the total and won",
	  forecast_opts, DB_READ, 0, 0, forecast_exec, VERB_SERVER },
	{ "cycle", "[--since D] [--owner U]",
	  "days from lead creation to won (median, p90) per source, owner, pipeline; days per stage",
	  since_opts, DB_READ, 0, 0, cycle_exec, VERB_SERVER },
	{ "leaderboard", "[--since D] [--owner U | --team T] [--compare previous]",
	  "per owner: won amount and deals, win rate, activities logged, open pipeline",
	  compare_opts, DB_READ, 0, 0, leaderboard_exec, VERB_SERVER },
	{ "sources", "[--since D] [--owner U | --team T] [--compare previous]",
	  "per lead source: leads, qualified, converted, won deals and amount, rates",
	  compare_opts, DB_READ, 0, 0, sources_exec, VERB_SERVER },
	{ "dashboard", "[--html] [-o FILE] [--since D] [--owner U | --team T]",
	  "the period on one screen: new leads, conversion, won and received, funnel, forecast, top reps and deals",
	  dashboard_opts, DB_READ, 0, 0, dashboard_exec, VERB_SERVER },
	{ "weekly", "[--owner U | --team T] [--week 2026-W48] [--json]",
	  "the week's report in Markdown: activities, leads, deals moved, won and lost, tasks",
	  weekly_opts, DB_READ, 0, 0, weekly_exec, VERB_SERVER },
	{ "kpi", "[--since D] [--owner U | --team T] [--compare previous]",
	  "lead response time, lead to deal, win rate, sales cycle, data completeness",
	  kpi_opts, DB_READ, 0, 0, kpi_exec, VERB_SERVER },
	{ "silent", "[--days N] [--owner U]",
	  "accounts and open deals with no activity for N days (pipe into crm task add)",
	  silent_opts, DB_READ, 0, 0, silent_exec, VERB_SERVER },
	{ "service", "[--by assignee|category|month] [--since D]",
	  "tickets opened and resolved, median first response and resolution, within SLA, backlog",
	  service_opts, DB_READ, 0, 0, service_exec, VERB_SERVER },
	{ "satisfaction", "[--by month|owner|category] [--since D] [--owner U] [--compare previous]",
	  "survey answers: responses, csat_pct (4-5 among CSAT), nps (9-10 minus 0-6 among NPS)",
	  satisfaction_opts, DB_READ, 0, 0, satisfaction_exec, VERB_SERVER },
	{ "renewals", "[--within 90d]", "signed contracts ending within the span that have no renewal deal yet",
	  renewals_opts, DB_READ, 0, 0, renewals_exec, VERB_SERVER },
	{ "health", "[--owner U]", "per account: activity, tickets, satisfaction, money past due, trend, health 0-100",
	  health_opts, DB_READ, 0, 0, health_exec, VERB_SERVER },
	{ "repurchase", "", "accounts with 2+ signed contracts quiet for longer than their usual interval",
	  NULL, DB_READ, 0, 0, repurchase_exec, VERB_SERVER },
	{ "receivables", "[--as-of D] [--by account|owner|contract]",
	  "what signed contracts' plans still have to receive, by days past due (not_due, d1_30 ... over_90)",
	  receivables_opts, DB_READ, 0, 0, receivables_exec, VERB_SERVER },
	{ "revenue", "[--by month|quarter|owner] [--since D]",
	  "per period: contracted (signed), invoiced (issued), received (payments)",
	  revenue_opts, DB_READ, 0, 0, revenue_exec, VERB_SERVER },
	{ "products", "[--since D]", "quantity and amount per product on signed contracts",
	  products_opts, DB_READ, 0, 0, products_exec, VERB_SERVER },
	{ NULL }
};

const struct cmd_entry cmd_report_entry = {
	.name = "report",
	.summary = "funnel, forecast, cycle, leaderboard, sources, silent; receivables, revenue, products; "
		   "service, satisfaction, renewals, health, repurchase; the dashboard, weekly report, KPIs",
	.verbs = report_verbs,
	.description =
		"Reports print JSON lines when piped, a table with a bar chart on a terminal,\n"
		"and csv with --csv. Amounts are exact sums, never of different currencies:\n"
		"every row of funnel, forecast, leaderboard and sources has a currency, and\n"
		"when deals (or, for sources, leads) are in several currencies the report is\n"
		"given once per currency, the default (config currency) first, each over\n"
		"that currency's records only, with a currency column in the table. A record\n"
		"without a currency counts in the default; nothing is converted. The\n"
		"leaderboard's activities are the owner's, whatever the currency (an owner\n"
		"with activities but no deals shows in the default currency's rows).\n"
		"funnel: a deal counts once in every stage up to the furthest it has reached:\n"
		"  a stage it skipped counts as passed, moving back does not uncount it; lost\n"
		"  counts the deals now lost. conversion_pct is the share of deals that reached\n"
		"  a stage and then reached the next (lost is not a next stage). avg_days is\n"
		"  the average stay in the stage, current stays of open deals counting up to now.\n"
		"forecast: weighted = sum of amount x probability of open deals by expected\n"
		"  close; won = deals won, by the period they closed. --by deal: every open\n"
		"  deal, the largest weighted amount first (--limit 5: the top 5).\n"
		"cycle: median (middle value) and p90 (nearest rank) of days from the lead's\n"
		"  creation (the deal's without a lead) to won; then average days per stage.\n"
		"leaderboard: win_pct = won / (won + lost) closed since --since.\n"
		"sources: qualified = leads now qualified or converted; won counts deals by\n"
		"  their source (carried from the lead).\n"
		"silent: prints {\"type\":\"account\"|\"deal\",\"id\",...,\"owner\"} lines, so\n"
		"  crm report silent | crm task add --title 回访 --due tomorrow  works.\n"
		"--compare previous (funnel, sources, leaderboard, satisfaction, kpi): beside\n"
		"  each number K, K_previous for the period before and K_change (points for\n"
		"  a percentage); the period is --since (default: the 1st of this month) to\n"
		"  now, the one before as long, ending where it starts (March 1-15: February\n"
		"  1-15).\n"
		"  --until WHEN counts only what happened before WHEN.\n"
		"dashboard: the period (default: this month) on one screen: new leads (report\n"
		"  sources), conversion (won of the deals the period brought in: report\n"
		"  funnel), won amount (report leaderboard, one sum per currency), received\n"
		"  (report revenue), the funnel, the forecast by month, the top 3 reps, the\n"
		"  top 5 open deals by amount x probability (forecast --by deal), receivables\n"
		"  aging (report receivables), CSAT and NPS (report satisfaction), breached\n"
		"  tickets (ticket list --breached). Each panel is its report's rows\n"
		"  (\"source\" names the command); a panel whose part of crm is missing says\n"
		"  \"not available\". Text on a terminal (80 columns, 160 when there), JSON\n"
		"  lines of the panels in a pipe, one self-contained HTML page with --html\n"
		"  (-o FILE: written 0600).\n"
		"weekly: the ISO week (default: last week) of a rep (default: you) or a team:\n"
		"  activities by kind, new leads and those first contacted within 24 hours,\n"
		"  deals moved, won and lost with amounts, payments, tickets, tasks overdue as\n"
		"  the week ended and due the week after. Markdown, even in a pipe; --json.\n"
		"kpi: lead_response_hours (median, creation to first activity), lead_to_deal_pct,\n"
		"  win_rate_pct, sales_cycle_days (average, lead creation to won),\n"
		"  data_completeness_pct (leads with phone, company, industry and source).\n"
		"service: opened counts tickets opened since --since; resolved those resolved\n"
		"  since; median_first_response_seconds and median_resolution_seconds are the\n"
		"  SLA-counted seconds from opening (business hours with sla.hours, time pending\n"
		"  left out) of the tickets first answered / resolved since; within_sla_pct is\n"
		"  the share of those resolved that breached neither clock; backlog counts the\n"
		"  tickets not yet resolved. --by month puts each count in the month it is about.\n"
		"satisfaction: csat_pct = answers 4-5 among CSAT answers, nps = percent of 9-10\n"
		"  minus percent of 0-6 among NPS answers, one decimal (half away from zero);\n"
		"  --by owner is the owner of what the survey is about.\n"
		"renewals: signed contracts whose end is from today to today + --within (90d)\n"
		"  with no deal renewing them (crm contract renew); lines are contracts.\n"
		"health: per account (lines are accounts, worst first): last_activity_days\n"
		"  (since its last contact, itself or through its contacts, deals, tickets; else\n"
		"  since it was added), open_tickets (new, open, pending), breached_tickets (of\n"
		"  those, past an SLA due time), csat (csat_pct of the last 90 days), nps (the\n"
		"  latest answer), overdue (money its plans owe past their due day), event_trend\n"
		"  (behaviour events of its leads in the last 30 days over the 30 before), and\n"
		"    health = 100 - min(last_activity_days, 60) / 2 - 5 x min(open_tickets, 3)\n"
		"             - 10 x min(breached_tickets, 2) - (100 - csat) / 5\n"
		"             - (15 if nps <= 6, 5 if nps is 7 or 8) - (15 if overdue > 0)\n"
		"             - 10 x (prev - last) / prev when the events fell (prev > 0)\n"
		"  (divisions rounded half up, last_activity_days / 2 rounded down, a part\n"
		"  without data counts 0), at least 0; risk is true below config\n"
		"  health.risk_below (default 40).\n"
		"repurchase: accounts with at least 2 signed contracts whose days since the last\n"
		"  signing exceed the average interval between their signings.\n"
		"receivables: per account (owner, contract) and currency, what the payment plans\n"
		"  of signed contracts have still to receive at --as-of, in columns not_due,\n"
		"  d1_30, d31_60, d61_90, over_90 by days past the due date, and total; a\n"
		"  signed contract without a plan is one instalment due the day it was signed.\n"
		"revenue: per month (quarter, owner) and currency: contracted = signed\n"
		"  contract amounts by signing date, invoiced = issued invoices by issue date,\n"
		"  received = payments by their date.\n"
		"products: per product and currency, the quantity and amount (the lines'\n"
		"  totals) on the quotes of signed contracts, and how many contracts.\n"
		"Money is never summed across currencies: every cash row names its currency.",
};
