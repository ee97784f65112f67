/* assign.h: giving leads (and other owned records) to reps: by mapping
 * rules on region, industry or source, round-robin over a team (config
 * team.NAME = "alice,bob,carol"), or to the least-loaded rep. */
#ifndef CRM_ASSIGN_H
#define CRM_ASSIGN_H

#include "core/crm.h"
#include "core/record.h"

enum assign_by { BY_REGION, BY_INDUSTRY, BY_SOURCE, BY_ROUND_ROBIN, BY_LEAST_LOADED };

struct assigner {
	enum assign_by by;
	char *team;
	char **rep;          /* the team's members, in order */
	int nrep;
	long long *load;     /* least-loaded: open leads + deals per rep */
	bool force;          /* assign converted leads too */
};

int assign_by_parse(const char *s, enum assign_by *by);
int assigner_init(struct crm *c, struct assigner *as, enum assign_by by, const char *team);
void assigner_release(struct assigner *as);
/* Set the owner of record id (a rule for its region/industry/source wins;
 * else round-robin or least-loaded over the team), make the first-contact
 * task for a lead, and print the record when print. */
int assign_one(struct crm *c, struct assigner *as, const struct type *t, long long id, bool print);
/* A converted lead is refused (CRM_CONFLICT) unless as->force; it gets
 * no first-contact task. Assigned again, an open first-contact task goes
 * to the new owner with a new deadline, unless the old one is already
 * missed (it stays, so the lateness shows). */

/* The lead was contacted (a call, visit, ... on it) or converted: its
 * open first-contact task is done. */
int assign_first_contact_done(struct crm *c, long long lead_id);

int assign_rule_add(struct crm *c, const char *field, const char *value, const char *owner);
int assign_rule_list(struct crm *c, long long only);
int assign_rule_rm(struct crm *c, long long id);
/* Remove the rules mapping field=value. */
int assign_rule_rm_match(struct crm *c, const char *field, const char *value);

#endif
