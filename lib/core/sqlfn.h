/* sqlfn.h: SQL functions crm adds to every connection:
 * crm_now() (the current time, honouring $CRM_NOW) and days_since(t). */
#ifndef CRM_SQLFN_H
#define CRM_SQLFN_H

#include "core/crm.h"

int sqlfn_register(struct crm *c);

#endif
