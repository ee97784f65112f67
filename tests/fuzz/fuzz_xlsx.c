/* The .xlsx reader (zip, shared strings, styles, sheet XML) over any bytes. */
#include "fuzz.h"
#include "io/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = fuzz_fd(data, size);
	char path[64], err[512];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	xlsx_reader *r = xlsx_open(path, NULL, err, sizeof(err));
	if (r) {
		char **f;
		int n;
		long row;
		int rows = 0;
		while (xlsx_read(r, &f, &n, &row) > 0 && rows++ < 100000) {
			char out[64];
			for (int i = 0; i < n; i++)
				xlsx_serial_text(r, f[i], i & 1, out, sizeof(out));
		}
		xlsx_close(r);
	}
	close(fd);
	return 0;
}
