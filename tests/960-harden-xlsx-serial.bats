#!/usr/bin/env bats
# A date typed into an .xlsx cell in General format is its serial day
# number (45678.5): in a date or time column it is read as that date.

load helper

local_setup() {
	fresh_db
	command -v python3 >/dev/null || skip "no python3 to write the workbook"
}

# A workbook with one sheet: the header row, then the given rows; cells
# that look like numbers are number cells with no style (General).
workbook() {
	python3 - "$@" <<'PY'
import sys, zipfile
out, rows = sys.argv[1], [r.split(',') for r in sys.argv[2:]]
def cell(ref, v):
    try:
        float(v)
        return f'<c r="{ref}"><v>{v}</v></c>'
    except ValueError:
        return f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>'
sheet = ''.join(
    f'<row r="{i+1}">' + ''.join(cell(f'{chr(65+j)}{i+1}', v) for j, v in enumerate(r)) + '</row>'
    for i, r in enumerate(rows))
with zipfile.ZipFile(out, 'w') as z:
    z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
    z.writestr('_rels/.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr('xl/workbook.xml', '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr('xl/_rels/workbook.xml.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    z.writestr('xl/worksheets/sheet1.xml', '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + sheet + '</sheetData></worksheet>')
PY
}

@test "xlsx: a serial in a date column is that date" {
	# 45678 = 2025-01-21 (day 1 is 1900-01-01, with Lotus's 1900-02-29)
	workbook "$BATS_TEST_TMPDIR/d.xlsx" "name,amount,expected_close" "甲,100,45678.5" "乙,200,45679"
	run crm -q import deal "$BATS_TEST_TMPDIR/d.xlsx"
	assert_success
	run crm sql "SELECT group_concat(expected_close, ' ') AS d FROM (SELECT expected_close FROM deal ORDER BY id)"
	[ "$(jqo .d)" = "2025-01-21 2025-01-22" ] || fail "read as: $output"
	# an amount that is a number stays a number
	run crm sql "SELECT sum(amount) AS a FROM deal"
	[ "$(jqo .a)" = 300 ]   # 100 + 200 yuan (crm sql shows major units)
}

@test "xlsx: a serial in a time column is that date and time" {
	workbook "$BATS_TEST_TMPDIR/l.xlsx" "name,last_contacted_at" "甲,45678.5"
	run crm -q import lead "$BATS_TEST_TMPDIR/l.xlsx"
	assert_success
	run crm lead show 1
	# 45678.5 = 2025-01-21 12:00 local time (TZ Asia/Shanghai in tests)
	[ "$(jqo .last_contacted_at)" = "2025-01-21T12:00:00+08:00" ] || fail "read as: $output"
}
