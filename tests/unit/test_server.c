/* test_server.c: what the team server's copy must get exactly right:
 * column kinds by SQLite's affinity rules, defaults re-quoted, doubles
 * that read back the same, text escaped for COPY. */
#include <stdlib.h>

#include "core/open.h"
#include "server/copy.h"
#include "server/schema.h"
#include "unit.h"

static void test_affinity(void)
{
	CHECK(col_kind_of_sqlite("INTEGER") == COL_INT);
	CHECK(col_kind_of_sqlite("BIGINT") == COL_INT);
	CHECK(col_kind_of_sqlite("int") == COL_INT);
	CHECK(col_kind_of_sqlite("TEXT") == COL_TEXT);
	CHECK(col_kind_of_sqlite("VARCHAR(20)") == COL_TEXT);
	CHECK(col_kind_of_sqlite("CHARINT") == COL_INT);   /* INT first, as SQLite reads it */
	CHECK(col_kind_of_sqlite("") == COL_BLOB);
	CHECK(col_kind_of_sqlite(NULL) == COL_BLOB);
	CHECK(col_kind_of_sqlite("BLOB") == COL_BLOB);
	CHECK(col_kind_of_sqlite("REAL") == COL_REAL);
	CHECK(col_kind_of_sqlite("DOUBLE PRECISION") == COL_REAL);
	CHECK(col_kind_of_sqlite("NUMERIC") == COL_NUM);
	CHECK(col_kind_of_sqlite("DECIMAL(10,2)") == COL_NUM);
	CHECK_STR(col_pg_type(COL_INT), "bigint");
	CHECK_STR(col_pg_type(COL_REAL), "double precision");
	CHECK_STR(col_pg_type(COL_BLOB), "bytea");
	CHECK(col_kind_of_pg("bigint") == COL_INT);
	CHECK(col_kind_of_pg("numeric(10,2)") == COL_NUM);
	CHECK(col_kind_of_pg("text") == COL_TEXT);
	CHECK_STR(col_sqlite_type(col_kind_of_pg("bytea")), "BLOB");
}

static void test_unquote(void)
{
	char *s;
	CHECK_STR((s = sql_unquote("'new'")), "new");
	free(s);
	CHECK_STR((s = sql_unquote("'it''s'")), "it's");
	free(s);
	CHECK_STR((s = sql_unquote("''")), "");
	free(s);
	CHECK_STR((s = sql_unquote("'中文'")), "中文");
	free(s);
	CHECK(sql_unquote("'a'); DROP TABLE lead; --'") == NULL);
	CHECK(sql_unquote("new") == NULL);
	CHECK(sql_unquote("'") == NULL);
	CHECK(sql_unquote("'open") == NULL);
}

static void test_real(void)
{
	char buf[40];
	const double vals[] = { 0.1, 7.5, 1.0 / 3.0, 120000.5, 1e300, -2.5e-300, 0.30000000000000004, 13 };
	for (size_t i = 0; i < sizeof(vals) / sizeof(*vals); i++) {
		copy_format_real(vals[i], buf);
		CHECK(strtod(buf, NULL) == vals[i]);
	}
	copy_format_real(0.1, buf);
	CHECK_STR(buf, "0.1");   /* the fewest digits, not 0.10000000000000001 */
	copy_format_real(13, buf);
	CHECK_STR(buf, "13");
	copy_format_real(1.0 / 0.0, buf);
	CHECK_STR(buf, "Infinity");
}

static void test_copy_text(void)
{
	struct sbuf b = { 0 };
	const char *in = "a\tb\nc\\d\re 中";
	copy_add_text(&b, (const unsigned char *)in, (int)strlen(in));
	CHECK_STR(b.s, "a\\tb\\nc\\\\d\\re 中");
	sbuf_release(&b);
}

/* what the audit log keeps of a command line's server URL */
static void test_url_redact(void)
{
	static const char *const cases[][2] = {
		{ "postgresql://bob:s3cret@db.example.com:5432/crm", "postgresql://bob:***@db.example.com:5432/crm" },
		{ "--db=postgres://bob:p@ss@host/crm?sslmode=require", "--db=postgres://bob:***@host/crm?sslmode=require" },
		{ "postgresql:///crm?host=/run/pg&user=bob&password=x&sslmode=disable",
		  "postgresql:///crm?host=/run/pg&user=bob&password=***&sslmode=disable" },
		{ "postgresql://bob@host/crm?password=a%20b", "postgresql://bob@host/crm?password=***" },
		{ "postgresql://host/crm", "postgresql://host/crm" },
		{ "name=张三:密码@公司", "name=张三:密码@公司" },   /* no URL: as it is */
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *r = db_url_redact(cases[i][0]);
		CHECK_STR(r, cases[i][1]);
		free(r);
	}
}

int main(void)
{
	test_url_redact();
	test_affinity();
	test_unquote();
	test_real();
	test_copy_text();
	UNIT_DONE();
}
