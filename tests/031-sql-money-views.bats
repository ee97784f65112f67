#!/usr/bin/env bats
# crm sql and --where speak the same money: major units, money literals
# (50万), and removed records out of the record tables unless asked for.
load helper

local_setup() {
	fresh_db
	crm -q lead add name=张伟 budget=50万 >/dev/null        # 500000 yuan
	crm -q lead add name=李娜 budget=1.5万 >/dev/null       # 15000 yuan
	crm -q lead add name=王芳 budget=¥1200.05 >/dev/null    # 1200.05 yuan
	crm -q lead add name=赵六 budget=80万 >/dev/null        # 800000 yuan, removed below
	crm -q lead rm 4 >/dev/null
}

@test "crm sql shows money in major units, like crm lead list and --where" {
	run crm sql "SELECT id, budget FROM lead ORDER BY id"
	assert_success
	assert_line --index 0 '{"id":1,"budget":500000}'
	assert_line --index 1 '{"id":2,"budget":15000}'
	assert_line --index 2 '{"id":3,"budget":1200.05}'
	# the same numbers lead list prints
	[ "$(crm lead show 3 | jq .budget)" = 1200.05 ]
	# a sum is major units too: 500000 + 15000 + 1200.05 = 516200.05
	run crm sql "SELECT sum(budget) AS s FROM lead"
	assert_output '{"s":516200.05}'
	# the same condition selects the same records in both
	[ "$(crm sql 'SELECT group_concat(id) AS ids FROM lead WHERE budget > 10000' | jq -r .ids)" = 1,2 ]
	[ "$(crm lead list --where 'budget > 10000' | jq -r .id | paste -sd,)" = 1,2 ]
}

@test "removed records are out of crm sql's tables; --removed keeps them; main.TABLE is as stored" {
	[ "$(crm sql 'SELECT count(*) AS n FROM lead' | jq .n)" = 3 ]
	run crm sql --removed "SELECT id, budget, deleted_at IS NOT NULL AS removed FROM lead WHERE id = 4"
	assert_success
	assert_output '{"id":4,"budget":800000,"removed":1}'
	[ "$(crm sql --removed 'SELECT count(*) AS n FROM lead' | jq .n)" = 4 ]
	# the stored table: minor units (fen), every row
	run crm sql "SELECT id, budget FROM main.lead WHERE id IN (1, 4) ORDER BY id"
	assert_line --index 0 '{"id":1,"budget":50000000}'
	assert_line --index 1 '{"id":4,"budget":80000000}'
	run crm sql --raw "SELECT count(*) AS n, sum(budget) AS s FROM lead"
	# 50000000 + 1500000 + 120005 + 80000000 = 131620005 fen
	assert_output '{"n":4,"s":131620005}'
	# joins read the views too: a removed deal's amount is not summed
	crm -q deal add name=云启 amount=10万 lead=1 >/dev/null
	crm -q deal add name=旧单 amount=20万 lead=1 >/dev/null
	crm -q deal rm 2 >/dev/null
	run crm sql "SELECT l.name, sum(d.amount) AS total FROM lead l JOIN deal d ON d.lead_id = l.id GROUP BY l.id"
	assert_output '{"name":"张伟","total":100000}'
}

@test "custom money fields are in major units in crm sql too" {
	crm -q field add deal fee --kind money >/dev/null
	crm -q deal add name=x amount=1万 fee=¥99.5 >/dev/null
	run crm sql "SELECT amount, fee FROM deal"
	assert_output '{"amount":10000,"fee":99.5}'
	run crm sql "SELECT fee FROM main.deal"
	assert_output '{"fee":9950}'
}

@test "money literals: --where \"budget > 50万\", 1.5万, ¥1200, 元, in crm sql too" {
	run crm lead list --where "budget >= 50万"
	assert_success
	[ "$(jq -r .name <<<"$output")" = 张伟 ]
	run crm lead list --where "budget > 1.5万"
	[ "$(jq -r .id <<<"$output" | paste -sd,)" = 1 ]
	run crm lead list --where "budget >= 1.5万 AND budget < 50万"
	[ "$(jq -r .id <<<"$output")" = 2 ]
	run crm lead list --where "budget = ¥1200.05"
	[ "$(jq -r .id <<<"$output")" = 3 ]
	run crm lead list --where "budget = ￥15000 OR budget = 1200.05元"
	[ "$(jq -r .id <<<"$output" | paste -sd,)" = 2,3 ]
	run crm lead list --where "budget > 0.01亿"
	# 0.01亿 = 1000000 yuan: no lead has more
	assert_failure 1
	run crm sql "SELECT group_concat(id) AS ids FROM lead WHERE budget > 1万"
	assert_output '{"ids":"1,2"}'
	# inside a string it is text, not money
	crm -q lead add name=50万 >/dev/null
	[ "$(crm lead list --where "name = '50万'" | jq -r .name)" = 50万 ]
	[ "$(crm sql "SELECT name FROM lead WHERE name = '50万'" | jq -r .name)" = 50万 ]
}

@test "a money literal is only one where it cannot be anything else" {
	# text right after the unit: not a literal, SQLite says what is wrong
	run --separate-stderr crm lead list --where "budget > 50万元以上"
	assert_failure 2
	# a plain number stays a number (major units already)
	run crm lead list --where "budget > 500000"
	assert_failure 1
	run crm lead list --where "budget > 499999.99"
	[ "$(jq -r .id <<<"$output")" = 1 ]
}

@test "crm sql stays read-only with its views; the views are gone after the query" {
	before=$(sqlite3 "$CRM_DB" .dump | md5sum)
	for q in "DROP VIEW lead" "CREATE TEMP VIEW x AS SELECT 1" "INSERT INTO lead(name) VALUES ('x')" \
		"UPDATE lead SET name = 'x'" "DELETE FROM lead" "DROP TABLE main.lead"; do
		run --separate-stderr crm sql "$q"
		assert_failure 5
		[[ "$stderr" == "crm: sql: refused"* ]] || fail "$q: $stderr"
	done
	[ "$(sqlite3 "$CRM_DB" .dump | md5sum)" = "$before" ] || fail "database changed"
	# in crm shell, the commands after crm sql read and write the real tables
	run crm shell <<'EOF2'
sql "SELECT count(*) AS n FROM lead"
lead add name=后来 budget=2万
sql "SELECT budget FROM lead WHERE name = '后来'"
lead list --where "budget = 2万"
EOF2
	assert_line --index 0 '{"n":3}'
	assert_line --index 2 '{"budget":20000}'
	[ "$(jq -r .name <<<"${lines[3]}")" = 后来 ]
	[ "$(sqlite3 "$CRM_DB" "SELECT budget FROM lead WHERE name = '后来'")" = 2000000 ]
	# a database file we may only read works too
	chmod 444 "$CRM_DB"
	run crm sql "SELECT count(*) AS n FROM lead"
	assert_output '{"n":4}'
}

@test "crm help sql says how money and removed records read" {
	run crm help sql
	assert_output --partial "--removed"
	assert_output --partial "main.TABLE"
	assert_output --partial "50万"
}
