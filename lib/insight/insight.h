/* insight.h: the insight layer: what a manager opens in the morning.
 *
 * lib/insight (layer 7) is the top of the features: the dashboard
 * (dashboard.h: one screen of text, JSON lines of its panels, or one
 * self-contained HTML page), the weekly report nobody has to write
 * (weekly.h), KPIs over time (kpi.h) and --compare previous on the
 * reports (compare.h), over periods and teams (period.h). It computes no
 * number of its own that a report already has: every panel reads the
 * rows of the report it shows (sales/report.h; cash's and service's
 * reports, their rows caught as they print them: layers.h), and a panel
 * whose layer is not in this crm says so instead of showing a number (it
 * asks the type registry at run time: type_find(c, "payment")). It may use every layer below it;
 * nothing uses it but cmd/ and lib/modules.c. */
#ifndef CRM_INSIGHT_INSIGHT_H
#define CRM_INSIGHT_INSIGHT_H

#include "core/module.h"

extern const struct module insight_module;

#endif
