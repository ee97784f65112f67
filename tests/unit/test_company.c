/* test_company.c: the key two spellings of one company share. */
#include <stdlib.h>

#include "base/company.h"
#include "unit.h"

static const char *key(const char *name)
{
	static char buf[256];
	char *k = company_key(name);
	snprintf(buf, sizeof buf, "%s", k);
	free(k);
	return buf;
}

static void test_chinese(void)
{
	CHECK_STR(key("杭州云启科技有限公司"), "杭州云启科技");
	CHECK_STR(key("杭州云启科技"), "杭州云启科技");
	CHECK_STR(key("杭州云启科技（中国）有限公司"), "杭州云启科技");
	CHECK_STR(key("云启(中国)科技"), "云启科技");
	CHECK_STR(key("华为技术股份有限公司"), "华为技术");
	CHECK_STR(key("海天集团有限公司"), "海天");
	CHECK_STR(key("ＡＢＣ科技有限公司"), "abc科技");
}

static void test_english(void)
{
	CHECK_STR(key("Acme (China) Co., Ltd."), "acme");
	CHECK_STR(key("ACME"), "acme");
	CHECK_STR(key("Acme Inc."), "acme");
	CHECK_STR(key("Acme, Inc"), "acme");
	CHECK_STR(key("Acme LLC"), "acme");
	CHECK_STR(key("Acme GmbH"), "acme");
	CHECK_STR(key("Acme Limited"), "acme");
	CHECK_STR(key("Acme Co.,Ltd."), "acme");
	CHECK_STR(key("AcmeCo.,Ltd."), "acme");
	CHECK_STR(key("Acme Corporation"), "acme");
	CHECK_STR(key("Acme Corp."), "acme");
	CHECK_STR(key("Acme & Co."), "acme");
	CHECK_STR(key("Acme Group Holdings"), "acmegroupholdings");
	CHECK_STR(key("ACME（CHINA）CO., LTD."), "acme");
	CHECK_STR(key("Big Data Ltd"), "bigdata");
	/* whole words only: names that end in the letters stay */
	CHECK_STR(key("Costco"), "costco");
	CHECK_STR(key("Costco Ltd."), "costco");
	CHECK_STR(key("Moco"), "moco");
	CHECK_STR(key("Finc"), "finc");
	CHECK_STR(key("Blimited"), "blimited");
	/* a name that is only a legal form keeps it */
	CHECK_STR(key("Company"), "company");
	CHECK_STR(key("Limited"), "limited");
	CHECK_STR(key(""), "");
	CHECK_STR(key("   "), "");
}

int main(void)
{
	test_chinese();
	test_english();
	UNIT_DONE();
}
