/* import.c: crm import TYPE FILE... */
#include <stdlib.h>
#include <string.h>

#include "core/cmd.h"
#include "core/type.h"
#include "data/import.h"

static const struct opt import_opts[] = {
	{ "format", 'f', "FMT", "csv, tsv, jsonl or xlsx (default: from the file name; stdin: csv)", false },
	{ "encoding", 'e', "ENC", "auto (default), utf-8, gbk, gb18030, utf-16", false },
	{ "sheet", 0, "NAME", "the sheet of an .xlsx workbook (default: the first)", false },
	{ "map", 'm', "COL=FIELD,...", "which column fills which field (FIELD - ignores the column)", false },
	{ "map-name", 0, "NAME", "start from the mapping saved under NAME", false },
	{ "save-map", 0, "NAME", "save the mapping in effect under NAME", false },
	{ "create-fields", 0, NULL, "unknown columns become new custom fields (else ignored; an admin's, as field add is)", false },
	{ "errors", 0, "FILE", "write rejected rows and skipped duplicates to FILE as JSON lines", false },
	{ "on-duplicate", 0, "ACTION", "skip (default), update, merge or error", false },
	{ "key", 'k', "FIELD", "match duplicates by FIELD (default: phone or email; accounts: name; a numbered record: its number)", false },
	{ "dry-run", 'n', NULL, "check and report (--errors FILE too); the database stays as it was", false },
	{ "atomic", 0, NULL, "all or nothing: one rejected row imports nothing", false },
	{ "resume", 0, NULL, "go on after the line an interrupted import of the same file reached", false },
	{ "print", 0, NULL, "print the records written as JSON lines", false },
	{ "batch", 0, "N", "rows per commit (default 50000; at least every half second)", false },
	OPT_END
};

static int import_exec(struct crm *c, struct args *a)
{
	struct import_opts o = {
		.type = a->argv[0],
		.format = arg_get(a, "format"),
		.encoding = arg_get(a, "encoding"),
		.sheet = arg_get(a, "sheet"),
		.map = arg_get(a, "map"),
		.map_name = arg_get(a, "map-name"),
		.save_map = arg_get(a, "save-map"),
		.errors = arg_get(a, "errors"),
		.key = arg_get(a, "key"),
		.create_fields = arg_has(a, "create-fields"),
		.dry_run = arg_has(a, "dry-run"),
		.atomic = arg_has(a, "atomic") || c->strict,   /* --strict: the first bad row stops it all */
		.resume = arg_has(a, "resume"),
		.print = arg_has(a, "print"),
		.batch = arg_int(c, a, "batch", 50000),
	};
	const char *dup = arg_get(a, "on-duplicate");
	if (dup && dup_action_parse(dup, &o.on_dup) != 0)
		return cmd_usage_error(c, "--on-duplicate: '%s' is not one of skip, update, merge, error", dup);
	if (o.batch <= 0)
		return cmd_usage_error(c, "--batch: give a number of rows above 0");
	if (o.atomic && o.resume)
		return cmd_usage_error(c, "--atomic and --resume do not go together: an atomic import is never half done");
	return import_files(c, &o, a->argc - 1, a->argv + 1);
}

static const struct opt runs_opts[] = {
	{ "limit", 'n', "N", "the last N runs only", false },
	OPT_END
};

static int runs_exec(struct crm *c, struct args *a)
{
	long long limit = arg_int(c, a, "limit", 0);
	if (limit < 0)
		return cmd_usage_error(c, "--limit: give a number of runs");
	return import_runs(c, limit);
}

static const struct opt undo_opts[] = {
	{ "force", 0, NULL, "undo it even where others changed its records since (their changes go too)", false },
	OPT_END
};

static int undo_exec(struct crm *c, struct args *a)
{
	char *end;
	long long run = strtoll(a->argv[0], &end, 10);
	if (end == a->argv[0] || *end || run <= 0)
		return cmd_usage_error(c, "'%s' is not a run number (crm import runs lists them)", a->argv[0]);
	return import_undo(c, run, arg_has(a, "force"));
}

static const struct cmd_verb import_verbs[] = {
	{ "runs", "[--limit N]", "list the import runs, newest first: what each did, finished, unfinished or undone",
	  runs_opts, DB_READ, 0, 0, runs_exec, VERB_SERVER },
	{ "undo", "RUN [--force]", "take an import run back: remove what it made, put back what it changed",
	  undo_opts, DB_WRITE, 1, 1, undo_exec, VERB_SERVER },
	{ "", "TYPE FILE... [--map COL=FIELD,...] [--on-duplicate skip|update|merge|error] [--errors FILE] "
	  "[--dry-run] [--atomic] [--resume] [--print]",
	  "import leads, accounts, contacts, deals or activities from CSV, TSV, JSON lines or .xlsx",
	  import_opts, DB_WRITE, 2, -1, import_exec, VERB_SERVER },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_import_entry = {
	.name = "import",
	.summary = "import records from spreadsheets (CSV, TSV, .xlsx) and JSON lines",
	.verbs = import_verbs,
	.description = "FILE may be - (stdin). Encodings: UTF-8 with or without a BOM, GBK/GB18030\n"
		       "(Excel on Chinese Windows), UTF-16 with a BOM. A stray byte that is not\n"
		       "UTF-8 (or GBK) rejects its row, naming its line and column (in --errors: the\n"
		       "cell shows it as U+FFFD), and the import goes on; a file that does not\n"
		       "read as UTF-8 at all (a GBK file named utf-8) stops at once. Headers are\n"
		       "matched to fields by name, by Chinese header and common aliases: 姓名 联系人\n"
		       "客户姓名 (name), 手机 联系电话 手机号码 (phone), 邮箱, 微信 微信号 (wechat),\n"
		       "公司 公司名称 客户名称 (company; an account's name), 行业, 地区, 来源, 职位,\n"
		       "预算 预算金额 意向金额 (budget), 备注 备注说明 跟进记录 (note), 创建时间, 负责人,\n"
		       "阶段, 金额, 成交日期 (a deal's closed_at), 输单原因 ...; --map says the rest.\n"
		       "A sheet of 客户名称 with no person's column names each lead by it. Every row\n"
		       "is normalised and checked like 'crm lead add' (a cell of 面议, 无, 待定 or - in a\n"
		       "money, number, date, phone or email column is empty); a deal row as 'crm deal\n"
		       "add' checks it in its stage (the gate, a lost deal's reason, the approval\n"
		       "amount; a won or lost deal is closed at its 成交日期, else now). Rejected rows\n"
		       "are reported with their line (the header is line 1, or 2 under a one-cell\n"
		       "title row such as 客户名单 2025 alone on the first line, which is skipped) and\n"
		       "the import goes on (exit 3 at the end; 4 for --on-duplicate error).\n"
		       "Duplicates, against the database and within the file, are matched by\n"
		       "normalised phone or email (accounts: name; or --key FIELD); a skipped one is\n"
		       "counted in the summary and named in --errors with its line and the record\n"
		       "it repeats (\"skipped\":\"duplicate\", \"duplicate_of\":\"lead:7\"). With\n"
		       "--dry-run nothing changes in the database, and --errors FILE is written as\n"
		       "for a real import, to fix the file before it. .xlsx workbooks are found\n"
		       "through their package relationships, wherever the tool that wrote them put\n"
		       "the parts (zip names written with \\ too).\n"
		       "Each import is a run: one entry in the audit log (who, when, the file, the\n"
		       "mapping, the counts); each record it makes carries its run and line (crm\n"
		       "history: \"created by import run R from FILE line L\"), and a record it\n"
		       "updates gets its own entry. crm import runs lists the runs; crm import undo\n"
		       "RUN takes one back in one transaction (what it made goes, what it changed\n"
		       "goes back), refused (exit 4) where someone else changed or refers to one of\n"
		       "those records since, unless --force. Duplicates are found in memory (on a\n"
		       "team server they are asked of its tables, among the records your role sees,\n"
		       "and rows go straight in: crm help server). An\n"
		       "import that adds more than about a tenth to its table loads into a staging\n"
		       "table and puts it in place at the end in one transaction that builds the\n"
		       "table's indexes once (others can still write meanwhile; a record one of them\n"
		       "adds with a phone or email of a staged row makes that row a duplicate); a\n"
		       "smaller one, and one with --print, writes its rows straight in. Each record\n"
		       "made still fires the rules on TYPE.created and its hook. Rows are committed\n"
		       "in batches (--batch rows, and at least every half second, so other writers\n"
		       "wait milliseconds); an interrupted import (Ctrl-C,\n"
		       "kill -9, a crash, a full disk) leaves the table as it was or complete, and\n"
		       "the same command with --resume goes on after the last committed row. On\n"
		       "Ctrl-C or kill it commits the rows done, says where it stopped, and ends by\n"
		       "that signal (exit status 130 or 143), so a script stops too. A progress line\n"
		       "shows on a terminal. A summary goes to stderr;\n"
		       "records go to stdout only with --print, so\n"
		       "  crm import leads new.csv --print | crm assign --by region\n"
		       "works. Saved mappings live in config import.map.NAME.",
};
