/* track.c: crm track LEAD EVENT, or events as JSON lines on stdin */
#include <stdlib.h>
#include <string.h>

#include "core/cmd.h"
#include "core/db.h"
#include "core/hook.h"
#include "core/input.h"
#include "base/phone.h"
#include "core/record.h"
#include "records.h"
#include "sales/score.h"

static const struct opt track_opts[] = {
	{ "at", 0, "TIME", "when it happened (default: now)", false },
	{ "no-score", 0, NULL, "do not rescore the leads", false },
	OPT_END
};

struct track {
	long unscored;     /* events whose leads are not rescored yet */
	long uncommitted;  /* events stored since the last commit */
	bool score;
};

/* The lead an event line names: "lead" (id or lead:ID), else phone or email. */
static int event_lead(struct crm *c, const cJSON *line, long long *id)
{
	const struct type *tl = type_find(c, "lead");
	const cJSON *l = cJSON_GetObjectItem(line, "lead");
	if (!l)
		l = cJSON_GetObjectItem(line, "lead_id");
	if (cJSON_IsNumber(l)) {
		*id = (long long)l->valuedouble;
		return record_exists(c, tl, *id) ? CRM_OK : crm_error(c, CRM_BADINPUT, "no lead with id %lld", *id);
	}
	if (cJSON_IsString(l)) {
		const struct type *t;
		if (entity_parse(c, l->valuestring, "lead", &t, id))
			return CRM_BADINPUT;
		return record_exists(c, tl, *id) ? CRM_OK : crm_error(c, CRM_BADINPUT, "no lead with id %lld", *id);
	}
	const char *phone = cJSON_GetStringValue(cJSON_GetObjectItem(line, "phone"));
	const char *email = cJSON_GetStringValue(cJSON_GetObjectItem(line, "email"));
	char p[64] = "", e[320] = "";
	if (phone && phone_normalize(phone, p, sizeof(p)) != 0)
		return crm_error(c, CRM_BADINPUT, "phone: '%s' is not a phone number", phone);
	if (email && email_normalize(email, e, sizeof(e)) != 0)
		return crm_error(c, CRM_BADINPUT, "email: '%s' is not an email address", email);
	if (!*p && !*e)
		return crm_error(c, CRM_BADINPUT, "which lead? give \"lead\", \"phone\" or \"email\"");
	*id = record_find_dup(c, tl, *p ? p : NULL, *e ? e : NULL, 0);
	if (*id < 0)
		return c->errcode;
	return *id ? CRM_OK : crm_error(c, CRM_NOTFOUND, "no lead with %s %s", *p ? "phone" : "email", *p ? p : e);
}

static int rescore(struct crm *c, struct track *tr)
{
	if (!tr->unscored)
		return CRM_OK;
	tr->unscored = 0;
	if (!tr->score)
		return CRM_OK;
	int rc = score_run(c, false, false, false);
	return rc ? rc : score_targets_begin(c);
}

static int store(struct crm *c, long long lead, const char *name, const char *at, cJSON *props, struct track *tr)
{
	const struct type *te = type_find(c, "event");
	cJSON *f = cJSON_CreateObject();
	cJSON_AddNumberToObject(f, "lead_id", (double)lead);
	cJSON_AddStringToObject(f, "name", name);
	if (at)
		cJSON_AddStringToObject(f, "at", at);
	if (props && cJSON_GetArraySize(props))
		cJSON_AddItemToObject(f, "props", cJSON_Duplicate(props, true));
	long long id = 0;
	int rc = record_insert(c, te, f, 0, &id, NULL);
	cJSON_Delete(f);
	if (!rc && tr->score)
		rc = score_target_add(c, lead);
	if (!rc) {
		tr->unscored++;
		tr->uncommitted++;
	}
	if (!rc)
		rc = record_print(c, te, id);
	/* A long stream: rescore every 5000 events, so scores keep up, and
	 * commit every 50000, not one huge transaction. Not more often: each
	 * commit writes the index pages it touched again (an import of 1M
	 * rows took 105 s with 5000 per commit, 76 s with 50000). */
	if (!rc && tr->unscored >= 5000)
		rc = rescore(c, tr);
	if (!rc && tr->uncommitted >= 50000) {
		tr->uncommitted = 0;
		if (db_in_txn(c) && db_may_split(c, false))
			rc = hook_commit(c, true);
	}
	return rc;
}

static int track_line(struct crm *c, const cJSON *line, long lineno, void *arg)
{
	struct track *tr = arg;
	long long lead = 0;
	int rc = event_lead(c, line, &lead);
	if (rc)
		return rc;
	const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(line, "event"));
	if (!name)
		name = cJSON_GetStringValue(cJSON_GetObjectItem(line, "name"));
	if (!name || !*name)
		return crm_error(c, CRM_BADINPUT, "which event? give \"event\"");
	const char *at = cJSON_GetStringValue(cJSON_GetObjectItem(line, "at"));
	cJSON *props = cJSON_CreateObject();
	const cJSON *it;
	static const char *const known[] = { "lead", "lead_id", "phone", "email", "event", "name", "at", "type", "id", NULL };
	cJSON_ArrayForEach(it, line) {
		bool k = false;
		for (int i = 0; known[i] && !k; i++)
			k = !strcmp(known[i], it->string);
		if (!k)
			cJSON_AddItemToObject(props, it->string, cJSON_Duplicate(it, true));
	}
	rc = store(c, lead, name, at, props, tr);
	cJSON_Delete(props);
	return rc;
}

/* Input waits (tail -f): rescore what came so far; input.c commits. */
static int track_idle(struct crm *c, void *arg)
{
	struct track *tr = arg;
	tr->uncommitted = 0;   /* input.c commits next */
	return rescore(c, tr);
}

static int track_exec(struct crm *c, struct args *a)
{
	struct track tr = { .score = !arg_has(a, "no-score") };
	if (a->argc == 0 && input_piped())
		db_bulk(c);   /* before the temporary tables */
	int rc = tr.score ? score_targets_begin(c) : CRM_OK;
	if (rc)
		return rc;
	rec_columns(c, type_find(c, "event"));
	if (a->argc == 1)
		return cmd_usage_error(c, "which event? crm track LEAD EVENT");
	if (a->argc >= 2) {
		const struct type *t;
		long long lead;
		if (entity_parse(c, a->argv[0], "lead", &t, &lead))
			return c->errcode;
		if (strcmp(t->name, "lead"))
			return cmd_usage_error(c, "events are tracked on leads, not %s", t->name);
		if (!record_exists(c, t, lead))
			return crm_error(c, CRM_NOTFOUND, "no lead with id %lld", lead);
		cJSON *props = NULL;
		char **rest;
		int nrest;
		if ((rc = kv_parse(c, a->argc - 2, a->argv + 2, &props, &rest, &nrest)))
			return rc;
		if (nrest) {
			cJSON_Delete(props);
			free(rest);
			return cmd_usage_error(c, "'%s' is not a key=value pair", rest[0]);
		}
		free(rest);
		rc = store(c, lead, a->argv[1], arg_get(a, "at"), props, &tr);
		cJSON_Delete(props);
		return rc ? rc : rescore(c, &tr);
	}
	if (!input_piped())
		return cmd_usage_error(c, "give LEAD EVENT, or pipe events in as JSON lines");
	/* tail -f | crm track: commit and rescore whenever the input waits */
	c->commit_when_idle = true;
	c->idle = track_idle;
	c->idle_arg = &tr;
	rc = input_each_object(c, track_line, &tr);
	c->idle = NULL;
	int src = rescore(c, &tr);
	return src ? src : rc;
}

static const struct cmd_verb track_verbs[] = {
	{ "", "[LEAD EVENT [--at TIME] [KEY=VALUE ...]]",
	  "record what a lead did (page views, downloads, webinars), and rescore it",
	  track_opts, DB_WRITE, 0, -1, track_exec },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_track_entry = {
	.name = "track",
	.summary = "behaviour events: page views, downloads, webinars, demo requests",
	.verbs = track_verbs,
	.description = "From stdin, one event per JSON line: {\"lead\":42,\"event\":\"pricing_page_view\",\n"
		       "\"at\":\"...\"}, or the lead matched by \"phone\" or \"email\"; other keys are kept\n"
		       "as the event's props. So a web log can stream in:\n"
		       "  tail -f visits.jsonl | crm track\n"
		       "Events are committed and their leads rescored whenever the input waits.\n"
		       "Standard events of the default scoring model: pricing_page_view,\n"
		       "whitepaper_download, webinar, demo_request, budget_confirmed. They feed\n"
		       "has_event() and event_count() in --where and scoring rules.",
};
