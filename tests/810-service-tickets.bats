#!/usr/bin/env bats
# crm ticket (CLI.md 8.3): add, the lifecycle, replies as activities,
# filters, pipes, import/export, search, history.
load helper

local_setup() {
	fresh_db
	export CRM_NOW=2026-03-02T10:00:00+08:00   # a Monday
	crm account add name=杭州云启科技有限公司 owner=alice >/dev/null   # account:1
	crm account add name=宁波海纳 owner=bob >/dev/null                # account:2
	crm contact add name=张伟 account_id=1 >/dev/null                  # contact:1
	crm contact add name=李娜 account_id=2 >/dev/null                  # contact:2
}

count() {
	crm sql "SELECT count(*) AS n FROM $1" | jq .n
}

# Some line of $output matches the jq condition.
has_line() {
	jq -s -e "any(.[]; $1)" <<<"$output" >/dev/null
}

@test "ticket add: account, contact, title, priority (default normal), category, assignee; status new" {
	run --separate-stderr crm ticket add --account 1 --contact 1 title=无法登录 category=账号 --assignee carol
	assert_success
	assert_jsonl
	[ "$(jqo .type)" = ticket ]
	[ "$(jqo .id)" = 1 ]
	[ "$(jqo .title)" = 无法登录 ]
	[ "$(jqo .account_id)" = 1 ]
	[ "$(jqo .contact_id)" = 1 ]
	[ "$(jqo .priority)" = normal ]
	[ "$(jqo .category)" = 账号 ]
	[ "$(jqo .status)" = new ]
	[ "$(jqo .assignee)" = carol ]
	[ "$(jqo .owner)" = carol ]
	[ "$(jqo .opened_at)" = 2026-03-02T10:00:00+08:00 ]
	# nothing is past due: no breached key at all
	[ "$(jqo 'has("breached")')" = false ]
	[ "$(jqo 'has("first_response_at")')" = false ]
	# without --assignee: the acting user; the contact gives the account
	run crm ticket add --contact 2 title=发票 priority=urgent
	assert_success
	[ "$(jqo .account_id)" = 2 ]
	[ "$(jqo .assignee)" = tester ]
	[ "$(jqo .priority)" = urgent ]
	# the flags and field=value say the same
	run crm ticket add account=1 title=第三个 priority=low
	assert_success
	[ "$(jqo .priority)" = low ]
}

@test "ticket add refuses what is wrong, and writes nothing" {
	run --separate-stderr crm ticket add title=没有客户
	assert_failure 3
	[[ "$stderr" == *"account"* ]]
	run --separate-stderr crm ticket add --account 1 title=x priority=asap
	assert_failure 3
	[[ "$stderr" == *"priority"* ]]
	run --separate-stderr crm ticket add --account 99 title=x
	assert_failure 3
	# a contact of another account
	run --separate-stderr crm ticket add --account 1 --contact 2 title=x
	assert_failure 3
	[[ "$stderr" == *"contact:2 belongs to account:2"* ]]
	run --separate-stderr crm ticket add --account 1
	assert_failure 3
	[[ "$stderr" == *"title"* ]]
	run --separate-stderr crm ticket add --account 1 title=x status=closed
	assert_failure 3
	run --separate-stderr crm ticket add --account 1 title=x first_response_at=2026-03-01
	assert_failure 3
	run --separate-stderr crm ticket add --account 1 title=x breached=resolve
	assert_failure 3
	[ "$(count ticket)" = 0 ]
	[ "$(crm sql "SELECT count(*) AS n FROM audit WHERE entity LIKE 'ticket:%'" | jq .n)" = 0 ]
}

@test "the lifecycle: new -> open on the first reply -> pending -> open on a reply -> resolved -> closed -> reopen" {
	crm ticket add --account 1 title=无法登录 >/dev/null
	# the first reply by anyone (not the assignee here) sets first_response_at
	CRM_NOW=2026-03-02T10:20:00+08:00 run --separate-stderr crm --as zoe ticket reply 1 "正在排查"
	assert_success
	[ "$(jqo .status)" = open ]
	[ "$(crm activity list --where "entity = 'ticket:1'" | jq -r .owner)" = zoe ]
	[ "$(jqo .first_response_at)" = 2026-03-02T10:20:00+08:00 ]
	# a later reply does not move first_response_at
	CRM_NOW=2026-03-02T10:30:00+08:00 run crm ticket reply 1 "请提供截图"
	[ "$(jqo .first_response_at)" = 2026-03-02T10:20:00+08:00 ]
	CRM_NOW=2026-03-02T10:31:00+08:00 run crm ticket pending 1 --note "等客户截图"
	assert_success
	[ "$(jqo .status)" = pending ]
	CRM_NOW=2026-03-02T11:00:00+08:00 run crm ticket reply 1 "收到截图"
	[ "$(jqo .status)" = open ]
	CRM_NOW=2026-03-02T12:00:00+08:00 run crm ticket resolve 1 --note "已重置密码"
	assert_success
	[ "$(jqo .status)" = resolved ]
	[ "$(jqo .resolved_at)" = 2026-03-02T12:00:00+08:00 ]
	CRM_NOW=2026-03-03T12:00:00+08:00 run crm ticket close 1
	[ "$(jqo .status)" = closed ]
	[ "$(jqo .closed_at)" = 2026-03-03T12:00:00+08:00 ]
	CRM_NOW=2026-03-04T09:00:00+08:00 run crm ticket reopen 1 --note "又登录不了"
	assert_success
	[ "$(jqo .status)" = open ]
	[ "$(jqo 'has("resolved_at") or has("closed_at")')" = false ]
	# the replies and notes are activities of the ticket
	run crm activity list --where "entity = 'ticket:1'"
	[ "$(jq -s -r 'map(.text) | sort | join(" ")' <<<"$output")" = "又登录不了 已重置密码 收到截图 正在排查 等客户截图 请提供截图" ]
	# the pause: 10:31 to 11:00 pending; then resolved from 03-02 12:00 to the reopen
	run crm sql "SELECT kind, from_at, to_at FROM ticket_pause WHERE ticket_id = 1 ORDER BY id"
	[ "$(echo "$output" | jq -r '[.kind, .from_at, .to_at] | join(" ")' | tr '\n' '|')" = \
	  "pending 2026-03-02T10:31:00+08:00 2026-03-02T11:00:00+08:00|resolved 2026-03-02T12:00:00+08:00 2026-03-04T09:00:00+08:00|" ]
}

@test "a move the status does not allow exits 4 naming the statuses that allow it, and changes nothing" {
	crm ticket add --account 1 title=无法登录 >/dev/null
	run --separate-stderr crm ticket pending 1
	assert_failure 4
	[[ "$stderr" == *"ticket:1 is new"* && "$stderr" == *"open"* ]]
	run --separate-stderr crm ticket close 1
	assert_failure 4
	[[ "$stderr" == *"resolved"* ]]
	run --separate-stderr crm ticket reopen 1
	assert_failure 4
	[[ "$stderr" == *"resolved or closed"* ]]
	crm ticket resolve 1 >/dev/null
	run --separate-stderr crm ticket resolve 1
	assert_failure 4
	[[ "$stderr" == *"new, open or pending"* ]]
	run --separate-stderr crm ticket pending 1 --note 不该写下
	assert_failure 4
	crm ticket close 1 >/dev/null
	run --separate-stderr crm ticket reply 1 "还在吗"
	assert_failure 4
	[[ "$stderr" == *"closed"* && "$stderr" == *"reopen"* ]]
	# nothing of the refused moves was written: no note, no pause
	[ "$(count activity)" = 0 ]
	[ "$(count ticket_pause)" = 0 ]
	[ "$(crm ticket show 1 | jq -r .status)" = closed ]
	# status is not set by hand
	run --separate-stderr crm ticket update 1 status=open
	assert_failure 3
	[[ "$stderr" == *"crm ticket"* ]]
	run --separate-stderr crm ticket reply 99 "x"
	assert_failure 1
	run --separate-stderr crm ticket reply 1 "   "
	assert_failure 2
}

@test "replies show in the ticket's and the account's history, and move the account's last contact" {
	crm ticket add --account 1 --contact 1 title=无法登录 >/dev/null
	CRM_NOW=2026-03-02T10:20:00+08:00 crm ticket reply 1 "正在排查" >/dev/null
	run crm history ticket:1
	assert_success
	has_line '.kind == "activity" and .summary == "note: 正在排查"'
	has_line '.kind == "update" and .changes.status == ["new", "open"]'
	run crm history account:1
	assert_success
	has_line '.kind == "activity" and .about == "ticket:1" and .summary == "note: 正在排查"'
	[ "$(crm account show 1 | jq -r .last_contacted_at)" = 2026-03-02T10:20:00+08:00 ]
	# another account's history does not have it
	run crm history account:2
	! echo "$output" | grep -q 正在排查
}

@test "ticket list: --status, --assignee, --where, and every change audited" {
	crm ticket add --account 1 title=甲 --assignee carol >/dev/null
	crm ticket add --account 2 title=乙 --assignee dave priority=high >/dev/null
	crm ticket add --account 2 title=丙 --assignee carol >/dev/null
	crm ticket reply 2 "好的" >/dev/null
	run crm ticket list --assignee carol
	[ "$(echo "$output" | jq -r .title | tr '\n' ' ')" = "甲 丙 " ]
	run crm ticket list --status open
	[ "$(jqo .title)" = 乙 ]
	run crm ticket list --where "priority = 'high' AND account_id = 2"
	[ "$(jqo .id)" = 2 ]
	run crm ticket list --status closed
	assert_failure 1
	run crm ticket update 3 --assignee dave
	assert_success
	[ "$(jqo .assignee)" = dave ]
	run crm ticket update 3 assignee=erin category=网络
	[ "$(jqo .owner)" = erin ]
	run crm sql "SELECT action FROM audit WHERE entity = 'ticket:3' ORDER BY id"
	[ "$(echo "$output" | jq -r .action | tr '\n' ' ')" = "insert update update " ]
	run crm ticket rm 3
	assert_success
	run crm ticket show 3
	assert_failure 1
}

@test "tickets in a pipe: list | reply, list | resolve, JSON lines into add" {
	crm ticket add --account 1 title=甲 >/dev/null
	crm ticket add --account 2 title=乙 >/dev/null
	run --separate-stderr bash -c 'crm ticket list --status new | crm ticket reply "已收到，处理中"'
	assert_success
	assert_jsonl
	[ "$(echo "$output" | jq -r .status | tr '\n' ' ')" = "open open " ]
	run --separate-stderr bash -c 'crm ticket list | crm ticket resolve'
	assert_success
	[ "$(echo "$output" | jq -r .status | sort -u)" = resolved ]
	run --separate-stderr bash -c 'printf "%s\n" "{\"account_id\":1,\"title\":\"丙\",\"assignee\":\"carol\"}" | crm ticket add'
	assert_success
	[ "$(jqo .owner)" = carol ]
	# a stale line (changed since it was printed) is refused
	line=$(crm ticket show 3)
	CRM_NOW=2026-03-02T10:05:00+08:00 crm ticket reply 3 "先回复" >/dev/null
	run --separate-stderr bash -c "echo '$line' | crm ticket resolve"
	assert_failure 4
}

@test "tickets import and export with the Chinese headers, and search finds them" {
	cat >"$BATS_TEST_TMPDIR/t.csv" <<-'EOF'
	工单标题,客户编号,优先级,分类,处理人
	打印机卡纸,1,high,硬件,carol
	对账单有误,2,normal,账单,dave
	EOF
	run --separate-stderr crm import tickets "$BATS_TEST_TMPDIR/t.csv"
	assert_success
	[ "$(count ticket)" = 2 ]
	[ "$(crm ticket show 1 | jq -r '[.title, .priority, .category, .owner, .status] | join(" ")')" = "打印机卡纸 high 硬件 carol new" ]
	run crm export tickets --headers zh
	assert_success
	[[ "${lines[0]}" == *工单标题* && "${lines[0]}" == *优先级* ]]
	[[ "$output" == *打印机卡纸* ]]
	run crm search 卡纸
	assert_success
	[[ "$output" == *'"ticket"'* ]]
	run crm search 账单
	assert_success
	# a sheet names the one handling it 受理人 (or assignee), as --assignee
	printf '工单标题,客户编号,受理人\n无法开票,1,dave\n' >"$BATS_TEST_TMPDIR/a.csv"
	printf 'title,account_id,assignee\n发票抬头错,1,carol\n' >"$BATS_TEST_TMPDIR/b.csv"
	crm import tickets "$BATS_TEST_TMPDIR/a.csv" "$BATS_TEST_TMPDIR/b.csv" 2>/dev/null
	[ "$(crm ticket list --assignee dave | jq -r .title | tr '\n' ' ')" = "对账单有误 无法开票 " ]
	[ "$(crm ticket show 4 | jq -r '[.owner, .assignee] | join(" ")')" = "carol carol" ]
	# an export read back: 处理人 says who, 受理人 repeats it
	crm ticket update 1 --assignee dave >/dev/null
	crm export tickets --headers zh >"$BATS_TEST_TMPDIR/all.csv"
	rm -f "$CRM_DB"
	fresh_db
	crm account add name=甲 >/dev/null
	crm account add name=乙 >/dev/null
	crm import tickets "$BATS_TEST_TMPDIR/all.csv" 2>/dev/null
	[ "$(crm ticket list | jq -r .owner | tr '\n' ' ')" = "dave dave dave carol " ]
}

@test "ticket help, completion and the man page" {
	run crm help ticket
	assert_success
	[[ "$output" == *"reply"* && "$output" == *"sla.urgent 1h/4h"* ]]
	run crm __complete ticket ''
	[[ "$output" == *reply* && "$output" == *pending* && "$output" == *reopen* ]]
	run crm __complete ticket list --
	[[ "$output" == *--breached* && "$output" == *--due-within* && "$output" == *--assignee* ]]
	[ -f "$ROOT_DIR/share/man/man1/crm-ticket.1" ]
	[ -f "$ROOT_DIR/share/man/man1/crm-survey.1" ]
}
