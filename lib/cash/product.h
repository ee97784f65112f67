/* product.h: the product catalogue (产品): what quotes are made of. */
#ifndef CRM_CASH_PRODUCT_H
#define CRM_CASH_PRODUCT_H

#include "core/type.h"

extern const struct type product_type;

/* The product a quote line names: a SKU first, else an id. CRM_BADINPUT
 * (naming the field) when there is none. */
int product_find(struct crm *c, const char *sku_or_id, long long *id);

#endif
