#!/usr/bin/env bats
# Garbage is refused with exit 3 and nothing written: control characters
# and ANSI escapes in text, a NUL in JSON, text past its length limit,
# dates outside 1900-2200, events before 2000 or in the future; a time
# before 1901 (local mean time) reads back as the same instant.

load helper

local_setup() {
	fresh_db
}

count() {
	crm sql "SELECT count(*) AS n FROM $1" | jq -r .n
}

@test "text: an ANSI escape sequence in a name is refused, exit 3" {
	run --separate-stderr crm lead add name=$'\e[2J\e[31m假\e[0m'
	assert_failure 3
	[[ "$stderr" == *"name"*"control character"* ]] || fail "stderr: $stderr"
	[ "$(count lead)" = 0 ]
	# C1 CSI (U+009B) too
	run --separate-stderr crm lead add name=$'\xc2\x9b31m假'
	assert_failure 3
	run --separate-stderr crm lead add name=$'甲\x07'
	assert_failure 3
	[ "$(count lead)" = 0 ]
}

@test "text: a line break is refused in a name, kept in a note (tabs too)" {
	run --separate-stderr crm lead add name=$'甲\n乙'
	assert_failure 3
	run crm lead add name=甲 note=$'第一行\n第二行\t完'
	assert_success
	[ "$(jqo .note)" = $'第一行\n第二行\t完' ]
}

@test "text: from a pipe, a control character in one line is refused, the others stand" {
	run --separate-stderr crm lead add <<'EOF2'
{"name":"甲"}
{"name":"\u001b[31m乙"}
{"name":"丙"}
EOF2
	assert_failure 3
	[ "$(count lead)" = 2 ]
}

@test "json: a NUL in a string is refused, not cut short" {
	run --separate-stderr crm lead add <<'EOF2'
{"name":"甲\u0000DROP","phone":"13800138000"}
EOF2
	assert_failure 3
	[[ "$stderr" == *"NUL"* ]] || fail "stderr: $stderr"
	[ "$(count lead)" = 0 ]
	# an escaped backslash before u0000 is no NUL
	run crm lead add <<'EOF2'
{"name":"甲\\u0000"}
EOF2
	assert_success
	[ "$(jqo .name)" = '甲\u0000' ]
}

@test "text: 64 KB in a name, 1 MB in a note; past that exit 3 with the limit named" {
	big=$(head -c 70000 /dev/zero | tr '\0' a)
	run --separate-stderr crm lead add name="$big"
	assert_failure 3
	[[ "$stderr" == *"name"*"64 KB"* ]] || fail "stderr: ${stderr:0:200}"
	run crm lead add name=甲 note="$big"
	assert_success
	printf '{"name":"乙","note":"%s"}\n' "$(head -c 1100000 /dev/zero | tr '\0' a)" > "$BATS_TEST_TMPDIR/big.jsonl"
	run --separate-stderr crm lead add < "$BATS_TEST_TMPDIR/big.jsonl"
	assert_failure 3
	[[ "$stderr" == *"note"*"1024 KB"* ]] || fail "stderr: ${stderr:0:200}"
	[ "$(count lead)" = 1 ]
}

@test "dates: outside 1900-2200 refused, exit 3" {
	run --separate-stderr crm deal add name=甲 expected_close=1850-01-01
	assert_failure 3
	[[ "$stderr" == *"1900 and 2200"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm deal add name=甲 expected_close=2999-01-01
	assert_failure 3
	run crm deal add name=甲 expected_close=2200-12-31
	assert_success
	run crm deal add name=乙 expected_close=1900-01-01
	assert_success
	[ "$(count deal)" = 2 ]
}

@test "track: an event before 2000 or more than a day ahead is refused" {
	export CRM_NOW=2026-06-01T12:00:00+08:00
	crm lead add name=甲 phone=13800138000 >/dev/null
	run --separate-stderr crm track 1 webinar --at 1970-01-01T00:00:00Z
	assert_failure 3
	[[ "$stderr" == *"before 2000"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm track 1 webinar --at 2026-06-03T12:00:00+08:00
	assert_failure 3
	[[ "$stderr" == *"future"* ]] || fail "stderr: $stderr"
	run crm track 1 webinar --at 2026-06-02T10:00:00+08:00
	assert_success
	run crm track 1 webinar --at 2000-01-01T00:00:00+08:00
	assert_success
	[ "$(count event)" = 2 ]
}

@test "dates: a time before 1901 (Shanghai's local mean time, +08:05:43) reads back as the same instant" {
	crm lead add name=乙 >/dev/null
	run crm lead update 1 last_contacted_at=1900-06-01T12:00:00+08:00
	assert_success
	first=$(jqo .last_contacted_at)
	run crm sql "SELECT strftime('%s', last_contacted_at) = strftime('%s', '1900-06-01T04:00:00') AS same FROM lead WHERE id = 1"
	[ "$(jqo .same)" = 1 ] || fail "stored as $first"
	run crm lead update 1 last_contacted_at="$first"
	assert_success
	[ "$(jqo .last_contacted_at)" = "$first" ] || fail "$first came back as $(jqo .last_contacted_at)"
}
