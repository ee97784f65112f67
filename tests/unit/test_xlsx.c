/* test_xlsx.c: xlsx.h on workbooks made by libxlsxwriter, and on a
 * hand-made one (zipped with minizip) for what libxlsxwriter never writes:
 * the 1904 date system, namespace prefixes, cells without references,
 * phonetic runs, _xHHHH_ escapes. */
#include "unit.h"
#include "io/xlsx.h"

#include <stdlib.h>
#include <xlsxwriter.h>
#include <zip.h>

static char dir[64];

static const char *path_of(const char *name)
{
	static char p[8][256];
	static int k;
	char *s = p[k++ % 8];
	snprintf(s, 256, "%s/%s", dir, name);
	return s;
}

/* All rows as "row:f1|f2\n", or "ERR:<message>" at the end. */
static char *dump(const char *path, const char *sheet)
{
	char err[512], **f;
	int nf, rc;
	long row;
	xlsx_reader *r = xlsx_open(path, sheet, err, sizeof err);
	if (!r) {
		char *e = malloc(strlen(err) + 8);
		sprintf(e, "OPEN:%s", err);
		return e;
	}
	size_t cap = 4096, n = 0;
	char *out = malloc(cap);
	out[0] = 0;
	while ((rc = xlsx_read(r, &f, &nf, &row)) == 1) {
		size_t need = 32;
		for (int i = 0; i < nf; i++)
			need += strlen(f[i]) + 1;
		while (n + need > cap)
			out = realloc(out, cap *= 2);
		n += (size_t)sprintf(out + n, "%ld:", row);
		for (int i = 0; i < nf; i++)
			n += (size_t)sprintf(out + n, "%s%s", i ? "|" : "", f[i]);
		out[n++] = '\n';
		out[n] = 0;
	}
	if (rc < 0) {
		out = realloc(out, n + strlen(xlsx_error(r)) + 8);
		sprintf(out + n, "ERR:%s", xlsx_error(r));
	}
	xlsx_close(r);
	return out;
}

static void make_workbook(const char *path)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "客户");
	lxw_worksheet *ws2 = workbook_add_worksheet(wb, "Second");
	lxw_format *date = workbook_add_format(wb);
	format_set_num_format(date, "yyyy-mm-dd");
	lxw_format *dt = workbook_add_format(wb);
	format_set_num_format(dt, "yyyy/m/d h:mm:ss");
	lxw_format *builtin14 = workbook_add_format(wb);
	format_set_num_format_index(builtin14, 14);
	lxw_format *cn = workbook_add_format(wb);
	format_set_num_format(cn, "yyyy\"年\"m\"月\"d\"日\"");
	lxw_format *tm = workbook_add_format(wb);
	format_set_num_format(tm, "hh:mm");
	lxw_format *money = workbook_add_format(wb);
	format_set_num_format(money, "\"¥\"#,##0.00;[Red]-\"¥\"#,##0.00");
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);

	const char *head[] = {"姓名", "电话", "生日", "金额", "备注"};
	for (int c = 0; c < 5; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], bold);
	/* Row 2: a phone stored as a number, a date, a decimal. */
	worksheet_write_string(ws, 1, 0, "张三", NULL);
	worksheet_write_number(ws, 1, 1, 13812345678.0, NULL);
	lxw_datetime d1 = {1990, 5, 17, 0, 0, 0};
	worksheet_write_datetime(ws, 1, 2, &d1, date);
	worksheet_write_number(ws, 1, 3, 1234.5, money);
	/* Row 3: a gap in B, a date-time, an integer, text. */
	worksheet_write_string(ws, 2, 0, "李四", NULL);
	lxw_datetime d2 = {2024, 3, 1, 14, 30, 5};
	worksheet_write_datetime(ws, 2, 2, &d2, dt);
	worksheet_write_number(ws, 2, 3, 100, NULL);
	worksheet_write_string(ws, 2, 4, "老客户, \"VIP\"\n第二行", NULL);
	/* Row 4 left out; row 5 only has A: padded to the header's width. */
	worksheet_write_string(ws, 4, 0, "王五", NULL);
	/* Row 6: boolean, formula, rich text, built-in date 14, Chinese date. */
	worksheet_write_boolean(ws, 5, 0, 1, NULL);
	worksheet_write_formula_num(ws, 5, 1, "=1+1", NULL, 2);
	lxw_rich_string_tuple f1 = {.format = bold, .string = "红"};
	lxw_rich_string_tuple f2 = {.format = NULL, .string = "色"};
	lxw_rich_string_tuple *rich[] = {&f1, &f2, NULL};
	worksheet_write_rich_string(ws, 5, 2, rich, NULL);
	worksheet_write_number(ws, 5, 3, 45292, builtin14);   /* 2024-01-01 */
	worksheet_write_number(ws, 5, 4, 45293, cn);
	/* Row 7: number formatting edge cases and a time. */
	worksheet_write_number(ws, 6, 0, 0.1 + 0.2, NULL);
	worksheet_write_number(ws, 6, 1, 110101199001011234.0, NULL);
	worksheet_write_number(ws, 6, 2, 0.5, tm);
	worksheet_write_number(ws, 6, 3, -42, NULL);
	worksheet_write_string(ws, 6, 4, "007", NULL);
	/* Row 8: dates around Excel's phantom 1900-02-29, and one more cell
	 * than the header. */
	worksheet_write_number(ws, 7, 0, 59, date);
	worksheet_write_number(ws, 7, 1, 60, date);
	worksheet_write_number(ws, 7, 2, 61, date);
	worksheet_write_number(ws, 7, 3, 1, date);
	worksheet_write_number(ws, 7, 5, 1e-7, NULL);
	/* A formatted but empty row is skipped. */
	worksheet_write_blank(ws, 8, 0, bold);
	worksheet_write_string(ws, 9, 1, "", NULL);

	worksheet_write_string(ws2, 0, 0, "x", NULL);
	worksheet_write_number(ws2, 0, 1, 1, NULL);
	worksheet_write_string(ws2, 2, 2, "第三行", NULL);
	CHECK(workbook_close(wb) == LXW_NO_ERROR);
}

static void zip_add(zipFile z, const char *name, const char *text)
{
	zip_fileinfo zi;
	memset(&zi, 0, sizeof zi);
	zipOpenNewFileInZip(z, name, &zi, NULL, 0, NULL, 0, NULL, Z_DEFLATED, Z_DEFAULT_COMPRESSION);
	zipWriteInFileInZip(z, text, (unsigned)strlen(text));
	zipCloseFileInZip(z);
}

/* A workbook as odd writers make them. */
static void make_handmade(const char *path, const char *sheet_xml)
{
	zipFile z = zipOpen(path, APPEND_STATUS_CREATE);
	zip_add(z, "[Content_Types].xml", "<Types/>");
	zip_add(z, "xl/workbook.xml",
	        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	        "<x:workbook xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
	        "xmlns:rel=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
	        "<x:workbookPr date1904=\"true\"/><x:sheets>"
	        "<x:sheet name=\"Hidden\" sheetId=\"2\" state=\"hidden\" rel:id=\"R2\"/>"
	        "<x:sheet name=\"Data\" sheetId=\"1\" rel:id=\"R1\"/>"
	        "</x:sheets></x:workbook>");
	zip_add(z, "xl/_rels/workbook.xml.rels",
	        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	        "<Relationship Id=\"R1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"/xl/worksheets/data.xml\"/>"
	        "<Relationship Id=\"R2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/hidden.xml\"/>"
	        "<Relationship Id=\"R3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"strings.xml\"/>"
	        "<Relationship Id=\"R4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
	        "</Relationships>");
	zip_add(z, "xl/strings.xml",
	        "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"3\" uniqueCount=\"3\">"
	        "<si><t>東京</t><rPh sb=\"0\" eb=\"2\"><t>トウキョウ</t></rPh><phoneticPr fontId=\"1\"/></si>"
	        "<si><r><rPr><b/></rPr><t xml:space=\"preserve\">A </t></r><r><t>&amp; B</t></r></si>"
	        "<si><t>line1_x000D_\nline2 _x005F_x0041_</t></si>"
	        "</sst>");
	zip_add(z, "xl/styles.xml",
	        "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
	        "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"[$-804]yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;;@\"/>"
	        "<numFmt numFmtId=\"165\" formatCode=\"&quot;day&quot;0.00\"/></numFmts>"
	        "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
	        "<cellXfs count=\"4\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/><xf numFmtId=\"22\"/></cellXfs>"
	        "</styleSheet>");
	zip_add(z, "xl/worksheets/hidden.xml", "<worksheet><sheetData/></worksheet>");
	zip_add(z, "xl/worksheets/data.xml", sheet_xml);
	zipClose(z, NULL);
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/crm_xlsx_XXXXXX");
	CHECK(mkdtemp(dir) != NULL);

	const char *wb = path_of("wb.xlsx");
	make_workbook(wb);
	char *s = dump(wb, NULL);
	CHECK_STR(s,
	          "1:姓名|电话|生日|金额|备注\n"
	          "2:张三|13812345678|1990-05-17|1234.5|\n"
	          "3:李四||2024-03-01 14:30:05|100|老客户, \"VIP\"\n第二行\n"
	          "5:王五||||\n"
	          "6:TRUE|2|红色|2024-01-01|2024-01-02\n"
	          "7:0.3|110101199001011000|12:00:00|-42|007\n"
	          "8:1900-02-28|1900-02-29|1900-03-01|1900-01-01||1e-07\n");
	free(s);

	/* A sheet by name; its rows keep their spreadsheet numbers. */
	s = dump(wb, "Second");
	CHECK_STR(s, "1:x|1\n3:||第三行\n");
	free(s);
	s = dump(wb, "客户");
	CHECK(strncmp(s, "1:姓名|", 8) == 0);
	free(s);
	s = dump(wb, "second");   /* case is forgiven when nothing matches exactly */
	CHECK_STR(s, "1:x|1\n3:||第三行\n");
	free(s);
	s = dump(wb, "Third");
	CHECK(strstr(s, "OPEN:") == s && strstr(s, "no sheet named \"Third\"") &&
	      strstr(s, "\"客户\", \"Second\""));
	printf("# %s\n", s);
	free(s);

	/* Sheet name API, and reading row by row. */
	{
		char err[256], **f;
		int nf;
		long row;
		xlsx_reader *r = xlsx_open(wb, NULL, err, sizeof err);
		CHECK_STR(xlsx_sheet(r), "客户");
		CHECK(xlsx_read(r, &f, &nf, &row) == 1 && nf == 5 && row == 1);
		CHECK(xlsx_read(r, &f, &nf, &row) == 1 && row == 2);
		CHECK_STR(f[1], "13812345678");
		xlsx_close(r);   /* closing mid-sheet is fine */
	}

	/* constant_memory mode writes inline strings instead of shared ones. */
	{
		const char *p = path_of("inline.xlsx");
		lxw_workbook_options o = {.constant_memory = LXW_TRUE, .tmpdir = dir};
		lxw_workbook *w = workbook_new_opt(p, &o);
		lxw_worksheet *ws = workbook_add_worksheet(w, NULL);
		for (int i = 0; i < 3000; i++) {
			char name[32];
			snprintf(name, sizeof name, "客户%d", i);
			worksheet_write_string(ws, (lxw_row_t)i, 0, name, NULL);
			worksheet_write_number(ws, (lxw_row_t)i, 2, 13800000000.0 + i, NULL);
		}
		workbook_close(w);
		char err[256], **f;
		int nf, ok = 1;
		long row, n = 0;
		xlsx_reader *r = xlsx_open(p, NULL, err, sizeof err);
		while (xlsx_read(r, &f, &nf, &row) == 1) {
			char want[32], want2[32];
			snprintf(want, sizeof want, "客户%ld", n);
			snprintf(want2, sizeof want2, "%ld", 13800000000L + n);
			ok &= row == n + 1 && nf == 3 && !strcmp(f[0], want) && !*f[1] && !strcmp(f[2], want2);
			n++;
		}
		CHECK(ok);
		CHECK(n == 3000);
		CHECK_STR(xlsx_error(r), "");
		xlsx_close(r);
	}

	/* The hand-made workbook: first visible sheet, 1904 dates, prefixes,
	 * cells without r, phonetic runs and escapes, every cell type. */
	{
		const char *p = path_of("hand.xlsx");
		make_handmade(p,
		    "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		    "<x:sheetData>"
		    "<x:row r=\"2\"><x:c t=\"s\"><x:v>0</x:v></x:c><x:c t=\"s\"><x:v>1</x:v></x:c>"
		    "<x:c r=\"D2\" t=\"s\"><x:v>2</x:v></x:c></x:row>"
		    "<x:row><x:c s=\"1\"><x:v>0</x:v></x:c><x:c s=\"2\"><x:v>3.5</x:v></x:c>"
		    "<x:c s=\"3\"><x:v>1.75</x:v></x:c><x:c t=\"b\"><x:v>0</x:v></x:c></x:row>"
		    "<x:row r=\"7\"><x:c r=\"B7\" t=\"e\"><x:v>#N/A</x:v></x:c>"
		    "<x:c r=\"C7\" t=\"str\"><x:f>A1&amp;\"x\"</x:f><x:v>公式</x:v></x:c>"
		    "<x:c r=\"E7\" t=\"inlineStr\"><x:is><x:r><x:t>内</x:t></x:r><x:r><x:t>联</x:t></x:r>"
		    "<x:rPh><x:t>ignored</x:t></x:rPh></x:is></x:c>"
		    "<x:c r=\"F7\" t=\"d\"><x:v>2024-05-06T00:00:00</x:v></x:c>"
		    "<x:c r=\"G7\" t=\"d\"><x:v>2024-05-06T07:08:09.123Z</x:v></x:c>"
		    "<x:c r=\"H7\"><x:v>1.3812345678E10</x:v></x:c></x:row>"
		    "</x:sheetData></x:worksheet>");
		s = dump(p, NULL);
		CHECK_STR(s,
		          "2:東京|A & B||line1\r\nline2 _x0041_\n"
		          "3:1904-01-01|3.5|1904-01-02 18:00:00|FALSE\n"
		          "7:|#N/A|公式||内联|2024-05-06|2024-05-06 07:08:09|13812345678\n");
		free(s);
		s = dump(p, "Hidden");   /* a hidden sheet can still be asked for */
		CHECK_STR(s, "");
		free(s);

		/* A broken cell reference and broken XML are errors with a place. */
		make_handmade(p, "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
		                 "<row r=\"2\"><c r=\"ZZZZ2\"><v>1</v></c></row></sheetData></worksheet>");
		s = dump(p, NULL);
		CHECK(strncmp(s, "1:東京\nERR:", 13) == 0 && strstr(s, "bad cell reference"));
		printf("# %s\n", strstr(s, "ERR:"));
		free(s);
		make_handmade(p, "<worksheet><sheetData><row r=\"1\"><c t=\"s\"><v>9</v></c></row></sheetData></worksheet>");
		s = dump(p, NULL);
		CHECK(strstr(s, "ERR:") && strstr(s, "shared string index"));
		free(s);
		make_handmade(p, "<worksheet>\n<sheetData><row r=\"1\"><c><v>1</v></c></row>\n<row></sheetData>");
		s = dump(p, NULL);
		CHECK(strstr(s, "1:1\nERR:") && strstr(s, "line 3"));
		printf("# %s\n", strstr(s, "ERR:"));
		free(s);
	}

	/* Not workbooks. */
	{
		const char *p = path_of("fake.xlsx");
		FILE *f = fopen(p, "wb");
		fputs("name,phone\n", f);
		fclose(f);
		s = dump(p, NULL);
		CHECK(strstr(s, "OPEN:") && strstr(s, "not an .xlsx"));
		free(s);
		f = fopen(p, "wb");
		fwrite("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 1, 8, f);
		fclose(f);
		s = dump(p, NULL);
		CHECK(strstr(s, ".xls") && strstr(s, "password"));
		printf("# %s\n", s);
		free(s);
		s = dump(path_of("missing.xlsx"), NULL);
		CHECK(strstr(s, "No such file") != NULL);
		free(s);
	}

	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
	UNIT_DONE();
}
