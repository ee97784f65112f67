#!/usr/bin/env bats
# The approval engine (CLI.md 7 and 8.2): approvals are records, one per
# step, decided in order by someone holding the step who does not own the
# record; void when the amount they saw is raised; the first wave's deal
# approvals go on working.
load helper

local_setup() {
	export CRM_NOW='2026-03-02 10:00'
	fresh_db
}

# Users with roles: tester admin, dave manager of team sales, bob and
# carol reps in it, lily legal.
users() {
	crm user add tester --role admin >/dev/null
	crm --as tester user add dave --role manager --team sales >/dev/null
	crm --as tester user add bob --role rep --team sales --manager dave >/dev/null
	crm --as tester user add carol --role rep --team sales --manager dave >/dev/null
	crm --as tester user add lily --role legal >/dev/null
}

@test "issue 15: raising a deal's amount after its approval voids it; the move needs a new one" {
	crm config set approval.amount_over 50万 >/dev/null
	crm --as alice deal add name=大单 amount=10万 >/dev/null
	crm --as alice deal update 1 amount=60万 >/dev/null
	# approved ahead of the move, for the 600000.00 it saw
	run --separate-stderr crm --as dave approve deal:1
	assert_success
	[ "$(jqo '.status + " " + .by')" = "approved dave" ]
	[ "$(jqo .amount)" = 600000 ]
	crm --as alice deal update 1 amount=600万 >/dev/null
	[ "$(crm approval show 1 | jq -r .status)" = void ]
	[ "$(crm approval show 1 | jq -r .reason)" = "the amount became 6000000 CNY" ]
	run --separate-stderr crm --as alice stage move 1 negotiation
	assert_failure 4
	[[ "$stderr" == *"needs an approval; requested"* ]] || fail "stderr: $stderr"
	[ "$(crm deal show 1 | jq -r .stage)" = new ]
	# the new request saw 6000000.00
	run crm approve --pending
	[ "$(jqo '"\(.id) \(.amount) \(.stage) \(.status)"')" = "2 6000000 negotiation pending" ]
	crm --as dave approve deal:1 >/dev/null
	run crm --as alice stage move 1 negotiation
	assert_success
	[ "$(crm approval show 2 | jq -r .status)" = used ]
}

@test "lowering a deal's amount keeps its approval; another currency voids it" {
	crm config set approval.amount_over 1000 >/dev/null
	crm --as alice deal add name=a amount=5000 >/dev/null
	crm --as bob approve deal:1 >/dev/null
	crm --as alice deal update 1 amount=4000 >/dev/null
	[ "$(crm approval show 1 | jq -r .status)" = approved ]
	crm --as alice deal update 1 currency=USD >/dev/null
	[ "$(crm approval show 1 | jq -r .status)" = void ]
}

@test "approvals are records: entity, step, role, status, by, at, reason; --pending is approval list --pending" {
	crm config set approval.amount_over 1000 >/dev/null
	crm --as alice deal add name=a amount=5000 >/dev/null
	crm --as alice stage move 1 negotiation 2>/dev/null || true
	run --separate-stderr crm approval list
	assert_success
	assert_jsonl
	[ "$(jqo '"\(.type) \(.entity) \(.step) \(.role) \(.status) \(.requested_by)"')" = "approval deal:1 1 manager pending alice" ]
	[ "$(crm approve --pending)" = "$(crm approval list --pending)" ]
	run crm --as bob approve deal:1
	[ "$(jqo '"\(.status) \(.by) \(.at) \(.approved_by)"')" = "approved bob 2026-03-02T10:00:00+08:00 bob" ]
	# its own audit trail, and the deal's history says who approved
	run crm log --entity approval:1 --limit 1
	[ "$(jqo .action)" = approve ]
	run crm history deal:1
	assert_line --partial '"summary":"approved step 1 (manager) of the move to negotiation"'
	# crm keeps the status; a reason may be changed, a status not
	run --separate-stderr crm approval update 1 status=pending
	assert_failure 3
	run crm approval update 1 reason=老客户
	assert_success
	[ "$(jqo .reason)" = 老客户 ]
	# nobody adds one by hand, an import neither
	run --separate-stderr bash -c "echo '{\"entity\":\"deal:1\",\"role\":\"manager\"}' | crm import approvals - --format jsonl"
	assert_failure 3
	[ "$(crm sql 'SELECT count(*) AS n FROM approval' | jq .n)" = 1 ]
}

@test "reject needs a reason; the move stays refused and asks anew" {
	crm config set approval.amount_over 1000 >/dev/null
	crm --as alice deal add name=a amount=5000 >/dev/null
	crm --as alice stage move 1 negotiation 2>/dev/null || true
	run --separate-stderr crm --as bob approve deal:1 --reject
	assert_failure 2
	[ "$(crm approval show 1 | jq -r .status)" = pending ]
	run --separate-stderr crm --as bob approve deal:1 --reject --reason 价格太低
	assert_success
	[ "$(jqo '.status + " " + .reason')" = "rejected 价格太低" ]
	run crm history deal:1
	assert_line --partial '"summary":"rejected step 1 (manager): 价格太低"'
	run --separate-stderr crm --as alice stage move 1 negotiation
	assert_failure 4
	[[ "$stderr" == *"requested"* ]] || fail "stderr: $stderr"
	[ "$(crm approval list --pending | jq .id)" = 2 ]
}

@test "steps by role: a rep does not hold manager (exit 5), a manager and an admin do; a step may name a user" {
	users
	crm config set approval.amount_over 1000 >/dev/null
	crm --as carol deal add name=a amount=5000 >/dev/null
	crm --as carol stage move 1 negotiation 2>/dev/null || true
	run --separate-stderr crm --as bob approve deal:1
	assert_failure 5
	[[ "$stderr" == *"bob does not hold step 1 (manager) of deal:1"* ]] || fail "stderr: $stderr"
	[ "$(crm approval show 1 | jq -r .status)" = pending ]
	run crm --as dave approve deal:1
	assert_success
	# an admin holds every role
	crm --as carol deal add name=b amount=5000 >/dev/null
	crm --as carol stage move 2 negotiation 2>/dev/null || true
	run crm --as tester approve deal:2
	assert_success
	# a step that names a user: only that user (or an admin) holds it
	crm config set approval.deal.steps lily >/dev/null
	crm --as carol deal add name=c amount=5000 >/dev/null
	crm --as carol stage move 3 negotiation 2>/dev/null || true
	[ "$(crm approval list --pending | jq -r .role)" = lily ]
	run --separate-stderr crm --as dave approve deal:3
	assert_failure 5
	run crm --as lily approve deal:3
	assert_success
}

@test "steps in order: the next one first (a later step is exit 4); --mine offers only the next step one holds" {
	users
	crm config set approval.amount_over 1000 >/dev/null
	crm config set approval.deal.steps manager,legal >/dev/null
	crm --as carol deal add name=a amount=5000 >/dev/null
	crm --as carol stage move 1 negotiation 2>/dev/null || true
	[ "$(crm approval list --pending | jq -r '"\(.step) \(.role)"' | paste -sd,)" = "1 manager,2 legal" ]
	# lily holds step 2, which is not the next
	run --separate-stderr crm --as lily approve deal:1
	assert_failure 4
	[[ "$stderr" == *"step 2 (legal) is not the next: step 1 (manager) comes first"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm --as lily approve approval:2
	assert_failure 4
	[[ "$stderr" == *"approval:2 is step 2 (legal) of deal:1: step 1 (manager) comes first"* ]] || fail "stderr: $stderr"
	run crm --as lily approval list --mine
	assert_failure 1
	run crm --as dave approval list --mine
	[ "$(jqo .id)" = 1 ]
	# the owner is never offered her own record's steps
	run crm --as carol approval list --mine
	assert_failure 1
	crm --as dave approve deal:1 >/dev/null
	run crm --as lily approval list --mine
	[ "$(jqo .id)" = 2 ]
	run --separate-stderr crm --as carol stage move 1 negotiation
	assert_failure 4   # step 2 still waits
	crm --as lily approve deal:1 >/dev/null
	run crm --as carol stage move 1 negotiation
	assert_success
	[ "$(crm sql "SELECT group_concat(status) AS s FROM approval" | jq -r .s)" = "used,used" ]
}

@test "a pending step may be withdrawn, a decided one stays" {
	crm config set approval.amount_over 1000 >/dev/null
	crm --as alice deal add name=a amount=5000 >/dev/null
	crm --as alice deal add name=b amount=5000 >/dev/null
	crm --as alice stage move 1 negotiation 2>/dev/null || true
	crm --as alice stage move 2 negotiation 2>/dev/null || true
	crm --as bob approve deal:2 >/dev/null
	run crm approval rm 1
	assert_success
	[ "$(crm approval list --removed | jq .id)" = 1 ]
	run --separate-stderr crm approval rm 2
	assert_failure 4
	[[ "$stderr" == *"decided approvals stay"* ]] || fail "stderr: $stderr"
	[ "$(crm approval show 2 | jq -r .status)" = approved ]
}

@test "the first wave's approvals are migrated into steps" {
	rm -f "$CRM_DB"
	for f in "$ROOT_DIR"/share/schema/0[01]*.sql "$ROOT_DIR"/share/schema/020-*.sql; do cat "$f"; done | sqlite3 "$CRM_DB"
	sqlite3 "$CRM_DB" "PRAGMA user_version = 20;
		INSERT INTO deal(id, name, amount, currency, pipeline, stage, owner, status, created_at, updated_at)
			VALUES (1, '大单', 50000000, 'CNY', 'default', 'proposal', 'alice', 'open', '2026-01-05T09:00:00+08:00', '2026-01-05T09:00:00+08:00');
		INSERT INTO approval(deal_id, stage, amount, requested_by, requested_at, approved_by, approved_at, status)
			VALUES (1, 'won', 50000000, 'alice', '2026-01-06T09:00:00+08:00', 'dave', '2026-01-06T10:00:00+08:00', 'approved'),
			       (1, 'negotiation', 50000000, 'alice', '2026-01-05T09:30:00+08:00', NULL, NULL, 'used');"
	run --separate-stderr crm approval list --sort id
	assert_success
	[[ "$stderr" == *"migrated"* ]] || fail "stderr: $stderr"
	[ "$(jq -sc 'map([.entity, .step, .role, .status, .stage, .amount, .currency, .by, .at, .deal])' <<<"$output")" = '[["deal:1",1,"manager","approved","won",500000,"CNY","dave","2026-01-06T10:00:00+08:00","大单"],["deal:1",1,"manager","used","negotiation",500000,"CNY",null,null,"大单"]]' ]
	# and the approval is used by the move it was for
	crm config set approval.amount_over 100000 >/dev/null
	run crm --as alice stage move 1 won
	assert_success
	[ "$(crm approval show 1 | jq -r .status)" = used ]
}

@test "export approvals --headers zh: every column has its Chinese header, the first wave's keys too" {
	users
	crm config set approval.amount_over 1000 >/dev/null
	crm --as bob deal add name=大单 amount=5000 >/dev/null
	crm --as dave approve deal:1 >/dev/null
	run --separate-stderr crm export approvals --headers zh
	assert_success
	[[ "${lines[0]}" == *,商机编号,商机名称,批准人,批准时间,* ]] || fail "header: ${lines[0]}"
	[ -z "$(head -1 <<<"$output" | tr , '\n' | grep -E '^[a-z_]+$')" ] || fail "English headers: ${lines[0]}"
}
