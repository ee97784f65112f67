#!/usr/bin/env bats
# crm contract: from a quote or a deal, submit and its approval steps,
# sign, terminate, expired, renew, the clock's contract.expiring (CLI.md 8.2).
load helper

local_setup() {
	export CRM_NOW='2026-03-02 10:00'
	fresh_db
	crm account add name=杭州云启科技有限公司 >/dev/null
	crm --as alice deal add name=云启CRM account_id=1 amount=10万 >/dev/null
}

# An accepted quote of 2 x 12800.00 = 25600.00 on deal 1.
accepted_quote() {
	crm product add name=企业版 sku=ENT price=12800 >/dev/null
	crm --as alice quote add --deal 1 >/dev/null
	crm --as alice quote line add 1 --product ENT --qty 2 >/dev/null
	crm --as alice quote send 1 >/dev/null
	crm --as alice quote accept 1 >/dev/null
}

@test "contract add --quote: an accepted quote's deal, total and currency; numbered HT-YYYY-NNNN" {
	crm product add name=企业版 sku=ENT price=12800 >/dev/null
	crm --as alice quote add --deal 1 >/dev/null
	crm --as alice quote line add 1 --product ENT --qty 2 >/dev/null
	run --separate-stderr crm contract add --quote 1 start=2026-03-05 end=2027-03-04
	assert_failure 4
	[[ "$stderr" == *"quote:1 is draft: a contract is made from an accepted quote"* ]] || fail "stderr: $stderr"
	crm --as alice quote send 1 >/dev/null
	crm --as alice quote accept 1 >/dev/null
	run --separate-stderr crm contract add --quote 1 start=2026-03-05 end=2027-03-04
	assert_success
	assert_jsonl
	# 2 x 12800.00 = 25600.00
	[ "$(jqo '"\(.type) \(.number) \(.name) \(.deal_id) \(.account_id) \(.quote_id) \(.amount) \(.currency) \(.status) \(.owner)"')" = "contract HT-2026-0001 云启CRM 1 1 1 25600 CNY draft alice" ]
	[ "$(jq -c '[.received, .unreceived, .invoiced]' <<<"$output")" = "[0,25600,0]" ]
	run --separate-stderr crm contract add --quote 1 start=2026-03-05 end=2027-03-04
	assert_failure 4
	[[ "$stderr" == *"quote:1 has a contract already: contract:1"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm contract add --quote 1 --deal 1 start=2026-03-05 end=2027-03-04
	assert_failure 2
	[ "$(crm sql 'SELECT count(*) AS n FROM contract' | jq .n)" = 1 ]
}

@test "contract add --deal: amount given, the deal's currency; dates checked; numbers unique" {
	run --separate-stderr crm contract add --deal 1 start=2026-03-05 end=2027-03-04
	assert_failure 3
	[[ "$stderr" == *"amount: required field missing"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm contract add --deal 1 amount=8万 start=2026-03-05 end=2027-03-04 number=HT-SH-001
	assert_success
	[ "$(jqo '"\(.number) \(.amount) \(.currency) \(.owner)"')" = "HT-SH-001 80000 CNY alice" ]
	run --separate-stderr crm contract add --deal 1 amount=1 start=2026-03-05 end=2027-03-04 number=HT-SH-001
	assert_failure 4
	[[ "$stderr" == *"number HT-SH-001 already belongs to contract:1"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm contract add --deal 1 amount=1 currency=USD start=2026-03-05 end=2027-03-04
	assert_failure 3
	[[ "$stderr" == *"deal:1 is in CNY: a contract takes its deal's currency"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm contract add --deal 1 amount=1 start=2026-03-05 end=2026-03-01
	assert_failure 3
	[[ "$stderr" == *"end: 2026-03-01 is before the start 2026-03-05"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm contract add amount=1 start=2026-03-05 end=2027-03-01
	assert_failure 3
	run --separate-stderr crm contract add --deal 1 amount=1 start=2026-03-05 end=2027-03-01 status=signed
	assert_failure 3
	[ "$(crm sql 'SELECT count(*) AS n FROM contract' | jq .n)" = 1 ]
}

@test "submit with approval.contract.amount_over unset, or under it: approved at once" {
	crm contract add --deal 1 amount=8万 start=2026-03-05 end=2027-03-04 >/dev/null
	run --separate-stderr crm contract submit 1
	assert_success
	[ "$(jqo .status)" = approved ]
	[ "$(crm sql 'SELECT count(*) AS n FROM approval' | jq .n)" = 0 ]
	crm config set approval.contract.amount_over 10万 >/dev/null
	crm contract add --deal 1 amount=10万 start=2026-03-05 end=2027-03-04 >/dev/null
	# 100000.00 is not over 100000.00
	[ "$(crm contract submit 2 | jq -r .status)" = approved ]
	run --separate-stderr crm contract submit 2
	assert_failure 4
	[[ "$stderr" == *"contract:2 is approved: submit needs a draft (from approved: sign)"* ]] || fail "stderr: $stderr"
}

@test "over the threshold: pending, steps in order, not by the owner; the last approval approves it" {
	crm config set approval.contract.amount_over 5万 >/dev/null
	crm config set approval.contract.steps 'manager, legal，finance' >/dev/null
	crm rule add 已提交 --on contract.submitted --do 'tag add 审批中' >/dev/null
	crm --as alice contract add --deal 1 amount=8万 start=2026-03-05 end=2027-03-04 >/dev/null
	run --separate-stderr crm --as alice contract submit 1
	assert_success
	[ "$(jqo .status)" = pending ]
	[ "$(crm contract show 1 | jq -c .tags)" = '["审批中"]' ]
	[ "$(crm approval list --pending | jq -c '[.step, .role, .amount]' | paste -sd' ')" = '[1,"manager",80000] [2,"legal",80000] [3,"finance",80000]' ]
	run --separate-stderr crm --as alice approve contract:1
	assert_failure 5
	run --separate-stderr crm --as dave approve approval:3
	assert_failure 4
	run crm --as dave approve contract:1
	assert_success
	run crm --as lily approve contract:1
	assert_success
	[ "$(crm contract show 1 | jq -r .status)" = pending ]
	run crm --as fay approve contract:1
	assert_success
	[ "$(jqo '"\(.step) \(.role) \(.status)"')" = "3 finance approved" ]
	[ "$(crm contract show 1 | jq -r .status)" = approved ]
	run --separate-stderr crm --as fay approve contract:1
	assert_failure 1
	run crm history contract:1
	assert_line --partial '"summary":"approved step 3 (finance)"'
}

@test "a rejection sends it back to draft with the reason; an edit voids the earlier steps; the next submit starts at step 1" {
	crm config set approval.contract.amount_over 5万 >/dev/null
	crm config set approval.contract.steps manager,legal >/dev/null
	crm rule add 被驳回 --on contract.rejected --do 'task "合同被驳回: 修改后重新提交"' >/dev/null
	crm --as alice contract add --deal 1 amount=8万 start=2026-03-05 end=2027-03-04 >/dev/null
	crm --as alice contract submit 1 >/dev/null
	crm --as dave approve contract:1 >/dev/null
	run --separate-stderr crm --as lily approve contract:1 --reject --reason 付款条款不清楚
	assert_success
	[ "$(jqo '"\(.step) \(.status) \(.reason)"')" = "2 rejected 付款条款不清楚" ]
	[ "$(crm contract show 1 | jq -r .status)" = draft ]
	[ "$(crm task list | jq -r '.title + " " + .entity')" = "合同被驳回: 修改后重新提交 contract:1" ]
	# the edit voids step 1 too
	run crm --as alice contract update 1 note=付款条款已补充
	assert_success
	[ "$(crm approval show 1 | jq -r '.status + " " + .reason')" = "void the contract was changed" ]
	crm --as alice contract submit 1 >/dev/null
	[ "$(crm approval list --pending | jq -c '[.id, .step, .role]' | paste -sd' ')" = '[3,1,"manager"] [4,2,"legal"]' ]
}

@test "a rejection without an edit keeps the steps approved before it: the next submit asks for the rest" {
	crm config set approval.contract.amount_over 5万 >/dev/null
	crm config set approval.contract.steps manager,legal >/dev/null
	crm --as alice contract add --deal 1 amount=8万 start=2026-03-05 end=2027-03-04 >/dev/null
	crm --as alice contract submit 1 >/dev/null
	crm --as dave approve contract:1 >/dev/null
	crm --as lily approve contract:1 --reject --reason 再看看 >/dev/null
	crm --as alice contract submit 1 >/dev/null
	[ "$(crm approval list --pending | jq -c '[.step, .role]')" = '[2,"legal"]' ]
	crm --as lily approve contract:1 >/dev/null
	[ "$(crm contract show 1 | jq -r .status)" = approved ]
}

@test "sign needs approved, moves the deal to its won stage if open; contract.signed fires rules and hooks" {
	mkdir -p "$HOME/.config/crm/hooks"
	printf '#!/bin/sh\ncat >> "%s/signed"\n' "$BATS_TEST_TMPDIR" > "$HOME/.config/crm/hooks/on-contract.signed"
	chmod +x "$HOME/.config/crm/hooks/on-contract.signed"
	crm rule add 签约 --on contract.signed --do 'task "安排实施启动会" --due +7d' >/dev/null
	crm config set approval.amount_over 5万 >/dev/null   # the deal's own approval: the contract's stands for it
	accepted_quote
	crm --as alice contract add --quote 1 start=2026-03-05 end=2027-03-04 >/dev/null
	run --separate-stderr crm contract sign 1
	assert_failure 4
	[[ "$stderr" == *"contract:1 is draft: sign needs an approved contract (from draft: submit)"* ]] || fail "stderr: $stderr"
	crm contract submit 1 >/dev/null
	run --separate-stderr crm contract sign 1 --date 2026-03-03
	assert_success
	[ "$(jqo '.status + " " + .signed_at')" = "signed 2026-03-03" ]
	[ "$(crm deal show 1 | jq -r '.stage + " " + .status')" = "won won" ]
	[ "$(crm deal show 1 | jq -r '.stage_history[-1].reason')" = "contract HT-2026-0001 signed" ]
	[ "$(jq -r '.number + " " + .status' "$BATS_TEST_TMPDIR/signed")" = "HT-2026-0001 signed" ]
	[ "$(crm task list | jq -r '.title + " " + .due')" = "安排实施启动会 2026-03-09T10:00:00+08:00" ]
	# a second contract on the won deal leaves the deal as it is
	crm --as alice contract add --deal 1 amount=1000 start=2026-04-01 end=2026-12-31 >/dev/null
	crm contract submit 2 >/dev/null
	crm contract sign 2 >/dev/null
	[ "$(crm log --entity deal:1 | jq -r .action | grep -c stage_move)" = 1 ]
	run --separate-stderr crm contract sign 1
	assert_failure 4
	[[ "$stderr" == *"from signed: terminate, renew"* ]] || fail "stderr: $stderr"
}

@test "terminate needs a reason and a signed contract; expired reads once the end has passed; only a draft is edited" {
	crm contract add --deal 1 amount=8万 start=2026-03-05 end=2026-12-31 >/dev/null
	run --separate-stderr crm contract terminate 1 --reason 客户倒闭
	assert_failure 4
	crm contract submit 1 >/dev/null
	run --separate-stderr crm contract update 1 amount=9万
	assert_failure 4
	[[ "$stderr" == *"contract:1 is approved: only a draft can be edited"* ]] || fail "stderr: $stderr"
	crm contract sign 1 >/dev/null
	[ "$(CRM_NOW='2026-12-31 23:00' crm contract show 1 | jq -r .status)" = signed ]
	[ "$(CRM_NOW='2027-01-01 00:00' crm contract show 1 | jq -r .status)" = expired ]
	[ "$(CRM_NOW='2027-01-01 00:00' crm contract list --status expired | jq .id)" = 1 ]
	run --separate-stderr crm contract terminate 1
	assert_failure 2
	run --separate-stderr crm contract terminate 1 --reason 客户倒闭
	assert_success
	[ "$(jqo '.status + " " + .terminate_reason + " " + .terminated_at')" = "terminated 客户倒闭 2026-03-02T10:00:00+08:00" ]
	run --separate-stderr crm contract terminate 1 --reason 再次
	assert_failure 4
	[[ "$stderr" == *"contract:1 is terminated: terminate needs a signed contract (from terminated: nothing)"* ]] || fail "stderr: $stderr"
}

@test "renew makes the deal 续约: NAME for the same account and amount, with renewal_of; once" {
	crm contract add --deal 1 amount=8万 start=2026-03-05 end=2027-03-04 name=云启CRM一期 >/dev/null
	run --separate-stderr crm contract renew 1
	assert_failure 4
	crm contract submit 1 >/dev/null
	crm contract sign 1 >/dev/null
	run --separate-stderr crm contract renew 1
	assert_success
	[ "$(jqo '"\(.type) \(.id) \(.name) \(.account_id) \(.amount) \(.currency) \(.renewal_of) \(.owner) \(.status) \(.expected_close)"')" = "deal 2 续约: 云启CRM一期 1 80000 CNY 1 alice open 2027-03-04" ]
	run --separate-stderr crm contract renew 1
	assert_failure 4
	[[ "$stderr" == *"contract:1 is being renewed already: deal:2"* ]] || fail "stderr: $stderr"
	[ "$(crm deal list --where 'renewal_of = 1' | jq .id)" = 2 ]
}

@test "contract.expiring fires once, renewal.remind_days (default 30) before the end" {
	crm contract add --deal 1 amount=8万 start=2026-03-05 end=2026-12-31 >/dev/null
	crm contract submit 1 >/dev/null
	crm contract sign 1 >/dev/null
	crm rule add 续约提醒 --on contract.expiring --do 'task "合同即将到期: 联系续约"' >/dev/null
	# 2026-12-01 + 30 days = 2026-12-31: due now, not the day before
	[ "$(CRM_NOW='2026-11-30 09:00' crm automate tick | grep -c contract.expiring)" = 0 ]
	run env CRM_NOW='2026-12-01 09:00' crm automate tick
	assert_line '{"type":"fired","event":"contract.expiring","entity":"contract:1"}'
	[ "$(CRM_NOW='2026-12-02 09:00' crm automate tick | grep -c contract.expiring)" = 0 ]
	[ "$(crm task list | jq -r .title)" = "合同即将到期: 联系续约" ]
	# with a setting of 60 days, and --dry-run writing nothing
	crm contract add --deal 1 amount=1 start=2026-03-05 end=2027-01-30 >/dev/null
	crm contract submit 2 >/dev/null
	crm contract sign 2 >/dev/null
	crm config set renewal.remind_days 60 >/dev/null
	run env CRM_NOW='2026-12-02 09:00' crm automate run --dry-run
	assert_line '{"type":"fired","event":"contract.expiring","entity":"contract:2","dry_run":true}'
	run env CRM_NOW='2026-12-02 09:00' crm automate tick
	assert_line '{"type":"fired","event":"contract.expiring","entity":"contract:2"}'
}

@test "a contract with payments or issued invoices is not removed (exit 4); one without is" {
	crm contract add --deal 1 amount=8万 start=2026-03-05 end=2027-03-04 >/dev/null
	crm contract add --deal 1 amount=1 start=2026-03-05 end=2027-03-04 >/dev/null
	crm contract submit 1 >/dev/null
	crm contract sign 1 >/dev/null
	crm payment add --contract 1 amount=100 >/dev/null
	run --separate-stderr crm contract rm 1
	assert_failure 4
	[[ "$stderr" == *"contract:1 has payments (payment:1)"* ]] || fail "stderr: $stderr"
	run crm contract show 1
	assert_success
	run crm contract rm 2
	assert_success
	# the rule names the events the type declares
	run crm rule add a --on contract.signed --do 'tag add 已签约'
	assert_success
	run --separate-stderr crm rule add b --on contract.exploded --do 'tag add x'
	assert_failure 2
}

@test "crm import contracts: signed ones from another system, named by their number, found by search" {
	crm account add name=上海星河软件有限公司 >/dev/null
	cat > "$BATS_TEST_TMPDIR/ht.csv" <<-'EOF2'
	合同编号,合同名称,客户编号,合同金额,开始日期,结束日期,状态,签订日期
	HT-OLD-001,星河一期,上海星河软件有限公司,"120,000.00",2025/1/1,2025-12-31,signed,2024-12-20
	HT-OLD-002,星河二期,上海星河软件有限公司,8万,2026-01-01,2026-12-31,signed,2025-12-25
	HT-OLD-003,坏行,上海星河软件有限公司,8万,2026-01-01,2025-12-31,draft,
	EOF2
	run --separate-stderr crm import contracts "$BATS_TEST_TMPDIR/ht.csv"
	assert_failure 3
	[[ "$stderr" == *"2 inserted, 0 updated, 0 skipped, 1 rejected"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"line 4: end: 2025-12-31 is before the start 2026-01-01"* ]] || fail "stderr: $stderr"
	[ "$(crm contract list | jq -c '[.number, .account_id, .amount, .status, .signed_at]' | paste -sd' ')" = '["HT-OLD-001",2,120000,"expired","2024-12-20"] ["HT-OLD-002",2,80000,"signed","2025-12-25"]' ]
	# again: known by their number, skipped
	run --separate-stderr crm import contracts "$BATS_TEST_TMPDIR/ht.csv"
	[[ "$stderr" == *"0 inserted, 0 updated, 2 skipped, 1 rejected"* ]] || fail "stderr: $stderr"
	# payments from the bank name them by number
	printf '合同编号,回款金额,回款日期\nHT-OLD-002,30000,2026-02-01\n' > "$BATS_TEST_TMPDIR/bank.csv"
	run --separate-stderr crm import payments "$BATS_TEST_TMPDIR/bank.csv"
	assert_success
	# 80000 - 30000 = 50000
	[ "$(crm contract show 2 | jq -c '[.received, .unreceived]')" = "[30000,50000]" ]
	run crm search 星河二期
	[ "$(jqo '.type + " " + .number')" = "contract HT-OLD-002" ]
	run crm search HT-OLD-001
	[ "$(jqo .id)" = 1 ]
}

@test "a draft's edits keep what add enforces: the deal's currency, a quote's total (exit 3, nothing changes)" {
	accepted_quote
	crm contract add --quote 1 start=2026-03-05 end=2027-03-04 >/dev/null
	crm contract add --deal 1 amount=8万 start=2026-03-05 end=2027-03-04 >/dev/null
	# the deal is in CNY: as add refuses currency=USD, so does update
	run --separate-stderr crm contract update 2 currency=USD
	assert_failure 3
	[[ "$stderr" == *"currency: a contract is in its deal's currency (CNY)"* ]] || fail "stderr: $stderr"
	[ "$(crm contract show 2 | jq -r .currency)" = CNY ]
	# from the quote: its total, 2 x 12800.00 = 25600.00, as add says
	run --separate-stderr crm contract update 1 amount=20000
	assert_failure 3
	[[ "$stderr" == *"amount: a contract from quote:1 is for its total 25600, not 20000"* ]] || fail "stderr: $stderr"
	[ "$(crm contract show 1 | jq .amount)" = 25600 ]
	# from a deal the amount is the user's; the same currency is no change
	run crm contract update 2 amount=9万 currency=CNY
	assert_success
	[ "$(jqo .amount)" = 90000 ]
}

@test "the quote a contract was made from is not removed (exit 4) while the contract is there; then it is" {
	accepted_quote
	crm contract add --quote 1 start=2026-03-05 end=2027-03-04 >/dev/null
	run --separate-stderr crm quote rm 1
	assert_failure 4
	[[ "$stderr" == *"quote:1 is the quote of contract:1: remove the contract first"* ]] || fail "stderr: $stderr"
	[ "$(crm quote show 1 | head -1 | jq -r .status)" = accepted ]
	[ "$(crm contract show 1 | jq .quote_id)" = 1 ]
	crm contract rm 1 >/dev/null
	run crm quote rm 1
	assert_success
}

@test "crm import contracts --strict: a refused row keeps nothing, and the summary offers no run to undo" {
	cat > "$BATS_TEST_TMPDIR/ht.csv" <<-'EOF2'
	合同编号,合同名称,客户编号,合同金额,开始日期,结束日期,状态,签订日期
	HT-A,甲,杭州云启科技有限公司,100,2026-01-01,2026-12-31,signed,2025-12-20
	HT-B,乙,杭州云启科技有限公司,100,2026-01-01,2025-12-31,signed,2025-12-20
	EOF2
	run --separate-stderr crm import contracts --strict "$BATS_TEST_TMPDIR/ht.csv"
	assert_failure 3
	[[ "$stderr" == *"1 would be inserted, 0 would be updated, 0 would be skipped, 1 rejected;"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"--strict imports nothing"* ]] || fail "stderr: $stderr"
	[[ "$stderr" != *"crm import undo"* ]] || fail "an undo for nothing: $stderr"
	run crm contract list
	assert_failure 1
	run --separate-stderr crm import undo 1
	assert_failure 1
}
