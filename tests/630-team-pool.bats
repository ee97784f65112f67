#!/usr/bin/env bats
# CLI.md 8.1: the public pool (公海): claim, release, the limits, locks,
# previous_owner, reclaim and reminders by the tick (acceptance 4),
# events pool.claimed|released|reclaimed, all audited and in history.

load helper

DAY0=2026-03-01T09:00:00+08:00

local_setup() {
	fresh_db
	team_users
	crm user add fin --role finance >/dev/null
	export CRM_NOW=$DAY0
	crm lead add name=甲 owner= >/dev/null
	crm lead add name=乙 owner= >/dev/null
	crm lead add name=丙 owner= >/dev/null
	crm account add name=丁公司 owner= >/dev/null
}

@test "pool list: leads and accounts with no owner; --type, --where; exit 1 when empty" {
	crm lead add name=有主 --owner carol >/dev/null
	run --separate-stderr crm --as carol pool list
	assert_success
	assert_jsonl
	[ "$(echo "$output" | jq -r '"\(.type):\(.id)"' | tr '\n' ' ')" = "lead:1 lead:2 lead:3 account:1 " ]
	run crm --as carol pool list --type account
	[ "$(jqo .name)" = 丁公司 ]
	run crm --as carol pool list --type lead --where "name = '乙'"
	[ "$(jqo .id)" = 2 ]
	run crm --as carol pool list --type lead --where "1) OR (1"
	assert_failure 5
	# a type that is never in the pool is a usage error, as for claim
	run --separate-stderr crm --as carol pool list --type deal
	assert_failure 2
	[ -z "$output" ]
	[[ "$stderr" == "crm: pool list: --type: only leads, accounts are in the pool, not deals" ]]
	crm --as carol pool list | crm --as carol pool claim >/dev/null
	run crm --as bob pool list
	assert_failure 1
}

@test "pool claim: the acting user becomes the owner; audited with the reason; in history; from a pipe" {
	run --separate-stderr crm --as carol pool claim lead:1 --reason 有意向
	assert_success
	[ "$(jqo .owner)" = carol ]
	run crm log --entity lead:1 --limit 1
	[ "$(jqo '"\(.user) \(.action) \(.after.reason)"')" = "carol pool_claim 有意向" ]
	run crm --as carol history lead:1
	assert_output --partial "claimed from the pool: owner:  → carol (有意向)"
	run bash -c "crm --as bob pool list --type lead | crm --as bob pool claim"
	assert_success
	[ "$(echo "$output" | jq -r '"\(.id) \(.owner)"' | tr '\n' ' ')" = "2 bob 3 bob " ]
}

@test "pool claim refusals: another's (4), one's own (4), locked (4), not a pooled type (2), finance (5)" {
	crm --as carol pool claim lead:1 >/dev/null
	run crm --as carol pool claim lead:1
	assert_failure 4
	assert_output --partial "lead:1 is yours already"
	crm --as dave pool claim lead:2 >/dev/null
	crm --as dave pool release lead:2 >/dev/null
	crm --as dave pool lock lead:2 --reason 留给大客户组 >/dev/null
	run crm --as bob pool claim lead:2
	assert_failure 4
	assert_output --partial "locked by dave"
	crm --as carol deal add name=单 >/dev/null
	run crm --as carol pool claim deal:1
	assert_failure 2
	run crm --as fin pool claim lead:3
	assert_failure 5
	run crm sql "SELECT count(*) AS n FROM lead WHERE owner IS NULL"
	assert_output '{"n":2}'
}

@test "pool release: previous_owner keeps who had it; another's is refused (5); the pool's (4)" {
	crm --as carol pool claim lead:1 >/dev/null
	run crm --as bob pool release lead:1
	assert_failure 5
	run --separate-stderr crm --as carol pool release lead:1 --reason 没有需求
	assert_success
	[ "$(jqo '"\(.owner) \(.previous_owner)"')" = "null carol" ]
	run crm --as carol pool release lead:1
	assert_failure 4
	assert_output --partial "in the pool already"
	run crm --as carol history lead:1
	assert_output --partial "released to the pool"
	assert_output --partial "没有需求"
	# a manager releases a team member's
	crm --as bob pool claim lead:2 >/dev/null
	run crm --as dave pool release lead:2
	assert_success
}

@test "pool.claim_limit: claims per user per day (4 naming it); the next day again" {
	crm config set pool.claim_limit 2 >/dev/null
	crm --as carol pool claim lead:1 lead:2 >/dev/null
	run crm --as carol pool claim lead:3
	assert_failure 4
	assert_output --partial "pool.claim_limit"
	run crm lead show 3
	[ "$(jqo .owner)" = null ]
	run crm --as bob pool claim lead:3
	assert_success
	crm --as bob pool release lead:3 >/dev/null
	CRM_NOW=2026-03-02T09:00:00+08:00 run crm --as carol pool claim lead:3
	assert_success
}

@test "pool.hold_limit: leads plus accounts one may own; closed customers do not count" {
	crm config set pool.hold_limit 2 >/dev/null
	crm --as carol pool claim lead:1 account:1 >/dev/null
	run crm --as carol pool claim lead:2
	assert_failure 4
	assert_output --partial "pool.hold_limit: carol holds 2"
	# an account with a won deal is a closed customer
	crm --as carol deal add name=大单 account_id=1 >/dev/null
	crm --as carol stage move 1 won --force >/dev/null
	run crm --as carol pool claim lead:2
	assert_success
}

@test "pool.protect_days: the previous owner may not claim it back within that many days" {
	crm config set pool.protect_days 3 >/dev/null
	crm --as carol pool claim lead:1 >/dev/null
	crm --as carol pool release lead:1 >/dev/null
	CRM_NOW=2026-03-03T09:00:00+08:00 run crm --as carol pool claim lead:1
	assert_failure 4
	assert_output --partial "pool.protect_days"
	CRM_NOW=2026-03-04T09:00:01+08:00 run crm --as carol pool claim lead:1
	assert_success
	crm --as carol pool release lead:1 >/dev/null
	run crm --as bob pool claim lead:1
	assert_success
}

@test "pool lock and unlock: managers only (5 for a rep); twice is exit 4; in history" {
	crm --as carol pool claim lead:1 >/dev/null
	run crm --as carol pool lock lead:1
	assert_failure 5
	run crm --as dave pool lock lead:1 --reason 重点跟进
	assert_success
	[ "$(jqo .locked_by)" = dave ]
	run crm --as dave pool lock lead:1
	assert_failure 4
	run crm --as dave pool unlock lead:1
	assert_success
	[ "$(jqo .locked_by)" = null ]
	run crm --as dave pool unlock lead:1
	assert_failure 4
	run crm history lead:1
	assert_output --partial "locked: locked_by:  → dave (重点跟进)"
}

@test "events pool.claimed, pool.released and pool.reclaimed: rules accept them and fire" {
	run crm rule add welcome --on pool.claimed --do "task 首次联系 --due +1d"
	assert_success
	crm rule add tell --on pool.released --type account --do "tag add 退回" >/dev/null
	crm rule add back --on pool.reclaimed --do "tag add 被回收" >/dev/null
	run crm rule add nope --on pool.nothing --do score
	assert_failure 2
	crm --as carol pool claim lead:1 account:1 >/dev/null
	run crm task list --where "entity = 'lead:1'"
	[ "$(jqo '"\(.title) \(.owner)"')" = "首次联系 carol" ]
	run crm task list --where "entity = 'account:1'"
	assert_failure 1    # the rule is for leads
	crm --as carol pool release account:1 >/dev/null
	run crm account show 1
	[ "$(jqo '.tags | join(",")')" = 退回 ]
	crm config set pool.reclaim_days 15 >/dev/null
	CRM_NOW=2026-03-20T09:00:00+08:00 crm automate tick >/dev/null
	run crm lead show 1
	[ "$(jqo '"\(.owner) \(.tags | join(","))"')" = "null 被回收" ]
}

@test "reclaim (acceptance 4): untouched 16 days back to the pool; touched 10 days ago, won customers and locked ones stay; one reminder at day 13" {
	crm config set pool.reclaim_days 15 >/dev/null
	crm config set pool.remind_days 2 >/dev/null
	crm --as carol lead add name=未跟进 >/dev/null                 # lead:4
	crm --as carol lead add name=有跟进 >/dev/null                 # lead:5
	crm --as carol lead add name=锁定 >/dev/null                   # lead:6
	crm --as carol account add name=成交客户 >/dev/null            # account:2
	crm --as carol account add name=没成交 >/dev/null              # account:3
	crm --as carol deal add name=签了 account_id=2 >/dev/null
	crm --as carol stage move 1 won --force >/dev/null
	crm --as dave pool lock lead:6 >/dev/null
	CRM_NOW=2026-03-07T09:00:00+08:00 crm --as carol note lead:5 "电话聊过" >/dev/null   # 10 days before day 16
	# day 13: the owner is told, once
	CRM_NOW=2026-03-14T09:00:00+08:00 run --separate-stderr crm automate tick
	assert_success
	[ "$(echo "$output" | jq -r 'select(.action == "reminded") | .entity' | tr '\n' ' ')" = "lead:4 account:3 " ]
	CRM_NOW=2026-03-15T09:00:00+08:00 run crm automate tick
	[ "$(echo "$output" | grep -c reminded)" -eq 0 ]
	run crm task list --where "title = '即将进入公海: 未跟进'"
	[ "$(echo "$output" | jq -r '"\(.owner) \(.entity)"')" = "carol lead:4" ]
	# day 16: untouched for 16 days, back to the pool
	CRM_NOW=2026-03-17T09:00:00+08:00 run crm automate tick
	assert_success
	[ "$(echo "$output" | jq -r 'select(.action == "reclaimed") | .entity' | tr '\n' ' ')" = "lead:4 account:3 " ]
	run crm sql "SELECT group_concat(name, ',') AS kept FROM (SELECT name FROM lead WHERE owner = 'carol' UNION ALL SELECT name FROM account WHERE owner = 'carol') AS k"
	assert_output '{"kept":"有跟进,锁定,成交客户"}'
	run crm lead show 4
	[ "$(jqo '"\(.owner) \(.previous_owner)"')" = "null carol" ]
	run crm history lead:4
	assert_output --partial "reclaimed by the pool"
	assert_output --partial "no activity for 16 days (pool.reclaim_days 15)"
	run crm log --entity lead:4 --limit 1
	[ "$(jqo '"\(.action) \(.after.rule)"')" = "pool_reclaim pool.reclaim_days" ]
	run crm sql "SELECT count(*) AS n FROM task WHERE title LIKE '即将进入公海: %'"
	assert_output '{"n":2}'
	# what was reclaimed is in the pool for others
	run crm --as bob pool claim lead:4
	assert_success
}

@test "pool.reclaim_no_deal_days: an account without an open or won deal goes back M days after its owner got it" {
	crm config set pool.reclaim_no_deal_days 30 >/dev/null
	crm --as carol account add name=无商机 >/dev/null     # account:2
	crm --as carol account add name=有商机 >/dev/null     # account:3
	crm --as carol deal add name=跟进中 account_id=3 >/dev/null
	CRM_NOW=2026-03-20T09:00:00+08:00 crm --as carol note account:2 "拜访" >/dev/null
	CRM_NOW=2026-03-31T10:00:00+08:00 run crm automate tick
	assert_success
	[ "$(echo "$output" | jq -r .entity)" = account:2 ]
	assert_output --partial "pool.reclaim_no_deal_days"
	run crm account show 3
	[ "$(jqo .owner)" = carol ]
	# leads do not count deals this way
	crm --as carol lead add name=线索 >/dev/null
	CRM_NOW=2026-04-15T10:00:00+08:00 run crm automate tick
	assert_success
	[ "$(crm lead show 4 | jq -r .owner)" = carol ]
}

@test "the tick as a dry run changes nothing; without settings it does nothing" {
	crm --as carol pool claim lead:1 >/dev/null
	CRM_NOW=2026-05-01T09:00:00+08:00 run crm automate run
	assert_failure 1
	crm config set pool.reclaim_days 15 >/dev/null
	CRM_NOW=2026-05-01T09:00:00+08:00 run crm automate run --dry-run
	assert_success
	[ "$(jqo '"\(.action) \(.dry_run)"')" = "reclaimed true" ]
	run crm lead show 1
	[ "$(jqo .owner)" = carol ]
}

@test "single-user mode: the pool works without users" {
	rm -f "$CRM_DB"
	fresh_db
	crm lead add name=甲 owner= >/dev/null
	run crm --as whoever pool claim lead:1
	assert_success
	[ "$(jqo .owner)" = whoever ]
}
