#!/usr/bin/env bats
# crm report receivables|revenue|products (CLI.md 8.2): exact sums, one row
# per group and currency.
load helper

local_setup() {
	export CRM_NOW='2026-03-02 10:00'
	fresh_db
	crm account add name=杭州云启 owner=alice >/dev/null
	crm account add name=Acme owner=bob >/dev/null
}

# A signed contract: sign DEAL AMOUNT [CURRENCY [SIGNED]]
signed() {
	local cur=${3:-CNY}
	crm deal add name="$1" account_id=$4 amount="$2" currency=$cur owner=$5 >/dev/null
	local d
	d=$(crm deal list --where "name = '$1'" | jq .id)
	crm contract add --deal $d amount="$2" start=2026-01-01 end=2027-12-31 >/dev/null
	local k
	k=$(crm contract list --where "deal_id = $d" | jq .id)
	crm contract submit $k >/dev/null
	crm contract sign $k --date "${6:-2026-01-15}" >/dev/null
}

@test "receivables: buckets by days past due at --as-of (due that day is not due; 30, 60, 90 days are the ends)" {
	signed 八期 8000 CNY 1 alice
	for due in 2026-06-30 2026-06-29 2026-05-31 2026-05-30 2026-05-01 2026-04-30 2026-04-01 2026-03-31; do
		crm plan add --contract 1 amount=1000 due=$due >/dev/null
	done
	# late by 0 | 1, 30 | 31, 60 | 61, 90 | 91 days: 1000 | 2000 | 2000 | 2000 | 1000, 8000 in all
	run --separate-stderr crm report receivables --as-of 2026-06-30
	assert_success
	assert_output '{"type":"receivables","as_of":"2026-06-30","account_id":1,"account":"杭州云启","currency":"CNY","not_due":1000,"d1_30":2000,"d31_60":2000,"d61_90":2000,"over_90":1000,"total":8000}'
	# payments: 1500.50 to the oldest two in due order (03-31, 04-01): 1000 + 500.50
	crm payment add --contract 1 amount=1500.50 date=2026-06-01 >/dev/null
	# over_90 0; d61_90 2000 - 500.50 = 1499.50; total 8000 - 1500.50 = 6499.50
	run crm report receivables --as-of 2026-06-30
	[ "$(jq -c '[.not_due, .d1_30, .d31_60, .d61_90, .over_90, .total]' <<<"$output")" = "[1000,2000,2000,1499.5,0,6499.5]" ]
	# before the payment came in, it does not count
	run crm report receivables --as-of 2026-05-31
	# late at 05-31: 06-30, 06-29 not due; 05-31 (0) not due; 05-30 (1), 05-01 (30) d1_30;
	# 04-30 (31), 04-01 (60) d31_60; 03-31 (61) d61_90
	[ "$(jq -c '[.not_due, .d1_30, .d31_60, .d61_90, .over_90, .total]' <<<"$output")" = "[3000,2000,2000,1000,0,8000]" ]
	# default: today (2026-03-02): everything not due yet
	run crm report receivables
	[ "$(jq -c '[.as_of, .not_due, .total]' <<<"$output")" = '["2026-03-02",8000,8000]' ]
}

@test "receivables never mix currencies: one row per group and currency; by owner and by contract" {
	signed 国内 5000 CNY 1 alice
	signed 海外 3000 USD 2 bob
	signed 海外二 2000.25 USD 2 bob
	crm plan add --contract 1 amount=5000 due=2026-05-01 >/dev/null
	crm plan add --contract 2 amount=3000 due=2026-05-20 >/dev/null
	crm plan add --contract 3 amount=2000.25 due=2026-04-10 >/dev/null
	crm payment add --contract 3 amount=0.25 date=2026-04-01 >/dev/null
	# at 06-01: CNY 5000 late 31 days; USD 3000 late 12 days, 2000.25 - 0.25 = 2000.00
	# late 52 days; the largest total first (5000 each: by account)
	run crm report receivables --as-of 2026-06-01
	assert_success
	[ "$(jq -sc 'map([.account, .currency, .d1_30, .d31_60, .total])' <<<"$output")" = '[["杭州云启","CNY",0,5000,5000],["Acme","USD",3000,2000,5000]]' ]
	run crm report receivables --as-of 2026-06-01 --by owner
	[ "$(jq -sc 'map([.owner, .currency, .total])' <<<"$output")" = '[["alice","CNY",5000],["bob","USD",5000]]' ]
	run crm report receivables --as-of 2026-06-01 --by contract
	[ "$(jq -sc 'map([.contract_id, .number, .currency, .total])' <<<"$output")" = '[[1,"HT-2026-0001","CNY",5000],[2,"HT-2026-0002","USD",3000],[3,"HT-2026-0003","USD",2000]]' ]
	run --separate-stderr crm report receivables --by region
	assert_failure 2
	run --separate-stderr crm report receivables --as-of someday
	assert_failure 2
	# a table on a terminal, csv for a spreadsheet
	run crm --csv report receivables --as-of 2026-06-01
	[ "${lines[0]}" = "type,as_of,account_id,account,currency,not_due,d1_30,d31_60,d61_90,over_90,total" ]
}

@test "receivables: a signed contract without a plan is one instalment due the day it was signed, less its payments" {
	signed 无计划 5000 CNY 1 alice 2026-01-15
	# 2026-01-20 is 5 days after the signing: 5000 in d1_30
	run --separate-stderr crm report receivables --as-of 2026-01-20
	assert_success
	[ "$(jq -c '[.account, .not_due, .d1_30, .d31_60, .total]' <<<"$output")" = '["杭州云启",0,5000,0,5000]' ]
	# 1200 paid on 02-01: 5000 - 1200 = 3800, 46 days late on 03-02 (d31_60)
	crm payment add --contract 1 amount=1200 date=2026-02-01 >/dev/null
	run crm report receivables --as-of 2026-03-02
	[ "$(jq -c '[.d1_30, .d31_60, .total]' <<<"$output")" = '[0,3800,3800]' ]
	[ "$(crm contract show 1 | jq .unreceived)" = 3800 ]
	# before it was signed it was not due; once a plan exists the plan says when
	run crm report receivables --as-of 2026-01-10
	assert_failure 1
	crm plan add --contract 1 amount=5000 due=2026-06-30 >/dev/null
	# the new plan takes the 1200 paid before it: 5000 - 1200 = 3800 open
	[ "$(crm plan show 1 | jq -c '[.received, .unreceived, .status]')" = '[1200,3800,"partial"]' ]
	run crm report receivables --as-of 2026-03-02
	[ "$(jq -c '[.not_due, .d31_60, .total]' <<<"$output")" = '[3800,0,3800]' ]
	# paid in full: nothing due
	crm payment add --contract 1 amount=3800 date=2026-03-02 >/dev/null
	run crm report receivables --as-of 2026-03-02
	assert_failure 1
}

@test "receivables: nothing due is exit 1" {
	run --separate-stderr crm report receivables
	assert_failure 1
}

@test "revenue: contracted by signing date, invoiced by issue date, received by payment date; per month, quarter, owner; --since" {
	signed 一期 10000 CNY 1 alice 2026-01-15
	signed 二期 20000.50 CNY 1 bob 2026-04-02
	signed 海外 3000 USD 2 bob 2026-04-20
	crm invoice add --contract 1 amount=6000 >/dev/null
	crm invoice issue 1 --date 2026-02-01 >/dev/null
	crm invoice add --contract 2 amount=20000.50 >/dev/null
	crm invoice issue 2 --date 2026-04-05 >/dev/null
	crm invoice add --contract 2 amount=1 >/dev/null   # a draft: not invoiced
	crm payment add --contract 1 amount=4000 date=2026-02-10 >/dev/null
	crm payment add --contract 1 amount=6000 date=2026-04-10 >/dev/null
	crm payment add --contract 3 amount=1000 date=2026-04-30 >/dev/null
	run --separate-stderr crm report revenue
	assert_success
	[ "$(jq -sc 'map([.period, .currency, .contracted, .invoiced, .received])' <<<"$output")" = '[["2026-01","CNY",10000,0,0],["2026-02","CNY",0,6000,4000],["2026-04","CNY",20000.5,20000.5,6000],["2026-04","USD",3000,0,1000]]' ]
	# Q1: 10000 contracted, 6000 invoiced, 4000 received; Q2: 20000.50, 20000.50, 6000
	run crm report revenue --by quarter
	[ "$(jq -sc 'map([.period, .currency, .contracted, .invoiced, .received])' <<<"$output")" = '[["2026-Q1","CNY",10000,6000,4000],["2026-Q2","CNY",20000.5,20000.5,6000],["2026-Q2","USD",3000,0,1000]]' ]
	# by the contract's owner: alice 10000 / 6000 / 4000 + 6000 = 10000
	run crm report revenue --by owner
	[ "$(jq -sc 'map([.owner, .currency, .contracted, .invoiced, .received])' <<<"$output")" = '[["alice","CNY",10000,6000,10000],["bob","CNY",20000.5,20000.5,0],["bob","USD",3000,0,1000]]' ]
	run crm report revenue --since 2026-04-01
	[ "$(jq -sc 'map(.period) | unique' <<<"$output")" = '["2026-04"]' ]
	# a voided invoice is not invoiced
	crm invoice void 2 >/dev/null
	run crm report revenue --since 2026-04-01
	[ "$(jq -sc 'map(select(.currency == "CNY")) | map(.invoiced)' <<<"$output")" = '[0]' ]
	run --separate-stderr crm report revenue --by week
	assert_failure 2
}

@test "products: quantity and amount per product on signed contracts only; --since" {
	crm product add name=企业版 sku=ENT price=12800 >/dev/null
	crm product add name=实施 sku=SVC price=1500 tax_rate=6 >/dev/null
	crm deal add name=甲 account_id=1 amount=1 >/dev/null
	crm deal add name=乙 account_id=1 amount=1 >/dev/null
	# quote 1: 2 x ENT = 25600.00, 1.5 x SVC -10% = 2025.00; quote 2: 1 x ENT = 12800.00, 0.25 x SVC = 375.00
	crm quote add --deal 1 >/dev/null
	crm quote line add 1 --product ENT --qty 2 >/dev/null
	crm quote line add 1 --product SVC --qty 1.5 --discount 10 >/dev/null
	crm quote add --deal 2 >/dev/null
	crm quote line add 2 --product ENT >/dev/null
	crm quote line add 2 --product SVC --qty 0.25 >/dev/null
	for q in 1 2; do crm quote send $q >/dev/null; crm quote accept $q >/dev/null; done
	crm contract add --quote 1 start=2026-01-01 end=2026-12-31 >/dev/null
	crm contract add --quote 2 start=2026-01-01 end=2026-12-31 >/dev/null
	crm contract submit 1 >/dev/null
	crm contract sign 1 --date 2026-02-01 >/dev/null
	# only contract 1 is signed
	run --separate-stderr crm report products
	assert_success
	[ "$(jq -sc 'map([.sku, .name, .quantity, .amount, .contracts, .currency])' <<<"$output")" = '[["ENT","企业版",2,25600,1,"CNY"],["SVC","实施",1.5,2025,1,"CNY"]]' ]
	crm contract submit 2 >/dev/null
	crm contract sign 2 --date 2026-03-01 >/dev/null
	# ENT 2 + 1 = 3, 25600 + 12800 = 38400; SVC 1.5 + 0.25 = 1.75, 2025 + 375 = 2400
	run crm report products
	[ "$(jq -sc 'map([.sku, .quantity, .amount, .contracts])' <<<"$output")" = '[["ENT",3,38400,2],["SVC",1.75,2400,2]]' ]
	run crm report products --since 2026-02-15
	[ "$(jq -sc 'map([.sku, .quantity, .amount])' <<<"$output")" = '[["ENT",1,12800],["SVC",0.25,375]]' ]
}
