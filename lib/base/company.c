/* company.c: a company's name without its noise, for matching. */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/company.h"
#include "base/mem.h"
#include "base/sbuf.h"
#include "base/text.h"

static const char *const suffixes[] = {
	"股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团", "公司",
	"co.,ltd.", "co.,ltd", "co.ltd.", "co.ltd", "ltd.", "ltd", "inc.", "inc", "llc", "corp.", "corp",
	"(中国)", "（中国）", NULL
};

char *company_key(const char *name)
{
	char *folded = text_fold_fullwidth(name);
	struct sbuf b = { 0 };
	for (const char *p = folded; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch == ' ' || ch == '\t')
			continue;
		sbuf_addc(&b, (char)(ch < 128 ? tolower(ch) : ch));
	}
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
		char *cn = strstr(k, "(中国)");
		if (cn) {
			memmove(cn, cn + strlen("(中国)"), strlen(cn + strlen("(中国)")) + 1);
			cut = true;
		}
	}
	return k;
}
