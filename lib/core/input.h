/* input.h: what commands read: key=value fields and records to act on,
 * given as ids on the command line or as JSON lines on stdin. */
#ifndef CRM_INPUT_H
#define CRM_INPUT_H

#include <stdbool.h>
#include <cjson/cJSON.h>
#include "core/cmd.h"
#include "core/record.h"

/* Split positionals into key=value fields (into *fields, a new object,
 * NULL when none) and the rest (ids), kept in order in rest/nrest (point
 * into argv; caller frees the array). CRM_USAGE for a bad key. */
int kv_parse(struct crm *c, int argc, char **argv, cJSON **fields, char ***rest, int *nrest);

/* Called for each record to act on: its type, id, and the input line's
 * object (NULL for ids from the command line). A non-zero return is
 * reported and remembered; the loop goes on (unless --strict). */
typedef int (*input_fn)(struct crm *c, const struct type *t, long long id,
			const cJSON *line, void *arg);

/* For each id in ids (TYPE:ID, or a bare ID of dflt_type) or, when there
 * are none and stdin is not a terminal, each JSON line's "id" (its "type"
 * must match dflt_type when both are given; with dflt_type NULL the line's
 * type is used). Returns 0, or the worst status seen (3 for malformed
 * lines), or 1 when there was nothing to act on. */
int input_each(struct crm *c, int nids, char **ids, const char *dflt_type, input_fn fn, void *arg);

/* Each JSON object line on stdin, for creating commands: fn gets the
 * object and its line number. Malformed lines are reported and skipped
 * (status 3 at the end) or, with --strict, stop everything. */
typedef int (*input_obj_fn)(struct crm *c, const cJSON *obj, long lineno, void *arg);
int input_each_object(struct crm *c, input_obj_fn fn, void *arg);

/* Whether stdin could hold piped input (not a terminal). */
bool input_piped(void);

#endif
