/* payment.h: payments (回款) received on a signed contract. A payment is
 * applied to its instalment (installment N, crm payment add --plan N)
 * first, then to the contract's other unpaid plans in due order; what is
 * left over stays on the contract. A payment may not take the contract
 * past its amount (exit 4) unless forced=1 (--force), which the audit log
 * keeps. Removing a payment undoes its application; restoring it applies
 * it again. Its event is payment.received. */
#ifndef CRM_CASH_PAYMENT_H
#define CRM_CASH_PAYMENT_H

#include "core/event.h"
#include "core/type.h"

extern const struct type payment_type;

/* payment.removed, payment.restored. */
int payment_on_removed(struct crm *c, const struct change *ch);
int payment_on_restored(struct crm *c, const struct change *ch);

#endif
