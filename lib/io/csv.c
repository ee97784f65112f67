/* csv.c: a streaming CSV/TSV state machine over encoding.h's UTF-8 chunks.
 * Field bytes are copied once into a reused record buffer. */
#include "io/csv.h"
#include "io/encoding.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { F_START, F_PLAIN, F_QUOTED, F_QUOTE };  /* where in a field we are */

struct csv_reader {
	enc_reader *src;
	char delim;
	int guess;            /* delim still to be guessed */
	const char *chunk;
	size_t clen, cpos;
	char *buf;            /* the record: fields, each NUL-terminated */
	size_t blen, bcap, fstart;
	size_t *offs;         /* where each field starts in buf */
	char **fields;
	int nf, fcap, ptrcap;
	long line;            /* physical line of the next byte */
	int prev_cr;          /* the last byte was a CR that ended a line */
	int done, failed;
	char err[256];
	int rec_bad, bad_field;   /* the record has a replaced byte, in this field */
	char bad[256];
};

static csv_reader *wrap(enc_reader *src, char delim, char *err, size_t errsz)
{
	csv_reader *r;
	if (!src)
		return NULL;
	if (delim != ',' && delim != '\t' && delim != 0) {
		snprintf(err, errsz, "the delimiter must be ',' or tab");
		enc_close(src);
		return NULL;
	}
	if (!(r = calloc(1, sizeof *r))) {
		snprintf(err, errsz, "out of memory");
		enc_close(src);
		return NULL;
	}
	r->src = src;
	r->delim = delim ? delim : ',';
	r->guess = delim == 0;
	r->line = 1;
	return r;
}

csv_reader *csv_open(const char *path, const char *encoding, char delim,
                     char *err, size_t errsz)
{
	return wrap(enc_open(path, encoding, err, errsz), delim, err, errsz);
}

csv_reader *csv_open_fd(int fd, const char *encoding, char delim,
                        char *err, size_t errsz)
{
	return wrap(enc_open_fd(fd, encoding, err, errsz), delim, err, errsz);
}

void csv_close(csv_reader *r)
{
	if (!r)
		return;
	enc_close(r->src);
	free(r->buf);
	free(r->offs);
	free(r->fields);
	free(r);
}

const char *csv_error(const csv_reader *r)
{
	return r->err;
}

const char *csv_encoding(const csv_reader *r)
{
	return enc_name(r->src);
}

char csv_delim(const csv_reader *r)
{
	return r->delim;
}

void csv_tolerate(csv_reader *r)
{
	enc_tolerate(r->src);
}

const char *csv_bad(const csv_reader *r, int *field)
{
	if (!r->rec_bad)
		return NULL;
	if (field)
		*field = r->bad_field;
	return r->bad;
}

static int fail(csv_reader *r, const char *fmt, long a)
{
	snprintf(r->err, sizeof r->err, fmt, a);
	r->failed = 1;
	return -1;
}

static int append(csv_reader *r, const char *p, size_t n)
{
	if (r->blen + n + 1 > r->bcap) {
		size_t cap = r->bcap ? r->bcap : 4096;
		while (r->blen + n + 1 > cap)
			cap *= 2;
		char *b = realloc(r->buf, cap);
		if (!b)
			return -1;
		r->buf = b;
		r->bcap = cap;
	}
	memcpy(r->buf + r->blen, p, n);
	r->blen += n;
	return 0;
}

static int end_field(csv_reader *r)
{
	if (append(r, "", 1) < 0)
		return -1;
	if (r->nf == r->fcap) {
		int cap = r->fcap ? r->fcap * 2 : 64;
		size_t *o = realloc(r->offs, (size_t)cap * sizeof *o);
		if (!o)
			return -1;
		r->offs = o;
		r->fcap = cap;
	}
	r->offs[r->nf++] = r->fstart;
	r->fstart = r->blen;
	return 0;
}

/* Tab or comma, whichever the first line of the first chunk has more of
 * outside quotes; a first line with neither (a title above the header)
 * leaves it to the next. */
static void guess_delim(csv_reader *r)
{
	size_t tabs = 0, commas = 0;
	int q = 0;
	for (size_t i = 0; i < r->clen; i++) {
		char c = r->chunk[i];
		if (c == '"')
			q = !q;
		else if (q)
			continue;
		else if ((c == '\n' || c == '\r') && (tabs || commas))
			break;
		else if (c == '\t')
			tabs++;
		else if (c == ',')
			commas++;
	}
	r->delim = tabs > commas ? '\t' : ',';
	r->guess = 0;
}

int csv_read(csv_reader *r, char ***fields, int *nfields, long *line)
{
	int state = F_START;
	long start_line = r->line, quote_line = 0;
	const char d = r->delim;

	if (r->failed)
		return -1;
	if (r->done)
		return 0;
	r->blen = r->fstart = 0;
	r->nf = 0;
	r->rec_bad = 0;
	for (;;) {
		if (r->cpos == r->clen) {
			int st = enc_read(r->src, &r->chunk, &r->clen);
			r->cpos = 0;
			if (st == 2 && !r->rec_bad) {   /* an invalid byte, replaced: the record says so */
				snprintf(r->bad, sizeof r->bad, "%s", enc_error(r->src));
				r->bad_field = r->nf;
				r->rec_bad = 1;
			}
			if (st < 0) {
				r->clen = 0;
				snprintf(r->err, sizeof r->err, "%s", enc_error(r->src));
				r->failed = 1;
				return -1;
			}
			if (st == 0) {
				r->clen = 0;
				r->done = 1;
				if (state == F_QUOTED)
					return fail(r, "unterminated quoted field starting on line %ld", quote_line);
				if (state == F_START && r->nf == 0)
					return 0;
				goto end_record;
			}
			if (r->guess) {
				guess_delim(r);
				return csv_read(r, fields, nfields, line);
			}
		}
		const char *p = r->chunk + r->cpos, *end = r->chunk + r->clen, *q = p;
		switch (state) {
		case F_START:
			if (r->prev_cr) {
				r->prev_cr = 0;
				if (*p == '\n') {   /* the LF of a CRLF */
					r->cpos++;
					continue;
				}
			}
			if (*p == '"') {
				state = F_QUOTED;
				quote_line = r->line;
				r->cpos++;
				continue;
			}
			state = F_PLAIN;
			/* fall through */
		case F_PLAIN:
			while (q < end && *q != d && *q != '\n' && *q != '\r')
				q++;
			if (q > p && append(r, p, (size_t)(q - p)) < 0)
				goto nomem;
			r->cpos = (size_t)(q - r->chunk);
			if (q == end)
				break;
			r->cpos++;
			if (*q == d) {
				if (end_field(r) < 0)
					goto nomem;
				state = F_START;
				break;
			}
			r->line++;
			r->prev_cr = *q == '\r';
			goto end_record;
		case F_QUOTED:
			while (q < end && *q != '"' && *q != '\n' && *q != '\r')
				q++;
			if (q > p) {
				r->prev_cr = 0;
				if (append(r, p, (size_t)(q - p)) < 0)
					goto nomem;
			}
			r->cpos = (size_t)(q - r->chunk);
			if (q == end)
				break;
			r->cpos++;
			if (*q == '"') {
				state = F_QUOTE;
				r->prev_cr = 0;
				break;
			}
			if (*q == '\r' || !r->prev_cr)
				r->line++;
			r->prev_cr = *q == '\r';
			if (append(r, q, 1) < 0)
				goto nomem;
			break;
		case F_QUOTE:   /* after a quote inside a quoted field */
			if (*p == '"') {
				if (append(r, p, 1) < 0)
					goto nomem;
				r->cpos++;
				state = F_QUOTED;
			} else
				state = F_PLAIN;   /* the field's closing quote */
			break;
		}
		if (r->blen > (size_t)CSV_MAX_RECORD) {
			r->done = 1;
			return fail(r, "the record starting on line %ld is too long "
			            "(a quote that is never closed?)", start_line);
		}
		continue;
end_record:
		if (end_field(r) < 0)
			goto nomem;
		state = F_START;
		if (r->blen == (size_t)r->nf) {   /* every field empty: skip */
			if (r->done)
				return 0;
			r->blen = r->fstart = 0;
			r->nf = 0;
			r->rec_bad = 0;
			start_line = r->line;
			continue;
		}
		if (r->nf > r->ptrcap) {
			char **f = realloc(r->fields, (size_t)r->fcap * sizeof *f);
			if (!f)
				goto nomem;
			r->fields = f;
			r->ptrcap = r->fcap;
		}
		for (int i = 0; i < r->nf; i++)
			r->fields[i] = r->buf + r->offs[i];
		*fields = r->fields;
		*nfields = r->nf;
		*line = start_line;
		return 1;
	}
nomem:
	return fail(r, "out of memory reading the record on line %ld", start_line);
}
