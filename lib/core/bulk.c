/* bulk.c: the bulk writer. See bulk.h. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/audit.h"
#include "base/date.h"
#include "core/bulk.h"
#include "core/db.h"
#include "core/dialect.h"
#include "core/event.h"
#include "core/hook.h"
#include "core/progress.h"
#include "core/search.h"

/* ---- the hash of key values ----
 * One slot per value: 32 bits of its hash and the record's id (so ids
 * must fit in 32 bits; past that the table's own indexes are asked). A
 * slot is only a candidate: the value is read back to confirm it, so a
 * collision costs a lookup, never a wrong answer. 8 bytes a value: two
 * keys of a million leads take 32 MB. */

struct slot {
	uint32_t h, id;
};

struct keys {
	struct slot *s;
	size_t cap, n;
};

static uint32_t key_hash(int k, const char *v)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ ((uint64_t)(k + 1) * 0x9e3779b97f4a7c15ULL);
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return (uint32_t)h;
}

static void keys_put(struct keys *ks, uint32_t h, uint32_t id)
{
	size_t m = ks->cap - 1, i = h & m;
	while (ks->s[i].id)
		i = (i + 1) & m;
	ks->s[i].h = h;
	ks->s[i].id = id;
	ks->n++;
}

static void keys_init(struct keys *ks, size_t want)
{
	size_t cap = 1024;
	while (cap < want * 2)
		cap *= 2;
	ks->s = xcalloc(cap, sizeof(*ks->s));
	ks->cap = cap;
	ks->n = 0;
}

static void keys_add(struct keys *ks, uint32_t h, uint32_t id)
{
	if ((ks->n + 1) * 2 > ks->cap) {
		struct keys bigger;
		keys_init(&bigger, ks->cap);
		for (size_t i = 0; i < ks->cap; i++)
			if (ks->s[i].id)
				keys_put(&bigger, ks->s[i].h, ks->s[i].id);
		free(ks->s);
		*ks = bigger;
	}
	keys_put(ks, h, id);
}

static void keys_free(struct keys *ks)
{
	free(ks->s);
	memset(ks, 0, sizeof(*ks));
}

/* ---- the run ---- */

/* The page cache of a staged run's move, in MB (the run's own is the
 * caller's db_bulk). */
#define BULK_MOVE_CACHE_MB 24

struct bulk {
	struct crm *c;
	const struct type *t;
	char tname[64];           /* its name: t moves when a field is added (bulk_refresh) */
	struct bulk_opts o;
	bool staged;
	bool hashed;              /* the keys are in ks (else the indexes are asked) */
	bool heard;               /* someone acts on TYPE.created */
	bool searchable;
	bool fk_off;              /* bulk_finish turned foreign keys off: bulk_done commits */
	bool server;              /* a team server: rows straight in, each under a savepoint
				   * (an error aborts a transaction there), duplicates asked
				   * of the table as the role sees it */
	char *stage;              /* the staging table, or NULL */
	long long first_id, next_id;
	long long audit_from;     /* the audit's last id when the keys were read */
	int nkey;
	int *key;                 /* the fields the hash holds, by index */
	bool *dedupe;             /* key k is matched for duplicates (bulk_find) */
	bool *unique;             /* key k is FF_KEY: no two live records share a value */
	bool *probe;              /* key k is asked of its unique index, not the hash */
	char **sql_table;         /* key k's value of a live record by id */
	char **sql_stage;         /* ... of a staged row */
	char **sql_find;          /* the lowest live id with a value of key k */
	struct keys ks;
	char *ins_sql;            /* the INSERT of one row */
	int ncol;
	int *col;                 /* the fields it writes, by index */
	char **dflt;              /* and their SQL default, as a value (NULL: none) */
	struct bulk_batch batch;
	long long made_first, made_last;   /* the ids of the records made */
	int (*prev_commit)(struct crm *c, void *arg);
	void *prev_arg;
};

bool bulk_staged(const struct bulk *b)
{
	return b->staged;
}

long long bulk_first_id(const struct bulk *b)
{
	return b->first_id;
}

bool bulk_is_staged(const struct bulk *b, long long id)
{
	return b->staged && id >= b->first_id && id < b->next_id;
}

static char *stage_name(const struct type *t, long long run)
{
	return xasprintf("bulk_%s_%lld", t->name, run);
}

static bool table_exists(struct crm *c, const char *name)
{
	if (dialect_server(c))
		return false;   /* a server's runs never stage */
	return db_get_int(c, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", name, 0) > 0;
}

char *bulk_stage_name(struct crm *c, const struct type *t, long long run)
{
	char *name = stage_name(t, run);
	if (table_exists(c, name))
		return name;
	free(name);
	return NULL;
}

int bulk_drop_stage(struct crm *c, const struct type *t, long long run)
{
	if (dialect_server(c))
		return CRM_OK;
	char *name = stage_name(t, run);
	char *sql = xasprintf("DROP TABLE IF EXISTS \"%s\"", name);
	int rc = db_exec(c, sql);
	free(sql);
	free(name);
	return rc;
}

/* The columns of a table, in order (names newly allocated). */
static int table_columns(struct crm *c, const char *table, char ***names, int *n)
{
	struct db_stmt *st;
	*names = NULL;
	*n = 0;
	if (db_prepare(c, dialect_columns_sql(c), -1, &st, NULL) != DB_OK)
		return crm_dberror(c, db_errcode(c), table);
	db_bind_text(st, 1, table, -1, DB_TRANSIENT);
	while (db_step(st) == DB_ROW) {
		*names = xrealloc(*names, (*n + 1) * sizeof(**names));
		(*names)[(*n)++] = xstrdup((const char *)db_column_text(st, 0));
	}
	db_finalize(st);
	return CRM_OK;
}

static void names_free(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static bool names_have(char **names, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

int bulk_origin_columns(struct crm *c, const struct type *t)
{
	char **cols;
	int n;
	int rc = table_columns(c, t->name, &cols, &n);
	if (!rc && n && !names_have(cols, n, "import_run")) {
		char *sql = xasprintf("ALTER TABLE \"%s\" ADD COLUMN import_run INTEGER; "
				      "ALTER TABLE \"%s\" ADD COLUMN import_line INTEGER", t->name, t->name);
		rc = db_exec(c, sql);
		free(sql);
	}
	names_free(cols, n);
	return rc;
}

/* The staging table: t's own CREATE TABLE under another name, so that it
 * has the same columns, types and constraints (and a copy of its rows
 * into t can be a straight copy). */
static int stage_create(struct crm *c, const struct type *t, const char *name)
{
	char *sql = db_get_text(c, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", t->name);
	if (!sql)
		return crm_error(c, CRM_DBERR, "no table for %s", t->name);
	/* CREATE TABLE <name> (...): the name may be quoted */
	const char *p = sql + strlen("CREATE TABLE");
	while (*p == ' ')
		p++;
	if (*p == '"' || *p == '`' || *p == '[') {
		char close = *p == '[' ? ']' : *p;
		p = strchr(p + 1, close);
		p = p ? p + 1 : sql + strlen(sql);
	} else {
		while (*p && *p != ' ' && *p != '(')
			p++;
	}
	while (*p == ' ')
		p++;
	char *create = xasprintf("CREATE TABLE \"%s\" %s", name, p);
	int rc = db_exec(c, create);
	free(create);
	free(sql);
	return rc;
}

/* Columns t gained since its staging table was made (a field added
 * between an interruption and --resume) are added to it too. */
static int stage_catch_up(struct crm *c, const struct type *t, const char *name)
{
	char **tc, **sc;
	int nt, ns;
	int rc = table_columns(c, t->name, &tc, &nt);
	if (!rc)
		rc = table_columns(c, name, &sc, &ns);
	if (rc) {
		names_free(tc, nt);
		return rc;
	}
	struct db_stmt *st = NULL;
	for (int i = 0; i < nt && !rc; i++) {
		if (names_have(sc, ns, tc[i]))
			continue;
		if (!st && db_prepare(c, "SELECT type FROM pragma_table_info(?) WHERE name = ?", -1, &st,
					      NULL) != DB_OK) {
			rc = crm_dberror(c, db_errcode(c), name);
			break;
		}
		db_reset(st);
		db_bind_text(st, 1, t->name, -1, DB_TRANSIENT);
		db_bind_text(st, 2, tc[i], -1, DB_TRANSIENT);
		const char *type = db_step(st) == DB_ROW ? (const char *)db_column_text(st, 0) : "";
		char *sql = xasprintf("ALTER TABLE \"%s\" ADD COLUMN \"%s\" %s", name, tc[i], type ? type : "");
		rc = db_exec(c, sql);
		free(sql);
	}
	db_finalize(st);
	names_free(tc, nt);
	names_free(sc, ns);
	return rc;
}

/* The INSERT of one row, and each column's SQL default as a value (a
 * value left empty gets it, as when record_insert leaves the column out). */
static int insert_prepare(struct bulk *b)
{
	struct crm *c = b->c;
	const struct type *t = b->t;
	char **cols;
	int n;
	int rc = table_columns(c, b->staged ? b->stage : t->name, &cols, &n);
	if (rc)
		return rc;
	struct sbuf sql = { 0 }, qs = { 0 };
	sbuf_addf(&sql, "INSERT INTO \"%s\"(", b->staged ? b->stage : t->name);
	if (b->staged) {
		sbuf_add(&sql, "id");
		sbuf_add(&qs, "?");
	}
	b->col = xcalloc(t->nfields, sizeof(int));
	b->dflt = xcalloc(t->nfields, sizeof(char *));
	struct db_stmt *dst = NULL;
	if (db_prepare(c, dialect_default_sql(c), -1, &dst, NULL) != DB_OK) {
		names_free(cols, n);
		return crm_dberror(c, db_errcode(c), t->name);
	}
	for (int i = 1; i < t->nfields && !rc; i++) {
		const struct field *f = &t->fields[i];
		if (f->flags & FF_COMPUTED || !names_have(cols, n, f->name))
			continue;
		sbuf_addf(&sql, "%s\"%s\"", qs.len ? ", " : "", f->name);
		sbuf_add(&qs, qs.len ? ", ?" : "?");
		db_reset(dst);
		db_bind_text(dst, 1, t->name, -1, DB_TRANSIENT);
		db_bind_text(dst, 2, f->name, -1, DB_TRANSIENT);
		if (db_step(dst) == DB_ROW && db_column_type(dst, 0) != DB_NULL) {
			char *q = xasprintf("SELECT %s", (const char *)db_column_text(dst, 0));
			b->dflt[b->ncol] = db_get_text(c, q, NULL);
			free(q);
		}
		b->col[b->ncol++] = i;
	}
	db_finalize(dst);
	names_free(cols, n);
	if (b->o.run) {
		sbuf_add(&sql, ", import_run, import_line");
		sbuf_add(&qs, ", ?, ?");
	}
	sbuf_addf(&sql, ") VALUES (%s)%s", qs.s ? qs.s : "", b->staged ? "" : dialect_returning_id(c));
	sbuf_release(&qs);
	b->ins_sql = sbuf_detach(&sql);
	return rc;
}

/* The fields the hash holds: the caller's (to match duplicates on), and
 * those that are unique (FF_KEY). */
static int keys_choose(struct bulk *b)
{
	const struct type *t = b->t;
	b->key = xcalloc(t->nfields, sizeof(int));
	b->dedupe = xcalloc(t->nfields, sizeof(bool));
	b->unique = xcalloc(t->nfields, sizeof(bool));
	b->probe = xcalloc(t->nfields, sizeof(bool));
	for (int k = 0; k < b->o.nkeys; k++) {
		const struct field *f = type_field(t, b->o.keys[k]);
		if (!f || f->flags & FF_COMPUTED)
			return crm_error(b->c, CRM_USAGE, "%s has no field '%s' to match duplicates by", t->name,
					 b->o.keys[k]);
		int i = (int)(f - t->fields);
		bool have = false;
		for (int j = 0; j < b->nkey; j++)
			have = have || b->key[j] == i;
		if (have)
			continue;
		b->dedupe[b->nkey] = true;
		b->unique[b->nkey] = f->flags & FF_KEY;
		b->key[b->nkey++] = i;
	}
	for (int i = 1; i < t->nfields; i++) {
		if (!(t->fields[i].flags & FF_KEY))
			continue;
		bool have = false;
		for (int j = 0; j < b->nkey; j++)
			have = have || b->key[j] == i;
		if (!have) {
			b->unique[b->nkey] = true;
			b->key[b->nkey++] = i;
		}
	}
	/* An FF_KEY field (a payment's number) of a small run that writes
	 * straight into the table: the field's unique index answers (three
	 * lookups a row, some 17k instructions) rather than a hash of every
	 * live record's value (1.2k instructions a record, read first). */
	long long ids = b->next_id - 1;
	bool small = b->o.expect > 0 && b->o.expect * 16 < ids;
	for (int k = 0; k < b->nkey; k++)
		b->probe[k] = !b->staged && small && b->unique[k];
	b->sql_table = xcalloc(b->nkey ? b->nkey : 1, sizeof(char *));
	b->sql_stage = xcalloc(b->nkey ? b->nkey : 1, sizeof(char *));
	b->sql_find = xcalloc(b->nkey ? b->nkey : 1, sizeof(char *));
	for (int k = 0; k < b->nkey; k++) {
		const char *name = t->fields[b->key[k]].name;
		b->sql_table[k] = xasprintf("SELECT \"%s\" FROM \"%s\" WHERE id = ? AND deleted_at IS NULL", name, t->name);
		/* min(), not ORDER BY id LIMIT 1: no sorter opened a row */
		b->sql_find[k] = xasprintf("SELECT min(id) FROM \"%s\" WHERE \"%s\" = ? AND deleted_at IS NULL",
					   t->name, name);
		if (b->stage)
			b->sql_stage[k] = xasprintf("SELECT \"%s\" FROM \"%s\" WHERE id = ?", name, b->stage);
	}
	return CRM_OK;
}

static void keys_add_row(struct bulk *b, long long id, int k, const char *v)
{
	if (b->hashed && !b->probe[k] && v && *v)
		keys_add(&b->ks, key_hash(k, v), (uint32_t)id);
}

/* Read every live record's key values (and a resumed run's staged rows). */
static int keys_load(struct bulk *b, long long live)
{
	struct crm *c = b->c;
	int hashed = 0;
	for (int k = 0; k < b->nkey; k++)
		hashed += !b->probe[k];
	if (!b->hashed || !hashed)
		return CRM_OK;
	keys_init(&b->ks, (size_t)(live + (b->o.expect > 0 ? b->o.expect : 0)) * (size_t)hashed);
	for (int pass = 0; pass < (b->staged ? 2 : 1); pass++) {
		struct sbuf sql = { 0 };
		sbuf_add(&sql, "SELECT id");
		for (int k = 0; k < b->nkey; k++)
			sbuf_addf(&sql, b->probe[k] ? ", NULL" : ", \"%s\"", b->t->fields[b->key[k]].name);
		sbuf_addf(&sql, " FROM \"%s\"%s", pass ? b->stage : b->t->name, pass ? "" : " WHERE deleted_at IS NULL");
		struct db_stmt *st;
		int rc = db_prepare(c, sql.s, -1, &st, NULL);
		sbuf_release(&sql);
		if (rc != DB_OK)
			return crm_dberror(c, rc, b->t->name);
		while ((rc = db_step(st)) == DB_ROW) {
			long long id = db_column_int64(st, 0);
			for (int k = 0; k < b->nkey; k++)
				keys_add_row(b, id, k, (const char *)db_column_text(st, k + 1));
		}
		db_finalize(st);
		if (rc != DB_DONE)
			return crm_dberror(c, rc, b->t->name);
	}
	return CRM_OK;
}

static int before_commit(struct crm *c, void *arg)
{
	struct bulk *b = arg;
	int rc = b->o.on_commit ? b->o.on_commit(c, b->o.arg) : CRM_OK;
	if (!rc && b->prev_commit)
		rc = b->prev_commit(c, b->prev_arg);
	return rc;
}

static const char *created_event(const struct type *t, char *buf, size_t n)
{
	if (t->created_event)
		return t->created_event;
	snprintf(buf, n, "%s.created", t->name);
	return buf;
}

struct bulk *bulk_open(struct crm *c, const struct type *t, const struct bulk_opts *o)
{
	if (o->run && bulk_origin_columns(c, t))
		return NULL;
	struct bulk *b = xcalloc(1, sizeof(*b));
	b->c = c;
	b->t = t;
	snprintf(b->tname, sizeof(b->tname), "%s", t->name);
	b->o = *o;
	b->o.flags |= REC_ALLOW_DUP;
	b->server = dialect_server(c);
	char *sql = dialect_next_id(c, t->name);
	long long maxid = db_get_int(c, sql, NULL, 1) - 1;
	free(sql);
	/* the live records, counted only where they decide something (a
	 * scan of the table): else as many as there are ids */
	long long live = maxid;
	int rc = CRM_OK;
	/* a server's role may not read every record: its duplicates are
	 * those it can see, asked of the table (the indexes answer) */
	b->hashed = !b->server && maxid + (o->expect > 0 ? o->expect : 0) < 4000000000LL;
	char *old = o->resume ? bulk_stage_name(c, t, o->run) : NULL;
	if (old) {
		b->stage = old;
		b->staged = true;
		b->first_id = o->first_id > 0 ? o->first_id : maxid + 1;
		sql = xasprintf("SELECT coalesce(max(id), 0) + 1 FROM \"%s\"", old);
		b->next_id = db_get_int(c, sql, NULL, 1);
		free(sql);
		if (b->next_id < b->first_id)
			b->next_id = b->first_id;
		rc = stage_catch_up(c, t, old);
	} else {
		b->first_id = o->first_id > 0 && o->resume ? o->first_id : maxid + 1;
		b->next_id = b->first_id;
		/* records someone listens to (rules on TYPE.created, the user's
		 * hook) go straight in, each firing as it is written and in
		 * commits of at most half a second: in a staging table they
		 * would all fire in the one transaction at the end */
		char evname[96];
		bool heard = event_heard(c, created_event(t, evname, sizeof(evname)), b->o.flags);
		bool may = o->stage && b->hashed && !heard && !(t->ops && t->ops->inserted);
		if (may && maxid > 0) {
			sql = xasprintf("SELECT count(*) FROM \"%s\" WHERE deleted_at IS NULL", t->name);
			live = db_get_int(c, sql, NULL, 0);
			free(sql);
		}
		/* staged when it adds more than about a tenth to the table: the
		 * indexes are built again at the end, and that is cheaper than
		 * keeping them up to date row by row only for a big load */
		bool big = o->expect > 0 ? o->expect * 10 >= live : live == 0;
		if (may && big) {
			b->stage = stage_name(t, o->run);
			b->staged = true;
			char *drop = xasprintf("DROP TABLE IF EXISTS \"%s\"", b->stage);
			rc = db_exec(c, drop);
			free(drop);
			if (!rc)
				rc = stage_create(c, t, b->stage);
		}
	}
	if (!rc)
		rc = keys_choose(b);
	if (!rc)
		rc = insert_prepare(b);
	b->audit_from = db_get_int(c, "SELECT coalesce(max(id), 0) FROM audit", NULL, 0);
	if (!rc)
		rc = keys_load(b, live);
	if (rc) {
		bulk_close(b);
		return NULL;
	}
	char ev[96];
	b->heard = event_heard(c, created_event(t, ev, sizeof(ev)), b->o.flags);
	for (int i = 0; i < t->nfields; i++)
		b->searchable = b->searchable || t->fields[i].flags & FF_SEARCH;
	b->prev_commit = c->before_commit;
	b->prev_arg = c->before_commit_arg;
	c->before_commit = before_commit;
	c->before_commit_arg = b;
	if (!c->bulk)
		c->bulk = b;
	return b;
}

int bulk_refresh(struct bulk *b)
{
	struct crm *c = b->c;
	const struct type *t = type_find(c, b->tname);
	if (!t)
		return crm_error(c, CRM_USAGE, "unknown record type '%s'", b->tname);
	/* the same fields by name: custom ones go in before the stamps */
	for (int k = 0; k < b->nkey; k++) {
		const struct field *f = type_field(t, b->t->fields[b->key[k]].name);
		b->key[k] = f ? (int)(f - t->fields) : b->key[k];
	}
	b->t = t;
	int rc = b->staged ? stage_catch_up(c, t, b->stage) : CRM_OK;
	for (int i = 0; i < b->ncol; i++)
		free(b->dflt[i]);
	free(b->dflt);
	free(b->col);
	free(b->ins_sql);
	b->dflt = NULL;
	b->col = NULL;
	b->ins_sql = NULL;
	b->ncol = 0;
	return rc ? rc : insert_prepare(b);
}

/* ---- duplicates ---- */

/* Whether record id (a live one, or a staged row) has value v in key k. */
static bool has_value(struct bulk *b, int k, long long id, const char *v)
{
	struct db_stmt *st = db_stmt(b->c, bulk_is_staged(b, id) ? b->sql_stage[k] : b->sql_table[k]);
	if (!st)
		return false;
	db_bind_int64(st, 1, id);
	bool same = db_step(st) == DB_ROW && db_column_type(st, 0) != DB_NULL
		 && !strcmp((const char *)db_column_text(st, 0), v);
	db_reset(st);
	return same;
}

/* The lowest id with value v in key k; staged_only: among the staged rows. */
static long long find_key(struct bulk *b, int k, const char *v, bool staged_only)
{
	if (!b->hashed || b->probe[k])
		return db_get_int(b->c, b->sql_find[k], v, 0);
	if (!b->ks.cap)
		return 0;
	uint32_t h = key_hash(k, v);
	size_t m = b->ks.cap - 1;
	long long best = 0;
	for (size_t i = h & m; b->ks.s[i].id; i = (i + 1) & m) {
		long long id = b->ks.s[i].id;
		if (b->ks.s[i].h != h || (best && id >= best) || (staged_only && !bulk_is_staged(b, id)))
			continue;
		if (has_value(b, k, id, v))
			best = id;
	}
	return best;
}

long long bulk_find(struct bulk *b, const struct rec *r, const char **which)
{
	for (int k = 0; k < b->nkey; k++) {
		const char *v = r->vals[b->key[k]];
		if (!b->dedupe[k] || !v)
			continue;
		long long id = find_key(b, k, v, false);
		if (id) {
			if (which)
				*which = b->t->fields[b->key[k]].name;
			return id;
		}
	}
	return 0;
}

long long bulk_find_value(struct bulk *b, const char *field, const char *value)
{
	for (int k = 0; k < b->nkey; k++)
		if (!strcmp(b->t->fields[b->key[k]].name, field))
			return find_key(b, k, value, false);
	/* not a key the hash holds: the table's own index */
	char *sql = xasprintf("SELECT min(id) FROM \"%s\" WHERE \"%s\" = ? AND deleted_at IS NULL", b->t->name, field);
	long long id = db_get_int(b->c, sql, value, 0);
	free(sql);
	return id;
}

bool bulk_key_taken(struct crm *c, const struct type *t, const char *field, const char *value)
{
	struct bulk *b = c->bulk;
	if (b && !strcmp(b->tname, t->name))
		return bulk_find_value(b, field, value) != 0;
	char sql[200];   /* on the stack: asked for every record a number is given */
	snprintf(sql, sizeof(sql), "SELECT 1 FROM \"%s\" WHERE \"%s\" = ? AND deleted_at IS NULL", t->name, field);
	return db_get_int(c, sql, value, 0) != 0;
}

/* ---- writing ---- */

/* A unique value (FF_KEY) that a live record or an earlier row has. */
static int unique_check(struct bulk *b, char **vals)
{
	for (int k = 0; k < b->nkey; k++) {
		const char *v = vals[b->key[k]];
		if (!b->unique[k] || !v)
			continue;
		long long other = find_key(b, k, v, false);
		if (other)
			return crm_error(b->c, CRM_CONFLICT, "%s %s already belongs to %s:%lld",
					 b->t->fields[b->key[k]].name, v, b->t->name, other);
	}
	return CRM_OK;
}

/* A row without a savepoint failed after its INSERT: it cannot be undone
 * alone, so nothing more may be written or committed in this transaction
 * (the caller rolls it back: its batch goes, as on a failed commit). */
static int txn_spoilt(struct crm *c, const struct type *t)
{
	if (c->errcode != CRM_DBERR) {
		char why[sizeof(c->errmsg)];
		snprintf(why, sizeof(why), "%s", c->errmsg);
		crm_error(c, CRM_DBERR, "%s (a %s of a bulk run cannot be undone alone: its batch is not kept)", why,
			  t->name);
	}
	snprintf(c->txn_failed, sizeof(c->txn_failed), "%s", c->errmsg);
	return CRM_DBERR;
}

/* After a direct row is in: what record_insert does after its INSERT
 * (the type's inserted, the search mark, the event), minus the audit. */
static int direct_after(struct bulk *b, long long id, char **vals)
{
	struct crm *c = b->c;
	const struct type *t = b->t;
	int rc = CRM_OK;
	if (t->ops && t->ops->inserted_vals) {
		rc = t->ops->inserted_vals(c, t, id, vals, b->o.flags);
	} else if (t->ops && t->ops->inserted) {
		/* the record as written, as record_insert hands it on (no read back) */
		cJSON *after = record_json(t, id, vals);
		rc = t->ops->inserted(c, t, id, after, b->o.flags);
		cJSON_Delete(after);
	}
	if (!rc && b->searchable)
		rc = search_mark(c, t, id);
	if (!rc && b->heard)
		rc = record_publish(c, t, id, "created", b->o.flags);
	return rc;
}

int bulk_insert(struct bulk *b, struct rec *r, long line, long long *id)
{
	struct crm *c = b->c;
	int rc = unique_check(b, r->vals);
	if (!rc && !b->hashed)
		rc = record_guard(c, b->t, r->vals, 0, REC_ALLOW_DUP, NULL);
	struct db_stmt *st = rc ? NULL : db_stmt(c, b->ins_sql);
	if (!rc && !st)
		rc = c->errcode;
	if (rc)
		return rc;
	int n = 0;
	if (b->staged)
		db_bind_int64(st, ++n, b->next_id);
	for (int i = 0; i < b->ncol; i++) {
		const char *v = r->vals[b->col[i]];
		if (!v)
			v = b->dflt[i];
		if (v)
			db_bind_text(st, ++n, v, -1, DB_STATIC);
		else
			db_bind_null(st, ++n);
	}
	if (b->o.run) {
		db_bind_int64(st, ++n, b->o.run);
		db_bind_int64(st, ++n, line);
	}
	/* A direct row needs a savepoint when what comes after its INSERT may
	 * refuse it (the type's inserted hook, a rule listening): that undoes
	 * the row alone. With nothing after it, or only what fails as the
	 * database fails (the search mark, an inserted hook that refuses
	 * nothing), it goes without one (a savepoint copies every page the
	 * row touches): such a failure ends the transaction instead (below). */
	const struct type_ops *ops = b->t->ops;
	bool alone = !b->staged && !b->heard && !(ops && ops->inserted && !ops->inserted_never_refuses)
		  && !b->server;
	if (!b->staged && !alone && (rc = db_savepoint(c)))
		return rc;
	int src = db_step(st);
	long long made = 0;
	if (src == DB_ROW) {   /* RETURNING id */
		made = db_column_int64(st, 0);
		src = DB_DONE;
	}
	db_reset(st);
	if (src != DB_DONE) {
		rc = crm_dberror(c, src, b->t->name);
	} else if (b->staged) {
		made = b->next_id++;
	} else {
		if (!made)
			made = db_last_insert_id(c);
		rc = direct_after(b, made, r->vals);
		if (rc && alone)
			rc = txn_spoilt(c, b->t);
	}
	if (!b->staged && !alone) {
		if (rc)
			db_rollback_to(c);
		else
			rc = db_release(c);
	}
	if (!rc) {
		for (int k = 0; k < b->nkey; k++)
			keys_add_row(b, made, k, r->vals[b->key[k]]);
		if (!b->batch.n++)
			b->batch.first = made;
		b->batch.last = made;
		b->batch.total++;
		if (!b->made_first)
			b->made_first = made;
		b->made_last = made;
		*id = made;
	}
	return rc;
}

cJSON *bulk_get(struct bulk *b, long long id)
{
	if (!bulk_is_staged(b, id))
		return record_get(b->c, b->t, id, false);
	char **vals = record_load(b->c, b->t, b->stage, id);
	if (!vals)
		return NULL;
	cJSON *o = record_json(b->t, id, vals);
	record_vals_free(b->t, vals);
	return o;
}

int bulk_update(struct bulk *b, long long id, const cJSON *fields, unsigned flags, bool *changed)
{
	struct crm *c = b->c;
	const struct type *t = b->t;
	*changed = false;
	if (!bulk_is_staged(b, id)) {
		int rc;
		if (b->server) {
			/* whether anything differs, from the record's values */
			char **vals = record_load(c, t, NULL, id);
			if (!vals)
				return c->errcode;
			bool *set = xcalloc(t->nfields, sizeof(bool));
			int n = 0;
			rc = record_apply(c, t, vals, fields, flags, set, &n);
			free(set);
			record_vals_free(t, vals);
			if (!rc && n)
				rc = record_update(c, t, id, fields, flags);
			*changed = rc == CRM_OK && n;
		} else {
			long long before = sqlite3_total_changes64(c->db);
			rc = record_update(c, t, id, fields, flags);
			*changed = rc == CRM_OK && sqlite3_total_changes64(c->db) != before;
		}
		if (*changed && b->nkey) {
			char **vals = record_load(c, t, NULL, id);
			for (int k = 0; vals && k < b->nkey; k++)
				keys_add_row(b, id, k, vals[b->key[k]]);
			record_vals_free(t, vals);
		}
		return rc;
	}
	/* a row this run made, not in the table yet: it is still being made */
	char **vals = record_load(c, t, b->stage, id);
	if (!vals)
		return c->errcode;
	bool *set = xcalloc(t->nfields, sizeof(bool));
	int n = 0;
	int rc = record_apply(c, t, vals, fields, flags, set, &n);
	if (!rc && n)
		rc = unique_check(b, vals) == CRM_OK ? CRM_OK : c->errcode;
	if (!rc && n) {
		struct sbuf sql = { 0 };
		sbuf_addf(&sql, "UPDATE \"%s\" SET ", b->stage);
		int m = 0;
		for (int i = 0; i < t->nfields; i++)
			if (set[i])
				sbuf_addf(&sql, "%s\"%s\" = ?", m++ ? ", " : "", t->fields[i].name);
		sbuf_add(&sql, " WHERE id = ?");
		struct db_stmt *st = db_stmt(c, sql.s);
		sbuf_release(&sql);
		if (!st) {
			rc = c->errcode;
		} else {
			m = 0;
			for (int i = 0; i < t->nfields; i++)
				if (set[i])
					db_bind_text(st, ++m, vals[i], -1, DB_STATIC);
			db_bind_int64(st, ++m, id);
			int src = db_step(st);
			db_reset(st);
			rc = src == DB_DONE ? CRM_OK : crm_dberror(c, src, t->name);
		}
		for (int k = 0; !rc && k < b->nkey; k++)
			if (set[b->key[k]])
				keys_add_row(b, id, k, vals[b->key[k]]);
		*changed = !rc;
	}
	free(set);
	record_vals_free(t, vals);
	return rc;
}

struct bulk_batch bulk_batch_take(struct bulk *b)
{
	struct bulk_batch got = b->batch;
	b->batch.n = 0;
	b->batch.first = b->batch.last = 0;
	return got;
}

/* ---- indexes ---- */

int bulk_indexes_drop(struct crm *c, const char *table, cJSON **saved)
{
	struct db_stmt *st;
	*saved = cJSON_CreateArray();
	if (db_prepare(c, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
			       "AND sql IS NOT NULL ORDER BY name", -1, &st, NULL) != DB_OK)
		return crm_dberror(c, db_errcode(c), table);
	db_bind_text(st, 1, table, -1, DB_TRANSIENT);
	cJSON *names = cJSON_CreateArray();
	while (db_step(st) == DB_ROW) {
		cJSON_AddItemToArray(names, cJSON_CreateString((const char *)db_column_text(st, 0)));
		cJSON_AddItemToArray(*saved, cJSON_CreateString((const char *)db_column_text(st, 1)));
	}
	db_finalize(st);
	int rc = CRM_OK;
	const cJSON *it;
	cJSON_ArrayForEach(it, names) {
		char *sql = xasprintf("DROP INDEX \"%s\"", it->valuestring);
		rc = db_exec(c, sql);
		free(sql);
		if (rc)
			break;
	}
	cJSON_Delete(names);
	return rc;
}

int bulk_indexes_build(struct crm *c, cJSON *saved)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, saved) {
		int rc = db_exec(c, it->valuestring);
		if (rc)
			return rc;
	}
	return CRM_OK;
}

/* ---- the end of a run ---- */

/* Records someone else wrote while the run read its file (added, or
 * changed, since the keys were read): a staged row with one of their key
 * values is a duplicate after all, and is dropped. */
static int late_duplicates(struct bulk *b, long long *dropped)
{
	struct crm *c = b->c;
	const struct type *t = b->t;
	*dropped = 0;
	bool any = false;
	for (int k = 0; k < b->nkey; k++)
		any = any || b->dedupe[k] || b->unique[k];
	if (!any)
		return CRM_OK;
	char *like = xasprintf("%s:%%", t->name);
	char *sql = xasprintf("SELECT id FROM \"%s\" WHERE id >= ?1 AND deleted_at IS NULL UNION "
			      "SELECT CAST(substr(entity, %d) AS INTEGER) FROM audit WHERE id > ?2 AND entity LIKE ?3 "
			      "AND (run IS NULL OR run <> ?4) ORDER BY 1", t->name, (int)strlen(t->name) + 2);
	struct db_stmt *st;
	int rc = db_prepare(c, sql, -1, &st, NULL);
	free(sql);
	if (rc != DB_OK) {
		free(like);
		return crm_dberror(c, rc, t->name);
	}
	db_bind_int64(st, 1, b->first_id);
	db_bind_int64(st, 2, b->audit_from);
	db_bind_text(st, 3, like, -1, DB_TRANSIENT);
	db_bind_int64(st, 4, b->o.run);
	long long *ids;
	int n;
	rc = db_ids(c, st, &ids, &n);
	free(like);
	for (int i = 0; i < n && !rc; i++) {
		char **vals = record_load(c, t, NULL, ids[i]);
		if (!vals) {
			c->errmsg[0] = 0;
			continue;
		}
		bool live = true;
		const struct field *fd = type_field(t, "deleted_at");
		if (fd && vals[fd - t->fields])
			live = false;
		for (int k = 0; live && k < b->nkey && !rc; k++) {
			const char *v = vals[b->key[k]];
			long long s = v ? find_key(b, k, v, true) : 0;
			if (!s)
				continue;
			char *q = xasprintf("SELECT import_line FROM \"%s\" WHERE id = %lld", b->stage, s);
			long line = (long)db_get_int(c, q, NULL, 0);
			free(q);
			q = xasprintf("DELETE FROM \"%s\" WHERE id = %lld", b->stage, s);
			rc = db_exec(c, q);
			free(q);
			if (!rc) {
				(*dropped)++;
				if (b->o.on_late_dup)
					b->o.on_late_dup(c, b->o.arg, line, ids[i]);
			}
		}
		record_vals_free(t, vals);
	}
	free(ids);
	return rc;
}

/* A reference of a staged row whose record is gone since (removed for
 * good while the run read its file) is emptied, as the foreign key's ON
 * DELETE SET NULL would have: the copy runs with foreign keys off. */
static int stage_references(struct bulk *b)
{
	struct crm *c = b->c;
	struct db_stmt *st;
	char *q = xasprintf("SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('%s')", b->t->name);
	int rc = db_prepare(c, q, -1, &st, NULL);
	free(q);
	if (rc != DB_OK)
		return crm_dberror(c, rc, b->t->name);
	rc = CRM_OK;
	while (!rc && db_step(st) == DB_ROW) {
		const char *parent = (const char *)db_column_text(st, 0);
		const char *from = (const char *)db_column_text(st, 1);
		const char *to = (const char *)db_column_text(st, 2);
		char *sql = xasprintf("UPDATE \"%s\" SET \"%s\" = NULL WHERE \"%s\" IS NOT NULL AND \"%s\" NOT IN "
				      "(SELECT \"%s\" FROM \"%s\")", b->stage, from, from, from, to ? to : "rowid", parent);
		rc = db_exec(c, sql);
		free(sql);
	}
	db_finalize(st);
	return rc;
}

/* The copy into the table: a straight copy when nothing moves; when the
 * table has no row at all, the staging table becomes it (renamed: no row
 * is copied, and no staging table is left to drop). *renamed: that. */
static int stage_copy(struct bulk *b, long long shift, bool *renamed)
{
	struct crm *c = b->c;
	char **tc, **sc;
	int nt, ns;
	*renamed = false;
	int rc = table_columns(c, b->t->name, &tc, &nt);
	if (!rc)
		rc = table_columns(c, b->stage, &sc, &ns);
	if (rc) {
		names_free(tc, nt);
		return rc;
	}
	bool same = nt == ns;
	for (int i = 0; same && i < nt; i++)
		same = !strcmp(tc[i], sc[i]);
	struct sbuf sql = { 0 };
	char *q = xasprintf("SELECT count(*) FROM \"%s\"", b->t->name);
	bool empty = db_get_int(c, q, NULL, 1) == 0;
	free(q);
	if (same && !shift && empty && b->fk_off) {
		sbuf_addf(&sql, "DROP TABLE \"%s\"; ALTER TABLE \"%s\" RENAME TO \"%s\"", b->t->name, b->stage,
			  b->t->name);
		*renamed = true;
	} else if (same && !shift) {
		sbuf_addf(&sql, "INSERT INTO \"%s\" SELECT * FROM \"%s\"", b->t->name, b->stage);
	} else {
		struct sbuf cols = { 0 }, sel = { 0 };
		for (int i = 0; i < ns; i++) {
			if (!names_have(tc, nt, sc[i]))
				continue;   /* a field removed meanwhile */
			sbuf_addf(&cols, "%s\"%s\"", cols.len ? ", " : "", sc[i]);
			if (!strcmp(sc[i], "id"))
				sbuf_addf(&sel, "%sid + %lld", sel.len ? ", " : "", shift);
			else
				sbuf_addf(&sel, "%s\"%s\"", sel.len ? ", " : "", sc[i]);
		}
		sbuf_addf(&sql, "INSERT INTO \"%s\"(%s) SELECT %s FROM \"%s\" ORDER BY id", b->t->name, cols.s, sel.s,
			  b->stage);
		sbuf_release(&cols);
		sbuf_release(&sel);
	}
	rc = db_exec(c, sql.s);
	sbuf_release(&sql);
	names_free(tc, nt);
	names_free(sc, ns);
	return rc;
}

/* The events of the records moved in, in id order; one whose event fails
 * is taken out again. */
static int moved_events(struct bulk *b, const char *from, long long shift, struct bulk_result *res)
{
	struct crm *c = b->c;
	const struct type *t = b->t;
	char *sql = !strcmp(from, t->name)
		? xasprintf("SELECT id, import_line FROM \"%s\" WHERE import_run = %lld ORDER BY id", from, b->o.run)
		: xasprintf("SELECT id + %lld, import_line FROM \"%s\" ORDER BY id", shift, from);
	struct db_stmt *st;
	int rc = db_prepare(c, sql, -1, &st, NULL);
	free(sql);
	if (rc != DB_OK)
		return crm_dberror(c, rc, t->name);
	long long *ids = NULL, *lines = NULL;
	long long n = 0, cap = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			ids = xrealloc(ids, (size_t)cap * sizeof(*ids));
			lines = xrealloc(lines, (size_t)cap * sizeof(*lines));
		}
		ids[n] = db_column_int64(st, 0);
		lines[n++] = db_column_int64(st, 1);
	}
	db_finalize(st);
	rc = rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, t->name);
	for (long long i = 0; i < n && !rc; i++) {
		if ((rc = db_savepoint(c)))
			break;
		int erc = record_publish(c, t, ids[i], "created", b->o.flags);
		if (!erc) {
			rc = db_release(c);
			continue;
		}
		if (erc == CRM_DBERR) {
			db_rollback_to(c);
			rc = erc;
			break;
		}
		/* as if record_insert had refused it: the record is not kept */
		char why[sizeof(c->errmsg)];
		snprintf(why, sizeof(why), "%s", c->errmsg);
		db_rollback_to(c);
		char *del = xasprintf("DELETE FROM \"%s\" WHERE id = %lld; DELETE FROM search_dirty WHERE key = %lld",
				      t->name, ids[i], ids[i] * 16 + t->num);
		rc = db_exec(c, del);
		free(del);
		if (rc)
			break;
		res->rejected++;
		snprintf(c->errmsg, sizeof(c->errmsg), "%s", why);
		c->errcode = erc;
		if (b->o.on_reject)
			b->o.on_reject(c, b->o.arg, (long)lines[i], ids[i]);
		c->errmsg[0] = 0;
	}
	free(ids);
	free(lines);
	return rc;
}

int bulk_finish(struct bulk *b, struct bulk_result *res)
{
	struct crm *c = b->c;
	const struct type *t = b->t;
	memset(res, 0, sizeof(*res));
	if (!b->staged) {
		res->made = b->batch.total;
		res->first = b->made_first;
		res->last = b->made_last;
		return CRM_OK;
	}
	int rc = CRM_OK;
	/* The copy is a straight copy of the rows only with foreign keys off
	 * (they were checked when each row was read, and stage_references
	 * checks them again): that needs a commit of what was read first. */
	if (db_in_txn(c) && db_may_split(c, false)) {
		if ((rc = hook_commit(c, false)))
			return rc;
		db_execute(c, "PRAGMA foreign_keys = OFF");
		b->fk_off = true;
		db_sort_on_disk(c);
		/* each index is sorted in as much memory as the cache: the two
		 * together in what the run's cache alone took (the copy reads
		 * and writes in order, a smaller cache costs it nothing) */
		db_bulk(c, BULK_MOVE_CACHE_MB);
		if ((rc = db_begin(c)))
			return rc;
	}
	clock_gettime(CLOCK_MONOTONIC, &c->txn_began);
	if (b->o.progress)
		progress_phase(b->o.progress, "checking for records added meanwhile");
	rc = late_duplicates(b, &res->late_dups);
	keys_free(&b->ks);   /* its memory is the sorter's now */
	b->hashed = false;
	char *sql = xasprintf("SELECT coalesce(max(id), 0) FROM \"%s\"", t->name);
	long long maxid = db_get_int(c, sql, NULL, 0);
	free(sql);
	res->shift = maxid >= b->first_id ? maxid - b->first_id + 1 : 0;
	if (!rc)
		rc = stage_references(b);
	sql = xasprintf("SELECT count(*), coalesce(min(id), 0), coalesce(max(id), 0) FROM \"%s\"", b->stage);
	struct db_stmt *st = db_stmt(c, sql);
	free(sql);
	long long n = 0;
	if (st && db_step(st) == DB_ROW) {
		n = db_column_int64(st, 0);
		res->first = n ? db_column_int64(st, 1) + res->shift : 0;
		res->last = n ? db_column_int64(st, 2) + res->shift : 0;
	}
	if (st)
		db_reset(st);
	sql = xasprintf("SELECT count(*) FROM \"%s\"", t->name);
	long long existing = db_get_int(c, sql, NULL, 0);
	free(sql);
	cJSON *saved = NULL;
	bool rebuild = n * 10 >= existing;   /* most of the table: indexes after, sorted once */
	char phase[160];
	snprintf(phase, sizeof(phase), "moving %lld %s into place", n, t->plural);
	if (b->o.progress)
		progress_phase(b->o.progress, phase);
	if (!rc && n && rebuild)
		rc = bulk_indexes_drop(c, t->name, &saved);
	bool renamed = false;
	if (!rc && n)
		rc = stage_copy(b, res->shift, &renamed);
	/* from here on its rows are read in the table (renamed) or staging */
	const char *from = renamed ? t->name : b->stage;
	if (!rc && saved) {
		if (b->o.progress)
			progress_phase(b->o.progress, "building the indexes");
		rc = bulk_indexes_build(c, saved);
	}
	cJSON_Delete(saved);
	if (!rc && n && b->searchable) {
		sql = xasprintf("INSERT OR IGNORE INTO search_dirty(key) SELECT (id + %lld) * 16 + %d FROM \"%s\" ORDER BY id",
				renamed ? 0 : res->shift, t->num, from);
		rc = db_exec(c, sql);
		free(sql);
	}
	if (!rc && n && b->heard) {
		if (b->o.progress)
			progress_phase(b->o.progress, "the records' events");
		rc = moved_events(b, from, renamed ? 0 : res->shift, res);
	}
	if (!rc && !renamed) {
		sql = xasprintf("DROP TABLE \"%s\"", b->stage);
		rc = db_exec(c, sql);
		free(sql);
	}
	if (!rc) {
		b->staged = false;   /* done: its ids are in the table now */
		res->made = n - res->rejected;
	}
	return rc;
}

int bulk_done(struct bulk *b)
{
	struct crm *c = b->c;
	if (!b->fk_off)
		return CRM_OK;
	int rc = hook_commit(c, false);
	if (rc)
		return rc;
	db_execute(c, "PRAGMA foreign_keys = ON");
	b->fk_off = false;
	return db_begin(c);
}

void bulk_close(struct bulk *b)
{
	if (!b)
		return;
	struct crm *c = b->c;
	if (c->before_commit == before_commit && c->before_commit_arg == b) {
		c->before_commit = b->prev_commit;
		c->before_commit_arg = b->prev_arg;
	}
	if (c->bulk == b)
		c->bulk = NULL;
	if (b->fk_off) {
		/* the move failed half way: none of it stays */
		db_rollback(c);
		hook_discard(c);
		db_execute(c, "PRAGMA foreign_keys = ON");
		db_begin(c);
	}
	keys_free(&b->ks);
	for (int k = 0; k < b->nkey; k++) {
		free(b->sql_table[k]);
		free(b->sql_stage[k]);
		free(b->sql_find[k]);
	}
	free(b->sql_table);
	free(b->sql_stage);
	free(b->sql_find);
	free(b->key);
	free(b->dedupe);
	free(b->unique);
	free(b->probe);
	for (int i = 0; i < b->ncol; i++)
		free(b->dflt[i]);
	free(b->dflt);
	free(b->col);
	free(b->ins_sql);
	free(b->stage);
	free(b);
}

bool bulk_fk_off(struct crm *c)
{
	if (dialect_server(c))
		return false;   /* no foreign keys there: crm keeps the references */
	if (!db_in_txn(c) || !db_may_split(c, false) || hook_commit(c, false) != CRM_OK)
		return false;
	db_execute(c, "PRAGMA foreign_keys = OFF");
	if (db_begin(c) != CRM_OK) {
		db_execute(c, "PRAGMA foreign_keys = ON");
		return false;
	}
	return true;
}

int bulk_fk_on(struct crm *c, bool was_off, bool commit)
{
	if (!was_off)
		return CRM_OK;
	int rc = commit ? hook_commit(c, false) : CRM_DBERR;
	if (rc) {
		db_rollback(c);
		hook_discard(c);
	}
	db_execute(c, "PRAGMA foreign_keys = ON");
	int brc = db_begin(c);
	return commit && rc ? rc : brc;
}

/* ---- undoing a run ---- */

/* A record the run touched: made (created by it, not in its table's
 * import_run: a rule's task), or changed (audit rows tagged with it). */
struct touched {
	const struct type *t;
	long long id;
	long long audit;           /* its audit row (the last, for a change) */
	char *action, *before;
	bool made;
};

struct undo {
	struct crm *c;
	const struct type *t;      /* the run's type: what it made is import_run = run */
	long long run, audit_from;
	struct touched *tv;
	int n;
	struct sbuf why;           /* the refusals, for the error */
	int nwhy;
};

static void why_add(struct undo *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void why_add(struct undo *u, const char *fmt, ...)
{
	u->nwhy++;
	if (u->nwhy > 5)
		return;
	char s[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	sbuf_addf(&u->why, "%s%s", u->why.len ? "; " : "", s);
}

static struct touched *touched_find(struct undo *u, const struct type *t, long long id)
{
	for (int i = 0; i < u->n; i++)
		if (u->tv[i].t == t && u->tv[i].id == id)
			return &u->tv[i];
	return NULL;
}

/* Whether record id of the run's type was made by the run. */
static bool made_by_run(struct undo *u, long long id)
{
	char *sql = xasprintf("SELECT count(*) FROM \"%s\" WHERE id = ? AND import_run = %lld", u->t->name, u->run);
	struct db_stmt *st = db_stmt(u->c, sql);
	free(sql);
	if (!st)
		return false;
	db_bind_int64(st, 1, id);
	bool yes = db_step(st) == DB_ROW && db_column_int64(st, 0) > 0;
	db_reset(st);
	return yes;
}

/* The audit rows tagged with the run: what it did one by one. */
static int undo_collect(struct undo *u)
{
	struct crm *c = u->c;
	struct db_stmt *st;
	int rc = db_prepare(c, "SELECT id, entity, action, before FROM audit WHERE run = ? "
				    "AND entity LIKE '%_:%' ORDER BY id", -1, &st, NULL);
	if (rc != DB_OK)
		return crm_dberror(c, rc, "audit");
	db_bind_int64(st, 1, u->run);
	while ((rc = db_step(st)) == DB_ROW) {
		const char *entity = (const char *)db_column_text(st, 1);
		const char *action = (const char *)db_column_text(st, 2);
		const struct type *t;
		long long id;
		if (entity_parse(c, entity, NULL, &t, &id) != CRM_OK) {
			c->errmsg[0] = 0;   /* import:7, score: not records */
			continue;
		}
		if (t == u->t && made_by_run(u, id))
			continue;   /* goes with the rest of what it made */
		struct touched *x = touched_find(u, t, id);
		if (!x) {
			u->tv = xrealloc(u->tv, (u->n + 1) * sizeof(*u->tv));
			x = &u->tv[u->n++];
			memset(x, 0, sizeof(*x));
			x->t = t;
			x->id = id;
			x->made = !strcmp(action, "insert");
			const char *b = (const char *)db_column_text(st, 3);
			x->before = b ? xstrdup(b) : NULL;   /* the first change's before: as it was */
			x->action = xstrdup(action);
		}
		x->audit = db_column_int64(st, 0);
	}
	db_finalize(st);
	return rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "audit");
}

/* What someone else did since to what the run made or changed: a change
 * in the audit log (not the run's, not a scoring run's), or a record of
 * theirs that refers to one the run made. */
static int undo_conflicts(struct undo *u)
{
	struct crm *c = u->c;
	struct db_stmt *st;
	int rc = db_prepare(c, "SELECT id, entity, action, user, at FROM audit WHERE id >= ? "
				    "AND (run IS NULL OR run <> ?) AND entity LIKE '%_:%' ORDER BY id", -1, &st, NULL);
	if (rc != DB_OK)
		return crm_dberror(c, rc, "audit");
	db_bind_int64(st, 1, u->audit_from);
	db_bind_int64(st, 2, u->run);
	while ((rc = db_step(st)) == DB_ROW) {
		const char *entity = (const char *)db_column_text(st, 1);
		const struct type *t;
		long long id;
		if (entity_parse(c, entity, NULL, &t, &id) != CRM_OK) {
			c->errmsg[0] = 0;
			continue;
		}
		struct touched *x = touched_find(u, t, id);
		bool mine = (x && db_column_int64(st, 0) > x->audit) || (t == u->t && made_by_run(u, id));
		if (mine)
			why_add(u, "%s was changed since by %s (%s at %s)", entity, db_column_text(st, 3),
				db_column_text(st, 2), db_column_text(st, 4));
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "audit");
	/* records of someone else's referring to one it made */
	for (int i = 0; type_at(c, i); i++) {
		const struct type *o = type_at(c, i);
		char **cols;
		int ncols;
		if ((rc = table_columns(c, o->name, &cols, &ncols)))
			return rc;
		bool own = names_have(cols, ncols, "import_run");
		names_free(cols, ncols);
		for (int j = 0; j < o->nfields; j++) {
			const struct field *f = &o->fields[j];
			if (f->flags & FF_COMPUTED)
				continue;
			char *cond;
			if (f->kind == FK_REF && f->ref && !strcmp(f->ref, u->t->name))
				cond = xasprintf("r.\"%s\" IN (SELECT id FROM \"%s\" WHERE import_run = %lld)", f->name,
						 u->t->name, u->run);
			else if (f->kind == FK_ENTITY)
				cond = xasprintf("r.\"%s\" LIKE '%s:%%' AND CAST(substr(r.\"%s\", %d) AS INTEGER) IN "
						 "(SELECT id FROM \"%s\" WHERE import_run = %lld)", f->name, u->t->name,
						 f->name, (int)strlen(u->t->name) + 2, u->t->name, u->run);
			else
				continue;
			char *sql = xasprintf("SELECT r.id, r.\"%s\" FROM \"%s\" AS r WHERE %s%s ORDER BY r.id", f->name,
					      o->name, cond, own && o == u->t ? " AND coalesce(r.import_run, 0) <> ?1"
								 : own ? " AND coalesce(r.import_run, 0) <> ?1" : "");
			free(cond);
			rc = db_prepare(c, sql, -1, &st, NULL);
			free(sql);
			if (rc != DB_OK)
				return crm_dberror(c, rc, o->name);
			if (own)
				db_bind_int64(st, 1, u->run);
			while ((rc = db_step(st)) == DB_ROW) {
				long long oid = db_column_int64(st, 0);
				struct touched *x = touched_find(u, o, oid);
				if (x && x->made)
					continue;   /* the run's own (a rule's task): it goes too */
				const char *v = (const char *)db_column_text(st, 1);
				why_add(u, "%s:%lld refers to %s%s%s", o->name, oid, f->kind == FK_REF ? u->t->name : "",
					f->kind == FK_REF ? ":" : "", v ? v : "");
			}
			db_finalize(st);
			if (rc != DB_DONE)
				return crm_dberror(c, rc, o->name);
		}
	}
	return CRM_OK;
}

/* The ids of the records the run made, in order (*ids the caller's). */
static int run_ids(struct undo *u, long long **ids, int *n)
{
	char *sql = xasprintf("SELECT id FROM \"%s\" WHERE import_run = %lld ORDER BY id", u->t->name, u->run);
	struct db_stmt *st;
	int rc = db_prepare(u->c, sql, -1, &st, NULL);
	free(sql);
	if (rc != DB_OK)
		return crm_dberror(u->c, rc, u->t->name);
	return db_ids(u->c, st, ids, n);
}

/* With --force: what refers to a record the run made goes the way it would
 * if that record were purged (core/record.c purge_dependents), audited. */
static int undo_dependents(struct undo *u)
{
	struct crm *c = u->c;
	long long *ids;
	int n;
	int rc = run_ids(u, &ids, &n);
	if (rc)
		return rc;
	/* only for the few that others refer to: the same query as above */
	for (int i = 0; type_at(c, i) && !rc; i++) {
		const struct type *o = type_at(c, i);
		for (int j = 0; j < o->nfields && !rc; j++) {
			const struct field *f = &o->fields[j];
			bool ref = f->kind == FK_REF && f->ref && !strcmp(f->ref, u->t->name);
			if (f->flags & FF_COMPUTED || (!ref && f->kind != FK_ENTITY))
				continue;
			char *cond = ref ? xasprintf("r.\"%s\" IN (SELECT id FROM \"%s\" WHERE import_run = %lld)", f->name,
						     u->t->name, u->run)
					 : xasprintf("r.\"%s\" LIKE '%s:%%' AND CAST(substr(r.\"%s\", %d) AS INTEGER) IN "
						     "(SELECT id FROM \"%s\" WHERE import_run = %lld)", f->name, u->t->name,
						     f->name, (int)strlen(u->t->name) + 2, u->t->name, u->run);
			char *q = xasprintf("SELECT r.id FROM \"%s\" AS r WHERE %s ORDER BY r.id", o->name, cond);
			free(cond);
			struct db_stmt *st;
			rc = db_prepare(c, q, -1, &st, NULL);
			free(q);
			if (rc != DB_OK) {
				rc = crm_dberror(c, rc, o->name);
				break;
			}
			long long *dep;
			int nd;
			if ((rc = db_ids(c, st, &dep, &nd)))
				break;
			bool goes = f->kind == FK_ENTITY || f->flags & FF_REQUIRED;
			for (int k = 0; k < nd && !rc; k++) {
				if (o == u->t && made_by_run(u, dep[k]))
					continue;
				if (!record_exists(c, o, dep[k]) && !goes)
					continue;
				if (goes) {
					rc = record_remove(c, o, dep[k], true);
					if (rc == CRM_NOTFOUND) {
						c->errmsg[0] = 0;
						rc = CRM_OK;
					}
				} else {
					cJSON *ch = cJSON_CreateObject();
					cJSON_AddNullToObject(ch, f->name);
					rc = record_update(c, o, dep[k], ch, REC_NO_RULES | REC_SYSTEM);
					cJSON_Delete(ch);
				}
			}
			free(dep);
		}
	}
	free(ids);
	return rc;
}

/* The run's live records marked removed, set-based: the triggers of a
 * removal run for them (what the database counts of live records). */
static int undo_mark_removed(struct undo *u)
{
	char now[DATE_BUFSZ];
	date_format(date_now(), now);
	char *sql = xasprintf("UPDATE \"%s\" SET deleted_at = '%s' WHERE import_run = %lld AND deleted_at IS NULL",
			      u->t->name, now, u->run);
	int rc = db_exec(u->c, sql);
	free(sql);
	return rc;
}

/* Tables that are not record types but refer to records of the run's
 * type (a lead's score, a deal's stage history) lose those rows as their
 * foreign key says (cascade, or set null), set-based. */
static int undo_children(struct undo *u)
{
	struct crm *c = u->c;
	struct db_stmt *st;
	int rc = db_prepare(c, "SELECT m.name, f.\"from\", f.on_delete FROM sqlite_master AS m, "
				    "pragma_foreign_key_list(m.name) AS f WHERE m.type = 'table' AND f.\"table\" = ?",
				    -1, &st, NULL);
	if (rc != DB_OK)
		return crm_dberror(c, rc, "foreign keys");
	db_bind_text(st, 1, u->t->name, -1, DB_TRANSIENT);
	struct sbuf sql = { 0 };
	while (db_step(st) == DB_ROW) {
		const char *table = (const char *)db_column_text(st, 0);
		const char *col = (const char *)db_column_text(st, 1);
		const char *action = (const char *)db_column_text(st, 2);
		if (type_find(c, table) || !strncmp(table, "bulk_", 5))
			continue;   /* records: undo_dependents did them, through the write path */
		if (action && !strcmp(action, "SET NULL"))
			sbuf_addf(&sql, "UPDATE \"%s\" SET \"%s\" = NULL WHERE \"%s\" IN (SELECT id FROM \"%s\" "
				  "WHERE import_run = %lld); ", table, col, col, u->t->name, u->run);
		else
			sbuf_addf(&sql, "DELETE FROM \"%s\" WHERE \"%s\" IN (SELECT id FROM \"%s\" WHERE import_run = %lld); ",
				  table, col, u->t->name, u->run);
	}
	db_finalize(st);
	rc = sql.s ? db_exec(c, sql.s) : CRM_OK;
	sbuf_release(&sql);
	return rc;
}

/* The search index loses what the run made: one by one for a few, or
 * for most of the index, all of it, each live record marked to be
 * indexed again by the next search. */
static int undo_search(struct undo *u, long long n)
{
	struct crm *c = u->c;
	const struct type *t = u->t;
	bool searchable = false;
	for (int i = 0; i < t->nfields; i++)
		searchable = searchable || t->fields[i].flags & FF_SEARCH;
	if (!searchable)
		return CRM_OK;
	char *sql = xasprintf("DELETE FROM search_dirty WHERE key IN (SELECT id * 16 + %d FROM \"%s\" WHERE import_run = %lld)",
			      t->num, t->name, u->run);
	int rc = db_exec(c, sql);
	free(sql);
	if (rc)
		return rc;
	long long indexed = db_get_int(c, "SELECT count(*) FROM search", NULL, 0);
	if (!indexed)
		return CRM_OK;
	if (n < 10000 || n * 2 < indexed) {
		sql = xasprintf("DELETE FROM search WHERE rowid IN (SELECT id * 16 + %d FROM \"%s\" WHERE import_run = %lld)",
				t->num, t->name, u->run);
		rc = db_exec(c, sql);
		free(sql);
		return rc;
	}
	char *create = db_get_text(c, "SELECT sql FROM sqlite_master WHERE name = 'search'", NULL);
	if (!create)
		return CRM_OK;
	rc = db_exec(c, "DROP TABLE search");
	if (!rc)
		rc = db_exec(c, create);
	free(create);
	for (int i = 0; !rc && type_at(c, i); i++) {
		const struct type *o = type_at(c, i);
		bool s2 = false;
		for (int j = 0; j < o->nfields; j++)
			s2 = s2 || o->fields[j].flags & FF_SEARCH;
		if (!s2 || !o->num)
			continue;
		sql = xasprintf("INSERT OR IGNORE INTO search_dirty(key) SELECT id * 16 + %d FROM \"%s\" "
				"WHERE deleted_at IS NULL AND coalesce(import_run, 0) <> %lld", o->num, o->name,
				o == t ? u->run : -1LL);
		rc = db_exec(c, sql);
		free(sql);
		if (rc && strstr(c->errmsg, "import_run")) {   /* a type never imported into */
			sql = xasprintf("INSERT OR IGNORE INTO search_dirty(key) SELECT id * 16 + %d FROM \"%s\" "
					"WHERE deleted_at IS NULL", o->num, o->name);
			rc = db_exec(c, sql);
			free(sql);
		}
	}
	return rc;
}

/* On a server: the run's records purged one by one through the write
 * path, which keeps there what a file's triggers and foreign keys keep
 * (a deal's stays and counts, what refers to a record); each purge is
 * audited. *n: how many went. */
static int undo_each(struct undo *u, long long *n)
{
	struct crm *c = u->c;
	long long *ids;
	int nids;
	int rc = run_ids(u, &ids, &nids);
	if (rc)
		return rc;
	*n = 0;
	for (int i = 0; i < nids && !rc; i++) {
		rc = record_remove(c, u->t, ids[i], true);
		if (rc == CRM_NOTFOUND) {
			c->errmsg[0] = 0;
			rc = CRM_OK;
		} else if (!rc) {
			(*n)++;
		}
	}
	free(ids);
	return rc;
}

/* Put a record the run changed back as the run found it: its first
 * change's before (its values then, updated_at too), through the write
 * path; one it removed comes back. */
static int undo_revert(struct undo *u, struct touched *x)
{
	struct crm *c = u->c;
	if (!strcmp(x->action, "remove"))
		return record_restore(c, x->t, x->id);
	cJSON *before = x->before ? cJSON_Parse(x->before) : NULL;
	if (!cJSON_IsObject(before)) {
		cJSON_Delete(before);
		return CRM_OK;
	}
	if (!record_exists(c, x->t, x->id)) {
		cJSON_Delete(before);
		return CRM_OK;   /* removed since (--force): nothing to put back */
	}
	int rc = record_update(c, x->t, x->id, before, REC_SYSTEM | REC_NO_RULES | REC_ALLOW_DUP | REC_RESTORE);
	cJSON_Delete(before);
	return rc;
}

int bulk_undo(struct crm *c, const struct type *t, long long run, long long audit_from, bool force,
	      long long *removed, long long *reverted)
{
	struct undo u = { .c = c, .t = t, .run = run, .audit_from = audit_from };
	*removed = *reverted = 0;
	int rc = bulk_origin_columns(c, t);
	if (!rc)
		rc = undo_collect(&u);
	if (!rc)
		rc = undo_conflicts(&u);
	if (!rc && u.nwhy && !force) {
		if (u.nwhy > 5)
			sbuf_addf(&u.why, " and %d more", u.nwhy - 5);
		rc = crm_error(c, CRM_CONFLICT, "run %lld: %s; --force undoes it anyway", run, u.why.s);
	}
	if (!rc && force)
		rc = undo_dependents(&u);
	/* what it changed goes back, newest first; what it made of other
	 * types (a rule's task) goes */
	for (int i = u.n - 1; !rc && i >= 0; i--) {
		struct touched *x = &u.tv[i];
		if (x->made) {
			rc = record_exists(c, x->t, x->id) || force ? record_remove(c, x->t, x->id, true) : CRM_OK;
			if (rc == CRM_NOTFOUND) {
				c->errmsg[0] = 0;
				rc = CRM_OK;
			} else if (!rc) {
				(*removed)++;
			}
		} else if (!(rc = undo_revert(&u, x))) {
			(*reverted)++;
		}
	}
	/* what it made of its own type, set-based */
	char *sql = xasprintf("SELECT count(*) FROM \"%s\" WHERE import_run = %lld", t->name, run);
	long long n = rc ? 0 : db_get_int(c, sql, NULL, 0);
	free(sql);
	if (!rc && n && dialect_server(c)) {
		long long gone = 0;
		rc = undo_each(&u, &gone);
		if (!rc)
			*removed += gone;
		n = 0;
	}
	if (!rc && n)
		rc = undo_search(&u, n);
	if (!rc && n) {
		sql = xasprintf("SELECT count(*) FROM \"%s\"", t->name);
		long long all = db_get_int(c, sql, NULL, 0);
		free(sql);
		cJSON *saved = NULL;
		if (n * 10 >= all)
			rc = bulk_indexes_drop(c, t->name, &saved);
		/* removed first, as crm TYPE rm removes a record, so that what the
		 * database keeps of live records (a deal's finished stays in the
		 * funnel's counts) lets them go while their rows below are still
		 * there; then the rows below, then the records */
		if (!rc)
			rc = undo_mark_removed(&u);
		if (!rc)
			rc = undo_children(&u);
		if (!rc) {
			sql = xasprintf("DELETE FROM \"%s\" WHERE import_run = %lld", t->name, run);
			rc = db_exec(c, sql);
			free(sql);
		}
		if (!rc && saved)
			rc = bulk_indexes_build(c, saved);
		cJSON_Delete(saved);
		if (!rc)
			*removed += n;
	}
	if (!rc)
		rc = bulk_drop_stage(c, t, run);
	for (int i = 0; i < u.n; i++) {
		free(u.tv[i].action);
		free(u.tv[i].before);
	}
	free(u.tv);
	sbuf_release(&u.why);
	return rc;
}
