/* merge.c: finding duplicates and merging them. See merge.h. */
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "base/company.h"
#include "core/db.h"
#include "core/progress.h"
#include "data/merge.h"
#include "io/out.h"
#include "core/record.h"
#include "core/event.h"
#include "core/mask.h"
#include "core/query.h"
#include "base/text.h"

/* A person's name as compared: ASCII lower-cased, without spaces and the
 * dots and dashes people put in names (张 伟 = 张伟, Amy = amy). */
static char *name_key(const char *s)
{
	struct sbuf b = { 0 };
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '.' || *p == '-' || *p == '_')
			continue;
		if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {   /* ideographic space */
			p += 2;
			continue;
		}
		if (p[0] == 0xC2 && p[1] == 0xB7) {   /* middle dot */
			p++;
			continue;
		}
		sbuf_addc(&b, (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p));
	}
	return b.s ? sbuf_detach(&b) : xstrdup("");
}

/* The characters (code points) of UTF-8 s, at most max; their count. */
static int code_points(const char *s, unsigned *cp, int max)
{
	int n = 0;
	size_t left = strlen(s);
	while (left && n < max) {
		int len = utf8_decode(s, left, &cp[n]);
		if (len < 0)
			break;   /* stored text is valid UTF-8; stop rather than guess */
		n++;
		s += len;
		left -= (size_t)len;
	}
	return n;
}

/* Whether two names of three or more characters differ by one character
 * (李晓明 ~ 李小明): a typo, or the same name written twice. */
static bool near_names(const char *a, const char *b)
{
	unsigned x[32], y[32];
	int n = code_points(a, x, 32), m = code_points(b, y, 32);
	if (n < 3 || m < 3 || n > 30 || m > 30 || abs(n - m) > 1)
		return false;
	int d[32][32];
	for (int i = 0; i <= n; i++)
		d[i][0] = i;
	for (int j = 0; j <= m; j++)
		d[0][j] = j;
	for (int i = 1; i <= n; i++)
		for (int j = 1; j <= m; j++) {
			int sub = d[i - 1][j - 1] + (x[i - 1] != y[j - 1]);
			int del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
			d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
	return d[n][m] == 1;
}

/* The keys dedupe compares, computed here from each record's fields (the
 * same on a file and on a server, which has no C functions of crm's): into
 * the TEMP table dedupe_key as (kind, k, id, nk), grouped there. */
enum { KEY_PHONE, KEY_EMAIL, KEY_NAME, KEY_FUZZY, KEY_NEAR, KEY_KINDS };

/* A key: how it is reported, whether the type has its fields. */
struct key {
	const char *name;
	bool have;
	double score;
};

/* The same records found again by another key are one group: report it
 * once. The id lists reported so far are in a temporary table (there may
 * be tens of thousands). */
static bool seen_before(struct crm *c, const char *ids)
{
	struct db_stmt *st = db_stmt(c, "INSERT INTO dedupe_seen(ids) VALUES (?) ON CONFLICT DO NOTHING");
	if (!st)
		return false;
	db_bind_text(st, 1, ids, -1, DB_TRANSIENT);
	bool added = db_step(st) == DB_DONE && db_changes(c) > 0;
	db_reset(st);
	return !added;
}

static void group_print(struct crm *c, const struct type *t, const char *ids, const char *reason,
			double score, long *groups)
{
	struct out *o = c->out;
	cJSON *arr = cJSON_CreateArray(), *ents = cJSON_CreateArray();
	char *copy = xstrdup(ids), *save = NULL;
	for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		cJSON_AddItemToArray(arr, cJSON_CreateNumber(atof(p)));
		char *e = xasprintf("%s:%s", t->name, p);
		cJSON_AddItemToArray(ents, cJSON_CreateString(e));
		free(e);
	}
	free(copy);
	(*groups)++;
	out_begin(o);
	out_str(o, "type", "duplicates");
	out_int(o, "group", *groups);
	out_str(o, "record_type", t->name);
	out_json(o, "ids", arr);
	out_json(o, "records", ents);
	out_str(o, "reason", reason);
	out_real(o, "score", score);
	out_end(o);
	cJSON_Delete(arr);
	cJSON_Delete(ents);
}

/* Rows for dedupe_key, written a batch at a time (one statement of
 * KEY_BATCH rows: a server's round trip each). */
#define KEY_BATCH 100

struct key_rows {
	struct crm *c;
	int n;
	int kind[KEY_BATCH];
	long long id[KEY_BATCH];
	char *k[KEY_BATCH], *nk[KEY_BATCH];
};

static int key_flush(struct key_rows *r)
{
	if (!r->n)
		return CRM_OK;
	struct sbuf sql = { 0 };
	sbuf_add(&sql, "INSERT INTO dedupe_key(kind, k, id, nk) VALUES ");
	for (int i = 0; i < r->n; i++)
		sbuf_add(&sql, i ? ", (?, ?, ?, ?)" : "(?, ?, ?, ?)");
	struct db_stmt *st = db_stmt(r->c, sql.s);
	sbuf_release(&sql);
	int rc = st ? CRM_OK : r->c->errcode;
	for (int i = 0; i < r->n; i++) {
		if (st) {
			db_bind_int(st, 4 * i + 1, r->kind[i]);
			db_bind_text(st, 4 * i + 2, r->k[i], -1, DB_TRANSIENT);
			db_bind_int64(st, 4 * i + 3, r->id[i]);
			if (r->nk[i])
				db_bind_text(st, 4 * i + 4, r->nk[i], -1, DB_TRANSIENT);
			else
				db_bind_null(st, 4 * i + 4);
		}
		free(r->k[i]);
		free(r->nk[i]);
	}
	if (st) {
		int src = db_step(st);
		db_reset(st);
		if (src != DB_DONE)
			rc = crm_dberror(r->c, src, "dedupe");
	}
	r->n = 0;
	return rc;
}

/* Add key k (taken) of record id, unless it is empty. */
static int key_add(struct key_rows *r, int kind, char *k, long long id, char *nk)
{
	if (!k || !*k) {
		free(k);
		free(nk);
		return CRM_OK;
	}
	r->kind[r->n] = kind;
	r->k[r->n] = k;
	r->id[r->n] = id;
	r->nk[r->n++] = nk;
	return r->n == KEY_BATCH ? key_flush(r) : CRM_OK;
}

static char *dup_or_null(const unsigned char *s)
{
	return s ? xstrdup((const char *)s) : NULL;
}

/* A company's key, NULL when nothing is left of it (or there is none). */
static char *company_key_of(const char *s)
{
	if (!s)
		return NULL;
	char *k = company_key(s);
	if (*k)
		return k;
	free(k);
	return NULL;
}

/* The keys wanted of every live record of t the acting user may see,
 * into dedupe_key. */
static int keys_load(struct crm *c, const struct type *t, const struct key *keys, const bool *want)
{
	bool account = !strcmp(t->name, "account"), company = type_field(t, "company") != NULL;
	bool named = (account || company) && (want[KEY_NAME] || want[KEY_FUZZY] || want[KEY_NEAR]);
	char *scope = query_scope(c, t, "r", false);
	char *sql = xasprintf("SELECT r.id, %s, %s, %s, %s FROM \"%s\" AS r WHERE r.deleted_at IS NULL AND (%s) "
			      "ORDER BY r.id", want[KEY_PHONE] && keys[KEY_PHONE].have ? "r.phone" : "NULL",
			      want[KEY_EMAIL] && keys[KEY_EMAIL].have ? "r.email" : "NULL", named ? "r.name" : "NULL",
			      named && company ? "r.company" : "NULL", t->name, scope);
	free(scope);
	struct db_stmt *st;
	int rc = db_prepare(c, sql, -1, &st, NULL);
	free(sql);
	if (rc != DB_OK)
		return crm_dberror(c, rc, "dedupe");
	struct key_rows r = { .c = c };
	rc = CRM_OK;
	int src;
	while (!rc && (src = db_step(st)) == DB_ROW) {
		long long id = db_column_int64(st, 0);
		const char *name = (const char *)db_column_text(st, 3), *co = (const char *)db_column_text(st, 4);
		rc = key_add(&r, KEY_PHONE, dup_or_null(db_column_text(st, 1)), id, NULL);
		if (!rc)
			rc = key_add(&r, KEY_EMAIL, dup_or_null(db_column_text(st, 2)), id, NULL);
		if (!rc && want[KEY_NAME] && keys[KEY_NAME].have)
			rc = key_add(&r, KEY_NAME, account ? dup_or_null((const unsigned char *)name)
						     : name && co ? xasprintf("%s / %s", name, co) : NULL, id, NULL);
		char *ck = want[KEY_FUZZY] || want[KEY_NEAR] ? company_key_of(account ? name : co) : NULL;
		if (!rc && want[KEY_FUZZY] && keys[KEY_FUZZY].have) {
			char *nk = name ? name_key(name) : NULL;
			rc = key_add(&r, KEY_FUZZY, account ? (ck ? xstrdup(ck) : NULL)
						      : nk && ck ? xasprintf("%s / %s", nk, ck) : NULL, id, NULL);
			free(nk);
		}
		if (!rc && want[KEY_NEAR] && company) {
			rc = key_add(&r, KEY_NEAR, ck, id, name ? name_key(name) : NULL);
			ck = NULL;
		}
		free(ck);
	}
	if (!rc && src != DB_DONE)
		rc = crm_dberror(c, src, "dedupe");
	db_finalize(st);
	int frc = key_flush(&r);
	return rc ? rc : frc;
}

/* The groups of one kind of key: its rows whose key another row has
 * too, the group of the smallest id first, each group's ids in order. */
static struct db_stmt *groups_of(struct crm *c, int kind)
{
	struct db_stmt *st = db_stmt(c, "SELECT g.k, g.id, g.nk, g.first FROM (SELECT k, id, nk, "
					"count(*) OVER (PARTITION BY k) AS n, min(id) OVER (PARTITION BY k) AS first "
					"FROM dedupe_key WHERE kind = ?) AS g WHERE g.n > 1 ORDER BY g.first, g.id");
	if (st)
		db_bind_int(st, 1, kind);
	return st;
}

static int group_by(struct crm *c, const struct type *t, const struct key *k, int kind, long *groups)
{
	struct db_stmt *st = groups_of(c, kind);
	if (!st)
		return c->errcode;
	/* the value as the user sees it: a phone finance sees masked is not
	 * spelled out here either */
	const struct field *f = type_field(t, k->name);
	bool masked = f && mask_field(c, t, (int)(f - t->fields), NULL);
	struct sbuf ids = { 0 };
	char *v = NULL;
	long long first = 0;
	int rc;
	for (;;) {
		rc = db_step(st);
		long long g = rc == DB_ROW ? db_column_int64(st, 3) : 0;
		if (ids.s && (rc != DB_ROW || g != first)) {
			if (!seen_before(c, ids.s)) {
				char *shown = masked ? mask_text(f, v) : NULL;
				char *reason = xasprintf("same %s: %s", k->name, shown ? shown : v);
				free(shown);
				group_print(c, t, ids.s, reason, k->score, groups);
				free(reason);
			}
			sbuf_release(&ids);
			ids = (struct sbuf){ 0 };
			free(v);
			v = NULL;
		}
		if (rc != DB_ROW)
			break;
		if (!ids.s) {
			first = g;
			v = xstrdup((const char *)db_column_text(st, 0));
		}
		sbuf_addf(&ids, "%s%lld", ids.s ? "," : "", db_column_int64(st, 1));
	}
	db_reset(st);
	return rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "dedupe");
}

/* One company's people (ids[i] named names[i], i < n): those whose names
 * differ by one character, as groups. */
#define NEAR_MAX 1000   /* people at one company compared pairwise, at most */

static void near_groups(struct crm *c, const struct type *t, const char *company, long long *ids,
			char **names, int n, long *groups)
{
	if (n > NEAR_MAX)
		return;   /* a placeholder company (个人, 无): n² comparisons of strangers */
	int *root = xcalloc(n ? n : 1, sizeof(int));
	for (int i = 0; i < n; i++)
		root[i] = i;
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (root[j] == j && strcmp(names[i], names[j]) && near_names(names[i], names[j]))
				root[j] = root[i];
	for (int i = 0; i < n; i++) {
		if (root[i] != i)
			continue;
		struct sbuf idl = { 0 }, who = { 0 };
		int k = 0;
		for (int j = i; j < n; j++)
			if (root[j] == i) {
				sbuf_addf(&idl, "%s%lld", k ? "," : "", ids[j]);
				sbuf_addf(&who, "%s%s", k++ ? " ~ " : "", names[j]);
			}
		if (k > 1 && !seen_before(c, idl.s)) {
			char *reason = xasprintf("similar names at one company (fuzzy): %s / %s", who.s, company);
			group_print(c, t, idl.s, reason, 0.8, groups);
			free(reason);
		}
		sbuf_release(&idl);
		sbuf_release(&who);
	}
	free(root);
}

/* --fuzzy: people of the same company (without its noise) whose names
 * differ by a character, the companies in the order of their first
 * person. */
static int near_by_company(struct crm *c, const struct type *t, long *groups)
{
	struct db_stmt *st = groups_of(c, KEY_NEAR);
	if (!st)
		return c->errcode;
	char *company = NULL, **names = NULL;
	long long *ids = NULL, first = 0;
	int n = 0, cap = 0, rc;
	for (;;) {
		rc = db_step(st);
		long long g = rc == DB_ROW ? db_column_int64(st, 3) : 0;
		if (company && (rc != DB_ROW || g != first)) {
			near_groups(c, t, company, ids, names, n, groups);
			for (int i = 0; i < n; i++)
				free(names[i]);
			n = 0;
			free(company);
			company = NULL;
		}
		if (rc != DB_ROW)
			break;
		if (!company) {
			company = xstrdup((const char *)db_column_text(st, 0));
			first = g;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			names = xrealloc(names, cap * sizeof(*names));
			ids = xrealloc(ids, cap * sizeof(*ids));
		}
		const char *nm = (const char *)db_column_text(st, 2);
		names[n] = xstrdup(nm ? nm : "");
		ids[n++] = db_column_int64(st, 1);
	}
	db_reset(st);
	free(names);
	free(ids);
	return rc == DB_DONE ? CRM_OK : crm_dberror(c, rc, "dedupe");
}

int dedupe_run(struct crm *c, const char *tn, const char *by, bool fuzzy)
{
	const struct type *t = type_get(c, tn);
	if (!t)
		return c->errcode;
	bool account = !strcmp(t->name, "account"), company = type_field(t, "company") != NULL;
	const struct key keys[KEY_KINDS] = {
		{ "phone", type_field(t, "phone") != NULL, 1.0 },
		{ "email", type_field(t, "email") != NULL, 1.0 },
		{ "name+company", account || company, 1.0 },
		/* --fuzzy: company names without 有限公司, (中国), Co., Ltd. ... */
		{ "name+company (fuzzy)", account || company, 0.9 },
		{ "similar names at one company", company, 0.8 },
	};
	const char *want_s = by ? by : "phone,email,name+company";
	/* the keys asked for, checked before anything is read */
	bool want[KEY_KINDS] = { false };
	char *copy = xstrdup(want_s), *save = NULL;
	for (char *k = strtok_r(copy, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
		int i = 0;
		while (i < KEY_FUZZY && strcmp(keys[i].name, k))
			i++;
		if (i == KEY_FUZZY) {
			int rc = crm_error(c, CRM_USAGE, "--by: '%s' is not phone, email or name+company", k);
			free(copy);
			return rc;
		}
		want[i] = true;
	}
	free(copy);
	want[KEY_FUZZY] = want[KEY_NEAR] = fuzzy && want[KEY_NAME];
	/* the TEMP tables: both backends look there first */
	if (db_exec(c, "CREATE TEMP TABLE IF NOT EXISTS dedupe_seen(ids TEXT PRIMARY KEY)")
	    || db_exec(c, "CREATE TEMP TABLE IF NOT EXISTS dedupe_key(kind INTEGER, k TEXT, id BIGINT, nk TEXT)")
	    || db_exec(c, "DELETE FROM dedupe_seen") || db_exec(c, "DELETE FROM dedupe_key"))
		return c->errcode;
	long groups = 0;
	struct progress pg;
	progress_begin(&pg, c, "dedupe", "groups");
	progress_phase(&pg, "dedupe: reading the records");
	int rc = keys_load(c, t, keys, want);
	copy = xstrdup(want_s);
	save = NULL;
	for (char *k = strtok_r(copy, ",", &save); k && !rc; k = strtok_r(NULL, ",", &save)) {
		char phase[64];
		snprintf(phase, sizeof(phase), "dedupe: by %s", k);
		progress_phase(&pg, phase);
		int i = 0;
		while (strcmp(keys[i].name, k))
			i++;
		if (!keys[i].have)
			continue;
		rc = group_by(c, t, &keys[i], i, &groups);
		if (!rc && i == KEY_NAME && want[KEY_FUZZY])
			rc = group_by(c, t, &keys[KEY_FUZZY], KEY_FUZZY, &groups);
		if (!rc && i == KEY_NAME && want[KEY_NEAR] && keys[KEY_NEAR].have) {
			progress_phase(&pg, "dedupe: similar names at one company");
			rc = near_by_company(c, t, &groups);
		}
		progress_update(&pg, groups, -1);
	}
	progress_end(&pg);
	free(copy);
	if (rc)
		return rc;
	return groups ? CRM_OK : CRM_NOTFOUND;
}

/* ---- merge ---- */

/* Point every reference to drop at keep, through the record layer; note
 * what moved in moved (for crm restore). */
static int repoint(struct crm *c, const char *tn, const char *col, const char *from, const char *to,
		   bool entity, cJSON *moved)
{
	const struct type *t = type_find(c, tn);
	if (!t || !type_field(t, col))
		return CRM_OK;
	char *sql = xasprintf("SELECT id FROM \"%s\" WHERE \"%s\" = ? ORDER BY id", tn, col);
	struct db_stmt *st;
	int rc = db_prepare(c, sql, -1, &st, NULL);
	free(sql);
	if (rc != DB_OK)
		return crm_dberror(c, rc, "merge");
	db_bind_text(st, 1, from, -1, DB_TRANSIENT);
	long long *ids;
	int n;
	rc = db_ids(c, st, &ids, &n);
	cJSON *list = n ? cJSON_CreateArray() : NULL;
	for (int i = 0; i < n && !rc; i++) {
		cJSON *ch = cJSON_CreateObject();
		if (entity)
			cJSON_AddStringToObject(ch, col, to);
		else
			cJSON_AddNumberToObject(ch, col, atof(to));
		rc = record_update(c, t, ids[i], ch, REC_NO_RULES);
		cJSON_Delete(ch);
		cJSON_AddItemToArray(list, cJSON_CreateNumber((double)ids[i]));
	}
	if (list) {
		char *key = xasprintf("%s.%s", tn, col);
		cJSON_AddItemToObject(moved, key, list);
		free(key);
	}
	free(ids);
	return rc;
}

static int merge_one(struct crm *c, const struct type *t, long long keep, long long drop, cJSON *out_moved)
{
	if (keep == drop)
		return crm_error(c, CRM_USAGE, "cannot merge %s:%lld into itself", t->name, keep);
	cJSON *k = record_get(c, t, keep, false), *d = record_get(c, t, drop, false);
	if (!k || !d) {
		cJSON_Delete(k);
		cJSON_Delete(d);
		return c->errcode;
	}
	/* the kept record's values win; its empty fields are filled, and its
	 * tags get the others' (added_tags: which, for crm restore) */
	cJSON *fill = cJSON_CreateObject(), *added_tags = NULL;
	const cJSON *it;
	cJSON_ArrayForEach(it, d) {
		const struct field *f = type_field(t, it->string);
		if (!f || f->flags & (FF_SYSTEM | FF_COMPUTED) || !strcmp(f->name, "id") || !strcmp(f->name, "created_at")
		    || !strcmp(f->name, "updated_at"))
			continue;
		const cJSON *kv = cJSON_GetObjectItem(k, it->string);
		if (f->kind == FK_TAGS && cJSON_IsArray(kv)) {
			cJSON *all = cJSON_Duplicate(kv, true);
			const cJSON *tag;
			bool added = false;
			cJSON_ArrayForEach(tag, it) {
				bool have = false;
				const cJSON *o;
				cJSON_ArrayForEach(o, all)
					have = have || !strcmp(cJSON_GetStringValue(o), cJSON_GetStringValue(tag));
				if (!have) {
					cJSON_AddItemToArray(all, cJSON_Duplicate(tag, true));
					if (!added_tags)
						added_tags = cJSON_CreateArray();
					cJSON_AddItemToArray(added_tags, cJSON_Duplicate(tag, true));
					added = true;
				}
			}
			if (added)
				cJSON_AddItemToObject(fill, it->string, all);
			else
				cJSON_Delete(all);
			continue;
		}
		if (!kv || cJSON_IsNull(kv)) {
			cJSON_AddItemToObject(fill, it->string, cJSON_Duplicate(it, true));
			if (f->kind == FK_TAGS && cJSON_IsArray(it) && !added_tags)
				added_tags = cJSON_Duplicate(it, true);   /* it had none */
		}
	}
	/* the dropped record's phone/email would trip the duplicate guard on
	 * the kept one only if they differ; they are filled only when empty */
	int rc = cJSON_GetArraySize(fill) ? record_update(c, t, keep, fill, REC_NO_RULES | REC_ALLOW_DUP) : CRM_OK;
	cJSON *moved = cJSON_CreateObject();
	char from[64], to[64], fromid[32], toid[32];
	snprintf(from, sizeof(from), "%s:%lld", t->name, drop);
	snprintf(to, sizeof(to), "%s:%lld", t->name, keep);
	snprintf(fromid, sizeof(fromid), "%lld", drop);
	snprintf(toid, sizeof(toid), "%lld", keep);
	char *idcol = xasprintf("%s_id", t->name);
	if (!rc)
		rc = repoint(c, "activity", "entity", from, to, true, moved);
	if (!rc)
		rc = repoint(c, "task", "entity", from, to, true, moved);
	static const char *const holders[] = { "lead", "contact", "deal", "event", NULL };
	for (int i = 0; holders[i] && !rc; i++)
		if (strcmp(holders[i], t->name))
			rc = repoint(c, holders[i], idcol, fromid, toid, false, moved);
	free(idcol);
	if (!rc)
		rc = record_remove(c, t, drop, false);
	if (!rc) {
		cJSON *a = cJSON_CreateObject();
		cJSON_AddStringToObject(a, "merged_into", to);
		cJSON_AddItemToObject(a, "moved", cJSON_Duplicate(moved, true));
		cJSON_AddItemToObject(a, "filled", cJSON_Duplicate(fill, true));
		if (added_tags)
			cJSON_AddItemToObject(a, "added_tags", cJSON_Duplicate(added_tags, true));
		char *after = cJSON_PrintUnformatted(a);
		rc = audit_log(c, from, "merge", NULL, after);
		cJSON_free(after);
		cJSON_Delete(a);
	}
	cJSON_AddItemToObject(out_moved, from, moved);
	cJSON_Delete(fill);
	cJSON_Delete(added_tags);
	cJSON_Delete(k);
	cJSON_Delete(d);
	return rc;
}

int merge_run(struct crm *c, const char *tn, long long keep, const long long *drops, int ndrops)
{
	const struct type *t = type_get(c, tn);
	if (!t)
		return c->errcode;
	if (!record_exists(c, t, keep))
		return crm_error(c, CRM_NOTFOUND, "no %s with id %lld", t->name, keep);
	cJSON *moved = cJSON_CreateObject();
	int rc = CRM_OK;
	for (int i = 0; i < ndrops && !rc; i++)
		rc = merge_one(c, t, keep, drops[i], moved);
	/* TYPE.merged: a lead that took over others' fields and events
	 * scores again (sales), and the user's hook hears of it */
	cJSON *kept = rc ? NULL : record_get(c, t, keep, false);
	if (!rc && !kept)
		rc = c->errcode;
	if (!rc) {
		char *ev = xasprintf("%s.merged", t->name);
		struct change ch = { ev, t, keep, NULL, kept, 0 };
		rc = event_publish(c, &ch);
		free(ev);
	}
	cJSON_Delete(kept);
	if (rc) {
		c->rollback = true;   /* all the merge or nothing */
		cJSON_Delete(moved);
		return rc;
	}
	cJSON *k = record_get(c, t, keep, false);
	mask_json(c, t, k, NULL);
	cJSON_AddItemToObject(k, "merged", moved);
	out_object(c->out, k);
	cJSON_Delete(k);
	return CRM_OK;
}

/* crm restore of a merged record: the references the merge moved go back. */
int merge_undo(struct crm *c, const struct type *t, long long id)
{
	char ent[64];
	snprintf(ent, sizeof(ent), "%s:%lld", t->name, id);
	char *last = db_get_text(c, "SELECT action || ' ' || coalesce(after, '') FROM audit WHERE entity = ? "
				    "AND action IN ('merge', 'remove', 'delete') ORDER BY id DESC LIMIT 1", ent);
	c->errmsg[0] = 0;
	if (!last || strncmp(last, "merge ", 6)) {
		free(last);
		return CRM_OK;
	}
	cJSON *a = cJSON_Parse(last + 6);
	free(last);
	const cJSON *moved = cJSON_GetObjectItem(a, "moved"), *list;
	int rc = CRM_OK;
	cJSON_ArrayForEach(list, moved) {
		char *dot = strchr(list->string, '.');
		if (!dot)
			continue;
		char *tn = xstrndup(list->string, (size_t)(dot - list->string));
		const struct type *ht = type_find(c, tn);
		free(tn);
		const cJSON *idv;
		cJSON_ArrayForEach(idv, list) {
			if (!ht || rc)
				break;
			cJSON *ch = cJSON_CreateObject();
			if (!strcmp(dot + 1, "entity"))
				cJSON_AddStringToObject(ch, "entity", ent);
			else
				cJSON_AddNumberToObject(ch, dot + 1, (double)id);
			rc = record_update(c, ht, (long long)idv->valuedouble, ch, REC_NO_RULES);
			cJSON_Delete(ch);
		}
	}
	/* the fields the merge filled on the kept record go back to empty,
	 * where nobody has changed them since (tags stay: they were a union) */
	const char *into = cJSON_GetStringValue(cJSON_GetObjectItem(a, "merged_into"));
	const cJSON *filled = cJSON_GetObjectItem(a, "filled");
	const struct type *kt = NULL;
	long long kid = 0;
	if (!rc && into && entity_parse(c, into, NULL, &kt, &kid) == CRM_OK) {
		cJSON *cur = record_get(c, kt, kid, false), *ch = cJSON_CreateObject();
		const cJSON *f;
		cJSON_ArrayForEach(f, filled) {
			const struct field *fd = type_field(kt, f->string);
			const cJSON *now = cJSON_GetObjectItem(cur, f->string);
			if (fd && fd->kind != FK_TAGS && now && cJSON_Compare(now, f, true))
				cJSON_AddNullToObject(ch, f->string);
		}
		/* the tags it took from the other record, where they still are */
		const cJSON *added = cJSON_GetObjectItem(a, "added_tags");
		const cJSON *tags = cJSON_GetObjectItem(cur, "tags");
		if (cJSON_IsArray(added) && cJSON_IsArray(tags)) {
			cJSON *keep = cJSON_CreateArray();
			const cJSON *tg, *ad;
			cJSON_ArrayForEach(tg, tags) {
				bool was_added = false;
				cJSON_ArrayForEach(ad, added)
					was_added = was_added || cJSON_Compare(tg, ad, true);
				if (!was_added)
					cJSON_AddItemToArray(keep, cJSON_Duplicate(tg, true));
			}
			if (cJSON_GetArraySize(keep) != cJSON_GetArraySize(tags))
				cJSON_AddItemToObject(ch, "tags", keep);
			else
				cJSON_Delete(keep);
		}
		if (cur && cJSON_GetArraySize(ch))
			rc = record_update(c, kt, kid, ch, REC_NO_RULES | REC_ALLOW_DUP);
		cJSON_Delete(ch);
		cJSON_Delete(cur);
	}
	if (!rc)
		c->errmsg[0] = 0;   /* a kept record since removed: nothing to empty */
	/* TYPE.unmerged, for both records: two leads score again, the events
	 * went back with the fields */
	char *ev = xasprintf("%s.unmerged", t->name);
	for (int i = 0; i < 2 && !rc; i++) {
		long long rid = i ? kid : id;
		cJSON *r = i && kt != t ? NULL : rid ? record_get(c, t, rid, false) : NULL;
		c->errmsg[0] = 0;
		if (r) {
			struct change uc = { ev, t, rid, NULL, r, 0 };
			rc = event_publish(c, &uc);
		}
		cJSON_Delete(r);
	}
	free(ev);
	cJSON_Delete(a);
	return rc;
}
