/* The CSV/TSV reader, every encoding guess, over any bytes. */
#include "fuzz.h"
#include "io/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const enc[] = { NULL, "utf-8", "gb18030", "utf-16" };
	static const char delim[] = { 0, ',', '\t' };
	int fd = fuzz_fd(data, size);
	char err[256];
	unsigned pick = size ? data[0] : 0;
	csv_reader *r = csv_open_fd(fd, enc[pick % 4], delim[(pick / 4) % 3], err, sizeof(err));
	if (r) {
		char **f;
		int n;
		long line;
		int rows = 0;
		while (csv_read(r, &f, &n, &line) > 0 && rows++ < 100000)
			for (int i = 0; i < n; i++)
				if (strlen(f[i]) > size * 4 + 16)   /* a field longer than its input can make */
					abort();
		csv_close(r);
	}
	close(fd);
	return 0;
}
