#!/usr/bin/env bats
# CLI.md 8.1: crm assign, assign rules and rule actions draw reps from the
# active users with role rep (of --team T); team.NAME config entries serve
# while no users exist.

load helper

local_setup() {
	fresh_db
	team_users
	crm user add erin --role rep --team west >/dev/null
	crm user add gone --role rep --team east >/dev/null
	crm user leave gone --to bob >/dev/null
	# config entries no longer count once users exist
	crm config set team.default zed,yan >/dev/null
}

add_leads() {
	for i in $(seq 1 "$1"); do echo "{\"name\":\"客户$i\",\"owner\":\"\"}"; done | crm lead add >/dev/null
}

@test "assign --by round-robin: the active reps, in name order; not managers, not the departed" {
	add_leads 6
	run bash -c 'crm pool list --type lead | crm assign --by round-robin'
	assert_success
	[ "$(echo "$output" | jq -r .owner | tr '\n' ' ')" = "bob carol erin bob carol erin " ]
}

@test "assign --team T: the reps of that team" {
	add_leads 4
	run bash -c 'crm pool list --type lead | crm assign --by round-robin --team east'
	assert_success
	[ "$(echo "$output" | jq -r .owner | tr '\n' ' ')" = "bob carol bob carol " ]
	add_leads 1
	run crm assign 5 --by round-robin --team nowhere
	assert_failure 2
	assert_output --partial "no active users with role rep"
}

@test "assign --by least-loaded counts the reps' open leads and deals" {
	crm deal add name=a --owner bob >/dev/null
	crm deal add name=b --owner carol >/dev/null
	add_leads 1
	run crm assign 1 --by least-loaded
	[ "$(jqo .owner)" = erin ]
}

@test "a rule's assign action draws from the users too" {
	crm rule add spread --on lead.created --do "assign --by round-robin --team east" >/dev/null
	run crm --as carol lead add name=新客户
	assert_success
	run crm lead show 1
	[ "$(jqo .owner)" = bob ]
	# and "manager" in a rule is the owner's manager as a user
	crm rule add tell --on lead.updated --when "status = 'qualified'" --do "task 帮忙看看 --owner manager" >/dev/null
	crm --as bob lead update 1 status=qualified >/dev/null
	run crm task list --where "title = '帮忙看看'"
	[ "$(jqo .owner)" = dave ]
}

@test "without users, team.NAME config entries still serve" {
	rm -f "$CRM_DB"
	fresh_db
	crm config set team.default zed,yan >/dev/null
	crm lead add name=甲 >/dev/null
	run crm assign 1 --by round-robin
	[ "$(jqo .owner)" = zed ]
}
