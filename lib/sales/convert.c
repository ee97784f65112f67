/* convert.c: crm lead convert. See convert.h. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/company.h"
#include "sales/assign.h"
#include "sales/convert.h"
#include "base/date.h"
#include "core/db.h"
#include "sales/pipeline.h"
#include "core/record.h"
#include "base/text.h"

/* The live account whose name has the same key, or 0. */
static long long account_match(struct crm *c, const char *company)
{
	char *key = company_key(company);
	struct db_stmt *st = db_stmt(c, "SELECT id, name FROM account WHERE deleted_at IS NULL ORDER BY id");
	long long found = 0;
	if (!st) {
		free(key);
		return -1;
	}
	while (!found && db_step(st) == DB_ROW) {
		char *k = company_key((const char *)db_column_text(st, 1));
		if (*key && !strcmp(k, key))
			found = db_column_int64(st, 0);
		free(k);
	}
	db_reset(st);
	free(key);
	return found;
}

static void copy_field(cJSON *to, const char *tkey, const cJSON *from, const char *fkey)
{
	const cJSON *v = cJSON_GetObjectItem(from, fkey);
	if (v && !cJSON_IsNull(v))
		cJSON_AddItemToObject(to, tkey, cJSON_Duplicate(v, true));
}

static int convert_inner(struct crm *c, long long id, const cJSON *lead, const struct convert_opts *o,
			 long long ids[3], bool made[3])
{
	const struct type *ta = type_find(c, "account"), *tc = type_find(c, "contact"), *td = type_find(c, "deal");
	const char *company = cJSON_GetStringValue(cJSON_GetObjectItem(lead, "company"));
	int rc = CRM_OK;
	/* the account */
	if (company && *company) {
		ids[0] = account_match(c, company);
		if (ids[0] < 0)
			return c->errcode;
		if (!ids[0]) {
			cJSON *f = cJSON_CreateObject();
			cJSON_AddStringToObject(f, "name", company);
			copy_field(f, "industry", lead, "industry");
			copy_field(f, "region", lead, "region");
			copy_field(f, "source", lead, "source");
			copy_field(f, "owner", lead, "owner");
			copy_field(f, "size", lead, "company_size");
			rc = record_insert(c, ta, f, 0, &ids[0], NULL);
			cJSON_Delete(f);
			made[0] = true;
			if (rc)
				return rc;
		}
	}
	/* the contact: the same person may be a contact already */
	const char *phone = cJSON_GetStringValue(cJSON_GetObjectItem(lead, "phone"));
	const char *email = cJSON_GetStringValue(cJSON_GetObjectItem(lead, "email"));
	ids[1] = phone || email ? record_find_dup(c, tc, phone, email, 0) : 0;
	if (ids[1] < 0)
		return c->errcode;
	if (!ids[1]) {
		cJSON *f = cJSON_CreateObject();
		copy_field(f, "name", lead, "name");
		copy_field(f, "title", lead, "title");
		copy_field(f, "phone", lead, "phone");
		copy_field(f, "email", lead, "email");
		copy_field(f, "wechat", lead, "wechat");
		copy_field(f, "source", lead, "source");
		copy_field(f, "owner", lead, "owner");
		copy_field(f, "tags", lead, "tags");
		if (ids[0])
			cJSON_AddNumberToObject(f, "account_id", (double)ids[0]);
		rc = record_insert(c, tc, f, 0, &ids[1], NULL);
		cJSON_Delete(f);
		made[1] = true;
		if (rc)
			return rc;
	} else if (ids[0]) {
		/* the contact we found, with no account yet, works there */
		cJSON *ct = record_get(c, tc, ids[1], false);
		const cJSON *acc = cJSON_GetObjectItem(ct, "account_id");
		if (ct && (!acc || cJSON_IsNull(acc))) {
			cJSON *f = cJSON_CreateObject();
			cJSON_AddNumberToObject(f, "account_id", (double)ids[0]);
			rc = record_update(c, tc, ids[1], f, 0);
			cJSON_Delete(f);
		}
		cJSON_Delete(ct);
		if (rc)
			return rc;
	}
	/* the deal */
	if (!o->no_deal && (o->deal_name || o->amount || o->stage)) {
		cJSON *f = cJSON_CreateObject();
		const char *nm = cJSON_GetStringValue(cJSON_GetObjectItem(lead, "name"));
		char *dflt = xasprintf("%s 商机", company && *company ? company : nm ? nm : "lead");
		cJSON_AddStringToObject(f, "name", o->deal_name ? o->deal_name : dflt);
		free(dflt);
		if (o->amount)
			cJSON_AddStringToObject(f, "amount", o->amount);
		else
			copy_field(f, "amount", lead, "budget");
		copy_field(f, "currency", lead, "currency");
		if (o->pipeline)
			cJSON_AddStringToObject(f, "pipeline", o->pipeline);
		if (ids[0])
			cJSON_AddNumberToObject(f, "account_id", (double)ids[0]);
		cJSON_AddNumberToObject(f, "contact_id", (double)ids[1]);
		cJSON_AddNumberToObject(f, "lead_id", (double)id);
		copy_field(f, "source", lead, "source");
		copy_field(f, "owner", lead, "owner");
		rc = record_insert(c, td, f, 0, &ids[2], NULL);
		cJSON_Delete(f);
		made[2] = true;
		if (rc)
			return rc;
		if (o->stage) {
			struct move_opts m = { .stage = o->stage, .reason = o->reason, .force = o->force,
					       .fresh = true };
			rc = stage_move(c, ids[2], &m);
			if (rc)
				return rc;
		}
	}
	/* the lead, converted, with links to what it became */
	char now[DATE_BUFSZ];
	date_format(date_now(), now);
	cJSON *ch = cJSON_CreateObject();
	cJSON_AddStringToObject(ch, "status", "converted");
	cJSON_AddStringToObject(ch, "converted_at", now);
	if (ids[0])
		cJSON_AddNumberToObject(ch, "account_id", (double)ids[0]);
	cJSON_AddNumberToObject(ch, "contact_id", (double)ids[1]);
	if (ids[2])
		cJSON_AddNumberToObject(ch, "deal_id", (double)ids[2]);
	rc = record_update(c, type_find(c, "lead"), id, ch, REC_SYSTEM);
	cJSON_Delete(ch);
	return rc ? rc : assign_first_contact_done(c, id);   /* nobody need call it first now */
}

int lead_convert(struct crm *c, long long id, const struct convert_opts *o)
{
	const struct type *tl = type_find(c, "lead");
	cJSON *lead = record_get(c, tl, id, false);
	if (!lead)
		return c->errcode;
	const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(lead, "status"));
	if (status && !strcmp(status, "converted")) {
		cJSON_Delete(lead);
		return crm_error(c, CRM_CONFLICT, "lead:%lld is converted already", id);
	}
	long long ids[3] = { 0, 0, 0 };
	bool made[3] = { false, false, false };
	int rc = db_savepoint(c);
	if (!rc) {
		rc = convert_inner(c, id, lead, o, ids, made);
		if (rc) {
			char msg[sizeof(c->errmsg)];
			memcpy(msg, c->errmsg, sizeof(msg));
			db_rollback_to(c);
			memcpy(c->errmsg, msg, sizeof(msg));
		} else {
			rc = db_release(c);
		}
	}
	cJSON_Delete(lead);
	if (rc)
		return rc;
	static const char *const tn[3] = { "account", "contact", "deal" };
	for (int i = 0; i < 3 && !rc; i++)
		if (ids[i])
			rc = record_print(c, type_find(c, tn[i]), ids[i]);
	return rc ? rc : record_print(c, tl, id);
}
