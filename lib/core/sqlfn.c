/* sqlfn.c: SQL functions for expressions and reports. */
#include <stdlib.h>

#include "core/db.h"
#include "core/config.h"
#include "base/date.h"
#include "core/sqlfn.h"

static void fn_now(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char buf[DATE_BUFSZ];
	(void)argc;
	(void)argv;
	sqlite3_result_text(ctx, date_format(date_now(), buf), -1, SQLITE_TRANSIENT);
}

/* Whole and fractional days from t to now; NULL for NULL or a non-time. */
static void fn_days_since(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	time_t t;
	if (!s || date_parse(s, date_now(), &t, NULL) != 0) {
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_double(ctx, (double)(date_now() - t) / 86400.0);
}

/* crm_config(key [, default]): a setting, for scoring expressions
 * (score.target_industries). Cached per statement: the key is constant. */
static void fn_config(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *cached = sqlite3_get_auxdata(ctx, 0);
	if (!cached) {
		struct crm *c = sqlite3_user_data(ctx);
		const char *key = (const char *)sqlite3_value_text(argv[0]);
		char *v = key ? config_get(c, key) : NULL;
		if (!v && argc > 1 && sqlite3_value_type(argv[1]) != SQLITE_NULL)
			v = xstrdup((const char *)sqlite3_value_text(argv[1]));
		if (!v) {
			sqlite3_result_null(ctx);
			return;
		}
		sqlite3_set_auxdata(ctx, 0, v, free);
		cached = sqlite3_get_auxdata(ctx, 0);
		if (!cached) {   /* not kept (not a constant): answer this once */
			sqlite3_result_text(ctx, v, -1, SQLITE_TRANSIENT);
			return;
		}
	}
	sqlite3_result_text(ctx, cached, -1, SQLITE_TRANSIENT);
}

int sqlfn_register(struct crm *c)
{
	int rc = sqlite3_create_function(c->db, "crm_now", 0, SQLITE_UTF8, NULL, fn_now, NULL, NULL);
	if (rc == DB_OK)
		rc = sqlite3_create_function(c->db, "days_since", 1, SQLITE_UTF8,
					     NULL, fn_days_since, NULL, NULL);
	for (int n = 1; rc == DB_OK && n <= 2; n++)
		rc = sqlite3_create_function(c->db, "crm_config", n, SQLITE_UTF8 | SQLITE_DETERMINISTIC, c, fn_config, NULL, NULL);
	return rc == DB_OK ? CRM_OK : crm_dberror(c, rc, "registering SQL functions");
}
