/* The JSON-lines reader: lines of any bytes, one object each or an error. */
#include "fuzz.h"
#include "io/jsonl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = fuzz_fd(data, size);
	FILE *fp = fdopen(fd, "r");
	struct jsonl_reader r;
	jsonl_init(&r, fp);
	cJSON *obj;
	int got;
	while ((got = jsonl_next(&r, &obj)) != 0) {
		if (got > 0) {
			if (!cJSON_IsObject(obj))
				abort();
			cJSON_Delete(obj);
		}
	}
	jsonl_release(&r);
	fclose(fp);
	return 0;
}
