#!/usr/bin/env bats
# crm report dashboard (CLI.md 8.4): its panels as JSON lines in a pipe,
# each the rows of the report it names, on the report fixture
# (tests/fixtures/reports.sh). The page is in 412, the screen in 413.
load helper
load fixture

setup_file() {
	fixture_file reports.sh
}

local_setup() {
	fixture_copy '2026-02-25 10:00'
}

# The panel $1 of $output, as compact JSON.
panel() {
	jq -c --arg p "$1" 'select(.panel == $p)' <<<"$output"
}

@test "dashboard in a pipe: JSON lines, the period first, then every panel the contract lists" {
	run --separate-stderr crm report dashboard
	assert_success
	assert_jsonl
	[ -z "$stderr" ]
	[ "$(jq -r '.type' <<<"$output" | sort -u)" = dashboard ]
	[ "$(jq -r .panel <<<"$output" | paste -sd,)" = \
		"period,new_leads,conversion,won,received,funnel,forecast,top_reps,top_deals,receivables,satisfaction,breached" ]
	# the period: this month so far
	[ "$(panel period | jq -r '[.since, .until, .user] | join(" ")')" = \
		"2026-02-01T00:00:00+08:00 2026-02-25T10:00:00+08:00 tester" ]
}

@test "dashboard: every panel's rows are what its report prints as JSON (one computation)" {
	run --separate-stderr crm report dashboard
	assert_success
	local dash="$output" n=0 p src
	for p in new_leads funnel forecast top_reps top_deals; do
		src=$(jq -r --arg p "$p" 'select(.panel == $p) | .source' <<<"$dash")
		[[ "$src" == "crm report "* ]]
		run --separate-stderr bash -c "$src"
		assert_success
		if [ "$p" = top_reps ]; then
			[ "$(head -n 3 <<<"$output")" = "$(jq -c --arg p "$p" 'select(.panel == $p) | .rows[]' <<<"$dash")" ]
		else
			[ "$output" = "$(jq -c --arg p "$p" 'select(.panel == $p) | .rows[]' <<<"$dash")" ]
		fi
		n=$((n + 1))
	done
	[ "$n" -eq 5 ]
}

@test "dashboard: new leads, conversion and won amount are sums of their reports' rows, worked out by hand" {
	CRM_NOW='2026-03-01 10:00' run --separate-stderr crm report dashboard --since 2026-01-01
	assert_success
	# leads 1-5 came in January: web 3, 展会 2
	[ "$(panel new_leads | jq -r .value)" = 5 ]
	[ "$(panel new_leads | jq -r .source)" = "crm report sources --since 2026-01-01T00:00:00+08:00" ]
	# of the 6 deals since, 3 are won: 50%
	[ "$(panel conversion | jq -c '[.conversion_pct, .deals, .won_deals]')" = '[50,6,3]' ]
	# won: deals 1 (100000), 5 (80000), 6 (120000), in one currency
	[ "$(panel won | jq -c .amounts)" = '[{"currency":"CNY","won_amount":300000,"won_deals":3}]' ]
	run crm report leaderboard --since 2026-01-01
	[ "$(jq -s 'map(.won_amount) | add' <<<"$output")" = 300000 ]
	run crm report funnel --since 2026-01-01
	[ "$(jq -s '(map(select(.stage == "won"))[0].deals) * 100 / .[0].deals' <<<"$output")" = 50 ]
}

@test "dashboard: the top 3 reps and the top 5 potential deals (amount x probability)" {
	run crm report dashboard
	# won this month (since 02-01): alice 220000 (deals 1, 6), bob 80000 (deal 5)
	[ "$(panel top_reps | jq -r '.rows | map("\(.rank) \(.owner) \(.won_amount)") | join(",")')" = "1 alice 220000,2 bob 80000" ]
	# open: deal 3 200000 x 50% = 100000, deal 4 30000.50 x 10% = 3000.05
	[ "$(panel top_deals | jq -r '.rows | map("\(.deal_id) \(.weighted)") | join(",")')" = "3 100000,4 3000.05" ]
	[ "$(panel top_deals | jq -r .source)" = "crm report forecast --by deal --limit 5" ]
}

@test "dashboard: received, receivables, CSAT and NPS, breached tickets: the cash and service reports' rows" {
	run crm report dashboard
	# nothing of them yet: no amount, no answer, no ticket (not a made-up 0 of money)
	[ "$(panel received | jq -c '[.available, .amounts]')" = '[true,[]]' ]
	[ "$(panel receivables | jq -c '[.available, .aging]')" = '[true,[]]' ]
	[ "$(panel satisfaction | jq -c '[.available, .responses, .csat_pct]')" = '[true,0,null]' ]
	[ "$(panel breached | jq -c '[.available, .value]')" = '[true,0]' ]
	# a contract of deal 1 (alice's, won), two plans, a payment this month;
	# a ticket past its SLA; a CSAT 5 and an NPS 6 answer
	crm -q contract add --deal 1 amount=100000 start=2026-02-21 end=2027-02-20 >/dev/null
	crm -q contract submit 1 >/dev/null
	crm -q contract sign 1 >/dev/null
	crm -q plan add --contract 1 amount=40000 due=2026-02-10 >/dev/null
	crm -q plan add --contract 1 amount=60000 due=2026-03-31 >/dev/null
	crm -q payment add --contract 1 amount=25000 date=2026-02-24 >/dev/null
	CRM_NOW='2026-02-24 09:00' crm -q ticket add --account 1 title=登录失败 priority=urgent --assignee bob >/dev/null
	crm -q survey add account:1 --csat 5 >/dev/null
	crm -q survey add account:1 --nps 6 >/dev/null
	run --separate-stderr crm report dashboard
	assert_success
	local dash="$output" p src
	# each panel's rows are its report's lines, run as its source says
	for p in received receivables satisfaction breached; do
		src=$(jq -r --arg p "$p" 'select(.panel == $p) | .source' <<<"$dash")
		run --separate-stderr bash -c "$src"
		[ "$output" = "$(jq -c --arg p "$p" 'select(.panel == $p) | .rows[]' <<<"$dash")" ] || fail "$p: $src"
	done
	output=$dash
	# received this month: the payment of 02-24, 25000
	[ "$(panel received | jq -c .amounts)" = '[{"currency":"CNY","received":25000}]' ]
	# plan 1 is 14 days late with 15000 left (40000 - 25000), plan 2 not due
	[ "$(panel receivables | jq -c '.aging[0] | [.not_due, .d1_30, .total]')" = '[60000,15000,75000]' ]
	# CSAT: 1 of 1 answer is 4-5; NPS: 0 promoters less 1 detractor of 1 = -100
	[ "$(panel satisfaction | jq -c '[.responses, .csat_pct, .nps]')" = '[2,100,-100]' ]
	[ "$(panel breached | jq -r '[.value, .rows[0].title] | join(" ")')" = "1 登录失败" ]
	# --owner: the reports by owner, only theirs
	run crm report dashboard --owner bob
	[ "$(panel received | jq -c .amounts)" = '[]' ]
	[ "$(panel breached | jq -r '[.value, .source] | join(" ")')" = "1 crm ticket list --breached --assignee bob" ]
	run crm report dashboard --owner alice
	[ "$(panel received | jq -r '[.amounts[0].received, .source] | join(" ")')" = \
		"25000 crm report revenue --since 2026-02-01T00:00:00+08:00 --by owner" ]
	[ "$(panel breached | jq -r .value)" = 0 ]
}

@test "dashboard --owner and --team: the panels are those reports with the same filter" {
	run crm report dashboard --owner bob
	[ "$(panel period | jq -r .owner)" = bob ]
	[ "$(panel funnel | jq -r .source)" = "crm report funnel --since 2026-02-01T00:00:00+08:00 --owner bob" ]
	local rows
	rows=$(panel funnel | jq -c '.rows[]')
	run crm report funnel --since 2026-02-01T00:00:00+08:00 --owner bob
	[ "$output" = "$rows" ]
	crm config set team.north alice >/dev/null
	run crm report dashboard --team north
	[ "$(panel period | jq -c '[.team, .members]')" = '["north",["alice"]]' ]
	[ "$(panel top_reps | jq -r '.rows | map(.owner) | join(",")')" = alice ]
	[ "$(panel won | jq -r '.amounts[0].won_amount')" = 220000 ]
	[ "$(panel top_reps | jq -r .source)" = "crm report leaderboard --since 2026-02-01T00:00:00+08:00 --team north" ]
}

@test "dashboard: bad --since, --owner with --team, an unknown team, csv; nothing printed" {
	run --separate-stderr crm report dashboard --since whenever
	assert_failure 2
	run --separate-stderr crm report dashboard --owner a --team b
	assert_failure 2
	run --separate-stderr crm report dashboard --team nosuch
	assert_failure 1
	[[ "$stderr" == *"team 'nosuch' has no members"* ]]
	run --separate-stderr crm --csv report dashboard
	assert_failure 2
	[ -z "$output" ]
}

@test "dashboard -o FILE: the page, 0600, replaced whole; nothing on stdout; a folder that is not there: exit 2" {
	run --separate-stderr crm report dashboard -o "$BATS_TEST_TMPDIR/d.html"
	assert_success
	[ -z "$output" ]
	[[ "$stderr" == *"wrote $BATS_TEST_TMPDIR/d.html"* ]]
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/d.html")" = 600 ]
	head -c 15 "$BATS_TEST_TMPDIR/d.html" | grep -q '<!DOCTYPE html>'
	echo old > "$BATS_TEST_TMPDIR/d.html"
	crm -q report dashboard -o "$BATS_TEST_TMPDIR/d.html"
	grep -q 'data-panel="funnel"' "$BATS_TEST_TMPDIR/d.html"
	[ "$(ls "$BATS_TEST_TMPDIR" | grep -c 'd.html')" = 1 ]
	run --separate-stderr crm report dashboard -o "$BATS_TEST_TMPDIR/nosuch/d.html"
	assert_failure 2
	[ ! -e "$BATS_TEST_TMPDIR/nosuch" ]
	# --html without -o: the page on stdout
	run --separate-stderr crm report dashboard --html
	assert_success
	assert_line --index 0 '<!DOCTYPE html>'
}

@test "dashboard only reads: no audit entry, the database unchanged" {
	sum=$(sqlite3 "$CRM_DB" .dump | cksum)
	crm report dashboard >/dev/null
	crm report dashboard --html >/dev/null
	[ "$(sqlite3 "$CRM_DB" .dump | cksum)" = "$sum" ]
}

@test "dashboard: amounts in several currencies are never added up: one won amount per currency, each report's own" {
	empty_db
	export CRM_NOW=2026-11-10T10:00:00+08:00
	# CNY 10万 won (alice), USD 2万 won (bob) and 1万 won (alice), open ones in both
	crm -q deal add name=国内大单 amount=10万 owner=alice expected_close=2026-11-30 >/dev/null
	crm -q deal add name=国内小单 amount=5万 owner=alice expected_close=2026-12-10 >/dev/null
	crm -q deal add name=海外单 amount=2万 currency=USD owner=bob expected_close=2026-11-30 >/dev/null
	crm -q deal add name=海外二单 amount=3万 currency=USD owner=bob expected_close=2026-12-20 >/dev/null
	crm -q deal add name=海外三单 amount=1万 currency=USD owner=alice expected_close=2026-11-30 >/dev/null
	crm -q stage move 1 won >/dev/null
	crm -q stage move 3 won >/dev/null
	crm -q stage move 5 won >/dev/null
	run --separate-stderr crm report dashboard
	assert_success
	# CNY: 100000 (deal 1); USD: 20000 + 10000 = 30000 (deals 3, 5); never 130000
	[ "$(panel won | jq -c .amounts)" = '[{"currency":"CNY","won_amount":100000,"won_deals":1},{"currency":"USD","won_amount":30000,"won_deals":2}]' ]
	refute_output --partial 130000
	# the funnel's rows: one funnel per currency, as report funnel prints them
	local rows
	rows=$(panel funnel | jq -c '.rows[]')
	run crm report funnel --since 2026-11-01T00:00:00+08:00
	[ "$output" = "$rows" ]
	# the top deals each in their own currency: bob's 30000 USD x 10%, alice's 50000 CNY x 10%
	run crm report dashboard
	[ "$(panel top_deals | jq -r '.rows | map("\(.deal_id) \(.weighted) \(.currency)") | join(",")')" = "2 5000 CNY,4 3000 USD" ]
	# on the screen and the page: each amount with its currency
	COLUMNS=80 run crm --table report dashboard
	assert_output --partial '¥100,000'
	assert_output --partial '$30,000'
	crm report dashboard --html | grep -q 'data-panel="won" data-row="USD" data-key="won_amount" data-value="30000"'
}
