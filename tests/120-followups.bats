#!/usr/bin/env bats
# crm note, crm activity list, crm task, crm agenda: the daily loop.
load helper

local_setup() {
	fresh_db
	export CRM_USER=alice
	crm lead add name=张伟 phone=13812345678 owner=alice >/dev/null
}

@test "note: an activity, last_contacted_at, and with --next a task due in 3 days for the owner" {
	run --separate-stderr env CRM_NOW=2026-11-23T09:00:00+08:00 crm note lead:1 "客户说喜欢喝普洱茶" --type call --next "+3d 寄茶叶样品"
	assert_success
	assert_jsonl
	[ "${#lines[@]}" -eq 2 ]
	[ "$(jq -r .type <<<"${lines[0]}")" = activity ]
	[ "$(jq -r .kind <<<"${lines[0]}")" = call ]
	[ "$(jq -r .type <<<"${lines[1]}")" = task ]
	[ "$(jq -r .title <<<"${lines[1]}")" = 寄茶叶样品 ]
	[ "$(jq -r .due <<<"${lines[1]}")" = 2026-11-26T09:00:00+08:00 ]
	[ "$(jq -r .owner <<<"${lines[1]}")" = alice ]
	[ "$(crm lead show 1 | jq -r .last_contacted_at)" = 2026-11-23T09:00:00+08:00 ]
	run crm activity list --for lead:1
	[ "$(jqo .text)" = 客户说喜欢喝普洱茶 ]
}

@test "note: bad input is refused and writes nothing" {
	run --separate-stderr crm note lead:9 "无此人"
	assert_failure 1   # not found, as for tag add, task done, assign
	[[ "$stderr" == *"no lead with id 9"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm task add --for lead:9 --title x --due tomorrow
	assert_failure 1
	run --separate-stderr crm note lead:1 "x" --type fax
	assert_failure 3
	[[ "$stderr" == *"kind: 'fax' is not one of"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm note lead:1 "x" --next "某天 回电"
	assert_failure 2
	run --separate-stderr crm note lead:1 "x" --next "+3d"
	assert_failure 2
	[[ "$stderr" == *"what is to be done after '+3d'"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm note lead:1 "  "
	assert_failure 2
	[[ "$stderr" == *"the note is empty"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm note 1 "x"
	assert_failure 2
	[ "$(crm sql 'SELECT count(*) AS n FROM activity' | jq .n)" = 0 ]
	[ "$(crm sql 'SELECT count(*) AS n FROM task' | jq .n)" = 0 ]
	[ "$(crm lead show 1 | jq -r .last_contacted_at)" = null ]
}

@test "note on every record piped in" {
	crm lead add name=李娜 owner=bob >/dev/null
	run bash -c 'crm lead list | crm note "群发了展会邀请" --type wechat'
	assert_success
	[ "${#lines[@]}" -eq 2 ]
	[ "$(crm activity list | jq -r .entity | sort | tr '\n' ' ')" = "lead:1 lead:2 " ]
}

@test "task add, list --mine/--overdue/--due, done, snooze" {
	export CRM_NOW=2026-11-23T09:00:00+08:00
	crm task add --for lead:1 --title 报价 --due +2d --priority high >/dev/null
	crm task add --for lead:1 --title 回电 --due -1d >/dev/null
	crm task add --title 周报 --due today --owner bob >/dev/null
	run crm task list --mine
	[ "${#lines[@]}" -eq 2 ]
	run crm task list --overdue
	[ "$(jqo .title)" = 回电 ]
	run crm task list --due today
	[ "$(jqo .title)" = 周报 ]
	run crm task done 2
	assert_success
	[ "$(jqo .status)" = done ]
	run crm task list --overdue
	assert_failure 1
	run crm task snooze 1 2026-12-01
	[ "$(jqo .due)" = 2026-12-01T00:00:00+08:00 ]
	run crm task list --all
	[ "${#lines[@]}" -eq 3 ]
	# a done task snoozed is open again, not open and done at once
	run crm task snooze 2 +1d
	assert_success
	[ "$(jqo '[.status, (.done_at // "none")] | join(" ")')" = "open none" ]
}

@test "task add: bad input, exit codes, nothing written" {
	run --separate-stderr crm task add --for lead:1 --due tomorrow </dev/null
	assert_failure 2
	run --separate-stderr crm task add --for lead:1 --title x --due someday
	assert_failure 3
	run --separate-stderr crm task add --for lead:1 --title x --priority urgent
	assert_failure 3
	run --separate-stderr crm task done 99
	assert_failure 1
	[ "$(crm sql 'SELECT count(*) AS n FROM task' | jq .n)" = 0 ]
}

@test "tasks for every record in a pipe, for each record's owner" {
	crm lead add name=李娜 owner=bob >/dev/null
	run bash -c 'crm lead list | crm task add --title 24小时内首次联系 --due +24h'
	assert_success
	[ "${#lines[@]}" -eq 2 ]
	[ "$(crm task list | jq -r '.entity + "=" + .owner' | sort | tr '\n' ' ')" = "lead:1=alice lead:2=bob " ]
	run bash -c 'crm task list | crm task done | jq -r .status | sort -u'
	assert_output done
}

@test "agenda: overdue first, then today's tasks, new leads waiting, quiet deals" {
	CRM_NOW=2026-11-10T09:00:00+08:00 crm deal add name=冷单 amount=1000 >/dev/null
	CRM_NOW=2026-11-10T09:00:00+08:00 crm deal add name=热单 amount=1000 >/dev/null
	CRM_NOW=2026-11-22T09:00:00+08:00 crm note deal:2 "刚聊过" >/dev/null
	export CRM_NOW=2026-11-20T09:00:00+08:00
	crm lead add name=新客户 owner=alice >/dev/null
	CRM_NOW=2026-11-23T07:00:00+08:00 crm lead add name=刚来的 owner=alice >/dev/null
	crm task add --for lead:1 --title 今天的事 --due 2026-11-23T15:00 >/dev/null
	crm task add --for lead:1 --title 过期的事 --due 2026-11-21 >/dev/null
	crm task add --for lead:1 --title 别人的事 --due 2026-11-23 --owner bob >/dev/null
	export CRM_NOW=2026-11-23T08:00:00+08:00
	run --separate-stderr crm agenda
	assert_success
	assert_jsonl
	[ "$(jq -r .agenda <<<"$output" | tr '\n' ' ')" = "overdue today new_lead stale_deal " ]
	[ "$(jq -r 'select(.agenda == "new_lead") | .what' <<<"$output")" = 新客户 ]
	[ "$(jq -r 'select(.agenda == "stale_deal") | .what' <<<"$output")" = 冷单 ]
	[ "$(jq -r .title <<<"${lines[0]}")" = 过期的事 ]
	[ "$(jq -r .title <<<"${lines[1]}")" = 今天的事 ]
	run crm agenda --user bob
	[ "$(jqo .title)" = 别人的事 ]
	run crm agenda --date 2026-11-30 --user nobody
	assert_failure 1
	run --separate-stderr crm agenda --date someday
	assert_failure 2
	COLUMNS=80 run crm agenda --table
	assert_line --index 0 --regexp '^agenda +what +for'
}

@test "agenda: a lead waits whole hours, a deal whole days, counted exactly" {
	# created at 00:00:37: 25 hours later is 25 hours (as a fraction of a
	# julian day it came out as 24.9999 and so 24), 24 hours later is in
	CRM_NOW=2026-11-20T00:00:37+08:00 crm lead add name=等了25小时 owner=alice >/dev/null
	CRM_NOW=2026-11-20T01:00:37+08:00 crm lead add name=刚好24小时 owner=alice >/dev/null
	CRM_NOW=2026-11-20T01:00:38+08:00 crm lead add name=差一秒 owner=alice >/dev/null
	CRM_NOW=2026-11-14T01:00:37+08:00 crm deal add name=七天没动 amount=1 owner=alice >/dev/null
	CRM_NOW=2026-11-14T01:00:38+08:00 crm deal add name=差一秒的单 amount=1 owner=alice >/dev/null
	run --separate-stderr env CRM_NOW=2026-11-21T01:00:37+08:00 crm agenda --user alice
	assert_success
	[ "$(jq -r 'select(.agenda == "new_lead") | "\(.what) \(.hours)"' <<<"$output" | paste -sd,)" = "等了25小时 25,刚好24小时 24" ]
	[ "$(jq -r 'select(.agenda == "stale_deal") | "\(.what) \(.days)"' <<<"$output")" = "七天没动 7" ]
}

@test "task done and snooze refuse a piped line whose task changed since (exit 4)" {
	export CRM_NOW=2026-11-23T09:00:00+08:00
	crm task add --title 回电 --due +1d >/dev/null
	crm task list > "$BATS_TEST_TMPDIR/snap.jsonl"
	CRM_NOW=2026-11-23T09:05:00+08:00 crm task snooze 1 +2d >/dev/null
	run --separate-stderr crm task done < "$BATS_TEST_TMPDIR/snap.jsonl"
	assert_failure 4
	[[ "$stderr" == *"task:1 was changed after this line was read"* ]] || fail "stderr: $stderr"
	[ "$(crm task list --all | jq -r .status)" = open ]
	run --separate-stderr crm task snooze +3d < "$BATS_TEST_TMPDIR/snap.jsonl"
	assert_failure 4
	run bash -c "crm task list | crm task done"
	assert_success
	[ "$(jqo .status)" = done ]
}

@test "agenda: a task due earlier today is overdue, as in task list --overdue" {
	export CRM_NOW=2026-11-23T09:00:00+08:00
	crm task add --title 早会 --due "2026-11-23 08:00" >/dev/null
	crm task add --title 下午 --due "2026-11-23 15:00" >/dev/null
	crm task add --title 全天 --due 2026-11-23 >/dev/null
	run crm agenda
	assert_success
	[ "$(jq -r '.agenda + ":" + .title' <<<"$output" | paste -sd,)" = "overdue:早会,today:下午,today:全天" ]
	[ "$(crm task list --overdue | jq -r .title)" = 早会 ]
	# another day's agenda: its timed tasks are due that day, not late
	crm task add --title 周会 --due "2026-11-26 09:00" >/dev/null
	run crm agenda --date 2026-11-26
	[ "$(jq -r 'select(.title == "周会") | .agenda' <<<"$output")" = today ]
}
