#!/usr/bin/env bats
# CLI.md 8.1: users, roles, teams, the acting user, settings are the admin's.

load helper

# An admin, a manager of team east, two reps in it, a rep in west.
team() {
	fresh_db
	team_users --label 王经理
	crm user add erin --role rep --team west >/dev/null
}

@test "user add: a user record, audited; the first must be an admin (exit 2, nothing added)" {
	fresh_db
	run crm user add bob --role rep
	assert_failure 2
	assert_output --partial "first user must be an admin"
	run crm sql "SELECT count(*) AS n FROM \"user\""
	assert_output '{"n":0}'
	run --separate-stderr crm user add alice --role admin --label 管理员 email=alice@example.com
	assert_success
	assert_jsonl
	[ "$(jqo .type)" = user ] && [ "$(jqo .name)" = alice ] && [ "$(jqo .role)" = admin ]
	[ "$(jqo .status)" = active ] && [ "$(jqo .label)" = 管理员 ]
	run crm --as alice log --entity user:1
	assert_output --partial '"action":"insert"'
}

@test "user add from a pipe in single-user mode: the first is the admin, the rest follow in the same command" {
	fresh_db
	run bash -c "printf '%s\n' '{\"name\":\"alice\",\"role\":\"admin\"}' '{\"name\":\"bob\",\"role\":\"rep\"}' | crm user add"
	assert_success
	[ "$(echo "$output" | jq -r .name | tr '\n' ' ')" = "alice bob " ]
	# the next command is someone's again
	run crm user add carol --role rep
	assert_failure 5
}

@test "user add: --role is needed (2), a role must be one of six (3), names are unique (4)" {
	team
	run crm user add zed
	assert_failure 2
	assert_output --partial -- "--role"
	run crm user add zed --role boss
	assert_failure 3
	assert_output --partial "role: 'boss' is not one of admin,manager,rep,finance,service,legal"
	run crm user add carol --role rep
	assert_failure 4
	assert_output --partial "there is a user carol already"
	run crm user add "a b" --role rep
	assert_failure 3
	run crm user add zed --role rep --manager nobody
	assert_failure 3
	assert_output --partial "manager: no active user 'nobody'"
	run crm user list --where "name = 'zed'"
	assert_failure 1
}

@test "user add from JSON lines on stdin; user list filters and pipes" {
	team
	run bash -c "printf '%s\n' '{\"name\":\"fin\",\"role\":\"finance\"}' '{\"name\":\"sam\",\"role\":\"service\",\"team\":\"care\"}' | crm user add"
	assert_success
	[ "$(echo "$output" | wc -l)" -eq 2 ]
	run crm user list --role rep
	assert_success
	[ "$(echo "$output" | jq -r .name | tr '\n' ' ')" = "bob carol erin " ]
	run crm user list --team east --role rep
	[ "$(echo "$output" | jq -r .name | tr '\n' ' ')" = "bob carol " ]
	run bash -c "crm user list --team care | crm user show"
	assert_success
	[ "$(jqo .name)" = sam ]
}

@test "user show by name or id; unknown is exit 1" {
	team
	run crm user show dave
	assert_success
	[ "$(jqo .label)" = 王经理 ]
	run crm user show user:3
	[ "$(jqo .name)" = carol ]
	run crm user show nobody
	assert_failure 1
	assert_output --partial "no user named 'nobody'"
}

@test "user update: role, team, manager; a name cannot change (3); the last admin stays (4)" {
	team
	run crm user update erin --team east --manager dave
	assert_success
	[ "$(jqo .team)" = east ] && [ "$(jqo .manager)" = dave ]
	run crm user update erin name=erina
	assert_failure 3
	run crm user update alice --role rep
	assert_failure 4
	assert_output --partial "no admin"
	run crm user show alice
	[ "$(jqo .role)" = admin ]
	run bash -c "crm user list --team east --role rep | crm user update --label 销售"
	assert_success
	[ "$(echo "$output" | jq -r .label | sort -u)" = 销售 ]
}

@test "user rm: a user who owns records is refused (4); one who owns nothing goes" {
	team
	crm lead add name=甲 --owner bob >/dev/null
	run crm user rm bob
	assert_failure 4
	assert_output --partial "bob owns 1 record"
	run crm user rm erin
	assert_success
	[ "$(jqo .name)" = erin ]
	run crm --as erin lead list
	assert_failure 5
}

@test "users are the admin's: a rep may not add, change or remove one (5), nothing changes" {
	team
	run crm --as carol user add zed --role rep
	assert_failure 5
	assert_output --partial "settings are the admin's"
	run crm --as dave user update carol --role manager
	assert_failure 5
	run crm --as carol user rm erin
	assert_failure 5
	run crm --as carol tag add user:4 vip
	assert_failure 5
	run crm user show carol
	[ "$(jqo .role)" = rep ]
	run crm user list --where "name = 'zed'"
	assert_failure 1
	# reading them is everyone's
	run crm --as carol user list
	assert_success
}

@test "the acting user: without users anyone (--as, CRM_USER); with users an unknown or departed one gets 5" {
	fresh_db
	run crm --as whoever lead add name=甲
	assert_success
	[ "$(jqo .owner)" = whoever ]
	crm user add alice --role admin >/dev/null
	run crm --as whoever lead list
	assert_failure 5
	assert_output --partial "'whoever' is not a user of this database"
	run crm lead list   # CRM_USER=tester is no user either
	assert_failure 5
	run crm --as whoever config get currency
	assert_failure 5
	# help and version still answer
	run crm --as whoever help lead
	assert_success
	run crm --as whoever version
	assert_success
	run crm --as alice lead list
	assert_success
	CRM_USER=alice run crm lead list
	assert_success
}

@test "team list and team show: members and manager; show pipes into user commands" {
	team
	run --separate-stderr crm team list
	assert_success
	assert_jsonl
	[ "$(echo "$output" | jq -r 'select(.name == "east") | "\(.members) \(.manager)"')" = "3 dave" ]
	[ "$(echo "$output" | jq -r 'select(.name == "west") | .members')" = 1 ]
	run --separate-stderr crm team show east
	assert_success
	assert_jsonl
	[ "$(echo "$output" | jq -r '"\(.type) \(.name) \(.role)"' | tr '\n' ' ')" = "user bob rep user carol rep user dave manager " ]
	run bash -c "crm team show east | crm user update --label 东区"
	assert_success
	[ "$(echo "$output" | jq -r .label | sort -u)" = 东区 ]
	# a manager named from another team is shown with the team they manage
	crm user add wen --role manager --team hq >/dev/null
	crm user update erin --manager wen >/dev/null
	run crm team show west
	[ "$(echo "$output" | jq -r .name | tr '\n' ' ')" = "erin wen " ]
	run crm team show nowhere
	assert_failure 1
}

@test "settings are the admin's once users exist: config, field, pipeline, stage, rule, score rule, assign rule, merge (5)" {
	team
	crm lead add name=甲 phone=13800000001 --owner carol >/dev/null
	crm lead add name=甲 phone=13800000002 --owner carol >/dev/null
	for cmd in "config set currency USD" "config unset currency" "field add lead budget2" \
		"pipeline add p2" "stage add demo" "stage rm new" \
		"rule add r1 --on lead.created --do score" "rule rm r1" \
		"score rule add big --when 1 --points 5" "score rule rm decision_maker" \
		"assign rule add region=华东 owner=carol" "assign rule rm region=华东" "merge lead 1 2"; do
		run crm --as carol $cmd
		[ "$status" -eq 5 ] || fail "crm $cmd as a rep: exit $status, not 5: $output"
		run crm --as dave $cmd
		[ "$status" -eq 5 ] || fail "crm $cmd as a manager: exit $status, not 5"
	done
	run crm config get currency
	assert_output CNY   # the default: nothing was set
	run crm field list lead
	assert_failure 1
	# the admin may
	run crm config set currency USD
	assert_success
	run crm rule add r1 --on lead.created --do score
	assert_success
	# and reading settings stays open
	run crm --as carol rule list
	assert_success
}

@test "crm sql is for admin and manager only (5 for others)" {
	team
	crm user add fin --role finance >/dev/null
	run crm --as carol sql "SELECT 1 AS x"
	assert_failure 5
	assert_output --partial "for admins and managers"
	run crm --as fin sql "SELECT 1 AS x"
	assert_failure 5
	run crm --as dave sql "SELECT 1 AS x"
	assert_output '{"x":1}'
	run crm --as alice sql "SELECT 1 AS x"
	assert_output '{"x":1}'
}

@test "restore of another's record is the admin's (5); one's own is one's own" {
	team
	crm --as carol lead add name=甲 >/dev/null
	crm --as carol lead rm 1 >/dev/null
	crm --as dave lead add name=乙 >/dev/null
	crm --as dave lead update 2 owner=carol >/dev/null
	crm --as carol lead rm 2 >/dev/null
	run crm --as carol restore lead:1
	assert_success
	# carol owns lead:2 but dave made... it is carol's: hers to restore; a
	# manager restoring a team member's record needs an admin
	crm --as carol lead rm 1 >/dev/null
	run crm --as dave restore lead:1
	assert_failure 5
	assert_output --partial "restoring another's record is for an admin"
	run crm --as carol lead list --removed
	[ "$(echo "$output" | jq -r .id | tr '\n' ' ')" = "1 2 " ]
	run crm restore lead:1
	assert_success
}

@test "crm shell: each line is checked as the user it runs as" {
	team
	crm --as carol lead add name=甲 >/dev/null
	run bash -c "printf '%s\n' 'lead list --as carol' 'lead list --as nobody' 'lead list --as erin' | crm shell"
	[ "$(echo "$output" | grep -c '"type":"lead"')" -eq 1 ]
	assert_output --partial "'nobody' is not a user"
}

@test "help, completion and man pages know the new commands" {
	run crm help user
	assert_success
	assert_output --partial "crm user leave NAME (--to USER | --to-pool)"
	run crm __complete user ''
	assert_output --partial leave
	run crm __complete pool ''
	assert_output --partial claim
	run crm __complete share ''
	assert_output --partial rm
	run crm __complete field add --
	assert_output --partial -- "--sensitive"
	for c in user team share pool; do
		[ -f "$ROOT_DIR/share/man/man1/crm-$c.1" ] || fail "no man page for crm $c"
	done
}
