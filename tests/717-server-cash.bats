#!/usr/bin/env bats
# The team server (CLI.md 8.5), cash (8.2): crm --db postgresql://... quote
# (and its lines), approval and approve, contract, plan, payment, invoice
# and order, and report receivables, revenue and products. The same
# commands on a file print the same lines and exit the same; a rep and
# finance see on the server what the server's row-level security shows
# their role through psql; cash_line(), the server's copy of a quote
# line's arithmetic, gives what cash/price.c gives SQLite. A throwaway
# cluster (tests/pg.bash) serves the whole file.
load helper
load pg

# bob is dave's rep, carol a rep of another team; fiona is finance, lily legal
PG_TEAM='alice --role admin
dave --role manager --team east
bob --role rep --team east --manager dave
carol --role rep --team west
fiona --role finance
lily --role legal'

setup_file() {
	pg_start
}

teardown_file() {
	pg_stop
}

local_setup() {
	pg_server_setup c
}

# count TABLE [WHERE]: rows on the server, read as postgres (no policy)
count() {
	pg_psql "$DBNAME" postgres "SELECT count(*) FROM \"$1\"${2:+ WHERE $2}"
}

# psql_ids USER TABLE: the ids of live rows USER's own role reads through psql
psql_ids() {
	local out
	out=$(pg_psql "$DBNAME" "$1" "SELECT id FROM \"$2\" WHERE deleted_at IS NULL ORDER BY id") || return 1
	paste -sd ' ' <<<"$out"
}

crm_ids() {
	jq -r .id | paste -sd ' '
}

# x USER ARGS...: one command on the side, its output, stderr and exit code
x() {
	echo "## $*"
	local rc=0
	as "$@" 2>&1 || rc=$?
	echo "rc=$rc"
}

# Products, bob's deal and a quote of three lines on the side (690's:
# 40161.25 in all, a line discount of 10% over approval.discount_over 8%).
quote_of_three() {
	as alice config set approval.discount_over 8 >/dev/null
	as alice account add name=杭州云启科技有限公司 owner=bob >/dev/null
	as alice product add name=企业版 sku=CRM-ENT price=12800 >/dev/null
	as alice product add name=实施服务 sku=SVC price=1500 unit=人天 tax_rate=6 >/dev/null
	as alice product add name=短信包 sku=SMS price=0.05 unit=条 >/dev/null
	as bob deal add name=云启CRM account_id=1 amount=5万 >/dev/null
	as bob quote add --deal 1 --valid-until 2026-03-31 --discount 5 >/dev/null
	as bob quote line add 1 --product CRM-ENT --qty 3 >/dev/null
	as bob quote line add 1 --product SVC --qty 2.5 --discount 10 >/dev/null
	as bob quote line add 1 --product SMS --qty 10000 >/dev/null
}

# Up to a signed contract of 40161.25 split 30/40/30, quietly.
signed_contract() {
	quote_of_three
	as bob quote send 1 >/dev/null 2>&1 || true   # asks for the approval
	as dave approve quote:1 >/dev/null
	as bob quote send 1 >/dev/null
	as bob quote accept 1 >/dev/null
	as bob contract add --quote 1 start=2026-03-05 end=2027-03-04 >/dev/null
	as bob contract submit 1 >/dev/null
	as bob contract sign 1 >/dev/null
	as fiona plan split --contract 1 --parts 30%,40%,30% --first 2026-04-01 >/dev/null
}

@test "quote to approval to contract to plan to payments to invoice to receivables: the file's lines on the server" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		{
			quote_of_three
			x bob quote show 1
			x bob quote list --format table
			x bob quote line list 1
			x bob quote line update 1 3 qty=20000
			x bob quote line list 1 --where "amount_total > 1000" --sort -amount_total
			x bob quote list --where "amount_total > 40000"
			# over approval.discount_over: refused, the approval requested
			x bob quote send 1
			x dave approval list --mine
			x dave approval list --pending --format table
			echo "## approve through a pipe"
			as dave approval list --mine | as dave approve 2>&1 || echo "rc=$?"
			echo "## send and accept through a pipe"
			as bob quote list --status draft | as bob quote send | as bob quote accept 2>&1 || echo "rc=$?"
			x bob quote print 1
			x bob deal show 1
			# the contract: over approval.contract.amount_over, two steps
			x alice config set approval.contract.amount_over 30000
			x alice config set approval.contract.steps manager,legal
			echo "## contract add and submit through a pipe"
			as bob contract add --quote 1 start=2026-03-05 end=2027-03-04 | as bob contract submit 2>&1 || echo "rc=$?"
			x alice approval list --pending
			x lily approve contract:1
			as dave approval list --mine | as dave approve 2>&1 || echo "rc=$?"
			x lily approval list --mine
			as lily approval list --mine | as lily approve 2>&1 || echo "rc=$?"
			x bob contract list --status approved
			as bob contract list --status approved | as bob contract sign 2>&1 || echo "rc=$?"
			x bob deal show 1
			x fiona plan split --contract HT-2026-0001 --parts 30%,40%,30% --first 2026-04-01
			x fiona payment add --contract HT-2026-0001 amount=12048.38 date=2026-03-28 method=银行转账
			x fiona payment add --contract HT-2026-0001 amount=10000 date=2026-05-10
			x fiona plan list
			x fiona plan list --where "status = 'partial'" --format table
			x fiona payment list --sort -amount
			x fiona payment show 2
			x fiona contract show 1
			echo "## invoice add and issue through a pipe"
			as fiona invoice add --contract HT-2026-0001 amount=20000 | as fiona invoice issue --date 2026-03-20 2>&1 || echo "rc=$?"
			x fiona invoice list
			x fiona contract show HT-2026-0001
			x fiona order add --contract 1
			x fiona order update 1 status=delivering
			x fiona order list --format table
			x fiona report receivables --as-of 2026-06-15
			x fiona report receivables --as-of 2026-04-15 --by contract
			x fiona report receivables --as-of 2026-06-15 --by owner --format table
			x fiona report revenue
			x fiona report revenue --by quarter --format table
			x fiona report revenue --since 2026-04-01
			x fiona report products
			x bob report receivables --as-of 2026-06-15
			x carol report receivables --as-of 2026-06-15
			x alice approval list --format table
			x alice history contract:1
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/S.out")" -ge 100 ]
	! grep -q "not on a server yet" "$BATS_TEST_TMPDIR/S.out"
	# 690's arithmetic, on the server; SMS now 20000 x 0.05 x 95% = 950.00,
	# the quote 3648000 + 320625 + 95000 = 4063625 fen; the plan 30% =
	# 1219087.5 -> 1219088, 40% = 1625450, the last 1219087; payment 2 pays
	# the 14250 left of instalment 1 and 985750 of 2, leaving 639700 (45
	# days late on 06-15) and instalment 3 (14 days): 18587.87
	grep -qF '"amount_untaxed":32283.19,"amount_tax":4196.81,"amount_total":36480' "$BATS_TEST_TMPDIR/S.out"
	grep -qF '{"type":"receivables","as_of":"2026-06-15","account_id":1,"account":"杭州云启科技有限公司","currency":"CNY","not_due":0,"d1_30":12190.87,"d31_60":6397,"d61_90":0,"over_90":0,"total":18587.87}' "$BATS_TEST_TMPDIR/S.out"
	# what crm wrote is in the server's tables
	[ "$(pg_psql "$DBNAME" postgres "SELECT number || '|' || status || '|' || amount FROM contract")" = "HT-2026-0001|signed|4063625" ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT string_agg(amount::text, ',' ORDER BY installment) FROM plan")" = "1219088,1625450,1219087" ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT string_agg(payment_id || ':' || plan_id || ':' || amount, ',' ORDER BY payment_id, plan_id) FROM payment_alloc")" = "1:1:1204838,2:1:14250,2:2:985750" ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT string_agg(entity || ' ' || step || ' ' || status || ' ' || \"by\", ',' ORDER BY id) FROM approval")" = "quote:1 1 approved dave,contract:1 1 approved dave,contract:1 2 approved lily" ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT stage FROM deal WHERE id = 1")" = won ]
	[ "$(count audit "entity = 'contract:1' AND \"user\" = 'lily'")" -ge 1 ]
}

@test "the server's cash_line() gives what cash/price.c gives on a file, on many lines" {
	SIDE=F
	pg_team_file
	local rows="" i q p d qd t inc
	# every rounding and both tax modes: quantities of up to three
	# decimals, prices from a fen up, discounts and rates of two decimals
	for i in $(seq 1 400); do
		q="$((RANDOM % 5000 + 1))"
		[ $((i % 3)) = 0 ] && q="$q.$((RANDOM % 1000))"
		[ $((i % 7)) = 0 ] && q="0.00$((RANDOM % 9 + 1))"
		p=$(( (RANDOM * 32768 + RANDOM) % 100000000 ))
		[ $((i % 11)) = 0 ] && p=$((RANDOM % 100))
		d="NULL"
		[ $((i % 2)) = 0 ] && d="$((RANDOM % 100)).$((RANDOM % 100))"
		[ $((i % 13)) = 0 ] && d=100
		qd="$((RANDOM % 30))"
		[ $((i % 5)) = 0 ] && qd=NULL
		t=$(( (RANDOM % 4) * 3 + 1 )).$((RANDOM % 100))
		[ $((i % 4)) = 0 ] && t=13
		[ $((i % 17)) = 0 ] && t=NULL
		inc=$((i % 2))
		[ $((i % 19)) = 0 ] && inc=NULL
		rows="$rows${rows:+, }($i, $q, $p, $d, $qd, $t, $inc)"
	done
	# and the far ends: the largest amounts price.h takes
	rows="$rows, (401, 1000000, 9000000000000, 0, 0, 0, 0), (402, 1, 9223372036854775, 50, 0, 13, 1)"
	local sql="WITH v(n, q, p, d, qd, t, inc) AS (VALUES $rows) SELECT n, cash_line('net', q, p, d, qd, t, inc) AS net, cash_line('untaxed', q, p, d, qd, t, inc) AS untaxed, cash_line('tax', q, p, d, qd, t, inc) AS tax, cash_line('total', q, p, d, qd, t, inc) AS total FROM v ORDER BY n"
	# as text, not through jq (whose numbers are doubles)
	crm --as alice sql "$sql" --format tsv | tail -n +2 | tr '\t' '|' > "$BATS_TEST_TMPDIR/file"
	pg_psql "$DBNAME" alice "$sql" > "$BATS_TEST_TMPDIR/server"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/file")" = 402 ]
	diff "$BATS_TEST_TMPDIR/file" "$BATS_TEST_TMPDIR/server"
	# NULL for a NULL price; what price.h refuses is an error on both
	[ "$(pg_psql "$DBNAME" alice "SELECT coalesce(cash_line('total', 1, NULL, 0, 0, 13, 1)::text, 'null')")" = null ]
	local bad
	for bad in "0.0001, 100, 0, 0, 13, 1" "0, 100, 0, 0, 13, 1" "1, -1, 0, 0, 13, 1" "1, 100, 100.5, 0, 13, 1" \
		"1, 100, 12.345, 0, 13, 1" "1, 100, 0, 0, 101, 0" "10000000, 9223372036854775807, 0, 0, 0, 0"; do
		run crm --as alice sql "SELECT cash_line('total', $bad) AS v"
		assert_failure
		run pg_psql "$DBNAME" alice "SELECT cash_line('total', $bad)"
		assert_failure
		[[ "$output" == *"cash_line: a quote line's quantity, price, discount or tax rate is out of range"* ]] ||
			fail "$bad: $output"
	done
}

@test "cash bad input on the server: the file's message and exit code, nothing written" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		signed_contract
		as fiona payment add --contract 1 amount=40000 >/dev/null
		as fiona invoice add --contract 1 amount=40000 >/dev/null
		as fiona invoice issue 1 >/dev/null
		as fiona invoice add --contract 1 amount=161.26 >/dev/null
		{
			# 40161.25 - 40000 = 161.25 is all the contract has still to receive
			run --separate-stderr as fiona payment add --contract 1 amount=161.26
			echo "$status $stderr"
			run --separate-stderr as fiona payment add --contract 1 amount=-5
			echo "$status $stderr"
			run --separate-stderr as fiona payment add --contract 1 amount=10 currency=USD
			echo "$status $stderr"
			run --separate-stderr as fiona payment add --contract HT-2099-0001 amount=10
			echo "$status $stderr"
			run --separate-stderr as fiona invoice issue 2
			echo "$status $stderr"
			run --separate-stderr as fiona plan add --contract 1 amount=0.01 due=2026-07-01
			echo "$status $stderr"
			run --separate-stderr as fiona plan update 1 amount=12048.39
			echo "$status $stderr"
			run --separate-stderr as fiona plan split --contract 1 --parts 50%,40% --first 2026-08-01
			echo "$status $stderr"
			run --separate-stderr as bob quote line add 1 --product SVC
			echo "$status $stderr"
			run --separate-stderr as bob quote update 1 discount=1
			echo "$status $stderr"
			run --separate-stderr as bob contract sign 1
			echo "$status $stderr"
			run --separate-stderr as bob approve contract:1
			echo "$status $stderr"
			run --separate-stderr as bob quote add --deal 1 --discount 120
			echo "$status $stderr"
			run --separate-stderr as fiona report receivables --by region
			echo "$status $stderr"
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	cat "$BATS_TEST_TMPDIR/S.out"   # shown when what follows fails
	[ "$(cut -d' ' -f1 "$BATS_TEST_TMPDIR/S.out" | paste -sd ' ')" = "4 3 3 3 4 4 4 2 4 4 4 5 3 2" ]
	grep -qF "161.26 is more than the 161.25 contract:1" "$BATS_TEST_TMPDIR/S.out"
	# nothing of it on the server
	[ "$(count payment)" = 1 ]
	[ "$(count payment_alloc)" = 3 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT status FROM invoice WHERE id = 2")" = draft ]
	[ "$(count plan)" = 3 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT amount FROM plan WHERE id = 1")" = 1204838 ]
	[ "$(count quote_line)" = 3 ]
	[ "$(count quote)" = 1 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT discount FROM quote WHERE id = 1")" = 5 ]
	[ "$(count audit "entity LIKE 'payment:%'")" = 1 ]
	# --force records the overpayment, in the audit log
	run --separate-stderr crm --db "$(pg_url "$DBNAME" fiona)" payment add --contract 1 amount=500 --force
	assert_success
	[ "$(jqo .forced)" = 1 ]
	[ "$(crm --db "$(pg_url "$DBNAME" fiona)" contract show 1 | jq -c '[.received, .unreceived]')" = "[40500,0]" ]
	[ "$(count audit "entity = 'payment:2' AND \"user\" = 'fiona'")" = 1 ]
}

@test "a rep and finance see the cash records their role reads through psql; another rep's is exit 5" {
	SIDE=S
	signed_contract
	as fiona payment add --contract 1 amount=12048.38 date=2026-03-28 >/dev/null
	as fiona invoice add --contract 1 amount=20000 >/dev/null
	as fiona order add --contract 1 >/dev/null
	# carol's own deal and quote, in another team
	as alice account add name=北京长风 owner=carol >/dev/null
	as carol deal add name=长风 account_id=2 amount=1万 >/dev/null
	as carol quote add --deal 2 >/dev/null
	as carol quote line add 2 --product SVC --qty 2 >/dev/null
	local u url t list
	for u in bob carol fiona dave lily; do
		url=$(pg_url "$DBNAME" "$u")
		for t in quote contract plan payment invoice order approval; do
			list=$(crm --db "$url" "$t" list 2>/dev/null | crm_ids)
			[ "$list" = "$(psql_ids "$u" "$t")" ] || fail "$u $t: crm '$list', psql '$(psql_ids "$u" "$t")'"
		done
		list=$(crm --db "$url" quote line list 1 2>/dev/null | crm_ids)
		[ "$list" = "$(pg_psql "$DBNAME" "$u" "SELECT id FROM quote_line WHERE quote_id = 1 ORDER BY id" | paste -sd ' ')" ]
	done
	[ "$(crm --db "$B" quote list | crm_ids)" = 1 ]
	[ "$(crm --db "$C" quote list | crm_ids)" = 2 ]
	[ "$(crm --db "$(pg_url "$DBNAME" fiona)" quote list | crm_ids)" = "1 2" ]
	[ "$(crm --db "$(pg_url "$DBNAME" fiona)" contract list | crm_ids)" = 1 ]
	[ "$(psql_ids carol contract)" = "" ]
	[ "$(psql_ids carol payment)" = "" ]
	[ "$(psql_ids lily contract)" = 1 ]
	[ "$(psql_ids lily payment)" = "" ]
	# a payment's allocations are read where the payment is
	[ "$(pg_psql "$DBNAME" bob "SELECT count(*) FROM payment_alloc")" = 1 ]
	[ "$(pg_psql "$DBNAME" carol "SELECT count(*) FROM payment_alloc")" = 0 ]
	# another's: exit 5 naming it, nothing changes
	run --separate-stderr crm --db "$C" contract show 1
	assert_failure 5
	[[ "$stderr" == *"contract:1 is not visible to carol"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm --db "$C" payment add --contract 1 amount=1
	assert_failure 5
	run --separate-stderr crm --db "$C" quote line add 1 --product SMS
	assert_failure 5
	run --separate-stderr crm --db "$(pg_url "$DBNAME" lily)" payment add --contract 1 amount=1
	assert_failure 5
	[ "$(count payment)" = 1 ]
	[ "$(count quote_line "quote_id = 1")" = 3 ]
	# reports leave out what the reader may not see
	run --separate-stderr crm --db "$C" report receivables --as-of 2026-06-15
	assert_failure 1
	assert_output ''
	[ "$(crm --db "$B" report revenue | jq -sc 'map(.contracted)')" = "[40161.25]" ]
	# psql as a rep: their role writes no one else's cash rows either
	run pg_psql "$DBNAME" carol "UPDATE payment SET amount = 1"
	[ "$(pg_psql "$DBNAME" postgres "SELECT amount FROM payment WHERE id = 1")" = 1204838 ]
	as bob quote add --deal 1 >/dev/null
	as bob quote line add 3 --product SVC --discount 20 >/dev/null
	as bob quote send 3 >/dev/null 2>&1 || true   # asks dave for an approval
	[ "$(count approval "entity = 'quote:3' AND status = 'pending'")" = 1 ]
	run pg_psql "$DBNAME" carol "UPDATE approval SET status = 'approved' WHERE entity = 'quote:3'"
	[ "$(count approval "entity = 'quote:3' AND status = 'pending'")" = 1 ]
	# nor does a rep decide their own through psql: bob may not approve
	run pg_psql "$DBNAME" bob "UPDATE approval SET status = 'approved', \"by\" = 'bob' WHERE entity = 'quote:3'"
	[ "$(count approval "entity = 'quote:3' AND status = 'pending'")" = 1 ]
}

# a signed contract of ACCOUNT for AMOUNT, its deal OWNER's (the
# account's: a rep reads their own payments), paid 100 on each DAY
# after, on the side, by the admin
paid() {
	local acc=$1 owner=$2 amount=$3 d k day
	shift 3
	d=$(as alice deal add name="合同$acc" account_id="$acc" amount="$amount" owner="$owner" | jq .id)
	k=$(as alice contract add --deal "$d" amount="$amount" start=2023-01-01 end=2024-12-31 | jq .id)
	as alice contract submit "$k" >/dev/null
	as alice contract sign "$k" --date 2023-01-01 >/dev/null
	for day in "$@"; do
		as alice payment add --contract "$k" amount=100 date="$day" >/dev/null
	done
}

@test "account tier on the server: the file's ranks, --apply as the roles may; 12 months back from a 29 February as on a file" {
	local side
	for side in F S; do
		SIDE=$side
		export CRM_NOW=2024-02-29T10:00:00+08:00
		[ "$side" = F ] && pg_team_file
		as alice account add name=甲 owner=bob >/dev/null
		as alice account add name=乙 owner=carol >/dev/null
		as alice account add name=丙 owner=bob >/dev/null
		as alice account add name=丁 owner=carol >/dev/null
		# the day 12 months back is 2023-03-01 (SQLite's date(), which a
		# server's interval would make 2023-02-28): not counted, the next is
		paid 1 bob 1000 2023-03-01 2023-03-01 2024-03-01
		paid 2 carol 1000 2023-03-02 2023-03-02 2023-03-02
		paid 3 bob 1000 2024-02-29 2024-02-29
		{
			x alice account tier
			x bob account tier
			x fiona account tier
			x alice account tier --currency USD
			x bob account tier --apply
			x carol account tier --apply
			x alice account tier --apply
			x alice account list
			x alice history account:2
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	! grep -q "not on a server yet" "$BATS_TEST_TMPDIR/S.out"
	# 乙 300 (60%: A), 丙 200 (100%: C), 甲 nothing within the 12 months
	[ "$(sed -n '/^## alice account tier$/,/^rc=/p' "$BATS_TEST_TMPDIR/S.out" | grep '"type"' |
		jq -r '"\(.name) \(.received) \(.tier)"' | paste -sd '|')" = "乙 300 A|丙 200 C|甲 0 C|丁 0 C" ]
	# on the server too a rep ranks the accounts they see by the payments
	# they read: their own (a payment of another's contract on their
	# account is not theirs to read there, and would not count)
	# bob's and carol's --apply stored their own accounts' tiers, the admin's the rest
	[ "$(pg_psql "$DBNAME" postgres "SELECT string_agg(name || tier, ' ' ORDER BY id) FROM account")" = "甲C 乙A 丙C 丁C" ]
	# (bob: 丙 A as he sees it, 甲 C; carol: 乙 A, 丁 C; alice: 丙 C again)
	[ "$(count audit "entity LIKE 'account:%' AND action = 'update'")" = 5 ]
}

@test "a deal's legal step on the server: legal reads the deal and its steps while the step waits, in order, then no more; the owner never decides" {
	SIDE=S
	as alice config set approval.amount_over 1000 >/dev/null
	as alice config set approval.deal.steps manager,legal >/dev/null
	as bob deal add name=大单 amount=5000 >/dev/null
	as bob stage move 1 negotiation 2>/dev/null || true
	# lily (legal) may not see bob's deals, but this one waits on her step
	[ "$(pg_psql "$DBNAME" lily "SELECT id FROM deal")" = 1 ]
	[ "$(pg_psql "$DBNAME" lily "SELECT step || ' ' || role FROM approval ORDER BY step" | paste -sd,)" = "1 manager,2 legal" ]
	# her step is not the next: the manager's comes first (4), nothing decided
	run --separate-stderr as lily approve deal:1
	assert_failure 4
	[[ "$stderr" == *"step 2 (legal) is not the next: step 1 (manager) comes first"* ]] || fail "stderr: $stderr"
	# carol, a rep of another team, may not see the deal: 5 naming it
	run --separate-stderr as carol approve deal:1
	assert_failure 5
	[[ "$stderr" == *"deal:1 is not visible to carol"* ]] || fail "stderr: $stderr"
	# bob's psql cannot approve his own deal's step, though he reads it
	[ "$(pg_psql "$DBNAME" bob "UPDATE approval SET status = 'approved', \"by\" = 'bob' WHERE step = 1 RETURNING id" 2>/dev/null | wc -l)" = 0 ]
	[ "$(count approval "status = 'pending'")" = 2 ]
	as dave approve deal:1 >/dev/null
	as lily approve deal:1 | jq -e '.status == "approved"' >/dev/null
	as bob stage move 1 negotiation | jq -e '.stage == "negotiation"' >/dev/null
	# decided: the deal is not hers to read any more
	[ -z "$(pg_psql "$DBNAME" lily "SELECT id FROM deal")" ]
}
