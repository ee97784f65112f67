/* merge.h: likely duplicates (crm dedupe) and merging them (crm merge). */
#ifndef CRM_MERGE_H
#define CRM_MERGE_H

#include "core/crm.h"
#include "core/record.h"

/* Print groups of records of type tn sharing a key: by is a comma list of
 * phone, email, name+company (default all three); fuzzy also compares
 * company names without 有限公司, (中国), Co., Ltd. and the like. */
int dedupe_run(struct crm *c, const char *tn, const char *by, bool fuzzy);

/* Merge drops into keep: keep's values win, its empty fields are filled
 * from the others, their activities, tasks, events, deals and contacts
 * move to keep, and they are removed (crm restore undoes it). All or
 * nothing. Prints the kept record with what moved. */
int merge_run(struct crm *c, const char *tn, long long keep, const long long *drops, int ndrops);

/* After crm restore of a merged record: move back what the merge moved. */
int merge_undo(struct crm *c, const struct type *t, long long id);

#endif
