#!/usr/bin/env bats
# crm track and crm score: behaviour events, scoring rules, the default model.
load helper

local_setup() {
	fresh_db
	crm config set score.target_industries 软件,金融 >/dev/null
	crm config set score.min_company_size 200 >/dev/null
}

@test "the default model scores a fixture to the points computed by hand" {
	crm lead add name=甲 industry=软件 company_size=500 title=CEO >/dev/null       # 20+15+15
	crm lead add name=乙 industry=零售 company_size=50 title=销售总监 >/dev/null    # 15
	crm lead add name=丙 industry=金融 title=工程师 >/dev/null                     # 20
	crm lead add name=丁 industry=教育 >/dev/null                                  # 0
	crm track 2 pricing_page_view >/dev/null      # +10
	crm track 2 whitepaper_download >/dev/null    # +10
	crm track 3 webinar >/dev/null                # +20
	crm track 3 demo_request >/dev/null           # +30
	crm track 4 budget_confirmed >/dev/null       # +25
	crm track 4 pricing_page_view >/dev/null      # +10
	run crm score --all
	assert_success
	[ "$(crm lead list --sort id | jq -c '[.name, .score]' | tr '\n' ' ')" = '["甲",50] ["乙",35] ["丙",70] ["丁",35] ' ]
}

@test "--explain shows the rules each lead matched; crossing 60 makes it qualified, logged" {
	crm lead add name=丙 industry=金融 >/dev/null
	crm track 1 webinar >/dev/null
	crm track 1 demo_request >/dev/null
	run --separate-stderr crm score 1 --explain
	assert_success
	[ "$(jq -r '.rule + "=" + (.points|tostring)' <<<"$output" | tr '\n' ' ')" = "target_industry=20 webinar=20 demo_request=30 total=70 " ]
	[ "$(crm lead show 1 | jq -r .status)" = qualified ]
	run crm log --entity lead:1
	assert_output --partial '"after":{"status":"qualified"'
}

@test "score rules: add, list, rm; an injection is refused and changes nothing" {
	run --separate-stderr crm score rule add x --when "1); DROP TABLE lead; --" --points 5
	assert_failure 5
	run --separate-stderr crm score rule add y --when "nosuchfield = 1" --points 5
	assert_failure 2
	run crm score rule list
	[ "${#lines[@]}" -eq 8 ]
	crm score rule add 浙江 --when "region = '浙江'" --points 7 >/dev/null
	crm lead add name=甲 region=浙江 >/dev/null
	run crm score --all
	[ "$(jqo .score)" = 7 ]
	run --separate-stderr crm score rule add 浙江 --when "1" --points 1
	assert_failure 4
	crm score rule rm 浙江 >/dev/null
	run crm score --all
	[ "$(jqo .score)" = 0 ]
	run --separate-stderr crm score rule rm 浙江
	assert_failure 1
	[ "$(crm sql 'SELECT count(*) AS n FROM lead' | jq .n)" = 1 ]
}

@test "track: by id, by phone or email from a pipe; bad lines reported, the rest stored and rescored" {
	crm lead add name=甲 phone=13812345678 >/dev/null
	crm lead add name=乙 email=yi@example.com >/dev/null
	run --separate-stderr bash -c 'printf "%s\n" "{\"phone\":\"138 1234 5678\",\"event\":\"demo_request\",\"page\":\"/demo\"}" "{\"email\":\"YI@example.com\",\"event\":\"webinar\"}" "{\"lead\":99,\"event\":\"webinar\"}" "{\"lead\":1}" | crm track'
	assert_failure 3
	[ "${#lines[@]}" -eq 2 ]
	[[ "$stderr" == *"line 3: no lead with id 99"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"line 4: which event?"* ]] || fail "stderr: $stderr"
	[ "$(crm sql "SELECT props FROM event WHERE id = 1" | jq -r .props)" = '{"page":"/demo"}' ]
	[ "$(crm lead show 1 | jq .score)" = 30 ]
	[ "$(crm lead show 2 | jq .score)" = 20 ]
	[ "$(crm lead list --where "has_event('webinar')" | jq -r .name)" = 乙 ]
	run --separate-stderr crm track 9 webinar
	assert_failure 1
	run --separate-stderr crm track 1
	assert_failure 2
}

@test "track streams a 2,000-line event file: every event stored, matched leads rescored" {
	for i in $(seq 1 20); do echo "{\"name\":\"客户$i\"}"; done | crm lead add >/dev/null
	for i in $(seq 1 2000); do echo "{\"lead\":$(( i % 20 + 1 )),\"event\":\"pricing_page_view\"}"; done > "$BATS_TEST_TMPDIR/ev.jsonl"
	crm track < "$BATS_TEST_TMPDIR/ev.jsonl" >/dev/null
	[ "$(crm sql 'SELECT count(*) AS n FROM event' | jq .n)" = 2000 ]
	[ "$(crm lead list --where 'score = 10' | wc -l)" -eq 20 ]
}

@test "score of a lead that does not exist: exit 1, the others are still scored" {
	crm lead add name=甲 industry=金融 >/dev/null
	crm config set score.target_industries 金融 >/dev/null
	run --separate-stderr crm score 999
	assert_failure 1
	[[ "$stderr" == *"no lead with id 999"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm score 1 999
	assert_failure 1
	[ "$(jqo .score)" = 20 ]
}

@test "a lead.qualified rule that fails rolls the whole scoring back" {
	crm lead add name=甲 >/dev/null
	crm account add name=老客户 >/dev/null
	crm rule add 坏 --on lead.qualified --do 'set account_id=1' >/dev/null
	crm account rm --purge 1 >/dev/null   # the rule fails from now on
	for e in demo_request budget_confirmed webinar; do crm track 1 "$e" --no-score >/dev/null; done
	run --separate-stderr crm score --all
	assert_failure 3
	[[ "$stderr" == *"rule 坏"* ]] || fail "stderr: $stderr"
	[ -z "$output" ]
	[ "$(crm lead show 1 | jq -r '[.score, .status] | join(" ")')" = "0 new" ]
	crm rule rm 坏 >/dev/null
	run crm score --all
	assert_success
	[ "$(crm lead show 1 | jq -r '[.score, .status] | join(" ")')" = "75 qualified" ]
}

@test "score.target_industries may be written with spaces after the commas" {
	crm config set score.target_industries '软件, 制造' >/dev/null
	crm lead add name=甲 industry=制造 >/dev/null
	run crm score --all
	assert_success
	[ "$(jqo .score)" = 20 ]
}
