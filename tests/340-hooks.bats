#!/usr/bin/env bats
# Hooks: executables named after events get the record after commit.
load helper

local_setup() {
	fresh_db
	mkdir -p "$HOME/.config/crm/hooks"
}

hook() {
	printf '#!/bin/sh\n%s\n' "$2" > "$HOME/.config/crm/hooks/on-$1"
	chmod +x "$HOME/.config/crm/hooks/on-$1"
}

@test "on-lead.created receives the record as a JSON line after commit" {
	hook lead.created "cat > '$BATS_TEST_TMPDIR/got'; crm lead list | wc -l > '$BATS_TEST_TMPDIR/seen'"
	crm lead add name=甲 >/dev/null
	[ "$(jq -r .name "$BATS_TEST_TMPDIR/got")" = 甲 ]
	[ "$(cat "$BATS_TEST_TMPDIR/seen")" -eq 1 ]
}

@test "a hook that exits 1 is reported on stderr; the change stays committed" {
	hook lead.created 'exit 1'
	run --separate-stderr crm lead add name=甲
	assert_success
	[[ "$stderr" == *"on-lead.created"* ]] || fail "stderr: $stderr"
	[ "$(crm lead list | jq -r .name)" = 甲 ]
}

@test "CRM_NO_HOOKS=1 disables hooks; a failed change runs none" {
	hook lead.created "touch '$BATS_TEST_TMPDIR/ran'"
	CRM_NO_HOOKS=1 crm lead add name=甲 >/dev/null
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	run --separate-stderr crm lead add phone=123
	assert_failure 3
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	crm lead add name=乙 >/dev/null
	[ -e "$BATS_TEST_TMPDIR/ran" ]
}

@test "deal.stage_changed and event.tracked hooks" {
	hook deal.stage_changed "cat > '$BATS_TEST_TMPDIR/deal'"
	hook event.tracked "cat > '$BATS_TEST_TMPDIR/event'"
	crm deal add name=ERP >/dev/null
	crm stage move 1 qualified >/dev/null
	[ "$(jq -r .stage "$BATS_TEST_TMPDIR/deal")" = qualified ]
	crm lead add name=甲 >/dev/null
	crm track 1 webinar >/dev/null
	[ "$(jq -r .name "$BATS_TEST_TMPDIR/event")" = webinar ]
}

@test "changes made by rules run their hooks too (automate tick, event rules)" {
	export CRM_NOW=2026-11-23T09:00:00+08:00
	hook lead.updated "cat >> '$BATS_TEST_TMPDIR/upd'"
	crm lead add name=甲 created_at=2026-11-19 >/dev/null
	crm rule add 培育 --on tick --type lead --every 1h --when "days_since(created_at) >= 3" \
		--do 'set status=nurturing' >/dev/null
	crm automate tick >/dev/null
	[ "$(crm lead show 1 | jq -r .status)" = nurturing ]
	[ "$(jq -r .status "$BATS_TEST_TMPDIR/upd" | tail -1)" = nurturing ]
}
