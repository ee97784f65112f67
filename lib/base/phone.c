/* phone.c: one canonical form for the phone numbers and email addresses
 * people type, paste from WeChat or export from other tools. */
#include "base/phone.h"
#include "base/text.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DIGITS 20

/* Trimmed copy with full-width characters folded to ASCII. */
static char *clean_input(const char *in)
{
	char *folded = text_fold_fullwidth(in);
	if (!folded)
		return NULL;
	char *t = text_trim(folded);
	free(folded);
	return t;
}

/* Write the first alen bytes of a, then b, into buf of size n, or fail
 * leaving buf as it was. */
static int put2(char *buf, size_t n, const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b);
	if (alen + blen >= n)
		return -1;
	memcpy(buf, a, alen);
	memcpy(buf + alen, b, blen + 1);
	return 0;
}

static int put(char *buf, size_t n, const char *s)
{
	return put2(buf, n, "", 0, s);
}

struct digits {
	char d[MAX_DIGITS + 1];
	size_t n;
	int plus;   /* written with an international prefix */
};

static int add_digit(struct digits *x, char c)
{
	if (x->n >= MAX_DIGITS)
		return -1;
	x->d[x->n++] = c;
	x->d[x->n] = 0;
	return 0;
}

/* A closed "(...)" group of digits from index from. "(86)" in front
 * means +86; "(0)" after a country code is the trunk prefix people add
 * in "+44 (0)20 ...", which is not dialled from abroad. */
static int close_group(struct digits *x, size_t from, int leading)
{
	const char *g = x->d + from;
	if (x->n == from)
		return -1;
	if (leading && !x->plus && strcmp(g, "86") == 0)
		x->plus = 1;
	else if (!leading && x->plus && strcmp(g, "0") == 0)
		x->d[x->n = from] = 0;
	return 0;
}

/* Collect the digits of s; only separators, one leading "+" and
 * non-nested parentheses may come between them. */
static int scan(const char *s, struct digits *x)
{
	long group = -1;   /* digit index where an open "(" started */
	int leading = 0;
	memset(x, 0, sizeof(*x));
	for (const char *p = s; *p; p++) {
		char c = *p;
		if (c >= '0' && c <= '9') {
			if (add_digit(x, c) != 0)
				return -1;
		} else if (c == '+') {
			if (x->plus || x->n > 0)
				return -1;
			x->plus = 1;
		} else if (c == '(') {
			if (group >= 0)
				return -1;
			group = (long)x->n;
			leading = x->n == 0 && !x->plus;
			if (p[1] == '+' && leading)
				leading = 0;   /* "(+86)": the plus says it already */
		} else if (c == ')') {
			if (group < 0 || close_group(x, (size_t)group, leading) != 0)
				return -1;
			group = -1;
		} else if (c != ' ' && c != '-' && c != '.') {
			return -1;
		}
	}
	return group >= 0 ? -1 : 0;
}

static int is_mobile(const char *n)
{
	return strlen(n) == 11 && n[0] == '1' && n[1] >= '3' && n[1] <= '9';
}

/* "0571" + 7 or 8 digits, or "010"/"02x" + 8 digits, as "0571-88886666".
 * A local number starting with 0 is a mistyped prefix. */
static int landline(const char *n, char *buf, size_t size)
{
	size_t len = strlen(n), area;
	if (n[0] != '0' || n[1] == '0')
		return -1;
	if (n[1] == '1' || n[1] == '2') {
		if (n[1] == '1' && n[2] != '0')
			return -1;   /* 010 is the only 01x code */
		area = 3;
	} else {
		area = 4;
	}
	if (len < area + 7)
		return -1;
	size_t sub = len - area;
	if (sub > 8 || (area == 3 && sub != 8) || n[area] == '0')
		return -1;
	char code[6];
	memcpy(code, n, area);
	code[area] = '-';
	return put2(buf, size, code, area + 1, n + area);
}

/* Nationwide service numbers: "400-820-8820". */
static int service(const char *n, char *buf, size_t size)
{
	if (strlen(n) != 10 || (strncmp(n, "400", 3) != 0 && strncmp(n, "800", 3) != 0))
		return -1;
	char out[13];
	memcpy(out, n, 3);
	out[3] = '-';
	memcpy(out + 4, n + 3, 3);
	out[7] = '-';
	memcpy(out + 8, n + 6, 5);   /* last four digits and the NUL */
	return put(buf, size, out);
}

/* A mainland number without country code. Written after +86 the area
 * code loses its 0 ("+86 571 ..."), so put it back. */
static int mainland(const char *n, int after_cc, char *buf, size_t size)
{
	if (is_mobile(n))
		return put(buf, size, n);
	if (service(n, buf, size) == 0)
		return 0;
	if (n[0] == '0')
		return landline(n, buf, size);
	if (!after_cc)
		return -1;   /* a bare local number: its area code is unknown */
	char with0[MAX_DIGITS + 2];
	if (put2(with0, sizeof(with0), "0", 1, n) != 0)
		return -1;
	return landline(with0, buf, size);
}

/* Other countries: "+" and 7 to 15 digits (E.164), country code first. */
static int international(const char *n, char *buf, size_t size)
{
	size_t len = strlen(n);
	if (n[0] == '0' || len < 7 || len > 15)
		return -1;
	return put2(buf, size, "+", 1, n);
}

static int normalize(const char *s, char *buf, size_t n)
{
	struct digits x;
	if (scan(s, &x) != 0 || x.n == 0)
		return -1;
	const char *d = x.d;
	if (!x.plus && strncmp(d, "00", 2) == 0) {
		x.plus = 1;   /* 00 is the international prefix dialled in China */
		d += 2;
	}
	if (!x.plus)
		return mainland(d, 0, buf, n);
	if (strncmp(d, "86", 2) == 0)
		return mainland(d + 2, 1, buf, n);
	return international(d, buf, n);
}

int phone_normalize(const char *in, char *buf, size_t n)
{
	if (n > 0)
		buf[0] = 0;
	if (!in)
		return -1;
	char *s = clean_input(in);
	if (!s)
		return -1;
	int rc = normalize(s, buf, n);
	free(s);
	if (rc != 0 && n > 0)
		buf[0] = 0;
	return rc;
}

/* Bytes never valid in an address we store; catches pasted
 * "张伟 <a@b.cn>" and lists "a@b.cn; c@d.cn". */
static int bad_email_char(unsigned char c)
{
	return c <= ' ' || c == 0x7F || strchr("<>()[]\\,;:\"", c) != NULL;
}

/* Dot-separated non-empty parts; for a domain, labels also may not start
 * or end with "-" and there must be at least two of them. */
static int dotted_ok(const char *s, size_t len, int domain)
{
	size_t start = 0, labels = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '.')
			continue;
		if (i == start)
			return -1;
		if (domain && (s[start] == '-' || s[i - 1] == '-'))
			return -1;
		labels++;
		start = i + 1;
	}
	if (domain && (labels < 2 || len - (size_t)(strrchr(s, '.') - s) - 1 < 2))
		return -1;
	return 0;
}

static int email_shape(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || strchr(at + 1, '@'))
		return -1;
	for (const char *p = s; *p; p++)
		if (bad_email_char((unsigned char)*p))
			return -1;
	size_t local = (size_t)(at - s), dom = strlen(at + 1);
	if (local == 0 || local > 64 || dom == 0 || local + 1 + dom > 254)
		return -1;
	if (dotted_ok(s, local, 0) != 0 || dotted_ok(at + 1, dom, 1) != 0)
		return -1;
	return 0;
}

int email_normalize(const char *in, char *buf, size_t n)
{
	if (n > 0)
		buf[0] = 0;
	if (!in)
		return -1;
	char *s = clean_input(in);
	if (!s)
		return -1;
	for (char *p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	int rc = email_shape(s) == 0 && put(buf, n, s) == 0 ? 0 : -1;
	free(s);
	return rc;
}
