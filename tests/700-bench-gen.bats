#!/usr/bin/env bats
# The benchmark data generator (tests/bench/gen.c): deterministic, the
# spreadsheet it promises, and data crm accepts exactly as the bench loads it.

load helper

setup_file() {
	cc -O2 -std=c11 -Wall -Wextra -Werror -o "$BATS_FILE_TMPDIR/gen" \
		"$BATS_TEST_DIRNAME/bench/gen.c"
}

local_setup() {
	GEN=$BATS_FILE_TMPDIR/gen
	T=$BATS_TEST_TMPDIR
}

HEADER='姓名,手机,邮箱,公司,行业,地区,来源,职位,预算,备注,创建时间'

@test "gen: the same seed gives the same bytes, another seed other bytes" {
	"$GEN" --rows 3000 --seed 5 -o "$T/a.csv"
	"$GEN" --rows 3000 --seed 5 > "$T/b.csv"
	"$GEN" --rows 3000 --seed 6 -o "$T/c.csv"
	cmp "$T/a.csv" "$T/b.csv"
	! cmp -s "$T/a.csv" "$T/c.csv"
	"$GEN" --deals 500 --moves 2600 --seed 5 > "$T/d1.sql"
	"$GEN" --deals 500 --moves 2600 --seed 5 > "$T/d2.sql"
	cmp "$T/d1.sql" "$T/d2.sql"
	"$GEN" --events 500 --leads 90 --seed 5 > "$T/e1"
	"$GEN" --events 500 --leads 90 --seed 5 > "$T/e2"
	cmp "$T/e1" "$T/e2"
}

@test "gen: Chinese header and N records, quoted commas, quotes and newlines parse as CSV" {
	"$GEN" --rows 2000 -o "$T/l.csv"
	[ "$(head -n 1 "$T/l.csv")" = "$HEADER" ]
	sqlite3 "$T/p.db" ".import --csv $T/l.csv raw"
	run sqlite3 "$T/p.db" "SELECT count(*) FROM raw"
	assert_output 2000
	run sqlite3 "$T/p.db" "SELECT group_concat(name, ',') FROM pragma_table_info('raw')"
	assert_output "$HEADER"
	# Every row has a name and a company; notes hold the awkward characters.
	run sqlite3 "$T/p.db" "SELECT count(*) FROM raw WHERE 姓名 = '' OR 公司 = ''"
	assert_output 0
	for pat in "'%' || char(10) || '%'" "'%,%'" "'%\"%'"; do
		run sqlite3 "$T/p.db" "SELECT count(*) > 0 FROM raw WHERE 备注 LIKE $pat"
		assert_output 1
	done
	# Mixed phone formats, as people type them.
	for pat in "'+86 %'" "'0086 %'" "'(86)%'" "'1__-____-____'" "'1__________'"; do
		run sqlite3 "$T/p.db" "SELECT count(*) > 0 FROM raw WHERE 手机 LIKE $pat"
		assert_output 1
	done
}

@test "gen: python's csv module reads the same records" {
	command -v python3 >/dev/null || skip "no python3"
	"$GEN" --rows 1500 --bom --crlf -o "$T/l.csv"
	run python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
assert all(len(r) == 11 for r in rows), "ragged row"
print(len(rows) - 1, rows[0][0])' "$T/l.csv"
	assert_success
	assert_output "1500 姓名"
}

@test "gen: --bom and --crlf write what Excel writes" {
	"$GEN" --rows 400 --bom --crlf -o "$T/l.csv"
	[ "$(head -c 3 "$T/l.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ]
	# Records end in CRLF; line breaks inside notes stay LF.
	[ "$(tr -cd '\r' < "$T/l.csv" | wc -c)" -eq 401 ]
	[ "$(tr -cd '\n' < "$T/l.csv" | wc -c)" -gt 401 ]
	"$GEN" --rows 400 -o "$T/plain.csv"
	[ "$(tail -c +4 "$T/l.csv" | tr -d '\r')" = "$(tr -d '\r' < "$T/plain.csv")" ]
}

@test "gen: --gb18030 is the same text in GB18030" {
	"$GEN" --rows 500 --gb18030 -o "$T/gb.csv"
	"$GEN" --rows 500 -o "$T/u.csv"
	! cmp -s "$T/gb.csv" "$T/u.csv"
	! iconv -f UTF-8 -t UTF-8 "$T/gb.csv" > /dev/null 2>&1
	iconv -f GB18030 -t UTF-8 "$T/gb.csv" > "$T/back.csv"
	cmp "$T/back.csv" "$T/u.csv"
}

@test "gen: about 3% duplicates, which crm's duplicate guard catches one by one" {
	run --separate-stderr "$GEN" --rows 20000 --stats -o "$T/l.csv"
	assert_success
	[[ $stderr =~ ^rows=20000\ persons=([0-9]+)\ duplicates=([0-9]+)$ ]]
	[ $((BASH_REMATCH[1] + BASH_REMATCH[2])) -eq 20000 ]
	[ "${BASH_REMATCH[2]}" -ge 500 ] && [ "${BASH_REMATCH[2]}" -le 700 ]
	# Each duplicate is someone seen before with the phone typed another
	# way (or the email in capitals): crm finds every one, nothing else.
	run --separate-stderr "$GEN" --rows 1000 --stats --seed 3 -o "$T/l.jsonl" --jsonl
	[[ $stderr =~ ^rows=1000\ persons=([0-9]+)\ duplicates=([0-9]+)$ ]]
	persons=${BASH_REMATCH[1]} dups=${BASH_REMATCH[2]}
	[ "$dups" -gt 10 ]
	fresh_db
	run --separate-stderr crm lead add < "$T/l.jsonl"
	assert_failure 4
	[ "$(grep -c 'already belongs to lead:' <<<"$stderr")" -eq "$dups" ]
	run crm sql "SELECT count(*) AS n FROM lead"
	assert_output "{\"n\":$persons}"
}

@test "gen: --sql loads the leads exactly as crm lead add stores the JSON lines" {
	export TZ=Asia/Shanghai
	fresh_db
	"$GEN" --rows 800 --jsonl --seed 9 | crm -q lead add > /dev/null 2>&1 || [ $? -eq 4 ]
	crm -q --db "$T/direct.db" init > /dev/null
	"$GEN" --rows 800 --sql --seed 9 | sqlite3 "$T/direct.db"
	cols="name, phone, email, company, title, industry, region, source, budget, currency, status, note, created_at"
	run sqlite3 "$CRM_DB" "ATTACH '$T/direct.db' AS d;
		SELECT (SELECT count(*) FROM lead), (SELECT count(*) FROM d.lead),
		(SELECT count(*) FROM (SELECT id, $cols FROM lead EXCEPT SELECT id, $cols FROM d.lead))"
	assert_output --regexp '^([0-9]+)\|\1\|0$'
	run sqlite3 "$CRM_DB" "SELECT count(*) > 750 FROM lead"
	assert_output 1
}

@test "gen: --jsonl prints one object per row with English field names" {
	run "$GEN" --rows 300 --jsonl
	assert_success
	[ "${#lines[@]}" -eq 300 ]
	run jq -s -r 'if all(type == "object") then [.[] | keys[]] | unique | join(",") else "not objects" end' <<<"$output"
	assert_output "budget,company,created_at,email,industry,name,note,phone,region,source,title"
}

@test "gen: --deals gives N deals and exactly M stage moves that load into crm" {
	fresh_db
	"$GEN" --deals 801 --moves 4003 | sqlite3 "$CRM_DB"
	run sqlite3 "$CRM_DB" "SELECT count(*) FROM deal; SELECT count(*) FROM stage_history"
	assert_output $'801\n4003'
	# Each deal stands where its last move took it, and its status agrees.
	run sqlite3 "$CRM_DB" "SELECT count(*) FROM deal d WHERE stage IS NOT (SELECT to_stage
		FROM stage_history h WHERE h.deal_id = d.id ORDER BY at DESC, id DESC LIMIT 1)
		OR status != CASE stage WHEN 'won' THEN 'won' WHEN 'lost' THEN 'lost' ELSE 'open' END
		OR probability != (SELECT probability FROM stage WHERE key = d.stage)"
	assert_output 0
	# Each stay carries its deal's creation time, as crm writes it.
	run sqlite3 "$CRM_DB" "SELECT count(*) FROM stage_history h JOIN deal d ON d.id = h.deal_id
		WHERE h.deal_created_at IS NOT d.created_at"
	assert_output 0
	# Histories start at new, and include skips and steps back.
	run sqlite3 "$CRM_DB" "SELECT count(*) FROM stage_history WHERE from_stage IS NULL AND to_stage = 'new'"
	assert_output 801
	run sqlite3 "$CRM_DB" "SELECT count(*) > 0 FROM stage_history WHERE from_stage = 'new' AND to_stage = 'proposal';
		SELECT count(*) > 0 FROM stage_history WHERE from_stage = 'proposal' AND to_stage = 'qualified';
		SELECT count(*) > 0 FROM deal WHERE status = 'lost' AND lost_reason IS NULL"
	assert_output $'1\n1\n0'
	run crm deal show 801
	assert_success
	assert_jsonl
}

@test "gen: --events prints events for crm track, with ids in range" {
	run "$GEN" --events 400 --leads 50
	assert_success
	[ "${#lines[@]}" -eq 400 ]
	run jq -s -r '[.[] | select(.lead >= 1 and .lead <= 50 and (.event | type) == "string"
		and (.at | test("^2026-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\+08:00$")))] | length' <<<"$output"
	assert_output 400
	fresh_db
	"$GEN" --events 400 --leads 50 --sql | sqlite3 "$CRM_DB"
	run sqlite3 "$CRM_DB" "SELECT count(*) FROM event"
	assert_output 400
}

@test "gen: bad options are refused with exit 2 and a message" {
	run --separate-stderr "$GEN" --rows lots
	assert_failure 2
	[[ $stderr == *"--rows: 'lots' is not a number"* ]]
	run --separate-stderr "$GEN" --bom --gb18030
	assert_failure 2
	run --separate-stderr "$GEN" --deals 10 --moves 5
	assert_failure 2
	[[ $stderr == *"--moves must be at least --deals"* ]]
	run --separate-stderr "$GEN" --frobnicate
	assert_failure 2
	[[ $stderr == *"unknown option '--frobnicate'"* ]]
	[ -z "$output" ]
}

@test "gen: --cash loads N signed contracts, 3 plans and 5 payments each, applied as crm applies them" {
	"$GEN" --cash 200 --seed 5 > "$T/c1.sql"
	"$GEN" --cash 200 --seed 5 > "$T/c2.sql"
	cmp "$T/c1.sql" "$T/c2.sql"
	crm -q init >/dev/null
	sqlite3 "$CRM_DB" < "$T/c1.sql"
	run sqlite3 "$CRM_DB" "SELECT (SELECT count(*) FROM contract) || ' ' || (SELECT count(*) FROM plan) || ' ' || (SELECT count(*) FROM payment); PRAGMA foreign_key_check"
	assert_output "200 600 1000"
	# every plan adds up to its contract, every payment is applied whole,
	# no plan takes more than it is for, at least 10% of each contract is open
	run sqlite3 "$CRM_DB" "SELECT
		(SELECT count(*) FROM contract k WHERE amount <> (SELECT sum(amount) FROM plan WHERE contract_id = k.id)),
		(SELECT count(*) FROM payment p WHERE amount <> (SELECT sum(amount) FROM payment_alloc WHERE payment_id = p.id)),
		(SELECT count(*) FROM plan l WHERE amount < (SELECT coalesce(sum(amount), 0) FROM payment_alloc WHERE plan_id = l.id)),
		(SELECT count(*) FROM contract k WHERE (SELECT sum(amount) FROM payment WHERE contract_id = k.id) * 10 > amount * 9)"
	assert_output "0|0|0|0"
	run crm report receivables --as-of 2026-11-01
	assert_success
	# the receivables are what the plans have not received
	[ "$(jq -s 'map(.total * 100) | add | round' <<<"$output")" = "$(sqlite3 "$CRM_DB" "SELECT sum(amount) - (SELECT sum(amount) FROM payment_alloc WHERE date <= '2026-11-01') FROM plan")" ]
}

@test "gen: --bank is a statement crm import payments takes whole, by contract number" {
	crm -q init >/dev/null
	"$GEN" --cash 50 --seed 5 | sqlite3 "$CRM_DB"
	"$GEN" --bank 120 --contracts 50 --seed 5 -o "$T/bank.csv"
	[ "$(head -n 1 "$T/bank.csv")" = "合同编号,回款金额,回款日期,付款方式,流水号,付款方" ]
	run --separate-stderr crm import payments "$T/bank.csv"
	assert_success
	[[ "$stderr" == *"120 inserted, 0 updated, 0 skipped, 0 rejected"* ]] || fail "stderr: $stderr"
	run --separate-stderr "$GEN" --bank 10
	assert_failure 2
}
