#!/usr/bin/env bats
# crm shell: commands in one process.
load helper

local_setup() {
	fresh_db
}

@test "crm shell runs one command per line with quoting, in one process" {
	run --separate-stderr crm shell <<'EOF2'
config set team.sales 'alice, bob'
crm config get team.sales
# a comment line, then a blank one

sql "SELECT count(*) AS n FROM audit"
EOF2
	assert_success
	assert_line --index 0 'alice, bob'
	assert_line --index 1 '{"n":1}'
}

@test "crm shell reports errors per command and goes on; status is the last command's" {
	run --separate-stderr crm shell <<'EOF2'
config nosuch
sql "SELECT 1 AS x"
EOF2
	assert_success
	assert_output '{"x":1}'
	[[ "$stderr" == *"'nosuch' is not a verb of crm config"* ]] || fail "stderr: $stderr"
	run crm shell <<<'sql "SELECT 1 WHERE 0"'
	assert_failure 1
}

@test "crm shell: exit stops reading; an unterminated quote is a usage error" {
	run --separate-stderr crm shell <<'EOF2'
sql 'SELECT 1 AS x
exit
sql "SELECT 2 AS y"
EOF2
	[[ "$stderr" == *"unterminated quote"* ]] || fail "stderr: $stderr"
	refute_output --partial '"y"'
}

@test "crm shell passes its global options on to every command" {
	run crm --table shell <<<'sql "SELECT 1 AS x"'
	assert_success
	assert_line --index 0 'x'
}

@test "on a terminal crm shell prompts, edits with readline and keeps a history" {
	command -v script >/dev/null || skip "no script(1) to give it a terminal"
	export HOME=$BATS_TEST_TMPDIR/home XDG_DATA_HOME=
	run bash -c "printf 'sql \"SELECT 41+1 AS x\"\nexit\n' | script -qec 'crm shell' /dev/null"
	assert_success
	assert_output --partial 'crm> '
	assert_output --partial '42'
	run cat "$HOME/.local/share/crm/shell_history"
	assert_line --index 0 'sql "SELECT 41+1 AS x"'
}

@test "--db on one shell line is for that line only: the next lines write the shell's database" {
	other="$BATS_TEST_TMPDIR/other.db"
	crm -q --db "$other" lead add name=别处 >/dev/null
	run --separate-stderr crm shell <<EOF2
--db $other lead list
lead list
config set x.y 1
EOF2
	[ "$(jq -r .name <<<"${lines[0]}")" = 别处 ]
	[ "${#lines[@]}" -eq 1 ]   # the shell's own database has no lead
	[ "$(crm config get x.y)" = 1 ]
	run crm --db "$other" config get x.y
	assert_failure 1
}

@test "exit N leaves the shell with status N" {
	run crm shell <<<$'version\nexit 7'
	assert_failure 7
	assert_output --partial 'crm '
}

@test "Ctrl-C at the prompt clears the line; during a command it stops the command, not the shell" {
	# tmux (make deps installs it) is the terminal, and sends the keys
	sock="$BATS_TEST_TMPDIR/tmux"
	tmux -S "$sock" new-session -d -x 120 -y 20 "crm shell; echo SHELL-ENDED; sleep 20"
	sleep 1
	tmux -S "$sock" send-keys "lead li"
	sleep 0.3
	tmux -S "$sock" send-keys C-c
	sleep 0.3
	tmux -S "$sock" send-keys 'sql "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM r) SELECT count(*) AS n FROM r"' Enter
	sleep 1.5
	tmux -S "$sock" send-keys C-c
	sleep 0.5
	tmux -S "$sock" send-keys "version" Enter
	sleep 0.5
	screen=$(tmux -S "$sock" capture-pane -p)
	tmux -S "$sock" kill-server || true
	[[ "$screen" == *"interrupted"* ]] || fail "$screen"
	[[ "$screen" == *"crm 0."* ]] || fail "$screen"
	[[ "$screen" != *"SHELL-ENDED"* ]] || fail "$screen"
	[[ "$screen" != *"lisql"* ]] || fail "the line was not cleared: $screen"
}
