#!/usr/bin/env bats
# crm rule and crm automate: the sample rules of share/rules/samples.sh.
load helper

local_setup() {
	fresh_db
	export CRM_USER=alice
	export CRM_NOW=2026-11-23T09:00:00+08:00
	CRM=crm sh "$TESTS_DIR/../share/rules/samples.sh" >/dev/null
}

tasks() {
	crm task list --all --where "${1:-1}" | jq -r .title | tr '\n' ' '
}

@test "samples install and list" {
	run crm rule list
	assert_success
	[ "${#lines[@]}" -eq 6 ]
}

@test "new lead: a 首次联系 task due in 2 hours for its owner" {
	crm lead add name=甲 owner=bob >/dev/null
	run crm task list
	[ "$(jqo .title)" = 首次联系 ]
	[ "$(jqo .owner)" = bob ]
	[ "$(jqo .due)" = 2026-11-23T11:00:00+08:00 ]
	crm account add name=云启 >/dev/null
	[ "$(crm task list | wc -l)" -eq 1 ]
}

@test "no activity for 3 days: 该跟进了 once, not every tick, and not for a lead just contacted" {
	crm lead add name=甲 >/dev/null
	crm lead add name=乙 >/dev/null
	CRM_NOW=2026-11-25T09:00:00+08:00 crm note lead:2 "聊过" >/dev/null
	export CRM_NOW=2026-11-26T10:00:00+08:00
	run crm automate tick
	assert_success
	[ "$(jq -r .entity <<<"$output")" = lead:1 ]
	run crm automate tick
	assert_success
	[ -z "$output" ]
	[ "$(tasks "title = '该跟进了'")" = "该跟进了 " ]
}

@test "high-value account quiet for 5 days: a task for the owner and a notification for the manager" {
	crm config set manager.alice boss >/dev/null
	mkdir -p "$HOME/.config/crm/hooks"
	printf '#!/bin/sh\ncat >> "%s"\n' "$BATS_TEST_TMPDIR/notified" > "$HOME/.config/crm/hooks/on-notify"
	chmod +x "$HOME/.config/crm/hooks/on-notify"
	crm account add name=云启 tags=高价值 >/dev/null
	crm account add name=普通 >/dev/null
	CRM_NOW=2026-11-26T09:00:00+08:00 crm automate tick >/dev/null
	[ "$(tasks "title = '联系高价值客户'")" = "" ]
	CRM_NOW=2026-11-29T09:00:00+08:00 crm automate tick >/dev/null
	[ "$(tasks "title = '联系高价值客户'")" = "联系高价值客户 " ]
	[ "$(jq -r '.to + " " + .entity' "$BATS_TEST_TMPDIR/notified")" = "boss account:1" ]
	CRM_NOW=2026-11-30T09:00:00+08:00 crm automate tick >/dev/null
	[ "$(tasks "title = '联系高价值客户'")" = "联系高价值客户 " ]
}

@test "deal moved to proposal: 跟进报价反馈 in 7 days; other stages: nothing" {
	crm deal add name=ERP >/dev/null
	crm stage move 1 qualified >/dev/null
	[ "$(tasks)" = "" ]
	crm stage move 1 proposal >/dev/null
	run crm task list
	[ "$(jqo .title)" = 跟进报价反馈 ]
	[ "$(jqo .due)" = 2026-11-30T09:00:00+08:00 ]
	[ "$(jqo .entity)" = deal:1 ]
}

@test "a complaint in a note: the customer tagged 投诉 and a high-priority task" {
	crm account add name=云启 >/dev/null
	crm note account:1 "客户打电话投诉发货慢" --type call >/dev/null
	[ "$(crm account show 1 | jq -c .tags)" = '["投诉"]' ]
	run crm task list --where "priority = 'high'"
	[ "$(jqo .title)" = 处理客户投诉 ]
	crm note account:1 "一切顺利" >/dev/null
	[ "$(crm task list | wc -l)" -eq 1 ]
}

@test "a contact's birthday: 生日祝福 that day, once" {
	crm contact add name=王五 birthday=1990-11-25 >/dev/null
	crm contact add name=赵六 birthday=1985-03-01 >/dev/null
	CRM_NOW=2026-11-24T09:00:00+08:00 crm automate tick >/dev/null
	[ "$(tasks)" = "" ]
	CRM_NOW=2026-11-25T08:00:00+08:00 crm automate tick >/dev/null
	CRM_NOW=2026-11-25T08:01:00+08:00 crm automate run >/dev/null || true
	[ "$(tasks)" = "生日祝福 " ]
	[ "$(crm task list | jq -r .entity)" = contact:1 ]
}

@test "rule test and automate run --dry-run change nothing" {
	crm lead add name=甲 >/dev/null
	crm task done 1 >/dev/null
	run crm rule test 三天未跟进 lead:1
	assert_failure 1
	[ "$(jqo .fires)" = false ]
	export CRM_NOW=2026-11-27T09:00:00+08:00
	run crm rule test 三天未跟进 lead:1
	assert_success
	run crm automate run --dry-run
	assert_success
	[ "$(jqo .dry_run)" = true ]
	[ "$(crm task list | wc -l)" -eq 0 ]
	run crm automate tick
	[ "$(jqo .entity)" = lead:1 ]
}

@test "a rule that fails rolls the change back and says why" {
	crm account add name=老客户 >/dev/null
	crm rule add 坏规则 --on lead.created --do 'set account_id=1' >/dev/null
	crm account rm --purge 1 >/dev/null
	run --separate-stderr crm lead add name=甲
	assert_failure 3
	[[ "$stderr" == *"rule 坏规则: account_id: no account with id 1"* ]] || fail "stderr: $stderr"
	[ "$(crm sql 'SELECT count(*) AS n FROM lead' | jq .n)" = 0 ]
}

@test "a rule whose action could never work is refused when it is added" {
	run --separate-stderr crm rule add p --on lead.created --do 'task x --due +1d --priority urgent'
	assert_failure 2
	[[ "$stderr" == *"priority: 'urgent' is not one of high,normal,low"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm rule add f --on lead.created --do 'set nosuch=1'
	assert_failure 2
	[[ "$stderr" == *"a lead has no field 'nosuch'"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm rule add v --on deal.stage_changed --do 'set probability=150'
	assert_failure 2
	[ "$(crm rule list | jq -s 'length')" = 6 ]   # the samples only
	crm lead add name=甲 >/dev/null
	# a reference by the name of what it refers to is a field all the same
	crm account add name=云启 >/dev/null
	run crm rule add 归属 --on lead.created --do 'set account=云启'
	assert_success
	[ "$(crm lead add name=乙 | jq -r .account_id)" = 1 ]
}

@test "bad rules are refused: event, action, expression, name taken" {
	run --separate-stderr crm rule add x --on lead.exploded --do score
	assert_failure 2
	run --separate-stderr crm rule add x --on lead.created --do 'fly away'
	assert_failure 2
	run --separate-stderr crm rule add x --on lead.created --when "1; DROP TABLE lead" --do score
	assert_failure 5
	run --separate-stderr crm rule add x --on tick --do score
	assert_failure 2
	run --separate-stderr crm rule add 报价跟进 --on lead.created --do score
	assert_failure 4
	run --separate-stderr crm rule add x --on lead.created --do ticket
	assert_failure 2
	run crm rule rm 报价跟进
	assert_success
	run --separate-stderr crm rule rm 报价跟进
	assert_failure 1
}

@test "a rule's --when can ask has_event(): it fires for the lead with the event only" {
	crm lead add name=甲 >/dev/null
	crm lead add name=乙 >/dev/null
	crm track 1 demo_request --no-score >/dev/null
	crm track 2 webinar --no-score >/dev/null
	crm rule add 要演示 --on lead.updated --when "has_event('demo_request') AND NOT has_event('webinar')" \
		--do 'tag add 要演示' >/dev/null
	crm lead list | crm lead update note=跟进中 >/dev/null
	[ "$(crm lead list --tag 要演示 | jq -r .name)" = 甲 ]
}

@test "an event.tracked rule is checked against the event and acts on its lead" {
	crm lead add name=甲 owner=bob >/dev/null
	crm rule add 要演示 --on event.tracked --when "name = 'demo_request'" \
		--do 'tag add 要演示' --do 'task "安排演示" --due +1d' >/dev/null
	crm track 1 webinar >/dev/null
	[ "$(crm lead show 1 | jq -r '.tags // [] | join(",")')" = "" ]
	run crm track 1 demo_request
	assert_success
	[ "$(crm lead show 1 | jq -r '.tags | join(",")')" = 要演示 ]
	[ "$(crm task list --all --where "title = '安排演示'" | jq -r '.entity + " " + .owner')" = "lead:1 bob" ]
}
