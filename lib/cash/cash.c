/* cash.c: the cash module: its record types, what it does when records
 * change, its SQL function, the field it adds to deals, its settings and
 * its part of crm automate tick (the layer itself: cash.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cash/cash.h"
#include "cash/price.h"
#include "cash/common.h"
#include "cash/contract.h"
#include "cash/invoice.h"
#include "cash/order.h"
#include "cash/payment.h"
#include "cash/plan.h"
#include "cash/product.h"
#include "cash/quote.h"
#include "core/config.h"
#include "core/db.h"
#include "core/event.h"
#include "io/out.h"

static const struct type *const cash_types[] = {
	&product_type, &quote_type, &quote_line_type, &contract_type, &order_type, &plan_type, &payment_type,
	&invoice_type, NULL,
};

/* A renewal deal names the contract it renews. */
static const struct field deal_fields[] = {
	{ "renewal_of", FK_REF, 0, NULL, "contract", "续约合同", NULL },
};

static const struct type_extension cash_extends[] = {
	{ "deal", deal_fields, 1 },
	{ NULL, NULL, 0 },
};

static int line_restored(struct crm *c, const struct change *ch)
{
	const cJSON *q = cJSON_GetObjectItem(ch->after, "quote_id");
	char *status = cJSON_IsNumber(q) ? cash_status(c, "quote", (long long)q->valuedouble) : NULL;
	int rc = CRM_OK;
	if (status && strcmp(status, "draft"))
		rc = crm_error(c, CRM_CONFLICT, "quote:%lld is %s: only a draft can be edited", (long long)q->valuedouble,
			       status);
	free(status);
	return rc;
}

static const struct subscriber cash_subscribers[] = {
	{ "approval.approved", contract_on_approval, 0 },
	{ "approval.rejected", contract_on_approval, 0 },
	{ "contract.removed", contract_on_removed, 0 },
	{ "quote.removed", contract_on_quote_removed, 0 },
	{ "plan.removed", plan_on_removed, 0 },
	{ "payment.removed", payment_on_removed, 0 },
	{ "payment.restored", payment_on_restored, 0 },
	{ "quote_line.restored", line_restored, 0 },
	{ NULL, NULL, 0 },
};

/* approval.discount_over: as quote send reads it */
static int is_percent(const char *value)
{
	int bp;
	return price_parse_pct(value, &bp);
}

static const struct config_key cash_config_keys[] = {
	{ "tax.included", "true", "quote prices include tax (false: the tax is added on top)",
	  config_is_bool, "true or false" },
	{ "approval.discount_over", NULL, "a quote with a discount over this percent needs approval to be sent",
	  is_percent, "a percentage (15 or 15%)" },
	{ "approval.quote.steps", "manager", "who approves a quote, in order: roles or user names, comma-separated" },
	{ "approval.contract.amount_over", NULL, "a contract over this amount needs approval when submitted",
	  config_is_amount, "an amount of money" },
	{ "approval.contract.steps", "manager", "who approves a contract, in order: roles or user names" },
	{ "company.name", NULL, "the company on quote documents (crm quote print)" },
	{ "company.address", NULL, "its address, on quote documents" },
	{ "company.phone", NULL, "its phone, on quote documents" },
	{ "company.tax_number", NULL, "its tax number (纳税人识别号), on quote documents" },
	{ "renewal.remind_days", "30", "contract.expiring fires this many days before a signed contract ends",
	  config_is_count, "a whole number of days" },
	{ "plan.remind_days", "3", "plan.due fires this many days before a plan is due",
	  config_is_count, "a whole number of days" },
	{ NULL, NULL, NULL },
};

/* ---- the clock's events ---- */

struct clock_event {
	const char *event, *type;
	const char *where;   /* over the type's table "r": ?1 today, ?2 today + the event's days */
	const char *days_key;
	long long days;
};

#define PLAN_OPEN "r.amount > (SELECT coalesce(sum(a.amount), 0) FROM payment_alloc AS a WHERE a.plan_id = r.id)"

static const struct clock_event clock_events[] = {
	{ "quote.expired", "quote", "r.status = 'sent' AND r.valid_until < ?1", NULL, 0 },
	{ "contract.expiring", "contract", "r.status = 'signed' AND r.\"end\" >= ?1 AND r.\"end\" <= ?2",
	  "renewal.remind_days", 30 },
	{ "plan.due", "plan", "r.due >= ?1 AND r.due <= ?2 AND " PLAN_OPEN, "plan.remind_days", 3 },
	{ "plan.overdue", "plan", "r.due < ?1 AND " PLAN_OPEN, NULL, 0 },
};

static int clock_fire(struct crm *c, const struct clock_event *e, const char *today, bool dry, long *fired)
{
	long long days = e->days_key ? config_get_int(c, e->days_key, e->days) : 0;
	char *sql = xasprintf("SELECT r.id FROM \"%s\" AS r WHERE r.deleted_at IS NULL AND %s AND NOT EXISTS "
			      "(SELECT 1 FROM cash_fired AS f WHERE f.event = '%s' AND f.entity = '%s:' || r.id) "
			      "ORDER BY r.id", e->type, e->where, e->event, e->type);
	struct db_stmt *st;
	int rc = db_prepare(c, sql, -1, &st, NULL);
	free(sql);
	if (rc != DB_OK)
		return crm_dberror(c, rc, "tick");
	char until[DATE_BUFSZ];
	if (!*date_add_days(today, days < 0 ? 0 : days, until))
		snprintf(until, sizeof(until), "%s", today);
	db_bind_text(st, 1, today, -1, DB_TRANSIENT);
	db_bind_text(st, 2, until, -1, DB_TRANSIENT);
	long long *ids;
	int n;
	if ((rc = db_ids(c, st, &ids, &n)))
		return rc;
	char now[DATE_BUFSZ];
	date_format(date_now(), now);
	for (int i = 0; i < n && !rc; i++) {
		char ent[64];
		snprintf(ent, sizeof(ent), "%s:%lld", e->type, ids[i]);
		if (!dry) {
			rc = record_announce(c, type_find(c, e->type), ids[i], e->event, NULL);
			struct db_stmt *ins = rc ? NULL : db_stmt(c, "INSERT INTO cash_fired(event, entity, at) "
								    "VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
			if (!rc && !ins)
				rc = c->errcode;
			if (ins) {
				db_bind_text(ins, 1, e->event, -1, DB_STATIC);
				db_bind_text(ins, 2, ent, -1, DB_TRANSIENT);
				db_bind_text(ins, 3, now, -1, DB_TRANSIENT);
				int src = db_step(ins);
				db_reset(ins);
				if (src != DB_DONE)
					rc = crm_dberror(c, src, "tick");
			}
		}
		if (rc)
			break;
		out_begin(c->out);
		out_str(c->out, "type", "fired");
		out_str(c->out, "event", e->event);
		out_str(c->out, "entity", ent);
		if (dry)
			out_bool(c->out, "dry_run", true);
		out_end(c->out);
		(*fired)++;
	}
	free(ids);
	return rc;
}

static int cash_tick(struct crm *c, bool all, bool dry)
{
	(void)all;   /* the clock's events are due when they are due */
	char today[DATE_BUFSZ];
	cash_today(today);
	if (dry)
		c->rollback = c->dry_run = true;
	long fired = 0;
	int rc = CRM_OK;
	for (size_t i = 0; i < sizeof(clock_events) / sizeof(clock_events[0]) && !rc; i++)
		rc = clock_fire(c, &clock_events[i], today, dry, &fired);
	return rc ? rc : fired ? CRM_OK : CRM_NOTFOUND;
}

const struct module cash_module = {
	.name = "cash",
	.types = cash_types,
	.subscribers = cash_subscribers,
	.tick = cash_tick,
	.config_keys = cash_config_keys,
	.open = quote_sql_register,
	.extends = cash_extends,
};
