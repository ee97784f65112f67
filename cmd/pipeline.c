/* pipeline.c: crm pipeline list|add|show */
#include "core/cmd.h"
#include "sales/pipeline.h"

static int list_exec(struct crm *c, struct args *a)
{
	return pipeline_list(c);
}

static int show_exec(struct crm *c, struct args *a)
{
	return pipeline_show(c, a->argc ? a->argv[0] : "default");
}

static int add_exec(struct crm *c, struct args *a)
{
	return pipeline_add(c, a->argv[0], arg_get(a, "label"), arg_get(a, "stages"));
}

static const struct opt add_opts[] = {
	{ "label", 0, "LABEL", "what people call it (default: the key)", false },
	{ "stages", 0, "LIST", "stages in order: key:label:probability[:won|lost],...", false },
	OPT_END
};

static const struct cmd_verb pipeline_verbs[] = {
	{ "list", "", "list pipelines with their stages", NULL, DB_READ, 0, 0, list_exec, VERB_SERVER },
	{ "show", "[KEY]", "list the stages of a pipeline (default: default)", NULL, DB_READ, 0, 1, show_exec, VERB_SERVER },
	{ "add", "KEY [--label LABEL] [--stages KEY:LABEL:PROB[:won|lost],...]",
	  "add a pipeline, optionally with its stages", add_opts, DB_WRITE, 1, 1, add_exec, VERB_ADMIN | VERB_SERVER },
	{ NULL }
};

const struct cmd_entry cmd_pipeline_entry = {
	.name = "pipeline",
	.summary = "sales pipelines: the stages deals move through",
	.verbs = pipeline_verbs,
	.description = "A new database has the pipeline 'default': new 初步接触 10, qualified 需求确认 25,\n"
		       "proposal 方案报价 50, negotiation 商务谈判 75, won 赢单 100, lost 输单 0.\n"
		       "Keys and labels may be Chinese. Example:\n"
		       "  crm pipeline add saas --label SaaS --stages \\\n"
		       "    \"demo:产品演示:30,poc:POC测试:60,won:赢单:100:won,lost:输单:0:lost\"\n"
		       "A stage marked won or lost closes the deals moved into it; a stage called\n"
		       "won or lost (赢单, 输单) is one unless --stages says otherwise, and every new\n"
		       "pipeline gets the closing stages won 赢单 100 and lost 输单 0 that its list\n"
		       "lacks, so 'crm pipeline add 工程项目' then 'crm stage add 立项 --pipeline\n"
		       "工程项目' makes a pipeline that wins and loses deals. A new deal starts in\n"
		       "the first stage that does not close. Gates are set with\n"
		       "'crm stage add KEY --pipeline P --require ...'.",
};
