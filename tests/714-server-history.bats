#!/usr/bin/env bats
# The team server (CLI.md 8.5): crm history and crm log read the audit
# log on the server as on a file. Each person reads it as their own
# login role; the server's row-level security keeps the entries of the
# records they may not see from them (as module_scope does on a file).
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
	pg_server_setup h
}

# A life for two leads: alice's lead 1 made, changed, noted; bob's lead 2.
some_history() {
	as alice lead add name="张伟" phone=13812345678 company="杭州云启科技有限公司" >/dev/null
	as alice lead update 1 status=working budget=2万 >/dev/null
	as bob lead add name="李娜" phone=13900000002 source=展会 >/dev/null
	as bob lead update 2 status=qualified >/dev/null
}

# the log's lines of leads, without the command line (it names the database)
lead_log() {
	jq -r 'select(.entity | startswith("lead:")) | [.id != null, .at, .user, .entity, .action, (.after | tostring)] | @tsv'
}

@test "crm history of a lead on the server prints what it prints on a file" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		some_history
		{
			as alice history lead:1
			as alice history lead:1 lead:2 --format table
			as bob history lead:2
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	# an insert and an update each for lead 1, in that order
	[ "$(head -2 "$BATS_TEST_TMPDIR/S.out" | jq -r .kind | paste -sd ' ')" = "insert update" ]
	[ "$(head -1 "$BATS_TEST_TMPDIR/S.out" | jq -r '"\(.entity) \(.user)"')" = "lead:1 alice" ]
}

@test "crm log on the server: the same entries of leads as on a file, newest first, --user, --entity, --since, --limit" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		some_history
		{
			as alice log | lead_log
			as alice log --user bob | lead_log
			as alice log --entity lead:1 --reverse | lead_log
			as alice log --since 1d --limit 2 | lead_log
			as alice log --since 2026-03-03 | lead_log
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	# 4 entries, 2 by bob, 2 of lead 1, the newest 2, none after the 3rd
	[ "$(wc -l < "$BATS_TEST_TMPDIR/S.out")" = 10 ]
	[ "$(head -1 "$BATS_TEST_TMPDIR/S.out" | cut -f4,5)" = "$(printf 'lead:2\tupdate')" ]
}

@test "a rep's history and log on the server hold only what they may see; psql as the rep reads the same" {
	SIDE=S
	some_history
	run --separate-stderr crm --db "$B" log
	assert_success
	assert_jsonl
	# bob's two entries of his lead, none of alice's lead 1
	[ "$(echo "$output" | jq -r 'select(.entity | startswith("lead:")) | .entity' | sort -u | paste -sd ' ')" = lead:2 ]
	[ "$(echo "$output" | jq -r 'select(.entity == "lead:2") | .action' | paste -sd ' ')" = "update insert" ]
	# the database itself refuses the rest: psql as bob
	[ "$(pg_psql "$DBNAME" bob "SELECT DISTINCT entity FROM audit WHERE entity LIKE 'lead:%'")" = lead:2 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(DISTINCT entity) FROM audit WHERE entity LIKE 'lead:%'")" = 2 ]
	# a lead of alice's: not visible (5); none at all (1)
	run --separate-stderr crm --db "$B" history lead:1
	assert_failure 5
	[[ "$stderr" == *"lead:1 is not visible to bob"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm --db "$B" history lead:99
	assert_failure 1
	[[ "$stderr" == *"no lead with id 99"* ]] || fail "stderr: $stderr"
	# carol has no lead: no entry of one
	run --separate-stderr crm --db "$(pg_url "$DBNAME" carol)" log --entity lead
	assert_failure 1
	[ -z "$output" ]
}

@test "history and log refuse bad input on the server as on a file, and write nothing" {
	SIDE=S
	some_history
	local n
	n=$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM audit")
	run --separate-stderr as alice log --since yesterdayish
	assert_failure 2
	[[ "$stderr" == *"--since: 'yesterdayish' is not a time or a span"* ]] || fail "stderr: $stderr"
	run --separate-stderr as alice history lead:x
	assert_failure
	[ -n "$stderr" ]
	run --separate-stderr as alice history
	assert_failure 2
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM audit")" = "$n" ]
}

@test "lead list piped into crm history on the server: each visible lead's life, as on a file" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		some_history
		as alice lead list | as alice history > "$BATS_TEST_TMPDIR/$side.out"
		as bob lead list | as bob history | jq -r .entity | sort -u > "$BATS_TEST_TMPDIR/$side.bob"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	diff "$BATS_TEST_TMPDIR/F.bob" "$BATS_TEST_TMPDIR/S.bob"
	[ "$(jq -r .entity "$BATS_TEST_TMPDIR/S.out" | sort -u | paste -sd ' ')" = "lead:1 lead:2" ]
	[ "$(cat "$BATS_TEST_TMPDIR/S.bob")" = lead:2 ]
}

@test "a password in the server URL is not written to the audit log: crm log shows it as ***" {
	local url
	url="$(pg_url "$DBNAME" alice)&password=s3cret"
	run --separate-stderr crm --db "$url" lead add name=张伟
	assert_success
	run --separate-stderr crm --db "$url" log --entity lead:1
	assert_success
	[[ "$(echo "$output" | jq -r .command)" == *"&password=***"* ]] || fail "command: $output"
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM audit WHERE command LIKE '%s3cret%'")" = 0 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM audit WHERE command LIKE '%password=***%'")" = 1 ]
}
