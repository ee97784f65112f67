/* lineedit.h: readline for crm shell, loaded on first use (see dynlib.h).
 * The members keep the library's own prototypes. */
#ifndef CRM_LINEEDIT_H
#define CRM_LINEEDIT_H

#include <stdio.h>
#include <readline/history.h>
#include <readline/readline.h>

#include <stddef.h>

struct lineedit {
	__typeof__(readline) *readline;
	__typeof__(add_history) *add_history;
	__typeof__(read_history) *read_history;
	__typeof__(write_history) *write_history;
	/* Ctrl-C at the prompt: an empty line on a new prompt */
	__typeof__(rl_replace_line) *replace_line;
	__typeof__(rl_crlf) *crlf;
	__typeof__(rl_on_new_line) *on_new_line;
	__typeof__(rl_redisplay) *redisplay;
};

/* readline's functions, loading it the first time; NULL (and the reason
 * in err) if it cannot be loaded. */
const struct lineedit *lineedit_get(char *err, size_t errsz);

#endif
