/* report.c: crm report funnel|forecast|cycle|leaderboard|sources|silent|receivables|revenue|products */
#include "cash/reports.h"
#include "core/cmd.h"
#include "sales/report.h"

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
		   "revenue, products",
	.verbs = report_verbs,
	.description =
		"Reports print JSON lines when piped, a table with a bar chart on a terminal,\n"
		"and csv with --csv. Amounts are exact sums (currencies are not converted).\n"
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
