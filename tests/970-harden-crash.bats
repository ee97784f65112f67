#!/usr/bin/env bats
# Crash consistency: kill -9 at a random point of an import, a piped
# update, a scoring run and a pipe of stage moves; then the database
# checks clean, the work finishes (import --resume, the same pipe again)
# and ends exactly where an uninterrupted run ends, the audit log with it.
# (user leave joins these once the team model is in this tree.)

load helper

N=1500

local_setup() {
	fresh_db
	{
		echo "name,phone,region,budget"
		for i in $(seq 1 $N); do
			printf '客户%d,139%08d,%s,%d\n' "$i" "$i" "$([ $((i % 3)) = 0 ] && echo 上海 || echo 北京)" "$((i * 10))"
		done
	} > "$BATS_TEST_TMPDIR/leads.csv"
	REF="$BATS_TEST_TMPDIR/ref.db"
}

# Run "$@" in the background and kill -9 it after a random 0.2-1.4 s.
kill_at_random() {
	"$@" >/dev/null 2>&1 &
	local pid=$!
	sleep "0.$((RANDOM % 9 + 2))"
	[ $((RANDOM % 2)) = 0 ] && sleep 0.5
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

assert_check_clean() {
	run crm check
	assert_success
	[ "$(echo "$output" | jq -r .result | sort -u)" = ok ] || fail "check: $output"
}

# The leads as text, to compare two databases.
leads_of() {
	sqlite3 "$1" "SELECT l.name, l.phone, l.region, l.budget, l.status, coalesce(s.score, 0) FROM lead AS l
		LEFT JOIN lead_score AS s ON s.id = l.id WHERE l.deleted_at IS NULL ORDER BY l.phone"
}

@test "kill -9 during import: check clean, --resume finishes, same as an uninterrupted import" {
	kill_at_random crm import lead "$BATS_TEST_TMPDIR/leads.csv" --batch 100
	assert_check_clean
	run --separate-stderr crm -q import lead "$BATS_TEST_TMPDIR/leads.csv" --resume
	[ "$status" = 0 ] || [ "$status" = 4 ] || fail "resume: $status $stderr"
	CRM_DB="$REF" crm -q init
	CRM_DB="$REF" crm -q import lead "$BATS_TEST_TMPDIR/leads.csv" --batch 100
	[ "$(leads_of "$CRM_DB" | md5sum)" = "$(leads_of "$REF" | md5sum)" ] || fail "not the same leads: $(leads_of "$CRM_DB" | wc -l) vs $(leads_of "$REF" | wc -l)"
	# every lead inserted once, by the one run, which is audited once (an
	# import's audit is per run: issue 20)
	run sqlite3 "$CRM_DB" "SELECT count(*), count(DISTINCT import_run) FROM lead"
	assert_output "$N|1"
	run sqlite3 "$CRM_DB" "SELECT count(*) FROM audit WHERE action = 'import' AND json_extract(after, '\$.inserted') > 0"
	assert_output 1
	assert_check_clean
}

@test "kill -9 during a piped update: check clean, the same pipe again ends as one run" {
	crm -q import lead "$BATS_TEST_TMPDIR/leads.csv"
	cp "$CRM_DB" "$REF"
	kill_at_random sh -c 'crm lead list --format jsonl | crm lead update status=working region=深圳'
	assert_check_clean
	crm lead list --format jsonl --where "status != 'working'" | crm -q lead update status=working region=深圳 >/dev/null || true
	CRM_DB="$REF" sh -c 'crm lead list --format jsonl | crm -q lead update status=working region=深圳' >/dev/null
	[ "$(leads_of "$CRM_DB" | md5sum)" = "$(leads_of "$REF" | md5sum)" ] || fail "not the same leads"
	# each lead changed once, each change audited once
	run sqlite3 "$CRM_DB" "SELECT count(*) FROM audit WHERE action = 'update' AND entity LIKE 'lead:%'"
	assert_output "$N"
}

@test "kill -9 during scoring: check clean, scoring again ends as one run" {
	crm -q import lead "$BATS_TEST_TMPDIR/leads.csv"
	crm score rule add 上海 --when "region = '上海'" --points 20 >/dev/null
	crm score rule add 预算 --when "budget > 10000" --points 15 >/dev/null
	cp "$CRM_DB" "$REF"
	kill_at_random crm score --all
	assert_check_clean
	crm -q score --all >/dev/null || true
	CRM_DB="$REF" crm -q score --all >/dev/null
	[ "$(leads_of "$CRM_DB" | md5sum)" = "$(leads_of "$REF" | md5sum)" ] || fail "not the same scores"
	q="SELECT count(*) FROM audit WHERE action = 'update' AND entity LIKE 'lead:%'"
	[ "$(sqlite3 "$CRM_DB" "$q")" = "$(sqlite3 "$REF" "$q")" ] || fail "audit differs"
}

@test "kill -9 during a pipe of stage moves: check clean, history and funnel agree" {
	for i in $(seq 1 400); do echo "{\"name\":\"商机$i\",\"amount\":$((i * 100))}"; done | crm -q deal add >/dev/null
	cp "$CRM_DB" "$REF"
	kill_at_random sh -c 'crm deal list --format jsonl | crm stage move qualified'
	assert_check_clean
	crm deal list --format jsonl --stage new | crm -q stage move qualified >/dev/null || true
	CRM_DB="$REF" sh -c 'crm deal list --format jsonl | crm -q stage move qualified' >/dev/null
	deals_of() {
		sqlite3 "$1" "SELECT id, stage, amount FROM deal ORDER BY id"
	}
	[ "$(deals_of "$CRM_DB" | md5sum)" = "$(deals_of "$REF" | md5sum)" ] || fail "not the same deals"
	# one open stay per deal, in the stage it is in
	run sqlite3 "$CRM_DB" "SELECT count(*) FROM deal d WHERE (SELECT count(*) FROM stage_history h WHERE h.deal_id = d.id AND h.left_at IS NULL) != 1"
	assert_output 0
	# the funnel's running totals are what the deals add up to
	a=$(crm report funnel --format jsonl | jq -c '[.stage, .deals, .amount]')
	b=$(CRM_DB="$REF" crm report funnel --format jsonl | jq -c '[.stage, .deals, .amount]')
	[ "$a" = "$b" ] || fail "funnel: $a vs $b"
}
