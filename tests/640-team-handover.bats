#!/usr/bin/env bats
# CLI.md 8.1: crm user leave NAME (--to USER | --to-pool): one
# transaction, a summary line per type, the departed refused from then on
# (issue 16, acceptance 5).

load helper

local_setup() {
	fresh_db
	team_users
	crm lead add name=甲 --owner carol >/dev/null
	crm lead add name=乙 --owner carol >/dev/null
	crm lead add name=丙 --owner bob >/dev/null
	crm account add name=云启科技 --owner carol >/dev/null
	crm contact add name=张伟 account_id=1 --owner carol >/dev/null
	crm deal add name=大单 account_id=1 amount=80000 --owner carol >/dev/null
	crm task add --for lead:1 --title 回访 --owner carol >/dev/null
	crm task add --for lead:2 --title 已完成 --owner carol >/dev/null
	crm task done 2 >/dev/null
	crm --as carol note lead:1 "聊过" >/dev/null
	crm share lead:3 --with carol >/dev/null
}

owned_by() {
	crm sql "SELECT (SELECT count(*) FROM lead WHERE owner = '$1') + (SELECT count(*) FROM account WHERE owner = '$1') + (SELECT count(*) FROM contact WHERE owner = '$1') + (SELECT count(*) FROM deal WHERE owner = '$1') + (SELECT count(*) FROM task WHERE owner = '$1' AND status = 'open') AS n" | jq -r .n
}

@test "user leave --to: every lead, account, contact, deal and open task goes to bob; a line per type" {
	run --separate-stderr crm user leave carol --to bob
	assert_success
	assert_jsonl
	[ "$(echo "$output" | jq -r '"\(.record_type)=\(.count)"' | tr '\n' ' ')" = "lead=2 account=1 contact=1 deal=1 task=1 " ]
	[ "$(echo "$output" | jq -r '"\(.type) \(.from) \(.to)"' | sort -u)" = "handover carol bob" ]
	[ "$(owned_by carol)" = 0 ]
	[ "$(owned_by bob)" = 7 ]   # 2 + 1 (lead:3) leads, 1 account, 1 contact, 1 deal, 1 open task
	# what is done, and what she did, stays hers
	run crm task list --status done
	[ "$(jqo '"\(.id) \(.owner)"')" = "2 carol" ]
	run crm activity list
	[ "$(jqo .owner)" = carol ]
	run crm user show carol
	[ "$(jqo .status)" = left ]
	[ "$(jqo .left_at)" != null ]
	# each record's history shows it
	run crm history lead:1
	assert_output --partial "handed over: owner: carol → bob (carol left: to bob)"
	run crm history deal:1
	assert_output --partial "handed over"
	# what was shared with her ends
	run crm share list --with carol
	assert_failure 1
}

@test "after leaving, --as carol exits 5 on every command but help and version" {
	crm user leave carol --to bob >/dev/null
	run crm --as carol lead list
	assert_failure 5
	assert_output --partial "carol has left"
	run crm --as carol lead add name=丁
	assert_failure 5
	run crm --as carol help
	assert_success
	run crm sql "SELECT count(*) AS n FROM lead"
	assert_output '{"n":3}'
}

@test "user leave --to-pool: leads and accounts to the pool (previous_owner), the rest to the manager" {
	crm rule add seen --on pool.released --do "tag add 离职退回" >/dev/null
	run --separate-stderr crm user leave carol --to-pool
	assert_success
	[ "$(echo "$output" | jq -r 'select(.to_pool) | "\(.record_type)=\(.count)"' | tr '\n' ' ')" = "lead=2 account=1 " ]
	[ "$(echo "$output" | jq -r 'select(.to) | "\(.record_type)=\(.count):\(.to)"' | tr '\n' ' ')" = "contact=1:dave deal=1:dave task=1:dave " ]
	run crm lead show 1
	[ "$(jqo '"\(.owner) \(.previous_owner) \(.tags | join(","))"')" = "null carol 离职退回" ]
	run crm --as bob pool list --type account
	[ "$(jqo .name)" = 云启科技 ]
}

@test "user leave --to-pool with no manager to take the rest: exit 4, nothing moved" {
	crm user update carol manager= >/dev/null
	run crm user leave carol --to-pool
	assert_failure 4
	assert_output --partial "no manager"
	[ "$(owned_by carol)" = 6 ]
	run crm user show carol
	[ "$(jqo .status)" = active ]
}

@test "user leave refusals: usage (2), unknown (1), --to unknown or self (3), left already (4), a rep (5), the last admin (4)" {
	run crm user leave carol
	assert_failure 2
	run crm user leave carol --to bob --to-pool
	assert_failure 2
	run crm user leave nobody --to bob
	assert_failure 1
	run crm user leave carol --to nobody
	assert_failure 3
	run crm user leave carol --to carol
	assert_failure 3
	run crm --as bob user leave carol --to bob
	assert_failure 5
	run crm user leave alice --to dave
	assert_failure 4
	assert_output --partial "no admin"
	[ "$(owned_by carol)" = 6 ]
	crm user leave carol --to bob >/dev/null
	run crm user leave carol --to dave
	assert_failure 4
	assert_output --partial "left already"
}

@test "user leave killed part way: nothing moved, or everything; never half (acceptance 5)" {
	n=3000
	sqlite3 "$CRM_DB" "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $n)
		INSERT INTO lead(name, owner, status, created_at, updated_at)
		SELECT 'L' || i, 'carol', 'new', '2026-01-01T00:00:00+08:00', '2026-01-01T00:00:00+08:00' FROM s;
		PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
	total=$((n + 6))
	[ "$(owned_by carol)" = "$total" ]
	# how much CPU the whole handover takes here, on a copy: the kill comes
	# at half of it (CPU time, not the wall clock, which others' load bends)
	cp "$CRM_DB" "$BATS_TEST_TMPDIR/copy.db"
	TIMEFORMAT='%3U %3S'
	{ time CRM_DB=$BATS_TEST_TMPDIR/copy.db crm user leave carol --to bob >/dev/null; } 2> "$BATS_TEST_TMPDIR/cpu"
	hz=$(getconf CLK_TCK)
	half=$(awk -v hz="$hz" '{ t = ($1 + $2) * hz / 2; print (t < 2 ? 2 : int(t)) }' "$BATS_TEST_TMPDIR/cpu")
	crm user leave carol --to bob > "$BATS_TEST_TMPDIR/out" &
	pid=$!
	while used=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null) && [ "$used" -lt "$half" ]; do
		sleep 0.01
	done
	kill -9 "$pid" 2>/dev/null || fail "the handover ended before it could be killed"
	wait "$pid" || st=$?
	[ "${st:-0}" -eq 137 ] || fail "not killed: exit ${st:-0}"
	[ ! -s "$BATS_TEST_TMPDIR/out" ] || fail "a killed handover printed: $(cat "$BATS_TEST_TMPDIR/out")"
	moved=$(owned_by bob)
	left=$(owned_by carol)
	[ "$left" = "$total" ] && [ "$moved" = 1 ] || [ "$left" = 0 ] || fail "half a handover: carol $left, bob $moved"
	run crm user show carol
	[ "$(jqo .status)" = active ]
	# and done again, it is done whole
	run crm user leave carol --to bob
	assert_success
	[ "$(owned_by carol)" = 0 ]
	[ "$(echo "$output" | jq -r 'select(.record_type == "lead") | .count')" = $((n + 2)) ]
}
