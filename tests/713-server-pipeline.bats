#!/usr/bin/env bats
# The team server (CLI.md 8.5), the deal pipeline: crm --db
# postgresql://... deal add, list, show, update, rm, stage list, add, rm,
# move and pipeline list, show, add, each person acting as their own
# login role. The same commands on a file print the same lines; what a
# file's triggers keep (the stays, a deal's reach, stage_stats) crm
# writes itself on the server. A throwaway cluster (tests/pg.bash)
# serves the whole file.
load helper
load pg

setup_file() {
	pg_start
}

teardown_file() {
	pg_stop
}

# a server (tests/pg.bash: its team, the clock pinned)
local_setup() {
	pg_server_setup p
}

# q SQL: one value per line, as the server's superuser reads it
q() {
	pg_psql "$DBNAME" postgres "$1"
}

@test "deal add, list, show, update and rm on the server print what they print on a file" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		{
			as alice deal add name="云启 ERP" amount=12万 tags=vip,华东 expected_close=2026-04-30
			as bob deal add name="海纳 CRM" amount=50000 stage=qualified
			as carol deal add name="宁波 仓储" amount=8000 currency=usd
			as alice deal list
			as alice deal list --stage qualified
			as alice deal list --pipeline default --sort -amount --limit 2
			as alice deal list --where "amount >= 5万 AND has_tag('vip')"
			as alice deal list --format table
			as alice deal show 1 2
			as alice deal show 2 --format table
			as bob deal update 2 amount=6万 note="二期"
			as alice deal rm 3
			as alice deal list
			as alice deal list --removed
		} > "$BATS_TEST_TMPDIR/$side.out" 2>&1
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	# what crm wrote is on the server, in its tables (money in cents: 6万 is 6000000)
	[ "$(q "SELECT name || '|' || owner || '|' || amount || '|' || stage FROM deal WHERE id = 2")" = "海纳 CRM|bob|6000000|qualified" ]
	[ "$(q "SELECT count(*) FROM deal WHERE deleted_at IS NOT NULL")" = 1 ]
	# a deal added in a later stage starts its history there
	[ "$(q "SELECT string_agg(deal_id || ':' || to_stage, ' ' ORDER BY id) FROM stage_history")" = "1:new 2:qualified 3:new" ]
	[ "$(q "SELECT string_agg(\"user\" || ':' || action, ',' ORDER BY id) FROM audit WHERE entity LIKE 'deal:%'")" = \
		"alice:insert,bob:insert,carol:insert,bob:update,alice:remove" ]
}

@test "stage move on the server: the history, the days of each stay, the reach and stage_stats as on a file" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		{
			CRM_NOW=2026-03-02T09:30:00+08:00 as bob deal add name="海纳 CRM" amount=50000
			CRM_NOW=2026-03-05T21:30:00+08:00 as bob stage move 1 proposal
			CRM_NOW=2026-03-06T09:30:00+08:00 as bob stage move 1 qualified --reason "回到需求"
			CRM_NOW=2026-03-08T09:30:00+08:00 as bob stage move 1 lost --reason "预算取消"
			as bob deal show 1
			as bob deal show 1 --format table
			as alice sql "SELECT id, stage, status, probability, lost_reason, closed_at FROM deal"
		} > "$BATS_TEST_TMPDIR/$side.out" 2>&1
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	# by hand: new 03-02 09:30 -> 03-05 21:30 is 3.5 days, proposal
	# -> 03-06 09:30 0.5, qualified -> 03-08 09:30 2; lost is still open
	[ "$(q "SELECT string_agg(to_stage || ':' || coalesce(days::text, '-'), ' ' ORDER BY id) FROM stage_history")" = \
		"new:3.5 proposal:0.5 qualified:2 lost:-" ]
	[ "$(q "SELECT string_agg(stage || ':' || stays || ':' || days, ' ' ORDER BY stage) FROM stage_stats")" = \
		"new:1:3.5 proposal:1:0.5 qualified:1:2" ]
	# the best stage reached: proposal (position 3); lost is no progress
	[ "$(q "SELECT reach FROM deal WHERE id = 1")" = 3 ]
	# and the same days in deal show
	[ "$(crm --db "$B" deal show 1 | jq -c '[.stage_history[].days]')" = '[3.5,0.5,2,null]' ]
}

@test "stage gates on the server: exit 4 saying what is missing, nothing written; --force is marked" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		{
			as alice stage add contract --label 签约 --probability 90 --position 5 --require amount,expected_close
			as bob deal add name="无金额"
			as bob stage move 1 contract || echo "rc=$?"
			as bob stage move 1 lost || echo "rc=$?"
			as bob stage move 1 nowhere || echo "rc=$?"
			as bob deal add name="晚到" stage=contract || echo "rc=$?"
			as bob stage move 1 contract --force --reason "老客户"
			as bob deal show 1
			as alice sql "SELECT count(*) AS n FROM deal"
		} > "$BATS_TEST_TMPDIR/$side.out" 2>&1
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	grep -q '^rc=4$' "$BATS_TEST_TMPDIR/S.out"
	grep -q 'amount, expected_close' "$BATS_TEST_TMPDIR/S.out"
	# the refused moves and the refused add wrote nothing: one deal, its
	# first stage and the forced move
	[ "$(q "SELECT count(*) FROM deal")" = 1 ]
	[ "$(q "SELECT string_agg(to_stage || ':' || forced, ' ' ORDER BY id) FROM stage_history")" = "new:0 contract:1" ]
	[ "$(q "SELECT count(*) FROM audit WHERE action = 'stage_move_forced'")" = 1 ]
}

@test "bad deal input on the server: the file's message and exit code, nothing written" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		{
			as bob deal add amount=100 || echo "rc=$?"
			as bob deal add name=x amount=很多 || echo "rc=$?"
			as bob deal add name=x currency=金币 || echo "rc=$?"
			as bob deal add name=x stage=nope || echo "rc=$?"
			as bob deal add name=x pipeline=nope || echo "rc=$?"
			as bob deal update 1 stage=won || echo "rc=$?"
			as bob deal show 99 || echo "rc=$?"
			as bob stage move 99 won || echo "rc=$?"
		} > "$BATS_TEST_TMPDIR/$side.err" 2>&1
	done
	diff "$BATS_TEST_TMPDIR/F.err" "$BATS_TEST_TMPDIR/S.err"
	[ "$(grep -c '^rc=3$' "$BATS_TEST_TMPDIR/S.err")" -ge 4 ]
	grep -q '^rc=2$' "$BATS_TEST_TMPDIR/S.err"
	[ "$(q "SELECT count(*) FROM deal")" = 0 ]
	[ "$(q "SELECT count(*) FROM stage_history")" = 0 ]
	[ "$(q "SELECT count(*) FROM audit WHERE entity LIKE 'deal:%'")" = 0 ]
}

@test "a rep sees and moves only their own deals: list, show, update, rm and stage move of another's exit 5" {
	crm --db "$B" deal add name="鲍勃的" amount=100 >/dev/null
	crm --db "$C" deal add name="卡罗尔的" amount=200 >/dev/null
	run --separate-stderr crm --db "$B" deal list
	assert_success
	[ "$(echo "$output" | jq -r .id | paste -sd ' ')" = 1 ]
	run --separate-stderr crm --db "$B" deal show 2
	assert_failure 5
	[[ "$stderr" == *"deal:2 is not visible to bob"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm --db "$B" deal update 2 amount=1
	assert_failure 5
	run --separate-stderr crm --db "$B" deal rm 2
	assert_failure 5
	run --separate-stderr crm --db "$B" stage move 2 won
	assert_failure 5
	# 200 in cents
	[ "$(q "SELECT amount || ':' || stage || ':' || (deleted_at IS NULL) FROM deal WHERE id = 2")" = "20000:new:true" ]
	[ "$(q "SELECT count(*) FROM stage_history WHERE deal_id = 2")" = 1 ]
	# a rep's role reads only their own deal's history through psql too
	[ "$(pg_psql "$DBNAME" bob "SELECT string_agg(deal_id::text, ' ') FROM stage_history")" = 1 ]
	run pg_psql "$DBNAME" bob "INSERT INTO stage_history(deal_id, pipeline, to_stage, at, \"user\") VALUES (2, 'default', 'won', 'x', 'bob')"
	assert_failure
	# a deal for another owner: refused to a rep, written for the admin
	run --separate-stderr crm --db "$B" deal add name="别人的" owner=carol
	assert_failure 5
	[ "$(q "SELECT count(*) FROM deal")" = 2 ]
	# pipeline list counts the open deals the acting user sees
	[ "$(crm --db "$B" pipeline list | jq .open_deals)" = 1 ]
	[ "$(crm --db "$A" pipeline list | jq .open_deals)" = 2 ]
	run --separate-stderr crm --db "$A" deal list
	[ "$(echo "$output" | jq -r .id | paste -sd ' ')" = "1 2" ]
}

@test "deals in a pipe on the server: list into stage move, list into update, jq over list" {
	crm --db "$B" deal add name=甲 amount=100 >/dev/null
	crm --db "$B" deal add name=乙 amount=200 >/dev/null
	crm --db "$C" deal add name=丙 amount=300 >/dev/null
	run --separate-stderr bash -c "crm --db '$B' deal list --stage new | crm --db '$B' stage move qualified"
	assert_success
	[ "$(echo "$output" | jq -r '.id,.stage' | paste -sd ' ')" = "1 qualified 2 qualified" ]
	[ "$(q "SELECT string_agg(id || ':' || stage, ' ' ORDER BY id) FROM deal")" = "1:qualified 2:qualified 3:new" ]
	run --separate-stderr bash -c "crm --db '$B' deal list | crm --db '$B' deal update note=跟进"
	assert_success
	[ "$(q "SELECT string_agg(id || ':' || coalesce(note, '-'), ' ' ORDER BY id) FROM deal")" = "1:跟进 2:跟进 3:-" ]
	# another rep's deal in the pipe is refused, the others are moved
	run --separate-stderr bash -c "crm --db '$A' deal list | crm --db '$B' stage move proposal"
	assert_failure 5
	[[ "$stderr" == *"deal:3 is not visible to bob"* ]] || fail "stderr: $stderr"
	[ "$(q "SELECT string_agg(id || ':' || stage, ' ' ORDER BY id) FROM deal")" = "1:proposal 2:proposal 3:new" ]
	# 100 + 200 = 300, bob's two
	[ "$(crm --db "$B" deal list | jq -s 'map(.amount) | add')" = 300 ]
	# a stale line (the deal changed since it was listed) is exit 4
	crm --db "$B" deal show 1 > "$BATS_TEST_TMPDIR/old.jsonl"
	CRM_NOW=2026-03-03T09:30:00+08:00 crm --db "$B" deal update 1 amount=150 >/dev/null
	run --separate-stderr bash -c "CRM_NOW=2026-03-04T09:30:00+08:00 crm --db '$B' stage move won < '$BATS_TEST_TMPDIR/old.jsonl'"
	assert_failure 4
	[ "$(q "SELECT stage FROM deal WHERE id = 1")" = proposal ]
}

@test "pipeline list, show, add and stage list, add, rm on the server print what they print on a file" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		{
			as alice pipeline list
			as alice pipeline show
			as alice pipeline list --format table
			as alice pipeline add saas --label SaaS --stages "demo:产品演示:30,poc:POC测试:60,won:赢单:100:won"
			as alice stage add trial --pipeline saas --label 试用 --probability 45 --position 2 --require amount
			as alice stage list --pipeline saas
			as alice stage rm poc --pipeline saas
			as bob deal add name="订阅" pipeline=saas
			as alice stage rm demo --pipeline saas || echo "rc=$?"
			as bob stage add nope --probability 1 || echo "rc=$?"
			as bob pipeline add mine || echo "rc=$?"
			as bob pipeline list
			as bob pipeline show saas
			as bob pipeline show nope || echo "rc=$?"
		} > "$BATS_TEST_TMPDIR/$side.out" 2>&1
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	# by hand: demo, trial, won and the lost every pipeline gets; poc removed
	[ "$(q "SELECT string_agg(s.key, ',' ORDER BY s.position) FROM stage s JOIN pipeline p ON p.id = s.pipeline_id WHERE p.key = 'saas'")" = \
		"demo,trial,won,lost" ]
	[ "$(q "SELECT count(*) FROM pipeline")" = 2 ]
	[ "$(q "SELECT count(*) FROM stage WHERE key = 'nope'")" = 0 ]
	[ "$(crm --db "$B" pipeline list | jq -c 'select(.key == "saas") | [.stages, .open_deals]')" = '[["demo","trial","won","lost"],1]' ]
}

# sql_side SQL: SQL straight into the database of $SIDE (what crm log
# and crm config set would write; they do not run on a server yet)
sql_side() {
	if [ "$SIDE" = F ]; then
		sqlite3 "$CRM_DB" "$1"
	else
		q "$1" >/dev/null
	fi
}

@test "an activity gate on the server: the activity must come after the deal entered its stage, as an instant" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		{
			as alice stage add proposal --require-activity call
			as bob deal add name=甲
			as bob deal add name=乙
			# 03:00 UTC is 11:00 in +08:00, after both entered new at
			# 09:30 +08:00 (though before it as text); 09:00 +08:00 is before
			sql_side "INSERT INTO activity(entity, kind, text, at, owner, created_at, updated_at) VALUES
				('deal:1', 'call', 'ok', '2026-03-02T03:00:00+00:00', 'bob', '2026-03-02T03:00:00+00:00', '2026-03-02T03:00:00+00:00'),
				('deal:2', 'call', 'old', '2026-03-02T09:00:00+08:00', 'bob', '2026-03-02T09:00:00+08:00', '2026-03-02T09:00:00+08:00'),
				('deal:2', 'email', 'x', '2026-03-02T11:00:00+08:00', 'bob', '2026-03-02T11:00:00+08:00', '2026-03-02T11:00:00+08:00')"
			CRM_NOW=2026-03-02T12:00:00+08:00 as bob stage move 1 proposal
			CRM_NOW=2026-03-02T12:00:00+08:00 as bob stage move 2 proposal || echo "rc=$?"
		} > "$BATS_TEST_TMPDIR/$side.out" 2>&1
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	grep -q 'stage proposal needs a call logged since the deal entered new' "$BATS_TEST_TMPDIR/S.out"
	grep -q '^rc=4$' "$BATS_TEST_TMPDIR/S.out"
	[ "$(q "SELECT string_agg(id || ':' || stage, ' ' ORDER BY id) FROM deal")" = "1:proposal 2:new" ]
}

@test "the approval amount on the server: a move into negotiation above it is refused until approved, as on a file" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		{
			if [ "$side" = F ]; then
				as alice config set approval.amount_over 100000 >/dev/null
			else
				sql_side "INSERT INTO config(key, value) VALUES ('approval.amount_over', '100000')"
			fi
			as bob deal add name=大单 amount=50万
			as bob deal add name=小单 amount=5万
			as bob stage move 1 negotiation || echo "rc=$?"
			as bob stage move 1 negotiation --force || echo "rc=$?"
			as bob stage move 2 negotiation
			as alice sql "SELECT entity, step, role, status, stage, amount FROM approval ORDER BY id"
		} > "$BATS_TEST_TMPDIR/$side.out" 2>&1
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	[ "$(grep -c '^rc=4$' "$BATS_TEST_TMPDIR/S.out")" = 2 ]
	grep -q 'needs an approval' "$BATS_TEST_TMPDIR/S.out"
	[ "$(q "SELECT string_agg(id || ':' || stage, ' ' ORDER BY id) FROM deal")" = "1:new 2:negotiation" ]
	# one request, however often it is asked: 50万 in cents
	[ "$(q "SELECT count(*) || ':' || min(status) || ':' || min(amount) FROM approval")" = "1:pending:50000000" ]
}

@test "report funnel on the server prints what it prints on a file: the deals themselves read, removed ones left out" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		{
			CRM_NOW=2026-03-02T09:30:00+08:00 as bob deal add name=甲 amount=100
			CRM_NOW=2026-03-02T09:30:00+08:00 as bob deal add name=乙 amount=200
			CRM_NOW=2026-03-02T09:30:00+08:00 as carol deal add name=丙 amount=300
			CRM_NOW=2026-03-02T09:30:00+08:00 as carol deal add name=丁 amount=400 currency=USD
			CRM_NOW=2026-03-02T09:30:00+08:00 as alice deal add name=戊 amount=500
			CRM_NOW=2026-03-04T09:30:00+08:00 as bob stage move 1 proposal
			CRM_NOW=2026-03-05T09:30:00+08:00 as bob stage move 1 won
			CRM_NOW=2026-03-03T09:30:00+08:00 as carol stage move 3 lost --reason 价格
			CRM_NOW=2026-03-03T21:30:00+08:00 as alice stage move 5 qualified
			as alice deal rm 5
			export CRM_NOW=2026-03-06T09:30:00+08:00
			as alice report funnel
			as alice report funnel --format table
			as alice report funnel --owner bob
			as alice report funnel --since 30d
			as carol report funnel --format csv
			as alice report funnel --pipeline nope || echo "rc=$?"
			export CRM_NOW=2026-03-02T09:30:00+08:00
		} > "$BATS_TEST_TMPDIR/$side.out" 2>&1
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	# a rep's own funnel (on a file, a rep also gets zero rows for the
	# currencies of deals only others have; the server shows none of them)
	[ "$(CRM_NOW=2026-03-06T09:30:00+08:00 crm --db "$B" report funnel | jq -r .currency | sort -u)" = CNY ]
	# by hand, bob's CNY deals: both reached new (100 + 200 = 300); deal 1
	# reached qualified, proposal and won; new's stays: deal 1 two days
	# (03-02 to 03-04), deal 2 four so far (to 03-06): 3 on average
	[ "$(CRM_NOW=2026-03-06T09:30:00+08:00 crm --db "$B" report funnel | jq -c 'select(.currency == "CNY") | [.stage, .deals, .amount, .avg_days]' | head -2 | paste -sd ' ')" = \
		'["new",2,300,3] ["qualified",1,100,null]' ]
	# alice's removed deal 5 is in no stage, its stays in no average: the
	# CNY deals 1, 2, 3 reached new
	[ "$(CRM_NOW=2026-03-06T09:30:00+08:00 crm --db "$A" report funnel | jq -c 'select(.currency == "CNY" and .stage == "new") | .deals')" = 3 ]
	grep -q '^rc=1$' "$BATS_TEST_TMPDIR/S.out"
}

@test "report cycle on the server prints what it prints on a file: median and p90 by hand, stays from the history" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		{
			CRM_NOW=2026-03-01T09:30:00+08:00 as bob deal add name=甲 source=展会
			CRM_NOW=2026-03-01T09:30:00+08:00 as bob deal add name=乙 source=展会
			CRM_NOW=2026-03-01T09:30:00+08:00 as carol deal add name=丙 source=官网
			CRM_NOW=2026-03-01T09:30:00+08:00 as carol deal add name=丁
			CRM_NOW=2026-03-02T09:30:00+08:00 as bob stage move 1 won
			CRM_NOW=2026-03-04T09:30:00+08:00 as bob stage move 2 proposal
			CRM_NOW=2026-03-05T09:30:00+08:00 as bob stage move 2 won
			CRM_NOW=2026-03-11T09:30:00+08:00 as carol stage move 3 won
			CRM_NOW=2026-03-03T09:30:00+08:00 as carol stage move 4 lost --reason 预算
			as alice deal rm 4
			export CRM_NOW=2026-03-12T09:30:00+08:00
			as alice report cycle
			as alice report cycle --format table
			as alice report cycle --owner bob
			as alice report cycle --since 2026-03-03
			as bob report cycle
			as alice report cycle --since 2026-04-01
			export CRM_NOW=2026-03-02T09:30:00+08:00
		} > "$BATS_TEST_TMPDIR/$side.out" 2>&1
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	# by hand: won after 1 (deal 1), 4 (deal 2) and 10 days (deal 3): the
	# median of all three 4, their p90 the 3rd smallest, 10; bob's two:
	# median (1 + 4) / 2 = 2.5, p90 4
	[ "$(grep '"by":"owner"' "$BATS_TEST_TMPDIR/S.out" | head -2 | jq -c '[.key, .median_days, .p90_days]' | paste -sd ' ')" = \
		'["bob",2.5,4] ["carol",10,10]' ]
	[ "$(grep '"by":"pipeline"' "$BATS_TEST_TMPDIR/S.out" | head -1 | jq -c '[.won_deals, .median_days, .p90_days]')" = '[3,4,10]' ]
	# stays in new: 1, 3 and 10 days (the removed deal 4's 2 left out):
	# 14 / 3 = 4.7
	[ "$(grep '"by":"stage"' "$BATS_TEST_TMPDIR/S.out" | head -1 | jq -c '[.key, .stays, .avg_days]')" = '["new",3,4.7]' ]
	# nothing won since April: only the stays (--since is not applied to them)
	[ "$(CRM_NOW=2026-03-12T09:30:00+08:00 crm --db "$A" report cycle --since 2026-04-01 | jq -r .by | sort -u)" = stage ]
}

@test "report forecast on the server prints what it prints on a file: by month, week, owner and deal, in local time" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		{
			as bob deal add name=甲 amount=100 expected_close=2026-03-20
			as bob deal add name=乙 amount=200 expected_close=2026-04-02 stage=proposal
			as carol deal add name=丙 amount=300 expected_close=2026-03-29
			as carol deal add name=丁 amount=400 currency=USD expected_close=2026-03-10
			as alice deal add name=戊 amount=500
			as alice deal add name=己 amount=600
			# 20:30 UTC on 03-31 is 04:30 on 04-01 here (TZ=Asia/Shanghai)
			CRM_NOW=2026-03-31T20:30:00+00:00 as alice stage move 5 won
			CRM_NOW=2026-03-15T09:30:00+08:00 as alice stage move 6 won
			as alice deal rm 3
			as alice report forecast
			as alice report forecast --by week
			as alice report forecast --by owner --format table
			as alice report forecast --by deal --limit 2
			as alice report forecast --owner bob
			as alice report forecast --since 2026-03-20
			as alice report forecast --by year || echo "rc=$?"
		} > "$BATS_TEST_TMPDIR/$side.out" 2>&1
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	# by hand (CNY, deal 3 removed): March has deal 1 open (100, 10%:
	# weighted 10) and deal 6 won (600); April deal 2 open (200 at
	# proposal's 50%: 100) and deal 5 won (500, local 04-01)
	[ "$(grep '"by":"month"' "$BATS_TEST_TMPDIR/S.out" | grep CNY | head -2 | jq -c '[.period, .open_deals, .pipeline, .weighted, .won]' | paste -sd ' ')" = \
		'["2026-03",1,100,10,600] ["2026-04",1,200,100,500]' ]
	# weeks start on Monday: 03-20 is in the week of 03-16, 04-02 and the
	# won 04-01 in that of 03-30
	[ "$(grep '"by":"week"' "$BATS_TEST_TMPDIR/S.out" | grep CNY | jq -r .period | paste -sd ' ')" = "2026-03-09 2026-03-16 2026-03-30" ]
	grep -q '^rc=2$' "$BATS_TEST_TMPDIR/S.out"
	# a rep's forecast is their own deals
	[ "$(crm --db "$B" report forecast --by deal | jq -r .deal_id | paste -sd ' ')" = "2 1" ]
}

@test "a server session's time zone is this machine's: by name, by a zoneinfo path; one the server does not know leaves its own" {
	local own
	own=$(TZ= pg_psql "$DBNAME" postgres "SHOW TimeZone")
	run --separate-stderr env TZ=Asia/Tokyo crm --db "$B" sql "SELECT current_setting('TimeZone') AS z"
	assert_success
	assert_output '{"z":"Asia/Tokyo"}'
	run --separate-stderr env TZ=:/usr/share/zoneinfo/America/New_York crm --db "$B" sql "SELECT current_setting('TimeZone') AS z"
	assert_success
	assert_output '{"z":"America/New_York"}'
	run --separate-stderr env TZ=Nowhere/Land crm --db "$B" sql "SELECT current_setting('TimeZone') AS z"
	assert_success
	assert_output "{\"z\":\"$own\"}"
	# and a month in local time: 2026-03-31T20:30Z is April in Tokyo, March in New York
	crm --db "$B" deal add name=甲 amount=100 >/dev/null
	CRM_NOW=2026-03-31T20:30:00+00:00 crm --db "$B" stage move 1 won >/dev/null
	[ "$(TZ=Asia/Tokyo crm --db "$B" report forecast | jq -r 'select(.won_deals > 0) | .period')" = 2026-04 ]
	[ "$(TZ=America/New_York crm --db "$B" report forecast | jq -r 'select(.won_deals > 0) | .period')" = 2026-03 ]
}
