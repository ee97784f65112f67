#!/usr/bin/env bats
# The output writer: jsonl, table (CJK width, truncation, COLUMNS,
# NO_COLOR), csv, tsv, and closed pipes.
load helper

local_setup() {
	fresh_db
}

Q="SELECT 1 AS id, '张伟' AS name, 'x' AS k UNION ALL SELECT 2, 'Bob', 'yy'"

@test "piped output is JSON lines with UTF-8 kept as is" {
	run --separate-stderr crm sql "$Q"
	assert_success
	assert_line '{"id":1,"name":"张伟","k":"x"}'
	[[ "$output" != *'\u'* ]]
}

@test "--table aligns double-width CJK text" {
	run crm --table sql "$Q"
	assert_success
	assert_line --index 0 'id  name  k'
	assert_line --index 1 ' 1  张伟  x'
	assert_line --index 2 ' 2  Bob   yy'
}

@test "--format table after the command works too" {
	run crm sql "$Q" --format table
	assert_line --index 0 'id  name  k'
}

@test "tables cut long cells with … to fit COLUMNS" {
	run env COLUMNS=30 "$CRM_BIN" sql --table "SELECT 1 AS id, '杭州云启科技有限公司杭州云启科技有限公司' AS company, 'abcdefghijklmnopqrstuvwxyz' AS note"
	assert_success
	for l in "${lines[@]}"; do
		local w
		w=$(printf '%s' "$l" | python3 -c 'import sys,unicodedata; s=sys.stdin.read(); print(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s))')
		[ "$w" -le 30 ] || fail "line wider than 30: $l ($w)"
	done
	assert_output --partial '…'
}

@test "a table with more columns than COLUMNS can hold drops the last ones, never wraps" {
	crm lead add name=张伟 phone=13812345678 company=杭州云启科技有限公司 region=浙江 tags=高预算 >/dev/null 2>&1
	for cols in 40 24 8 3; do
		run env COLUMNS=$cols "$CRM_BIN" --table lead list
		assert_success
		for l in "${lines[@]}"; do
			local w
			w=$(printf '%s' "$l" | python3 -c 'import sys,unicodedata; s=sys.stdin.read(); print(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s))')
			[ "$w" -le "$cols" ] || fail "line wider than $cols: $l ($w)"
		done
		[[ "${lines[0]}" == "id"* ]] || fail "${lines[0]}"
	done
	# 3 columns: the first column alone
	[ "$(awk '{ print NF }' <<<"${lines[0]}")" = 1 ]
}

@test "table cells never carry terminal escapes from the data" {
	run crm --table sql "SELECT 'a' || char(27) || '[31mred' AS s"
	assert_success
	[[ "$output" != *$'\e'* ]] || fail "escape reached the terminal"
	assert_output --partial 'a?[31mred'
}

@test "NO_COLOR: no escape sequences even for headers" {
	run env NO_COLOR=1 "$CRM_BIN" --table sql "$Q"
	[[ "$output" != *$'\e'* ]]
}

@test "--csv quotes what needs quoting" {
	run crm --csv sql "SELECT 'a,b' AS x, 'say \"hi\"' AS y, '张伟' AS z"
	assert_success
	assert_line --index 0 'x,y,z'
	assert_line --index 1 '"a,b","say ""hi""",张伟'
}

@test "--format tsv separates with tabs" {
	run crm --format tsv sql "$Q"
	assert_line --index 0 $'id\tname\tk'
	assert_line --index 1 $'1\t张伟\tx'
}

@test "an unknown format is a usage error" {
	run --separate-stderr crm --format xml sql "SELECT 1"
	assert_failure 2
	[[ "$stderr" == *"unknown format 'xml'"* ]] || fail "stderr: $stderr"
}

@test "a closed pipe ends the command quietly" {
	run bash -c "crm sql 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 200000) SELECT x FROM c' | head -1"
	assert_success
	assert_output '{"x":1}'
}

@test "a table on a real terminal is the default (via script)" {
	command -v script >/dev/null || skip "script(1) not installed"
	run script -qec "$CRM_BIN sql \"SELECT 1 AS a\"" /dev/null
	assert_output --partial 'a'
	refute_output --partial '{"a":1}'
}
