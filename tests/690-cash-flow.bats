#!/usr/bin/env bats
# Lead to cash end to end (issue 17, acceptance 2 and 3): a deal, a quote
# of three lines, its approval, a contract with two approval steps, the
# payment plan, payments, an invoice, and the reports; then what must be
# refused, with nothing written.
load helper

local_setup() {
	export CRM_NOW='2026-03-02 10:00'
	fresh_db
}

# The count of rows of a table (live or not).
rows() {
	crm sql "SELECT count(*) AS n FROM \"$1\"" | jq .n
}

# Products, the deal, a quote with three lines. The arithmetic, in fen,
# half up at each step, prices include tax (CLI.md 8.2), quote discount 5%:
#   CRM-ENT  3 x 12800.00           = 3840000; x 95% = 3648000  (36480.00)
#            untaxed 3648000 x 100 / 113 = 3228318.58 -> 3228319 (32283.19)
#            tax 3648000 - 3228319 = 419681 (4196.81)
#   SVC      2.5 x 1500.00 = 375000; -10% = 337500; x 95% = 320625 (3206.25)
#            untaxed 320625 x 100 / 106 = 302476.42 -> 302476 (3024.76)
#            tax 320625 - 302476 = 18149 (181.49)
#   SMS      10000 x 0.05 = 50000; x 95% = 47500 (475.00)
#            untaxed 47500 x 100 / 113 = 42035.40 -> 42035 (420.35)
#            tax 47500 - 42035 = 5465 (54.65)
#   total    3648000 + 320625 + 47500 = 4016125 (40161.25)
#   untaxed  3228319 + 302476 + 42035 = 3572830 (35728.30)
#   tax      419681 + 18149 + 5465 = 443295 (4432.95)
quote_with_three_lines() {
	crm config set approval.discount_over 8 >/dev/null
	crm account add name=杭州云启科技有限公司 owner=alice >/dev/null
	crm product add name=企业版 sku=CRM-ENT price=12800 >/dev/null
	crm product add name=实施服务 sku=SVC price=1500 unit=人天 tax_rate=6 >/dev/null
	crm product add name=短信包 sku=SMS price=0.05 unit=条 >/dev/null
	crm --as alice deal add name=云启CRM account_id=1 amount=5万 >/dev/null
	crm --as alice quote add --deal 1 --valid-until 2026-03-31 --discount 5 >/dev/null
	crm --as alice quote line add 1 --product CRM-ENT --qty 3 >/dev/null
	crm --as alice quote line add 1 --product SVC --qty 2.5 --discount 10 >/dev/null
	crm --as alice quote line add 1 --product SMS --qty 10000 >/dev/null
}

@test "acceptance 2: deal to quote to contract to payments to reports, through pipes" {
	quote_with_three_lines
	run crm quote show 1
	assert_success
	assert_jsonl
	[ "${#lines[@]}" = 4 ]   # the quote, then its three lines
	[ "$(jq -r .type <<<"${lines[0]}")" = quote ]
	[ "$(jq -c '[.amount_untaxed, .amount_tax, .amount_total]' <<<"${lines[0]}")" = "[35728.3,4432.95,40161.25]" ]
	[ "$(jq -c '[.type, .line_no, .qty, .amount_total]' <<<"${lines[2]}")" = '["quote_line",2,2.5,3206.25]' ]
	[ "$(jq -c '[.amount_untaxed, .amount_tax]' <<<"${lines[1]}")" = "[32283.19,4196.81]" ]
	[ "$(jq -c '[.amount_untaxed, .amount_tax]' <<<"${lines[3]}")" = "[420.35,54.65]" ]

	# send: the line discount of 10% is over approval.discount_over (8%)
	run --separate-stderr bash -c 'crm --as alice quote list --status draft | crm --as alice quote send'
	assert_failure 4
	[[ "$stderr" == *"needs an approval; requested"* ]] || fail "stderr: $stderr"
	[ "$(crm quote show 1 | head -1 | jq -r .status)" = draft ]
	# the manager's morning: what waits for him, approved in one pipe
	run --separate-stderr bash -c 'crm --as dave approval list --mine | crm --as dave approve'
	assert_success
	[ "$(jqo '.entity + " " + .status + " " + .by')" = "quote:1 approved dave" ]
	# sent, then accepted: the deal is worth the quote's total now
	run --separate-stderr bash -c 'crm --as alice quote list --status draft | crm --as alice quote send | crm --as alice quote accept'
	assert_success
	[ "$(jqo .status)" = accepted ]
	[ "$(crm deal show 1 | jq .amount)" = 40161.25 ]

	# the contract: 40161.25 is over approval.contract.amount_over, two steps
	crm config set approval.contract.amount_over 30000 >/dev/null
	crm config set approval.contract.steps manager,legal >/dev/null
	run --separate-stderr bash -c 'crm --as alice contract add --quote 1 start=2026-03-05 end=2027-03-04 | crm --as alice contract submit'
	assert_success
	[ "$(jqo '.number + " " + .status')" = "HT-2026-0001 pending" ]
	[ "$(jqo .amount)" = 40161.25 ]
	[ "$(crm approval list --pending | jq -r '"\(.step) \(.role)"' | paste -sd,)" = "1 manager,2 legal" ]
	run --separate-stderr bash -c 'crm --as dave approval list --mine | crm --as dave approve'
	assert_success
	[ "$(jqo '"\(.step) \(.status)"')" = "1 approved" ]
	[ "$(crm contract show 1 | jq -r .status)" = pending ]
	run --separate-stderr bash -c 'crm --as lily approval list --mine | crm --as lily approve'
	assert_success
	[ "$(jqo '"\(.step) \(.role) \(.status) \(.by)"')" = "2 legal approved lily" ]
	# signed: the deal is won
	run --separate-stderr bash -c 'crm contract list --status approved | crm --as alice contract sign'
	assert_success
	[ "$(jqo '.status + " " + .signed_at')" = "signed 2026-03-02" ]
	[ "$(crm deal show 1 | jq -r '.stage + " " + .status')" = "won won" ]

	# the plan, 30/40/30 of 4016125:
	#   30% = 1204837.5 -> 1204838 (12048.38); 40% = 1606450 (16064.50)
	#   last = 4016125 - 1204838 - 1606450 = 1204837 (12048.37)
	run --separate-stderr crm plan split --contract HT-2026-0001 --parts 30%,40%,30% --first 2026-04-01
	assert_success
	[ "$(jq -sc 'map([.installment, .amount, .due])' <<<"$output")" = '[[1,12048.38,"2026-04-01"],[2,16064.5,"2026-05-01"],[3,12048.37,"2026-06-01"]]' ]
	# two payments, the second partial: 12048.38 pays instalment 1, 10000 of
	# instalment 2's 16064.50 leaves 6064.50
	crm payment add --contract HT-2026-0001 amount=12048.38 date=2026-03-28 method=银行转账 >/dev/null
	run --separate-stderr crm payment add --contract HT-2026-0001 amount=10000 date=2026-05-10
	assert_success
	[ "$(jq -c .applied <<<"$output")" = '[{"plan_id":2,"installment":2,"amount":10000}]' ]
	[ "$(crm plan list | jq -r .status | paste -sd,)" = "paid,partial,pending" ]
	# received 12048.38 + 10000 = 22048.38; unreceived 40161.25 - 22048.38 = 18112.87
	[ "$(crm contract show 1 | jq -c '[.received, .unreceived]')" = "[22048.38,18112.87]" ]
	# an invoice of 20000.00, issued
	run --separate-stderr bash -c 'crm invoice add --contract HT-2026-0001 amount=20000 | crm invoice issue --date 2026-03-20'
	assert_success
	[ "$(jqo '.number + " " + .status + " " + .issued_at + " " + .title')" = "FP-2026-0001 issued 2026-03-20 杭州云启科技有限公司" ]

	# receivables on 2026-06-15: instalment 2 (due 05-01, 45 days late)
	# still has 6064.50 to come, instalment 3 (due 06-01, 14 days) 12048.37;
	# total 6064.50 + 12048.37 = 18112.87
	run --separate-stderr crm report receivables --as-of 2026-06-15
	assert_success
	assert_output '{"type":"receivables","as_of":"2026-06-15","account_id":1,"account":"杭州云启科技有限公司","currency":"CNY","not_due":0,"d1_30":12048.37,"d31_60":6064.5,"d61_90":0,"over_90":0,"total":18112.87}'
	# on 2026-04-15 the second payment had not come: instalment 1 is paid,
	# 2 and 3 are not due yet: 16064.50 + 12048.37 = 28112.87
	run crm report receivables --as-of 2026-04-15 --by contract
	[ "$(jq -c '[.contract_id, .number, .not_due, .d1_30, .total]' <<<"$output")" = '[1,"HT-2026-0001",28112.87,0,28112.87]' ]
	# revenue per month: 40161.25 contracted and 20000 invoiced in March,
	# received 12048.38 in March and 10000 in May
	run --separate-stderr crm report revenue
	assert_success
	[ "$(jq -sc 'map([.period, .currency, .contracted, .invoiced, .received])' <<<"$output")" = '[["2026-03","CNY",40161.25,20000,12048.38],["2026-05","CNY",0,0,10000]]' ]
}

# Up to a signed contract of 40161.25 with its plan (as above), quickly.
signed_contract() {
	quote_with_three_lines
	crm --as alice quote send 1 2>/dev/null || true   # asks for the approval
	crm --as dave approve quote:1 >/dev/null
	crm --as alice quote send 1 >/dev/null
	crm --as alice quote accept 1 >/dev/null
	crm --as alice contract add --quote 1 start=2026-03-05 end=2027-03-04 >/dev/null
	crm --as alice contract submit 1 >/dev/null
	crm --as alice contract sign 1 >/dev/null
	crm plan split --contract 1 --parts 30%,40%,30% --first 2026-04-01 >/dev/null
}

@test "acceptance 3: an overpayment is refused (exit 4) and nothing is written; --force records it, audited" {
	signed_contract
	crm payment add --contract 1 amount=40000 >/dev/null
	# 40161.25 - 40000 = 161.25 is all the contract has still to receive
	run --separate-stderr crm payment add --contract 1 amount=161.26
	assert_failure 4
	[[ "$stderr" == *"161.26 is more than the 161.25 contract:1"* ]] || fail "stderr: $stderr"
	[ "$(rows payment)" = 1 ]
	[ "$(crm sql 'SELECT count(*) AS n FROM payment_alloc' | jq .n)" = 3 ]
	[ "$(crm contract show 1 | jq .unreceived)" = 161.25 ]
	run --separate-stderr crm payment add --contract 1 amount=500 --force
	assert_success
	[ "$(jqo .forced)" = 1 ]
	run crm log --entity payment:2
	[ "$(jqo .after.forced)" = 1 ]
	# received 40500 > 40161.25: nothing is left to receive
	[ "$(crm contract show 1 | jq -c '[.received, .unreceived]')" = "[40500,0]" ]
}

@test "acceptance 3: invoices over the contract's amount are refused when issued, and stay drafts" {
	signed_contract
	crm invoice add --contract 1 amount=40000 >/dev/null
	crm invoice issue 1 >/dev/null
	crm invoice add --contract 1 amount=161.26 >/dev/null
	# 40000 + 161.26 = 40161.26 > 40161.25
	run --separate-stderr crm invoice issue 2
	assert_failure 4
	[[ "$stderr" == *"make the invoices of contract:1 40161.26, more than its amount 40161.25"* ]] || fail "stderr: $stderr"
	[ "$(crm invoice show 2 | jq -r .status)" = draft ]
	[ "$(crm contract show 1 | jq .invoiced)" = 40000 ]
	crm invoice update 2 amount=161.25 >/dev/null
	run crm invoice issue 2
	assert_success
	# 40000 + 161.25 = 40161.25: exactly the amount
	[ "$(crm contract show 1 | jq .invoiced)" = 40161.25 ]
}

@test "acceptance 3: plans over the contract's amount are refused and nothing is added" {
	signed_contract
	# the split planned all of 40161.25: one fen more is too much
	run --separate-stderr crm plan add --contract 1 amount=0.01 due=2026-07-01
	assert_failure 4
	[[ "$stderr" == *"would add up to 40161.26, more than its amount 40161.25"* ]] || fail "stderr: $stderr"
	[ "$(rows plan)" = 3 ]
	# raising an instalment past it: refused, unchanged (12048.38 + 0.01)
	run --separate-stderr crm plan update 1 amount=12048.39
	assert_failure 4
	[ "$(crm plan show 1 | jq .amount)" = 12048.38 ]
	# a second split: its first part alone is over, none of it is made
	run --separate-stderr crm plan split --contract 1 --parts 50%,50% --first 2026-08-01
	assert_failure 4
	[ "$(rows plan)" = 3 ]
}

@test "acceptance 3: a sent quote is not edited: fields, discount, lines (exit 4, nothing changes)" {
	signed_contract
	crm --as alice quote add --deal 1 >/dev/null
	crm --as alice quote line add 2 --product SVC >/dev/null
	crm --as alice quote send 2 >/dev/null
	before=$(crm quote show 2)
	audit=$(crm sql 'SELECT count(*) AS n FROM audit' | jq .n)
	run --separate-stderr crm quote update 2 discount=3
	assert_failure 4
	[[ "$stderr" == *"quote:2 is sent: only a draft can be edited"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm quote update 2 valid_until=2026-12-31
	assert_failure 4
	run --separate-stderr crm quote line add 2 --product SMS
	assert_failure 4
	run --separate-stderr crm quote line rm 2 1
	assert_failure 4
	run --separate-stderr crm quote line update 2 1 qty=3
	assert_failure 4
	[ "$(crm quote show 2)" = "$before" ]
	[ "$(crm sql 'SELECT count(*) AS n FROM audit' | jq .n)" = "$audit" ]
}

@test "acceptance 3: a signed contract is not edited (exit 4), nor an approved or pending one" {
	signed_contract
	before=$(crm contract show 1)
	run --separate-stderr crm contract update 1 amount=50000
	assert_failure 4
	[[ "$stderr" == *"contract:1 is signed: only a draft can be edited"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm contract update 1 end=2028-01-01
	assert_failure 4
	[ "$(crm contract show 1)" = "$before" ]
	# nor by hand into another status
	run --separate-stderr crm contract update 1 status=draft
	assert_failure 3
	[ "$(crm contract show 1)" = "$before" ]
}

@test "acceptance 3: the owner cannot approve their own contract (exit 5), the step stays pending" {
	quote_with_three_lines
	crm config set approval.contract.amount_over 10000 >/dev/null
	crm config unset approval.discount_over >/dev/null
	crm --as alice quote send 1 >/dev/null
	crm --as alice quote accept 1 >/dev/null
	crm --as alice contract add --quote 1 start=2026-03-05 end=2027-03-04 >/dev/null
	crm --as alice contract submit 1 >/dev/null
	run --separate-stderr crm --as alice approve contract:1
	assert_failure 5
	[[ "$stderr" == *"alice owns contract:1 and cannot approve it"* ]] || fail "stderr: $stderr"
	[ "$(crm approval list | jq -r .status)" = pending ]
	[ "$(crm contract show 1 | jq -r .status)" = pending ]
	# nor from a pipe
	run --separate-stderr bash -c 'crm approval list --pending | crm --as alice approve'
	assert_failure 5
	[ "$(crm approval list | jq -r .status)" = pending ]
	# and --mine does not offer it to her
	run crm --as alice approval list --mine
	assert_failure 1
}
