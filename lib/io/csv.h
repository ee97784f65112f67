/* csv.h: an RFC 4180 reader for CSV and TSV as Excel writes them, in any
 * encoding encoding.h knows, streamed in constant memory.
 *
 * Fields may be quoted ("a,b", "say ""hi""", line breaks inside); the same
 * rules hold for TSV, since Excel quotes TSV fields holding tabs, quotes or
 * line breaks. A quote only opens a field at its start; text after a
 * closing quote is kept (Excel does the same). Records end with LF, CRLF or
 * a lone CR; line breaks inside quotes are kept as they are in the file.
 * Records whose fields are all empty (empty lines, or ",,," as Excel writes
 * for formatted but empty rows) are skipped. Rows are returned with as
 * many fields as they have: the caller decides what ragged means. */
#ifndef CRM_CSV_H
#define CRM_CSV_H

#include <stddef.h>

/* A record longer than this is an error (most likely a stray quote). */
#define CSV_MAX_RECORD (64L * 1024 * 1024)

typedef struct csv_reader csv_reader;

/* Open path ("-" is stdin) in encoding (see encoding.h; NULL is "auto").
 * delim is ',' or '\t', or 0 to pick whichever of the two the first line
 * has more of. On failure returns NULL with a message in err. */
csv_reader *csv_open(const char *path, const char *encoding, char delim,
                     char *err, size_t errsz);
/* The same over an open descriptor, which csv_close() leaves open. */
csv_reader *csv_open_fd(int fd, const char *encoding, char delim,
                        char *err, size_t errsz);

/* The next record: *fields is an array of *nfields NUL-terminated UTF-8
 * strings, owned by the reader and valid until the next call (the caller
 * may change the text in place but not free it); *line is the physical
 * line the record starts on (the first line is 1). Returns 1, 0 at the
 * end, or -1 on an error (csv_error(); every later call returns -1). */
int csv_read(csv_reader *r, char ***fields, int *nfields, long *line);

/* The last error message, naming the line ("" when none). */
const char *csv_error(const csv_reader *r);
/* The encoding in use ("utf-8", "gb18030", ...; see enc_name()). */
const char *csv_encoding(const csv_reader *r);
/* The delimiter in use (after guessing; ',' before the first read). */
char csv_delim(const csv_reader *r);

/* From now on a byte that is invalid in UTF-8 text does not stop the
 * reader (enc_tolerate()): it reads as U+FFFD, and csv_bad() says so for
 * the record it is in. */
void csv_tolerate(csv_reader *r);
/* The first replaced byte of the record csv_read() just returned: the
 * message naming its line and column, and in *field (may be NULL) the
 * 0-based field it is in; NULL when the record is clean. */
const char *csv_bad(const csv_reader *r, int *field);

void csv_close(csv_reader *r);

#endif
