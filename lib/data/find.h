/* find.h: crm search, the query over the full-text index. */
#ifndef CRM_DATA_FIND_H
#define CRM_DATA_FIND_H

#include "core/crm.h"
#include "core/type.h"

/* Print the records (of type only, or of all types) that have every word
 * of text, at most limit (0: all) of those the acting user may see,
 * masked, each with a "snippet" around the first word. CRM_NOTFOUND when
 * none; CRM_USAGE for an empty text. */
int find_records(struct crm *c, const char *text, const struct type *only, long long limit);

#endif
