/* sla.h: the service layer's clock, used by tickets (first_response_due,
 * resolve_due, breached) and by `report service` (how long responses and
 * resolutions took). It is pure: no database and no config lookups; the
 * caller passes the sla.hours and sla.PRIORITY texts and the instants.
 * The rules: both clocks start when the ticket is opened; only counted
 * time runs them; without business hours every second counts, with them
 * only the seconds inside the day's window on an open weekday, in local
 * time (TZ, through localtime_r and mktime, so a DST day has its real
 * length), and a start outside the window counts from the next opening;
 * time inside a pause (pending, [from, to)) never counts; a day (d) is one
 * business day's window (9 h for 09:00-18:00) or 24 h without business
 * hours, and a week (w) is the open days of one week (5 business days for
 * 1-5) or 7 days; spans are real seconds, so a window that a DST change
 * falls inside is an hour shorter or longer that day; a due time is the
 * first instant at which the counted time since the start reaches the
 * span, and a clock is breached once its due time has passed. */
#ifndef CRM_SLA_H
#define CRM_SLA_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* The business calendar. All zero (days == 0) is calendar hours: every
 * second counts. Else the window [open, close) in seconds after local
 * midnight (0 <= open < close <= 86400) on every weekday whose bit is set
 * in days (bit 1 = Monday .. bit 7 = Sunday). */
struct sla_hours {
	int open, close;
	unsigned days;
};

/* Parse sla.hours: "09:00-18:00 1-5", "08:30-12:00 1-5,6",
 * "09:00-18:00 1,2,3,4,5", "00:00-24:00 1-7" (24:00 only as a closing
 * time). NULL, "" or blanks: calendar hours. One window a day; one that
 * ends at or before it starts, a day outside 1..7, a backwards range
 * ("5-1") and a missing day list are errors. Returns 0, or -1 with a
 * message in err (which does not name the config key: the caller adds
 * "sla.hours: "); *h is untouched on error. */
int sla_hours_parse(const char *spec, struct sla_hours *h, char *err, size_t errsz);

/* Length of one business day (close - open), or 86400 for calendar hours. */
long long sla_day_length(const struct sla_hours *h);

/* Longest span accepted: 522 weeks (10 years) of the calendar's counted
 * time, so a walk over days always ends soon. */
#define SLA_SPAN_MAX_WEEKS 522

/* A span of counted time: "30m", "90m", "4h", "1d", "3d", "1d4h",
 * "2w", "45s", in units w d h m s (or 周 天/日 小时 分钟/分 秒), largest
 * first, each at most once, optionally with blanks between; a bare number
 * is refused (is "4" hours or days?). d and w follow h as described at
 * the top; h may be NULL (calendar hours). Returns 0 and *secs, or -1. */
int sla_span_parse(const char *span, const struct sla_hours *h, long long *secs);

/* Both clocks of a priority, in counted seconds. */
struct sla_policy {
	long long first;     /* to the first response */
	long long resolve;   /* to the resolution */
};

/* Parse sla.PRIORITY, "FIRST/RESOLVE" ("1h/4h", "8h / 3d"). Returns 0,
 * or -1 with a message in err (without the key). */
int sla_policy_parse(const char *value, const struct sla_hours *h, struct sla_policy *p,
                     char *err, size_t errsz);

/* The built-in sla.PRIORITY text: urgent "1h/4h", high "4h/1d",
 * normal "8h/3d", low "1d/7d"; NULL for another priority. */
const char *sla_policy_default(const char *priority);

/* A stretch of time the ticket was pending: [from, to). to == 0 means it
 * is still pending. A pause with 0 < to <= from is empty. Pauses may
 * overlap and come in any order. */
struct sla_pause {
	time_t from, to;
};

/* What sla_due returns when it has no instant: PENDING when an open pause
 * began before the span ran out (the due time is not yet known: it moves
 * on when the ticket leaves pending); INVALID for a bad calendar, a span
 * < 0 or over the maximum, a start more than 2^40 s (34000 years) from
 * 1970, or out of memory. Neither is a time a ticket can have (they are
 * the two smallest time_t values). */
#define SLA_PENDING ((time_t)(sizeof(time_t) >= 8 ? INT64_MIN : INT32_MIN))
#define SLA_INVALID (SLA_PENDING + 1)

/* The first instant at which secs of counted time have passed since
 * start, skipping time outside business hours and inside the pauses. A
 * span of 0 is due at start. h may be NULL (calendar hours). */
time_t sla_due(const struct sla_hours *h, time_t start, long long secs,
               const struct sla_pause *pauses, int npauses);

/* Counted seconds in [from, to): 0 when to <= from; an open pause
 * excludes everything after its start. sla_elapsed(h, s, sla_due(h, s,
 * n, ...), ...) == n. Returns -1 for a bad calendar or out of memory. */
long long sla_elapsed(const struct sla_hours *h, time_t from, time_t to,
                      const struct sla_pause *pauses, int npauses);

/* 1 when a clock is past due: done (the response or resolution, 0 while
 * not done) after due, or not done and now after due. Being done exactly
 * at due is within the SLA; a PENDING or INVALID due is never breached. */
int sla_breached(time_t due, time_t done, time_t now);

#endif
