/* order.h: orders (订单) from a signed contract, with its quote's lines:
 * pending -> delivering -> delivered, or cancelled (from pending or
 * delivering), changed with crm order update ID status=... */
#ifndef CRM_CASH_ORDER_H
#define CRM_CASH_ORDER_H

#include "core/type.h"

extern const struct type order_type;

#endif
