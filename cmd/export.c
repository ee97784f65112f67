/* export.c: crm export TYPE */
#include <string.h>

#include "core/cmd.h"
#include "core/type.h"
#include "data/export.h"
#include "records.h"

static const struct opt export_opts[] = {
	{ "format", 'f', "FMT", "csv (default), tsv, jsonl or xlsx (default from -o FILE's name)", false },
	{ "output", 'o', "FILE", "write to FILE instead of stdout", false },
	{ "bom", 0, NULL, "start a CSV with a UTF-8 BOM, so Excel opens it right", false },
	{ "headers", 0, "zh|en", "column headers: field names (en, default) or Chinese (zh)", false },
	LIST_OPTS,
	OPT_END
};

static int export_exec(struct crm *c, struct args *a)
{
	struct export_opts e = {
		.type = a->argv[0],
		.format = arg_get(a, "format"),
		.file = arg_get(a, "output"),
		.bom = arg_has(a, "bom"),
	};
	const char *h = arg_get(a, "headers");
	if (h && strcmp(h, "zh") && strcmp(h, "en"))
		return cmd_usage_error(c, "--headers: '%s' is not zh or en", h);
	e.zh = h && !strcmp(h, "zh");
	int rc = query_from_args(c, a, &e.q);
	return rc ? rc : export_run(c, &e);
}

static const struct cmd_verb export_verbs[] = {
	{ "", "TYPE [--format csv|tsv|jsonl|xlsx] [--bom] [--headers zh|en] [-o FILE] [--where EXPR] ...",
	  "export records with every field, for Excel or another crm", export_opts, DB_READ, 1, 1, export_exec,
	  VERB_SERVER },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.summary = "export records to CSV, TSV, .xlsx or JSON lines",
	.verbs = export_verbs,
	.description = "Every field is exported, custom fields too, so 'crm import' reads the file\n"
		       "back as it was. Money is in major units, tags comma-separated (as a JSON\n"
		       "list, [\"上海,北京\",\"VIP\"], when a tag has a comma), times ISO 8601.\n"
		       "With --headers zh the columns are 姓名, 手机, ... (a custom field\n"
		       "imported from a spreadsheet keeps its column's name). --bom makes Excel\n"
		       "read a CSV as UTF-8; .xlsx keeps phones as text. The list filters\n"
		       "(--where, --owner, --tag, ...) choose the records.\n"
		       "In csv and tsv a text cell starting with = + - @ (a formula to a spreadsheet)\n"
		       "gets a ' before it, as OWASP recommends; numbers stay as they are; --raw\n"
		       "writes cells as they are; crm import reads a guarded cell back as it was.\n"
		       "-o FILE is written under a temporary name and renamed when whole (a\n"
		       "failure leaves no file), readable by you alone.",
};
