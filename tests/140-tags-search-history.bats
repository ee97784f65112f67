#!/usr/bin/env bats
# crm tag, crm search, crm history, crm account show.
load helper

local_setup() {
	fresh_db
	export CRM_USER=alice
	crm lead add name=张伟 phone=13812345678 company=杭州云启科技有限公司 region=浙江 >/dev/null
	crm lead add name=李娜 email=lina@example.com region=上海 >/dev/null
}

@test "tag add/rm on a record; --tag and has_tag() filter; tag list --count" {
	run --separate-stderr crm tag add lead:1 高预算 VIP
	assert_success
	[ "$(jq -c .tags <<<"$output")" = '["高预算","VIP"]' ]
	crm tag add lead:1 VIP >/dev/null
	[ "$(crm lead show 1 | jq -c .tags)" = '["高预算","VIP"]' ]
	crm tag add lead:2 VIP >/dev/null
	[ "$(crm lead list --tag 高预算 | jq -r .name)" = 张伟 ]
	[ "$(crm lead list --where "has_tag('VIP')" | wc -l)" -eq 2 ]
	run crm tag list --count
	assert_line --index 0 '{"type":"tag","tag":"VIP","count":2}'
	run crm tag rm lead:1 VIP
	[ "$(jq -c .tags <<<"$output")" = '["高预算"]' ]
	[ "$(crm log --entity lead:1 | grep -c '"action":"update"')" = 2 ]
}

@test "tag records from a pipe; bad input is refused" {
	run bash -c 'crm lead list --where "region = '"'浙江'"'" | crm tag add 华东'
	assert_success
	[ "$(crm lead list --tag 华东 | jq -r .name)" = 张伟 ]
	run --separate-stderr crm tag add lead:9 x
	assert_failure 1
	run --separate-stderr crm tag add lead:1
	assert_failure 2
	run --separate-stderr crm tag add event:1 x
	[ "$status" -ne 0 ]
	run --separate-stderr crm tag list --type nosuch
	assert_failure 2
}

@test "search finds notes, names, phones; 1- and 2-character Chinese too" {
	crm note lead:1 "客户说喜欢喝普洱茶" --type call >/dev/null
	run --separate-stderr crm search 普洱
	assert_success
	assert_jsonl
	[ "$(jqo .type)" = activity ]
	[[ "$(jqo .snippet)" == *"[普洱]"* ]]
	run crm search 茶
	[ "$(jqo .entity)" = lead:1 ]
	run crm search 云启科技
	[ "$(jqo .name)" = 张伟 ]
	run crm search 138123
	[ "$(jqo .id)" = 1 ]
	run crm search lina@example --type lead
	[ "$(jqo .name)" = 李娜 ]
	run crm search 普洱 --type lead
	assert_failure 1
	run --separate-stderr crm search 没有这个词
	assert_failure 1
	run --separate-stderr crm search "   "
	assert_failure 2
}

@test "search sees records changed after the last search, and not removed ones" {
	crm search 张伟 >/dev/null
	crm lead update 1 company=宁波海天 >/dev/null
	run crm search 海天
	[ "$(jqo .id)" = 1 ]
	crm lead rm 1 >/dev/null
	run crm search 海天
	assert_failure 1
}

@test "history: field changes, activities, tasks and done tasks in time order" {
	export CRM_NOW=2026-11-01T09:00:00+08:00
	crm lead add name=王芳 >/dev/null
	CRM_NOW=2026-11-02T09:00:00+08:00 crm lead update 3 status=working >/dev/null
	CRM_NOW=2026-11-03T09:00:00+08:00 crm note lead:3 "电话沟通" --type call --next "+1d 发资料" >/dev/null
	CRM_NOW=2026-11-04T10:00:00+08:00 crm task done 1 >/dev/null
	run --separate-stderr crm history lead:3
	assert_success
	assert_jsonl
	[ "$(jq -r .kind <<<"$output" | tr '\n' ' ')" = "insert update activity update task task_done " ]
	[ "$(jq -c 'select(.kind == "update") | .changes.status' <<<"$output" | head -1)" = '["new","working"]' ]
	run --separate-stderr crm history lead:99
	assert_failure 1
	run --separate-stderr crm history 3
	assert_failure 2
}

@test "history of a purged record still comes from the audit log; piped ids work" {
	crm lead rm --purge 2 >/dev/null
	run crm history lead:2
	assert_success
	[ "$(jq -r .kind <<<"$output" | tr '\n' ' ')" = "insert purge " ]
	[ "$(jq -r .summary <<<"${lines[1]}")" = "removed for good" ]
	run bash -c 'crm lead list | crm history'
	assert_success
	[ "$(jq -r .entity <<<"$output" | sort -u)" = lead:1 ]
}

@test "account show: its contacts, deals, activities and open tasks" {
	crm account add name=云启 >/dev/null
	crm contact add name=王五 account=1 phone=13800000001 >/dev/null
	crm deal add name=ERP account=1 amount=10万 >/dev/null
	crm note deal:1 "报价已发" >/dev/null
	crm task add --for contact:1 --title 回访 --due tomorrow >/dev/null
	run --separate-stderr crm account show 1
	assert_success
	[ "$(jqo '.contacts[0].name')" = 王五 ]
	[ "$(jqo '.deals[0].amount')" = 100000 ]
	[ "$(jqo '.activities[0].text')" = 报价已发 ]
	[ "$(jqo '.tasks[0].title')" = 回访 ]
	run --separate-stderr crm account show 9
	assert_failure 1
}

@test "history within one second: made first, then what happened, then what followed from it" {
	export CRM_NOW=2026-11-25T10:00:00+08:00
	crm lead add name=同秒 >/dev/null
	crm note lead:3 "第一次电话" --next "+1d 发资料" >/dev/null
	crm track 3 webinar >/dev/null
	run crm history lead:3
	assert_success
	[ "$(jq -r .kind <<<"$output" | paste -sd,)" = "insert,activity,event,update,update,task" ]
	# times written with another offset still fall in time order
	TZ=UTC CRM_NOW=2026-11-25T02:30:00Z crm lead update 3 title=经理 >/dev/null
	run crm history lead:3
	[ "$(jq -r .summary <<<"${lines[6]}")" = "title:  → 经理" ]
}

@test "search with several words finds the records that have them all" {
	crm lead add name=钱七 email=qian@example.com note="客户说喜欢喝普洱茶" >/dev/null
	crm lead add name=赵六 note="喜欢咖啡" >/dev/null
	run crm search "钱七 喜欢"
	assert_success
	[ "$(jqo .name)" = 钱七 ]
	run crm search "qian example"
	[ "$(jqo .name)" = 钱七 ]
	run crm search "喜欢"
	[ "${#lines[@]}" -eq 2 ]
	run crm search "咖啡 钱七"
	assert_failure 1
}

@test "a purged lead's id taken again: history starts with the new lead" {
	crm lead update 2 title=经理 >/dev/null
	crm lead rm --purge 2 >/dev/null
	run crm history lead:2
	[ "$(jq -r .kind <<<"$output" | paste -sd,)" = "insert,update,purge" ]
	crm lead add name=新人 >/dev/null
	[ "$(crm lead list --where "name = '新人'" | jq -r .id)" = 2 ]   # SQLite takes the highest id again
	run crm history lead:2
	assert_success
	[ "$(jq -r .kind <<<"$output" | paste -sd,)" = "insert" ]
}
