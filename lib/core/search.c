/* search.c: the full-text index over the fields marked FF_SEARCH.
 *
 * A write marks its record (search_mark, in the write's transaction); the
 * first search after writes indexes what was marked (search_refresh), so
 * a bulk import pays nothing for it. A key is id * 16 + the type's num. */
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/progress.h"
#include "core/search.h"

static bool type_searchable(const struct type *t)
{
	for (int i = 0; i < t->nfields; i++)
		if (t->fields[i].flags & FF_SEARCH)
			return true;
	return false;
}

int search_mark(struct crm *c, const struct type *t, long long id)
{
	if (t->num <= 0 || !type_searchable(t))
		return CRM_OK;   /* events, payments: not in the index */
	if (c->db_role)
		return CRM_OK;   /* a server keeps no index of ours (a file copied back
				  * from it is indexed whole: crm migrate) */
	struct db_stmt *st = db_stmt(c, "INSERT OR IGNORE INTO search_dirty(key) VALUES (?)");
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, id * 16 + t->num);
	int rc = db_step(st);
	return rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "search index");
}

/* ---- the search index ---- */

static int index_one(struct crm *c, long long key)
{
	const struct type *t = type_by_num(c, (int)(key % 16));
	long long id = key / 16;
	struct db_stmt *del = db_stmt(c, "DELETE FROM search WHERE rowid = ?");
	if (!del)
		return c->errcode;
	db_bind_int64(del, 1, key);
	int rc = db_step(del);
	db_reset(del);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "search index");
	if (!t)
		return CRM_OK;
	/* the searchable columns of the live record, as stored */
	struct sbuf sql = { 0 };
	sbuf_add(&sql, "SELECT ");
	int n = 0;
	for (int i = 0; i < t->nfields; i++)
		if (t->fields[i].flags & FF_SEARCH) {
			sbuf_add(&sql, n++ ? ", \"" : "\"");
			sbuf_add(&sql, t->fields[i].name);
			sbuf_addc(&sql, '"');
		}
	sbuf_addf(&sql, " FROM \"%s\" WHERE id = ? AND deleted_at IS NULL", t->name);
	if (!n) {
		sbuf_release(&sql);
		return CRM_OK;
	}
	struct db_stmt *st = db_stmt(c, sql.s);
	sbuf_release(&sql);
	if (!st)
		return c->errcode;
	db_bind_int64(st, 1, id);
	struct sbuf body = { 0 };
	rc = db_step(st);
	for (int i = 0; rc == DB_ROW && i < n; i++)
		if (db_column_type(st, i) != DB_NULL) {
			sbuf_add(&body, (const char *)db_column_text(st, i));
			sbuf_addc(&body, '\n');
		}
	db_reset(st);
	if (rc == DB_DONE)
		return CRM_OK;   /* removed or purged: stays out of the index */
	if (rc != DB_ROW) {
		sbuf_release(&body);
		return crm_dberror(c, rc, "search index");
	}
	struct db_stmt *ins = db_stmt(c, "INSERT INTO search(rowid, entity, body) VALUES (?, ?, ?)");
	if (!ins) {
		sbuf_release(&body);
		return c->errcode;
	}
	char *entity = xasprintf("%s:%lld", t->name, id);
	db_bind_int64(ins, 1, key);
	db_bind_text(ins, 2, entity, -1, DB_TRANSIENT);
	db_bind_text(ins, 3, body.s ? body.s : "", -1, DB_TRANSIENT);
	rc = db_step(ins);
	db_reset(ins);
	free(entity);
	sbuf_release(&body);
	return rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "search index");
}

int search_refresh(struct crm *c)
{
	struct db_stmt *st;
	long long total = db_get_int(c, "SELECT count(*) FROM search_dirty", NULL, 0);
	if (!total)
		return CRM_OK;
	int rc = db_prepare(c, "SELECT key FROM search_dirty ORDER BY key", -1, &st, NULL);
	if (rc != DB_OK)
		return crm_dberror(c, rc, "search index");
	struct progress pg;
	progress_begin(&pg, c, "search index", "records");
	int res = CRM_OK;
	long long n = 0;
	while (res == CRM_OK && (rc = db_step(st)) == DB_ROW) {
		res = index_one(c, db_column_int64(st, 0));
		if ((++n & 1023) == 0)
			progress_update(&pg, n, (double)n / (double)total);
	}
	progress_update(&pg, n, 1);
	progress_end(&pg);
	db_finalize(st);
	if (res)
		return res;
	return db_exec(c, "DELETE FROM search_dirty");
}
