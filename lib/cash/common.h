/* common.h: what the cash types share: their numbers (HT-2026-0001),
 * today's date, a contract as stored, and the words of a refused status
 * change. */
#ifndef CRM_CASH_COMMON_H
#define CRM_CASH_COMMON_H

#include <stdbool.h>
#include <cjson/cJSON.h>
#include "base/date.h"
#include "core/crm.h"
#include "core/record.h"

/* SQL for an amount in minor units (an SQL expression of an integer
 * type given as a string literal) as the text of an exact JSON number in
 * major units: 10000 and 2580.5, never 10000.0 or a binary fraction's
 * digits. In SQL both SQLite and a server take. */
#define CASH_SQL_MONEY_JSON(x) \
	"(CASE WHEN (" x ") < 0 THEN '-' ELSE '' END || CAST(abs(" x ") / 100 AS TEXT) || " \
	"CASE WHEN abs(" x ") % 100 = 0 THEN '' WHEN abs(" x ") % 10 = 0 THEN '.' || CAST(abs(" x ") % 100 / 10 AS TEXT) " \
	"ELSE '.' || substr(CAST(100 + abs(" x ") % 100 AS TEXT), 2) END)"

/* "YYYY-MM-DD" of now (local time) into buf of DATE_BUFSZ. */
char *cash_today(char *buf);

/* Give r a number "PREFIX-YYYY-NNNN" (this year; NNNN the id it will
 * have) unless it has one, skipping any a live record has. */
int cash_number_fill(struct crm *c, struct rec *r, const char *prefix);

/* A contract as stored (not as it reads: a signed one past its end
 * reads expired). */
struct cash_contract {
	long long id, amount, deal_id, account_id, quote_id;
	long long received;     /* what its live payments add up to */
	char status[16];
	char currency[16];
	char number[64];
	char owner[128];
	char start[DATE_BUFSZ], end[DATE_BUFSZ];
};
/* Load contract id (CRM_NOTFOUND naming what, a field, when it is not
 * there: "contract_id: no contract with id 9"). */
int cash_contract_load(struct crm *c, long long id, struct cash_contract *k);
/* The same, and it must be signed: plans, payments, invoices and orders
 * need one (CRM_CONFLICT). what: "a payment". */
int cash_contract_signed(struct crm *c, long long id, const char *what, struct cash_contract *k);

/* amount (minor units) of payment applied to plan on date: one
 * payment_alloc row (a payment's application, and a new plan taking what
 * payments left unapplied). */
int cash_alloc_add(struct crm *c, long long payment, long long plan, long long amount, const char *date);
/* What the live payments of contract id add up to. */
long long cash_contract_received(struct crm *c, long long id);

/* The stored status of record t:id, newly allocated (NULL: no such). */
char *cash_status(struct crm *c, const char *table, long long id);

/* CRM_CONFLICT: "quote:2 is accepted: send needs a draft (from accepted:
 * nothing)". allowed: what it can do from here ("" for nothing). */
int cash_refuse(struct crm *c, const char *type, long long id, const char *status, const char *verb,
		const char *needs, const char *allowed);

/* A field's value from the JSON fields given to a write, as text (NULL
 * when absent or null). Points into fields or into buf. */
const char *cash_given(const cJSON *fields, const char *name, char *buf, size_t n);

/* The id in a reference field of r (a stored id as text), or 0. */
long long cash_ref(const struct rec *r, const char *field);

/* Set a field from a long long / money (minor units) value. */
void cash_set_int(struct rec *r, const char *field, long long v);
void cash_set_money(struct rec *r, const char *field, long long minor);

/* Update record t:id with fields as crm itself (REC_SYSTEM), logged as
 * action ("send", "sign", ...). */
int cash_update(struct crm *c, const char *type, long long id, cJSON *fields, const char *action,
		const cJSON *extra);


/* Whether an update changed a record's terms: any field but its tags,
 * note, owner and custom fields (those may change in any status; the
 * terms only in a draft). */
bool cash_terms_changed(const struct type *t, const cJSON *before, const cJSON *after);

/* An update may not move a record out of the currency it took from its
 * deal or contract: CRM_BADINPUT "currency: an invoice is in its
 * contract's currency (CNY)" when before and after differ. */
int cash_currency_kept(struct crm *c, const cJSON *before, const cJSON *after, const char *what,
		       const char *whose);

/* One change made of several writes (a contract signed and its deal
 * won): all or nothing, user hooks included. cash_end releases it (rc 0)
 * or rolls it back, and returns rc. */
struct cash_txn {
	void *hooks;
};
int cash_begin(struct crm *c, struct cash_txn *x);
int cash_end(struct crm *c, struct cash_txn *x, int rc);

/* Parse a percentage as the cash layer stores them ("12.5", "12.5%"):
 * basis points, or -1 (with an error naming field). */
int cash_pct(struct crm *c, const char *field, const char *text, int *bp);

#endif
