/* text.c: UTF-8 decoding, display width, trimming and full-width folding. */
#include "base/text.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

int utf8_decode(const char *s, size_t n, unsigned *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	if (n == 0)
		return -1;
	unsigned c = p[0];
	int len;
	unsigned min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		len = 2, min = 0x80, c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, min = 0x800, c &= 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, min = 0x10000, c &= 0x07;
	} else {
		return -1;   /* stray continuation byte, C0/C1 or F5..FF */
	}
	if ((size_t)len > n)
		return -1;
	for (int i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return -1;
		c = c << 6 | (p[i] & 0x3F);
	}
	/* Overlong forms, UTF-16 surrogates and beyond-Unicode are invalid. */
	if (c < min || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
		return -1;
	*cp = c;
	return len;
}

int utf8_encode(unsigned cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		cp = 0xFFFD;   /* never emit invalid UTF-8 */
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | cp >> 12);
		o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | cp >> 18);
	o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
	o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

int utf8_valid(const char *s, size_t n, size_t *bad)
{
	size_t i = 0;
	while (i < n) {
		unsigned cp;
		int len = utf8_decode(s + i, n - i, &cp);
		if (len < 0) {
			if (bad)
				*bad = i;
			return 0;
		}
		i += (size_t)len;
	}
	return 1;
}

struct range {
	unsigned lo, hi;
};

static int in_ranges(unsigned cp, const struct range *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cp >= r[i].lo && cp <= r[i].hi)
			return 1;
	return 0;
}

/* Combining marks and invisible formatting characters take no column. */
static const struct range zero_width[] = {
	{ 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x0591, 0x05BD },
	{ 0x0610, 0x061A }, { 0x064B, 0x065F }, { 0x0E31, 0x0E31 },
	{ 0x0E34, 0x0E3A }, { 0x0E47, 0x0E4E }, { 0x1AB0, 0x1AFF },
	{ 0x1DC0, 0x1DFF }, { 0x200B, 0x200F }, { 0x2028, 0x202E },
	{ 0x2060, 0x2064 }, { 0x20D0, 0x20FF }, { 0x302A, 0x302D },
	{ 0x3099, 0x309A }, { 0xFE00, 0xFE0F }, { 0xFE20, 0xFE2F },
	{ 0xFEFF, 0xFEFF }, { 0xE0000, 0xE0FFF },
};

/* East Asian Wide and Fullwidth blocks, plus the emoji blocks terminals
 * draw two columns wide. */
static const struct range wide[] = {
	{ 0x1100, 0x115F },   /* Hangul Jamo initials */
	{ 0x231A, 0x231B }, { 0x2329, 0x232A }, { 0x23E9, 0x23EC },
	{ 0x23F0, 0x23F0 }, { 0x23F3, 0x23F3 }, { 0x25FD, 0x25FE },
	{ 0x2614, 0x2615 }, { 0x2648, 0x2653 }, { 0x267F, 0x267F },
	{ 0x2693, 0x2693 }, { 0x26A1, 0x26A1 }, { 0x26AA, 0x26AB },
	{ 0x26BD, 0x26BE }, { 0x26C4, 0x26C5 }, { 0x26CE, 0x26CE },
	{ 0x26D4, 0x26D4 }, { 0x26EA, 0x26EA }, { 0x26F2, 0x26F3 },
	{ 0x26F5, 0x26F5 }, { 0x26FA, 0x26FA }, { 0x26FD, 0x26FD },
	{ 0x2705, 0x2705 }, { 0x270A, 0x270B }, { 0x2728, 0x2728 },
	{ 0x274C, 0x274C }, { 0x274E, 0x274E }, { 0x2753, 0x2755 },
	{ 0x2757, 0x2757 }, { 0x2795, 0x2797 }, { 0x27B0, 0x27B0 },
	{ 0x27BF, 0x27BF }, { 0x2B1B, 0x2B1C }, { 0x2B50, 0x2B50 },
	{ 0x2B55, 0x2B55 },
	{ 0x2E80, 0x303E },   /* CJK radicals, Kangxi, CJK symbols & punctuation */
	{ 0x3041, 0x33FF },   /* kana, bopomofo, Hangul compat, CJK compat */
	{ 0x3400, 0x4DBF },   /* CJK extension A */
	{ 0x4E00, 0x9FFF },   /* CJK unified ideographs */
	{ 0xA000, 0xA4CF },   /* Yi */
	{ 0xA960, 0xA97F },   /* Hangul Jamo extended A */
	{ 0xAC00, 0xD7A3 },   /* Hangul syllables */
	{ 0xF900, 0xFAFF },   /* CJK compatibility ideographs */
	{ 0xFE10, 0xFE19 },   /* vertical forms */
	{ 0xFE30, 0xFE6F },   /* CJK compatibility forms, small forms */
	{ 0xFF00, 0xFF60 },   /* full-width ASCII */
	{ 0xFFE0, 0xFFE6 },   /* full-width signs: ￥ ￠ ￡ */
	{ 0x16FE0, 0x16FE4 }, { 0x17000, 0x18CFF }, { 0x1B000, 0x1B2FF },
	{ 0x1F004, 0x1F004 }, { 0x1F0CF, 0x1F0CF }, { 0x1F18E, 0x1F18E },
	{ 0x1F191, 0x1F19A }, { 0x1F200, 0x1F2FF },
	{ 0x1F300, 0x1F64F },   /* symbols & pictographs, emoticons */
	{ 0x1F680, 0x1F6FF },   /* transport & map */
	{ 0x1F7E0, 0x1F7EB }, { 0x1F90C, 0x1F9FF }, { 0x1FA70, 0x1FAFF },
	{ 0x20000, 0x2FFFD },   /* CJK extensions B..F */
	{ 0x30000, 0x3FFFD },   /* CJK extension G.. */
};

int cp_width(unsigned cp)
{
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return 0;
	if (cp < 0x300)
		return 1;
	if (in_ranges(cp, zero_width, sizeof(zero_width) / sizeof(zero_width[0])))
		return 0;
	if (in_ranges(cp, wide, sizeof(wide) / sizeof(wide[0])))
		return 2;
	return 1;
}

/* One display unit of s: its bytes, code point and columns. An invalid
 * byte stands alone and shows as U+FFFD (one column). */
static int next_unit(const char *s, size_t n, unsigned *cp, int *w)
{
	int len = utf8_decode(s, n, cp);
	if (len < 0) {
		*cp = 0xFFFD;
		len = 1;
	}
	*w = cp_width(*cp);
	return len;
}

int utf8_width(const char *s)
{
	size_t n = strlen(s);
	int total = 0;
	for (size_t i = 0; i < n;) {
		unsigned cp;
		int w;
		i += (size_t)next_unit(s + i, n - i, &cp, &w);
		total += w;
	}
	return total;
}

#define ELLIPSIS "\xE2\x80\xA6"   /* U+2026, one column */

/* Copy units of s while they fit in maxw columns and room bytes (plus
 * zero-width marks that belong to the last kept character). Invalid
 * bytes become U+FFFD so the output is always valid UTF-8. */
static size_t copy_fitting(const char *s, int maxw, char *out, size_t room, int *width,
                           int *done)
{
	size_t n = strlen(s), o = 0;
	int total = 0;
	size_t i = 0;
	while (i < n) {
		unsigned cp;
		int w;
		int len = next_unit(s + i, n - i, &cp, &w);
		char enc[4];
		int elen = utf8_encode(cp, enc);
		if (total + w > maxw || o + (size_t)elen > room)
			break;
		memcpy(out + o, enc, (size_t)elen);
		o += (size_t)elen;
		total += w;
		i += (size_t)len;
	}
	*width = total;
	*done = i == n;
	return o;
}

int utf8_truncate(const char *s, int maxw, char *out, size_t n)
{
	if (n == 0)
		return 0;
	out[0] = 0;
	if (maxw <= 0)
		return 0;
	int w, done;
	size_t o = copy_fitting(s, maxw, out, n - 1, &w, &done);
	if (done) {
		out[o] = 0;
		return w;
	}
	/* Too wide or too long: keep maxw-1 columns and add "…" if it fits. */
	size_t el = strlen(ELLIPSIS);
	if (n - 1 < el) {
		out[o] = 0;
		return w;
	}
	o = copy_fitting(s, maxw - 1, out, n - 1 - el, &w, &done);
	memcpy(out + o, ELLIPSIS, el + 1);
	return w + 1;
}

static int is_ascii_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

#define IDEO_SPACE "\xE3\x80\x80"   /* U+3000 */

char *text_trim(const char *s)
{
	if (!s)
		return NULL;
	size_t a = 0, b = strlen(s);
	for (;;) {
		if (a < b && is_ascii_space((unsigned char)s[a]))
			a++;
		else if (b - a >= 3 && memcmp(s + a, IDEO_SPACE, 3) == 0)
			a += 3;
		else
			break;
	}
	for (;;) {
		if (b > a && is_ascii_space((unsigned char)s[b - 1]))
			b--;
		else if (b - a >= 3 && memcmp(s + b - 3, IDEO_SPACE, 3) == 0)
			b -= 3;
		else
			break;
	}
	char *r = malloc(b - a + 1);
	if (!r)
		return NULL;
	memcpy(r, s + a, b - a);
	r[b - a] = 0;
	return r;
}

char *text_fold_fullwidth(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s), o = 0;
	char *r = malloc(n + 1);   /* folding never lengthens the text */
	if (!r)
		return NULL;
	for (size_t i = 0; i < n;) {
		unsigned cp;
		int len = utf8_decode(s + i, n - i, &cp);
		if (len < 0) {
			r[o++] = s[i++];   /* not ours to repair: copy as is */
			continue;
		}
		if (cp >= 0xFF01 && cp <= 0xFF5E)
			r[o++] = (char)(cp - 0xFEE0);
		else if (cp == 0x3000)
			r[o++] = ' ';
		else if (cp == 0x3002)
			r[o++] = '.';
		else {
			memcpy(r + o, s + i, (size_t)len);
			o += (size_t)len;
		}
		i += (size_t)len;
	}
	r[o] = 0;
	return r;
}

const char *text_article(const char *word)
{
	return word && *word && strchr("aeiou", word[0]) ? "an" : "a";
}

int text_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return INT_MAX;
	int d[65][65];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			int sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			int del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
			d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]
			    && d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;   /* transposition */
		}
	return d[la][lb];
}
