/* test_price.c: quote lines, quote sums, payment plans, parsers and
 * capital numerals, every expected value worked out by hand beside it.
 * Amounts in the comments are yuan; the checks are in fen. */
#include "cash/price.h"
#include "unit.h"

#include <limits.h>

#define REFUSED (-777LL)

static long long qty(const char *s)
{
	long long v = 12345;
	if (price_parse_qty(s, &v) != 0)
		return v == 12345 ? REFUSED : -999;   /* -999: wrote on failure */
	return v;
}

static long long pct(const char *s)
{
	int v = 12345;
	if (price_parse_pct(s, &v) != 0)
		return v == 12345 ? REFUSED : -999;
	return v;
}

/* One line's amounts, or all fields REFUSED when it is refused. */
static struct price_amounts line(long long qty_milli, long long price, int disc, int tax,
                                 int quote_disc, int included)
{
	struct price_line l = { qty_milli, price, disc, tax };
	struct price_amounts a = { REFUSED, REFUSED, REFUSED, REFUSED };
	if (price_line_amounts(&l, quote_disc, included, &a) != 0) {
		CHECK(a.net == REFUSED && a.total == REFUSED);   /* untouched */
	}
	return a;
}

#define INCL 1
#define EXCL 0

static void test_integer_qty(void)
{
	/* 3 × 1999.00 × 90% = 5397.30; quote 5% off: 5127.435 -> 5127.44 (half up) */
	struct price_amounts a = line(3000, 199900, 1000, 1300, 500, INCL);
	CHECK(a.net == 512744);
	/* included 13%: 5127.44 / 1.13 = 4537.5575.. -> 4537.56; tax 5127.44 - 4537.56 = 589.88 */
	CHECK(a.untaxed == 453756);
	CHECK(a.tax == 58988);
	CHECK(a.total == 512744);   /* tax included: the total is the net */

	/* the same, tax excluded: 5127.44 × 13% = 666.5672 -> 666.57; total 5794.01 */
	a = line(3000, 199900, 1000, 1300, 500, EXCL);
	CHECK(a.net == 512744);
	CHECK(a.untaxed == 512744);
	CHECK(a.tax == 66657);
	CHECK(a.total == 579401);

	/* 3 × 1999.00, no discounts, 0%: 5997.00, no tax either way */
	a = line(3000, 199900, 0, 0, 0, INCL);
	CHECK(a.net == 599700 && a.untaxed == 599700 && a.tax == 0 && a.total == 599700);
	a = line(3000, 199900, 0, 0, 0, EXCL);
	CHECK(a.net == 599700 && a.untaxed == 599700 && a.tax == 0 && a.total == 599700);
}

static void test_decimal_qty(void)
{
	/* 1.5 × 12.34 = 18.51; excluded 6%: 1.1106 -> 1.11; total 19.62 */
	struct price_amounts a = line(1500, 1234, 0, 600, 0, EXCL);
	CHECK(a.net == 1851 && a.untaxed == 1851);
	CHECK(a.tax == 111);
	CHECK(a.total == 1962);
	/* included 6%: 18.51 / 1.06 = 17.4622.. -> 17.46; tax 1.05 */
	a = line(1500, 1234, 0, 600, 0, INCL);
	CHECK(a.untaxed == 1746);
	CHECK(a.tax == 105);
	CHECK(a.total == 1851);

	/* 0.125 × 100.00 = 12.50; included 13%: 12.50 / 1.13 = 11.0619.. -> 11.06; tax 1.44 */
	a = line(125, 10000, 0, 1300, 0, INCL);
	CHECK(a.net == 1250);
	CHECK(a.untaxed == 1106);
	CHECK(a.tax == 144);
	/* excluded 13%: 12.50 × 13% = 1.625 -> 1.63 (exactly half a fen, up); total 14.13 */
	a = line(125, 10000, 0, 1300, 0, EXCL);
	CHECK(a.tax == 163);
	CHECK(a.total == 1413);

	/* 2.333 × 3.00 = 6.999 -> 7.00; 0% tax: none, either way */
	a = line(2333, 300, 0, 0, 0, INCL);
	CHECK(a.net == 700 && a.untaxed == 700 && a.tax == 0 && a.total == 700);
	a = line(2333, 300, 0, 0, 0, EXCL);
	CHECK(a.net == 700 && a.untaxed == 700 && a.tax == 0 && a.total == 700);
	/* 2.333 × 3.00 at 6% excluded: 7.00 × 6% = 0.42; total 7.42 */
	a = line(2333, 300, 0, 600, 0, EXCL);
	CHECK(a.tax == 42 && a.total == 742);
}

static void test_discounts(void)
{
	/* 9.99 × 87.5% (12.5% off) = 8.74125 -> 8.74; excluded 13%: 1.1362 -> 1.14; total 9.88 */
	struct price_amounts a = line(1000, 999, 1250, 1300, 0, EXCL);
	CHECK(a.net == 874);
	CHECK(a.tax == 114);
	CHECK(a.total == 988);

	/* 1 × 100.00, quote 12.5% off: 87.50; line 100% off: 0 */
	a = line(1000, 10000, 0, 0, 1250, EXCL);
	CHECK(a.net == 8750);
	a = line(1000, 10000, 10000, 1300, 0, EXCL);
	CHECK(a.net == 0 && a.tax == 0 && a.total == 0);

	/* 2 × 0.99 × 80% = 1.584 -> 1.58; quote 33.33% off: 1.58 × 66.67% = 1.053386 -> 1.05 */
	a = line(2000, 99, 2000, 0, 3333, EXCL);
	CHECK(a.net == 105);
}

static void test_half_up(void)
{
	/* 0.5 × 0.01 = 0.005: half a fen -> 0.01 */
	CHECK(line(500, 1, 0, 0, 0, EXCL).net == 1);
	/* 1.5 × 0.01 = 1.5 fen -> 2; 2.5 × 0.01 = 2.5 fen -> 3 (up, not to even) */
	CHECK(line(1500, 1, 0, 0, 0, EXCL).net == 2);
	CHECK(line(2500, 1, 0, 0, 0, EXCL).net == 3);
	/* 0.499 × 0.01 = 0.499 fen -> 0 */
	CHECK(line(499, 1, 0, 0, 0, EXCL).net == 0);
	/* line discount: 0.03 × 50% = 1.5 fen -> 2 */
	CHECK(line(1000, 3, 5000, 0, 0, EXCL).net == 2);
	/* quote discount: 0.03 × 50% = 1.5 fen -> 2 */
	CHECK(line(1000, 3, 0, 0, 5000, EXCL).net == 2);
	/* each step rounds: 0.01 × 50% = 0.5 fen -> 1, × 50% = 0.5 -> 1 (one rounding of 0.25 would be 0) */
	CHECK(line(1000, 1, 5000, 0, 5000, EXCL).net == 1);
	/* excluded 6%: 0.25 × 6% = 1.5 fen -> 2 */
	CHECK(line(1000, 25, 0, 600, 0, EXCL).tax == 2);
	/* included 4%: 0.39 / 1.04 = 0.375 -> 0.38; tax 0.01 */
	struct price_amounts a = line(1000, 39, 0, 400, 0, INCL);
	CHECK(a.untaxed == 38 && a.tax == 1);
	/* either side of half: 0.49 × 1% = 0.0049 -> 0; 0.51 × 1% = 0.0051 -> 0.01 */
	CHECK(line(1000, 49, 0, 100, 0, EXCL).tax == 0);
	CHECK(line(1000, 51, 0, 100, 0, EXCL).tax == 1);
}

static void test_quote_totals(void)
{
	struct price_line lines[] = {
		{ 3000, 199900, 1000, 1300 },   /* 3 × 1999.00, 10% off, 13% */
		{ 1500, 1234, 0, 600 },         /* 1.5 × 12.34, 6% */
		{ 2333, 300, 0, 0 },            /* 2.333 × 3.00, 0% */
	};
	struct price_totals t = { REFUSED, REFUSED, REFUSED };

	/* Included, no quote discount:
	 *   5397.30: untaxed 5397.30 / 1.13 = 4776.3716.. -> 4776.37, tax 620.93
	 *     18.51: untaxed 17.46, tax 1.05
	 *      7.00: untaxed 7.00, tax 0
	 * untaxed 4776.37 + 17.46 + 7.00 = 4800.83; tax 620.93 + 1.05 = 621.98;
	 * total 5397.30 + 18.51 + 7.00 = 5422.81 (= 4800.83 + 621.98) */
	CHECK(price_quote_totals(lines, 3, 0, INCL, &t) == 0);
	CHECK(t.amount_untaxed == 480083);
	CHECK(t.amount_tax == 62198);
	CHECK(t.amount_total == 542281);

	/* Excluded, quote 5% off:
	 *   5397.30 × 95% = 5127.435 -> 5127.44; tax 666.5672 -> 666.57; 5794.01
	 *   18.51 × 95% = 17.5845 -> 17.58; tax 1.0548 -> 1.05; 18.63
	 *   7.00 × 95% = 6.65; tax 0; 6.65
	 * untaxed 5127.44 + 17.58 + 6.65 = 5151.67; tax 666.57 + 1.05 = 667.62;
	 * total 5794.01 + 18.63 + 6.65 = 5819.29 (= 5151.67 + 667.62) */
	CHECK(price_quote_totals(lines, 3, 500, EXCL, &t) == 0);
	CHECK(t.amount_untaxed == 515167);
	CHECK(t.amount_tax == 66762);
	CHECK(t.amount_total == 581929);

	/* no lines: zeros */
	CHECK(price_quote_totals(NULL, 0, 0, INCL, &t) == 0);
	CHECK(t.amount_untaxed == 0 && t.amount_tax == 0 && t.amount_total == 0);

	/* one bad line refuses the quote, and leaves the totals alone */
	struct price_line bad[] = { { 1000, 100, 0, 0 }, { 1000, -100, 0, 0 } };
	t.amount_total = REFUSED;
	CHECK(price_quote_totals(bad, 2, 0, INCL, &t) == -1);
	CHECK(t.amount_total == REFUSED);
	CHECK(price_quote_totals(lines, -1, 0, INCL, &t) == -1);
	CHECK(price_quote_totals(lines, 3, 10001, INCL, &t) == -1);
}

static void test_refused_lines(void)
{
	CHECK(line(0, 100, 0, 0, 0, EXCL).net == REFUSED);        /* no quantity */
	CHECK(line(-1000, 100, 0, 0, 0, EXCL).net == REFUSED);    /* negative quantity */
	CHECK(line(1000, -1, 0, 0, 0, EXCL).net == REFUSED);      /* negative price */
	CHECK(line(1000, 100, 10001, 0, 0, EXCL).net == REFUSED); /* 100.01% off */
	CHECK(line(1000, 100, -1, 0, 0, EXCL).net == REFUSED);
	CHECK(line(1000, 100, 0, -1, 0, EXCL).net == REFUSED);    /* negative rate */
	CHECK(line(1000, 100, 0, 10001, 0, EXCL).net == REFUSED);
	CHECK(line(1000, 100, 0, 0, 10001, EXCL).net == REFUSED); /* quote 100.01% off */
	CHECK(line(1000, 100, 0, 0, -1, EXCL).net == REFUSED);
	CHECK(price_line_amounts(NULL, 0, 0, &(struct price_amounts){ 0 }) == -1);
}

static void test_overflow(void)
{
	/* LLONG_MAX is 9223372036854775807 fen. */
	/* 2 × LLONG_MAX fen before discount: refused */
	CHECK(line(2000, LLONG_MAX, 0, 0, 0, INCL).net == REFUSED);
	/* … even with 50% off, since the amount before discount is a step */
	CHECK(line(2000, LLONG_MAX, 5000, 0, 0, INCL).net == REFUSED);
	/* 1 × LLONG_MAX fits; tax included 13% splits it, untaxed + tax = net */
	struct price_amounts a = line(1000, LLONG_MAX, 0, 1300, 0, INCL);
	CHECK(a.net == LLONG_MAX && a.total == LLONG_MAX);
	CHECK(a.untaxed > 0 && a.tax > 0 && a.untaxed == LLONG_MAX - a.tax);
	/* excluded 13%: LLONG_MAX + 13% does not fit */
	CHECK(line(1000, LLONG_MAX, 0, 1300, 0, EXCL).net == REFUSED);
	/* excluded 0%: LLONG_MAX + 0 fits */
	CHECK(line(1000, LLONG_MAX, 0, 0, 0, EXCL).total == LLONG_MAX);
	/* 1.5 × 6148914691236517205 = 9223372036854775807.5 -> rounds up past LLONG_MAX */
	CHECK(line(1500, 6148914691236517205LL, 0, 0, 0, EXCL).net == REFUSED);
	/* 1.5 × 6148914691236517204 = 9223372036854775806 exactly: fits */
	CHECK(line(1500, 6148914691236517204LL, 0, 0, 0, EXCL).net == 9223372036854775806LL);
	/* LLONG_MAX thousandths × LLONG_MAX fen: refused, not wrapped */
	CHECK(line(LLONG_MAX, LLONG_MAX, 0, 0, 0, EXCL).net == REFUSED);

	/* two lines of 2^62 fen each fit alone; their sum 2^63 does not */
	struct price_line two[] = { { 1000, 4611686018427387904LL, 0, 0 },
	                            { 1000, 4611686018427387904LL, 0, 0 } };
	struct price_totals t = { REFUSED, REFUSED, REFUSED };
	CHECK(price_quote_totals(two, 1, 0, EXCL, &t) == 0 && t.amount_total == 4611686018427387904LL);
	t.amount_total = REFUSED;
	CHECK(price_quote_totals(two, 2, 0, EXCL, &t) == -1);
	CHECK(t.amount_total == REFUSED);
}

static void test_split(void)
{
	long long p[6] = { 0 };

	/* 100000.01 at 30/40/30: 30000.003 -> 30000.00, 40000.004 -> 40000.00,
	 * last 100000.01 - 70000.00 = 30000.01 */
	int thirty_forty[] = { 3000, 4000, 3000 };
	CHECK(price_split(10000001, thirty_forty, 3, p) == 0);
	CHECK(p[0] == 3000000);
	CHECK(p[1] == 4000000);
	CHECK(p[2] == 3000001);
	CHECK(p[0] + p[1] + p[2] == 10000001);

	/* 0.01 at 30/40/30: 0.003 -> 0, 0.004 -> 0, last 0.01 */
	CHECK(price_split(1, thirty_forty, 3, p) == 0);
	CHECK(p[0] == 0 && p[1] == 0 && p[2] == 1);

	/* 0.05 at 50/50: 0.025 -> 0.03 (half up), last 0.02 */
	int halves[] = { 5000, 5000 };
	CHECK(price_split(5, halves, 2, p) == 0);
	CHECK(p[0] == 3 && p[1] == 2);

	/* 100.01 at 33.33/33.33/33.34: 33.333333 -> 33.33 twice, last 100.01 - 66.66 = 33.35 */
	int thirds[] = { 3333, 3333, 3334 };
	CHECK(price_split(10001, thirds, 3, p) == 0);
	CHECK(p[0] == 3333 && p[1] == 3333 && p[2] == 3335);

	/* 100%: the whole; 0: zeros */
	int whole[] = { 10000 };
	CHECK(price_split(123456, whole, 1, p) == 0 && p[0] == 123456);
	CHECK(price_split(0, thirty_forty, 3, p) == 0 && p[0] == 0 && p[1] == 0 && p[2] == 0);

	/* LLONG_MAX at 30/40/30: 2767011611056432742.1 -> ..742, 3689348814741910322.8 -> ..323,
	 * last 9223372036854775807 - 6456360425798343065 = 2767011611056432742 */
	CHECK(price_split(LLONG_MAX, thirty_forty, 3, p) == 0);
	CHECK(p[0] == 2767011611056432742LL && p[1] == 3689348814741910323LL &&
	      p[2] == 2767011611056432742LL);

	/* refused, parts untouched */
	p[0] = REFUSED;
	int ninety[] = { 3000, 4000, 2000 };
	CHECK(price_split(10000, ninety, 3, p) == -1);        /* 90% */
	int one_ten[] = { 5000, 6000 };
	CHECK(price_split(10000, one_ten, 2, p) == -1);       /* 110% */
	int with_zero[] = { 0, 10000 };
	CHECK(price_split(10000, with_zero, 2, p) == -1);     /* a 0% instalment */
	int negative[] = { -1000, 11000 };
	CHECK(price_split(10000, negative, 2, p) == -1);
	CHECK(price_split(10000, thirty_forty, 0, p) == -1);  /* no instalments */
	CHECK(price_split(-100, thirty_forty, 3, p) == -1);   /* negative amount */
	/* 0.03 at 16.67% × 5 + 16.65%: each 0.0005001 -> 0.01, five make 0.05 > 0.03 */
	int lopsided[] = { 1667, 1667, 1667, 1667, 1667, 1665 };
	CHECK(price_split(3, lopsided, 6, p) == -1);
	CHECK(p[0] == REFUSED);
	/* the same at 100.00: 16.67 × 5 = 83.35, last 16.65 */
	CHECK(price_split(10000, lopsided, 6, p) == 0 && p[0] == 1667 && p[5] == 1665);
}

static void test_parse_qty(void)
{
	CHECK(qty("1") == 1000);
	CHECK(qty("3") == 3000);
	CHECK(qty("1.5") == 1500);
	CHECK(qty("0.125") == 125);
	CHECK(qty("2.333") == 2333);
	CHECK(qty("0.001") == 1);
	CHECK(qty("1.5000") == 1500);          /* trailing zeros are exact */
	CHECK(qty("007") == 7000);
	CHECK(qty(" 3 ") == 3000);
	CHECK(qty("9223372036854775.807") == LLONG_MAX);
	CHECK(qty("9223372036854775.808") == REFUSED);
	CHECK(qty("9223372036854776") == REFUSED);
	CHECK(qty("99999999999999999999") == REFUSED);
	CHECK(qty("") == REFUSED);
	CHECK(qty("   ") == REFUSED);
	CHECK(qty("abc") == REFUSED);
	CHECK(qty("1.2345") == REFUSED);       /* a 4th non-zero decimal */
	CHECK(qty("0.0001") == REFUSED);
	CHECK(qty("-1") == REFUSED);
	CHECK(qty("+1") == REFUSED);
	CHECK(qty("0") == REFUSED);            /* must be > 0 */
	CHECK(qty("0.000") == REFUSED);
	CHECK(qty("1.") == REFUSED);
	CHECK(qty(".5") == REFUSED);
	CHECK(qty("1.2.3") == REFUSED);
	CHECK(qty("1,5") == REFUSED);
	CHECK(qty("1e3") == REFUSED);
	CHECK(qty("12abc") == REFUSED);
	CHECK(qty("1 2") == REFUSED);
	CHECK(qty(NULL) == REFUSED);
}

static void test_parse_pct(void)
{
	CHECK(pct("13") == 1300);
	CHECK(pct("13%") == 1300);
	CHECK(pct("6%") == 600);
	CHECK(pct("12.5") == 1250);
	CHECK(pct("12.50%") == 1250);
	CHECK(pct("33.33") == 3333);
	CHECK(pct("0") == 0);
	CHECK(pct("0%") == 0);
	CHECK(pct("100%") == 10000);
	CHECK(pct("100.00") == 10000);
	CHECK(pct("12.340") == 1234);          /* trailing zeros are exact */
	CHECK(pct(" 13% ") == 1300);
	CHECK(pct("") == REFUSED);
	CHECK(pct("abc") == REFUSED);
	CHECK(pct("-1") == REFUSED);
	CHECK(pct("101%") == REFUSED);
	CHECK(pct("100.01") == REFUSED);
	CHECK(pct("12.345") == REFUSED);       /* a 3rd non-zero decimal */
	CHECK(pct("%") == REFUSED);
	CHECK(pct("13%%") == REFUSED);
	CHECK(pct("13 %") == REFUSED);
	CHECK(pct("1 3") == REFUSED);
	CHECK(pct("99999999999999999999") == REFUSED);
	CHECK(pct(NULL) == REFUSED);
}

static void test_parse_split(void)
{
	int bp[4] = { 0 }, n = 0;
	CHECK(price_parse_split("30%,40%,30%", bp, 4, &n) == 0);
	CHECK(n == 3 && bp[0] == 3000 && bp[1] == 4000 && bp[2] == 3000);
	CHECK(price_parse_split("12.5%, 87.5%", bp, 4, &n) == 0);
	CHECK(n == 2 && bp[0] == 1250 && bp[1] == 8750);
	CHECK(price_parse_split(" 100 ", bp, 4, &n) == 0);
	CHECK(n == 1 && bp[0] == 10000);
	CHECK(price_parse_split("30,40,30", bp, 3, &n) == 0 && n == 3);

	/* parsed but not adding up: price_split says no */
	long long parts[4];
	CHECK(price_parse_split("30%,40%,20%", bp, 4, &n) == 0);
	CHECK(price_split(10000, bp, n, parts) == -1);

	n = -1;
	CHECK(price_parse_split("", bp, 4, &n) == -1);
	CHECK(price_parse_split("abc", bp, 4, &n) == -1);
	CHECK(price_parse_split("30%,,40%", bp, 4, &n) == -1);
	CHECK(price_parse_split("30%,40%,", bp, 4, &n) == -1);
	CHECK(price_parse_split(",30%", bp, 4, &n) == -1);
	CHECK(price_parse_split("30%;40%", bp, 4, &n) == -1);
	CHECK(price_parse_split("30% 40%", bp, 4, &n) == -1);
	CHECK(price_parse_split("101%", bp, 4, &n) == -1);
	CHECK(price_parse_split("30,40,30", bp, 2, &n) == -1);   /* more than max */
	CHECK(price_parse_split(NULL, bp, 4, &n) == -1);
	CHECK(n == -1);
}

static const char *cap(long long minor)
{
	static char buf[PRICE_CAPITAL_BUFSZ];
	return price_capital(minor, buf, sizeof buf);
}

static void test_capital(void)
{
	/* the spec's examples */
	CHECK_STR(cap(12345678), "壹拾贰万叁仟肆佰伍拾陆元柒角捌分");   /* 123456.78 */
	CHECK_STR(cap(1000500), "壹万零伍元整");                         /* 10005.00 */
	CHECK_STR(cap(10000010), "壹拾万元零壹角");                      /* 100000.10 */
	CHECK_STR(cap(100005), "壹仟元零伍分");                          /* 1000.05 */
	CHECK_STR(cap(105), "壹元零伍分");                               /* 1.05 */
	CHECK_STR(cap(50), "伍角");                                      /* 0.5 */
	CHECK_STR(cap(5), "伍分");                                       /* 0.05 */
	CHECK_STR(cap(0), "零元整");                                     /* 0 */
	CHECK_STR(cap(10000000000LL), "壹亿元整");                       /* 100000000 */
	CHECK_STR(cap(10001000000LL), "壹亿零壹万元整");                 /* 100010000 */
	CHECK_STR(cap(1230), "壹拾贰元叁角");                            /* 12.30: no 整 after 角 */
	CHECK_STR(cap(1000), "壹拾元整");                                /* 10: 壹拾 kept */
	CHECK_STR(cap(1), "壹分");                                       /* 0.01 */
	CHECK_STR(cap(100000000), "壹佰万元整");                         /* 1000000 */
	CHECK_STR(cap(1000000000), "壹仟万元整");                        /* 10000000.00 */
	CHECK_STR(cap(10000000005LL), "壹亿元零伍分");                   /* 100000000.05 */
	CHECK_STR(cap(2000000020), "贰仟万元零贰角");                    /* 20000000.2 */

	/* the People's Bank's own examples (zero inside, runs, 元位 0, 角位 0) */
	CHECK_STR(cap(140950), "壹仟肆佰零玖元伍角");                    /* 1409.50 */
	CHECK_STR(cap(600714), "陆仟零柒元壹角肆分");                    /* 6007.14 */
	CHECK_STR(cap(168032), "壹仟陆佰捌拾元零叁角贰分");              /* 1680.32 */
	CHECK_STR(cap(10700053), "壹拾万柒仟元零伍角叁分");              /* 107000.53 */
	CHECK_STR(cap(1640902), "壹万陆仟肆佰零玖元零贰分");             /* 16409.02 */
	CHECK_STR(cap(32504), "叁佰贰拾伍元零肆分");                     /* 325.04 */

	/* our own */
	CHECK_STR(cap(101000), "壹仟零壹拾元整");                        /* 1010 */
	CHECK_STR(cap(11000), "壹佰壹拾元整");                           /* 110 */
	CHECK_STR(cap(55), "伍角伍分");                                  /* 0.55 */
	CHECK_STR(cap(1050), "壹拾元零伍角");                            /* 10.5: yuan end in 0 */
	CHECK_STR(cap(1055), "壹拾元零伍角伍分");                        /* 10.55 */
	CHECK_STR(cap(100), "壹元整");                                   /* 1 */
	CHECK_STR(cap(100010000), "壹佰万零壹佰元整");                   /* 1000100: one 零 for 0001 */
	CHECK_STR(cap(100100000), "壹佰万壹仟元整");                     /* 1001000: the 万 ends in 0 */
	CHECK_STR(cap(1000000100), "壹仟万零壹元整");                    /* 10000001 */
	CHECK_STR(cap(100000000100LL), "壹拾亿零壹元整");                /* 1000000001 */
	CHECK_STR(cap(101010101000LL), "壹拾亿壹仟零壹拾万壹仟零壹拾元整"); /* 1010101010 */
	CHECK_STR(cap(99999999999LL), "玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分");
	CHECK_STR(cap(100000000000000LL), "壹万亿元整");                 /* 10^12 */
	CHECK_STR(cap(100010000000000LL), "壹万零壹亿元整");             /* 1000100000000 */
	CHECK_STR(cap(-150), "负壹元伍角");                              /* -1.50 */
	CHECK_STR(cap(-5), "负伍分");                                    /* -0.05 */
	/* 92233720368547758.07 */
	CHECK_STR(cap(LLONG_MAX),
	          "玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元零柒分");
	CHECK_STR(cap(LLONG_MIN),
	          "负玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元零捌分");

	/* the caller's buffer: "壹元整" is 9 bytes and a NUL */
	char small[10];
	CHECK_STR(price_capital(100, small, 10), "壹元整");
	CHECK(price_capital(100, small, 9) == NULL);
	CHECK_STR(small, "");
	CHECK(price_capital(100, small, 0) == NULL);
	CHECK(price_capital(100, NULL, 10) == NULL);
	CHECK(cap(LLONG_MIN) != NULL && strlen(cap(LLONG_MIN)) < PRICE_CAPITAL_BUFSZ / 2);
}

int main(void)
{
	test_integer_qty();
	test_decimal_qty();
	test_discounts();
	test_half_up();
	test_quote_totals();
	test_refused_lines();
	test_overflow();
	test_split();
	test_parse_qty();
	test_parse_pct();
	test_parse_split();
	test_capital();
	UNIT_DONE();
}
