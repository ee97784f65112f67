/* money.h: amounts as integer minor units (fen, cents), never floats. */
#ifndef CRM_MONEY_H
#define CRM_MONEY_H

#define MONEY_BUFSZ 40

/* Parse "120000", "120000.5", "1,200.50", "¥1200", "￥1200", "12万",
 * "1.5万", "3亿", "-20", "１２００" (full-width digits) into minor units
 * (2 decimals; a non-zero digit past the fen is an error, not a rounding).
 * Returns 0, or -1 when the text is not an amount or would overflow. */
int money_parse(const char *in, long long *minor);

/* Major units as a JSON number: 12000050 -> "120000.5", 100 -> "1",
 * -5 -> "-0.05". Exact, no floating point. Returns buf. */
char *money_format(long long minor, char *buf);

#endif
