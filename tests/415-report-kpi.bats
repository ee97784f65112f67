#!/usr/bin/env bats
# crm report kpi (CLI.md 8.4): lead response time, lead to deal
# conversion, win rate, sales cycle, data completeness, and --compare
# previous; on the weekly fixture (tests/fixtures/weekly.sh), by hand.
load helper
load fixture

setup_file() {
	fixture_file weekly.sh
}

local_setup() {
	fixture_copy '2026-03-04 09:00'
}

# The value (and more) of KPI $1 in $output: keys $2... joined by spaces.
kpi() {
	local k=$1
	shift
	local keys
	keys=$(printf '.%s,' "$@")
	jq -r --arg k "$k" "select(.kpi == \$k) | [${keys%,}] | map(tostring) | join(\" \")" <<<"$output"
}

@test "kpi: the five measures of a period, worked out by hand" {
	run --separate-stderr crm report kpi --since 2026-02-01
	assert_success
	assert_jsonl
	[ "$(jq -r .kpi <<<"$output" | paste -sd,)" = \
		"lead_response_hours,lead_to_deal_pct,win_rate_pct,sales_cycle_days,data_completeness_pct" ]
	# leads since 02-01: 6, 7, 8, 9, 10; first activity after 6 h (6), 49 h (7),
	# 3 h (10), none (8, 9): the median of 3, 6, 49 is 6
	[ "$(kpi lead_response_hours value unit leads contacted)" = "6 hours 5 3" ]
	# none of them became a deal yet
	[ "$(kpi lead_to_deal_pct value leads converted)" = "0 5 0" ]
	# closed since 02-01: won 1, 5, 6; lost 2, 8: 3 of 5
	[ "$(kpi win_rate_pct value won_deals lost_deals)" = "60 3 2" ]
	# lead 1 (01-01) to deal 1 won 02-21: 51 days; deal 5 (no lead) 02-01 to
	# 02-11: 10; lead 2 (01-01) to deal 6 won 02-25: 55; (51 + 10 + 55) / 3 = 38.7
	[ "$(kpi sales_cycle_days value unit)" = "38.7 days" ]
	# all four of phone, company, industry, source: lead 6 only, 1 of 5; phone
	# 6, 7; company 6, 8; industry 6; source 6, 7, 9, 10
	[ "$(kpi data_completeness_pct value phone_pct company_pct industry_pct source_pct)" = "20 40 40 20 80" ]
	[ "$(jq -r 'select(.kpi == "win_rate_pct") | [.since, .until] | join(" ")' <<<"$output")" = \
		"2026-02-01T00:00:00+08:00 2026-03-04T09:00:00+08:00" ]
}

@test "kpi --compare previous: each value beside the previous month's (the same stretch) and the change" {
	# this month so far (02-01 .. 02-28 12:00) against 01-01 .. 01-28 12:00
	CRM_NOW='2026-02-28 12:00' run --separate-stderr crm report kpi --compare previous
	assert_success
	assert_jsonl
	# now: leads 6, 7, 8, 10 and 9 (dated 03-02, after this clock: a period up
	# to now has no end, as the reports without --until), none converted;
	# before: leads 1-5, of which 1 and 4 were converted: 40%
	[ "$(kpi lead_to_deal_pct value value_previous value_change leads leads_previous)" = "0 40 -40 5 5" ]
	# median response now: 3, 6, 49 -> 6; before: lead 3 (01-01 10:00) had its
	# first call on 02-20 10:00, 50 days = 1200 hours later
	[ "$(kpi lead_response_hours value value_previous value_change)" = "6 1200 -1194" ]
	# won 1, 5, 6 and lost 2, 8 (02-27) now; nothing closed in January
	[ "$(kpi win_rate_pct value value_previous won_deals won_deals_previous won_deals_change)" = "60 null 3 0 3" ]
	# leads 1-5 had a source only: 0% complete before, 1 of 5 (20%) now
	[ "$(kpi data_completeness_pct value value_previous value_change)" = "20 0 20" ]
	[ "$(jq -r 'select(.kpi == "win_rate_pct") | [.since, .until, .previous_since, .previous_until] | join(" ")' <<<"$output")" = \
		"2026-02-01T00:00:00+08:00 2026-02-28T12:00:00+08:00 2026-01-01T00:00:00+08:00 2026-01-28T12:00:00+08:00" ]
}

@test "kpi --owner and --team: only their leads and deals" {
	run crm report kpi --since 2026-02-01 --owner bob
	# bob: lead 10 (contacted after 3 h); deal 5 won (10 days)
	[ "$(kpi lead_response_hours value leads)" = "3 1" ]
	[ "$(kpi win_rate_pct value won_deals lost_deals)" = "100 1 0" ]
	[ "$(kpi sales_cycle_days value)" = "10" ]
	crm config set team.sales alice,bob >/dev/null
	run crm report kpi --since 2026-02-01 --team sales
	[ "$(kpi win_rate_pct value)" = "60" ]
}

@test "kpi: a period with nothing to measure has no values" {
	run --separate-stderr crm report kpi --since 2026-03-03
	assert_success
	[ "$(jq -r 'select(has("value")) | .kpi' <<<"$output")" = "" ]
	[ "$(kpi lead_to_deal_pct leads)" = "0" ]
}

@test "kpi in a table; bad --since, --compare, --owner with --team" {
	COLUMNS=100 run crm --table report kpi --since 2026-02-01 --compare previous
	assert_success
	assert_line --index 0 --regexp '^label +value +value_previous +value_change +unit'
	assert_line --regexp '^赢率 win rate +60 .*percent'
	run --separate-stderr crm report kpi --since soon
	assert_failure 2
	run --separate-stderr crm report kpi --compare next
	assert_failure 2
	run --separate-stderr crm report kpi --owner a --team b
	assert_failure 2
	[ -z "$output" ]
}
