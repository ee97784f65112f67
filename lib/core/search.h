/* search.h: the full-text index (FTS5 trigrams) over searchable fields. */
#ifndef CRM_CORE_SEARCH_H
#define CRM_CORE_SEARCH_H

#include "core/crm.h"
#include "core/type.h"

/* Mark a record for (re)indexing by search. */
int search_mark(struct crm *c, const struct type *t, long long id);
/* Bring the search index up to date. */
int search_refresh(struct crm *c);

#endif
