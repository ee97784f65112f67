/* encoding.c: detect the encoding of a text stream and convert it to UTF-8
 * with glibc iconv, chunk by chunk, with line/column on bad bytes. */
#include "io/encoding.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define IN_SIZE (64 * 1024)          /* read size, and the detection window */
#define OUT_SIZE (2 * IN_SIZE + 16)  /* GB18030/UTF-16 grow at most 3/2 */

enum { M_UTF8, M_UNDECIDED, M_ICONV };

/* Scan results. */
enum { S_OK, S_INCOMPLETE, S_INVALID, S_NONASCII };

struct pos {
	long line, col;  /* current line; characters already on it */
	int prev_cr;
};

struct enc_reader {
	int fd, own_fd;
	int mode;
	const char *name;   /* canonical name */
	const char *label;  /* for messages */
	int detected;       /* chosen by "auto" */
	iconv_t cd;
	unsigned char *in;
	size_t in_start, in_end;
	char *out;
	int eof;            /* read() has returned 0 */
	int need_more;      /* the input ends inside a character */
	int at_start;       /* nothing returned yet: drop a leading U+FEFF */
	int failed;         /* return -1 from now on */
	int pending;        /* return -1 after the chunk just returned */
	int tolerant;       /* enc_tolerate(): invalid UTF-8 is replaced, not fatal */
	long bad, good;     /* invalid sequences replaced; valid characters above ASCII */
	struct pos pos;
	char err[256];
};

static const struct {
	const char *name, *canon, *iconv_name, *label;
} encodings[] = {
	{"auto", "auto", NULL, NULL},
	{"utf8", "utf-8", NULL, "UTF-8"},
	{"gbk", "gb18030", "GB18030", "GBK/GB18030"},
	{"cp936", "gb18030", "GB18030", "GBK/GB18030"},
	{"gb2312", "gb18030", "GB18030", "GBK/GB18030"},
	{"gb18030", "gb18030", "GB18030", "GB18030"},
	{"utf16", "utf-16", NULL, "UTF-16"},
	{"utf16le", "utf-16le", "UTF-16LE", "UTF-16LE"},
	{"utf16be", "utf-16be", "UTF-16BE", "UTF-16BE"},
	{"latin1", "latin1", "ISO-8859-1", "Latin-1"},
	{"iso88591", "latin1", "ISO-8859-1", "Latin-1"},
};

static int lookup(const char *name)
{
	char k[32];
	size_t n = 0;
	if (!name || !*name)
		return 0;
	for (const char *s = name; *s; s++) {
		if (*s == '-' || *s == '_')
			continue;
		if (n + 1 >= sizeof k)
			return -1;
		k[n++] = (char)((*s >= 'A' && *s <= 'Z') ? *s + 32 : *s);
	}
	k[n] = 0;
	for (size_t i = 0; i < sizeof encodings / sizeof encodings[0]; i++)
		if (strcmp(k, encodings[i].name) == 0)
			return (int)i;
	return -1;
}

int enc_known(const char *name)
{
	return lookup(name) >= 0;
}

static void seterr(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;
	if (!err || !errsz)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

/* Reads once (or, with full, until the buffer is full or the end), after
 * moving the unread bytes to the front. Returns 0 or -1. */
static int fill(enc_reader *r, int full)
{
	if (r->in_start > 0) {
		memmove(r->in, r->in + r->in_start, r->in_end - r->in_start);
		r->in_end -= r->in_start;
		r->in_start = 0;
	}
	while (!r->eof && r->in_end < IN_SIZE) {
		ssize_t n = read(r->fd, r->in + r->in_end, IN_SIZE - r->in_end);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			seterr(r->err, sizeof r->err, "read error: %s", strerror(errno));
			r->failed = 1;
			return -1;
		}
		if (n == 0)
			r->eof = 1;
		r->in_end += (size_t)n;
		if (!full)
			break;
	}
	return 0;
}

/* Length of the UTF-8 sequence at p (n > 0 bytes available): the length
 * when complete and valid, 0 when invalid, -1 when valid so far but cut
 * off at n. */
static int utf8_seq(const unsigned char *p, size_t n)
{
	unsigned c = p[0], lo = 0x80, hi = 0xBF;
	int len;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else
		return 0;
	for (int i = 1; i < len; i++) {
		if ((size_t)i >= n)
			return -1;
		if (p[i] < lo || p[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xBF;
	}
	return len;
}

/* Validates (when check) and counts lines/columns of p[0..n). Stops at
 * the first invalid sequence, NUL, incomplete tail (unless final: then it
 * is invalid) or, with stop_high, non-ASCII byte; *used is how far it got
 * and pos is updated to there. Returns S_*. */
static int scan(struct pos *pos, const unsigned char *p, size_t n, int final,
                int stop_high, size_t *used)
{
	size_t i = 0;
	long line = pos->line, col = pos->col;
	int cr = pos->prev_cr, st = S_OK;
	while (i < n) {
		unsigned c = p[i];
		if (c > '\r' && c < 0x80) {
			size_t j = i + 1;
			while (j < n && p[j] > '\r' && p[j] < 0x80)
				j++;
			col += (long)(j - i);
			cr = 0;
			i = j;
			continue;
		}
		if (c == '\n') {
			if (!cr)
				line++;
			col = 0;
			cr = 0;
			i++;
		} else if (c == '\r') {
			line++;
			col = 0;
			cr = 1;
			i++;
		} else if (c == 0) {
			st = S_INVALID;
			break;
		} else if (c < 0x80) {
			col++;
			cr = 0;
			i++;
		} else if (stop_high) {
			st = S_NONASCII;
			break;
		} else {
			int len = utf8_seq(p + i, n - i);
			if (len == 0 || (len < 0 && final)) {
				st = S_INVALID;
				break;
			}
			if (len < 0) {
				st = S_INCOMPLETE;
				break;
			}
			col++;
			cr = 0;
			i += (size_t)len;
		}
	}
	pos->line = line;
	pos->col = col;
	pos->prev_cr = cr;
	*used = i;
	return st;
}

static int setup_iconv(enc_reader *r, const char *iconv_name, const char *canon,
                       const char *label, char *err, size_t errsz)
{
	r->cd = iconv_open("UTF-8", iconv_name);
	if (r->cd == (iconv_t)-1) {
		seterr(err, errsz, "cannot convert from %s: %s", label, strerror(errno));
		return -1;
	}
	if (!r->out && !(r->out = malloc(OUT_SIZE))) {
		seterr(err, errsz, "out of memory");
		return -1;
	}
	r->mode = M_ICONV;
	r->name = canon;
	r->label = label;
	return 0;
}

/* Bytes of p[0..n) that cannot start or continue a character: as UTF-8,
 * and as GB18030 (two bytes, or four with digits in the even places). */
static size_t utf8_errors(const unsigned char *p, size_t n)
{
	size_t bad = 0;
	for (size_t i = 0; i < n;) {
		int len = p[i] < 0x80 ? 1 : utf8_seq(p + i, n - i);
		if (len < 0)
			break;   /* cut by the window */
		bad += len == 0;
		i += len ? (size_t)len : 1;
	}
	return bad;
}

static size_t gb18030_errors(const unsigned char *p, size_t n)
{
	size_t bad = 0;
	for (size_t i = 0; i < n;) {
		unsigned c = p[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (i + 1 >= n)
			break;
		unsigned d = p[i + 1];
		if (c >= 0x81 && c <= 0xFE && ((d >= 0x40 && d <= 0x7E) || (d >= 0x80 && d <= 0xFE))) {
			i += 2;
		} else if (c >= 0x81 && c <= 0xFE && d >= 0x30 && d <= 0x39) {
			if (i + 3 >= n)
				break;
			bool ok = p[i + 2] >= 0x81 && p[i + 2] <= 0xFE && p[i + 3] >= 0x30 && p[i + 3] <= 0x39;
			bad += !ok;
			i += ok ? 4 : 1;
		} else {
			bad++;
			i++;
		}
	}
	return bad;
}

/* Decides between UTF-8 and GB18030 on the buffered bytes. A stray byte
 * in a UTF-8 file must not turn the whole file into GB18030 mojibake (and
 * the error to the wrong line): the one that reads with fewer errors
 * wins, UTF-8 on a tie; reading then reports the first error. */
static int decide(enc_reader *r, char *err, size_t errsz)
{
	struct pos dummy = {1, 0, 0};
	size_t used;
	const unsigned char *p = r->in + r->in_start;
	size_t n = r->in_end - r->in_start;
	int st = scan(&dummy, p, n, r->eof, 0, &used);
	if (st == S_INVALID && p[used] != 0 && gb18030_errors(p, n) < utf8_errors(p, n))
		return setup_iconv(r, "GB18030", "gb18030", "GB18030", err, errsz);
	r->mode = M_UTF8;
	r->name = "utf-8";
	r->label = "UTF-8";
	return 0;
}

static int has_bom(const enc_reader *r, const char *bom, size_t n)
{
	return r->in_end - r->in_start >= n && memcmp(r->in + r->in_start, bom, n) == 0;
}

static int start(enc_reader *r, const char *encoding, char *err, size_t errsz)
{
	int e = lookup(encoding);
	if (e < 0) {
		seterr(err, errsz, "unknown encoding \"%s\" (use auto, utf-8, gbk, gb18030, "
		       "utf-16, utf-16le, utf-16be or latin1)", encoding);
		return -1;
	}
	if (!(r->in = malloc(IN_SIZE))) {
		seterr(err, errsz, "out of memory");
		return -1;
	}
	r->pos.line = 1;
	r->at_start = 1;
	if (fill(r, 1) < 0) {
		seterr(err, errsz, "%s", r->err);
		return -1;
	}
	const char *canon = encodings[e].canon;
	if (strcmp(canon, "auto") == 0) {
		r->detected = 1;
		if (has_bom(r, "\xEF\xBB\xBF", 3)) {
			r->in_start += 3;
			canon = "utf-8";
		} else if (has_bom(r, "\xFF\xFE", 2)) {
			r->in_start += 2;
			canon = "utf-16le";
		} else if (has_bom(r, "\xFE\xFF", 2)) {
			r->in_start += 2;
			canon = "utf-16be";
		} else {
			/* UTF-16 without a BOM: ASCII shows as every other byte NUL. */
			size_t n = r->in_end, zodd = 0, zeven = 0, high = 0;
			for (size_t i = 0; i < n; i++) {
				if (r->in[i] == 0 && (i & 1))
					zodd++;
				else if (r->in[i] == 0)
					zeven++;
				else if (r->in[i] >= 0x80)
					high = 1;
			}
			if (n >= 4 && zodd * 8 >= n * 3 && zeven == 0)
				canon = "utf-16le";
			else if (n >= 4 && zeven * 8 >= n * 3 && zodd == 0)
				canon = "utf-16be";
			else if (high || r->eof)
				return decide(r, err, errsz);
			else {
				r->mode = M_UNDECIDED;
				r->name = "utf-8";
				r->label = "UTF-8";
				return 0;
			}
		}
		e = lookup(canon);
	} else if (strcmp(canon, "utf-16") == 0) {
		if (has_bom(r, "\xFE\xFF", 2)) {
			r->in_start += 2;
			canon = "utf-16be";
		} else {
			if (has_bom(r, "\xFF\xFE", 2))
				r->in_start += 2;
			canon = "utf-16le"; /* Windows writes little-endian */
		}
		e = lookup(canon);
	} else if (strcmp(canon, "utf-8") == 0 && has_bom(r, "\xEF\xBB\xBF", 3))
		r->in_start += 3;
	if (!encodings[e].iconv_name) {
		r->mode = M_UTF8;
		r->name = "utf-8";
		r->label = "UTF-8";
		return 0;
	}
	return setup_iconv(r, encodings[e].iconv_name, encodings[e].canon,
	                   encodings[e].label, err, errsz);
}

enc_reader *enc_open_fd(int fd, const char *encoding, char *err, size_t errsz)
{
	enc_reader *r = calloc(1, sizeof *r);
	if (!r) {
		seterr(err, errsz, "out of memory");
		return NULL;
	}
	r->fd = fd;
	r->cd = (iconv_t)-1;
	if (start(r, encoding, err, errsz) < 0) {
		enc_close(r);
		return NULL;
	}
	return r;
}

enc_reader *enc_open(const char *path, const char *encoding, char *err, size_t errsz)
{
	if (!enc_known(encoding)) {
		return enc_open_fd(-1, encoding, err, errsz); /* reports the name */
	}
	if (strcmp(path, "-") == 0)
		return enc_open_fd(0, encoding, err, errsz);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		seterr(err, errsz, "%s: %s", path, strerror(errno));
		return NULL;
	}
	enc_reader *r = enc_open_fd(fd, encoding, err, errsz);
	if (!r) {
		close(fd);
		return NULL;
	}
	r->own_fd = 1;
	return r;
}

void enc_close(enc_reader *r)
{
	if (!r)
		return;
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	if (r->own_fd)
		close(r->fd);
	free(r->in);
	free(r->out);
	free(r);
}

const char *enc_error(const enc_reader *r)
{
	return r->err;
}

const char *enc_name(const enc_reader *r)
{
	return r->name;
}

static const char *auto_note(const enc_reader *r)
{
	if (!r->detected)
		return "";
	return strcmp(r->name, "utf-8") == 0 ? " (the encoding was detected as UTF-8; "
	       "name it if the file is GBK)" : " (the encoding was detected; name it if wrong)";
}

/* Error for the bad bytes at in[at..): position is r->pos. */
static void bad_bytes(enc_reader *r, size_t at, int truncated)
{
	char hex[32] = "";
	size_t n = r->in_end - at, k = 0;
	if (n > 4)
		n = 4;
	if (!truncated && n > 2)
		n = 2;
	if (!truncated && strcmp(r->name, "utf-8") == 0)
		n = 1;
	for (size_t i = 0; i < n; i++)
		k += (size_t)snprintf(hex + k, sizeof hex - k, "%s%02X", i ? " " : "", r->in[at + i]);
	if (!truncated && n == 1 && r->in[at] == 0 && strcmp(r->name, "utf-8") == 0)
		snprintf(r->err, sizeof r->err, "NUL byte at line %ld, column %ld%s",
		         r->pos.line, r->pos.col + 1,
		         r->detected ? " (is it UTF-16 without a BOM? name the encoding)" : "");
	else
		snprintf(r->err, sizeof r->err, "%s %s (%s %s) at line %ld, column %ld%s",
		         truncated ? "incomplete" : "invalid", r->label, n > 1 ? "bytes" : "byte", hex,
		         r->pos.line, r->pos.col + 1, auto_note(r));
}

void enc_tolerate(enc_reader *r)
{
	r->tolerant = 1;
}

/* Bytes of the invalid sequence at p (n > 0): its lead and the
 * continuation bytes that fitted, at least 1 (the "maximal subpart"). */
static size_t utf8_bad_len(const unsigned char *p, size_t n)
{
	unsigned c = p[0], lo = 0x80, hi = 0xBF;
	size_t len;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
	else
		return 1;
	for (size_t i = 1; i < len; i++) {
		if (i >= n || p[i] < lo || p[i] > hi)
			return i;
		lo = 0x80;
		hi = 0xBF;
	}
	return len;
}

static long count_high(const unsigned char *p, size_t n)
{
	long k = 0;
	for (size_t i = 0; i < n; i++)
		k += (p[i] & 0xC0) == 0xC0;
	return k;
}

/* Tolerant: the invalid sequence at in_start, replaced by U+FFFD, with
 * where it was in r->err. Text that is invalid nearly everywhere is not
 * UTF-8 at all: that stops the reader. Returns 2, or -1. */
static int replace_bad(enc_reader *r, const char **data, size_t *len)
{
	size_t n = r->in_end - r->in_start, skip = 1;
	bool utf8 = r->mode != M_ICONV;
	int truncated = 0;
	if (utf8) {
		skip = utf8_bad_len(r->in + r->in_start, n);
		truncated = r->eof && skip == n && utf8_seq(r->in + r->in_start, n) < 0;
	}
	bad_bytes(r, r->in_start, truncated);
	if (r->bad == 0 && utf8) {   /* the first: judge the window ahead */
		size_t errs = utf8_errors(r->in + r->in_start, n);
		long good = r->good + count_high(r->in + r->in_start, n) - (long)errs;
		if (errs >= 4 && (long)errs * 2 > good)
			r->bad = (long)errs;
	}
	if (++r->bad >= 4 && r->bad * 2 > r->good) {
		char first[160];
		snprintf(first, sizeof first, "%.159s", r->err);
		snprintf(r->err, sizeof r->err, "does not read as %s: %.159s, and more like it "
			 "(name the encoding%s)", r->label, first, utf8 ? ": --encoding gbk" : "");
		r->failed = 1;
		return -1;
	}
	r->in_start += skip;
	r->pos.col++;
	r->pos.prev_cr = 0;
	r->at_start = 0;
	*data = "\xEF\xBF\xBD";
	*len = 3;
	return 2;
}

static int read_utf8(enc_reader *r, const char **data, size_t *len)
{
	for (;;) {
		if (r->in_start == r->in_end || r->need_more) {
			if (!r->eof) {
				if (fill(r, 0) < 0)
					return -1;
				r->need_more = 0;
				continue;
			}
			if (r->in_start == r->in_end)
				return 0;
			r->need_more = 0; /* scanned as final: the tail is an error */
		}
		size_t used, n = r->in_end - r->in_start;
		int st = scan(&r->pos, r->in + r->in_start, n, r->eof, r->mode == M_UNDECIDED, &used);
		if (st == S_NONASCII && used == 0) {
			/* First non-ASCII byte: decide on up to 64 KiB from here. */
			if (fill(r, 1) < 0)
				return -1;
			if (decide(r, r->err, sizeof r->err) < 0) {
				r->failed = 1;
				return -1;
			}
			if (r->mode == M_ICONV)
				return -2; /* caller switches to iconv */
			continue;
		}
		if (st == S_INCOMPLETE)
			r->need_more = 1;
		if (st == S_INVALID && r->tolerant && r->in[r->in_start + used] != 0) {
			if (used == 0)
				return replace_bad(r, data, len);
			/* the text before it first */
		} else if (st == S_INVALID) {
			int truncated = r->eof && utf8_seq(r->in + r->in_start + used, n - used) < 0;
			bad_bytes(r, r->in_start + used, truncated);
			r->pending = 1;
		}
		if (used == 0) {
			if (r->pending) {
				r->failed = 1;
				return -1;
			}
			continue;
		}
		*data = (const char *)r->in + r->in_start;
		*len = used;
		r->good += count_high(r->in + r->in_start, used);
		r->at_start = 0;
		r->in_start += used;
		return 1;
	}
}

static int read_iconv(enc_reader *r, const char **data, size_t *len)
{
	for (;;) {
		if (r->in_start == r->in_end || r->need_more) {
			if (r->eof) {
				if (r->in_start == r->in_end)
					return 0;
				bad_bytes(r, r->in_start, 1);
				r->failed = 1;
				return -1;
			}
			if (fill(r, 0) < 0)
				return -1;
			r->need_more = 0;
			continue;
		}
		char *ip = (char *)r->in + r->in_start, *op = r->out;
		size_t il = r->in_end - r->in_start, ol = OUT_SIZE;
		size_t rc = iconv(r->cd, &ip, &il, &op, &ol);
		int e = rc == (size_t)-1 ? errno : 0;
		size_t at = (size_t)((unsigned char *)ip - r->in);
		r->in_start = at;
		/* Excel on Chinese Windows (code page 936) writes the euro sign as
		 * the one byte 0x80, which GB18030 leaves out */
		if (e == EILSEQ && r->in[at] == 0x80 && !strcmp(r->name, "gb18030") && ol >= 3) {
			memcpy(op, "\xE2\x82\xAC", 3);
			op += 3;
			r->in_start = at + 1;
			e = 0;
		}
		if (e == EINVAL)
			r->need_more = 1;
		size_t n = (size_t)(op - r->out), skip = 0, used;
		if (r->at_start && n >= 3 && memcmp(r->out, "\xEF\xBB\xBF", 3) == 0)
			skip = 3;
		if (n > 0)
			r->at_start = 0;
		int st = scan(&r->pos, (unsigned char *)r->out + skip, n - skip, 1, 0, &used);
		if (st == S_INVALID) {
			/* A NUL character: report it where it is. */
			snprintf(r->err, sizeof r->err, "NUL character at line %ld, column %ld%s",
			         r->pos.line, r->pos.col + 1, auto_note(r));
			r->pending = 1;
		} else if (e == EILSEQ && r->tolerant) {
			if (n == 0)   /* the text before it has gone: now the byte */
				return replace_bad(r, data, len);
		} else if (e == EILSEQ) {
			bad_bytes(r, at, 0);
			r->pending = 1;
		} else if (e && e != EINVAL && e != E2BIG) {
			snprintf(r->err, sizeof r->err, "conversion from %s failed: %s",
			         r->label, strerror(e));
			r->pending = 1;
		}
		if (used == 0) {
			if (r->pending) {
				r->failed = 1;
				return -1;
			}
			continue;
		}
		*data = r->out + skip;
		*len = used;
		r->good += count_high((unsigned char *)r->out + skip, used);
		return 1;
	}
}

int enc_read(enc_reader *r, const char **data, size_t *len)
{
	if (r->failed)
		return -1;
	if (r->pending) {
		r->failed = 1;
		return -1;
	}
	if (r->mode == M_ICONV)
		return read_iconv(r, data, len);
	int rc = read_utf8(r, data, len);
	if (rc == -2)
		return read_iconv(r, data, len);
	return rc;
}
