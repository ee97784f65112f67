#!/usr/bin/env bats
# crm import: CSV as Excel writes it, encodings, headers, rejected rows,
# duplicates, dry runs, atomic imports, resuming.
load helper

local_setup() {
	fresh_db
}

count() {
	crm sql "SELECT count(*) AS n FROM ${1:-lead}" | jq .n
}

# A CSV like Excel's: BOM, CRLF, Chinese headers, a quoted multi-line note.
excel_csv() {
	printf '\xef\xbb\xbf姓名,手机,邮箱,公司,地区,来源,预算,备注\r\n'
	printf '张伟,+86 138-1234-5678,ZW@Example.com,杭州云启科技有限公司,浙江,展会,50万,"喜欢喝茶,\r\n下周回访"\r\n'
	printf '李娜,139 0000 1111,,上海星河,上海,官网,"1,200",\r\n'
	printf '王芳,(86)137-0000-2222,wf@x.cn,宁波海天,浙江,转介绍,¥3000,"说""再看看"""\r\n'
}

@test "a CSV as Excel writes it (BOM, CRLF, quoted multi-line note) imports with normalised fields" {
	excel_csv > "$BATS_TEST_TMPDIR/leads.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/leads.csv"
	assert_success
	[ -z "$output" ]
	[[ "$stderr" == *"3 inserted, 0 updated, 0 skipped"*"0 rejected"* ]] || fail "stderr: $stderr"
	run crm lead show 1
	[ "$(jqo .phone)" = 13812345678 ]
	[ "$(jqo .email)" = zw@example.com ]
	[ "$(jqo .budget)" = 500000 ]
	[ "$(jqo .note)" = $'喜欢喝茶,\r\n下周回访' ] || [ "$(jqo .note)" = $'喜欢喝茶,\n下周回访' ]
	[ "$(crm lead show 2 | jq .budget)" = 1200 ]
	[ "$(crm lead show 3 | jq -r .note)" = '说"再看看"' ]
	[ "$(crm lead show 3 | jq -r .phone)" = 13700002222 ]
}

@test "a GBK file gives the same records as its UTF-8 twin; UTF-16 too" {
	excel_csv | tail -c +4 > "$BATS_TEST_TMPDIR/utf8.csv"
	iconv -f UTF-8 -t GB18030 "$BATS_TEST_TMPDIR/utf8.csv" > "$BATS_TEST_TMPDIR/gbk.csv"
	crm import leads "$BATS_TEST_TMPDIR/utf8.csv" 2>/dev/null
	crm export leads --format jsonl | jq -c 'del(.id, .created_at, .updated_at)' > "$BATS_TEST_TMPDIR/a"
	CRM_DB=$BATS_TEST_TMPDIR/gbk.db crm import leads "$BATS_TEST_TMPDIR/gbk.csv" --encoding auto 2>/dev/null
	CRM_DB=$BATS_TEST_TMPDIR/gbk.db crm export leads --format jsonl | jq -c 'del(.id, .created_at, .updated_at)' > "$BATS_TEST_TMPDIR/b"
	diff "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$BATS_TEST_TMPDIR/utf8.csv"; } > "$BATS_TEST_TMPDIR/u16.csv"
	CRM_DB=$BATS_TEST_TMPDIR/u16.db crm import leads "$BATS_TEST_TMPDIR/u16.csv" 2>/dev/null
	CRM_DB=$BATS_TEST_TMPDIR/u16.db crm export leads --format jsonl | jq -c 'del(.id, .created_at, .updated_at)' > "$BATS_TEST_TMPDIR/c"
	diff "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/c"
}

@test "an invalid byte is reported with its line and column; rows before it stay, exit 3" {
	{ printf '姓名,手机\n张伟,13812345678\n'; printf '李\xff娜,13900001111\n'; } > "$BATS_TEST_TMPDIR/bad.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/bad.csv" --encoding utf-8
	assert_failure 3
	[[ "$stderr" == *"line 3"*"column 2"* ]] || fail "stderr: $stderr"
}

@test "a stray byte in a UTF-8 file is reported where it is, not read as GB18030" {
	printf 'name,phone,company\nA,13800000001,好公司\nB,13800000002,ab\377\376cd\n' > "$BATS_TEST_TMPDIR/bad.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/bad.csv"
	assert_failure 3
	[[ "$stderr" == *"invalid UTF-8 (byte FF) at line 3, column 17"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"bad.csv: 1 inserted, 0 updated, 0 skipped, 1 rejected"* ]] || fail "no summary: $stderr"
	printf '姓名,手机,公司\n张伟,13800000001,云启科技\n李娜,13800000002,北京公司\n王五,13800000003,caf\351 ltd\n' > "$BATS_TEST_TMPDIR/lat.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/lat.csv"
	assert_failure 3
	[[ "$stderr" == *"invalid UTF-8 (byte E9) at line 4, column 19"* ]] || fail "stderr: $stderr"
	[ "$(crm sql "SELECT count(*) AS n FROM lead WHERE name IN ('A', '张伟', '李娜')" | jq .n)" -ge 2 ]
}

@test "3 bad rows among 1000: 997 imported, 3 precise entries in --errors, exit 3" {
	{
		echo '姓名,手机,邮箱'
		for i in $(seq 1 1000); do
			case $i in
			100) echo "坏手机$i,12345,a$i@x.cn" ;;
			500) echo "坏邮箱$i,,not-an-email" ;;
			900) echo ",13800000900,n$i@x.cn" ;;
			*) printf '客户%d,138%08d,c%d@x.cn\n' "$i" "$i" "$i" ;;
			esac
		done
	} > "$BATS_TEST_TMPDIR/k.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/k.csv" --errors "$BATS_TEST_TMPDIR/err.jsonl"
	assert_failure 3
	[ "$(count)" = 997 ]
	run jq -c '[.line, .column, .row["手机"] // .row["邮箱"] // .row["姓名"]]' "$BATS_TEST_TMPDIR/err.jsonl"
	assert_line --index 0 '[101,"手机","12345"]'
	assert_line --index 1 '[501,"邮箱","not-an-email"]'
	assert_line --index 2 '[901,"姓名","13800000900"]'
	[ "$(jq -r .error "$BATS_TEST_TMPDIR/err.jsonl" | head -1)" = "phone: '12345' is not a phone number" ]
}

@test "--atomic: one bad row imports nothing" {
	printf '姓名,手机\n甲,13800000001\n乙,123\n丙,13800000003\n' > "$BATS_TEST_TMPDIR/a.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/a.csv" --atomic
	assert_failure 3
	[[ "$stderr" == *"--atomic imports nothing"* ]] || fail "stderr: $stderr"
	[ "$(count)" = 0 ]
	run --separate-stderr crm --strict import leads "$BATS_TEST_TMPDIR/a.csv"
	assert_failure 3
	[ "$(count)" = 0 ]
}

@test "--dry-run reports what would happen and writes nothing" {
	crm lead add name=老客户 phone=13800000001 >/dev/null
	printf '姓名,手机\n甲,13800000001\n乙,13800000002\n丙,bad\n' > "$BATS_TEST_TMPDIR/d.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/d.csv" --dry-run
	assert_failure 3
	[[ "$stderr" == *"1 would be inserted, 0 would be updated, 1 would be skipped, 1 rejected"* ]] || fail "stderr: $stderr"
	[ "$(count)" = 1 ]
	# every file is checked, not only the first
	printf '姓名,手机
丁,13800000004
戊,13800000005
' > "$BATS_TEST_TMPDIR/e.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/d.csv" "$BATS_TEST_TMPDIR/e.csv" --dry-run
	assert_failure 3
	[[ "$stderr" == *"e.csv: 2 would be inserted"* ]] || fail "stderr: $stderr"
	[ "$(count)" = 1 ]
}

@test "re-import: skip adds nothing; update changes only what differs; repeats inside a file are caught" {
	printf '姓名,手机,地区\n甲,13800000001,浙江\n乙,13800000002,江苏\n甲二,138 0000 0001,浙江\n' > "$BATS_TEST_TMPDIR/r.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/r.csv"
	assert_success
	[[ "$stderr" == *"2 inserted, 0 updated, 1 skipped (1 repeated in the file)"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/r.csv"
	[[ "$stderr" == *"0 inserted, 0 updated, 3 skipped"* ]] || fail "stderr: $stderr"
	[ "$(count)" = 2 ]
	printf '姓名,手机,地区\n甲,13800000001,上海\n乙,13800000002,江苏\n' > "$BATS_TEST_TMPDIR/r2.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/r2.csv" --on-duplicate update
	assert_success
	[[ "$stderr" == *"0 inserted, 1 updated, 1 skipped"* ]] || fail "stderr: $stderr"
	[ "$(crm lead show 1 | jq -r .region)" = 上海 ]
	[ "$(crm log --entity lead:2 | grep -c '"action":"update"')" = 0 ]
}

@test "--on-duplicate merge fills only empty fields; error rejects the duplicate with exit 4" {
	crm lead add name=甲 phone=13800000001 region=浙江 >/dev/null
	printf '姓名,手机,地区,公司\n甲,13800000001,上海,云启\n' > "$BATS_TEST_TMPDIR/m.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/m.csv" --on-duplicate merge
	assert_success
	run crm lead show 1
	[ "$(jqo .region)" = 浙江 ]
	[ "$(jqo .company)" = 云启 ]
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/m.csv" --on-duplicate error
	assert_failure 4
	[[ "$stderr" == *"duplicate of lead:1 (甲)"* ]] || fail "stderr: $stderr"
}

@test "--key matches duplicates by the field of your choice" {
	crm field add lead crm_no >/dev/null
	printf 'name,crm_no\n甲,A1\n乙,A1\n丙,A2\n' > "$BATS_TEST_TMPDIR/k.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/k.csv" --key crm_no
	assert_success
	[ "$(count)" = 2 ]
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/k.csv" --key nosuch
	assert_failure 2
}

@test "--map COLUMN=- ignores a column without a word" {
	printf '客户,微信号,手机\n张三,zs,13800000001\n' > "$BATS_TEST_TMPDIR/m.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/m.csv" --map '客户=name,微信号=-'
	assert_success
	[[ "$stderr" != *"微信号"* ]] || fail "stderr: $stderr"
	[ "$(crm lead list | jq -r '.name + " " + .phone')" = "张三 13800000001" ]
	printf '{"客户":"李四","微信号":"ls"}\n' > "$BATS_TEST_TMPDIR/m.jsonl"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/m.jsonl" --map '客户=name,微信号=-'
	assert_success
	[[ "$stderr" != *"微信号"* ]] || fail "stderr: $stderr"
}

@test "--map, saved mappings, unknown columns ignored once or made into fields" {
	printf '客户,移动,微信群\n甲,13800000001,VIP群\n乙,13800000002,普通群\n' > "$BATS_TEST_TMPDIR/u.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/u.csv" --map '客户=name,移动=phone' --save-map mine
	assert_success
	[ "$(grep -c "column '微信群' is not a lead field" <<<"$stderr")" = 1 ]
	[ "$(crm lead show 1 | jq -r .phone)" = 13800000001 ]
	CRM_DB=$BATS_TEST_TMPDIR/b.db crm config set import.map.mine '客户=name,移动=phone' >/dev/null
	run --separate-stderr env CRM_DB="$BATS_TEST_TMPDIR/b.db" crm import leads "$BATS_TEST_TMPDIR/u.csv" --map-name mine --create-fields
	assert_success
	[[ "$stderr" == *"column '微信群' goes to the new field custom_1"* ]] || fail "stderr: $stderr"
	[ "$(CRM_DB=$BATS_TEST_TMPDIR/b.db crm lead show 2 | jq -r .custom_1)" = 普通群 ]
	[ "$(crm config get import.map.mine)" = '客户=name,移动=phone' ]
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/u.csv" --map '客户=nosuchfield'
	assert_failure 2
}

@test "a file with no name column, an empty file, a missing file: clear errors" {
	printf '手机\n13800000001\n' > "$BATS_TEST_TMPDIR/n.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/n.csv"
	assert_failure 3
	[[ "$stderr" == *"no column for name"* ]] || fail "stderr: $stderr"
	: > "$BATS_TEST_TMPDIR/e.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/e.csv"
	assert_failure 3
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/nosuch.csv"
	assert_failure 1
	run --separate-stderr crm import nosuchtype "$BATS_TEST_TMPDIR/n.csv"
	assert_failure 2
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/n.csv" --on-duplicate sometimes
	assert_failure 2
	[ "$(count)" = 0 ]
}

@test "ragged rows: extra cells are rejected, short rows read as empty cells" {
	printf '姓名,手机,地区\n甲,13800000001,浙江,多出来\n乙,13800000002\n' > "$BATS_TEST_TMPDIR/g.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/g.csv"
	assert_failure 3
	[[ "$stderr" == *"line 2: the row has 1 field more than the header's 3"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"1 short rows"* ]] || fail "stderr: $stderr"
	[ "$(count)" = 1 ]
}

@test "TSV, JSON lines and stdin; --print feeds a pipe" {
	printf 'name\tphone\n甲\t13800000001\n' > "$BATS_TEST_TMPDIR/t.tsv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/t.tsv"
	assert_success
	printf '{"姓名":"乙","手机":"13800000002","tags":["a","b"]}\n{"name":"丙","email":"C@X.CN"}\n' > "$BATS_TEST_TMPDIR/j.jsonl"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/j.jsonl" --print
	assert_success
	assert_jsonl
	[ "${#lines[@]}" -eq 2 ]
	[ "$(jq -c .tags <<<"${lines[0]}")" = '["a","b"]' ]
	run bash -c "printf '姓名,手机\n丁,13800000004\n' | crm -q import leads - --print | crm lead update status=working"
	assert_success
	[ "$(jqo .status)" = working ]
	[ "$(count)" = 4 ]
}

@test "accounts, contacts and deals import by the same mechanism" {
	printf '公司名称,行业,等级\n杭州云启科技有限公司,软件,A\n杭州云启科技有限公司,软件,A\n' > "$BATS_TEST_TMPDIR/a.csv"
	run --separate-stderr crm import accounts "$BATS_TEST_TMPDIR/a.csv"
	assert_success
	[ "$(count account)" = 1 ]
	printf '姓名,手机,account\n王五,13800000005,杭州云启科技有限公司\n' > "$BATS_TEST_TMPDIR/c.csv"
	run --separate-stderr crm import contact "$BATS_TEST_TMPDIR/c.csv"
	assert_success
	[ "$(crm contact show 1 | jq .account_id)" = 1 ]
	printf 'name,amount,account\nERP,80万,1\n' > "$BATS_TEST_TMPDIR/d.csv"
	run --separate-stderr crm import deals "$BATS_TEST_TMPDIR/d.csv"
	assert_success
	[ "$(crm deal show 1 | jq .amount)" = 800000 ]
}

# import_big_in_background: start importing 20,000 rows (stderr to
# $BATS_TEST_TMPDIR/err), pid in $pid, and return once 1,000 rows are
# committed, so the import can be stopped in the middle. The last 1,000
# rows repeat the phones of the first 1,000: 19,000 leads.
import_big_in_background() {
	{
		echo 姓名,手机,备注
		for i in $(seq 1 20000); do
			printf '客户%d,139%08d,第%d行\n' "$i" $(((i - 1) % 19000 + 1)) "$i"
		done
	} > "$BATS_TEST_TMPDIR/big.csv"
	crm import leads "$BATS_TEST_TMPDIR/big.csv" --batch 500 2> "$BATS_TEST_TMPDIR/err" &
	pid=$!
	for _ in $(seq 1 200); do
		n=$(crm sql "SELECT coalesce(max(line), 0) AS n FROM import_run" 2>/dev/null | jq .n)
		[ "${n:-0}" -gt 1000 ] && break
		sleep 0.05
	done
}

@test "kill -9 in the middle of a large import: consistent, and --resume finishes it with no duplicate rows" {
	import_big_in_background
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" || true
	run crm check
	assert_success
	before=$(crm sql "SELECT count(*) AS n FROM lead" | jq .n)
	[ "$before" -lt 19000 ] || skip "the import finished before it could be killed"
	# every lead there is the run's, from its line (the run is the audit
	# entry: one for the whole import); on a file the batches wait aside
	# until the import ends, on a server they are in the table
	[ "$(crm sql "SELECT count(*) AS n FROM lead WHERE import_run = 1 AND import_line > 1" | jq .n)" = "$before" ]
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/big.csv" --resume
	assert_success
	[[ "$stderr" == *"resuming after line"* ]] || fail "stderr: $stderr"
	# the summary counts the whole file, the part before the kill too
	[[ "$stderr" == *"19000 inserted, 0 updated, 1000 skipped (1000 repeated in the file)"* ]] || fail "stderr: $stderr"
	[ "$(crm sql "SELECT count(*) AS n FROM lead" | jq .n)" = 19000 ]
	[ "$(crm sql "SELECT count(DISTINCT name) AS n FROM lead" | jq .n)" = 19000 ]
}

@test "Ctrl-C in the middle of a large import: what is done is kept, exit 130, --resume finishes it" {
	import_big_in_background
	kill -INT "$pid" 2>/dev/null || true
	status=0
	wait "$pid" || status=$?
	before=$(crm sql "SELECT count(*) AS n FROM lead" | jq .n)
	[ "$before" -lt 19000 ] || skip "the import finished before it could be interrupted"
	[ "$status" -eq 130 ] || fail "exit status $status"
	grep -q "interrupted after line" "$BATS_TEST_TMPDIR/err" || fail "stderr: $(cat "$BATS_TEST_TMPDIR/err")"
	grep -q -- "--resume" "$BATS_TEST_TMPDIR/err"
	run crm check
	assert_success
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/big.csv" --resume
	assert_success
	[ "$(crm sql "SELECT count(DISTINCT name) AS n, count(*) AS m FROM lead" | jq -c .)" = '{"n":19000,"m":19000}' ]
}

@test "--resume with nothing to resume starts at the beginning" {
	printf '姓名\n甲\n乙\n' > "$BATS_TEST_TMPDIR/s.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/s.csv" --resume
	assert_success
	[[ "$stderr" == *"starting at the beginning"* ]] || fail "stderr: $stderr"
	[ "$(crm sql "SELECT count(*) AS n FROM lead" | jq .n)" = 2 ]
}

@test "spreadsheets as Chinese Windows writes them: € in code page 936, *姓名 headers, blank lines before the header" {
	printf '姓名,备注\n张三,价格€100\n' | iconv -f UTF-8 -t CP936 > "$BATS_TEST_TMPDIR/eu.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/eu.csv"
	assert_success
	[ "$(crm lead list | jq -r .note)" = 价格€100 ]
	printf '*姓名,* 手机\n李四,13800000001\n' > "$BATS_TEST_TMPDIR/ast.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/ast.csv"
	assert_success
	[ "$(crm lead list --where "name = '李四'" | jq -r .phone)" = 13800000001 ]
	printf '\r\n\r\n名,电\r\n甲,bad\r\n' > "$BATS_TEST_TMPDIR/b3.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/b3.csv"
	assert_failure 3
	[[ "$stderr" == *"the header is line 3"* ]] || fail "stderr: $stderr"
	# an encoding that is not one is a usage error, and leaves no run to resume
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/ast.csv" --encoding latin9
	assert_failure 2
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/b3.csv"
	[[ "$stderr" != *"--resume would go on"* ]] || fail "stderr: $stderr"
}

@test "a title row above the header is skipped; a one-column header is not mistaken for one" {
	printf '客户名单 2025,,\n姓名,手机,公司\n张三,13800000001,甲\n' > "$BATS_TEST_TMPDIR/title.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/title.csv"
	assert_success
	[[ "$stderr" == *"line 1 is a title, not the header: skipped"* ]] || fail "stderr: $stderr"
	[ "$(crm lead list | jq -r '.name + " " + .phone')" = "张三 13800000001" ]
	printf '姓名,,\n李四,,\n' > "$BATS_TEST_TMPDIR/one.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/one.csv"
	assert_success
	[ "$(crm lead list --where "name = '李四'" | wc -l)" = 1 ]
}

@test "kill -9 of an import --print into a pipe: --resume goes on after the rows it printed, none twice" {
	{ echo 姓名,备注; seq 1 30000 | awk '{ printf "客户%d,%080d\n", $1, $1 }'; } > "$BATS_TEST_TMPDIR/kr.csv"
	fresh_db
	# the reader takes 2 MB and then stops reading: the import waits, having committed what it printed
	crm import leads "$BATS_TEST_TMPDIR/kr.csv" --print 2>/dev/null | { head -c 2000000 >/dev/null; sleep 60; } &
	for _ in $(seq 1 100); do
		n=$(crm sql "SELECT count(*) AS n FROM lead" 2>/dev/null | jq .n)
		[ "${n:-0}" -gt 0 ] && break
		sleep 0.1
	done
	sleep 0.5
	pkill -9 -f "import leads $BATS_TEST_TMPDIR/kr.csv" || true
	pkill -f "sleep 60" || true
	wait || true
	before=$(crm sql "SELECT count(*) AS n FROM lead" | jq .n)
	[ "$before" -gt 0 ] && [ "$before" -lt 30000 ]
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/kr.csv" --resume
	assert_success
	[ "$(crm sql "SELECT count(*) AS n, count(DISTINCT name) AS d FROM lead" | jq -c '[.n, .d]')" = "[30000,30000]" ]
}
