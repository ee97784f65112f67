#!/usr/bin/env bats
# Leads: add, list, show, update, rm, restore, convert.
load helper

local_setup() {
	fresh_db
	export CRM_USER=alice
}

count() {
	crm sql "SELECT count(*) AS n FROM ${1:-lead}" | jq .n
}

@test "a phone typed +86 138-1234-5678 is stored as 13812345678; adding it again exits 4 naming the first lead" {
	crm lead add name=张伟 phone="+86 138-1234-5678" >/dev/null
	run crm lead list --where "phone = '13812345678'"
	assert_success
	[ "$(jqo .name)" = 张伟 ]
	run --separate-stderr crm lead add name=王芳 phone=13812345678
	assert_failure 4
	[[ "$stderr" == *"lead:1 (张伟)"* ]] || fail "stderr: $stderr"
	[ "$(count)" = 1 ]
	run crm lead add name=王芳 phone=13812345678 --allow-duplicate
	assert_success
}

@test "list | update changes exactly the listed leads; injections are refused and change nothing" {
	crm lead add name=甲 region=浙江 >/dev/null
	crm lead add name=乙 region=江苏 >/dev/null
	crm lead add name=丙 region=浙江 >/dev/null
	run bash -c "crm lead list --where \"region = '浙江'\" | crm lead update status=working"
	assert_success
	[ "${#lines[@]}" -eq 2 ]
	[ "$(crm lead list --status working | jq -r .name | tr '\n' ' ')" = "甲 丙 " ]
	run --separate-stderr crm lead list --where "1; DROP TABLE lead"
	assert_failure 5
	run --separate-stderr crm lead list --where "(SELECT load_extension('x'))"
	assert_failure 5
	[ "$(count)" = 3 ]
}

@test "rm hides a lead, restore brings it back, --purge deletes it for good; the log keeps all" {
	crm lead add name=甲 >/dev/null
	crm lead rm 1 >/dev/null
	run crm lead list
	assert_failure 1
	run crm lead list --removed
	[ "$(jqo .name)" = 甲 ]
	run crm restore lead:1
	assert_success
	[ "$(crm lead list | jq -r .name)" = 甲 ]
	crm lead rm --purge 1 >/dev/null
	run --separate-stderr crm restore lead:1
	assert_failure 1
	[ "$(crm log --entity lead:1 | jq -r .action | tr '\n' ' ')" = "purge restore remove insert " ]
}

@test "bad fields are rejected naming the field and the value, exit 3, nothing written" {
	run --separate-stderr crm lead add name=甲 phone=12345
	assert_failure 3
	[[ "$stderr" == *"phone: '12345'"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm lead add name=甲 email=foo@
	assert_failure 3
	run --separate-stderr crm lead add name=甲 status=hot
	assert_failure 3
	run --separate-stderr crm lead add phone=13800000000
	assert_failure 3
	[ "$(count)" = 0 ]
}

@test "convert: account, contact and deal in one step; the lead links to them" {
	crm lead add name=张伟 phone=13812345678 company=杭州云启科技有限公司 budget=50万 owner=alice >/dev/null
	run --separate-stderr crm lead convert 1 --deal-name "ERP 二期" --stage proposal
	assert_success
	assert_jsonl
	[ "$(jq -r .type <<<"$output" | tr '\n' ' ')" = "account contact deal lead " ]
	[ "$(jq -r .stage <<<"${lines[2]}")" = proposal ]
	[ "$(jq .amount <<<"${lines[2]}")" = 500000 ]
	[ "$(jq -c '[.status, .account_id, .contact_id, .deal_id]' <<<"${lines[3]}")" = '["converted",1,1,1]' ]
	[ "$(crm contact show 1 | jq .account_id)" = 1 ]
	run --separate-stderr crm lead convert 1
	assert_failure 4
}

@test "convert matches the account by company name without 有限公司; without deal options no deal" {
	crm account add name=杭州云启科技 >/dev/null
	crm lead add name=张伟 company="杭州云启科技有限公司" >/dev/null
	run crm lead convert 1
	assert_success
	[ "$(jq -r .type <<<"$output" | tr '\n' ' ')" = "account contact lead " ]
	[ "$(count account)" = 1 ]
	[ "$(count deal)" = 0 ]
}

@test "convert: a failure in the middle leaves nothing behind" {
	crm lead add name=张伟 phone=13812345678 company=新公司 >/dev/null
	run --separate-stderr crm lead convert 1 --amount 很多钱
	assert_failure 3
	[[ "$stderr" == *"amount: '很多钱'"* ]] || fail "stderr: $stderr"
	[ "$(count account)" = 0 ]
	[ "$(count contact)" = 0 ]
	[ "$(count deal)" = 0 ]
	[ "$(crm lead show 1 | jq -r .status)" = new ]
	run --separate-stderr crm lead convert 1 --stage nosuchstage
	[ "$status" -ne 0 ]
	[ "$(count account)" = 0 ]
	run --separate-stderr crm lead convert 9
	assert_failure 1
}

@test "convert leads from a pipe" {
	crm lead add name=甲 company=甲公司 status=qualified >/dev/null
	crm lead add name=乙 company=乙公司 status=qualified >/dev/null
	crm lead add name=丙 company=丙公司 >/dev/null
	run bash -c 'crm lead list --status qualified | crm lead convert --amount 1万'
	assert_success
	[ "$(count deal)" = 2 ]
	[ "$(crm lead list --status converted | wc -l)" -eq 2 ]
}

@test "a line whose record changed after it was read is refused (exit 4, record changed underneath)" {
	export CRM_NOW=2026-11-23T09:00:00+08:00
	crm lead add name=张伟 >/dev/null
	crm lead add name=李娜 >/dev/null
	crm lead list > "$BATS_TEST_TMPDIR/snapshot.jsonl"
	export CRM_NOW=2026-11-23T09:05:00+08:00
	crm lead update 1 status=working >/dev/null
	run --separate-stderr crm lead update region=上海 < "$BATS_TEST_TMPDIR/snapshot.jsonl"
	assert_failure 4
	[[ "$stderr" == *"lead:1 was changed after this line was read"* ]] || fail "stderr: $stderr"
	# lead 2 was not changed underneath: it is updated; lead 1 keeps what the other change made
	assert_output --partial '"id":2'
	[ "$(crm lead show 1 | jq -r '.status + " " + (.region // "-")')" = "working -" ]
	run crm lead rm < "$BATS_TEST_TMPDIR/snapshot.jsonl"
	assert_failure 4
	crm lead show 1 >/dev/null
	# the same instant written with another offset is not a change
	crm lead show 1 | jq -c '.updated_at = "2026-11-23T01:05:00+00:00"' | crm lead update note=ok >/dev/null
	# a fresh pipeline is never refused
	run bash -c "crm lead list | crm lead update region=北京 | crm lead update status=nurturing | wc -l"
	assert_success
	[ "$output" -eq 2 ]
}

@test "--sort by a time orders by the instant, whatever offset each time was written with" {
	TZ=Asia/Shanghai CRM_NOW=2026-11-25T20:00:00Z crm lead add name=上海 >/dev/null
	TZ=UTC CRM_NOW=2026-11-25T20:30:00Z crm lead add name=伦敦 >/dev/null
	TZ=UTC CRM_NOW=2026-11-25T19:00:00Z crm lead add name=更早 >/dev/null
	run crm lead list --sort created_at
	assert_success
	[ "$(jq -r .name <<<"$output" | paste -sd,)" = "更早,上海,伦敦" ]
	run crm lead list --sort -created_at,name
	[ "$(jq -r .name <<<"$output" | paste -sd,)" = "伦敦,上海,更早" ]
	run --separate-stderr crm lead list --sort nosuch
	assert_failure 2
	[[ "$stderr" == *"a lead has no such field"* ]] || fail "stderr: $stderr"
}

@test "convert reuses a contact with the same phone and links it to the account" {
	crm contact add name=张伟 phone=13812345678 >/dev/null
	crm lead add name=张伟 phone=13812345678 company=云启科技 >/dev/null
	run crm lead convert 1
	assert_success
	[ "$(crm sql 'SELECT count(*) AS n FROM contact' | jq .n)" = 1 ]
	[ "$(crm contact show 1 | jq -r .account_id)" = "$(crm lead show 1 | jq -r .account_id)" ]
	[ "$(crm lead show 1 | jq -r .contact_id)" = 1 ]
}

@test "convert --stage lost takes --reason; --force passes a gate, logged" {
	crm lead add name=甲 company=甲公司 >/dev/null
	crm lead add name=乙 company=乙公司 >/dev/null
	run --separate-stderr crm lead convert 1 --stage lost
	assert_failure 2
	[ "$(crm lead show 1 | jq -r .status)" = new ]
	run crm lead convert 1 --stage lost --reason 没预算
	assert_success
	[ "$(crm deal show 1 | jq -r '.stage + " " + .lost_reason')" = "lost 没预算" ]
	crm stage add proposal --require expected_close >/dev/null
	run --separate-stderr crm lead convert 2 --stage proposal
	assert_failure 4
	run --separate-stderr crm lead convert 2 --stage proposal --force
	assert_success
	[ "$(crm deal show 2 | jq -r .stage)" = proposal ]
	[ "$(crm sql "SELECT count(*) AS n FROM audit WHERE entity = 'deal:2' AND action = 'stage_move_forced'" | jq .n)" = 1 ]
}

@test "money given as a JSON number is kept to the cent" {
	# 8999999999.57: the most digits an amount has within the bound
	# (±9,000,000,000.00, base/money.h MONEY_MAX)
	run bash -c "echo '{\"name\":\"x\",\"budget\":8999999999.57}' | crm lead add"
	assert_success
	# main.lead: the stored minor units; the lead view shows major units
	[ "$(crm sql 'SELECT budget FROM main.lead' | jq .budget)" = 899999999957 ]
	[ "$(crm sql 'SELECT budget FROM lead' | jq .budget)" = 8999999999.57 ]
	run bash -c "echo '{\"name\":\"y\",\"budget\":0.1}' | crm lead add"
	[ "$(jqo .budget)" = 0.1 ]
}

@test "convert into a stage that needs an approval: refused, nothing made, no request left behind" {
	crm config set approval.amount_over 10 >/dev/null
	crm lead add name=甲 company=甲公司 >/dev/null
	run --separate-stderr crm lead convert 1 --amount 100 --stage won
	assert_failure 4
	[[ "$stderr" == *"cannot be made in won before it is approved"* ]] || fail "stderr: $stderr"
	[ "$(crm sql 'SELECT (SELECT count(*) FROM deal) + (SELECT count(*) FROM approval) + (SELECT count(*) FROM account) AS n' | jq .n)" = 0 ]
	[ "$(crm lead show 1 | jq -r .status)" = new ]
}

@test "restore of a lead whose phone another lead has since: exit 4, it stays removed" {
	crm lead add name=旧 phone=13800000001 >/dev/null
	crm lead rm 1 >/dev/null
	crm lead add name=新 phone=13800000001 >/dev/null
	run --separate-stderr crm restore lead:1
	assert_failure 4
	[[ "$stderr" == *"lead:1 cannot come back: its phone or email belongs to lead:2 now"* ]] || fail "stderr: $stderr"
	run crm lead show 1
	assert_failure 1
}

@test "a cell that says it has no value (面议, 无, -) is empty for money, numbers, dates, phones and emails" {
	run --separate-stderr crm lead add name=甲 budget=面议 phone=无 email=- company_size=N/A
	assert_success
	[ "$(jqo '[.budget, .phone, .email, .company_size] | map(. // "none") | join(" ")')" = "none none none none" ]
	run crm lead add name=乙 title=-
	[ "$(jqo .title)" = - ]   # text keeps what was written
	run --separate-stderr crm lead add name=丙 budget=一百万
	assert_failure 3
}
