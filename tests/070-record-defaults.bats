#!/usr/bin/env bats
# What the record layer fills in or looks up for every command: owners,
# references by name.
load helper

local_setup() {
	fresh_db
}

@test "records are owned by whoever adds them unless owner= says otherwise" {
	run --separate-stderr crm --as alice deal add name=ERP amount=10万
	assert_success
	[ "$(jq -r .owner <<<"$output")" = alice ]
	[ "$(CRM_USER=bob crm account add name=云启 | jq -r .owner)" = bob ]
	[ "$(crm contact add name=王五 | jq -r .owner)" = tester ]
	[ "$(crm --as carol lead add name=张伟 | jq -r .owner)" = carol ]
	[ "$(crm --as alice deal add name=二期 owner=carol | jq -r .owner)" = carol ]
}

@test "the owner of a deal it added cannot approve it" {
	crm config set approval.amount_over 50万 >/dev/null
	crm --as alice deal add name=大单 amount=80万 >/dev/null
	run --separate-stderr crm --as alice approve deal:1
	assert_failure 5
	run --separate-stderr crm --as bob approve deal:1
	assert_success
}

@test "a reference may name its record: account=NAME sets account_id" {
	crm account add name=杭州云启科技有限公司 >/dev/null
	crm account add name=上海星河 >/dev/null
	run --separate-stderr crm contact add name=王五 account=杭州云启科技有限公司
	assert_success
	[ "$(jq .account_id <<<"$output")" = 1 ]
	[ "$(crm deal add name=ERP account=2 | jq .account_id)" = 2 ]
	[ "$(crm deal add name=CRM account_id=上海星河 | jq .account_id)" = 2 ]
}

@test "a reference to nothing, or to two records of that name, is refused and writes nothing" {
	crm account add name=云启 >/dev/null
	crm account add name=云启 >/dev/null
	run --separate-stderr crm contact add name=王五 account=不存在
	assert_failure 3
	[[ "$stderr" == *"no account named '不存在'"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm contact add name=王五 account=云启
	assert_failure 3
	[[ "$stderr" == *"more than one account (account:1, account:2)"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm contact add name=王五 account=9
	assert_failure 3
	[ "$(crm sql 'SELECT count(*) AS n FROM contact' | jq .n)" = 0 ]
}

@test "references by name work from JSON lines in a pipe" {
	crm account add name=云启 >/dev/null
	run --separate-stderr bash -c 'printf "%s\n" "{\"name\":\"甲\",\"account\":\"云启\"}" "{\"name\":\"乙\",\"account\":1}" | crm contact add | jq -c "[.name,.account_id]"'
	assert_success
	assert_output $'["甲",1]\n["乙",1]'
}

@test "without --as, CRM_USER or USER the acting user is the login name" {
	run --separate-stderr env -u USER -u CRM_USER crm deal add name=x
	assert_success
	[ "$(jq -r .owner <<<"$output")" = "$(id -un)" ]
}

@test "an unknown command is reported once, without a command prefix" {
	run --separate-stderr crm lede list
	assert_failure 2
	assert_equal "$stderr" "crm: 'lede' is not a crm command; did you mean \`crm lead\`?"
}
