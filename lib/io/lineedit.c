/* lineedit.c: readline, loaded on first use (see dynlib.h). */
#include <stdbool.h>

#include "io/dynlib.h"
#include "io/lineedit.h"

#ifndef READLINE_SONAME
#define READLINE_SONAME "libreadline.so"
#endif

const struct lineedit *lineedit_get(char *err, size_t errsz)
{
	static struct lineedit le;
	static bool loaded;
	static const char *const names[] = {
		"readline", "add_history", "read_history", "write_history",
		"rl_replace_line", "rl_crlf", "rl_on_new_line", "rl_redisplay", NULL
	};
	void **const ptrs[] = {
		(void **)&le.readline, (void **)&le.add_history,
		(void **)&le.read_history, (void **)&le.write_history,
		(void **)&le.replace_line, (void **)&le.crlf,
		(void **)&le.on_new_line, (void **)&le.redisplay
	};
	if (!loaded && dynlib_load(err, errsz, READLINE_SONAME, "no line editing", names, ptrs) == 0)
		loaded = true;
	return loaded ? &le : NULL;
}
