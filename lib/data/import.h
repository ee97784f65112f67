/* import.h: spreadsheets and JSON lines into records.
 *
 * Every row becomes a JSON object of fields (headers mapped by name,
 * Chinese header, alias or --map) and goes through record_insert or
 * record_update: the same normalisation, validation and audit as
 * `crm lead add`. Rows are committed in batches, with the line reached
 * in the same transaction, so an interrupted import can be resumed.
 *
 * lib/data holds what works on records of any type: import and export,
 * custom fields, tags, a record's history, dedupe and merge. It uses
 * core, io and base only; it knows no feature (a merge publishes
 * TYPE.merged for whoever cares, as scoring does). */
#ifndef CRM_IMPORT_H
#define CRM_IMPORT_H

#include "core/crm.h"

enum dup_action { DUP_SKIP, DUP_UPDATE, DUP_MERGE, DUP_ERROR };

struct import_opts {
	const char *type;        /* "lead", "leads", ... */
	const char *format;      /* csv, tsv, jsonl, xlsx; NULL: from the file name */
	const char *encoding;    /* NULL: auto */
	const char *sheet;       /* xlsx: NULL for the first sheet */
	const char *map;         /* "列名=field,..." */
	const char *map_name;    /* a saved mapping to start from */
	const char *save_map;    /* save the mapping in effect under this name */
	const char *errors;      /* rejected rows go here as JSON lines */
	const char *key;         /* match duplicates by this field */
	enum dup_action on_dup;
	bool create_fields, dry_run, atomic, resume, print;
	long batch;              /* rows per commit (not atomic) */
};

/* Import each file ("-" is stdin) in turn. Prints a summary per file on
 * stderr; returns the worst status (3 when rows were rejected, 4 for
 * duplicates with DUP_ERROR). */
int import_files(struct crm *c, const struct import_opts *o, int nfiles, char **files);

/* crm import runs: every run, newest first (limit > 0: that many). */
int import_runs(struct crm *c, long long limit);
/* crm import undo RUN: what run made goes, what it changed goes back, in
 * one transaction (core/bulk.h bulk_undo); refused (exit 4) where someone
 * else changed one of those records since, unless force. */
int import_undo(struct crm *c, long long run, bool force);

/* Parse "skip|update|merge|error". */
int dup_action_parse(const char *s, enum dup_action *out);

#endif
