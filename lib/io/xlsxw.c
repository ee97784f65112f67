/* xlsxw.c: libxlsxwriter, loaded on first use (see dynlib.h). */
#include <stdbool.h>

#include "io/dynlib.h"
#include "io/xlsxw.h"

#ifndef XLSXWRITER_SONAME
#define XLSXWRITER_SONAME "libxlsxwriter.so"
#endif

const struct xlsxw *xlsxw_get(char *err, size_t errsz)
{
	static struct xlsxw x;
	static bool loaded;
	static const char *const names[] = {
		"workbook_new", "workbook_add_worksheet", "workbook_add_format",
		"workbook_close", "format_set_bold", "worksheet_write_string",
		"worksheet_write_number", "worksheet_write_boolean",
		"worksheet_freeze_panes", "lxw_strerror", NULL
	};
	void **const ptrs[] = {
		(void **)&x.workbook_new, (void **)&x.workbook_add_worksheet,
		(void **)&x.workbook_add_format, (void **)&x.workbook_close,
		(void **)&x.format_set_bold, (void **)&x.worksheet_write_string,
		(void **)&x.worksheet_write_number, (void **)&x.worksheet_write_boolean,
		(void **)&x.worksheet_freeze_panes, (void **)&x.lxw_strerror
	};
	if (!loaded && dynlib_load(err, errsz, XLSXWRITER_SONAME, "cannot write .xlsx", names, ptrs) == 0)
		loaded = true;
	return loaded ? &x : NULL;
}
