/* out.h: the one way records reach stdout.
 *
 * A command says what a record holds (begin, key/value..., end) and the
 * writer formats it: jsonl streams one object per line; csv/tsv stream
 * once the columns are known (declared, or taken from the first record);
 * table buffers to measure column widths (CJK counts double). A command
 * never formats output by hand.
 *
 * lib/io is the layer of formats and streams: CSV/TSV and xlsx readers
 * (zip and XML, encodings), the xlsx writer, JSON lines, this writer, and
 * loading libraries on first use. It uses lib/base only and knows nothing
 * of the database, the context or record types: its errors come back as
 * return values and text. */
#ifndef CRM_OUT_H
#define CRM_OUT_H

#include <stdbool.h>
#include <stdio.h>
#include <cjson/cJSON.h>

enum out_format { OUT_JSONL, OUT_TABLE, OUT_CSV, OUT_TSV };

struct out;

/* Parse "jsonl"/"json", "table", "csv", "tsv"; -1 if unknown. */
int out_format_parse(const char *name);

struct out *out_new(enum out_format fmt, FILE *fp);
/* Flush what is buffered and free the writer. Returns 0, or -1 when the
 * output could not be written. */
int out_free(struct out *o);

/* Declare the columns (table/csv/tsv): keys in this order first, others
 * after. Optional; csv/tsv then stream without buffering. */
void out_columns(struct out *o, const char *const *keys, int n);

/* Header cells for csv/tsv in place of the first n declared keys
 * (Chinese headers for spreadsheets). */
void out_header(struct out *o, const char *const *labels, int n);

/* Table format only (else nothing): each record prints as "key  value"
 * lines, every key it has, a blank line between records: what `show`
 * prints on a terminal. */
void out_vertical(struct out *o);
/* csv/tsv: a text cell that starts with = + - @, a tab or a carriage
 * return (a formula to a spreadsheet: =HYPERLINK(...), +cmd|...) is
 * written with a ' before it, as OWASP recommends for CSV injection;
 * numbers (-5, +86...) stay as they are. raw: every cell as it is. */
void out_raw(struct out *o, bool raw);

void out_begin(struct out *o);
void out_str(struct out *o, const char *key, const char *val);  /* NULL: omitted */
void out_int(struct out *o, const char *key, long long val);
void out_real(struct out *o, const char *key, double val);
void out_money(struct out *o, const char *key, long long minor);
void out_bool(struct out *o, const char *key, bool val);
/* A JSON value (array, object, or any) given as text: arrays print as
 * "a, b" in tables. NULL or "" is omitted. */
void out_json_text(struct out *o, const char *key, const char *json);
void out_json(struct out *o, const char *key, const cJSON *val);
void out_end(struct out *o);

/* A whole cJSON object as one record (its keys in order). */
void out_object(struct out *o, const cJSON *obj);

/* Hold the records: they are written to a spool file, not to stdout,
 * until out_release() (or out_free()) lets them go or out_discard() drops
 * them. A writing command holds its output so that nothing reaches the
 * next command in a pipe before it is committed. */
void out_hold(struct out *o);
/* Write out what is held, and flush. */
void out_release(struct out *o);
/* Drop what is held or buffered (the change it printed was rolled back). */
void out_discard(struct out *o);

/* Call fn(arg, bytes) when streamed records have piled up (held: 1 MB
 * into a pipe, 16 MB into a file; not held: 32 KB): it returns whether they may go out
 * now (a writing command commits first), or must wait (one transaction
 * for the whole command: --strict, --atomic). */
void out_on_flush(struct out *o, bool (*fn)(void *arg, size_t bytes), void *arg);

/* A list (tags) as one spreadsheet cell: "a,b", or its JSON ["a,b","c"]
 * when an item has a comma in it, so that import reads back the same list.
 * Newly allocated. */
char *out_list_cell(const cJSON *arr);

/* Records written so far. */
long out_count(const struct out *o);

/* Whether color/emphasis may be used (a terminal, NO_COLOR unset). */
bool out_color(const struct out *o);

/* For table output of reports: a cell drawn as a bar of Unicode blocks,
 * value/max of width columns. Plain text in other formats is omitted. */
void out_bar(struct out *o, const char *key, double value, double max, int width);
/* The same bar centred in width columns (a funnel). */
void out_bar_center(struct out *o, const char *key, double value, double max, int width);

#endif
