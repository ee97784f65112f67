/* jsonl.h: a streaming JSON-lines reader (one object per line). */
#ifndef CRM_JSONL_H
#define CRM_JSONL_H

#include <stdio.h>
#include <cjson/cJSON.h>

struct jsonl_reader {
	FILE *fp;
	char *line;
	size_t cap;
	long lineno;        /* of the line last returned */
	char err[256];      /* why the last line was malformed */
	/* Called before the reader waits for input that has not come yet
	 * (tail -f | crm ...): flush output, commit a batch. A non-zero
	 * return ends the input; it is kept in idle_rc. */
	int (*idle)(void *arg);
	void *idle_arg;
	int idle_rc;
};

void jsonl_init(struct jsonl_reader *r, FILE *fp);
void jsonl_release(struct jsonl_reader *r);
/* 1: *obj is the next object (caller frees); 0: end of input;
 * -1: line r->lineno is malformed (r->err says why). Blank lines skip. */
int jsonl_next(struct jsonl_reader *r, cJSON **obj);

#endif
