/* approval.h: approvals: a deal over config approval.amount_over needs
 * one before it moves into negotiation or won (config approval.stages),
 * by someone other than its owner. */
#ifndef CRM_SALES_APPROVAL_H
#define CRM_SALES_APPROVAL_H

#include <stdbool.h>
#include <cjson/cJSON.h>
#include "core/crm.h"

/* Whether moving deal (the record) into stage (closes: "won", "lost" or
 * NULL) needs an approval. */
bool approval_deal_needed(struct crm *c, const cJSON *deal, const char *stage, const char *closes);
/* Use an approval of deal id for stage, or ask for one. CRM_OK when
 * approved (the approval is consumed), CRM_CONFLICT otherwise. */
int approval_deal_take(struct crm *c, long long id, const cJSON *deal, const char *stage);

/* Approve the pending approval request of deal id (not by its owner:
 * CRM_PERM). Audited on "deal:ID" as "approve". */
int approval_approve(struct crm *c, long long deal_id);
/* Print the pending approval requests. CRM_NOTFOUND if none. */
int approval_list_pending(struct crm *c);

#endif
