/* test_phone.c: the five ways people type a phone number or an email. */
#include "base/phone.h"
#include "unit.h"

/* The normalised phone, or "ERR" when refused; refusals must leave the
 * buffer empty. */
static const char *phone(const char *in)
{
	static char buf[PHONE_BUFSZ];
	memset(buf, 'X', sizeof(buf));
	if (phone_normalize(in, buf, sizeof(buf)) != 0)
		return buf[0] == 0 ? "ERR" : "ERR-but-buffer-written";
	return buf;
}

static const char *email(const char *in)
{
	static char buf[EMAIL_BUFSZ];
	memset(buf, 'X', sizeof(buf));
	if (email_normalize(in, buf, sizeof(buf)) != 0)
		return buf[0] == 0 ? "ERR" : "ERR-but-buffer-written";
	return buf;
}

static void test_mobile(void)
{
	CHECK_STR(phone("13812345678"), "13812345678");
	CHECK_STR(phone("138-1234-5678"), "13812345678");
	CHECK_STR(phone("138 1234 5678"), "13812345678");
	CHECK_STR(phone("138.1234.5678"), "13812345678");
	CHECK_STR(phone("(138)1234-5678"), "13812345678");
	CHECK_STR(phone("+86 138-1234-5678"), "13812345678");
	CHECK_STR(phone("+8613812345678"), "13812345678");
	CHECK_STR(phone("0086 138 1234 5678"), "13812345678");
	CHECK_STR(phone("008613812345678"), "13812345678");
	CHECK_STR(phone("(86)13812345678"), "13812345678");
	CHECK_STR(phone("(+86)13812345678"), "13812345678");
	CHECK_STR(phone("(+86) 138 1234 5678"), "13812345678");
	CHECK_STR(phone("+86-138-1234-5678"), "13812345678");
	CHECK_STR(phone("  13812345678\t"), "13812345678");
	CHECK_STR(phone("１３８１２３４５６７８"), "13812345678");
	CHECK_STR(phone("＋８６　１３８－１２３４－５６７８"), "13812345678");
	CHECK_STR(phone("（８６）１３８１２３４５６７８"), "13812345678");
	CHECK_STR(phone("19912345678"), "19912345678");
	CHECK_STR(phone("16612345678"), "16612345678");
	/* 1[3-9] only; and exactly 11 digits. */
	CHECK_STR(phone("12812345678"), "ERR");
	CHECK_STR(phone("10012345678"), "ERR");
	CHECK_STR(phone("1381234567"), "ERR");
	CHECK_STR(phone("138123456789"), "ERR");
	CHECK_STR(phone("+86 1381234567"), "ERR");
	CHECK_STR(phone("+86 138123456789"), "ERR");
}

static void test_landline(void)
{
	CHECK_STR(phone("0571-88886666"), "0571-88886666");
	CHECK_STR(phone("(0571)88886666"), "0571-88886666");
	CHECK_STR(phone("（０５７１）８８８８６６６６"), "0571-88886666");
	CHECK_STR(phone("0571 8888 6666"), "0571-88886666");
	CHECK_STR(phone("057188886666"), "0571-88886666");
	CHECK_STR(phone("0571-8888666"), "0571-8888666");    /* 7-digit local */
	CHECK_STR(phone("010-12345678"), "010-12345678");
	CHECK_STR(phone("(010)12345678"), "010-12345678");
	CHECK_STR(phone("010-62345678"), "010-62345678");
	CHECK_STR(phone("01062345678"), "010-62345678");
	CHECK_STR(phone("021 6234 5678"), "021-62345678");
	CHECK_STR(phone("+86 10 6234 5678"), "010-62345678");   /* 0 dropped abroad */
	CHECK_STR(phone("+86 571 8888 6666"), "0571-88886666");
	CHECK_STR(phone("+86 (0)571 8888 6666"), "0571-88886666");
	CHECK_STR(phone("0086 21 62345678"), "021-62345678");
	CHECK_STR(phone("(86)0571-88886666"), "0571-88886666");
	/* 010 and 02x have 8-digit local numbers, others 7 or 8. */
	CHECK_STR(phone("010-6234567"), "ERR");
	CHECK_STR(phone("0571-888866667"), "ERR");
	CHECK_STR(phone("0571-888866"), "ERR");
	CHECK_STR(phone("013-62345678"), "ERR");   /* 010 is the only 01x */
	CHECK_STR(phone("0571-08886666"), "ERR");  /* locals never start with 0 */
	/* Without an area code the number cannot be stored unambiguously. */
	CHECK_STR(phone("88886666"), "ERR");
	CHECK_STR(phone("8888666"), "ERR");
}

static void test_service(void)
{
	CHECK_STR(phone("400-820-8820"), "400-820-8820");
	CHECK_STR(phone("4008208820"), "400-820-8820");
	CHECK_STR(phone("800 820 8820"), "800-820-8820");
	CHECK_STR(phone("+86 400 820 8820"), "400-820-8820");
	CHECK_STR(phone("400-820-882"), "ERR");
}

static void test_international(void)
{
	CHECK_STR(phone("+44 20 7946 0958"), "+442079460958");
	CHECK_STR(phone("+44 (0)20 7946 0958"), "+442079460958");
	CHECK_STR(phone("0044 20 7946 0958"), "+442079460958");
	CHECK_STR(phone("+1 (415) 555-2671"), "+14155552671");
	CHECK_STR(phone("+852 9123 4567"), "+85291234567");    /* Hong Kong */
	CHECK_STR(phone("+886 912 345 678"), "+886912345678"); /* Taiwan */
	CHECK_STR(phone("+81 3-1234-5678"), "+81312345678");
	CHECK_STR(phone("＋４４ ２０ ７９４６ ０９５８"), "+442079460958");
	CHECK_STR(phone("+123456"), "ERR");                    /* too short */
	CHECK_STR(phone("+1234567890123456"), "ERR");          /* over 15 digits */
	CHECK_STR(phone("+0 123 4567"), "ERR");
}

static void test_refused(void)
{
	CHECK_STR(phone(""), "ERR");
	CHECK_STR(phone("   "), "ERR");
	CHECK_STR(phone("+"), "ERR");
	CHECK_STR(phone("+86"), "ERR");
	CHECK_STR(phone("()"), "ERR");
	CHECK_STR(phone("abc"), "ERR");
	CHECK_STR(phone("138-1234-567a"), "ERR");
	CHECK_STR(phone("1381234567８x"), "ERR");
	CHECK_STR(phone("tel:13812345678"), "ERR");
	CHECK_STR(phone("0571-88886666转8001"), "ERR");
	CHECK_STR(phone("0571-88886666 ext 8001"), "ERR");
	CHECK_STR(phone("13812345678/13912345678"), "ERR");
	CHECK_STR(phone("138 1234 5678 139 1234 5678"), "ERR");
	CHECK_STR(phone("++8613812345678"), "ERR");
	CHECK_STR(phone("86+13812345678"), "ERR");
	CHECK_STR(phone("(0571(88886666))"), "ERR");
	CHECK_STR(phone("(0571 88886666"), "ERR");
	CHECK_STR(phone("0571) 88886666"), "ERR");
	CHECK_STR(phone("123456789012345678901234567890"), "ERR");
	CHECK_STR(phone(NULL), "ERR");

	/* A buffer too small is a refusal, not a cut number. */
	char small[11];
	CHECK(phone_normalize("13812345678", small, sizeof(small)) == -1 && small[0] == 0);
	char fits[12];
	CHECK(phone_normalize("13812345678", fits, sizeof(fits)) == 0);
	CHECK_STR(fits, "13812345678");
}

static void test_email(void)
{
	CHECK_STR(email("zhang.wei@example.com"), "zhang.wei@example.com");
	CHECK_STR(email("  Zhang.Wei@Example.COM  "), "zhang.wei@example.com");
	CHECK_STR(email("ＺＨＡＮＧ＠ｅｘａｍｐｌｅ．ｃｎ"), "zhang@example.cn");
	CHECK_STR(email("zhang＠qq。com"), "zhang@qq.com");
	CHECK_STR(email("\xE3\x80\x80" "a@b.cn" "\xE3\x80\x80"), "a@b.cn");
	CHECK_STR(email("a+tag@mail.example.com.cn"), "a+tag@mail.example.com.cn");
	CHECK_STR(email("first_last-1@my-company.io"), "first_last-1@my-company.io");
	CHECK_STR(email("12345678@qq.com"), "12345678@qq.com");

	CHECK_STR(email(""), "ERR");
	CHECK_STR(email("zhang"), "ERR");
	CHECK_STR(email("@example.com"), "ERR");
	CHECK_STR(email("zhang@"), "ERR");
	CHECK_STR(email("zhang@localhost"), "ERR");
	CHECK_STR(email("zhang@example.c"), "ERR");
	CHECK_STR(email("zhang@@example.com"), "ERR");
	CHECK_STR(email("a@b@example.com"), "ERR");
	CHECK_STR(email("zhang wei@example.com"), "ERR");
	CHECK_STR(email("zhang@exa mple.com"), "ERR");
	CHECK_STR(email("zhang@example..com"), "ERR");
	CHECK_STR(email("zhang@.example.com"), "ERR");
	CHECK_STR(email("zhang@example.com."), "ERR");
	CHECK_STR(email("zhang@-example.com"), "ERR");
	CHECK_STR(email("zhang@example-.com"), "ERR");
	CHECK_STR(email(".zhang@example.com"), "ERR");
	CHECK_STR(email("zhang.@example.com"), "ERR");
	CHECK_STR(email("zh..ang@example.com"), "ERR");
	CHECK_STR(email("zhang@qq,com"), "ERR");
	CHECK_STR(email("张伟 <zhang@example.com>"), "ERR");
	CHECK_STR(email("a@b.cn; c@d.cn"), "ERR");
	CHECK_STR(email("a@b.cn\n"), "a@b.cn");   /* trailing newline is trimmed */
	CHECK_STR(email("a\tb@c.cn"), "ERR");
	CHECK_STR(email(NULL), "ERR");

	/* Local part at most 64 bytes. */
	char longer[80];
	memset(longer, 'a', 65);
	strcpy(longer + 65, "@b.cn");
	CHECK_STR(email(longer), "ERR");
	strcpy(longer + 64, "@b.cn");
	CHECK(strcmp(email(longer), "ERR") != 0);

	char small[6];
	CHECK(email_normalize("a@b.cn", small, sizeof(small)) == -1 && small[0] == 0);
	char fits[7];
	CHECK(email_normalize("A@B.CN", fits, sizeof(fits)) == 0);
	CHECK_STR(fits, "a@b.cn");
}

int main(void)
{
	test_mobile();
	test_landline();
	test_service();
	test_international();
	test_refused();
	test_email();
	UNIT_DONE();
}
