#!/usr/bin/env bats
# crm dedupe and crm merge.
load helper

local_setup() {
	fresh_db
	crm lead add name=张伟 phone=13812345678 company=杭州云启科技有限公司 >/dev/null
	crm lead add name=张伟 phone="138 1234 5678" company=杭州云启科技 email=zw@x.cn --allow-duplicate >/dev/null
	crm lead add name=李娜 company=宁波海天 >/dev/null
}

@test "dedupe finds the same phone typed two ways, and with --fuzzy company-name noise" {
	run --separate-stderr crm dedupe leads
	assert_success
	assert_jsonl
	[ "${#lines[@]}" -eq 1 ]
	[ "$(jqo -c .ids)" = "[1,2]" ] || [ "$(jq -c .ids <<<"$output")" = "[1,2]" ]
	[[ "$(jqo .reason)" == *"13812345678"* ]]
	run crm dedupe leads --fuzzy --by name+company
	assert_success
	[[ "$output" == *'杭州云启科技'* ]]
	[ "$(jq -r .score <<<"$output")" = 0.9 ]
	run --separate-stderr crm dedupe leads --by colour
	assert_failure 2
	run crm dedupe leads --by email
	assert_failure 1
}

@test "dedupe --fuzzy: near names at one company; the same group is reported once" {
	crm lead add name="张 伟" company="杭州云启科技(中国)有限公司" >/dev/null
	crm lead add name=Amy company="Foo Co., Ltd." >/dev/null
	crm lead add name=amy company=foo >/dev/null
	crm lead add name=李晓明 company=北京华信有限公司 >/dev/null
	crm lead add name=李小明 company=北京华信 >/dev/null
	crm lead add name=王芳 company=上海某公司 >/dev/null
	crm lead add name=王方 company=上海某公司 >/dev/null
	run --separate-stderr crm dedupe leads --fuzzy
	assert_success
	assert_jsonl
	# 1 and 2 share a phone: one group, not again by name+company
	[ "$(jq -c .ids <<<"$output" | paste -sd' ')" = "[1,2] [1,2,4] [5,6] [7,8]" ] || fail "$output"
	[ "$(jq -r 'select(.ids == [7,8]) | .score' <<<"$output")" = 0.8 ]
	[[ "$(jq -r 'select(.ids == [7,8]) | .reason' <<<"$output")" == *"李晓明 ~ 李小明"* ]]
}

@test "dedupe accounts by name with --fuzzy" {
	crm account add name=杭州云启科技有限公司 >/dev/null
	crm account add name="杭州云启科技 (中国) 有限公司" >/dev/null
	run crm dedupe accounts --fuzzy
	assert_success
	[ "$(jq -c .ids <<<"$output")" = "[1,2]" ]
}

@test "merge keeps all activities and tasks, fills empty fields, and restore undoes it" {
	crm note lead:2 "二号的通话" --next "+1d 回电" >/dev/null
	crm note lead:1 "一号的通话" >/dev/null
	run --separate-stderr crm merge lead 1 2
	assert_success
	[ "$(jqo .email)" = zw@x.cn ]
	[ "$(jqo .company)" = 杭州云启科技有限公司 ]
	[ "$(crm activity list --for lead:1 | wc -l)" -eq 2 ]
	[ "$(crm task list --for lead:1 | wc -l)" -eq 1 ]
	run crm lead show 2
	assert_failure 1
	crm log --entity lead:2 | grep -q '"action":"merge"'
	run crm restore lead:2
	assert_success
	[ "$(crm activity list --for lead:2 | jq -r .text)" = 二号的通话 ]
	[ "$(crm activity list --for lead:1 | jq -r .text)" = 一号的通话 ]
}

@test "merge: bad ids and self-merge are refused, nothing changes" {
	run --separate-stderr crm merge lead 1 9
	assert_failure 1
	run --separate-stderr crm merge lead 1 1
	assert_failure 2
	run --separate-stderr crm merge lead 1 x
	assert_failure 2
	run --separate-stderr crm merge lead 1 2 9
	assert_failure 1
	[ "$(crm lead list | wc -l)" -eq 3 ]
	[ "$(crm lead show 1 | jq -r .email)" = null ]
}

@test "merge rescores the kept lead; restore empties what it filled and rescores both" {
	crm lead add name=甲 phone=13800000001 >/dev/null
	crm lead add name=甲二 title=CEO email=jia@x.cn >/dev/null
	crm track 5 webinar --no-score >/dev/null
	crm track 5 demo_request --no-score >/dev/null
	run crm merge lead 4 5
	assert_success
	[ "$(jqo '[.score, .title, .email] | join(" ")')" = "65 CEO jia@x.cn" ]
	crm restore lead:5 >/dev/null
	[ "$(crm lead show 4 | jq -r '[.score, (.title // "-"), (.email // "-")] | join(" ")')" = "0 - -" ]
	# tags: the kept lead gives back the ones it took
	crm tag add lead:4 甲标 >/dev/null
	crm tag add lead:5 乙标 >/dev/null
	crm tag add lead:5 甲标 >/dev/null
	crm merge lead 4 5 >/dev/null
	[ "$(crm lead show 4 | jq -c .tags)" = '["甲标","乙标"]' ]
	crm restore lead:5 >/dev/null
	[ "$(crm lead show 4 | jq -c .tags)" = '["甲标"]' ]
	[ "$(crm lead show 5 | jq -c .tags)" = '["乙标","甲标"]' ]
	[ "$(crm lead show 5 | jq -r '[.score, .title, .email] | join(" ")')" = "65 CEO jia@x.cn" ]
}
