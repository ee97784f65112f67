#!/usr/bin/env bats
# crm sql: read-only queries under the authorizer.
load helper

local_setup() {
	fresh_db
}

@test "crm sql SELECT 1 AS x prints {\"x\":1}" {
	run crm sql "SELECT 1 AS x"
	assert_success
	assert_output '{"x":1}'
}

@test "crm sql prints types faithfully and leaves NULL out" {
	run crm sql "SELECT 'a\"b' AS s, 2.5 AS r, NULL AS n, x'ff00' AS b, '张伟' AS name"
	assert_success
	assert_output '{"s":"a\"b","r":2.5,"b":"ff00","name":"张伟"}'
}

@test "crm sql with no rows exits 1" {
	run crm sql "SELECT 1 WHERE 0"
	assert_failure 1
	assert_output ''
}

refused() {
	fresh_db
	crm config set x.keep yes
	local before
	before=$(sqlite3 "$CRM_DB" .dump | md5sum)
	run --separate-stderr crm sql "$1"
	assert_failure 5
	[[ "$stderr" == "crm: sql: refused"* ]] || fail "stderr: $stderr"
	[ "$(sqlite3 "$CRM_DB" .dump | md5sum)" = "$before" ] || fail "database changed"
}

@test "crm sql refuses DELETE (exit 5), database unchanged" {
	refused "DELETE FROM config"
}

@test "crm sql refuses UPDATE, INSERT, DROP, CREATE" {
	refused "UPDATE config SET value = 'x'"
	refused "INSERT INTO config VALUES ('a.b','c')"
	refused "DROP TABLE config"
	refused "CREATE TABLE t(x)"
}

@test "crm sql refuses ATTACH" {
	refused "ATTACH DATABASE '$BATS_TEST_TMPDIR/other.db' AS o"
}

@test "crm sql refuses PRAGMA writable_schema=1 and other pragmas" {
	refused "PRAGMA writable_schema=1"
	refused "PRAGMA user_version=5"
}

@test "crm sql refuses a second statement and load_extension" {
	refused "SELECT 1; DELETE FROM config"
	refused "SELECT load_extension('x')"
}

@test "crm sql reports a syntax error with exit 2" {
	run --separate-stderr crm sql "SELEC 1"
	assert_failure 2
	[[ "$stderr" == *"syntax error"* ]] || fail "stderr: $stderr"
}

@test "crm sql output pipes into jq" {
	fresh_db
	run bash -c "crm sql 'SELECT key, label FROM stage ORDER BY position' | jq -r .label | head -2"
	assert_success
	assert_output $'初步接触\n需求确认'
}
