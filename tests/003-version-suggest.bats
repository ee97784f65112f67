#!/usr/bin/env bats
# crm --version says what crm version says; a typo is never answered with an
# internal command (__complete, __man).
load helper

@test "crm --version prints exactly what crm version prints (schema and sqlite too)" {
	run crm version
	assert_success
	local v=$output
	[[ "$v" == *"(schema v"*", sqlite "*")" ]] || fail "version: $v"
	run --separate-stderr crm --version
	assert_success
	[ "$output" = "$v" ] || fail "--version: $output"
	[ -z "$stderr" ]
}

@test "a mistyped command never suggests an internal command" {
	for word in man __ma complet _man xman mann; do
		run --separate-stderr crm "$word"
		assert_failure 2
		[[ "$stderr" != *'`crm __'* ]] || fail "crm $word: $stderr"
		[[ "$stderr" == *"is not a crm command"* ]] || fail "crm $word: $stderr"
	done
	# a near one is still offered
	run --separate-stderr crm dael
	assert_failure 2
	[[ "$stderr" == *"did you mean \`crm deal\`?"* ]] || fail "stderr: $stderr"
}
