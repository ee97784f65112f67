/* pq.c: libpq, loaded on first use (see pq.h). */
#include <stdbool.h>

#define PQ_API_DEFINE
#include "io/dynlib.h"
#include "io/pq.h"

#ifndef PQ_SONAME
#define PQ_SONAME "libpq.so.5"
#endif

struct pq_api pq_api;

int pq_load(char *err, size_t errsz)
{
	static bool loaded;
#define PQ_FN(name) #name,
	static const char *const names[] = { PQ_FUNCTIONS NULL };
#undef PQ_FN
#define PQ_FN(name) (void **)&pq_api.name,
	void **const ptrs[] = { PQ_FUNCTIONS };
#undef PQ_FN
	if (!loaded && dynlib_load(err, errsz, PQ_SONAME, "cannot reach a team server (libpq, Debian's libpq5)",
				   names, ptrs) == 0)
		loaded = true;
	return loaded ? 0 : -1;
}
