/* sales.h: the sales module, for the list of modules (lib/modules.c). */
#ifndef CRM_SALES_SALES_H
#define CRM_SALES_SALES_H

#include "core/module.h"

extern const struct module sales_module;

#endif
