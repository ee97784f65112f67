#!/usr/bin/env bats
# CLI.md 8.1: who sees what, everywhere records are read (list, show,
# search, export, history, agenda, dedupe, reports, pipes), and who may
# change what. Issue 16, acceptance 2.

load helper

# alice admin; dave manages east (carol, bob); erin is a rep in west;
# fin is finance. Leads 1-2 carol's, 3 bob's, 4 erin's, 5 in the pool.
# Deals: 1 carol's (50,000), 2 bob's (30,000), 3 erin's (20,000).
local_setup() {
	fresh_db
	team_users
	crm user add erin --role rep --team west >/dev/null
	crm user add fin --role finance >/dev/null
	crm lead add name=张伟 phone=13800000001 company=云启科技 region=浙江 --owner carol >/dev/null
	crm lead add name=李娜 phone=13800000002 company=云启科技 region=浙江 --owner carol >/dev/null
	crm lead add name=王强 phone=13800000003 company=东方公司 region=江苏 --owner bob >/dev/null
	crm lead add name=赵敏 phone=13800000004 company=西部公司 region=四川 --owner erin >/dev/null
	crm lead add name=孙悦 phone=13800000005 company=公海公司 owner= >/dev/null
	crm deal add name=甲单 amount=50000 --owner carol >/dev/null
	crm deal add name=乙单 amount=30000 --owner bob >/dev/null
	crm deal add name=丙单 amount=20000 --owner erin >/dev/null
}

ids() {
	jq -r .id | tr '\n' ' '
}

@test "lead list: each rep their own and the pool; the manager the team's and the pool; the admin all" {
	run crm --as carol lead list
	assert_success
	[ "$(echo "$output" | ids)" = "1 2 5 " ]
	run crm --as bob lead list
	[ "$(echo "$output" | ids)" = "3 5 " ]
	run crm --as erin lead list
	[ "$(echo "$output" | ids)" = "4 5 " ]
	run crm --as dave lead list
	[ "$(echo "$output" | ids)" = "1 2 3 5 " ]
	run crm --as alice lead list
	[ "$(echo "$output" | ids)" = "1 2 3 4 5 " ]
	# filters stay inside what one may see
	run crm --as carol lead list --where "region = '江苏'"
	assert_failure 1
	run crm --as carol lead list --owner bob
	assert_failure 1
}

@test "--where: a rep's subquery would read others' records: refused (exit 5); the manager's and the admin's run" {
	# bob's own lead 3 and the pool's 5 are all he may list; a subquery
	# reads the table whole: the count of every lead, or erin's phone
	run --separate-stderr crm --as bob lead list --where "(SELECT count(*) FROM lead) = 5"
	assert_failure 5
	[[ "$stderr" == *"--where: a subquery (SELECT) is refused here: crm sql reads around visibility"*"(bob is a rep)"* ]] ||
		fail "stderr: $stderr"
	[ -z "$output" ]
	run --separate-stderr crm --as bob export leads --where "EXISTS (SELECT 1 FROM lead AS o WHERE o.phone = '13800000004')"
	assert_failure 5
	run --separate-stderr crm --as fin deal list --where "amount > (select min(amount) FROM deal)"
	assert_failure 5
	# the word in a string or a quoted name is no subquery
	run --separate-stderr crm --as bob lead list --where "name <> 'select' AND company <> \"select\""
	assert_success
	[ "$(echo "$output" | ids)" = "3 5 " ]
	# those crm sql is for: the subquery runs (the outer list still scoped)
	run --separate-stderr crm --as dave lead list --where "(SELECT count(*) FROM lead) = 5"
	assert_success
	[ "$(echo "$output" | ids)" = "1 2 3 5 " ]
	run --separate-stderr crm --as alice lead list --where "id IN (SELECT id FROM lead WHERE owner = 'erin')"
	assert_success
	[ "$(echo "$output" | ids)" = "4 " ]
}

@test "deal list: each rep their own deals, the manager the team's" {
	run crm --as carol deal list
	[ "$(echo "$output" | ids)" = "1 " ]
	run crm --as bob deal list
	[ "$(echo "$output" | ids)" = "2 " ]
	run crm --as erin deal list
	[ "$(echo "$output" | ids)" = "3 " ]
	run crm --as dave deal list
	[ "$(echo "$output" | ids)" = "1 2 " ]
	run crm --as fin deal list
	assert_failure 1
}

@test "report funnel: a rep's funnel is their own deals, the manager's the team's" {
	funnel_new() { jq -r 'select(.stage == "new") | "\(.deals) \(.amount)"'; }
	run crm --as carol report funnel
	assert_success
	[ "$(echo "$output" | funnel_new)" = "1 50000" ]
	run crm --as dave report funnel
	[ "$(echo "$output" | funnel_new)" = "2 80000" ]   # 50,000 + 30,000
	run crm --as alice report funnel
	[ "$(echo "$output" | funnel_new)" = "3 100000" ]  # + 20,000
}

@test "the other reports are over visible records only: forecast, leaderboard, sources, cycle, silent" {
	run crm --as carol report forecast --by owner
	[ "$(echo "$output" | jq -r .owner | tr '\n' ' ')" = "carol " ]
	run crm --as dave report leaderboard
	[ "$(echo "$output" | jq -r .owner | sort | tr '\n' ' ')" = "bob carol " ]
	run crm --as alice report leaderboard
	[ "$(echo "$output" | jq -r .owner | sort | tr '\n' ' ')" = "bob carol erin " ]
	run crm --as bob report sources
	[ "$(echo "$output" | jq -s 'map(.leads) | add')" = 2 ]   # lead 3 and the pool's 5
	crm stage move 3 won --force >/dev/null
	run crm --as carol report cycle
	[ "$(echo "$output" | jq -r 'select(.by == "owner") | .key')" = "" ]
	[ "$(echo "$output" | jq -r 'select(.by == "stage" and .key == "new") | .stays')" = 1 ]
	run crm --as erin report cycle
	[ "$(echo "$output" | jq -r 'select(.by == "owner") | .key')" = erin ]
	run crm --as alice report cycle
	[ "$(echo "$output" | jq -r 'select(.by == "stage" and .key == "new") | .stays')" = 3 ]   # two still in new, one left it
	CRM_NOW=+200d run crm --as bob report silent
	[ "$(echo "$output" | jq -r '"\(.type):\(.id)"' | tr '\n' ' ')" = "deal:2 " ]
}

@test "search and export show only what the user may see" {
	run crm --as carol search 13800000
	assert_success
	[ "$(echo "$output" | jq -r '"\(.type):\(.id)"' | sort | tr '\n' ' ')" = "lead:1 lead:2 lead:5 " ]
	run crm --as carol search 王强
	assert_failure 1
	run crm --as alice search 王强
	assert_success
	run crm --as bob export leads --format jsonl
	[ "$(echo "$output" | ids)" = "3 5 " ]
	crm --as bob export leads -o "$BATS_TEST_TMPDIR/b.csv"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/b.csv")" -eq 3 ]   # the header and two leads
	crm --as bob export leads -o "$BATS_TEST_TMPDIR/b.xlsx"
	CRM_DB=$BATS_TEST_TMPDIR/x.db CRM_USER=x crm import leads "$BATS_TEST_TMPDIR/b.xlsx" 2>/dev/null
	[ "$(CRM_DB=$BATS_TEST_TMPDIR/x.db CRM_USER=x crm lead list | jq -r .name | tr '\n' ' ')" = "王强 孙悦 " ]
}

@test "by id, a record one may not see exits 5 naming it, and nothing changes" {
	before=$(crm sql "SELECT count(*) AS n FROM audit")
	for cmd in "lead show 3" "lead update 3 status=working" "lead rm 3" "lead convert 3" \
		"history lead:3" "note lead:3 打过电话" "task add --for lead:3 --title 回访" "tag add lead:3 vip" \
		"deal show 2" "stage move 2 qualified" "deal update 2 amount=1" "score 3" \
		"assign 3 --by round-robin" "pool release lead:3" "track lead:3 pricing_page_view" \
		"activity list --for lead:3"; do
		run crm --as carol $cmd
		[ "$status" -eq 5 ] || fail "crm $cmd: exit $status, not 5: $output"
		[[ "$output" == *"lead:3"* || "$output" == *"deal:2"* ]] || fail "crm $cmd does not name the record: $output"
	done
	[ "$(crm sql "SELECT count(*) AS n FROM audit")" = "$before" ]
	run crm lead show 3
	[ "$(jqo .status)" = new ]
	run crm deal show 2
	[ "$(jqo .stage)" = new ]
}

@test "pipes: lines about records one may not see are refused one by one (5), the rest go through" {
	run bash -c "crm --as alice lead list | crm --as carol lead update status=working"
	assert_failure 5
	[ "$(echo "$output" | grep -c '"type":"lead"')" -eq 2 ]   # 1 and 2; 5 is the pool's
	run crm sql "SELECT group_concat(id) AS ids FROM lead WHERE status = 'working'"
	assert_output '{"ids":"1,2"}'
	run bash -c "crm --as carol lead list | crm --as carol lead show | jq -r .id | tr '\n' ' '"
	assert_output "1 2 5 "
}

@test "writes need write access: a rep reads the pool but changes it only by claiming; the manager changes the team's" {
	run crm --as carol lead show 5
	assert_success
	run crm --as carol lead update 5 status=working
	assert_failure 5
	assert_output --partial "lead:5: carol may not change it"
	run crm --as dave lead update 3 status=working
	assert_success
	run crm --as dave lead update 4 status=working
	assert_failure 5
	run crm --as dave lead update 5 region=浙江
	assert_success
	run crm --as bob lead rm 1
	assert_failure 5
	run crm --as carol lead rm 1
	assert_success
}

@test "notes, tasks and events of others' records: not listed; one's own tasks are one's agenda" {
	crm --as carol note lead:1 "聊过需求" >/dev/null
	crm --as bob note lead:3 "报价已发" >/dev/null
	crm task add --for lead:3 --title 回访 --owner bob --due today >/dev/null
	crm task add --for lead:1 --title 跟进 --owner carol --due today >/dev/null
	run crm --as carol activity list
	[ "$(echo "$output" | jq -r .text)" = 聊过需求 ]
	run crm --as carol task list
	[ "$(echo "$output" | jq -r .title)" = 跟进 ]
	run crm --as carol agenda
	[ "$(echo "$output" | jq -r 'select(.type == "task") | .title')" = 跟进 ]
	run crm --as carol agenda --user bob
	[ "$(echo "$output" | grep -c '"type":"task"')" -eq 0 ]
	run crm --as dave agenda --user bob
	[ "$(echo "$output" | jq -r 'select(.type == "task") | .title')" = 回访 ]
	run crm --as dave activity list
	[ "$(echo "$output" | wc -l)" -eq 2 ]
}

@test "history and the log: only of what one may see" {
	run crm --as carol history lead:1
	assert_success
	run crm --as carol log --entity lead
	assert_success
	[ "$(echo "$output" | jq -r .entity | sort -u | tr '\n' ' ')" = "lead:1 lead:2 lead:5 " ]
	run crm --as erin log --entity deal
	[ "$(echo "$output" | jq -r .entity | sort -u)" = deal:3 ]
}

@test "dedupe and tag list see only visible records" {
	crm lead add name=王强 phone=13800000009 company=东方公司 --owner bob >/dev/null
	crm lead add name=张伟 phone=13800000010 company=云启科技 --owner carol >/dev/null
	crm tag add lead:3 东区大客户 >/dev/null
	run crm --as carol dedupe leads
	assert_success
	[ "$(echo "$output" | jq -c .ids | tr '\n' ' ')" = "[1,7] " ]
	run crm --as bob dedupe leads
	[ "$(echo "$output" | jq -c .ids | tr '\n' ' ')" = "[3,6] " ]
	run crm --as carol tag list
	refute_output --partial 东区大客户
	run crm --as bob tag list
	assert_output --partial 东区大客户
}

@test "share: bob reads carol's deal and what hangs off it until the day; --write lets him change it" {
	crm --as carol note deal:1 "客户要方案" >/dev/null
	run crm --as bob deal show 1
	assert_failure 5
	run --separate-stderr crm --as carol share deal:1 --with bob --until 2099-12-31
	assert_success
	[ "$(jqo '"\(.entity) \(.with) \(.write) \(.until)"')" = "deal:1 bob false 2099-12-31" ]
	run crm --as bob deal show 1
	assert_success
	run crm --as bob deal list
	[ "$(echo "$output" | ids)" = "1 2 " ]
	run crm --as bob activity list
	assert_output --partial 客户要方案
	run crm --as bob deal update 1 amount=60000
	assert_failure 5
	run crm --as carol share deal:1 --with bob --write
	assert_success
	run crm --as bob deal update 1 amount=60000
	assert_success
	run crm --as carol history deal:1
	assert_output --partial "shared with bob (write)"
	run crm --as carol share rm deal:1 --with bob
	assert_success
	run crm --as bob deal show 1
	assert_failure 5
	run crm --as carol share rm deal:1 --with bob
	assert_failure 1
}

@test "share: a share ends after its --until day; a day in the past is refused (3)" {
	CRM_NOW=2026-03-01T10:00:00+08:00 crm --as carol share lead:1 --with erin --until 2026-03-10 >/dev/null
	CRM_NOW=2026-03-10T18:00:00+08:00 run crm --as erin lead show 1
	assert_success
	CRM_NOW=2026-03-11T09:00:00+08:00 run crm --as erin lead show 1
	assert_failure 5
	CRM_NOW=2026-03-11T09:00:00+08:00 run crm --as carol share lead:2 --with erin --until 2026-03-01
	assert_failure 3
	run crm --as carol share lead:1 --with nobody
	assert_failure 3
	run crm --as carol share lead:1
	assert_failure 2
}

@test "share: the owner, their manager or an admin may share (5 for others); in a pipe" {
	run crm --as bob share lead:5 --with erin
	assert_failure 5
	assert_output --partial "only its owner, their manager or an admin may share it"
	run crm --as dave share lead:3 --with erin
	assert_success
	run bash -c "crm --as carol lead list --where \"company = '云启科技'\" | crm --as carol share --with erin"
	assert_success
	[ "$(echo "$output" | jq -r .entity | tr '\n' ' ')" = "lead:1 lead:2 " ]
	run crm --as erin lead list
	[ "$(echo "$output" | ids)" = "1 2 3 4 5 " ]
	run crm --as erin share list
	[ "$(echo "$output" | wc -l)" -eq 3 ]
}

@test "finance: no leads, not even by id (5); no deals" {
	run crm --as fin lead list
	assert_failure 1
	run crm --as fin lead show 1
	assert_failure 5
	run crm --as fin search 张伟
	assert_failure 1
	run crm --as fin report funnel
	[ "$(echo "$output" | jq -s 'map(.deals) | add')" = 0 ]
}

@test "service sees every account and contact, reads deals but may not change them (5); legal sees no leads" {
	crm user add sam --role service >/dev/null
	crm user add lee --role legal >/dev/null
	crm account add name=云启科技 --owner carol >/dev/null
	crm contact add name=周一 --owner bob >/dev/null
	run crm --as sam account list
	assert_success
	run crm --as sam contact update 1 title=经理
	assert_success
	run crm --as sam deal list
	[ "$(echo "$output" | ids)" = "1 2 3 " ]
	run crm --as sam deal update 1 amount=1
	assert_failure 5
	run crm --as sam lead list
	assert_failure 1
	run crm --as lee lead list
	assert_failure 1
	run crm --as lee deal show 1
	assert_failure 5
}

@test "automation acts for the system: a rule fired by a rep's change may change what the rep may not" {
	crm rule add hand-to-dave --on lead.created --when "region = '北京'" --do "set owner=dave" --do "set status=working" >/dev/null
	run crm --as carol lead add name=钱七 region=北京
	assert_success
	run crm lead show 6
	[ "$(jqo '"\(.owner) \(.status)"')" = "dave working" ]
	# the rule moved it away from carol: she sees it no more
	run crm --as carol lead show 6
	assert_failure 5
	# and the audit log says who set it off
	run crm log --entity lead:6
	[ "$(echo "$output" | jq -r .user | sort -u)" = carol ]
}

@test "single-user mode: without users everything is visible to everyone (the first wave)" {
	rm -f "$CRM_DB"
	fresh_db
	crm --as carol lead add name=甲 >/dev/null
	crm --as bob lead add name=乙 >/dev/null
	run crm --as carol lead list
	[ "$(echo "$output" | ids)" = "1 2 " ]
	run crm --as carol lead update 2 status=working
	assert_success
	run crm --as carol sql "SELECT count(*) AS n FROM lead"
	assert_output '{"n":2}'
}
