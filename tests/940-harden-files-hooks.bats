#!/usr/bin/env bats
# Files crm makes are 0600 whatever the umask; backups are never written
# through a symlink and appear whole or not at all; export -o leaves no
# file behind when it fails; hooks others may change are refused, a hung
# hook is killed after hooks.timeout, and failures show in crm log.

load helper

local_setup() {
	mkdir -p "$HOME/.config/crm/hooks"
}

hook() {
	printf '#!/bin/sh\n%s\n' "$2" > "$HOME/.config/crm/hooks/on-$1"
	chmod 755 "$HOME/.config/crm/hooks/on-$1"
}

mode() {
	stat -c %a "$1"
}

@test "files: database, -wal, -shm, backup and export are 0600 under umask 000" {
	umask 000
	fresh_db
	crm lead add name=甲 >/dev/null
	# a reader keeps the -wal and -shm while we look at them
	mkfifo "$BATS_TEST_TMPDIR/hold"
	( exec sqlite3 "$CRM_DB" < "$BATS_TEST_TMPDIR/hold" >/dev/null 2>&1 3>&- ) &
	exec 5>"$BATS_TEST_TMPDIR/hold"
	echo 'SELECT count(*) FROM lead;' >&5
	crm lead add name=乙 >/dev/null
	[ "$(mode "$CRM_DB")" = 600 ] || fail "db $(mode "$CRM_DB")"
	[ "$(mode "$CRM_DB-wal")" = 600 ] || fail "wal $(mode "$CRM_DB-wal")"
	[ "$(mode "$CRM_DB-shm")" = 600 ] || fail "shm $(mode "$CRM_DB-shm")"
	exec 5>&-
	wait
	crm backup "$BATS_TEST_TMPDIR/b.db" >/dev/null
	[ "$(mode "$BATS_TEST_TMPDIR/b.db")" = 600 ]
	crm export lead -o "$BATS_TEST_TMPDIR/e.csv"
	[ "$(mode "$BATS_TEST_TMPDIR/e.csv")" = 600 ]
	crm export lead -o "$BATS_TEST_TMPDIR/e.xlsx"
	[ "$(mode "$BATS_TEST_TMPDIR/e.xlsx")" = 600 ]
	ls "$BATS_TEST_TMPDIR" | grep -v -q 'tmp-' || true
	! ls "$BATS_TEST_TMPDIR" | grep -q '\.tmp-'
}

@test "backup: refuses to write through a symlink, exit 4, the target untouched" {
	fresh_db
	crm lead add name=甲 >/dev/null
	echo "precious" > "$BATS_TEST_TMPDIR/victim"
	ln -s "$BATS_TEST_TMPDIR/victim" "$BATS_TEST_TMPDIR/b.db"
	run --separate-stderr crm backup "$BATS_TEST_TMPDIR/b.db"
	assert_failure 4
	[[ "$stderr" == *"symbolic link"* ]] || fail "stderr: $stderr"
	[ "$(cat "$BATS_TEST_TMPDIR/victim")" = precious ]
	# a dangling link is refused too (no file made at its target)
	ln -s "$BATS_TEST_TMPDIR/nothing-here" "$BATS_TEST_TMPDIR/c.db"
	run --separate-stderr crm backup "$BATS_TEST_TMPDIR/c.db"
	assert_failure 4
	[ ! -e "$BATS_TEST_TMPDIR/nothing-here" ]
	! ls "$BATS_TEST_TMPDIR" | grep -q '\.tmp-'
}

@test "backup: a whole database under the name, nothing left under a temporary one" {
	fresh_db
	crm lead add name=甲 >/dev/null
	run crm backup "$BATS_TEST_TMPDIR/b.db"
	assert_success
	run sqlite3 "$BATS_TEST_TMPDIR/b.db" "SELECT name FROM lead"
	assert_output 甲
	! ls "$BATS_TEST_TMPDIR" | grep -q '\.tmp-'
	run --separate-stderr crm backup "$BATS_TEST_TMPDIR/b.db"
	assert_failure 4
}

@test "hooks: a hook writable by group or others is refused with a message, not run" {
	fresh_db
	hook lead.created "touch '$BATS_TEST_TMPDIR/ran'"
	chmod 775 "$HOME/.config/crm/hooks/on-lead.created"
	run --separate-stderr crm lead add name=甲
	assert_success
	[[ "$stderr" == *"writable by group or others"* ]] || fail "stderr: $stderr"
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	chmod 757 "$HOME/.config/crm/hooks/on-lead.created"
	run --separate-stderr crm lead add name=乙
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	chmod 755 "$HOME/.config/crm/hooks/on-lead.created"
	run --separate-stderr crm lead add name=丙
	[ -e "$BATS_TEST_TMPDIR/ran" ]
	run crm log --entity hook
	assert_success
	[[ "$output" == *"hook_refused"* ]] || fail "log: $output"
}

@test "hooks: a hung hook is killed after hooks.timeout, the command ends, the log says so" {
	fresh_db
	crm config set hooks.timeout 1 >/dev/null
	hook lead.created "sleep 300"
	SECONDS=0
	run --separate-stderr crm lead add name=甲
	assert_success
	[ "$SECONDS" -lt 10 ] || fail "took $SECONDS s"
	[[ "$stderr" == *"on-lead.created"*"longer than 1 s"* ]] || fail "stderr: $stderr"
	[ "$(jqo .name)" = 甲 ]
	run crm log --entity hook
	assert_success
	[[ "$output" == *"hook_killed"* ]] || fail "log: $output"
	[[ "$output" == *"lead:1"* ]] || fail "log: $output"
}

@test "hooks: a hook that reads nothing of a big record does not hang crm" {
	fresh_db
	crm config set hooks.timeout 2 >/dev/null
	hook lead.created "sleep 300"
	note=$(head -c 100000 /dev/zero | tr '\0' x)
	SECONDS=0
	run --separate-stderr crm lead add name=甲 note="$note"
	assert_success
	[ "$SECONDS" -lt 12 ] || fail "took $SECONDS s"
}

@test "hooks: a failed hook is in crm log" {
	fresh_db
	hook lead.created "exit 3"
	run --separate-stderr crm lead add name=甲
	assert_success
	run crm log --entity hook
	assert_success
	[[ "$output" == *"hook_failed"* ]] || fail "log: $output"
	[[ "$output" == *"exit 3"* ]] || fail "log: $output"
}

@test "export -o: a failed export leaves no file behind" {
	fresh_db
	crm lead add name=甲 >/dev/null
	crm config set query.timeout 1 >/dev/null
	run --separate-stderr timeout 60 crm export lead -o "$BATS_TEST_TMPDIR/e.csv" \
		--where "id IN (WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r) SELECT i FROM r WHERE i < 0)"
	assert_failure 6
	[ ! -e "$BATS_TEST_TMPDIR/e.csv" ]
	! ls "$BATS_TEST_TMPDIR" | grep -q '\.tmp-'
}
