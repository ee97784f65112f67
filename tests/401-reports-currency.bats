#!/usr/bin/env bats
# Reports never add up different currencies: each row says its currency,
# and with several there is one row per currency (each currency's own
# funnel, forecast, leaderboard, sources).
load helper

local_setup() {
	fresh_db
	export CRM_NOW=2026-11-10T10:00:00+08:00
	# CNY (the default): alice 10万 won, alice 5万 open, carol 1万 open (no currency: the default)
	crm -q deal add name=国内大单 amount=10万 owner=alice source=web expected_close=2026-11-30 >/dev/null
	crm -q deal add name=国内小单 amount=5万 owner=alice source=展会 expected_close=2026-12-10 >/dev/null
	# USD: bob 2万 won, bob 3万 open, alice 1万 won
	crm -q deal add name=海外单 amount=2万 currency=USD owner=bob source=web expected_close=2026-11-30 >/dev/null
	crm -q deal add name=海外二单 amount=3万 currency=USD owner=bob source=web expected_close=2026-12-20 >/dev/null
	crm -q deal add name=海外三单 amount=1万 currency=USD owner=alice source=web expected_close=2026-11-30 >/dev/null
	crm -q deal add name=无金额 owner=carol expected_close=2026-12-31 >/dev/null
	crm -q stage move 1 won >/dev/null
	crm -q stage move 3 won >/dev/null
	crm -q stage move 5 won >/dev/null
}

@test "funnel: one funnel per currency, never a sum across them" {
	run --separate-stderr crm report funnel
	assert_success
	# CNY: deals 1, 2 and 6 (no amount, no currency: the default); 10万 + 5万 = 150000
	[ "$(jq -c 'select(.stage == "new" and .currency == "CNY") | [.deals, .amount]' <<<"$output")" = '[3,150000]' ]
	[ "$(jq -c 'select(.stage == "won" and .currency == "CNY") | [.deals, .amount]' <<<"$output")" = '[1,100000]' ]
	# USD: 2万 + 3万 + 1万 = 60000 reached new; won 2万 + 1万 = 30000
	[ "$(jq -c 'select(.stage == "new" and .currency == "USD") | [.deals, .amount]' <<<"$output")" = '[3,60000]' ]
	[ "$(jq -c 'select(.stage == "won" and .currency == "USD") | [.deals, .amount]' <<<"$output")" = '[2,30000]' ]
	# six stages each, the default currency first
	[ "${#lines[@]}" = 12 ]
	[ "$(jq -r .currency <<<"${lines[0]}")" = CNY ]
	[ "$(jq -r .currency <<<"${lines[6]}")" = USD ]
	# USD conversion from new: 2 of 3 reached qualified = 66.7
	[ "$(jq -c 'select(.stage == "new" and .currency == "USD") | .conversion_pct' <<<"$output")" = 66.7 ]
	# no row adds CNY and USD: 150000 + 60000 appears nowhere
	refute_output --partial '"amount":210000'
}

@test "forecast, leaderboard and sources: one row per currency" {
	run crm report forecast
	assert_success
	# won in 2026-11: CNY 10万; USD 2万 + 1万 = 30000
	[ "$(jq -c 'select(.period == "2026-11" and .currency == "CNY") | [.won_deals, .won]' <<<"$output")" = '[1,100000]' ]
	[ "$(jq -c 'select(.period == "2026-11" and .currency == "USD") | [.won_deals, .won]' <<<"$output")" = '[2,30000]' ]
	# open in 2026-12: CNY 5万 (weighted at 10%: 5000), USD 3万 (3000)
	[ "$(jq -c 'select(.period == "2026-12" and .currency == "CNY") | [.open_deals, .pipeline, .weighted]' <<<"$output")" = '[2,50000,5000]' ]
	[ "$(jq -c 'select(.period == "2026-12" and .currency == "USD") | [.open_deals, .pipeline, .weighted]' <<<"$output")" = '[1,30000,3000]' ]
	run crm report leaderboard
	assert_success
	# alice: CNY 10万 won, 5万 open; USD 1万 won. bob: USD 2万 won, 3万 open
	assert_line '{"type":"leaderboard","rank":1,"owner":"alice","won_amount":100000,"currency":"CNY","won_deals":1,"win_pct":100,"activities":0,"open_pipeline":50000,"open_deals":1}'
	assert_line '{"type":"leaderboard","rank":1,"owner":"bob","won_amount":20000,"currency":"USD","won_deals":1,"win_pct":100,"activities":0,"open_pipeline":30000,"open_deals":1}'
	assert_line '{"type":"leaderboard","rank":2,"owner":"alice","won_amount":10000,"currency":"USD","won_deals":1,"win_pct":100,"activities":0,"open_pipeline":0,"open_deals":0}'
	run crm report sources
	assert_success
	# web won: CNY 10万; USD 2万 + 1万 = 30000
	[ "$(jq -c 'select(.source == "web" and .currency == "CNY") | .won_amount' <<<"$output")" = 100000 ]
	[ "$(jq -c 'select(.source == "web" and .currency == "USD") | [.won_deals, .won_amount]' <<<"$output")" = '[2,30000]' ]
	# leads count in the currency of their budget (none: the default)
	crm -q lead add name=海外线索 budget=5000 currency=USD source=web >/dev/null
	crm -q lead add name=国内线索 source=web >/dev/null
	run crm report sources
	[ "$(jq -c 'select(.source == "web") | [.currency, .leads]' <<<"$output" | paste -sd' ')" = '["CNY",1] ["USD",1]' ]
}

@test "several currencies: the table has a currency column" {
	run env COLUMNS=120 crm --table report leaderboard
	assert_line --index 0 --regexp '^owner +currency +won_amount'
	assert_line --regexp '^bob +USD +20000 '
	run env COLUMNS=120 crm --table report funnel
	assert_line --index 0 --regexp '^label +currency +deals +amount'
	assert_line --regexp '^赢单 +USD +2 +30000 '
}

@test "one currency: the reports as before, each row saying its currency; no currency column in the table" {
	sqlite3 "$CRM_DB" "DELETE FROM deal WHERE currency = 'USD'"
	run crm report funnel
	[ "${#lines[@]}" = 6 ]
	[ "$(jq -r .currency <<<"$output" | sort -u)" = CNY ]
	run env COLUMNS=120 crm --table report funnel
	assert_line --index 0 --regexp '^label +deals +amount +conversion_pct +avg_days +funnel$'
	# a database whose only currency is not the default
	sqlite3 "$CRM_DB" "UPDATE deal SET currency = 'EUR'"
	run crm report leaderboard
	[ "$(jq -r .currency <<<"$output" | sort -u)" = EUR ]
	run env COLUMNS=120 crm --table report leaderboard
	assert_line --index 0 --regexp '^owner +won_amount'
	# a removed deal's currency does not make a second row
	crm -q deal add name=日元单 amount=100万 currency=JPY owner=dave >/dev/null
	crm -q deal rm 7 >/dev/null
	run crm report forecast
	refute_output --partial JPY
}

@test "a currency is its code: usd is USD, 人民币 is CNY, in a record, an import, the setting; a report has one row for it" {
	crm -q deal add name=小写美元 amount=100 currency=usd owner=bob >/dev/null
	run --separate-stderr crm deal show 7
	[ "$(jqo .currency)" = USD ]
	# 2万 + 3万 + 1万 + 100 = 60100 reached new, all of it USD
	run --separate-stderr crm report funnel
	[ "$(jq -c 'select(.stage == "new" and .currency == "USD") | [.deals, .amount]' <<<"$output")" = '[4,60100]' ]
	[ "$(jq -r .currency <<<"$output" | sort -u | paste -sd' ')" = "CNY USD" ]
	printf '商机名称,金额,币种\n人民币单,200,人民币\n美金单,300,美元\n港币单,400,hkd\n' > "$BATS_TEST_TMPDIR/d.csv"
	run --separate-stderr crm import deals "$BATS_TEST_TMPDIR/d.csv"
	assert_success
	[ "$(crm deal list --where "id > 7" | jq -r '.currency' | paste -sd' ')" = "CNY USD HKD" ]
	# in a pipe: the lines' records updated, each to the code
	run --separate-stderr bash -c "crm deal list --where \"name = '港币单'\" | crm deal update currency=rmb | jq -r .currency"
	assert_success
	assert_output CNY
	run --separate-stderr crm deal add name=乱写 amount=1 currency=dollars
	assert_failure 3
	[[ "$stderr" == *"currency: 'dollars' is not a currency code"* ]] || fail "stderr: $stderr"
	[ "$(crm sql "SELECT count(*) AS n FROM deal WHERE name = '乱写'" | jq .n)" = 0 ]
	run --separate-stderr crm config set currency eur
	assert_success
	[ "$(crm config get currency)" = EUR ]
	crm -q lead add name=欧元客户 budget=5000 >/dev/null
	[ "$(crm lead list | jq -r 'select(.name == "欧元客户") | .currency')" = EUR ]
	run --separate-stderr crm config set currency 欧元币
	assert_failure 3
	[ "$(crm config get currency)" = EUR ]
}
