/* price.c: quote, plan and capital-numeral arithmetic; integers only,
 * products in 128 bits, every step checked against the long long range. */
#include "cash/price.h"

#include <limits.h>
#include <string.h>

__extension__ typedef __int128 i128;

/* a / b rounded half up, for a >= 0 and b > 0. */
static i128 div_half_up(i128 a, i128 b)
{
	i128 q = a / b, r = a % b;
	return r >= b - r ? q + 1 : q;
}

static int fits(i128 v)
{
	return v >= LLONG_MIN && v <= LLONG_MAX;
}

static int pct_ok(int bp)
{
	return bp >= 0 && bp <= PRICE_PCT_FULL;
}

/* ---- parsing ---- */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static const char *skip_spaces(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* A non-negative decimal at *p with up to `decimals` places (further
 * places must be zeros) as an integer scaled by 10^decimals; *p moves
 * past it. Digits are required on both sides of a point. */
static int parse_fixed(const char **p, int decimals, long long *out)
{
	const char *s = *p;
	long long v = 0;
	int any = 0;
	for (; is_digit(*s); s++, any = 1) {
		if (v > (LLONG_MAX - (*s - '0')) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (!any)
		return -1;
	int places = 0;
	if (*s == '.') {
		s++;
		if (!is_digit(*s))
			return -1;
		for (; is_digit(*s); s++) {
			if (places >= decimals) {
				if (*s != '0')
					return -1;   /* too fine: an error, not a rounding */
				continue;
			}
			if (v > (LLONG_MAX - (*s - '0')) / 10)
				return -1;
			v = v * 10 + (*s - '0');
			places++;
		}
	}
	for (; places < decimals; places++) {
		if (v > LLONG_MAX / 10)
			return -1;
		v *= 10;
	}
	*p = s;
	*out = v;
	return 0;
}

int price_parse_qty(const char *s, long long *milli)
{
	long long v;
	if (!s)
		return -1;
	const char *p = skip_spaces(s);
	if (parse_fixed(&p, 3, &v) != 0 || *skip_spaces(p) != 0 || v <= 0)
		return -1;
	*milli = v;
	return 0;
}

/* A percentage at *p, '%' optional; *p moves past it. */
static int parse_pct_at(const char **p, int *bp)
{
	long long v;
	const char *s = skip_spaces(*p);
	if (parse_fixed(&s, 2, &v) != 0 || v > PRICE_PCT_FULL)
		return -1;
	if (*s == '%')
		s++;
	*p = skip_spaces(s);
	*bp = (int)v;
	return 0;
}

int price_parse_pct(const char *s, int *bp)
{
	int v;
	if (!s || parse_pct_at(&s, &v) != 0 || *s != 0)
		return -1;
	*bp = v;
	return 0;
}

int price_parse_split(const char *s, int *pct_bp, int max, int *n)
{
	int k = 0;
	if (!s || max < 1)
		return -1;
	for (;;) {
		int v;
		if (k >= max || parse_pct_at(&s, &v) != 0)
			return -1;
		pct_bp[k++] = v;
		if (*s == 0)
			break;
		if (*s != ',')
			return -1;
		s++;
	}
	*n = k;
	return 0;
}

/* ---- quote lines ---- */

int price_line_amounts(const struct price_line *line, int quote_discount_bp, int tax_included,
                       struct price_amounts *out)
{
	if (!line || line->qty_milli <= 0 || line->price < 0 || !pct_ok(line->discount_bp) ||
	    !pct_ok(line->tax_bp) || !pct_ok(quote_discount_bp))
		return -1;

	/* qty * price in thousandths of a fen: < 2^126, exact. The amount
	 * before discount must itself be a long long of fen. */
	i128 gross_milli = (i128)line->qty_milli * line->price;
	if (gross_milli / 1000 > LLONG_MAX)
		return -1;
	/* qty_milli / 1000 * price * (10000 - d) / 10000: one rounding. */
	i128 net = div_half_up(gross_milli * (PRICE_PCT_FULL - line->discount_bp),
	                       (i128)1000 * PRICE_PCT_FULL);
	if (!fits(net))
		return -1;
	net = div_half_up(net * (PRICE_PCT_FULL - quote_discount_bp), PRICE_PCT_FULL);

	i128 untaxed, tax, total;
	if (tax_included) {
		untaxed = div_half_up(net * PRICE_PCT_FULL, PRICE_PCT_FULL + line->tax_bp);
		tax = net - untaxed;
		total = net;
	} else {
		untaxed = net;
		tax = div_half_up(net * line->tax_bp, PRICE_PCT_FULL);
		total = net + tax;
	}
	if (!fits(total))
		return -1;
	out->net = (long long)net;
	out->untaxed = (long long)untaxed;
	out->tax = (long long)tax;
	out->total = (long long)total;
	return 0;
}

int price_quote_totals(const struct price_line *lines, int n, int quote_discount_bp,
                       int tax_included, struct price_totals *out)
{
	struct price_totals t = { 0, 0, 0 };
	if (n < 0 || (n > 0 && !lines))
		return -1;
	for (int i = 0; i < n; i++) {
		struct price_amounts a;
		if (price_line_amounts(&lines[i], quote_discount_bp, tax_included, &a) != 0 ||
		    __builtin_add_overflow(t.amount_untaxed, a.untaxed, &t.amount_untaxed) ||
		    __builtin_add_overflow(t.amount_tax, a.tax, &t.amount_tax) ||
		    __builtin_add_overflow(t.amount_total, a.total, &t.amount_total))
			return -1;
	}
	*out = t;
	return 0;
}

/* half_up(a, b) for a >= 0, b > 0 is div(2a + b, 2b): div() truncates
 * exactly, where numeric's / rounds to some scale. */
const char price_line_pg_function[] =
	"CREATE FUNCTION cash_line(kind text, qty numeric, price numeric, disc numeric, qdisc numeric, "
	"rate numeric, incl numeric) RETURNS bigint LANGUAGE plpgsql IMMUTABLE AS $crm$\n"
	"DECLARE\n"
	"  q numeric := coalesce(qty, 1) * 1000;\n"
	"  d numeric := coalesce(disc, 0) * 100;\n"
	"  qd numeric := coalesce(qdisc, 0) * 100;\n"
	"  t numeric := coalesce(rate, 0) * 100;\n"
	"  top numeric := 9223372036854775807;\n"
	"  g numeric; net numeric; untaxed numeric; tax numeric; total numeric;\n"
	"BEGIN\n"
	"  IF price IS NULL THEN RETURN NULL; END IF;\n"
	"  IF q <= 0 OR q <> trunc(q) OR q > top OR price < 0 OR price <> trunc(price)\n"
	"     OR d < 0 OR d > 10000 OR d <> trunc(d) OR qd < 0 OR qd > 10000 OR qd <> trunc(qd)\n"
	"     OR t < 0 OR t > 10000 OR t <> trunc(t) THEN\n"
	"    RAISE EXCEPTION 'cash_line: a quote line''s quantity, price, discount or tax rate is out of range';\n"
	"  END IF;\n"
	"  g := q * price;\n"
	"  IF div(g, 1000) > top THEN\n"
	"    RAISE EXCEPTION 'cash_line: a quote line''s quantity, price, discount or tax rate is out of range';\n"
	"  END IF;\n"
	"  net := div(2 * g * (10000 - d) + 10000000, 20000000);\n"
	"  IF net > top THEN\n"
	"    RAISE EXCEPTION 'cash_line: a quote line''s quantity, price, discount or tax rate is out of range';\n"
	"  END IF;\n"
	"  net := div(2 * net * (10000 - qd) + 10000, 20000);\n"
	"  IF incl IS NULL OR incl <> 0 THEN\n"
	"    untaxed := div(2 * net * 10000 + 10000 + t, 2 * (10000 + t));\n"
	"    tax := net - untaxed;\n"
	"    total := net;\n"
	"  ELSE\n"
	"    untaxed := net;\n"
	"    tax := div(2 * net * t + 10000, 20000);\n"
	"    total := net + tax;\n"
	"  END IF;\n"
	"  IF total > top THEN\n"
	"    RAISE EXCEPTION 'cash_line: a quote line''s quantity, price, discount or tax rate is out of range';\n"
	"  END IF;\n"
	"  RETURN CASE kind WHEN 'net' THEN net WHEN 'untaxed' THEN untaxed WHEN 'tax' THEN tax ELSE total END;\n"
	"END $crm$";

/* ---- payment plans ---- */

int price_split(long long total, const int *pct_bp, int n, long long *parts)
{
	if (total < 0 || n < 1 || !pct_bp || !parts)
		return -1;
	long long sum_bp = 0;
	for (int i = 0; i < n; i++) {
		if (pct_bp[i] <= 0 || pct_bp[i] > PRICE_PCT_FULL)
			return -1;
		sum_bp += pct_bp[i];
	}
	if (sum_bp != PRICE_PCT_FULL)
		return -1;
	/* Every part but the last is at most total, so the running sum of
	 * n - 1 of them stays within n * total < 2^95. */
	i128 given = 0;
	for (int i = 0; i < n - 1; i++)
		given += div_half_up((i128)total * pct_bp[i], PRICE_PCT_FULL);
	if (given > total)
		return -1;
	for (int i = 0; i < n - 1; i++)
		parts[i] = (long long)div_half_up((i128)total * pct_bp[i], PRICE_PCT_FULL);
	parts[n - 1] = (long long)(total - given);
	return 0;
}

/* ---- capital numerals ---- */

static const char *const digit_cn[10] = {
	"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖",
};

/* A bounded writer: once something does not fit, nothing more is
 * written and full is set. */
struct out {
	char *s;
	size_t len, cap;
	int full;
};

static void put(struct out *o, const char *t)
{
	size_t n = strlen(t);
	if (o->full || o->len + n >= o->cap) {
		o->full = 1;
		return;
	}
	memcpy(o->s + o->len, t, n);
	o->len += n;
	o->s[o->len] = 0;
}

/* 0 < n < 10000: digits with 仟佰拾, one 零 for an inner run of zeros,
 * trailing zeros dropped ("壹仟零壹拾" for 1010). */
static void put_group(struct out *o, unsigned n)
{
	static const char *const unit[4] = { "仟", "佰", "拾", "" };
	unsigned div = 1000;
	int started = 0, zeros = 0;
	for (int i = 0; i < 4; i++, div /= 10) {
		unsigned d = n / div % 10;
		if (d == 0) {
			zeros = started;
			continue;
		}
		if (zeros)
			put(o, "零");
		put(o, digit_cn[d]);
		put(o, unit[i]);
		started = 1;
		zeros = 0;
	}
}

/* n > 0 in yuan. Above 亿 the part before it is written the same way
 * (so 10^12 is 壹万亿 and 10^16 壹亿亿); a 零 marks the zeros between a
 * 亿 or 万 and a lower part that does not start at the next digit. */
static void put_yuan(struct out *o, unsigned long long n)
{
	if (n >= 100000000ULL) {
		unsigned long long lo = n % 100000000ULL;
		put_yuan(o, n / 100000000ULL);
		put(o, "亿");
		if (lo) {
			if (lo < 10000000ULL)
				put(o, "零");
			put_yuan(o, lo);
		}
	} else if (n >= 10000) {
		unsigned lo = (unsigned)(n % 10000);
		put_group(o, (unsigned)(n / 10000));
		put(o, "万");
		if (lo) {
			if (lo < 1000)
				put(o, "零");
			put_group(o, lo);
		}
	} else {
		put_group(o, (unsigned)n);
	}
}

char *price_capital(long long minor, char *buf, size_t n)
{
	struct out o = { buf, 0, n, 0 };
	if (!buf || n == 0)
		return NULL;
	buf[0] = 0;
	/* The magnitude as unsigned, so LLONG_MIN has one too. */
	unsigned long long mag = minor < 0 ? 0ULL - (unsigned long long)minor
	                                   : (unsigned long long)minor;
	unsigned long long yuan = mag / 100;
	unsigned jiao = (unsigned)(mag / 10 % 10), fen = (unsigned)(mag % 10);

	if (minor < 0)
		put(&o, "负");
	if (yuan == 0 && jiao == 0 && fen == 0) {
		put(&o, "零元整");
	} else {
		if (yuan) {
			put_yuan(&o, yuan);
			put(&o, "元");
			if (jiao == 0 && fen == 0)
				put(&o, "整");
			else if (jiao == 0 || yuan % 10 == 0)
				put(&o, "零");
		}
		if (jiao) {
			put(&o, digit_cn[jiao]);
			put(&o, "角");
		}
		if (fen) {
			put(&o, digit_cn[fen]);
			put(&o, "分");
		}
	}
	if (o.full) {
		buf[0] = 0;
		return NULL;
	}
	return buf;
}
