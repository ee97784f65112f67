#!/usr/bin/env bats
# A full disk: nothing is printed that a failed commit took back (an id
# printed by lead add, values printed by lead update that never were
# stored), the exit status is 6, and the database is whole afterwards.
# The database lives on a small tmpfs this test mounts, so it needs root.

load helper

local_setup() {
	FD="$BATS_TEST_TMPDIR/fd"
	mkdir -p "$FD"
	if [ "$(id -u)" != 0 ]; then
		skip "the full-disk tests mount a tmpfs: run them as root"
	fi
	if ! mount -t tmpfs -o size=2m tmpfs "$FD" 2>/dev/null; then
		skip "the full-disk tests could not mount a tmpfs here (no CAP_SYS_ADMIN)"
	fi
	MOUNTED=1
	export CRM_DB="$FD/crm.db"
	fresh_db
	crm lead add name=甲 phone=13800138000 >/dev/null
	crm lead add name=乙 phone=13900139000 >/dev/null
	# Another connection keeps the -wal and -shm files in place: a crm
	# that cannot create them cannot open the database at all, which is
	# not what we test here (the COMMIT that fails).
	mkfifo "$BATS_TEST_TMPDIR/holder"
	( exec sqlite3 "$CRM_DB" < "$BATS_TEST_TMPDIR/holder" >/dev/null 2>&1 3>&- ) &
	HOLDER=$!
	exec 5>"$BATS_TEST_TMPDIR/holder"
	echo 'SELECT count(*) FROM lead;' >&5
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		[ -e "$CRM_DB-shm" ] && break
		sleep 0.1
	done
	NOTE=$(head -c 90000 /dev/urandom | base64 -w0)
}

teardown() {
	if [ -n "${HOLDER:-}" ]; then
		exec 5>&-   # its end of input: the holder exits
		wait "$HOLDER" 2>/dev/null
	fi
	if [ -n "${MOUNTED:-}" ]; then
		umount "$FD" 2>/dev/null || umount -l "$FD" 2>/dev/null || true
	fi
	true
}

fill() {
	dd if=/dev/zero of="$FD/fill" bs=4k 2>/dev/null || true
}

unfill() {
	rm -f "$FD/fill"
}

# The database is whole and holds what it held before the disk filled.
assert_whole() {
	unfill
	run crm check
	assert_success
	run crm sql "SELECT group_concat(name, ',') AS names FROM lead ORDER BY id"
	assert_success
	[ "$(jqo .names)" = "甲,乙" ] || fail "leads now: $output"
}

@test "full disk: lead add prints no id of a lead that was rolled back" {
	fill
	run --separate-stderr crm lead add name=丙 note="$NOTE"
	assert_failure 6
	[ -z "$output" ] || fail "printed: ${output:0:120}"
	[[ "$stderr" == *"full"* ]] || fail "stderr: $stderr"
	assert_whole
}

@test "full disk: lead update prints no value that was never stored" {
	fill
	run --separate-stderr crm lead update 1 name=丁 note="$NOTE"
	assert_failure 6
	[ -z "$output" ] || fail "printed: ${output:0:120}"
	assert_whole
}

@test "full disk: lead list | lead update prints nothing and exits 6" {
	fill
	run --separate-stderr sh -c 'crm lead list --format jsonl | crm lead update note="$1"' sh "$NOTE"
	assert_failure 6
	[ -z "$output" ] || fail "printed: ${output:0:120}"
	assert_whole
}

@test "full disk: --strict update prints nothing and exits 6" {
	fill
	run --separate-stderr sh -c 'crm lead list --format jsonl | crm --strict lead update note="$1"' sh "$NOTE"
	assert_failure 6
	[ -z "$output" ] || fail "printed: ${output:0:120}"
	assert_whole
}

@test "full disk: import --print prints nothing and exits 6" {
	{
		echo "name,phone,note"
		for i in $(seq 1 40); do echo "客户$i,1370000$(printf %04d "$i"),$NOTE"; done
	} > "$BATS_TEST_TMPDIR/leads.csv"
	fill
	run --separate-stderr crm import lead "$BATS_TEST_TMPDIR/leads.csv" --print
	assert_failure 6
	[ -z "$output" ] || fail "printed: ${output:0:120}"
	assert_whole
}

@test "full disk: export -o leaves no empty or half file behind" {
	for i in $(seq 1 4); do echo "{\"name\":\"客户$i\",\"note\":\"${NOTE:0:40000}\"}"; done | crm -q lead add >/dev/null
	fill
	run --separate-stderr crm export lead -o "$FD/out.csv"
	assert_failure 6
	[ ! -e "$FD/out.csv" ] || fail "left $(stat -c %s "$FD/out.csv") bytes"
	! ls "$FD" | grep -q '\.tmp-'
	unfill
}
