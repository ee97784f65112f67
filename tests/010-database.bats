#!/usr/bin/env bats
# Database location, creation, migration, concurrency, check, backup.
load helper

@test "the first command that needs a database creates it and says so once" {
	run --separate-stderr crm config list
	assert_success
	[ -f "$CRM_DB" ]
	[[ "$stderr" == *"created database $CRM_DB"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm config list
	[ -z "$stderr" ] || fail "second run said: $stderr"
}

@test "crm init PATH creates a database there and prints it as a record" {
	run --separate-stderr crm init "$BATS_TEST_TMPDIR/sub/dir/my.db"
	assert_success
	[ -f "$BATS_TEST_TMPDIR/sub/dir/my.db" ]
	[ "$(jq -r .type <<<"$output")" = database ]
	[ "$(jq -r .created <<<"$output")" = true ]
	run --separate-stderr crm init "$BATS_TEST_TMPDIR/sub/dir/my.db"
	assert_success
	[ "$(jq -r .created <<<"$output")" = false ]
	[[ "$stderr" == *"already exists"* ]] || fail "stderr: $stderr"
}

@test "database path: --db, then CRM_DB, then XDG_DATA_HOME, then ~/.local/share" {
	crm -q --db "$BATS_TEST_TMPDIR/a.db" config set x.y 1
	[ -f "$BATS_TEST_TMPDIR/a.db" ]
	crm -q config set x.y 2
	[ -f "$CRM_DB" ]
	unset CRM_DB
	XDG_DATA_HOME="$BATS_TEST_TMPDIR/xdg" crm -q config set x.y 3
	[ -f "$BATS_TEST_TMPDIR/xdg/crm/crm.db" ]
	crm -q config set x.y 4
	[ -f "$HOME/.local/share/crm/crm.db" ]
}

@test "a new database has WAL mode, foreign keys, and the default pipeline" {
	fresh_db
	[ "$(sqlite3 "$CRM_DB" 'PRAGMA journal_mode')" = wal ]
	run crm sql "SELECT key, probability FROM stage ORDER BY position"
	assert_success
	assert_line '{"key":"new","probability":10}'
	assert_line '{"key":"won","probability":100}'
	assert_line '{"key":"lost","probability":0}'
}

@test "a file that is not a database: exit 6 and a clear message" {
	echo "not a database at all, just text that is long enough to matter......" > "$BATS_TEST_TMPDIR/bad.db"
	run --separate-stderr crm --db "$BATS_TEST_TMPDIR/bad.db" config list
	assert_failure 6
	[[ "$stderr" == *"cannot open database"* ]] || fail "stderr: $stderr"
}

@test "an unreachable database path: exit 6" {
	run --separate-stderr crm --db /proc/nonexistent/x.db config list
	assert_failure 6
}

@test "an old-schema database is migrated forward after a backup copy" {
	cp "$TESTS_DIR/fixtures/schema-prev.db" "$BATS_TEST_TMPDIR/old.db"
	local before
	before=$(sqlite3 "$BATS_TEST_TMPDIR/old.db" 'PRAGMA user_version')
	# the fixture is the schema before the newest migration (numbers may
	# have gaps: tests/fixtures/make-fixture.sh)
	local prev
	prev=$(ls "$ROOT_DIR"/share/schema/*.sql | sed 's|.*/0*\([0-9][0-9]*\)-.*|\1|' | sort -n | tail -n 2 | head -n 1)
	[ "$before" -eq "$prev" ] ||
		fail "schema-prev.db is v$before, not v$prev: run tests/fixtures/make-fixture.sh"
	run --separate-stderr crm --db "$BATS_TEST_TMPDIR/old.db" config get currency
	assert_success
	assert_output 'USD'
	[[ "$stderr" == *"migrated"* ]] || fail "stderr: $stderr"
	ls "$BATS_TEST_TMPDIR"/old.db.v"$before"-*.bak
	local bak
	bak=$(ls "$BATS_TEST_TMPDIR"/old.db.v"$before"-*.bak)
	[ "$(sqlite3 "$bak" 'PRAGMA user_version')" = "$before" ]
	[ "$(sqlite3 "$BATS_TEST_TMPDIR/old.db" 'PRAGMA user_version')" -gt "$before" ]
	# The migrated database works for everything and kept its history.
	run crm --db "$BATS_TEST_TMPDIR/old.db" log --entity config:currency
	assert_success
	run crm --db "$BATS_TEST_TMPDIR/old.db" check
	assert_success
}

@test "a database newer than this crm is refused with exit 6" {
	fresh_db
	sqlite3 "$CRM_DB" 'PRAGMA user_version = 999'
	run --separate-stderr crm config list
	assert_failure 6
	[[ "$stderr" == *"newer than this crm"* ]] || fail "stderr: $stderr"
}

@test "two processes writing at once both finish without 'database is locked'" {
	fresh_db
	( for i in $(seq 1 40); do crm config set x.test.a "$i" || echo "FAIL a $i"; done ) > "$BATS_TEST_TMPDIR/a.out" 2>&1 &
	( for i in $(seq 1 40); do crm config set x.test.b "$i" || echo "FAIL b $i"; done ) > "$BATS_TEST_TMPDIR/b.out" 2>&1 &
	wait
	run cat "$BATS_TEST_TMPDIR/a.out" "$BATS_TEST_TMPDIR/b.out"
	refute_output --partial FAIL
	refute_output --partial locked
	[ "$(crm config get x.test.a)" = 40 ]
	[ "$(crm config get x.test.b)" = 40 ]
	[ "$(crm sql "SELECT count(*) AS n FROM audit WHERE entity LIKE 'config:x.test.%'" | jq .n)" = 80 ]
}

@test "a busy database past db.busy_timeout fails with exit 6, not a hang" {
	fresh_db
	crm config set db.busy_timeout 200
	# Another connection holds the write lock for 2 seconds.
	printf 'BEGIN IMMEDIATE;\nINSERT INTO config VALUES (%s, %s);\n.shell sleep 2\nCOMMIT;\n' \
		"'hold.lock'" "'1'" | sqlite3 "$CRM_DB" &
	sleep 0.5
	run --separate-stderr crm config set x.other 1
	wait
	assert_failure 6
	[[ "$stderr" == *"locked"* ]] || fail "stderr: $stderr"
	run crm config get x.other
	assert_failure 1
}

@test "crm check reports ok on a healthy database" {
	fresh_db
	run crm check
	assert_success
	assert_line '{"type":"check","check":"integrity","result":"ok"}'
	assert_line '{"type":"check","check":"foreign_keys","result":"ok"}'
}

@test "crm check exits 6 on a damaged database" {
	fresh_db
	crm config set x.b c
	sqlite3 "$CRM_DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
	# Overwrite pages 2 to 5 (table roots) with garbage.
	head -c 16384 /dev/urandom | dd of="$CRM_DB" bs=4096 seek=1 conv=notrunc 2>/dev/null
	run crm check
	assert_failure 6
}

@test "crm backup writes a usable copy next to the database by default" {
	fresh_db
	crm config set team.sales alice,bob
	run crm backup
	assert_success
	local path
	path=$(jq -r .path <<<"$output")
	[[ "$path" == "$BATS_TEST_TMPDIR/crm-backup-"*.db ]] || fail "path: $path"
	[ "$(crm --db "$path" config get team.sales)" = "alice,bob" ]
}

@test "crm backup FILE refuses to overwrite an existing file (exit 4)" {
	fresh_db
	crm backup "$BATS_TEST_TMPDIR/b.db" >/dev/null
	run --separate-stderr crm backup "$BATS_TEST_TMPDIR/b.db"
	assert_failure 4
	[[ "$stderr" == *"already exists"* ]] || fail "stderr: $stderr"
}

@test "crm backup is safe while another process writes" {
	fresh_db
	( for i in $(seq 1 30); do crm config set x.w "$i"; done ) &
	run crm backup "$BATS_TEST_TMPDIR/during.db"
	wait
	assert_success
	run crm --db "$BATS_TEST_TMPDIR/during.db" check
	assert_success
}

@test "the disk filling up in the middle of a write: exit 6, nothing half-written, no damage" {
	fresh_db
	crm lead add name=first >/dev/null
	for i in $(seq 1 4000); do printf '{"name":"客户%d","note":"%0200d"}\n' "$i" "$i"; done > "$BATS_TEST_TMPDIR/many.jsonl"
	# a file size limit stands in for a full disk: writes past it fail
	run --separate-stderr bash -c "trap '' XFSZ; ulimit -f 600; crm lead add < '$BATS_TEST_TMPDIR/many.jsonl' >/dev/null"
	assert_failure 6
	[[ "$stderr" == *"error"* ]] || fail "stderr: $stderr"
	[ "$(crm sql 'SELECT count(*) AS n FROM lead' | jq .n)" = 1 ]
	run crm check
	assert_success
}

@test "a pipe whose commands all find no database: created once, said once" {
	rm -f "$CRM_DB"*
	for i in 1 2 3 4 5 6 7 8; do
		rm -f "$CRM_DB"*
		crm lead add name=x 2>"$BATS_TEST_TMPDIR/e1" | crm lead update title=y 2>"$BATS_TEST_TMPDIR/e2" |
			crm tag add t 2>"$BATS_TEST_TMPDIR/e3" >/dev/null
		[ "$(cat "$BATS_TEST_TMPDIR"/e[123] | grep -c 'created database')" = 1 ] ||
			fail "run $i: $(cat "$BATS_TEST_TMPDIR"/e[123])"
	done
	[ "$(crm lead show 1 | jq -r '.title + " " + (.tags | join(","))')" = "y t" ]
}

# kill_writer [OPTS]: feed 200 leads through a FIFO to crm lead add OPTS,
# kill -9 it once it has printed some (--strict prints nothing before it
# commits at the end: once it has read them all), while the input is
# still open.
kill_writer() {
	fifo=$BATS_TEST_TMPDIR/in
	rm -f "$fifo"
	mkfifo "$fifo"
	crm "$@" lead add < "$fifo" > "$BATS_TEST_TMPDIR/out" &
	pid=$!
	exec 7> "$fifo"
	for i in $(seq 1 200); do printf '{"name":"客户%d","phone":"138%08d"}\n' "$i" "$i" >&7; done
	if [ "${1:-}" = --strict ]; then
		sleep 2
	else
		for _ in $(seq 1 100); do [ -s "$BATS_TEST_TMPDIR/out" ] && break; sleep 0.1; done
		[ -s "$BATS_TEST_TMPDIR/out" ]
	fi
	kill -9 "$pid"
	exec 7>&-
	wait "$pid" || true
}

@test "kill -9 in the middle of a --strict write leaves the database as it was" {
	fresh_db
	crm lead add name=first >/dev/null
	kill_writer --strict
	[ "$(crm sql 'SELECT count(*) AS n FROM lead' | jq .n)" = 1 ]
	[ ! -s "$BATS_TEST_TMPDIR/out" ]   # nothing printed that was not kept
	run crm check
	assert_success
	crm lead add name=after >/dev/null
	[ "$(crm sql 'SELECT count(*) AS n FROM lead' | jq .n)" = 2 ]
}

@test "kill -9 in the middle of a piped write keeps whole records, each with its audit entry" {
	fresh_db
	kill_writer
	n=$(crm sql 'SELECT count(*) AS n FROM lead' | jq .n)
	[ "$n" -le 200 ]
	[ "$(crm sql "SELECT count(*) AS n FROM audit WHERE action = 'insert'" | jq .n)" = "$n" ]
	[ "$(crm sql "SELECT count(*) AS n FROM lead WHERE phone IS NULL OR name IS NULL" | jq .n)" = 0 ]
	run crm check
	assert_success
}

@test "a database we may only read: lists work, writes fail with exit 6" {
	fresh_db
	crm lead add name=张伟 >/dev/null
	dir=$(mktemp -d /tmp/crm-ro.XXXXXX)
	chmod 755 "$dir"
	crm backup "$dir/ro.db" >/dev/null
	chmod 444 "$dir/ro.db"
	# root may write anything: read as nobody, with a copy of the binary
	# nobody can reach wherever the checkout is
	cp "$(readlink -f "$(command -v crm)")" "$dir/crm"
	chmod 755 "$dir/crm"
	chmod 555 "$dir"
	as_reader() {
		if [ "$(id -u)" = 0 ]; then
			su -s /bin/sh nobody -c "cd /; HOME=/tmp CRM_USER=reader '$dir/crm' --db '$dir/ro.db' $*"
		else
			(cd / && crm --db "$dir/ro.db" "$@")
		fi
	}
	run --separate-stderr as_reader lead list
	assert_success
	[ "$(jq -r .name <<<"$output")" = 张伟 ]
	run --separate-stderr as_reader lead add name=李娜
	assert_failure 6
	[[ "$stderr" == *"is read-only"* ]] || fail "stderr: $stderr"
	chmod 755 "$dir"
	rm -rf "$dir"
}
