/* money.h: amounts as integer minor units (fen, cents), never floats. */
#ifndef CRM_MONEY_H
#define CRM_MONEY_H

#define MONEY_BUFSZ 40

/* Parse "120000", "120000.5", "1,200.50", "¥1200", "￥1200", "12万",
 * "1.5万", "3亿", "-20", "１２００" (full-width digits) into minor units
 * (2 decimals; a non-zero digit past the fen is an error, not a rounding).
 * Returns 0, or -1 when the text is not an amount or would overflow. */
int money_parse(const char *in, long long *minor);

/* The largest amount a record may hold, in minor units either side of
 * zero: 9,000,000,000.00 (90亿). Any sum of 10^7 such amounts is exact
 * in 64 bits (9e11 x 1e7 = 9e18 < 2^63), so reports never overflow. */
#define MONEY_MAX 900000000000LL

/* Whether minor is within ±MONEY_MAX. */
int money_in_bounds(long long minor);

/* Major units as a JSON number: 12000050 -> "120000.5", 100 -> "1",
 * -5 -> "-0.05". Exact, no floating point. Returns buf. */
char *money_format(long long minor, char *buf);

/* A currency as its ISO 4217 code: "usd" -> "USD", and the names a
 * Chinese spreadsheet writes in its 币种 column (人民币, RMB -> CNY; 美元
 * -> USD; 港币 -> HKD; ...). Returns 0 with the code in out (4 bytes), or
 * -1 when the text is neither three Latin letters nor a name we know. */
#define CURRENCY_BUFSZ 4
int currency_normalize(const char *in, char *out);

#endif
