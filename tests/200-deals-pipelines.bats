#!/usr/bin/env bats
# Deals, pipelines and stages: crm deal, crm pipeline, crm stage list|add|rm.
load helper

local_setup() {
	export CRM_NOW='2026-03-02 10:00'
	fresh_db
}

@test "a new database has the default pipeline with its six stages" {
	run --separate-stderr crm stage list
	assert_success
	assert_jsonl
	[ "$(jq -r '[.key, .label, .probability] | join(" ")' <<<"$output" | paste -sd,)" = \
		"new 初步接触 10,qualified 需求确认 25,proposal 方案报价 50,negotiation 商务谈判 75,won 赢单 100,lost 输单 0" ]
	run crm pipeline list
	assert_success
	[ "$(jqo '.key')" = default ]
	[ "$(jqo '.stages | join(",")')" = "new,qualified,proposal,negotiation,won,lost" ]
}

@test "deal add starts in the first stage with its probability and records it in the history" {
	run --separate-stderr crm deal add name=云平台 amount=12万 owner=alice
	assert_success
	[ "$(jqo .stage)" = new ]
	[ "$(jqo .probability)" = 10 ]
	[ "$(jqo .amount)" = 120000 ]
	[ "$(jqo .status)" = open ]
	[ "$(jqo .stage_entered_at)" = "2026-03-02T10:00:00+08:00" ]
	run crm sql "SELECT from_stage, to_stage, user FROM stage_history WHERE deal_id = 1"
	assert_output '{"to_stage":"new","user":"tester"}'
}

@test "deal add from JSON lines records each first stage" {
	printf '%s\n' '{"name":"a"}' '{"name":"b","stage":"qualified"}' | crm deal add >/dev/null
	run crm sql "SELECT deal_id, to_stage FROM stage_history ORDER BY deal_id"
	assert_line --index 0 '{"deal_id":1,"to_stage":"new"}'
	# added in a later stage: its history starts there (no stay in new)
	assert_line --index 1 '{"deal_id":2,"to_stage":"qualified"}'
	run crm deal show 2
	[ "$(jqo .probability)" = 25 ]
}

@test "deal add with an unknown stage or pipeline: exit 3, nothing written" {
	run --separate-stderr crm deal add name=x stage=nosuch
	assert_failure 3
	[[ "$stderr" == *"no stage 'nosuch' in pipeline 'default'"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm deal add name=x pipeline=nosuch
	assert_failure 3
	[ "$(crm sql 'SELECT count(*) AS n FROM deal' | jq .n)" = 0 ]
	[ "$(crm sql 'SELECT count(*) AS n FROM stage_history' | jq .n)" = 0 ]
}

@test "deal update refuses stage, status and pipeline (exit 2, points to stage move)" {
	crm deal add name=x >/dev/null
	for f in stage=won status=won pipeline=saas; do
		run --separate-stderr crm deal update 1 "$f"
		assert_failure 2
		[[ "$stderr" == *"crm stage move"* ]] || fail "stderr: $stderr"
	done
	run crm deal update 1 amount=5000 expected_close=2026-04-01
	assert_success
	[ "$(jqo .amount)" = 5000 ]
	[ "$(jqo .stage)" = new ]
}

@test "deal list --stage and --pipeline filter" {
	crm pipeline add saas --stages "demo:产品演示:30,won:赢单:100:won" >/dev/null
	crm deal add name=a >/dev/null
	crm deal add name=b pipeline=saas >/dev/null
	crm deal add name=c stage=proposal >/dev/null
	run crm deal list --stage proposal
	assert_success
	[ "$(jqo .name)" = c ]
	run crm deal list --pipeline saas
	[ "$(jqo .name)" = b ]
	[ "$(jqo .stage)" = demo ]
	run crm deal list --pipeline saas --stage proposal
	assert_failure 1
}

@test "deal show prints the stage history" {
	crm deal add name=a amount=100 expected_close=2026-04-01 >/dev/null
	CRM_NOW='2026-03-05 10:00' crm stage move 1 qualified >/dev/null
	run --separate-stderr crm deal show 1
	assert_success
	[ "$(jqo '.stage_history | map(.to) | join(",")')" = "new,qualified" ]
	[ "$(jqo '.stage_history[0].days')" = 3 ]
	[ "$(jqo '.stage_history[1].from')" = new ]
	run crm --table deal show 1
	assert_output --partial "new → qualified"
}

@test "deal rm removes, restore brings it back" {
	crm deal add name=a >/dev/null
	run crm deal rm 1
	assert_success
	run crm deal list
	assert_failure 1
	crm restore deal:1 >/dev/null
	run crm deal list
	assert_success
}

@test "pipeline add with Chinese stages inline, show, list" {
	run --separate-stderr crm pipeline add 项目 --label 项目制 \
		--stages "图纸审核:图纸审核:20,现场施工:现场施工:60,验收交付:验收交付:90,赢单:赢单:100:won,输单:输单:0:lost"
	assert_success
	assert_jsonl
	[ "${#lines[@]}" -eq 5 ]
	run crm pipeline show 项目
	assert_success
	[ "$(jq -r .key <<<"$output" | paste -sd,)" = "图纸审核,现场施工,验收交付,赢单,输单" ]
	[ "$(jq -r .position <<<"$output" | paste -sd,)" = "1,2,3,4,5" ]
	[ "$(jq -r 'select(.key=="赢单") | .closes' <<<"$output")" = won ]
	run crm pipeline list
	[ "$(jq -r 'select(.key=="项目") | .label' <<<"$output")" = 项目制 ]
	run crm --table pipeline show 项目
	assert_output --partial 现场施工
}

@test "pipeline add: duplicate exits 4; bad stage list exits 2 and adds nothing" {
	crm pipeline add saas >/dev/null
	run --separate-stderr crm pipeline add saas
	assert_failure 4
	[[ "$stderr" == *"pipeline 'saas' already exists"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm pipeline add p2 --stages "a:A:30,b:B:300"
	assert_failure 2
	[[ "$stderr" == *"probability '300' of stage 'b'"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm pipeline add p3 --stages "a:A:30,b:B:40:maybe"
	assert_failure 2
	run --separate-stderr crm pipeline add 'bad key'
	assert_failure 2
	[ "$(crm sql "SELECT count(*) AS n FROM pipeline WHERE key IN ('p2','p3')" | jq .n)" = 0 ]
	run crm pipeline show p2
	assert_failure 1
}

@test "stage add places a new stage before won/lost, or at --position" {
	run --separate-stderr crm stage add 合同审批 --label 合同审批 --probability 85
	assert_success
	[ "$(jqo .position)" = 5 ]
	crm stage add demo --label 产品演示 --probability 30 --position 2 >/dev/null
	run crm stage list
	[ "$(jq -r .key <<<"$output" | paste -sd,)" = "new,demo,qualified,proposal,negotiation,合同审批,won,lost" ]
	[ "$(jq -r .position <<<"$output" | paste -sd,)" = "1,2,3,4,5,6,7,8" ]
}

@test "stage add on an existing stage sets its gate; bad gates exit 2" {
	run --separate-stderr crm stage add proposal --require amount,expected_close --require-activity call
	assert_success
	[ "$(jqo '.require | join(",")')" = "amount,expected_close" ]
	[ "$(jqo .require_activity)" = call ]
	[ "$(jqo .position)" = 3 ]
	run --separate-stderr crm stage add proposal --require budgett
	assert_failure 2
	[[ "$stderr" == *"no field 'budgett'"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm stage add proposal --require-activity telepathy
	assert_failure 2
	run --separate-stderr crm stage add x --closes maybe
	assert_failure 2
	run crm stage list
	[ "$(jq -r 'select(.key=="proposal") | .require | join(",")' <<<"$output")" = "amount,expected_close" ]
	[ "$(crm sql "SELECT count(*) AS n FROM stage WHERE key = 'x'" | jq .n)" = 0 ]
	run crm stage add proposal --require ""
	assert_success
	[ "$(jqo .require)" = null ]
	# changes to stages are audited
	run crm log --entity pipeline:default
	assert_success
	assert_line --partial '"action":"stage_update"'
}

@test "stage add to a missing pipeline exits 1" {
	run --separate-stderr crm stage add x --pipeline nosuch
	assert_failure 1
	[[ "$stderr" == *"no pipeline 'nosuch'"* ]] || fail "stderr: $stderr"
}

@test "stage rm refuses while deals sit in the stage (exit 4), removes an empty one" {
	crm deal add name=a stage=qualified >/dev/null
	run --separate-stderr crm stage rm qualified
	assert_failure 4
	[[ "$stderr" == *"still has 1 deal"* ]] || fail "stderr: $stderr"
	[ "$(crm stage list | jq -r .key | paste -sd,)" = "new,qualified,proposal,negotiation,won,lost" ]
	run crm stage rm proposal
	assert_success
	[ "$(jqo .key)" = proposal ]
	[ "$(crm stage list | jq -r .position | paste -sd,)" = "1,2,3,4,5" ]
	run --separate-stderr crm stage rm nosuch
	assert_failure 1
}

@test "pipeline, stage and deal commands print tables on request" {
	crm deal add name=云平台 amount=1000 >/dev/null
	run crm --table pipeline list
	assert_success
	assert_line --index 0 --regexp '^key +label'
	run crm --csv stage list
	assert_line --index 0 'pipeline,position,key,label,probability,closes,require,require_activity'
}

@test "a deal added straight into a won stage is closed" {
	run crm deal add name=老单 stage=won amount=100
	assert_success
	[ "$(jqo .status)" = won ]
	[ "$(jqo .probability)" = 100 ]
	[ "$(jqo .closed_at)" = "2026-03-02T10:00:00+08:00" ]
	[ "$(crm report funnel | jq -r 'select(.stage=="won") | .deals')" = 1 ]
}

@test "deal add into a later stage meets the rules of crm stage move: approval, lost reason, gates" {
	crm config set approval.amount_over 100000 >/dev/null
	run --separate-stderr crm deal add name=大单 amount=500000 stage=won
	assert_failure 4
	[[ "$stderr" == *"over the approval amount: it cannot be made in won"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm deal add name=丢单 stage=lost
	assert_failure 3
	[[ "$stderr" == *"lost_reason"* ]] || fail "stderr: $stderr"
	crm stage add proposal --require amount,expected_close >/dev/null
	run --separate-stderr crm deal add name=方案 stage=proposal
	assert_failure 4
	[[ "$stderr" == *"needs amount, expected_close"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm deal add name=乱 status=lost
	assert_failure 3
	# nothing of them is left: no deal, no approval request, no history
	[ "$(crm sql 'SELECT (SELECT count(*) FROM deal) + (SELECT count(*) FROM approval) + (SELECT count(*) FROM stage_history) AS n' | jq .n)" = 0 ]
	# the same, done right
	run --separate-stderr crm deal add name=丢单 stage=lost lost_reason=预算取消 probability=5
	assert_success
	[ "$(jqo '[.stage, .status, .lost_reason, .probability] | join(",")')" = "lost,lost,预算取消,5" ]
	[ "$(crm sql "SELECT group_concat(coalesce(from_stage, '-') || '>' || to_stage) AS h FROM stage_history WHERE deal_id = 1" | jq -r .h)" = "->lost" ]
	# so the funnel's days in new are not pulled down by a stay it never had
	CRM_NOW='2026-03-12 10:00' crm deal add name=一直在新 >/dev/null
	CRM_NOW='2026-03-22 10:00' crm stage move 2 qualified >/dev/null
	[ "$(CRM_NOW='2026-03-22 10:00' crm report funnel | jq -r 'select(.stage == "new") | .avg_days')" = 10 ]
}

@test "deal fields are checked: probability 0..100; an amount set later gets the currency" {
	run --separate-stderr crm deal add name=x probability=150
	assert_failure 3
	[[ "$stderr" == *"probability: '150' is not between 0 and 100"* ]] || fail "stderr: $stderr"
	crm deal add name=y >/dev/null
	run --separate-stderr crm deal update 1 probability=-20
	assert_failure 3
	run crm deal update 1 amount=50000
	assert_success
	[ "$(jqo '[.amount, .currency] | join(" ")')" = "50000 CNY" ]
}

@test "approve takes deals only" {
	crm lead add name=甲 >/dev/null
	run --separate-stderr crm --as bob approve lead:1
	assert_failure 2
	[[ "$stderr" == *"approvals are for deals"* ]] || fail "stderr: $stderr"
	[ "$(crm sql 'SELECT count(*) AS n FROM approval' | jq .n)" = 0 ]
}
