/* survey.c: crm survey add|list|show|update|rm */
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "core/input.h"
#include "io/out.h"
#include "records.h"

RECORD_HANDLERS(survey)

struct answer {
	const char *csat, *nps, *comment, *at;
};

static cJSON *answer_fields(const struct answer *an, const char *entity)
{
	cJSON *f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "entity", entity);
	if (an->csat)
		cJSON_AddStringToObject(f, "csat", an->csat);
	if (an->nps)
		cJSON_AddStringToObject(f, "nps", an->nps);
	if (an->comment)
		cJSON_AddStringToObject(f, "comment", an->comment);
	if (an->at)
		cJSON_AddStringToObject(f, "at", an->at);
	return f;
}

static int answer_add(struct crm *c, const struct answer *an, const char *entity)
{
	const struct type *t = type_find(c, "survey");
	cJSON *f = answer_fields(an, entity);
	long long id;
	int rc = record_insert(c, t, f, 0, &id, NULL);
	cJSON_Delete(f);
	return rc ? rc : record_print(c, t, id);
}

/* A survey about each record piped in: a ticket, account or contact. */
static int add_for_line(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	(void)line;
	char *entity = xasprintf("%s:%lld", t->name, id);
	int rc = answer_add(c, arg, entity);
	free(entity);
	return rc;
}

static int add_exec(struct crm *c, struct args *a)
{
	struct answer an = { arg_get(a, "csat"), arg_get(a, "nps"), arg_get(a, "comment"), arg_get(a, "at") };
	if (!an.csat && !an.nps) {
		/* no answer given: surveys from field=value or JSON lines of fields */
		if (a->argc && !strchr(a->argv[0], '=') && strchr(a->argv[0], ':'))
			return cmd_usage_error(c, "what was the answer? --csat 1-5 or --nps 0-10");
		return survey_add_exec(c, a);
	}
	if (an.csat && an.nps)
		return cmd_usage_error(c, "one answer at a time: --csat 1-5 or --nps 0-10, not both");
	rec_columns(c, type_find(c, "survey"));
	if (a->argc > 1)
		return cmd_usage_error(c, "unexpected argument '%s' (one ENTITY)", a->argv[1]);
	if (a->argc == 1) {
		const struct type *t;
		long long id;
		if (!strchr(a->argv[0], ':'))
			return cmd_usage_error(c, "'%s': say which record, as TYPE:ID (ticket:3, account:2, contact:5)",
					       a->argv[0]);
		if (entity_parse(c, a->argv[0], NULL, &t, &id))
			return c->errcode;
		/* another's is exit 5, on a server too (its policy hides it) */
		int rc = record_access(c, t, id, false);
		if (rc)
			return rc;
		if (!record_exists(c, t, id))
			return crm_error(c, CRM_NOTFOUND, "no %s with id %lld", t->name, id);
		char *entity = xasprintf("%s:%lld", t->name, id);
		rc = answer_add(c, &an, entity);
		free(entity);
		return rc;
	}
	if (!input_piped())
		return cmd_usage_error(c, "which record is it about? crm survey add ticket:3 --csat 5");
	return input_each(c, 0, NULL, NULL, add_for_line, &an);
}

static const struct opt add_opts[] = {
	{ "csat", 0, "1-5", "a CSAT answer: how satisfied (4 and 5 count as satisfied)", false },
	{ "nps", 0, "0-10", "an NPS answer: how likely to recommend (9-10 promoters, 0-6 detractors)", false },
	{ "comment", 'm', "TEXT", "what the customer said", false },
	{ "at", 0, "WHEN", "when it was answered (default: now)", false },
	OPT_END
};

static const struct opt update_opts[] = {
	OPT_END
};

static const struct cmd_verb survey_verbs[] = {
	{ "add", "ENTITY (--csat 1-5 | --nps 0-10) [--comment T] [--at D]",
	  "record a customer's answer about a ticket, account or contact (or each record piped in)",
	  add_opts, DB_WRITE, 0, -1, add_exec, VERB_SERVER },
	{ "list", "[--where EXPR] [--owner U] [--since D] [--sort F] [--limit N]",
	  "list surveys matching the filters (exit 1 if none)", rec_list_opts, DB_READ, 0, 0, survey_list_exec, VERB_SERVER },
	{ "show", "[ID ...]", "print surveys by id, or the ids in JSON lines on stdin", NULL, DB_READ, 0, -1,
	  survey_show_exec, VERB_SERVER },
	{ "update", "[ID ...] FIELD=VALUE ...", "change fields of surveys (ids, or JSON lines on stdin)",
	  update_opts, DB_WRITE, 1, -1, survey_update_exec, VERB_SERVER },
	{ "rm", "[--purge] [ID ...]", "remove surveys (crm restore brings them back unless --purge)", rec_rm_opts,
	  DB_WRITE, 0, -1, survey_rm_exec, VERB_SERVER },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_survey_entry = {
	.name = "survey",
	.summary = "satisfaction surveys: CSAT (1-5) and NPS (0-10) answers",
	.verbs = survey_verbs,
	.description =
		"Survey fields: entity (ticket:ID, account:ID or contact:ID; required), csat\n"
		"(1-5) or nps (0-10), exactly one of them, comment, at (default now), tags; and\n"
		"from what it is about: account_id, owner (the ticket's, account's or contact's\n"
		"owner) and category (a ticket's). Each new survey fires survey.received:\n"
		"  crm rule add 差评回访 --on survey.received --when 'nps <= 6' \\\n"
		"      --do 'task 回访不满意客户 --due +1d --owner owner'\n"
		"With no ENTITY, one survey for each record piped in:\n"
		"  crm ticket list --status resolved --since 7d | crm survey add --csat 5\n"
		"crm report satisfaction sums them up.",
};
