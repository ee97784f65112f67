/* panel.h: reading the dashboard's panels, for the pages drawn from them.
 *
 * The dashboard is a list of panels, each a cJSON object: exactly the
 * JSON lines `crm report dashboard` prints into a pipe
 * ({"type":"dashboard","panel":"funnel","title":...,"source":"crm report
 * funnel --since ...","rows":[...]}, or "available":false with a
 * "reason"). The text screen and the HTML page only draw what is there;
 * these helpers read it the same way for both. */
#ifndef CRM_INSIGHT_PANEL_H
#define CRM_INSIGHT_PANEL_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

/* The panel called id, or NULL. */
const cJSON *panel_find(const cJSON *panels, const char *id);
/* Whether it is there and has its numbers (not "not available"). */
bool panel_available(const cJSON *panel);
/* A text value of an object, or dflt. */
const char *panel_str(const cJSON *obj, const char *key, const char *dflt);
/* A number of an object (money exact, in minor units; counts too), and
 * whether it is there. */
bool panel_minor(const cJSON *obj, const char *key, long long *minor);
double panel_double(const cJSON *obj, const char *key);
bool panel_has(const cJSON *obj, const char *key);
/* The exact JSON text of a number (as the report prints it), into buf. */
const char *panel_json(const cJSON *obj, const char *key, char *buf, size_t n);

/* The largest value of key in rows (0 when none is above 0). */
double panel_max(const cJSON *rows, const char *key);

/* The six months up to now ("2026-03") and the forecast's row of each
 * (NULL: none, nothing won then), of the rows' first currency: the won
 * amount month by month, several currencies never added up. */
void panel_last_months(const cJSON *rows, const char *now, const cJSON *row[6], char month[6][8]);

/* An amount as people read it: "¥1,234,567", "¥30,000.50", "$12.00",
 * "1,000 JPY": the symbol of its currency, thousands separated, cents
 * shown when there are any. Into buf. */
const char *panel_money(long long minor, const char *currency, char *buf, size_t n);
/* A count with thousands separated, into buf. */
const char *panel_count(long long n, char *buf, size_t size);

#endif
