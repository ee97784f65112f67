/* config.c: settings from the database and the user's config file. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/config.h"
#include "core/db.h"
#include "io/out.h"
#include "base/text.h"

const struct config_key config_core_keys[] = {
	{ "query.timeout", "10", "seconds a query of crm sql or --where may run (then exit 6)" },
	{ "hooks.timeout", "30", "seconds a hook may run before it is killed (the command goes on)" },
	{ NULL, NULL, NULL }
};

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
	if (!key || !*key || key[0] == '.' || key[strlen(key) - 1] == '.')
		return 0;
	for (const char *p = key; *p; p++)
		if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || strchr("._-", *p)))
			return 0;
	return 1;
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

char *config_get(struct crm *c, const char *key)
{
	if (c->db) {
		char *v = db_get_text(c, "SELECT value FROM config WHERE key = ?", key);
		if (v)
			return v;
		c->errmsg[0] = 0;
	}
	const char *v = file_get(c, key);
	return v ? xstrdup(v) : NULL;
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
		return crm_error(c, CRM_USAGE, "'%s' is not a setting name (lower case letters, digits, '.', '_', '-')", key);
	char *old = db_get_text(c, "SELECT value FROM config WHERE key = ?", key);
	if (old && !strcmp(old, value)) {
		free(old);
		return CRM_OK;
	}
	sqlite3_stmt *st = db_stmt(c, "INSERT INTO config(key, value) VALUES (?, ?) "
				      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
	int rc = st ? CRM_OK : c->errcode;
	if (!rc) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
		int src = sqlite3_step(st);
		sqlite3_reset(st);
		rc = src == SQLITE_DONE ? CRM_OK : crm_dberror(c, src, "config");
	}
	if (!rc)
		rc = audit_config(c, key, "set", old, value);
	free(old);
	return rc;
}

int config_unset(struct crm *c, const char *key)
{
	char *old = db_get_text(c, "SELECT value FROM config WHERE key = ?", key);
	if (!old)
		return crm_error(c, CRM_NOTFOUND, "'%s' is not set", key);
	sqlite3_stmt *st = db_stmt(c, "DELETE FROM config WHERE key = ?");
	int rc = st ? CRM_OK : c->errcode;
	if (!rc) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		int src = sqlite3_step(st);
		sqlite3_reset(st);
		rc = src == SQLITE_DONE ? CRM_OK : crm_dberror(c, src, "config");
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

int config_list(struct crm *c)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(c->db, "SELECT key, value FROM config ORDER BY key", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return crm_dberror(c, rc, "config");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		print_setting(c, (const char *)sqlite3_column_text(st, 0),
			      (const char *)sqlite3_column_text(st, 1), "database");
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
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
	return CRM_OK;
}
