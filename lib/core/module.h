/* module.h: how a feature plugs into the core.
 *
 * Each feature folder (lib/sales, lib/team, ...) declares one constant
 * struct module: the record types it owns, what it does when records
 * change, the functions it adds to --where, and its part of
 * `crm automate tick`. lib/modules.c lists the modules, lowest layer
 * first; the core walks that list and never names a feature, so adding a
 * type or a feature touches its own files, the list and the schema. */
#ifndef CRM_CORE_MODULE_H
#define CRM_CORE_MODULE_H

#include <stdbool.h>
#include "core/crm.h"

struct type;            /* type.h */
struct subscriber;      /* event.h */
struct query_helper;    /* query.h */
struct config_key;      /* config.h */
struct type_extension;  /* type.h */
struct field;           /* type.h */

struct module {
	const char *name;                        /* "sales" */
	const struct type *const *types;         /* NULL-terminated, or NULL */
	const struct subscriber *subscribers;    /* ends with { NULL, NULL }, or NULL */
	const struct query_helper *helpers;      /* ends with { NULL }, or NULL */
	/* crm automate tick (all: everything, not only what is due; dry:
	 * print what would happen, write nothing) */
	int (*tick)(struct crm *c, bool all, bool dry);
	/* the settings it reads, for crm config and crm help config */
	const struct config_key *config_keys;    /* ends with { NULL }, or NULL */
	/* Visibility: an SQL condition over the row alias (of type t) for
	 * what the acting user may see (write: may change), newly
	 * allocated, or NULL when this module does not limit it. The core
	 * ANDs every module's (query_scope). */
	char *(*scope)(struct crm *c, const struct type *t, const char *alias, bool write);
	/* Run whenever the database is opened, before any query: register
	 * the SQL functions its fields' expressions and reports use. */
	int (*open)(struct crm *c);
	/* The same on a server (PostgreSQL), once the session acts as its
	 * login role: what its fields read in this session, which the
	 * server's own functions (crm server init) cannot compute. */
	int (*open_server)(struct crm *c);
	/* Fields it adds to other modules' types (a deal's renewal_of),
	 * ending with { NULL }, or NULL. The columns come from its migration. */
	const struct type_extension *extends;
	/* Masking: how field f of a record of type t prints to the acting
	 * user (MASK_*); NULL: in the clear. The core asks once per command
	 * and type (core/mask.h) and masks wherever record values print. */
	int (*mask)(struct crm *c, const struct type *t, const struct field *f);
	/* Whether the acting user may do action: CRM_OK, or the error
	 * (recorded, naming what is refused). With t NULL, a command:
	 * "act" (any command that opens the database), "admin" (one that
	 * changes settings: VERB_ADMIN), "sql" (crm sql: VERB_SQL). With t,
	 * record id: "restore" (beyond write access). NULL: no say. */
	int (*permit)(struct crm *c, const struct type *t, long long id, const char *action);
};

/* What a mask hook answers. */
enum { MASK_NONE, MASK_ALWAYS, MASK_UNLESS_OWNER };

/* lib/modules.c: every module, NULL-terminated. */
extern const struct module *const crm_modules[];

/* Run every module's open hook in order; the first failure. */
int module_open_all(struct crm *c);
/* Run every module's open_server hook in order; the first failure. */
int module_open_server_all(struct crm *c);

/* Run every module's tick in order: CRM_OK when any did something,
 * CRM_NOTFOUND when none did, or the first failure. */
int module_tick_all(struct crm *c, bool all, bool dry);

/* Every module's scope (see scope above) ANDed, newly allocated, or NULL
 * when none limits what the acting user may see (write: change) of t:
 * no users, an admin, or acting for the system (c->system). */
char *module_scope(struct crm *c, const struct type *t, const char *alias, bool write);

/* Ask every module whether the acting user may do action (see permit
 * above): the first refusal, or CRM_OK. */
int module_permit(struct crm *c, const struct type *t, long long id, const char *action);

#endif
