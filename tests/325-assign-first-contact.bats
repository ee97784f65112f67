#!/usr/bin/env bats
# The first-contact task: done when the lead is called (or met, visited,
# mailed, messaged) or converted; a missed deadline survives reassignment;
# a converted lead is not assigned again by mistake.
load helper

local_setup() {
	export CRM_NOW='2026-03-02 10:00'
	fresh_db
	crm config set team.sales alice,bob >/dev/null
	crm lead add name=甲 company=甲公司 >/dev/null
	crm lead add name=乙 >/dev/null
	crm assign 1 2 --by round-robin --team sales >/dev/null
}

first_contact() {
	crm task list --all --for "lead:$1" | jq -r 'select(.title == "首次联系") | "\(.status) \(.owner) \(.due)"'
}

@test "a call on the lead closes its first-contact task; a plain note does not" {
	[ "$(first_contact 1)" = "open alice 2026-03-03T10:00:00+08:00" ]
	crm note lead:1 "查了公司资料" >/dev/null
	[ "$(first_contact 1)" = "open alice 2026-03-03T10:00:00+08:00" ]
	CRM_NOW='2026-03-02 15:00' crm note lead:1 "打通了，约了下周见" --type call >/dev/null
	[ "$(first_contact 1)" = "done alice 2026-03-03T10:00:00+08:00" ]
	[ "$(crm task show 1 | jq -r .done_at)" = "2026-03-02T15:00:00+08:00" ]
	# the agenda has nothing left to say about it
	[ "$(CRM_USER=alice crm agenda --date 2026-03-03 | jq -r 'select(.type == "task") | .title')" = "" ]
	# the other lead's task is untouched
	[ "$(first_contact 2)" = "open bob 2026-03-03T10:00:00+08:00" ]
	# a visit that comes in by import counts too
	printf 'entity,kind,text\nlead:2,visit,上门拜访\n' > "$BATS_TEST_TMPDIR/a.csv"
	crm import activities "$BATS_TEST_TMPDIR/a.csv" 2>/dev/null
	[ "$(first_contact 2)" = "done bob 2026-03-03T10:00:00+08:00" ]
}

@test "converting the lead closes its first-contact task" {
	run --separate-stderr crm lead convert 1
	assert_success
	[ "$(first_contact 1)" = "done alice 2026-03-03T10:00:00+08:00" ]
	[ "$(first_contact 2)" = "open bob 2026-03-03T10:00:00+08:00" ]
}

@test "assign on a converted lead refuses (exit 4) unless --force, which makes no first-contact task" {
	crm lead convert 1 >/dev/null
	run --separate-stderr crm assign 1 --by round-robin --team sales
	assert_failure 4
	[[ "$stderr" == *"lead:1 is converted"*"--force"* ]] || fail "stderr: $stderr"
	[ "$(crm lead show 1 | jq -r .owner)" = alice ]
	# from a pipe: the converted one is refused, the others assigned (exit 4 at the end)
	run --separate-stderr bash -c 'crm lead list | crm assign --by round-robin --team sales'
	assert_failure 4
	[ "$(crm lead show 1 | jq -r .owner)" = alice ]
	[ "$(jq -r .id <<<"$output")" = 2 ]
	crm config set team.one carol >/dev/null
	run --separate-stderr crm assign 1 --by round-robin --team one --force
	assert_success
	[ "$(jqo .owner)" = carol ]
	[ "$(crm task list --for lead:1 | wc -l)" = 0 ]
}

@test "re-assigning keeps an overdue first-contact task's due time; one not yet due gets a new deadline" {
	crm config set team.one carol >/dev/null
	crm config set team.two dave >/dev/null
	# two days later lead 1's deadline (2026-03-03 10:00) has passed
	export CRM_NOW='2026-03-04 09:00'
	run crm assign 1 --by round-robin --team one
	[ "$(jqo .owner)" = carol ]
	[ "$(first_contact 1)" = "open carol 2026-03-03T10:00:00+08:00" ]
	[ "$(crm task list --overdue | jq -r 'select(.entity == "lead:1") | .owner')" = carol ]
	[ "$(CRM_USER=carol crm agenda | jq -r 'select(.type == "task") | .agenda + " " + .when')" = "overdue 1 day late" ]
	# a lead whose task is not late yet: the new owner gets the usual 24 hours
	crm lead add name=丙 >/dev/null
	crm assign 3 --by round-robin --team one >/dev/null
	[ "$(first_contact 3)" = "open carol 2026-03-05T09:00:00+08:00" ]
	CRM_NOW='2026-03-04 12:00' crm assign 3 --by round-robin --team two >/dev/null
	[ "$(first_contact 3)" = "open dave 2026-03-05T12:00:00+08:00" ]
	# one first-contact task a lead, whoever has it
	[ "$(crm task list --all | jq -r 'select(.title == "首次联系") | .entity' | sort | uniq -d)" = "" ]
}
