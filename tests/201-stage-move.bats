#!/usr/bin/env bats
# crm stage move: history, probability, closing, gates, --force, stdin, approvals.
load helper

local_setup() {
	export CRM_NOW='2026-03-02 10:00'
	fresh_db
}

@test "acceptance 1: a custom pipeline with Chinese stages end to end" {
	crm pipeline add 项目 --label 项目制 \
		--stages "图纸审核:图纸审核:20,现场施工:现场施工:60,验收交付:验收交付:90,赢单:赢单:100:won,输单:输单:0:lost" >/dev/null
	crm stage add 现场施工 --pipeline 项目 --require amount,expected_close >/dev/null
	crm deal add name=厂房改造 pipeline=项目 owner=alice >/dev/null
	crm deal add name=办公楼 pipeline=项目 owner=alice amount=30万 expected_close=2026-06-30 >/dev/null
	# gate failure names exactly what is missing, changes nothing
	run --separate-stderr crm stage move 1 现场施工
	assert_failure 4
	[[ "$stderr" == *"stage 现场施工 needs amount, expected_close"* ]] || fail "stderr: $stderr"
	[ "$(crm deal show 1 | jq -r .stage)" = 图纸审核 ]
	[ "$(crm sql 'SELECT count(*) AS n FROM stage_history WHERE deal_id = 1' | jq .n)" = 1 ]
	# a deal that passes moves, gets the probability
	CRM_NOW='2026-03-04 10:00' run --separate-stderr crm stage move 2 现场施工
	assert_success
	[ "$(jqo .stage)" = 现场施工 ]
	[ "$(jqo .probability)" = 60 ]
	[ "$(jqo .stage_entered_at)" = "2026-03-04T10:00:00+08:00" ]
	# forced move: in the history and in the audit log
	run --separate-stderr crm stage move 1 现场施工 --force --reason 老客户
	assert_success
	[[ "$stderr" == *"forced"* ]] || fail "stderr: $stderr"
	run crm sql "SELECT from_stage, to_stage, user, reason, forced FROM stage_history WHERE deal_id = 1 AND forced = 1"
	assert_output '{"from_stage":"图纸审核","to_stage":"现场施工","user":"tester","reason":"老客户","forced":1}'
	# one log entry per move: the fields it changed, with the reason
	run crm log --entity deal:1 --limit 1
	[ "$(jqo .action)" = stage_move_forced ]
	[ "$(jqo .before.stage)" = 图纸审核 ]
	[ "$(jqo .after.stage)" = 现场施工 ]
	[ "$(jqo .after.reason)" = 老客户 ]
	[ "$(jqo .after.forced)" = true ]
	[ "$(crm log --entity deal:1 | jq -r .action | paste -sd,)" = stage_move_forced,insert ]
	# won closes the deal
	CRM_NOW='2026-03-10 10:00' run crm stage move 2 赢单
	assert_success
	[ "$(jqo .status)" = won ]
	[ "$(jqo .probability)" = 100 ]
	[ "$(jqo .closed_at)" = "2026-03-10T10:00:00+08:00" ]
	# lost needs a reason, then records it
	run --separate-stderr crm stage move 1 输单
	assert_failure 2
	[[ "$stderr" == *"needs --reason"* ]] || fail "stderr: $stderr"
	run crm stage move 1 输单 --reason 预算取消
	assert_success
	[ "$(jqo .status)" = lost ]
	[ "$(jqo .lost_reason)" = 预算取消 ]
	[ "$(jqo .probability)" = 0 ]
	run crm deal show 1
	[ "$(jqo '.stage_history | map(.to) | join(",")')" = "图纸审核,现场施工,输单" ]
}

@test "a move records from, to, who, when in the history and fires nothing half-done" {
	crm deal add name=a >/dev/null
	CRM_NOW='2026-03-03 09:00' crm --as bob stage move 1 qualified >/dev/null
	run crm sql "SELECT from_stage, to_stage, \"user\", at FROM stage_history WHERE from_stage IS NOT NULL"
	assert_output '{"from_stage":"new","to_stage":"qualified","user":"bob","at":"2026-03-03T09:00:00+08:00"}'
	run crm log --entity deal:1 --limit 1
	assert_line --partial '"action":"stage_move"'
}

@test "moving a deal back reopens it; moving to the same stage changes nothing" {
	crm deal add name=a >/dev/null
	crm stage move 1 won >/dev/null
	run crm stage move 1 negotiation
	assert_success
	[ "$(jqo .status)" = open ]
	[ "$(jqo .closed_at)" = null ]
	[ "$(jqo .probability)" = 75 ]
	run crm stage move 1 negotiation
	assert_success
	[ "$(crm sql 'SELECT count(*) AS n FROM stage_history' | jq .n)" = 3 ]
}

@test "stage move: unknown deal exits 1, unknown stage exits 3, missing stage exits 2" {
	crm deal add name=a >/dev/null
	run --separate-stderr crm stage move 99 qualified
	assert_failure 1
	run --separate-stderr crm stage move 1 nosuch
	assert_failure 3
	[[ "$stderr" == *"no stage 'nosuch' in pipeline 'default'"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm stage move
	assert_failure 2
	[ "$(crm deal show 1 | jq -r .stage)" = new ]
}

@test "activity gate: needs an activity of that kind since the deal entered its stage" {
	crm stage add proposal --require-activity call >/dev/null
	crm deal add name=a >/dev/null
	crm deal add name=b >/dev/null
	# a call before deal 2 entered its stage does not count
	crm sql "SELECT 1" >/dev/null
	sqlite3 "$CRM_DB" "INSERT INTO activity(entity, kind, text, at, created_at, updated_at) VALUES
		('deal:1', 'call', 'ok', '2026-03-02T11:00:00+08:00', '2026-03-02T11:00:00+08:00', '2026-03-02T11:00:00+08:00'),
		('deal:2', 'call', 'old', '2026-03-01T11:00:00+08:00', '2026-03-01T11:00:00+08:00', '2026-03-01T11:00:00+08:00'),
		('deal:2', 'email', 'x', '2026-03-02T11:00:00+08:00', '2026-03-02T11:00:00+08:00', '2026-03-02T11:00:00+08:00')"
	CRM_NOW='2026-03-02 12:00' run --separate-stderr crm stage move 1 proposal
	assert_success
	CRM_NOW='2026-03-02 12:00' run --separate-stderr crm stage move 2 proposal
	assert_failure 4
	[[ "$stderr" == *"stage proposal needs a call logged since the deal entered new"* ]] || fail "stderr: $stderr"
}

@test "acceptance 3: deal list --stage --stale | stage move moves the ones that pass, reports the others" {
	crm stage add negotiation --require amount,expected_close >/dev/null
	crm deal add name=ready stage=proposal amount=1000 expected_close=2026-04-01 >/dev/null
	crm deal add name=noamount stage=proposal expected_close=2026-04-01 >/dev/null
	crm deal add name=ready2 stage=proposal amount=2000 expected_close=2026-04-02 >/dev/null
	CRM_NOW="2026-03-10 10:00" crm deal add name=fresh stage=proposal amount=1 expected_close=2026-04-02 >/dev/null
	sqlite3 "$CRM_DB" "UPDATE deal SET created_at = '2026-02-01T10:00:00+08:00' WHERE name <> 'fresh'"
	CRM_NOW='2026-03-12 10:00' run --separate-stderr bash -c 'crm deal list --stage proposal --stale 7d | crm stage move negotiation'
	assert_failure 4
	assert_jsonl
	[ "$(jq -r .name <<<"$output" | paste -sd,)" = "ready,ready2" ]
	[[ "$stderr" == *"line 2: deal:2: stage negotiation needs amount"* ]] || fail "stderr: $stderr"
	[ "$(crm deal list --stage negotiation | jq -r .name | paste -sd,)" = "ready,ready2" ]
	[ "$(crm deal list --stage proposal | jq -r .name | paste -sd,)" = "noamount,fresh" ]
}

@test "stage move reads ids from JSON lines and several ids from arguments" {
	crm deal add name=a >/dev/null
	crm deal add name=b >/dev/null
	crm deal add name=c >/dev/null
	run crm stage move 1 2 qualified
	assert_success
	[ "${#lines[@]}" -eq 2 ]
	run bash -c 'crm deal show 3 | crm stage move proposal'
	assert_success
	[ "$(jqo .stage)" = proposal ]
	run --separate-stderr bash -c 'echo "{\"type\":\"lead\",\"id\":1}" | crm stage move proposal'
	assert_failure 3
}

@test "acceptance 4: a deal over the approval amount cannot be won until approved" {
	crm config set approval.amount_over 100000
	crm deal add name=大单 amount=50万 owner=alice >/dev/null
	crm deal add name=小单 amount=5万 owner=alice >/dev/null
	run --separate-stderr crm --as alice stage move 1 won
	assert_failure 4
	[[ "$stderr" == *"needs an approval"* ]] || fail "stderr: $stderr"
	[ "$(crm deal show 1 | jq -r .status)" = open ]
	run crm approve --pending
	assert_success
	[ "$(jqo .deal_id)" = 1 ]
	[ "$(jqo .amount)" = 500000 ]
	[ "$(jqo .status)" = pending ]
	# asking again does not pile up requests
	run --separate-stderr crm --as alice stage move 1 won
	assert_failure 4
	[ "$(crm sql "SELECT count(*) AS n FROM approval" | jq .n)" = 1 ]
	# the owner cannot approve
	run --separate-stderr crm --as alice approve deal:1
	assert_failure 5
	[ "$(crm approve --pending | jq -r .status)" = pending ]
	# below the amount: no approval needed
	run crm --as alice stage move 2 won
	assert_success
	# someone else approves; the move goes through and uses the approval
	run --separate-stderr crm --as manager approve deal:1
	assert_success
	[ "$(jqo .approved_by)" = manager ]
	run crm approve --pending
	assert_failure 1
	run crm --as alice stage move 1 won
	assert_success
	[ "$(jqo .status)" = won ]
	[ "$(crm sql "SELECT status FROM approval" | jq -r .status)" = used ]
	# the approval is in the audit log of the deal (crm history reads it)
	run crm log --entity deal:1
	assert_line --partial '"action":"approve"'
	[ "$(jq -r 'select(.action=="approve") | .user' <<<"$output")" = manager ]
}

@test "approval: negotiation needs it too; used approvals do not carry over; --force does not skip it" {
	crm config set approval.amount_over 1000
	crm deal add name=a amount=2000 owner=alice >/dev/null
	run --separate-stderr crm stage move 1 negotiation --force
	assert_failure 4
	crm --as bob approve deal:1 >/dev/null
	crm stage move 1 negotiation >/dev/null
	run --separate-stderr crm stage move 1 won
	assert_failure 4
	[ "$(crm approve --pending | jq -r .stage)" = won ]
}

@test "approve ahead of the move: the next move that needs it goes through" {
	crm config set approval.amount_over 1000
	crm deal add name=a amount=2000 owner=alice >/dev/null
	run --separate-stderr crm --as alice approve deal:1
	assert_failure 5
	[ "$(crm sql "SELECT count(*) AS n FROM approval" | jq .n)" = 0 ]
	run --separate-stderr crm --as bob approve deal:1
	assert_success
	[ "$(jqo .status)" = approved ]
	run crm --as alice stage move 1 won
	assert_success
	[ "$(jqo .status)" = won ]
	[ "$(crm sql "SELECT status FROM approval" | jq -r .status)" = used ]
}

@test "approve: a deal that needs none exits 1; unknown deal exits 1; no argument exits 2" {
	crm deal add name=a amount=2000 owner=alice >/dev/null
	run --separate-stderr crm --as bob approve deal:1
	assert_failure 1
	[[ "$stderr" == *"no pending approval request and needs none"* ]] || fail "stderr: $stderr"
	crm config set approval.amount_over 5000
	run --separate-stderr crm --as bob approve deal:1
	assert_failure 1
	run --separate-stderr crm approve deal:9
	assert_failure 1
	run --separate-stderr crm approve </dev/null
	assert_failure 2
}

@test "approve reads deals from a pipe: the ones that need it are approved, the others reported" {
	crm config set approval.amount_over 1000
	crm deal add name=big amount=2000 owner=alice >/dev/null
	crm deal add name=small amount=10 owner=alice >/dev/null
	crm deal add name=mine amount=5000 owner=bob >/dev/null
	run --separate-stderr bash -c 'crm deal list | crm --as bob approve'
	assert_failure 5
	[ "$(jq -r .deal <<<"$output")" = big ]
	[[ "$stderr" == *"deal:2 has no pending approval request and needs none"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"bob owns deal:3"* ]] || fail "stderr: $stderr"
	run crm --as alice stage move 1 won
	assert_success
}
