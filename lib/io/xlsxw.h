/* xlsxw.h: libxlsxwriter, loaded on first use by crm export --format xlsx
 * (see dynlib.h: linked, it and its libcrypto cost every command ~2 ms).
 * The members keep the library's own prototypes. */
#ifndef CRM_XLSXW_H
#define CRM_XLSXW_H

#include <xlsxwriter.h>

#include <stddef.h>

struct xlsxw {
	__typeof__(workbook_new) *workbook_new;
	__typeof__(workbook_add_worksheet) *workbook_add_worksheet;
	__typeof__(workbook_add_format) *workbook_add_format;
	__typeof__(workbook_close) *workbook_close;
	__typeof__(format_set_bold) *format_set_bold;
	__typeof__(worksheet_write_string) *worksheet_write_string;
	__typeof__(worksheet_write_number) *worksheet_write_number;
	__typeof__(worksheet_write_boolean) *worksheet_write_boolean;
	__typeof__(worksheet_freeze_panes) *worksheet_freeze_panes;
	__typeof__(lxw_strerror) *lxw_strerror;
};

/* The library's functions, loading it the first time (NULL and the
 * reason in err if it cannot be loaded). The library stays loaded. */
const struct xlsxw *xlsxw_get(char *err, size_t errsz);

#endif
