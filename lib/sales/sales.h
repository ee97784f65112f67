/* sales.h: the sales module, for the list of modules (lib/modules.c).
 *
 * lib/sales is the lead-to-deal feature: the first wave's record types
 * (leads, accounts, contacts, deals, activities, tasks, behaviour
 * events), pipelines and stages with their gates, deal approvals,
 * scoring, assignment, automation rules, follow-ups and the agenda,
 * convert, and the sales reports. It uses data, core, io and base; cash,
 * service and insight use it only through its headers. */
#ifndef CRM_SALES_SALES_H
#define CRM_SALES_SALES_H

#include "core/module.h"

extern const struct module sales_module;

#endif
