#!/usr/bin/env bats
# crm report weekly (CLI.md 8.4): a week's report in Markdown, per rep or
# team, against the weekly fixture (tests/fixtures/weekly.sh) and the
# hand-written reports in tests/fixtures/weekly-*.md.
load helper
load fixture

setup_file() {
	fixture_file weekly.sh
}

local_setup() {
	# Wednesday of 2026-W10: the last full week is W09 (02-23 .. 03-01)
	fixture_copy '2026-03-04 09:00'
}

@test "weekly: the last full week of the acting user, byte for byte the hand-written report (in a pipe: Markdown)" {
	# the same when the week is named, or is a day in it, or the rep is
	# (first: on the server acting as alice makes her a user, and tester,
	# who is none, would then be refused)
	crm report weekly --owner alice --week 2026-W09 | cmp - "$BATS_TEST_DIRNAME/fixtures/weekly-alice-2026-W09.md"
	crm report weekly --owner alice --week 2026-02-25 | cmp - "$BATS_TEST_DIRNAME/fixtures/weekly-alice-2026-W09.md"
	run --separate-stderr crm --as alice report weekly
	assert_success
	[ -z "$stderr" ]
	diff -u "$BATS_TEST_DIRNAME/fixtures/weekly-alice-2026-W09.md" <(printf '%s\n' "$output")
	crm --as alice --table report weekly | cmp - "$BATS_TEST_DIRNAME/fixtures/weekly-alice-2026-W09.md"
}

@test "weekly --team: the team's week and a line per member, byte for byte" {
	crm config set team.sales alice,bob >/dev/null
	run --separate-stderr crm report weekly --team sales --week 2026-W09
	assert_success
	diff -u "$BATS_TEST_DIRNAME/fixtures/weekly-sales-2026-W09.md" <(printf '%s\n' "$output")
}

@test "weekly --json: one JSON line, every number of the report (worked out in tests/fixtures/weekly.sh)" {
	run --separate-stderr crm report weekly --owner alice --json
	assert_success
	assert_jsonl
	[ "${#lines[@]}" -eq 1 ]
	[ "$(jqo '[.type, .week, .owner, .since, .until] | join(" ")')" = \
		"weekly 2026-W09 alice 2026-02-23T00:00:00+08:00 2026-03-02T00:00:00+08:00" ]
	# activities by kind: 2 calls (lead 6 on 02-23 and 02-27), a visit, a meeting, the reply
	# to ticket 1 (a note); the call of 02-20 is W08
	[ "$(jq -c .activities <<<"$output")" = '{"call":2,"meeting":1,"note":1,"visit":1}' ]
	[ "$(jqo .activities_total)" = 5 ]
	# new leads 6, 7, 8 (9 comes 03-02); only 6 had an activity within a day: 1/3 = 33.3%
	[ "$(jqo '[.new_leads, .contacted_24h, .contacted_24h_pct] | map(tostring) | join(" ")')" = "3 1 33.3" ]
	# moved: deal 7 twice, 6 to won, 8 to lost (a deal's first stage is no move)
	[ "$(jqo '[.deals_moved, (.moves | length)] | map(tostring) | join(" ")')" = "3 4" ]
	[ "$(jq -c '.won' <<<"$output")" = '[{"currency":"CNY","amount":120000,"deals":1}]' ]
	# deal 8: 45000.50 lost (预算不足)
	[ "$(jq -c '.lost' <<<"$output")" = '[{"currency":"CNY","amount":45000.5,"deals":1}]' ]
	[ "$(jqo '.closed[1].lost_reason')" = 预算不足 ]
	# overdue as the week ended: task 1 (open), task 5 (done only on 03-02); task 2 was done in time
	[ "$(jqo '[.tasks_overdue, (.overdue | map(.task_id | tostring) | join(","))] | map(tostring) | join(" ")')" = "2 1,5" ]
	# due next week (03-02 .. 03-08): task 3; task 4 is due 03-10
	[ "$(jqo '[.tasks_due_next_week, .due_next_week[0].task_id, .due_next_week[0].about] | map(tostring) | join(" ")')" = "1 3 G" ]
}

@test "weekly: payments received by their date, tickets replied to or resolved" {
	run crm report weekly --owner alice --json
	# 36,000 on 02-27; the 24,000 of 03-03 is the week after
	[ "$(jq -c '.payments' <<<"$output")" = '{"available":true,"count":1,"received":[{"currency":"CNY","amount":36000,"payments":1}]}' ]
	# ticket 1: replied 02-24, resolved 02-26
	[ "$(jq -c '.tickets' <<<"$output")" = '{"available":true,"handled":1,"resolved":1}' ]
	run crm report weekly --owner bob --json
	# bob replied to ticket 2 on 02-25, still open; no payments
	[ "$(jq -c '[.tickets.handled, .tickets.resolved, .payments.count]' <<<"$output")" = '[1,0,0]' ]
	run crm report weekly --owner alice --week 2026-W10 --json
	[ "$(jq -c '[.payments.received[0].amount, .tickets.handled]' <<<"$output")" = '[24000,0]' ]
}

@test "weekly: JSON lines with --format jsonl; a team's lines are the team's then each member's" {
	crm config set team.sales alice,bob >/dev/null
	run --separate-stderr crm --format jsonl report weekly --team sales
	assert_success
	assert_jsonl
	[ "$(jq -r '.team // .owner' <<<"$output" | paste -sd,)" = "sales,alice,bob" ]
	# the team's numbers are its members' together: 5 + 3 activities, 2 + 1 overdue
	[ "$(jq -r 'select(.team) | [.activities_total, .new_leads, .tasks_overdue] | map(tostring) | join(" ")' <<<"$output")" = "8 4 3" ]
	[ "$(jq -r 'select(.owner == "bob") | [.activities_total, .contacted_24h_pct, .tasks_overdue] | map(tostring) | join(" ")' <<<"$output")" = "3 100 1" ]
}

@test "weekly: another week; a week with nothing in it says so" {
	run crm report weekly --owner alice --week 2026-W08 --json
	# W08: the call of 02-20 on lead 3; deal 1 (100000) won 02-21
	[ "$(jqo '[.activities_total, .won_deals, .won[0].amount] | map(tostring) | join(" ")')" = "1 1 100000" ]
	run crm report weekly --owner carol
	assert_success
	assert_line '| 活动 Activities | 0 |'
	assert_line '无 None.'
}

@test "weekly: bad --week, --owner with --team, a team without members" {
	run --separate-stderr crm report weekly --week 2025-W53
	assert_failure 2
	[[ "$stderr" == *"2025 has no week 53"* ]]
	run --separate-stderr crm report weekly --week W9
	assert_failure 2
	run --separate-stderr crm report weekly --week 2026-W00
	assert_failure 2
	run --separate-stderr crm report weekly --owner alice --team sales
	assert_failure 2
	run --separate-stderr crm report weekly --team nobody
	assert_failure 1
	[[ "$stderr" == *"team 'nobody' has no members"* ]]
	[ -z "$output" ]
}

@test "weekly reads only: the database is the same after it" {
	before=$(crm sql "SELECT count(*) AS n FROM audit")
	crm report weekly --owner alice >/dev/null
	crm report weekly --owner alice --json >/dev/null
	[ "$(crm sql "SELECT count(*) AS n FROM audit")" = "$before" ]
}
