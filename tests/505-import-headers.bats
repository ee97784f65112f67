#!/usr/bin/env bats
# Import after a week of real spreadsheets: Chinese headers, a title row,
# a stray bad byte, duplicates named in --errors, workbooks found through
# their package relationships, English company suffixes in fuzzy dedupe.
load helper

local_setup() {
	export CRM_NOW='2026-03-02 10:00'
	fresh_db
}

count() {
	crm sql "SELECT count(*) AS n FROM ${1:-lead}" | jq .n
}

@test "common Chinese headers map: 客户名称 is the company and 联系人 the name; 微信 is a lead's wechat" {
	{
		echo '客户名称,联系人,联系电话,意向金额,跟进记录,微信号'
		echo '杭州云启科技有限公司,张伟,13812345678,5万,下周回访,zhangwei_hz'
	} > "$BATS_TEST_TMPDIR/a.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/a.csv"
	assert_success
	[[ "$stderr" != *"ignored"* ]] || fail "stderr: $stderr"
	run crm lead show 1
	[ "$(jqo '[.name, .company, .phone, .budget, .note, .wechat] | join("|")')" = \
		"张伟|杭州云启科技有限公司|13812345678|50000|下周回访|zhangwei_hz" ]
	{
		echo '公司名称,客户姓名,手机号码,预算金额,备注说明,微信'
		echo '宁波海天,李娜,13900001111,1200,老客户介绍,lina88'
	} > "$BATS_TEST_TMPDIR/b.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/b.csv"
	assert_success
	[ "$(crm lead show 2 | jq -r '[.name, .company, .phone, .budget, .note, .wechat] | join("|")')" = \
		"李娜|宁波海天|13900001111|1200|老客户介绍|lina88" ]
	# wechat is a field like any other: searched, set, exported with its header
	[ "$(crm search lina88 | jq -r .name)" = 李娜 ]
	crm lead update 1 wechat=zw_new >/dev/null
	[ "$(crm lead list --where "wechat = 'zw_new'" | jq -r .name)" = 张伟 ]
	crm export leads --headers zh -o "$BATS_TEST_TMPDIR/zh.csv"
	head -1 "$BATS_TEST_TMPDIR/zh.csv" | grep -q 微信
	# and a converted lead's contact keeps it
	crm lead convert 1 >/dev/null
	[ "$(crm contact show 1 | jq -r .wechat)" = zw_new ]
}

@test "a sheet with 客户名称 and no person's column names each lead by it" {
	printf '客户名称,联系电话\n云启科技,13812345678\n' > "$BATS_TEST_TMPDIR/c.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/c.csv"
	assert_success
	[[ "$stderr" == *"named by column '客户名称'"* ]] || fail "stderr: $stderr"
	[ "$(crm lead show 1 | jq -r '.name + "|" + .company')" = "云启科技|云启科技" ]
	# accounts: 客户名称 is the account's name
	printf '客户名称,联系电话\n海天集团,0574-88888888\n' > "$BATS_TEST_TMPDIR/d.csv"
	crm import accounts "$BATS_TEST_TMPDIR/d.csv" 2>/dev/null
	[ "$(crm account show 1 | jq -r .name)" = 海天集团 ]
}

@test "a one-cell title row (客户名单 2025 alone on the first line) is skipped; the header is line 2" {
	printf '客户名单 2025\n姓名,手机,公司\n张三,13800000001,甲\n李四,bad,乙\n' > "$BATS_TEST_TMPDIR/t.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/t.csv" --errors "$BATS_TEST_TMPDIR/e.jsonl"
	assert_failure 3
	[[ "$stderr" == *"line 1 is a title, not the header: skipped"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"line 4: phone: 'bad' is not a phone number"* ]] || fail "stderr: $stderr"
	[ "$(crm lead list | jq -r '.name + " " + .phone')" = "张三 13800000001" ]
	# tab-separated under a title too
	printf '客户名单 2025\n姓名\t手机\t公司\n王五\t13800000003\t甲,乙\n' > "$BATS_TEST_TMPDIR/t2.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/t2.csv"
	assert_success
	[ "$(crm lead show 2 | jq -r '.name + "|" + .company')" = "王五|甲,乙" ]
	# a one-column file keeps its first row as the header
	printf '姓名\n赵六\n' > "$BATS_TEST_TMPDIR/one.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/one.csv"
	assert_success
	[ "$(crm lead show 3 | jq -r .name)" = 赵六 ]
	printf '名单\n赵七\n钱八\n孙九\n' > "$BATS_TEST_TMPDIR/one2.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/one2.csv"
	assert_failure 3
	[[ "$stderr" == *"no column for name (姓名); the header is line 1"* ]] || fail "stderr: $stderr"
}

@test "a stray invalid byte rejects its row (line and column in the error and --errors); the import goes on" {
	{
		printf '姓名,手机,公司\n'
		printf '张伟,13812345678,云启\n'
		printf '李\xff娜,13900001111,星河\n'
		printf '王芳,13700002222,海\xe9天\n'
		printf '赵六,13600003333,甲\n'
	} > "$BATS_TEST_TMPDIR/bad.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/bad.csv" --encoding utf-8 --errors "$BATS_TEST_TMPDIR/e.jsonl"
	assert_failure 3
	[[ "$stderr" == *"line 3: invalid UTF-8 (byte FF) at line 3, column 2"* ]] || fail "stderr: $stderr"
	# 王芳,13700002222,海 is 16 characters: the byte is the 17th
	[[ "$stderr" == *"line 4: invalid UTF-8 (byte E9) at line 4, column 17"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"2 inserted, 0 updated, 0 skipped, 2 rejected"* ]] || fail "stderr: $stderr"
	[ "$(crm lead list | jq -r .name | paste -sd,)" = "张伟,赵六" ]
	run jq -c '[.line, .column, .error]' "$BATS_TEST_TMPDIR/e.jsonl"
	assert_line --index 0 '[3,"姓名","invalid UTF-8 (byte FF) at line 3, column 2"]'
	assert_line --index 1 '[4,"公司","invalid UTF-8 (byte E9) at line 4, column 17"]'
	# the row is kept as read, the bad byte shown as U+FFFD
	[ "$(jq -r 'select(.line == 3) | .row["姓名"]' "$BATS_TEST_TMPDIR/e.jsonl")" = "李�娜" ]
	# detected as UTF-8 (no --encoding): the same
	CRM_DB=$BATS_TEST_TMPDIR/b.db crm -q init >/dev/null
	run --separate-stderr env CRM_DB="$BATS_TEST_TMPDIR/b.db" crm import leads "$BATS_TEST_TMPDIR/bad.csv"
	assert_failure 3
	[ "$(CRM_DB=$BATS_TEST_TMPDIR/b.db crm lead list | wc -l)" = 2 ]
}

@test "a GBK file: a stray bad byte rejects its row too" {
	{
		printf '姓名,手机,公司\n张伟,13812345678,云启\n' | iconv -f UTF-8 -t GB18030
		printf '\xff\x20,13700002222,x\n'
		printf '赵六,13600003333,甲\n' | iconv -f UTF-8 -t GB18030
	} > "$BATS_TEST_TMPDIR/gb.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/gb.csv" --encoding gbk --errors "$BATS_TEST_TMPDIR/e.jsonl"
	assert_failure 3
	[[ "$stderr" == *"line 3: invalid GBK/GB18030 (bytes FF 20) at line 3, column 1"* ]] || fail "stderr: $stderr"
	[ "$(crm lead list | jq -r .name | paste -sd,)" = "张伟,赵六" ]
	[ "$(jq -c '[.line, .column]' "$BATS_TEST_TMPDIR/e.jsonl")" = '[3,"姓名"]' ]
}

@test "a file that cannot be read as UTF-8 at all stops at once, importing nothing" {
	printf '姓名,手机,公司\n张伟,13812345678,杭州云启科技有限公司\n李娜,13900001111,上海星河网络科技\n' |
		iconv -f UTF-8 -t GB18030 > "$BATS_TEST_TMPDIR/gbk.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/gbk.csv" --encoding utf-8
	assert_failure 3
	[[ "$stderr" == *"does not read as UTF-8"*"--encoding gbk"* ]] || fail "stderr: $stderr"
	[ "$(count)" = 0 ]
	# named right, it reads
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/gbk.csv" --encoding gbk
	assert_success
	[ "$(count)" = 2 ]
}

@test "a skipped duplicate is named in --errors (its line, the record it repeats) and counted" {
	crm lead add name=老客户 phone=13800000001 >/dev/null
	printf '姓名,手机\n甲,13800000001\n乙,13800000002\n丙,bad\n乙二,138 0000 0002\n' > "$BATS_TEST_TMPDIR/d.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/d.csv" --errors "$BATS_TEST_TMPDIR/e.jsonl"
	assert_failure 3
	[[ "$stderr" == *"1 inserted, 0 updated, 2 skipped (1 repeated in the file), 1 rejected (see $BATS_TEST_TMPDIR/e.jsonl); 1 skipped as duplicate of records already in crm"* ]] ||
		fail "stderr: $stderr"
	run jq -c '[.line, .skipped, .duplicate_of, .duplicate_line]' "$BATS_TEST_TMPDIR/e.jsonl"
	assert_line --index 0 '[2,"duplicate","lead:1",null]'
	assert_line --index 1 '[4,null,null,null]'
	assert_line --index 2 '[5,"duplicate","lead:2",3]'
	[ "$(jq -r 'select(.line == 2) | .error' "$BATS_TEST_TMPDIR/e.jsonl")" = "duplicate of lead:1 (老客户), already in crm: skipped" ]
	[ "$(jq -r 'select(.line == 5) | .error' "$BATS_TEST_TMPDIR/e.jsonl")" = \
		"duplicate of lead:2 (乙), made from line 3 of this file: skipped" ]
	# --on-duplicate update: nothing skipped as a duplicate, nothing named
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/d.csv" --on-duplicate update --errors "$BATS_TEST_TMPDIR/u.jsonl"
	[ "$(jq -r 'select(.skipped) | .line' "$BATS_TEST_TMPDIR/u.jsonl" | wc -l)" = 0 ]
}

@test "--dry-run --errors FILE writes that file, and the database stays as it was" {
	crm lead add name=老客户 phone=13800000001 >/dev/null
	printf '姓名,手机\n甲,13800000001\n乙,13800000002\n丙,bad\n' > "$BATS_TEST_TMPDIR/d.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/d.csv" --dry-run --errors "$BATS_TEST_TMPDIR/e.jsonl"
	assert_failure 3
	[ "$(jq -r .line "$BATS_TEST_TMPDIR/e.jsonl" | paste -sd,)" = "2,4" ]
	[ "$(count)" = 1 ]
	[ "$(crm sql "SELECT count(*) AS n FROM import_run" | jq .n)" = 0 ]
	crm help import | grep -q -- "--errors FILE is written"
}

# A workbook of 2 leads, its parts where the package's relationships say
# (elsewhere: not under xl/), or under the usual names written with '\'.
make_xlsx() {
	python3 - "$1" "$2" <<'PY'
import sys, zipfile
kind, out = sys.argv[1], sys.argv[2]
R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
def rels(items):
    return ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + ''.join('<Relationship Id="%s" Type="%s/%s" Target="%s"/>' % (i, R, t, g) for i, t, g in items) + '</Relationships>')
ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/></Types>')
wb = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="%s"><sheets><sheet name="客户" sheetId="1" r:id="rId1"/></sheets></workbook>' % R)
sst = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
       '<si><t>姓名</t></si><si><t>手机</t></si><si><t>张伟</t></si><si><t>李娜</t></si></sst>')
sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
         '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
         '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="inlineStr"><is><t>13812345678</t></is></c></row>'
         '<row r="3"><c r="A3" t="s"><v>3</v></c><c r="B3"><v>13900001111</v></c></row></sheetData></worksheet>')
z = zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED)
z.writestr('[Content_Types].xml', ct)
if kind == 'elsewhere':
    z.writestr('_rels/.rels', rels([('rId1', 'officeDocument', '/book/wb.xml')]))
    z.writestr('book/wb.xml', wb)
    z.writestr('book/_rels/wb.xml.rels', rels([('rId1', 'worksheet', 'sheets/data.xml'),
                                               ('rId2', 'sharedStrings', '../shared/./strings.xml')]))
    z.writestr('book/sheets/data.xml', sheet)
    z.writestr('shared/strings.xml', sst)
else:
    z.writestr('_rels\\.rels', rels([('rId1', 'officeDocument', 'xl/workbook.xml')]))
    z.writestr('xl\\workbook.xml', wb)
    z.writestr('xl\\_rels\\workbook.xml.rels', rels([('rId1', 'worksheet', 'worksheets/sheet1.xml'),
                                                     ('rId2', 'sharedStrings', 'sharedStrings.xml')]))
    z.writestr('xl\\worksheets\\sheet1.xml', sheet)
    z.writestr('xl\\sharedStrings.xml', sst)
z.close()
PY
}

@test "xlsx: the workbook is found through the package relationships, wherever its parts are" {
	command -v python3 >/dev/null || skip "no python3"
	make_xlsx elsewhere "$BATS_TEST_TMPDIR/a.xlsx"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/a.xlsx"
	assert_success
	[ "$(crm lead list | jq -r '.name + " " + .phone' | paste -sd,)" = "张伟 13812345678,李娜 13900001111" ]
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/a.xlsx" --sheet 客户 --dry-run
	[[ "$stderr" == *"0 would be inserted, 0 would be updated, 2 would be skipped"* ]] || fail "stderr: $stderr"
}

@test "xlsx: entry names written with backslashes (xl\\worksheets\\sheet1.xml) are read" {
	command -v python3 >/dev/null || skip "no python3"
	make_xlsx backslash "$BATS_TEST_TMPDIR/b.xlsx"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/b.xlsx"
	assert_success
	[ "$(crm lead list | jq -r '.name + " " + .phone' | paste -sd,)" = "张伟 13812345678,李娜 13900001111" ]
}

@test "fuzzy dedupe ignores English company suffixes: Acme (China) Co., Ltd. ~ ACME ~ Acme GmbH" {
	crm account add "name=Acme (China) Co., Ltd." >/dev/null
	crm account add name=ACME >/dev/null
	crm account add "name=Acme GmbH" >/dev/null
	crm account add "name=Acme Limited" >/dev/null
	crm account add name=Costco >/dev/null
	run --separate-stderr crm dedupe accounts --fuzzy
	assert_success
	[ "$(jqo '.ids | join(",")')" = "1,2,3,4" ]
	crm lead add name=Tom "company=Acme Inc." >/dev/null
	crm lead add name=Tom "company=ACME LLC" >/dev/null
	run crm dedupe leads --fuzzy
	[ "$(jqo '.ids | join(",")')" = "1,2" ]
	# converting a lead of "Acme, Inc." finds the account ACME
	crm lead add name=Jerry "company=Acme, Inc." >/dev/null
	run crm lead convert 3
	[ "$(jq -r 'select(.type == "contact") | .account_id' <<<"$output")" = 1 ]
	[ "$(crm sql "SELECT count(*) AS n FROM account" | jq .n)" = 5 ]
}

@test "a custom lead field named wechat made before becomes the built-in one, values kept" {
	command -v sqlite3 >/dev/null || skip "no sqlite3"
	db=$BATS_TEST_TMPDIR/old.db
	for f in "$ROOT_DIR"/share/schema/*.sql; do
		n=$(basename "$f" | sed 's/^0*\([0-9]*\)-.*/\1/')
		[ "$n" -lt 12 ] && cat "$f"
	done | sqlite3 "$db"
	sqlite3 "$db" "PRAGMA user_version = 11;
		ALTER TABLE lead ADD COLUMN wechat TEXT;
		INSERT INTO field(type, name, kind, required, created_at) VALUES ('lead', 'wechat', 'text', 0, '2026-01-01');
		INSERT INTO lead(name, wechat, status, score, owner, created_at, updated_at)
			VALUES ('老王', 'wx_laowang', 'new', 0, 'alice', '2026-01-01', '2026-01-01');"
	run --separate-stderr env CRM_DB="$db" crm lead show 1
	assert_success
	[ "$(jqo .wechat)" = wx_laowang ]
	[ "$(CRM_DB=$db crm search wx_laowang | jq -r .name)" = 老王 ]
	run env CRM_DB="$db" crm field list lead
	refute_output --partial wechat
	run env CRM_DB="$db" crm lead add name=新 wechat=wx_new
	assert_success
	[ "$(jqo .wechat)" = wx_new ]
}
