/* contract.h: contracts (合同): from an accepted quote or a deal, draft ->
 * pending (approval steps: config approval.contract.steps, when the amount
 * is over approval.contract.amount_over) -> approved -> signed, or back to
 * draft when an approver rejects; terminated (with a reason) from signed;
 * a signed contract past its end reads expired. Only a draft is editable,
 * and any edit voids the approvals it had. A contract shows received,
 * unreceived and invoiced. Signing moves the deal to its won stage. */
#ifndef CRM_CASH_CONTRACT_H
#define CRM_CASH_CONTRACT_H

#include "core/event.h"
#include "core/type.h"

extern const struct type contract_type;

/* The verbs; each prints the contract (renew: the new deal). */
int contract_submit(struct crm *c, long long id);
int contract_sign(struct crm *c, long long id, const char *date);
int contract_terminate(struct crm *c, long long id, const char *reason);
int contract_renew(struct crm *c, long long id);

/* A step of a contract's approval was decided (approval.approved,
 * approval.rejected): the last approval approves it, a rejection sends it
 * back to draft. */
int contract_on_approval(struct crm *c, const struct change *ch);
/* A contract with payments or issued invoices is not removed (exit 4). */
int contract_on_removed(struct crm *c, const struct change *ch);
/* Nor is a quote a live contract was made from (exit 4): the contract's
 * quote_id and its orders' lines name it. */
int contract_on_quote_removed(struct crm *c, const struct change *ch);

#endif
