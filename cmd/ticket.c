/* ticket.c: crm ticket add|list|show|update|rm|reply|pending|resolve|close|reopen */
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "core/input.h"
#include "core/query.h"
#include "io/out.h"
#include "records.h"
#include "service/ticket.h"

static int ticket_show_exec(struct crm *c, struct args *a) { return rec_show(c, a, "ticket"); }
static int ticket_rm_exec(struct crm *c, struct args *a) { return rec_rm(c, a, "ticket"); }

/* assignee is the contract's word for the owner of a ticket */
static void assignee_to_owner(cJSON *f)
{
	cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(f, "assignee");
	if (!v)
		return;
	cJSON_DeleteItemFromObjectCaseSensitive(f, "owner");
	cJSON_AddItemToObject(f, "owner", v);
}

static void opt_field(const struct args *a, const char *opt, const char *field, cJSON **f)
{
	const char *v = arg_get(a, opt);
	if (!v)
		return;
	if (!*f)
		*f = cJSON_CreateObject();
	cJSON_DeleteItemFromObjectCaseSensitive(*f, field);
	cJSON_AddStringToObject(*f, field, v);
}

static int add_one(struct crm *c, const cJSON *obj, long lineno, void *arg)
{
	(void)lineno;
	(void)arg;
	const struct type *t = type_find(c, "ticket");
	const cJSON *jt = cJSON_GetObjectItemCaseSensitive(obj, "type");
	if (cJSON_IsString(jt) && type_find(c, jt->valuestring) != t)
		return crm_error(c, CRM_BADINPUT, "%s %s, not a ticket", text_article(jt->valuestring),
				 jt->valuestring);
	cJSON *f = cJSON_Duplicate(obj, true);
	assignee_to_owner(f);
	long long id;
	int rc = record_insert(c, t, f, 0, &id, NULL);
	cJSON_Delete(f);
	return rc ? rc : record_print(c, t, id);
}

static int ticket_add_exec(struct crm *c, struct args *a)
{
	cJSON *fields;
	char **rest;
	int nrest, rc;
	if ((rc = kv_parse(c, a->argc, a->argv, &fields, &rest, &nrest)))
		return rc;
	if (nrest) {
		rc = cmd_usage_error(c, "'%s' is not a field=value pair", rest[0]);
		goto cleanup;
	}
	opt_field(a, "account", "account_id", &fields);
	opt_field(a, "contact", "contact_id", &fields);
	opt_field(a, "assignee", "owner", &fields);
	opt_field(a, "title", "title", &fields);
	opt_field(a, "priority", "priority", &fields);
	opt_field(a, "category", "category", &fields);
	rec_columns(c, type_find(c, "ticket"));
	if (!fields) {
		if (!input_piped()) {
			rc = cmd_usage_error(c, "no fields given (--account ID title=... or JSON lines on stdin)");
			goto cleanup;
		}
		rc = input_each_object(c, add_one, NULL);
		goto cleanup;
	}
	rc = add_one(c, fields, 0, NULL);
cleanup:
	cJSON_Delete(fields);
	free(rest);
	return rc;
}

static int ticket_list_exec(struct crm *c, struct args *a)
{
	const struct type *t = type_find(c, "ticket");
	struct query q;
	if (query_from_args(c, a, &q))
		return c->errcode;
	if (a->argc)
		return cmd_usage_error(c, "unexpected argument '%s' (filters are options: --where ...)", a->argv[0]);
	struct ticket_filter f = {
		.breached = arg_has(a, "breached"),
		.due_within = arg_get(a, "due-within"),
		.assignee = arg_get(a, "assignee"),
	};
	char *extra = NULL;
	int rc = ticket_filter_sql(c, &f, &extra);
	if (rc)
		return rc;
	q.filter = extra;
	rec_columns(c, t);
	rc = query_list(c, t, &q);
	free(extra);
	return rc;
}

static int update_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	int rc = record_check_fresh(c, t, id, line);
	if (!rc)
		rc = record_update(c, t, id, arg, 0);
	return rc ? rc : record_print(c, t, id);
}

static int ticket_update_exec(struct crm *c, struct args *a)
{
	const struct type *t = type_find(c, "ticket");
	cJSON *fields;
	char **rest;
	int nrest, rc;
	if ((rc = kv_parse(c, a->argc, a->argv, &fields, &rest, &nrest)))
		return rc;
	opt_field(a, "assignee", "owner", &fields);
	opt_field(a, "priority", "priority", &fields);
	opt_field(a, "category", "category", &fields);
	if (!fields) {
		rc = cmd_usage_error(c, "nothing to change: give field=value pairs");
	} else {
		assignee_to_owner(fields);
		rec_columns(c, t);
		rc = input_each(c, nrest, rest, "ticket", update_one, fields);
	}
	cJSON_Delete(fields);
	free(rest);
	return rc;
}

struct reply_args {
	const char *text, *kind;
};

static int reply_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	const struct reply_args *r = arg;
	int rc = record_check_fresh(c, t, id, line);
	return rc ? rc : ticket_reply(c, id, r->text, r->kind);
}

static int ticket_reply_exec(struct crm *c, struct args *a)
{
	struct reply_args r = { a->argv[a->argc - 1], arg_get(a, "type") };
	char *text = text_trim(r.text);
	bool empty = !*text;
	free(text);
	if (empty)
		return cmd_usage_error(c, "the reply is empty: what did you tell the customer?");
	rec_columns(c, type_find(c, "ticket"));
	if (a->argc == 1 && !input_piped())
		return cmd_usage_error(c, "give the ticket and the text: crm ticket reply 3 \"...\"");
	return input_each(c, a->argc - 1, a->argv, "ticket", reply_one, &r);
}

struct move_args {
	const char *verb, *note;
};

static int move_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	const struct move_args *m = arg;
	int rc = record_check_fresh(c, t, id, line);
	return rc ? rc : ticket_move(c, id, m->verb, m->note);
}

static int move(struct crm *c, struct args *a, const char *verb)
{
	struct move_args m = { verb, arg_get(a, "note") };
	rec_columns(c, type_find(c, "ticket"));
	return input_each(c, a->argc, a->argv, "ticket", move_one, &m);
}

static int ticket_pending_exec(struct crm *c, struct args *a) { return move(c, a, "pending"); }
static int ticket_resolve_exec(struct crm *c, struct args *a) { return move(c, a, "resolve"); }
static int ticket_close_exec(struct crm *c, struct args *a) { return move(c, a, "close"); }
static int ticket_reopen_exec(struct crm *c, struct args *a) { return move(c, a, "reopen"); }

static const struct opt add_opts[] = {
	{ "account", 0, "ID", "the customer's account (id or name); default: the contact's", false },
	{ "contact", 0, "ID", "the contact who raised it", false },
	{ "assignee", 0, "USER", "who handles it (default: you)", false },
	{ "title", 't', "TEXT", "what it is about (or title=...)", false },
	{ "priority", 'p', "low|normal|high|urgent", "default normal", false },
	{ "category", 0, "TEXT", "a category of your own (安装, 账单, ...)", false },
	OPT_END
};

static const struct opt update_opts[] = {
	{ "assignee", 0, "USER", "hand it to USER", false },
	{ "priority", 'p', "low|normal|high|urgent", "a new priority (the clocks follow it)", false },
	{ "category", 0, "TEXT", "a new category", false },
	OPT_END
};

static const struct opt list_opts[] = {
	{ "breached", 0, NULL, "only tickets past an SLA due time (breached is not empty)", false },
	{ "due-within", 0, "SPAN", "only unresolved tickets whose next due time comes within SPAN (4h, 1d)", false },
	{ "assignee", 0, "USER", "only tickets USER handles", false },
	LIST_OPTS,
	OPT_END
};

static const struct opt reply_opts[] = {
	{ "type", 't', "KIND", "call, meeting, email, visit, wechat or note (default)", false },
	OPT_END
};

static const struct opt note_opts[] = {
	{ "note", 0, "TEXT", "why (kept as an activity of the ticket)", false },
	OPT_END
};

static const struct cmd_verb ticket_verbs[] = {
	{ "add", "--account ID [--contact ID] title=... [priority=low|normal|high|urgent] [category=...] [--assignee U]",
	  "open a ticket for a customer (or one per JSON line on stdin)", add_opts, DB_WRITE, 0, -1, ticket_add_exec,
	  VERB_SERVER },
	{ "list", "[--breached] [--due-within SPAN] [--status S] [--assignee U] [--where EXPR] ...",
	  "list tickets matching the filters (exit 1 if none)", list_opts, DB_READ, 0, 0, ticket_list_exec, VERB_SERVER },
	{ "show", "[ID ...]", "print tickets by id, or the ids in JSON lines on stdin", NULL, DB_READ, 0, -1,
	  ticket_show_exec, VERB_SERVER },
	{ "update", "[ID ...] FIELD=VALUE ... [--assignee U] [--priority P]",
	  "change fields of tickets (ids, or JSON lines on stdin); not the status", update_opts, DB_WRITE, 0, -1,
	  ticket_update_exec, VERB_SERVER },
	{ "rm", "[--purge] [ID ...]", "remove tickets (crm restore brings them back unless --purge)", rec_rm_opts,
	  DB_WRITE, 0, -1, ticket_rm_exec, VERB_SERVER },
	{ "reply", "ID TEXT [--type KIND]", "answer the customer: an activity on the ticket; new or pending become open",
	  reply_opts, DB_WRITE, 1, 2, ticket_reply_exec, VERB_SERVER },
	{ "pending", "[ID ...] [--note T]", "wait on the customer (the SLA clocks stop until a reply)", note_opts,
	  DB_WRITE, 0, -1, ticket_pending_exec, VERB_SERVER },
	{ "resolve", "[ID ...] [--note T]", "mark tickets resolved (from new, open or pending)", note_opts,
	  DB_WRITE, 0, -1, ticket_resolve_exec, VERB_SERVER },
	{ "close", "[ID ...] [--note T]", "close resolved tickets", note_opts, DB_WRITE, 0, -1, ticket_close_exec,
	  VERB_SERVER },
	{ "reopen", "[ID ...] [--note T]", "reopen resolved or closed tickets (they become open)", note_opts,
	  DB_WRITE, 0, -1, ticket_reopen_exec, VERB_SERVER },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_ticket_entry = {
	.name = "ticket",
	.summary = "service tickets: a customer's problem, with SLA clocks",
	.verbs = ticket_verbs,
	.description =
		"Ticket fields: title (required), account_id, contact_id, priority (low, normal,\n"
		"high, urgent; default normal), category, status, owner (the assignee; assignee\n"
		"shows the same, and an import's assignee or 受理人 column fills it),\n"
		"opened_at, first_response_at, resolved_at, closed_at, tags, note (custom fields\n"
		"are for leads, accounts, contacts and deals); first_response_due, resolve_due\n"
		"and breached are computed whenever a ticket is read.\n"
		"Status: new -> open (the first reply) -> pending (waiting on the customer) ->\n"
		"resolved -> closed; a reply takes pending back to open; reopen takes resolved or\n"
		"closed to open. A move the status does not allow exits 4 and says which\n"
		"statuses allow it. Replies and --note are activities on the ticket (crm history\n"
		"ticket:ID, and the account's history); the first reply, by anyone, sets\n"
		"first_response_at.\n"
		"SLA: config sla.PRIORITY = FIRST/RESOLVE spans (defaults sla.urgent 1h/4h,\n"
		"sla.high 4h/1d, sla.normal 8h/3d, sla.low 1d/7d); both clocks start at opened_at.\n"
		"With sla.hours (e.g. \"09:00-18:00 1-5\", 1 = Monday) only business hours count\n"
		"and a day (d) is one business day (9h there), a week (w) its open days; else\n"
		"every hour counts. Time pending, and between a resolution and a reopen, does not\n"
		"count; while a ticket is pending its due times show where they would be if it\n"
		"went on now. breached lists the clocks past due (first_response, resolve); a\n"
		"first response is not owed once the ticket is resolved. crm automate tick fires\n"
		"ticket.breached once per clock and ticket, for escalation rules:\n"
		"  crm rule add 超时升级 --on ticket.breached --do 'notify 工单超时 --to manager'\n"
		"Events: ticket.created, ticket.updated, ticket.replied, ticket.pending,\n"
		"ticket.resolved, ticket.closed, ticket.reopened, ticket.breached.",
};
