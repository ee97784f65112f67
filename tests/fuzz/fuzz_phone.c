/* Phones and emails: normalise, and a normalised value is its own. */
#include "fuzz.h"
#include "base/phone.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	char buf[64], again[64];
	if (phone_normalize(s, buf, sizeof(buf)) == 0) {
		if (phone_normalize(buf, again, sizeof(again)) != 0 || strcmp(buf, again))
			abort();
	}
	char ebuf[EMAIL_BUFSZ];
	email_normalize(s, ebuf, sizeof(ebuf));
	free(s);
	return 0;
}
