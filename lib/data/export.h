/* export.h: records out to spreadsheets (csv, tsv, xlsx) and JSON lines,
 * every field included, Chinese headers on request. */
#ifndef CRM_EXPORT_H
#define CRM_EXPORT_H

#include "core/crm.h"
#include "core/query.h"

struct export_opts {
	const char *type;
	const char *format;   /* csv, tsv, jsonl, xlsx; NULL: from file, else csv */
	const char *file;     /* NULL: stdout */
	bool bom;             /* a UTF-8 BOM, so Excel reads the CSV as UTF-8 */
	bool zh;              /* Chinese headers */
	struct query q;       /* which records */
};

int export_run(struct crm *c, const struct export_opts *e);

#endif
