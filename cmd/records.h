/* records.h: the verbs every record type shares (add, list, show, update,
 * rm), written once and declared by each type's command file. */
#ifndef CRM_RECORDS_H
#define CRM_RECORDS_H

#include "core/cmd.h"
#include "core/record.h"

/* Options of every list verb. */
#define LIST_OPTS \
	{ "where", 'w', "EXPR", "SQL expression over the fields (has_tag('x'), days_since(f), ...)", false }, \
	{ "owner", 0, "USER", "only records owned by USER", false }, \
	{ "tag", 0, "TAG", "only records tagged TAG", false }, \
	{ "status", 0, "STATUS", "only records with this status", false }, \
	{ "source", 0, "SOURCE", "only records from this source", false }, \
	{ "since", 0, "WHEN", "only records created since WHEN (a time, or a span like 7d)", false }, \
	{ "stale", 0, "SPAN", "only records with no contact for SPAN (7d, 2w)", false }, \
	{ "sort", 0, "FIELD[,-FIELD]", "sort by fields (- for descending)", false }, \
	{ "limit", 'n', "N", "at most N records", false }, \
	{ "removed", 0, NULL, "list removed records instead (see crm restore)", false }

#define ADD_OPTS \
	{ "allow-duplicate", 0, NULL, "add even if the phone or email is already known", false }

#define RM_OPTS \
	{ "purge", 0, NULL, "delete for good (otherwise crm restore brings it back)", false }

/* The option tables of a list verb and an rm verb with only these. */
extern const struct opt rec_list_opts[];
extern const struct opt rec_rm_opts[];

int rec_add(struct crm *c, struct args *a, const char *type);
/* The same, where options name fields: map is "option", "field" pairs
 * ending with NULL (--deal 3 sets deal_id; a flag sets 1); flags are the write's REC_*
 * flags. With options but no FIELD=VALUE, one record is made from them
 * (stdin is not read). */
int rec_add_map(struct crm *c, struct args *a, const char *type, const char *const *map, unsigned flags);
int rec_list(struct crm *c, struct args *a, const char *type);
int rec_show(struct crm *c, struct args *a, const char *type);
int rec_update(struct crm *c, struct args *a, const char *type);
int rec_rm(struct crm *c, struct args *a, const char *type);

/* A verb acting on records of type one by one (ids, or JSON lines on
 * stdin, each checked to be as fresh as the line that names it): fn gets
 * the id and the command's arguments, and prints what it did. */
typedef int (*rec_verb_fn)(struct crm *c, long long id, const struct args *a);
int rec_each(struct crm *c, struct args *a, const char *type, rec_verb_fn fn);

/* Declare the columns a table shows for t (its list fields and custom
 * fields), or for csv/tsv every field, so those stream. */
void rec_columns(struct crm *c, const struct type *t);

#endif

/* The five handlers for a type, as static functions NAME_add_exec ... */
#define RECORD_HANDLERS(NAME) \
	static int NAME##_add_exec(struct crm *c, struct args *a) { return rec_add(c, a, #NAME); } \
	static int NAME##_list_exec(struct crm *c, struct args *a) { return rec_list(c, a, #NAME); } \
	static int NAME##_show_exec(struct crm *c, struct args *a) { return rec_show(c, a, #NAME); } \
	static int NAME##_update_exec(struct crm *c, struct args *a) { return rec_update(c, a, #NAME); } \
	static int NAME##_rm_exec(struct crm *c, struct args *a) { return rec_rm(c, a, #NAME); }

/* Their verb table entries. */
#define RECORD_VERBS(NAME, ADD_OPTS_TABLE, LIST_OPTS_TABLE, RM_OPTS_TABLE) \
	RECORD_VERBS_FLAGS(NAME, ADD_OPTS_TABLE, LIST_OPTS_TABLE, RM_OPTS_TABLE, 0)
/* The same with VERB_ flags on all five (VERB_SERVER: they run on a server). */
#define RECORD_VERBS_FLAGS(NAME, ADD_OPTS_TABLE, LIST_OPTS_TABLE, RM_OPTS_TABLE, FLAGS) \
	{ "add", "[--allow-duplicate] [FIELD=VALUE ...]", \
	  "add a " #NAME " from FIELD=VALUE arguments, or one per JSON line on stdin", \
	  ADD_OPTS_TABLE, DB_WRITE, 0, -1, NAME##_add_exec, FLAGS }, \
	{ "list", "[--where EXPR] [--owner U] [--tag T] [--status S] [--since D] [--stale D] [--sort F] [--limit N]", \
	  "list " #NAME "s matching the filters (exit 1 if none)", LIST_OPTS_TABLE, DB_READ, 0, 0, NAME##_list_exec, FLAGS }, \
	{ "show", "[ID ...]", "print " #NAME "s by id, or the ids in JSON lines on stdin", \
	  NULL, DB_READ, 0, -1, NAME##_show_exec, FLAGS }, \
	{ "update", "[ID ...] FIELD=VALUE ...", \
	  "change fields of the given " #NAME "s (ids, or JSON lines on stdin)", ADD_OPTS_TABLE, DB_WRITE, 1, -1, \
	  NAME##_update_exec, FLAGS }, \
	{ "rm", "[--purge] [ID ...]", "remove " #NAME "s (crm restore brings them back unless --purge)", \
	  RM_OPTS_TABLE, DB_WRITE, 0, -1, NAME##_rm_exec, FLAGS }
