/* date.c: parsing what people type for a time, and printing it as
 * ISO 8601 with the local offset. */
#include "base/date.h"
#include "base/text.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Longest span accepted anywhere: about 10000 years, so adding it to a
 * time or to tm_mday cannot overflow. */
#define SPAN_MAX_SECONDS (10000LL * 366 * 86400)

struct unit {
	const char *name;
	long long seconds;
};

/* "m" is a minute: months are never a fixed span. */
static const struct unit units[] = {
	{ "s", 1 }, { "m", 60 }, { "h", 3600 }, { "d", 86400 }, { "w", 604800 },
	{ "秒", 1 }, { "分钟", 60 }, { "分", 60 }, { "小时", 3600 },
	{ "天", 86400 }, { "日", 86400 }, { "周", 604800 },
};

/* Count and unit of a span like "30m" or "7天"; a bare number is days
 * when bare_days allows it. */
static int parse_span(const char *s, int bare_days, long long *count, long long *unit)
{
	long long n = 0;
	const char *p = s;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (n > (LLONG_MAX - (*p - '0')) / 10)
			return -1;
		n = n * 10 + (*p - '0');
	}
	long long u = 0;
	if (*p == 0) {
		u = bare_days ? 86400 : 0;
	} else {
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (strcmp(p, units[i].name) == 0)
				u = units[i].seconds;
	}
	if (u == 0 || n > SPAN_MAX_SECONDS / u)
		return -1;
	*count = n;
	*unit = u;
	return 0;
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

int duration_parse(const char *in, long long *seconds)
{
	if (!in)
		return -1;
	char *s = clean_input(in);
	if (!s)
		return -1;
	long long n, u;
	int rc = parse_span(s, 1, &n, &u);
	free(s);
	if (rc == 0)
		*seconds = n * u;
	return rc;
}

static int is_leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(long y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Read between min and max digits at *p into *v. */
static int digits(const char **p, int min, int max, int *v)
{
	int n = 0, val = 0;
	while (n < max && (*p)[n] >= '0' && (*p)[n] <= '9') {
		val = val * 10 + ((*p)[n] - '0');
		n++;
	}
	if (n < min || ((*p)[n] >= '0' && (*p)[n] <= '9'))
		return -1;
	*p += n;
	*v = val;
	return 0;
}

/* Exactly two digits, whatever follows ("+0800"). */
static int two_digits(const char **p, int *v)
{
	const char *s = *p;
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	*v = (s[0] - '0') * 10 + (s[1] - '0');
	*p += 2;
	return 0;
}

static int skip(const char **p, const char *lit)
{
	size_t n = strlen(lit);
	if (strncmp(*p, lit, n) != 0)
		return -1;
	*p += n;
	return 0;
}

/* Calendar part: Y-M-D with one of "-/." as separator, YYYYMMDD, or
 * Y年M月D日 (or 号). */
static int parse_day(const char **p, struct tm *tm)
{
	int y, m, d;
	const char *s = *p;
	if (digits(&s, 8, 8, &y) == 0) {
		d = y % 100, m = y / 100 % 100, y /= 10000;
	} else {
		s = *p;
		if (digits(&s, 4, 4, &y) != 0)
			return -1;
		if (skip(&s, "年") == 0) {
			if (digits(&s, 1, 2, &m) || skip(&s, "月") || digits(&s, 1, 2, &d))
				return -1;
			if (skip(&s, "日") != 0)
				skip(&s, "号");
		} else {
			char sep = *s;
			if (sep != '-' && sep != '/' && sep != '.')
				return -1;
			s++;
			if (digits(&s, 1, 2, &m) || *s++ != sep || digits(&s, 1, 2, &d))
				return -1;
		}
	}
	if (y < 1000 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	tm->tm_year = y - 1900;
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	*p = s;
	return 0;
}

/* Clock part: HH:MM[:SS[.fraction]]; the fraction is dropped. */
static int parse_clock(const char **p, struct tm *tm)
{
	const char *s = *p;
	int h, mi, sec = 0;
	if (digits(&s, 1, 2, &h) || *s++ != ':' || digits(&s, 2, 2, &mi))
		return -1;
	if (*s == ':') {
		s++;
		if (digits(&s, 2, 2, &sec))
			return -1;
		if (*s == '.' || *s == ',') {
			s++;
			if (*s < '0' || *s > '9')
				return -1;
			while (*s >= '0' && *s <= '9')
				s++;
		}
	}
	if (h > 23 || mi > 59 || sec > 59)
		return -1;
	tm->tm_hour = h;
	tm->tm_min = mi;
	tm->tm_sec = sec;
	*p = s;
	return 0;
}

/* Zone: "Z", "+08:00", "+0800" or "+08"; seconds east of UTC. */
static int parse_zone(const char **p, long *off)
{
	const char *s = *p;
	if (*s == 'Z' || *s == 'z') {
		*off = 0;
		*p = s + 1;
		return 0;
	}
	if (*s != '+' && *s != '-')
		return -1;
	int sign = *s++ == '-' ? -1 : 1, h, m = 0;
	if (two_digits(&s, &h))
		return -1;
	if (*s == ':') {
		s++;
		if (two_digits(&s, &m))
			return -1;
	} else if (*s >= '0' && *s <= '9' && two_digits(&s, &m)) {
		return -1;
	}
	if (h > 14 || m > 59)
		return -1;
	*off = sign * (h * 3600L + m * 60L);
	*p = s;
	return 0;
}

/* Local time of tm's fields; mktime settles DST itself. */
static int local_time(struct tm *tm, time_t *out)
{
	struct tm copy = *tm;
	copy.tm_isdst = -1;
	copy.tm_wday = -1;   /* mktime sets it only on success: -1 is a valid time */
	time_t t = mktime(&copy);
	if (t == (time_t)-1 && copy.tm_wday == -1)
		return -1;
	*out = t;
	return 0;
}

static int parse_absolute(const char *s, time_t *out, int *date_only)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	if (parse_day(&s, &tm) != 0)
		return -1;
	if (*s == 0) {
		*date_only = 1;
		return local_time(&tm, out);
	}
	if (*s == 'T' || *s == 't')
		s++;
	else
		while (*s == ' ')
			s++;
	if (parse_clock(&s, &tm) != 0)
		return -1;
	*date_only = 0;
	if (*s == 0)
		return local_time(&tm, out);
	while (*s == ' ')
		s++;
	long off;
	if (parse_zone(&s, &off) != 0 || *s != 0)
		return -1;
	*out = timegm(&tm) - off;
	return 0;
}

/* Local midnight `days` days after the day of now. */
static int midnight(time_t now, long days, time_t *out)
{
	struct tm tm;
	if (!localtime_r(&now, &tm))
		return -1;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday += (int)days;
	return local_time(&tm, out);
}

/* "+3d", "-2w" move by calendar days (keeping the clock across DST);
 * "+4h", "+30m" by exact seconds. */
static int parse_relative(const char *s, time_t now, time_t *out)
{
	int sign = *s == '-' ? -1 : 1;
	long long n, u;
	if (parse_span(s + 1, 0, &n, &u) != 0)
		return -1;
	if (u % 86400 != 0) {
		*out = now + sign * n * u;
		return 0;
	}
	struct tm tm;
	if (!localtime_r(&now, &tm))
		return -1;
	tm.tm_mday += (int)(sign * n * (u / 86400));
	return local_time(&tm, out);
}

struct word {
	const char *name;
	int days;   /* offset from today; 99 means "now" */
};

static const struct word words[] = {
	{ "today", 0 }, { "tomorrow", 1 }, { "yesterday", -1 }, { "now", 99 },
	{ "今天", 0 }, { "明天", 1 }, { "昨天", -1 }, { "现在", 99 },
};

static int parse_clean(const char *s, time_t now, time_t *out, int *date_only)
{
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strcasecmp(s, words[i].name) != 0)
			continue;
		*date_only = words[i].days != 99;
		if (!*date_only) {
			*out = now;
			return 0;
		}
		return midnight(now, words[i].days, out);
	}
	if (*s == '+' || *s == '-') {
		*date_only = 0;
		return parse_relative(s, now, out);
	}
	return parse_absolute(s, out, date_only);
}

int date_parse(const char *in, time_t now, time_t *out, int *date_only)
{
	if (!in)
		return -1;
	char *s = clean_input(in);
	if (!s)
		return -1;
	int only = 0;
	time_t t;
	int rc = parse_clean(s, now, &t, &only);
	free(s);
	if (rc != 0)
		return -1;
	*out = t;
	if (date_only)
		*date_only = only;
	return 0;
}

time_t date_now(void)
{
	/* The pin as last parsed: a pure function of the environment, asked
	 * for several times by every record written (an import of 100,000
	 * payments with the clock pinned spent a tenth of its time here). */
	static char last[64];
	static time_t last_t;
	time_t now = time(NULL), t;
	const char *pin = getenv("CRM_NOW");
	if (!pin || !*pin)
		return now;
	if (last[0] && !strcmp(pin, last))
		return last_t;
	/* An unparsable pin is ignored rather than fatal: "now" must exist. */
	if (date_parse(pin, now, &t, NULL) != 0)
		return now;
	if (strlen(pin) < sizeof(last)) {
		memcpy(last, pin, strlen(pin) + 1);
		last_t = t;
	}
	return t;
}

/* Local broken-down time of t, refusing years that would not print as
 * four digits (they would not sort as text either). */
static int local_tm(time_t t, struct tm *tm)
{
	if (!localtime_r(&t, tm))
		return -1;
	return tm->tm_year + 1900 < 0 || tm->tm_year + 1900 > 9999 ? -1 : 0;
}

char *date_format(time_t t, char *buf)
{
	struct tm tm;
	buf[0] = 0;
	if (local_tm(t, &tm) != 0)
		return buf;
	long off = tm.tm_gmtoff;
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	/* Offsets with seconds (old LMT zones) are cut to whole minutes. */
	int oh = (int)(off / 3600 % 100), om = (int)(off / 60 % 60);
	int n = snprintf(buf, DATE_BUFSZ, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
	                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	                 tm.tm_min, tm.tm_sec, sign, oh, om);
	if (n < 0 || n >= DATE_BUFSZ)
		buf[0] = 0;
	return buf;
}

char *date_format_day(time_t t, char *buf)
{
	struct tm tm;
	buf[0] = 0;
	if (local_tm(t, &tm) != 0)
		return buf;
	int n = snprintf(buf, DATE_BUFSZ, "%04d-%02d-%02d", tm.tm_year + 1900,
	                 tm.tm_mon + 1, tm.tm_mday);
	if (n < 0 || n >= DATE_BUFSZ)
		buf[0] = 0;
	return buf;
}

int date_normalize(const char *in, int want_date, char *buf)
{
	time_t t;
	buf[0] = 0;
	if (date_parse(in, date_now(), &t, NULL) != 0)
		return -1;
	if (want_date)
		date_format_day(t, buf);
	else
		date_format(t, buf);
	return buf[0] ? 0 : -1;
}
