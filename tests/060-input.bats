#!/usr/bin/env bats
# Reading records from stdin: JSON lines, line numbers, --strict, types.
load helper

local_setup() {
	fresh_db
}

count() {
	crm sql "SELECT count(*) AS n FROM $1" | jq .n
}

@test "creating from JSON lines: one record per line, printed as created" {
	run --separate-stderr crm lead add <<'EOF2'
{"name":"张伟","phone":"138 1234 5678"}

{"name":"李娜","email":" LiNa@Example.COM "}
EOF2
	assert_success
	[ "${#lines[@]}" -eq 2 ]
	assert_jsonl
	[ "$(jq -r .phone <<<"${lines[0]}")" = 13812345678 ]
	[ "$(jq -r .email <<<"${lines[1]}")" = lina@example.com ]
}

@test "a malformed line is reported with its number and skipped; exit 3 at the end" {
	run --separate-stderr crm lead add <<'EOF2'
{"name":"一"}
{"name": broken
{"name":"三"}
[1,2]
EOF2
	assert_failure 3
	[ "${#lines[@]}" -eq 2 ]
	[[ "$stderr" == *"line 2: not valid JSON"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"line 4: not a JSON object"* ]] || fail "stderr: $stderr"
	[ "$(count lead)" = 2 ]
}

@test "a rejected record names its line, field and value" {
	run --separate-stderr crm lead add <<'EOF2'
{"name":"一","phone":"12345"}
{"name":"二","status":"hot"}
{"phone":"13900001111"}
EOF2
	assert_failure 3
	[[ "$stderr" == *"line 1: phone: '12345' is not a phone number"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"line 2: status: 'hot' is not one of new,working"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"line 3: name: required field missing"* ]] || fail "stderr: $stderr"
	[ "$(count lead)" = 0 ]
}

@test "--strict: the first bad line aborts and nothing is written" {
	run --separate-stderr crm lead add --strict <<'EOF2'
{"name":"一"}
{"name":"二","budget":"lots"}
{"name":"三"}
EOF2
	assert_failure 3
	[ "$(count lead)" = 0 ]
	[ "$(count audit)" = 0 ]
}

@test "acting on records read from stdin checks their type" {
	crm lead add name=一 >/dev/null
	crm account add name=某公司 >/dev/null
	run --separate-stderr bash -c 'crm account list | crm lead update status=working'
	assert_failure 3
	[[ "$stderr" == *"line 1: an account, not a lead"* ]] || fail "stderr: $stderr"
	[ "$(crm sql "SELECT status FROM lead" | jq -r .status)" = new ]
}

@test "ids from stdin: unknown ids are reported, the rest applied" {
	crm lead add name=一 >/dev/null
	run --separate-stderr crm lead update status=working <<'EOF2'
{"type":"lead","id":1}
{"type":"lead","id":99}
EOF2
	assert_failure 1
	[[ "$stderr" == *"line 2: no lead with id 99"* ]] || fail "stderr: $stderr"
	[ "$(jq -r .status <<<"$output")" = working ]
}

@test "no ids and stdin a terminal is a usage error" {
	command -v script >/dev/null || skip "script(1) not installed"
	run script -qec "$CRM_BIN lead show" /dev/null
	assert_output --partial 'which records?'
}

@test "dates in every accepted form are stored as ISO 8601 with offset" {
	export CRM_NOW=2026-11-23T09:30:00+08:00
	for d in 2026-03-01 2026/3/1 "2026-03-01 10:00" today tomorrow +3d -2w +4h; do
		run crm contact add name=x birthday="2026-01-01" last_contacted_at="$d"
		assert_success
	done
	run crm sql "SELECT last_contacted_at AS t FROM contact ORDER BY id"
	assert_line --index 0 '{"t":"2026-03-01T00:00:00+08:00"}'
	assert_line --index 1 '{"t":"2026-03-01T00:00:00+08:00"}'
	assert_line --index 2 '{"t":"2026-03-01T10:00:00+08:00"}'
	assert_line --index 3 '{"t":"2026-11-23T00:00:00+08:00"}'
	assert_line --index 4 '{"t":"2026-11-24T00:00:00+08:00"}'
	assert_line --index 5 '{"t":"2026-11-26T09:30:00+08:00"}'
	assert_line --index 6 '{"t":"2026-11-09T09:30:00+08:00"}'
	assert_line --index 7 '{"t":"2026-11-23T13:30:00+08:00"}'
}

@test "money is exact integer minor units and prints in major units" {
	crm lead add name=a budget=120000.5 >/dev/null
	crm lead add name=b budget=12万 >/dev/null
	crm lead add name=c budget=¥1,200.05 >/dev/null
	run crm lead list
	[ "$(jq -c '[.budget, .currency]' <<<"${lines[0]}")" = '[120000.5,"CNY"]' ]
	[ "$(jq -c .budget <<<"${lines[1]}")" = 120000 ]
	[ "$(jq -c .budget <<<"${lines[2]}")" = 1200.05 ]
	# 120000.5 + 120000 + 1200.05 = 241200.55 (major units, as --where sees them)
	run crm sql "SELECT sum(budget) AS s FROM lead"
	assert_output '{"s":241200.55}'
	run crm lead list --where "budget > 120000"
	[ "${#lines[@]}" -eq 1 ]
}

@test "records go down the pipe while the input waits for more (tail -f)" {
	run bash -c '{ echo "{\"name\":\"一\"}"; sleep 3; echo "{\"name\":\"二\"}"; } | crm lead add |
		{ IFS= read -r -t 2 first || echo "nothing within 2 s"; echo "$first"; cat; }'
	assert_success
	[ "${#lines[@]}" -eq 2 ]
	[ "$(jq -r .name <<<"${lines[0]}")" = 一 ]
	[ "$(jq -r .name <<<"${lines[1]}")" = 二 ]
}

@test "a writer reading a pipe commits what it has whenever the input waits (--strict: at the end)" {
	crm lead add name=甲 >/dev/null
	crm lead add name=乙 >/dev/null
	feed='{ echo "{\"type\":\"lead\",\"id\":1}"; sleep 3; echo "{\"type\":\"lead\",\"id\":2}"; }'
	look='{ IFS= read -r -t 2 first || echo "nothing within 2 s"; echo "$first"; crm sql "SELECT status FROM lead WHERE id = 1"; cat; }'
	run bash -c "$feed | crm lead update status=working | $look"
	assert_success
	[ "$(jq -r .status <<<"${lines[0]}")" = working ]
	# committed while the input waited: another process sees it
	[ "$(jq -r .status <<<"${lines[1]}")" = working ]
	[ "${#lines[@]}" -eq 3 ]
	# --strict: one transaction, so nothing goes down the pipe before it
	# is committed at the end
	run bash -c "$feed | crm --strict lead update status=nurturing | $look"
	assert_success
	[ "${lines[0]}" = "nothing within 2 s" ]
	[ "$(jq -r .status <<<"${lines[1]}")" = working ]
	[ "$(jq -r .status <<<"${lines[2]}")" = nurturing ]
	[ "$(jq -r .status <<<"${lines[3]}")" = nurturing ]
	[ "$(crm sql "SELECT status FROM lead WHERE id = 1" | jq -r .status)" = nurturing ]
}

@test "a writer prints only what is committed: --strict that fails prints nothing" {
	crm lead add name=甲 >/dev/null
	crm lead add name=乙 >/dev/null
	run --separate-stderr bash -c "printf '{\"type\":\"lead\",\"id\":1}\nnot json\n{\"type\":\"lead\",\"id\":2}\n' | crm lead update --strict title=Y"
	assert_failure 3
	[ -z "$output" ]
	[ "$(crm lead show 1 | jq -r '.title // "none"')" = none ]
	# so the next command in the pipe has nothing to act on
	run --separate-stderr bash -c "printf '{\"name\":\"丙\"}\nbad\n' | crm lead add --strict | crm task add --title t"
	assert_failure 1
	[ "$(crm sql 'SELECT count(*) AS n FROM task' | jq .n)" = 0 ]
	[ "$(crm sql 'SELECT count(*) AS n FROM lead' | jq .n)" = 2 ]
}

@test "a writer cut off by head has committed every record it printed" {
	for i in $(seq 1 5000); do printf '{"name":"客户%d","note":"%0100d"}\n' "$i" "$i"; done | crm lead add >/dev/null
	run bash -c "crm lead list | crm lead update title=Q | head -1"
	assert_success
	[ "$(jq -r .title <<<"$output")" = Q ]
	id=$(jq -r .id <<<"$output")
	[ "$(crm lead show "$id" | jq -r .title)" = Q ]
}

@test "writers piped into writers do not wait for each other's lock" {
	run bash -c 'printf "{\"name\":\"甲\"}\n{\"name\":\"乙\"}\n" | crm lead add | crm lead update status=working | crm lead update region=浙江'
	assert_success
	[ "${#lines[@]}" -eq 2 ]
	[ "$(crm lead list --where "status = 'working' AND region = '浙江'" | wc -l)" -eq 2 ]
}

@test "writers piped into writers with thousands of records: no one waits for the other's lock" {
	# a writer that waited for the next one's lock (each holding what the
	# other needs) would wait for ever: any bound shows it; 10 s, not 3,
	# so that a machine busy with other suites does not pass for that
	crm config set db.busy_timeout 10000 >/dev/null
	for i in $(seq 1 3000); do printf '{"name":"客户%d","note":"%0100d"}\n' "$i" "$i"; done > "$BATS_TEST_TMPDIR/many.jsonl"
	run bash -c "crm lead add < '$BATS_TEST_TMPDIR/many.jsonl' | crm lead update status=working | crm lead update region=浙江 | wc -l"
	assert_success
	[ "$output" -eq 3000 ]
	[ "$(crm lead list --where "status = 'working' AND region = '浙江'" | wc -l)" -eq 3000 ]
}

@test "--atomic and --dry-run stay one transaction even when their output fills a pipe" {
	{ echo 姓名,备注; seq 1 2000 | awk '{ printf "客户%d,%0200d\n", $1, $1 }'; echo "坏,"; echo ",无名"; } > "$BATS_TEST_TMPDIR/a.csv"
	run bash -c "crm import leads '$BATS_TEST_TMPDIR/a.csv' --atomic --print 2>/dev/null | wc -l"
	[ "$(crm sql 'SELECT count(*) AS n FROM lead' | jq .n)" = 0 ]
	run bash -c "crm import leads '$BATS_TEST_TMPDIR/a.csv' --dry-run --print 2>/dev/null | wc -l"
	[ "$output" -gt 1000 ]
	[ "$(crm sql 'SELECT count(*) AS n FROM lead' | jq .n)" = 0 ]
}

@test "lead convert from a pipe: a line that cannot convert is reported, the others convert" {
	for n in 甲 乙 丙; do crm lead add name=$n >/dev/null; done
	crm lead convert 2 >/dev/null
	run --separate-stderr bash -c "crm lead list | crm lead convert"
	assert_failure 4
	[[ "$stderr" == *"line 2: lead:2 is converted already"* ]] || fail "stderr: $stderr"
	[ "$(crm sql "SELECT group_concat(status) AS s FROM lead" | jq -r .s)" = "converted,converted,converted" ]
}

@test "what is about a record leads to it down a pipe: approvals to deals, events and notes to leads" {
	crm config set approval.amount_over 10 >/dev/null
	crm lead add name=甲 >/dev/null
	crm deal add name=大单 amount=100 >/dev/null
	crm stage move 1 negotiation 2>/dev/null || true
	run bash -c "crm approve --pending | crm --as carol approve | crm stage move negotiation"
	assert_success
	[ "$(jqo '.type + " " + .stage')" = "deal negotiation" ]
	crm lead update 1 owner=bob >/dev/null
	run bash -c "crm track 1 demo_request --no-score | crm task add --title 跟进"
	assert_success
	[ "$(jqo '.entity + " " + .owner')" = "lead:1 bob" ]
	crm note lead:1 第一次 >/dev/null
	run bash -c "crm activity list | crm note 再打"
	[ "$(jqo .entity)" = lead:1 ]
	# a task from its own fields gets the owner of what it is about
	run bash -c "echo '{\"title\":\"回电\",\"entity\":\"lead:1\"}' | crm task add"
	[ "$(jqo .owner)" = bob ]
}

@test "a tag with a colon in it can come down a pipe; --strict reading prints all or nothing" {
	crm lead add name=甲 >/dev/null
	run bash -c "crm lead list | crm tag add 来源:展会"
	assert_success
	[ "$(crm lead show 1 | jq -r '.tags | join(",")')" = 来源:展会 ]
	run --separate-stderr bash -c "printf '{\"type\":\"lead\",\"id\":1}\ngarbage\n' | crm --strict lead show"
	assert_failure 3
	[ -z "$output" ]
}
