#!/usr/bin/env bats
# The team server (CLI.md 8.5): crm --db postgresql://... import of leads,
# accounts, contacts, deals, products, activities and events (CSV, stdin,
# .xlsx with Chinese headers), import runs and import undo. The same commands on a file print
# the same lines; a bad file leaves nothing half written on the server; a
# rep's duplicates are the records their role sees. A throwaway cluster
# (tests/pg.bash) serves the whole file.
load helper
load pg

setup_file() {
	pg_start
}

teardown_file() {
	pg_stop
}

local_setup() {
	pg_server_setup i
	printf '姓名,手机,邮箱,预算,公司\n甲,13800000001,a@x.cn,5万,杭州云启\n乙,13800000002,,1000,宁波海纳\n甲二,138 0000 0001,,,\n丙,bad,,,\n丁,13800000004,d@x.cn,面议,北京长风\n' \
		> "$BATS_TEST_TMPDIR/s.csv"
}

# count TABLE [WHERE]: rows on the server, read as postgres (no policy)
count() {
	pg_psql "$DBNAME" postgres "SELECT count(*) FROM \"$1\"${2:+ WHERE $2}"
}

# a summary line without its time (the only part that differs)
untimed() {
	sed -E 's/; [0-9]+\.[0-9]+ s$//; s#'"$BATS_TEST_TMPDIR"'#DIR#g'
}

@test "import of a CSV file and of stdin prints on the server what it prints on a file; runs and undo too" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		{
			run --separate-stderr as alice import leads "$BATS_TEST_TMPDIR/s.csv" --errors "$BATS_TEST_TMPDIR/e.jsonl"
			echo "$status"
			echo "$output"
			untimed <<<"$stderr"
			jq -c 'del(.file, .staged)' "$BATS_TEST_TMPDIR/e.jsonl"
			as alice lead list
			run --separate-stderr as alice import leads - --print <<<$'name,phone,owner\n戊,13800000005,bob\n己,13800000001,\n'
			echo "$status"
			echo "$output"
			untimed <<<"$stderr"
			printf 'name,phone,region\n甲,13800000001,华东\n庚,13800000007,华南\n' > "$BATS_TEST_TMPDIR/u.csv"
			as alice import leads "$BATS_TEST_TMPDIR/u.csv" --on-duplicate update 2>&1 | untimed
			as alice import leads "$BATS_TEST_TMPDIR/u.csv" --on-duplicate merge --dry-run 2>&1 | untimed
			as alice lead show 1
			as alice import runs | jq -c 'del(.file, .staged)'
			as alice import undo 3
			as alice lead show 1
			as alice import runs --limit 1 | jq -c 'del(.file, .staged)'
			run --separate-stderr as alice import undo 3
			echo "$status $stderr"
			run --separate-stderr as alice import undo 1
			echo "$status $stderr"
			as alice import undo 1 --force
			as alice lead list
			as alice lead show 2 || echo "exit $?"
		} > "$BATS_TEST_TMPDIR/$side.out" 2>&1
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	cat "$BATS_TEST_TMPDIR/S.out"
	grep -q '^3$' "$BATS_TEST_TMPDIR/S.out"
	grep -q '3 inserted, 0 updated, 1 skipped (1 repeated in the file), 1 rejected' "$BATS_TEST_TMPDIR/S.out"
	grep -q '"status":"undone"' "$BATS_TEST_TMPDIR/S.out"
	# what the runs left on the server: the stdin run's two leads (one is
	# bob's), and 庚 of the update run; one audit entry per run
	[ "$(count lead "deleted_at IS NULL")" = 1 ]
	[ "$(count import_run)" = 3 ]
	[ "$(count audit "entity LIKE 'import:%' AND action = 'import'")" = 3 ]
}

@test "an .xlsx workbook with Chinese headers imports on the server as on a file" {
	local side
	SIDE=F
	local keep=$CRM_DB
	export CRM_DB=$BATS_TEST_TMPDIR/src.db
	pg_team_file
	crm --as alice lead add name=张伟 phone=13812345678 company=杭州云启 region=华东 budget=5万 >/dev/null
	crm --as alice lead add name=李娜 email=lina@example.com company=宁波海纳 source=展会 >/dev/null
	crm --as alice export leads --headers zh -o "$BATS_TEST_TMPDIR/l.xlsx"
	crm --as alice export leads --headers zh -o "$BATS_TEST_TMPDIR/l.csv"
	head -1 "$BATS_TEST_TMPDIR/l.csv" | grep -q 姓名
	export CRM_DB=$keep
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		{
			as alice import leads "$BATS_TEST_TMPDIR/l.xlsx" 2>&1 | untimed
			as alice import leads "$BATS_TEST_TMPDIR/l.xlsx" 2>&1 | untimed
			as alice lead list
			printf '客户名称,行业,地区\n杭州云启科技,SaaS,华东\n宁波海纳,贸易,华东\n杭州云启科技,SaaS,华东\n' > "$BATS_TEST_TMPDIR/a.csv"
			as alice import accounts "$BATS_TEST_TMPDIR/a.csv" 2>&1 | untimed
			printf '姓名,手机,account\n王芳,13900000003,1\n' > "$BATS_TEST_TMPDIR/c.csv"
			as alice import contacts "$BATS_TEST_TMPDIR/c.csv" 2>&1 | untimed
			printf 'name,sku,price\n普洱茶礼盒,PE-1,1280\n龙井,LJ-2,1.28万\n白茶,PE-1,300\n' > "$BATS_TEST_TMPDIR/p.csv"
			as alice import products "$BATS_TEST_TMPDIR/p.csv" 2>&1 | untimed
			printf 'name,account,amount,stage\n大单,1,10万,new\n小单,2,5000,qualified\n' > "$BATS_TEST_TMPDIR/d.csv"
			as alice import deals "$BATS_TEST_TMPDIR/d.csv" 2>&1 | untimed
			as alice account list || echo "exit $?"
			as alice contact list || echo "exit $?"
			as alice product list || echo "exit $?"
			as alice deal list || echo "exit $?"
			as alice report funnel || echo "exit $?"
		} > "$BATS_TEST_TMPDIR/$side.out" 2>&1
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	cat "$BATS_TEST_TMPDIR/S.out"
	[ "$(count lead)" = 2 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT name || '|' || region FROM lead WHERE id = 1")" = "张伟|华东" ]
	[ "$(count account)" = 2 ]
	[ "$(count deal)" = 2 ]
	[ "$(count lead "import_run = 1 AND import_line = 2")" = 1 ]
}

@test "bad input on the server: the file's message and exit code, nothing half written" {
	local side
	printf '\xef\xbb\xbf地区,行业\n华东,SaaS\n' > "$BATS_TEST_TMPDIR/noname.csv"
	printf 'name,phone\n甲,13800000001\n乙,bad\n' > "$BATS_TEST_TMPDIR/bad.csv"
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		{
			run --separate-stderr as alice import leads "$BATS_TEST_TMPDIR/noname.csv"
			echo "$status"; untimed <<<"$stderr"
			run --separate-stderr as alice import leads "$BATS_TEST_TMPDIR/bad.csv" --atomic
			echo "$status"; untimed <<<"$stderr"
			run --separate-stderr as alice import leads "$BATS_TEST_TMPDIR/none.csv"
			echo "$status"; untimed <<<"$stderr"
			run --separate-stderr as alice import leads "$BATS_TEST_TMPDIR/bad.csv" --dry-run
			echo "$status"; untimed <<<"$stderr"
			run --separate-stderr as alice import nosuch "$BATS_TEST_TMPDIR/bad.csv"
			echo "$status"; untimed <<<"$stderr"
			run --separate-stderr as alice import leads "$BATS_TEST_TMPDIR/bad.csv" --on-duplicate twice
			echo "$status"; untimed <<<"$stderr"
			run --separate-stderr as alice import undo 7
			echo "$status"; untimed <<<"$stderr"
			as alice lead list || echo "exit $?"
		} > "$BATS_TEST_TMPDIR/$side.out" 2>&1
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	cat "$BATS_TEST_TMPDIR/S.out"
	[ "$(grep -cE '^[0-9]+$' "$BATS_TEST_TMPDIR/S.out")" = 7 ]
	[ "$(grep -E '^[0-9]+$' "$BATS_TEST_TMPDIR/S.out" | paste -sd ' ')" = "3 3 1 3 2 2 1" ]
	[ "$(count lead)" = 0 ]
	[ "$(count audit "entity LIKE 'lead:%' OR entity LIKE 'import:%'")" = 0 ]
	[ "$(count import_run)" = 0 ]   # a run refused at its header is not kept
}

@test "activities and events import on the server as on a file: runs, undo and the records they made" {
	local side
	printf 'entity,kind,text,at\nlead:1,call,回电 约周三,2026-11-02T10:00:00+08:00\nlead:1,visit,拜访,2026-11-03T15:00:00+08:00\nlead:9,call,无此客户,2026-11-03T16:00:00+08:00\n' \
		> "$BATS_TEST_TMPDIR/act.csv"
	printf 'lead,name,at\n1,pricing_view,2026-11-04T09:00:00+08:00\n1,demo_request,2026-11-04T09:05:00+08:00\n' \
		> "$BATS_TEST_TMPDIR/ev.csv"
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		{
			as alice lead add name=甲 phone=13800000001 | jq -c '{id, name}'
			run --separate-stderr as alice import activities "$BATS_TEST_TMPDIR/act.csv"
			echo "$status"; untimed <<<"$stderr"
			as alice activity list --for lead:1 | jq -c '{entity, kind, text, at, owner}'
			run --separate-stderr as alice import events - <"$BATS_TEST_TMPDIR/ev.csv"
			echo "$status"; untimed <<<"$stderr"
			as alice import runs | jq -c '{id, record_type, status, inserted, rejected}'
			as alice import undo 1 2>&1 | untimed
			as alice activity list --for lead:1 | jq -c '{kind, text}'
		} > "$BATS_TEST_TMPDIR/$side.out" 2>&1
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	cat "$BATS_TEST_TMPDIR/S.out"
	# two activities of lead:1 made, lead:9's row rejected (exit 3)
	grep -q '2 inserted, 0 updated, 0 skipped, 1 rejected' "$BATS_TEST_TMPDIR/S.out"
	[ "$(grep -cE '^3$' "$BATS_TEST_TMPDIR/S.out")" = 1 ]
	grep -q '"record_type":"event","status":"finished","inserted":2' "$BATS_TEST_TMPDIR/S.out"
	# on the server: the run undone took its activities back; the events stay
	[ "$(count activity "deleted_at IS NULL AND kind IN ('call', 'visit')")" = 0 ]
	[ "$(count event)" = 2 ]
	[ "$(count audit "entity LIKE 'import:%' AND action = 'import'")" = 2 ]
}

@test "import --create-fields on the server: new fields as on a file, and only an admin's" {
	local side
	printf '姓名,手机,微信群,客户等级\n甲,13800000011,群1,A\n乙,13800000012,,B\n' > "$BATS_TEST_TMPDIR/cf.csv"
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		{
			run --separate-stderr as bob import leads "$BATS_TEST_TMPDIR/cf.csv" --create-fields
			echo "$status"; echo "$stderr"
			as alice field list lead || echo "exit $?"
			run --separate-stderr as alice import leads "$BATS_TEST_TMPDIR/cf.csv" --create-fields
			echo "$status"; untimed <<<"$stderr"
			as alice field list lead | jq -c '{name, kind}'
			as alice lead list --where "custom_2 = 'A'" | jq -c '{name, custom_1, custom_2}'
			as alice lead list --sort custom_2 | jq -r .name
		} > "$BATS_TEST_TMPDIR/$side.out" 2>&1
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	cat "$BATS_TEST_TMPDIR/S.out"
	# bob (a rep) may not change the schema: refused before a row is written
	[ "$(head -1 "$BATS_TEST_TMPDIR/S.out")" = 5 ]
	grep -qx "crm: import: settings are the admin's: bob is a rep" "$BATS_TEST_TMPDIR/S.out"
	grep -q "column '客户等级' goes to the new field custom_2" "$BATS_TEST_TMPDIR/S.out"
	grep -q '{"name":"甲","custom_1":"群1","custom_2":"A"}' "$BATS_TEST_TMPDIR/S.out"
	[ "$(count lead)" = 2 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM pg_attribute WHERE attrelid = 'lead'::regclass AND attname LIKE 'custom_%'")" = 2 ]
}

@test "a rep's import: duplicates are the records their role sees, the rows are theirs, runs are their own" {
	crm --db "$C" lead add name=卡罗的客户 phone=13800000001 >/dev/null
	crm --db "$B" lead add name=鲍勃的客户 phone=13800000002 >/dev/null
	printf 'name,phone\n新甲,13800000001\n新乙,13800000002\n新丙,13800000003\n' > "$BATS_TEST_TMPDIR/r.csv"
	run --separate-stderr crm --db "$B" import leads "$BATS_TEST_TMPDIR/r.csv" --errors "$BATS_TEST_TMPDIR/e.jsonl"
	assert_success
	# carol's lead is not bob's to see: not a duplicate of it; his own is
	[[ "$stderr" == *"2 inserted, 0 updated, 1 skipped, 0 rejected"* ]] || fail "stderr: $stderr"
	[ "$(jq -r .duplicate_of "$BATS_TEST_TMPDIR/e.jsonl")" = lead:2 ]
	[ "$(pg_psql "$DBNAME" bob "SELECT string_agg(name || ':' || owner, ' ' ORDER BY id) FROM lead")" = "鲍勃的客户:bob 新甲:bob 新丙:bob" ]
	[ "$(count lead "owner = 'carol'")" = 1 ]
	# --on-duplicate update touches only what bob may change
	printf 'name,phone,region\n新甲,13800000001,华东\n' > "$BATS_TEST_TMPDIR/u.csv"
	run --separate-stderr crm --db "$B" import leads "$BATS_TEST_TMPDIR/u.csv" --on-duplicate update
	assert_success
	[ "$(pg_psql "$DBNAME" postgres "SELECT coalesce(region, '-') FROM lead WHERE owner = 'carol'")" = - ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT region FROM lead WHERE name = '新甲'")" = 华东 ]
	# a row for another owner is refused by the server's policy: that row only
	printf 'name,phone,owner\n给卡罗,13800000009,carol\n自己的,13800000008,\n' > "$BATS_TEST_TMPDIR/o.csv"
	run --separate-stderr crm --db "$B" import leads "$BATS_TEST_TMPDIR/o.csv"
	assert_failure 3
	[[ "$stderr" == *"line 2"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"1 inserted, 0 updated, 0 skipped, 1 rejected"* ]] || fail "stderr: $stderr"
	[ "$(count lead "name = '给卡罗'")" = 0 ]
	[ "$(count lead "name = '自己的'")" = 1 ]
	# runs: bob's are bob's; carol sees none, alice all
	[ "$(crm --db "$B" import runs | jq -r .id | paste -sd ' ')" = "3 2 1" ]
	run --separate-stderr crm --db "$C" import runs
	assert_failure 1
	[ "$(crm --db "$A" import runs | jq -r .user | sort -u | paste -sd ' ')" = bob ]
	run --separate-stderr crm --db "$C" import undo 1
	assert_failure 1
	# bob undoes his first run: what it made goes, carol's and his own stay
	run --separate-stderr crm --db "$B" import undo 1
	assert_failure 4   # run 2 changed 新甲 since
	run --separate-stderr crm --db "$B" import undo 1 --force
	assert_success
	[ "$(count lead "name IN ('新甲', '新丙')")" = 0 ]
	[ "$(count lead "name IN ('卡罗的客户', '鲍勃的客户', '自己的')")" = 3 ]
}

@test "a rep's files in one import, one refused at its header: the others import, no run is left of it" {
	local side
	printf '地区,行业\n华东,SaaS\n' > "$BATS_TEST_TMPDIR/noname.csv"
	printf 'name,phone\n戊,13800000005\n' > "$BATS_TEST_TMPDIR/one.csv"
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		{
			run --separate-stderr as bob import leads "$BATS_TEST_TMPDIR/s.csv" "$BATS_TEST_TMPDIR/noname.csv" \
				"$BATS_TEST_TMPDIR/one.csv"
			# a server's sequence does not give the forgotten run's id again
			echo "$status"; untimed <<<"$stderr" | sed -E 's/run [0-9]+ \(crm import undo [0-9]+/run N (crm import undo N/'
			as bob import runs | jq -c '{status, inserted}'
			as bob lead list | jq -r .name
		} > "$BATS_TEST_TMPDIR/$side.out" 2>&1
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	cat "$BATS_TEST_TMPDIR/S.out"
	grep -q "one.csv: 1 inserted" "$BATS_TEST_TMPDIR/S.out"
	[ "$(count import_run)" = 2 ]
	[ "$(count import_run "line = 0")" = 0 ]
	# and a run that did something is not bob's to delete by psql
	[ "$(pg_psql "$DBNAME" bob "DELETE FROM import_run RETURNING id" | wc -l)" = 0 ]
	[ "$(count import_run)" = 2 ]
}

@test "import on the server in a pipe: stdin in, --print out into the next command" {
	printf 'name,phone,region\n甲,13800000001,华东\n乙,13800000002,华南\n' |
		crm --db "$A" import leads - --print | crm --db "$A" lead update owner=bob >/dev/null
	[ "$(pg_psql "$DBNAME" postgres "SELECT string_agg(owner, ' ' ORDER BY id) FROM lead")" = "bob bob" ]
	[ "$(crm --db "$B" lead list | jq -r .name | paste -sd ' ')" = "甲 乙" ]
	[ "$(count lead "import_run = 1")" = 2 ]
	# JSON lines from one server's export into another import
	run --separate-stderr bash -c "crm --db '$A' export leads --format jsonl | crm --db '$A' import leads - --format jsonl"
	assert_success
	[[ "$stderr" == *"0 inserted, 0 updated, 2 skipped"* ]] || fail "stderr: $stderr"
}

@test "kill -9 during an import on the server: its committed batches stay, --resume ends as an uninterrupted one" {
	{ echo 姓名,手机; for i in $(seq 1 4000); do printf '客户%d,139%08d\n' "$i" "$i"; done; } > "$BATS_TEST_TMPDIR/big.csv"
	crm --db "$B" import leads "$BATS_TEST_TMPDIR/big.csv" --batch 100 2>/dev/null &
	pid=$!
	for _ in $(seq 1 600); do
		n=$(pg_psql "$DBNAME" postgres "SELECT coalesce(max(line), 0) FROM import_run" 2>/dev/null)
		[ "${n:-0}" -gt 300 ] && break
		sleep 0.05
	done
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" || true
	[ "$(count lead)" -lt 4000 ] || skip "the import finished before it could be killed"
	# what is there is what the run says it reached
	[ "$(count lead)" = "$(pg_psql "$DBNAME" postgres "SELECT inserted FROM import_run")" ]
	run --separate-stderr crm --db "$B" import leads "$BATS_TEST_TMPDIR/big.csv" --resume
	assert_success
	[[ "$stderr" == *"resuming after line"* ]] || fail "stderr: $stderr"
	[ "$(count lead)" = 4000 ]
	[ "$(count lead "owner = 'bob' AND import_run = 1")" = 4000 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(DISTINCT phone) FROM lead")" = 4000 ]
	[ "$(crm --db "$B" import runs | jq -r '[.status, .inserted] | join(" ")')" = "finished 4000" ]
}
