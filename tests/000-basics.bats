#!/usr/bin/env bats
# Dispatch, help, version, unknown commands, externals, completion.
load helper

@test "crm version and crm --version print the version" {
	run crm version
	assert_success
	assert_output --regexp '^crm [0-9]+\.[0-9]+\.[0-9]+ '
	run crm --version
	assert_success
	assert_output "$(crm version)"
}

@test "crm help lists commands with summaries" {
	run crm help
	assert_success
	assert_line --regexp '^  config +get and set settings$'
	assert_line --regexp '^  sql +'
	refute_output --partial '__complete'
}

@test "crm with no command prints the help" {
	run crm
	assert_success
	assert_output --partial 'usage: crm'
}

@test "crm help --commands lists every built-in command, one a line" {
	run crm help --commands
	assert_success
	for c in init config sql check backup log help version; do
		assert_line "$c"
	done
	refute_line '__complete'
}

@test "every command has --help, and it matches crm help CMD" {
	for c in $(crm help --commands); do
		run crm "$c" --help
		assert_success
		[ -n "$output" ] || fail "crm $c --help printed nothing"
		local via_flag="$output"
		run crm help "$c"
		assert_success
		[ "$output" = "$via_flag" ] || fail "crm $c --help differs from crm help $c"
	done
}

@test "a verb's --help shows its usage line" {
	run crm config set --help
	assert_success
	assert_line 'usage: crm config set KEY VALUE'
}

@test "unknown command exits 2 and suggests the closest one" {
	run --separate-stderr crm confgi
	assert_failure 2
	[ -z "$output" ]
	[[ "$stderr" == *"did you mean \`crm config\`?"* ]] || fail "stderr: $stderr"
}

@test "unknown command with nothing close exits 2 and still names the nearest" {
	run --separate-stderr crm nosuchcmd
	assert_failure 2
	[ -z "$output" ]
	[[ "$stderr" == "crm: 'nosuchcmd' is not a crm command; did you mean \`crm "*"\`? ('crm help' lists them all)" ]] || fail "stderr: $stderr"
}

@test "a bad global option value exits 2 with one clear line" {
	run --separate-stderr crm --format xml lead list
	assert_failure 2
	[ -z "$output" ]
	[ "$stderr" = "crm: unknown format 'xml' (jsonl, table, csv, tsv); see 'crm help'" ] || fail "stderr: $stderr"
}

@test "messages say a lead, an account" {
	crm -q init >/dev/null
	run --separate-stderr bash -c 'echo "{\"type\":\"account\",\"name\":\"x\"}" | crm lead add'
	assert_failure 3
	[[ "$stderr" == *"an account, not a lead"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm activity list --status open
	assert_failure 2
	[[ "$stderr" == *"an activity has no status"* ]] || fail "stderr: $stderr"
}

@test "unknown verb exits 2 and suggests the closest verb" {
	run --separate-stderr crm config lst
	assert_failure 2
	[[ "$stderr" == *'did you mean `crm config list`?'* ]] || fail "stderr: $stderr"
}

@test "unknown option exits 2 with the usage line" {
	run --separate-stderr crm log --bogus
	assert_failure 2
	[[ "$stderr" == *"unknown option '--bogus'"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"usage: crm log"* ]] || fail "stderr: $stderr"
}

@test "missing argument exits 2" {
	run --separate-stderr crm config set onlykey
	assert_failure 2
	[[ "$stderr" == *"missing argument"* ]] || fail "stderr: $stderr"
}

@test "a crm-NAME script on PATH runs as crm NAME with CRM_DB and CRM_USER" {
	cat > "$BATS_TEST_TMPDIR/bin/crm-hello" <<'SH'
#!/bin/sh
echo "hello $* db=$CRM_DB user=$CRM_USER"
SH
	chmod +x "$BATS_TEST_TMPDIR/bin/crm-hello"
	run crm --as alice hello world
	assert_success
	assert_output "hello world db=$CRM_DB user=alice"
	# the user a built-in command would act as: config user.name in the database too
	crm -q config set user.name 王经理 >/dev/null
	run env -u CRM_USER crm hello
	assert_output "hello  db=$CRM_DB user=王经理"
}

@test "an external command's exit status comes through" {
	printf '#!/bin/sh\nexit 7\n' > "$BATS_TEST_TMPDIR/bin/crm-seven"
	chmod +x "$BATS_TEST_TMPDIR/bin/crm-seven"
	run crm seven
	assert_failure 7
}

@test "completion: commands, verbs and options come from the tables" {
	run crm __complete he
	assert_success
	assert_output 'help'
	run crm __complete config ''
	assert_line get
	assert_line set
	assert_line unset
	assert_line list
	run crm __complete log --li
	assert_output '--limit'
	run crm __complete --format ''
	assert_line jsonl
	assert_line table
	# an option's values come from its own table entry
	run crm __complete export lead --format ''
	assert_output "$(printf 'csv\ntsv\njsonl\nxlsx')"
	run crm __complete export lead --f
	assert_output '--format'
	run crm __complete assign --by ''
	assert_output "$(printf 'region\nindustry\nsource\nround-robin\nleast-loaded')"
	run crm __complete task add --priority ''
	assert_output "$(printf 'high\nnormal\nlow')"
	run crm __complete note lead:1 x --at ''
	assert_output ''
}

@test "bash completion completes 'crm he' to help" {
	source "$ROOT_DIR/completions/crm.bash"
	COMP_WORDS=(crm he)
	COMP_CWORD=1
	COMP_LINE="crm he"
	COMP_POINT=${#COMP_LINE}
	_crm
	[ "${COMPREPLY[*]}" = "help" ] || fail "got: ${COMPREPLY[*]}"
}

@test "man pages in share/man match what the binary generates" {
	diff <(crm __man) "$ROOT_DIR/share/man/man1/crm.1"
	for c in $(crm help --commands); do
		diff <(crm __man "$c") "$ROOT_DIR/share/man/man1/crm-$c.1" ||
			fail "share/man/man1/crm-$c.1 is out of date: run make man"
	done
}

@test "crm help CMD for an unknown command exits 2" {
	run crm help nosuch
	assert_failure 2
}
