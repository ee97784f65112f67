/* open.c: finding, opening, creating and migrating the database. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/date.h"
#include "core/config.h"
#include "core/db.h"
#include "core/mask.h"
#include "core/module.h"
#include "core/open.h"
#include "core/schema.h"
#include "core/sqlfn.h"
#include "io/fs.h"

#define DEFAULT_BUSY_MS 5000

char *db_resolve_path(const char *opt)
{
	const char *env = getenv("CRM_DB");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	if (opt && *opt)
		return xstrdup(opt);
	if (env && *env)
		return xstrdup(env);
	if (xdg && *xdg)
		return xasprintf("%s/crm/crm.db", xdg);
	return xasprintf("%s/.local/share/crm/crm.db", home && *home ? home : ".");
}

char *db_resolve(struct crm *c, const char *opt)
{
	const char *env = getenv("CRM_DB");
	char *url = (opt && *opt) || (env && *env) ? NULL : config_file_get(c, "db.url");
	if (url && *url)
		return url;
	free(url);
	return db_resolve_path(opt);
}

bool db_is_url(const char *path)
{
	return path && (!strncmp(path, "postgresql://", 13) || !strncmp(path, "postgres://", 11));
}

char *db_url_redact(const char *s)
{
	const char *u = strstr(s, "postgresql://");
	if (!u)
		u = strstr(s, "postgres://");
	if (!u)
		return xstrdup(s);
	struct sbuf b = { 0 };
	const char *auth = strstr(u, "://") + 3, *end = auth + strcspn(auth, "/?#");
	const char *at = NULL, *colon = NULL;
	for (const char *p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	for (const char *p = auth; at && p < at && !colon; p++)
		if (*p == ':')
			colon = p;
	const char *p = s;
	if (colon) {
		sbuf_addn(&b, p, (size_t)(colon + 1 - p));
		sbuf_add(&b, "***");
		p = at;
	}
	/* the query's password=: up to the next & */
	for (const char *q = strchr(end, '?'); q && *q;) {
		const char *name = q + 1;
		size_t vlen = strcspn(name, "&#");
		if (!strncmp(name, "password=", 9)) {
			sbuf_addn(&b, p, (size_t)(name + 9 - p));
			sbuf_add(&b, "***");
			p = name + vlen;
		}
		q = name[vlen] == '&' ? name + vlen : NULL;
	}
	sbuf_add(&b, p);
	return sbuf_detach(&b);
}

/* Not a file to create: a server is made by crm server init. */
static int url_refused(struct crm *c)
{
	return crm_error(c, CRM_USAGE, "a server is not created by crm init: crm server init URL makes one "
			 "(see crm help server)");
}

int db_schema_version(void)
{
	int v = 0;
	for (const struct migration *m = schema_migrations; m->name; m++)
		v = m->version;
	return v;
}

int db_schema_memory(struct crm *c, sqlite3 **db)
{
	*db = NULL;
	sqlite3 *m;
	if (sqlite3_open_v2(":memory:", &m, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL)
	    != SQLITE_OK) {
		sqlite3_close(m);
		return crm_error(c, CRM_DBERR, "cannot make crm's schema in memory");
	}
	for (const struct migration *s = schema_migrations; s->name; s++) {
		char *err = NULL;
		if (sqlite3_exec(m, s->sql, NULL, NULL, &err) != SQLITE_OK) {
			int rc = crm_error(c, CRM_DBERR, "schema migration %s failed in memory: %s", s->name,
					   err ? err : sqlite3_errmsg(m));
			sqlite3_free(err);
			sqlite3_close(m);
			return rc;
		}
	}
	*db = m;
	return CRM_OK;
}

static const char fkeys_slot = 0;

static void fkeys_free(void *p)
{
	struct db_fkeys *f = p;
	for (int i = 0; i < f->n; i++) {
		free(f->k[i].table);
		free(f->k[i].column);
		free(f->k[i].parent);
		free(f->k[i].on_delete);
	}
	free(f->k);
	free(f);
}

const struct db_fkeys *db_foreign_keys(struct crm *c)
{
	struct db_fkeys *f = crm_slot_get(c, &fkeys_slot);
	if (f)
		return f;
	sqlite3 *m;
	if (db_schema_memory(c, &m))
		return NULL;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(m, "SELECT t.name, k.\"from\", k.\"table\", k.on_delete, k.id FROM sqlite_schema AS t, "
			       "pragma_foreign_key_list(t.name) AS k WHERE t.type = 'table' ORDER BY t.rowid, k.id, k.seq",
			       -1, &st, NULL) != SQLITE_OK) {
		crm_error(c, CRM_DBERR, "reading crm's foreign keys: %s", sqlite3_errmsg(m));
		sqlite3_close(m);
		return NULL;
	}
	f = xcalloc(1, sizeof(*f));
	while (sqlite3_step(st) == SQLITE_ROW) {
		f->k = xrealloc(f->k, (f->n + 1) * sizeof(*f->k));
		struct db_fkey *k = &f->k[f->n++];
		k->table = xstrdup((const char *)sqlite3_column_text(st, 0));
		k->column = xstrdup((const char *)sqlite3_column_text(st, 1));
		k->parent = xstrdup((const char *)sqlite3_column_text(st, 2));
		k->on_delete = xstrdup((const char *)sqlite3_column_text(st, 3));
		k->id = sqlite3_column_int(st, 4);
	}
	sqlite3_finalize(st);
	sqlite3_close(m);
	crm_slot_set(c, &fkeys_slot, f, fkeys_free);
	return f;
}

/* ---- open, create, migrate ---- */

static int busy_timeout_ms(struct crm *c)
{
	char *v = config_get(c, "db.busy_timeout");
	long long ms = DEFAULT_BUSY_MS, secs;
	if (v) {
		char *end;
		long long n = strtoll(v, &end, 10);
		if (*end == 0 && n >= 0)
			ms = n;   /* a bare number is milliseconds */
		else if (duration_parse(v, &secs) == 0)
			ms = secs * 1000;
	}
	free(v);
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

/* Another writer holds the lock: try again every few milliseconds, not
 * with SQLite's own back-off (up to 100 ms), which in a pipeline of
 * writers (crm lead add | crm assign | crm task add) lets the one that
 * just committed take the lock back again and again. */
static int busy_wait(void *arg, int tries)
{
	struct crm *c = arg;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (tries == 0)
		c->busy_since = now;
	long long waited = (now.tv_sec - c->busy_since.tv_sec) * 1000LL
			 + (now.tv_nsec - c->busy_since.tv_nsec) / 1000000;
	if (waited >= c->busy_ms)
		return 0;
	struct timespec nap = { 0, (tries < 20 ? 1 : 5) * 1000000L };
	nanosleep(&nap, NULL);
	return 1;
}

static void busy_set(struct crm *c, int ms)
{
	c->busy_ms = ms;
	sqlite3_busy_handler(c->db, busy_wait, c);
}

/* The next word of an SQL statement (an identifier, quoted or not),
 * after blanks and -- comments, into w (n bytes). 0, or -1 at the end. */
static int sql_word(const char **p, char *w, size_t n)
{
	const char *s = *p;
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		if (s[0] != '-' || s[1] != '-')
			break;
		while (*s && *s != '\n')
			s++;
	}
	char close = *s == '"' ? '"' : *s == '`' ? '`' : *s == '[' ? ']' : 0;
	if (close)
		s++;
	size_t k = 0;
	while (*s && (close ? *s != close : (*s == '_' || (*s >= '0' && *s <= '9') || ((*s | 32) >= 'a' && (*s | 32) <= 'z')))) {
		if (k + 1 < n)
			w[k++] = *s;
		s++;
	}
	if (close && *s)
		s++;
	w[k] = 0;
	*p = s;
	return k ? 0 : -1;
}

/* Whether stmt is "ALTER TABLE t ADD [COLUMN] col ..." for a column a
 * custom field (crm field add) made before the migration did. */
static bool adds_custom_column(struct crm *c, const char *stmt)
{
	char w[4][72];
	const char *p = stmt;
	for (int i = 0; i < 4; i++)
		if (sql_word(&p, w[i], sizeof(w[i])) != 0)
			return false;
	if (strcasecmp(w[0], "alter") || strcasecmp(w[1], "table") || strcasecmp(w[3], "add"))
		return false;
	char col[72];
	if (sql_word(&p, col, sizeof(col)) != 0)
		return false;
	if (!strcasecmp(col, "column") && sql_word(&p, col, sizeof(col)) != 0)
		return false;
	struct db_stmt *st;
	if (db_prepare(c, "SELECT 1 FROM field WHERE type = ? AND name = ?", -1, &st, NULL) != DB_OK)
		return false;
	db_bind_text(st, 1, w[2], -1, DB_TRANSIENT);
	db_bind_text(st, 2, col, -1, DB_TRANSIENT);
	bool found = db_step(st) == DB_ROW;
	db_finalize(st);
	return found;
}

/* A migration one statement at a time, skipping an ADD COLUMN of a
 * column that a custom field made already: the field becomes the
 * built-in one, its values kept (the migration deletes the field row). */
static int migration_exec_tolerant(struct crm *c, const char *sql)
{
	const char *start = sql;
	for (const char *p = sql; *p; p++) {
		if (*p != ';')
			continue;
		char *one = xstrndup(start, (size_t)(p + 1 - start));
		if (!sqlite3_complete(one)) {   /* a ';' inside a trigger or a string */
			free(one);
			continue;
		}
		start = p + 1;
		int rc = adds_custom_column(c, one) ? CRM_OK : db_exec(c, one);
		free(one);
		if (rc)
			return rc;
	}
	return *start && sqlite3_complete(start) ? db_exec(c, start) : CRM_OK;
}

static int run_migrations(struct crm *c, int from)
{
	for (const struct migration *m = schema_migrations; m->name; m++) {
		if (m->version <= from)
			continue;
		int rc = db_exec(c, "SAVEPOINT migration");
		if (!rc)
			rc = db_exec(c, m->sql);
		if (rc && strstr(c->errmsg, "duplicate column name")) {
			db_execute(c, "ROLLBACK TO migration");
			rc = migration_exec_tolerant(c, m->sql);
		}
		if (!rc)
			rc = db_exec(c, "RELEASE migration");
		if (rc) {
			char msg[sizeof(c->errmsg)];
			snprintf(msg, sizeof(msg), "%s", c->errmsg);
			return crm_error(c, CRM_DBERR, "schema migration %s failed: %s", m->name, msg);
		}
	}
	char *sql = xasprintf("PRAGMA user_version = %d", db_schema_version());
	int rc = db_exec(c, sql);
	free(sql);
	return rc;
}

/* The backup copy made before a migration: "<db>.v<N>-<stamp>.bak". */
static int backup_before_migration(struct crm *c, int from)
{
	char day[DATE_BUFSZ];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(day, sizeof(day), "%Y%m%d-%H%M%S", &tm);
	char *path = xasprintf("%s.v%d-%s.bak", c->db_path, from, day);
	int rc = db_backup_to(c, path);
	if (rc == CRM_OK)
		crm_notice(c, "database schema v%d migrated to v%d; backup of the old file: %s",
			   from, db_schema_version(), path);
	free(path);
	return rc;
}

/* Bring the schema up to date. Whoever gives an empty file its schema
 * says it created the database: not whoever made the file, as the
 * commands of a pipeline all start on a database that does not exist. */
static int migrate(struct crm *c)
{
	int latest = db_schema_version();
	int ver = (int)db_get_int(c, "PRAGMA user_version", NULL, 0);
	if (ver == latest)
		return CRM_OK;
	if (ver > latest)
		return crm_error(c, CRM_DBERR, "database %s has schema v%d, newer than this crm (v%d)",
				 c->db_path, ver, latest);
	if (ver > 0) {
		int rc = backup_before_migration(c, ver);
		if (rc)
			return rc;
		/* a migration may index a table of millions of rows: sorted
		 * in files, not in memory (5M stays: 1.3 GB) */
		db_sort_on_disk(c);
	}
	int rc = db_begin(c);
	if (rc)
		return rc;
	/* The version may have moved while we waited for the lock. */
	int now = (int)db_get_int(c, "PRAGMA user_version", NULL, 0);
	rc = now < latest ? run_migrations(c, now) : CRM_OK;
	if (rc) {
		db_rollback(c);
		db_sort_in_memory(c);
		return rc;
	}
	rc = db_commit(c);
	db_sort_in_memory(c);
	if (!rc && now == 0)
		crm_notice(c, "created database %s", c->db_path);
	return rc;
}

/* "file:" URI of path asking SQLite to trust that nobody changes the
 * file: the way to read a WAL database we may not write (no -shm). */
static char *immutable_uri(const char *path)
{
	struct sbuf b = { 0 };
	sbuf_add(&b, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (*p == '?' || *p == '#' || *p == '%' || *p <= ' ')
			sbuf_addf(&b, "%%%02X", *p);
		else
			sbuf_addc(&b, (char)*p);
	}
	sbuf_add(&b, "?immutable=1");
	return sbuf_detach(&b);
}

static int open_handle(struct crm *c, int flags)
{
	/* crm runs no threads (hooks are processes): SQLite's own mutexes,
	 * around every allocation and page of the cache, are no-ops. Only
	 * before SQLite starts; later calls are refused and change nothing. */
	static bool configured;
	if (!configured) {
		sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
		configured = true;
	}
	/* SQLite's memory statistics stay on (its default): the heap bound of
	 * a user's query (query.c, sqlite3_hard_heap_limit64) is enforced only
	 * with them, though they cost a counter on every allocation. */
	char *uri = flags & SQLITE_OPEN_URI ? immutable_uri(c->db_path) : NULL;
	/* One thread per connection: no need for SQLite's per-call mutex. */
	int rc = sqlite3_open_v2(uri ? uri : c->db_path, &c->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	free(uri);
	if (rc != SQLITE_OK) {
		crm_error(c, CRM_DBERR, "cannot open database %s: %s", c->db_path,
			  c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		sqlite3_close(c->db);
		c->db = NULL;
		return CRM_DBERR;
	}
	sqlite3_extended_result_codes(c->db, 1);
	c->conn = db_sqlite_conn(c->db);
	/* more of SQLite's small allocations from the connection's own slab
	 * (a no-op where SQLite is built without lookaside, as Debian's is:
	 * SQLITE_OMIT_LOOKASIDE) */
	sqlite3_db_config(c->db, SQLITE_DBCONFIG_LOOKASIDE, NULL, 512, 1024);
	busy_set(c, DEFAULT_BUSY_MS);
	/* Defensive mode: no writable_schema tricks, even from our own code. */
	sqlite3_db_config(c->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(c->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
	/* Statement journals (one per record's savepoint) in memory, not
	 * in a temp file written for every row. */
	rc = db_exec(c, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; "
		     "PRAGMA temp_store = MEMORY");
	if (rc) {
		char *msg = xstrdup(c->errmsg);
		crm_error(c, CRM_DBERR, "cannot open database %s: %s", c->db_path, msg);
		free(msg);
		return CRM_DBERR;
	}
	/* WAL lets readers go on while one writer writes. */
	if (!(flags & SQLITE_OPEN_READONLY)) {
		char *mode = db_get_text(c, "PRAGMA journal_mode = WAL", NULL);
		free(mode);
	}
	if (sqlfn_register(c) != CRM_OK || mask_register(c) != CRM_OK || module_open_all(c) != CRM_OK)
		return c->errcode;
	return CRM_OK;
}

static int check_is_database(struct crm *c)
{
	/* Reading the schema fails with SQLITE_NOTADB on a file that is not one. */
	struct db_stmt *st;
	int rc = db_prepare(c, "SELECT count(*) FROM sqlite_schema", -1, &st, NULL);
	if (rc == DB_OK) {
		rc = db_step(st);
		db_finalize(st);
		if (rc == DB_ROW)
			return CRM_OK;
	}
	return crm_error(c, CRM_DBERR, "cannot open database %s: %s", c->db_path,
			 db_errmsg(c));
}

static int create_new(struct crm *c)
{
	if (make_parent_dirs(c->db_path) != 0)
		return crm_error(c, CRM_DBERR, "cannot create the directory for %s: %s",
				 c->db_path, strerror(errno));
	/* 0600: whoever can read the file can read every record in it */
	if (make_private_file(c->db_path) != 0)
		return crm_error(c, CRM_DBERR, "cannot create %s: %s", c->db_path, strerror(errno));
	int rc = open_handle(c, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	if (rc)
		return rc;
	return migrate(c);
}

int db_create(struct crm *c)
{
	if (db_is_url(c->db_path))
		return url_refused(c);
	if (access(c->db_path, F_OK) == 0)
		return crm_error(c, CRM_CONFLICT, "database %s already exists", c->db_path);
	return create_new(c);
}

/* A database we may only read (an archived copy, a read-only mount):
 * reads work, writes fail at BEGIN with a clear message. */
static int open_readonly(struct crm *c)
{
	int rc = open_handle(c, SQLITE_OPEN_READONLY);
	if (!rc)
		rc = check_is_database(c);
	if (rc) {
		/* A WAL database whose -shm we cannot create: read it as is. */
		db_conn_close(c->conn);
		c->conn = NULL;
		sqlite3_close(c->db);
		c->db = NULL;
		c->errmsg[0] = 0;
		rc = open_handle(c, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
		if (!rc)
			rc = check_is_database(c);
	}
	if (rc)
		return rc;
	int ver = (int)db_get_int(c, "PRAGMA user_version", NULL, 0);
	if (ver != db_schema_version())
		return crm_error(c, CRM_DBERR, "database %s is read-only and has schema v%d, not v%d: "
				 "it cannot be migrated", c->db_path, ver, db_schema_version());
	c->db_readonly = true;
	return CRM_OK;
}

/* ---- a server ---- */

/* This machine's time zone by name (Asia/Shanghai), or NULL: what TZ
 * says (a name, or a file under a zoneinfo folder), else what
 * /etc/localtime links to. */
static char *local_zone(void)
{
	const char *tz = getenv("TZ");
	if (tz && *tz == ':')
		tz++;
	char *path = NULL;
	if (!tz || !*tz || *tz == '/') {
		path = realpath(tz && *tz ? tz : "/etc/localtime", NULL);
		if (!path)
			return NULL;
		tz = path;
	}
	const char *in = strstr(tz, "zoneinfo/");
	char *zone = *tz != '/' ? xstrdup(tz) : in ? xstrdup(in + strlen("zoneinfo/")) : NULL;
	free(path);
	return zone;
}

/* Act as the login role we connected as: SET ROLE makes it the
 * current_user the policies ask about even when the connection's
 * settings (ALTER ROLE ... SET role) said another. */
static int server_act(struct crm *c)
{
	char *role = db_get_text(c, "SELECT session_user::text", NULL);
	if (!role)
		return crm_error(c, CRM_DBERR, "cannot read the login role from the server: %s",
				 c->errmsg[0] ? c->errmsg : "no row");
	struct sbuf sql = { 0 };
	sbuf_add(&sql, "SET ROLE ");
	sbuf_add_quoted(&sql, role, '"');
	int rc = db_exec(c, sql.s);
	sbuf_release(&sql);
	if (rc) {
		free(role);
		return rc;
	}
	free(c->db_role);
	c->db_role = role;
	/* the clock pinned (CRM_NOW) is the server's crm_now() too */
	if (getenv("CRM_NOW") && *getenv("CRM_NOW")) {
		char now[DATE_BUFSZ];
		date_format(date_now(), now);
		char *pin = db_get_text(c, "SELECT set_config('crm.now', ?, false)", now);
		if (!pin)
			return crm_error(c, CRM_DBERR, "cannot pin the clock on the server: %s", db_errmsg(c));
		free(pin);
	}
	/* local time (a report's month of an instant) is this machine's, as
	 * on a file, where the server knows its zone by name: set directly,
	 * outside any transaction, so a name it does not know is refused
	 * and changes nothing (pg_timezone_names, which would say so first,
	 * reads the whole zone database: 20-75 ms a connection) */
	char *zone = local_zone();
	if (zone) {
		char *set = db_get_text(c, "SELECT set_config('TimeZone', ?, false)", zone);
		free(set);
		free(zone);
		c->errmsg[0] = 0;
		c->errcode = 0;
	}
	return CRM_OK;
}

/* The server must be one crm server init made, of our schema. */
static int server_check(struct crm *c)
{
	char *marked = db_get_text(c, "SELECT to_regclass('crm_schema')::text", NULL);
	if (!marked) {
		if (c->errcode)
			return crm_error(c, CRM_DBERR, "cannot read the server's tables: %s", c->errmsg);
		return crm_error(c, CRM_DBERR, "the server has no crm schema: crm server init URL makes one "
				 "(crm migrate --from FILE.db --to URL copies a file into it)");
	}
	free(marked);
	struct db_stmt *st = db_stmt(c, "SELECT max(version) FROM crm_schema");
	if (!st)
		return c->errcode;
	int rc = db_step(st);
	int ver = rc == DB_ROW ? db_column_int(st, 0) : 0;
	db_reset(st);
	if ((rc & 0xff) == DB_PERM)
		return crm_error(c, CRM_PERM, "the login role %s is no crm user's on this server (an admin adds one: "
				 "crm server user add NAME --role ROLE)", c->db_role);
	if (rc != DB_ROW)
		return crm_dberror(c, rc, "reading the server's crm schema");
	if (ver != db_schema_version())
		return crm_error(c, CRM_DBERR, "the server has crm schema v%d and this crm v%d: crm server init "
				 "made it with another crm (bring one of them up to date first)", ver,
				 db_schema_version());
	return CRM_OK;
}

static int open_server(struct crm *c)
{
	c->errmsg[0] = 0;
	c->errcode = 0;
	int rc = db_pg_connect(c, c->db_path, busy_timeout_ms(c), &c->conn);
	if (!rc)
		rc = server_act(c);
	if (!rc)
		rc = server_check(c);
	if (!rc)
		rc = module_open_server_all(c);
	if (rc) {
		db_conn_close(c->conn);
		c->conn = NULL;
		free(c->db_role);
		c->db_role = NULL;
	}
	return rc;
}

int db_open(struct crm *c)
{
	int rc;
	if (c->conn)
		return CRM_OK;   /* crm shell: one connection for every command */
	if (db_is_url(c->db_path))
		return open_server(c);
	if (access(c->db_path, F_OK) != 0)
		rc = create_new(c);
	else if (access(c->db_path, W_OK) != 0 && (errno == EACCES || errno == EROFS))
		rc = open_readonly(c);
	else {
		rc = open_handle(c, SQLITE_OPEN_READWRITE);
		if (!rc)
			rc = check_is_database(c);
		if (!rc)
			rc = migrate(c);
	}
	if (rc)
		return rc;
	busy_set(c, busy_timeout_ms(c));
	return CRM_OK;
}

