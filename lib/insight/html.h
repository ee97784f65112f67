/* html.h: the dashboard as one self-contained HTML page.
 *
 * Inline CSS and SVG drawn here, no script, no font or image fetched: it
 * opens offline and prints on one A4 page in landscape (@page). Every
 * number is a <data value="..."> whose value is the JSON text the panel's
 * report prints, with data-panel, data-row and data-key saying which
 * (tests and scripts read the page's numbers back); every panel is a
 * <section data-panel="..." data-source="crm report ...">. */
#ifndef CRM_INSIGHT_HTML_H
#define CRM_INSIGHT_HTML_H

#include <cjson/cJSON.h>

/* The page for the panels (dashboard.h). Newly allocated. */
char *html_dashboard(const cJSON *panels);

#endif
