#!/usr/bin/env bats
# The team server (CLI.md 8.5), the first commands that run on it: crm
# --db postgresql://... lead add, list, show, update, rm, --where and crm
# sql, each person acting as their own login role, the server's row-level
# security deciding what they see. The same commands on a file print the
# same lines. A throwaway cluster (tests/pg.bash) serves the whole file.
load helper
load pg

setup_file() {
	pg_start
}

teardown_file() {
	pg_stop
}

# a server (tests/pg.bash: its team, the clock pinned)
local_setup() {
	pg_server_setup l
}

# ids_psql USER [TABLE]: the ids USER's own role reads through psql
ids_psql() {
	local out
	out=$(pg_psql "$DBNAME" "$1" "SELECT id FROM \"${2:-lead}\" ORDER BY id") || return 1
	paste -sd ' ' <<<"$out"
}

# The same leads on one side: three of alice's, bob's and carol's.
some_leads() {
	as alice lead add name="张伟" phone=13812345678 company="杭州云启科技有限公司" budget=1.5万 tags=vip,华东 >/dev/null
	as bob lead add name="李娜" phone=13900000002 email=lina@example.com source=展会 >/dev/null
	as carol lead add name="王芳" company="宁波海纳贸易" status=working >/dev/null
}

@test "lead add, list and show on the server print what they print on a file" {
	local side out
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		run --separate-stderr as alice lead add name="张伟" phone=13812345678 company="杭州云启科技有限公司" budget=1.5万 tags=vip,华东
		assert_success
		assert_jsonl
		out="$output"
		run --separate-stderr as bob lead add name="李娜" phone=13900000002 email=lina@example.com source=展会
		assert_success
		out="$out"$'\n'"$output"
		run --separate-stderr as alice lead list
		assert_success
		assert_jsonl
		out="$out"$'\n'"$output"
		run --separate-stderr as alice lead show 1 2
		assert_success
		out="$out"$'\n'"$output"
		run --separate-stderr as alice lead list --format table
		assert_success
		out="$out"$'\n'"$output"
		echo "$out" > "$BATS_TEST_TMPDIR/$side.out"
	done
	# the server's lines are the file's, byte for byte
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	# and what crm wrote is on the server, in its tables
	[ "$(pg_psql "$DBNAME" postgres "SELECT name || '|' || owner || '|' || budget FROM lead WHERE id = 1")" = "张伟|alice|1500000" ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM audit WHERE entity LIKE 'lead:%' AND \"user\" IN ('alice', 'bob')")" = 2 ]
}

@test "a normalized projection of list, show and --where is the same on a file and on the server" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		some_leads
		{
			as alice lead list --json | jq -c '{id, name, owner, status, budget, tags}'
			as alice lead list --tag vip --sort -created_at --since 1d | jq -c '{id, name}'
			as alice lead list --where "has_tag('华东') AND budget >= 1万" | jq -c '{id, name}'
			as alice lead list --where "days_since(created_at) < 1 AND name LIKE '王%'" | jq -c '{id, name}'
			# SQLite's julianday, a server function there: a day is UTC midnight,
			# a time without offset UTC, 'now' the real clock (not CRM_NOW)
			as alice lead list --where "julianday(created_at) >= julianday('2026-03-02') AND julianday('now') - julianday(created_at) > 1" | jq -c '{id, name}'
			as alice lead list --where "julianday(created_at) < julianday('2026-03-02')" | jq -c '{id, name}'
			as alice sql "SELECT julianday('2026-03-02') AS d, julianday('2026-03-02T08:00:00+08:00') AS o, julianday('2026-03-02 12:00') AS t, julianday('不是日期') AS bad"
			as alice lead list --status working --owner carol | jq -c '{id, name}'
			as alice lead list --sort -name --limit 2 | jq -c '{id, name}'
			as bob lead show 2 | jq -c '{id, name, email, source}'
			as alice sql "SELECT id, name, budget, owner FROM lead ORDER BY id"
			as alice sql "SELECT owner, count(*) AS n FROM lead GROUP BY owner ORDER BY owner"
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/S.out")" -ge 18 ]
	# 2026-03-02 is Julian day 2461101.5; 08:00 at +08:00 is that midnight;
	# noon a half day on; a non-date NULL (left out, as NULLs are)
	grep -qxF '{"d":2461101.5,"o":2461101.5,"t":2461102}' "$BATS_TEST_TMPDIR/S.out"
}

@test "a rep sees only their own leads: list, show (exit 5 for another's), --where and crm sql" {
	SIDE=S
	some_leads
	run --separate-stderr crm --db "$B" lead list
	assert_success
	[ "$(echo "$output" | jq -r .id | paste -sd ' ')" = 2 ]
	run --separate-stderr crm --db "$C" lead list --where "name LIKE '%'"
	assert_success
	[ "$(echo "$output" | jq -r .id | paste -sd ' ')" = 3 ]
	run --separate-stderr crm --db "$B" lead show 1
	assert_failure 5
	[[ "$stderr" == *"lead:1 is not visible to bob"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm --db "$B" lead show 99
	assert_failure 1
	# crm sql on the server is bound by the same policies: a rep may run it
	run --separate-stderr crm --db "$B" sql "SELECT id, name FROM lead ORDER BY id"
	assert_success
	assert_output '{"id":2,"name":"李娜"}'
	run --separate-stderr crm --db "$B" sql "SELECT count(*) AS n FROM lead WHERE owner = 'alice'"
	assert_success
	assert_output '{"n":0}'
	# the admin sees all three
	run --separate-stderr crm --db "$A" lead list
	[ "$(echo "$output" | jq -r .id | paste -sd ' ')" = "1 2 3" ]
	# a lead's score is read where the lead is
	pg_psql "$DBNAME" postgres "INSERT INTO lead_score (id, score) VALUES (1, 10), (2, 20), (3, 30)"
	[ "$(ids_psql bob lead_score)" = 2 ]
	[ "$(ids_psql alice lead_score)" = "1 2 3" ]
	run --separate-stderr crm --db "$B" lead show 2
	assert_success
	[ "$(jqo .score)" = 20 ]
	# the acting user is the login role: --as is refused
	run --separate-stderr crm --db "$B" --as alice lead list
	assert_failure 2
	[[ "$stderr" == *"--as is refused on a server"* ]] || fail "stderr: $stderr"
}

@test "update and rm: one's own, not another rep's (exit 5, nothing written)" {
	SIDE=S
	some_leads
	run --separate-stderr crm --db "$B" lead update 2 status=working note="回电话"
	assert_success
	[ "$(jqo .status)" = working ]
	[ "$(jqo .note)" = "回电话" ]
	run --separate-stderr crm --db "$B" lead update 3 status=qualified
	assert_failure 5
	[[ "$stderr" == *"lead:3 is not visible to bob"* ]] || fail "stderr: $stderr"
	[ "$(pg_psql "$DBNAME" postgres "SELECT status FROM lead WHERE id = 3")" = working ]
	run --separate-stderr crm --db "$B" lead rm 1
	assert_failure 5
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM lead WHERE deleted_at IS NULL")" = 3 ]
	# what the database refuses by itself: bob's role changing carol's row
	run pg_psql "$DBNAME" bob "UPDATE lead SET status = 'qualified' WHERE id = 3 RETURNING id"
	assert_success
	assert_output ""
	run --separate-stderr crm --db "$B" lead rm 2
	assert_success
	[ "$(jqo .id)" = 2 ]
	run --separate-stderr crm --db "$B" lead show 2
	assert_failure 1
	[ "$(pg_psql "$DBNAME" postgres "SELECT deleted_at IS NOT NULL FROM lead WHERE id = 2")" = t ]
	# the admin changes anyone's
	run --separate-stderr crm --db "$A" lead update 3 status=qualified
	assert_success
	[ "$(pg_psql "$DBNAME" postgres "SELECT status FROM lead WHERE id = 3")" = qualified ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT string_agg(\"user\" || ':' || action, ',' ORDER BY id) FROM audit WHERE entity LIKE 'lead:%'")" = "alice:insert,bob:insert,carol:insert,bob:update,bob:remove,alice:update" ]
}

@test "a lead for another owner: a rep's is refused by the server's policy, the admin's is written" {
	SIDE=S
	run --separate-stderr crm --db "$B" lead add name="别人的" owner=carol
	assert_failure 5
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM lead")" = 0 ]
	run --separate-stderr crm --db "$A" lead add name="给卡罗尔" owner=carol
	assert_success
	run --separate-stderr crm --db "$C" lead list
	assert_success
	[ "$(jqo .name)" = "给卡罗尔" ]
}

@test "bad input: exit 3, nothing written, the same message as on a file" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		run --separate-stderr as bob lead add phone=13812345678
		assert_failure 3
		echo "$stderr" > "$BATS_TEST_TMPDIR/$side.err"
		run --separate-stderr as bob lead add name="李娜" status=nope
		assert_failure 3
		echo "$stderr" >> "$BATS_TEST_TMPDIR/$side.err"
		run --separate-stderr as bob lead add name="李娜" budget=很多
		assert_failure 3
		echo "$stderr" >> "$BATS_TEST_TMPDIR/$side.err"
	done
	diff "$BATS_TEST_TMPDIR/F.err" "$BATS_TEST_TMPDIR/S.err"
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM lead")" = 0 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM audit WHERE entity LIKE 'lead:%'")" = 0 ]
	# a duplicate phone: exit 4 naming the lead, as on a file
	crm --db "$B" lead add name="李娜" phone=13900000002 >/dev/null
	run --separate-stderr crm --db "$B" lead add name="李娜二" phone=13900000002
	assert_failure 4
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM lead")" = 1 ]
}

@test "JSON lines on stdin: a batch of adds, and list piped into update" {
	SIDE=S
	printf '%s\n' '{"name":"赵六","phone":"13700000001"}' '{"name":"钱七","status":"bogus"}' '{"name":"孙八"}' \
		> "$BATS_TEST_TMPDIR/in.jsonl"
	run --separate-stderr bash -c "crm --db '$B' lead add < '$BATS_TEST_TMPDIR/in.jsonl'"
	assert_failure 3
	[ "$(echo "$output" | jq -r .name | paste -sd ' ')" = "赵六 孙八" ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT string_agg(name, ' ' ORDER BY id) FROM lead")" = "赵六 孙八" ]
	crm --db "$C" lead add name="周九" >/dev/null
	run --separate-stderr bash -c "crm --db '$B' lead list --status new | crm --db '$B' lead update status=working"
	assert_success
	[ "$(echo "$output" | jq -r .status | sort -u)" = working ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT string_agg(name || ':' || status, ' ' ORDER BY id) FROM lead")" = "赵六:working 孙八:working 周九:new" ]
	# a line of another rep's lead in the pipe is refused, the others stand
	run --separate-stderr bash -c "crm --db '$A' lead list | crm --db '$B' lead update status=nurturing"
	assert_failure 5
	[[ "$stderr" == *"lead:3 is not visible to bob"* ]] || fail "stderr: $stderr"
	[ "$(pg_psql "$DBNAME" postgres "SELECT string_agg(name || ':' || status, ' ' ORDER BY id) FROM lead")" = "赵六:nurturing 孙八:nurturing 周九:new" ]
}

@test "--where and crm sql run read-only on the server: a function that writes is refused" {
	SIDE=S
	some_leads
	pg_psql "$DBNAME" postgres "CREATE FUNCTION sneaky() RETURNS integer LANGUAGE plpgsql AS \$\$ BEGIN DELETE FROM lead; RETURN 1; END \$\$"
	run --separate-stderr crm --db "$A" sql "SELECT sneaky()"
	assert_failure 5
	[[ "$stderr" == *"read-only"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm --db "$A" lead list --where "sneaky() = 1"
	assert_failure 5
	[[ "$stderr" == *"read-only"* ]] || fail "stderr: $stderr"
	# inside a write: the update of what --where chose stands, the query wrote nothing
	run --separate-stderr crm --db "$A" lead update --where "sneaky() = 1" status=working
	[ "$status" -ne 0 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM lead WHERE deleted_at IS NULL")" = 3 ]
	run --separate-stderr crm --db "$A" sql "DELETE FROM lead"
	assert_failure 5
	run --separate-stderr crm --db "$A" sql "SELECT id FROM lead ORDER BY id"
	assert_success
	[ "$(echo "$output" | wc -l)" = 3 ]
}

@test "CRM_DB and config db.url name the server as --db does" {
	SIDE=S
	some_leads
	CRM_DB="$B" run --separate-stderr crm lead list
	assert_success
	[ "$(jqo .name)" = "李娜" ]
	mkdir -p "$HOME/.config/crm"
	echo "db.url = $C" > "$HOME/.config/crm/config"
	unset CRM_DB
	run --separate-stderr crm lead list
	assert_success
	[ "$(jqo .name)" = "王芳" ]
}

@test "a login role that is no crm user cannot act (exit 5); a user who left neither" {
	SIDE=S
	pg_psql postgres postgres "CREATE ROLE mallory LOGIN"
	run --separate-stderr crm --db "$(pg_url "$DBNAME" mallory)" lead list
	assert_failure 5
	pg_psql "$DBNAME" postgres "UPDATE \"user\" SET status = 'left' WHERE name = 'carol'"
	run --separate-stderr crm --db "$C" lead add name="离职后"
	assert_failure 5
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM lead")" = 0 ]
}

@test "rm --purge on the server, check clean after; a server that is not there exits 6" {
	SIDE=S
	some_leads
	crm --db "$A" track 2 demo_request >/dev/null
	run --separate-stderr crm --db "$B" lead rm --purge 2
	assert_success
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM lead WHERE id = 2")" = 0 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM lead_score")" = 0 ]
	run --separate-stderr crm --db "$A" check
	assert_success
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM lead WHERE deleted_at IS NULL")" = 2 ]
	# a server that is not there: exit 6
	run --separate-stderr crm --db "postgresql:///nope?host=$PG_SOCK&user=alice" lead list
	assert_failure 6
	run --separate-stderr crm --db "postgresql:///nope?host=$PG_SOCK&user=alice" dedupe leads
	assert_failure 6
}

@test "ten writers at once, each as their own login role: no write lost, none refused, the audit log complete" {
	SIDE=S
	for i in $(seq 1 10); do crm server user add "w$i" --role rep --server "$URL" >/dev/null; done
	# 10 x 20 adds in parallel (the bench-sized run, 20 x 500, is in
	# BENCHMARKS.md); each line's exit status is kept
	for i in $(seq 1 10); do
		(
			for j in $(seq 1 20); do
				crm --db "$(pg_url "$DBNAME" "w$i")" lead add name="客户$i-$j" \
					phone="$(printf '139%02d%06d' "$i" "$j")" >/dev/null 2>>"$BATS_TEST_TMPDIR/err.$i"
				echo "$?" >> "$BATS_TEST_TMPDIR/rc.$i"
			done
		) &
	done
	wait
	[ "$(cat "$BATS_TEST_TMPDIR"/rc.* | sort | uniq -c | awk '{print $1 "x" $2}')" = 200x0 ] ||
		fail "exit statuses: $(cat "$BATS_TEST_TMPDIR"/rc.* | sort | uniq -c) $(cat "$BATS_TEST_TMPDIR"/err.*)"
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM lead")" = 200 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(DISTINCT owner) || ' ' || min(n) || ' ' || max(n) FROM (SELECT owner, count(*) AS n FROM lead GROUP BY owner) AS o")" = "10 20 20" ]
	# one audit entry per lead made, in its writer's name
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM audit AS a JOIN lead AS l ON a.entity = 'lead:' || l.id AND a.\"user\" = l.owner")" = 200 ]
	# and each writer sees their own twenty
	run crm --db "$(pg_url "$DBNAME" w7)" lead list
	[ "${#lines[@]}" = 20 ]
}

@test "shares on the server: the owner shares, the one shared with sees it (crm and psql); another rep's psql can neither share nor end it" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		some_leads
		{
			as bob lead show 3 2>/dev/null || echo "exit $?"
			as carol share lead:3 --with bob | jq -c '{entity, with, write, by}'
			as bob lead show 3 | jq -c '{id, name}'
			as bob lead update 3 status=lost 2>/dev/null || echo "exit $?"
			as bob share lead:1 --with carol 2>/dev/null || echo "exit $?"
			as bob share list | jq -c '{entity, with}'
			as bob share rm lead:3 --with bob | jq -c .
			as bob lead show 3 2>/dev/null || echo "exit $?"
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	[ "$(sed -n 3p "$BATS_TEST_TMPDIR/S.out")" = '{"id":3,"name":"王芳"}' ]
	[ "$(grep -c 'exit 5' "$BATS_TEST_TMPDIR/S.out")" = 4 ]
	# through psql: bob may not share alice's lead, nor carol's in his
	# own name; carol's share of her lead shows it to bob's psql
	run pg_psql "$DBNAME" bob "INSERT INTO share(record_type, record_id, shared_with, write, by, created_at) VALUES ('lead', 1, 'bob', 1, 'bob', '2026-03-02')"
	assert_failure
	[[ "$output" == *"row-level security"* ]]
	run pg_psql "$DBNAME" bob "INSERT INTO share(record_type, record_id, shared_with, write, by, created_at) VALUES ('lead', 3, 'bob', 1, 'carol', '2026-03-02')"
	assert_failure
	pg_psql "$DBNAME" carol "INSERT INTO share(record_type, record_id, shared_with, write, by, created_at) VALUES ('lead', 3, 'bob', 0, 'carol', '2026-03-02')" >/dev/null
	[ "$(ids_psql bob)" = "2 3" ]
	# alice's share of her lead with carol: bob's psql cannot end it
	crm --db "$A" share lead:1 --with carol >/dev/null
	[ "$(pg_psql "$DBNAME" bob "DELETE FROM share WHERE record_id = 1 RETURNING id" | wc -l)" = 0 ]
	[ "$(ids_psql carol)" = "1 3" ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM audit WHERE action IN ('share', 'unshare')")" = 3 ]
}

@test "the pool on the server: a rep claims and gives back through crm and psql; another's lead, a locked one or a write the policy hides are refused" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		some_leads
		as alice lead add name=无主 owner= >/dev/null
		as alice lead add name=锁定 owner= >/dev/null
		{
			as bob pool claim lead:4 | jq -c '{id, owner}'
			as carol pool claim lead:4 2>/dev/null || echo "exit $?"
			as bob pool release lead:4 | jq -c '{id, owner, previous_owner}'
			as alice pool lock lead:5 | jq -c '{id, locked_by}'
			as carol pool claim lead:5 2>/dev/null || echo "exit $?"
			as carol pool list | jq -c '{id, name}'
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	[ "$(sed -n 1p "$BATS_TEST_TMPDIR/S.out")" = '{"id":4,"owner":"bob"}' ]
	# bob's lead is not carol's to see (5); the locked one not to take (4)
	[ "$(grep '^exit' "$BATS_TEST_TMPDIR/S.out" | paste -sd ' ')" = "exit 5 exit 4" ]
	# psql: carol takes the free lead, not alice's, not the locked one
	[ "$(pg_psql "$DBNAME" carol "UPDATE lead SET owner = 'carol' WHERE id IN (1, 4, 5) RETURNING id")" = 4 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT id FROM lead WHERE owner = 'carol' ORDER BY id" | paste -sd ' ')" = "3 4" ]
	# giving it back by psql, she cannot name another as who had it: the
	# server's trigger writes who did (as the file's)
	[ "$(pg_psql "$DBNAME" carol "UPDATE lead SET owner = NULL, previous_owner = 'bob' WHERE id = 4 RETURNING previous_owner")" = carol ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT pooled_at IS NOT NULL FROM lead WHERE id = 4")" = t ]
	# bob reads the pool but may not edit what is in it (5, nothing written)
	run --separate-stderr crm --db "$B" lead update 5 name=改名
	assert_failure 5
	[[ "$stderr" == *"lead:5: bob may not change it"* ]] || fail "$stderr"
	[ "$(pg_psql "$DBNAME" postgres "SELECT name FROM lead WHERE id = 5")" = 锁定 ]
}
