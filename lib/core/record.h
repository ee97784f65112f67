/* record.h: record types and the one write path every command uses.
 *
 * normalise -> validate -> duplicate guard -> write -> audit -> search
 * index -> automation rules -> hooks (after commit). add, update, import,
 * merge and rule actions all come through here. */
#ifndef CRM_RECORD_H
#define CRM_RECORD_H

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
};

/* The default that stands for the acting user (--as, $CRM_USER, ...). */
#define DFLT_USER "\001user"

struct field {
	const char *name;
	enum fkind kind;
	unsigned flags;
	const char *choices;   /* FK_ENUM: "a,b,c"; FK_INT: a range "0..100" */
	const char *ref;       /* FK_REF: the type it points to */
	const char *zh;        /* Chinese header for spreadsheets */
	const char *dflt;      /* value on insert when none is given (DFLT_USER: the acting user) */
};

struct type {
	const char *name;      /* "lead" */
	const char *plural;    /* "leads" */
	int num;               /* 1.. : the type's number in search keys */
	struct field *fields;  /* builtin then custom; [0] is id */
	int nfields;
	bool owned;            /* fields[] allocated (has custom fields) */
};

/* Load the record types with their custom fields into c (once). */
int types_load(struct crm *c);
void types_free(struct crm *c);
/* "lead" or "leads" -> the type, or NULL (no error recorded). */
const struct type *type_find(struct crm *c, const char *name);
/* The same, recording "unknown record type" as a usage error. */
const struct type *type_get(struct crm *c, const char *name);
/* All types, NULL-terminated order: lead account contact deal activity task event. */
const struct type *type_at(struct crm *c, int i);
const struct field *type_field(const struct type *t, const char *name);
/* A field by name, or a reference by the name of what it refers to:
 * account=3 sets account_id on a contact. */
const struct field *type_field_or_ref(const struct type *t, const char *name);

/* Flags for writes. */
enum {
	REC_ALLOW_DUP = 1 << 0,  /* skip the duplicate guard */
	REC_NO_RULES  = 1 << 1,  /* fire no automation rules (rules' own writes); hooks still run */
	REC_SYSTEM    = 1 << 2,  /* may set FF_SYSTEM fields (import, merge) */
};

/* Insert a record from fields (a JSON object of name -> value; strings,
 * numbers, arrays; "type" and "id" keys are ignored). On CRM_CONFLICT from
 * the duplicate guard, *dup_id (if not NULL) is the existing record.
 * *id_out gets the new id. Nothing is written unless everything passed. */
int record_insert(struct crm *c, const struct type *t, const cJSON *fields,
		  unsigned flags, long long *id_out, long long *dup_id);

/* record_insert as it is for every type, without the stage checks of a
 * deal added in a later stage (pipeline_deal_insert, which calls this). */
int record_insert_plain(struct crm *c, const struct type *t, const cJSON *fields,
			unsigned flags, long long *id_out, long long *dup_id);

/* Update the given fields of record id. CRM_NOTFOUND if it does not exist
 * (or was removed). Unchanged values are not written or audited. */
int record_update(struct crm *c, const struct type *t, long long id,
		  const cJSON *fields, unsigned flags);
/* The same, logged as action (say "stage_move") instead of "update", with
 * the keys of extra (the reason, ...) added to the logged "after": one
 * audit row for a change that is more than its fields. */
int record_update_as(struct crm *c, const struct type *t, long long id, const cJSON *fields,
		     unsigned flags, const char *action, const cJSON *extra);

/* Remove: recoverable (deleted_at) or, with purge, for good. */
int record_remove(struct crm *c, const struct type *t, long long id, bool purge);
int record_restore(struct crm *c, const struct type *t, long long id);

/* The record as a JSON object ("type", "id", fields; unset omitted), or
 * NULL with CRM_NOTFOUND recorded. with_deleted: find removed ones too. */
cJSON *record_get(struct crm *c, const struct type *t, long long id, bool with_deleted);
/* Whether id exists (not removed). */
bool record_exists(struct crm *c, const struct type *t, long long id);
/* line (from a pipe, may be NULL) describes record id as it was when it
 * was printed: if its updated_at is not the record's now, someone changed
 * the record since, and acting on the old picture would be wrong: exit 4. */
int record_check_fresh(struct crm *c, const struct type *t, long long id, const cJSON *line);

/* Print the record id through c->out. */
int record_print(struct crm *c, const struct type *t, long long id);

/* Find an active record whose normalised phone or email equals one in
 * fields (already normalised). 0 when none. */
long long record_find_dup(struct crm *c, const struct type *t, const char *phone,
			  const char *email, long long except_id);

/* "lead:42" -> type and id; bare "42" uses dflt_type (may be NULL).
 * Records a usage/not-found error and returns non-zero on failure. */
int entity_parse(struct crm *c, const char *s, const char *dflt_type,
		 const struct type **t, long long *id);

/* Normalise one value for field f into text (or SQL NULL when *out is
 * NULL). Returns CRM_OK or CRM_BADINPUT with the message naming the field
 * and the value. *out is newly allocated. */
int field_normalize(struct crm *c, const struct type *t, const struct field *f,
		    const cJSON *in, char **out);

/* Write the value of column i of a row (a SELECT of the type's fields in
 * order, as built by record_select_sql) through the output writer. */
void record_emit_row(struct crm *c, const struct type *t, sqlite3_stmt *st);
/* "SELECT <fields> FROM <table> AS r" (money as minor units), for rows
 * record_emit_row can print. Newly allocated. */
char *record_select_sql(const struct type *t);

/* Mark a record for (re)indexing by search. */
int search_mark(struct crm *c, const struct type *t, long long id);
/* Bring the search index up to date. */
int search_refresh(struct crm *c);

/* The record a piped line is about, for a note or a task on it: an
 * event's lead, an activity's or a task's record; any other itself.
 * CRM_NOTFOUND when it does not exist (or was removed). */
int record_subject(struct crm *c, const struct type **t, long long *id);

/* Set last_contacted_at of an entity (after an activity). */
int record_touch(struct crm *c, const char *entity, const char *at);

#endif
