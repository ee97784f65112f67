#!/usr/bin/env bats
# CLI.md 8.4 with 8.1: the dashboard, the weekly report and the KPIs show
# only what the acting user may see (a rep's are their own deals; their
# manager's the team's). These need the team model (crm user); until it is
# in this crm they are skipped, and the reports they read put the scope
# into their SQL already (query_scope: "1" while nobody limits it).
load helper

local_setup() {
	crm help --commands | grep -qx user || skip "the team model (crm user) is not in this crm yet"
	fresh_db
	export CRM_NOW='2026-03-20 10:00'
	crm user add alice --role admin >/dev/null
	export CRM_USER=alice
	crm user add dave --role manager --team east >/dev/null
	crm user add carol --role rep --team east --manager dave >/dev/null
	crm user add bob --role rep --team east --manager dave >/dev/null
	crm user add erin --role rep --team west >/dev/null
	# this month: carol wins 50,000; bob 30,000; erin 20,000 (west)
	crm deal add name=甲单 amount=50000 --owner carol >/dev/null
	crm deal add name=乙单 amount=30000 --owner bob >/dev/null
	crm deal add name=丙单 amount=20000 --owner erin >/dev/null
	crm deal add name=丁单 amount=80000 --owner carol probability=50 >/dev/null
	crm stage move 1 won >/dev/null
	crm stage move 2 won >/dev/null
	crm stage move 3 won >/dev/null
}

# The panel $1 of $output, as compact JSON.
panel() {
	jq -c --arg p "$1" 'select(.panel == $p)' <<<"$output"
}

@test "dashboard: a rep sees their own deals only, their manager the team's, the admin all" {
	run --separate-stderr crm --as carol report dashboard
	assert_success
	[ "$(panel top_reps | jq -r '.rows | map(.owner) | join(",")')" = carol ]
	[ "$(panel won | jq -c '.amounts | map(.won_amount)')" = '[50000]' ]
	[ "$(panel top_deals | jq -r '.rows | map(.deal_id) | join(",")')" = 4 ]
	# each panel is still its report, as carol runs it
	local rows
	rows=$(panel funnel | jq -c '.rows[]')
	run crm --as carol report funnel --since 2026-03-01T00:00:00+08:00
	[ "$output" = "$rows" ]
	run crm --as dave report dashboard
	[ "$(panel won | jq -c '.amounts | map(.won_amount)')" = '[80000]' ]
	[ "$(panel top_reps | jq -r '.rows | map(.owner) | sort | join(",")')" = bob,carol ]
	run crm --as alice report dashboard
	[ "$(panel won | jq -c '.amounts | map(.won_amount)')" = '[100000]' ]
	# the page too
	crm --as carol report dashboard --html | grep -q 'data-panel="won" data-row="CNY" data-key="won_amount" data-value="50000"'
}

@test "weekly and kpi: only what the acting user may see" {
	# last week of 2026-03-20 is W11 (03-09 .. 03-15); the deals closed on 03-20: this week
	run --separate-stderr crm --as bob report weekly --owner carol --week 2026-W12 --json
	assert_success
	[ "$(jq -r '.won_deals' <<<"$output")" = 0 ]
	run crm --as carol report weekly --week 2026-W12 --json
	[ "$(jq -r '.won_deals' <<<"$output")" = 1 ]
	run crm --as carol report kpi
	[ "$(jq -r 'select(.kpi == "win_rate_pct") | .won_deals' <<<"$output")" = 1 ]
	run crm --as dave report kpi
	[ "$(jq -r 'select(.kpi == "win_rate_pct") | .won_deals' <<<"$output")" = 2 ]
}
