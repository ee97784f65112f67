/* config.c: settings from the database and the user's config file. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/audit.h"
#include "base/date.h"
#include "base/money.h"
#include "core/config.h"
#include "core/db.h"
#include "core/module.h"
#include "io/fs.h"
#include "io/out.h"
#include "base/sbuf.h"
#include "base/text.h"

char *config_file_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	if (xdg && *xdg)
		return xasprintf("%s/crm/config", xdg);
	return xasprintf("%s/.config/crm/config", home && *home ? home : ".");
}

int config_key_valid(const char *key)
{
	if (!key || !*key || key[0] == '.' || key[strlen(key) - 1] == '.' || !utf8_valid(key, strlen(key), NULL))
		return 0;
	for (const char *p = key; *p; p++)
		if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || strchr("._-", *p)
		      || (unsigned char)*p >= 0x80))   /* team.华东 */
			return 0;
	return 1;
}

/* ---- what a value may be ---- */

int config_is_int(const char *value)
{
	char *end;
	errno = 0;
	(void)strtoll(value, &end, 10);
	return end == value || *end || errno ? -1 : 0;
}

int config_is_count(const char *value)
{
	return config_is_int(value) || *value == '-' ? -1 : 0;
}

int config_is_bool(const char *value)
{
	static const char *const words[] = { "true", "false", "yes", "no", "on", "off", "1", "0", NULL };
	for (int i = 0; words[i]; i++)
		if (!strcmp(value, words[i]))
			return 0;
	return -1;
}

int config_is_amount(const char *value)
{
	long long minor;
	return money_parse(value, &minor);
}

/* db.busy_timeout: milliseconds, or a span */
static int is_wait(const char *value)
{
	long long secs;
	return config_is_count(value) == 0 || duration_parse(value, &secs) == 0 ? 0 : -1;
}

/* ---- the keys crm reads ---- */

const struct config_key config_core_keys[] = {
	{ "currency", "CNY", "the currency of an amount given without one" },
	{ "db.busy_timeout", "5000", "milliseconds to wait for another command's write lock",
	  is_wait, "milliseconds (5000) or a span (10s)" },
	{ "db.url", NULL, "the team server (postgresql://...) when neither --db nor $CRM_DB says: kept in the "
	  "config file, not a database (it says where the database is); config set and unset write it there" },
	{ "user.name", NULL, "who you are when neither --as nor $CRM_USER says (else $USER)" },
	{ "query.timeout", "10", "seconds a query of crm sql or --where may run (then exit 6)",
	  config_is_count, "a whole number of seconds" },
	{ "hooks.timeout", "30", "seconds a hook may run before it is killed (the command goes on)",
	  config_is_count, "a whole number of seconds" },
	{ "import.map.", NULL, "a column mapping saved by crm import --save-map NAME" },
	{ "x.", NULL, "your own settings, for your scripts; crm reads none of them" },
	{ NULL, NULL, NULL },
};

/* Every declaration in order, duplicates included. */
static const struct config_key *key_raw(int i)
{
	for (const struct config_key *k = config_core_keys; k->key; k++)
		if (i-- == 0)
			return k;
	for (int m = 0; crm_modules[m]; m++)
		for (const struct config_key *k = crm_modules[m]->config_keys; k && k->key; k++)
			if (i-- == 0)
				return k;
	return NULL;
}

const struct config_key *config_key_at(int i)
{
	int seen = 0;
	for (int r = 0; key_raw(r); r++) {
		const struct config_key *k = key_raw(r);
		bool dup = false;
		for (int e = 0; e < r && !dup; e++)
			dup = !strcmp(key_raw(e)->key, k->key);
		if (!dup && seen++ == i)
			return k;
	}
	return NULL;
}

static bool is_family(const char *decl)
{
	return decl[strlen(decl) - 1] == '.';
}

const struct config_key *config_key_find(const char *key)
{
	const struct config_key *family = NULL;
	for (int i = 0; config_key_at(i); i++) {
		const struct config_key *k = config_key_at(i);
		size_t n = strlen(k->key);
		if (!is_family(k->key) && !strcmp(k->key, key))
			return k;
		if (is_family(k->key) && !strncmp(k->key, key, n) && key[n]
		    && (!family || n > strlen(family->key)))
			family = k;
	}
	return family;
}

const char *config_key_nearest(const char *key)
{
	const char *best = NULL;
	int bestd = 0;
	size_t kl = strlen(key);
	for (int i = 0; config_key_at(i); i++) {
		const struct config_key *k = config_key_at(i);
		/* a key's help that names this one (its old name) wins */
		const char *h = k->help ? strstr(k->help, key) : NULL;
		if (h && (h == k->help || !isalnum((unsigned char)h[-1])) && !isalnum((unsigned char)h[kl])
		    && h[kl] != '.' && h[kl] != '_')
			return k->key;
		int d = text_distance(key, k->key);
		if (!best || d < bestd) {
			best = k->key;
			bestd = d;
		}
	}
	/* far from everything: no suggestion beats a wrong one */
	return best && (size_t)bestd * 2 <= kl + 2 ? best : NULL;
}

/* Words of text after an indent, wrapped at 78 columns (ASCII text). */
static void add_wrapped(struct sbuf *b, const char *text, size_t col, size_t indent)
{
	const char *p = text;
	while (*p) {
		size_t w = strcspn(p, " ");
		if (col + 1 + w > 78 && col > indent) {
			sbuf_addf(b, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			sbuf_addc(b, ' ');
			col++;
		}
		sbuf_addn(b, p, w);
		col += w;
		p += w;
		while (*p == ' ')
			p++;
	}
}

char *config_keys_help(void)
{
	struct sbuf b = { 0 };
	sbuf_add(&b, "Settings crm reads, each with its default in [brackets] (unset without one\n"
		     "means off; NAME is a name of yours, as in team.sales):\n");
	for (int i = 0; config_key_at(i); i++) {
		const struct config_key *k = config_key_at(i);
		char *name = is_family(k->key) ? xasprintf("%sNAME", k->key) : xstrdup(k->key);
		char *text = k->dflt ? xasprintf("%s [%s]", k->help ? k->help : "", k->dflt)
				     : xstrdup(k->help ? k->help : "");
		sbuf_addf(&b, "  %-26s ", name);
		if (strlen(name) > 26)
			sbuf_addf(&b, "\n%*s", 29, "");
		add_wrapped(&b, text, 29, 29);
		sbuf_addc(&b, '\n');
		free(name);
		free(text);
	}
	return sbuf_detach(&b);
}

/* The config file's "key = value" lines, read once per process: a
 * config lookup per imported row must not reopen the file. */
struct cfgfile {
	char **key, **value;
	int n;
};

static struct cfgfile *file_load(struct crm *c)
{
	if (c->cfgfile)
		return c->cfgfile;
	struct cfgfile *f = xcalloc(1, sizeof(*f));
	c->cfgfile = f;
	char *path = config_file_path();
	FILE *fp = fopen(path, "r");
	free(path);
	if (!fp)
		return f;
	char *line = NULL;
	size_t cap = 0;
	int alloc = 0;
	while (getline(&line, &cap, fp) > 0) {
		char *eq = strchr(line, '=');
		if (line[0] == '#' || !eq)
			continue;
		*eq = 0;
		char *k = text_trim(line), *v = text_trim(eq + 1);
		size_t vl = strlen(v);
		while (vl && (v[vl - 1] == '\n' || v[vl - 1] == '\r'))
			v[--vl] = 0;
		if (!*k) {
			free(k);
			free(v);
			continue;
		}
		if (f->n == alloc) {
			alloc = alloc ? alloc * 2 : 8;
			f->key = xrealloc(f->key, alloc * sizeof(char *));
			f->value = xrealloc(f->value, alloc * sizeof(char *));
		}
		f->key[f->n] = k;
		f->value[f->n++] = v;
	}
	free(line);
	fclose(fp);
	return f;
}

void config_release(struct crm *c)
{
	struct cfgfile *f = c->cfgfile;
	if (!f)
		return;
	for (int i = 0; i < f->n; i++) {
		free(f->key[i]);
		free(f->value[i]);
	}
	free(f->key);
	free(f->value);
	free(f);
	c->cfgfile = NULL;
}

/* The last line for a key wins. */
static const char *file_get(struct crm *c, const char *key)
{
	struct cfgfile *f = file_load(c);
	for (int i = f->n - 1; i >= 0; i--)
		if (!strcmp(f->key[i], key))
			return f->value[i];
	return NULL;
}

/* The config file with key's lines gone and, unless value is NULL, a
 * line key = value at its end: whole or not at all (a file beside it,
 * renamed into place), 0600, the other lines as they were. */
static int file_set(struct crm *c, const char *key, const char *value)
{
	if (value && (!*value || strpbrk(value, "\r\n")))
		return crm_error(c, CRM_BADINPUT, "%s: a value of one line is needed", key);
	if (value && strncmp(value, "postgresql://", 13) && strncmp(value, "postgres://", 11))
		return crm_error(c, CRM_BADINPUT, "%s: '%s' is not a postgresql:// URL", key, value);
	char *path = config_file_path(), *tmp = NULL, *line = NULL;
	struct sbuf b = { 0 };
	int rc = CRM_OK;
	FILE *fp = fopen(path, "r");
	if (!fp && errno != ENOENT)
		rc = crm_error(c, CRM_USAGE, "cannot read %s: %s", path, strerror(errno));
	size_t cap = 0;
	while (fp && getline(&line, &cap, fp) > 0) {
		const char *eq = line[0] == '#' ? NULL : strchr(line, '=');
		char *k = eq ? xstrndup(line, (size_t)(eq - line)) : NULL, *kt = k ? text_trim(k) : NULL;
		bool drop = kt && !strcmp(kt, key);
		free(k);
		free(kt);
		if (drop)
			continue;
		sbuf_add(&b, line);
		if (b.len && b.s[b.len - 1] != '\n')
			sbuf_addc(&b, '\n');
	}
	free(line);
	if (fp)
		fclose(fp);
	if (value)
		sbuf_addf(&b, "%s = %s\n", key, value);
	int fd = rc || make_parent_dirs(path) ? -1 : fs_temp_beside(path, &tmp);
	if (!rc && fd < 0)
		rc = crm_error(c, CRM_USAGE, "cannot write %s: %s", path, strerror(errno));
	if (fd >= 0) {
		size_t len = b.len, off = 0;
		while (off < len) {
			ssize_t w = write(fd, b.s + off, len - off);
			if (w <= 0)
				break;
			off += (size_t)w;
		}
		bool ok = off == len && fsync(fd) == 0;
		ok = close(fd) == 0 && ok;
		if (!ok)
			unlink(tmp);   /* the file stays as it was */
		if (!ok || fs_commit(tmp, path, 1) != 0)
			rc = crm_error(c, CRM_USAGE, "cannot write %s: %s", path, strerror(errno));
	}
	free(tmp);
	free(path);
	sbuf_release(&b);
	config_release(c);   /* read again, as written */
	return rc;
}

char *config_get(struct crm *c, const char *key)
{
	if (c->conn) {
		char *v = db_get_text(c, "SELECT value FROM config WHERE key = ?", key);
		if (v)
			return v;
		c->errmsg[0] = 0;
	}
	const char *v = file_get(c, key);
	return v ? xstrdup(v) : NULL;
}

char *config_file_get(struct crm *c, const char *key)
{
	const char *v = file_get(c, key);
	return v ? xstrdup(v) : NULL;
}

char *config_get_source(struct crm *c, const char *key, char **source)
{
	*source = NULL;
	if (c->conn) {
		char *v = db_get_text(c, "SELECT value FROM config WHERE key = ?", key);
		if (v) {
			*source = xstrdup("database");
			return v;
		}
		c->errmsg[0] = 0;
	}
	const char *v = file_get(c, key);
	if (v) {
		*source = config_file_path();
		return xstrdup(v);
	}
	const struct config_key *k = config_key_find(key);
	if (k && k->dflt && !is_family(k->key)) {
		*source = xstrdup("default");
		return xstrdup(k->dflt);
	}
	return NULL;
}

long long config_get_int(struct crm *c, const char *key, long long def)
{
	char *v = config_get(c, key), *end;
	long long n = def;
	if (v) {
		long long x = strtoll(v, &end, 10);
		if (end != v && *end == 0)
			n = x;
	}
	free(v);
	return n;
}

static char *json_string(const char *s)
{
	if (!s)
		return NULL;
	cJSON *j = cJSON_CreateString(s);
	char *p = cJSON_PrintUnformatted(j);
	char *r = xstrdup(p);
	cJSON_free(p);
	cJSON_Delete(j);
	return r;
}

static int audit_config(struct crm *c, const char *key, const char *action, const char *old, const char *val)
{
	char *entity = xasprintf("config:%s", key);
	char *b = json_string(old), *a = json_string(val);
	int rc = audit_log(c, entity, action, b, a);
	free(entity);
	free(b);
	free(a);
	return rc;
}

int config_set(struct crm *c, const char *key, const char *value)
{
	if (!config_key_valid(key))
		return crm_error(c, CRM_USAGE, "'%s' is not a setting name (lower case letters, digits, '.', '_', '-', text)", key);
	const struct config_key *k = config_key_find(key);
	if (!k) {
		const char *near = config_key_nearest(key);
		return crm_error(c, CRM_USAGE, "'%s' is not a setting crm knows%s%s%s (see 'crm help config'; "
				 "settings of your own go under x.NAME)", key, near ? "; did you mean " : "",
				 near ? near : "", near ? "?" : "");
	}
	if (!strcmp(key, "db.url"))   /* read before any database is open */
		return file_set(c, key, value);
	if (k->check && k->check(value))
		return crm_error(c, CRM_BADINPUT, "%s: '%s' is not %s", key, value,
				 k->expects ? k->expects : "a value it takes");
	char code[CURRENCY_BUFSZ];
	if (!strcmp(key, "currency")) {   /* as the currency field takes it */
		if (currency_normalize(value, code) != 0)
			return crm_error(c, CRM_BADINPUT, "currency: '%s' is not a currency code (three letters, as CNY, "
					 "USD, EUR)", value);
		value = code;
	}
	char *old = db_get_text(c, "SELECT value FROM config WHERE key = ?", key);
	if (old && !strcmp(old, value)) {
		free(old);
		return CRM_OK;
	}
	struct db_stmt *st = db_stmt(c, "INSERT INTO config(key, value) VALUES (?, ?) "
				      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
	int rc = st ? CRM_OK : c->errcode;
	if (!rc) {
		db_bind_text(st, 1, key, -1, DB_STATIC);
		db_bind_text(st, 2, value, -1, DB_STATIC);
		int src = db_step(st);
		db_reset(st);
		rc = src == DB_DONE ? CRM_OK : crm_dberror(c, src, "config");
	}
	if (!rc)
		rc = audit_config(c, key, "set", old, value);
	free(old);
	return rc;
}

int config_unset(struct crm *c, const char *key)
{
	if (!strcmp(key, "db.url")) {
		if (!file_get(c, key))
			return crm_error(c, CRM_NOTFOUND, "'%s' is not set", key);
		return file_set(c, key, NULL);
	}
	char *old = db_get_text(c, "SELECT value FROM config WHERE key = ?", key);
	if (!old)
		return crm_error(c, CRM_NOTFOUND, "'%s' is not set", key);
	struct db_stmt *st = db_stmt(c, "DELETE FROM config WHERE key = ?");
	int rc = st ? CRM_OK : c->errcode;
	if (!rc) {
		db_bind_text(st, 1, key, -1, DB_STATIC);
		int src = db_step(st);
		db_reset(st);
		rc = src == DB_DONE ? CRM_OK : crm_dberror(c, src, "config");
	}
	if (!rc)
		rc = audit_config(c, key, "unset", old, NULL);
	free(old);
	return rc;
}

static void print_setting(struct crm *c, const char *key, const char *value, const char *source)
{
	out_begin(c->out);
	out_str(c->out, "type", "config");
	out_str(c->out, "key", key);
	out_str(c->out, "value", value);
	out_str(c->out, "source", source);
	out_end(c->out);
}

int config_list(struct crm *c, bool all)
{
	struct db_stmt *st;
	int rc = db_prepare(c, "SELECT key, value FROM config ORDER BY key", -1, &st, NULL);
	if (rc != DB_OK)
		return crm_dberror(c, rc, "config");
	while ((rc = db_step(st)) == DB_ROW)
		print_setting(c, (const char *)db_column_text(st, 0),
			      (const char *)db_column_text(st, 1), "database");
	db_finalize(st);
	if (rc != DB_DONE)
		return crm_dberror(c, rc, "config");
	struct cfgfile *f = file_load(c);
	char *path = config_file_path();
	for (int i = 0; i < f->n; i++) {
		bool later = false;   /* a later line for the key wins */
		for (int j = i + 1; j < f->n && !later; j++)
			later = !strcmp(f->key[i], f->key[j]);
		char *indb = db_get_text(c, "SELECT value FROM config WHERE key = ?", f->key[i]);
		if (!indb && !later)
			print_setting(c, f->key[i], f->value[i], path);
		free(indb);
	}
	free(path);
	for (int i = 0; all && config_key_at(i); i++) {
		const struct config_key *k = config_key_at(i);
		if (is_family(k->key))
			continue;
		char *src, *v = config_get_source(c, k->key, &src);
		if (!src || !strcmp(src, "default"))
			print_setting(c, k->key, v, "default");
		free(v);
		free(src);
	}
	return CRM_OK;
}
