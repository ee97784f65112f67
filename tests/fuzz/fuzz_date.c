/* Dates and times: parse, normalise and read back what was written. */
#include "fuzz.h"
#include "base/date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int tz;
	if (!tz++) {
		setenv("TZ", "Asia/Shanghai", 1);
		setenv("CRM_NOW", "2026-06-01T12:00:00+08:00", 1);
	}
	char *s = fuzz_str(data, size);
	time_t now = 1780286400, t, t2;
	int date_only;
	if (date_parse(s, now, &t, &date_only) == 0) {
		char buf[DATE_BUFSZ];
		/* what is written reads back as the same instant (the years
		 * a record may hold: 1900 to 2200) */
		if (t >= -2208988800LL && t < 7289654400LL && date_format(t, buf)[0]) {
			if (date_parse(buf, now, &t2, &date_only) != 0 || t2 != t)
				abort();
		}
	}
	char out[DATE_BUFSZ];
	date_normalize(s, 0, out);
	date_normalize(s, 1, out);
	long long secs;
	duration_parse(s, &secs);
	free(s);
	return 0;
}
