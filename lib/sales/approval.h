/* approval.h: the approval engine, one for every record that needs a
 * yes before it goes on: a big deal before the stage moves config
 * approval.stages names (the first wave), a quote before it is sent with
 * a discount over the limit, a contract before it is signed (cash).
 *
 * An approval is a record (type approval, CLI.md 8.2), one per step:
 * {"entity":"contract:3","step":1,"role":"manager","status":"pending",
 * "by":"dave","at":...,"reason":...}. The steps of a type are config
 * approval.TYPE.steps, roles or user names in order (default manager);
 * each is decided by one user holding it (team_holds: with no users,
 * anyone) who does not own the record, in order. A request's steps are
 * current (pending or approved) until they are used (a deal's move),
 * voided (the amount the approval saw was raised, or the record was
 * changed) or a step is rejected (the steps after it are void). Deciding
 * a step publishes approval.approved or approval.rejected, which the
 * layer owning the record acts on (a contract's last step approves it). */
#ifndef CRM_SALES_APPROVAL_H
#define CRM_SALES_APPROVAL_H

#include <stdbool.h>
#include <cjson/cJSON.h>
#include "core/config.h"
#include "core/crm.h"
#include "core/type.h"

extern const struct type approval_type;


/* What a request sees, kept on each of its steps. */
struct approval_seen {
	const char *stage;      /* deals: the stage the move is for ("any": ahead of it) */
	bool has_amount;
	long long amount;       /* minor units */
	const char *currency;
	const char *discount;   /* quotes: the largest discount, percent as text */
};

enum approval_state { APPROVAL_NONE, APPROVAL_PENDING, APPROVAL_APPROVED };

/* The state of the current request of entity ("contract:3") into
 * *state: none, some step pending, or every step approved. */
int approval_state(struct crm *c, const char *entity, enum approval_state *state);

/* Ask for approval of entity (its type's steps): a pending step for each
 * step the current request does not have yet. *made (may be NULL): how
 * many were made. */
int approval_request(struct crm *c, const char *entity, const struct approval_seen *seen, int *made);

/* The current approved steps of entity are used up (a deal's move). */
int approval_consume(struct crm *c, const char *entity);
/* Void the current steps of entity, with why as their reason. */
int approval_void(struct crm *c, const char *entity, const char *why);
/* Void those that saw less: an amount below amount, or a discount below
 * discount (percent as text; NULL: not compared). */
int approval_void_raised(struct crm *c, const char *entity, long long amount, const char *discount,
			 const char *why);

/* crm approve: decide the next step of the record (t, id), or the step
 * approval t:id itself, as the acting user, and print it. The owner of
 * the record may not (CRM_PERM), nor someone not holding the step
 * (CRM_PERM); a step that is not the next is CRM_CONFLICT; nothing
 * pending is CRM_NOTFOUND (a deal over approval.amount_over is approved
 * ahead of its move). A rejection needs a reason. Audited on the step
 * and on the record. */
int approval_decide(struct crm *c, const struct type *t, long long id, bool reject, const char *reason);

/* Withdraw a pending step (crm approval rm): decided ones stay. */
int approval_withdraw(struct crm *c, long long id, bool purge);

/* Print approvals matching q (crm approval list); mine: only the steps
 * the acting user can decide now. CRM_NOTFOUND when none. */
struct query;
int approval_list(struct crm *c, const struct query *q, bool mine);

/* Deals (the first wave's big-deal rule, config approval.amount_over):
 * whether moving deal (the record) into stage (closes: "won", "lost" or
 * NULL) needs an approval. */
bool approval_deal_needed(struct crm *c, const cJSON *deal, const char *stage, const char *closes);
/* Use the approval of deal id, or ask for one: CRM_OK when approved (it
 * is used up), CRM_CONFLICT otherwise. */
int approval_deal_take(struct crm *c, long long id, const cJSON *deal, const char *stage);
/* The deal type's updated hook: raising its amount voids its approvals. */
int approval_deal_updated(struct crm *c, const struct type *t, long long id, const cJSON *before,
			  const cJSON *after, unsigned flags);

#endif
