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

/* Parse a user's time: "2026-03-01", "2026/3/1", "2026-03-01 10:00",
 * "2026-03-01T10:00:00+08:00", "2026年3月1日", "today", "tomorrow",
 * "yesterday", "now", "+3d", "-2w", "+4h", "+30m" (relative to now).
 * Date-only forms mean local midnight and set *date_only (may be NULL).
 * Returns 0, or -1 when the text is not a time. */
int date_parse(const char *in, time_t now, time_t *out, int *date_only);

/* A span: "7d", "2w", "4h", "30m", "1m" (minute), "90s", or a bare
 * number of days ("7"). Returns 0, or -1. */
int duration_parse(const char *in, long long *seconds);

/* ISO 8601 with the local offset, into buf of DATE_BUFSZ. */
char *date_format(time_t t, char *buf);
/* "YYYY-MM-DD" in local time, into buf of DATE_BUFSZ. */
char *date_format_day(time_t t, char *buf);

/* Normalise a stored/entered value to canonical text: a time to
 * date_format(), or with want_date to "YYYY-MM-DD". Returns 0 or -1. */
int date_normalize(const char *in, int want_date, char *buf);

#endif
