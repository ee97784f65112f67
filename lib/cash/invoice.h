/* invoice.h: invoices (发票) on a signed contract: draft -> issued -> void.
 * The issued invoices of a contract may not add up to more than its
 * amount, checked when one is issued (exit 4). Only a draft is edited. */
#ifndef CRM_CASH_INVOICE_H
#define CRM_CASH_INVOICE_H

#include "core/type.h"

extern const struct type invoice_type;

/* The verbs; each prints the invoice (date: the day it is issued,
 * default today; reason: why it is void, may be NULL). */
int invoice_issue(struct crm *c, long long id, const char *date);
int invoice_void(struct crm *c, long long id, const char *reason);

#endif
