/* xlsx.h: rows of one sheet of an Excel .xlsx workbook, in the shape
 * csv.h gives them: an array of UTF-8 strings per row.
 *
 * The sheet XML is streamed (constant memory); the shared-string table is
 * held in memory. Cell values come out as Excel shows them in General
 * format: shared and inline strings (rich text joined, phonetic runs
 * dropped, _xHHHH_ escapes decoded), numbers without a trailing ".0" or
 * an exponent for integers below 1e21 (13812345678 reads "13812345678";
 * 15 significant digits, as Excel keeps), TRUE/FALSE, error text like
 * "#N/A", formula results (never formulas). Numbers in a date or time
 * format (built-in formats 14-22, 27-36, 45-47, 50-58, or custom formats
 * with y/m/d/h/s outside quotes and brackets) read "YYYY-MM-DD" for date
 * formats, "YYYY-MM-DD HH:MM:SS" for date-and-time formats and "HH:MM:SS"
 * for time formats (1900 date system with its phantom 1900-02-29, or 1904
 * when the workbook says so).
 *
 * Missing cells are empty strings. A row ends at its last non-empty cell,
 * but rows shorter than the first row returned (the header) are padded to
 * its width with empty strings, as Excel's own CSV export does. Rows with
 * no non-empty cell are skipped. */
#ifndef CRM_XLSX_H
#define CRM_XLSX_H

#include <stddef.h>

typedef struct xlsx_reader xlsx_reader;

/* Open sheet (its tab name; NULL for the first visible sheet) of the
 * workbook at path. On failure returns NULL with a message in err (for a
 * missing sheet, it lists the sheets there are). */
xlsx_reader *xlsx_open(const char *path, const char *sheet, char *err, size_t errsz);

/* The next non-empty row: *fields is an array of *nfields NUL-terminated
 * strings owned by the reader, valid until the next call (the caller may
 * change the text in place but not free it); *row is the spreadsheet row
 * number (1-based). Returns 1, 0 at the end, or -1 on an error
 * (xlsx_error(); every later call returns -1). */
int xlsx_read(xlsx_reader *r, char ***fields, int *nfields, long *row);

/* The last error message ("" when none). */
const char *xlsx_error(const xlsx_reader *r);
/* The name of the sheet being read. */
const char *xlsx_sheet(const xlsx_reader *r);

/* A cell's text that is a serial day number ("45678.5": a date typed
 * into a cell in General format) as a date (with_time: a date and
 * time, "2025-01-21 12:00:00"), in the workbook's date system, into
 * out. 0, or -1 when text is not such a number (days 1 to 109574:
 * the years 1900 to 2199). */
int xlsx_serial_text(const xlsx_reader *r, const char *text, int with_time, char *out, size_t n);

void xlsx_close(xlsx_reader *r);

#endif
