/* test_text.c: UTF-8 decoding, widths, truncation, trimming, folding. */
#include "base/text.h"
#include "unit.h"

#include <stdlib.h>

static int decode(const char *s, size_t n, unsigned *cp)
{
	*cp = 0xDEAD;
	return utf8_decode(s, n, cp);
}

static void test_decode(void)
{
	unsigned cp;
	CHECK(decode("A", 1, &cp) == 1 && cp == 'A');
	CHECK(decode("\xC3\xA9", 2, &cp) == 2 && cp == 0xE9);           /* é */
	CHECK(decode("张", 3, &cp) == 3 && cp == 0x5F20);
	CHECK(decode("\xF0\x9F\x98\x80", 4, &cp) == 4 && cp == 0x1F600); /* 😀 */
	CHECK(decode("\xF4\x8F\xBF\xBF", 4, &cp) == 4 && cp == 0x10FFFF);
	/* Truncated input: the bytes available are not enough. */
	CHECK(decode("张", 2, &cp) == -1);
	CHECK(decode("\xF0\x9F\x98", 3, &cp) == -1);
	CHECK(decode("", 0, &cp) == -1);
	/* Invalid: stray continuation, overlong, surrogate, beyond U+10FFFF. */
	CHECK(decode("\x80", 1, &cp) == -1);
	CHECK(decode("\xC0\xAF", 2, &cp) == -1);
	CHECK(decode("\xC1\xBF", 2, &cp) == -1);
	CHECK(decode("\xE0\x80\xAF", 3, &cp) == -1);
	CHECK(decode("\xF0\x80\x80\xAF", 4, &cp) == -1);
	CHECK(decode("\xED\xA0\x80", 3, &cp) == -1);
	CHECK(decode("\xF4\x90\x80\x80", 4, &cp) == -1);
	CHECK(decode("\xF5\x80\x80\x80", 4, &cp) == -1);
	CHECK(decode("\xFF", 1, &cp) == -1);
	CHECK(decode("\xE5\x41\x41", 3, &cp) == -1);   /* non-continuation */
	/* A NUL inside the counted bytes is a character like any other. */
	CHECK(decode("\0x", 2, &cp) == 1 && cp == 0);
}

static void test_encode(void)
{
	char out[5];
	unsigned cps[] = { 0, 0x7F, 0x80, 0x7FF, 0x800, 0x5F20, 0xFFFF, 0x10000, 0x10FFFF };
	for (size_t i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		unsigned back;
		int len = utf8_encode(cps[i], out);
		CHECK(len >= 1 && len <= 4);
		CHECK(utf8_decode(out, (size_t)len, &back) == len && back == cps[i]);
	}
	int len = utf8_encode(0x4F1F, out);
	out[len] = 0;
	CHECK_STR(out, "伟");
	/* Surrogates and too-large values become U+FFFD, never bad bytes. */
	len = utf8_encode(0xD800, out);
	out[len] = 0;
	CHECK_STR(out, "\xEF\xBF\xBD");
	len = utf8_encode(0x110000, out);
	out[len] = 0;
	CHECK_STR(out, "\xEF\xBF\xBD");
}

static void test_valid(void)
{
	size_t bad = 999;
	CHECK(utf8_valid("", 0, &bad) == 1);
	CHECK(utf8_valid("张伟 abc 😀", strlen("张伟 abc 😀"), &bad) == 1);
	CHECK(utf8_valid("ab\xFF", 3, &bad) == 0 && bad == 2);
	CHECK(utf8_valid("张\xE4\xBC", 5, &bad) == 0 && bad == 3);   /* cut-off 伟 */
	CHECK(utf8_valid("\xC0\x80", 2, &bad) == 0 && bad == 0);       /* overlong NUL */
	/* GBK bytes for 张伟 are not UTF-8. */
	CHECK(utf8_valid("\xD5\xC5\xCE\xB0", 4, &bad) == 0 && bad == 0);
	CHECK(utf8_valid("ab\xFF", 3, NULL) == 0);
	/* Only the first n bytes count. */
	CHECK(utf8_valid("ab\xFF", 2, &bad) == 1);
}

static void test_width(void)
{
	CHECK(cp_width('a') == 1);
	CHECK(cp_width(' ') == 1);
	CHECK(cp_width(0) == 0);
	CHECK(cp_width('\t') == 0);
	CHECK(cp_width(0x7F) == 0);
	CHECK(cp_width(0x85) == 0);
	CHECK(cp_width(0xE9) == 1);      /* é */
	CHECK(cp_width(0x301) == 0);     /* combining acute */
	CHECK(cp_width(0x200B) == 0);    /* zero width space */
	CHECK(cp_width(0xFE0F) == 0);    /* variation selector */
	CHECK(cp_width(0x5F20) == 2);    /* 张 */
	CHECK(cp_width(0x3000) == 2);    /* ideographic space */
	CHECK(cp_width(0x3002) == 2);    /* 。 */
	CHECK(cp_width(0xFF11) == 2);    /* １ */
	CHECK(cp_width(0xFFE5) == 2);    /* ￥ */
	CHECK(cp_width(0xFF61) == 1);    /* half-width 。 */
	CHECK(cp_width(0x3042) == 2);    /* あ */
	CHECK(cp_width(0x30A2) == 2);    /* ア */
	CHECK(cp_width(0xAC00) == 2);    /* 가 */
	CHECK(cp_width(0x1F600) == 2);   /* 😀 */
	CHECK(cp_width(0x20000) == 2);   /* 𠀀, extension B */
	CHECK(cp_width(0x2026) == 1);    /* … */
	CHECK(cp_width(0xA5) == 1);      /* ¥ */

	CHECK(utf8_width("") == 0);
	CHECK(utf8_width("abc") == 3);
	CHECK(utf8_width("张伟") == 4);
	CHECK(utf8_width("张伟 Zhang") == 10);
	CHECK(utf8_width("１３８") == 6);
	CHECK(utf8_width("e\xCC\x81") == 1);        /* e + combining acute */
	CHECK(utf8_width("😀ok") == 4);
	CHECK(utf8_width("a\tb") == 2);
	CHECK(utf8_width("ab\xFF") == 3);           /* a bad byte shows as one column */
}

static int trunc_check(const char *s, int maxw, size_t n, const char *want, int want_w)
{
	char out[64];
	memset(out, 'X', sizeof(out));
	int w = utf8_truncate(s, maxw, out, n);
	size_t bad;
	int ok = w == want_w && strcmp(out, want) == 0 && utf8_width(out) == w &&
	         strlen(out) < n && utf8_valid(out, strlen(out), &bad);
	if (!ok)
		printf("# truncate(\"%s\", %d, %zu) = \"%s\" width %d\n", s, maxw, n, out, w);
	return ok;
}

static void test_truncate(void)
{
	CHECK(trunc_check("hello", 10, 64, "hello", 5));
	CHECK(trunc_check("hello", 5, 64, "hello", 5));
	CHECK(trunc_check("hello", 4, 64, "hel…", 4));
	CHECK(trunc_check("hello", 1, 64, "…", 1));
	CHECK(trunc_check("hello", 0, 64, "", 0));
	CHECK(trunc_check("hello", -3, 64, "", 0));
	CHECK(trunc_check("", 3, 64, "", 0));
	CHECK(trunc_check("张伟", 4, 64, "张伟", 4));
	CHECK(trunc_check("张伟", 3, 64, "张…", 3));
	/* A wide character never straddles the cut: fewer columns instead. */
	CHECK(trunc_check("张伟明", 4, 64, "张…", 3));
	CHECK(trunc_check("张伟明", 5, 64, "张伟…", 5));
	CHECK(trunc_check("张伟", 2, 64, "…", 1));
	CHECK(trunc_check("a张伟", 3, 64, "a…", 2));
	CHECK(trunc_check("😀😀", 3, 64, "😀…", 3));
	/* A combining mark stays with its letter. */
	CHECK(trunc_check("e\xCC\x81" "e\xCC\x81" "e", 3, 64, "e\xCC\x81" "e\xCC\x81" "e", 3));
	CHECK(trunc_check("e\xCC\x81" "e\xCC\x81" "ee", 3, 64, "e\xCC\x81" "e\xCC\x81" "…", 3));
	/* The byte size is a limit too, and the cut still respects UTF-8. */
	CHECK(trunc_check("张伟", 10, 7, "张伟", 4));
	CHECK(trunc_check("张伟", 10, 6, "…", 1));
	CHECK(trunc_check("张伟明", 10, 7, "张…", 3));
	CHECK(trunc_check("张伟", 10, 4, "…", 1));
	CHECK(trunc_check("张伟", 10, 3, "", 0));   /* no room even for "…" */
	CHECK(trunc_check("abc", 10, 3, "ab", 2));
	CHECK(trunc_check("abcdef", 10, 5, "a…", 2));
	CHECK(trunc_check("abc", 10, 1, "", 0));
	/* Bad bytes come out as U+FFFD so the cell stays valid UTF-8. */
	CHECK(trunc_check("a\xFF" "b", 10, 64, "a\xEF\xBF\xBD" "b", 3));

	char out[4] = "zz";
	CHECK(utf8_truncate("abc", 5, out, 0) == 0 && out[0] == 'z');

	/* Every cut of a mixed string is valid UTF-8 and within the limit. */
	const char *mix = "张伟 Zhang😀é—ｂ가";
	for (int w = 0; w < 24; w++) {
		for (size_t n = 1; n < 40; n++) {
			char buf[40];
			size_t bad;
			int got = utf8_truncate(mix, w, buf, n);
			if (!(got <= (w > 0 ? w : 0) && utf8_width(buf) == got && strlen(buf) < n &&
			      utf8_valid(buf, strlen(buf), &bad))) {
				CHECK(!"truncate sweep");
				return;
			}
		}
	}
	CHECK("truncate sweep");
}

static void test_trim(void)
{
	char *s;
	CHECK_STR(s = text_trim("  张伟  "), "张伟");
	free(s);
	CHECK_STR(s = text_trim("\xE3\x80\x80张伟\xE3\x80\x80 "), "张伟");
	free(s);
	CHECK_STR(s = text_trim(" \xE3\x80\x80 \xE3\x80\x80" "a b\xE3\x80\x80" "c\t\r\n"), "a b\xE3\x80\x80" "c");
	free(s);
	CHECK_STR(s = text_trim(""), "");
	free(s);
	CHECK_STR(s = text_trim("   \xE3\x80\x80  "), "");
	free(s);
	CHECK_STR(s = text_trim("x"), "x");
	free(s);
	/* Only whole U+3000 sequences: a lone tail of one is left alone. */
	CHECK_STR(s = text_trim("a\x80\x80"), "a\x80\x80");
	free(s);
	CHECK(text_trim(NULL) == NULL);
}

static void test_fold(void)
{
	char *s;
	CHECK_STR(s = text_fold_fullwidth("１３８１２３４５６７８"), "13812345678");
	free(s);
	CHECK_STR(s = text_fold_fullwidth("ＺＨＡＮＧ＠ＥＸＡＭＰＬＥ．ＣＯＭ"), "ZHANG@EXAMPLE.COM");
	free(s);
	CHECK_STR(s = text_fold_fullwidth("ａ\xE3\x80\x80ｂ"), "a b");
	free(s);
	CHECK_STR(s = text_fold_fullwidth("qq。com"), "qq.com");
	free(s);
	CHECK_STR(s = text_fold_fullwidth("！～"), "!~");   /* U+FF01 and U+FF5E ends */
	free(s);
	/* Outside the range: ｟ U+FF5F, ￥, ideographs, half-width kana. */
	CHECK_STR(s = text_fold_fullwidth("｟￥张ｱ"), "｟￥张ｱ");
	free(s);
	CHECK_STR(s = text_fold_fullwidth("ab\xFF" "１"), "ab\xFF" "1");
	free(s);
	CHECK_STR(s = text_fold_fullwidth(""), "");
	free(s);
	CHECK(text_fold_fullwidth(NULL) == NULL);
}

int main(void)
{
	test_decode();
	test_encode();
	test_valid();
	test_width();
	test_truncate();
	test_trim();
	test_fold();
	UNIT_DONE();
}
