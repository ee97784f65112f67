/* jsonl.c: reading JSON lines without holding more than one line. */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "io/jsonl.h"
#include "base/text.h"

void jsonl_init(struct jsonl_reader *r, FILE *fp)
{
	memset(r, 0, sizeof(*r));
	r->fp = fp;
}

void jsonl_release(struct jsonl_reader *r)
{
	free(r->line);
	r->line = NULL;
	r->cap = 0;
}

/* Whether reading the next line would wait: nothing left in the stdio
 * buffer and nothing ready on the descriptor. */
static bool would_wait(FILE *fp)
{
#ifdef __GLIBC__
	if (fp->_IO_read_ptr < fp->_IO_read_end)
		return false;
#endif
	struct pollfd p = { .fd = fileno(fp), .events = POLLIN };
	return poll(&p, 1, 0) == 0;
}

int jsonl_next(struct jsonl_reader *r, cJSON **obj)
{
	ssize_t n;
	*obj = NULL;
	for (;;) {
		if (r->idle && would_wait(r->fp) && (r->idle_rc = r->idle(r->idle_arg)) != 0)
			return 0;
		errno = 0;
		n = getline(&r->line, &r->cap, r->fp);
		if (n < 0)
			return 0;
		r->lineno++;
		while (n > 0 && (r->line[n - 1] == '\n' || r->line[n - 1] == '\r'))
			r->line[--n] = 0;
		size_t skip = strspn(r->line, " \t");
		if (r->line[skip])
			break;
	}
	size_t bad;
	if (!utf8_valid(r->line, (size_t)n, &bad)) {
		snprintf(r->err, sizeof(r->err), "invalid UTF-8 at column %zu", bad + 1);
		return -1;
	}
	/* A NUL would cut a string short where C reads it: refused, not
	 * silently truncated (a raw byte, or \u0000 in a string). */
	const char *nul = memchr(r->line, 0, (size_t)n);
	for (const char *p = r->line; !nul && p < r->line + n; p++)
		if (*p == '\\') {
			if (p + 5 < r->line + n + 1 && !strncmp(p + 1, "u0000", 5))
				nul = p;
			p++;   /* the escaped character */
		}
	if (nul) {
		snprintf(r->err, sizeof(r->err), "a NUL character (near column %ld) is not allowed",
			 (long)(nul - r->line) + 1);
		return -1;
	}
	const char *end = NULL;
	cJSON *j = cJSON_ParseWithLengthOpts(r->line, (size_t)n, &end, 0);
	if (!j) {
		const char *at = cJSON_GetErrorPtr();
		snprintf(r->err, sizeof(r->err), "not valid JSON (near column %ld)",
			 at && at >= r->line && at <= r->line + n ? (long)(at - r->line) + 1 : 1L);
		return -1;
	}
	while (end && (*end == ' ' || *end == '\t'))
		end++;
	if (end && *end) {
		cJSON_Delete(j);
		snprintf(r->err, sizeof(r->err), "more than one JSON value on the line");
		return -1;
	}
	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		snprintf(r->err, sizeof(r->err), "not a JSON object");
		return -1;
	}
	*obj = j;
	return 1;
}
