#!/usr/bin/env bats
# Money below zero is a typo (or a sign lost in a spreadsheet) unless a field
# is declared for it: amount=-10万 is refused, exit 3, naming the field.
load helper

@test "a negative amount or budget is refused with exit 3 naming the field; nothing is written" {
	fresh_db
	run --separate-stderr crm deal add name=云启 amount=-10万
	assert_failure 3
	[[ "$stderr" == *"amount: '-10万' is below zero"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm lead add name=张伟 budget=-5万
	assert_failure 3
	[[ "$stderr" == *"budget: '-5万' is below zero"* ]] || fail "stderr: $stderr"
	[ "$(sqlite3 "$CRM_DB" 'SELECT count(*) FROM deal')" = 0 ]
	[ "$(sqlite3 "$CRM_DB" 'SELECT count(*) FROM lead')" = 0 ]
	for v in -1 "-0.01" "¥-1200" "-1,200.50" "－５"; do
		run --separate-stderr crm deal add name=x "amount=$v"
		assert_failure 3
	done
	# zero and positive amounts are fine
	run crm deal add name=零 amount=0
	assert_success
	[ "$(jqo .amount)" = 0 ]
}

@test "update to a negative amount is refused and the old amount stays" {
	fresh_db
	crm -q deal add name=云启 amount=10万 >/dev/null
	run --separate-stderr crm deal update 1 amount=-10万
	assert_failure 3
	[[ "$stderr" == *"amount"* ]] || fail "stderr: $stderr"
	[ "$(crm deal show 1 | jq .amount)" = 100000 ]
	# from a pipe too: the line is rejected, exit 3 at the end
	run --separate-stderr sh -c 'echo "{\"id\":1}" | crm deal update amount=-5'
	assert_failure 3
	[ "$(crm deal show 1 | jq .amount)" = 100000 ]
}

@test "an import row with a negative budget is rejected, the others imported" {
	fresh_db
	printf '姓名,预算\n张伟,50万\n李娜,-3万\n王芳,2万\n' > "$BATS_TEST_TMPDIR/l.csv"
	run --separate-stderr crm import leads "$BATS_TEST_TMPDIR/l.csv"
	assert_failure 3
	[[ "$stderr" == *"budget"* ]] || fail "stderr: $stderr"
	[ "$(sqlite3 "$CRM_DB" 'SELECT group_concat(name) FROM lead ORDER BY id')" = "张伟,王芳" ]
}

@test "a money field added with --negative takes amounts below zero; others do not" {
	fresh_db
	run crm field add deal discount_amount --kind money --negative
	assert_success
	[ "$(jqo .negative)" = true ]
	crm -q field add deal fee --kind money >/dev/null
	run crm deal add name=折扣单 amount=10万 discount_amount=-1.5万
	assert_success
	# -1.5万 = -15000 yuan
	[ "$(jqo .discount_amount)" = -15000 ]
	[ "$(sqlite3 "$CRM_DB" 'SELECT discount_amount FROM deal')" = -1500000 ]
	run --separate-stderr crm deal add name=x fee=-1
	assert_failure 3
	[[ "$stderr" == *"fee: '-1' is below zero"* ]] || fail "stderr: $stderr"
	run crm field list deal
	[ "$(jq -r 'select(.name == "discount_amount") | .negative' <<<"$output")" = true ]
	[ "$(jq -r 'select(.name == "fee") | .negative // false' <<<"$output")" = false ]
	# stored in the field table, so it holds for the next command
	[ "$(sqlite3 "$CRM_DB" "SELECT negative FROM field WHERE name = 'discount_amount'")" = 1 ]
}

@test "--negative is for money fields only (exit 2, no field made)" {
	fresh_db
	run --separate-stderr crm field add deal rebate --kind number --negative
	assert_failure 2
	[[ "$stderr" == *"--negative is for money fields only"* ]] || fail "stderr: $stderr"
	[ "$(sqlite3 "$CRM_DB" 'SELECT count(*) FROM field')" = 0 ]
	run crm sql "SELECT count(*) AS n FROM pragma_table_info('deal') WHERE name = 'rebate'"
	[ "$(jqo .n)" = 0 ]
}
