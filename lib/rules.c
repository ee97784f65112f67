/* rules.c: automation rules. Event rules are not implemented yet: firing
 * is a no-op until the automation issue lands. */
#include "rules.h"

int rules_fire(struct crm *c, const char *event, const struct type *t, long long id,
	       const cJSON *before, const cJSON *after)
{
	(void)c; (void)event; (void)t; (void)id; (void)before; (void)after;
	return CRM_OK;
}
