/* score.c: crm score [IDS|--all] [--explain], crm score rule add|list|rm */
#include <stdlib.h>

#include "core/cmd.h"
#include "core/db.h"
#include "core/input.h"
#include "core/record.h"
#include "records.h"
#include "sales/score.h"

static const struct opt score_opts[] = {
	{ "all", 'a', NULL, "every lead", false },
	{ "explain", 'x', NULL, "print the rules each lead matched, and its total", false },
	OPT_END
};

static int target_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	if (!record_exists(c, t, id))
		return crm_error(c, CRM_NOTFOUND, "no lead with id %lld", id);
	return score_target_add(c, id);
}

static int score_exec(struct crm *c, struct args *a)
{
	bool all = arg_has(a, "all");
	if (all && a->argc)
		return cmd_usage_error(c, "--all or lead ids, not both");
	if (!all && !a->argc && !input_piped())
		return cmd_usage_error(c, "which leads? ids, JSON lines on stdin, or --all");
	int rc = CRM_OK;
	if (!all) {
		if ((rc = score_targets_begin(c)))
			return rc;
		rc = input_each(c, a->argc, a->argv, "lead", target_one, NULL);
		if (rc && rc != CRM_BADINPUT && rc != CRM_NOTFOUND)
			return rc;
		/* a pipe's last part is committed at its end: the run is a
		 * transaction of its own (a server's savepoints need one) */
		int brc = db_in_txn(c) ? CRM_OK : db_begin(c);
		if (brc)
			return brc;
	}
	if (!arg_has(a, "explain"))
		rec_columns(c, type_find(c, "lead"));
	int src = score_run(c, all, arg_has(a, "explain"), true);
	if (src)
		c->rollback = true;   /* a rule that fails (lead.qualified) undoes the scores too */
	return src ? src : rc;
}

static const struct opt rule_add_opts[] = {
	{ "when", 'w', "EXPR", "when the rule holds (an SQL expression, as in --where)", false },
	{ "points", 'p', "N", "points it adds (negative takes away)", false },
	{ "model", 'm', "MODEL", "the model (default: config score.model, else default)", false },
	OPT_END
};

static const struct opt model_opts[] = {
	{ "model", 'm', "MODEL", "the model (default: config score.model, else default)", false },
	OPT_END
};

static int rule_add_exec(struct crm *c, struct args *a)
{
	const char *when = arg_get(a, "when"), *pts = arg_get(a, "points");
	if (!when || !pts)
		return cmd_usage_error(c, "a rule needs --when EXPR and --points N");
	char *end;
	long long p = strtoll(pts, &end, 10);
	if (end == pts || *end)
		return cmd_usage_error(c, "--points: '%s' is not a whole number", pts);
	return score_rule_add(c, a->argv[0], when, p, arg_get(a, "model"));
}

static int rule_list_exec(struct crm *c, struct args *a)
{
	return score_rule_list(c, arg_get(a, "model"), NULL);
}

static int rule_rm_exec(struct crm *c, struct args *a)
{
	return score_rule_rm(c, a->argv[0], arg_get(a, "model"));
}

static const struct cmd_verb score_verbs[] = {
	{ "rule add", "NAME --when EXPR --points N [--model M]", "add a scoring rule",
	  rule_add_opts, DB_WRITE, 1, 1, rule_add_exec, VERB_ADMIN | VERB_SERVER },
	{ "rule list", "[--model M]", "list the scoring rules", model_opts, DB_READ, 0, 0, rule_list_exec, VERB_SERVER },
	{ "rule rm", "NAME [--model M]", "remove a scoring rule", model_opts, DB_WRITE, 1, 1, rule_rm_exec,
	  VERB_ADMIN | VERB_SERVER },
	{ "", "[ID ...] [--all] [--explain]", "recompute lead scores; print the leads whose score changed",
	  score_opts, DB_WRITE, 0, -1, score_exec, VERB_SERVER },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_score_entry = {
	.name = "score",
	.summary = "score leads by rules the team agrees on (MQL, SQL)",
	.verbs = score_verbs,
	.description = "A lead's score is the sum of the points of the rules whose --when holds,\n"
		       "computed for all leads in one statement. A scoring run is one entry in the\n"
		       "audit log with every lead it changed, before and after (crm log --entity\n"
		       "score; crm history shows a lead's); scores are kept apart from the lead\n"
		       "rows (a new score does not change updated_at) but read as the lead field\n"
		       "score everywhere, and crm computes it: it is not set by hand. A lead\n"
		       "reaching config score.sql (default 60) from below becomes\n"
		       "qualified (config score.mql, default 30, is the marketing threshold to\n"
		       "filter on: --where \"score >= 30\"). The default model: target industry\n"
		       "(config score.target_industries, comma-separated) +20, company_size at\n"
		       "least config score.min_company_size (default 100) +15, a decision-maker\n"
		       "title (CEO, 总监, 总经理, 负责人) +15, and events pricing_page_view +10,\n"
		       "whitepaper_download +10, webinar +20, demo_request +30, budget_confirmed\n"
		       "+25 (crm track). --explain prints each matched rule and the total.",
};
