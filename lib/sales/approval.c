/* approval.c: approvals of deals before the stage moves that need them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/money.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/db.h"
#include "core/record.h"
#include "io/out.h"
#include "sales/approval.h"

/* Whether the deal is over the approval amount at all. */
static bool approval_needed(struct crm *c, const cJSON *deal)
{
	char *limit = config_get(c, "approval.amount_over");
	long long over;
	const cJSON *amt = cJSON_GetObjectItem(deal, "amount");
	bool need = limit && money_parse(limit, &over) == 0 && cJSON_IsNumber(amt)
		 && llround(amt->valuedouble * 100) > over;
	free(limit);
	return need;
}

bool approval_deal_needed(struct crm *c, const cJSON *deal, const char *stage, const char *closes)
{
	char *limit = config_get(c, "approval.amount_over");
	long long over;
	const cJSON *amt = cJSON_GetObjectItem(deal, "amount");
	bool need = false;
	if (limit && money_parse(limit, &over) == 0 && cJSON_IsNumber(amt)) {
		char *stages = config_get(c, "approval.stages");
		const char *list = stages ? stages : "negotiation,won";
		char *copy = xstrdup(list), *save = NULL;
		for (char *k = strtok_r(copy, ",", &save); k && !need; k = strtok_r(NULL, ",", &save))
			need = !strcmp(k, stage) || (!strcmp(k, "won") && closes && !strcmp(closes, "won"));
		free(copy);
		free(stages);
		long long minor = llround(amt->valuedouble * 100);
		need = need && minor > over;
	}
	free(limit);
	return need;
}

/* Record a request for approval of deal id for stage ("any": approved
 * ahead of a move), with the amount it had. */
static int approval_request(struct crm *c, const cJSON *deal, long long id, const char *stage,
			    const char *now)
{
	const cJSON *amt = cJSON_GetObjectItem(deal, "amount");
	sqlite3_stmt *st = db_stmt(c, "INSERT INTO approval(deal_id, stage, amount, requested_by, "
				      "requested_at) VALUES (?, ?, ?, ?, ?)");
	if (!st)
		return c->errcode;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, stage, -1, SQLITE_TRANSIENT);
	if (cJSON_IsNumber(amt))
		sqlite3_bind_int64(st, 3, llround(amt->valuedouble * 100));
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_text(st, 4, c->user, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? CRM_OK : crm_dberror(c, rc, "approval");
}

int approval_deal_take(struct crm *c, long long id, const cJSON *deal, const char *stage)
{
	char *idtxt = xasprintf("%lld", id);
	long long aid = db_get_int(c, "SELECT id FROM approval WHERE deal_id = ? AND status = 'approved' "
				   "ORDER BY id LIMIT 1", idtxt, 0);
	long long pending = db_get_int(c, "SELECT id FROM approval WHERE deal_id = ? AND status = 'pending' "
				       "ORDER BY id LIMIT 1", idtxt, 0);
	free(idtxt);
	char now[DATE_BUFSZ];
	date_format(date_now(), now);
	if (aid) {
		sqlite3_stmt *st = db_stmt(c, "UPDATE approval SET status = 'used' WHERE id = ?");
		if (!st)
			return c->errcode;
		sqlite3_bind_int64(st, 1, aid);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? CRM_OK : crm_dberror(c, rc, "approval");
	}
	char limit[MONEY_BUFSZ];
	char *lim = config_get(c, "approval.amount_over");
	long long over = 0;
	money_parse(lim ? lim : "0", &over);
	free(lim);
	money_format(over, limit);
	if (!pending) {
		int rc = approval_request(c, deal, id, stage, now);
		if (rc)
			return rc;
		return crm_error(c, CRM_CONFLICT, "deal:%lld is over the approval amount (%s): moving it to %s "
				 "needs an approval; requested (someone other than its owner runs "
				 "'crm approve deal:%lld')", id, limit, stage, id);
	}
	return crm_error(c, CRM_CONFLICT, "deal:%lld is over the approval amount (%s): moving it to %s "
			 "waits for approval ('crm approve deal:%lld' by someone other than its owner)",
			 id, limit, stage, id);
}


static void approval_emit(struct crm *c, sqlite3_stmt *st)
{
	/* id, deal_id, stage, amount, requested_by, requested_at, approved_by,
	 * approved_at, status, deal name, owner */
	struct out *o = c->out;
	out_begin(o);
	out_str(o, "type", "approval");
	out_int(o, "id", sqlite3_column_int64(st, 0));
	out_int(o, "deal_id", sqlite3_column_int64(st, 1));
	out_str(o, "deal", (const char *)sqlite3_column_text(st, 9));
	out_str(o, "owner", (const char *)sqlite3_column_text(st, 10));
	out_str(o, "stage", (const char *)sqlite3_column_text(st, 2));
	if (sqlite3_column_type(st, 3) != SQLITE_NULL)
		out_money(o, "amount", sqlite3_column_int64(st, 3));
	out_str(o, "requested_by", (const char *)sqlite3_column_text(st, 4));
	out_str(o, "requested_at", (const char *)sqlite3_column_text(st, 5));
	out_str(o, "approved_by", (const char *)sqlite3_column_text(st, 6));
	out_str(o, "approved_at", (const char *)sqlite3_column_text(st, 7));
	out_str(o, "status", (const char *)sqlite3_column_text(st, 8));
	out_end(o);
}

#define APPROVAL_SELECT "SELECT a.id, a.deal_id, a.stage, a.amount, a.requested_by, a.requested_at, " \
	"a.approved_by, a.approved_at, a.status, d.name, d.owner FROM approval a JOIN deal d ON d.id = a.deal_id "

int approval_list_pending(struct crm *c)
{
	sqlite3_stmt *st = db_stmt(c, APPROVAL_SELECT "WHERE a.status = 'pending' AND d.deleted_at IS NULL "
				      "ORDER BY a.id");
	if (!st)
		return c->errcode;
	int rc, n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		approval_emit(c, st);
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return crm_dberror(c, rc, "approval");
	return n ? CRM_OK : CRM_NOTFOUND;
}

int approval_approve(struct crm *c, long long deal_id)
{
	const struct type *t = type_find(c, "deal");
	cJSON *deal = record_get(c, t, deal_id, false);
	if (!deal)
		return c->errcode;
	const char *owner = cJSON_GetStringValue(cJSON_GetObjectItem(deal, "owner"));
	char *idtxt = xasprintf("%lld", deal_id);
	long long aid = db_get_int(c, "SELECT id FROM approval WHERE deal_id = ? AND status = 'pending' "
				   "ORDER BY id LIMIT 1", idtxt, 0);
	free(idtxt);
	int rc = CRM_OK;
	if (owner && !strcmp(owner, c->user)) {
		rc = crm_error(c, CRM_PERM, "%s owns deal:%lld and cannot approve it; another user must",
			       c->user, deal_id);
		goto cleanup;
	}
	char now[DATE_BUFSZ];
	date_format(date_now(), now);
	if (!aid && !approval_needed(c, deal)) {
		rc = crm_error(c, CRM_NOTFOUND, "deal:%lld has no pending approval request and needs none "
			       "(its amount is not over approval.amount_over)", deal_id);
		goto cleanup;
	}
	if (!aid) {
		/* Approved ahead of the move: the next move that needs it uses it. */
		rc = approval_request(c, deal, deal_id, "any", now);
		if (rc)
			goto cleanup;
		aid = sqlite3_last_insert_rowid(c->db);
	}
	sqlite3_stmt *st = db_stmt(c, "UPDATE approval SET status = 'approved', approved_by = ?, "
				      "approved_at = ? WHERE id = ?");
	if (!st) {
		rc = c->errcode;
		goto cleanup;
	}
	sqlite3_bind_text(st, 1, c->user, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, aid);
	int src = sqlite3_step(st);
	sqlite3_reset(st);
	if (src != SQLITE_DONE) {
		rc = crm_dberror(c, src, "approval");
		goto cleanup;
	}
	st = db_stmt(c, APPROVAL_SELECT "WHERE a.id = ?");
	if (!st) {
		rc = c->errcode;
		goto cleanup;
	}
	sqlite3_bind_int64(st, 1, aid);
	char *after = NULL;
	if (sqlite3_step(st) == SQLITE_ROW) {
		cJSON *a = cJSON_CreateObject();
		cJSON_AddNumberToObject(a, "approval", (double)aid);
		cJSON_AddStringToObject(a, "stage", (const char *)sqlite3_column_text(st, 2));
		if (sqlite3_column_type(st, 3) != SQLITE_NULL)
			cJSON_AddNumberToObject(a, "amount", (double)sqlite3_column_int64(st, 3) / 100.0);
		cJSON_AddStringToObject(a, "requested_by", (const char *)sqlite3_column_text(st, 4));
		cJSON_AddStringToObject(a, "approved_by", c->user);
		char *s = cJSON_PrintUnformatted(a);
		after = xstrdup(s);
		cJSON_free(s);
		cJSON_Delete(a);
		approval_emit(c, st);
	}
	sqlite3_reset(st);
	char *entity = xasprintf("deal:%lld", deal_id);
	rc = audit_log(c, entity, "approve", "{\"status\":\"pending\"}", after);
	free(entity);
	free(after);
cleanup:
	cJSON_Delete(deal);
	return rc;
}
