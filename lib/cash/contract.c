/* contract.c: the contract type and its verbs (contract.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/money.h"
#include "cash/common.h"
#include "cash/contract.h"
#include "cash/quote.h"
#include "core/config.h"
#include "core/db.h"
#include "sales/approval.h"
#include "sales/pipeline.h"

#define TODAY "substr(crm_now(), 1, 10)"
#define RECEIVED "(SELECT coalesce(sum(p.amount), 0) FROM payment AS p WHERE p.contract_id = r.id " \
	"AND p.deleted_at IS NULL)"

static const struct field contract_fields[] = {
	FIELD_ID,
	{ "number", FK_TEXT, FF_KEY | FF_SEARCH | FF_LIST, NULL, NULL, "合同编号", NULL },
	{ "name", FK_TEXT, FF_SEARCH | FF_LIST, NULL, NULL, "合同名称", NULL },
	{ "deal_id", FK_REF, FF_PARENT, NULL, "deal", "商机编号", NULL },
	{ "account_id", FK_REF, 0, NULL, "account", "客户编号", NULL },
	{ "quote_id", FK_REF, 0, NULL, "quote", "报价单编号", NULL },
	{ "amount", FK_MONEY, FF_LIST, NULL, NULL, "合同金额", NULL },
	{ "currency", FK_TEXT, 0, NULL, NULL, "币种", NULL },
	{ "start", FK_DATE, FF_REQUIRED, NULL, NULL, "开始日期", NULL },
	{ "end", FK_DATE, FF_REQUIRED | FF_LIST, NULL, NULL, "结束日期", NULL },
	{ "status", FK_ENUM, FF_LIST, "draft,pending,approved,signed,terminated", NULL, "状态", "draft",
	  "CASE WHEN r.status = 'signed' AND r.\"end\" < " TODAY " THEN 'expired' ELSE r.status END" },
	{ "submitted_at", FK_TIME, FF_SYSTEM, NULL, NULL, "提交时间", NULL },
	{ "signed_at", FK_DATE, FF_SYSTEM, NULL, NULL, "签订日期", NULL },
	{ "terminated_at", FK_TIME, FF_SYSTEM, NULL, NULL, "终止时间", NULL },
	{ "terminate_reason", FK_TEXT, FF_SYSTEM, NULL, NULL, "终止原因", NULL },
	{ "received", FK_MONEY, FF_COMPUTED | FF_LIST, NULL, NULL, "已回款", NULL, RECEIVED },
	{ "unreceived", FK_MONEY, FF_COMPUTED | FF_LIST, NULL, NULL, "未回款", NULL,
	  "SELECT max(u.v) FROM (SELECT r.amount - " RECEIVED " AS v UNION ALL SELECT 0) AS u" },
	{ "invoiced", FK_MONEY, FF_COMPUTED, NULL, NULL, "已开票", NULL,
	  "SELECT coalesce(sum(i.amount), 0) FROM invoice AS i WHERE i.contract_id = r.id "
	  "AND i.status = 'issued' AND i.deleted_at IS NULL" },
	{ "owner", FK_TEXT, FF_LIST, NULL, NULL, "负责人", NULL },
	FIELD_TAGS, FIELD_NOTE, FIELD_STAMPS,
};

/* ---- behaviour ---- */

static int contract_check(struct crm *c, const struct type *t, const cJSON *fields, bool inserting,
			  unsigned flags)
{
	(void)t;
	if (flags & REC_SYSTEM)
		return CRM_OK;
	if (cJSON_GetObjectItemCaseSensitive(fields, "status"))
		return crm_error(c, CRM_BADINPUT, "status: a contract %s", inserting ? "starts as a draft"
				 : "changes status with crm contract submit, sign or terminate, not by hand");
	if (inserting && !cJSON_GetObjectItemCaseSensitive(fields, "quote_id")
	    && !cJSON_GetObjectItemCaseSensitive(fields, "quote")
	    && !cJSON_GetObjectItemCaseSensitive(fields, "deal_id") && !cJSON_GetObjectItemCaseSensitive(fields, "deal"))
		return crm_error(c, CRM_BADINPUT, "a contract is made from a quote (--quote ID) or a deal "
				 "(--deal ID amount=...)");
	return CRM_OK;
}

static int from_quote(struct crm *c, struct rec *r, long long q, unsigned flags)
{
	char idtxt[24];
	snprintf(idtxt, sizeof(idtxt), "%lld", q);
	char *status = cash_status(c, "quote", q);
	int rc = CRM_OK;
	if (!(flags & REC_SYSTEM) && status && strcmp(status, "accepted"))
		rc = crm_error(c, CRM_CONFLICT, "quote:%lld is %s: a contract is made from an accepted quote "
			       "(crm quote accept %lld)", q, status, q);
	free(status);
	if (rc)
		return rc;
	long long other = db_get_int(c, "SELECT id FROM contract WHERE quote_id = ? AND deleted_at IS NULL", idtxt, 0);
	if (other)
		return crm_error(c, CRM_CONFLICT, "quote:%lld has a contract already: contract:%lld", q, other);
	long long deal = db_get_int(c, "SELECT deal_id FROM quote WHERE id = ?", idtxt, 0);
	if (rec_get(r, "deal_id") && cash_ref(r, "deal_id") != deal)
		return crm_error(c, CRM_BADINPUT, "deal_id: quote:%lld is for deal:%lld", q, deal);
	cash_set_int(r, "deal_id", deal);
	struct quote_sums s;
	if ((rc = quote_sums(c, q, &s)))
		return rc;
	if (rec_get(r, "amount") && strtoll(rec_get(r, "amount"), NULL, 10) != s.total && !(flags & REC_SYSTEM)) {
		char a[MONEY_BUFSZ], b[MONEY_BUFSZ];
		return crm_error(c, CRM_BADINPUT, "amount: a contract from quote:%lld is for its total %s, not %s "
				 "(make it from --deal to give another amount)", q, money_format(s.total, a),
				 money_format(strtoll(rec_get(r, "amount"), NULL, 10), b));
	}
	if (!rec_get(r, "amount"))
		cash_set_money(r, "amount", s.total);
	char *cur = db_get_text(c, "SELECT currency FROM quote WHERE id = ?", idtxt);
	if (cur && !rec_get(r, "currency"))
		rec_set(r, "currency", cur);
	free(cur);
	return CRM_OK;
}

static int contract_fill(struct crm *c, const struct type *t, struct rec *r, unsigned flags)
{
	(void)t;
	int rc = CRM_OK;
	long long q = cash_ref(r, "quote_id");
	if (q && (rc = from_quote(c, r, q, flags)))
		return rc;
	long long deal = cash_ref(r, "deal_id");
	if (deal) {
		struct db_stmt *st = db_stmt(c, "SELECT account_id, currency, owner, name FROM deal WHERE id = ?");
		if (!st)
			return c->errcode;
		db_bind_int64(st, 1, deal);
		if (db_step(st) == DB_ROW) {
			static const char *const from[] = { "account_id", "currency", "owner", "name" };
			const char *cur = (const char *)db_column_text(st, 1);
			if (cur && rec_get(r, "currency") && strcmp(cur, rec_get(r, "currency")))
				rc = crm_error(c, CRM_BADINPUT, "currency: deal:%lld is in %s: a contract takes its "
					       "deal's currency", deal, cur);
			for (int i = 0; !rc && i < 4; i++)
				if (!rec_get(r, from[i]) && db_column_type(st, i) != DB_NULL)
					rec_set(r, from[i], (const char *)db_column_text(st, i));
		}
		db_reset(st);
		if (rc)
			return rc;
	}
	if (!rec_get(r, "amount"))
		return crm_error(c, CRM_BADINPUT, "amount: required field missing (a contract from a deal says "
				 "its amount=...)");
	if (strtoll(rec_get(r, "amount"), NULL, 10) < 0)
		return crm_error(c, CRM_BADINPUT, "amount: a contract's amount cannot be negative");
	if (!rec_get(r, "currency")) {
		char *dflt = config_get(c, "currency");
		rec_set(r, "currency", dflt ? dflt : "CNY");
		free(dflt);
	}
	if (!rec_get(r, "owner"))
		rec_set(r, "owner", c->user);
	if (strcmp(rec_get(r, "start"), rec_get(r, "end")) > 0)
		return crm_error(c, CRM_BADINPUT, "end: %s is before the start %s", rec_get(r, "end"), rec_get(r, "start"));
	return cash_number_fill(c, r, "HT");
}

static int contract_updated(struct crm *c, const struct type *t, long long id, const cJSON *before,
			    const cJSON *after, unsigned flags)
{
	const char *start = cJSON_GetStringValue(cJSON_GetObjectItem(after, "start"));
	const char *end = cJSON_GetStringValue(cJSON_GetObjectItem(after, "end"));
	if (start && end && strcmp(start, end) > 0)
		return crm_error(c, CRM_BADINPUT, "end: %s is before the start %s", end, start);
	if (flags & REC_SYSTEM)
		return CRM_OK;
	const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(before, "status"));
	if (status && strcmp(status, "draft"))
		return cash_terms_changed(t, before, after)
			? crm_error(c, CRM_CONFLICT, "contract:%lld is %s: only a draft can be edited (its tags, note "
				    "and owner may change)", id, status)
			: CRM_OK;
	const cJSON *amt = cJSON_GetObjectItem(after, "amount");
	if (cJSON_IsNumber(amt) && amt->valuedouble < 0)
		return crm_error(c, CRM_BADINPUT, "amount: a contract's amount cannot be negative");
	/* a contract takes its deal's currency (one without a deal, imported
	 * from another system, keeps the one it was given) */
	int rc = cJSON_IsNumber(cJSON_GetObjectItem(after, "deal_id"))
		? cash_currency_kept(c, before, after, "a contract", "deal") : CRM_OK;
	if (rc)
		return rc;
	/* as contract add --quote: the quote's total (revise the quote) */
	const cJSON *q = cJSON_GetObjectItem(after, "quote_id"), *amt0 = cJSON_GetObjectItem(before, "amount");
	if (cJSON_IsNumber(q) && cJSON_IsNumber(amt) && cJSON_IsNumber(amt0) && amt->valuedouble != amt0->valuedouble) {
		char a[MONEY_BUFSZ], b[MONEY_BUFSZ];
		return crm_error(c, CRM_BADINPUT, "amount: a contract from quote:%lld is for its total %s, not %s "
				 "(crm quote revise %lld, or make it from --deal to give another amount)",
				 (long long)q->valuedouble, money_format(llround(amt0->valuedouble * 100), a),
				 money_format(llround(amt->valuedouble * 100), b), (long long)q->valuedouble);
	}
	/* any edit voids the earlier steps: the next submit starts at step 1 */
	char ent[64];
	snprintf(ent, sizeof(ent), "contract:%lld", id);
	return approval_void(c, ent, "the contract was changed");
}

static const struct type_ops contract_ops = {
	.check = contract_check,
	.fill = contract_fill,
	.updated = contract_updated,
};

static const struct type_event contract_on_value[] = {
	{ "status", "approved", "contract.approved" },
	{ "status", "signed", "contract.signed" },
	{ "status", "terminated", "contract.terminated" },
	{ NULL, NULL, NULL },
};
static const char *const contract_events[] = {
	"contract.submitted", "contract.rejected", "contract.expiring", NULL,
};

const struct type contract_type = {
	"contract", "contracts", 11, TYPE_FIELDS(contract_fields), false, &contract_ops, NULL, contract_on_value,
	contract_events,
};

/* ---- the verbs ---- */

static const char *contract_next(const char *status)
{
	if (!strcmp(status, "draft"))
		return "submit";
	if (!strcmp(status, "pending"))
		return "approve or reject (crm approve)";
	if (!strcmp(status, "approved"))
		return "sign";
	if (!strcmp(status, "signed") || !strcmp(status, "expired"))
		return "terminate, renew";
	return "";
}

/* The status as it reads (a signed contract past its end is expired). */
static char *contract_shown(struct crm *c, long long id)
{
	char idtxt[24];
	snprintf(idtxt, sizeof(idtxt), "%lld", id);
	return db_get_text(c, "SELECT CASE WHEN status = 'signed' AND \"end\" < " TODAY " THEN 'expired' "
			   "ELSE status END FROM contract WHERE id = ? AND deleted_at IS NULL", idtxt);
}

static int set_fields(struct crm *c, long long id, const char *status, const char *k1, const char *v1,
		      const char *k2, const char *v2, const char *action)
{
	cJSON *f = cJSON_CreateObject();
	if (status)
		cJSON_AddStringToObject(f, "status", status);
	if (k1 && v1)
		cJSON_AddStringToObject(f, k1, v1);
	if (k2 && v2)
		cJSON_AddStringToObject(f, k2, v2);
	int rc = cash_update(c, "contract", id, f, action, NULL);
	cJSON_Delete(f);
	return rc;
}

static int print(struct crm *c, long long id)
{
	return record_print(c, type_find(c, contract_type.name), id);
}

/* Load contract id into k for verb, which needs it in status (needs says
 * so in words): else exit 4 naming the status it is in (as it reads: a
 * signed one past its end is expired) and what may be done instead. */
static int load_in(struct crm *c, long long id, struct cash_contract *k, const char *status, const char *verb,
		   const char *needs)
{
	int rc = cash_contract_load(c, id, k);
	if (rc)
		return rc == CRM_BADINPUT ? crm_error(c, CRM_NOTFOUND, "no contract with id %lld", id) : rc;
	if (!strcmp(k->status, status))
		return CRM_OK;
	char *shown = contract_shown(c, id);
	rc = cash_refuse(c, "contract", id, shown, verb, needs, contract_next(shown));
	free(shown);
	return rc;
}

int contract_submit(struct crm *c, long long id)
{
	struct cash_contract k;
	int rc = load_in(c, id, &k, "draft", "submit", "a draft");
	if (rc)
		return rc;
	char now[DATE_BUFSZ], ent[64];
	date_format(date_now(), now);
	snprintf(ent, sizeof(ent), "contract:%lld", id);
	char *limit = config_get(c, "approval.contract.amount_over");
	long long over = 0;
	if (limit && money_parse(limit, &over) != 0) {
		rc = crm_error(c, CRM_BADINPUT, "config approval.contract.amount_over: '%s' is not an amount", limit);
		free(limit);
		return rc;
	}
	bool asks = limit && k.amount > over;
	free(limit);
	int made = 0;
	struct cash_txn x;
	if ((rc = cash_begin(c, &x)))
		return rc;
	if (asks) {
		struct approval_seen seen = { .has_amount = true, .amount = k.amount, .currency = k.currency };
		enum approval_state state = APPROVAL_NONE;
		rc = approval_request(c, ent, &seen, &made);
		if (!rc)
			rc = approval_state(c, ent, &state);
		asks = state != APPROVAL_APPROVED;
	}
	if (!rc)
		rc = set_fields(c, id, asks ? "pending" : NULL, "submitted_at", now, NULL, NULL, "submit");
	if (!rc)
		rc = record_announce(c, type_find(c, "contract"), id, "contract.submitted", NULL);
	if (!rc && !asks)   /* under the threshold (or approved already): straight through */
		rc = set_fields(c, id, "approved", NULL, NULL, NULL, NULL, "approve");
	rc = cash_end(c, &x, rc);
	return rc ? rc : print(c, id);
}

int contract_on_approval(struct crm *c, const struct change *ch)
{
	const char *ent = cJSON_GetStringValue(cJSON_GetObjectItem(ch->after, "entity"));
	if (!ent || strncmp(ent, "contract:", 9))
		return CRM_OK;
	long long id = strtoll(ent + 9, NULL, 10);
	char *status = cash_status(c, "contract", id);
	int rc = CRM_OK;
	if (!status || strcmp(status, "pending")) {
		free(status);
		return CRM_OK;   /* decided ahead of a submit: it counts when submitted */
	}
	free(status);
	if (!strcmp(ch->event, "approval.rejected")) {
		cJSON *before = record_get(c, type_find(c, contract_type.name), id, false);
		rc = set_fields(c, id, "draft", NULL, NULL, NULL, NULL, "reject");
		if (!rc)
			rc = record_announce(c, type_find(c, "contract"), id, "contract.rejected", before);
		cJSON_Delete(before);
		return rc;
	}
	enum approval_state state;
	if ((rc = approval_state(c, ent, &state)) || state != APPROVAL_APPROVED)
		return rc;
	return set_fields(c, id, "approved", NULL, NULL, NULL, NULL, "approve");
}

int contract_sign(struct crm *c, long long id, const char *date)
{
	struct cash_contract k;
	int rc = load_in(c, id, &k, "approved", "sign", "an approved contract");
	if (rc)
		return rc;
	char day[DATE_BUFSZ];
	if (date) {
		if (date_normalize(date, 1, day) != 0)
			return crm_error(c, CRM_USAGE, "--date: '%s' is not a date", date);
	} else {
		cash_today(day);
	}
	struct cash_txn x;
	if ((rc = cash_begin(c, &x)))
		return rc;
	rc = set_fields(c, id, "signed", "signed_at", day, NULL, NULL, "sign");
	/* the deal is won, if it is still open */
	if (!rc && k.deal_id) {
		cJSON *deal = record_get(c, type_find(c, "deal"), k.deal_id, false);
		const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(deal, "status"));
		const char *pipeline = cJSON_GetStringValue(cJSON_GetObjectItem(deal, "pipeline"));
		char *won = deal && status && !strcmp(status, "open") ? pipeline_won_stage(c, pipeline ? pipeline : "default")
								      : NULL;
		c->errmsg[0] = 0;
		if (won) {
			char *why = xasprintf("contract %s signed", k.number);
			struct move_opts m = { .stage = won, .reason = why, .force = true, .approved = true };
			/* the gates' notice would only say what the contract settles */
			bool quiet = c->quiet;
			c->quiet = true;
			rc = stage_move(c, k.deal_id, &m);
			c->quiet = quiet;
			free(why);
			free(won);
		}
		cJSON_Delete(deal);
	}
	rc = cash_end(c, &x, rc);
	return rc ? rc : print(c, id);
}

int contract_terminate(struct crm *c, long long id, const char *reason)
{
	if (!reason || !*reason)
		return crm_error(c, CRM_USAGE, "terminating a contract needs --reason (why?)");
	struct cash_contract k;
	int rc = load_in(c, id, &k, "signed", "terminate", "a signed contract");
	if (rc)
		return rc;
	char now[DATE_BUFSZ];
	date_format(date_now(), now);
	rc = set_fields(c, id, "terminated", "terminated_at", now, "terminate_reason", reason, "terminate");
	return rc ? rc : print(c, id);
}

int contract_renew(struct crm *c, long long id)
{
	struct cash_contract k;
	int rc = load_in(c, id, &k, "signed", "renew", "a signed contract");
	if (rc)
		return rc;
	char idtxt[24];
	snprintf(idtxt, sizeof(idtxt), "%lld", id);
	long long other = db_get_int(c, "SELECT id FROM deal WHERE renewal_of = ? AND deleted_at IS NULL", idtxt, 0);
	if (other)
		return crm_error(c, CRM_CONFLICT, "contract:%lld is being renewed already: deal:%lld", id, other);
	char *name = db_get_text(c, "SELECT coalesce(name, number) FROM contract WHERE id = ?", idtxt);
	char buf[MONEY_BUFSZ];
	cJSON *f = cJSON_CreateObject();
	char *dname = xasprintf("续约: %s", name ? name : k.number);
	cJSON_AddStringToObject(f, "name", dname);
	if (k.account_id)
		cJSON_AddNumberToObject(f, "account_id", (double)k.account_id);
	cJSON_AddStringToObject(f, "amount", money_format(k.amount, buf));
	cJSON_AddStringToObject(f, "currency", k.currency);
	if (*k.owner)
		cJSON_AddStringToObject(f, "owner", k.owner);
	cJSON_AddStringToObject(f, "expected_close", k.end);
	cJSON_AddNumberToObject(f, "renewal_of", (double)id);
	const struct type *dt = type_find(c, "deal");
	long long deal;
	rc = record_insert(c, dt, f, 0, &deal, NULL);
	if (!rc)
		rc = record_print(c, dt, deal);
	cJSON_Delete(f);
	free(dname);
	free(name);
	return rc;
}

int contract_on_quote_removed(struct crm *c, const struct change *ch)
{
	char idtxt[24];
	snprintf(idtxt, sizeof(idtxt), "%lld", ch->id);
	long long k = db_get_int(c, "SELECT id FROM contract WHERE quote_id = ? AND deleted_at IS NULL LIMIT 1", idtxt,
				 0);
	if (k)
		return crm_error(c, CRM_CONFLICT, "quote:%lld is the quote of contract:%lld: remove the contract first",
				 ch->id, k);
	return CRM_OK;
}

int contract_on_removed(struct crm *c, const struct change *ch)
{
	char idtxt[24];
	snprintf(idtxt, sizeof(idtxt), "%lld", ch->id);
	long long pay = db_get_int(c, "SELECT id FROM payment WHERE contract_id = ? AND deleted_at IS NULL LIMIT 1",
				   idtxt, 0);
	long long inv = db_get_int(c, "SELECT id FROM invoice WHERE contract_id = ? AND status = 'issued' "
				   "AND deleted_at IS NULL LIMIT 1", idtxt, 0);
	if (pay)
		return crm_error(c, CRM_CONFLICT, "contract:%lld has payments (payment:%lld): remove them first, "
				 "or terminate the contract", ch->id, pay);
	if (inv)
		return crm_error(c, CRM_CONFLICT, "contract:%lld has issued invoices (invoice:%lld): void them first, "
				 "or terminate the contract", ch->id, inv);
	return CRM_OK;
}
