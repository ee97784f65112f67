/* dynlib.h: a library loaded when first needed, not at every start.
 *
 * Each library linked the usual way costs every crm command its dynamic
 * linking; libxlsxwriter (with the libcrypto it needs) and readline cost
 * more than a whole `crm lead show`, and only `crm export --format xlsx`
 * and `crm shell` use them. Their sonames come from the build (Makefile). */
#ifndef CRM_DYNLIB_H
#define CRM_DYNLIB_H

#include <stddef.h>

/* Load soname and fill *ptrs[i] with the function names[i] (names ends
 * with NULL). 0, or -1 with the reason in err (errsz bytes) prefixed by
 * what ("cannot write .xlsx"). On failure nothing stays loaded. */
int dynlib_load(char *err, size_t errsz, const char *soname, const char *what,
		const char *const names[], void **const ptrs[]);

#endif
