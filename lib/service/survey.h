/* survey.h: satisfaction surveys (CLI.md 8.3): a CSAT answer 1-5 or an
 * NPS answer 0-10 about a ticket, an account or a contact, and what
 * `crm report satisfaction` and the dashboard make of them.
 *
 * csat_pct: answers 4-5 among the CSAT answers, in percent; nps: the
 * percent of NPS answers 9-10 minus the percent of 0-6; both rounded to
 * one decimal (half away from zero), and absent where there are no such
 * answers. A survey's account_id, owner (of what it is about) and
 * category (a ticket's) follow from what it is about. */
#ifndef CRM_SERVICE_SURVEY_H
#define CRM_SERVICE_SURVEY_H

#include <stdbool.h>
#include "core/crm.h"
#include "core/type.h"

extern const struct type survey_type;

/* The counts behind one line of the report. */
struct satisfaction {
	char *key;                  /* the group (month, owner, category); NULL: all */
	long long responses;        /* CSAT and NPS answers */
	long long csat_answers, csat_happy;            /* happy: 4 or 5 */
	long long nps_answers, promoters, detractors;  /* 9-10, 0-6 */
};

/* csat_pct and nps of s, times ten, as whole numbers (667 is 66.7%),
 * rounded half away from zero; false when there are no such answers. */
bool satisfaction_csat_pct10(const struct satisfaction *s, long long *pct10);
bool satisfaction_nps10(const struct satisfaction *s, long long *nps10);

struct satisfaction_opts {
	const char *by;     /* NULL (one line), month, owner, category */
	const char *since;  /* answers at or after (a time or a span: 30d) */
	const char *owner;  /* only the surveys of what USER owns */
};

/* The groups the acting user may see, in key order: an array the caller
 * frees with satisfaction_free. CRM_NOTFOUND (with *n = 0) when there
 * are no answers. */
int satisfaction_compute(struct crm *c, const struct satisfaction_opts *o, struct satisfaction **rows, int *n);
void satisfaction_free(struct satisfaction *rows, int n);
/* One {"type":"satisfaction",...} line for s, as the report prints it. */
void satisfaction_emit(struct crm *c, const char *by, const struct satisfaction *s);
/* crm report satisfaction: compute and print. */
int satisfaction_report(struct crm *c, const struct satisfaction_opts *o);

/* Time "since" for reports: a time, or a span back from now (30d).
 * CRM_USAGE naming opt when it is neither. */
int service_since(struct crm *c, const char *opt, const char *in, char out[32]);

#endif
