#!/usr/bin/env bats
# crm backup without FILE: a new file every time, never an old one
# overwritten, however quickly the backups follow each other.
load helper

@test "crm backup twice in one second makes two files, each a full copy" {
	fresh_db
	crm -q lead add name=张伟 >/dev/null
	run crm backup
	assert_success
	a=$(jq -r .path <<<"$output")
	crm -q lead add name=李娜 >/dev/null
	run crm backup
	assert_success
	b=$(jq -r .path <<<"$output")
	[ "$a" != "$b" ] || fail "both backups went to $a"
	[ -f "$a" ] && [ -f "$b" ]
	[[ "$a" == "$BATS_TEST_TMPDIR/crm-backup-"*.db ]] || fail "path: $a"
	# the first copy still has one lead: it was not overwritten by the second
	[ "$(sqlite3 "$a" 'SELECT count(*) FROM lead')" = 1 ]
	[ "$(sqlite3 "$b" 'SELECT count(*) FROM lead')" = 2 ]
	[ "$(stat -c %a "$b")" = 600 ]
}

@test "ten backups in a row make ten files" {
	fresh_db
	for i in 1 2 3 4 5 6 7 8 9 10; do crm backup | jq -r .path; done > "$BATS_TEST_TMPDIR/paths"
	[ "$(sort -u "$BATS_TEST_TMPDIR/paths" | wc -l)" = 10 ]
	[ "$(ls "$BATS_TEST_TMPDIR"/crm-backup-*.db | wc -l)" = 10 ]
}

@test "backups running at the same time never share a file" {
	fresh_db
	for i in 1 2 3 4 5 6; do crm backup > "$BATS_TEST_TMPDIR/o$i" & done
	wait
	cat "$BATS_TEST_TMPDIR"/o? | jq -r .path | sort -u > "$BATS_TEST_TMPDIR/paths"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/paths")" = 6 ]
	while read -r p; do
		[ "$(sqlite3 "$p" 'PRAGMA integrity_check')" = ok ] || fail "$p is damaged"
	done < "$BATS_TEST_TMPDIR/paths"
}
