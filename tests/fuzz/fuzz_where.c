/* --where: any text is turned into SQL and prepared under the read-only
 * authorizer, or refused; nothing in it may write. */
#include "fuzz.h"
#include "core/backend.h"
#include "core/crm.h"
#include "core/open.h"
#include "core/query.h"
#include "core/type.h"

static struct crm c;
static const struct type *lead;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char dir[] = "/tmp/crm-fuzz-XXXXXX";
	if (!mkdtemp(dir))
		abort();
	c.db_path = xasprintf("%s/crm.db", dir);
	c.user = xstrdup("fuzz");
	c.cmd = "fuzz";
	if (db_create(&c) != CRM_OK || !(lead = type_find(&c, "lead"))) {
		fprintf(stderr, "fuzz_where: %s\n", c.errmsg);
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	char *sql = NULL;
	if (query_expr(&c, lead, s, &sql) == CRM_OK) {
		char *src = query_source(lead);
		char *q = xasprintf("SELECT count(*) FROM %s WHERE %s", src, sql);
		free(src);
		struct db_stmt *st = NULL;
		if (query_prepare_readonly(&c, q, &st) == CRM_OK) {
			if (!db_stmt_readonly(st))
				abort();
			db_finalize(st);
		}
		free(q);
	}
	free(sql);
	c.errmsg[0] = 0;
	free(s);
	return 0;
}
