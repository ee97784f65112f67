/* company.c: a company's name without its noise, for matching. */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/company.h"
#include "base/mem.h"
#include "base/sbuf.h"
#include "base/text.h"

/* Chinese legal forms, cut at the end (no spaces in Chinese) */
static const char *const suffixes[] = {
	"股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团", "公司", NULL
};

/* English legal forms, cut as whole words at the end: "Acme Co., Ltd.",
 * "Acme Inc.", "ACME GmbH". */
static const char *const legal_words[] = {
	"co", "company", "ltd", "limited", "inc", "incorporated", "llc", "corp", "corporation",
	"gmbh", "plc", "pte", "pty", "group", NULL
};

static bool word_sep(char ch)
{
	return ch == ' ' || ch == '\t' || ch == ',' || ch == '.' || ch == '(' || ch == ')' || ch == '&'
	    || ch == '-' || ch == '/';
}

static bool legal_word(const char *w, size_t n)
{
	for (int i = 0; legal_words[i]; i++)
		if (strlen(legal_words[i]) == n && !memcmp(legal_words[i], w, n))
			return true;
	return false;
}

/* Cut the legal words at the end of k (lower case, spaces kept), and a
 * "Co." glued to the name before a Ltd. ("AcmeCo.,Ltd."). */
static void cut_legal_words(char *k)
{
	size_t n = strlen(k);
	bool after_ltd = false;
	for (;;) {
		while (n && word_sep(k[n - 1]))
			n--;
		size_t i = n;
		while (i && !word_sep(k[i - 1]))
			i--;
		if (i > 0 && legal_word(k + i, n - i)) {
			after_ltd = (n - i == 3 && !memcmp(k + i, "ltd", 3)) || (n - i == 7 && !memcmp(k + i, "limited", 7));
			n = i;
			continue;
		}
		if (after_ltd && n - i > 2 && !memcmp(k + n - 2, "co", 2) && k[n] == '.') {
			n -= 2;
			after_ltd = false;
			continue;
		}
		break;
	}
	k[n] = 0;
}

/* Remove every "(china)" and "(中国)" in k. */
static bool cut_china(char *k)
{
	static const char *const marks[] = { "(中国)", "(china)", NULL };
	bool cut = false;
	for (int i = 0; marks[i]; i++)
		for (char *m; (m = strstr(k, marks[i]));) {
			memmove(m, m + strlen(marks[i]), strlen(m + strlen(marks[i])) + 1);
			cut = true;
		}
	return cut;
}

char *company_key(const char *name)
{
	char *folded = text_fold_fullwidth(name);
	for (char *p = folded; *p; p++)
		if ((unsigned char)*p < 128)
			*p = (char)tolower((unsigned char)*p);
	cut_china(folded);
	if (strlen(folded) > 0) {
		/* "Acme (China) Co., Ltd." -> "acme" (not down to nothing) */
		char *copy = xstrdup(folded);
		cut_legal_words(copy);
		if (copy[strspn(copy, " \t")])
			strcpy(folded, copy);
		free(copy);
	}
	struct sbuf b = { 0 };
	for (const char *p = folded; *p; p++)
		if (*p != ' ' && *p != '\t')
			sbuf_addc(&b, *p);
	free(folded);
	char *k = b.s ? sbuf_detach(&b) : xstrdup("");
	for (bool cut = true; cut;) {
		cut = false;
		size_t n = strlen(k);
		for (int i = 0; suffixes[i]; i++) {
			size_t m = strlen(suffixes[i]);
			if (n > m && !strcmp(k + n - m, suffixes[i])) {
				k[n - m] = 0;
				cut = true;
				break;
			}
		}
		/* "(中国)" in the middle too: 云启(中国)科技 */
		cut = cut_china(k) || cut;
	}
	return k;
}
