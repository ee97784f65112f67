/* money.c: amounts as integer minor units; every step is integer and
 * overflow-checked, so "0.1 + 0.2" problems cannot arise. */
#include "base/money.h"
#include "base/text.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static int skip(const char **p, const char *lit)
{
	size_t n = strlen(lit);
	if (strncmp(*p, lit, n) != 0)
		return -1;
	*p += n;
	return 0;
}

static void skip_spaces(const char **p)
{
	while (**p == ' ')
		(*p)++;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* v = v * 10 + d, or -1 on overflow. */
static int push_digit(long long *v, int d)
{
	if (*v > (LLONG_MAX - d) / 10)
		return -1;
	*v = *v * 10 + d;
	return 0;
}

/* The integer part: plain digits, or groups of three after commas
 * ("1,200"). Loose commas are refused because "1,20" may mean 1.20. */
static int parse_int(const char **p, const char **start, size_t *len)
{
	const char *s = *p;
	int first = 0;
	while (is_digit(s[first]))
		first++;
	if (first == 0)
		return -1;
	const char *e = s + first;
	if (*e == ',') {
		if (first > 3)
			return -1;
		while (*e == ',') {
			for (int i = 1; i <= 3; i++)
				if (!is_digit(e[i]))
					return -1;
			if (is_digit(e[4]))
				return -1;
			e += 4;
		}
	}
	*start = s;
	*len = (size_t)(e - s);
	*p = e;
	return 0;
}

/* Minor units of a number with the given decimals of scale: 2 for
 * yuan, 6 for 万 (10^4 * 10^2), 10 for 亿. */
static int to_minor(const char *ip, size_t ilen, const char *fp, size_t flen, int scale,
                    long long *out)
{
	long long v = 0;
	/* Trailing zeros are exact ("1.500" from a spreadsheet); a digit
	 * finer than a fen is an error, never a rounding. */
	while (flen > (size_t)scale && fp[flen - 1] == '0')
		flen--;
	if (flen > (size_t)scale)
		return -1;
	for (size_t i = 0; i < ilen; i++)
		if (ip[i] != ',' && push_digit(&v, ip[i] - '0') != 0)
			return -1;
	for (int i = 0; i < scale; i++)
		if (push_digit(&v, (size_t)i < flen ? fp[i] - '0' : 0) != 0)
			return -1;
	*out = v;
	return 0;
}

static int read_sign(const char **p, int *sign)
{
	if (**p != '-' && **p != '+')
		return 0;
	if (*sign)
		return -1;   /* a second sign */
	*sign = **p == '-' ? -1 : 1;
	(*p)++;
	return 0;
}

static int parse_clean(const char *s, long long *minor)
{
	int sign = 0;   /* 0 none yet, -1 minus, 1 plus */
	if (read_sign(&s, &sign) != 0)
		return -1;
	skip_spaces(&s);
	if (skip(&s, "¥") == 0 || skip(&s, "￥") == 0) {
		skip_spaces(&s);
		if (read_sign(&s, &sign) != 0)
			return -1;
	}
	const char *ip, *fp = "";
	size_t ilen, flen = 0;
	if (parse_int(&s, &ip, &ilen) != 0)
		return -1;
	if (*s == '.') {
		fp = ++s;
		while (is_digit(*s))
			s++;
		flen = (size_t)(s - fp);
		if (flen == 0)
			return -1;
	}
	skip_spaces(&s);
	int scale = 2;
	if (skip(&s, "万") == 0)
		scale = 6;
	else if (skip(&s, "亿") == 0)
		scale = 10;
	skip(&s, "元");
	if (*s != 0)
		return -1;
	long long v;
	if (to_minor(ip, ilen, fp, flen, scale, &v) != 0)
		return -1;
	*minor = sign < 0 ? -v : v;
	return 0;
}

int money_parse(const char *in, long long *minor)
{
	if (!in)
		return -1;
	char *folded = text_fold_fullwidth(in);
	if (!folded)
		return -1;
	char *s = text_trim(folded);
	free(folded);
	if (!s)
		return -1;
	int rc = parse_clean(s, minor);
	free(s);
	return rc;
}

char *money_format(long long minor, char *buf)
{
	/* Unsigned magnitude so LLONG_MIN has one too. */
	unsigned long long m = minor < 0 ? 0ULL - (unsigned long long)minor
	                                 : (unsigned long long)minor;
	unsigned long long major = m / 100;
	unsigned cents = (unsigned)(m % 100);
	char tmp[MONEY_BUFSZ];
	size_t n = 0;
	/* Digits are produced backwards: decimals first, then the major part. */
	if (cents % 10 != 0) {
		tmp[n++] = (char)('0' + cents % 10);
		tmp[n++] = (char)('0' + cents / 10);
		tmp[n++] = '.';
	} else if (cents != 0) {
		tmp[n++] = (char)('0' + cents / 10);
		tmp[n++] = '.';
	}
	do {
		tmp[n++] = (char)('0' + major % 10);
		major /= 10;
	} while (major);
	if (minor < 0)
		tmp[n++] = '-';
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = 0;
	return buf;
}

int money_in_bounds(long long minor)
{
	return minor <= MONEY_MAX && minor >= -MONEY_MAX;
}

int currency_normalize(const char *in, char *out)
{
	static const char *const names[][2] = {
		{ "人民币", "CNY" }, { "RMB", "CNY" }, { "元", "CNY" }, { "美元", "USD" }, { "美金", "USD" },
		{ "港币", "HKD" }, { "港元", "HKD" }, { "欧元", "EUR" }, { "日元", "JPY" }, { "英镑", "GBP" },
		{ "新台币", "TWD" }, { "澳门元", "MOP" }, { "新加坡元", "SGD" }, { "韩元", "KRW" },
	};
	char up[CURRENCY_BUFSZ] = "";
	size_t n = strlen(in);
	if (n == 3) {
		for (size_t i = 0; i < 3; i++) {
			char ch = in[i];
			if (ch >= 'a' && ch <= 'z')
				ch = (char)(ch - 'a' + 'A');
			if (ch < 'A' || ch > 'Z')
				break;
			up[i] = ch;
			up[i + 1] = 0;
		}
	}
	const char *name = strlen(up) == 3 ? up : in;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i][0])) {
			memcpy(out, names[i][1], CURRENCY_BUFSZ);
			return 0;
		}
	if (strlen(up) != 3)
		return -1;
	memcpy(out, up, CURRENCY_BUFSZ);
	return 0;
}
