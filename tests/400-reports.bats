#!/usr/bin/env bats
# crm report: every report against a fixture of known deals, moves, leads
# and activities (tests/fixtures/reports.sh), numbers worked out by hand.
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

@test "funnel: reached, amount, conversion and days per stage (skips and going back counted once)" {
	run --separate-stderr crm report funnel
	assert_success
	assert_jsonl
	[ "${#lines[@]}" -eq 6 ]
	# new: all 6 deals (9.2 = (2+4+10+9+10+20)/6 days; D4 still there: 9 days to now)
	[ "$(row stage new)" = '{"type":"funnel","pipeline":"default","stage":"new","label":"初步接触","deals":6,"amount":580000.5,"currency":"CNY","conversion_pct":83.3,"avg_days":9.2}' ]
	# qualified: D1, D2 (skipped it, came back), D3, and D5, D6 (skipped on to won)
	[ "$(row stage qualified)" = '{"type":"funnel","pipeline":"default","stage":"qualified","label":"需求确认","deals":5,"amount":550000,"currency":"CNY","conversion_pct":100,"avg_days":6.7}' ]
	[ "$(row stage proposal)" = '{"type":"funnel","pipeline":"default","stage":"proposal","label":"方案报价","deals":5,"amount":550000,"currency":"CNY","conversion_pct":60,"avg_days":6.7}' ]
	[ "$(row stage negotiation)" = '{"type":"funnel","pipeline":"default","stage":"negotiation","label":"商务谈判","deals":3,"amount":300000,"currency":"CNY","conversion_pct":100,"avg_days":6}' ]
	[ "$(row stage won)" = '{"type":"funnel","pipeline":"default","stage":"won","label":"赢单","deals":3,"amount":300000,"currency":"CNY"}' ]
	[ "$(row stage lost)" = '{"type":"funnel","pipeline":"default","stage":"lost","label":"输单","deals":1,"amount":50000,"currency":"CNY"}' ]
}

@test "funnel --owner and --since filter the deals" {
	run crm report funnel --owner alice
	assert_success
	[ "$(jq -r '[.stage, .deals, .amount, .conversion_pct, .avg_days] | map(tostring) | join(" ")' <<<"$output" | paste -sd,)" = \
		"new 3 270000 100 8.7,qualified 3 270000 100 5,proposal 3 270000 66.7 6.5,negotiation 2 220000 100 6,won 2 220000 null null,lost 1 50000 null null" ]
	# created since Feb 2: D3 (02-02), D4 (02-20), D6 (02-05)
	run crm report funnel --since 2026-02-02
	[ "$(jq -r '[.stage, .deals] | map(tostring) | join(" ")' <<<"$output" | paste -sd,)" = \
		"new 3,qualified 2,proposal 2,negotiation 1,won 1,lost 0" ]
	# the filtered path reads the history; with a --since before everything it
	# must agree with the unfiltered one
	run crm report funnel --since 2020-01-01
	local a="$output"
	run crm report funnel
	[ "$a" = "$output" ]
}

@test "funnel of another pipeline; unknown pipeline exits 1; bad --since exits 2" {
	crm pipeline add saas --stages "demo:产品演示:30,poc:POC测试:60,won:赢单:100:won,lost:输单:0:lost" >/dev/null
	CRM_NOW='2026-02-01 10:00' crm deal add name=s1 pipeline=saas amount=10 >/dev/null
	CRM_NOW='2026-02-01 10:00' crm deal add name=s2 pipeline=saas amount=20 >/dev/null
	CRM_NOW='2026-02-11 10:00' crm stage move 7 poc >/dev/null
	run crm report funnel --pipeline saas
	assert_success
	[ "$(jq -r '[.stage, .deals, .amount, .conversion_pct, .avg_days] | map(tostring) | join(" ")' <<<"$output" | paste -sd,)" = \
		"demo 2 30 50 19,poc 1 10 0 18,won 0 0 null null,lost 0 0 null null" ]
	run --separate-stderr crm report funnel --pipeline nosuch
	assert_failure 1
	run --separate-stderr crm report funnel --since yesterdayish
	assert_failure 2
}

@test "forecast by month: weighted open pipeline, total, won" {
	run --separate-stderr crm report forecast
	assert_success
	assert_jsonl
	assert_equal "$(sed -n 1p <<<"$output")" '{"type":"forecast","by":"month","period":"2026-02","currency":"CNY","open_deals":0,"pipeline":0,"weighted":0,"won_deals":3,"won":300000}'
	# D4: 30000.50 x 10% = 3000.05 exactly
	assert_equal "$(sed -n 2p <<<"$output")" '{"type":"forecast","by":"month","period":"2026-03","currency":"CNY","open_deals":1,"pipeline":30000.5,"weighted":3000.05,"won_deals":0,"won":0}'
	assert_equal "$(sed -n 3p <<<"$output")" '{"type":"forecast","by":"month","period":"2026-04","currency":"CNY","open_deals":1,"pipeline":200000,"weighted":100000,"won_deals":0,"won":0}'
	[ "${#lines[@]}" -eq 3 ]
}

@test "forecast --by owner and --by week (weeks start on Monday)" {
	run crm report forecast --by owner
	assert_line '{"type":"forecast","by":"owner","owner":"alice","currency":"CNY","open_deals":0,"pipeline":0,"weighted":0,"won_deals":2,"won":220000}'
	assert_line '{"type":"forecast","by":"owner","owner":"bob","currency":"CNY","open_deals":2,"pipeline":230000.5,"weighted":103000.05,"won_deals":1,"won":80000}'
	run crm report forecast --by week
	[ "$(jq -r .period <<<"$output" | paste -sd,)" = "2026-02-09,2026-02-16,2026-02-23,2026-03-02,2026-04-06" ]
	run --separate-stderr crm report forecast --by year
	assert_failure 2
}

@test "cycle: median and p90 days lead-created to won per source, owner, pipeline; days per stage" {
	run --separate-stderr crm report cycle
	assert_success
	assert_jsonl
	# D1 51 days (lead 1 from 01-01), D6 55 (lead 2 from 01-01), D5 10 (no lead: the deal's 02-01)
	assert_line '{"type":"cycle","by":"source","key":"web","won_deals":2,"median_days":53,"p90_days":55}'
	assert_line '{"type":"cycle","by":"source","key":"展会","won_deals":1,"median_days":10,"p90_days":10}'
	assert_line '{"type":"cycle","by":"owner","key":"alice","won_deals":2,"median_days":53,"p90_days":55}'
	assert_line '{"type":"cycle","by":"owner","key":"bob","won_deals":1,"median_days":10,"p90_days":10}'
	assert_line '{"type":"cycle","by":"pipeline","key":"default","won_deals":3,"median_days":51,"p90_days":55}'
	assert_line '{"type":"cycle","by":"stage","key":"new","pipeline":"default","stays":6,"avg_days":9.2}'
	assert_line '{"type":"cycle","by":"stage","key":"negotiation","pipeline":"default","stays":1,"avg_days":6}'
	[ "${#lines[@]}" -eq 9 ]
}

@test "leaderboard: won amount and count, win rate, activities, open pipeline; --since" {
	run --separate-stderr crm report leaderboard
	assert_success
	assert_line --index 0 '{"type":"leaderboard","rank":1,"owner":"alice","won_amount":220000,"currency":"CNY","won_deals":2,"win_pct":66.7,"activities":3,"open_pipeline":0,"open_deals":0}'
	assert_line --index 1 '{"type":"leaderboard","rank":2,"owner":"bob","won_amount":80000,"currency":"CNY","won_deals":1,"win_pct":100,"activities":2,"open_pipeline":230000.5,"open_deals":2}'
	run crm report leaderboard --since 2026-02-15
	assert_line --index 0 '{"type":"leaderboard","rank":1,"owner":"alice","won_amount":220000,"currency":"CNY","won_deals":2,"win_pct":66.7,"activities":0,"open_pipeline":0,"open_deals":0}'
	assert_line --index 1 '{"type":"leaderboard","rank":2,"owner":"bob","won_amount":0,"currency":"CNY","won_deals":0,"activities":1,"open_pipeline":230000.5,"open_deals":2}'
}

@test "sources: leads, qualified, converted, won amount and rates per lead source" {
	run --separate-stderr crm report sources
	assert_success
	assert_line --index 0 '{"type":"source","source":"web","leads":3,"qualified":2,"converted":1,"won_deals":2,"won_amount":220000,"currency":"CNY","qualified_pct":66.7,"converted_pct":33.3}'
	assert_line --index 1 '{"type":"source","source":"展会","leads":2,"qualified":1,"converted":1,"won_deals":1,"won_amount":80000,"currency":"CNY","qualified_pct":50,"converted_pct":50}'
	[ "${#lines[@]}" -eq 2 ]
}

@test "silent: accounts (90 days) and open deals (14 days) with no activity, with owner" {
	run --separate-stderr crm report silent
	assert_success
	assert_jsonl
	# account 2: nothing since it was created 2025-10-01; account 1 had a deal call 02-10
	assert_line --index 0 '{"type":"account","id":2,"name":"宁波海运","owner":"bob","silent_days":151}'
	assert_line --index 1 '{"type":"deal","id":3,"name":"C","owner":"bob","last_activity_at":"2026-02-10T10:00:00+08:00","silent_days":19}'
	[ "${#lines[@]}" -eq 2 ]
	run crm report silent --days 5
	[ "$(jq -r '"\(.type):\(.id)"' <<<"$output" | paste -sd,)" = "account:2,account:1,account:3,deal:3" ]
	run crm report silent --owner alice
	assert_failure 1
	run --separate-stderr crm report silent --days x
	assert_failure 2
}

@test "silent pipes into commands that act on records" {
	run bash -c 'crm report silent | crm deal show'
	# the account line is refused (not a deal), the deal line is shown
	assert_failure 3
	assert_line --partial '"name":"C"'
}

@test "every report prints a table within 80 columns, and csv" {
	for r in funnel forecast cycle leaderboard sources silent; do
		run --separate-stderr env COLUMNS=80 crm --table report "$r"
		assert_success
		local w
		w=$(printf '%s\n' "$output" | wc -L)
		[ "$w" -le 80 ] || fail "report $r is $w columns wide"
		[ "${#lines[@]}" -ge 2 ] || fail "report $r: no rows"
		run --separate-stderr crm --csv report "$r"
		assert_success
		[ "$(head -1 <<<"$output" | cut -d, -f1)" = type ] || fail "report $r csv header: ${lines[0]}"
	done
}

@test "the funnel table looks like a funnel: centred bars that narrow" {
	run env COLUMNS=80 crm --table report funnel
	assert_line --index 0 --regexp '^label +deals +amount +conversion_pct +avg_days +funnel$'
	assert_line --index 1 --regexp '初步接触 +6 +580000\.5 +83\.3 +9\.2  ████████████████$'
	# negotiation (3 of 6): half the width, indented by a quarter
	assert_line --index 4 --regexp '商务谈判 +3 +300000 +100 +6      ████████$'
	run crm --csv report funnel
	assert_line --index 0 'type,pipeline,stage,label,deals,amount,currency,conversion_pct,avg_days'
	assert_line --index 5 'funnel,default,won,赢单,3,300000,CNY,,'
}

@test "reports on an empty database: funnel shows zeros, the others find nothing (exit 1)" {
	empty_db
	run crm report funnel
	assert_success
	[ "$(jq -r .deals <<<"$output" | paste -sd,)" = "0,0,0,0,0,0" ]
	for r in forecast leaderboard sources silent; do
		run crm report "$r"
		assert_failure 1
	done
}

@test "funnel counts and days stay in step with the deals through rm, restore, amount changes and stage edits" {
	counts() { crm report funnel "$@" | jq -c '[.stage, .deals, .amount, .avg_days]' | paste -sd' '; }
	same() {
		local fast slow
		fast=$(counts)
		slow=$(counts --since 2000-01-01)   # counted from the deals themselves
		[ "$fast" = "$slow" ] || fail "summary: $fast / deals: $slow"
	}
	crm deal rm 3 >/dev/null
	same
	[ "$(crm report funnel | jq -r 'select(.stage=="new") | .deals')" = 5 ]
	crm deal update 4 amount=1 >/dev/null
	same
	crm restore deal:3 >/dev/null
	same
	crm stage add 报价审批 --position 3 >/dev/null
	same
	[ "$(crm report funnel | jq -r 'select(.stage=="报价审批") | .deals')" = 5 ]
	crm stage rm 报价审批 >/dev/null
	same
	crm deal rm --purge 4 >/dev/null
	same
	[ "$(crm report funnel | jq -r 'select(.stage=="new") | .amount')" = 550000 ]
	# a removed deal's stays leave the days per stage too (cycle reads the same)
	crm deal rm 1 >/dev/null
	same
	[ "$(crm report cycle | jq -r 'select(.by=="stage" and .key=="new") | .stays')" = 4 ]
	crm restore deal:1 >/dev/null
	same
	[ "$(crm report cycle | jq -r 'select(.by=="stage" and .key=="new") | .stays')" = 5 ]
}

@test "funnel --since finds the period's stays however they were written: moves, an import, its undo, by hand" {
	days() { crm report funnel "$@" | jq -r '[.stage, .deals, (.avg_days // "-")] | map(tostring) | join(" ")' | paste -sd,; }
	same() {
		# every stay, read by its deal's creation time, as the summary has it
		[ "$(days --since 2000-01-01)" = "$(days)" ] || fail "period: $(days --since 2000-01-01) / all: $(days)"
		[ "$(days --until 2100-01-01)" = "$(days)" ] || fail "period: $(days --until 2100-01-01) / all: $(days)"
	}
	same
	# I1 (deal 7, made 02-26) in proposal from the import (03-01), two days
	# there, then two in negotiation
	printf 'name,amount,stage,created_at\nI1,1000,proposal,2026-02-26 09:00\n' > "$BATS_TEST_TMPDIR/d1.csv"
	crm import deals "$BATS_TEST_TMPDIR/d1.csv" >/dev/null 2>&1
	same
	CRM_NOW='2026-03-03 10:00' crm stage move 7 negotiation >/dev/null
	export CRM_NOW='2026-03-05 10:00'
	same
	[ "$(days --since 2026-02-26)" = "new 1 -,qualified 1 -,proposal 1 2,negotiation 1 2,won 0 -,lost 0 -" ]
	# I2 (deal 8) made in June 2025, in new since the import; undone
	printf 'name,amount,stage,created_at\nI2,2000,new,2025-06-01 09:00\n' > "$BATS_TEST_TMPDIR/d2.csv"
	CRM_NOW='2026-03-04 10:00' crm import deals "$BATS_TEST_TMPDIR/d2.csv" >/dev/null 2>&1
	same
	[ "$(days --since 2025-05-01 --until 2025-07-01)" = "new 1 1,qualified 0 -,proposal 0 -,negotiation 0 -,won 0 -,lost 0 -" ]
	crm import undo 2 >/dev/null 2>&1
	same
	[ "$(days --since 2025-05-01 --until 2025-07-01)" = "new 0 -,qualified 0 -,proposal 0 -,negotiation 0 -,won 0 -,lost 0 -" ]
	# written by hand: a stay, and a deal's creation time (D4, made 02-20, in new)
	sqlite3 "$CRM_DB" "INSERT INTO stage_history(deal_id, pipeline, from_stage, to_stage, at, user)
		VALUES (4, 'default', 'new', 'qualified', '2026-03-04T10:00:00+08:00', 'tester');
		UPDATE deal SET stage = 'qualified', stage_entered_at = '2026-03-04T10:00:00+08:00' WHERE id = 4"
	same
	[ "$(days --since 2026-02-20 --until 2026-02-21)" = "new 1 12,qualified 1 1,proposal 0 -,negotiation 0 -,won 0 -,lost 0 -" ]
	sqlite3 "$CRM_DB" "UPDATE deal SET created_at = '2025-01-01T10:00:00+08:00' WHERE id = 4"
	same
	[ "$(days --since 2026-02-20 --until 2026-02-21)" = "new 0 -,qualified 0 -,proposal 0 -,negotiation 0 -,won 0 -,lost 0 -" ]
	[ "$(days --until 2025-01-02)" = "new 1 12,qualified 1 1,proposal 0 -,negotiation 0 -,won 0 -,lost 0 -" ]
	# a deal id far past the others (set by hand): the same stays
	[ "$(days --since 2026-02-02 --until 2026-02-03)" = "new 1 10,qualified 1 10,proposal 1 11,negotiation 0 -,won 0 -,lost 0 -" ]
	sqlite3 "$CRM_DB" "UPDATE stage_history SET deal_id = 90000000 WHERE deal_id = 3; UPDATE deal SET id = 90000000 WHERE id = 3"
	same
	[ "$(days --since 2026-02-02 --until 2026-02-03)" = "new 1 10,qualified 1 10,proposal 1 11,negotiation 0 -,won 0 -,lost 0 -" ]
}

@test "import undo --force of a deal moved since: the funnel's days forget its stays, as crm deal rm does" {
	days() { crm report funnel "$@" | jq -r '[.stage, .deals, (.avg_days // "-")] | map(tostring) | join(" ")' | paste -sd,; }
	export CRM_NOW='2026-03-01 10:00'
	before=$(days)
	printf 'name,amount,stage,created_at\nI3,1000,new,2026-02-26 09:00\n' > "$BATS_TEST_TMPDIR/d3.csv"
	crm import deals "$BATS_TEST_TMPDIR/d3.csv" >/dev/null 2>&1
	id=$(crm deal list --where "name = 'I3'" | jq .id)
	# four days in new (03-01 to 03-05): a finished stay in the counts
	CRM_NOW='2026-03-05 10:00' crm stage move "$id" qualified >/dev/null
	[ "$(days)" != "$before" ] || fail "the stay did not count"
	run --separate-stderr crm import undo 1
	assert_failure 4   # the deal was changed since
	run --separate-stderr crm import undo 1 --force
	assert_success
	[ "$(days)" = "$before" ] || fail "after the undo: $(days), before the import: $before"
	[ "$(days --since 2000-01-01)" = "$before" ]
}

@test "forecast puts a won deal in the period of the instant it closed, whatever offset it was written with" {
	export TZ=Asia/Shanghai CRM_DB="$BATS_TEST_TMPDIR/forecast.db"   # not the shared fixture
	crm -q init >/dev/null
	CRM_NOW=2026-04-01T10:00:00+08:00 crm deal add name=m1 amount=100 >/dev/null
	CRM_NOW=2026-04-01T10:00:00+08:00 crm deal add name=m2 amount=200 >/dev/null
	CRM_NOW=2026-05-01T09:00:00+08:00 crm stage move 1 won >/dev/null
	TZ=America/Chicago CRM_NOW=2026-04-30T20:00:00-05:00 crm stage move 2 won >/dev/null
	run env CRM_NOW=2026-05-02T10:00:00+08:00 crm report forecast
	assert_success
	[ "$(jq -c '[.period, .won_deals, .won]' <<<"$output")" = '["2026-05",2,300]' ]
}
