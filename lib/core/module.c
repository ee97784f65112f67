/* module.c: what every module does, walked in order. */
#include <stdlib.h>

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

int module_open_server_all(struct crm *c)
{
	for (int m = 0; crm_modules[m]; m++) {
		int rc = crm_modules[m]->open_server ? crm_modules[m]->open_server(c) : CRM_OK;
		if (rc)
			return rc;
	}
	return CRM_OK;
}

int module_tick_all(struct crm *c, bool all, bool dry)
{
	bool fired = false;
	int rc = CRM_OK;
	/* the tick does what the settings say, for everyone's records */
	c->system++;
	for (int m = 0; crm_modules[m]; m++) {
		if (!crm_modules[m]->tick)
			continue;
		rc = crm_modules[m]->tick(c, all, dry);
		if (rc == CRM_OK)
			fired = true;
		else if (rc != CRM_NOTFOUND)
			break;   /* the tick is one transaction: it fails whole */
		rc = CRM_OK;
	}
	c->system--;
	return rc ? rc : fired ? CRM_OK : CRM_NOTFOUND;
}

char *module_scope(struct crm *c, const struct type *t, const char *alias, bool write)
{
	/* on a server the row-level security of the role we act as decides
	 * (the same rule: server/policy.c makes it from team's) */
	if (c->system || c->db_role)
		return NULL;
	struct sbuf b = { 0 };
	for (int m = 0; crm_modules[m]; m++) {
		char *cond = crm_modules[m]->scope ? crm_modules[m]->scope(c, t, alias, write) : NULL;
		if (!cond)
			continue;
		sbuf_add(&b, b.len ? " AND (" : "(");
		sbuf_add(&b, cond);
		sbuf_addc(&b, ')');
		free(cond);
	}
	return b.s ? sbuf_detach(&b) : NULL;
}

int module_permit(struct crm *c, const struct type *t, long long id, const char *action)
{
	if (c->system)
		return CRM_OK;
	for (int m = 0; crm_modules[m]; m++) {
		int rc = crm_modules[m]->permit ? crm_modules[m]->permit(c, t, id, action) : CRM_OK;
		if (rc)
			return rc;
	}
	return CRM_OK;
}
