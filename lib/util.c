/* util.c: errors, allocation, growable strings. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

#include "crm.h"

int crm_error(struct crm *c, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->errmsg, sizeof(c->errmsg), fmt, ap);
	va_end(ap);
	c->errcode = code;
	return code;
}

/* "crm: lead add: msg", or "crm: msg" when no command is running. */
static void say(struct crm *c, const char *msg)
{
	if (c->cmd && strcmp(c->cmd, "crm"))
		fprintf(stderr, "crm: %s: %s\n", c->cmd, msg);
	else
		fprintf(stderr, "crm: %s\n", msg);
}

int crm_report(struct crm *c)
{
	if (c->errmsg[0])
		say(c, c->errmsg);
	c->errmsg[0] = 0;
	return c->errcode;
}

static void vwarn(struct crm *c, const char *fmt, va_list ap)
{
	char buf[2048];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	say(c, buf);
}

void crm_warn(struct crm *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarn(c, fmt, ap);
	va_end(ap);
}

void crm_notice(struct crm *c, const char *fmt, ...)
{
	va_list ap;
	if (c->quiet)
		return;
	va_start(ap, fmt);
	vwarn(c, fmt, ap);
	va_end(ap);
}

int crm_dberror(struct crm *c, int rc, const char *what)
{
	const char *msg = c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc);
	int prim = rc & 0xff;
	int code = CRM_DBERR;
	if (prim == SQLITE_CONSTRAINT)
		code = CRM_CONFLICT;
	else if (prim == SQLITE_AUTH)
		code = CRM_PERM;
	if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
		return crm_error(c, code, "%s: database is locked (busy timeout passed)", what);
	return crm_error(c, code, "%s: %s", what, msg);
}

static void *oom(void)
{
	fputs("crm: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	return p ? p : oom();
}

void *xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);
	return p ? p : oom();
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	return p ? p : oom();
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);
	return p ? p : oom();
}

char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);
	return p ? p : oom();
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? oom() : s;
}

void sbuf_grow(struct sbuf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + more + 1)
		cap *= 2;
	b->s = xrealloc(b->s, cap);
	b->cap = cap;
}

void sbuf_add(struct sbuf *b, const char *s)
{
	sbuf_addn(b, s, strlen(s));
}

void sbuf_addf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sbuf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void sbuf_reset(struct sbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = 0;
}

void sbuf_release(struct sbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

char *sbuf_detach(struct sbuf *b)
{
	char *s = b->s ? b->s : xstrdup("");
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

/* mkdir -p of the directory part of path. */
int make_parent_dirs(const char *path)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	int rc = 0;
	if (slash && slash != dir) {
		*slash = 0;
		for (char *p = dir + 1; *p; p++) {
			if (*p != '/')
				continue;
			*p = 0;
			if (mkdir(dir, 0700) != 0 && errno != EEXIST)
				rc = -1;
			*p = '/';
		}
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			rc = -1;
	}
	free(dir);
	return rc;
}
