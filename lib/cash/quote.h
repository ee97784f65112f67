/* quote.h: quotes (报价) and their lines: a quote belongs to a deal (and
 * its account), its lines copy a product's name, unit, price and tax rate
 * unless given, and its amounts follow from the lines by cash/price.h's
 * arithmetic, computed whenever it is read (so they never go stale).
 * Status: draft -> sent -> accepted | rejected | expired (a sent quote
 * past valid_until reads expired from the day after); revise copies it as
 * a new draft (version + 1) and the old one is superseded. Only a draft
 * can be edited. */
#ifndef CRM_CASH_QUOTE_H
#define CRM_CASH_QUOTE_H

#include <cjson/cJSON.h>
#include "core/crm.h"
#include "core/type.h"

extern const struct type quote_type, quote_line_type;

/* cash_line(kind, qty, price, line_discount, quote_discount, tax_rate,
 * tax_included) for SQL: a line's 'net', 'untaxed', 'tax' or 'total' in
 * minor units (price_line_amounts). Registered when the database opens. */
int quote_sql_register(struct crm *c);

/* A quote's sums, as it reads: minor units; max_discount_bp: the largest
 * discount of the quote or any line (basis points); lines: how many. */
struct quote_sums {
	long long untaxed, tax, total;
	int max_discount_bp;
	int lines;
};
int quote_sums(struct crm *c, long long id, struct quote_sums *s);

/* The verbs: each prints the quote (revise: the new one). */
int quote_send(struct crm *c, long long id);
int quote_accept(struct crm *c, long long id);
int quote_reject(struct crm *c, long long id);
int quote_revise(struct crm *c, long long id);

/* Print the quote, then its lines (quote_line records). */
int quote_show(struct crm *c, long long id);

/* Add a line to quote id for product (a SKU or an id) with fields (qty,
 * price, discount, ... may be NULL). Prints it. */
int quote_line_add(struct crm *c, long long quote_id, const char *product, const cJSON *fields);
/* Remove line line_no of quote id (a draft). Prints it. */
int quote_line_remove(struct crm *c, long long quote_id, long long line_no);
/* The id of line line_no of quote id, or CRM_NOTFOUND. */
int quote_line_find(struct crm *c, long long quote_id, long long line_no, long long *id);

#endif
