/* query.c: list queries, user expressions and the read-only authorizer. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/cmd.h"
#include "core/config.h"
#include "base/date.h"
#include "base/money.h"
#include "core/db.h"
#include "core/dialect.h"
#include "core/mask.h"
#include "io/out.h"
#include "core/module.h"
#include "core/query.h"
#include "base/text.h"

/* ---- the authorizer ---- */

struct auth {
	int denied;            /* the action code refused, 0 if none */
	bool schema_update;    /* an UPDATE of sqlite_master was let through */
	char what[128];
};

static const char *const denied_functions[] = {
	"load_extension", "fts3_tokenizer", "readfile", "writefile", "edit",
	"sqlite_dbpage", NULL
};

static int authorize(void *arg, int action, const char *a1, const char *a2,
		     const char *dbname, const char *trigger)
{
	struct auth *au = arg;
	(void)dbname;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_READ:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	case SQLITE_FUNCTION:
		for (int i = 0; denied_functions[i]; i++)
			if (a2 && !strcasecmp(a2, denied_functions[i])) {
				au->denied = action;
				snprintf(au->what, sizeof(au->what), "the function %s()", a2);
				return SQLITE_DENY;
			}
		return SQLITE_OK;
	case SQLITE_PRAGMA:
		snprintf(au->what, sizeof(au->what), "PRAGMA %s", a1 ? a1 : "");
		break;
	case SQLITE_ATTACH:
	case SQLITE_DETACH:
		snprintf(au->what, sizeof(au->what), "ATTACH/DETACH");
		break;
	case SQLITE_UPDATE:
		/* Using a table-valued function (json_each in has_tag) makes
		 * SQLite ask for an UPDATE of sqlite_master while it sets up
		 * the function's table. A real UPDATE of it is still refused:
		 * by sqlite3_stmt_readonly() below, and by defensive mode. */
		if (a1 && !strcmp(a1, "sqlite_master") && !trigger) {
			au->schema_update = true;
			return SQLITE_OK;
		}
		/* fall through */
	case SQLITE_INSERT:
	case SQLITE_DELETE:
		snprintf(au->what, sizeof(au->what), "writing to %s", a1 ? a1 : "a table");
		break;
	default:
		snprintf(au->what, sizeof(au->what), "changing the database or its schema");
		break;
	}
	au->denied = action;
	return SQLITE_DENY;
}

int query_prepare_readonly(struct crm *c, const char *sql, struct db_stmt **st)
{
	struct auth au = { 0 };
	const char *tail = NULL;
	*st = NULL;
	/* a server has no authorizer: the READ ONLY transaction the query
	 * runs in (query_begin) refuses what writes */
	if (c->db)
		sqlite3_set_authorizer(c->db, authorize, &au);
	int rc = db_prepare(c, sql, -1, st, &tail);
	if (c->db)
		sqlite3_set_authorizer(c->db, NULL, NULL);
	if (rc != DB_OK) {
		if (au.schema_update && !au.denied)
			snprintf(au.what, sizeof(au.what), "writing to sqlite_master");
		/* defensive mode refuses schema writes before asking us */
		if (strstr(db_errmsg(c), "may not be modified"))
			snprintf(au.what, sizeof(au.what), "writing to the schema");
		/* crm sql's record tables are views: SQLite refuses a write
		 * to one before asking us */
		if (strstr(db_errmsg(c), "because it is a view"))
			snprintf(au.what, sizeof(au.what), "writing to a record table");
		if (au.denied || au.what[0] || (rc & 0xff) == DB_PERM)
			return crm_error(c, CRM_PERM, "refused: %s is not allowed (queries are read-only)",
					 au.what[0] ? au.what : "this statement");
		return crm_error(c, CRM_USAGE, "%s", db_errmsg(c));
	}
	if (!*st)
		return crm_error(c, CRM_USAGE, "empty query");
	while (tail && *tail && (isspace((unsigned char)*tail) || *tail == ';'))
		tail++;
	if (tail && *tail) {
		db_finalize(*st);
		*st = NULL;
		return crm_error(c, CRM_PERM, "refused: one statement at a time");
	}
	if (!db_stmt_readonly(*st)) {
		db_finalize(*st);
		*st = NULL;
		return crm_error(c, CRM_PERM, "refused: queries are read-only");
	}
	return CRM_OK;
}

/* ---- bounds on a query of the user's ---- */

/* A query of the user's (crm sql, --where) is bounded: in time (config
 * query.timeout, 10 s), in the heap it may grow (QUERY_HEAP_MAX above
 * what is in use when it starts) and in the size of a string or blob
 * it may make (QUERY_LENGTH_MAX). Only the time inside db_step
 * counts: not the time a slow reader of our output takes. */
#define QUERY_HEAP_MAX   (256LL << 20)
#define QUERY_LENGTH_MAX (32 << 20)

struct qguard {
	struct crm *c;
	double limit, spent;      /* seconds */
	struct timespec step_at;  /* when the step under way began */
	bool timed_out;
	sqlite3_int64 old_heap;
	int old_length;
	/* a server: the query runs in a READ ONLY transaction of its own (a
	 * savepoint inside the command's), bounded by statement_timeout */
	bool server, nested;
	int server_rc;            /* BEGIN failed: every step says so */
};

static double since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (now.tv_nsec - t->tv_nsec) / 1e9;
}

static int guard_progress(void *arg)
{
	struct qguard *g = arg;
	if (g->limit > 0 && g->spent + since(&g->step_at) > g->limit) {
		g->timed_out = true;
		return 1;   /* SQLITE_INTERRUPT */
	}
	return 0;
}

/* What the authorizer and the progress handler do on a file, a
 * server does with the transaction's access mode and a timeout: the
 * rows are the same, a write (a function that writes) is refused. */
static void guard_begin_server(struct crm *c, struct qguard *g)
{
	g->server = true;
	g->nested = db_conn_in_txn(c->conn);
	int rc = g->nested ? db_conn_savepoint(c->conn, "crm_query") : db_conn_begin(c->conn);
	if (rc == DB_OK)
		rc = db_conn_exec(c->conn, "SET TRANSACTION READ ONLY");
	if (rc == DB_OK && g->limit > 0) {
		char *sql = xasprintf("SET LOCAL statement_timeout = %lld", (long long)(g->limit * 1000));
		rc = db_conn_exec(c->conn, sql);
		free(sql);
	}
	g->server_rc = rc;
}

static void guard_end_server(struct crm *c, struct qguard *g)
{
	if (g->nested) {
		db_conn_rollback_to(c->conn, "crm_query");
		db_conn_release(c->conn, "crm_query");
	} else {
		db_conn_rollback(c->conn);   /* it wrote nothing: nothing to keep */
	}
}

static void guard_begin(struct crm *c, struct qguard *g)
{
	memset(g, 0, sizeof(*g));
	g->c = c;
	g->limit = (double)config_get_int(c, "query.timeout", 10);
	if (!c->db) {
		guard_begin_server(c, g);
		return;
	}
	sqlite3_progress_handler(c->db, 4096, guard_progress, g);
	g->old_length = sqlite3_limit(c->db, SQLITE_LIMIT_LENGTH, QUERY_LENGTH_MAX);
	g->old_heap = sqlite3_hard_heap_limit64(-1);
	sqlite3_int64 lim = sqlite3_memory_used() + QUERY_HEAP_MAX;
	if (g->old_heap <= 0 || g->old_heap > lim)
		sqlite3_hard_heap_limit64(lim);
}

static int guard_step(struct qguard *g, struct db_stmt *st)
{
	if (g->server_rc)
		return g->server_rc;
	clock_gettime(CLOCK_MONOTONIC, &g->step_at);
	int rc = db_step(st);
	g->spent += since(&g->step_at);
	return rc;
}

static int guard_error(struct qguard *g, int rc, const char *what)
{
	struct crm *c = g->c;
	int prim = rc & 0xff;
	if (g->server && rc == DB_BUSY_TIMEOUT && strstr(db_errmsg(c), "statement timeout"))
		return crm_error(c, CRM_DBERR, "query took longer than %g s (config query.timeout)", g->limit);
	if (g->server && prim == DB_READONLY) {
		char msg[sizeof(c->errmsg)];
		snprintf(msg, sizeof(msg), "%s", db_errmsg(c));
		return crm_error(c, CRM_PERM, "refused: queries are read-only (%s)", msg);
	}
	if (prim == DB_INTERRUPT && g->timed_out)
		return crm_error(c, CRM_DBERR, "query took longer than %g s (config query.timeout)",
				 g->limit);
	if (prim == DB_NOMEM)
		return crm_error(c, CRM_DBERR, "query needed more than %lld MB of memory",
				 QUERY_HEAP_MAX >> 20);
	if (prim == DB_TOOBIG)
		return crm_error(c, CRM_DBERR, "query made a string or blob longer than %d MB",
				 QUERY_LENGTH_MAX >> 20);
	return crm_dberror(c, rc, what);
}

/* Undo the bounds; rc is the last step's: an error for one we set. */
static int guard_end(struct qguard *g, int rc, const char *what)
{
	struct crm *c = g->c;
	/* the error first: ending the server's transaction clears its message */
	int res = rc == DB_ROW || rc == DB_DONE ? CRM_OK : guard_error(g, rc, what);
	if (g->server) {
		guard_end_server(c, g);
	} else {
		sqlite3_progress_handler(c->db, 0, NULL, NULL);
		sqlite3_limit(c->db, SQLITE_LIMIT_LENGTH, g->old_length);
		sqlite3_hard_heap_limit64(g->old_heap > 0 ? g->old_heap : 0);
	}
	return res;
}

/* ---- the record as an expression sees it ---- */

char *query_source(const struct type *t)
{
	struct sbuf b = { 0 };
	sbuf_add(&b, "(SELECT ");
	for (int i = 0; i < t->nfields; i++) {
		const struct field *f = &t->fields[i];
		char *col = type_column_sql(f);   /* over the table's row, named r too */
		if (i)
			sbuf_add(&b, ", ");
		if (f->kind == FK_MONEY)
			sbuf_addf(&b, "%s / 100.0 AS \"%s\", %s AS \"_minor_%s\"", col, f->name, col, f->name);
		else
			sbuf_addf(&b, "%s AS \"%s\"", col, f->name);
		free(col);
	}
	sbuf_addf(&b, " FROM \"%s\" AS r) AS r", t->name);
	return sbuf_detach(&b);
}

static char *select_list(const struct type *t)
{
	struct sbuf b = { 0 };
	sbuf_add(&b, "SELECT ");
	for (int i = 0; i < t->nfields; i++) {
		const struct field *f = &t->fields[i];
		sbuf_addf(&b, "%sr.\"%s%s\"", i ? ", " : "", f->kind == FK_MONEY ? "_minor_" : "", f->name);
	}
	return sbuf_detach(&b);
}

/* ---- rewriting helper functions in expressions ---- */

/* Length of the token at s that is a string, quoted name or comment. */
static size_t quoted_len(const char *s)
{
	char q = *s;
	if (q == '\'' || q == '"' || q == '`' || q == '[') {
		char end = q == '[' ? ']' : q;
		size_t i = 1;
		for (; s[i]; i++) {
			if (s[i] == end) {
				if (end != ']' && s[i + 1] == end) {
					i++;
					continue;
				}
				return i + 1;
			}
		}
		return i;   /* unterminated: SQLite will say so */
	}
	if (s[0] == '-' && s[1] == '-')
		return strcspn(s, "\n");
	if (s[0] == '/' && s[1] == '*') {
		const char *e = strstr(s + 2, "*/");
		return e ? (size_t)(e + 2 - s) : strlen(s);
	}
	return 0;
}

/* The top-level arguments of a call whose "(" is at s[0]; returns the
 * length up to and including ")" or 0 if unbalanced. */
static size_t call_args(const char *s, char **argv, int *argc, int max)
{
	int depth = 0;
	size_t start = 1;
	*argc = 0;
	for (size_t i = 0; s[i]; i++) {
		size_t q = quoted_len(s + i);
		if (q) {
			i += q - 1;
			continue;
		}
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && --depth == 0) {
			if (*argc < max && (i > start || *argc))
				argv[(*argc)++] = xstrndup(s + start, i - start);
			return i + 1;
		} else if (s[i] == ',' && depth == 1) {
			if (*argc < max)
				argv[(*argc)++] = xstrndup(s + start, i - start);
			start = i + 1;
		}
	}
	return 0;
}

static int rewrite(struct crm *c, const struct type *t, bool one, const char *s, struct sbuf *out);

char *query_scope(struct crm *c, const struct type *t, const char *alias, bool write)
{
	char *cond = module_scope(c, t, alias, write);
	return cond ? cond : xstrdup(QUERY_SCOPE_ALL);
}

/* has_tag('x'): the core's own helper (tags are a kind of field). */
static int helper_has_tag(struct crm *c, const struct type *t, bool one, char **argv, int argc,
			  struct sbuf *out)
{
	(void)one;
	if (argc != 1)
		return crm_error(c, CRM_USAGE, "has_tag() takes one tag");
	if (!type_field(t, "tags"))
		sbuf_add(out, "0");
	else {
		char *values = dialect_json_values(c, "r.tags");
		sbuf_addf(out, "(EXISTS (SELECT 1 FROM %s WHERE value = (%s)))", values, argv[0]);
		free(values);
	}
	return CRM_OK;
}

static const struct query_helper core_helpers[] = {
	{ "has_tag", helper_has_tag },
	{ NULL, NULL },
};

/* The helper called name (n bytes), the core's or a module's, or NULL. */
static const struct query_helper *helper_find(const char *name, size_t n)
{
	for (const struct query_helper *h = core_helpers; h->name; h++)
		if (strlen(h->name) == n && !strncasecmp(h->name, name, n))
			return h;
	for (int m = 0; crm_modules[m]; m++)
		for (const struct query_helper *h = crm_modules[m]->helpers; h && h->name; h++)
			if (strlen(h->name) == n && !strncasecmp(h->name, name, n))
				return h;
	return NULL;
}

/* one: the expression is checked against one or a few records at a time
 * (a rule's condition, rescoring the leads an event touched). */
static int expand_helper(struct crm *c, const struct type *t, bool one, const struct query_helper *h,
			 char **argv, int argc, struct sbuf *out)
{
	char *a[4] = { NULL, NULL, NULL, NULL };
	int rc = CRM_OK;
	for (int i = 0; i < argc && i < 4; i++) {
		struct sbuf b = { 0 };
		rc = rewrite(c, t, one, argv[i], &b);
		a[i] = sbuf_detach(&b);
		if (rc)
			goto done;
	}
	rc = h->expand(c, t, one, a, argc, out);
done:
	for (int i = 0; i < 4; i++)
		free(a[i]);
	return rc;
}

static bool is_ident(int ch)
{
	return isalnum(ch) || ch == '_' || ch >= 0x80;
}

/* A money literal at s (50万, 1.5万, 3亿, ¥1200, ￥1200, 1200元; digits
 * without commas): its value in major units into buf and its length, or 0. Only
 * where it cannot be anything else: a currency sign before the digits or
 * 万/亿/元 after them, and no letter or other text right after it (50万元以上
 * is not one). A plain number is left as it is. */
static size_t money_literal(const char *s, char *buf)
{
	size_t i = 0;
	bool sign = false, unit = false;
	if (!strncmp(s, "¥", strlen("¥")))
		i = strlen("¥"), sign = true;
	else if (!strncmp(s, "￥", strlen("￥")))
		i = strlen("￥"), sign = true;
	size_t digits = i;
	while (isdigit((unsigned char)s[i]))
		i++;
	if (i == digits)
		return 0;
	if (s[i] == '.' && isdigit((unsigned char)s[i + 1])) {
		i++;
		while (isdigit((unsigned char)s[i]))
			i++;
	}
	if (!strncmp(s + i, "万", strlen("万")))
		i += strlen("万"), unit = true;
	else if (!strncmp(s + i, "亿", strlen("亿")))
		i += strlen("亿"), unit = true;
	if (!strncmp(s + i, "元", strlen("元")))
		i += strlen("元"), unit = true;
	if (!(sign || unit) || is_ident((unsigned char)s[i]) || s[i] == '.')
		return 0;
	char *text = xstrndup(s, i);
	long long minor;
	int rc = money_parse(text, &minor);
	free(text);
	if (rc != 0)
		return 0;
	money_format(minor, buf);
	return i;
}

/* Copy s to out, expanding helpers, dropping comments, and refusing what
 * could break out of the expression (";", unbalanced parentheses). */
static int rewrite(struct crm *c, const struct type *t, bool one, const char *s, struct sbuf *out)
{
	int depth = 0;
	for (size_t i = 0; s[i];) {
		size_t q = quoted_len(s + i);
		if (q) {
			if (s[i] == '-' || s[i] == '/')
				sbuf_addc(out, ' ');  /* a comment is a space */
			else
				sbuf_addn(out, s + i, q);
			i += q;
			continue;
		}
		if (s[i] == ';')
			return crm_error(c, CRM_PERM, "refused: ';' in an expression (one read-only expression only)");
		if (s[i] == '(')
			depth++;
		if (s[i] == ')' && --depth < 0)
			return crm_error(c, CRM_PERM, "refused: unbalanced ')' in the expression");
		if (is_ident((unsigned char)s[i]) && (i == 0 || !is_ident((unsigned char)s[i - 1]))) {
			char money[MONEY_BUFSZ];
			size_t ml = money_literal(s + i, money);
			if (ml) {
				sbuf_add(out, money);
				i += ml;
				continue;
			}
			size_t n = 0;
			while (is_ident((unsigned char)s[i + n]))
				n++;
			size_t j = i + n;
			while (isspace((unsigned char)s[j]))
				j++;
			const struct query_helper *helper = s[j] == '(' ? helper_find(s + i, n) : NULL;
			if (helper) {
				char *argv[4];
				int argc;
				char *name = xstrndup(s + i, n);
				size_t len = call_args(s + j, argv, &argc, 4);
				int rc = len ? expand_helper(c, t, one, helper, argv, argc, out)
					     : crm_error(c, CRM_USAGE, "unbalanced parentheses after %s", name);
				free(name);
				for (int k = 0; k < argc; k++)
					free(argv[k]);
				if (rc)
					return rc;
				i = j + len;
				continue;
			}
			sbuf_addn(out, s + i, n);
			i += n;
			continue;
		}
		sbuf_addc(out, s[i++]);
	}
	if (depth != 0)
		return crm_error(c, CRM_USAGE, "unbalanced '(' in the expression");
	return CRM_OK;
}

/* Whether expr holds a SELECT of its own (a subquery), outside quotes
 * and comments. */
static bool has_subquery(const char *s)
{
	for (size_t i = 0; s[i];) {
		size_t q = quoted_len(s + i);
		if (q) {
			i += q;
		} else if (is_ident((unsigned char)s[i])) {
			size_t n = 0;
			while (is_ident((unsigned char)s[i + n]))
				n++;
			if (n == 6 && !strncasecmp(s + i, "select", 6))
				return true;
			i += n;
		} else {
			i++;
		}
	}
	return false;
}

int query_where_allowed(struct crm *c, const char *where)
{
	/* a subquery of the user's reads its tables whole, past the scope
	 * the list puts on its own rows: only for those crm sql is for (on
	 * a server the role's policies bound it, as they bound crm sql) */
	if (!where || !has_subquery(where) || !module_permit(c, NULL, 0, "sql"))
		return CRM_OK;
	char *why = xstrdup(c->errmsg);
	crm_error(c, CRM_PERM, "--where: a subquery (SELECT) is refused here: %s", why);
	free(why);
	return CRM_PERM;
}

static int expr_build(struct crm *c, const struct type *t, bool one, const char *expr, char **out)
{
	struct sbuf b = { 0 };
	*out = NULL;
	int rc = rewrite(c, t, one, expr, &b);
	if (rc) {
		sbuf_release(&b);
		return rc;
	}
	char *expanded = dialect_truth(c, sbuf_detach(&b));
	/* Prepare it once against the record to check it reads only. */
	char *src = query_source(t);
	char *sql = xasprintf("SELECT 1 FROM %s WHERE (%s\n)", src, expanded);
	free(src);
	struct db_stmt *st;
	rc = query_prepare_readonly(c, sql, &st);
	free(sql);
	db_finalize(st);
	if (rc) {
		free(expanded);
		return rc;
	}
	*out = expanded;
	return CRM_OK;
}

int query_expr(struct crm *c, const struct type *t, const char *expr, char **out)
{
	return expr_build(c, t, false, expr, out);
}

int query_expr_one(struct crm *c, const struct type *t, const char *expr, char **out)
{
	return expr_build(c, t, true, expr, out);
}

/* ---- building the list query ---- */

struct qbuild {
	struct sbuf sql;
	const char *params[16];
	char *owned[16];
	int nparams;
};

static void add_param(struct qbuild *qb, const char *v, bool own)
{
	qb->params[qb->nparams] = v;
	qb->owned[qb->nparams] = own ? (char *)v : NULL;
	qb->nparams++;
}

static int filter_eq(struct crm *c, const struct type *t, struct qbuild *qb, const char *field,
		     const char *value)
{
	if (!value)
		return CRM_OK;
	if (!type_field(t, field))
		return crm_error(c, CRM_USAGE, "%s %s has no %s to filter on", text_article(t->name), t->name, field);
	sbuf_addf(&qb->sql, " AND r.\"%s\" = ?", field);
	add_param(qb, value, false);
	return CRM_OK;
}

static int add_order(struct crm *c, const struct type *t, struct qbuild *qb, const char *sort)
{
	sbuf_add(&qb->sql, " ORDER BY ");
	if (!sort) {
		sbuf_add(&qb->sql, "r.id");
		return CRM_OK;
	}
	char *copy = xstrdup(sort), *save = NULL;
	int n = 0, rc = CRM_OK;
	for (char *k = strtok_r(copy, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
		bool desc = *k == '-';
		if (*k == '-' || *k == '+')
			k++;
		const struct field *f = type_field(t, k);
		if (!f) {
			rc = crm_error(c, CRM_USAGE, "cannot sort by '%s': %s %s has no such field", k,
				       text_article(t->name), t->name);
			break;
		}
		/* times by the instant: they keep the offset they were written with */
		if (f->kind == FK_TIME) {
			char *col = xasprintf("r.\"%s\"", k), *instant = dialect_instant(c, col);
			sbuf_addf(&qb->sql, "%s%s%s", n++ ? ", " : "", instant, dialect_order(c, desc));
			free(instant);
			free(col);
		} else
			sbuf_addf(&qb->sql, "%sr.\"%s\"%s", n++ ? ", " : "", k, dialect_order(c, desc));
	}
	free(copy);
	if (!rc)
		sbuf_add(&qb->sql, n ? ", r.id" : "r.id");
	return rc;
}

/* The record's fields as the acting user sees them: query_source with
 * what prints masked to them masked, so that --where and --sort cannot
 * tell it. NULL when nothing does. */
static char *masked_source(struct crm *c, const struct type *t)
{
	if (!mask_any(c, t))
		return NULL;
	char *inner = query_source(t);
	const char *owner = type_field(t, "owner") ? "r.\"owner\"" : NULL;
	struct sbuf b = { 0 };
	sbuf_add(&b, "(SELECT ");
	for (int i = 0; i < t->nfields; i++) {
		const struct field *f = &t->fields[i];
		char *col = xasprintf("r.\"%s\"", f->name);
		char *m = mask_column_sql(c, t, i, col, owner);
		sbuf_addf(&b, "%s%s AS \"%s\"", i ? ", " : "", m ? m : col, f->name);
		if (f->kind == FK_MONEY)
			sbuf_addf(&b, ", %sr.\"_minor_%s\"%s AS \"_minor_%s\"", m ? "crm_mask(" : "", f->name,
				  m ? ", 'other')" : "", f->name);
		free(m);
		free(col);
	}
	sbuf_addf(&b, " FROM %s) AS r", inner);
	free(inner);
	return sbuf_detach(&b);
}

static int build(struct crm *c, const struct type *t, const struct query *q, bool ids_only,
		 struct qbuild *qb)
{
	char now[DATE_BUFSZ];
	time_t tnow = date_now();
	char *src = masked_source(c, t), *sel = select_list(t);
	if (!src)
		src = query_source(t);
	sbuf_addf(&qb->sql, "%s FROM %s WHERE r.deleted_at IS %s", ids_only ? "SELECT r.id" : sel, src,
		  q->removed ? "NOT NULL" : "NULL");
	free(src);
	free(sel);
	/* what the acting user may see, and nothing else (an indexed
	 * condition: the owner, the shares, the pool) */
	char *scope = module_scope(c, t, "r", false);
	if (scope)
		sbuf_addf(&qb->sql, " AND (%s)", scope);
	free(scope);
	int rc = filter_eq(c, t, qb, "owner", q->owner);
	if (!rc)
		rc = filter_eq(c, t, qb, "status", q->status);
	if (!rc)
		rc = filter_eq(c, t, qb, "stage", q->stage);
	if (!rc)
		rc = filter_eq(c, t, qb, "source", q->source);
	if (!rc)
		rc = filter_eq(c, t, qb, "pipeline", q->pipeline);
	if (rc)
		return rc;
	if (q->tag) {
		if (!type_field(t, "tags"))
			return crm_error(c, CRM_USAGE, "%s %s has no tags", text_article(t->name), t->name);
		char *values = dialect_json_values(c, "r.tags");
		sbuf_addf(&qb->sql, " AND EXISTS (SELECT 1 FROM %s WHERE value = ?)", values);
		free(values);
		add_param(qb, q->tag, false);
	}
	if (q->since) {
		time_t since;
		if (date_parse(q->since, tnow, &since, NULL) != 0) {
			long long secs;
			if (duration_parse(q->since, &secs) != 0)
				return crm_error(c, CRM_USAGE, "--since: '%s' is not a time or a span", q->since);
			since = tnow - secs;
		}
		char *col = dialect_instant(c, "r.created_at"), *param = dialect_instant(c, "?");
		sbuf_addf(&qb->sql, " AND %s >= %s", col, param);
		free(col);
		free(param);
		add_param(qb, xstrdup(date_format(since, now)), true);
	}
	if (q->stale) {
		long long secs;
		if (duration_parse(q->stale, &secs) != 0)
			return crm_error(c, CRM_USAGE, "--stale: '%s' is not a span (7d, 2w, 12h)", q->stale);
		const char *col = type_field(t, "last_contacted_at") ? "coalesce(r.last_contacted_at, r.created_at)"
								     : "r.updated_at";
		char *when = dialect_instant(c, col), *param = dialect_instant(c, "?");
		sbuf_addf(&qb->sql, " AND %s < %s", when, param);
		free(when);
		free(param);
		add_param(qb, xstrdup(date_format(tnow - secs, now)), true);
	}
	const char *conds[] = { q->where, q->filter };
	for (int i = 0; i < 2; i++) {
		char *expr;
		if (!conds[i])
			continue;
		rc = query_expr(c, t, conds[i], &expr);
		if (rc)
			return rc;
		sbuf_addf(&qb->sql, " AND (%s\n)", expr);
		free(expr);
	}
	rc = add_order(c, t, qb, q->sort);
	if (!rc && q->limit > 0)
		sbuf_addf(&qb->sql, " LIMIT %lld", q->limit);
	return rc;
}

static void qb_release(struct qbuild *qb)
{
	sbuf_release(&qb->sql);
	for (int i = 0; i < qb->nparams; i++)
		free(qb->owned[i]);
}

static int prepare(struct crm *c, const struct type *t, const struct query *q, bool ids_only,
		   struct db_stmt **st)
{
	struct qbuild qb = { 0 };
	int rc = build(c, t, q, ids_only, &qb);
	if (!rc)
		rc = query_prepare_readonly(c, qb.sql.s, st);
	for (int i = 0; !rc && i < qb.nparams; i++)
		db_bind_text(*st, i + 1, qb.params[i], -1, DB_TRANSIENT);
	qb_release(&qb);
	return rc;
}

int query_list(struct crm *c, const struct type *t, const struct query *q)
{
	struct db_stmt *st;
	int rc = prepare(c, t, q, false, &st);
	if (rc)
		return rc;
	db_stream(st);   /* a million leads printed as they come */
	long n = 0;
	struct qguard g;
	guard_begin(c, &g);
	while ((rc = guard_step(&g, st)) == DB_ROW) {
		record_emit_row(c, t, st);
		n++;
	}
	int res = guard_end(&g, rc, t->name);
	if (!res)
		res = n ? CRM_OK : CRM_NOTFOUND;
	db_finalize(st);
	return res;
}

int query_ids(struct crm *c, const struct type *t, const struct query *q,
	      int (*fn)(struct crm *c, long long id, void *arg), void *arg)
{
	struct db_stmt *st;
	int rc = prepare(c, t, q, true, &st);
	if (rc)
		return rc;
	long long *ids = NULL;
	size_t n = 0, cap = 0;
	struct qguard g;
	guard_begin(c, &g);
	while ((rc = guard_step(&g, st)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			ids = xrealloc(ids, cap * sizeof(*ids));
		}
		ids[n++] = db_column_int64(st, 0);
	}
	rc = guard_end(&g, rc, t->name);
	db_finalize(st);
	if (rc) {
		free(ids);
		return rc;
	}
	int res = n ? CRM_OK : CRM_NOTFOUND;
	for (size_t i = 0; i < n; i++) {
		int r = fn(c, ids[i], arg);
		if (r && (res == CRM_OK || res == CRM_NOTFOUND))
			res = r;
		if (r == CRM_DBERR)
			break;
	}
	free(ids);
	return res;
}

int query_from_args(struct crm *c, const struct args *a, struct query *q)
{
	memset(q, 0, sizeof(*q));
	q->where = arg_get(a, "where");
	q->owner = arg_get(a, "owner");
	q->tag = arg_get(a, "tag");
	q->status = arg_get(a, "status");
	q->stage = arg_get(a, "stage");
	q->source = arg_get(a, "source");
	q->pipeline = arg_get(a, "pipeline");
	q->since = arg_get(a, "since");
	q->stale = arg_get(a, "stale");
	q->sort = arg_get(a, "sort");
	q->removed = arg_has(a, "removed");
	q->limit = arg_int(c, a, "limit", 0);
	if (q->limit < 0)
		return CRM_USAGE;
	return query_where_allowed(c, q->where);
}

/* Print every row of a prepared statement as a record of its columns. */
static int print_rows(struct crm *c, struct db_stmt *st)
{
	int rc, n = 0, ncol = db_column_count(st);
	struct qguard g;
	guard_begin(c, &g);
	while ((rc = guard_step(&g, st)) == DB_ROW) {
		out_begin(c->out);
		for (int i = 0; i < ncol; i++) {
			const char *name = db_column_name(st, i);
			switch (db_column_type(st, i)) {
			case DB_INTEGER:
				out_int(c->out, name, db_column_int64(st, i));
				break;
			case DB_FLOAT: {
				/* 16 digits when they are the value exactly, else 15: a
				 * sum of amounts prints 241200.55, not the binary
				 * fraction's 241200.55000000002 */
				double v = db_column_double(st, i);
				char buf[64];
				snprintf(buf, sizeof(buf), "%.16g", v);
				if (strtod(buf, NULL) != v)
					snprintf(buf, sizeof(buf), "%.15g", v);
				if (!isfinite(v))
					out_real(c->out, name, v);
				else if (c->format == OUT_JSONL)
					out_json_text(c->out, name, buf);
				else
					out_str(c->out, name, buf);
				break;
			}
			case DB_TEXT:
				out_str(c->out, name, (const char *)db_column_text(st, i));
				break;
			case DB_BLOB: {
				const unsigned char *p = db_column_blob(st, i);
				int len = db_column_bytes(st, i);
				struct sbuf hex = { 0 };
				for (int k = 0; k < len; k++)
					sbuf_addf(&hex, "%02x", p[k]);
				out_str(c->out, name, hex.s ? hex.s : "");
				sbuf_release(&hex);
				break;
			}
			default:
				break;  /* NULL: omitted, like unset fields */
			}
		}
		out_end(c->out);
		n++;
	}
	if ((rc = guard_end(&g, rc, "query")))
		return rc;
	return n ? CRM_OK : CRM_NOTFOUND;
}

/* sql with its money literals (50万) in major units; strings, quoted
 * names and comments as they are. Newly allocated. */
static char *sql_money_literals(const char *sql)
{
	struct sbuf b = { 0 };
	for (size_t i = 0; sql[i];) {
		size_t q = quoted_len(sql + i);
		if (q) {
			sbuf_addn(&b, sql + i, q);
			i += q;
			continue;
		}
		char money[MONEY_BUFSZ];
		size_t ml = is_ident((unsigned char)sql[i]) && (i == 0 || !is_ident((unsigned char)sql[i - 1]))
			    ? money_literal(sql + i, money) : 0;
		if (ml) {
			sbuf_add(&b, money);
			i += ml;
			continue;
		}
		/* the rest of a word as it is (x50万 is a name) */
		size_t n = 1;
		if (is_ident((unsigned char)sql[i]))
			while (is_ident((unsigned char)sql[i + n]))
				n++;
		sbuf_addn(&b, sql + i, n);
		i += n;
	}
	return b.s ? sbuf_detach(&b) : xstrdup("");
}

/* Whether the SQL text has name as a word. */
static bool names_word(const char *sql, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = strstr(sql, name); p; p = strstr(p + 1, name)) {
		bool start = p == sql || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
		bool end = !(isalnum((unsigned char)p[n]) || p[n] == '_');
		if (start && end)
			return true;
	}
	return false;
}

/* Whether the SQL text names a record type's table (as a word). */
static bool names_a_type(struct crm *c, const char *sql)
{
	for (int i = 0; type_at(c, i); i++)
		if (names_word(sql, type_at(c, i)->name))
			return true;
	return false;
}

/* The TEMP VIEW for type t: its fields in their order, as they read
 * (one read through an expression, like a lead's score, is that
 * expression), then the table's other columns (the bookkeeping, an
 * import's run and line), money in major units, without removed records
 * unless removed. */
static char *view_sql(struct crm *c, const struct type *t, bool removed)
{
	struct db_stmt *st;
	int rc = db_prepare(c, dialect_columns_sql(c), -1, &st, NULL);
	if (rc != DB_OK)
		return NULL;
	db_bind_text(st, 1, t->name, -1, DB_STATIC);
	char **cols = NULL;
	int ncols = 0;
	while (db_step(st) == DB_ROW) {
		cols = xrealloc(cols, (ncols + 1) * sizeof(*cols));
		cols[ncols++] = xstrdup((const char *)db_column_text(st, 0));
	}
	db_finalize(st);
	if (!ncols)
		return NULL;
	bool *used = xcalloc(ncols, sizeof(bool));
	struct sbuf b = { 0 };
	sbuf_addf(&b, "CREATE TEMP VIEW \"%s\" AS SELECT ", t->name);
	int n = 0;
	for (int i = 0; i < t->nfields; i++) {
		const struct field *f = &t->fields[i];
		int k = -1;
		for (int j = 0; j < ncols && k < 0; j++)
			if (!strcmp(cols[j], f->name))
				k = j;
		/* a field read through an expression is that expression, unless
		 * it names a record table: in a view named like a table, that
		 * name would be the view (circular); such a field is left out */
		bool expr = f->expr && !names_a_type(c, f->expr);
		if (k < 0 && !expr)
			continue;
		if (k >= 0)
			used[k] = true;
		char *col = expr ? type_column_sql(f) : xasprintf("r.\"%s\"", f->name);
		sbuf_addf(&b, "%s%s%s AS \"%s\"", n++ ? ", " : "", col, f->kind == FK_MONEY ? " / 100.0" : "", f->name);
		free(col);
	}
	for (int j = 0; j < ncols; j++)
		if (!used[j])
			sbuf_addf(&b, "%sr.\"%s\"", n++ ? ", " : "", cols[j]);
	for (int j = 0; j < ncols; j++)
		free(cols[j]);
	free(cols);
	free(used);
	char *stored = dialect_stored_table(c, t->name);
	sbuf_addf(&b, " FROM %s AS r%s", stored, removed ? "" : " WHERE r.deleted_at IS NULL");
	free(stored);
	return sbuf_detach(&b);
}

static void views_drop(struct crm *c)
{
	for (int i = 0; type_at(c, i); i++) {
		char *sql = xasprintf("DROP VIEW IF EXISTS %s.\"%s\"", dialect_temp_schema(c), type_at(c, i)->name);
		db_execute(c, sql);
		free(sql);
	}
}

int query_sql_run(struct crm *c, const char *sql, bool raw, bool removed)
{
	char *text = sql_money_literals(sql);
	int rc = CRM_OK;
	if (!raw) {
		/* our own statements, before the user's is prepared under the
		 * authorizer; the temp schema is this connection's alone */
		for (int i = 0; !rc && type_at(c, i); i++) {
			/* a server: only the tables the query names (each view is a
			 * round trip, and some fields' expressions are SQLite's yet) */
			if (dialect_server(c) && !names_word(text, type_at(c, i)->name))
				continue;
			char *v = view_sql(c, type_at(c, i), removed);
			if (v && db_execute(c, v) != DB_OK)
				rc = crm_error(c, CRM_DBERR, "cannot make the view %s: %s", type_at(c, i)->name,
					       db_errmsg(c));
			free(v);
		}
	}
	if (!rc)
		rc = query_sql_print(c, text);
	if (!raw)
		views_drop(c);   /* crm shell: the next command reads the tables */
	free(text);
	return rc;
}

int query_sql_print(struct crm *c, const char *sql)
{
	struct db_stmt *st;
	int rc = query_prepare_readonly(c, sql, &st);
	if (rc)
		return rc;
	rc = print_rows(c, st);
	db_finalize(st);
	return rc;
}
