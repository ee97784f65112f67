/* compare.h: a report beside the same report for the period before
 * (--compare previous on funnel, sources, leaderboard, satisfaction).
 *
 * Both periods are computed by the report's own rows function; each row
 * of this period gets, after each of its numbers K, K_previous (the
 * previous period's) and K_change (this minus previous: points for a
 * percentage, exact for money), matched by the row's names (stage,
 * source, owner, currency). A row only the previous period has follows,
 * with its counts and amounts 0 now. Every row ends with since, until,
 * previous_since and previous_until. */
#ifndef CRM_INSIGHT_COMPARE_H
#define CRM_INSIGHT_COMPARE_H

#include <cjson/cJSON.h>

#include "core/crm.h"
#include "insight/period.h"
#include "sales/report.h"

/* Whether report (funnel, sources, leaderboard, ...) can be compared. */
bool compare_known(const char *report);

/* Print report for the period p beside the period before it. r holds the
 * other filters (pipeline, owner, members). */
int compare_report(struct crm *c, const char *report, const struct report_opts *r, const struct period *p);

/* The rows of cur with those of prev beside them, as above: a new array. */
cJSON *compare_rows(const cJSON *cur, const cJSON *prev, const struct period *p, const struct period *pp);

/* Print rows: a table of tcols, csv/tsv of every key the rows have. */
void compare_print(struct crm *c, const cJSON *rows, const char *const *tcols, int nt);

#endif
