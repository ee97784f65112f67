/* search.c: the full-text index over the fields marked FF_SEARCH.
 *
 * A write marks its record (search_mark, in the write's transaction); the
 * first search after writes indexes what was marked (search_refresh), so
 * a bulk import pays nothing for it. A key is id * 16 + the type's num.
 *
 * A server keeps no index of ours: a search reads the record tables
 * themselves (search_query), through the reader's row-level security,
 * each record's text made as index_one makes it, with pg_trgm's indexes
 * on that text where crm server init could make them (search_pg_indexes). */
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/dialect.h"
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
	if (dialect_server(c))
		return CRM_OK;   /* nothing to index: the tables are read as they are */
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

/* ---- the query ---- */

static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Words of 3+ characters are found by the trigrams; shorter ones by a scan. */
static bool long_word(const char *w)
{
	return chars(w) >= 3;
}

/* A record's searched text as index_one makes it: each searched field
 * that is set, followed by a newline; over the row alias (or the bare
 * columns when alias is NULL, as an index on it says them). Immutable,
 * so that an index may be made on it. */
static void body_sql(const struct type *t, const char *alias, struct sbuf *b)
{
	int n = 0;
	for (int i = 0; i < t->nfields; i++) {
		if (!(t->fields[i].flags & FF_SEARCH))
			continue;
		sbuf_add(b, n++ ? " || coalesce(CAST(" : "coalesce(CAST(");
		if (alias)
			sbuf_addf(b, "%s.", alias);
		sbuf_addf(b, "\"%s\" AS text) || '\n', '')", t->fields[i].name);
	}
	if (!n)
		sbuf_add(b, "''");
}

/* Every searched record's key and text (the rows a file's index has),
 * as one FROM item named alias. */
static void records_sql(struct crm *c, const char *alias, struct sbuf *b)
{
	sbuf_add(b, "(");
	int n = 0;
	for (int i = 0; type_at(c, i); i++) {
		const struct type *t = type_at(c, i);
		if (t->num <= 0 || !type_searchable(t))
			continue;
		sbuf_addf(b, "%sSELECT r.id * 16 + %d AS key, ", n++ ? " UNION ALL " : "", t->num);
		body_sql(t, "r", b);
		sbuf_addf(b, " AS body FROM \"%s\" AS r WHERE r.deleted_at IS NULL", t->name);
	}
	if (!n)
		sbuf_add(b, "SELECT CAST(NULL AS bigint) AS key, CAST(NULL AS text) AS body WHERE 1 = 0");
	sbuf_addf(b, ") AS %s", alias);
}

/* A LIKE pattern that finds w anywhere: its \\, %% and _ escaped. */
static char *like_anywhere(const char *w)
{
	struct sbuf b = { 0 };
	sbuf_addc(&b, '%');
	for (const char *p = w; *p; p++) {
		if (*p == '\\' || *p == '%' || *p == '_')
			sbuf_addc(&b, '\\');
		sbuf_addc(&b, *p);
	}
	sbuf_addc(&b, '%');
	return sbuf_detach(&b);
}

/* The server's statement: the records with every word, ranked as FTS5's
 * bm25() ranks a file's hits (k1 1.2, b 0.75; a document's length its
 * trigrams; the counts over every record the reader may see), ties by
 * key as FTS5 leaves them. Parameters: ?1 the type's number, ?2 the
 * limit, then per long word its pattern and itself, per short word itself. */
static char *server_sql(struct crm *c, char **words, int nw)
{
	struct sbuf sql = { 0 }, score = { 0 };
	int k = 3;
	sbuf_add(&sql, "SELECT h.key, h.body FROM ");
	records_sql(c, "h", &sql);
	bool ranked = false;
	for (int i = 0; i < nw; i++)
		ranked = ranked || long_word(words[i]);
	if (ranked) {
		/* the counts in one pass over every record the reader may see:
		 * the records, their trigrams, and per word those that have it */
		sbuf_add(&sql, " CROSS JOIN (SELECT count(*) AS n, sum(greatest(char_length(a.body) - 2, 0)) AS tok");
		for (int i = 0, kk = k; i < nw; i++) {
			if (!long_word(words[i])) {
				kk++;
				continue;
			}
			sbuf_addf(&sql, ", count(*) FILTER (WHERE a.body ILIKE ?%d) AS n%d", kk, i);
			kk += 2;
		}
		sbuf_add(&sql, " FROM ");
		records_sql(c, "a", &sql);
		sbuf_add(&sql, ") AS st");
	}
	for (int i = 0, kk = k; i < nw; i++) {
		if (!long_word(words[i])) {
			kk++;
			continue;
		}
		/* occurrences of the word in the text, case folded */
		char *f = xasprintf("((char_length(lower(h.body)) - char_length(replace(lower(h.body), lower(?%d), ''))) "
				    "/ char_length(lower(?%d)))", kk + 1, kk + 1);
		/* in doubles, as FTS5 computes it */
		sbuf_addf(&score, "%sgreatest(ln((CAST(st.n - st.n%d AS double precision) + 0.5) / "
			  "(CAST(st.n%d AS double precision) + 0.5)), 1e-6) * (CAST(%s AS double precision) * 2.2) / "
			  "(CAST(%s AS double precision) + 1.2 * (1 - 0.75 + 0.75 * "
			  "CAST(greatest(char_length(h.body) - 2, 0) AS double precision) / "
			  "nullif(CAST(st.tok AS double precision) / CAST(st.n AS double precision), 0)))",
			  score.len ? " + " : "", i, i, f, f);
		free(f);
		kk += 2;
	}
	sbuf_add(&sql, " WHERE (?1 = 0 OR h.key % 16 = ?1)");
	for (int i = 0; i < nw; i++)
		if (long_word(words[i])) {
			sbuf_addf(&sql, " AND h.body ILIKE ?%d", k);
			k += 2;
		} else {
			sbuf_addf(&sql, " AND strpos(h.body, ?%d) > 0", k++);
		}
	if (ranked)
		sbuf_addf(&sql, " ORDER BY -(%s), h.key", score.s);
	else
		sbuf_add(&sql, " ORDER BY h.key % 16, h.key");
	sbuf_add(&sql, " LIMIT nullif(CAST(?2 AS bigint), -1)");
	sbuf_release(&score);
	return sbuf_detach(&sql);
}

/* The file's statement: the index. Parameters: ?1 the FTS5 query of the
 * long words, ?2 the type's number, ?3 the limit, then the short words. */
static char *file_sql(char **words, int nw, bool *match)
{
	struct sbuf sql = { 0 };
	*match = false;
	for (int i = 0; i < nw; i++)
		*match = *match || long_word(words[i]);
	sbuf_add(&sql, "SELECT rowid, body FROM search WHERE (?2 = 0 OR rowid % 16 = ?2)");
	if (*match)
		sbuf_add(&sql, " AND search MATCH ?1");
	for (int i = 0, k = 4; i < nw; i++)
		if (!long_word(words[i]))
			sbuf_addf(&sql, " AND instr(body, ?%d) > 0", k++);
	sbuf_add(&sql, *match ? " ORDER BY rank LIMIT ?3" : " ORDER BY rowid % 16, rowid LIMIT ?3");
	return sbuf_detach(&sql);
}

struct db_stmt *search_query(struct crm *c, char **words, int nw, int num, long long limit)
{
	if (dialect_server(c)) {
		char *sql = server_sql(c, words, nw);
		struct db_stmt *st = db_stmt(c, sql);
		free(sql);
		if (!st)
			return NULL;
		db_bind_int(st, 1, num);
		db_bind_int64(st, 2, limit);
		for (int i = 0, k = 3; i < nw; i++)
			if (long_word(words[i])) {
				char *pat = like_anywhere(words[i]);
				db_bind_text(st, k++, pat, -1, DB_TRANSIENT);
				db_bind_text(st, k++, words[i], -1, DB_TRANSIENT);
				free(pat);
			} else {
				db_bind_text(st, k++, words[i], -1, DB_TRANSIENT);
			}
		return st;
	}
	bool match;
	char *sql = file_sql(words, nw, &match);
	struct db_stmt *st = db_stmt(c, sql);
	free(sql);
	if (!st)
		return NULL;
	if (match) {
		struct sbuf m = { 0 };
		for (int i = 0; i < nw; i++)
			if (long_word(words[i])) {
				if (m.len)
					sbuf_add(&m, " AND ");
				sbuf_add_quoted(&m, words[i], '"');   /* an FTS5 phrase */
			}
		db_bind_text(st, 1, m.s, -1, DB_TRANSIENT);
		sbuf_release(&m);
	}
	db_bind_int(st, 2, num);
	db_bind_int64(st, 3, limit);
	for (int i = 0, k = 4; i < nw; i++)
		if (!long_word(words[i]))
			db_bind_text(st, k++, words[i], -1, DB_TRANSIENT);
	return st;
}

void search_pg_indexes(struct crm *c, struct sbuf *ddl)
{
	for (int i = 0; type_at(c, i); i++) {
		const struct type *t = type_at(c, i);
		if (t->num <= 0 || !type_searchable(t))
			continue;
		sbuf_addf(ddl, "CREATE INDEX \"crm_search_%s\" ON \"%s\" USING gin ((", t->name, t->name);
		body_sql(t, NULL, ddl);
		sbuf_add(ddl, ") gin_trgm_ops);\n");
	}
}
