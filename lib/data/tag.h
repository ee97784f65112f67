/* tag.h: tags on records (a JSON array in each record's tags field). */
#ifndef CRM_TAG_H
#define CRM_TAG_H

#include "core/crm.h"
#include "core/record.h"

/* Add (add=true) or remove tags on a record through record_update, and
 * print it. Tags already there (or not there) are no change. */
int tag_change(struct crm *c, const struct type *t, long long id, char **tags, int ntags, bool add);
/* Print every tag in use ({"type":"tag","tag":...}), with counts per type
 * when counts; only type tn when not NULL. */
int tag_list(struct crm *c, const char *tn, bool counts);

#endif
