#!/usr/bin/env bats
# After the sale over the cash layer (CLI.md 8.3): account tier, report
# renewals, report repurchase, report health, report service, and the
# sample rules of share/rules/after-sale.sh. Every figure is worked out by
# hand in the comment beside it.
load helper

local_setup() {
	fresh_db
	export CRM_NOW=2026-03-10T10:00:00+08:00
}

# signed ACCOUNT AMOUNT [SIGNED_ON [END]]: a signed contract of a new deal
# of ACCOUNT; prints nothing.
signed() {
	local d
	d=$(crm deal add name="合同$RANDOM" account_id="$1" amount="$2" | jq .id)
	local k
	k=$(crm contract add --deal "$d" amount="$2" start="${3:-2026-01-01}" end="${4:-2026-12-31}" | jq .id)
	crm contract submit "$k" >/dev/null
	crm contract sign "$k" ${3:+--date "$3"} >/dev/null
	echo "$k"
}

@test "acceptance: account tier --apply on 500, 300, 150, 50 thousand and none gives A, A, B, C, C, stored and audited" {
	for n in 甲 乙 丙 丁 戊; do crm account add name=$n >/dev/null; done
	k=$(signed 1 500000); crm payment add --contract "$k" amount=500000 date=2026-01-10 >/dev/null
	k=$(signed 2 300000); crm payment add --contract "$k" amount=300000 date=2025-06-01 >/dev/null
	k=$(signed 3 150000); crm payment add --contract "$k" amount=150000 date=2026-03-09 >/dev/null
	k=$(signed 4 80000); crm payment add --contract "$k" amount=50000 date=2025-12-31 >/dev/null
	# account 5 has nothing; an old payment (13 months ago) of account 4's
	# contract would not count either
	run --separate-stderr crm account tier
	assert_success
	assert_jsonl
	# total 1,000,000: running shares 50%, 80%, 95%, 100%
	# A (the first), A (80% is within 80%), B (95% within 95%), C; none: C
	[ "$(echo "$output" | jq -r '[.name, .received, .running_pct, .tier] | join(" ")' | tr '\n' '|')" = \
	  "甲 500000 50 A|乙 300000 80 A|丙 150000 95 B|丁 50000 100 C|戊 0  C|" ]
	# without --apply nothing is stored
	[ "$(crm account list | jq -r '.tier // "-"' | tr -d '\n')" = "-----" ]
	run crm account tier --apply
	assert_success
	[ "$(crm account list | jq -r .tier | tr -d '\n')" = AABCC ]
	run crm sql "SELECT entity, after FROM audit WHERE action = 'update' AND entity LIKE 'account:%' ORDER BY entity"
	[ "$(echo "$output" | jq -r '.entity + " " + (.after | fromjson | .tier)' | tr '\n' '|')" = \
	  "account:1 A|account:2 A|account:3 B|account:4 C|account:5 C|" ]
	# applying again changes nothing (no new audit rows); a change shows was
	crm account update 3 tier=A >/dev/null
	run crm account tier --apply
	[ "$(echo "$output" | jq -r 'select(.id == 3) | .was + ">" + .tier')" = "A>B" ]
	[ "$(crm sql "SELECT count(*) AS n FROM audit WHERE action = 'update' AND entity LIKE 'account:%'" | jq .n)" = 7 ]
}

@test "account tier: payments older than 12 months and in another currency do not count; the first account is always A" {
	crm account add name=甲 >/dev/null
	crm account add name=乙 >/dev/null
	k=$(signed 1 900000); crm payment add --contract "$k" amount=900000 date=2025-03-09 >/dev/null   # 12 months and a day ago
	k=$(signed 2 100); crm payment add --contract "$k" amount=100 date=2026-03-01 >/dev/null
	run crm account tier
	# only 乙 received anything in the last 12 months: 100%, and it is first: A
	[ "$(echo "$output" | jq -r '[.name, .received, .tier] | join(" ")' | tr '\n' '|')" = "乙 100 A|甲 0 C|" ]
	run crm account tier --currency USD
	[ "$(echo "$output" | jq -r .tier | tr -d '\n')" = CC ]
}

@test "account tier as the roles see it: finance and service see the tiers; --apply needs write access (5, nothing stored)" {
	crm account add name=甲 owner=carol >/dev/null
	k=$(signed 1 1000); crm payment add --contract "$k" amount=1000 date=2026-03-01 >/dev/null
	crm user add alice --role admin >/dev/null
	export CRM_USER=alice
	crm user add carol --role rep >/dev/null
	crm user add fin --role finance >/dev/null
	crm user add sam --role service >/dev/null
	run crm --as fin account tier
	[ "$(jqo '"\(.name) \(.tier)"')" = "甲 A" ]
	# finance reads the account (its contract's) but may not change it
	run --separate-stderr crm --as fin account tier --apply
	assert_failure 5
	[[ "$stderr" == *"account:1: fin may not change it"* ]]
	run crm account show 1
	[ "$(jqo .tier)" = null ]
	# service may: all accounts are theirs to keep
	run crm --as sam account tier --apply
	assert_success
	[ "$(crm account show 1 | jq -r .tier)" = A ]
	# a rep with a read-only share: that one is refused, her own stored
	crm user add bob --role rep >/dev/null
	crm account add name=乙 owner=bob >/dev/null
	crm account add name=丙 owner=carol >/dev/null
	crm share account:2 --with carol >/dev/null
	run --separate-stderr crm --as carol account tier --apply
	assert_failure 5
	[[ "$stderr" == *"account:2: carol may not change it"* ]]
	[ "$(echo "$output" | jq -r .name | tr '\n' ' ')" = "甲 丙 " ]
	[ "$(crm account list | jq -r '"\(.id)=\(.tier)"' | tr '\n' ' ')" = "1=A 2=null 3=C " ]
}

@test "report renewals: signed contracts ending within the span (default 90d) without a renewal deal" {
	crm account add name=甲 >/dev/null
	signed 1 1000 2026-01-01 2026-04-30 >/dev/null     # ends in 51 days
	signed 1 2000 2026-01-01 2026-08-31 >/dev/null     # in 174 days
	signed 1 3000 2025-01-01 2026-03-09 >/dev/null     # ended yesterday
	signed 1 4000 2026-01-01 2026-06-08 >/dev/null     # in exactly 90 days
	d=$(crm deal add name=未签 account_id=1 amount=5 | jq .id)
	crm contract add --deal "$d" amount=5 start=2026-01-01 end=2026-04-01 >/dev/null   # a draft
	run --separate-stderr crm report renewals
	assert_success
	assert_jsonl
	[ "$(echo "$output" | jq -r '[.type, .id, .end, .days_left, .amount] | join(" ")' | tr '\n' '|')" = \
	  "contract 1 2026-04-30 51 1000|contract 4 2026-06-08 90 4000|" ]
	run crm report renewals --within 200d
	[ "$(echo "$output" | jq -r .id | tr '\n' ' ')" = "1 4 2 " ]
	# renewed: it has a renewal deal now and leaves the report
	crm contract renew 1 >/dev/null
	run crm report renewals
	[ "$(echo "$output" | jq -r .id | tr '\n' ' ')" = "4 " ]
	# the lines are contracts: they pipe
	run bash -c 'crm report renewals | crm contract renew'
	assert_success
	run crm report renewals
	assert_failure 1
	run --separate-stderr crm report renewals --within soon
	assert_failure 2
}

@test "report repurchase: 2+ signed contracts and longer since the last than their average interval" {
	crm account add name=老客户 >/dev/null
	crm account add name=常客 >/dev/null
	crm account add name=新客 >/dev/null
	signed 1 100 2025-01-01 >/dev/null
	signed 1 100 2025-04-01 >/dev/null
	signed 1 100 2025-07-01 >/dev/null
	signed 2 100 2025-12-01 >/dev/null
	signed 2 100 2026-03-01 >/dev/null
	signed 3 100 2025-01-01 >/dev/null
	run --separate-stderr crm report repurchase
	assert_success
	assert_jsonl
	# 老客户: 2025-01-01 to 2025-07-01 is 181 days over 2 intervals = 90.5;
	# since 2025-07-01 to 2026-03-10T10:00+08:00 (02:00 UTC) 252.08 > 90.5
	# 常客: 90 days between, 9 since: not yet; 新客: one contract only
	[ "$(jqo '[.type, .id, .contracts, .avg_interval_days, .days_since_last] | join(" ")')" = "account 1 3 90.5 252.1" ]
	[ "${#lines[@]}" = 1 ]
}

@test "report health: each part and the formula by hand, risk below health.risk_below" {
	crm account add name=甲 owner=alice >/dev/null   # account:1
	crm account add name=乙 owner=bob >/dev/null     # account:2
	# last contact 20 days ago: 20 / 2 = 10 points
	crm note account:1 "回访" --at 2026-02-18T10:00:00+08:00 >/dev/null
	# two open tickets (5 each = 10), one of them past its SLA (10):
	# urgent opened 5 hours ago, no reply
	CRM_NOW=2026-03-10T05:00:00+08:00 crm ticket add --account 1 title=宕机 priority=urgent >/dev/null
	crm ticket add --account 1 title=咨询 >/dev/null
	# CSAT in the last 90 days 4 and 2: 50% -> (100 - 50) / 5 = 10;
	# the 1 of 100 days ago does not count
	crm survey add account:1 --csat 1 --at 2025-11-30 >/dev/null
	crm survey add account:1 --csat 4 >/dev/null
	crm survey add account:1 --csat 2 >/dev/null
	# NPS: the latest answer is 8 (a passive): 5
	crm survey add account:1 --nps 3 --at 2026-01-10 >/dev/null
	crm survey add account:1 --nps 8 --at 2026-03-01 >/dev/null
	# money past due: a plan of 300 due 2026-03-01, 100 paid: 200 overdue: 15
	k=$(signed 1 1000)
	crm plan add --contract "$k" amount=300 due=2026-03-01 >/dev/null
	crm plan add --contract "$k" amount=700 due=2026-12-01 >/dev/null
	crm payment add --contract "$k" amount=100 date=2026-03-05 >/dev/null
	# events of its lead: 4 in the 30 days before the last 30, 1 in the
	# last 30: fell by 3 of 4 -> 10 x 3 / 4 = 7.5 -> 8; trend 1 / 4 = 0.25 -> 0.3
	l=$(crm lead add name=王五 account_id=1 | jq .id)
	for d in 2026-01-20 2026-01-25 2026-01-30 2026-02-05; do crm track "$l" webinar --at $d >/dev/null; done
	crm track "$l" webinar --at 2026-03-01 >/dev/null
	# the formula is stated where users read it
	run crm help report
	[[ "$output" == *"health = 100 - min(last_activity_days, 60) / 2"* && "$output" == *health.risk_below* ]]
	# health = 100 - 10 - 10 - 10 - 10 - 5 - 15 - 8 = 32: at risk (below 40)
	run --separate-stderr crm report health
	assert_success
	assert_jsonl
	[ "${#lines[@]}" = 2 ]
	first=$(head -1 <<<"$output")
	[ "$(jq -r '[.type, .id, .last_activity_days, .open_tickets, .breached_tickets, .csat, .nps, .overdue, .event_trend, .health, .risk] | join(" ")' <<<"$first")" = \
	  "account 1 20 2 1 50 8 200 0.3 32 true" ]
	[ "$(jq -r '[.events_30d, .events_prev_30d, .currency] | join(" ")' <<<"$first")" = "1 4 CNY" ]
	# 乙: nothing at all: 100, no csat, nps or trend keys
	second=$(tail -1 <<<"$output")
	[ "$(jq -r '[.id, .health, .risk, has("csat"), has("nps"), has("event_trend")] | join(" ")' <<<"$second")" = "2 100 false false false false" ]
	run crm report health --owner bob
	[ "$(jqo .id)" = 2 ]
	# an owner with no account, while tickets and surveys exist: nothing
	# matched (1), and nothing else
	run --separate-stderr crm report health --owner carol
	assert_failure 1
	[ -z "$output" ] && [ -z "$stderr" ]
	crm config set health.risk_below 30 >/dev/null
	run crm report health --owner alice
	[ "$(jqo .risk)" = false ]
	# the lines are accounts: the ones at risk pipe into a task
	crm config set health.risk_below 40 >/dev/null
	run bash -c "crm report health | jq -c 'select(.risk)' | crm task add --title 健康度预警回访"
	assert_success
	[ "$(crm task list | jq -r '[.entity, .owner] | join(" ")')" = "account:1 alice" ]
}

@test "report service: opened, resolved, medians of the SLA-counted seconds, within_sla_pct, backlog; --by and --since" {
	crm account add name=甲 >/dev/null
	# ticket 1 (carol, 账号): opened 03-02 10:00, answered 10:30 (1800 s),
	#   pending 11:00-12:00, resolved 13:00: 3 h less 1 h pending = 7200 s; in SLA
	CRM_NOW=2026-03-02T10:00:00+08:00 crm ticket add --account 1 title=一 category=账号 --assignee carol >/dev/null
	CRM_NOW=2026-03-02T10:30:00+08:00 crm ticket reply 1 好 >/dev/null
	CRM_NOW=2026-03-02T11:00:00+08:00 crm ticket pending 1 >/dev/null
	CRM_NOW=2026-03-02T12:00:00+08:00 crm ticket reply 1 好 >/dev/null
	CRM_NOW=2026-03-02T13:00:00+08:00 crm ticket resolve 1 >/dev/null
	# ticket 2 (carol, 账单, urgent): opened 03-03 10:00, answered 12:00 (7200 s,
	#   past its 1 h), resolved 13:00 (10800 s, within 4 h): breached
	CRM_NOW=2026-03-03T10:00:00+08:00 crm ticket add --account 1 title=二 category=账单 priority=urgent --assignee carol >/dev/null
	CRM_NOW=2026-03-03T12:00:00+08:00 crm ticket reply 2 好 >/dev/null
	CRM_NOW=2026-03-03T13:00:00+08:00 crm ticket resolve 2 >/dev/null
	# ticket 3 (dave, 账号): opened 02-20, answered after 600 s, still open
	CRM_NOW=2026-02-20T09:00:00+08:00 crm ticket add --account 1 title=三 category=账号 --assignee dave >/dev/null
	CRM_NOW=2026-02-20T09:10:00+08:00 crm ticket reply 3 好 >/dev/null
	# ticket 4 (dave): opened 03-09, nothing yet
	CRM_NOW=2026-03-09T09:00:00+08:00 crm ticket add --account 1 title=四 --assignee dave >/dev/null
	run --separate-stderr crm report service
	assert_success
	assert_jsonl
	# opened 4, resolved 2; first responses 1800, 7200, 600: median 1800;
	# resolutions 7200, 10800: median (7200 + 10800) / 2 = 9000;
	# within SLA 1 of 2 resolved = 50.0; backlog: tickets 3 and 4
	[ "$(jqo '[.type, .opened, .resolved, .median_first_response_seconds, .median_resolution_seconds, .within_sla_pct, .backlog] | join(" ")')" = \
	  "service 4 2 1800 9000 50 2" ]
	run crm report service --by assignee
	# carol: 2 opened, 2 resolved; responses 1800, 7200 -> 4500; resolutions 9000; 50.0; backlog 0
	# dave: 2 opened, 0 resolved; response 600; backlog 2
	[ "$(echo "$output" | jq -r '[.assignee, .opened, .resolved, .median_first_response_seconds, (.median_resolution_seconds // "-"), (.within_sla_pct // "-"), .backlog] | join(" ")' | tr '\n' '|')" = \
	  "carol 2 2 4500 9000 50 0|dave 2 0 600 - - 2|" ]
	run crm report service --by category
	[ "$(echo "$output" | jq -r '[.category, .opened] | join(" ")' | tr '\n' '|')" = "(none) 1|账单 1|账号 2|" ]
	run crm report service --by month
	# 2026-02: ticket 3 opened and answered, still open; 2026-03: the rest
	[ "$(echo "$output" | jq -r '[.month, .opened, .resolved, .backlog] | join(" ")' | tr '\n' '|')" = "2026-02 1 0 1|2026-03 3 2 1|" ]
	run crm report service --since 2026-03-03
	# opened since: 2 and 4; resolved since: 2; first responses since: 2 (7200)
	[ "$(jqo '[.opened, .resolved, .median_first_response_seconds, .within_sla_pct] | join(" ")')" = "2 1 7200 0" ]
	run --separate-stderr crm report service --by owner
	assert_failure 2
}

@test "the sample rules: onboarding after signing, renewal on contract.expiring, a ticket from a complaint, a detractor's task" {
	CRM=crm sh "$ROOT_DIR/share/rules/after-sale.sh" >/dev/null
	[ "$(crm rule list | wc -l)" = 5 ]
	crm account add name=杭州云启科技有限公司 owner=alice >/dev/null
	crm contact add name=张伟 account_id=1 owner=alice >/dev/null
	# signed: a task due 7 days later for the contract's owner
	k=$(signed 1 1000 2026-03-10 2026-04-20)
	run crm task list --where "rule = '签约后培训'"
	[ "$(jqo '[.title, .entity, .due] | join(" ")')" = "客户上线培训 contract:$k 2026-03-17T10:00:00+08:00" ]
	# ending within 30 days (renewal.remind_days): from 2026-03-21 on, once
	CRM_NOW=2026-03-20T23:59:00+08:00 crm automate tick >/dev/null
	[ "$(crm task list --where "rule = '续约提醒'" | wc -l)" = 0 ]
	CRM_NOW=2026-03-21T00:00:00+08:00 run crm automate tick
	[[ "$output" == *contract.expiring* ]]
	CRM_NOW=2026-03-21T00:01:00+08:00 crm automate tick >/dev/null
	[ "$(crm task list --where "rule = '续约提醒'" | jq -r '.title + " " + .entity')" = "联系客户续约 contract:$k" ]
	# a complaint in a note about the contact: a ticket for its account
	run crm note contact:1 "客户投诉：发票抬头开错了"
	assert_success
	run crm ticket list
	[ "$(jqo '[.title, .priority, .category, .account_id, .contact_id, .owner, .status] | join(" ")')" = "客户投诉 high 投诉 1 1 alice new" ]
	# a note without it, or about a lead without an account, makes none
	crm note contact:1 "客户很满意" >/dev/null
	crm lead add name=路人 >/dev/null
	crm note lead:1 "投诉电话打错了" >/dev/null
	[ "$(crm ticket list | wc -l)" = 1 ]
	# a detractor: a task for the owner of what the survey is about
	crm survey add account:1 --nps 5 >/dev/null
	crm survey add account:1 --nps 9 >/dev/null
	run crm task list --where "rule = '差评回访'"
	[ "$(jqo '[.title, .entity, .owner] | join(" ")')" = "回访不满意客户 account:1 alice" ]
	[ "${#lines[@]}" = 1 ]
}
