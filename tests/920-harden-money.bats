#!/usr/bin/env bats
# Amounts are bounded (±9,000,000,000.00, so that any sum of 10^7 records
# is exact in 64 bits) and a sum past 64 bits is an error, never a
# saturated figure.

load helper

local_setup() {
	fresh_db
}

@test "money: an amount past the bound is refused with exit 3, nothing written" {
	run --separate-stderr crm deal add name=大单 amount=90000000000000000
	assert_failure 3
	[[ "$stderr" == *"amount"*"9000000000"* ]] || fail "stderr: $stderr"
	run crm sql "SELECT count(*) AS n FROM deal"
	[ "$(jqo .n)" = 0 ]
	run --separate-stderr crm deal add name=大单 amount=9000000000.01
	assert_failure 3
	run --separate-stderr crm deal add name=大单 amount=-9000000000.01
	assert_failure 3
	run --separate-stderr crm deal add name=大单 amount=91亿
	assert_failure 3
}

@test "money: the bound itself is accepted, and two of them sum exactly" {
	run crm deal add name=甲 amount=9000000000
	assert_success
	[ "$(jqo .amount)" = 9000000000 ]
	run crm deal add name=乙 amount=90亿
	assert_success
	# 9000000000 + 9000000000 = 18000000000
	run crm report funnel --format jsonl
	assert_success
	[ "$(echo "$output" | head -1 | jq -r .amount)" = 18000000000 ]
}

@test "money: update and import refuse an amount past the bound too" {
	crm deal add name=甲 amount=100 >/dev/null
	run --separate-stderr crm deal update 1 amount=1e17
	assert_failure 3
	run crm deal show 1
	[ "$(jqo .amount)" = 100 ]
	printf 'name,amount\n乙,90000000000000000\n' > "$BATS_TEST_TMPDIR/d.csv"
	run --separate-stderr crm import deal "$BATS_TEST_TMPDIR/d.csv"
	assert_failure 3
	run crm sql "SELECT count(*) AS n FROM deal"
	[ "$(jqo .n)" = 1 ]
}

@test "money: a sum past 64 bits (amounts written before the bound) fails with exit 6" {
	crm deal add name=甲 amount=100 >/dev/null
	crm deal add name=乙 amount=100 >/dev/null
	# the way an old database may hold them: past today's bound
	sqlite3 "$CRM_DB" "UPDATE deal SET amount = 5000000000000000000"
	run --separate-stderr crm report funnel
	assert_failure 6
	[[ "$stderr" == *"64 bits"* ]] || fail "stderr: $stderr"
	[ -z "$output" ] || fail "printed: $output"
	run --separate-stderr crm report forecast
	assert_failure 6
	run --separate-stderr crm report leaderboard
	assert_failure 6
}
