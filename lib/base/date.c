/* date.c: parsing what people type for a time, and printing it as
 * ISO 8601 with the local offset. */
#include "base/date.h"
#include "base/text.h"

#include <limits.h>
#include <stdbool.h>
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

/* Count and unit of a span at *p like "30m" or "7天" (the longest unit
 * name after the digits); a bare number is days when bare_days allows
 * it. *p moves past the span. */
static int parse_span(const char **p, int bare_days, long long *count, long long *unit)
{
	long long n = 0;
	const char *s = *p;
	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (n > (LLONG_MAX - (*s - '0')) / 10)
			return -1;
		n = n * 10 + (*s - '0');
	}
	long long u = 0;
	size_t ulen = 0;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t l = strlen(units[i].name);
		if (l > ulen && strncmp(s, units[i].name, l) == 0)
			u = units[i].seconds, ulen = l;
	}
	if (!ulen && bare_days)
		u = 86400;
	if (u == 0 || n > SPAN_MAX_SECONDS / u)
		return -1;
	*count = n;
	*unit = u;
	*p = s + ulen;
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
	const char *rest = s;
	int rc = parse_span(&rest, 1, &n, &u);
	if (rc == 0 && *rest)
		rc = -1;
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

/* ---- the words people use for a day and a time of day ---- */

/* Matches word w at *p (ASCII case-insensitively); an ASCII word must
 * not run on into more letters ("todayx"). Advances *p on a match. */
static int word_at(const char **p, const char *w)
{
	size_t n = strlen(w);
	if (strncasecmp(*p, w, n) != 0)
		return -1;
	unsigned char next = (unsigned char)(*p)[n];
	if ((unsigned char)w[0] < 0x80 && ((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z')))
		return -1;
	*p += n;
	return 0;
}

/* tm: the local day `days` after now's, at midnight (mktime settles an
 * mday out of range). */
static int day_tm(time_t now, long days, struct tm *tm)
{
	if (!localtime_r(&now, tm))
		return -1;
	tm->tm_hour = tm->tm_min = tm->tm_sec = 0;
	tm->tm_mday += (int)days;
	return 0;
}

static const struct {
	const char *name;
	int days;   /* from today */
} day_words[] = {
	{ "today", 0 }, { "tomorrow", 1 }, { "yesterday", -1 },
	{ "今天", 0 }, { "今日", 0 }, { "明天", 1 }, { "明日", 1 }, { "后天", 2 }, { "後天", 2 },
	{ "大后天", 3 }, { "大後天", 3 }, { "昨天", -1 }, { "昨日", -1 }, { "前天", -2 },
};

static int parse_day_word(const char **p, time_t now, struct tm *tm)
{
	for (size_t i = 0; i < sizeof(day_words) / sizeof(day_words[0]); i++)
		if (word_at(p, day_words[i].name) == 0)
			return day_tm(now, day_words[i].days, tm);
	return -1;
}

/* Which week a weekday is in. */
enum { WK_COMING, WK_THIS, WK_NEXT, WK_LAST };

/* A weekday: 周五, 星期五, 礼拜五 (this week's), 本周五, 这周五, 下周一, 下个星期一,
 * 上周五; monday (the coming one, today included), this friday, next monday
 * (next week's), last friday; mon, tue, ... Weeks start on Monday. */
static int parse_weekday(const char **p, time_t now, struct tm *tm)
{
	static const char *const en[7][3] = {
		{ "monday", "mon", NULL }, { "tuesday", "tues", "tue" }, { "wednesday", "wed", NULL },
		{ "thursday", "thurs", "thu" }, { "friday", "fri", NULL }, { "saturday", "sat", NULL },
		{ "sunday", "sun", NULL },
	};
	static const struct {
		const char *w;
		int week;
	} zh_pre[] = {
		{ "下个", WK_NEXT }, { "下個", WK_NEXT }, { "下", WK_NEXT }, { "本", WK_THIS }, { "这个", WK_THIS },
		{ "这", WK_THIS }, { "這", WK_THIS }, { "上个", WK_LAST }, { "上個", WK_LAST }, { "上", WK_LAST },
	};
	static const char *const zh_week[] = { "星期", "礼拜", "禮拜", "周", "週" };
	static const char *const zh_day[] = { "一", "二", "三", "四", "五", "六", "日", "天" };
	const char *s = *p;
	int week = -1, day = -1;
	/* English */
	const char *q = s;
	int eweek = WK_COMING;
	if (word_at(&q, "next") == 0)
		eweek = WK_NEXT;
	else if (word_at(&q, "this") == 0)
		eweek = WK_THIS;
	else if (word_at(&q, "last") == 0)
		eweek = WK_LAST;
	if (eweek != WK_COMING) {
		if (*q != ' ')
			q = s, eweek = WK_COMING;
		while (*q == ' ')
			q++;
	}
	for (int d = 0; d < 7 && day < 0; d++)
		for (int k = 0; k < 3 && en[d][k] && day < 0; k++)
			if (word_at(&q, en[d][k]) == 0)
				day = d, week = eweek, s = q;
	/* Chinese */
	for (size_t i = 0; i <= sizeof(zh_pre) / sizeof(zh_pre[0]) && day < 0; i++) {
		const char *r = s;
		int w = WK_THIS;   /* 周五 alone: this week's */
		if (i < sizeof(zh_pre) / sizeof(zh_pre[0])) {
			if (skip(&r, zh_pre[i].w) != 0)
				continue;
			w = zh_pre[i].week;
		}
		int found = 0;
		for (size_t k = 0; k < sizeof(zh_week) / sizeof(zh_week[0]) && !found; k++)
			found = skip(&r, zh_week[k]) == 0;
		if (!found)
			continue;
		for (int d = 0; d < 8 && day < 0; d++)
			if (skip(&r, zh_day[d]) == 0)
				day = d > 6 ? 6 : d, week = w, s = r;
	}
	if (day < 0)
		return -1;
	struct tm cur;
	if (!localtime_r(&now, &cur))
		return -1;
	int today = (cur.tm_wday + 6) % 7;   /* Monday 0 .. Sunday 6 */
	int off = week == WK_COMING ? (day - today + 7) % 7
		: week == WK_THIS ? day - today
		: week == WK_NEXT ? 7 - today + day
		: day - today - 7;
	*p = s;
	return day_tm(now, off, tm);
}

/* A day of this year: 12-15, 12/15, 12月15日 (or 号). */
static int parse_month_day(const char **p, time_t now, struct tm *tm)
{
	const char *s = *p;
	int m, d;
	if (digits(&s, 1, 2, &m) != 0)
		return -1;
	if (*s == '-' || *s == '/') {
		s++;
		if (digits(&s, 1, 2, &d) != 0)
			return -1;
	} else if (skip(&s, "月") == 0) {
		if (digits(&s, 1, 2, &d) != 0)
			return -1;
		if (skip(&s, "日") != 0)
			skip(&s, "号");
	} else {
		return -1;
	}
	if (day_tm(now, 0, tm) != 0)
		return -1;
	long y = tm->tm_year + 1900L;
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	*p = s;
	return 0;
}

/* A time of day: 14:00, 9:30:15, 3pm, 10:30 am, noon, 下午3点, 3点半,
 * 15点20分, 晚上8:30, 中午. */
static int parse_time_of_day(const char **p, int *h, int *mi, int *sec)
{
	enum { H_NONE, H_AM, H_PM, H_NOON };
	static const struct {
		const char *w;
		int half;
	} parts[] = {
		{ "上午", H_AM }, { "早上", H_AM }, { "早晨", H_AM }, { "凌晨", H_AM }, { "中午", H_NOON },
		{ "下午", H_PM }, { "傍晚", H_PM }, { "晚上", H_PM }, { "夜里", H_PM },
	};
	const char *s = *p;
	int half = H_NONE, hh, mm = 0, ss = 0, marked = 0;
	if (word_at(&s, "noon") == 0) {
		*h = 12, *mi = *sec = 0;
		*p = s;
		return 0;
	}
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]) && !half; i++)
		if (skip(&s, parts[i].w) == 0)
			half = parts[i].half;
	if (half == H_NOON && (*s < '0' || *s > '9')) {   /* 中午: noon */
		*h = 12, *mi = *sec = 0;
		*p = s;
		return 0;
	}
	if (digits(&s, 1, 2, &hh) != 0)
		return -1;
	if (*s == ':') {
		s++;
		if (digits(&s, 2, 2, &mm) != 0)
			return -1;
		if (*s == ':' && (s++, digits(&s, 2, 2, &ss) != 0))
			return -1;
		marked = 1;
	} else if (skip(&s, "点") == 0 || skip(&s, "點") == 0 || skip(&s, "时") == 0 || skip(&s, "時") == 0) {
		if (skip(&s, "半") == 0)
			mm = 30;
		else if (skip(&s, "整") == 0)
			mm = 0;
		else if (*s >= '0' && *s <= '9') {
			if (digits(&s, 1, 2, &mm) != 0)
				return -1;
			skip(&s, "分");
		}
		marked = 1;
	}
	if (half == H_NONE) {
		const char *q = s;
		while (*q == ' ')
			q++;
		static const char *const am[] = { "am", "a.m.", NULL }, *const pm[] = { "pm", "p.m.", NULL };
		for (int i = 0; am[i] && !half; i++)
			if (word_at(&q, am[i]) == 0)
				half = H_AM;
		for (int i = 0; pm[i] && !half; i++)
			if (word_at(&q, pm[i]) == 0)
				half = H_PM;
		if (half) {
			if (hh < 1 || hh > 12)
				return -1;
			s = q;
			marked = 1;
		}
	}
	if (!marked)
		return -1;   /* a bare number is not a time */
	if ((half == H_PM && hh < 12) || (half == H_NOON && hh < 6))
		hh += 12;
	else if (half == H_AM && hh == 12)
		hh = 0;
	if (hh > 23 || mm > 59 || ss > 59)
		return -1;
	*h = hh, *mi = mm, *sec = ss;
	*p = s;
	return 0;
}

/* "+3d", "-2w" move by calendar days (keeping the clock across DST, or
 * at the time of day that follows: "+2d 14:00"); "+4h", "+30m" by exact
 * seconds. *rest is what follows a span of days. */
static int parse_relative(const char *s, time_t now, time_t *out, struct tm *tm, const char **rest)
{
	int sign = *s == '-' ? -1 : 1;
	const char *p = s + 1;
	long long n, u;
	if (parse_span(&p, 0, &n, &u) != 0)
		return -1;
	if (u % 86400 != 0) {
		if (*p)
			return -1;
		*out = now + sign * n * u;
		*rest = NULL;
		return 0;
	}
	if (!localtime_r(&now, tm))
		return -1;
	tm->tm_mday += (int)(sign * n * (u / 86400));
	*rest = p;
	return 0;
}

static int parse_clean(const char *s, time_t now, bool ahead, time_t *out, int *date_only)
{
	if (!strcasecmp(s, "now") || !strcmp(s, "现在")) {
		*date_only = 0;
		*out = now;
		return 0;
	}
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	const char *p = s;
	int have_day = 0, keep_clock = 0;
	if (*s == '+' || *s == '-') {
		const char *rest;
		if (parse_relative(s, now, out, &tm, &rest) != 0)
			return -1;
		if (!rest) {
			*date_only = 0;
			return 0;
		}
		have_day = keep_clock = 1;
		p = rest;
	} else if (!(*s >= '0' && *s <= '9')   /* no day word or weekday starts with a digit */
		   && (parse_day_word(&p, now, &tm) == 0 || parse_weekday(&p, now, &tm) == 0)) {
		have_day = 1;
	} else {
		if (parse_absolute(s, out, date_only) == 0)
			return 0;
		memset(&tm, 0, sizeof(tm));
		if (parse_day(&p, &tm) == 0 || parse_month_day(&p, now, &tm) == 0)
			have_day = 1;
		else
			p = s;
	}
	while (*p == ' ')
		p++;
	if (*p == 0) {
		if (!have_day)
			return -1;
		*date_only = !keep_clock;
		return local_time(&tm, out);
	}
	if (have_day && word_at(&p, "at") == 0)   /* tomorrow at 14:00 */
		while (*p == ' ')
			p++;
	int h, mi, sec;
	if (parse_time_of_day(&p, &h, &mi, &sec) != 0)
		return -1;
	while (*p == ' ')
		p++;
	if (*p)
		return -1;
	*date_only = 0;
	if (!have_day && day_tm(now, 0, &tm) != 0)
		return -1;
	tm.tm_hour = h, tm.tm_min = mi, tm.tm_sec = sec;
	if (local_time(&tm, out) != 0)
		return -1;
	if (!have_day && ahead && *out < now) {   /* due at 15:00, once it is past: tomorrow's */
		tm.tm_mday++;
		return local_time(&tm, out);
	}
	return 0;
}

/* Whether s is ASCII with no space at either end: cleaning it (folding
 * full-width forms, trimming) would give it back unchanged. */
static bool already_clean(const char *s)
{
	if (!*s || *s == ' ' || *s == '\t')
		return false;
	const char *p = s;
	for (; *p; p++)
		if ((unsigned char)*p >= 0x80 || (unsigned char)*p < 0x20)
			return false;
	return p[-1] != ' ';
}

static int parse(const char *in, time_t now, bool ahead, time_t *out, int *date_only)
{
	if (!in)
		return -1;
	/* a machine's timestamp (every event tracked) is clean already: no
	 * copy to fold and trim */
	bool clean = already_clean(in);
	char *s = clean ? NULL : clean_input(in);
	if (!clean && !s)
		return -1;
	int only = 0;
	time_t t = 0;
	int rc = parse_clean(s ? s : in, now, ahead, &t, &only);
	free(s);
	if (rc != 0)
		return -1;
	*out = t;
	if (date_only)
		*date_only = only;
	return 0;
}

int date_parse(const char *in, time_t now, time_t *out, int *date_only)
{
	return parse(in, now, false, out, date_only);
}

int date_parse_ahead(const char *in, time_t now, time_t *out, int *date_only)
{
	return parse(in, now, true, out, date_only);
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

/* n as exactly width decimal digits (n >= 0 and fits): at p, which moves on. */
static char *put_digits(char *p, int n, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + n % 10);
		n /= 10;
	}
	return p + width;
}

/* "YYYY-MM-DD" of tm at p (local_tm keeps the year to four digits). */
static char *put_day(char *p, const struct tm *tm)
{
	p = put_digits(p, tm->tm_year + 1900, 4);
	*p++ = '-';
	p = put_digits(p, tm->tm_mon + 1, 2);
	*p++ = '-';
	return put_digits(p, tm->tm_mday, 2);
}

char *date_format(time_t t, char *buf)
{
	struct tm tm;
	buf[0] = 0;
	if (local_tm(t, &tm) != 0)
		return buf;
	/* An offset with seconds (a zone's local mean time before 1901:
	 * Shanghai's +08:05:43) has no ISO 8601 form: such a time is written
	 * in UTC, which reads back as the same instant. */
	if (tm.tm_gmtoff % 60 != 0 && gmtime_r(&t, &tm))
		tm.tm_gmtoff = 0;
	if (tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999)
		return buf;
	long off = tm.tm_gmtoff;
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	int oh = (int)(off / 3600 % 100), om = (int)(off / 60 % 60);
	/* by hand, not snprintf: every record written is stamped with it */
	char *p = put_day(buf, &tm);
	*p++ = 'T';
	p = put_digits(p, tm.tm_hour, 2);
	*p++ = ':';
	p = put_digits(p, tm.tm_min, 2);
	*p++ = ':';
	p = put_digits(p, tm.tm_sec, 2);
	*p++ = sign;
	p = put_digits(p, oh, 2);
	*p++ = ':';
	p = put_digits(p, om, 2);
	*p = 0;
	return buf;
}

char *date_format_day(time_t t, char *buf)
{
	struct tm tm;
	buf[0] = 0;
	if (local_tm(t, &tm) != 0)
		return buf;
	*put_day(buf, &tm) = 0;
	return buf;
}

char *date_add_days(const char *day, long long days, char *buf)
{
	struct tm tm = { 0 };
	buf[0] = 0;
	if (sscanf(day, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return buf;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_mday += (int)days;   /* timegm carries it into months and years */
	tm.tm_hour = 12;
	time_t t = timegm(&tm);
	if (!gmtime_r(&t, &tm))
		return buf;
	*put_day(buf, &tm) = 0;
	return buf;
}

/* Spreadsheets repeat their dates: the last few hundred normalised are
 * kept (what a text gives depends on it, the clock and how it is asked),
 * so that a million rows do not each go through the time zone rules. */
#define NORM_CACHE 512
static struct norm_cached {
	char in[40];
	time_t now;
	signed char want_date, ahead, ok;
	char out[DATE_BUFSZ];
} norm_cache[NORM_CACHE];

static int normalize(const char *in, int want_date, bool ahead, char *buf)
{
	time_t t, now = date_now();
	buf[0] = 0;
	/* the zone they were read in, too (the tests change it) */
	static char tz[64];
	const char *z = getenv("TZ");
	if (strncmp(z ? z : "", tz, sizeof(tz))) {
		memset(norm_cache, 0, sizeof(norm_cache));
		snprintf(tz, sizeof(tz), "%s", z ? z : "");
	}
	size_t len = in ? strlen(in) : 0;
	struct norm_cached *e = NULL;
	if (in && len < sizeof(norm_cache[0].in)) {
		unsigned h = 2166136261u;
		for (size_t i = 0; i < len; i++)
			h = (h ^ (unsigned char)in[i]) * 16777619u;
		e = &norm_cache[(h ^ (unsigned)want_date ^ (ahead ? 2u : 0u)) % NORM_CACHE];
		if (e->now == now && e->want_date == want_date && e->ahead == ahead && !strcmp(e->in, in)) {
			strcpy(buf, e->out);
			return e->ok ? 0 : -1;
		}
	}
	int rc = -1;
	if (parse(in, now, ahead, &t, NULL) == 0) {
		if (want_date)
			date_format_day(t, buf);
		else
			date_format(t, buf);
		rc = buf[0] ? 0 : -1;
	}
	if (e) {
		memcpy(e->in, in, len + 1);
		e->now = now;
		e->want_date = (signed char)want_date;
		e->ahead = ahead;
		e->ok = rc == 0;
		strcpy(e->out, buf);
	}
	return rc;
}

int date_normalize(const char *in, int want_date, char *buf)
{
	return normalize(in, want_date, false, buf);
}

int date_normalize_ahead(const char *in, int want_date, char *buf)
{
	return normalize(in, want_date, true, buf);
}
