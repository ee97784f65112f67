/* test_csv.c: csv.h on the files Chinese Excel users have. */
#include "unit.h"
#include "io/csv.h"

#include <iconv.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
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

static const char *puts_(const char *name, const char *text)
{
	return put(name, text, strlen(text));
}

/* Reads all rows into a compact text: "line:f1|f2|f3\n" per row; on an
 * error the text ends "ERR:<message>". */
static char *dump(csv_reader *r)
{
	size_t cap = 4096, n = 0;
	char *out = malloc(cap), **f;
	int nf, rc;
	long line;
	out[0] = 0;
	while ((rc = csv_read(r, &f, &nf, &line)) == 1) {
		size_t need = 32;
		for (int i = 0; i < nf; i++)
			need += strlen(f[i]) + 1;
		while (n + need > cap)
			out = realloc(out, cap *= 2);
		n += (size_t)sprintf(out + n, "%ld:", line);
		for (int i = 0; i < nf; i++)
			n += (size_t)sprintf(out + n, "%s%s", i ? "|" : "", f[i]);
		out[n++] = '\n';
		out[n] = 0;
	}
	if (rc < 0) {
		const char *e = csv_error(r);
		out = realloc(out, n + strlen(e) + 8);
		sprintf(out + n, "ERR:%s", e);
	}
	return out;
}

/* Rows of a file read with csv_tolerate(): "line:f1|f2" and, for a row
 * with a replaced byte, " BAD<field>:<message>". */
static char *dump_tolerant(const char *path, const char *enc)
{
	char err[256], *f_err = NULL;
	csv_reader *r = csv_open(path, enc, ',', err, sizeof err);
	if (!r)
		return strdup(err);
	csv_tolerate(r);
	size_t cap = 4096, n = 0;
	char *out = malloc(cap), **f;
	int nf, rc, field;
	long line;
	out[0] = 0;
	while ((rc = csv_read(r, &f, &nf, &line)) == 1) {
		const char *bad = csv_bad(r, &field);
		size_t need = 600;
		for (int i = 0; i < nf; i++)
			need += strlen(f[i]) + 1;
		while (n + need > cap)
			out = realloc(out, cap *= 2);
		n += (size_t)sprintf(out + n, "%ld:", line);
		for (int i = 0; i < nf; i++)
			n += (size_t)sprintf(out + n, "%s%s", i ? "|" : "", f[i]);
		if (bad)
			n += (size_t)sprintf(out + n, " BAD%d:%s", field, bad);
		out[n++] = '\n';
		out[n] = 0;
	}
	if (rc < 0)
		f_err = strdup(csv_error(r));
	if (f_err) {
		out = realloc(out, n + strlen(f_err) + 8);
		sprintf(out + n, "ERR:%s", f_err);
		free(f_err);
	}
	csv_close(r);
	return out;
}

static char *dump_file(const char *path, const char *enc, char delim)
{
	char err[256];
	csv_reader *r = csv_open(path, enc, delim, err, sizeof err);
	if (!r)
		return strdup(err);
	char *s = dump(r);
	csv_close(r);
	return s;
}

#define CHECK_FILE(text, delim, want) do { \
	char *s_ = dump_file(puts_("t.csv", text), "auto", delim); \
	CHECK_STR(s_, want); \
	free(s_); \
} while (0)

static int pipe_from(const char *data, size_t n)
{
	int fd[2];
	if (pipe(fd) < 0)
		return -1;
	if (fork() == 0) {
		close(fd[0]);
		for (size_t off = 0; off < n;) {
			ssize_t w = write(fd[1], data + off, n - off > 3000 ? 3000 : n - off);
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
	snprintf(dir, sizeof dir, "/tmp/crm_csv_XXXXXX");
	CHECK(mkdtemp(dir) != NULL);

	/* UTF-8 BOM and CRLF. */
	CHECK_FILE("\xEF\xBB\xBF姓名,电话\r\n张三,13812345678\r\n李四,13900001111\r\n", ',',
	           "1:姓名|电话\n2:张三|13812345678\n3:李四|13900001111\n");

	/* Quoted cells with line breaks push later records down. */
	CHECK_FILE("a,b\n\"x\ny\",2\n\"p\r\nq\nr\",3\nlast,4\n", ',',
	           "1:a|b\n2:x\ny|2\n4:p\r\nq\nr|3\n7:last|4\n");

	/* Doubled quotes, embedded delimiters, empty quoted fields, text after
	 * a closing quote, quotes inside an unquoted field. */
	CHECK_FILE("\"say \"\"hi\"\"\",\"a,b\",\"\",x\"y,\"q\"r\n", ',',
	           "1:say \"hi\"|a,b||x\"y|qr\n");

	/* Ragged rows come as they are; a trailing delimiter is an empty field;
	 * no final newline. */
	CHECK_FILE("a,b,c\n1,2\n1,2,3,4\n5,6,\n7", ',',
	           "1:a|b|c\n2:1|2\n3:1|2|3|4\n4:5|6|\n5:7\n");

	/* Blank lines, and rows of nothing but delimiters, are skipped. */
	CHECK_FILE("h1,h2\n\n\r\n,,\n\"\",\nv1,v2\n\n", ',', "1:h1|h2\n6:v1|v2\n");
	CHECK_FILE("\n\n", ',', "");
	CHECK_FILE("", ',', "");
	CHECK_FILE(" ,\n", ',', "1: |\n");   /* a space is not nothing */

	/* Lone CR (old Mac Excel) and mixed endings. */
	CHECK_FILE("a\rb\r\nc\nd", ',', "1:a\n2:b\n3:c\n4:d\n");

	/* Unterminated quote: an error naming the line the quote opened on. */
	{
		char *s = dump_file(puts_("t.csv", "a,b\n1,2\n3,\"abc\ndef\n"), "auto", ',');
		CHECK(strstr(s, "1:a|b\n2:1|2\nERR:") == s);
		CHECK(strstr(s, "unterminated") && strstr(s, "line 3"));
		printf("# %s\n", strstr(s, "ERR:"));
		free(s);
	}

	/* TSV: same quoting rules as Excel writes them. */
	CHECK_FILE("name\tnote\n\"a\tb\"\t\"line1\nline2\"\n王\t\"say \"\"x\"\"\"\n", '\t',
	           "1:name|note\n2:a\tb|line1\nline2\n4:王|say \"x\"\n");
	/* Commas are data in TSV. */
	CHECK_FILE("a,b\tc\n", '\t', "1:a,b|c\n");
	/* Guessing the delimiter from the first line. */
	CHECK_FILE("a\tb,c\td\n1\t2\t3\n", 0, "1:a|b,c|d\n2:1|2|3\n");
	CHECK_FILE("a,b\tc,d\n", 0, "1:a|b\tc|d\n");

	/* Invalid UTF-8 stops the reader with its line and column. */
	{
		char *s = dump_file(puts_("t.csv", "a,b\n\"x\ny\",\xE4\xB8\x80\xFF\n"), "utf-8", ',');
		CHECK(strstr(s, "1:a|b\nERR:") == s);
		CHECK(strstr(s, "line 3, column 5") != NULL);
		printf("# %s\n", strstr(s, "ERR:"));
		free(s);
	}

	/* GBK CSV from Chinese Windows Excel, converted with iconv here. */
	{
		const char *u = "客户名称,联系人,手机\r\n北京某某科技有限公司,\"王,五\",13812345678\r\n";
		iconv_t cd = iconv_open("GBK", "UTF-8");
		char gb[256], *ip = (char *)u, *op = gb;
		size_t il = strlen(u), ol = sizeof gb;
		CHECK(iconv(cd, &ip, &il, &op, &ol) == 0);
		iconv_close(cd);
		char *s = dump_file(put("gbk.csv", gb, (size_t)(op - gb)), NULL, ',');
		CHECK_STR(s, "1:客户名称|联系人|手机\n2:北京某某科技有限公司|王,五|13812345678\n");
		free(s);
		/* An invalid GBK pair on line 2. */
		memcpy(gb + 30, "\x81\x7F", 2);
		s = dump_file(put("gbk.csv", gb, (size_t)(op - gb)), "gbk", ',');
		CHECK(strstr(s, "ERR:") && strstr(s, "line 2"));
		printf("# %s\n", strstr(s, "ERR:"));
		free(s);
	}

	/* UTF-16LE "Unicode text" (tab-separated) from Excel. */
	{
		const char u16[] = "\xFF\xFE" "a\0\t\0\x20\x5F\r\0\n\0\"\0x\0\n\0y\0\"\0\t\0" "1\0\r\0\n\0";
		char *s = dump_file(put("u16.txt", u16, sizeof u16 - 1), NULL, 0);
		CHECK_STR(s, "1:a|张\n2:x\ny|1\n");
		free(s);
	}

	/* A 300 KiB cell (longer than every buffer), from a pipe, across many
	 * short reads, followed by a normal row. */
	{
		size_t big = 300 * 1024;
		char *data = malloc(big + 64), *want = malloc(big + 64);
		strcpy(data, "id,note\n1,\"");
		size_t n = strlen(data);
		for (size_t i = 0; i < big; i++)
			data[n + i] = i % 1000 == 999 ? '\n' : (char)('a' + i % 26);
		n += big;
		n += (size_t)sprintf(data + n, "\"\n2,ok\n");
		int fd = pipe_from(data, n);
		char err[256];
		csv_reader *r = csv_open_fd(fd, "auto", ',', err, sizeof err);
		char **f;
		int nf;
		long line;
		CHECK(csv_read(r, &f, &nf, &line) == 1 && line == 1);
		CHECK(csv_read(r, &f, &nf, &line) == 1 && line == 2 && nf == 2);
		CHECK(strlen(f[1]) == big && f[1][999] == '\n' && f[1][big - 1] == (char)('a' + (big - 1) % 26));
		CHECK(csv_read(r, &f, &nf, &line) == 1);
		CHECK(line == 3 + (long)(big / 1000) && nf == 2);
		CHECK_STR(f[1], "ok");
		CHECK(csv_read(r, &f, &nf, &line) == 0);
		CHECK(csv_read(r, &f, &nf, &line) == 0);
		csv_close(r);
		close(fd);
		wait(NULL);
		free(data);
		free(want);
	}

	/* Many rows: numbering stays right and it is quick (no per-field
	 * allocation). */
	{
		long rows = 200000;
		char path[256], err[256], **f;
		snprintf(path, sizeof path, "%s/many.csv", dir);
		FILE *fp = fopen(path, "wb");
		fprintf(fp, "name,phone,city,note\r\n");
		for (long i = 0; i < rows; i++)
			fprintf(fp, "客户%ld,138%08ld,上海,\"备注, %ld\"\r\n", i, i, i);
		fclose(fp);
		int nf, ok = 1;
		long line, count = 0;
		clock_t t0 = clock();
		csv_reader *r = csv_open(path, NULL, ',', err, sizeof err);
		while (csv_read(r, &f, &nf, &line) == 1) {
			if (count > 0) {
				char want[32];
				snprintf(want, sizeof want, "138%08ld", count - 1);
				ok &= nf == 4 && line == count + 1 && strcmp(f[1], want) == 0;
			}
			count++;
		}
		CHECK(ok);
		CHECK(count == rows + 1);
		CHECK_STR(csv_error(r), "");
		CHECK_STR(csv_encoding(r), "utf-8");
		csv_close(r);
		printf("# %ld rows in %.3fs (with sanitizers)\n", rows,
		       (double)(clock() - t0) / CLOCKS_PER_SEC);
	}

	/* Bad arguments. */
	{
		char err[256];
		CHECK(csv_open("/nonexistent.csv", NULL, ',', err, sizeof err) == NULL);
		CHECK(strstr(err, "/nonexistent.csv") != NULL);
		CHECK(csv_open(puts_("t.csv", "a"), NULL, ';', err, sizeof err) == NULL);
	}

	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	/* Tolerant: a stray byte reads as U+FFFD and its row says where. */
	char *t = dump_tolerant(puts_("tol.csv", "a,b\n1,x\xffy\n2,z\n3,\xe4\xb8\n"), "utf-8");
	CHECK_STR(t, "1:a|b\n2:1|x\xEF\xBF\xBDy BAD1:invalid UTF-8 (byte FF) at line 2, column 4\n3:2|z\n"
		  "4:3|\xEF\xBF\xBD BAD1:invalid UTF-8 (byte E4) at line 4, column 3\n");
	free(t);
	/* a quoted field over lines: the record it is in */
	t = dump_tolerant(puts_("tol2.csv", "a,b\n\"x\ny\xff\",1\n"), "utf-8");
	CHECK_STR(t, "1:a|b\n2:x\ny\xEF\xBF\xBD|1 BAD0:invalid UTF-8 (byte FF) at line 3, column 2\n");
	free(t);
	/* GB18030 too */
	t = dump_tolerant(put("tol3.csv", "a,b\n\xD5\xC5,\xff\n", 9), "gbk");
	CHECK_STR(t, "1:a|b\n2:\xE5\xBC\xA0|\xEF\xBF\xBD BAD1:invalid GBK/GB18030 (bytes FF 0A) at line 2, column 3\n");
	free(t);
	/* not UTF-8 at all: stops */
	t = dump_tolerant(put("tol4.csv", "a\n\xD5\xC5\xC8\xFD\xC0\xEE\xCB\xC4\n", 11), "utf-8");
	CHECK(strstr(t, "ERR:does not read as UTF-8") != NULL);
	free(t);
	CHECK(system(cmd) == 0);
	UNIT_DONE();
}
