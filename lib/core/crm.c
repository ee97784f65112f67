/* crm.c: the context's error slot and messages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/backend.h"
#include "core/crm.h"

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

int crm_dbstatus(int code)
{
	switch (code & 0xff) {
	case DB_OK:
	case DB_ROW:
	case DB_DONE:
		return CRM_OK;
	case DB_CONSTRAINT:
		return CRM_CONFLICT;
	case DB_PERM:
		return CRM_PERM;
	default:
		return CRM_DBERR;
	}
}

int crm_dberror(struct crm *c, int rc, const char *what)
{
	const char *msg = c->conn ? db_conn_errmsg(c->conn) : sqlite3_errstr(rc);
	int code = crm_dbstatus(rc);
	if (code == CRM_OK)
		code = CRM_DBERR;   /* a "failure" that says it is none: still one */
	c->db_retry = rc == DB_BUSY_RETRY;
	if (rc == DB_BUSY_RETRY)
		return crm_error(c, code, "%s: database is locked: another writer changed the same rows meanwhile "
				 "(serialization failure or deadlock); run it again", what);
	if ((rc & 0xff) == DB_BUSY || (rc & 0xff) == DB_LOCKED)
		return crm_error(c, code, "%s: database is locked (busy timeout passed)", what);
	return crm_error(c, code, "%s: %s", what, msg);
}

struct crm_slot {
	const void *key;
	void *data;
	void (*free_fn)(void *);
	struct crm_slot *next;
};

void *crm_slot_get(struct crm *c, const void *key)
{
	for (struct crm_slot *s = c->slots; s; s = s->next)
		if (s->key == key)
			return s->data;
	return NULL;
}

void crm_slot_set(struct crm *c, const void *key, void *data, void (*free_fn)(void *))
{
	crm_slot_drop(c, key);
	struct crm_slot *s = xmalloc(sizeof(*s));
	s->key = key;
	s->data = data;
	s->free_fn = free_fn;
	s->next = c->slots;
	c->slots = s;
}

void crm_slot_drop(struct crm *c, const void *key)
{
	for (struct crm_slot **p = &c->slots; *p; p = &(*p)->next) {
		if ((*p)->key != key)
			continue;
		struct crm_slot *s = *p;
		*p = s->next;
		if (s->free_fn)
			s->free_fn(s->data);
		free(s);
		return;
	}
}

void crm_slots_release(struct crm *c)
{
	while (c->slots)
		crm_slot_drop(c, c->slots->key);
}
