#!/usr/bin/env bats
# The team server (CLI.md 8.5): crm export, crm config and crm team run
# on a server as on a file. Each person acts as their own login role:
# a rep exports what the server's policies let them read, settings are
# the admin's to change. A throwaway cluster (tests/pg.bash) serves the
# whole file.
load helper
load pg

setup_file() {
	pg_start
}

teardown_file() {
	pg_stop
}

# alice the admin; dave manages east, bob in it; carol in west
PG_TEAM='alice --role admin
dave --role manager --team east
bob --role rep --team east --manager dave
carol --role rep --team west'

# a server (tests/pg.bash: this team, the clock pinned)
local_setup() {
	pg_server_setup e
}

some_leads() {
	as alice lead add name="张伟" phone=13812345678 company="杭州云启科技有限公司" budget=1.5万 tags=vip,华东 >/dev/null
	as bob lead add name="李娜" phone=13900000002 email=lina@example.com source=展会 >/dev/null
	as carol lead add name="王芳" company="宁波海纳贸易" status=working note="说,\"引号\"" >/dev/null
}

@test "export leads on the server writes the file's bytes: csv, tsv, jsonl, Chinese headers, --where, xlsx cells" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		some_leads
		{
			as alice export leads
			as alice export leads --format tsv --bom
			as alice export leads --format jsonl
			as alice export leads --headers zh --where "has_tag('vip') OR status = 'working'" --sort -name
		} > "$BATS_TEST_TMPDIR/$side.out"
		as alice export leads -o "$BATS_TEST_TMPDIR/$side.xlsx"
		unzip -p "$BATS_TEST_TMPDIR/$side.xlsx" xl/worksheets/sheet1.xml > "$BATS_TEST_TMPDIR/$side.sheet"
		unzip -p "$BATS_TEST_TMPDIR/$side.xlsx" xl/sharedStrings.xml > "$BATS_TEST_TMPDIR/$side.strings" 2>/dev/null || true
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	diff "$BATS_TEST_TMPDIR/F.sheet" "$BATS_TEST_TMPDIR/S.sheet"
	diff "$BATS_TEST_TMPDIR/F.strings" "$BATS_TEST_TMPDIR/S.strings"
	# the CSV: a header and three leads, the quote in the note doubled
	[ "$(head -1 "$BATS_TEST_TMPDIR/S.out" | cut -d, -f1-3)" = id,name,phone ]
	grep -q '"说,""引号"""' "$BATS_TEST_TMPDIR/S.out"
	# the filtered one: 王芳 then 张伟 (by name, descending), under 姓名
	[ "$(grep -c '^编号,姓名' "$BATS_TEST_TMPDIR/S.out")" = 1 ]
	[ "$(grep -A2 '^编号,姓名' "$BATS_TEST_TMPDIR/S.out" | tail -2 | cut -d, -f2 | paste -sd ' ')" = "王芳 张伟" ]
}

@test "a rep exports only their own leads on the server, the manager their team's, as psql shows them" {
	SIDE=S
	some_leads
	run --separate-stderr as bob export leads --format jsonl
	assert_success
	[ "$(echo "$output" | jq -r .id | paste -sd ' ')" = 2 ]
	[ "$(pg_psql "$DBNAME" bob "SELECT id FROM lead ORDER BY id" | paste -sd ' ')" = 2 ]
	run --separate-stderr as dave export leads --format jsonl
	assert_success
	[ "$(echo "$output" | jq -r .id | paste -sd ' ')" = 2 ]
	run --separate-stderr as alice export leads --format jsonl
	[ "$(echo "$output" | jq -r .id | paste -sd ' ')" = "1 2 3" ]
}

@test "events, users and quote lines export on the server as on a file: every type's export runs there" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		some_leads
		as alice track 1 pricing_page_view plan=pro >/dev/null
		as bob track 2 demo_request --at 2026-03-01T10:00:00+08:00 >/dev/null
		as alice product add name=企业版 sku=ENT price=12800 >/dev/null
		as bob deal add name=大单 amount=5万 >/dev/null
		as bob quote add --deal 1 >/dev/null
		as bob quote line add 1 --product ENT --qty 2 >/dev/null
		{
			as alice export events
			as alice export events --format jsonl
			as bob export events --format jsonl
			as alice export users --headers zh
			as bob export users --format jsonl
			as alice export quote_lines --headers zh
			as bob export quote_lines --format jsonl
		} > "$BATS_TEST_TMPDIR/$side.out" 2>&1
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	! grep -q "not on a server yet" "$BATS_TEST_TMPDIR/S.out"
	# bob's events are those of the leads he sees: his own lead's
	[ "$(grep -c '"type":"event"' "$BATS_TEST_TMPDIR/S.out")" = 3 ]
	[ "$(grep '"type":"user"' "$BATS_TEST_TMPDIR/S.out" | jq -r .name | paste -sd ' ')" = "alice dave bob carol" ]
}

@test "export on the server refuses bad options (2) and an unknown type, leaving no file behind" {
	SIDE=S
	some_leads
	run --separate-stderr as alice export leads --headers fr
	assert_failure 2
	[[ "$stderr" == *"--headers: 'fr' is not zh or en"* ]] || fail "stderr: $stderr"
	run --separate-stderr as alice export gizmos
	assert_failure
	[[ "$stderr" == *gizmos* ]] || fail "stderr: $stderr"
	run --separate-stderr as alice export leads --where "nosuchfield = 1"
	assert_failure
	[ -z "$output" ]
	# -o: no file is left behind by a refused export
	run --separate-stderr as alice export leads --headers fr -o "$BATS_TEST_TMPDIR/q.csv"
	assert_failure 2
	[ ! -e "$BATS_TEST_TMPDIR/q.csv" ]
	run --separate-stderr as alice export leads --where "nosuchfield = 1" -o "$BATS_TEST_TMPDIR/q.csv"
	assert_failure
	[ ! -e "$BATS_TEST_TMPDIR/q.csv" ]
}

@test "export from the server into a file's import: the same leads, in a pipe" {
	SIDE=S
	some_leads
	fresh_db
	run bash -c "crm --db '$(pg_url "$DBNAME" alice)' export leads --format jsonl | crm -q import leads --format jsonl -"
	assert_success
	[ "$(crm lead list | jq -c '[.name, .phone, .budget, .owner]' | paste -sd ' ')" = \
		'["张伟","13812345678",15000,"alice"] ["李娜","13900000002",null,"bob"] ["王芳",null,null,"carol"]' ]
}

@test "config on the server: the admin sets and unsets, everyone reads; a rep's set is refused (5), a bad value (3)" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		{
			as alice config set company.name 杭州云启科技有限公司
			as alice config set approval.discount_over 15
			as bob config get company.name
			as carol config list
			as alice config unset approval.discount_over
			as alice config get approval.discount_over || echo "exit $?"
			as bob config set company.name mine 2>/dev/null || echo "exit $?"
			as alice config set approval.discount_over lots 2>/dev/null || echo "exit $?"
			as bob config get company.name
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	[ "$(sed -n 1p "$BATS_TEST_TMPDIR/S.out")" = 杭州云启科技有限公司 ]
	grep -qx 'exit 5' "$BATS_TEST_TMPDIR/S.out"
	grep -qx 'exit 3' "$BATS_TEST_TMPDIR/S.out"
	[ "$(pg_psql "$DBNAME" postgres "SELECT value FROM config WHERE key = 'company.name'")" = 杭州云启科技有限公司 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM config WHERE key = 'approval.discount_over'")" = 0 ]
}

@test "custom fields on the server: the admin adds and removes one, it is a lead field there; a rep is refused by crm (5) and by psql" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		{
			as alice field add lead wechat_group --kind enum --values 华东群,华南群
			as alice field add lead deposit --kind money
			as bob lead add name=李娜 wechat_group=华东群 deposit=1.5万
			as bob lead add name=王芳 wechat_group=西北群 2>/dev/null || echo "exit $?"
			as bob lead list --where "deposit >= 15000" | jq -c '{name, wechat_group, deposit}'
			as carol field list | jq -c '{record_type, name, kind}'
			as bob field add lead mine 2>/dev/null || echo "exit $?"
			as alice field rm lead deposit | jq -c .
			as bob lead show 1 | jq -c 'has("deposit")'
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	# 1.5万 = 15000.00 yuan (1500000 fen stored; --where reads yuan)
	grep -qx '{"name":"李娜","wechat_group":"华东群","deposit":15000}' "$BATS_TEST_TMPDIR/S.out"
	[ "$(grep -cx 'exit 3' "$BATS_TEST_TMPDIR/S.out")" = 1 ]
	grep -qx 'exit 5' "$BATS_TEST_TMPDIR/S.out"
	[ "$(tail -1 "$BATS_TEST_TMPDIR/S.out")" = false ]
	# the column is the owner's to alter: a rep's psql can neither call
	# the function nor alter the table; a left admin's call is refused
	run pg_psql "$DBNAME" bob "SELECT crm_field_column('lead', 'x', 'text', true)"
	assert_failure
	[[ "$output" == *"permission denied"* ]]
	run pg_psql "$DBNAME" bob "ALTER TABLE lead ADD COLUMN x text"
	assert_failure
	[[ "$output" == *"must be owner"* ]]
	pg_psql "$DBNAME" postgres "GRANT crm_admin TO bob" >/dev/null
	run pg_psql "$DBNAME" bob "SELECT crm_field_column('lead', 'x', 'text', true)"
	assert_failure
	[[ "$output" == *"only an admin"* ]]
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM information_schema.columns WHERE table_name = 'lead' AND column_name IN ('x', 'deposit')")" = 0 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM audit WHERE entity LIKE 'field:lead.%'")" = 3 ]
}

@test "team list and team show on the server print the file's lines; an unknown team exits 1" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		{
			as bob team list
			as alice team show east | jq -c '{name, role, team, manager}'
			as carol team show north 2>&1 || echo "exit $?"
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	[ "$(grep -c '"type":"team"' "$BATS_TEST_TMPDIR/S.out")" = 2 ]
	grep -q '"name":"bob","role":"rep","team":"east","manager":"dave"' "$BATS_TEST_TMPDIR/S.out"
	grep -qx 'exit 1' "$BATS_TEST_TMPDIR/S.out"
}

@test "thousands of leads exported and listed from the server, in batches of a cursor: the file's bytes, every boundary" {
	cc -O2 -std=c11 -o "$BATS_TEST_TMPDIR/gen" "$ROOT_DIR/tests/bench/gen.c"
	"$BATS_TEST_TMPDIR/gen" --rows 2600 --seed 11 -o "$BATS_TEST_TMPDIR/l.csv"
	fresh_db
	crm -q import leads "$BATS_TEST_TMPDIR/l.csv" >/dev/null 2>&1 || [ $? -eq 3 ]
	local n
	n=$(sqlite3 "$CRM_DB" "SELECT count(*) FROM lead")
	[ "$n" -gt 2000 ]
	# a database with no users: its owner (crm_admin) reads it all
	local db
	db="x$BATS_SUITE_TEST_NUMBER"
	pg_createdb "$db"
	crm migrate --from "$CRM_DB" --to "$(pg_url "$db")" >/dev/null
	local S
	S=$(pg_url "$db")
	cmp <(crm export leads) <(crm --db "$S" export leads) || fail "the export differs"
	cmp <(crm export leads --format jsonl --sort -id) <(crm --db "$S" export leads --format jsonl --sort -id) ||
		fail "the jsonl export differs"
	# exactly one batch, exactly two (the last fetch empty), one row more
	local k
	for k in 1000 2000 2001; do
		[ "$(crm --db "$S" lead list --limit "$k" | wc -l)" = "$k" ]
		cmp <(crm lead list --limit "$k" --sort name) <(crm --db "$S" lead list --limit "$k" --sort name) ||
			fail "list --limit $k differs"
	done
	[ "$(crm --db "$S" lead list | wc -l)" = "$n" ]
	# a list cut short by its reader (head) leaves the connection usable
	crm --db "$S" lead list | head -3 > /dev/null || true
	[ "$(crm --db "$S" lead list --where "id <= 5" | wc -l)" = 5 ]
}
