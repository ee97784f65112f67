/* cash.h: the cash module, for the list of modules (lib/modules.c).
 *
 * lib/cash is the back half of lead-to-cash (CLI.md 8.2): products,
 * quotes and their lines (报价), contracts (合同) with their approvals,
 * orders (订单), payment plans (回款计划), payments (回款) and invoices
 * (发票); the arithmetic of a quote (price.h, exact minor units, half up
 * at each step), quote documents, the receivables, revenue and product
 * reports, and the clock's events (a quote expired, a contract ending,
 * a plan due or overdue) fired by crm automate tick. Each record type is
 * a file of its own declaring its struct type and type_ops; this module
 * lists them. It uses sales (deals, the approval engine, stage moves),
 * team, data, core, io and base; service and insight use it only through
 * its headers. */
#ifndef CRM_CASH_CASH_H
#define CRM_CASH_CASH_H

#include "core/module.h"

extern const struct module cash_module;

#endif
