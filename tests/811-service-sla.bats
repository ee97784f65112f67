#!/usr/bin/env bats
# The SLA clocks of tickets (CLI.md 8.3): sla.PRIORITY and its defaults,
# sla.hours, pending time, breached, --breached, --due-within, and
# ticket.breached from the tick. Every due time is worked out by hand in
# the comment beside it.
load helper

local_setup() {
	fresh_db
	export CRM_NOW=2026-03-02T10:00:00+08:00   # a Monday
	crm account add name=杭州云启科技有限公司 owner=alice >/dev/null
}

has_line() {
	jq -s -e "any(.[]; $1)" <<<"$output" >/dev/null
}

due() {   # ID: "first_response_due resolve_due breached"
	crm ticket show "$1" | jq -r '[.first_response_due, .resolve_due, (.breached // [] | join(","))] | join(" ")'
}

@test "the default clocks per priority, every hour counting (no sla.hours)" {
	crm ticket add --account 1 title=甲 priority=urgent >/dev/null
	crm ticket add --account 1 title=乙 priority=high >/dev/null
	crm ticket add --account 1 title=丙 >/dev/null
	crm ticket add --account 1 title=丁 priority=low >/dev/null
	# urgent 1h/4h from Mon 10:00: 11:00 and 14:00
	[ "$(due 1)" = "2026-03-02T11:00:00+08:00 2026-03-02T14:00:00+08:00 " ]
	# high 4h/1d: 14:00, and 24 hours later Tue 10:00
	[ "$(due 2)" = "2026-03-02T14:00:00+08:00 2026-03-03T10:00:00+08:00 " ]
	# normal (the default) 8h/3d: 18:00, and Thu 10:00
	[ "$(due 3)" = "2026-03-02T18:00:00+08:00 2026-03-05T10:00:00+08:00 " ]
	# low 1d/7d: Tue 10:00, and the next Monday 10:00
	[ "$(due 4)" = "2026-03-03T10:00:00+08:00 2026-03-09T10:00:00+08:00 " ]
}

@test "sla.PRIORITY from config; a changed priority moves the clocks; a bad setting switches them off with a warning" {
	crm config set sla.high "2h/6h" >/dev/null
	crm ticket add --account 1 title=甲 priority=high >/dev/null
	# 10:00 + 2h = 12:00, + 6h = 16:00
	[ "$(due 1)" = "2026-03-02T12:00:00+08:00 2026-03-02T16:00:00+08:00 " ]
	crm ticket update 1 priority=urgent >/dev/null
	[ "$(due 1)" = "2026-03-02T11:00:00+08:00 2026-03-02T14:00:00+08:00 " ]
	crm config set sla.urgent "soon" >/dev/null
	run --separate-stderr crm ticket show 1
	assert_success
	[ "$(jqo 'has("resolve_due")')" = false ]
	[[ "$stderr" == *"sla.urgent"* ]]
	# once per command, not once per ticket
	[ "$(grep -c sla.urgent <<<"$stderr")" = 1 ]
	run --separate-stderr crm report service
	assert_failure 3
	[[ "$stderr" == *"sla.urgent"* ]]
	crm config set sla.hours "9-18 weekdays" >/dev/null
	run --separate-stderr crm ticket list
	assert_success
	[[ "$stderr" == *"sla.hours"* ]]
}

@test "acceptance: 09:00-18:00 1-5, urgent opened Friday 17:30: first response Monday 09:30, resolution 12:30; two hours pending on Monday move it to 14:30" {
	crm config set sla.hours "09:00-18:00 1-5" >/dev/null
	CRM_NOW=2026-03-06T17:30:00+08:00 crm ticket add --account 1 title=系统宕机 priority=urgent >/dev/null
	# first 1h: 30 minutes on Friday (17:30-18:00), 30 on Monday from 09:00 -> 09:30
	# resolve 4h: 30 minutes on Friday, 3.5 hours on Monday from 09:00 -> 12:30
	[ "$(due 1)" = "2026-03-09T09:30:00+08:00 2026-03-09T12:30:00+08:00 " ]
	# Saturday and Sunday do not count: still nothing breached on Sunday night
	CRM_NOW=2026-03-08T23:00:00+08:00 run due 1
	[ "$output" = "2026-03-09T09:30:00+08:00 2026-03-09T12:30:00+08:00 " ]
	CRM_NOW=2026-03-09T09:10:00+08:00 crm ticket reply 1 "已在处理" >/dev/null
	CRM_NOW=2026-03-09T10:00:00+08:00 crm ticket pending 1 >/dev/null
	# while it is pending the due time shows where it would be if it went
	# on now: at 11:00, one hour paused: 13:30
	CRM_NOW=2026-03-09T11:00:00+08:00 run due 1
	[ "$output" = "2026-03-09T09:30:00+08:00 2026-03-09T13:30:00+08:00 " ]
	CRM_NOW=2026-03-09T12:00:00+08:00 crm ticket reply 1 "收到日志" >/dev/null
	# pending 10:00-12:00 (2 hours) does not count: 12:30 + 2h = 14:30
	CRM_NOW=2026-03-09T12:00:00+08:00 run due 1
	[ "$output" = "2026-03-09T09:30:00+08:00 2026-03-09T14:30:00+08:00 " ]
	# resolved at 14:00: within both clocks, never breached
	CRM_NOW=2026-03-09T14:00:00+08:00 crm ticket resolve 1 >/dev/null
	CRM_NOW=2026-03-10T09:00:00+08:00 run due 1
	[ "$output" = "2026-03-09T09:30:00+08:00 2026-03-09T14:30:00+08:00 " ]
}

@test "business hours: a day is one business day, a ticket opened on Saturday starts Monday 09:00, pending over a night" {
	crm config set sla.hours "09:00-18:00 1-5" >/dev/null
	crm ticket add --account 1 title=甲 >/dev/null
	# normal 8h/3d from Mon 10:00: 8h = Mon 10:00-18:00 -> 18:00;
	# 3d = 27h: Mon 8h, Tue 9h, Wed 9h (26h), Thu 1h -> Thu 10:00
	[ "$(due 1)" = "2026-03-02T18:00:00+08:00 2026-03-05T10:00:00+08:00 " ]
	CRM_NOW=2026-03-07T11:00:00+08:00 crm ticket add --account 1 title=乙 priority=urgent >/dev/null
	# the clocks start Monday 09:00: 10:00 and 13:00
	[ "$(due 2)" = "2026-03-09T10:00:00+08:00 2026-03-09T13:00:00+08:00 " ]
	# ticket 1 pending from Mon 17:00 to Tue 10:00 (1h Mon, 1h Tue of
	# business time): the resolution moves 2 business hours, to Thu 12:00
	CRM_NOW=2026-03-02T16:00:00+08:00 crm ticket reply 1 "看一下" >/dev/null
	CRM_NOW=2026-03-02T17:00:00+08:00 crm ticket pending 1 >/dev/null
	CRM_NOW=2026-03-03T10:00:00+08:00 crm ticket reply 1 "继续" >/dev/null
	# the first response (Mon 16:00) came before the pause: its due stays
	[ "$(due 1)" = "2026-03-02T18:00:00+08:00 2026-03-05T12:00:00+08:00 " ]
}

@test "breached lists what is past due, absent when nothing is; a resolution without a reply owes no response" {
	crm ticket add --account 1 title=甲 >/dev/null             # normal: 18:00 / Thu 10:00
	crm ticket add --account 1 title=乙 priority=urgent >/dev/null  # 11:00 / 14:00
	CRM_NOW=2026-03-02T10:10:00+08:00 run crm ticket list --breached
	assert_failure 1
	# due exactly now is not yet breached
	CRM_NOW=2026-03-02T18:00:00+08:00 run crm ticket show 1
	[ "$(jqo 'has("breached")')" = false ]
	CRM_NOW=2026-03-02T18:01:00+08:00 run crm ticket show 1
	[ "$(jqo '.breached | join(",")')" = first_response ]
	# ticket 2 resolved at 10:30 without a reply: nothing is owed
	CRM_NOW=2026-03-02T10:30:00+08:00 crm ticket resolve 2 >/dev/null
	CRM_NOW=2026-03-02T20:00:00+08:00 run crm ticket show 2
	[ "$(jqo 'has("breached")')" = false ]
	# a late reply keeps the first response breached
	CRM_NOW=2026-03-02T18:30:00+08:00 crm ticket reply 1 "抱歉久等" >/dev/null
	CRM_NOW=2026-03-05T11:00:00+08:00 crm ticket resolve 1 >/dev/null
	CRM_NOW=2026-03-06T09:00:00+08:00 run crm ticket show 1
	[ "$(jqo '.breached | join(",")')" = first_response,resolve ]
	CRM_NOW=2026-03-06T09:00:00+08:00 run crm ticket list --breached
	assert_success
	[ "$(jqo .id)" = 1 ]
	# --where sees it too
	CRM_NOW=2026-03-06T09:00:00+08:00 run crm ticket list --where "breached LIKE '%resolve%'"
	[ "$(jqo .id)" = 1 ]
}

@test "--due-within SPAN: unresolved tickets whose next due time comes within it" {
	crm ticket add --account 1 title=紧急 priority=urgent >/dev/null   # first due 11:00
	crm ticket add --account 1 title=一般 >/dev/null                   # first due 18:00
	crm ticket add --account 1 title=不急 priority=low >/dev/null       # first due Tue 10:00
	run crm ticket list --due-within 2h
	[ "$(echo "$output" | jq -r .title | tr '\n' ' ')" = "紧急 " ]
	run crm ticket list --due-within 9h
	[ "$(echo "$output" | jq -r .title | tr '\n' ' ')" = "紧急 一般 " ]
	# answered: the next due time is the resolution's, 14:00, not within 2h
	CRM_NOW=2026-03-02T10:10:00+08:00 crm ticket reply 1 "在看" >/dev/null
	run crm ticket list --due-within 2h
	assert_failure 1
	# past due is breached, not due within
	CRM_NOW=2026-03-02T18:30:00+08:00 run crm ticket list --due-within 1h
	assert_failure 1
	run --separate-stderr crm ticket list --due-within soon
	assert_failure 2
}

@test "crm automate tick fires ticket.breached once per breach, up to twice per ticket, for escalation rules" {
	crm rule add 超时升级 --on ticket.breached --do 'task 工单超时处理 --priority high' >/dev/null
	crm ticket add --account 1 title=宕机 priority=urgent >/dev/null   # 11:00 / 14:00
	CRM_NOW=2026-03-02T10:59:00+08:00 run crm automate tick
	assert_success
	[ -z "$output" ]
	CRM_NOW=2026-03-02T11:01:00+08:00 run --separate-stderr crm automate tick
	assert_success
	assert_jsonl
	[ "$(jqo '[.event, .entity, .clock] | join(" ")')" = "ticket.breached ticket:1 first_response" ]
	CRM_NOW=2026-03-02T11:02:00+08:00 run crm automate tick
	[ -z "$output" ]
	# a dry run shows nothing more either, and writes nothing
	CRM_NOW=2026-03-02T14:01:00+08:00 run crm automate run --dry-run
	has_line '.clock == "resolve" and .dry_run == true'
	[ "$(crm sql 'SELECT count(*) AS n FROM ticket_breach' | jq .n)" = 1 ]
	CRM_NOW=2026-03-02T14:01:00+08:00 run crm automate tick
	[ "$(jqo .clock)" = resolve ]
	CRM_NOW=2026-03-02T15:00:00+08:00 run crm automate tick
	[ -z "$output" ]
	# reopened and late again: already fired, not again
	CRM_NOW=2026-03-02T15:10:00+08:00 crm ticket resolve 1 >/dev/null
	CRM_NOW=2026-03-02T15:20:00+08:00 crm ticket reopen 1 >/dev/null
	CRM_NOW=2026-03-02T18:00:00+08:00 run crm automate tick
	[ -z "$output" ]
	# the rule made one task per breach, on the ticket
	run crm task list
	[ "${#lines[@]}" = 2 ]
	[ "$(echo "$output" | jq -r .entity | sort -u)" = ticket:1 ]
	[ "$(echo "$output" | jq -r .priority | sort -u)" = high ]
}

@test "acceptance: crm automate tick every minute over a simulated day fires each ticket.breached and contract.expiring exactly once" {
	crm rule add 超时通知 --on ticket.breached --do 'task 超时' >/dev/null
	crm rule add 续约 --on contract.expiring --do 'task 续约' >/dev/null
	# a signed contract ending 2026-04-02: 30 days before (renewal.remind_days)
	# is 2026-03-03, so it is expiring from Tuesday midnight on
	crm deal add name=年度服务 account_id=1 amount=1000 >/dev/null
	crm contract add --deal 1 amount=1000 start=2025-04-03 end=2026-04-02 >/dev/null
	crm contract submit 1 >/dev/null
	crm contract sign 1 >/dev/null
	# and one ending 2026-04-30: not within 30 days during the day
	crm deal add name=另一份 account_id=1 amount=500 >/dev/null
	crm contract add --deal 2 amount=500 start=2025-05-01 end=2026-04-30 >/dev/null
	crm contract submit 2 >/dev/null
	crm contract sign 2 >/dev/null
	crm ticket add --account 1 title=甲 priority=urgent >/dev/null   # 11:00 / 14:00
	crm ticket add --account 1 title=乙 priority=high >/dev/null     # 14:00 / Tue 10:00
	CRM_NOW=2026-03-02T12:00:00+08:00 crm ticket add --account 1 title=丙 >/dev/null   # 20:00 / Thu 12:00
	CRM_NOW=2026-03-02T13:00:00+08:00 crm ticket reply 3 "收到" >/dev/null   # answered in time
	: >"$BATS_TEST_TMPDIR/fired"
	# Mon 10:00 to Tue 10:00, every minute (1441 ticks)
	for day in 02 03; do
		for h in 00 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23; do
			[ "$day$h" \< 0210 ] && continue
			[ "$day$h" \> 0310 ] && break
			for m in $(seq -w 0 59); do
				[ "$day$h" = 0310 ] && [ "$m" != 00 ] && break
				CRM_NOW="2026-03-${day}T$h:$m:00+08:00" crm automate tick >>"$BATS_TEST_TMPDIR/fired"
			done
		done
	done
	run cat "$BATS_TEST_TMPDIR/fired"
	assert_jsonl
	# ticket 1: first response at 11:01, resolve at 14:01; ticket 2: first
	# response at 14:01; its resolution (Tue 10:00) is due, not yet past,
	# at the last tick; ticket 3 was answered in time; contract 1 at Tue 00:00
	[ "$(jq -r '[.event, .entity, (.clock // "")] | join(" ")' <<<"$output" | tr '\n' '|')" = \
	  "ticket.breached ticket:1 first_response|ticket.breached ticket:1 resolve|ticket.breached ticket:2 first_response|contract.expiring contract:1 |" ]
	[ "$(crm task list --where "title = '超时'" | wc -l)" = 3 ]
	[ "$(crm task list --where "title = '续约'" | jq -r .entity)" = contract:1 ]
}
