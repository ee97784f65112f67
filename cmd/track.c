/* track.c: crm track LEAD EVENT, or events as JSON lines on stdin */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "core/audit.h"
#include "core/bulk.h"
#include "core/cmd.h"
#include "base/date.h"
#include "core/db.h"
#include "core/hook.h"
#include "core/input.h"
#include "core/progress.h"
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
	struct bulk *b;       /* the events' writer (core/bulk.h) */
	bool score;
	long pending;         /* events whose leads are not rescored yet */
	long uncommitted;     /* events stored since the last commit */
	struct progress pg;
};

/* The lead an event line names: "lead" (id or lead:ID), else phone or email. */
static int event_lead(struct crm *c, const cJSON *line, long long *id)
{
	const struct type *tl = type_find(c, "lead");
	const cJSON *l = cJSON_GetObjectItem(line, "lead");
	if (!l)
		l = cJSON_GetObjectItem(line, "lead_id");
	/* by id: that it is a live lead is the event's lead_id field's own
	 * check (record_prepare), said as "no lead with id N" by store */
	if (cJSON_IsNumber(l)) {
		*id = (long long)l->valuedouble;
		return CRM_OK;
	}
	if (cJSON_IsString(l)) {
		const struct type *t;
		if (entity_parse(c, l->valuestring, "lead", &t, id))
			return CRM_BADINPUT;
		return strcmp(t->name, "lead") ? crm_error(c, CRM_BADINPUT, "%s is not a lead", l->valuestring) : CRM_OK;
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

/* The end of a batch (before it commits, in its transaction): the leads
 * its events touched are rescored, each once, and the batch is one entry
 * in the audit log. Events are facts: no audit row each. */
static int batch_end(struct crm *c, void *arg)
{
	struct track *tr = arg;
	struct bulk_batch bt = bulk_batch_take(tr->b);
	long long leads = tr->pending && tr->score ? score_targets_count(c) : 0;
	int rc = leads < 0 ? c->errcode : CRM_OK;
	if (!rc && tr->pending && tr->score) {
		rc = score_run(c, false, false, false);
		if (!rc)
			rc = score_targets_begin(c);
	}
	tr->pending = 0;
	tr->uncommitted = 0;
	if (!rc && bt.n) {
		cJSON *a = cJSON_CreateObject();
		cJSON_AddNumberToObject(a, "events", (double)bt.n);
		cJSON_AddNumberToObject(a, "first_id", (double)bt.first);
		cJSON_AddNumberToObject(a, "last_id", (double)bt.last);
		if (tr->score)
			cJSON_AddNumberToObject(a, "leads_rescored", (double)leads);
		char *after = cJSON_PrintUnformatted(a);
		rc = audit_log(c, "track", "track", NULL, after);
		cJSON_free(after);
		cJSON_Delete(a);
	}
	return rc;
}

static int store(struct crm *c, long long lead, const char *name, const char *at, cJSON *props, struct track *tr)
{
	const struct type *te = type_find(c, "event");
	/* an event is something that happened: not before 2000 (a clock at
	 * 1970, a typo), not more than a day ahead (a clock set wrong) */
	time_t when;
	int date_only;
	static time_t y2k_t;   /* once: mktime reads the zone rules each time */
	if (!y2k_t) {
		struct tm y2k = { .tm_year = 100, .tm_mday = 1, .tm_isdst = -1 };
		y2k_t = mktime(&y2k);
	}
	if (at && date_parse(at, date_now(), &when, &date_only) == 0) {
		if (when < y2k_t)
			return crm_error(c, CRM_BADINPUT, "at: '%s' is before 2000: not an event crm tracks", at);
		if (when > date_now() + 86400)
			return crm_error(c, CRM_BADINPUT, "at: '%s' is more than a day in the future", at);
	}
	cJSON *f = cJSON_CreateObject();
	cJSON_AddNumberToObject(f, "lead_id", (double)lead);
	cJSON_AddStringToObject(f, "name", name);
	if (at)
		cJSON_AddStringToObject(f, "at", at);
	if (props && cJSON_GetArraySize(props))
		cJSON_AddItemToObject(f, "props", cJSON_Duplicate(props, true));
	long long id = 0;
	struct rec r;
	int rc = record_prepare(c, te, f, 0, &r);
	cJSON_Delete(f);
	if (rc && !strncmp(c->errmsg, "lead_id: no lead", 16))
		return crm_error(c, CRM_BADINPUT, "no lead with id %lld", lead);
	if (rc)
		return rc;
	rc = bulk_insert(tr->b, &r, 0, &id);
	if (!rc && tr->score)
		rc = score_target_add(c, lead);
	if (!rc) {
		tr->pending++;
		tr->uncommitted++;
		rc = record_emit_vals(c, te, id, r.vals);
	}
	rec_release(&r);
	/* A long stream commits every 50000 events or half a second, which
	 * ever comes first (another writer waits that long at most), each
	 * commit rescoring the leads its events touched. */
	if (!rc && (tr->uncommitted >= 50000 || db_txn_seconds(c) >= DB_TXN_MAX_SECONDS)
	    && db_in_txn(c) && db_may_split(c, false))
		rc = hook_commit_bulk(c);
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
	if ((lineno & 255) == 0) {
		off_t pos = lseek(STDIN_FILENO, 0, SEEK_CUR), size = lseek(STDIN_FILENO, 0, SEEK_END);
		if (pos >= 0 && size > 0)
			lseek(STDIN_FILENO, pos, SEEK_SET);
		progress_update(&tr->pg, lineno, pos > 0 && size > 0 ? (double)pos / (double)size : -1);
	}
	return rc;
}

static int track_exec(struct crm *c, struct args *a)
{
	struct track tr = { .score = !arg_has(a, "no-score") };
	bool stream = a->argc == 0;
	if (a->argc == 1)
		return cmd_usage_error(c, "which event? crm track LEAD EVENT");
	if (stream && !input_piped())
		return cmd_usage_error(c, "give LEAD EVENT, or pipe events in as JSON lines");
	/* before the temporary tables; 128 MB: the leads it looks up and
	 * rescores are all over the lead table */
	if (stream)
		db_bulk(c, 128);
	int rc = tr.score ? score_targets_begin(c) : CRM_OK;
	if (rc)
		return rc;
	const struct type *te = type_find(c, "event");
	rec_columns(c, te);
	struct bulk_opts bo = { .on_commit = batch_end, .arg = &tr };
	tr.b = bulk_open(c, te, &bo);
	if (!tr.b)
		return c->errcode;
	if (!stream) {
		const struct type *t;
		long long lead;
		if (entity_parse(c, a->argv[0], "lead", &t, &lead)) {
			rc = c->errcode;
		} else if (strcmp(t->name, "lead")) {
			rc = cmd_usage_error(c, "events are tracked on leads, not %s", t->name);
		} else if ((rc = record_access(c, t, lead, false))) {
			/* one the user may not see: exit 5 naming it (a server's
			 * row-level security would hide it as none) */
		} else if (!record_exists(c, t, lead)) {
			rc = crm_error(c, CRM_NOTFOUND, "no lead with id %lld", lead);
		} else {
			cJSON *props = NULL;
			char **rest;
			int nrest;
			if (!(rc = kv_parse(c, a->argc - 2, a->argv + 2, &props, &rest, &nrest))) {
				if (nrest)
					rc = cmd_usage_error(c, "'%s' is not a key=value pair", rest[0]);
				free(rest);
				if (!rc)
					rc = store(c, lead, a->argv[1], arg_get(a, "at"), props, &tr);
				cJSON_Delete(props);
			}
		}
	} else {
		progress_begin(&tr.pg, c, "track", "events");
		/* tail -f | crm track: commit (and rescore) whenever the input waits */
		c->commit_when_idle = true;
		/* pages read in place from the file's mapping: every event
		 * lands on a random page of the lead table (its check, its
		 * foreign key, its rescoring), most of them missing the cache
		 * (a fifth less CPU at a million events than a pread each) */
		db_read_mapped(c, true);
		rc = input_each_object(c, track_line, &tr);
		db_read_mapped(c, false);
		progress_end(&tr.pg);
	}
	/* the last batch: main's commit does not go through hook_commit */
	int src = db_in_txn(c) ? batch_end(c, &tr) : CRM_OK;
	bulk_close(tr.b);
	return src ? src : rc;
}

static const struct cmd_verb track_verbs[] = {
	{ "", "[LEAD EVENT [--at TIME] [KEY=VALUE ...]]",
	  "record what a lead did (page views, downloads, webinars), and rescore it",
	  track_opts, DB_WRITE, 0, -1, track_exec, VERB_SERVER },
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
		       "Events are facts: they are stored by the batch (a commit every 50000 events\n"
		       "or half a second, and whenever the input waits), each batch one entry in the\n"
		       "audit log (crm log --entity track) and one rescoring of every lead it\n"
		       "touched; rules on event.tracked and the on-event.tracked hook still see each\n"
		       "event. A progress line shows on a terminal.\n"
		       "Standard events of the default scoring model: pricing_page_view,\n"
		       "whitepaper_download, webinar, demo_request, budget_confirmed. They feed\n"
		       "has_event() and event_count() in --where and scoring rules.",
};
