/* report.c: crm report funnel|forecast|cycle|leaderboard|sources|silent|receivables|revenue|products|
 * service|satisfaction|renewals|health|repurchase */
#include <string.h>

#include "cash/reports.h"
#include "core/cmd.h"
#include "sales/report.h"
#include "service/report.h"
#include "service/survey.h"

static void opts_from_args(const struct args *a, struct report_opts *r)
{
	r->pipeline = arg_get(a, "pipeline");
	r->since = arg_get(a, "since");
	r->owner = arg_get(a, "owner");
	r->by = arg_get(a, "by");
	r->days = -1;
}

static int funnel_exec(struct crm *c, struct args *a)
{
	struct report_opts r;
	opts_from_args(a, &r);
	if (!r.pipeline)
		r.pipeline = "default";
	return report_funnel(c, &r);
}

static int forecast_exec(struct crm *c, struct args *a)
{
	struct report_opts r;
	opts_from_args(a, &r);
	return report_forecast(c, &r);
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
	return report_leaderboard(c, &r);
}

static int sources_exec(struct crm *c, struct args *a)
{
	struct report_opts r;
	opts_from_args(a, &r);
	return report_sources(c, &r);
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
	struct satisfaction_opts o = { arg_get(a, "by"), arg_get(a, "since"), NULL };
	return satisfaction_report(c, &o);
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

static const struct opt funnel_opts[] = {
	{ "pipeline", 'p', "KEY", "the pipeline (default: default)", false },
	{ "since", 0, "WHEN", "only deals created since WHEN (a time, or a span like 90d)", false },
	OWNER_OPT,
	OPT_END
};

static const struct opt forecast_opts[] = {
	{ "by", 0, "month|week|owner", "one line per expected-close month (default), week, or owner", false },
	{ "pipeline", 'p', "KEY", "only this pipeline (default: all)", false },
	{ "since", 0, "WHEN", "count won deals closed since WHEN", false },
	OWNER_OPT,
	OPT_END
};

static const struct opt since_opts[] = {
	{ "since", 0, "WHEN", "only what happened since WHEN (a time, or a span like 30d)", false },
	OWNER_OPT,
	OPT_END
};

static const struct opt silent_opts[] = {
	{ "days", 0, "N", "silent for at least N days (default: 90 for accounts, 14 for deals)", false },
	OWNER_OPT,
	OPT_END
};

static const struct cmd_verb report_verbs[] = {
	{ "funnel", "[--pipeline P] [--since D] [--owner U]",
	  "per stage: deals and amount that reached it, conversion to the next, average days",
	  funnel_opts, DB_READ, 0, 0, funnel_exec },
	{ "forecast", "[--by month|week|owner] [--pipeline P] [--owner U]",
	  "open pipeline weighted by probability per expected close period, beside the total and won",
	  forecast_opts, DB_READ, 0, 0, forecast_exec },
	{ "cycle", "[--since D] [--owner U]",
	  "days from lead creation to won (median, p90) per source, owner, pipeline; days per stage",
	  since_opts, DB_READ, 0, 0, cycle_exec },
	{ "leaderboard", "[--since D]",
	  "per owner: won amount and deals, win rate, activities logged, open pipeline",
	  since_opts, DB_READ, 0, 0, leaderboard_exec },
	{ "sources", "[--since D] [--owner U]",
	  "per lead source: leads, qualified, converted, won deals and amount, rates",
	  since_opts, DB_READ, 0, 0, sources_exec },
	{ "silent", "[--days N] [--owner U]",
	  "accounts and open deals with no activity for N days (pipe into crm task add)",
	  silent_opts, DB_READ, 0, 0, silent_exec },
	{ "service", "[--by assignee|category|month] [--since D]",
	  "tickets opened and resolved, median first response and resolution, within SLA, backlog",
	  service_opts, DB_READ, 0, 0, service_exec },
	{ "satisfaction", "[--by month|owner|category] [--since D]",
	  "survey answers: responses, csat_pct (4-5 among CSAT), nps (9-10 minus 0-6 among NPS)",
	  satisfaction_opts, DB_READ, 0, 0, satisfaction_exec },
	{ "renewals", "[--within 90d]", "signed contracts ending within the span that have no renewal deal yet",
	  renewals_opts, DB_READ, 0, 0, renewals_exec },
	{ "health", "[--owner U]", "per account: activity, tickets, satisfaction, money past due, trend, health 0-100",
	  health_opts, DB_READ, 0, 0, health_exec },
	{ "repurchase", "", "accounts with 2+ signed contracts quiet for longer than their usual interval",
	  NULL, DB_READ, 0, 0, repurchase_exec },
	{ "receivables", "[--as-of D] [--by account|owner|contract]",
	  "what signed contracts' plans still have to receive, by days past due (not_due, d1_30 ... over_90)",
	  receivables_opts, DB_READ, 0, 0, receivables_exec },
	{ "revenue", "[--by month|quarter|owner] [--since D]",
	  "per period: contracted (signed), invoiced (issued), received (payments)",
	  revenue_opts, DB_READ, 0, 0, revenue_exec },
	{ "products", "[--since D]", "quantity and amount per product on signed contracts",
	  products_opts, DB_READ, 0, 0, products_exec },
	{ NULL }
};

const struct cmd_entry cmd_report_entry = {
	.name = "report",
	.summary = "funnel, forecast, sales cycle, leaderboard, lead sources, silent customers, receivables, "
		   "revenue, products; service, satisfaction, renewals, health, repurchase",
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
		"  close; won = deals won, by the period they closed.\n"
		"cycle: median (middle value) and p90 (nearest rank) of days from the lead's\n"
		"  creation (the deal's without a lead) to won; then average days per stage.\n"
		"leaderboard: win_pct = won / (won + lost) closed since --since.\n"
		"sources: qualified = leads now qualified or converted; won counts deals by\n"
		"  their source (carried from the lead).\n"
		"silent: prints {\"type\":\"account\"|\"deal\",\"id\",...,\"owner\"} lines, so\n"
		"  crm report silent | crm task add --title 回访 --due tomorrow  works.\n"
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
		"  d1_30, d31_60, d61_90, over_90 by days past the due date, and total.\n"
		"revenue: per month (quarter, owner) and currency: contracted = signed\n"
		"  contract amounts by signing date, invoiced = issued invoices by issue date,\n"
		"  received = payments by their date.\n"
		"products: per product and currency, the quantity and amount (the lines'\n"
		"  totals) on the quotes of signed contracts, and how many contracts.\n"
		"Money is never summed across currencies: every cash row names its currency.",
};
