/* price.h: the cash layer's arithmetic, used by quotes, contracts and
 * payment plans: a quote line's net, tax and total from its quantity,
 * unit price, discounts and tax rate (CLI spec 8.2), the sums of a
 * quote, the split of a contract amount into instalments, the parsing
 * of quantities and percentages, and the amount in Chinese capital
 * numerals (大写金额) for printing. It is pure: integers in, integers
 * or text out, no database, no I/O, no allocation, no global state.
 * Money is minor units (fen) as in base/money.h; quantities are
 * thousandths ("1.5" -> 1500); discounts and tax rates are basis points,
 * hundredths of a percent ("12.5" -> 1250, "13" -> 1300), so every
 * decimal the spec allows is exact. Every rounding is half up, defined
 * for the non-negative values this module accepts (negative prices and
 * amounts are refused, except by price_capital). Products are exact
 * (128-bit); any step value in minor units that would not fit in a long
 * long is refused with -1, never wrapped. */
#ifndef CRM_CASH_PRICE_H
#define CRM_CASH_PRICE_H

#include <stddef.h>

#define PRICE_PCT_FULL 10000   /* 100% in basis points */

/* "3", "1.5", "0.125", "2.333", "1.5000" -> thousandths (3000, 1500,
 * 125, 2333, 1500). Digits with an optional point and at least one digit
 * on each side of it; surrounding spaces allowed; must be > 0. A non-zero
 * fourth decimal is an error, not a rounding. Returns 0, or -1 (junk,
 * sign, zero, overflow; *milli untouched). */
int price_parse_qty(const char *s, long long *milli);

/* "13", "12.5", "12.50%", "0", "100%" -> basis points (1300, 1250, 1250,
 * 0, 10000). Same number syntax as price_parse_qty with up to two
 * decimals and an optional trailing '%'; must be 0..100. Returns 0, or
 * -1 (*bp untouched). */
int price_parse_pct(const char *s, int *bp);

/* "30%,40%,30%" (spaces around items allowed) -> {3000, 4000, 3000},
 * *n = 3. At most max items; an empty item is an error. Only parses:
 * price_split checks that the parts add up to 100%. Returns 0, or -1. */
int price_parse_split(const char *s, int *pct_bp, int max, int *n);

/* One quote line: qty_milli > 0, price >= 0 (minor units, per unit),
 * discount_bp and tax_bp 0..10000. */
struct price_line {
	long long qty_milli, price;
	int discount_bp, tax_bp;
};

/* A line's amounts, minor units. net is after both discounts (it
 * includes the tax when prices include tax); total = untaxed + tax. */
struct price_amounts {
	long long net, untaxed, tax, total;
};

/* A quote's sums over its lines. */
struct price_totals {
	long long amount_untaxed, amount_tax, amount_total;
};

/* Spec 8.2, each step rounded half up:
 *   net = round(qty * price * (100 - line_discount) / 100)
 *   net = round(net * (100 - quote_discount) / 100)
 * tax_included: untaxed = round(net * 100 / (100 + rate)), tax = net -
 * untaxed, total = net; otherwise tax = round(net * rate / 100), untaxed
 * = net, total = net + tax. Returns 0, or -1 on an input out of range or
 * an overflow (*out untouched). */
int price_line_amounts(const struct price_line *line, int quote_discount_bp, int tax_included,
                       struct price_amounts *out);

/* The sums of n lines' untaxed, tax and total (n = 0 gives zeros).
 * Returns 0, or -1 when a line is refused or a sum overflows (*out
 * untouched). */
int price_quote_totals(const struct price_line *lines, int n, int quote_discount_bp,
                       int tax_included, struct price_totals *out);

/* The same line arithmetic as a PostgreSQL function, for a team server
 * (crm server init creates it), which cannot call this C: cash_line(kind,
 * qty, price, line_discount, quote_discount, tax_rate, tax_included) over
 * the server's numeric columns, as quote.c registers cash_line() with
 * SQLite: 'net', 'untaxed', 'tax' or 'total' (anything else) in minor
 * units, NULL for a NULL price, an error where price_line_amounts refuses
 * (a quantity or percentage with more decimals than it takes, out of
 * range, an overflow). Exact: numeric throughout, each rounding half up
 * by integer division. It sits here, beside price_line_amounts, so that a
 * change to one is made to both; tests/717 compares the two on many
 * inputs. One SQL statement, without a trailing ';'. */
extern const char price_line_pg_function[];

/* Split total >= 0 into n >= 1 instalments of pct_bp[i] basis points
 * each (every one > 0, adding up to exactly 10000): parts[i] =
 * round(total * pct / 100) half up, and the last part takes the rest,
 * so the parts always add up to total. Returns 0, or -1 (percentages
 * not adding up to 100, a part of 0%, a negative total, or roundings so
 * lopsided the last part would be negative; parts untouched). */
int price_split(long long total, const int *pct_bp, int n, long long *parts);

/* Big enough for price_capital of any long long (the longest is fewer
 * than 60 characters of 3 bytes). */
#define PRICE_CAPITAL_BUFSZ 256

/* Minor units in Chinese capital numerals as written on financial
 * documents (大写金额, the People's Bank rules for bills):
 * 12345678 -> "壹拾贰万叁仟肆佰伍拾陆元柒角捌分". Digits 零壹贰叁肆伍陆
 * 柒捌玖, units 拾佰仟万亿 (亿亿 and 万亿 for the very large), 元角分.
 * One 零 stands for each run of zeros inside the yuan (10005 yuan ->
 * 壹万零伍元整, 100010000 -> 壹亿零壹万元整), read by 4-digit sections:
 * zeros that end a section before its 万 or 亿 are not written (107000
 * -> 壹拾万柒仟, 1001000 -> 壹佰万壹仟; the PBOC's rules allow this or a
 * 零 after the 万, and give this form first); 零 follows 元 when the yuan
 * end in a zero and a 角 follows (100000.10 -> 壹拾万元零壹角) or when the
 * 角 is missing before a 分 (1.05 -> 壹元零伍分). Whole yuan end in 整;
 * our choice: no 整 after a 角 (12.30 -> 壹拾贰元叁角) and none after a
 * 分. No 元 under one yuan (0.5 -> 伍角, 0.05 -> 伍分); zero is 零元整; a
 * leading 壹拾 is kept (10 -> 壹拾元整); negative amounts start with 负.
 * Writes UTF-8 into buf (the caller's; PRICE_CAPITAL_BUFSZ always
 * fits) and returns buf, or NULL when n is too small (buf is then "" if
 * n > 0). */
char *price_capital(long long minor, char *buf, size_t n);

#endif
