/* service.c: the service module: the ticket and survey types, ticket_sla()
 * for their computed fields, the tick that fires ticket.breached, and the
 * settings it reads (the layer itself: service.h). */
#include <stddef.h>

#include "core/config.h"
#include "core/module.h"
#include "service/service.h"
#include "service/survey.h"
#include "service/ticket.h"

static const struct type *const service_types[] = { &ticket_type, &survey_type, NULL };

static int service_open(struct crm *c)
{
	return ticket_sql_register(c);
}

static int service_open_server(struct crm *c)
{
	return ticket_open_server(c);
}

static int service_tick(struct crm *c, bool all, bool dry)
{
	(void)all;
	return ticket_tick(c, dry);
}

static const struct config_key service_config[] = {
	{ "sla.hours", NULL, "business hours the SLA clocks count, e.g. 09:00-18:00 1-5 (unset: every hour)" },
	{ "sla.", NULL, "sla.PRIORITY (urgent 1h/4h, high 4h/1d, normal 8h/3d, low 1d/7d): FIRST/RESOLVE spans" },
	{ "health.risk_below", "40", "report health: an account whose health is below this is at risk",
	  config_is_count, "a whole number (a health score, 0-100)" },
	{ NULL, NULL, NULL },
};

const struct module service_module = {
	.name = "service",
	.types = service_types,
	.tick = service_tick,
	.config_keys = service_config,
	.open = service_open,
	.open_server = service_open_server,
};
