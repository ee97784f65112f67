#!/usr/bin/env bats
# Payment plans (回款计划) and payments (回款): instalments, split, the
# computed status, how payments are applied, imports from a bank statement,
# the clock's plan.due and plan.overdue, the payment.received hook (CLI.md 8.2).
load helper

local_setup() {
	export CRM_NOW='2026-03-02 10:00'
	fresh_db
	crm account add name=杭州云启科技有限公司 >/dev/null
	crm --as alice deal add name=云启CRM account_id=1 amount=10000.01 >/dev/null
	crm --as alice contract add --deal 1 amount=10000.01 start=2026-03-01 end=2027-02-28 >/dev/null
	crm contract submit 1 >/dev/null
	crm contract sign 1 >/dev/null
}

@test "plan add: numbered instalments in the contract's currency; their sum may not exceed the amount" {
	run --separate-stderr crm plan add --contract HT-2026-0001 amount=4000 due=2026-04-01
	assert_success
	[ "$(jqo '"\(.type) \(.contract_id) \(.installment) \(.amount) \(.currency) \(.due) \(.received) \(.status) \(.owner)"')" = "plan 1 1 4000 CNY 2026-04-01 0 pending alice" ]
	run crm plan add --contract 1 amount=6000 due=2026-05-01
	[ "$(jqo .installment)" = 2 ]
	# 4000.00 + 6000.00 = 10000.00: 0.01 is left, 0.02 is too much
	run --separate-stderr crm plan add --contract 1 amount=0.02 due=2026-06-01
	assert_failure 4
	[[ "$stderr" == *"the plans of contract:1 would add up to 10000.02, more than its amount 10000.01 (10000 planned already)"* ]] || fail "stderr: $stderr"
	run crm plan add --contract 1 amount=0.01 due=2026-06-01
	assert_success
	run --separate-stderr crm plan add --contract 1 amount=0 due=2026-06-01
	assert_failure 3
	run --separate-stderr crm plan add --contract 1 amount=1 due=2026-06-01 currency=USD
	assert_failure 3
	run --separate-stderr crm plan add --contract 1 amount=1
	assert_failure 3
	[ "$(crm sql 'SELECT count(*) AS n FROM plan' | jq .n)" = 3 ]
	# an instalment moved from one contract to another: refused
	crm contract add --deal 1 amount=1 start=2026-03-01 end=2027-02-28 >/dev/null
	run --separate-stderr crm plan update 1 contract_id=2
	assert_failure 3
}

@test "plan split: percentages of the amount, the last takes the rounding remainder; --every" {
	# 1000001 fen: 30% = 300000.3 -> 300000 (3000.00); 40% = 400000.4 -> 400000 (4000.00)
	# the last: 1000001 - 300000 - 400000 = 300001 (3000.01)
	run --separate-stderr crm plan split --contract 1 --parts 30%,40%,30% --first 2026-01-31
	assert_success
	assert_jsonl
	[ "$(jq -sc 'map([.installment, .amount, .due])' <<<"$output")" = '[[1,3000,"2026-01-31"],[2,4000,"2026-02-28"],[3,3000.01,"2026-03-31"]]' ]
	crm plan rm 1 2 3 >/dev/null
	# every quarter, and every two weeks; 50% of 1000001 = 500000.5 -> 500001, the rest 500000
	run crm plan split --contract 1 --parts 50%,50% --first 2026-04-01 --every 1q
	[ "$(jq -sc 'map([.amount, .due])' <<<"$output")" = '[[5000.01,"2026-04-01"],[5000,"2026-07-01"]]' ]
	crm plan rm 4 5 >/dev/null
	run crm plan split --contract 1 --parts 25,25,50 --first 2026-04-01 --every 2w
	[ "$(jq -sc 'map(.due)' <<<"$output")" = '["2026-04-01","2026-04-15","2026-04-29"]' ]
	crm plan rm 6 7 8 >/dev/null
	# parts that do not make 100%, a bad span: usage errors, nothing made
	run --separate-stderr crm plan split --contract 1 --parts 30%,30% --first 2026-04-01
	assert_failure 2
	run --separate-stderr crm plan split --contract 1 --parts 50%,50% --first 2026-04-01 --every 1x
	assert_failure 2
	run --separate-stderr crm plan split --contract 9 --parts 100% --first 2026-04-01
	assert_failure 1
	[ "$(crm plan list | wc -l)" = 0 ]
}

@test "a plan's status is computed: pending, partial, paid; overdue from the day after due, partly paid too" {
	crm plan add --contract 1 amount=4000 due=2026-03-31 >/dev/null
	crm plan add --contract 1 amount=6000.01 due=2026-04-30 >/dev/null
	[ "$(crm plan list | jq -r .status | paste -sd,)" = "pending,pending" ]
	crm payment add --contract 1 amount=1000 >/dev/null
	[ "$(crm plan show 1 | jq -c '[.status, .received, .unreceived]')" = '["partial",1000,3000]' ]
	[ "$(CRM_NOW='2026-03-31 23:00' crm plan show 1 | jq -r .status)" = partial ]
	[ "$(CRM_NOW='2026-04-01 00:00' crm plan show 1 | jq -r .status)" = overdue ]
	[ "$(CRM_NOW='2026-04-01 00:00' crm plan list --status overdue | jq .id)" = 1 ]
	# 1000 + 3000 = 4000: paid, whatever the date
	crm payment add --contract 1 amount=3000 >/dev/null
	[ "$(CRM_NOW='2026-04-01 00:00' crm plan show 1 | jq -r .status)" = paid ]
	[ "$(CRM_NOW='2026-05-01 00:00' crm plan show 2 | jq -r .status)" = overdue ]
	run crm plan list --where "status = 'paid'"
	[ "$(jqo .id)" = 1 ]
}

@test "payments go to their instalment (--plan N) first, then to the unpaid plans in due order" {
	crm plan add --contract 1 amount=3000 due=2026-06-01 >/dev/null
	crm plan add --contract 1 amount=3000 due=2026-04-01 >/dev/null
	crm plan add --contract 1 amount=4000.01 due=2026-05-01 >/dev/null
	# due order: instalment 2 (04-01), 3 (05-01), 1 (06-01); 3500 = 3000 to 2 + 500 to 3
	run --separate-stderr crm payment add --contract 1 amount=3500 date=2026-03-20 method=银行转账 reference=B20260320001
	assert_success
	[ "$(jqo '"\(.number) \(.date) \(.method) \(.reference) \(.contract_number)"')" = "HK-2026-0001 2026-03-20 银行转账 B20260320001 HT-2026-0001" ]
	[ "$(jq -c '[.applied[] | [.installment, .amount]]' <<<"$output")" = '[[2,3000],[3,500]]' ]
	# --plan 1: 3200 = 3000 to 1, the 200 left to 3 (the next unpaid in due order)
	run crm payment add --contract 1 amount=3200 --plan 1
	[ "$(jq -c '[.installment, .plan_id, [.applied[] | [.installment, .amount]]]' <<<"$output")" = '[1,1,[[1,3000],[3,200]]]' ]
	# received 3500 + 3200 = 6700; instalment 3 has 4000.01 - 700 = 3300.01 to come
	[ "$(crm plan show 3 | jq -c '[.received, .unreceived, .status]')" = '[700,3300.01,"partial"]' ]
	[ "$(crm contract show 1 | jq -c '[.received, .unreceived]')" = '[6700,3300.01]' ]
	run --separate-stderr crm payment add --contract 1 amount=1 --plan 7
	assert_failure 3
	[[ "$stderr" == *"installment: contract:1 has no plan 7"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm payment add --contract 1 amount=1 currency=USD
	assert_failure 3
	run --separate-stderr crm payment add --contract 1 amount=-5
	assert_failure 3
	[ "$(crm sql 'SELECT count(*) AS n FROM payment' | jq .n)" = 2 ]
}

@test "removing a payment undoes its application; restoring applies it again; a paid plan is not removed" {
	crm plan add --contract 1 amount=4000 due=2026-04-01 >/dev/null
	crm plan add --contract 1 amount=6000.01 due=2026-05-01 >/dev/null
	crm payment add --contract 1 amount=5000 >/dev/null
	[ "$(crm plan list | jq -r .status | paste -sd,)" = "paid,partial" ]
	run --separate-stderr crm plan rm 1
	assert_failure 4
	[[ "$stderr" == *"plan:1 has payments applied to it (payment:1)"* ]] || fail "stderr: $stderr"
	run crm payment rm 1
	assert_success
	[ "$(crm plan list | jq -r .status | paste -sd,)" = "pending,pending" ]
	[ "$(crm contract show 1 | jq .received)" = 0 ]
	[ "$(crm sql 'SELECT count(*) AS n FROM payment_alloc' | jq .n)" = 0 ]
	run crm restore payment:1
	assert_success
	[ "$(crm plan list | jq -r .status | paste -sd,)" = "paid,partial" ]
	# a correction: applied again as if it came in like this (4000 to 1, 1000 to 2 -> 4500: 4000 + 500)
	crm payment update 1 amount=4500 >/dev/null
	[ "$(crm plan show 2 | jq .received)" = 500 ]
	run --separate-stderr crm payment update 1 amount=10000.02
	assert_failure 4
	[ "$(crm payment show 1 | jq .amount)" = 4500 ]
	crm payment rm 1 --purge >/dev/null
	run crm plan rm 1
	assert_success
}

@test "crm import payments: a bank statement matched to contracts by their number" {
	crm plan split --contract 1 --parts 50%,50% --first 2026-04-01 >/dev/null
	crm --as bob deal add name=二期 amount=2000 >/dev/null
	crm contract add --deal 2 amount=2000 start=2026-03-01 end=2027-02-28 number=HT-SH-002 >/dev/null
	cat > "$BATS_TEST_TMPDIR/bank.csv" <<-'EOF'
	合同编号,回款金额,回款日期,付款方式,流水号,付款方
	HT-2026-0001,"3,000.00",2026/4/2,银行转账,B001,杭州云启科技有限公司
	HT-2026-9999,100,2026-04-02,银行转账,B002,某公司
	HT-SH-002,100,2026-04-03,银行转账,B003,上海某公司
	HT-2026-0001,7000.02,2026-04-05,银行转账,B004,杭州云启科技有限公司
	HT-2026-0001,2000,2026-04-06,支付宝,B005,杭州云启科技有限公司
	EOF
	run --separate-stderr crm import payments "$BATS_TEST_TMPDIR/bank.csv"
	assert_failure 3   # rows rejected (an import says 3 for its refused rows, conflicts too)
	[[ "$stderr" == *"2 inserted, 0 updated, 0 skipped, 3 rejected"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"line 3: contract_id: no contract numbered or named 'HT-2026-9999'"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"line 4: contract:2 is draft: a payment needs a signed contract"* ]] || fail "stderr: $stderr"
	# 3000.00 is in: 10000.01 - 3000 = 7000.01 is left, 7000.02 is too much
	[[ "$stderr" == *"line 5: amount: 7000.02 is more than the 7000.01 contract:1"* ]] || fail "stderr: $stderr"
	[ "$(crm payment list | jq -c '[.contract_id, .amount, .date, .payer, .reference]' | paste -sd' ')" = '[1,3000,"2026-04-02","杭州云启科技有限公司","B001"] [1,2000,"2026-04-06","杭州云启科技有限公司","B005"]' ]
	# 50% of 1000001 = 500000.5 -> 500001 (5000.01); 3000 + 2000 = 5000 of it came in
	[ "$(crm plan show 1 | jq -c '[.received, .status]')" = '[5000,"partial"]' ]
	run --separate-stderr crm export payments --headers zh
	[[ "${lines[0]}" == 编号,回款编号,合同编号,期次,回款计划,回款金额,币种,回款日期* ]] || fail "header: ${lines[0]}"
}

@test "crm import payments: each payment numbered by the id it gets, past numbers given by hand or earlier rows" {
	crm plan split --contract 1 --parts 50%,50% --first 2026-04-01 >/dev/null
	crm payment add contract=1 amount=10 number=HK-2026-0002 >/dev/null
	cat > "$BATS_TEST_TMPDIR/bank.csv" <<-'EOF'
	合同编号,回款金额,回款日期,回款编号
	HT-2026-0001,1,2026-04-02,
	HT-2026-0001,2,2026-04-03,HK-2026-0004
	HT-2026-0001,3,2026-04-04,
	HT-2026-0001,4,2026-04-05,
	HT-2026-0001,5,2026-04-06,HK-2026-0004
	EOF
	# batches of two: the numbers hold across the commits between them
	run --separate-stderr crm import payments --batch 2 "$BATS_TEST_TMPDIR/bank.csv"
	assert_success
	# line 6 gives line 3's number again: the same payment, skipped
	[[ "$stderr" == *"4 inserted, 0 updated, 1 skipped (1 repeated in the file), 0 rejected"* ]] || fail "stderr: $stderr"
	# id 2 would be HK-2026-0002 (given by hand): 0003; id 4 would be 0004
	# (line 3 gave it): 0005, and id 5 the one after
	[ "$(crm payment list --sort id | jq -r '"\(.id) \(.number)"' | paste -sd,)" = '1 HK-2026-0002,2 HK-2026-0003,3 HK-2026-0004,4 HK-2026-0005,5 HK-2026-0006' ]
	# one at a time afterwards: the next id, past what the import took
	run crm payment add contract=1 amount=6
	[ "$(jqo .number)" = HK-2026-0007 ]
}

@test "crm import payments: a payment the database will not apply ends the run, and its batch is not kept" {
	# rows go in without a savepoint each (applying a payment refuses
	# nothing), so a database error after a row's INSERT cannot undo that
	# row alone: the batch goes, what was committed before stays
	crm plan split --contract 1 --parts 50%,50% --first 2026-04-01 >/dev/null
	sqlite3 "$CRM_DB" "CREATE TRIGGER no_alloc BEFORE INSERT ON payment_alloc WHEN NEW.amount = 20000
		BEGIN SELECT RAISE(ABORT, 'the disk refused it'); END"
	cat > "$BATS_TEST_TMPDIR/bank.csv" <<-'EOF'
	合同编号,回款金额,回款日期
	HT-2026-0001,100,2026-04-02
	HT-2026-0001,200,2026-04-03
	HT-2026-0001,300,2026-04-04
	EOF
	run --separate-stderr crm import payments --batch 1 "$BATS_TEST_TMPDIR/bank.csv"
	assert_failure 6
	[[ "$stderr" == *"the disk refused it"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"its batch is not kept"* ]] || fail "stderr: $stderr"
	# line 2 was committed in its own batch; line 3's payment is not there
	# without its application, and line 4 was never read
	[ "$(crm payment list | jq -c '[.amount, .date]' | paste -sd' ')" = '[100,"2026-04-02"]' ]
	[ "$(crm sql 'SELECT count(*) AS n FROM payment_alloc' | jq .n)" = 1 ]
	sqlite3 "$CRM_DB" "DROP TRIGGER no_alloc"
	run crm check
	assert_success
	# the run goes on from where it stopped
	run --separate-stderr crm import payments --resume "$BATS_TEST_TMPDIR/bank.csv"
	assert_success
	[ "$(crm payment list | jq -c .amount | paste -sd' ')" = '100 200 300' ]
	[ "$(crm plan show 1 | jq -c .received)" = 600 ]
}

@test "plan.due (plan.remind_days before, default 3) and plan.overdue fire once each from the tick" {
	crm plan add --contract 1 amount=4000 due=2026-04-10 >/dev/null
	crm plan add --contract 1 amount=6000.01 due=2026-05-10 >/dev/null
	crm rule add 催款 --on plan.overdue --do 'task "回款逾期: 催款"' >/dev/null
	[ "$(CRM_NOW='2026-04-06 09:00' crm automate tick | wc -l)" = 0 ]
	run env CRM_NOW='2026-04-07 09:00' crm automate tick
	assert_output '{"type":"fired","event":"plan.due","entity":"plan:1"}'
	run env CRM_NOW='2026-04-08 09:00' crm automate tick
	assert_output ''
	run env CRM_NOW='2026-04-11 09:00' crm automate tick
	assert_output '{"type":"fired","event":"plan.overdue","entity":"plan:1"}'
	run env CRM_NOW='2026-04-12 09:00' crm automate tick
	assert_output ''
	[ "$(crm task list | jq -r '.title + " " + .entity')" = "回款逾期: 催款 plan:1" ]
	# a paid plan is neither due nor overdue
	crm payment add --contract 1 amount=6000.01 --plan 2 >/dev/null
	crm config set plan.remind_days 40 >/dev/null
	run env CRM_NOW='2026-05-20 09:00' crm automate tick
	assert_output ''
}

@test "the payment.received hook: one JSON line per payment appended to a file an ERP import reads" {
	mkdir -p "$HOME/.config/crm/hooks"
	# the README's example hook
	cat > "$HOME/.config/crm/hooks/on-payment.received" <<-EOF
	#!/bin/sh
	jq -c '{erp: "AR", number, contract: .contract_number, amount, currency, date}' >> "$BATS_TEST_TMPDIR/erp.jsonl"
	EOF
	chmod +x "$HOME/.config/crm/hooks/on-payment.received"
	crm payment add --contract 1 amount=1234.56 date=2026-03-05 >/dev/null
	crm payment add --contract 1 amount=100 date=2026-03-06 >/dev/null
	# one refused: no line for it
	crm payment add --contract 1 amount=99999 2>/dev/null || true
	run cat "$BATS_TEST_TMPDIR/erp.jsonl"
	assert_output - <<-'EOF'
	{"erp":"AR","number":"HK-2026-0001","contract":"HT-2026-0001","amount":1234.56,"currency":"CNY","date":"2026-03-05"}
	{"erp":"AR","number":"HK-2026-0002","contract":"HT-2026-0001","amount":100,"currency":"CNY","date":"2026-03-06"}
	EOF
	run crm rule add 到账 --on payment.received --do 'notify 回款到账'
	assert_success
}

@test "a payment's applied amounts print exactly in show, list and a pipe: 4000, never 4000.0" {
	crm plan add --contract 1 amount=4000 due=2026-04-01 >/dev/null
	crm plan add --contract 1 amount=6000.01 due=2026-05-01 >/dev/null
	# 4500.5: 4000 to plan 1, the 500.5 left to plan 2
	crm payment add --contract 1 amount=4500.5 >/dev/null
	want='"applied":[{"plan_id":1,"installment":1,"amount":4000},{"plan_id":2,"installment":2,"amount":500.5}]'
	for cmd in 'crm payment show 1' 'crm payment list' 'crm payment list | crm payment show'; do
		run --separate-stderr bash -c "$cmd"
		assert_success
		[[ "$output" == *"$want"* ]] || fail "$cmd: $output"
	done
}

@test "export payments --headers zh: every column has its Chinese header, the computed ones too" {
	crm payment add --contract 1 amount=100 >/dev/null
	run --separate-stderr crm export payments --headers zh
	assert_success
	[[ "${lines[0]}" == *,合同号码,核销明细,* ]] || fail "header: ${lines[0]}"
	[ -z "$(head -1 <<<"$output" | tr , '\n' | grep -E '^[a-z_]+$')" ] || fail "English headers: ${lines[0]}"
	# and back in: the contract by 合同编号, the computed columns left alone
	crm payment rm 1 --purge >/dev/null
	cut -d, -f2- <<<"$output" | sed 's/^[^,]*,//; 1s/^/回款编号,/; 2s/^/HK-X,/' > "$BATS_TEST_TMPDIR/p.csv"
	run --separate-stderr crm import payments "$BATS_TEST_TMPDIR/p.csv"
	assert_success
	[ "$(crm payment list | jq -c '[.number, .contract_id, .amount]')" = '["HK-X",1,100]' ]
}

@test "plan split: a 0% part is refused as such (exit 2), not as parts that do not add up; nothing is added" {
	run --separate-stderr crm plan split --contract 1 --parts 0%,100% --first 2026-04-01
	assert_failure 2
	[[ "$stderr" == *"--parts: 0%,100% has a part of 0%"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm plan split --contract 1 --parts 50%,40% --first 2026-04-01
	assert_failure 2
	[[ "$stderr" == *"--parts: 50%,40% does not add up to 100%"* ]] || fail "stderr: $stderr"
	run crm plan list
	assert_failure 1
}
