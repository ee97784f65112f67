/* record.h: the one write path every command uses, and reading back.
 *
 * check (the type's) -> normalise -> defaults and fill (the type's) ->
 * duplicate guard -> write -> the type's inserted/updated -> audit ->
 * search index -> the change's events (event.h: rules, scoring, ...; the
 * user's hooks run after the commit). add, update, import, merge and rule
 * actions all come through here; the type's behaviour comes from its
 * type_ops (type.h), so this file names no type. */
#ifndef CRM_RECORD_H
#define CRM_RECORD_H

#include <stdbool.h>
#include <cjson/cJSON.h>
#include "core/backend.h"
#include "core/crm.h"
#include "core/type.h"

struct rec {
	const struct type *t;
	char **vals;           /* the text of each field, by index; NULL: unset */
};
/* A value of a record being written (fill in type_ops), or NULL. */
const char *rec_get(const struct rec *r, const char *field);
/* Set it (a copy; NULL unsets). CRM_USAGE-free: field must exist. */
void rec_set(struct rec *r, const char *field, const char *value);

/* Insert a record from fields (a JSON object of name -> value; strings,
 * numbers, arrays; "type" and "id" keys are ignored). On CRM_CONFLICT from
 * the duplicate guard, *dup_id (if not NULL) is the existing record.
 * *id_out gets the new id. Nothing is written unless everything passed. */
int record_insert(struct crm *c, const struct type *t, const cJSON *fields,
		  unsigned flags, long long *id_out, long long *dup_id);

/* What record_insert does before it writes (the type's check, every
 * field normalised as for any write, the defaults, the type's fill), for
 * a writer that writes the row itself (core/bulk.h). On success r holds
 * the values (free them with rec_release); on failure nothing is held.
 * record_prepare_text takes text values by field index (a spreadsheet's
 * cells; NULL: not given), as a JSON string of that text would be read. */
int record_prepare(struct crm *c, const struct type *t, const cJSON *fields, unsigned flags, struct rec *r);
int record_prepare_text(struct crm *c, const struct type *t, const char *const *text, unsigned flags,
			struct rec *r);
void rec_release(struct rec *r);
/* The duplicate guard (unless REC_ALLOW_DUP) and the unique keys
 * (FF_KEY) of record_insert, for values about to be written (self: the
 * record they will be, 0 for a new one). */
int record_guard(struct crm *c, const struct type *t, char **vals, long long self, unsigned flags,
		 long long *dup_id);
/* Publish TYPE.<what> for record id as it now reads (a writer that wrote
 * it without record_insert: the bulk writer). */
int record_publish(struct crm *c, const struct type *t, long long id, const char *what, unsigned flags);
/* Publish event, a name of its own (pool.claimed, ticket.replied,
 * contract.submitted), for record id as it now reads, and as it was
 * (before: may be NULL). */
int record_announce(struct crm *c, const struct type *t, long long id, const char *event, const cJSON *before);
/* Print record id from its values (as record_prepare left them), as
 * record_print would from the database. */
int record_emit_vals(struct crm *c, const struct type *t, long long id, char **vals);

/* The stored values of record id (live or removed) as text by field
 * index, from its table or one of the same shape (table NULL: its own):
 * NULL with CRM_NOTFOUND when there is none. Free with record_vals_free. */
char **record_load(struct crm *c, const struct type *t, const char *table, long long id);
void record_vals_free(const struct type *t, char **vals);
/* Such values as the JSON object record_get gives. */
cJSON *record_json(const struct type *t, long long id, char **vals);
/* Apply fields (as for record_update: normalised, checked) to vals in
 * place; set[i] marks the fields that changed, *nchanged counts them. */
int record_apply(struct crm *c, const struct type *t, char **vals, const cJSON *fields, unsigned flags,
		 bool *set, int *nchanged);

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
/* Whether the acting user may see (write: change) record id, removed or
 * not, by the modules' scopes (module.h): CRM_OK (also when there is no
 * such record: the caller says so), or CRM_PERM naming it. Nothing is
 * checked while c->system. update, remove and restore check write
 * access themselves; commands acting on records by id (input_each)
 * check that they are visible. */
int record_access(struct crm *c, const struct type *t, long long id, bool write);
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
/* The same for a value given as text (a spreadsheet's cell). */
int field_normalize_text(struct crm *c, const struct type *t, const struct field *f,
			 const char *text, char **out);

/* Write the value of column i of a row (a SELECT of the type's fields in
 * order, as built by record_select_sql) through the output writer. */
void record_emit_row(struct crm *c, const struct type *t, struct db_stmt *st);
/* "SELECT <fields> FROM <table> AS r" (money as minor units), for rows
 * record_emit_row can print. Newly allocated. */
char *record_select_sql(const struct type *t);

/* The record a piped line is about, for a note or a task on it: what its
 * FF_ABOUT field names (an event's lead, a task's record); any other itself.
 * CRM_NOTFOUND when it does not exist (or was removed). */
int record_subject(struct crm *c, const struct type **t, long long *id);

/* Set last_contacted_at of an entity (after an activity), and of what its
 * FF_PARENT field names (a contact's account). */
int record_touch(struct crm *c, const char *entity, const char *at);

#endif
