#!/usr/bin/env bats
# crm assign: round-robin, least-loaded, mapping rules, first-contact tasks.
load helper

local_setup() {
	fresh_db
	crm config set team.default alice,bob,carol >/dev/null
}

add_leads() {
	for i in $(seq 1 "$1"); do echo "{\"name\":\"客户$i\",\"region\":\"${2:-华北}\"}"; done | crm lead add >/dev/null
}

@test "round-robin over 3 reps: 10 leads 4/3/3, and the next run goes on where it stopped" {
	add_leads 10
	run bash -c 'crm lead list | crm assign --by round-robin'
	assert_success
	[ "${#lines[@]}" -eq 10 ]
	[ "$(crm lead list | jq -r .owner | sort | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' ')" = "alice=4 bob=3 carol=3 " ]
	add_leads 1
	run crm assign 11 --by round-robin
	[ "$(jqo .owner)" = bob ]
}

@test "least-loaded prefers the rep with the fewest open leads and deals" {
	crm deal add name=a owner=alice >/dev/null
	crm deal add name=b owner=alice >/dev/null
	crm deal add name=c owner=bob >/dev/null
	add_leads 2
	run bash -c 'crm lead list | crm assign --by least-loaded'
	assert_success
	[ "$(jq -r .owner <<<"$output" | tr '\n' ' ')" = "carol bob " ]
}

@test "region rules win over the fallback; each assignment makes a first-contact task" {
	crm assign rule add region=华东 owner=dave >/dev/null
	add_leads 2 华东
	add_leads 1 西北
	run bash -c 'crm lead list | crm assign --by region'
	assert_success
	[ "$(jq -r .owner <<<"$output" | tr '\n' ' ')" = "dave dave alice " ]
	[ "$(crm task list | jq -r '.title + "@" + .owner' | sort | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' ')" = "首次联系@alice=1 首次联系@dave=2 " ]
	run crm assign rule list
	[ "$(jqo .owner)" = dave ]
	run crm assign rule rm region=华东
	assert_success
	run crm assign rule list
	assert_failure 1
}

@test "bad input: no --by, unknown method, empty team, bad rules" {
	add_leads 1
	run --separate-stderr crm assign 1
	assert_failure 2
	run --separate-stderr crm assign 1 --by magic
	assert_failure 2
	run --separate-stderr crm assign 1 --by round-robin --team nobody
	assert_failure 2
	run --separate-stderr crm assign rule add color=red owner=x
	assert_failure 2
	run --separate-stderr crm assign rule rm 9
	assert_failure 1
	[ "$(crm lead show 1 | jq -r .owner)" = tester ]
	crm assign rule add region=华南 owner=alice >/dev/null
	run --separate-stderr crm assign rule add region=华南 owner=bob
	assert_failure 4
	[[ "$stderr" == *"region=华南 already goes to alice"* ]] || fail "stderr: $stderr"
	[ "$(crm assign rule list | jq -s 'map(select(.value == "华南")) | length')" = 1 ]
}

@test "assigned again, a lead keeps one first-contact task: moved to the new owner" {
	add_leads 1
	crm config set team.a alice >/dev/null
	crm config set team.b bob >/dev/null
	crm assign 1 --by round-robin --team a >/dev/null
	crm assign 1 --by round-robin --team a >/dev/null
	[ "$(crm task list --all --where "entity = 'lead:1' AND title = '首次联系'" | jq -r .owner | paste -sd,)" = alice ]
	crm assign 1 --by round-robin --team b >/dev/null
	[ "$(crm task list --all --where "entity = 'lead:1' AND title = '首次联系'" | jq -r '.owner + " " + .status' | paste -sd,)" = "bob open" ]
}
