/* module.c: what every module does, walked in order. */
#include "core/module.h"

int module_open_all(struct crm *c)
{
	for (int m = 0; crm_modules[m]; m++) {
		int rc = crm_modules[m]->open ? crm_modules[m]->open(c) : CRM_OK;
		if (rc)
			return rc;
	}
	return CRM_OK;
}

int module_tick_all(struct crm *c, bool all, bool dry)
{
	bool fired = false;
	for (int m = 0; crm_modules[m]; m++) {
		if (!crm_modules[m]->tick)
			continue;
		int rc = crm_modules[m]->tick(c, all, dry);
		if (rc == CRM_OK)
			fired = true;
		else if (rc != CRM_NOTFOUND)
			return rc;   /* the tick is one transaction: it fails whole */
	}
	return fired ? CRM_OK : CRM_NOTFOUND;
}
