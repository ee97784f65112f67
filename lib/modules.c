/* modules.c: every feature of crm, lowest layer first.
 *
 * The core walks this list for the record types, the subscribers to
 * record events, the --where helpers and the ticks (core/module.h); it
 * is the one place where the features are named together. */
#include <stddef.h>

#include "cash/cash.h"
#include "core/module.h"
#include "insight/insight.h"
#include "sales/sales.h"
#include "server/server.h"
#include "service/service.h"
#include "team/team.h"

const struct module *const crm_modules[] = {
	&team_module,
	&sales_module,
	&cash_module,
	&service_module,
	&insight_module,
	&server_module,
	NULL,
};
