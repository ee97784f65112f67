/* mem.h: the bottom of the house (layer base: no includes of ours).
 *
 * lib/base holds plain values and the functions over them: memory and
 * growable strings, UTF-8 text, dates, money, phone numbers, word
 * splitting. Nothing here does I/O beyond the clock, knows a database,
 * or knows a record type; every other layer may use it. */
#ifndef CRM_BASE_MEM_H
#define CRM_BASE_MEM_H

#include <stddef.h>

/* Allocation that never returns NULL (aborts on exhaustion: there is no
 * sane recovery for a CLI, and it keeps every caller honest). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
