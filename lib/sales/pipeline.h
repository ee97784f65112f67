/* pipeline.h: pipelines, their stages, and moving deals through them
 * (stage gates, approvals, the stage history). */
#ifndef CRM_PIPELINE_H
#define CRM_PIPELINE_H

#include <stdbool.h>
#include <cjson/cJSON.h>
#include "core/crm.h"
#include "core/record.h"

/* A stage as given to stage_add: NULL/-1 members are "not given" (an
 * existing stage keeps its value; a new one gets the default). */
struct stage_spec {
	const char *key;
	const char *label;
	int probability;        /* -1: not given */
	int position;           /* 0: not given (new: before the closing stages) */
	const char *require;    /* "amount,expected_close"; "" clears */
	const char *require_activity; /* "call"; "" clears */
	const char *closes;     /* "won", "lost", "" (clears), NULL */
};

/* Print every pipeline ({"type":"pipeline",...}). */
int pipeline_list(struct crm *c);
/* Print the stages of pipeline key, in order. CRM_NOTFOUND if no such. */
int pipeline_show(struct crm *c, const char *key);
/* Add a pipeline with stages given as "key:label:probability[:won|lost]"
 * separated by commas (may be NULL). CRM_CONFLICT if it exists. */
int pipeline_add(struct crm *c, const char *key, const char *label, const char *stages);

/* Add a stage to a pipeline, or change the given attributes of an
 * existing one. Prints the stage. */
int stage_add(struct crm *c, const char *pipeline, const struct stage_spec *s);
/* Remove a stage; CRM_CONFLICT while deals sit in it. */
int stage_rm(struct crm *c, const char *pipeline, const char *key);

struct move_opts {
	const char *stage;
	const char *reason;
	bool force;             /* override the stage gates (logged) */
	bool adding;            /* the deal is being added (pipeline_deal_inserted): say so in its terms */
	bool fresh;             /* made in this same change (add, convert): no approval can be asked */
	bool approved;          /* approved elsewhere (its contract's approval): no deal approval asked */
};

/* Move deal id to another stage of its pipeline: gates, approval, stage
 * history, probability, closing; fires deal.stage_changed. Nothing is
 * written when it fails (except a new approval request). */
int stage_move(struct crm *c, long long id, const struct move_opts *m);

/* The key of pipeline's first stage that does not close deals (where a
 * new deal starts), or NULL when it has none or does not exist. Newly
 * allocated. */
char *pipeline_first_stage(struct crm *c, const char *pipeline);
/* The key of pipeline's first stage that closes as won, or NULL. Newly
 * allocated. */
char *pipeline_won_stage(struct crm *c, const char *pipeline);

/* The deal type's behaviour (its type_ops, sales.c). check: a status is
 * not set by hand on add (it follows the stage). fill: a new deal starts
 * at its pipeline's first open stage with that stage's probability (a
 * stage is found by key or label), closed (closed_at now) if the stage
 * closes; an imported row (REC_IMPORT) may bring a status and a closed_at
 * that agree with its stage (not in the future, not before created_at).
 * inserted: its first stage goes into the stage history; one added or
 * imported in a stage after its pipeline's first must meet what a stage
 * move into it would ask (the gate, the approval, a lost reason:
 * lost_reason=), or nothing is written. */
int pipeline_deal_check(struct crm *c, const struct type *t, const cJSON *fields, bool inserting,
			unsigned flags);
int pipeline_deal_fill(struct crm *c, const struct type *t, struct rec *r, unsigned flags);
int pipeline_deal_inserted(struct crm *c, const struct type *t, long long id, const cJSON *deal,
			   unsigned flags);

/* The deal's stage history, oldest first: [{"from","to","at","user",
 * "reason","forced","days"}]. NULL on a database error. */
cJSON *pipeline_history(struct crm *c, long long deal_id);

#endif
