#!/usr/bin/env bats
# Settings crm knows: config set refuses a key nobody reads (a typo would be
# saved and silently ignored), crm help config lists every key with its
# default, config get prints the default of an unset key.
load helper

@test "config set refuses an unknown key with exit 2, names the nearest, writes nothing" {
	fresh_db
	run --separate-stderr crm config set agenda.new_lead_hour 12
	assert_failure 2
	[[ "$stderr" == *"'agenda.new_lead_hour' is not a setting crm knows"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"did you mean agenda.new_lead_hours?"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm config set aproval.amount_over 50万
	assert_failure 2
	[[ "$stderr" == *"did you mean approval.amount_over?"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm config set whatever 1
	assert_failure 2
	[ "$(sqlite3 "$CRM_DB" 'SELECT count(*) FROM config')" = 0 ]
	[ "$(sqlite3 "$CRM_DB" "SELECT count(*) FROM audit WHERE entity LIKE 'config:%'")" = 0 ]
}

@test "config set takes the users' families: team.*, import.map.*, x.*, and every known key" {
	fresh_db
	crm config set team.华东 alice,bob
	crm config set import.map.crm1 '姓名=name'
	crm config set x.my.script yes
	crm config set manager.alice boss
	crm config set currency USD   # a currency code; '1' is refused (401-reports-currency)
	for k in db.busy_timeout user.name pool.claim_limit pool.hold_limit pool.protect_days \
		pool.reclaim_days pool.reclaim_no_deal_days pool.remind_days assign.hot_hours \
		assign.first_contact_hours score.sql score.mql score.model score.target_industries \
		score.min_company_size manager approval.amount_over approval.stages agenda.new_lead_hours \
		agenda.stale_deal_days; do
		crm config set "$k" 1 || fail "config set $k refused"
	done
	[ "$(crm config get x.my.script)" = yes ]
	[ "$(crm config get team.华东)" = alice,bob ]
}

@test "config set refuses a value its key cannot take with exit 3, and writes nothing" {
	fresh_db
	crm config set pool.claim_limit 5
	for kv in "pool.claim_limit five" "pool.claim_limit -1" "agenda.stale_deal_days 7d" "score.sql high" \
		"approval.amount_over lots" "approval.contract.amount_over 十块" "approval.discount_over much" \
		"tax.included maybe" "db.busy_timeout soon" "health.risk_below 40.5" "query.timeout 1e3"; do
		set -- $kv
		run --separate-stderr crm config set "$1" "$2"
		assert_failure 3
		[[ "$stderr" == *"$1: '$2' is not "* ]] || fail "$kv: $stderr"
	done
	run --separate-stderr crm config set pool.claim_limit x
	[[ "$stderr" == *"pool.claim_limit: 'x' is not a whole number (0: no limit)"* ]] || fail "stderr: $stderr"
	# the one value set before stays, and only its own audit entry is there
	[ "$(crm config get pool.claim_limit)" = 5 ]
	[ "$(sqlite3 "$CRM_DB" "SELECT count(*) FROM audit WHERE entity LIKE 'config:%'")" = 1 ]
	# what the readers take is taken: amounts as people write them, a
	# percentage with its sign, a span for the lock wait, yes and no
	crm config set approval.amount_over 50万
	crm config set approval.contract.amount_over 1,000,000.50
	crm config set approval.discount_over 15%
	crm config set db.busy_timeout 10s
	crm config set tax.included false
	crm config set score.sql -5
	[ "$(crm config get approval.amount_over)" = 50万 ]
	[ "$(crm config get db.busy_timeout)" = 10s ]
}

@test "the old agenda.first_contact_hours is refused for agenda.new_lead_hours, and still read" {
	fresh_db
	run --separate-stderr crm config set agenda.first_contact_hours 2
	assert_failure 2
	[[ "$stderr" == *"did you mean agenda.new_lead_hours?"* ]] || fail "stderr: $stderr"
	export CRM_NOW=2026-03-02T12:00:00+08:00
	CRM_NOW=2026-03-02T08:00:00+08:00 crm -q lead add name=新线索 >/dev/null
	# 4 hours old: not on the agenda at the default of 24 hours
	run crm agenda
	refute_output --partial new_lead
	crm config set agenda.new_lead_hours 3
	run crm agenda
	[ "$(jq -r 'select(.agenda == "new_lead") | .id' <<<"$output")" = 1 ]
	# a database that has the old name set keeps working
	crm config unset agenda.new_lead_hours
	sqlite3 "$CRM_DB" "INSERT INTO config(key, value) VALUES ('agenda.first_contact_hours', '3')"
	run crm agenda
	[ "$(jq -r 'select(.agenda == "new_lead") | .id' <<<"$output")" = 1 ]
	# the new name wins over the old one
	crm config set agenda.new_lead_hours 5
	run crm agenda
	refute_output --partial new_lead
}

@test "config get prints the default of an unset key; --format jsonl says where a value comes from" {
	fresh_db
	run --separate-stderr crm config get agenda.new_lead_hours
	assert_success
	[ "$output" = 24 ]
	run crm config get currency --format jsonl
	assert_output '{"type":"config","key":"currency","value":"CNY","source":"default"}'
	crm config set currency USD
	run crm config get currency --format jsonl
	assert_output '{"type":"config","key":"currency","value":"USD","source":"database"}'
	# no default: exit 1, nothing printed
	run crm config get approval.amount_over
	assert_failure 1
	assert_output ''
	run crm config list --all
	assert_success
	assert_line '{"type":"config","key":"currency","value":"USD","source":"database"}'
	assert_line '{"type":"config","key":"score.sql","value":"60","source":"default"}'
	assert_line '{"type":"config","key":"approval.amount_over","source":"default"}'
	# without --all, only what is set
	run crm config list
	refute_output --partial score.sql
}

@test "crm help config lists every key crm reads, with its default" {
	run crm help config
	assert_success
	crm config set currency USD   # a currency code; '1' is refused (401-reports-currency)
	for k in db.busy_timeout user.name import.map.NAME x.NAME team.NAME pool.claim_limit \
		pool.hold_limit pool.protect_days pool.reclaim_days pool.reclaim_no_deal_days pool.remind_days \
		assign.hot_hours assign.first_contact_hours score.sql score.mql score.model \
		score.target_industries score.min_company_size manager manager.NAME approval.amount_over \
		approval.stages agenda.new_lead_hours agenda.stale_deal_days; do
		grep -q "^  $k " <<<"$output" || fail "crm help config does not list $k"
	done
	# a key's text may wrap onto lines indented to its column
	joined=$(sed -E ':a;N;$!ba;s/\n {29}/ /g' <<<"$output")
	grep -q "^  agenda.new_lead_hours .*\[24\]" <<<"$joined" || fail "no default for agenda.new_lead_hours"
	grep -q "^  currency .*\[CNY\]" <<<"$joined" || fail "no default for currency"
	grep -q "^  pool.claim_limit .*\[0\]" <<<"$joined" || fail "no default for pool.claim_limit"
	# every key crm's code reads is declared (grep the keys the source reads)
	if [ -d "$ROOT_DIR/lib" ]; then
		for k in $(grep -rhoE 'config_get(_int)?\(c, "[a-z_.]+"' "$ROOT_DIR/lib" "$ROOT_DIR/cmd" |
			sed -E 's/.*"([a-z_.]+)"/\1/' | sort -u); do
			[ "$k" = agenda.first_contact_hours ] && continue   # the old name, read as an alias
			grep -q "^  $k " <<<"$output" || fail "$k is read but not declared"
		done
	fi
}

@test "completion offers the settings crm reads after config get|set|unset" {
	run crm __complete config set agenda.
	assert_success
	assert_line agenda.new_lead_hours
	assert_line agenda.stale_deal_days
	refute_line agenda.first_contact_hours
	run crm __complete config get pool.re
	assert_line pool.reclaim_days
	assert_line pool.remind_days
	run crm __complete config set x
	assert_line x.
}
