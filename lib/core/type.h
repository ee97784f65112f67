/* type.h: the type registry: record types, their fields, their behaviour.
 *
 * A feature declares each record type it owns as a constant struct type
 * (its fields in order, the events it publishes, and type_ops: what a
 * write of it must also check or do) and lists it in its module
 * (module.h). The core builds the registry from the modules, adds the
 * custom fields of `crm field add`, and never names a type itself:
 * behaviour it needs is data here (a field's flags) or a hook in ops. */
#ifndef CRM_CORE_TYPE_H
#define CRM_CORE_TYPE_H

#include <stdbool.h>
#include <cjson/cJSON.h>
#include "core/crm.h"

enum fkind {
	FK_TEXT, FK_INT, FK_NUMBER, FK_MONEY, FK_DATE, FK_TIME, FK_ENUM,
	FK_PHONE, FK_EMAIL, FK_REF, FK_TAGS, FK_ENTITY, FK_JSON,
};

enum fflag {
	FF_REQUIRED = 1 << 0,  /* must have a value */
	FF_SYSTEM   = 1 << 1,  /* set by crm, not by users (id, updated_at) */
	FF_HIDDEN   = 1 << 2,  /* never printed (deleted_at) */
	FF_SEARCH   = 1 << 3,  /* goes into the full-text index */
	FF_CUSTOM   = 1 << 4,  /* a custom field (crm field add) */
	FF_DEDUPE   = 1 << 5,  /* the duplicate guard matches on it */
	FF_LIST     = 1 << 6,  /* a column of the default table view */
	FF_ABOUT    = 1 << 7,  /* the record this one is about (a task's entity, an
				* event's lead): notes and tasks from a pipe go there */
	FF_PARENT   = 1 << 8,  /* the record this one belongs to (a contact's
				* account): contact with this one is contact with it */
	FF_COMPUTED = 1 << 9,  /* no column: its value is expr, computed whenever the
				* record is read (a plan's status); never written */
	FF_KEY      = 1 << 10, /* the record's own unique number (a contract's
				* HT-2026-0001): unique among live records (exit 4),
				* a reference may give it instead of the id, and
				* import matches duplicates by it */
	FF_SENSITIVE = 1 << 11, /* prints masked to whom the modules say (crm field
				* add --sensitive: all but an admin and the owner) */
	FF_AHEAD    = 1 << 13, /* a time something is due: a time of day alone,
				* already past, is tomorrow's (date_parse_ahead) */
	FF_NEGATIVE = 1 << 14, /* FK_MONEY: may be below zero (a discount, a refund);
				* any other amount below zero is refused */
};

/* The default that stands for the acting user (--as, $CRM_USER, ...), and
 * for the time of the write. */
#define DFLT_USER "\001user"
#define DFLT_NOW  "\001now"

struct field {
	const char *name;
	enum fkind kind;
	unsigned flags;
	const char *choices;   /* FK_ENUM: "a,b,c"; FK_INT: a range "0..100" */
	const char *ref;       /* FK_REF: the type it points to */
	const char *zh;        /* Chinese header for spreadsheets */
	const char *dflt;      /* value on insert when none is given (DFLT_USER, DFLT_NOW) */
	/* Reading it gives this SQL expression over the record's row "r"
	 * (money in minor units): the value of an FF_COMPUTED field, or of a
	 * stored one as it shows (a signed contract whose end has passed is
	 * expired). --where, --sort, export and rules see it like any field. */
	const char *expr;
};

/* Fields most types have, for the modules' tables: id first, the stamps
 * last (custom fields go in before them). */
#define FIELD_ID { "id", FK_INT, FF_SYSTEM | FF_LIST, NULL, NULL, "编号", NULL }
#define FIELD_STAMPS \
	{ "created_at", FK_TIME, FF_SYSTEM, NULL, NULL, "创建时间", NULL }, \
	{ "updated_at", FK_TIME, FF_SYSTEM, NULL, NULL, "更新时间", NULL }, \
	{ "deleted_at", FK_TIME, FF_SYSTEM | FF_HIDDEN, NULL, NULL, NULL, NULL }
#define FIELD_TAGS { "tags", FK_TAGS, FF_SEARCH | FF_LIST, NULL, NULL, "标签", NULL }
#define FIELD_NOTE { "note", FK_TEXT, FF_SEARCH, NULL, NULL, "备注", NULL }
/* Owned by whoever adds it unless said otherwise. */
#define FIELD_OWNER { "owner", FK_TEXT, FF_LIST, NULL, NULL, "负责人", DFLT_USER }
#define FIELD_LAST_CONTACT { "last_contacted_at", FK_TIME, 0, NULL, NULL, "最近联系", NULL }
/* The fields of a table, for struct type (fields, nfields). */
#define TYPE_FIELDS(a) (struct field *)(a), (int)(sizeof(a) / sizeof((a)[0]))

struct type;
struct rec;   /* a record being written (record.h: rec_get, rec_set) */

/* Flags for writes. */
enum {
	REC_ALLOW_DUP = 1 << 0,  /* skip the duplicate guard */
	REC_NO_RULES  = 1 << 1,  /* fire no automation rules (rules' own writes); hooks still run */
	REC_SYSTEM    = 1 << 2,  /* may set FF_SYSTEM fields (import, merge) */
	REC_IMPORT    = 1 << 3,  /* a row of an import: the type's rules hold as for an add
				  * (with REC_SYSTEM: it may bring values crm keeps) */
	REC_RESTORE   = 1 << 4,  /* an update that puts values back as they were (undoing an
				  * import run): updated_at too, when the fields have it */
};

/* What writing a record of a type must also check or do, beyond the
 * fields' own rules. Every hook may be NULL; each runs inside the
 * record's savepoint, so a non-zero status undoes the whole write. flags
 * are the write's REC_* flags (record.h). */
struct type_ops {
	/* The fields as given (not yet normalised), before anything else:
	 * refuse what may not be set this way (a deal's status by hand). */
	int (*check)(struct crm *c, const struct type *t, const cJSON *fields,
		     bool inserting, unsigned flags);
	/* On insert, after the defaults and before the duplicate guard:
	 * values that follow from others (a deal's first stage). */
	int (*fill)(struct crm *c, const struct type *t, struct rec *r, unsigned flags);
	/* After the row is written, before its event is published. */
	int (*inserted)(struct crm *c, const struct type *t, long long id,
			const cJSON *after, unsigned flags);
	/* inserted refuses nothing: it fails only as the database does, and
	 * a database error ends a bulk run's transaction anyway, so a bulk
	 * run keeps no savepoint per row for it (bulk.h) */
	bool inserted_never_refuses;
	/* inserted for a bulk run's row, from the values it wrote (vals in
	 * the type's field order, as stored: money in minor units): no JSON
	 * of the record is made for it, a cost on every row. A type that has
	 * inserted may give this too; a bulk run then calls it instead. */
	int (*inserted_vals)(struct crm *c, const struct type *t, long long id, char *const *vals,
			     unsigned flags);
	int (*updated)(struct crm *c, const struct type *t, long long id,
		       const cJSON *before, const cJSON *after, unsigned flags);
};

/* An event a change also is when a field takes a value: a lead whose
 * status becomes qualified is lead.qualified too. */
struct type_event {
	const char *field, *value, *event;
};

/* Fields a module adds to another module's type (module.h): a deal's
 * renewal_of, added by the feature that renews contracts. */
struct type_extension {
	const char *type;      /* the type they go to ("deal") */
	const struct field *fields;
	int nfields;
};

struct type {
	const char *name;      /* "lead" */
	const char *plural;    /* "leads" */
	int num;               /* 1..15: the type's number in search keys; 0: not searched */
	struct field *fields;  /* builtin then custom; [0] is id */
	int nfields;
	bool owned;            /* fields[] allocated (has custom fields) */
	const struct type_ops *ops;          /* NULL: fields only */
	const char *created_event;           /* NULL: "TYPE.created" */
	const struct type_event *on_value;   /* ends with { NULL } (or NULL) */
	const char *const *events;           /* further events it publishes (deal.stage_changed) */
};

/* Load the record types with their custom fields into c (once). */
int types_load(struct crm *c);
void types_free(struct crm *c);
/* "lead" or "leads" -> the type, or NULL (no error recorded). */
const struct type *type_find(struct crm *c, const char *name);
/* The same, recording "unknown record type" as a usage error. */
const struct type *type_get(struct crm *c, const char *name);
/* The i-th type (0..), in the order of the modules; NULL past the end. */
const struct type *type_at(struct crm *c, int i);
const struct field *type_field(const struct type *t, const char *name);
/* A field by name, or a reference by the name of what it refers to:
 * account=3 sets account_id on a contact. */
const struct field *type_field_or_ref(const struct type *t, const char *name);
/* The first field with flag, or NULL. */
const struct field *type_field_flagged(const struct type *t, unsigned flag);
/* Whether some field of t is read through an expression (field.expr). */
bool type_has_expr(const struct type *t);
/* The SQL that reads field f of a row "r" of its type: r."name", or its
 * expression in parentheses. Newly allocated. */
char *type_column_sql(const struct field *f);
/* The type whose search number is num, or NULL. */
const struct type *type_by_num(struct crm *c, int num);
/* Whether event ("lead.created", "deal.stage_changed") is one that some
 * type publishes for rules to act on: TYPE.created (or its
 * created_event), TYPE.updated, its on_value events and its events. */
bool type_event_known(struct crm *c, const char *event);

#endif
