#!/usr/bin/env bats
# The cash layer's events, help, completion and man pages (CLI.md 8.2).
load helper

local_setup() {
	export CRM_NOW='2026-03-02 10:00'
	fresh_db
}

@test "every cash event is one crm rule add --on accepts" {
	for ev in quote.sent quote.accepted quote.expired contract.submitted contract.approved contract.rejected \
		contract.signed contract.expiring order.delivered plan.due plan.overdue payment.received invoice.issued \
		approval.requested approval.approved approval.rejected; do
		run --separate-stderr crm rule add "r-$ev" --on "$ev" --do 'tag add x'
		[ "$status" -eq 0 ] || [[ "$stderr" == *"has no tags"* ]] || fail "$ev: $stderr"
		[[ "$stderr" != *"not an event"* ]] || fail "$ev: $stderr"
	done
}

@test "hooks see the events with the record as it reads (quote.sent, quote.accepted, contract.submitted, invoice.issued)" {
	mkdir -p "$HOME/.config/crm/hooks"
	for ev in quote.sent quote.accepted contract.submitted contract.approved invoice.issued order.delivered; do
		printf '#!/bin/sh\n{ printf "%%s " "$CRM_EVENT"; jq -c "[.type, .id, .status]"; } >> "%s/events"\n' \
			"$BATS_TEST_TMPDIR" > "$HOME/.config/crm/hooks/on-$ev"
		chmod +x "$HOME/.config/crm/hooks/on-$ev"
	done
	crm deal add name=甲 amount=100 >/dev/null
	crm quote add --deal 1 >/dev/null
	crm quote line add 1 name=服务 price=100 >/dev/null
	crm quote send 1 >/dev/null
	crm quote accept 1 >/dev/null
	crm contract add --quote 1 start=2026-03-01 end=2026-12-31 >/dev/null
	crm contract submit 1 >/dev/null
	crm contract sign 1 >/dev/null
	crm invoice add --contract 1 amount=100 >/dev/null
	crm invoice issue 1 >/dev/null
	crm order add --contract 1 >/dev/null
	crm order update 1 status=delivering >/dev/null
	crm order update 1 status=delivered >/dev/null
	run cat "$BATS_TEST_TMPDIR/events"
	assert_output - <<-'EOF'
	quote.sent ["quote",1,"sent"]
	quote.accepted ["quote",1,"accepted"]
	contract.submitted ["contract",1,"draft"]
	contract.approved ["contract",1,"approved"]
	invoice.issued ["invoice",1,"issued"]
	order.delivered ["order",1,"delivered"]
	EOF
}

@test "help, --help, completion and man pages for the cash commands" {
	for cmd in product quote contract order plan payment invoice approval; do
		run crm help $cmd
		assert_success
		run crm $cmd --help
		assert_success
		[ -f "$ROOT_DIR/share/man/man1/crm-$cmd.1" ] || fail "no man page for $cmd"
	done
	run crm __complete quote ''
	for v in add list show update rm send accept reject revise print line; do assert_line "$v"; done
	run crm __complete quote line ''
	for v in add list update rm; do assert_line "$v"; done
	run crm __complete contract ''
	for v in submit sign terminate renew; do assert_line "$v"; done
	run crm __complete report ''
	for v in receivables revenue products; do assert_line "$v"; done
	run crm __complete plan split --
	assert_line --partial -- '--parts'
	run crm __complete approval list --
	assert_line --partial -- '--mine'
}
