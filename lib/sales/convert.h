/* convert.h: a qualified lead becomes an account, a contact and a deal. */
#ifndef CRM_CONVERT_H
#define CRM_CONVERT_H

#include "core/crm.h"

struct convert_opts {
	const char *deal_name;   /* a deal is made when this or amount is given */
	const char *amount;
	const char *stage;       /* the deal's stage (default: the pipeline's first) */
	const char *pipeline;
	const char *reason;      /* moving the deal to a lost stage: why */
	bool force;              /* past the stage's gate (logged) */
	bool no_deal;
};

/* Convert lead id in one savepoint: match (by normalised company name) or
 * create the account, match (by phone/email) or create the contact, make
 * the deal, mark the lead converted with links to them. Prints what was
 * created or matched, then the lead. Nothing is written on failure. */
int lead_convert(struct crm *c, long long id, const struct convert_opts *o);

#endif
