/* test_date.c: parsing and printing times under pinned zones and clocks.
 * Expected instants are literal epoch numbers, not computed with the
 * code under test. */
#include "base/date.h"
#include "unit.h"

#include <stdlib.h>
#include <unistd.h>

#define H 3600LL
#define D 86400LL
#define U0301 1772323200LL   /* 2026-03-01T00:00:00Z */
#define SH0301 (U0301 - 8 * H) /* 2026-03-01T00:00:00+08:00 */

static void set_tz(const char *tz)
{
	/* Without tzdata, the POSIX spelling gives the same fixed +08:00. */
	if (strcmp(tz, "Asia/Shanghai") == 0 && access("/usr/share/zoneinfo/Asia/Shanghai", R_OK) != 0)
		tz = "CST-8";
	setenv("TZ", tz, 1);
	tzset();
}

/* Parsed instant relative to expect, or a sentinel on refusal. */
#define REFUSED (-1234567LL)
static long long parse_at(const char *s, time_t now, int *date_only)
{
	time_t t = 42;
	if (date_parse(s, now, &t, date_only) != 0)
		return t == 42 ? REFUSED : REFUSED + 1;   /* +1: wrote on failure */
	return (long long)t;
}

static long long ahead_at(const char *s, time_t now)
{
	time_t t = 42;
	if (date_parse_ahead(s, now, &t, NULL) != 0)
		return t == 42 ? REFUSED : REFUSED + 1;
	return (long long)t;
}

static long long parse(const char *s)
{
	return parse_at(s, (time_t)(U0301 + 1000 * D), NULL);
}

static const char *fmt(long long t)
{
	static char buf[DATE_BUFSZ];
	return date_format((time_t)t, buf);
}

static const char *day(long long t)
{
	static char buf[DATE_BUFSZ];
	return date_format_day((time_t)t, buf);
}

static const char *norm(const char *in, int want_date)
{
	static char buf[DATE_BUFSZ];
	memset(buf, 'X', sizeof(buf));
	if (date_normalize(in, want_date, buf) != 0)
		return buf[0] == 0 ? "ERR" : "ERR-but-buffer-written";
	return buf;
}

static void test_absolute_shanghai(void)
{
	set_tz("Asia/Shanghai");
	int only = -1;
	CHECK(parse_at("2026-03-01", 0, &only) == SH0301 && only == 1);
	CHECK(parse("2026/3/1") == SH0301);
	CHECK(parse("2026/03/01") == SH0301);
	CHECK(parse("2026.3.1") == SH0301);
	CHECK(parse("2026-3-1") == SH0301);
	CHECK(parse("20260301") == SH0301);
	CHECK(parse("2026年3月1日") == SH0301);
	CHECK(parse("2026年03月01日") == SH0301);
	CHECK(parse("2026年3月1号") == SH0301);
	CHECK(parse("2026年3月1") == SH0301);
	CHECK(parse("２０２６年３月１日") == SH0301);       /* full-width digits */
	CHECK(parse("２０２６－０３－０１") == SH0301);
	CHECK(parse("  2026-03-01\n") == SH0301);
	CHECK(parse("\xE3\x80\x80" "2026-03-01") == SH0301);

	only = -1;
	CHECK(parse_at("2026-03-01 10:00", 0, &only) == SH0301 + 10 * H && only == 0);
	CHECK(parse("2026-03-01 10:00:00") == SH0301 + 10 * H);
	CHECK(parse("2026-03-01T10:00:00") == SH0301 + 10 * H);
	CHECK(parse("2026-03-01t10:00") == SH0301 + 10 * H);
	CHECK(parse("2026/03/01 10:00") == SH0301 + 10 * H);
	CHECK(parse("2026-03-01   9:05") == SH0301 + 9 * H + 5 * 60);
	CHECK(parse("2026-03-01 23:59:59") == SH0301 + D - 1);
	CHECK(parse("2026-03-01 10:00:00.123") == SH0301 + 10 * H);
	CHECK(parse("2026年3月1日 10:00") == SH0301 + 10 * H);
	CHECK(parse("2026年3月1日10:00") == SH0301 + 10 * H);
	CHECK(parse("20260301 10:00") == SH0301 + 10 * H);
	CHECK(parse("2026-03-01 １０：００") == SH0301 + 10 * H);
}

static void test_absolute_zones(void)
{
	/* An explicit offset wins over TZ, whichever TZ is set. */
	const char *zones[] = { "Asia/Shanghai", "UTC" };
	for (int i = 0; i < 2; i++) {
		set_tz(zones[i]);
		CHECK(parse("2026-03-01T10:00:00+08:00") == U0301 + 2 * H);
		CHECK(parse("2026-03-01T10:00:00Z") == U0301 + 10 * H);
		CHECK(parse("2026-03-01T10:00:00z") == U0301 + 10 * H);
		CHECK(parse("2026-03-01T10:00Z") == U0301 + 10 * H);
		CHECK(parse("2026-03-01T10:00:00+0800") == U0301 + 2 * H);
		CHECK(parse("2026-03-01T10:00:00+08") == U0301 + 2 * H);
		CHECK(parse("2026-03-01T10:00:00-05:00") == U0301 + 15 * H);
		CHECK(parse("2026-03-01T10:00:00+05:30") == U0301 + 10 * H - 5 * H - 30 * 60);
		CHECK(parse("2026-03-01T10:00:00.5+08:00") == U0301 + 2 * H);
		CHECK(parse("2026-03-01 10:00 +08:00") == U0301 + 2 * H);
		CHECK(parse("2026-03-01T00:30:00+08:00") == U0301 - 7 * H - 30 * 60);
	}
	set_tz("UTC");
	CHECK(parse("2026-03-01") == U0301);
	CHECK(parse("2026-03-01 10:00") == U0301 + 10 * H);
	CHECK(parse("1970-01-01") == 0);
	CHECK(parse("1969-12-31 23:59:59") == -1);   /* -1 is a real time, not an error */
	CHECK(parse("2000-01-01") == 946684800LL);
}

static void test_impossible(void)
{
	set_tz("Asia/Shanghai");
	CHECK(parse("2026-02-30") == REFUSED);
	CHECK(parse("2026-02-29") == REFUSED);
	CHECK(parse("2024-02-29") == 1709164800LL - 8 * H);   /* leap year */
	CHECK(parse("2100-02-29") == REFUSED);                  /* not a leap year */
	CHECK(parse("2000-02-29") != REFUSED);                  /* but 2000 was */
	CHECK(parse("2026-04-31") == REFUSED);
	CHECK(parse("2026-13-01") == REFUSED);
	CHECK(parse("2026-00-10") == REFUSED);
	CHECK(parse("2026-01-00") == REFUSED);
	CHECK(parse("2026-01-32") == REFUSED);
	CHECK(parse("20260230") == REFUSED);
	CHECK(parse("2026年2月30日") == REFUSED);
	CHECK(parse("2026-03-01 24:00") == REFUSED);
	CHECK(parse("2026-03-01 10:60") == REFUSED);
	CHECK(parse("2026-03-01 10:00:60") == REFUSED);
	CHECK(parse("2026-03-01T10:00:00+15:00") == REFUSED);
	CHECK(parse("2026-03-01T10:00:00+08:60") == REFUSED);
	CHECK(parse("0000-01-01") == REFUSED);
}

static void test_garbage(void)
{
	set_tz("Asia/Shanghai");
	const char *bad[] = {
		"", "   ", "garbage", "2026", "2026-03", "26-03-01", "2026-03-01x",
		"2026-03-01 10", "2026-03-01 10:0", "2026-03-01 1000", "2026-03-01T",
		"2026-03-01 +08:00", "2026-03-01+08:00", "2026-03-01T10:00:00+8",
		"2026-03-01T10:00:00 Z x", "2026-03/01", "2026/03-01", "2026--03-01",
		"2026-003-01", "2026-03-001", "202603011", "2026031", "2026年3月",
		"2026年3月1日日", "3/1/2026", "01.03.2026", "March 1, 2026",
		"2026-03-01 10:00:00.", "todayx", "now!",
		"+", "-", "+d", "+3", "3d", "+3x", "+3 d", "+-3d", "++3d", "+3dd",
		"+1M", "+1y", "2026-03-01\xFF", "12026-03-01",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		long long got = parse(bad[i]);
		if (got != REFUSED)
			printf("# accepted \"%s\" as %lld\n", bad[i], got);
		CHECK(got == REFUSED);
	}
	time_t t = 7;
	CHECK(date_parse(NULL, 0, &t, NULL) == -1 && t == 7);
}

static void test_relative(void)
{
	set_tz("Asia/Shanghai");
	time_t now = (time_t)(SH0301 + 10 * H + 30 * 60);   /* 2026-03-01 10:30 */
	int only = -1;
	CHECK(parse_at("now", now, &only) == now && only == 0);
	CHECK(parse_at("NOW", now, NULL) == now);
	CHECK(parse_at("现在", now, NULL) == now);
	CHECK(parse_at("today", now, &only) == SH0301 && only == 1);
	CHECK(parse_at("Today", now, NULL) == SH0301);
	CHECK(parse_at("今天", now, NULL) == SH0301);
	CHECK(parse_at("tomorrow", now, &only) == SH0301 + D && only == 1);
	CHECK(parse_at("明天", now, NULL) == SH0301 + D);
	CHECK(parse_at("yesterday", now, &only) == SH0301 - D && only == 1);
	CHECK(parse_at("昨天", now, NULL) == SH0301 - D);
	only = -1;
	CHECK(parse_at("+3d", now, &only) == now + 3 * D && only == 0);
	CHECK(parse_at("-2w", now, NULL) == now - 14 * D);
	CHECK(parse_at("+4h", now, NULL) == now + 4 * H);
	CHECK(parse_at("+30m", now, NULL) == now + 30 * 60);   /* m is minutes */
	CHECK(parse_at("-90s", now, NULL) == now - 90);
	CHECK(parse_at("+0d", now, NULL) == now);
	CHECK(parse_at("+3天", now, NULL) == now + 3 * D);
	CHECK(parse_at("＋３ｄ", now, NULL) == now + 3 * D);
	CHECK(parse_at(" +3d ", now, NULL) == now + 3 * D);
	/* Crossing a month end and a year end by calendar. */
	CHECK(parse_at("-1d", now, NULL) == now - D);
	CHECK(parse_at("+365d", now, NULL) == now + 365 * D);
	/* Out of any sane range: refused rather than overflowing. */
	CHECK(parse_at("+99999999999999999999d", now, NULL) == REFUSED);
	CHECK(parse_at("+9999999999w", now, NULL) == REFUSED);

	/* Just before midnight "today" is still the same day. */
	time_t late = (time_t)(SH0301 + D - 1);
	CHECK(parse_at("today", late, NULL) == SH0301);
	CHECK(parse_at("tomorrow", late, NULL) == SH0301 + D);
	/* "today" is the local day: 10:30+08 is 02:30Z, same day in UTC. */
	set_tz("UTC");
	CHECK(parse_at("today", now, NULL) == U0301);
	time_t sh_morning = (time_t)(SH0301 + 5 * H);   /* 05:00+08 is 21:00Z the day before */
	CHECK(parse_at("today", sh_morning, NULL) == U0301 - D);
}

static void test_dst(void)
{
	/* US Eastern, spelled POSIX-style so no tzdata is needed:
	 * 2026-03-08 02:00 local the clocks jump to 03:00. */
	set_tz("EST5EDT,M3.2.0,M11.1.0");
	time_t now = (time_t)1772902800LL;   /* 2026-03-07T12:00:00-05:00 */
	CHECK_STR(fmt((long long)now), "2026-03-07T12:00:00-05:00");
	/* Days are calendar days: same clock time, 23 hours later. */
	CHECK(parse_at("+1d", now, NULL) == now + 23 * H);
	CHECK_STR(fmt(parse_at("+1d", now, NULL)), "2026-03-08T12:00:00-04:00");
	CHECK(parse_at("+24h", now, NULL) == now + 24 * H);
	CHECK_STR(fmt(parse_at("tomorrow", now, NULL)), "2026-03-08T00:00:00-05:00");
	CHECK_STR(fmt(parse_at("2026-03-09", now, NULL)), "2026-03-09T00:00:00-04:00");
	CHECK_STR(fmt(parse("2026-03-08 12:00")), "2026-03-08T12:00:00-04:00");
}

static void test_format(void)
{
	char buf[DATE_BUFSZ];
	set_tz("Asia/Shanghai");
	CHECK_STR(fmt(SH0301), "2026-03-01T00:00:00+08:00");
	CHECK_STR(fmt(U0301 + 10 * H), "2026-03-01T18:00:00+08:00");
	CHECK_STR(fmt(0), "1970-01-01T08:00:00+08:00");
	CHECK_STR(day(SH0301), "2026-03-01");
	CHECK_STR(day(SH0301 - 1), "2026-02-28");
	CHECK(date_format(0, buf) == buf && date_format_day(0, buf) == buf);

	set_tz("UTC");
	CHECK_STR(fmt(SH0301), "2026-02-28T16:00:00+00:00");
	CHECK_STR(fmt(-1), "1969-12-31T23:59:59+00:00");
	CHECK_STR(day(SH0301), "2026-02-28");

	set_tz("IST-5:30");
	CHECK_STR(fmt(U0301), "2026-03-01T05:30:00+05:30");
	set_tz("NST3:30");
	CHECK_STR(fmt(U0301), "2026-02-28T20:30:00-03:30");

	/* A year that would not print as four digits gives "", not junk. */
	set_tz("UTC");
	CHECK_STR(fmt(400000LL * 366 * D), "");
	CHECK_STR(day(400000LL * 366 * D), "");

	/* Parse and format agree for every stored form. */
	set_tz("Asia/Shanghai");
	CHECK_STR(fmt(parse(fmt(U0301 + 12345))), fmt(U0301 + 12345));
	CHECK(parse(fmt(U0301 + 12345)) == U0301 + 12345);
	set_tz("UTC");
	CHECK(parse("2026-03-01T18:00:00+08:00") == U0301 + 10 * H);
}

static void test_duration(void)
{
	long long s = -1;
	CHECK(duration_parse("7d", &s) == 0 && s == 7 * D);
	CHECK(duration_parse("2w", &s) == 0 && s == 14 * D);
	CHECK(duration_parse("4h", &s) == 0 && s == 4 * H);
	CHECK(duration_parse("30m", &s) == 0 && s == 30 * 60);
	CHECK(duration_parse("1m", &s) == 0 && s == 60);   /* minute, not month */
	CHECK(duration_parse("90s", &s) == 0 && s == 90);
	CHECK(duration_parse("7", &s) == 0 && s == 7 * D);
	CHECK(duration_parse("0", &s) == 0 && s == 0);
	CHECK(duration_parse("３天", &s) == 0 && s == 3 * D);
	CHECK(duration_parse("2周", &s) == 0 && s == 14 * D);
	CHECK(duration_parse("4小时", &s) == 0 && s == 4 * H);
	CHECK(duration_parse("30分钟", &s) == 0 && s == 30 * 60);
	CHECK(duration_parse(" 7d ", &s) == 0 && s == 7 * D);
	s = 99;
	const char *bad[] = {
		"", "d", "-7d", "+7d", "7 d", "7dd", "7x", "1M", "1y", "7.5d", "1h30m",
		"99999999999999999999", "9999999999999w", "abc", "７ｄｘ",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = duration_parse(bad[i], &s);
		if (rc == 0)
			printf("# accepted duration \"%s\"\n", bad[i]);
		CHECK(rc == -1 && s == 99);
	}
	CHECK(duration_parse(NULL, &s) == -1);
}

static void test_now(void)
{
	set_tz("Asia/Shanghai");
	setenv("CRM_NOW", "2026-03-01T10:00:00+08:00", 1);
	CHECK(date_now() == U0301 + 2 * H);
	setenv("CRM_NOW", "2026-03-01 10:00", 1);
	CHECK(date_now() == SH0301 + 10 * H);
	setenv("CRM_NOW", "2026年3月1日", 1);
	CHECK(date_now() == SH0301);

	/* Relative forms follow the pinned clock through date_normalize. */
	setenv("CRM_NOW", "2026-03-01T10:30:00+08:00", 1);
	CHECK_STR(norm("now", 0), "2026-03-01T10:30:00+08:00");
	CHECK_STR(norm("today", 0), "2026-03-01T00:00:00+08:00");
	CHECK_STR(norm("tomorrow", 1), "2026-03-02");
	CHECK_STR(norm("yesterday", 1), "2026-02-28");
	CHECK_STR(norm("+3d", 0), "2026-03-04T10:30:00+08:00");
	CHECK_STR(norm("+3d", 1), "2026-03-04");
	CHECK_STR(norm("-2w", 1), "2026-02-15");
	CHECK_STR(norm("+4h", 0), "2026-03-01T14:30:00+08:00");
	CHECK_STR(norm("+30m", 0), "2026-03-01T11:00:00+08:00");
	CHECK_STR(norm("+14h", 1), "2026-03-02");
	CHECK_STR(norm("2026/3/1", 0), "2026-03-01T00:00:00+08:00");
	CHECK_STR(norm("2026/3/1 9:05", 1), "2026-03-01");
	CHECK_STR(norm("2026-03-01T02:00:00Z", 0), "2026-03-01T10:00:00+08:00");
	CHECK_STR(norm("2026-02-28T20:00:00Z", 1), "2026-03-01");   /* the local day */
	CHECK_STR(norm("２０２６年３月１日", 1), "2026-03-01");
	CHECK_STR(norm("2026-02-30", 1), "ERR");
	CHECK_STR(norm("soon", 0), "ERR");
	CHECK_STR(norm("", 1), "ERR");

	/* The same pinned instant seen from UTC. */
	set_tz("UTC");
	CHECK_STR(norm("now", 0), "2026-03-01T02:30:00+00:00");
	CHECK_STR(norm("today", 1), "2026-03-01");

	/* CRM_NOW may itself be relative, to the real clock. */
	setenv("CRM_NOW", "+0d", 1);
	time_t before = time(NULL);
	time_t got = date_now();
	CHECK(got >= before && got <= time(NULL));

	/* Unset or unparsable: the real clock. */
	setenv("CRM_NOW", "not a time", 1);
	before = time(NULL);
	got = date_now();
	CHECK(got >= before && got <= time(NULL));
	unsetenv("CRM_NOW");
	before = time(NULL);
	got = date_now();
	CHECK(got >= before && got <= time(NULL));
}

/* The words people say for a day and a time, on Wednesday 2026-03-04
 * 10:30 in Shanghai (weeks start on Monday). */
#define SH0304 (SH0301 + 3 * D)
#define SH1215 1797264000LL   /* 2026-12-15T00:00:00+08:00 */
static void test_words(void)
{
	set_tz("Asia/Shanghai");
	time_t now = (time_t)(SH0304 + 10 * H + 30 * 60);
	int only = -1;
	/* days */
	CHECK(parse_at("今天", now, &only) == SH0304 && only == 1);
	CHECK(parse_at("明天", now, NULL) == SH0304 + D);
	CHECK(parse_at("后天", now, NULL) == SH0304 + 2 * D);
	CHECK(parse_at("大后天", now, NULL) == SH0304 + 3 * D);
	CHECK(parse_at("前天", now, NULL) == SH0304 - 2 * D);
	CHECK(parse_at("TOMORROW", now, NULL) == SH0304 + D);
	/* this week's (Monday to Sunday), next week's, last week's */
	only = -1;
	CHECK(parse_at("本周一", now, &only) == SH0301 + D && only == 1);
	CHECK(parse_at("本周五", now, NULL) == SH0301 + 5 * D);
	CHECK(parse_at("周五", now, NULL) == SH0301 + 5 * D);
	CHECK(parse_at("星期五", now, NULL) == SH0301 + 5 * D);
	CHECK(parse_at("这周三", now, NULL) == SH0304);
	CHECK(parse_at("本周日", now, NULL) == SH0301 + 7 * D);
	CHECK(parse_at("周天", now, NULL) == SH0301 + 7 * D);
	CHECK(parse_at("周一", now, NULL) == SH0301 + D);   /* this week's, though past */
	CHECK(parse_at("下周一", now, NULL) == SH0301 + 8 * D);
	CHECK(parse_at("下周三", now, NULL) == SH0301 + 10 * D);
	CHECK(parse_at("下周日", now, NULL) == SH0301 + 14 * D);
	CHECK(parse_at("下个星期三", now, NULL) == SH0301 + 10 * D);
	CHECK(parse_at("下礼拜五", now, NULL) == SH0301 + 12 * D);
	CHECK(parse_at("上周五", now, NULL) == SH0301 - 2 * D);
	CHECK(parse_at("monday", now, NULL) == SH0301 + 8 * D);      /* the coming one */
	CHECK(parse_at("wednesday", now, NULL) == SH0304);           /* today is one */
	CHECK(parse_at("Friday", now, NULL) == SH0301 + 5 * D);
	CHECK(parse_at("sun", now, NULL) == SH0301 + 7 * D);
	CHECK(parse_at("next monday", now, NULL) == SH0301 + 8 * D);
	CHECK(parse_at("next wednesday", now, NULL) == SH0301 + 10 * D);
	CHECK(parse_at("next sunday", now, NULL) == SH0301 + 14 * D);
	CHECK(parse_at("this friday", now, NULL) == SH0301 + 5 * D);
	CHECK(parse_at("last friday", now, NULL) == SH0301 - 2 * D);
	/* a day of this year */
	CHECK(parse_at("12-15", now, &only) == SH1215 && only == 1);
	CHECK(parse_at("12/15", now, NULL) == SH1215);
	CHECK(parse_at("12月15日", now, NULL) == SH1215);
	CHECK(parse_at("12月15号", now, NULL) == SH1215);
	CHECK(parse_at("3-4", now, NULL) == SH0304);
	/* a time alone: today's; for a due time, tomorrow's once it is past */
	only = -1;
	CHECK(parse_at("15:00", now, &only) == SH0304 + 15 * H && only == 0);
	CHECK(parse_at("9:00", now, NULL) == SH0304 + 9 * H);
	CHECK(ahead_at("9:00", now) == SH0304 + D + 9 * H);
	CHECK(ahead_at("15:00", now) == SH0304 + 15 * H);
	CHECK(ahead_at("10:30", now) == now);
	CHECK(ahead_at("3点", now) == SH0304 + D + 3 * H);   /* 3 a.m., past */
	CHECK(ahead_at("12am", now) == SH0304 + D);
	CHECK(ahead_at("今天 9:00", now) == SH0304 + 9 * H);   /* said so: not moved */
	CHECK(ahead_at("tomorrow", now) == SH0304 + D);
	CHECK(ahead_at("soon", now) == REFUSED);
	CHECK(parse_at("10:30", now, NULL) == now);
	CHECK(parse_at("下午3点", now, NULL) == SH0304 + 15 * H);
	CHECK(parse_at("下午3点半", now, NULL) == SH0304 + 15 * H + 30 * 60);
	CHECK(parse_at("15点20分", now, NULL) == SH0304 + 15 * H + 20 * 60);
	CHECK(parse_at("晚上8:30", now, NULL) == SH0304 + 20 * H + 30 * 60);
	CHECK(parse_at("3点", now, NULL) == SH0304 + 3 * H);   /* 3 a.m. */
	CHECK(parse_at("中午", now, NULL) == SH0304 + 12 * H);
	CHECK(parse_at("中午1点", now, NULL) == SH0304 + 13 * H);
	CHECK(parse_at("3pm", now, NULL) == SH0304 + 15 * H);
	CHECK(parse_at("3:30 PM", now, NULL) == SH0304 + 15 * H + 30 * 60);
	CHECK(parse_at("12pm", now, NULL) == SH0304 + 12 * H);
	CHECK(parse_at("12am", now, NULL) == SH0304);
	CHECK(parse_at("noon", now, NULL) == SH0304 + 12 * H);
	/* a day and a time */
	only = -1;
	CHECK(parse_at("明天 14:00", now, &only) == SH0304 + D + 14 * H && only == 0);
	CHECK(parse_at("明天14:00", now, NULL) == SH0304 + D + 14 * H);
	CHECK(parse_at("tomorrow 14:00", now, NULL) == SH0304 + D + 14 * H);
	CHECK(parse_at("tomorrow at 2pm", now, NULL) == SH0304 + D + 14 * H);
	CHECK(parse_at("明天下午3点", now, NULL) == SH0304 + D + 15 * H);
	CHECK(parse_at("今天 9:00", now, NULL) == SH0304 + 9 * H);   /* said so: not moved */
	CHECK(parse_at("下周一 9:30", now, NULL) == SH0301 + 8 * D + 9 * H + 30 * 60);
	CHECK(parse_at("next monday 9:30", now, NULL) == SH0301 + 8 * D + 9 * H + 30 * 60);
	CHECK(parse_at("周五上午10点", now, NULL) == SH0301 + 5 * D + 10 * H);
	CHECK(parse_at("12-15 10:00", now, NULL) == SH1215 + 10 * H);
	CHECK(parse_at("12月15日 下午2点", now, NULL) == SH1215 + 14 * H);
	CHECK(parse_at("2026-12-15 下午2点", now, NULL) == SH1215 + 14 * H);
	CHECK(parse_at("+2d 14:00", now, NULL) == SH0304 + 2 * D + 14 * H);
	CHECK(parse_at("+3天下午2点", now, NULL) == SH0304 + 3 * D + 14 * H);
	CHECK(parse_at("１２：００", now, NULL) == SH0304 + 12 * H);   /* full-width */
	/* not times */
	const char *bad[] = {
		"13pm", "0am", "25:00", "明天 25:00", "周八", "下周", "next", "next week", "12-32", "2-30",
		"明天 3", "15", "下午", "monday x", "mondayx", "+4h 10:00", "12.15", "12-15-", "明天 14:00 x",
		"下午3点x", "3点60分", "13-01", "nextmonday", "周五 发方案",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		long long got = parse_at(bad[i], now, NULL);
		if (got != REFUSED)
			printf("# accepted \"%s\" as %lld\n", bad[i], got);
		CHECK(got == REFUSED);
	}
	/* the same words through date_normalize and a pinned clock */
	setenv("CRM_NOW", "2026-03-04 10:30", 1);
	CHECK_STR(norm("tomorrow 14:00", 0), "2026-03-05T14:00:00+08:00");
	CHECK_STR(norm("下周一", 1), "2026-03-09");
	CHECK_STR(norm("12-15", 1), "2026-12-15");
	CHECK_STR(norm("9:00", 0), "2026-03-04T09:00:00+08:00");
	{
		char buf[DATE_BUFSZ];
		CHECK(date_normalize_ahead("9:00", 0, buf) == 0);
		CHECK_STR(buf, "2026-03-05T09:00:00+08:00");
		CHECK(date_normalize_ahead("soon", 0, buf) == -1);
	}
	setenv("CRM_NOW", "tomorrow 9:00", 1);   /* the pin itself, relative to the real clock */
	time_t want;
	CHECK(date_parse("tomorrow 9:00", time(NULL), &want, NULL) == 0 && date_now() == want);
	unsetenv("CRM_NOW");
}

static void test_add_days(void)
{
	char buf[DATE_BUFSZ];
	CHECK_STR(date_add_days("2026-12-03", 30, buf), "2027-01-02");
	CHECK_STR(date_add_days("2028-02-28", 1, buf), "2028-02-29");   /* a leap year */
	CHECK_STR(date_add_days("2027-03-01", -1, buf), "2027-02-28");
	CHECK_STR(date_add_days("2026-12-03", 0, buf), "2026-12-03");
	CHECK_STR(date_add_days("tomorrow", 1, buf), "");
}

int main(void)
{
	unsetenv("CRM_NOW");
	test_absolute_shanghai();
	test_absolute_zones();
	test_impossible();
	test_garbage();
	test_relative();
	test_dst();
	test_format();
	test_duration();
	test_now();
	test_words();
	test_add_days();
	UNIT_DONE();
}
