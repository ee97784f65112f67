/* share.h: crm share (CLI.md 8.1): a user may read (with write: also
 * change) a record and what hangs off it (its notes, tasks, events)
 * until a day. The record's owner, their manager or an admin shares
 * it; each share and its removal is in the record's history. */
#ifndef CRM_TEAM_SHARE_H
#define CRM_TEAM_SHARE_H

#include <stdbool.h>
#include "core/crm.h"
#include "core/type.h"

/* Share record id with user (until: a day, or NULL for no end), or
 * change the share there is; prints the share. */
int share_add(struct crm *c, const struct type *t, long long id, const char *with, bool write, const char *until);
/* End it: CRM_NOTFOUND when there is none. */
int share_rm(struct crm *c, const struct type *t, long long id, const char *with);
/* The live shares (of record t:id when t is not NULL, with user when not
 * NULL) the acting user made, got, or may see as an admin. */
int share_list(struct crm *c, const struct type *t, long long id, const char *with);

#endif
