#!/usr/bin/env bats
# Queries of the user's (crm sql, --where) are bounded in time, memory
# and the length of what they make.

load helper

local_setup() {
	fresh_db
	crm lead add name=甲 >/dev/null
}

@test "sql: a recursive CTE without end stops after query.timeout with exit 6" {
	crm config set query.timeout 1 >/dev/null
	SECONDS=0
	run --separate-stderr timeout 60 crm sql "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r) SELECT count(*) FROM r"
	assert_failure 6
	[[ "$stderr" == *"query took longer than 1 s"* ]] || fail "stderr: $stderr"
	[ -z "$output" ]
	[ "$SECONDS" -lt 8 ] || fail "took $SECONDS s"
}

@test "sql: the default time limit is 10 s, said in the message" {
	SECONDS=0
	run --separate-stderr timeout 60 crm sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 1000) SELECT count(*) AS n FROM n a, n b, n c, n d"
	assert_failure 6
	[[ "$stderr" == *"query took longer than 10 s"* ]] || fail "stderr: $stderr"
	[ "$SECONDS" -lt 20 ] || fail "took $SECONDS s"
}

@test "--where: a query without end stops after query.timeout" {
	crm config set query.timeout 1 >/dev/null
	run --separate-stderr timeout 60 crm lead list --where "id IN (WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r) SELECT i FROM r WHERE i < 0)"
	assert_failure 6
	[[ "$stderr" == *"query took longer than 1 s"* ]] || fail "stderr: $stderr"
	run --separate-stderr timeout 60 crm export lead --where "id IN (WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r) SELECT i FROM r WHERE i < 0)"
	assert_failure 6
}

@test "sql: the time limit counts SQLite's time, not a slow reader's" {
	crm config set query.timeout 1 >/dev/null
	# 3 rows read 1 s apart: 2 s in all, almost none of it in SQLite
	run sh -c 'crm sql "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < 3) SELECT i FROM r" | while read -r l; do sleep 1; echo "$l"; done'
	assert_success
	[ "$(echo "$output" | wc -l)" = 3 ]
}

@test "sql: a string past 32 MB is not made (printf gives NULL, other functions an error)" {
	run --separate-stderr crm sql "SELECT length(printf('%.*c', 100000000, 'x')) AS n, 1 AS one"
	assert_success
	[ "$(jqo .n)" = null ] || fail "made a string of $(jqo .n) bytes"
	run --separate-stderr crm sql "SELECT length(zeroblob(100000000)) AS n"
	assert_failure 6
	[[ "$stderr" == *"longer than 32 MB"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm sql "SELECT printf('%.*c', 1000000000, 'x') IS NULL AS cut"
	assert_success
	[ "$(jqo .cut)" = 1 ]
}

@test "sql: a query that grows the heap past 256 MB stops with exit 6" {
	crm config set query.timeout 120 >/dev/null
	run --separate-stderr timeout 60 crm sql "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r LIMIT 100000) SELECT count(*) AS n FROM (SELECT DISTINCT printf('%d%.*c', i, 8000, 'x') FROM r)"
	assert_failure 6
	[[ "$stderr" == *"more than 256 MB of memory"* ]] || fail "stderr: $stderr"
}

@test "sql: the bounds are lifted after the query (a big import still works)" {
	run crm sql "SELECT count(*) AS n FROM lead"
	assert_success
	[ "$(jqo .n)" = 1 ]
	run crm help sql
	assert_output --partial "query.timeout"
	assert_output --partial "256 MB"
	assert_output --partial "32 MB"
}
