/* unit.h: the smallest test harness that prints one "ok"/"not ok" line
 * per check, which tests/run counts. */
#ifndef CRM_UNIT_H
#define CRM_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_failed;

#define CHECK(cond) do { \
	if (cond) printf("ok - %s:%d %s\n", __FILE__, __LINE__, #cond); \
	else { printf("not ok - %s:%d %s\n", __FILE__, __LINE__, #cond); unit_failed++; } \
} while (0)

#define CHECK_STR(got, want) do { \
	const char *g_ = (got), *w_ = (want); \
	int ok_ = g_ && w_ ? strcmp(g_, w_) == 0 : g_ == w_; \
	if (ok_) printf("ok - %s:%d %s == \"%s\"\n", __FILE__, __LINE__, #got, w_ ? w_ : "(null)"); \
	else { printf("not ok - %s:%d %s: got \"%s\", want \"%s\"\n", __FILE__, __LINE__, #got, \
	          g_ ? g_ : "(null)", w_ ? w_ : "(null)"); unit_failed++; } \
} while (0)

#define UNIT_DONE() return unit_failed ? 1 : 0

#endif
