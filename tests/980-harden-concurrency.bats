#!/usr/bin/env bats
# 8 at once: writers adding and updating leads, readers listing and
# reporting, one importer; every write lands once and is audited once,
# no reader fails, the database checks clean. And an interactive writer
# waits milliseconds, not seconds, behind a long import.

load helper

local_setup() {
	fresh_db
}

@test "8 writers and readers at the same time: counts and audit add up" {
	W="$BATS_TEST_TMPDIR/w"
	mkdir -p "$W"
	for w in 1 2 3 4; do
		(
			for i in $(seq 1 40); do echo "{\"name\":\"w${w}客户$i\",\"phone\":\"13${w}$(printf %08d "$i")\"}"; done |
				crm -q lead add > "$W/add$w.out" 2> "$W/add$w.err"
			echo $? > "$W/add$w.rc"
		) 3>&- &
	done
	{
		echo "name,phone"
		for i in $(seq 1 100); do echo "导入$i,137$(printf %08d "$i")"; done
	} > "$BATS_TEST_TMPDIR/imp.csv"
	( crm -q import lead "$BATS_TEST_TMPDIR/imp.csv" --batch 10 > /dev/null 2> "$W/imp.err"; echo $? > "$W/imp.rc" ) 3>&- &
	( for i in $(seq 1 5); do crm lead list --format jsonl --where "name LIKE 'w1%'" | crm -q lead update region=上海 >/dev/null || echo "upd $?" >> "$W/upd.err"; done; echo 0 > "$W/upd.rc" ) 3>&- &
	for r in 1 2; do
		( for i in $(seq 1 8); do
			crm lead list --format jsonl >/dev/null || { rc=$?; [ "$rc" = 1 ] || echo "list $rc" >> "$W/read$r.err"; }
			crm report sources --format jsonl >/dev/null || { rc=$?; [ "$rc" = 1 ] || echo "report $rc" >> "$W/read$r.err"; }
		done; echo 0 > "$W/read$r.rc" ) 3>&- &
	done
	wait
	for f in "$W"/*.rc; do
		[ "$(cat "$f")" = 0 ] || fail "$(basename "$f"): $(cat "$f") $(cat "${f%.rc}.err" 2>/dev/null)"
	done
	for f in "$W"/read*.err "$W"/upd.err; do
		[ ! -s "$f" ] || fail "$(basename "$f"): $(cat "$f")"
	done
	# 4 x 40 added + 100 imported = 260 leads, each inserted and audited once
	run crm sql "SELECT count(*) AS n, count(DISTINCT phone) AS phones FROM lead"
	[ "$(jqo .n)" = 260 ] || fail "$output"
	[ "$(jqo .phones)" = 260 ] || fail "$output"
	# each added lead audited once, the import once for its 100 (issue 20)
	run crm sql "SELECT count(*) AS n FROM audit WHERE action = 'insert' AND entity LIKE 'lead:%'"
	[ "$(jqo .n)" = 160 ] || fail "$output"
	run crm sql "SELECT count(*) AS n FROM audit WHERE action = 'import'"
	[ "$(jqo .n)" = 1 ] || fail "$output"
	run crm sql "SELECT count(*) AS n FROM lead WHERE import_run = 1"
	[ "$(jqo .n)" = 100 ] || fail "$output"
	# every lead add printed each of its leads once, with its real id
	cat "$W"/add*.out | jq -r .id | sort -n > "$W/ids"
	[ "$(wc -l < "$W/ids")" = 160 ]
	[ "$(sort -u "$W/ids" | wc -l)" = 160 ]
	run crm sql "SELECT count(*) AS n FROM lead WHERE name LIKE 'w%'"
	[ "$(jqo .n)" = 160 ]
	# the updates of w1's leads: each changed once, audited once
	run crm sql "SELECT count(*) AS n FROM lead WHERE name LIKE 'w1%' AND region = '上海'"
	[ "$(jqo .n)" = 40 ]
	run crm sql "SELECT count(*) AS n FROM audit WHERE action = 'update' AND json_extract(after, '\$.region') = '上海'"
	[ "$(jqo .n)" = 40 ] || fail "$output"
	run crm check
	assert_success
}

@test "a lead add during a long import with --batch 200000 gets the lock within a second" {
	{
		echo "name,phone"
		for i in $(seq 1 400); do echo "客户$i,139$(printf %08d "$i")"; done
	} > "$BATS_TEST_TMPDIR/big.csv"
	# a rule that takes a few ms a row, so that the import is long on
	# any machine: in one transaction of 400 rows, more than a second
	crm rule add slow --on lead.created --do "set region=x" \
		--when "(WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r LIMIT 30000) SELECT count(*) FROM r) < 0" >/dev/null
	crm config set db.busy_timeout 1000 >/dev/null
	crm -q import lead "$BATS_TEST_TMPDIR/big.csv" --batch 200000 3>&- &
	imp=$!
	sleep 0.5
	run --separate-stderr crm lead add name=插队 phone=13600000000
	still=$(kill -0 "$imp" 2>/dev/null && echo yes || echo no)
	wait "$imp"
	[ "$still" = yes ] || skip "the import ended before the lead add: too fast a machine to tell"
	assert_success
	[ "$(jqo .name)" = 插队 ]
	run crm sql "SELECT count(*) AS n FROM lead"
	[ "$(jqo .n)" = 401 ]
}
