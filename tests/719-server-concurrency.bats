#!/usr/bin/env bats
# The team server (CLI.md 8.5) with many writers at once: a command that
# loses a deadlock to another writer runs again (a bounded number of
# times) instead of failing, and twenty writers, each as their own login
# role, lose nothing. A throwaway cluster (tests/pg.bash) serves the file.
load helper
load pg

setup_file() {
	pg_start
}

teardown_file() {
	pg_stop
}

local_setup() {
	pg_server_setup c
}

@test "a command that loses a deadlock runs again and succeeds; both writers' changes stand" {
	as alice lead add name=甲 >/dev/null
	as alice lead add name=乙 >/dev/null
	# psql takes lead 2, waits until crm holds lead 1 and waits for 2,
	# then asks for lead 1: a cycle. psql waits 10 s before it looks for
	# one, crm's session 1 s, so crm is the one the server breaks.
	pg_psql "$DBNAME" postgres "SELECT 1" >/dev/null
	{
		printf '%s\n' "SET deadlock_timeout = '10s';" "BEGIN;" \
			"UPDATE lead SET company = 'psql' WHERE id = 2;" \
			"\\! touch $BATS_TEST_TMPDIR/ready" \
			"SELECT pg_sleep(0.6);" \
			"UPDATE lead SET company = 'psql' WHERE id = 1;" \
			"COMMIT;"
	} | psql -X -q -v ON_ERROR_STOP=1 "$(pg_url "$DBNAME")" >/dev/null 2>"$BATS_TEST_TMPDIR/psql.err" &
	local i=0
	while [ ! -e "$BATS_TEST_TMPDIR/ready" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	run --separate-stderr as alice lead update 1 2 status=working </dev/null
	wait
	assert_success
	[ "${#lines[@]}" = 2 ]
	[ -z "$stderr" ]
	[ ! -s "$BATS_TEST_TMPDIR/psql.err" ] || fail "psql: $(cat "$BATS_TEST_TMPDIR/psql.err")"
	# there was a deadlock, and crm lost it
	grep -q "deadlock detected" "$PG_DIR/server.log"
	[ "$(pg_psql "$DBNAME" postgres "SELECT string_agg(id || ' ' || status || ' ' || company, ',' ORDER BY id) FROM lead")" = \
		"1 working psql,2 working psql" ]
	# each change once in the audit log
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM audit WHERE action = 'update'")" = 2 ]
}

@test "twenty writers at once, 500 writes each through a pipe: no write lost, no unexpected exit code, the audit log complete" {
	for i in $(seq 1 20); do crm server user add "w$i" --role rep --server "$URL" >/dev/null; done
	for i in $(seq 1 20); do
		(
			u="$(pg_url "$DBNAME" "w$i")"
			# 250 adds, then each of them updated: 500 writes
			for j in $(seq 1 250); do
				printf '{"name":"客户%d-%d","phone":"139%02d%06d"}\n' "$i" "$j" "$i" "$j"
			done | crm --db "$u" lead add 2>"$BATS_TEST_TMPDIR/err.$i" |
				crm --db "$u" lead update status=working >/dev/null 2>>"$BATS_TEST_TMPDIR/err.$i"
			echo "${PIPESTATUS[*]}" >"$BATS_TEST_TMPDIR/rc.$i"
		) &
	done
	wait
	[ "$(cat "$BATS_TEST_TMPDIR"/rc.* | sort -u)" = "0 0 0" ] ||
		fail "exit statuses: $(cat "$BATS_TEST_TMPDIR"/rc.*) $(cat "$BATS_TEST_TMPDIR"/err.*)"
	[ -z "$(cat "$BATS_TEST_TMPDIR"/err.*)" ] || fail "$(cat "$BATS_TEST_TMPDIR"/err.*)"
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) || ' ' || count(*) FILTER (WHERE status = 'working') FROM lead")" = "5000 5000" ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(DISTINCT owner) || ' ' || min(n) || ' ' || max(n) FROM (SELECT owner, count(*) AS n FROM lead GROUP BY owner) AS o")" = "20 250 250" ]
	# an audit entry for every write, in its writer's name
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM audit AS a JOIN lead AS l ON a.entity = 'lead:' || l.id AND a.\"user\" = l.owner")" = 10000 ]
	run crm --db "$(pg_url "$DBNAME" w7)" lead list
	[ "${#lines[@]}" = 250 ]
}
