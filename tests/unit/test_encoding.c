/* test_encoding.c: detection, conversion and error positions of encoding.h. */
#include "unit.h"
#include "io/encoding.h"

#include <iconv.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[64];

static const char *put(const char *name, const char *data, size_t n)
{
	static char path[8][256];
	static int k;
	char *p = path[k++ % 8];
	snprintf(p, 256, "%s/%s", dir, name);
	FILE *f = fopen(p, "wb");
	fwrite(data, 1, n, f);
	fclose(f);
	return p;
}

/* Everything the reader gives, as one malloc'd string; *rc is the last
 * enc_read() status (0 or -1). */
static char *slurp(enc_reader *r, int *rc, size_t *total)
{
	size_t n = 0, cap = 1024;
	char *s = malloc(cap);
	const char *d;
	size_t len;
	while ((*rc = enc_read(r, &d, &len)) == 1) {
		if (n + len + 1 > cap) {
			while (n + len + 1 > cap)
				cap *= 2;
			s = realloc(s, cap);
		}
		memcpy(s + n, d, len);
		n += len;
	}
	s[n] = 0;
	if (total)
		*total = n;
	return s;
}

static char *file_text(const char *path, const char *encoding, int *rc, char *err, size_t errsz)
{
	enc_reader *r = enc_open(path, encoding, err, errsz);
	if (!r) {
		*rc = -2;
		return NULL;
	}
	char *s = slurp(r, rc, NULL);
	snprintf(err, errsz, "%s|%s", enc_name(r), enc_error(r));
	enc_close(r);
	return s;
}

/* UTF-8 to another encoding with iconv, as a malloc'd buffer. */
static char *convert(const char *to, const char *s, size_t *outlen)
{
	iconv_t cd = iconv_open(to, "UTF-8");
	size_t il = strlen(s), ol = il * 4 + 16;
	char *out = malloc(ol), *ip = (char *)s, *op = out;
	iconv(cd, &ip, &il, &op, &ol);
	iconv_close(cd);
	*outlen = (size_t)(op - out);
	return out;
}

/* A pipe whose other end a child process fills with data. */
static int pipe_from(const char *data, size_t n)
{
	int fd[2];
	if (pipe(fd) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(fd[0]);
		size_t off = 0;
		while (off < n) {
			size_t k = n - off > 1000 ? 1000 : n - off;   /* small writes */
			ssize_t w = write(fd[1], data + off, k);
			if (w <= 0)
				_exit(1);
			off += (size_t)w;
		}
		_exit(0);
	}
	close(fd[1]);
	return fd[0];
}

int main(void)
{
	char err[512];
	int rc;
	char *s;

	snprintf(dir, sizeof dir, "/tmp/crm_enc_XXXXXX");
	CHECK(mkdtemp(dir) != NULL);

	/* UTF-8 with BOM: BOM dropped. */
	const char *p = put("bom.csv", "\xEF\xBB\xBFname\r\n\xE5\xBC\xA0\xE4\xB8\x89\r\n", 17);
	s = file_text(p, "auto", &rc, err, sizeof err);
	CHECK_STR(s, "name\r\n\xE5\xBC\xA0\xE4\xB8\x89\r\n");
	CHECK(rc == 0);
	CHECK_STR(err, "utf-8|");
	free(s);
	s = file_text(p, "UTF-8", &rc, err, sizeof err);   /* named: still dropped */
	CHECK_STR(s, "name\r\n\xE5\xBC\xA0\xE4\xB8\x89\r\n");
	free(s);

	/* GBK bytes ("张三,李四\n") detected as GB18030. */
	p = put("gbk.csv", "\xD5\xC5\xC8\xFD,\xC0\xEE\xCB\xC4\n", 10);
	s = file_text(p, NULL, &rc, err, sizeof err);
	CHECK_STR(s, "张三,李四\n");
	CHECK(rc == 0);
	CHECK_STR(err, "gb18030|");
	free(s);
	s = file_text(p, "gbk", &rc, err, sizeof err);
	CHECK_STR(s, "张三,李四\n");
	free(s);

	/* A GB18030 four-byte character (U+3400 "㐀" = 81 39 EF 30) and a rare
	 * name character outside GBK, written with iconv. */
	size_t n;
	char *gb = convert("GB18030", "姓名\n㐀𠀀\n", &n);
	p = put("gb4.csv", gb, n);
	free(gb);
	s = file_text(p, "auto", &rc, err, sizeof err);
	CHECK_STR(s, "姓名\n㐀𠀀\n");
	CHECK(rc == 0);
	free(s);

	/* Invalid GBK: 0x81 0x20 at line 3, column 3 (after "张x"). */
	p = put("badgbk.csv", "a,b\r\nc\r\n\xD5\xC5x\x81\x20y\r\n", 15);
	s = file_text(p, "gbk", &rc, err, sizeof err);
	CHECK(rc == -1);
	CHECK_STR(s, "a,b\r\nc\r\n张x");   /* the text before the error comes first */
	CHECK(strstr(err, "line 3, column 3") != NULL);
	CHECK(strstr(err, "81 20") != NULL);
	printf("# %s\n", err);
	free(s);

	/* Invalid UTF-8 named explicitly: line 2, column 3. */
	p = put("badutf8.csv", "ab\n\xE4\xB8\x80" "b\xC3(\n", 9);
	s = file_text(p, "utf-8", &rc, err, sizeof err);
	CHECK(rc == -1);
	CHECK(strstr(err, "invalid UTF-8") != NULL);
	CHECK(strstr(err, "line 2, column 3") != NULL);
	printf("# %s\n", err);
	free(s);

	/* Lone CR and CRLF count as one line each. */
	p = put("cr.csv", "a\rb\r\nc\n\xFF", 9);
	s = file_text(p, "utf-8", &rc, err, sizeof err);
	CHECK(strstr(err, "line 4, column 1") != NULL);
	free(s);

	/* Truncated UTF-8 at the end of the file. */
	p = put("trunc.csv", "ok\n\xE5\xBC", 5);
	s = file_text(p, "utf-8", &rc, err, sizeof err);
	CHECK(rc == -1);
	CHECK(strstr(err, "incomplete UTF-8") != NULL);
	CHECK(strstr(err, "line 2, column 1") != NULL);
	free(s);

	/* NUL bytes are refused, not silently cut. */
	p = put("nul.csv", "ab\0c\n", 5);
	s = file_text(p, "auto", &rc, err, sizeof err);
	CHECK(rc == -1);
	CHECK(strstr(err, "NUL") && strstr(err, "line 1, column 3"));
	printf("# %s\n", err);
	free(s);

	/* UTF-16LE with BOM (Excel "Unicode text"): "A\t张\r\nB" */
	p = put("u16.txt", "\xFF\xFE" "A\0\t\0\x20\x5F\r\0\n\0B\0", 14);
	s = file_text(p, "auto", &rc, err, sizeof err);
	CHECK_STR(s, "A\t张\r\nB");
	CHECK(rc == 0);
	CHECK_STR(err, "utf-16le|");
	free(s);
	s = file_text(p, "utf-16", &rc, err, sizeof err);
	CHECK_STR(s, "A\t张\r\nB");
	free(s);
	s = file_text(p, "utf-16le", &rc, err, sizeof err);   /* BOM dropped too */
	CHECK_STR(s, "A\t张\r\nB");
	free(s);

	/* UTF-16BE with BOM, and an unpaired surrogate on line 2. */
	p = put("u16be.txt", "\xFE\xFF\0x\0\n\xD8\x00\0y", 10);
	s = file_text(p, "auto", &rc, err, sizeof err);
	CHECK_STR(s, "x\n");
	CHECK(rc == -1);
	CHECK(strstr(err, "utf-16be|") && strstr(err, "line 2, column 1"));
	printf("# %s\n", err);
	free(s);

	/* UTF-16LE without a BOM is recognised by its NULs. */
	p = put("u16nobom.txt", "n\0a\0m\0e\0\n\0", 10);
	s = file_text(p, "auto", &rc, err, sizeof err);
	CHECK_STR(s, "name\n");
	free(s);

	/* Latin-1. */
	p = put("l1.csv", "caf\xE9\n", 5);
	s = file_text(p, "latin1", &rc, err, sizeof err);
	CHECK_STR(s, "café\n");
	free(s);

	/* Unknown names and missing files fail at open. */
	CHECK(enc_open(p, "big5x", err, sizeof err) == NULL);
	CHECK(strstr(err, "unknown encoding") != NULL);
	CHECK(enc_open("/nonexistent/x.csv", "auto", err, sizeof err) == NULL);
	CHECK(strstr(err, "No such file") != NULL);
	CHECK(enc_known("GB-2312") && enc_known("utf_16LE") && enc_known(NULL) && !enc_known("ebcdic"));

	/* 100 KiB of ASCII, then GBK: detection waits for the first non-ASCII
	 * byte, so the file is still read as GB18030, through a pipe. */
	size_t big = 100 * 1024, lines = 0;
	char *data = malloc(big + 64);
	for (size_t i = 0; i < big; i++) {
		data[i] = (i % 50 == 49) ? '\n' : (char)('a' + i % 26);
		lines += data[i] == '\n';
	}
	memcpy(data + big, "\xD5\xC5\xC8\xFD\n", 5);
	int fd = pipe_from(data, big + 5);
	enc_reader *r = enc_open_fd(fd, "auto", err, sizeof err);
	CHECK(r != NULL);
	s = slurp(r, &rc, &n);
	CHECK(rc == 0);
	CHECK(n == big + 7);
	CHECK(strcmp(s + big, "张三\n") == 0);
	CHECK_STR(enc_name(r), "gb18030");
	enc_close(r);
	close(fd);
	wait(NULL);
	free(s);

	/* The same ASCII head with valid UTF-8 then an invalid byte: UTF-8,
	 * with the error on the right line. */
	data = realloc(data, 2 * big + 64);
	memcpy(data + big, "\xE5\xBC\xA0", 3);
	memcpy(data + big + 3, data, big);   /* 100 KiB more: past the window */
	memcpy(data + 2 * big + 3, "\xE5\xBC\xA0\xFFx\n", 6);
	lines *= 2;
	p = put("late.csv", data, 2 * big + 9);
	s = file_text(p, "auto", &rc, err, sizeof err);
	CHECK(rc == -1);
	char want[64];
	snprintf(want, sizeof want, "line %zu, column 2", lines + 1);
	CHECK(strstr(err, want) != NULL);
	printf("# %s\n", err);
	free(s);

	/* Big GBK text through a pipe with many chunk boundaries: every
	 * two-byte character survives being split between reads. */
	size_t reps = 40000;
	char *u = malloc(reps * 14 + 1), *q = u;
	for (size_t i = 0; i < reps; i++) {
		memcpy(q, "王五,赵六\n", 14);
		q += 14;
	}
	*q = 0;
	gb = convert("GB18030", u, &n);
	fd = pipe_from(gb, n);
	r = enc_open_fd(fd, NULL, err, sizeof err);
	s = slurp(r, &rc, NULL);
	CHECK(rc == 0);
	CHECK(strcmp(s, u) == 0);
	enc_close(r);
	close(fd);
	wait(NULL);
	free(s);

	/* "-" is standard input. */
	fd = pipe_from(gb, n);
	int saved = dup(0);
	dup2(fd, 0);
	close(fd);
	r = enc_open("-", "gbk", err, sizeof err);
	s = slurp(r, &rc, NULL);
	CHECK(rc == 0);
	CHECK(strcmp(s, u) == 0);
	enc_close(r);
	dup2(saved, 0);
	close(saved);
	wait(NULL);
	free(s);
	free(gb);
	free(u);
	free(data);

	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
	UNIT_DONE();
}
