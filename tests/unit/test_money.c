/* test_money.c: amounts in, amounts out, never through a float. */
#include <string.h>
#include "base/money.h"
#include "unit.h"

#include <limits.h>

/* money_parse result, or a sentinel when it refuses. */
#define REFUSED (-777LL)
static long long parse(const char *s)
{
	long long v = 12345;
	if (money_parse(s, &v) != 0)
		return v == 12345 ? REFUSED : -999;   /* -999: wrote on failure */
	return v;
}

static const char *fmt(long long v, char *buf)
{
	return money_format(v, buf);
}

static void test_parse_plain(void)
{
	CHECK(parse("120000") == 12000000);
	CHECK(parse("120000.5") == 12000050);
	CHECK(parse("120000.50") == 12000050);
	CHECK(parse("0.05") == 5);
	CHECK(parse("0") == 0);
	CHECK(parse("-0") == 0);
	CHECK(parse("007") == 700);
	CHECK(parse("1,200.50") == 120050);
	CHECK(parse("1,234,567") == 123456700);
	CHECK(parse("¥1200") == 120000);
	CHECK(parse("￥1200") == 120000);
	CHECK(parse("¥ 1,200") == 120000);
	CHECK(parse("1200元") == 120000);
	CHECK(parse("  42  ") == 4200);
	CHECK(parse("\xE3\x80\x80" "42") == 4200);   /* ideographic space */
	CHECK(parse("+20") == 2000);
}

static void test_parse_negative(void)
{
	CHECK(parse("-20") == -2000);
	CHECK(parse("-0.01") == -1);
	CHECK(parse("-¥20") == -2000);
	CHECK(parse("¥-20") == -2000);
	CHECK(parse("－２０") == -2000);   /* full-width minus and digits */
	CHECK(parse("-1.5万") == -1500000);
	CHECK(parse("--20") == REFUSED);
	CHECK(parse("-¥-20") == REFUSED);
	CHECK(parse("+-20") == REFUSED);
	CHECK(parse("20-") == REFUSED);
}

static void test_parse_fullwidth(void)
{
	CHECK(parse("１２００") == 120000);
	CHECK(parse("１２００．５") == 120050);
	CHECK(parse("１，２００") == 120000);
	CHECK(parse("￥１２万") == 12000000);
}

static void test_parse_wan_yi(void)
{
	CHECK(parse("12万") == 12000000);         /* 120000 yuan */
	CHECK(parse("1.5万") == 1500000);
	CHECK(parse("0.0001万") == 100);           /* one yuan */
	CHECK(parse("0.000001万") == 1);           /* one fen */
	CHECK(parse("0.0000001万") == REFUSED);    /* a tenth of a fen */
	CHECK(parse("12万元") == 12000000);
	CHECK(parse("12 万") == 12000000);
	CHECK(parse("3亿") == 30000000000LL);
	CHECK(parse("1.25亿") == 12500000000LL);
	CHECK(parse("0.0000000001亿") == 1);
	CHECK(parse("0.00000000001亿") == REFUSED);
	CHECK(parse("1,000万") == 1000000000);
	CHECK(parse("万") == REFUSED);
	CHECK(parse("1万万") == REFUSED);
	CHECK(parse("1万亿") == REFUSED);
	CHECK(parse("1亿万") == REFUSED);
	CHECK(parse("1元万") == REFUSED);
}

static void test_parse_decimals(void)
{
	CHECK(parse("1.5") == 150);
	CHECK(parse("1.50") == 150);
	CHECK(parse("1.05") == 105);
	/* A third decimal is refused, not rounded, even when it is zero. */
	CHECK(parse("1.505") == REFUSED);
	CHECK(parse("1.500") == 150);   /* exact: trailing zeros */
	CHECK(parse("1.5001") == REFUSED);
	CHECK(parse("0.001") == REFUSED);
	CHECK(parse("1.") == REFUSED);
	CHECK(parse(".5") == REFUSED);
	CHECK(parse("1.2.3") == REFUSED);
	CHECK(parse("1,5") == REFUSED);       /* European decimal comma? refuse */
	CHECK(parse("1,20") == REFUSED);
	CHECK(parse("1,2000") == REFUSED);
	CHECK(parse("1234,567") == REFUSED);
	CHECK(parse(",123") == REFUSED);
	CHECK(parse("1,,234") == REFUSED);
	CHECK(parse("1,234.") == REFUSED);
	CHECK(parse("1.234,5") == REFUSED);
}

static void test_parse_garbage(void)
{
	CHECK(parse("") == REFUSED);
	CHECK(parse("   ") == REFUSED);
	CHECK(parse("-") == REFUSED);
	CHECK(parse("¥") == REFUSED);
	CHECK(parse("abc") == REFUSED);
	CHECK(parse("12abc") == REFUSED);
	CHECK(parse("1 200") == REFUSED);
	CHECK(parse("1e5") == REFUSED);
	CHECK(parse("0x10") == REFUSED);
	CHECK(parse("$100") == REFUSED);
	CHECK(parse("100元元") == REFUSED);
	CHECK(parse("十万") == REFUSED);
	CHECK(parse("12\xFF") == REFUSED);
	CHECK(parse(NULL) == REFUSED);
}

static void test_parse_overflow(void)
{
	/* LLONG_MAX is 9223372036854775807 fen. */
	CHECK(parse("92233720368547758.07") == LLONG_MAX);
	CHECK(parse("-92233720368547758.07") == -LLONG_MAX);
	CHECK(parse("92233720368547758.08") == REFUSED);
	CHECK(parse("92233720368547759") == REFUSED);
	CHECK(parse("99999999999999999999999999") == REFUSED);
	CHECK(parse("9223372036854.775807万") == LLONG_MAX);
	CHECK(parse("9223372036854.775808万") == REFUSED);
	CHECK(parse("9223372036854.7758071万") == REFUSED);   /* too fine for 万 */
	CHECK(parse("922337203.6854775807亿") == LLONG_MAX);
	CHECK(parse("922337203.6854775808亿") == REFUSED);
	CHECK(parse("922337204亿") == REFUSED);
	CHECK(parse("1000000000000亿") == REFUSED);
}

static void test_format(void)
{
	char buf[MONEY_BUFSZ];
	CHECK_STR(fmt(12000050, buf), "120000.5");
	CHECK_STR(fmt(12000000, buf), "120000");
	CHECK_STR(fmt(100, buf), "1");
	CHECK_STR(fmt(0, buf), "0");
	CHECK_STR(fmt(1, buf), "0.01");
	CHECK_STR(fmt(10, buf), "0.1");
	CHECK_STR(fmt(105, buf), "1.05");
	CHECK_STR(fmt(-5, buf), "-0.05");
	CHECK_STR(fmt(-50, buf), "-0.5");
	CHECK_STR(fmt(-2000, buf), "-20");
	CHECK_STR(fmt(LLONG_MAX, buf), "92233720368547758.07");
	CHECK_STR(fmt(LLONG_MIN, buf), "-92233720368547758.08");
	CHECK(money_format(7, buf) == buf);
}

static void test_round_trip(void)
{
	long long samples[] = { 0, 1, 9, 10, 99, 100, 101, 12345678, -1, -10, -123456789,
	                        LLONG_MAX, -LLONG_MAX };
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		char buf[MONEY_BUFSZ];
		long long back = 0;
		CHECK(money_parse(money_format(samples[i], buf), &back) == 0 && back == samples[i]);
	}
	/* LLONG_MIN prints, but its magnitude has no positive twin to parse. */
	char buf[MONEY_BUFSZ];
	CHECK(parse(money_format(LLONG_MIN, buf)) == REFUSED);
}

static void test_currency(void)
{
	char code[CURRENCY_BUFSZ];
	CHECK(currency_normalize("usd", code) == 0 && !strcmp(code, "USD"));
	CHECK(currency_normalize("CNY", code) == 0 && !strcmp(code, "CNY"));
	CHECK(currency_normalize("Eur", code) == 0 && !strcmp(code, "EUR"));
	CHECK(currency_normalize("rmb", code) == 0 && !strcmp(code, "CNY"));
	CHECK(currency_normalize("人民币", code) == 0 && !strcmp(code, "CNY"));
	CHECK(currency_normalize("美元", code) == 0 && !strcmp(code, "USD"));
	CHECK(currency_normalize("港币", code) == 0 && !strcmp(code, "HKD"));
	CHECK(currency_normalize("US", code) == -1);
	CHECK(currency_normalize("USDT", code) == -1);
	CHECK(currency_normalize("U$D", code) == -1);
	CHECK(currency_normalize("", code) == -1);
	CHECK(currency_normalize("dollars", code) == -1);
}

int main(void)
{
	test_currency();
	test_parse_plain();
	test_parse_negative();
	test_parse_fullwidth();
	test_parse_wan_yi();
	test_parse_decimals();
	test_parse_garbage();
	test_parse_overflow();
	test_format();
	test_round_trip();
	UNIT_DONE();
}
