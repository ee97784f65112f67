#!/usr/bin/env bats
# crm order and crm invoice: from a signed contract (CLI.md 8.2).
load helper

local_setup() {
	export CRM_NOW='2026-03-02 10:00'
	fresh_db
	crm account add name=杭州云启科技有限公司 >/dev/null
	crm --as alice deal add name=云启CRM account_id=1 amount=10万 >/dev/null
	crm product add name=企业版 sku=ENT price=12800 >/dev/null
	crm product add name=实施服务 sku=SVC price=1500 unit=人天 tax_rate=6 >/dev/null
	crm --as alice quote add --deal 1 >/dev/null
	crm --as alice quote line add 1 --product ENT --qty 2 >/dev/null
	crm --as alice quote line add 1 --product SVC --qty 1.5 >/dev/null
	crm --as alice quote send 1 >/dev/null
	crm --as alice quote accept 1 >/dev/null
	# 2 x 12800.00 + 1.5 x 1500.00 = 25600.00 + 2250.00 = 27850.00
	crm --as alice contract add --quote 1 start=2026-03-05 end=2027-03-04 >/dev/null
}

@test "orders, plans, payments and invoices need a signed contract (exit 4)" {
	for cmd in "order add --contract 1" "plan add --contract 1 amount=100 due=2026-04-01" \
		"payment add --contract 1 amount=100" "invoice add --contract 1 amount=100"; do
		run --separate-stderr crm $cmd
		assert_failure 4
		[[ "$stderr" == *"contract:1 is draft: "*"needs a signed contract"* ]] || fail "$cmd: $stderr"
	done
	run --separate-stderr crm plan split --contract 1 --parts 50%,50% --first 2026-04-01
	assert_failure 4
	[ "$(crm sql 'SELECT (SELECT count(*) FROM "order") + (SELECT count(*) FROM plan) + (SELECT count(*) FROM payment) + (SELECT count(*) FROM invoice) AS n' | jq .n)" = 0 ]
}

@test "order add: from a signed contract, with the quote's lines; SO-YYYY-NNNN" {
	crm contract submit 1 >/dev/null
	crm contract sign 1 >/dev/null
	run --separate-stderr crm order add --contract HT-2026-0001
	assert_success
	assert_jsonl
	[ "$(jqo '"\(.type) \(.number) \(.contract_id) \(.account_id) \(.status) \(.amount) \(.currency) \(.owner)"')" = "order SO-2026-0001 1 1 pending 27850 CNY alice" ]
	[ "$(jq -c '[.lines[] | [.line_no, .sku, .qty, .price, .amount]]' <<<"$output")" = '[[1,"ENT",2,12800,25600],[2,"SVC",1.5,1500,2250]]' ]
	run --separate-stderr crm order add --contract 1 status=delivered
	assert_failure 3
	run --separate-stderr crm order add --contract HT-2026-9999
	assert_failure 3
	[[ "$stderr" == *"no contract numbered or named 'HT-2026-9999'"* ]] || fail "stderr: $stderr"
}

@test "order status: pending -> delivering -> delivered | cancelled; others exit 4 naming the allowed ones" {
	crm contract submit 1 >/dev/null
	crm contract sign 1 >/dev/null
	crm order add --contract 1 >/dev/null
	crm order add --contract 1 >/dev/null
	crm rule add 交付 --on order.delivered --do 'task "交付回访"' >/dev/null
	run --separate-stderr crm order update 1 status=delivered
	assert_failure 4
	[[ "$stderr" == *"order:1 is pending: it cannot become delivered (from pending: delivering,cancelled)"* ]] || fail "stderr: $stderr"
	[ "$(crm order show 1 | jq -r .status)" = pending ]
	run crm order update 1 status=delivering
	assert_success
	run bash -c 'crm order list --status delivering | crm order update status=delivered'
	assert_success
	[ "$(jqo '.status + " " + .delivered_at')" = "delivered 2026-03-02T10:00:00+08:00" ]
	[ "$(crm task list | jq -r '.title + " " + .entity')" = "交付回访 order:1" ]
	run --separate-stderr crm order update 1 status=cancelled
	assert_failure 4
	[[ "$stderr" == *"(from delivered: nothing)"* ]] || fail "stderr: $stderr"
	run crm order update 2 status=cancelled
	assert_success
	run --separate-stderr crm order update 2 status=gone
	assert_failure 3
}

@test "invoice: draft -> issued -> void; FP-YYYY-NNNN; the account's name as title; only a draft is edited" {
	crm contract submit 1 >/dev/null
	crm contract sign 1 >/dev/null
	run --separate-stderr crm invoice add --contract 1 amount=10000 kind=专用发票 tax_number=91330100MA2AXXXX1Y
	assert_success
	[ "$(jqo '"\(.number) \(.status) \(.kind) \(.title) \(.tax_number) \(.amount) \(.currency)"')" = "FP-2026-0001 draft 专用发票 杭州云启科技有限公司 91330100MA2AXXXX1Y 10000 CNY" ]
	run --separate-stderr crm invoice add --contract 1 amount=1 kind=收据
	assert_failure 3
	run --separate-stderr crm invoice add --contract 1 amount=1 status=issued
	assert_failure 3
	run --separate-stderr crm invoice void 1
	assert_failure 4
	[[ "$stderr" == *"invoice:1 is draft: void needs an issued invoice"* ]] || fail "stderr: $stderr"
	crm invoice update 1 amount=12000 >/dev/null
	run crm invoice issue 1 --date 2026-03-10
	assert_success
	[ "$(jqo '.status + " " + .issued_at')" = "issued 2026-03-10" ]
	[ "$(crm contract show 1 | jq .invoiced)" = 12000 ]
	run --separate-stderr crm invoice update 1 amount=13000
	assert_failure 4
	run --separate-stderr crm invoice issue 1
	assert_failure 4
	[[ "$stderr" == *"invoice:1 is issued: issue needs a draft (from issued: void)"* ]] || fail "stderr: $stderr"
	run crm invoice void 1 --reason 抬头错误
	assert_success
	[ "$(jqo '.status + " " + .void_reason')" = "void 抬头错误" ]
	# a void invoice no longer counts against the amount
	[ "$(crm contract show 1 | jq .invoiced)" = 0 ]
	crm invoice add --contract 1 amount=27850 >/dev/null
	run crm invoice issue 2
	assert_success
}

@test "the invoice cap counts only issued invoices of the contract, at issue time" {
	crm contract submit 1 >/dev/null
	crm contract sign 1 >/dev/null
	# drafts may add up to more than 27850.00; issuing may not
	crm invoice add --contract 1 amount=20000 >/dev/null
	crm invoice add --contract 1 amount=20000 >/dev/null
	crm invoice issue 1 >/dev/null
	# 20000 + 20000 = 40000 > 27850
	run --separate-stderr crm invoice issue 2
	assert_failure 4
	[ "$(crm invoice show 2 | jq -r .status)" = draft ]
	# 27850 - 20000 = 7850 still fits
	crm invoice update 2 amount=7850 >/dev/null
	run crm invoice issue 2
	assert_success
	[ "$(crm contract show 1 | jq .invoiced)" = 27850 ]
	run crm rule add 开票 --on invoice.issued --do 'tag add 已开票'
	assert_success
}

@test "an order's lines print the same in show, list and a pipe: amounts exact, never 12800.0" {
	crm contract submit 1 >/dev/null
	crm contract sign 1 >/dev/null
	crm order add --contract 1 >/dev/null
	# 2 x 12800.00 = 25600.00; 1.5 x 1500.00 = 2250.00
	want='"lines":[{"line_no":1,"product_id":1,"sku":"ENT","name":"企业版","unit":"套","qty":2,"price":12800,"amount":25600},{"line_no":2,"product_id":2,"sku":"SVC","name":"实施服务","unit":"人天","qty":1.5,"price":1500,"amount":2250}]'
	run --separate-stderr crm order show 1
	assert_success
	[[ "$output" == *"$want"* ]] || fail "show: $output"
	run --separate-stderr crm order list
	[[ "$output" == *"$want"* ]] || fail "list: $output"
	run --separate-stderr bash -c 'crm order list | crm order show'
	[[ "$output" == *"$want"* ]] || fail "pipe: $output"
}

@test "an invoice and an order stay in their contract's currency: update currency=USD is exit 3, as add" {
	crm contract submit 1 >/dev/null
	crm contract sign 1 >/dev/null
	crm order add --contract 1 >/dev/null
	crm invoice add --contract 1 amount=100 >/dev/null
	run --separate-stderr crm invoice update 1 currency=USD
	assert_failure 3
	[[ "$stderr" == *"currency: an invoice is in its contract's currency (CNY)"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm order update 1 currency=USD
	assert_failure 3
	[[ "$stderr" == *"currency: an order is in its contract's currency (CNY)"* ]] || fail "stderr: $stderr"
	[ "$(crm invoice show 1 | jq -r .currency) $(crm order show 1 | jq -r .currency)" = "CNY CNY" ]
}

@test "a 专用发票 is issued only with the buyer's tax number (exit 3, still a draft); a 普通发票 needs none" {
	crm contract submit 1 >/dev/null
	crm contract sign 1 >/dev/null
	crm invoice add --contract 1 amount=1000 kind=专用发票 >/dev/null
	run --separate-stderr crm invoice issue 1
	assert_failure 3
	[[ "$stderr" == *"tax_number: invoice:1 is a 专用发票"* ]] || fail "stderr: $stderr"
	[ "$(crm invoice show 1 | jq -r .status)" = draft ]
	[ "$(crm contract show 1 | jq .invoiced)" = 0 ]
	crm invoice update 1 tax_number=91330100MA2AXXXX1Y >/dev/null
	run bash -c 'crm invoice list --where "kind = '"'"'专用发票'"'"'" | crm invoice issue'
	assert_success
	[ "$(jqo .status)" = issued ]
	crm invoice add --contract 1 amount=500 >/dev/null
	run crm invoice issue 2
	assert_success
	[ "$(crm contract show 1 | jq .invoiced)" = 1500 ]
}
