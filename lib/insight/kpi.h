/* kpi.h: crm report kpi, how the team works, period by period.
 *
 * One {"type":"kpi","kpi":...,"label":...,"value":...,"unit":...} line
 * per measure, for the leads and deals of the period (default: this month
 * so far):
 *   lead_response_hours   median hours from a lead's creation to its first
 *                         activity (leads created in the period that have
 *                         one; an activity logged before it counts as 0)
 *   lead_to_deal_pct      leads created in the period that became deals
 *   win_rate_pct          won of the deals won or lost in the period
 *   sales_cycle_days      average days from the lead's creation (the
 *                         deal's, without a lead) to won, of the deals won
 *                         in the period (report cycle gives the median)
 *   data_completeness_pct leads created in the period with a phone, a
 *                         company, an industry and a source (each field's
 *                         share beside it)
 * A measure with nothing to measure has no value. With --compare previous
 * each value is beside the previous period's and the change (compare.h). */
#ifndef CRM_INSIGHT_KPI_H
#define CRM_INSIGHT_KPI_H

#include <stdbool.h>

#include "core/crm.h"

struct kpi_opts {
	const char *since;
	const char *owner, *team;
	const char *compare;   /* "previous", or NULL */
};

int kpi_run(struct crm *c, const struct kpi_opts *k);

#endif
