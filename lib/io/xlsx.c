/* xlsx.c: an .xlsx reader: minizip opens the zip, expat streams the XML.
 * The sheet parser is suspended (XML_StopParser) at each row end, so one
 * row is produced per xlsx_read() call whatever the chunk size. */
#include "io/xlsx.h"

#include <errno.h>
#include <expat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unzip.h>

#define CHUNK (64 * 1024)
#define MAX_COLS 16384        /* XFD */
#define MAX_TEXT (1 << 20)    /* Excel's cells hold 32767 characters */

enum { K_NONE, K_DATE, K_DATETIME, K_TIME };               /* number formats */
enum { T_NUM, T_SHARED, T_INLINE, T_STR, T_BOOL, T_ERR, T_DATE };  /* cell types */

struct buf {
	char *p;
	size_t len, cap;
};

struct sheet_ent {
	char *name, *rid;
	int hidden;
};

struct rel {
	char *id, *type, *target;
};

struct xlsx_reader {
	unzFile zip;
	char err[512];
	int failed;

	/* workbook */
	struct sheet_ent *sheets;
	int nsheets;
	struct rel *rels;
	int nrels;
	const char *rel_base;      /* the folder rels targets are relative to */
	int date1904;
	char *sheet_name;
	char sheet_label[160];      /* for messages */

	/* shared strings: NUL-terminated, one after another */
	struct buf sst;
	size_t *sst_off;
	size_t nsst, sst_cap;

	/* styles: number-format kind of each cellXfs entry */
	unsigned char *xf_kind;
	size_t nxf, xf_cap;
	int *fmt_id;               /* custom numFmts: id and kind */
	unsigned char *fmt_kind;
	size_t nfmt, fmt_cap;
	int in_fmts, in_xfs;

	/* parse state shared by the parsers */
	XML_Parser xp;
	const char *entry;         /* zip entry being parsed, for messages */
	int cb_failed;
	int capture;               /* 1 while character data is wanted */
	int rph;                   /* depth inside phonetic runs */
	int in_is, in_si;
	struct buf val;

	/* sheet */
	int sheet_open, sheet_eof, suspended;
	long row_num;              /* current row's number */
	int col;                   /* current cell's column (0-based) */
	int type, style;
	int in_cell;
	struct buf rowbuf;         /* rowbuf.p[0] is the "" of empty cells */
	long *slot;                /* offset in rowbuf of each column, or -1 */
	int slot_cap, max_col;     /* max_col: highest column set, or -1 */
	int last_nonempty;
	int width, header_width;
	char **fields;
	int fields_cap;
};

static void seterr(xlsx_reader *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err, sizeof r->err, fmt, ap);
	va_end(ap);
}

static void cb_fail(xlsx_reader *r, const char *fmt, ...)
{
	va_list ap;
	if (r->cb_failed)
		return;
	va_start(ap, fmt);
	vsnprintf(r->err, sizeof r->err, fmt, ap);
	va_end(ap);
	r->cb_failed = 1;
	XML_StopParser(r->xp, XML_FALSE);
}

static int buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (b->len + n + 1 > cap)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
	return 0;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap : 16;
	while (c < need)
		c *= 2;
	void *q = realloc(*p, c * size);
	if (!q)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

/* Element or attribute name without its namespace prefix. */
static const char *local(const char *name)
{
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

static const char *attr(const char **a, const char *name)
{
	for (; a[0]; a += 2)
		if (strcmp(local(a[0]), name) == 0)
			return a[1];
	return NULL;
}

/* Decodes the _xHHHH_ escapes of OOXML strings in place. */
static size_t unescape(char *s, size_t n)
{
	size_t i = 0, o = 0;
	if (!memchr(s, '_', n))
		return n;
	while (i < n) {
		unsigned cp = 0;
		int ok = i + 7 <= n && s[i] == '_' && s[i + 1] == 'x' && s[i + 6] == '_';
		for (int k = 2; ok && k < 6; k++) {
			char c = s[i + k];
			int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			        c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
			if (v < 0)
				ok = 0;
			cp = cp * 16 + (unsigned)v;
		}
		if (!ok || cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
			s[o++] = s[i++];
			continue;
		}
		i += 7;
		if (cp < 0x80)
			s[o++] = (char)cp;
		else if (cp < 0x800) {
			s[o++] = (char)(0xC0 | cp >> 6);
			s[o++] = (char)(0x80 | (cp & 0x3F));
		} else {
			s[o++] = (char)(0xE0 | cp >> 12);
			s[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			s[o++] = (char)(0x80 | (cp & 0x3F));
		}
	}
	s[o] = 0;
	return o;
}

/* ---- zip entries ---- */

/* Entry names as some Windows tools write them ("xl\\worksheets\\sheet1.xml",
 * "/xl/workbook.xml") mean the same part. */
static int same_part(const char *entry, const char *name)
{
	while (*entry == '/' || *entry == '\\')
		entry++;
	for (; *entry && *name; entry++, name++) {
		char a = *entry == '\\' ? '/' : *entry, b = *name;
		if (a >= 'A' && a <= 'Z')
			a = (char)(a + 32);
		if (b >= 'A' && b <= 'Z')
			b = (char)(b + 32);
		if (a != b)
			return 0;
	}
	return *entry == 0 && *name == 0;
}

/* Makes the entry for part name (a path from the package root) current. */
static int entry_locate(xlsx_reader *r, const char *name)
{
	if (unzLocateFile(r->zip, name, 2) == UNZ_OK)
		return 0;
	char entry[1024];
	for (int rc = unzGoToFirstFile(r->zip); rc == UNZ_OK; rc = unzGoToNextFile(r->zip))
		if (unzGetCurrentFileInfo64(r->zip, NULL, entry, sizeof entry, NULL, 0, NULL, 0) == UNZ_OK
		    && same_part(entry, name))
			return 0;
	return 1;
}

static int entry_open(xlsx_reader *r, const char *name)
{
	if (entry_locate(r, name) != 0)
		return 1;
	if (unzOpenCurrentFile(r->zip) != UNZ_OK) {
		seterr(r, "%s: cannot open it in the workbook", name);
		return -1;
	}
	return 0;
}

static XML_Parser parser_new(xlsx_reader *r, XML_StartElementHandler st,
                             XML_EndElementHandler en, XML_CharacterDataHandler cd)
{
	XML_Parser p = XML_ParserCreate("UTF-8");
	if (!p)
		return NULL;
	XML_SetUserData(p, r);
	XML_SetElementHandler(p, st, en);
	XML_SetCharacterDataHandler(p, cd);
	r->xp = p;
	r->cb_failed = 0;
	r->capture = 0;
	return p;
}

static void parse_error(xlsx_reader *r)
{
	if (r->cb_failed)
		return;
	seterr(r, "%s: malformed XML at line %lu: %s", r->entry,
	       (unsigned long)XML_GetCurrentLineNumber(r->xp),
	       XML_ErrorString(XML_GetErrorCode(r->xp)));
}

/* Feeds the next chunk of the open entry to r->xp. Returns the expat
 * status, or -1 after a read error. */
static int feed(xlsx_reader *r, int *eof)
{
	void *b = XML_GetBuffer(r->xp, CHUNK);
	if (!b) {
		seterr(r, "%s: out of memory", r->entry);
		return -1;
	}
	int n = unzReadCurrentFile(r->zip, b, CHUNK);
	if (n < 0) {
		seterr(r, "%s: the workbook is damaged (zip error %d)", r->entry, n);
		return -1;
	}
	*eof = n == 0;
	return XML_ParseBuffer(r->xp, n, *eof);
}

/* Parses a whole entry. Returns 0, 1 when it is missing, or -1. */
static int parse_entry(xlsx_reader *r, const char *name, XML_StartElementHandler st,
                       XML_EndElementHandler en, XML_CharacterDataHandler cd)
{
	int rc = entry_open(r, name), eof = 0;
	if (rc)
		return rc;
	r->entry = name;
	if (!parser_new(r, st, en, cd)) {
		unzCloseCurrentFile(r->zip);
		seterr(r, "out of memory");
		return -1;
	}
	rc = 0;
	while (!eof) {
		int s = feed(r, &eof);
		if (s < 0) {
			rc = -1;
			break;
		}
		if (s == XML_STATUS_ERROR) {
			parse_error(r);
			rc = -1;
			break;
		}
	}
	XML_ParserFree(r->xp);
	r->xp = NULL;
	if (unzCloseCurrentFile(r->zip) == UNZ_CRCERROR && rc == 0) {
		seterr(r, "%s: the workbook is damaged (CRC error)", name);
		rc = -1;
	}
	return rc;
}

/* ---- workbook.xml and its rels ---- */

static void wb_start(void *ud, const char *name, const char **a)
{
	xlsx_reader *r = ud;
	const char *n = local(name);
	if (strcmp(n, "sheet") == 0) {
		const char *sn = attr(a, "name"), *id = attr(a, "id"), *state = attr(a, "state");
		struct sheet_ent *s = realloc(r->sheets, (size_t)(r->nsheets + 1) * sizeof *s);
		if (!s) {
			cb_fail(r, "out of memory");
			return;
		}
		r->sheets = s;
		s += r->nsheets;
		s->name = strdup(sn ? sn : "");
		s->rid = strdup(id ? id : "");
		s->hidden = state && strcmp(state, "visible") != 0;
		r->nsheets++;
		if (!s->name || !s->rid)
			cb_fail(r, "out of memory");
	} else if (strcmp(n, "workbookPr") == 0) {
		const char *v = attr(a, "date1904");
		r->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
	}
}

/* The part a relationship's target names: relative to the folder of
 * the part whose rels it is (base, "" or ending in '/'), or absolute
 * from the package root; "." and ".." resolved, '\\' read as '/'.
 * Newly allocated. */
static char *part_path(const char *base, const char *target)
{
	size_t n = strlen(base) + strlen(target) + 2;
	char *joined = malloc(n), *out = malloc(n);
	if (!joined || !out) {
		free(joined);
		free(out);
		return NULL;
	}
	snprintf(joined, n, "%s%s", target[0] == '/' || target[0] == '\\' ? "" : base, target);
	size_t k = 0;
	for (char *p = joined; *p;) {
		while (*p == '/' || *p == '\\')
			p++;
		size_t len = strcspn(p, "/\\");
		if (!len)
			break;
		if (len == 1 && p[0] == '.') {
			/* this folder */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (k > 0 && out[k - 1] != '/')
				k--;
			if (k > 0)
				k--;   /* the '/' before it */
		} else {
			if (k)
				out[k++] = '/';
			memcpy(out + k, p, len);
			k += len;
		}
		p += len;
	}
	out[k] = 0;
	free(joined);
	return out;
}

static void rels_start(void *ud, const char *name, const char **a)
{
	xlsx_reader *r = ud;
	if (strcmp(local(name), "Relationship") != 0)
		return;
	const char *id = attr(a, "Id"), *type = attr(a, "Type"), *target = attr(a, "Target");
	if (!id || !target)
		return;
	struct rel *l = realloc(r->rels, (size_t)(r->nrels + 1) * sizeof *l);
	if (!l) {
		cb_fail(r, "out of memory");
		return;
	}
	r->rels = l;
	l += r->nrels++;
	l->id = strdup(id);
	l->type = strdup(type ? type : "");
	l->target = part_path(r->rel_base, target);
	if (!l->id || !l->type || !l->target)
		cb_fail(r, "out of memory");
}

static void rels_free(xlsx_reader *r)
{
	for (int i = 0; i < r->nrels; i++) {
		free(r->rels[i].id);
		free(r->rels[i].type);
		free(r->rels[i].target);
	}
	free(r->rels);
	r->rels = NULL;
	r->nrels = 0;
}

static void no_end(void *ud, const char *name) { }
static void no_text(void *ud, const char *s, int len) { }

static const char *rel_target(xlsx_reader *r, const char *id, const char *type_suffix)
{
	for (int i = 0; i < r->nrels; i++) {
		struct rel *l = &r->rels[i];
		if (id && strcmp(l->id, id) == 0)
			return l->target;
		if (type_suffix) {
			size_t a = strlen(l->type), b = strlen(type_suffix);
			if (a >= b && strcmp(l->type + a - b, type_suffix) == 0)
				return l->target;
		}
	}
	return NULL;
}

/* ---- styles.xml ---- */

/* Date/time kind of a format code: y, m, d, h, s outside "quoted text",
 * [brackets], \escapes and _x / *x fillers. */
static int classify(const char *f)
{
	int ymd = 0, m = 0, hs = 0;
	for (const char *p = f; *p; p++) {
		switch (*p) {
		case '"':
			while (p[1] && p[1] != '"')
				p++;
			if (p[1])
				p++;
			break;
		case '[':
			while (p[1] && p[1] != ']')
				p++;
			if (p[1])
				p++;
			break;
		case '\\': case '_': case '*':
			if (p[1])
				p++;
			break;
		case ';':
			goto done;     /* the first section decides */
		case 'y': case 'Y': case 'd': case 'D':
			ymd = 1;
			break;
		case 'm': case 'M':
			m = 1;
			break;
		case 'h': case 'H': case 's': case 'S':
			hs = 1;
			break;
		}
	}
done:
	if (hs)
		return ymd ? K_DATETIME : K_TIME;
	return ymd || m ? K_DATE : K_NONE;
}

/* The built-in formats, including the zh-CN/East-Asian ones (27-36,
 * 50-58) that Chinese Excel uses without writing them out. */
static int builtin_kind(int id)
{
	if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || id == 36 ||
	    (id >= 50 && id <= 54) || id == 57 || id == 58)
		return K_DATE;
	if (id == 22)
		return K_DATETIME;
	if ((id >= 18 && id <= 21) || (id >= 32 && id <= 35) || (id >= 45 && id <= 47) ||
	    id == 55 || id == 56)
		return K_TIME;
	return K_NONE;
}

static void styles_start(void *ud, const char *name, const char **a)
{
	xlsx_reader *r = ud;
	const char *n = local(name);
	if (strcmp(n, "numFmts") == 0)
		r->in_fmts = 1;
	else if (strcmp(n, "cellXfs") == 0)
		r->in_xfs = 1;
	else if (r->in_fmts && strcmp(n, "numFmt") == 0) {
		const char *id = attr(a, "numFmtId"), *code = attr(a, "formatCode");
		if (!id || !code)
			return;
		if (grow((void **)&r->fmt_id, &r->fmt_cap, r->nfmt + 1, sizeof *r->fmt_id) < 0) {
			cb_fail(r, "out of memory");
			return;
		}
		size_t cap = r->nfmt;   /* fmt_kind follows fmt_id's capacity */
		unsigned char *k = realloc(r->fmt_kind, r->fmt_cap);
		if (!k) {
			cb_fail(r, "out of memory");
			return;
		}
		r->fmt_kind = k;
		r->fmt_id[cap] = atoi(id);
		r->fmt_kind[cap] = (unsigned char)classify(code);
		r->nfmt++;
	} else if (r->in_xfs && strcmp(n, "xf") == 0) {
		const char *id = attr(a, "numFmtId");
		int fid = id ? atoi(id) : 0, kind = -1;
		for (size_t i = 0; i < r->nfmt; i++)
			if (r->fmt_id[i] == fid)
				kind = r->fmt_kind[i];
		if (kind < 0)
			kind = builtin_kind(fid);
		if (grow((void **)&r->xf_kind, &r->xf_cap, r->nxf + 1, 1) < 0) {
			cb_fail(r, "out of memory");
			return;
		}
		r->xf_kind[r->nxf++] = (unsigned char)kind;
	}
}

static void styles_end(void *ud, const char *name)
{
	xlsx_reader *r = ud;
	const char *n = local(name);
	if (strcmp(n, "numFmts") == 0)
		r->in_fmts = 0;
	else if (strcmp(n, "cellXfs") == 0)
		r->in_xfs = 0;
}

/* ---- sharedStrings.xml ---- */

static void text(void *ud, const char *s, int len)
{
	xlsx_reader *r = ud;
	if (!r->capture || r->rph)
		return;
	if (r->val.len + (size_t)len > MAX_TEXT)
		cb_fail(r, "%s: a cell longer than %d bytes at line %lu", r->entry, MAX_TEXT,
		        (unsigned long)XML_GetCurrentLineNumber(r->xp));
	else if (buf_add(&r->val, s, (size_t)len) < 0)
		cb_fail(r, "out of memory");
}

static void sst_start(void *ud, const char *name, const char **a)
{
	xlsx_reader *r = ud;
	const char *n = local(name);
	if (strcmp(n, "si") == 0) {
		r->in_si = 1;
		r->val.len = 0;
	} else if (strcmp(n, "rPh") == 0)
		r->rph++;
	else if (r->in_si && strcmp(n, "t") == 0)
		r->capture = 1;
	else if (strcmp(n, "sst") == 0) {
		const char *c = attr(a, "uniqueCount");
		long k = c ? atol(c) : 0;
		if (k > 0 && k < 4 * 1024 * 1024 &&
		    grow((void **)&r->sst_off, &r->sst_cap, (size_t)k, sizeof *r->sst_off) < 0)
			cb_fail(r, "out of memory");
	}
}

static void sst_end(void *ud, const char *name)
{
	xlsx_reader *r = ud;
	const char *n = local(name);
	if (strcmp(n, "t") == 0)
		r->capture = 0;
	else if (strcmp(n, "rPh") == 0)
		r->rph--;
	else if (strcmp(n, "si") == 0) {
		r->in_si = 0;
		if (grow((void **)&r->sst_off, &r->sst_cap, r->nsst + 1, sizeof *r->sst_off) < 0 ||
		    buf_add(&r->val, "", 0) < 0) {
			cb_fail(r, "out of memory");
			return;
		}
		size_t n2 = unescape(r->val.p, r->val.len);
		r->sst_off[r->nsst++] = r->sst.len;
		if (buf_add(&r->sst, r->val.p, n2 + 1) < 0)
			cb_fail(r, "out of memory");
	}
}

/* ---- values ---- */

/* 1 when v is "-ddd" or "-ddd.ddd" with at most 15 digits, no leading
 * zero before other digits, no trailing fractional zero: already what
 * Excel shows (it writes the shortest form). */
static int plain_number(const char *v)
{
	const char *p = v + (*v == '-');
	int digits = 0, frac = 0;
	if (p[0] == '0' && p[1] >= '0' && p[1] <= '9')
		return 0;
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p == '.' && !frac && digits)
			frac = 1;
		else
			return 0;
	}
	return digits > 0 && digits <= 15 && p[-1] != '.' && !(frac && p[-1] == '0');
}

static void fmt_number(const char *v, char *out, size_t n)
{
	char *end, t[64];
	if (plain_number(v)) {   /* at most 17 characters */
		size_t k = strlen(v);
		memcpy(out, v, k + 1 <= n ? k + 1 : 0);
		return;
	}
	double x = strtod(v, &end);
	if (end == v || *end) {
		snprintf(out, n, "%s", v);
		return;
	}
	snprintf(t, sizeof t, "%.15g", x);   /* Excel keeps 15 digits */
	x = strtod(t, NULL);
	if (x == 0)
		x = 0;     /* no "-0" */
	double ax = x < 0 ? -x : x;
	int integral = ax >= 9e18 || x == (double)(long long)x;
	if (integral && ax < 1e15) {
		snprintf(out, n, "%.0f", x);
	} else if (integral && ax < 1e21) {
		/* "1.23456789012345e+17" -> "123456789012345000" */
		char e[40], *o = out;
		snprintf(e, sizeof e, "%.14e", ax);
		int exp10 = atoi(strchr(e, 'e') + 1);
		if (x < 0)
			*o++ = '-';
		*o++ = e[0];
		for (int i = 0; i < exp10; i++)
			*o++ = i < 14 ? e[2 + i] : '0';
		*o = 0;
	} else
		snprintf(out, n, "%s", t);
}

/* Serial day number to text; returns -1 when out of range. */
static int fmt_date(double serial, int kind, int date1904, char *out, size_t n)
{
	if (!(serial >= 0 && serial < 2958466))
		return -1;
	long long secs = (long long)(serial * 86400.0 + 0.5);
	long long days = secs / 86400, sod = secs % 86400;
	int hh = (int)(sod / 3600), mi = (int)(sod / 60 % 60), ss = (int)(sod % 60);
	if (kind == K_TIME && days == 0) {
		snprintf(out, n, "%02d:%02d:%02d", hh, mi, ss);
		return 0;
	}
	int y, m, d;
	if (!date1904 && days == 60) {
		y = 1900, m = 2, d = 29;   /* Lotus's leap day, which Excel kept */
	} else if (!date1904 && days == 0) {
		return -1;                 /* "1900-01-00" */
	} else {
		/* Day 0 is 1899-12-30 (1899-12-31 before the phantom 1900-02-29)
		 * or 1904-01-01; 1970-01-01 is day 25569 or 24107. */
		long long unix_day = date1904 ? days - 24107 : days - (days < 60 ? 25568 : 25569);
		time_t t = (time_t)(unix_day * 86400);
		struct tm tm;
		if (!gmtime_r(&t, &tm))
			return -1;
		y = tm.tm_year + 1900, m = tm.tm_mon + 1, d = tm.tm_mday;
	}
	if (kind == K_DATE)
		snprintf(out, n, "%04d-%02d-%02d", y, m, d);
	else
		snprintf(out, n, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, hh, mi, ss);
	return 0;
}

int xlsx_serial_text(const xlsx_reader *r, const char *text, int with_time, char *out, size_t n)
{
	const char *p = text;
	while (*p >= '0' && *p <= '9')
		p++;
	if (p == text || (*p == '.' && !(p[1] >= '0' && p[1] <= '9')))
		return -1;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	if (*p)
		return -1;
	double x = strtod(text, NULL);
	if (!(x >= 1 && x < 109575))
		return -1;
	return fmt_date(x, with_time ? K_DATETIME : K_DATE, r->date1904, out, n);
}

/* ---- the sheet ---- */

static void sheet_start(void *ud, const char *name, const char **a)
{
	xlsx_reader *r = ud;
	const char *n = local(name);
	if (strcmp(n, "c") == 0) {
		const char *ref = attr(a, "r"), *t = attr(a, "t"), *s = attr(a, "s");
		int col = r->col + 1;
		if (ref && *ref >= 'A' && *ref <= 'Z') {
			col = 0;
			for (; *ref >= 'A' && *ref <= 'Z'; ref++) {
				col = col * 26 + (*ref - 'A' + 1);
				if (col > MAX_COLS)
					break;
			}
			col--;
		}
		if (col < 0 || col >= MAX_COLS) {
			cb_fail(r, "%s: bad cell reference at line %lu", r->entry,
			        (unsigned long)XML_GetCurrentLineNumber(r->xp));
			return;
		}
		r->col = col;
		r->in_cell = 1;
		r->val.len = 0;
		r->type = T_NUM;
		if (t) {
			if (strcmp(t, "s") == 0)
				r->type = T_SHARED;
			else if (strcmp(t, "inlineStr") == 0)
				r->type = T_INLINE;
			else if (strcmp(t, "str") == 0)
				r->type = T_STR;
			else if (strcmp(t, "b") == 0)
				r->type = T_BOOL;
			else if (strcmp(t, "e") == 0)
				r->type = T_ERR;
			else if (strcmp(t, "d") == 0)
				r->type = T_DATE;
		}
		r->style = s ? atoi(s) : 0;
	} else if (strcmp(n, "v") == 0) {
		r->capture = r->in_cell;
		r->val.len = 0;
	} else if (strcmp(n, "is") == 0) {
		r->in_is = 1;
		r->val.len = 0;
	} else if (strcmp(n, "t") == 0) {
		r->capture = r->in_is;
	} else if (strcmp(n, "rPh") == 0) {
		r->rph++;
	} else if (strcmp(n, "row") == 0) {
		const char *rn = attr(a, "r");
		r->row_num = rn ? atol(rn) : r->row_num + 1;
		for (int i = 0; i <= r->max_col; i++)
			r->slot[i] = -1;
		r->max_col = -1;
		r->last_nonempty = -1;
		r->col = -1;
		r->rowbuf.len = 0;
		if (buf_add(&r->rowbuf, "", 1) < 0)   /* offset 0: "" */
			cb_fail(r, "out of memory");
	}
}

/* The text of the cell just ended, into rowbuf. */
static void cell_end(xlsx_reader *r)
{
	char tmp[64];
	const char *v = r->val.p ? r->val.p : "";
	size_t n = r->val.len;

	r->in_cell = r->in_is = r->capture = 0;
	if (!n)
		return;
	v = r->val.p;
	switch (r->type) {
	case T_SHARED: {
		char *end;
		long i = strtol(v, &end, 10);
		if (end == v || *end || i < 0 || (size_t)i >= r->nsst) {
			cb_fail(r, "%s: bad shared string index \"%s\" in row %ld", r->entry, v, r->row_num);
			return;
		}
		v = r->sst.p + r->sst_off[i];
		n = strlen(v);
		break;
	}
	case T_INLINE: case T_STR:
		n = unescape(r->val.p, n);
		break;
	case T_BOOL:
		v = strcmp(v, "0") == 0 ? "FALSE" : "TRUE";
		n = strlen(v);
		break;
	case T_DATE: {
		/* ISO 8601 (strict OOXML): keep the date, and the time unless 0. */
		char *p = r->val.p, *tt = strchr(p, 'T');
		if (tt) {
			if (strncmp(tt, "T00:00:00", 9) == 0)
				*tt = 0;
			else {
				*tt = ' ';
				if (strlen(tt) > 9)
					tt[9] = 0;   /* drop fractions and zones */
			}
			n = strlen(p);
		}
		break;
	}
	case T_NUM: {
		int kind = r->style >= 0 && (size_t)r->style < r->nxf ? r->xf_kind[r->style] : K_NONE;
		char *end;
		double x = kind != K_NONE ? strtod(v, &end) : 0;
		if (kind == K_NONE || end == v || *end ||
		    fmt_date(x, kind, r->date1904, tmp, sizeof tmp) < 0)
			fmt_number(v, tmp, sizeof tmp);
		v = tmp;
		n = strlen(v);
		break;
	}
	default:
		break;
	}
	if (!n)
		return;
	if (r->col >= r->slot_cap) {
		size_t cap = (size_t)r->slot_cap;
		if (grow((void **)&r->slot, &cap, (size_t)r->col + 1, sizeof *r->slot) < 0) {
			cb_fail(r, "out of memory");
			return;
		}
		for (size_t i = (size_t)r->slot_cap; i < cap; i++)
			r->slot[i] = -1;
		r->slot_cap = (int)cap;
	}
	r->slot[r->col] = (long)r->rowbuf.len;
	if (buf_add(&r->rowbuf, v, n) < 0 || buf_add(&r->rowbuf, "", 1) < 0) {
		cb_fail(r, "out of memory");
		return;
	}
	if (r->col > r->max_col)
		r->max_col = r->col;
	if (r->col > r->last_nonempty)
		r->last_nonempty = r->col;
}

static void sheet_end(void *ud, const char *name)
{
	xlsx_reader *r = ud;
	const char *n = local(name);
	if (strcmp(n, "c") == 0)
		cell_end(r);
	else if (strcmp(n, "v") == 0 || strcmp(n, "t") == 0)
		r->capture = 0;
	else if (strcmp(n, "is") == 0)
		r->capture = r->in_is = 0;
	else if (strcmp(n, "rPh") == 0)
		r->rph--;
	else if (strcmp(n, "row") == 0 && r->last_nonempty >= 0) {
		r->width = r->last_nonempty + 1;
		if (!r->header_width)
			r->header_width = r->width;
		if (r->width < r->header_width)
			r->width = r->header_width;
		XML_StopParser(r->xp, XML_TRUE);   /* hand the row over */
	}
}

/* ---- opening ---- */

static void list_sheets(xlsx_reader *r, char *out, size_t n)
{
	size_t k = 0;
	out[0] = 0;
	for (int i = 0; i < r->nsheets && k + 1 < n; i++)
		k += (size_t)snprintf(out + k, n - k, "%s\"%s\"", i ? ", " : "", r->sheets[i].name);
}

static int load(xlsx_reader *r, const char *path, const char *sheet)
{
	int rc;
	if (strcmp(path, "-") == 0) {
		seterr(r, "an .xlsx workbook cannot be read from standard input; give its file name");
		return -1;
	}
	FILE *f = fopen(path, "rb");
	if (!f) {
		seterr(r, "%s: %s", path, strerror(errno));
		return -1;
	}
	unsigned char magic[4] = {0};
	size_t got = fread(magic, 1, 4, f);
	fclose(f);
	if (got == 4 && memcmp(magic, "\xD0\xCF\x11\xE0", 4) == 0) {
		seterr(r, "%s: an old-style .xls or a password-protected workbook; "
		       "save it from Excel as an unprotected .xlsx", path);
		return -1;
	}
	if (!(r->zip = unzOpen64(path))) {
		seterr(r, "%s: not an .xlsx workbook (not a zip file)", path);
		return -1;
	}
	/* The package's relationships name the workbook part; the
	 * workbook's, its sheets, shared strings and styles. */
	r->rel_base = "";
	if (parse_entry(r, "_rels/.rels", rels_start, no_end, no_text) < 0)
		return -1;
	const char *office = rel_target(r, NULL, "/officeDocument");
	char *wb = strdup(office ? office : "xl/workbook.xml");
	rels_free(r);
	if (!wb) {
		seterr(r, "out of memory");
		return -1;
	}
	rc = parse_entry(r, wb, wb_start, no_end, no_text);
	if (rc == 1)
		seterr(r, "%s: not an .xlsx workbook (no %s)", path, wb);
	if (rc) {
		free(wb);
		return -1;
	}
	const char *slash = strrchr(wb, '/');
	size_t dirlen = slash ? (size_t)(slash - wb + 1) : 0;
	size_t rn = strlen(wb) + 12;
	char *wb_rels = malloc(rn), *dir = strndup(wb, dirlen);
	if (wb_rels && dir)
		snprintf(wb_rels, rn, "%s_rels/%s.rels", dir, wb + dirlen);
	r->rel_base = dir;
	rc = wb_rels && dir ? parse_entry(r, wb_rels, rels_start, no_end, no_text) : -1;
	if (!wb_rels || !dir)
		seterr(r, "out of memory");
	r->rel_base = NULL;
	free(wb_rels);
	free(dir);
	free(wb);
	if (rc < 0)
		return -1;
	if (r->nsheets == 0) {
		seterr(r, "%s: the workbook has no sheets", path);
		return -1;
	}
	int pick = -1;
	for (int i = 0; i < r->nsheets && pick < 0; i++)
		if (sheet ? strcmp(r->sheets[i].name, sheet) == 0 : !r->sheets[i].hidden)
			pick = i;
	for (int i = 0; sheet && i < r->nsheets && pick < 0; i++)
		if (strcasecmp(r->sheets[i].name, sheet) == 0)
			pick = i;
	if (pick < 0 && !sheet)
		pick = 0;
	if (pick < 0) {
		char names[256];
		list_sheets(r, names, sizeof names);
		seterr(r, "%s: no sheet named \"%s\" (the sheets are %s)", path, sheet, names);
		return -1;
	}
	if (!(r->sheet_name = strdup(r->sheets[pick].name))) {
		seterr(r, "out of memory");
		return -1;
	}
	const char *target = rel_target(r, r->sheets[pick].rid, NULL);
	char fallback[64];
	if (!target) {
		snprintf(fallback, sizeof fallback, "xl/worksheets/sheet%d.xml", pick + 1);
		target = fallback;
	}
	const char *styles = rel_target(r, NULL, "/styles");
	if (parse_entry(r, styles ? styles : "xl/styles.xml", styles_start, styles_end, no_text) < 0)
		return -1;
	const char *sst = rel_target(r, NULL, "/sharedStrings");
	if (parse_entry(r, sst ? sst : "xl/sharedStrings.xml", sst_start, sst_end, text) < 0)
		return -1;

	/* Keep the sheet entry open and its parser alive for xlsx_read(). */
	rc = entry_open(r, target);
	if (rc == 1)
		seterr(r, "%s: sheet \"%s\" is missing its data (%s)", path, r->sheet_name, target);
	if (rc)
		return -1;
	r->sheet_open = 1;
	snprintf(r->sheet_label, sizeof r->sheet_label, "sheet \"%s\"", r->sheet_name);
	r->entry = r->sheet_label;
	if (!parser_new(r, sheet_start, sheet_end, text)) {
		seterr(r, "out of memory");
		return -1;
	}
	r->max_col = -1;
	r->col = -1;
	return 0;
}

xlsx_reader *xlsx_open(const char *path, const char *sheet, char *err, size_t errsz)
{
	xlsx_reader *r = calloc(1, sizeof *r);
	if (!r) {
		if (err && errsz)
			snprintf(err, errsz, "out of memory");
		return NULL;
	}
	if (load(r, path, sheet) < 0) {
		if (err && errsz)
			snprintf(err, errsz, "%s", r->err);
		xlsx_close(r);
		return NULL;
	}
	return r;
}

int xlsx_read(xlsx_reader *r, char ***fields, int *nfields, long *row)
{
	if (r->failed)
		return -1;
	for (;;) {
		int st, eof = 0;
		if (r->suspended) {
			r->suspended = 0;
			st = XML_ResumeParser(r->xp);
		} else if (r->sheet_eof) {
			return 0;
		} else {
			st = feed(r, &eof);
			if (st < 0) {
				r->failed = 1;
				return -1;
			}
			if (eof)
				r->sheet_eof = 1;
		}
		if (st == XML_STATUS_ERROR) {
			parse_error(r);
			r->failed = 1;
			return -1;
		}
		if (st != XML_STATUS_SUSPENDED)
			continue;
		r->suspended = 1;
		if (r->width > r->fields_cap) {
			char **f = realloc(r->fields, (size_t)r->width * sizeof *f);
			if (!f) {
				seterr(r, "out of memory");
				r->failed = 1;
				return -1;
			}
			r->fields = f;
			r->fields_cap = r->width;
		}
		for (int i = 0; i < r->width; i++)
			r->fields[i] = r->rowbuf.p + (i <= r->max_col && r->slot[i] >= 0 ? r->slot[i] : 0);
		*fields = r->fields;
		*nfields = r->width;
		*row = r->row_num;
		return 1;
	}
}

const char *xlsx_error(const xlsx_reader *r)
{
	return r->err;
}

const char *xlsx_sheet(const xlsx_reader *r)
{
	return r->sheet_name;
}

void xlsx_close(xlsx_reader *r)
{
	if (!r)
		return;
	if (r->xp)
		XML_ParserFree(r->xp);
	if (r->zip) {
		if (r->sheet_open)
			unzCloseCurrentFile(r->zip);
		unzClose(r->zip);
	}
	for (int i = 0; i < r->nsheets; i++) {
		free(r->sheets[i].name);
		free(r->sheets[i].rid);
	}
	free(r->sheets);
	rels_free(r);
	free(r->sheet_name);
	free(r->sst.p);
	free(r->sst_off);
	free(r->xf_kind);
	free(r->fmt_id);
	free(r->fmt_kind);
	free(r->val.p);
	free(r->rowbuf.p);
	free(r->slot);
	free(r->fields);
	free(r);
}
