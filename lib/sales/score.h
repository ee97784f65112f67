/* score.h: lead scoring by rules (SQL expressions, as in --where) with
 * points; the model in use is config score.model (default "default"). */
#ifndef CRM_SCORE_H
#define CRM_SCORE_H

#include "core/crm.h"

int score_rule_add(struct crm *c, const char *name, const char *expr, long long points, const char *model);
int score_rule_list(struct crm *c, const char *model, const char *name);
int score_rule_rm(struct crm *c, const char *name, const char *model);

/* The leads to score when not all: start the set, add ids to it. */
int score_targets_begin(struct crm *c);
int score_target_add(struct crm *c, long long id);
/* How many leads the set holds. */
long long score_targets_count(struct crm *c);
/* While a run scores the set: whether lead id of the set has a live event
 * name (*has); false when id is not one of the set (or no run is on). */
bool score_target_has_event(struct crm *c, long long id, const char *name, bool *has);

/* Recompute the scores of all leads (or the set) in one statement; write
 * and audit the ones that changed; leads crossing config score.sql (60)
 * become qualified. Prints the changed leads (print), or with explain each
 * matched rule and the total of every lead scored. */
int score_run(struct crm *c, bool all, bool explain, bool print);

/* A merged lead took over others' fields and events (or gave them back):
 * score it again (the subscriber for lead.merged and lead.unmerged). */
struct change;
int score_on_merged(struct crm *c, const struct change *ch);

#endif
