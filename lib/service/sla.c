/* sla.c: SLA clocks over a business calendar. See sla.h.
 *
 * Counted time is walked one day window at a time: the window of a local
 * day comes from mktime of its opening and closing wall-clock times, so a
 * DST day is as long as it really is, and a pause that covers days is
 * jumped over, not walked. */
#include "service/sla.h"
#include "base/text.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Instants are long long inside; INF stands for "no end" (an open pause,
 * calendar hours' window) and LIM bounds the instants taken in, so adding
 * a span to one cannot overflow. */
#define INF (1LL << 62)
#define LIM (1LL << 40)

/* Safety net for the day walk: no real calendar needs 400 years. */
#define WALK_DAYS_MAX (400LL * 366)

static void fail(char *err, size_t errsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(char *err, size_t errsz, const char *fmt, ...)
{
	if (!err || errsz == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

/* Trimmed copy with full-width digits and punctuation folded to ASCII. */
static char *clean_input(const char *in)
{
	char *folded = text_fold_fullwidth(in);
	if (!folded)
		return NULL;
	char *t = text_trim(folded);
	free(folded);
	return t;
}

static int calendar_hours(const struct sla_hours *h)
{
	return !h || h->days == 0;
}

static int hours_valid(const struct sla_hours *h)
{
	return calendar_hours(h) ||
	       ((h->days & ~0xFEu) == 0 && h->open >= 0 && h->open < h->close && h->close <= 86400);
}

static int open_days(const struct sla_hours *h)
{
	int n = 0;
	for (int d = 1; d <= 7; d++)
		n += (h->days >> d) & 1;
	return n;
}

long long sla_day_length(const struct sla_hours *h)
{
	return calendar_hours(h) ? 86400 : h->close - h->open;
}

static long long week_length(const struct sla_hours *h)
{
	return calendar_hours(h) ? 7 * 86400LL : open_days(h) * sla_day_length(h);
}

static long long span_max(const struct sla_hours *h)
{
	return SLA_SPAN_MAX_WEEKS * week_length(h);
}

/* ---- sla.hours ---- */

/* "H:MM" or "HH:MM" as seconds after midnight; 24:00 only when closing. */
static int parse_clock(const char *s, int closing, int *secs)
{
	int h = 0, m = 0, n = 0;
	while (s[n] >= '0' && s[n] <= '9' && n < 3)
		h = h * 10 + (s[n++] - '0');
	if (n < 1 || n > 2 || s[n] != ':')
		return -1;
	s += n + 1;
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' || s[2] != 0)
		return -1;
	m = (s[0] - '0') * 10 + (s[1] - '0');
	if (m > 59 || h > 24 || (h == 24 && (m != 0 || !closing)))
		return -1;
	*secs = h * 3600 + m * 60;
	return 0;
}

/* One or two digits of a weekday; -1 when there are none (or more). */
static int day_number(const char **p)
{
	const char *s = *p;
	int v = 0, n = 0;
	while (s[n] >= '0' && s[n] <= '9' && n < 3)
		v = v * 10 + (s[n++] - '0');
	if (n < 1 || n > 2)
		return -1;
	*p = s + n;
	return v;
}

static void skip_blanks(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

/* "1-5", "1-5,6", "1,2,3,4,5" into bits 1..7 of *days. */
static int parse_days(const char *list, unsigned *days, char *err, size_t errsz)
{
	const char *p = list;
	unsigned bits = 0;
	for (;;) {
		skip_blanks(&p);
		const char *item = p;
		int item_len = (int)strcspn(item, ",");
		while (item_len > 0 && (item[item_len - 1] == ' ' || item[item_len - 1] == '\t'))
			item_len--;
		int a = day_number(&p), b = a;
		if (a >= 0 && *p == '-') {
			p++;
			b = day_number(&p);
		}
		skip_blanks(&p);
		if (a < 0 || b < 0 || (*p != ',' && *p != 0)) {
			fail(err, errsz, "\"%.*s\" is not a day or a range of days (1 = Monday .. 7 = Sunday)",
			     item_len, item);
			return -1;
		}
		if (a < 1 || a > 7 || b < 1 || b > 7) {
			fail(err, errsz, "day %d is not 1 (Monday) .. 7 (Sunday)", a < 1 || a > 7 ? a : b);
			return -1;
		}
		if (b < a) {
			fail(err, errsz, "days %d-%d run backwards (Friday to Monday is 5-7,1)", a, b);
			return -1;
		}
		for (int d = a; d <= b; d++)
			bits |= 1u << d;
		if (*p == 0)
			break;
		p++;
	}
	*days = bits;
	return 0;
}

int sla_hours_parse(const char *spec, struct sla_hours *h, char *err, size_t errsz)
{
	if (err && errsz)
		err[0] = 0;
	if (!spec) {
		memset(h, 0, sizeof(*h));
		return 0;
	}
	char *s = clean_input(spec);
	if (!s) {
		fail(err, errsz, "out of memory");
		return -1;
	}
	int rc = -1;
	struct sla_hours out = { 0, 0, 0 };
	if (*s == 0) {
		rc = 0;
		goto done;
	}
	char *days = s + strcspn(s, " \t");
	if (*days)
		*days++ = 0;
	while (*days == ' ' || *days == '\t')
		days++;
	char *dash = strchr(s, '-');
	if (!dash) {
		fail(err, errsz, "\"%s\" is not business hours like \"09:00-18:00 1-5\"", s);
		goto done;
	}
	*dash = 0;
	if (parse_clock(s, 0, &out.open) != 0) {
		fail(err, errsz, "opening time \"%s\" is not HH:MM from 00:00 to 23:59", s);
		goto done;
	}
	if (parse_clock(dash + 1, 1, &out.close) != 0) {
		fail(err, errsz, "closing time \"%s\" is not HH:MM from 00:00 to 24:00", dash + 1);
		goto done;
	}
	if (out.close <= out.open) {
		fail(err, errsz, "the window %s-%s ends %s it starts (one window a day, within the day)",
		     s, dash + 1, out.close == out.open ? "when" : "before");
		goto done;
	}
	if (*days == 0) {
		fail(err, errsz, "\"%s-%s\" has no days: add them, as in \"%s-%s 1-5\" (1 = Monday .. 7 = Sunday)",
		     s, dash + 1, s, dash + 1);
		goto done;
	}
	if (parse_days(days, &out.days, err, errsz) != 0)
		goto done;
	rc = 0;
done:
	free(s);
	if (rc == 0)
		*h = out;
	return rc;
}

/* ---- spans and policies ---- */

struct unit {
	const char *name;
	int rank;   /* w 5 .. s 1: largest first */
};

/* Longer names first, so "分钟" is not read as "分" and then junk. */
static const struct unit units[] = {
	{ "w", 5 }, { "周", 5 }, { "d", 4 }, { "天", 4 }, { "日", 4 },
	{ "h", 3 }, { "小时", 3 }, { "m", 2 }, { "分钟", 2 }, { "分", 2 },
	{ "s", 1 }, { "秒", 1 },
};

static long long unit_seconds(int rank, const struct sla_hours *h)
{
	switch (rank) {
	case 5: return week_length(h);
	case 4: return sla_day_length(h);
	case 3: return 3600;
	case 2: return 60;
	default: return 1;
	}
}

static int parse_span_clean(const char *p, const struct sla_hours *h, long long *secs)
{
	long long max = span_max(h), total = 0;
	int last_rank = 6;
	if (*p == 0)
		return -1;
	while (*p) {
		long long n = 0;
		if (*p < '0' || *p > '9')
			return -1;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (n > max)
				return -1;
			n = n * 10 + (*p - '0');
		}
		int rank = 0;
		size_t len = 0;
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			size_t l = strlen(units[i].name);
			if (strncmp(p, units[i].name, l) == 0 && l > len)
				rank = units[i].rank, len = l;
		}
		if (rank == 0 || rank >= last_rank)
			return -1;
		last_rank = rank;
		p += len;
		long long u = unit_seconds(rank, h);
		if (n > max / u || n * u > max - total)
			return -1;
		total += n * u;
		while (*p == ' ' || *p == '\t')
			p++;
	}
	*secs = total;
	return 0;
}

int sla_span_parse(const char *span, const struct sla_hours *h, long long *secs)
{
	if (!span || !hours_valid(h))
		return -1;
	char *s = clean_input(span);
	if (!s)
		return -1;
	long long v;
	int rc = parse_span_clean(s, h, &v);
	free(s);
	if (rc == 0)
		*secs = v;
	return rc;
}

int sla_policy_parse(const char *value, const struct sla_hours *h, struct sla_policy *p,
                     char *err, size_t errsz)
{
	if (err && errsz)
		err[0] = 0;
	if (!value)
		value = "";
	char *s = clean_input(value);
	if (!s) {
		fail(err, errsz, "out of memory");
		return -1;
	}
	int rc = -1;
	struct sla_policy out;
	char *slash = strchr(s, '/');
	if (!slash || strchr(slash + 1, '/')) {
		fail(err, errsz, "\"%s\" is not FIRST/RESOLVE, two spans like \"1h/4h\"", s);
		goto done;
	}
	*slash = 0;
	const char *part[2] = { s, slash + 1 };
	long long *dst[2] = { &out.first, &out.resolve };
	const char *what[2] = { "first response", "resolution" };
	for (int i = 0; i < 2; i++) {
		if (sla_span_parse(part[i], h, dst[i]) != 0) {
			char *t = text_trim(part[i]);
			fail(err, errsz, "%s span \"%s\" is not a span like 30m, 4h, 1d or 1d4h (at most %d weeks)",
			     what[i], t ? t : part[i], SLA_SPAN_MAX_WEEKS);
			free(t);
			goto done;
		}
	}
	*p = out;
	rc = 0;
done:
	free(s);
	return rc;
}

static const struct {
	const char *priority, *policy;
} defaults[] = {
	{ "urgent", "1h/4h" }, { "high", "4h/1d" }, { "normal", "8h/3d" }, { "low", "1d/7d" },
};

const char *sla_policy_default(const char *priority)
{
	for (size_t i = 0; priority && i < sizeof(defaults) / sizeof(defaults[0]); i++)
		if (strcmp(priority, defaults[i].priority) == 0)
			return defaults[i].policy;
	return NULL;
}

/* ---- local days ---- */

/* Days since 1970-01-01 of a proleptic Gregorian date, and back
 * (H. Hinnant's algorithms). */
static long long days_from_civil(long long y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long long z, long long *y, int *m, int *d)
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* 1 = Monday .. 7 = Sunday; day 0 was a Thursday. */
static int iso_weekday(long long day)
{
	return (int)(((day % 7 + 7) % 7 + 3) % 7 + 1);
}

/* The instant of local wall-clock time secs (0..86400) on day. */
static int local_instant(long long day, int secs, long long *out)
{
	if (secs >= 86400)
		day++, secs -= 86400;
	long long y;
	int m, d;
	civil_from_days(day, &y, &m, &d);
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)(y - 1900);
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = secs / 3600;
	tm.tm_min = secs / 60 % 60;
	tm.tm_sec = secs % 60;
	tm.tm_isdst = -1;
	tm.tm_wday = -1;   /* mktime sets it only on success: -1 is a valid time */
	time_t t = mktime(&tm);
	if (t == (time_t)-1 && tm.tm_wday == -1)
		return -1;
	*out = (long long)t;
	return 0;
}

/* The business window [*a, *b) holding t or the first one after it, with
 * *a >= t. *walked counts the days looked at. */
static int next_window(const struct sla_hours *h, long long t, long long *a, long long *b,
                       long long *walked)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!localtime_r(&tt, &tm))
		return -1;
	long long day = days_from_civil(tm.tm_year + 1900LL, tm.tm_mon + 1, tm.tm_mday);
	for (;; day++) {
		if (++*walked > WALK_DAYS_MAX)
			return -1;
		if (!((h->days >> iso_weekday(day)) & 1))
			continue;
		long long o, c;
		if (local_instant(day, h->open, &o) != 0 || local_instant(day, h->close, &c) != 0)
			return -1;
		if (c <= o || c <= t)   /* a window lost to a DST jump, or passed */
			continue;
		*a = o > t ? o : t;
		*b = c;
		return 0;
	}
}

/* ---- pauses ---- */

struct span {
	long long from, to;   /* to == INF: still pending */
};

static long long clamp(long long t)
{
	return t < -LIM ? -LIM : t > LIM ? LIM : t;
}

static int span_cmp(const void *x, const void *y)
{
	const struct span *a = x, *b = y;
	return a->from < b->from ? -1 : a->from > b->from;
}

/* The pauses sorted by start and merged where they overlap or touch;
 * empty ones dropped. *out is NULL when there are none. Returns the
 * count, or -1 when out of memory. */
static int pauses_merge(const struct sla_pause *p, int n, struct span **out)
{
	*out = NULL;
	if (!p || n <= 0)
		return 0;
	struct span *s = malloc((size_t)n * sizeof(*s));
	if (!s)
		return -1;
	int k = 0;
	for (int i = 0; i < n; i++) {
		long long from = clamp((long long)p[i].from);
		long long to = p[i].to == 0 ? INF : clamp((long long)p[i].to);
		if (to > from)
			s[k++] = (struct span){ from, to };
	}
	qsort(s, (size_t)k, sizeof(*s), span_cmp);
	int m = 0;
	for (int i = 0; i < k; i++) {
		if (m > 0 && s[i].from <= s[m - 1].to) {
			if (s[i].to > s[m - 1].to)
				s[m - 1].to = s[i].to;
		} else {
			s[m++] = s[i];
		}
	}
	if (m == 0) {
		free(s);
		s = NULL;
	}
	*out = s;
	return m;
}

/* ---- the walk ---- */

enum walk_end { WALK_DUE, WALK_UNTIL, WALK_PENDING, WALK_ERROR };

/* Count from `from` until `need` counted seconds have passed (*at is
 * then the instant) or until `until` (then *counted is what counted); an
 * open pause reached first stops the count (WALK_PENDING, *counted as
 * far as it got). */
static enum walk_end walk(const struct sla_hours *h, long long from, long long until,
                          long long need, const struct span *p, int np,
                          long long *at, long long *counted)
{
	long long cur = from, got = 0, walked = 0;
	int pi = 0;
	*counted = 0;
	if (need <= 0) {
		*at = from;
		return WALK_DUE;
	}
	while (cur < until) {
		long long a, b;
		if (calendar_hours(h)) {
			a = cur;
			b = INF;
		} else if (next_window(h, cur, &a, &b, &walked) != 0) {
			return WALK_ERROR;
		}
		if (a >= until)
			break;
		if (b > until)
			b = until;
		long long c = a;
		while (c < b) {
			while (pi < np && p[pi].to <= c)
				pi++;
			if (pi < np && p[pi].from <= c) {
				if (p[pi].to == INF) {
					*counted = got;
					return WALK_PENDING;
				}
				c = p[pi].to;   /* may jump past this window and more */
				continue;
			}
			long long e = pi < np && p[pi].from < b ? p[pi].from : b;
			if (e - c >= need - got) {
				*at = c + (need - got);
				*counted = need;
				return WALK_DUE;
			}
			got += e - c;
			c = e;
		}
		cur = c;
	}
	*counted = got;
	return WALK_UNTIL;
}

time_t sla_due(const struct sla_hours *h, time_t start, long long secs,
               const struct sla_pause *pauses, int npauses)
{
	long long s = (long long)start;
	if (!hours_valid(h) || secs < 0 || secs > span_max(h) || s < -LIM || s > LIM)
		return SLA_INVALID;
	struct span *p;
	int np = pauses_merge(pauses, npauses, &p);
	if (np < 0)
		return SLA_INVALID;
	long long at = 0, counted;
	enum walk_end e = walk(h, s, INF, secs, p, np, &at, &counted);
	free(p);
	if (e == WALK_PENDING)
		return SLA_PENDING;
	if (e != WALK_DUE)
		return SLA_INVALID;
	return (time_t)at;
}

long long sla_elapsed(const struct sla_hours *h, time_t from, time_t to,
                      const struct sla_pause *pauses, int npauses)
{
	if (!hours_valid(h))
		return -1;
	long long f = clamp((long long)from), t = clamp((long long)to);
	if (t <= f)
		return 0;
	struct span *p;
	int np = pauses_merge(pauses, npauses, &p);
	if (np < 0)
		return -1;
	long long at, counted = 0;
	enum walk_end e = walk(h, f, t, LLONG_MAX, p, np, &at, &counted);
	free(p);
	return e == WALK_ERROR ? -1 : counted;
}

int sla_breached(time_t due, time_t done, time_t now)
{
	if (due == SLA_PENDING || due == SLA_INVALID)
		return 0;
	return done != 0 ? done > due : now > due;
}
