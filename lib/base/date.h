/* date.h: times as crm stores and prints them.
 *
 * A time is text "YYYY-MM-DDTHH:MM:SS+HH:MM" in local time (TZ), so it sorts
 * and compares in SQL (julianday() understands the offset). A date is
 * "YYYY-MM-DD". "Now" is time(NULL) unless $CRM_NOW holds a time in any
 * accepted input form: tests and replays pin the clock with it. */
#ifndef CRM_DATE_H
#define CRM_DATE_H

#include <stddef.h>
#include <time.h>

#define DATE_BUFSZ 32

/* The current time, honouring $CRM_NOW. */
time_t date_now(void);

/* Parse a user's time. A day: "2026-03-01", "2026/3/1", "2026年3月1日",
 * "12-15", "12/15", "12月15日" (this year), "today", "tomorrow",
 * "yesterday", 今天 明天 后天 大后天 昨天 前天, a weekday: 周五 星期五 本周五 (this
 * week's, weeks start on Monday), 下周一 (next week's), 上周五, "monday"
 * (the coming one, today included), "this friday", "next monday" (next
 * week's), "last friday". A time of day: "14:00", "9:30:15", "3pm",
 * "10:30 am", "noon", 下午3点, 3点半, 15点20分, 晚上8:30, 中午; alone it is
 * today's. A day and a time: "2026-03-01 10:00", "明天 14:00", "tomorrow at
 * 2pm", "下周一 9:30", "+2d 14:00". An instant: "2026-03-01T10:00:00+08:00",
 * "now". Relative to now: "+3d", "-2w" (calendar days, keeping the clock),
 * "+4h", "+30m". Date-only forms mean local midnight and set *date_only
 * (may be NULL). Returns 0, or -1 when the text is not a time. */
int date_parse(const char *in, time_t now, time_t *out, int *date_only);
/* The same, for a time something is due: a time of day alone that is
 * already past today is tomorrow's ("15:00" at 16:00). */
int date_parse_ahead(const char *in, time_t now, time_t *out, int *date_only);

/* A span: "7d", "2w", "4h", "30m", "1m" (minute), "90s", or a bare
 * number of days ("7"). Returns 0, or -1. */
int duration_parse(const char *in, long long *seconds);

/* ISO 8601 with the local offset, into buf of DATE_BUFSZ. */
char *date_format(time_t t, char *buf);
/* "YYYY-MM-DD" in local time, into buf of DATE_BUFSZ. */
char *date_format_day(time_t t, char *buf);
/* The day DAYS calendar days after DAY ("YYYY-MM-DD"; DAYS may be
 * negative), into buf of DATE_BUFSZ; "" when DAY is no day. */
char *date_add_days(const char *day, long long days, char *buf);

/* Normalise a stored/entered value to canonical text: a time to
 * date_format(), or with want_date to "YYYY-MM-DD". Returns 0 or -1. */
int date_normalize(const char *in, int want_date, char *buf);
/* The same, read as date_parse_ahead() does. */
int date_normalize_ahead(const char *in, int want_date, char *buf);

#endif
