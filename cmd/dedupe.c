/* dedupe.c: crm dedupe TYPE */
#include "core/cmd.h"
#include "data/merge.h"

static const struct opt dedupe_opts[] = {
	{ "by", 0, "KEYS", "phone, email, name+company (comma-separated; default all)", false },
	{ "fuzzy", 0, NULL, "also match company names without 有限公司, (中国), Co., Ltd. ...", false },
	OPT_END
};

static int dedupe_exec(struct crm *c, struct args *a)
{
	return dedupe_run(c, a->argv[0], arg_get(a, "by"), arg_has(a, "fuzzy"));
}

static const struct cmd_verb dedupe_verbs[] = {
	{ "", "TYPE [--by phone,email,name+company] [--fuzzy]", "find groups of likely duplicates",
	  dedupe_opts, DB_READ, 1, 1, dedupe_exec, VERB_SERVER },
	{ NULL, NULL, NULL, NULL, DB_NONE, 0, 0, NULL }
};

const struct cmd_entry cmd_dedupe_entry = {
	.name = "dedupe",
	.summary = "find likely duplicate leads, contacts or accounts",
	.verbs = dedupe_verbs,
	.description = "One JSON line per group: {\"type\":\"duplicates\",\"ids\":[...],\"reason\":\"same\n"
		       "phone: ...\",\"score\":1}. Phones and emails are compared normalised (138\n"
		       "1234 5678 = 13812345678); --fuzzy adds company names without their legal\n"
		       "form (杭州云启科技有限公司 = 杭州云启科技) and names without spaces or case\n"
		       "(张 伟 = 张伟, Amy = amy), score 0.9, and names of three or more characters\n"
		       "one apart at one company of up to 1000 people (李晓明 ~ 李小明), score\n"
		       "0.8. The same records found by two keys are reported once; on a server,\n"
		       "among the records your role may see. Merge a\n"
		       "group with\n"
		       "  crm merge lead KEEP_ID DROP_ID...",
};
