#!/usr/bin/env bats
# crm survey and crm report satisfaction (CLI.md 8.3). Every percent is
# worked out by hand in the comment beside it.
load helper

local_setup() {
	fresh_db
	export CRM_NOW=2026-03-10T10:00:00+08:00
	crm account add name=杭州云启科技有限公司 owner=alice >/dev/null   # account:1
	crm account add name=宁波海纳 owner=bob >/dev/null                # account:2
	crm contact add name=张伟 account_id=2 owner=bob >/dev/null        # contact:1
	crm ticket add --account 1 title=无法登录 category=账号 --assignee carol >/dev/null   # ticket:1
	crm ticket add --account 2 title=发票 category=账单 --assignee dave >/dev/null        # ticket:2
}

count() {
	crm sql "SELECT count(*) AS n FROM $1" | jq .n
}

@test "survey add: CSAT or NPS about a ticket, account or contact; what it is about gives account, owner, category" {
	run --separate-stderr crm survey add ticket:1 --csat 5 --comment 很满意
	assert_success
	assert_jsonl
	[ "$(jqo '[.type, .entity, .csat, .comment, .account_id, .owner, .category] | join(" ")')" = \
	  "survey ticket:1 5 很满意 1 carol 账号" ]
	[ "$(jqo 'has("nps")')" = false ]
	[ "$(jqo .at)" = 2026-03-10T10:00:00+08:00 ]
	run crm survey add account:2 --nps 9 --at 2026-03-01
	[ "$(jqo '[.entity, .nps, .account_id, .owner] | join(" ")')" = "account:2 9 2 bob" ]
	[ "$(jqo .at)" = 2026-03-01T00:00:00+08:00 ]
	run crm survey add contact:1 --nps 3
	[ "$(jqo '[.entity, .account_id, .owner] | join(" ")')" = "contact:1 2 bob" ]
	run crm survey list --where "nps IS NOT NULL" --sort nps
	[ "$(echo "$output" | jq -r .nps | tr '\n' ' ')" = "3 9 " ]
}

@test "survey add refuses answers out of range, both or neither, and what a survey cannot be about; nothing written" {
	run --separate-stderr crm survey add ticket:1 --csat 6
	assert_failure 3
	[[ "$stderr" == *"csat"* ]]
	run --separate-stderr crm survey add ticket:1 --csat 0
	assert_failure 3
	run --separate-stderr crm survey add ticket:1 --nps 11
	assert_failure 3
	run --separate-stderr crm survey add ticket:1 --nps -1
	assert_failure 3
	run --separate-stderr crm survey add ticket:1 --csat 4 --nps 9
	assert_failure 2
	run --separate-stderr crm survey add ticket:1
	assert_failure 2
	run --separate-stderr crm survey add 1 --csat 4
	assert_failure 2
	run --separate-stderr crm survey add ticket:99 --csat 4
	assert_failure 1
	crm lead add name=甲 >/dev/null
	run --separate-stderr crm survey add lead:1 --csat 4
	assert_failure 3
	[[ "$stderr" == *"ticket, an account or a contact"* ]]
	run --separate-stderr crm survey add entity=ticket:1 csat=4 nps=9
	assert_failure 3
	[ "$(count survey)" = 0 ]
	# one answer stays one answer
	crm survey add ticket:1 --csat 4 >/dev/null
	run --separate-stderr crm survey update 1 nps=9
	assert_failure 3
	[ "$(crm survey show 1 | jq -c '[.csat, .nps]')" = '[4,null]' ]
}

@test "survey.received fires rules: a task for the owner on an NPS of 0-6" {
	crm rule add 差评回访 --on survey.received --when 'nps <= 6' \
		--do 'task 回访不满意客户 --due +1d --owner owner' >/dev/null
	crm survey add account:1 --nps 9 >/dev/null
	crm survey add account:1 --csat 2 >/dev/null
	[ "$(count task)" = 0 ]
	crm survey add account:1 --nps 6 >/dev/null
	run crm task list
	[ "$(jqo '[.title, .entity, .owner, .due] | join(" ")')" = "回访不满意客户 account:1 alice 2026-03-11T10:00:00+08:00" ]
	# about a ticket: the ticket's owner
	crm survey add ticket:2 --nps 0 >/dev/null
	run crm task list --where "entity = 'ticket:2'"
	[ "$(jqo .owner)" = dave ]
}

@test "surveys from a pipe: one per record piped in" {
	crm ticket resolve 1 >/dev/null
	crm ticket resolve 2 >/dev/null
	run --separate-stderr bash -c 'crm ticket list --status resolved | crm survey add --csat 5'
	assert_success
	assert_jsonl
	[ "$(echo "$output" | jq -r .entity | tr '\n' ' ')" = "ticket:1 ticket:2 " ]
	run --separate-stderr bash -c 'printf "%s\n" "{\"entity\":\"account:1\",\"nps\":10}" | crm survey add'
	assert_success
	[ "$(jqo .nps)" = 10 ]
	[ "$(count survey)" = 3 ]
}

answers() {
	# February: CSAT 5 and 1, NPS 0 (account:1, alice)
	crm survey add account:1 --csat 5 --at 2026-02-15 >/dev/null
	crm survey add account:1 --csat 1 --at 2026-02-16 >/dev/null
	crm survey add account:1 --nps 0 --at 2026-02-17 >/dev/null
	# March: CSAT 4 (ticket:1, carol), 3 (ticket:2, dave), 5 (account:2, bob)
	crm survey add ticket:1 --csat 4 --at 2026-03-02 >/dev/null
	crm survey add ticket:2 --csat 3 --at 2026-03-03 >/dev/null
	crm survey add account:2 --csat 5 --at 2026-03-04 >/dev/null
	# March: NPS 10, 9, 8 (account:2, bob), 6, 7 (contact:1, bob), 10 (ticket:1, carol)
	for n in 10 9 8; do crm survey add account:2 --nps $n --at 2026-03-05 >/dev/null; done
	crm survey add contact:1 --nps 6 --at 2026-03-06 >/dev/null
	crm survey add contact:1 --nps 7 --at 2026-03-06 >/dev/null
	crm survey add ticket:1 --nps 10 --at 2026-03-07 >/dev/null
}

@test "report satisfaction: responses, csat_pct (4-5 among CSAT answers), nps (9-10 minus 0-6), one decimal" {
	answers
	run --separate-stderr crm report satisfaction
	assert_success
	assert_jsonl
	# 12 answers; CSAT 5,1,4,3,5: 3 of 5 are 4-5 = 60.0%
	# NPS 0,10,9,8,6,7,10: promoters 3 (10,9,10), detractors 2 (0,6), of 7:
	# 42.857% - 28.571% = 14.2857 -> 14.3
	[ "$(jqo '[.type, .responses, .csat_pct, .nps] | join(" ")')" = "satisfaction 12 60 14.3" ]
	[ "$(jqo '[.csat_answers, .nps_answers, .promoters, .detractors] | join(" ")')" = "5 7 3 2" ]
	run crm report satisfaction --by month
	# 2026-02: CSAT 5,1 -> 1 of 2 = 50.0; NPS 0 -> 0% - 100% = -100.0
	# 2026-03: CSAT 4,3,5 -> 2 of 3 = 66.67 -> 66.7; NPS 10,9,8,6,7,10: 3
	#          promoters, 1 detractor of 6: 50% - 16.67% = 33.33 -> 33.3
	[ "$(echo "$output" | jq -r '[.month, .responses, .csat_pct, .nps] | join(" ")' | tr '\n' '|')" = \
	  "2026-02 3 50 -100|2026-03 9 66.7 33.3|" ]
	run crm report satisfaction --since 2026-03-01
	[ "$(jqo '[.responses, .csat_pct, .nps] | join(" ")')" = "9 66.7 33.3" ]
	run crm report satisfaction --by owner
	# alice: CSAT 5,1 -> 50.0; NPS 0 -> -100.0
	# bob: CSAT 5 -> 100.0; NPS 10,9,8,6,7: 2 promoters, 1 detractor of 5: 40% - 20% = 20.0
	# carol: CSAT 4 -> 100.0; NPS 10 -> 100.0
	# dave: CSAT 3 -> 0.0; no NPS: no nps key
	[ "$(echo "$output" | jq -r '[.owner, .responses, .csat_pct, (.nps // "-")] | join(" ")' | tr '\n' '|')" = \
	  "alice 3 50 -100|bob 6 100 20|carol 2 100 100|dave 1 0 -|" ]
	run crm report satisfaction --by category
	# (none): the answers about accounts and contacts; 账单: ticket:2; 账号: ticket:1
	[ "$(echo "$output" | jq -r '[.category, .responses] | join(" ")' | tr '\n' '|')" = "(none) 9|账单 1|账号 2|" ]
	run --separate-stderr crm report satisfaction --by week
	assert_failure 2
	run --separate-stderr crm report satisfaction --since someday
	assert_failure 2
}

@test "report satisfaction rounds half away from zero and leaves out what has no answers" {
	# NPS 0 and 7 x 7: 1 detractor of 8 = -12.5 exactly; no CSAT answers
	crm survey add account:1 --nps 0 >/dev/null
	for i in 1 2 3 4 5 6 7; do crm survey add account:1 --nps 7 >/dev/null; done
	run crm report satisfaction
	[ "$(jqo '[.responses, .nps, (has("csat_pct"))] | join(" ")')" = "8 -12.5 false" ]
	# one CSAT 4 of 3 (1 of 3 = 33.33 -> 33.3) and then 2 of 3 = 66.67 -> 66.7
	crm survey add account:1 --csat 4 >/dev/null
	crm survey add account:1 --csat 3 >/dev/null
	crm survey add account:1 --csat 2 >/dev/null
	run crm report satisfaction
	[ "$(jqo .csat_pct)" = 33.3 ]
	# nothing at all: exit 1
	crm survey list | crm survey rm >/dev/null
	run crm report satisfaction
	assert_failure 1
}

@test "surveys import and export with their Chinese headers, and history" {
	cat >"$BATS_TEST_TMPDIR/s.csv" <<-'EOF'
	对象,满意度,NPS,评价,时间
	ticket:1,5,,很好,2026-03-01 10:00
	account:2,,9,会推荐,2026-03-02
	EOF
	run --separate-stderr crm import surveys "$BATS_TEST_TMPDIR/s.csv"
	assert_success
	[ "$(count survey)" = 2 ]
	[ "$(crm survey show 1 | jq -r '[.csat, .comment, .owner] | join(" ")')" = "5 很好 carol" ]
	[ "$(crm survey show 2 | jq -r '[.nps, .account_id] | join(" ")')" = "9 2" ]
	run crm export surveys --headers zh
	[[ "${lines[0]}" == *满意度* && "${lines[0]}" == *NPS* ]]
	run crm history survey:1
	assert_success
	[ "$(jqo .kind)" = insert ]
}
