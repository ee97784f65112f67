/* service.h: the service module, for the list of modules (lib/modules.c).
 *
 * lib/service is after the sale: service tickets with their SLA clocks
 * (sla.c: business hours, pending time excluded; ticket.c: the record
 * type, its lifecycle and ticket.breached), satisfaction surveys (CSAT,
 * NPS; survey.c), and the reports a service team and an account manager
 * read: service, satisfaction, renewals, customer health, ABC tiers by
 * payments received and repurchase (report.c). It uses cash, sales,
 * data, core, io and base; insight uses it only through its headers
 * (satisfaction_compute for the dashboard's CSAT and NPS panel,
 * ticket_breached_print for its breached tickets). */
#ifndef CRM_SERVICE_SERVICE_H
#define CRM_SERVICE_SERVICE_H

#include "core/module.h"

extern const struct module service_module;

#endif
