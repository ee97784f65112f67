/* Amounts: parse, and what is formatted parses back to the same. */
#include "fuzz.h"
#include "base/money.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	long long v, w;
	if (money_parse(s, &v) == 0) {
		char buf[MONEY_BUFSZ];
		money_format(v, buf);
		if (money_parse(buf, &w) != 0 || w != v)
			abort();
		(void)money_in_bounds(v);
	}
	free(s);
	return 0;
}
