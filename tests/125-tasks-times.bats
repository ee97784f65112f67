#!/usr/bin/env bats
# Tasks after a week of real use: update, rm and restore; task lines piped
# into task add; one time grammar for --due, --next, snooze; the agenda's
# task lines are task list's; tasks of a removed record.
load helper

local_setup() {
	# Wednesday 2026-03-04, 10:30 in Shanghai (helper.bash sets TZ)
	export CRM_NOW='2026-03-04 10:30'
	fresh_db
}

@test "task update changes title, due, owner and priority; task rm and restore" {
	crm task add --title 回电 --due tomorrow >/dev/null
	run --separate-stderr crm task update 1 --title 回电话 --due "tomorrow 14:00" --owner bob --priority high
	assert_success
	[ "$(jqo '[.title, .due, .owner, .priority] | join(" ")')" = "回电话 2026-03-05T14:00:00+08:00 bob high" ]
	run crm task update 1 title=发方案 due=下周一
	[ "$(jqo '.title + " " + .due')" = "发方案 2026-03-09T00:00:00+08:00" ]
	# status moves with done and snooze, which keep done_at
	run --separate-stderr crm task update 1 status=done
	assert_failure 2
	[ "$(crm task show 1 | jq -r .status)" = open ]
	run --separate-stderr crm task update 1 priority=urgent
	assert_failure 3
	run crm task rm 1
	assert_success
	[ "$(jqo .id)" = 1 ]
	run crm task list --all
	assert_failure 1
	run crm restore task:1
	assert_success
	[ "$(crm task list | jq -r .title)" = 发方案 ]
	crm task rm --purge 1 >/dev/null
	run --separate-stderr crm restore task:1
	assert_failure 1
	[ "$(crm log --entity task:1 | jq -r .action | paste -sd,)" = "purge,restore,remove,update,update,insert" ]
}

@test "task lines piped into task add are refused (exit 3: use task update); update owner=bob reassigns" {
	crm lead add name=甲 owner=carol >/dev/null
	crm task add --for lead:1 --title 回访 --due tomorrow >/dev/null
	crm task add --title 周报 --owner carol >/dev/null
	crm task add --title 自己的 >/dev/null
	run --separate-stderr bash -c 'crm task list --owner carol | crm task add --owner bob'
	assert_failure 3
	[[ "$stderr" == *"task:1 exists already"*"use task update"* ]] || fail "stderr: $stderr"
	[ "$(crm sql "SELECT count(*) AS n FROM task" | jq .n)" = 3 ]
	run --separate-stderr bash -c 'crm task list --owner carol | crm task update owner=bob'
	assert_success
	assert_jsonl
	[ "$(jq -r '.title + ":" + .owner' <<<"$output" | sort | paste -sd,)" = "周报:bob,回访:bob" ]
	[ "$(crm task list --owner carol | wc -l)" = 0 ]
	[ "$(crm task list --owner tester | jq -r .title)" = 自己的 ]
	# JSON lines of new task fields still make tasks, with the options applied
	run --separate-stderr bash -c "printf '%s\n' '{\"title\":\"新的\"}' | crm task add --owner bob --due 15:00"
	assert_success
	[ "$(jqo '.title + " " + .owner + " " + .due')" = "新的 bob 2026-03-04T15:00:00+08:00" ]
	# other records' lines need a title
	run --separate-stderr bash -c 'crm lead list | crm task add'
	assert_failure 3
	[[ "$stderr" == *"lead:1: what is to be done"* ]] || fail "stderr: $stderr"
}

@test "--next \"tomorrow 14:00 发方案\": due tomorrow at 14:00, titled 发方案; --due reads the same times" {
	crm lead add name=甲 >/dev/null
	run --separate-stderr crm note lead:1 "电话沟通" --type call --next "tomorrow 14:00 发方案"
	assert_success
	[ "$(jq -r 'select(.type == "task") | .title + "|" + .due' <<<"$output")" = "发方案|2026-03-05T14:00:00+08:00" ]
	run crm note lead:1 x --next "明天下午3点回电话"
	[ "$(jq -r 'select(.type == "task") | .title + "|" + .due' <<<"$output")" = "回电话|2026-03-05T15:00:00+08:00" ]
	run crm note lead:1 x --next "下周一 9:30 上门拜访"
	[ "$(jq -r 'select(.type == "task") | .title + "|" + .due' <<<"$output")" = "上门拜访|2026-03-09T09:30:00+08:00" ]
	run crm note lead:1 x --next "next monday 寄合同"
	[ "$(jq -r 'select(.type == "task") | .title + "|" + .due' <<<"$output")" = "寄合同|2026-03-09T00:00:00+08:00" ]
	run crm note lead:1 x --next "+3d 寄样品"
	[ "$(jq -r 'select(.type == "task") | .title + "|" + .due' <<<"$output")" = "寄样品|2026-03-07T10:30:00+08:00" ]
	run --separate-stderr crm note lead:1 x --next "tomorrow 14:00"
	assert_failure 2
	# task add --due: day words, weekdays, a day of this year, a bare time
	for pair in "tomorrow 14:00=2026-03-05T14:00:00" "明天 14:00=2026-03-05T14:00:00" "后天=2026-03-06T00:00:00" \
		"本周五=2026-03-06T00:00:00" "周五=2026-03-06T00:00:00" "下周一=2026-03-09T00:00:00" \
		"下周日=2026-03-15T00:00:00" "next monday=2026-03-09T00:00:00" "friday=2026-03-06T00:00:00" \
		"15:00=2026-03-04T15:00:00" "09:00=2026-03-05T09:00:00" "12-15=2026-12-15T00:00:00" \
		"12/15 10:00=2026-12-15T10:00:00" "12月15日=2026-12-15T00:00:00" "下周一 9:30=2026-03-09T09:30:00"; do
		run --separate-stderr crm task add --title t --due "${pair%%=*}"
		assert_success
		[ "$(jqo .due)" = "${pair#*=}+08:00" ] || fail "--due '${pair%%=*}' gave $(jqo .due)"
	done
	run --separate-stderr crm task add --title t --due "明天 25:00"
	assert_failure 3
	# a past time of day is tomorrow's only for a due time: what happened at 9:00 happened today
	run crm note lead:1 "早上来过电话" --at 9:00
	[ "$(jqo .at)" = "2026-03-04T09:00:00+08:00" ]
	run crm task update 1 due=9:00
	[ "$(jqo .due)" = "2026-03-05T09:00:00+08:00" ]
	[ "$(crm activity list --for lead:1 --since 9:00 | wc -l)" = 6 ]
	[ "$(crm activity list --for lead:1 --since 10:31 | wc -l)" = 0 ]
	# the same words elsewhere: --since, task list --due, $CRM_NOW
	[ "$(crm task list --due 12-15 | wc -l)" = 3 ]
	CRM_NOW="2026-03-09 9:00" crm lead add name=乙 >/dev/null
	[ "$(crm lead list --since 下周一 | jq -r .name)" = 乙 ]
	[ "$(crm lead list --since "下周一 9:30" | wc -l)" = 0 ]
	CRM_NOW="tomorrow 9:00" run crm lead add name=丙   # the pin itself, from the real clock
	[[ "$(jqo .created_at)" == *"T09:00:00+08:00" ]] || fail "created_at $(jqo .created_at)"
}

@test "task snooze into the past is refused (exit 3); later times move it" {
	crm task add --title 回电 --due "2026-03-04 09:00" >/dev/null
	run --separate-stderr crm task snooze 1 yesterday
	assert_failure 3
	[[ "$stderr" == *"task:1: 'yesterday' is in the past (2026-03-03)"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm task snooze 1 "今天 9:00"
	assert_failure 3
	run --separate-stderr crm task snooze 1 -2h
	assert_failure 3
	[ "$(crm task show 1 | jq -r .due)" = "2026-03-04T09:00:00+08:00" ]
	run --separate-stderr crm task snooze 1 soon
	assert_failure 3
	# today (a day: due all day), a time later today, next week
	run crm task snooze 1 today
	assert_success
	[ "$(jqo .due)" = "2026-03-04T00:00:00+08:00" ]
	run crm task snooze 1 "下午3点"
	[ "$(jqo .due)" = "2026-03-04T15:00:00+08:00" ]
	run crm task snooze 1 "下周一 9:30"
	[ "$(jqo .due)" = "2026-03-09T09:30:00+08:00" ]
}

@test "agenda task lines have task list's keys plus agenda and when: one jq filter for both" {
	crm lead add name=甲 >/dev/null
	crm task add --for lead:1 --title 早会 --due "2026-03-04 09:00" --priority high >/dev/null
	crm task add --title 下午 --due "2026-03-04 15:00" >/dev/null
	run --separate-stderr crm agenda
	assert_success
	assert_jsonl
	agenda=$(jq -c 'select(.type == "task") | del(.agenda, .when) | keys' <<<"$output" | sort)
	list=$(crm task list | jq -c keys | sort)
	[ "$agenda" = "$list" ] || fail "agenda: $agenda; task list: $list"
	[ "$(jq -r '.agenda + "|" + .when + "|" + .title + "|" + .entity' <<<"${lines[0]}")" = "overdue|late since 09:00|早会|lead:1" ]
	[ "$(jq -r '.agenda + "|" + .when + "|" + .title' <<<"${lines[1]}")" = "today|today 15:00|下午" ]
	filter='select(.priority == "high") | .title'
	[ "$(crm agenda | jq -r "$filter")" = "$(crm task list | jq -r "$filter")" ]
	# and the lines go on down a pipe
	run bash -c 'crm agenda | jq -c "select(.agenda == \"overdue\")" | crm task done'
	assert_success
	[ "$(jqo .status)" = done ]
}

@test "tasks of a removed lead leave the agenda and task list; restore brings them back" {
	crm lead add name=甲 >/dev/null
	crm lead add name=乙 >/dev/null
	crm task add --for lead:1 --title 甲的事 --due today >/dev/null
	crm task add --for lead:2 --title 乙的事 --due today >/dev/null
	crm task add --title 自己的事 --due today >/dev/null
	crm lead rm 1 >/dev/null
	[ "$(crm agenda | jq -r 'select(.type == "task") | .title' | paste -sd,)" = "乙的事,自己的事" ]
	[ "$(crm task list | jq -r .title | paste -sd,)" = "乙的事,自己的事" ]
	[ "$(crm task list --overdue --all | wc -l)" = 0 ]
	crm restore lead:1 >/dev/null
	[ "$(crm agenda | jq -r 'select(.type == "task") | .title' | sort | paste -sd,)" = "乙的事,甲的事,自己的事" ]
	# a task of a removed deal too
	crm deal add name=单 >/dev/null
	crm task add --for deal:1 --title 单的事 --due today >/dev/null
	crm deal rm 1 >/dev/null
	[ "$(crm task list --for deal:1 | wc -l)" = 0 ]
}
