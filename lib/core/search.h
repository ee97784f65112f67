/* search.h: the full-text index (FTS5 trigrams) over searchable fields. */
#ifndef CRM_CORE_SEARCH_H
#define CRM_CORE_SEARCH_H

#include "base/sbuf.h"
#include "core/crm.h"
#include "core/db.h"
#include "core/type.h"

/* Mark a record for (re)indexing by search. */
int search_mark(struct crm *c, const struct type *t, long long id);
/* Bring the search index up to date. */
int search_refresh(struct crm *c);

/* A statement (db_stmt's: reset, not finalized, after) whose rows are
 * the key (id * 16 + the type's num) and the searched text of the
 * records that have every word of words (nw), of the type numbered num
 * (0: any), best first, at most limit (-1: all); NULL on error. Words of
 * 3+ characters are found through trigrams, shorter ones by a scan. On
 * a file it reads the index (FTS5's rank); on a server the record
 * tables, through row-level security, ranked by the same BM25 over what
 * the reader may see. */
struct db_stmt *search_query(struct crm *c, char **words, int nw, int num, long long limit);

/* The server's trigram indexes (pg_trgm) on each searched type's text,
 * the text search_query reads, as DDL into ddl. */
void search_pg_indexes(struct crm *c, struct sbuf *ddl);

#endif
