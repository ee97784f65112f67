#!/usr/bin/env bats
# --compare previous on report funnel, sources and leaderboard (CLI.md
# 8.4), --until and --team on them, and report forecast --by deal: the
# report fixture (tests/fixtures/reports.sh), numbers worked out by hand.
load helper
load fixture

setup_file() {
	fixture_file reports.sh
}

local_setup() {
	fixture_copy '2026-03-01 10:00'
}

# The record of $output whose key $1 is $2, as compact JSON.
row() {
	jq -c --arg v "$2" "select(.$1 == \$v)" <<<"$output"
}

@test "leaderboard --compare previous: each number beside the previous period's and the change" {
	# since 02-15 00:00 to now (03-01 10:00) = 14.4 days; the previous period
	# is as long and ends at 02-15: from 01-31 14:00
	run --separate-stderr crm report leaderboard --since 2026-02-15 --compare previous
	assert_success
	assert_jsonl
	# alice won deals 1 (100000, 02-21) and 6 (120000, 02-25) now, nothing before;
	# her calls of 02-10 and 02-12 were in the previous period
	[ "$(row owner alice | jq -r '[.rank, .rank_previous, .won_amount, .won_amount_previous, .won_amount_change, .won_deals_change, .activities, .activities_previous, .activities_change] | map(tostring) | join(" ")')" = \
		"1 2 220000 0 220000 2 0 2 -2" ]
	# bob won deal 5 (80000) on 02-11: before; nothing now
	[ "$(row owner bob | jq -r '[.won_amount, .won_amount_previous, .won_amount_change, .win_pct_previous] | map(tostring) | join(" ")')" = \
		"0 80000 -80000 100" ]
	[ "$(row owner alice | jq -r '[.since, .until, .previous_since, .previous_until] | join(" ")')" = \
		"2026-02-15T00:00:00+08:00 2026-03-01T10:00:00+08:00 2026-01-31T14:00:00+08:00 2026-02-15T00:00:00+08:00" ]
}

@test "--compare previous: the previous numbers are the report's own for that period (--since .. --until)" {
	run crm report leaderboard --since 2026-02-15 --compare previous
	local cmp="$output"
	run crm report leaderboard --since 2026-01-31T14:00:00+08:00 --until 2026-02-15
	[ "$(jq -sc 'map({owner, won_amount, won_deals, win_pct, activities}) | sort_by(.owner)' <<<"$output")" = \
		"$(jq -sc 'map({owner, won_amount: .won_amount_previous, won_deals: .won_deals_previous, win_pct: .win_pct_previous, activities: .activities_previous}) | sort_by(.owner)' <<<"$cmp")" ]
	run crm report leaderboard --since 2026-02-15
	[ "$(jq -sc 'map({owner, won_amount, won_deals, activities}) | sort_by(.owner)' <<<"$output")" = \
		"$(jq -sc 'map({owner, won_amount, won_deals, activities}) | sort_by(.owner)' <<<"$cmp")" ]
}

@test "funnel --compare previous: deals brought in now and before, per stage" {
	run --separate-stderr crm report funnel --since 2026-02-15 --compare previous
	assert_success
	# now: deal 4 (02-20) only; before (01-31 14:00 .. 02-15): deals 1, 2, 3, 5, 6
	[ "$(row stage new | jq -r '[.deals, .deals_previous, .deals_change, .conversion_pct_previous] | map(tostring) | join(" ")')" = "1 5 -4 100" ]
	# won: deals 1, 5, 6 of the previous period (300000)
	[ "$(row stage won | jq -r '[.deals, .deals_previous, .amount, .amount_previous, .amount_change] | map(tostring) | join(" ")')" = "0 3 0 300000 -300000" ]
	[ "${#lines[@]}" -eq 6 ]
}

@test "sources --compare previous: a source only one period had counts 0 in the other" {
	# this month so far (03-01 00:00 .. 10:00) against 02-01 .. 02-01 10:00:
	# nothing in either; since 02-01 (28.4 days) against 01-03 14:00 .. 02-01
	run --separate-stderr crm report sources --since 2026-02-01 --compare previous
	assert_success
	# 展会: leads 4 and 5 came 01-10 (before), deal 5 won 02-11 (now)
	[ "$(row source 展会 | jq -r '[.leads, .leads_previous, .leads_change, .won_amount, .won_amount_previous, .won_amount_change] | map(tostring) | join(" ")')" = \
		"0 2 -2 80000 0 80000" ]
	# web: leads 1-3 came 01-01, before either period
	[ "$(row source web | jq -r '[.leads, .leads_previous, .won_amount, .won_amount_previous] | map(tostring) | join(" ")')" = "0 0 220000 0" ]
}

@test "--compare previous: a month from its 1st is compared with the same stretch of the month before" {
	CRM_NOW='2026-02-15 10:00' run --separate-stderr crm report leaderboard --compare previous
	assert_success
	# Feb 1 .. 15 10:00 against Jan 1 .. 15 10:00
	[ "$(jq -r 'select(.owner == "bob") | [.since, .until, .previous_since, .previous_until] | join(" ")' <<<"$output")" = \
		"2026-02-01T00:00:00+08:00 2026-02-15T10:00:00+08:00 2026-01-01T00:00:00+08:00 2026-01-15T10:00:00+08:00" ]
	# bob won deal 5 on 02-11
	[ "$(jq -r 'select(.owner == "bob") | [.won_amount, .won_amount_previous] | map(tostring) | join(" ")' <<<"$output")" = "80000 0" ]
	# March 31 against all of February (there is no February 31)
	CRM_NOW='2026-03-31 10:00' run crm report leaderboard --compare previous
	[ "$(jq -r 'select(.owner == "bob") | [.previous_since, .previous_until] | join(" ")' <<<"$output")" = \
		"2026-02-01T00:00:00+08:00 2026-03-01T00:00:00+08:00" ]
}

@test "--compare previous in a table and in csv" {
	COLUMNS=100 run crm --table report leaderboard --since 2026-02-15 --compare previous
	assert_success
	assert_line --index 0 --regexp '^owner +won_amount +won_amount_previous +won_amount_change'
	assert_line --index 1 --regexp '^alice +220000 +0 +220000'
	run crm --csv report funnel --since 2026-02-15 --compare previous
	assert_line --index 0 --partial 'type,pipeline,stage,label,deals,deals_previous,deals_change,amount'
	[ "${#lines[@]}" -eq 7 ]
}

@test "--compare: only previous; not with --until; not on other reports; bad --since" {
	run --separate-stderr crm report funnel --compare last
	assert_failure 2
	[[ "$stderr" == *"--compare: 'last' is not previous"* ]]
	run --separate-stderr crm report sources --compare previous --until 2026-02-01
	assert_failure 2
	run --separate-stderr crm report forecast --compare previous
	assert_failure 2
	run --separate-stderr crm report leaderboard --compare previous --since someday
	assert_failure 2
	run --separate-stderr crm report leaderboard --compare previous --since 2027-01-01
	assert_failure 2
	[[ "$stderr" == *"in the future"* ]]
	[ -z "$output" ]
}

@test "--team on the reports: only the team's members (config team.NAME while there are no users)" {
	crm config set team.north alice >/dev/null
	run crm report leaderboard --team north
	[ "$(jq -r .owner <<<"$output" | paste -sd,)" = "alice" ]
	run crm report funnel --team north
	local team="$output"
	run crm report funnel --owner alice
	[ "$team" = "$output" ]
	run crm report forecast --by owner --team north
	[ "$(jq -r .owner <<<"$output" | paste -sd,)" = "alice" ]
	run crm report sources --team north
	# alice's leads: none have an owner in the fixture; her won deals: web 220000
	[ "$(jq -r '[.source, .won_amount] | map(tostring) | join(" ")' <<<"$output" | paste -sd,)" = "web 220000" ]
	run --separate-stderr crm report funnel --team south
	assert_failure 1
	run --separate-stderr crm report funnel --team north --owner bob
	assert_failure 2
}

@test "forecast --by deal: open deals by amount x probability, the largest first; --limit" {
	run --separate-stderr crm report forecast --by deal
	assert_success
	assert_jsonl
	# deal 3: 200000 x 50% = 100000; deal 4: 30000.50 x 10% = 3000.05
	assert_line --index 0 '{"type":"forecast","by":"deal","deal_id":3,"name":"C","owner":"bob","stage":"proposal","expected_close":"2026-04-10","amount":200000,"probability":50,"weighted":100000,"currency":"CNY"}'
	assert_line --index 1 --partial '"deal_id":4,'
	[ "${#lines[@]}" -eq 2 ]
	run crm report forecast --by deal --limit 1
	[ "${#lines[@]}" -eq 1 ]
	run crm report forecast --by deal --owner alice
	assert_failure 1
	run --separate-stderr crm report forecast --limit 2
	assert_failure 2
	run --separate-stderr crm report forecast --by deal --limit x
	assert_failure 2
}

@test "--until: the reports count what happened before it" {
	# won before 02-20: deal 5 (02-11) only
	run crm report leaderboard --until 2026-02-20
	[ "$(jq -r '[.owner, .won_amount] | map(tostring) | join(" ")' <<<"$output" | paste -sd,)" = "bob 80000,alice 0" ]
	# deals created before 02-02: 1, 2, 5
	run crm report funnel --until 2026-02-02
	[ "$(row stage new | jq -r .deals)" = 3 ]
}

@test "satisfaction --compare previous: CSAT and NPS beside the period before (counts taken apart by period)" {
	# account 1 is alice's, account 2 bob's; from 02-15 (14.4 days) against 01-31 14:00 .. 02-15
	crm -q survey add account:1 --csat 5 --at 2026-02-20 >/dev/null
	crm -q survey add account:1 --csat 2 --at 2026-02-10 >/dev/null
	crm -q survey add account:2 --nps 9 --at 2026-02-20 >/dev/null
	crm -q survey add account:2 --nps 3 --at 2026-02-05 >/dev/null
	crm -q survey add account:2 --nps 10 --at 2026-01-20 >/dev/null
	run --separate-stderr crm report satisfaction --since 2026-02-15 --compare previous
	assert_success
	assert_jsonl
	# now: CSAT 5 (100%), NPS 9 (100); before: CSAT 2 (0%), NPS 3 (-100); the 01-20 answer is older
	[ "$(jq -r '[.responses, .responses_previous, .csat_pct, .csat_pct_previous, .csat_pct_change, .nps, .nps_previous, .nps_change] | map(tostring) | join(" ")' <<<"$output")" = \
		"2 2 100 0 100 100 -100 200" ]
	# since the previous period began: both periods together, CSAT 1 of 2 (counts add up)
	run crm report satisfaction --since 2026-01-31T14:00:00+08:00
	[ "$(jq -r '[.responses, .csat_pct] | map(tostring) | join(" ")' <<<"$output")" = "4 50" ]
	run crm report satisfaction --since 2026-02-15 --compare previous --by owner
	[ "$(jq -r '"\(.owner) \(.csat_pct // "-") \(.csat_pct_previous // "-") \(.nps // "-") \(.nps_previous // "-")"' <<<"$output" | paste -sd,)" = \
		"alice 100 0 - -,bob - - 100 -100" ]
	run crm report satisfaction --owner alice
	[ "$(jq -r '[.responses, .csat_pct] | map(tostring) | join(" ")' <<<"$output")" = "2 50" ]
	run --separate-stderr crm report satisfaction --compare next
	assert_failure 2
}
