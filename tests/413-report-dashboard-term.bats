#!/usr/bin/env bats
# crm report dashboard on a terminal (CLI.md 8.4): one screen of text and
# bars, in tmux (make deps installs it) at 80 and at 160 columns, on the
# report fixture (tests/fixtures/reports.sh).
load helper
load fixture

setup_file() {
	fixture_file reports.sh
}

local_setup() {
	fixture_copy '2026-03-01 10:00'
	export LC_ALL=C.UTF-8
}

# Run "$2" in a tmux terminal $1 columns wide, 40 lines high; SCREEN gets
# what it shows up to the end of the command, ESCAPES the same with the
# colour codes, JOINED with lines tmux wrapped joined again.
term() {
	# a server of its own each time (one shutting down is not reused)
	TERMS=$((${TERMS:-0} + 1))
	local sock="$BATS_TEST_TMPDIR/tmux$TERMS" i
	tmux -S "$sock" new-session -d -x "$1" -y 40 "$2; echo END-OF-OUTPUT; sleep 30"
	for i in $(seq 50); do
		tmux -S "$sock" capture-pane -p | grep -q END-OF-OUTPUT && break
		sleep 0.2
	done
	SCREEN=$(tmux -S "$sock" capture-pane -p | sed '/END-OF-OUTPUT/,$d')
	ESCAPES=$(tmux -S "$sock" capture-pane -p -e | sed '/END-OF-OUTPUT/,$d')
	JOINED=$(tmux -S "$sock" capture-pane -p -J | sed '/END-OF-OUTPUT/,$d')
	tmux -S "$sock" kill-server || true
	[ -n "$SCREEN" ] || fail "nothing on the screen"
}

# Display columns of the text before $2 on the first line of SCREEN with $1.
column_of() {
	local line
	line=$(grep -m 1 -F -- "$1" <<<"$SCREEN")
	[[ "$line" == *"$2"* ]] || fail "no '$2' on the line of '$1': $line"
	printf '%s' "${line%%"$2"*}" | wc -L
}

@test "dashboard at 80 columns: one screen, no line wrapped, bars, the panels side by side and aligned (CJK is two columns)" {
	term 80 "crm report dashboard --since 2026-02-01"
	# one screen: within 24 lines; nothing wider than the terminal
	[ "$(wc -l <<<"$SCREEN")" -le 24 ] || fail "$SCREEN"
	[ "$SCREEN" = "$JOINED" ] || fail "a line was wrapped"
	[ "$(wc -L <<<"$SCREEN")" -le 80 ]
	[[ "$SCREEN" == *"仪表盘 Dashboard  2026-02-01 00:00 → 2026-03-01 10:00"* ]]
	# the numbers of the panels (see 411): 50% converted, 300000 won
	[[ "$SCREEN" == *"50%"* ]] && [[ "$SCREEN" == *"¥300,000"* ]]
	# the cash and service panels, with nothing in them in this fixture
	[[ "$SCREEN" == *"应收账龄 Receivables  nothing to receive"* ]] && [[ "$SCREEN" == *"0 past due"* ]]
	[[ "$SCREEN" == *"no answers in this period"* ]]
	[[ "$SCREEN" == *"█"* ]] && grep -q '[▁▂▃▄▅▆▇█]\{6\}  won by month' <<<"$SCREEN"
	# the right-hand panels start in column 42 on every line, whatever the
	# Chinese before them
	[ "$(column_of 销售漏斗 月度预测)" = 41 ]
	[ "$(column_of 初步接触 2026-03)" = 41 ]
	[ "$(column_of 需求确认 2026-04)" = 41 ]
	[ "$(column_of 销售排行 潜力商机)" = 41 ]
	[ "$(column_of 新线索 转化率)" = 20 ]
	# the funnel's rows: stage, deals, bar, conversion
	grep -q '^初步接触 *6 █.* →83.3%  2026-03 ' <<<"$SCREEN"
}

@test "dashboard at 160 columns: three panels side by side, still one screen" {
	term 160 "crm report dashboard --since 2026-02-01"
	[ "$(wc -l <<<"$SCREEN")" -le 24 ] || fail "$SCREEN"
	[ "$SCREEN" = "$JOINED" ] || fail "a line was wrapped"
	[ "$(wc -L <<<"$SCREEN")" -le 160 ]
	[ "$(wc -L <<<"$SCREEN")" -gt 120 ]
	[ "$(column_of 销售漏斗 月度预测)" = 54 ]
	[ "$(column_of 销售漏斗 潜力商机)" = 108 ]
	[ "$(column_of 初步接触 2026-03)" = 54 ]
	[ "$(column_of 新线索 转化率)" = 40 ]
}

@test "dashboard on a terminal: colour, unless NO_COLOR; narrower than 80: lines cut, not wrapped" {
	term 100 "crm report dashboard"
	[[ "$ESCAPES" == *$'\e['* ]] || fail "no colour"
	term 100 "NO_COLOR=1 crm report dashboard"
	[[ "$ESCAPES" != *$'\e['* ]] || fail "colour with NO_COLOR"
	term 60 "crm report dashboard"
	[ "$SCREEN" = "$JOINED" ] || fail "a line was wrapped"
	[ "$(wc -L <<<"$SCREEN")" -le 60 ]
}

@test "dashboard --table into a pipe: the same screen, without colour" {
	COLUMNS=80 run --separate-stderr crm --table report dashboard --since 2026-02-01
	assert_success
	[[ "$output" != *$'\e['* ]]
	[ "$(wc -L <<<"$output")" -le 80 ]
	assert_line --index 0 --partial '仪表盘 Dashboard'
}
