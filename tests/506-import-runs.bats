#!/usr/bin/env bats
# Import runs (issue 20): a run is one audit entry, its records carry it
# and their line; crm import runs; crm import undo (one transaction,
# refusing where others changed what it made, --force); history and log
# of imported records; rules and hooks of a bulk run; kill -9 and --resume.
load helper

local_setup() {
	fresh_db
	printf '姓名,手机,邮箱,预算\n甲,13800000001,a@x.cn,5万\n乙,13800000002,,1000\n甲二,138 0000 0001,,\n丙,bad,,\n' \
		> "$BATS_TEST_TMPDIR/s.csv"
}

count() {
	crm sql "SELECT count(*) AS n FROM ${1:-lead}" | jq .n
}

# the database's records, scores and search marks, to compare before and after
records_of() {
	sqlite3 "$CRM_DB" "SELECT * FROM lead ORDER BY id; SELECT * FROM lead_score ORDER BY id;
		SELECT * FROM task ORDER BY id; SELECT * FROM activity ORDER BY id; SELECT * FROM event ORDER BY id;
		SELECT key FROM search_dirty ORDER BY key; SELECT name FROM sqlite_master WHERE name LIKE 'bulk_%'"
}

@test "an import run is one audit entry; each record carries its run and line" {
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/s.csv"
	assert_failure 3   # 丙's phone
	[[ "$stderr" == *"2 inserted, 0 updated, 1 skipped (1 repeated in the file), 1 rejected"*"run 1 (crm import undo 1"* ]] ||
		fail "stderr: $stderr"
	run crm log --format jsonl
	assert_success
	[ "${#lines[@]}" -eq 1 ]
	[ "$(jqo .entity)" = import:1 ]
	[ "$(jqo .action)" = import ]
	[ "$(jqo '[.after.inserted, .after.skipped, .after.rejected, .after.mapping["手机"]] | join(" ")')" = "2 1 1 phone" ]
	[ "$(jqo .after.file)" = "$BATS_TEST_TMPDIR/s.csv" ]
	run crm sql "SELECT id, import_run, import_line FROM lead ORDER BY id"
	assert_line --index 0 '{"id":1,"import_run":1,"import_line":2}'
	assert_line --index 1 '{"id":2,"import_run":1,"import_line":3}'
	# no audit row per record
	[ "$(sqlite3 "$CRM_DB" "SELECT count(*) FROM audit WHERE entity LIKE 'lead:%'")" = 0 ]
}

@test "crm history and crm log of an imported lead: created by the run, from its line, with the values as imported" {
	crm -q import leads "$BATS_TEST_TMPDIR/s.csv" 2>/dev/null || true
	crm lead update 1 budget=6万 region=浙江 >/dev/null
	run crm history lead:1 --format jsonl
	assert_success
	assert_line --index 0 --partial '"kind":"insert","summary":"created by import run 1 from s.csv line 2"'
	[ "$(head -1 <<<"$output" | jq -c '[.run, .line, .values.budget, .values.region, .values.phone]')" = '[1,2,50000,null,"13800000001"]' ]
	[ "$(sed -n 2p <<<"$output" | jq -c .changes.budget)" = '[50000,60000]' ]
	run crm log --entity lead:1 --format jsonl
	assert_success
	[ "${#lines[@]}" -eq 2 ]
	# newest first: the update, then the creation (which has no audit row of its own)
	[ "$(sed -n 2p <<<"$output" | jq -c '[.action, .summary, .after.import.line, .after.budget]')" = \
		'["insert","created by import run 1 from s.csv line 2",2,50000]' ]
	run crm log --entity lead:1 --reverse --limit 1 --format jsonl
	[ "$(jqo .action)" = insert ]
}

@test "crm import runs: finished, unfinished and undone runs, newest first" {
	run crm import runs
	assert_failure 1
	crm -q import leads "$BATS_TEST_TMPDIR/s.csv" 2>/dev/null || true
	printf 'name\n丁\n' | crm -q import leads - 2>/dev/null
	crm -q import undo 2 >/dev/null
	run --separate-stderr crm import runs --format jsonl
	assert_success
	assert_jsonl
	[ "$(jq -c '[.id, .status, .inserted, .record_type]' <<<"$output" | paste -sd' ')" = \
		'[2,"undone",1,"lead"] [1,"finished",2,"lead"]' ]
	[ "$(sed -n 2p <<<"$output" | jq -r .file)" = "$BATS_TEST_TMPDIR/s.csv" ]
	[ "$(head -1 <<<"$output" | jq -r .file)" = - ]
	run crm import runs --limit 1
	[ "${#lines[@]}" -eq 1 ]
}

@test "an import refused before its first row (no name column, a header only) leaves no run behind" {
	printf '地区,行业\n华东,SaaS\n' > "$BATS_TEST_TMPDIR/noname.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/noname.csv"
	assert_failure 3
	[[ "$stderr" == *"no column for name (姓名)"* ]] || fail "stderr: $stderr"
	# with a good file after it: that file's run is the only one
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/noname.csv" "$BATS_TEST_TMPDIR/s.csv"
	assert_failure 3
	[[ "$stderr" == *"2 inserted, 0 updated, 1 skipped (1 repeated in the file), 1 rejected"* ]] || fail "stderr: $stderr"
	run crm import runs
	assert_success
	[ "$(jq -c '[.status, .inserted]' <<<"$output" | paste -sd' ')" = '["finished",2]' ]
	[ "$(count import_run)" = 1 ]
	[ "$(count lead)" = 2 ]
}

@test "crm import undo: what the run made goes, the database is as before it, in one transaction" {
	crm lead add name=老客户 phone=13900000000 >/dev/null
	crm track 1 webinar >/dev/null
	before=$(records_of)
	crm -q import leads "$BATS_TEST_TMPDIR/s.csv" 2>/dev/null || true
	crm score --all >/dev/null
	[ "$(count)" = 3 ]
	run --separate-stderr crm import undo 1
	assert_success
	[ "$(jqo '[.status, .removed, .reverted] | join(" ")')" = "undone 2 0" ]
	[ "$(records_of)" = "$before" ] || fail "not as before: $(records_of)"
	run crm log --limit 1 --format jsonl
	[ "$(jqo '[.entity, .action, .after.removed] | join(" ")')" = "import:1 undo 2" ]
	# once only; a run that is not there; not a number
	run --separate-stderr crm import undo 1
	assert_failure 4
	[[ "$stderr" == *"import run 1 was undone already"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm import undo 9
	assert_failure 1
	run --separate-stderr crm import undo x
	assert_failure 2
	# its phone is free again
	run crm lead add name=又一个 phone=13800000001
	assert_success
}

@test "undo is refused (exit 4) where someone changed a record the run made, or refers to one; --force undoes it anyway" {
	crm -q import leads "$BATS_TEST_TMPDIR/s.csv" 2>/dev/null || true
	crm --as bob lead update 2 region=上海 >/dev/null
	crm note lead:1 "打过电话" >/dev/null
	before=$(records_of)
	run --separate-stderr crm import undo 1
	assert_failure 4
	[[ "$stderr" == *"lead:2 was changed since by bob"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"activity:1 refers to lead:1"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"--force"* ]] || fail "stderr: $stderr"
	[ "$(records_of)" = "$before" ]   # nothing changed
	[ "$(crm import runs | jq -r .status)" = finished ]
	run --separate-stderr crm import undo 1 --force
	assert_success
	[ "$(count)" = 0 ]
	[ "$(count activity)" = 0 ]
	# the note went through the write path: in the log
	[ "$(sqlite3 "$CRM_DB" "SELECT count(*) FROM audit WHERE entity = 'activity:1' AND action = 'purge'")" = 1 ]
}

@test "--on-duplicate update: each update is its own audit entry, and undo puts it back exactly" {
	crm lead add name=甲 phone=13800000001 region=北京 >/dev/null
	before=$(records_of)
	printf '姓名,手机,地区\n甲,13800000001,浙江\n新,13700000000,上海\n' > "$BATS_TEST_TMPDIR/u.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/u.csv" --on-duplicate update
	assert_success
	[[ "$stderr" == *"1 inserted, 1 updated"* ]] || fail "stderr: $stderr"
	run crm log --entity lead:1 --limit 1 --format jsonl
	[ "$(jqo '[.action, .before.region, .after.region] | join(" ")')" = "update 北京 浙江" ]
	[ "$(sqlite3 "$CRM_DB" "SELECT run FROM audit WHERE entity = 'lead:1' AND action = 'update'")" = 1 ]
	run --separate-stderr crm import undo 1
	assert_success
	[ "$(jqo '[.removed, .reverted] | join(" ")')" = "1 1" ]
	[ "$(records_of)" = "$before" ] || fail "not as before: $(records_of)"
}

@test "a bulk run still fires the rules on each record it makes, and its hooks after the commit" {
	mkdir -p "$HOME/.config/crm/hooks"
	printf '#!/bin/sh\ncat >> "%s"\n' "$BATS_TEST_TMPDIR/hooked" > "$HOME/.config/crm/hooks/on-lead.created"
	chmod +x "$HOME/.config/crm/hooks/on-lead.created"
	crm rule add 导入标记 --on lead.created --do 'tag add 导入' >/dev/null
	{ echo 姓名,手机; for i in $(seq 1 300); do echo "客户$i,139$(printf %08d "$i")"; done; } > "$BATS_TEST_TMPDIR/b.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/b.csv"
	assert_success
	# records a rule and a hook listen to go straight in, each fired as written
	[ "$(crm import runs | jq .staged)" = false ]
	[ "$(crm lead list --tag 导入 | wc -l)" -eq 300 ]
	[ "$(wc -l < "$BATS_TEST_TMPDIR/hooked")" -eq 300 ]
	[ "$(jq -r .name "$BATS_TEST_TMPDIR/hooked" | sort -u | wc -l)" -eq 300 ]
	# what the rule did belongs to the run: undo takes it back too
	run --separate-stderr crm import undo 1
	assert_success
	[ "$(count)" = 0 ]
}

@test "a record whose rule fails is not kept (its row is rejected); the rest are" {
	crm account add name=老客户 >/dev/null
	crm rule add 坏 --on lead.created --when "name = '乙'" --do 'set account_id=1' >/dev/null
	crm account rm --purge 1 >/dev/null   # the rule fails from now on
	printf '姓名\n甲\n乙\n丙\n' > "$BATS_TEST_TMPDIR/r.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/r.csv" --errors "$BATS_TEST_TMPDIR/e.jsonl"
	assert_failure 3
	[[ "$stderr" == *"line 3"* ]] || fail "stderr: $stderr"
	[ "$(crm lead list | jq -r .name | paste -sd,)" = 甲,丙 ]
	[ "$(jq .line "$BATS_TEST_TMPDIR/e.jsonl")" = 3 ]
	crm check >/dev/null
}

@test "a small import into a big table writes its rows straight in; --print too; both undo" {
	{ echo 姓名,手机; for i in $(seq 1 200); do echo "客户$i,139$(printf %08d "$i")"; done; } > "$BATS_TEST_TMPDIR/b.csv"
	crm -q import leads "$BATS_TEST_TMPDIR/b.csv"
	printf '姓名\n新一\n新二\n' > "$BATS_TEST_TMPDIR/n.csv"
	crm -q import leads "$BATS_TEST_TMPDIR/n.csv"
	[ "$(crm import runs --limit 1 | jq .staged)" = false ]
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/s.csv" --print
	[ "$(jq -r .name <<<"$output" | paste -sd,)" = 甲,乙 ]
	[ "$(crm import runs --limit 1 | jq .staged)" = false ]
	run --separate-stderr crm import undo 3
	assert_success
	run --separate-stderr crm import undo 2
	assert_success
	[ "$(count)" = 200 ]
	crm check >/dev/null
}

@test "a lead added while an import is stopped: at the end its row is a duplicate of it, and the ids move on" {
	{ echo 姓名,手机; for i in $(seq 1 20000); do printf '客户%d,139%08d\n' "$i" "$i"; done; } > "$BATS_TEST_TMPDIR/big.csv"
	crm import leads "$BATS_TEST_TMPDIR/big.csv" --batch 500 2>/dev/null &
	pid=$!
	for _ in $(seq 1 300); do
		n=$(sqlite3 "$CRM_DB" "SELECT coalesce(max(line), 0) FROM import_run" 2>/dev/null)
		[ "${n:-0}" -gt 1000 ] && break
		sleep 0.05
	done
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" || true
	[ "$(count)" -lt 19000 ] || skip "the import finished before it could be killed"
	crm check >/dev/null
	crm lead add name=插队 phone=13900000005 >/dev/null   # line 6's phone, staged already
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/big.csv" --resume --errors "$BATS_TEST_TMPDIR/e.jsonl"
	assert_success
	[[ "$stderr" == *"were added while the import ran"* ]] || fail "stderr: $stderr"
	[ "$(count)" = 20000 ]
	[ "$(crm sql "SELECT count(DISTINCT phone) AS n FROM lead" | jq .n)" = 20000 ]
	[ "$(jq -r 'select(.line == 6) | .duplicate_of' "$BATS_TEST_TMPDIR/e.jsonl")" = lead:1 ]
	run crm lead add name=重复 phone=13900000007
	assert_failure 4   # the guard works on what the run made
}

@test "kill -9 at random moments of a 20,000-row import: check clean, every index, --resume ends as an uninterrupted one" {
	{ echo 姓名,手机,邮箱,备注; for i in $(seq 1 20000); do
		printf '客户%d,139%08d,c%d@x.cn,第%d行\n' "$i" $(((i - 1) % 19500 + 1)) "$i" "$i"; done; } > "$BATS_TEST_TMPDIR/big.csv"
	export CRM_NOW=2026-11-01T09:00:00+08:00   # the same stamps in every database
	REF=$BATS_TEST_TMPDIR/ref.db
	cp "$CRM_DB" "$BATS_TEST_TMPDIR/empty.db"   # one empty database for all (its pipeline's stamp)
	cp "$CRM_DB" "$REF"
	start=$(date +%s%N)
	CRM_DB=$REF crm -q import leads "$BATS_TEST_TMPDIR/big.csv" --batch 2000
	ms=$((($(date +%s%N) - start) / 1000000))
	sh "$ROOT_DIR/tests/bench/dbsum.sh" "$REF" > "$BATS_TEST_TMPDIR/ref.sum"
	indexes=$(sqlite3 "$REF" "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name)")
	for k in 1 2 3 4 5; do
		export CRM_DB=$BATS_TEST_TMPDIR/k$k.db
		cp "$BATS_TEST_TMPDIR/empty.db" "$CRM_DB"
		crm -q import leads "$BATS_TEST_TMPDIR/big.csv" --batch 2000 >/dev/null 2>&1 &
		pid=$!
		sleep "$(awk -v k="$k" -v ms="$ms" 'BEGIN { srand(k); printf "%.3f", (20 + rand() * ms) / 1000 }')"
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		run crm check --format jsonl
		assert_success
		[ "$(jq -r .result <<<"$output" | sort -u)" = ok ] || fail "kill $k: check: $output"
		[ "$(sqlite3 "$CRM_DB" "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name NOT LIKE 'bulk_%' ORDER BY name)")" = "$indexes" ] ||
			fail "kill $k: indexes missing"
		run --separate-stderr crm -q import leads "$BATS_TEST_TMPDIR/big.csv" --batch 2000 --resume
		assert_success
		sh "$ROOT_DIR/tests/bench/dbsum.sh" "$CRM_DB" | cmp -s - "$BATS_TEST_TMPDIR/ref.sum" ||
			fail "kill $k: not the same database as the uninterrupted import"
	done
}
