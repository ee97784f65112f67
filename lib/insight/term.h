/* term.h: the dashboard as one screen of text.
 *
 * Cards for the period's numbers, then the funnel, the forecast, the top
 * reps and deals as bar charts, the won amount month by month as a
 * sparkline; laid out for 80 columns (two panels side by side), or 160
 * (three). Double-width (CJK) text is measured as such, so columns line
 * up; colour only when allowed (a terminal, NO_COLOR unset). */
#ifndef CRM_INSIGHT_TERM_H
#define CRM_INSIGHT_TERM_H

#include <stdbool.h>
#include <cjson/cJSON.h>

/* The screen for the panels (dashboard.h), layout 80 or 160 columns wide,
 * each line cut at max columns when the terminal is narrower (0: not).
 * Newly allocated. */
char *term_dashboard(const cJSON *panels, int layout, int max, bool color);

#endif
