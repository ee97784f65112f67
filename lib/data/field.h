/* field.h: custom fields: a column added to a record type's table, and a
 * row in the field table saying what it holds (types.c loads them). */
#ifndef CRM_FIELD_H
#define CRM_FIELD_H

#include "core/crm.h"
#include "core/record.h"

/* Add field name of kind (text, number, money, date, enum) to type tn;
 * choices ("a,b,c") for enum only; negative (money only): it may hold
 * amounts below zero, which every other money field refuses; sensitive:
 * printed masked to all but an admin and the record's owner. Audited.
 * The types in c are reloaded: earlier struct type pointers are stale
 * afterwards. */
int field_add(struct crm *c, const char *tn, const char *name, const char *kind,
	      const char *choices, bool required, bool negative, bool sensitive);
/* The same without printing it. */
int field_create(struct crm *c, const char *tn, const char *name, const char *kind,
		 const char *choices, bool required);
/* The header a field came from in a spreadsheet (crm import). */
int field_set_label(struct crm *c, const char *tn, const char *name, const char *label);
/* Remove custom field name of type tn (its column and values). Audited. */
int field_remove(struct crm *c, const char *tn, const char *name);
/* Print the custom fields (of type tn, or all when NULL). */
int field_list(struct crm *c, const char *tn);
/* Whether name may name a new field: [a-z_][a-z0-9_]*, at most 64 bytes. */
bool field_name_ok(const char *name);

#endif
