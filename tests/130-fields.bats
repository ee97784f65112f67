#!/usr/bin/env bats
# crm field: custom fields, validated, filterable, sortable, exported.
load helper

local_setup() {
	fresh_db
}

@test "an enum field takes only its values (exit 3) and works in --where and --sort" {
	run --separate-stderr crm field add lead budget_level --kind enum --values 高,中,低
	assert_success
	[ "$(jqo .kind)" = enum ]
	crm lead add name=甲 budget_level=高 >/dev/null
	crm lead add name=乙 budget_level=低 >/dev/null
	run --separate-stderr crm lead add name=丙 budget_level=超高
	assert_failure 3
	[[ "$stderr" == *"budget_level: '超高' is not one of 高,中,低"* ]] || fail "stderr: $stderr"
	[ "$(crm sql 'SELECT count(*) AS n FROM lead' | jq .n)" = 2 ]
	run crm lead list --where "budget_level = '高'"
	assert_success
	[ "$(jqo .name)" = 甲 ]
	[ "$(crm lead list --sort -budget_level | jq -r .name | head -1)" = 甲 ]
}

@test "custom fields are top-level keys, in updates, csv and pipes" {
	crm field add lead wechat_group >/dev/null
	crm field add lead seats --kind number >/dev/null
	crm field add lead deposit --kind money >/dev/null
	crm field add lead visit_on --kind date >/dev/null
	run --separate-stderr crm lead add name=甲 seats=12 deposit=1.5万 visit_on=2026/12/1
	assert_success
	[ "$(jqo .seats)" = 12 ]
	[ "$(jqo .deposit)" = 15000 ]
	[ "$(jqo .visit_on)" = 2026-12-01 ]
	run --separate-stderr crm lead add name=乙 seats=很多
	assert_failure 3
	run bash -c 'crm lead list --where "seats > 10" | crm lead update wechat_group=VIP群'
	assert_success
	[ "$(jqo .wechat_group)" = VIP群 ]
	crm lead list --csv | head -1 | grep -q 'wechat_group'
}

@test "field list and rm; removing a built-in or unknown field is refused" {
	crm field add account tier2 >/dev/null
	crm field add lead hobby >/dev/null
	run crm field list
	assert_success
	[ "${#lines[@]}" -eq 2 ]
	run crm field list lead
	[ "${#lines[@]}" -eq 1 ]
	run --separate-stderr crm field rm lead name
	assert_failure 2
	run --separate-stderr crm field rm lead nosuch
	assert_failure 1
	run crm field rm lead hobby
	assert_success
	run --separate-stderr crm lead add name=x hobby=茶
	assert_failure 3
	run crm log --entity field --limit 1
	assert_output --partial '"action":"delete"'
}

@test "bad field definitions: exit 2, nothing added" {
	run --separate-stderr crm field add lead "Bad Name"
	assert_failure 2
	run --separate-stderr crm field add lead x --kind blob
	assert_failure 2
	run --separate-stderr crm field add lead y --kind enum
	assert_failure 2
	[[ "$stderr" == *"needs --values"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm field add nosuchtype z
	assert_failure 2
	run --separate-stderr crm field add lead phone
	assert_failure 4
	run crm field list
	assert_failure 1
	run --separate-stderr crm lead add name=q x=1
	assert_failure 3
	[[ "$stderr" == *"unknown field 'x'"* ]] || fail "stderr: $stderr"
}

@test "a field that failed half-way leaves no column behind" {
	crm field add lead note2 >/dev/null
	run --separate-stderr crm field add lead note2
	assert_failure 4
	run crm field list lead
	[ "${#lines[@]}" -eq 1 ]
}

@test "custom fields are for leads, accounts, contacts and deals only" {
	for t in task activity event; do
		run --separate-stderr crm field add "$t" effort --kind number --required
		assert_failure 2
		[[ "$stderr" == *"custom fields are for leads, accounts, contacts and deals"* ]] || fail "stderr: $stderr"
	done
	crm lead add name=甲 >/dev/null
	run crm task add --for lead:1 --title 回电 --due tomorrow
	assert_success
	run crm field add deal effort --kind number
	assert_success
}
