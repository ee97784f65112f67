/* reports.h: what finance reads (CLI.md 8.2): receivables by how late
 * they are, revenue per period, sales per product. One row per group and
 * currency: sums never mix currencies, and every row names its currency.
 * Each report sees only the contracts the acting user may see. */
#ifndef CRM_CASH_REPORTS_H
#define CRM_CASH_REPORTS_H

#include "core/crm.h"

struct cash_report_opts {
	const char *as_of;   /* receivables: the day (default today) */
	const char *by;      /* receivables: account (default), owner, contract;
			      * revenue: month (default), quarter, owner */
	const char *since;   /* revenue, products: a date or a span (90d) */
};

/* {"type":"receivables", account_id+account | owner | contract_id+number,
 * currency, not_due, d1_30, d31_60, d61_90, over_90, total}: what the
 * plans of signed contracts still have to receive at as_of, by days past
 * their due date (payments dated after as_of not counted). */
int cash_report_receivables(struct crm *c, const struct cash_report_opts *o);
/* {"type":"revenue", period | owner, currency, contracted, invoiced,
 * received}: signed contracts by signing date, issued invoices by issue
 * date, payments by their date. */
int cash_report_revenue(struct crm *c, const struct cash_report_opts *o);
/* {"type":"products", product_id, sku, name, currency, quantity, amount,
 * contracts}: the quote lines of signed contracts. */
int cash_report_products(struct crm *c, const struct cash_report_opts *o);

#endif
