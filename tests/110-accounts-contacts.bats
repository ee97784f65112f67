#!/usr/bin/env bats
# Accounts and contacts: add, list, show, update, rm, restore; normalisation.
load helper

local_setup() {
	fresh_db
	export CRM_USER=alice
}

@test "accounts: add, list, show, update, rm, restore, as JSON lines and tables" {
	run --separate-stderr crm account add name=杭州云启科技有限公司 industry=软件 tier=A region=浙江
	assert_success
	assert_jsonl
	[ "$(jqo .owner)" = alice ]
	run crm account list --where "tier = 'A'"
	[ "$(jqo .name)" = 杭州云启科技有限公司 ]
	run crm account update 1 tier=B
	[ "$(jqo .tier)" = B ]
	run --separate-stderr crm account update 1 tier=S
	assert_failure 3
	COLUMNS=80 run crm account list --table
	assert_line --index 0 --regexp '^id +name +industry'
	crm account rm 1 >/dev/null
	run crm account list
	assert_failure 1
	crm restore account:1 >/dev/null
	[ "$(crm account show 1 | jq -r .tier)" = B ]
}

@test "contacts: phones and emails normalised (full-width too), duplicates exit 4, belong to one account" {
	crm account add name=云启 >/dev/null
	run --separate-stderr crm contact add name=" 王五 " phone="＋８６ １３８－００００－１１１１" email=" WangWu@Example.COM " account=1 birthday=1990/5/1
	assert_success
	[ "$(jqo .name)" = 王五 ]
	[ "$(jqo .phone)" = 13800001111 ]
	[ "$(jqo .email)" = wangwu@example.com ]
	[ "$(jqo .birthday)" = 1990-05-01 ]
	[ "$(jqo .account_id)" = 1 ]
	run --separate-stderr crm contact add name=赵六 email=wangwu@example.com
	assert_failure 4
	[[ "$stderr" == *"contact:1 (王五)"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm contact add name=孙七 phone="+44 20 7946 0958"
	assert_success
	[ "$(jqo .phone)" = +442079460958 ]
	[ "$(crm account show 1 | jq -r '.contacts[0].name')" = 王五 ]
}

@test "contacts: bad input names the field; a pipe updates exactly the listed ones" {
	run --separate-stderr crm contact add name=x birthday=someday
	assert_failure 3
	[[ "$stderr" == *"birthday"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm contact add name=x account=99
	assert_failure 3
	crm contact add name=甲 title=CEO >/dev/null
	crm contact add name=乙 title=工程师 >/dev/null
	run bash -c "crm contact list --where \"title = 'CEO'\" | crm contact update decision_role=决策人"
	assert_success
	[ "${#lines[@]}" -eq 1 ]
	[ "$(crm contact list --where "decision_role = '决策人'" | jq -r .name)" = 甲 ]
	[ "$(crm sql 'SELECT count(*) AS n FROM contact' | jq .n)" = 2 ]
}
