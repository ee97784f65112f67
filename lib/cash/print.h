/* print.h: a quote as a document a customer can be sent (报价单): the
 * company (config company.name, company.address, company.phone,
 * company.tax_number), the customer, the lines, the totals and, for
 * CNY, the total in Chinese capital numerals. */
#ifndef CRM_CASH_PRINT_H
#define CRM_CASH_PRINT_H

#include <stdbool.h>
#include "core/crm.h"

/* Quote id as one self-contained HTML page that prints on A4 (html), or
 * as plain text: newly allocated in *doc. */
int quote_print(struct crm *c, long long id, bool html, char **doc);

#endif
