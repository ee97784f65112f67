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

@test "account show as a table: the account, then its contacts, deals, activities and open tasks" {
	crm account add name=杭州云启 >/dev/null
	crm account add name=无关公司 >/dev/null
	crm contact add name=王五 account=杭州云启 phone=13900000000 >/dev/null
	crm deal add name=年度大单 amount=1000 account=杭州云启 >/dev/null
	crm note account:1 "拜访客户，聊了预算" --type visit >/dev/null
	crm task add --for contact:1 --title 发报价 --due tomorrow >/dev/null
	COLUMNS=120 run --separate-stderr crm account show 1 --table
	assert_success
	# the account itself: every field it has, one a line
	assert_line --index 0 --regexp '^id +1$'
	assert_line --index 1 --regexp '^name +杭州云启$'
	assert_line 'contacts (1)'
	assert_line --regexp '^ *1 +王五 +.*13900000000'
	assert_line 'deals (1)'
	assert_line --regexp '年度大单 +new'
	assert_line 'activities (1)'
	assert_line --partial '拜访客户，聊了预算'
	assert_line 'tasks (1)'
	assert_line --partial '发报价'
	refute_output --partial '无关公司'
	# an account with nothing related is just its own fields
	run crm account show 2 --table
	assert_success
	refute_output --partial '('
	assert_line --regexp '^name +无关公司$'
	[ "$(crm account show 2 | jq -r 'del(.type, .contacts, .deals, .activities, .tasks) | keys | length')" -eq "${#lines[@]}" ]
	run crm account show 9 --table
	assert_failure 1
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

@test "a note with a contact, or about a deal, is contact with its account" {
	export CRM_NOW=2026-11-20T09:00:00+08:00
	crm account add name=云启 >/dev/null
	crm contact add name=张总 account=1 >/dev/null
	CRM_NOW=2026-11-23T10:00:00+08:00 crm note contact:1 "拜访张总" --type visit >/dev/null
	[ "$(crm account show 1 | jq -r .last_contacted_at)" = 2026-11-23T10:00:00+08:00 ]
	crm deal add name=二期 account=1 >/dev/null
	CRM_NOW=2026-11-24T10:00:00+08:00 crm note deal:1 "报价" >/dev/null
	[ "$(crm account show 1 | jq -r .last_contacted_at)" = 2026-11-24T10:00:00+08:00 ]
	run crm report silent --days 5
	assert_failure 1
	# a removed account is not touched, and does not stop the note
	crm account rm 1 >/dev/null
	run crm note contact:1 "电话回访"
	assert_success
}
