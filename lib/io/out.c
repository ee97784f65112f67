/* out.c: the record writer (jsonl, table, csv, tsv). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/mem.h"
#include "base/sbuf.h"
#include "base/money.h"
#include "io/out.h"
#include "base/text.h"

#define TABLE_MAX_CELL 40   /* columns a cell may take before it is cut */
#define TABLE_MIN_CELL 6

struct row {
	char **vals;   /* indexed like o->cols; NULL = no value */
	int n;
};

struct out {
	enum out_format fmt;
	FILE *fp;              /* where records are written: dest, or the spool */
	FILE *dest;            /* stdout */
	FILE *spool;           /* out_hold(): records kept until they may go */
	char *mem;             /* the spool in memory, when no file could be had */
	size_t memlen;
	size_t spool_step;     /* let them go (commit first) every this many bytes */
	long count;
	int err;
	/* jsonl */
	struct sbuf line;
	bool first_key;
	/* before a flush of streamed records (see out_on_flush) */
	bool (*on_flush)(void *arg, size_t bytes);
	void *on_flush_arg;
	size_t pending;        /* bytes written since the last flush */
	/* table/csv/tsv */
	char **cols;
	bool *textcol;         /* a column that got text: left-aligned */
	int ncols, capcols;
	bool declared;         /* columns fixed by out_columns() */
	bool vertical;         /* table: each record as key/value lines (out_vertical) */
	bool raw;              /* csv/tsv: no ' before a cell a spreadsheet would run */
	bool header_done;      /* csv/tsv header printed (streaming) */
	char **labels;         /* csv/tsv header cells, when not the keys */
	int nlabels;
	struct row cur;
	struct row *rows;
	long nrows, caprows;
};

int out_format_parse(const char *name)
{
	if (!strcmp(name, "jsonl") || !strcmp(name, "json"))
		return OUT_JSONL;
	if (!strcmp(name, "table"))
		return OUT_TABLE;
	if (!strcmp(name, "csv"))
		return OUT_CSV;
	if (!strcmp(name, "tsv"))
		return OUT_TSV;
	return -1;
}

struct out *out_new(enum out_format fmt, FILE *fp)
{
	struct out *o = xcalloc(1, sizeof(*o));
	o->fmt = fmt;
	o->fp = o->dest = fp;
	return o;
}

long out_count(const struct out *o)
{
	return o->count;
}

bool out_color(const struct out *o)
{
	const char *nc = getenv("NO_COLOR");
	return (!nc || !*nc) && isatty(fileno(o->dest));
}

/* ---- jsonl ---- */

/* Bytes that JSON needs escaped: control characters, '"', '\\', DEL.
 * A table, because this test runs for every byte of every record. */
static const unsigned char escape_tbl[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['"'] = 1, ['\\'] = 1, [0x7f] = 1,
};

static inline bool needs_escape(unsigned char ch)
{
	return escape_tbl[ch];
}

static void json_escape(struct sbuf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	sbuf_addc(b, '"');
	for (;;) {
		const unsigned char *run = p;
		while (!needs_escape(*p))
			p++;
		if (p > run)
			sbuf_addn(b, (const char *)run, (size_t)(p - run));
		if (!*p)
			break;
		switch (*p) {
		case '"': sbuf_addn(b, "\\\"", 2); break;
		case '\\': sbuf_addn(b, "\\\\", 2); break;
		case '\n': sbuf_addn(b, "\\n", 2); break;
		case '\r': sbuf_addn(b, "\\r", 2); break;
		case '\t': sbuf_addn(b, "\\t", 2); break;
		default: sbuf_addf(b, "\\u%04x", *p); break;
		}
		p++;
	}
	sbuf_addc(b, '"');
}

static void json_key(struct out *o, const char *key)
{
	if (!o->first_key)
		sbuf_addc(&o->line, ',');
	o->first_key = false;
	json_escape(&o->line, key);
	sbuf_addc(&o->line, ':');
}

/* ---- table/csv/tsv cells ---- */

static int col_index(struct out *o, const char *key)
{
	for (int i = 0; i < o->ncols; i++)
		if (!strcmp(o->cols[i], key))
			return i;
	if (o->declared)
		return -1;
	if (o->ncols == o->capcols) {
		o->capcols = o->capcols ? o->capcols * 2 : 16;
		o->cols = xrealloc(o->cols, o->capcols * sizeof(*o->cols));
		o->textcol = xrealloc(o->textcol, o->capcols * sizeof(*o->textcol));
	}
	o->textcol[o->ncols] = false;
	o->cols[o->ncols] = xstrdup(key);
	return o->ncols++;
}

void out_raw(struct out *o, bool raw)
{
	o->raw = raw;
}

/* A number as text: [+-]digits[.digits][e[+-]digits]. */
static bool plain_number(const char *s)
{
	const char *p = s + (*s == '+' || *s == '-');
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		p += *p == '+' || *p == '-';
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return !*p;
}

/* Text a spreadsheet would take for a formula (see out_raw). */
static bool formula_like(const char *s)
{
	return s[0] && strchr("=+-@\t\r", s[0]) && !plain_number(s);
}

/* A cell of text (left-aligned) or of a number (right-aligned). */
static void cell_put(struct out *o, const char *key, char *val, bool text)
{
	int i = col_index(o, key);
	if (i < 0) {
		free(val);
		return;
	}
	if (text && !o->raw && (o->fmt == OUT_CSV || o->fmt == OUT_TSV) && val && formula_like(val)) {
		char *q = xasprintf("'%s", val);
		free(val);
		val = q;
	}
	if (text)
		o->textcol[i] = true;
	if (i >= o->cur.n) {
		o->cur.vals = xrealloc(o->cur.vals, (i + 1) * sizeof(char *));
		for (int j = o->cur.n; j <= i; j++)
			o->cur.vals[j] = NULL;
		o->cur.n = i + 1;
	}
	free(o->cur.vals[i]);
	o->cur.vals[i] = val;
}

void out_columns(struct out *o, const char *const *keys, int n)
{
	for (int i = 0; i < n; i++)
		col_index(o, keys[i]);
	o->declared = true;
}

void out_header(struct out *o, const char *const *labels, int n)
{
	o->labels = xcalloc(n, sizeof(char *));
	for (int i = 0; i < n; i++)
		o->labels[i] = xstrdup(labels[i]);
	o->nlabels = n;
}

void out_begin(struct out *o)
{
	if (o->fmt == OUT_JSONL) {
		sbuf_reset(&o->line);
		sbuf_addc(&o->line, '{');
		o->first_key = true;
	} else {
		o->cur.vals = NULL;
		o->cur.n = 0;
	}
}

void out_str(struct out *o, const char *key, const char *val)
{
	if (!val)
		return;
	if (o->fmt == OUT_JSONL) {
		json_key(o, key);
		json_escape(&o->line, val);
	} else {
		cell_put(o, key, xstrdup(val), true);
	}
}

void out_int(struct out *o, const char *key, long long val)
{
	if (o->fmt == OUT_JSONL) {
		json_key(o, key);
		sbuf_add_int(&o->line, val);
	} else {
		cell_put(o, key, xasprintf("%lld", val), false);
	}
}

static void fmt_real(char *buf, size_t n, double v)
{
	if (!isfinite(v)) {
		snprintf(buf, n, "null");
		return;
	}
	snprintf(buf, n, "%.15g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, n, "%.17g", v);
}

void out_real(struct out *o, const char *key, double val)
{
	char buf[64];
	fmt_real(buf, sizeof(buf), val);
	if (o->fmt == OUT_JSONL) {
		json_key(o, key);
		sbuf_add(&o->line, buf);
	} else {
		cell_put(o, key, xstrdup(buf), false);
	}
}

void out_money(struct out *o, const char *key, long long minor)
{
	char buf[MONEY_BUFSZ];
	money_format(minor, buf);
	if (o->fmt == OUT_JSONL) {
		json_key(o, key);
		sbuf_add(&o->line, buf);
	} else {
		cell_put(o, key, xstrdup(buf), false);
	}
}

void out_bool(struct out *o, const char *key, bool val)
{
	if (o->fmt == OUT_JSONL) {
		json_key(o, key);
		sbuf_add(&o->line, val ? "true" : "false");
	} else {
		cell_put(o, key, xstrdup(val ? "true" : "false"), true);
	}
}

char *out_list_cell(const cJSON *arr)
{
	const cJSON *it;
	bool plain = true;
	cJSON_ArrayForEach(it, arr)
		plain = plain && cJSON_IsString(it) && !strchr(it->valuestring, ',')
		     && !strstr(it->valuestring, "，") && it->valuestring[0] != '[';
	if (!plain) {
		char *s = cJSON_PrintUnformatted(arr);
		char *r = xstrdup(s ? s : "[]");
		cJSON_free(s);
		return r;
	}
	struct sbuf b = { 0 };
	cJSON_ArrayForEach(it, arr) {
		if (b.len)
			sbuf_addc(&b, ',');
		sbuf_add(&b, it->valuestring);
	}
	return b.s ? sbuf_detach(&b) : xstrdup("");
}

/* A JSON value as a cell: strings bare, arrays joined, objects compact. */
static char *json_cell(const cJSON *v, const char *sep)
{
	if (cJSON_IsString(v))
		return xstrdup(v->valuestring);
	if (cJSON_IsArray(v) && strcmp(sep, ", "))
		return out_list_cell(v);   /* csv/tsv: read back the same by import */
	if (cJSON_IsArray(v)) {
		struct sbuf b = { 0 };
		const cJSON *it;
		cJSON_ArrayForEach(it, v) {
			char *s = json_cell(it, sep);
			if (b.len)
				sbuf_add(&b, sep);
			sbuf_add(&b, s);
			free(s);
		}
		return b.s ? sbuf_detach(&b) : xstrdup("");
	}
	if (cJSON_IsNumber(v)) {
		char buf[64];
		fmt_real(buf, sizeof(buf), v->valuedouble);
		return xstrdup(buf);
	}
	char *s = cJSON_PrintUnformatted(v);
	char *r = xstrdup(s ? s : "");
	cJSON_free(s);
	return r;
}

void out_json(struct out *o, const char *key, const cJSON *val)
{
	if (!val || cJSON_IsNull(val))
		return;
	if (o->fmt == OUT_JSONL) {
		char *s = cJSON_PrintUnformatted(val);
		json_key(o, key);
		sbuf_add(&o->line, s ? s : "null");
		cJSON_free(s);
	} else {
		cell_put(o, key, json_cell(val, o->fmt == OUT_TABLE ? ", " : ","), true);
	}
}

void out_json_text(struct out *o, const char *key, const char *json)
{
	if (!json || !*json)
		return;
	if (o->fmt == OUT_JSONL) {
		json_key(o, key);
		sbuf_add(&o->line, json);
		return;
	}
	cJSON *v = cJSON_Parse(json);
	if (v)
		out_json(o, key, v);
	else
		out_str(o, key, json);
	cJSON_Delete(v);
}

void out_fields(struct out *o, const cJSON *obj)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, obj) {
		if (cJSON_IsString(it))
			out_str(o, it->string, it->valuestring);
		else if (cJSON_IsBool(it))
			out_bool(o, it->string, cJSON_IsTrue(it));
		else if (cJSON_IsNumber(it) && it->valuedouble == (double)(long long)it->valuedouble
			 && fabs(it->valuedouble) < 9e15)
			out_int(o, it->string, (long long)it->valuedouble);
		else if (cJSON_IsRaw(it) && o->fmt == OUT_JSONL)
			out_json(o, it->string, it);
		else if (cJSON_IsRaw(it))
			cell_put(o, it->string, xstrdup(it->valuestring), false);
		else
			out_json(o, it->string, it);
	}
}

void out_object(struct out *o, const cJSON *obj)
{
	out_begin(o);
	out_fields(o, obj);
	out_end(o);
}

void out_bar(struct out *o, const char *key, double value, double max, int width)
{
	static const char *const part[] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
	if (o->fmt != OUT_TABLE)
		return;
	struct sbuf b = { 0 };
	double eighths = max > 0 && value > 0 ? value / max * width * 8 : 0;
	long n = lround(eighths);
	if (value > 0 && n == 0)
		n = 1;    /* something is not nothing */
	for (long i = 0; i < n / 8; i++)
		sbuf_add(&b, "█");
	sbuf_add(&b, part[n % 8]);
	cell_put(o, key, b.s ? sbuf_detach(&b) : xstrdup(""), true);
}

void out_bar_center(struct out *o, const char *key, double value, double max, int width)
{
	if (o->fmt != OUT_TABLE)
		return;
	out_bar(o, key, value, max, width);
	int i = col_index(o, key);
	if (i < 0 || i >= o->cur.n || !o->cur.vals[i])
		return;
	/* Centre it: rows of a funnel narrow towards the bottom. */
	int pad = (width - utf8_width(o->cur.vals[i])) / 2;
	if (pad > 0) {
		char *v = xasprintf("%*s%s", pad, "", o->cur.vals[i]);
		free(o->cur.vals[i]);
		o->cur.vals[i] = v;
	}
}

/* ---- csv/tsv ---- */

static void csv_field(struct sbuf *b, const char *s, char sep)
{
	if (!s)
		return;
	if (!strpbrk(s, sep == ',' ? ",\"\r\n" : "\t\"\r\n")) {
		sbuf_add(b, s);
		return;
	}
	sbuf_addc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			sbuf_addc(b, '"');
		sbuf_addc(b, *s);
	}
	sbuf_addc(b, '"');
}

/* One csv/tsv line; returns its length in bytes. */
static size_t csv_line(struct out *o, char **vals, int n)
{
	char sep = o->fmt == OUT_CSV ? ',' : '\t';
	struct sbuf b = { 0 };
	for (int i = 0; i < o->ncols; i++) {
		if (i)
			sbuf_addc(&b, sep);
		csv_field(&b, i < n ? vals[i] : NULL, sep);
	}
	sbuf_addc(&b, '\n');
	size_t len = b.len;
	if (fwrite(b.s, 1, len, o->fp) != len)
		o->err = errno;
	sbuf_release(&b);
	return len;
}

static void row_free(struct row *r)
{
	for (int i = 0; i < r->n; i++)
		free(r->vals[i]);
	free(r->vals);
	r->vals = NULL;
	r->n = 0;
}

void out_on_flush(struct out *o, bool (*fn)(void *arg, size_t bytes), void *arg)
{
	o->on_flush = fn;
	o->on_flush_arg = arg;
}

/* A file of our own, already unlinked: held records may outgrow memory
 * (--strict over a million lines), so they wait on disk. */
static FILE *spool_open(void)
{
	const char *dir = getenv("TMPDIR");
	char *path = xasprintf("%s/crm-out-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkostemp(path, O_CLOEXEC);   /* hooks we run need not see it */
	FILE *fp = NULL;
	if (fd >= 0) {
		unlink(path);
		fp = fdopen(fd, "w+");
		if (!fp)
			close(fd);
	}
	free(path);
	return fp;
}

void out_hold(struct out *o)
{
	if (o->spool)
		return;
	o->spool = spool_open();
	/* no room for a file (a full disk): held in memory, never let go
	 * before it may be */
	if (!o->spool)
		o->spool = open_memstream(&o->mem, &o->memlen);
	if (o->spool)
		o->fp = o->spool;   /* else records go out as they come, as before */
	/* Into a pipe the next command waits for them: every megabyte. Into a
	 * file nobody does: fewer commits (each one writes the pages again). */
	struct stat st;
	bool pipe = fstat(fileno(o->dest), &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
	o->spool_step = pipe ? 1u << 20 : 16u << 20;
}

/* The spool is a file (not memory: open_memstream). */
static bool spool_is_file(const struct out *o)
{
	return fileno(o->spool) >= 0;
}

/* Empty the spool into dest. */
static void spool_copy(struct out *o)
{
	char buf[1 << 16];
	size_t n;
	if (!spool_is_file(o)) {
		if (fflush(o->spool) != 0)
			o->err = errno;
		else if (o->memlen && fwrite(o->mem, 1, o->memlen, o->dest) != o->memlen)
			o->err = errno;
		return;
	}
	if (fflush(o->spool) != 0 || fseek(o->spool, 0, SEEK_SET) != 0) {
		o->err = errno;
		return;
	}
	while ((n = fread(buf, 1, sizeof(buf), o->spool)) > 0)
		if (fwrite(buf, 1, n, o->dest) != n) {
			o->err = errno;
			break;
		}
	if (ferror(o->spool))
		o->err = EIO;
}

static void spool_empty(struct out *o)
{
	if (!spool_is_file(o)) {
		fclose(o->spool);
		free(o->mem);
		o->mem = NULL;
		o->memlen = 0;
		o->spool = open_memstream(&o->mem, &o->memlen);
		o->fp = o->spool ? o->spool : o->dest;
		return;
	}
	if (fflush(o->spool) != 0 || fseek(o->spool, 0, SEEK_SET) != 0
	    || ftruncate(fileno(o->spool), 0) != 0)
		o->err = errno;
}

void out_release(struct out *o)
{
	if (!o)
		return;
	if (o->spool) {
		spool_copy(o);
		spool_empty(o);
	}
	o->pending = 0;
	if (fflush(o->dest) != 0)
		o->err = errno;
}

void out_discard(struct out *o)
{
	if (!o)
		return;
	for (long r = 0; r < o->nrows; r++)
		row_free(&o->rows[r]);
	o->nrows = 0;
	row_free(&o->cur);
	if (o->spool)
		spool_empty(o);
	o->pending = 0;
}

/* Streamed records go out in pieces: through the on_flush hook, which
 * says whether what is held may go (it commits first), every spool_step
 * when held; else every 32 KB, before stdio's own buffer (128 KB) would. */
static void maybe_flush(struct out *o, size_t n)
{
	o->pending += n;
	if (o->pending < (o->spool ? o->spool_step : (32u << 10)))
		return;
	bool go = !o->on_flush || o->on_flush(o->on_flush_arg, o->pending);
	o->pending = 0;
	if (!go)
		return;   /* held until the end: --strict, --atomic */
	if (o->spool)
		out_release(o);
	else if (fflush(o->fp) != 0)
		o->err = errno;
}

static void vertical_print(struct out *o);

void out_end(struct out *o)
{
	o->count++;
	if (o->fmt == OUT_TABLE && o->vertical) {
		vertical_print(o);
		return;
	}
	if (o->fmt == OUT_JSONL) {
		sbuf_add(&o->line, "}\n");
		if (fwrite(o->line.s, 1, o->line.len, o->fp) != o->line.len)
			o->err = errno;
		maybe_flush(o, o->line.len);
		return;
	}
	if (o->declared && o->fmt != OUT_TABLE) {
		size_t len = 0;
		if (!o->header_done) {
			char **head = xcalloc(o->ncols ? o->ncols : 1, sizeof(char *));
			for (int i = 0; i < o->ncols; i++)
				head[i] = i < o->nlabels ? o->labels[i] : o->cols[i];
			len = csv_line(o, head, o->ncols);
			free(head);
			o->header_done = true;
		}
		len += csv_line(o, o->cur.vals, o->cur.n);
		row_free(&o->cur);
		maybe_flush(o, len);
		return;
	}
	if (o->nrows == o->caprows) {
		o->caprows = o->caprows ? o->caprows * 2 : 64;
		o->rows = xrealloc(o->rows, o->caprows * sizeof(*o->rows));
	}
	o->rows[o->nrows++] = o->cur;
	o->cur.vals = NULL;
	o->cur.n = 0;
}

/* ---- table ---- */

/* A cell safe for a terminal: control characters shown as "?" so data
 * cannot inject escape sequences; newlines as "⏎". */
static char *cell_clean(const char *s)
{
	struct sbuf b = { 0 };
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n')
			sbuf_add(&b, "⏎");
		else if (*p < 0x20 || *p == 0x7f)
			sbuf_addc(&b, '?');
		else
			sbuf_addc(&b, (char)*p);
	}
	return b.s ? sbuf_detach(&b) : xstrdup("");
}

static int term_columns(const struct out *o)
{
	const char *env = getenv("COLUMNS");
	if (env && atoi(env) > 0)
		return atoi(env);
	struct winsize ws;
	if (ioctl(fileno(o->dest), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;  /* unknown: do not squeeze */
}

static void pad(struct sbuf *b, int n)
{
	while (n-- > 0)
		sbuf_addc(b, ' ');
}

static void table_cell(struct sbuf *b, const char *s, int w, bool right, bool last)
{
	char cut[1024];
	int cw = utf8_truncate(s, w, cut, sizeof(cut));
	if (right)
		pad(b, w - cw);
	sbuf_add(b, cut);
	if (!right && !last)
		pad(b, w - cw);
}

/* A "type" column that says the same on every row says nothing. */
static void drop_same_type(struct out *o)
{
	int ti = -1;
	for (int i = 0; i < o->ncols; i++)
		if (!strcmp(o->cols[i], "type"))
			ti = i;
	if (ti < 0)
		return;
	const char *first = NULL;
	for (long r = 0; r < o->nrows; r++) {
		const char *v = ti < o->rows[r].n ? o->rows[r].vals[ti] : NULL;
		if (!v || (first && strcmp(first, v)))
			return;
		first = v;
	}
	free(o->cols[ti]);
	memmove(&o->cols[ti], &o->cols[ti + 1], (o->ncols - ti - 1) * sizeof(*o->cols));
	memmove(&o->textcol[ti], &o->textcol[ti + 1], (o->ncols - ti - 1) * sizeof(*o->textcol));
	o->ncols--;
	for (long r = 0; r < o->nrows; r++) {
		struct row *row = &o->rows[r];
		if (ti >= row->n)
			continue;
		free(row->vals[ti]);
		memmove(&row->vals[ti], &row->vals[ti + 1], (row->n - ti - 1) * sizeof(char *));
		row->n--;
	}
}

static void table_flush(struct out *o)
{
	if (!o->nrows)
		return;
	drop_same_type(o);
	int n = o->ncols;
	int *w = xcalloc(n, sizeof(int));
	bool *num = xcalloc(n, sizeof(bool));
	for (int i = 0; i < n; i++) {
		w[i] = utf8_width(o->cols[i]);
		num[i] = !o->textcol[i];
	}
	for (long r = 0; r < o->nrows; r++) {
		struct row *row = &o->rows[r];
		for (int i = 0; i < row->n; i++) {
			if (!row->vals[i])
				continue;
			char *c = cell_clean(row->vals[i]);
			free(row->vals[i]);
			row->vals[i] = c;
			int cw = utf8_width(c);
			if (cw > w[i])
				w[i] = cw;
		}
	}
	for (int i = 0; i < n; i++)
		if (w[i] > TABLE_MAX_CELL)
			w[i] = TABLE_MAX_CELL;
	/* Squeeze the widest column until the table fits the terminal. */
	int cols = term_columns(o);
	for (;;) {
		int total = 0, widest = 0;
		for (int i = 0; i < n; i++) {
			total += w[i] + (i ? 2 : 0);
			if (w[i] > w[widest])
				widest = i;
		}
		if (!cols || total <= cols || w[widest] <= TABLE_MIN_CELL)
			break;
		w[widest]--;
	}
	/* Still too wide with every cell squeezed: the last columns go (the
	 * terminal would wrap every line); the first always stays. */
	for (;;) {
		int total = 0;
		for (int i = 0; i < n; i++)
			total += w[i] + (i ? 2 : 0);
		if (!cols || total <= cols || n == 1)
			break;
		n--;
	}
	bool color = out_color(o);
	struct sbuf b = { 0 };
	if (color)
		sbuf_add(&b, "\033[1m");
	for (int i = 0; i < n; i++) {
		if (i)
			sbuf_add(&b, "  ");
		table_cell(&b, o->cols[i], w[i], num[i], i == n - 1 && !color);
	}
	if (color)
		sbuf_add(&b, "\033[0m");
	sbuf_addc(&b, '\n');
	for (long r = 0; r < o->nrows; r++) {
		struct row *row = &o->rows[r];
		for (int i = 0; i < n; i++) {
			if (i)
				sbuf_add(&b, "  ");
			table_cell(&b, i < row->n && row->vals[i] ? row->vals[i] : "", w[i], num[i],
				   i == n - 1);
		}
		/* no trailing blanks */
		while (b.len && b.s[b.len - 1] == ' ')
			b.len--;
		sbuf_addc(&b, '\n');
		if (b.len > 65536) {
			if (fwrite(b.s, 1, b.len, o->fp) != b.len)
				o->err = errno;
			sbuf_reset(&b);
		}
	}
	if (b.len && fwrite(b.s, 1, b.len, o->fp) != b.len)
		o->err = errno;
	sbuf_release(&b);
	free(w);
	free(num);
}

void out_vertical(struct out *o)
{
	if (o->fmt != OUT_TABLE)
		return;
	o->vertical = true;
	o->declared = false;   /* every key a record has */
}

/* The record just ended as "key  value" lines, keys padded to the widest,
 * a blank line before every record but the first; a value's own lines go
 * on under it. Control characters show as "?" as in tables. */
static void vertical_print(struct out *o)
{
	int kw = 0;
	for (int i = 0; i < o->cur.n; i++)
		if (o->cur.vals[i] && strcmp(o->cols[i], "type") && utf8_width(o->cols[i]) > kw)
			kw = utf8_width(o->cols[i]);
	bool color = out_color(o);
	struct sbuf b = { 0 };
	if (o->count > 1)
		sbuf_addc(&b, '\n');
	for (int i = 0; i < o->cur.n; i++) {
		const char *v = o->cur.vals[i];
		if (!v || !strcmp(o->cols[i], "type"))   /* the command says what it shows */
			continue;
		sbuf_add(&b, color ? "\033[1m" : "");
		sbuf_add(&b, o->cols[i]);
		sbuf_add(&b, color ? "\033[0m" : "");
		pad(&b, kw - utf8_width(o->cols[i]) + 2);
		for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
			if (*p == '\n') {
				sbuf_addc(&b, '\n');
				pad(&b, kw + 2);
			} else {
				sbuf_addc(&b, *p < 0x20 || *p == 0x7f ? '?' : (char)*p);
			}
		}
		while (b.len && b.s[b.len - 1] == ' ')
			b.len--;
		sbuf_addc(&b, '\n');
	}
	if (b.len && fwrite(b.s, 1, b.len, o->fp) != b.len)
		o->err = errno;
	sbuf_release(&b);
	row_free(&o->cur);
	/* the next record's keys in its own order (quote show: a quote, then
	 * its quote_line records), unless the command declared them */
	if (!o->declared) {
		for (int i = 0; i < o->ncols; i++)
			free(o->cols[i]);
		o->ncols = 0;
	}
	maybe_flush(o, 0);
}

int out_free(struct out *o)
{
	if (!o)
		return 0;
	if (o->fmt == OUT_TABLE) {
		table_flush(o);
	} else if (o->fmt != OUT_JSONL) {
		if (o->nrows)
			csv_line(o, o->cols, o->ncols);
		for (long r = 0; r < o->nrows; r++)
			csv_line(o, o->rows[r].vals, o->rows[r].n);
	}
	for (long r = 0; r < o->nrows; r++)
		row_free(&o->rows[r]);
	row_free(&o->cur);
	free(o->rows);
	for (int i = 0; i < o->ncols; i++)
		free(o->cols[i]);
	free(o->cols);
	for (int i = 0; i < o->nlabels; i++)
		free(o->labels[i]);
	free(o->labels);
	free(o->textcol);
	sbuf_release(&o->line);
	out_release(o);
	if (o->spool)
		fclose(o->spool);
	free(o->mem);
	int err = o->err;
	free(o);
	return err ? -1 : 0;
}

int out_width(const struct out *o)
{
	return term_columns(o);
}

void out_text(struct out *o, const char *text, size_t n)
{
	if (n && fwrite(text, 1, n, o->fp) != n)
		o->err = errno;
	maybe_flush(o, n);
}
