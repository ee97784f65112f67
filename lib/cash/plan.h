/* plan.h: payment plans (回款计划): a signed contract's numbered
 * instalments (installment 1, 2, ...) with an amount and a due date,
 * adding up to no more than the contract's amount. A plan reads
 * received (what payments were applied to it), unreceived and its
 * status: pending, partial, paid, or overdue (due has passed and it is
 * not paid, a partly paid one too). */
#ifndef CRM_CASH_PLAN_H
#define CRM_CASH_PLAN_H

#include "core/event.h"
#include "core/type.h"

extern const struct type plan_type;

/* plan split: instalments of contract from percentages ("30%,40%,30%",
 * the last taking the rounding remainder), the first due on first, the
 * next every span ("1m" a month, "2w", "10d", "1q", "1y"; default 1m).
 * Prints them. */
int plan_split(struct crm *c, long long contract, const char *parts, const char *first, const char *every);

/* A plan with payments applied to it is not removed (exit 4). */
int plan_on_removed(struct crm *c, const struct change *ch);

/* Add months to a date ("2026-01-31" + 1 -> "2026-02-28"), into buf of
 * DATE_BUFSZ. Returns 0, or -1 for a bad date. */
int plan_add_months(const char *date, int months, char *buf);

#endif
