#!/usr/bin/env bats
# crm report dashboard --html (CLI.md 8.4), looked at as a person would:
# the page `make demo` writes, rendered by headless Chromium (Debian
# package chromium; make deps installs it) to its DOM, a PNG and a PDF,
# its numbers read back from the DOM and checked against the reports'
# JSON for the same period.
load helper

setup_file() {
	export HOME="$BATS_FILE_TMPDIR/home" CRM_USER=tester TZ=Asia/Shanghai
	unset XDG_DATA_HOME XDG_CONFIG_HOME CRM_NOW NO_COLOR
	mkdir -p "$HOME" "$BATS_FILE_TMPDIR/demo"
	: "${CRM_BIN:=$(cd "$BATS_TEST_DIRNAME/.." && pwd)/crm}"
	# the demo, its database kept; it writes dashboard.html where it runs
	(cd "$BATS_FILE_TMPDIR/demo" && DEMO_DB="$BATS_FILE_TMPDIR/demo.db" \
		sh "$BATS_TEST_DIRNAME/../share/demo.sh" "$CRM_BIN" > demo.out 2>&1)
}

local_setup() {
	export CRM_DB="$BATS_FILE_TMPDIR/demo.db" CRM_NOW='2026-11-20 10:00'
	PAGE="$BATS_FILE_TMPDIR/demo/dashboard.html"
}

# Headless Chromium with a new empty profile, no network (nothing could be
# fetched even if the page asked), as root.
chrome() {
	command -v chromium >/dev/null || fail "chromium is not installed (make deps installs it)"
	local profile
	profile=$(mktemp -d "$BATS_TEST_TMPDIR/profile.XXXXXX")
	timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--host-resolver-rules='MAP * ~NOTFOUND' --user-data-dir="$profile" "$@"
}

# The numbers of a DOM (every element with data-panel, data-key and
# data-value) as JSON lines {panel, row, key, value}.
dom_numbers() {
	grep -o 'data-panel="[^"]*"\( data-row="[^"]*"\)\? data-key="[^"]*" data-value="[^"]*"' "$1" |
		sed -E 's/data-panel="([^"]*)"( data-row="([^"]*)")? data-key="([^"]*)" data-value="([^"]*)"/{"panel":"\1","row":"\3","key":"\4","value":\5}/'
}

# One number of the DOM numbers in $NUMS: panel, row, key.
num() {
	jq -r --arg p "$1" --arg r "$2" --arg k "$3" 'select(.panel == $p and .row == $r and .key == $k) | .value' <<<"$NUMS"
}

@test "make demo ends by writing dashboard.html and saying where it is" {
	[ -s "$PAGE" ]
	grep -q "dashboard.html" "$BATS_FILE_TMPDIR/demo/demo.out"
	tail -n 1 "$BATS_FILE_TMPDIR/demo/demo.out" | grep -q "$PAGE"
}

@test "the page is self-contained: inline CSS and SVG, no script, no reference to anything to load" {
	run grep -c -i -E 'https?://' "$PAGE"
	[ "$output" = 0 ]
	run grep -i -E '<script|<link|<img|<iframe|<object|<embed|@import|@font-face|url\(|src=|href=' "$PAGE"
	assert_failure 1
	grep -q '<style>' "$PAGE"
	[ "$(grep -c '<svg' "$PAGE")" -ge 4 ]
	grep -q '@page{size:A4 landscape' "$PAGE"
	grep -q '<meta charset="utf-8">' "$PAGE"
}

@test "Chromium renders it offline, without a console error, requesting nothing" {
	chrome --enable-logging=stderr --v=0 --log-net-log="$BATS_TEST_TMPDIR/net.json" \
		--dump-dom "file://$PAGE" > "$BATS_TEST_TMPDIR/dom.html" 2> "$BATS_TEST_TMPDIR/chrome.err"
	grep -q 'data-panel="funnel"' "$BATS_TEST_TMPDIR/dom.html"
	run grep -E ':CONSOLE|Uncaught|Failed to load' "$BATS_TEST_TMPDIR/chrome.err"
	assert_failure 1
	# what the page asked for (not the browser's own update and time checks)
	run bash -c "grep -o '\"url\":\"[^\"]*\"' '$BATS_TEST_TMPDIR/net.json' | grep -v -E 'google|gstatic|gvt1' | grep -v 'file://$PAGE'"
	assert_failure 1
	# the checks can fail: a page with a script error and a font to fetch
	printf '%s\n' '<!DOCTYPE html><html><head><link rel="stylesheet" href="https://fonts.example.com/f.css"></head>' \
		'<body><script>console.error("boom"); nosuch();</script></body></html>' > "$BATS_TEST_TMPDIR/bad.html"
	chrome --enable-logging=stderr --v=0 --log-net-log="$BATS_TEST_TMPDIR/bad-net.json" \
		--dump-dom "file://$BATS_TEST_TMPDIR/bad.html" > /dev/null 2> "$BATS_TEST_TMPDIR/bad.err"
	grep -q -E ':CONSOLE' "$BATS_TEST_TMPDIR/bad.err"
	grep -q 'fonts.example.com' "$BATS_TEST_TMPDIR/bad-net.json"
}

@test "the DOM has every panel the contract lists, each naming the report it shows" {
	chrome --dump-dom "file://$PAGE" > "$BATS_TEST_TMPDIR/dom.html" 2>/dev/null
	local p
	for p in period new_leads conversion won received funnel forecast top_reps top_deals receivables satisfaction breached; do
		grep -q "data-panel=\"$p\"" "$BATS_TEST_TMPDIR/dom.html" || fail "no panel $p"
	done
	for p in new_leads:sources conversion:funnel won:leaderboard received:revenue funnel:funnel top_reps:leaderboard \
		receivables:receivables satisfaction:satisfaction; do
		grep -q "data-panel=\"${p%%:*}\" data-source=\"crm report ${p#*:}" "$BATS_TEST_TMPDIR/dom.html" ||
			fail "panel ${p%%:*} does not name report ${p#*:}"
	done
	grep -q 'data-panel="breached" data-source="crm ticket list --breached"' "$BATS_TEST_TMPDIR/dom.html"
	# the demo has cash and service: no panel says "not available"
	run grep -c 'data-available="false"' "$BATS_TEST_TMPDIR/dom.html"
	[ "$output" = 0 ]
}

@test "the DOM's won amount, received amount, conversion rate and top 3 reps equal report leaderboard, revenue and funnel for the period" {
	chrome --dump-dom "file://$PAGE" > "$BATS_TEST_TMPDIR/dom.html" 2>/dev/null
	NUMS=$(dom_numbers "$BATS_TEST_TMPDIR/dom.html")
	[ -n "$NUMS" ]
	since=$(grep -o 'data-panel="period" data-since="[^"]*"' "$BATS_TEST_TMPDIR/dom.html" | sed 's/.*data-since="//; s/"$//')
	[ "$since" = "2026-08-22T10:00:00+08:00" ]   # the demo's --since 90d
	run crm report leaderboard --since "$since"
	local board="$output"
	# won: the leaderboard's won amounts added up (one currency)
	[ "$(num won CNY won_amount)" = "$(jq -s 'map(.won_amount) | add' <<<"$board")" ]
	[ "$(num won CNY won_deals)" = "$(jq -s 'map(.won_deals) | add' <<<"$board")" ]
	# the top 3 reps: the leaderboard's first three, in order, with their numbers
	[ "$(jq -r 'select(.panel == "top_reps" and .key == "won_amount") | "\(.row) \(.value)"' <<<"$NUMS" | paste -sd,)" = \
		"$(head -n 3 <<<"$board" | jq -r '"\(.owner) \(.won_amount)"' | paste -sd,)" ]
	[ "$(jq -r 'select(.panel == "top_reps" and .key == "win_pct") | "\(.row) \(.value)"' <<<"$NUMS" | paste -sd,)" = \
		"$(head -n 3 <<<"$board" | jq -r 'select(.win_pct) | "\(.owner) \(.win_pct)"' | paste -sd,)" ]
	# received: report revenue's received added up (one currency), not 0
	run crm report revenue --since "$since"
	[ "$(num received CNY received)" = "$(jq -s 'map(.received) | add' <<<"$output")" ]
	[ "$(num received CNY received)" != 0 ]
	# conversion: of the deals the period brought in, the share won (report funnel)
	run crm report funnel --since "$since"
	[ "$(num conversion '' conversion_pct)" = \
		"$(jq -s '((map(select(.stage == "won"))[0].deals) * 1000 / .[0].deals | round) / 10' <<<"$output")" ]
	[ "$(num conversion '' deals)" = "$(head -n 1 <<<"$output" | jq .deals)" ]
	# and every stage of the funnel
	[ "$(jq -r 'select(.panel == "funnel" and .key == "deals") | "\(.row) \(.value)"' <<<"$NUMS" | paste -sd,)" = \
		"$(jq -r '"\(.stage) \(.deals)"' <<<"$output" | paste -sd,)" ]
	[ "$(jq -r 'select(.panel == "funnel" and .key == "amount") | "\(.row) \(.value)"' <<<"$NUMS" | paste -sd,)" = \
		"$(jq -r '"\(.stage) \(.amount)"' <<<"$output" | paste -sd,)" ]
}

@test "the DOM's new leads, forecast and potential deals equal report sources and report forecast" {
	chrome --dump-dom "file://$PAGE" > "$BATS_TEST_TMPDIR/dom.html" 2>/dev/null
	NUMS=$(dom_numbers "$BATS_TEST_TMPDIR/dom.html")
	run crm report sources --since 2026-08-22T10:00:00+08:00
	[ "$(num new_leads '' value)" = "$(jq -s 'map(.leads) | add' <<<"$output")" ]
	# the months ahead (from 2026-11): weighted and open pipeline
	run crm report forecast
	[ "$(jq -r 'select(.panel == "forecast" and .key == "weighted") | "\(.row) \(.value)"' <<<"$NUMS" | paste -sd,)" = \
		"$(jq -r 'select(.period >= "2026-11" and .open_deals > 0) | "\(.period) \(.weighted)"' <<<"$output" | head -n 6 | paste -sd,)" ]
	# won by month, the last six months (a month without a row: 0)
	[ "$(num forecast 2026-10 won)" = "$(jq -r 'select(.period == "2026-10") | .won' <<<"$output")" ]
	run crm report forecast --by deal --limit 5
	[ "$(jq -r 'select(.panel == "top_deals" and .key == "weighted") | "\(.row) \(.value)"' <<<"$NUMS" | paste -sd,)" = \
		"$(jq -r '"\(.deal_id) \(.weighted)"' <<<"$output" | paste -sd,)" ]
	[ "$(jq -r 'select(.panel == "top_deals" and .key == "weighted") | .row' <<<"$NUMS" | wc -l)" = 5 ]
}

@test "the DOM's receivables, CSAT and NPS and breached tickets equal report receivables, report satisfaction and ticket list --breached" {
	chrome --dump-dom "file://$PAGE" > "$BATS_TEST_TMPDIR/dom.html" 2>/dev/null
	NUMS=$(dom_numbers "$BATS_TEST_TMPDIR/dom.html")
	run crm report receivables
	local k
	for k in not_due d1_30 d31_60 d61_90 over_90 total; do
		[ "$(num receivables CNY "$k")" = "$(jq -s --arg k "$k" 'map(.[$k]) | add' <<<"$output")" ] || fail "receivables $k"
	done
	[ "$(num receivables CNY total)" != 0 ]
	run crm report satisfaction --since 2026-08-22T10:00:00+08:00
	[ "$(num satisfaction '' csat_pct)" = "$(jq .csat_pct <<<"$output")" ]
	[ "$(num satisfaction '' nps)" = "$(jq .nps <<<"$output")" ]
	[ "$(num satisfaction '' responses)" = "$(jq .responses <<<"$output")" ]
	run crm ticket list --breached
	[ "$(num breached '' value)" = "$(grep -c . <<<"$output")" ]
}

@test "a screenshot: Chromium draws the page to a PNG of the window's size" {
	chrome --hide-scrollbars --window-size=1360,900 --screenshot="$BATS_TEST_TMPDIR/d.png" "file://$PAGE" 2>/dev/null
	[ -s "$BATS_TEST_TMPDIR/d.png" ]
	# PNG signature, then IHDR: width and height, 4 bytes each, big-endian
	[ "$(head -c 8 "$BATS_TEST_TMPDIR/d.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]
	[ "$(od -An -tu1 -j16 -N8 "$BATS_TEST_TMPDIR/d.png" | awk '{ print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8 }')" = "1360 900" ]
	# a drawn page, not a blank one: more than a few KB of picture
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/d.png")" -gt 50000 ]
	# the sample the README shows is one of these
	[ -s "$BATS_TEST_DIRNAME/../share/samples/dashboard.png" ]
	grep -q 'share/samples/dashboard.png' "$BATS_TEST_DIRNAME/../README.md"
}

@test "it prints on one A4 page in landscape" {
	chrome --no-pdf-header-footer --print-to-pdf="$BATS_TEST_TMPDIR/d.pdf" "file://$PAGE" 2>/dev/null
	[ -s "$BATS_TEST_TMPDIR/d.pdf" ]
	[ "$(grep -a -o '/Type /Page\b' "$BATS_TEST_TMPDIR/d.pdf" | wc -l)" = 1 ]
	# A4 landscape: 297 x 210 mm = 842 x 595 points
	grep -a -o '/MediaBox \[[^]]*\]' "$BATS_TEST_TMPDIR/d.pdf" | head -n 1 |
		awk '{ gsub(/\]/, ""); w = $4; h = $5; exit !(w > 840 && w < 843 && h > 593 && h < 597) }'
}

@test "the page escapes what records hold (names are text, not markup)" {
	crm deal add name='<b>"大单" & 1</b>' amount=9000000 owner=alice expected_close=+10d >/dev/null
	crm deal list --where "amount = 9000000" | crm stage move negotiation >/dev/null
	crm report dashboard --since 90d -o "$BATS_TEST_TMPDIR/x.html"
	grep -q '&lt;b&gt;&quot;大单&quot; &amp; 1&lt;/b&gt;' "$BATS_TEST_TMPDIR/x.html"
	run grep -c '<b>"大单"' "$BATS_TEST_TMPDIR/x.html"
	[ "$output" = 0 ]
}
