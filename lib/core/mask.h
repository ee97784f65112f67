/* mask.h: sensitive values as the acting user may see them.
 *
 * Which fields print masked to whom is the modules' to say (module.h,
 * the mask hook: the team module's roles and `crm field add
 * --sensitive`); the core asks once per command and type and masks
 * every place record values print: record_emit_row (lists, show,
 * export, pipes), and, through mask_json, records printed as JSON
 * objects, the xlsx export, history and log values. A masked value given
 * back to update leaves the stored one as it was (record.c). */
#ifndef CRM_CORE_MASK_H
#define CRM_CORE_MASK_H

#include <stdbool.h>
#include <cjson/cJSON.h>
#include "core/crm.h"
#include "core/type.h"

/* Whether any field of t may print masked to the acting user (most
 * often not: then nothing else here needs asking). */
bool mask_any(struct crm *c, const struct type *t);

/* Whether field i of t, on a record owned by owner (may be NULL),
 * prints masked to the acting user. */
bool mask_field(struct crm *c, const struct type *t, int i, const char *owner);

/* The masked text of value v of field f: a phone keeps its first 3 and
 * last 4 characters (138****5678), an email its first 2 before the @
 * (zh***@example.com), anything else is ***. Newly allocated. */
char *mask_text(const struct field *f, const char *v);

/* Field i of t as the acting user sees it, in SQL: col (the stored
 * value) through crm_mask() unless the user may see it (owner_col, an
 * SQL expression of the record's owner, may be NULL). NULL when field i
 * never prints masked to them. Newly allocated. --where and --sort read
 * the fields through it, so a filter cannot test what prints masked. */
char *mask_column_sql(struct crm *c, const struct type *t, int i, const char *col, const char *owner_col);

/* crm_mask(value, kind) in SQL, kind 'phone', 'email' or anything else:
 * mask_text of value. */
int mask_register(struct crm *c);

/* Mask in place the values of obj that the acting user may not see:
 * obj is a record of type t as JSON, or part of one (an audit entry's
 * before or after; a history's changes, whose values are [before,
 * after] pairs). owner: the record's owner, or NULL for obj's "owner". */
void mask_json(struct crm *c, const struct type *t, cJSON *obj, const char *owner);

/* text (a search snippet's body) with every value of record rec (JSON,
 * unmasked) that the acting user may not see replaced by its mask.
 * Newly allocated. */
char *mask_in_text(struct crm *c, const struct type *t, const cJSON *rec, const char *text);

#endif
