#!/usr/bin/env bats
# crm export: csv (with BOM, Chinese headers), tsv, jsonl, xlsx; round trips.
load helper

local_setup() {
	fresh_db
	crm field add lead wechat_group >/dev/null
	crm lead add name=张伟 phone=13812345678 company="杭州云启, 科技" budget=12.5万 tags=VIP,高预算 \
		note=$'喜欢"普洱"\n下周回访' wechat_group=VIP群 created_at=2026-01-05 >/dev/null
	crm lead add name=李娜 email=lina@example.com region=上海 >/dev/null
}

fields() {
	jq -c 'del(.id, .updated_at)' | sort
}

@test "csv, jsonl and xlsx exports import back with every field, custom fields included" {
	crm export leads --format jsonl | fields > "$BATS_TEST_TMPDIR/want"
	for f in csv jsonl xlsx; do
		crm export leads -o "$BATS_TEST_TMPDIR/out.$f"
		db=$BATS_TEST_TMPDIR/$f.db
		CRM_DB=$db crm field add lead wechat_group >/dev/null
		run --separate-stderr env CRM_DB="$db" crm import leads "$BATS_TEST_TMPDIR/out.$f"
		assert_success
		CRM_DB=$db crm export leads --format jsonl | fields > "$BATS_TEST_TMPDIR/got.$f"
		diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got.$f"
	done
}

@test "--bom and --headers zh for Excel; Chinese headers import back" {
	crm export leads --bom --headers zh -o "$BATS_TEST_TMPDIR/zh.csv"
	[ "$(head -c 3 "$BATS_TEST_TMPDIR/zh.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ]
	head -1 "$BATS_TEST_TMPDIR/zh.csv" | grep -q '姓名,手机,邮箱,公司'
	CRM_DB=$BATS_TEST_TMPDIR/b.db crm import leads "$BATS_TEST_TMPDIR/zh.csv" --create-fields 2>/dev/null
	[ "$(CRM_DB=$BATS_TEST_TMPDIR/b.db crm lead show 1 | jq -r .budget)" = 125000 ]
}

@test "filters choose what is exported; tsv to stdout; an empty selection exits 1" {
	run crm export leads --where "region = '上海'" --format tsv
	assert_success
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == *"李娜"* ]]
	run crm export leads --where "region = '火星'"
	assert_failure 1
	run --separate-stderr crm export leads --format pdf
	assert_failure 2
	run --separate-stderr crm export leads --headers fr
	assert_failure 2
	run --separate-stderr crm export nosuch
	assert_failure 2
}

@test "xlsx keeps phones as text and goes to a pipe too" {
	crm export leads --format xlsx > "$BATS_TEST_TMPDIR/p.xlsx"
	[ "$(head -c 2 "$BATS_TEST_TMPDIR/p.xlsx")" = PK ]
	CRM_DB=$BATS_TEST_TMPDIR/x.db crm import leads "$BATS_TEST_TMPDIR/p.xlsx" 2>/dev/null
	[ "$(CRM_DB=$BATS_TEST_TMPDIR/x.db crm lead show 1 | jq -r .phone)" = 13812345678 ]
}

@test "a tag with a comma in it comes back as one tag through csv and xlsx" {
	crm lead add name=甲 tags='["上海,北京","VIP"]' >/dev/null 2>&1
	crm lead add name=乙 tags=高预算,老客户 >/dev/null
	for f in csv xlsx; do
		crm export leads --where "id > 2" -o "$BATS_TEST_TMPDIR/t.$f"
		rm -f "$BATS_TEST_TMPDIR/b.db"*
		CRM_DB=$BATS_TEST_TMPDIR/b.db crm -q import leads "$BATS_TEST_TMPDIR/t.$f" --create-fields >/dev/null
		[ "$(CRM_DB=$BATS_TEST_TMPDIR/b.db crm lead list | jq -c .tags | paste -sd' ')" = '["上海,北京","VIP"] ["高预算","老客户"]' ] || fail "$f"
	done
	# the plain case stays plain in the spreadsheet
	grep -q ',"高预算,老客户",' "$BATS_TEST_TMPDIR/t.csv" || fail "$(cat "$BATS_TEST_TMPDIR/t.csv")"
}

@test "xlsx: a note longer than an Excel cell holds is cut with a warning, never dropped in silence" {
	crm lead add name=长 note="$(python3 -c "print('备'*32770,end='')")" >/dev/null
	run --separate-stderr crm export leads --where "name = '长'" -o "$BATS_TEST_TMPDIR/n.xlsx"
	assert_success
	[[ "$stderr" == *"note cut to 32767 characters"* ]] || fail "stderr: $stderr"
	CRM_DB=$BATS_TEST_TMPDIR/b.db crm -q import leads "$BATS_TEST_TMPDIR/n.xlsx" >/dev/null 2>&1
	[ "$(CRM_DB=$BATS_TEST_TMPDIR/b.db crm lead list | jq '.note | length')" = 32767 ]
}
