/* scope.c: visibility, masking and permissions (see scope.h).
 *
 * The scope is an SQL condition over a row alias, built once per query
 * from the acting user (state.c): indexed comparisons (owner IN (...),
 * owner IS NULL, id IN (the few shared ids)), never a function called
 * per row, so a rep's list of 300,000 leads costs what a plain list
 * does. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/module.h"
#include "team/scope.h"
#include "team/state.h"

/* What a role holds of a type beyond what everyone holds (their own
 * records, shares). Types are named as data: the cash and service
 * layers' types take effect once those layers declare them. */
enum {
	G_READ = 1,      /* every record of the type */
	G_WRITE = 2,     /* and may change them */
	G_BELONGS = 4,   /* the records the role's other types belong to (read) */
	G_DENY = 8,      /* none, not even their own: only what is shared with them */
};

struct grant {
	const char *role, *type;
	int access;
};

static const struct grant grants[] = {
	{ "finance", "quote", G_READ | G_WRITE },
	{ "finance", "quote_line", G_READ | G_WRITE },
	{ "finance", "contract", G_READ | G_WRITE },
	{ "finance", "order", G_READ | G_WRITE },
	{ "finance", "plan", G_READ | G_WRITE },
	{ "finance", "payment", G_READ | G_WRITE },
	{ "finance", "invoice", G_READ | G_WRITE },
	{ "finance", "product", G_READ },
	{ "finance", "account", G_BELONGS },
	{ "finance", "contact", G_BELONGS },
	{ "finance", "lead", G_DENY },
	{ "service", "account", G_READ | G_WRITE },
	{ "service", "contact", G_READ | G_WRITE },
	{ "service", "ticket", G_READ | G_WRITE },
	{ "service", "survey", G_READ | G_WRITE },
	{ "service", "deal", G_READ },
	{ "service", "lead", G_DENY },
	{ "legal", "contract", G_READ },
	{ "legal", "lead", G_DENY },
	{ NULL, NULL, 0 },
};

static int grant_of(const char *role, const char *type)
{
	for (const struct grant *g = grants; g->role; g++)
		if (!strcmp(g->role, role) && !strcmp(g->type, type))
			return g->access;
	return 0;
}

#define MAX_DEPTH 3

/* Terms ORed together; "1" among them makes the whole "1". */
struct terms {
	struct sbuf b;
	bool all;
};

static void term(struct terms *ts, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void term(struct terms *ts, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *buf = NULL;
	if (vasprintf(&buf, fmt, ap) < 0)
		buf = NULL;
	va_end(ap);
	if (!buf)
		abort();   /* out of memory, as xmalloc */
	if (!strcmp(buf, "1"))
		ts->all = true;
	if (strcmp(buf, "0")) {
		sbuf_add(&ts->b, ts->b.len ? " OR " : "");
		sbuf_add(&ts->b, buf);
	}
	free(buf);
}

static char *terms_done(struct terms *ts)
{
	if (ts->all) {
		sbuf_release(&ts->b);
		return xstrdup("1");
	}
	return ts->b.s ? sbuf_detach(&ts->b) : xstrdup("0");
}

/* The ids of records of type target that the role's other types belong
 * to (finance: the accounts of its contracts, quotes, ...), as an SQL
 * SELECT, or NULL when none do. */
static char *belongs_set(struct crm *c, const char *role, const char *target)
{
	struct sbuf b = { 0 };
	for (const struct grant *g = grants; g->role; g++) {
		if (strcmp(g->role, role) || !(g->access & G_READ))
			continue;
		const struct type *u = type_find(c, g->type);
		if (!u)
			continue;
		const char *live = type_field(u, "deleted_at") ? " WHERE deleted_at IS NULL" : "";
		for (int i = 0; i < u->nfields; i++) {
			const struct field *f = &u->fields[i];
			if (f->kind != FK_REF || !f->ref)
				continue;
			if (!strcmp(f->ref, target)) {
				sbuf_addf(&b, "%sSELECT \"%s\" FROM \"%s\"%s", b.len ? " UNION " : "", f->name, u->name, live);
				continue;
			}
			/* one step further: a quote's deal's account */
			const struct type *r = type_find(c, f->ref);
			for (int j = 0; r && j < r->nfields; j++) {
				const struct field *h = &r->fields[j];
				if (h->kind == FK_REF && h->ref && !strcmp(h->ref, target))
					sbuf_addf(&b, "%sSELECT \"%s\" FROM \"%s\" WHERE id IN (SELECT \"%s\" FROM \"%s\"%s)",
						  b.len ? " UNION " : "", h->name, r->name, f->name, u->name, live);
			}
		}
	}
	return b.s ? sbuf_detach(&b) : NULL;
}

static char *scope_for(struct crm *c, const struct actor *a, const struct type *t, const char *alias,
		       bool write, int depth);

/* belongs_set, or the server's function that returns it (a policy may
 * not read a table whose own policy reads it back: contact's for finance
 * reads contacts). */
static char *belongs_of(struct crm *c, const struct actor *a, const char *target)
{
	char *set = belongs_set(c, a->role, target);
	if (!set || !a->belongs_fn)
		return set;
	free(set);
	return xasprintf("SELECT %s_%s_%s()", a->belongs_fn, a->role, target);
}

/* Shared with the user: the record, and what hangs off a shared one. */
static void share_terms(const struct actor *a, const struct type *t, const char *alias, bool write,
			struct terms *ts)
{
	char live[256];
	snprintf(live, sizeof(live), "(until IS NULL OR until >= %s)%s", a->today_sql, write ? " AND write = 1" : "");
	term(ts, "%s.id IN (SELECT record_id FROM share WHERE shared_with = %s AND record_type = '%s' AND %s)",
	     alias, a->user_sql, t->name, live);
	for (int i = 0; i < t->nfields; i++) {
		const struct field *f = &t->fields[i];
		if (!(f->flags & (FF_ABOUT | FF_PARENT)))
			continue;
		if (f->kind == FK_REF && f->ref)
			term(ts, "%s.\"%s\" IN (SELECT record_id FROM share WHERE shared_with = %s AND record_type = '%s' "
			     "AND %s)", alias, f->name, a->user_sql, f->ref, live);
		else if (f->kind == FK_ENTITY)
			term(ts, "%s.\"%s\" IN (SELECT record_type || ':' || record_id FROM share WHERE shared_with = %s "
			     "AND %s)", alias, f->name, a->user_sql, live);
	}
}

/* A record with no owner of its own goes with what it is about or
 * belongs to (a lead's behaviour events with the lead). */
static void about_terms(struct crm *c, const struct actor *a, const struct type *t, const char *alias,
			bool write, int depth, struct terms *ts, bool *any)
{
	char x[16];
	snprintf(x, sizeof(x), "x%d", depth + 1);
	for (int i = 0; i < t->nfields; i++) {
		const struct field *f = &t->fields[i];
		if (!(f->flags & (FF_ABOUT | FF_PARENT)))
			continue;
		*any = true;
		if (depth >= MAX_DEPTH)
			continue;
		if (f->kind == FK_REF && f->ref && type_find(c, f->ref)) {
			char *in = scope_for(c, a, type_find(c, f->ref), x, write, depth + 1);
			if (!strcmp(in, "1"))
				term(ts, "1");
			else if (!strcmp(in, "0"))
				;   /* none of them: nothing to add (and no WHERE 0, which is not SQL everywhere) */
			else
				term(ts, "%s.\"%s\" IN (SELECT %s.id FROM \"%s\" AS %s WHERE %s)", alias, f->name, x, f->ref,
				     x, in);
			free(in);
		} else if (f->kind == FK_ENTITY) {
			for (int k = 0; type_at(c, k); k++) {
				const struct type *u = type_at(c, k);
				if (!type_field(u, "owner"))
					continue;
				char *in = scope_for(c, a, u, x, write, depth + 1);
				if (!strcmp(in, "1"))   /* every one of them: no WHERE 1 (not SQL everywhere) */
					term(ts, "%s.\"%s\" IN (SELECT '%s:' || %s.id FROM \"%s\" AS %s)", alias, f->name,
					     u->name, x, u->name, x);
				else if (strcmp(in, "0"))
					term(ts, "%s.\"%s\" IN (SELECT '%s:' || %s.id FROM \"%s\" AS %s WHERE %s)", alias,
					     f->name, u->name, x, u->name, x, in);
				free(in);
			}
		}
	}
}

static char *scope_for(struct crm *c, const struct actor *a, const struct type *t, const char *alias,
		       bool write, int depth)
{
	if (!strcmp(t->name, "user"))   /* everyone may read the users; only an admin change them */
		return xstrdup(write ? "0" : "1");
	int g = grant_of(a->role, t->name);
	if (g & G_WRITE || (!write && g & G_READ))
		return xstrdup("1");
	struct terms ts = { { 0 }, false };
	if (g & G_DENY) {
		/* none of their own; what is shared with them they see (masked) */
		if (a->shares)
			share_terms(a, t, alias, write, &ts);
		return terms_done(&ts);
	}
	bool owned = type_field(t, "owner") != NULL;
	if (owned)
		term(&ts, "%s.owner IN (%s)", alias, a->owners_sql);
	/* the pool: a rep sees it (and claims to change it), a manager deals it out */
	if (owned && type_pooled(t) && (actor_is(a, "manager") || (actor_is(a, "rep") && !write)))
		term(&ts, "%s.owner IS NULL", alias);
	if (!write && g & G_BELONGS) {
		char *set = belongs_of(c, a, t->name);
		if (set)
			term(&ts, "%s.id IN (%s)", alias, set);
		free(set);
		for (int i = 0; i < t->nfields; i++) {
			const struct field *f = &t->fields[i];
			if (f->kind != FK_REF || !f->ref || !(grant_of(a->role, f->ref) & G_BELONGS))
				continue;
			char *up = belongs_of(c, a, f->ref);
			if (up)
				term(&ts, "%s.\"%s\" IN (%s)", alias, f->name, up);
			free(up);
		}
	}
	if (a->shares)
		share_terms(a, t, alias, write, &ts);
	if (!owned) {
		bool any = false;
		about_terms(c, a, t, alias, write, depth, &ts, &any);
		if (!any && !write)
			term(&ts, "1");   /* a catalogue (products): for everyone to read */
	}
	return terms_done(&ts);
}

char *team_scope(struct crm *c, const struct type *t, const char *alias, bool write)
{
	if (c->system)
		return NULL;
	const struct actor *a = team_actor(c);
	if (!a->active)
		return NULL;
	if (!a->known)
		return xstrdup("0");
	if (actor_is(a, "admin"))
		return NULL;
	char *s = scope_for(c, a, t, alias, write, 0);
	if (!strcmp(s, "1")) {
		free(s);
		return NULL;
	}
	return s;
}

int team_mask(struct crm *c, const struct type *t, const struct field *f)
{
	const struct actor *a = team_actor(c);
	if (!a->active || actor_is(a, "admin"))
		return MASK_NONE;
	if (f->flags & FF_SENSITIVE)
		return MASK_UNLESS_OWNER;
	/* a person's phone and email (the fields that tell people apart) */
	if (actor_is(a, "finance") && (f->kind == FK_PHONE || f->kind == FK_EMAIL)
	    && f->flags & FF_DEDUPE)
		return MASK_ALWAYS;
	return MASK_NONE;
}

/* The owner of record id (newly allocated), NULL when it has none. */
static char *owner_of(struct crm *c, const struct type *t, long long id)
{
	if (!type_field(t, "owner"))
		return NULL;
	char *sql = xasprintf("SELECT owner FROM \"%s\" WHERE id = %lld", t->name, id);
	char *o = db_get_text(c, sql, NULL);
	free(sql);
	return o;
}

int scope_may_share(struct crm *c, const struct type *t, long long id)
{
	const struct actor *a = team_actor(c);
	if (c->system || !a->active || actor_is(a, "admin"))
		return CRM_OK;
	char *owner = owner_of(c, t, id);
	bool ok = owner && (!strcmp(owner, a->user) || (actor_is(a, "manager") && actor_owns(a, owner)));
	free(owner);
	if (ok)
		return CRM_OK;
	return crm_error(c, CRM_PERM, "%s:%lld: only its owner, their manager or an admin may share it",
			 t->name, id);
}

int team_permit(struct crm *c, const struct type *t, long long id, const char *action)
{
	const struct actor *a = team_actor(c);
	if (!a->active)
		return CRM_OK;   /* single-user: everyone is the admin */
	if (!t && !strcmp(action, "act")) {
		if (a->known)
			return CRM_OK;
		if (a->left)
			return crm_error(c, CRM_PERM, "%s has left: no longer a user of this database", a->user);
		return crm_error(c, CRM_PERM, "'%s' is not a user of this database (crm user list; --as NAME "
				 "acts as one)", a->user);
	}
	if (!a->known)
		return crm_error(c, CRM_PERM, "'%s' is not a user of this database", a->user);
	if (!t && !strcmp(action, "admin")) {
		if (actor_is(a, "admin"))
			return CRM_OK;
		return crm_error(c, CRM_PERM, "settings are the admin's: %s is a %s", a->user, a->role);
	}
	if (!t && !strcmp(action, "sql")) {
		/* on a server the policies bound crm sql too: a rep reads
		 * what psql shows them */
		if (actor_is(a, "admin") || actor_is(a, "manager") || c->db_role)
			return CRM_OK;
		return crm_error(c, CRM_PERM, "crm sql reads around visibility: it is for admins and managers "
				 "(%s is a %s)", a->user, a->role);
	}
	if (t && !strcmp(action, "restore") && !actor_is(a, "admin")) {
		char *owner = owner_of(c, t, id);
		bool mine = !type_field(t, "owner") || (owner && !strcmp(owner, a->user));
		int rc = mine ? CRM_OK
			      : crm_error(c, CRM_PERM, "%s:%lld is %s's: restoring another's record is for an admin",
					  t->name, id, owner ? owner : "nobody");
		free(owner);
		return rc;
	}
	return CRM_OK;
}

char *team_policy(struct crm *c, const struct type *t, const struct team_who *who, bool write)
{
	struct actor a = { 0 };
	a.user = (char *)who->role;
	a.active = a.known = a.shares = true;
	a.role = (char *)who->role;
	a.user_sql = (char *)who->user_sql;
	a.owners_sql = (char *)who->owners_sql;
	a.today_sql = (char *)who->today_sql;
	a.belongs_fn = who->belongs_fn;
	if (!strcmp(who->role, "admin"))
		return xstrdup("1");
	return scope_for(c, &a, t, who->alias, write, 0);
}

char *team_belongs(struct crm *c, const char *role, const char *target)
{
	return belongs_set(c, role, target);
}
