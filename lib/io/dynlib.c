/* dynlib.c: a library loaded when first needed (see dynlib.h). */
#include <dlfcn.h>
#include <stdio.h>

#include "io/dynlib.h"

int dynlib_load(char *err, size_t errsz, const char *soname, const char *what,
		const char *const names[], void **const ptrs[])
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(err, errsz, "%s: %s", what, dlerror());
		return -1;
	}
	for (int i = 0; names[i]; i++) {
		/* POSIX: a dlsym result converts to a function pointer */
		if (!(*ptrs[i] = dlsym(h, names[i]))) {
			snprintf(err, errsz, "%s: %s has no %s", what, soname, names[i]);
			dlclose(h);
			return -1;
		}
	}
	return 0;   /* h stays open for the life of the process */
}
