#!/usr/bin/env bats
# Scores apart from the lead rows, a scoring run as one audit entry that
# crm history reads, events audited per batch and rescored once per
# batch (issue 20); progress lines on a terminal only.
load helper

local_setup() {
	fresh_db
	crm config set score.target_industries 软件 >/dev/null
}

@test "score is a lead field wherever it is read: show, --where, --sort, export, crm sql; crm computes it" {
	crm lead add name=甲 industry=软件 >/dev/null    # 20
	crm lead add name=乙 >/dev/null
	crm track 2 demo_request >/dev/null              # 30
	crm score --all >/dev/null
	[ "$(crm lead show 1 | jq .score)" = 20 ]
	[ "$(crm lead list --where 'score >= 25' | jq -r .name)" = 乙 ]
	[ "$(crm lead list --sort -score | jq -r .name | paste -sd,)" = 乙,甲 ]
	[ "$(crm sql 'SELECT name, score FROM lead ORDER BY id' | jq -c '[.name, .score]' | paste -sd' ')" = '["甲",20] ["乙",30]' ]
	[ "$(crm export leads --format jsonl | jq -s -c 'map(.score)')" = '[20,30]' ]
	# a lead with no score reads 0
	crm lead add name=丙 >/dev/null
	[ "$(crm lead show 3 | jq .score)" = 0 ]
	# it is computed: not set by hand (an export read back just describes it)
	run --separate-stderr crm lead update 1 score=99
	assert_failure 3
	[[ "$stderr" == *"score"*"computed"* ]] || fail "stderr: $stderr"
	[ "$(crm lead show 1 | jq .score)" = 20 ]
	# a change of score is not an edit of the lead
	before=$(crm lead show 2 | jq -r .updated_at)
	crm track 2 webinar >/dev/null
	[ "$(crm lead show 2 | jq .score)" = 50 ]
	[ "$(crm lead show 2 | jq -r .updated_at)" = "$before" ]
}

@test "a scoring run is one audit entry; crm history shows each lead's before and after from it" {
	for i in 1 2 3; do crm lead add name=客户$i industry=软件 >/dev/null; done
	run crm score --all
	assert_success
	[ "${#lines[@]}" -eq 3 ]   # the changed leads, printed
	[ "$(sqlite3 "$CRM_DB" "SELECT count(*) FROM audit WHERE entity LIKE 'lead:%'")" = 3 ]   # their inserts only
	run crm log --entity score --format jsonl
	[ "${#lines[@]}" -eq 1 ]
	[ "$(jqo '[.action, .after.leads, .after.model, .after.changes] | join(" ")')" = "score 3 default ;1:0:20;2:0:20;3:0:20" ]
	crm config set score.target_industries 金融 >/dev/null
	crm score 2 >/dev/null
	run crm history lead:2 --format jsonl
	[ "$(jq -c 'select(.changes.score) | .changes.score' <<<"$output" | paste -sd' ')" = "[0,20] [20,0]" ]
	[ "$(jq -r 'select(.scoring_run) | .summary' <<<"$output" | tail -1)" = "score: 20 → 0" ]
	run crm history lead:1 --format jsonl
	[ "$(jq -c 'select(.changes.score) | .changes.score' <<<"$output" | paste -sd' ')" = "[0,20]" ]
}

@test "track: one audit entry per batch, not per event; each touched lead rescored; rules still fire per event" {
	for i in $(seq 1 20); do echo "{\"name\":\"客户$i\"}"; done | crm -q lead add >/dev/null
	crm rule add 演示 --on event.tracked --when "name = 'demo_request'" --do 'tag add 要演示' >/dev/null
	{ for i in $(seq 1 500); do echo "{\"lead\":$(( i % 20 + 1 )),\"event\":\"pricing_page_view\"}"; done
	  echo '{"lead":3,"event":"demo_request"}'; } > "$BATS_TEST_TMPDIR/ev.jsonl"
	run --separate-stderr crm track < "$BATS_TEST_TMPDIR/ev.jsonl"
	assert_success
	[ "${#lines[@]}" -eq 501 ]   # every event printed
	[ "$(crm sql 'SELECT count(*) AS n FROM event' | jq .n)" = 501 ]
	[ "$(sqlite3 "$CRM_DB" "SELECT count(*) FROM audit WHERE entity LIKE 'event:%'")" = 0 ]
	run crm log --entity track --format jsonl
	[ "$(jq -s 'map(.after.events) | add' <<<"$output")" = 501 ]
	[ "$(jq -s 'map(.after.first_id) | min' <<<"$output")" = 1 ]
	[ "$(jq -s 'map(.after.last_id) | max' <<<"$output")" = 501 ]
	[ "$(crm lead list --where 'score = 10' | wc -l)" -eq 19 ]   # pricing_page_view +10
	[ "$(crm lead show 3 | jq .score)" = 40 ]                    # and demo_request +30
	[ "$(crm lead list --tag 要演示 | jq -r .id)" = 3 ]
	# an event of a lead that is not there: the line is refused, the rest stored
	run --separate-stderr bash -c "printf '%s\n' '{\"lead\":99,\"event\":\"webinar\"}' '{\"lead\":1,\"event\":\"webinar\"}' | crm track"
	assert_failure 3
	[[ "$stderr" == *"line 1: no lead with id 99"* ]] || fail "stderr: $stderr"
	[ "$(crm sql 'SELECT count(*) AS n FROM event' | jq .n)" = 502 ]
}

@test "a set of leads is scored as --all scores them: removed events, leads without any, a rule's own score action" {
	for i in 1 2 3 4 5; do crm lead add name=客户$i >/dev/null; done
	crm lead update 5 industry=软件 >/dev/null
	printf '%s\n' '{"lead":1,"event":"webinar"}' '{"lead":2,"event":"demo_request"}' '{"lead":2,"event":"webinar"}' \
		'{"lead":4,"event":"webinar"}' '{"lead":4,"event":"webinar"}' | crm -q track >/dev/null
	sqlite3 "$CRM_DB" "UPDATE event SET deleted_at = '2026-01-02T00:00:00+08:00' WHERE lead_id = 2 AND name = 'webinar'"
	set=$(crm score 1 2 3 4 5 --explain | jq -c '[.lead, .rule, .points]' | paste -sd' ')
	all=$(crm score --all --explain | jq -c '[.lead, .rule, .points]' | paste -sd' ')
	[ "$set" = "$all" ]
	[ "$(crm score 2 3 4 5 >/dev/null; crm lead list --sort id | jq -c '[.id, .score]' | paste -sd' ')" = "[1,20] [2,30] [3,0] [4,20] [5,20]" ]
	# a rule's score action while a stream rescores its own leads
	crm rule add 重算 --on event.tracked --when "name = 'budget_confirmed'" --do score >/dev/null
	printf '%s\n' '{"lead":3,"event":"pricing_page_view"}' '{"lead":5,"event":"budget_confirmed"}' '{"lead":1,"event":"demo_request"}' \
		| crm -q track >/dev/null
	[ "$(crm lead list --sort id | jq -c '[.id, .score]' | paste -sd' ')" = "[1,50] [2,30] [3,10] [4,20] [5,45]" ]
	[ "$(crm score --all | wc -l)" -eq 0 ]   # nothing left to change
}

@test "progress lines: never in a pipe or a file, nor with -q; on a terminal for a long command" {
	awk 'BEGIN { print "姓名,手机,备注"; for (i = 1; i <= 500000; i++) printf "客户%d,139%08d,第%d行\n", i, i, i }' > "$BATS_TEST_TMPDIR/big.csv"
	crm import leads "$BATS_TEST_TMPDIR/big.csv" 2> "$BATS_TEST_TMPDIR/err" > /dev/null
	! grep -q $'\r\|\033' "$BATS_TEST_TMPDIR/err" || fail "a progress line in a file: $(cat -v "$BATS_TEST_TMPDIR/err")"
	crm -q search 客户1 2>&1 | { ! grep -q $'\r'; } || fail "progress in a pipe"
	crm score --all 2>&1 >/dev/null | { ! grep -q $'\r'; } || fail "progress in a pipe"
	# on a terminal (script gives the command one) it is drawn, and ends with a newline
	fresh=$BATS_TEST_TMPDIR/tty.db
	CRM_DB=$fresh crm -q init
	CRM_DB=$fresh script -qec "crm import leads '$BATS_TEST_TMPDIR/big.csv' > /dev/null" /dev/null > "$BATS_TEST_TMPDIR/tty" 2>&1
	grep -q $'\r\033\\[K.*big.csv: [0-9]* rows' "$BATS_TEST_TMPDIR/tty" || fail "no progress on a terminal: $(cat -v "$BATS_TEST_TMPDIR/tty" | head -c 600)"
	# and -q keeps it off there too
	CRM_DB=$BATS_TEST_TMPDIR/tty2.db script -qec "crm -q import leads '$BATS_TEST_TMPDIR/big.csv' > /dev/null" /dev/null > "$BATS_TEST_TMPDIR/tty2" 2>&1
	! grep -q $'\r' "$BATS_TEST_TMPDIR/tty2" || fail "progress with -q: $(cat -v "$BATS_TEST_TMPDIR/tty2" | head -c 300)"
}
