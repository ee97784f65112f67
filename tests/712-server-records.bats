#!/usr/bin/env bats
# The team server (CLI.md 8.5), the records around a lead: crm --db
# postgresql://... account, contact and product (add, list, show, update,
# rm), tag add, rm and list, note, and task's verbs. The same commands on
# a file print the same lines; a rep sees on the server what the server's
# row-level security shows their role through psql. A throwaway cluster
# (tests/pg.bash) serves the whole file.
load helper
load pg

setup_file() {
	pg_start
}

teardown_file() {
	pg_stop
}

# a server (tests/pg.bash: its team, the clock pinned)
local_setup() {
	pg_server_setup r
}

# psql_ids USER TABLE: the ids of live rows USER's own role reads through psql
psql_ids() {
	local out
	out=$(pg_psql "$DBNAME" "$1" "SELECT id FROM \"$2\" WHERE deleted_at IS NULL ORDER BY id") || return 1
	paste -sd ' ' <<<"$out"
}

# crm_ids: the ids of the JSON lines on stdin
crm_ids() {
	jq -r .id | paste -sd ' '
}

# count TABLE [WHERE]: rows on the server, read as postgres (no policy)
count() {
	pg_psql "$DBNAME" postgres "SELECT count(*) FROM \"$1\"${2:+ WHERE $2}"
}

# The same accounts, contacts and products on one side: alice's, bob's, carol's.
some_records() {
	as alice account add name="杭州云启科技" industry=SaaS region=华东 tier=A tags=vip >/dev/null
	as bob account add name="宁波海纳贸易" industry=贸易 region=华东 tier=B tags=华东,vip >/dev/null
	as carol account add name="北京长风" industry=制造 region=华北 tier=C >/dev/null
	as alice contact add name="张伟" phone=13812345678 account_id=1 tags=决策人 >/dev/null
	as bob contact add name="李娜" email=lina@example.com account_id=2 >/dev/null
	as carol contact add name="王芳" phone=13900000003 account_id=3 >/dev/null
	as alice product add name="普洱茶礼盒" sku=PE-1 price=1280 tags=茶 >/dev/null
	as alice product add name="龙井" sku=LJ-2 price=1.28万 >/dev/null
}

@test "account, contact and product: add, list, show, update and rm print on the server what they print on a file" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		{
			as alice account add name="杭州云启科技" industry=SaaS region=华东 tier=A tags=vip
			as bob account add name="宁波海纳贸易" industry=贸易 region=华东 tier=B tags=华东,vip
			as carol account add name="北京长风" industry=制造 region=华北 tier=C
			as alice contact add name="张伟" phone=13812345678 account_id=1 tags=决策人
			as bob contact add name="李娜" email=lina@example.com account_id=2
			as alice product add name="普洱茶礼盒" sku=PE-1 price=1280 tags=茶
			as alice product add name="龙井" sku=LJ-2 price=1.28万
			as alice account list
			as alice account list --where "has_tag('vip') AND region = '华东'" --sort -name
			as alice account list --sort tier,-name --limit 2 --format table
			as alice account list --owner bob --format table
			as alice contact list --where "account_id >= 2 OR name LIKE '张%'" --sort -id
			as alice contact list --format table
			as alice product list --where "price > 2000"
			as alice product list --sort -price --format table
			as alice account show 2 3
			as alice contact show 1
			as alice product show 2
			as alice account update 3 tier=B region=华南
			as alice contact update 2 phone=13900000002
			as alice product update 1 price=1500
			as alice account rm 3
			as alice product rm --purge 2
			as alice account list --format table
			as alice account list --removed
			as alice product list
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/S.out")" -ge 30 ]
	# what crm wrote is on the server, in its tables
	[ "$(pg_psql "$DBNAME" postgres "SELECT tier || '|' || region || '|' || (deleted_at IS NOT NULL) FROM account WHERE id = 3")" = "B|华南|true" ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT phone FROM contact WHERE id = 2")" = 13900000002 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT price FROM product WHERE id = 1")" = 150000 ]
	[ "$(count product)" = 1 ]
	[ "$(count audit "entity LIKE 'account:%' AND \"user\" IN ('alice', 'bob', 'carol')")" = 5 ]
}

@test "a rep sees only their own accounts and contacts, as psql shows their role; exit 5 for another's" {
	SIDE=S
	some_records
	local u url
	for u in bob carol; do
		url=$(pg_url "$DBNAME" "$u")
		[ "$(crm --db "$url" account list | crm_ids)" = "$(psql_ids "$u" account)" ]
		[ "$(crm --db "$url" contact list | crm_ids)" = "$(psql_ids "$u" contact)" ]
		[ "$(crm --db "$url" account list --where "name LIKE '%'" --sort -id | crm_ids)" = "$(psql_ids "$u" account)" ]
	done
	[ "$(crm --db "$B" account list | crm_ids)" = 2 ]
	[ "$(crm --db "$C" contact list | crm_ids)" = 3 ]
	[ "$(crm --db "$A" account list | crm_ids)" = "1 2 3" ]
	[ "$(psql_ids alice account)" = "1 2 3" ]
	# another's record: show, update and rm are refused, nothing changes
	run --separate-stderr crm --db "$B" account show 1
	assert_failure 5
	[[ "$stderr" == *"account:1 is not visible to bob"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm --db "$B" contact show 3
	assert_failure 5
	run --separate-stderr crm --db "$B" account update 1 tier=C
	assert_failure 5
	run --separate-stderr crm --db "$C" contact rm 1
	assert_failure 5
	run --separate-stderr crm --db "$B" account show 99
	assert_failure 1
	[ "$(pg_psql "$DBNAME" postgres "SELECT tier FROM account WHERE id = 1")" = A ]
	[ "$(count contact "deleted_at IS NULL")" = 3 ]
	# the rep's own: written
	run --separate-stderr crm --db "$B" account update 2 tier=A
	assert_success
	[ "$(jqo .tier)" = A ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT tier FROM account WHERE id = 2")" = A ]
	# products are shared: every rep sees them all
	[ "$(crm --db "$B" product list | crm_ids)" = "$(psql_ids bob product)" ]
	[ "$(crm --db "$B" product list | crm_ids)" = "1 2" ]
}

@test "account show as a rep lists the contacts and tasks of the account that their role sees through psql" {
	SIDE=S
	some_records
	crm --db "$A" contact add name="赵六" account_id=2 >/dev/null   # alice's contact at bob's account
	crm --db "$B" task add --title 回电 --for contact:2 >/dev/null
	crm --db "$A" task add --title 拜访 --for account:2 --due tomorrow >/dev/null
	local want got
	want=$(pg_psql "$DBNAME" bob "SELECT id FROM contact WHERE account_id = 2 AND deleted_at IS NULL ORDER BY id" | paste -sd ' ')
	got=$(crm --db "$B" account show 2 | jq -r '.contacts[].id' | paste -sd ' ')
	[ "$got" = "$want" ]
	[ "$got" = 2 ]
	[ "$(crm --db "$A" account show 2 | jq -r '.contacts[].id' | paste -sd ' ')" = "2 4" ]
	# the open tasks about it and its contacts, undated first as on a file
	[ "$(crm --db "$A" account show 2 | jq -r '.tasks[].title' | paste -sd ' ')" = "回电 拜访" ]
	run --separate-stderr crm --db "$B" account show 2 --format table
	assert_success
	[[ "$output" == *"contacts (1)"* ]] || fail "output: $output"
}

@test "account, contact and product bad input: the file's message and exit code, nothing written" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		as alice account add name="杭州云启科技" >/dev/null
		as alice product add name="普洱茶礼盒" sku=PE-1 price=1280 >/dev/null
		{
			run --separate-stderr as alice account add name=坏 tier=Z
			echo "$status $stderr"
			run --separate-stderr as alice account add industry=SaaS
			echo "$status $stderr"
			run --separate-stderr as alice contact add name=某人 email=notanemail
			echo "$status $stderr"
			run --separate-stderr as alice contact add name=某人 account_id=99
			echo "$status $stderr"
			run --separate-stderr as alice product add name=坏 price=abc
			echo "$status $stderr"
			run --separate-stderr as alice product add name=又一个 sku=PE-1 price=1
			echo "$status $stderr"
			run --separate-stderr as alice account update 1 tier=D
			echo "$status $stderr"
			run --separate-stderr as alice account list --sort nosuch
			echo "$status $stderr"
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	cat "$BATS_TEST_TMPDIR/S.out"   # shown when what follows fails
	[ "$(cut -d' ' -f1 "$BATS_TEST_TMPDIR/S.out" | paste -sd ' ')" = "3 3 3 3 3 4 3 2" ]
	[ "$(count account)" = 1 ]
	[ "$(count contact)" = 0 ]
	[ "$(count product)" = 1 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT tier IS NULL FROM account WHERE id = 1")" = t ]
	[ "$(count audit "entity LIKE 'contact:%'")" = 0 ]
	# a --where the server cannot read: a usage error, nothing listed
	run --separate-stderr crm --db "$A" account list --where "nosuch > 1"
	assert_failure 2
	assert_output ''
	[[ "$stderr" == *nosuch* ]] || fail "stderr: $stderr"
}

@test "account, contact and product in pipes: JSON lines in, list piped into update and show" {
	SIDE=S
	some_records
	# a batch of adds on stdin
	run --separate-stderr crm --db "$A" product add <<<'{"name":"白茶","sku":"BC-3","price":"300"}
{"name":"红茶","sku":"HC-4","price":"400"}'
	assert_success
	[ "$(pg_psql "$DBNAME" postgres "SELECT string_agg(sku, ' ' ORDER BY id) FROM product")" = "PE-1 LJ-2 BC-3 HC-4" ]
	# list piped into update: only what the filter chose
	crm --db "$A" account list --where "region = '华东'" | crm --db "$A" account update tier=C >/dev/null
	[ "$(pg_psql "$DBNAME" postgres "SELECT string_agg(id || ':' || tier, ' ' ORDER BY id) FROM account")" = "1:C 2:C 3:C" ]
	crm --db "$A" account list --where "region = '华东'" | crm --db "$A" account update tier=A >/dev/null
	[ "$(pg_psql "$DBNAME" postgres "SELECT string_agg(id || ':' || tier, ' ' ORDER BY id) FROM account")" = "1:A 2:A 3:C" ]
	# a rep's pipe of everyone's accounts: their own changes, another's is refused
	run --separate-stderr bash -c "crm --db '$A' account list | crm --db '$B' account update industry=物流"
	assert_failure 5
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM account WHERE industry = '物流'")" -le 1 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM account WHERE industry = '物流' AND owner <> 'bob'")" = 0 ]
	# contacts of an account, shown through jq and show
	run --separate-stderr bash -c "crm --db '$A' contact list --where 'account_id = 2' | jq -c '{id}' | crm --db '$A' contact show"
	assert_success
	[ "$(jqo .name)" = "李娜" ]
}

@test "tag add, rm and list print on the server what they print on a file" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		some_records
		{
			as alice tag list
			as alice tag list --count
			as alice tag list --count --type account
			as alice tag add account:1 高预算 重点
			as alice tag rm account:1 vip
			as alice tag add contact:2 决策人
			as alice account list --where "region = '华东'" | as alice tag add 展会
			as alice contact list | as alice tag rm 决策人
			as alice tag list --count
			as alice tag list --type product --count
			as alice account list --tag 展会 --format table
			as bob tag list --count
			as carol tag list --count --type account || echo "exit $?"
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	grep -q '"tag":"展会","count":2' "$BATS_TEST_TMPDIR/S.out"
	[ "$(pg_psql "$DBNAME" postgres "SELECT tags FROM account WHERE id = 1")" = '["高预算","重点","展会"]' ]
	[ "$(count contact "tags LIKE '%决策人%'")" = 0 ]
}

@test "tag list as a rep counts the tags of what their role sees through psql" {
	SIDE=S
	some_records
	crm --db "$A" account list | crm --db "$A" tag add 全部 >/dev/null
	local u url want got
	for u in alice bob carol; do
		url=$(pg_url "$DBNAME" "$u")
		want=$(pg_psql "$DBNAME" "$u" "SELECT t || ':' || count(*) FROM (SELECT json_array_elements_text(CAST(tags AS json)) AS t FROM account WHERE deleted_at IS NULL AND tags IS NOT NULL AND tags <> '') AS x GROUP BY t ORDER BY count(*) DESC, t" | paste -sd ' ')
		got=$(crm --db "$url" tag list --count --type account | jq -r '.tag + ":" + (.count | tostring)' | paste -sd ' ')
		[ "$got" = "$want" ] || fail "$u: crm '$got', psql '$want'"
	done
	[ "$(crm --db "$B" tag list --type account --count | jq -r .tag | paste -sd ' ')" = "vip 全部 华东" ]
	[ "$(crm --db "$C" tag list --type account | jq -r .tag)" = 全部 ]
	# another's record: refused, its tags unchanged
	run --separate-stderr crm --db "$B" tag add account:1 我的
	assert_failure 5
	[[ "$stderr" == *"account:1 is not visible to bob"* ]] || fail "stderr: $stderr"
	[ "$(pg_psql "$DBNAME" postgres "SELECT tags FROM account WHERE id = 1")" = '["vip","全部"]' ]
}

@test "tag bad input: no record, no tags, no type; nothing written" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		as alice account add name="杭州云启科技" tags=vip >/dev/null
		{
			run --separate-stderr as alice tag add account:99 x
			echo "$status $stderr"
			run --separate-stderr as alice tag add account:1
			echo "$status ${stderr%%$'\n'*}"
			run --separate-stderr as alice tag rm nosuch:1 x </dev/null
			echo "$status ${stderr%%$'\n'*}"
			run --separate-stderr as alice tag list --type nosuch
			echo "$status $stderr"
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	cat "$BATS_TEST_TMPDIR/S.out"   # shown when what follows fails
	[ "$(cut -d' ' -f1 "$BATS_TEST_TMPDIR/S.out" | paste -sd ' ')" = "1 2 2 2" ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT tags FROM account WHERE id = 1")" = '["vip"]' ]
	[ "$(count audit "entity = 'account:1' AND action = 'update'")" = 0 ]
}

@test "note: on a record, with --next, and on records piped in, as on a file" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		some_records
		{
			as alice note account:1 "客户说喜欢喝普洱茶" --type call --next "+3d 寄茶叶样品"
			as bob note contact:2 "发了报价" --type email --at "2026-03-01 15:00"
			as bob note contact:2 "上个月聊过" --at "2026-02-01 10:00"
			as alice contact list --where "account_id <= 2" | as alice note "群发了展会邀请" --type wechat
			as alice account show 1 2
			as alice contact show 1 2
			as alice task list --format table
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	[ "$(count activity)" = 5 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT string_agg(entity || ':' || kind || ':' || owner, ' ' ORDER BY id) FROM activity")" = "account:1:call:alice contact:2:email:bob contact:2:note:bob contact:1:wechat:alice contact:2:wechat:alice" ]
	# the last contact moves forward only; a contact's is its account's too
	[ "$(pg_psql "$DBNAME" postgres "SELECT last_contacted_at FROM contact WHERE id = 2")" = 2026-03-02T09:30:00+08:00 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT last_contacted_at FROM account WHERE id = 2")" = 2026-03-02T09:30:00+08:00 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT title || '|' || due || '|' || owner FROM task")" = "寄茶叶样品|2026-03-05T09:30:00+08:00|alice" ]
}

@test "note as a rep: on their own records; another's is refused (exit 5), psql sees the rep's notes" {
	SIDE=S
	some_records
	run --separate-stderr crm --db "$B" note contact:2 "电话沟通" --type call
	assert_success
	[ "$(jqo .owner)" = bob ]
	run --separate-stderr crm --db "$B" note account:1 "不是我的"
	assert_failure 5
	[[ "$stderr" == *"account:1 is not visible to bob"* ]] || fail "stderr: $stderr"
	crm --db "$A" note account:1 "alice 的记录" >/dev/null
	[ "$(count activity)" = 2 ]
	[ "$(pg_psql "$DBNAME" bob "SELECT string_agg(text, ' ' ORDER BY id) FROM activity")" = "电话沟通" ]
	[ "$(pg_psql "$DBNAME" alice "SELECT string_agg(text, ' ' ORDER BY id) FROM activity")" = "电话沟通 alice 的记录" ]
	# the rep's note moved the last contact of their own contact and account
	[ "$(crm --db "$B" contact show 2 | jq -r .last_contacted_at)" = 2026-03-02T09:30:00+08:00 ]
	[ "$(crm --db "$B" account show 2 | jq -r .last_contacted_at)" = 2026-03-02T09:30:00+08:00 ]
}

@test "note bad input: the file's message and exit code, nothing written" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		as alice account add name="杭州云启科技" >/dev/null
		{
			run --separate-stderr as alice note account:1 "   "
			echo "$status ${stderr%%$'\n'*}"
			run --separate-stderr as alice note account:99 "有人吗"
			echo "$status $stderr"
			run --separate-stderr as alice note account:1 "好" --next "soon 发方案"
			echo "$status $stderr"
			run --separate-stderr as alice note account:1 "好" --next "+3d"
			echo "$status $stderr"
			run --separate-stderr as alice note account:1 "好" --type shout
			echo "$status $stderr"
			run --separate-stderr as alice note 1 "好"
			echo "$status ${stderr%%$'\n'*}"
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	cat "$BATS_TEST_TMPDIR/S.out"   # shown when what follows fails
	[ "$(cut -d' ' -f1 "$BATS_TEST_TMPDIR/S.out" | paste -sd ' ')" = "2 1 2 2 3 2" ]
	[ "$(count activity)" = 0 ]
	[ "$(count task)" = 0 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT last_contacted_at IS NULL FROM account WHERE id = 1")" = t ]
}

@test "task add, list, show, update, done, snooze and rm print on the server what they print on a file" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		some_records
		{
			as alice task add --title 发方案 --for account:1 --due "tomorrow 14:00" --priority high
			as alice task add --title 回访 --for contact:2 --due 2026-03-01
			as bob task add --title 催款 --for account:2 --due "2026-03-02 08:00" --note 上月的单
			as alice task add --title 整理名片
			as alice account list --where "region = '华东'" | as alice task add --title 寄样品 --due +2d
			as alice task list
			as alice task list --all --format table
			as alice task list --overdue
			as alice task list --due tomorrow
			as alice task list --for account:2 --sort -id
			as alice task list --mine --where "priority = 'high'"
			as alice task show 1 3
			as alice task update 2 --title 再回访 --priority low
			as alice task done 1
			as alice task snooze 3 "下周一 9:30"
			as alice task list --owner bob | as alice task update --due +5d
			as alice task rm 4
			as alice task list --all
			as bob task list
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/S.out")" -ge 25 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT string_agg(id || ':' || status || ':' || owner, ' ' ORDER BY id) FROM task WHERE deleted_at IS NULL")" = "1:done:alice 2:open:bob 3:open:bob 5:open:alice 6:open:bob" ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT done_at FROM task WHERE id = 1")" = 2026-03-02T09:30:00+08:00 ]
}

@test "task list --overdue and --due on the server follow the clock as on a file" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		as alice task add --title 上午的 --due "2026-03-02 09:00" >/dev/null
		as alice task add --title 下午的 --due "2026-03-02 15:00" >/dev/null
		as alice task add --title 今天的 --due 2026-03-02 >/dev/null
		as alice task add --title 昨天的 --due 2026-03-01 >/dev/null
		{
			for now in 2026-03-02T08:00:00+08:00 2026-03-02T12:00:00+08:00 2026-03-02T23:00:00+08:00 2026-03-03T08:00:00+08:00; do
				echo "$now"
				CRM_NOW=$now as alice task list --overdue | jq -r .title
				CRM_NOW=$now as alice task list --due today | jq -r .title
			done
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	# at noon: yesterday's and the morning's are overdue, not the afternoon's or the day's
	cat "$BATS_TEST_TMPDIR/S.out"
	run sed -n '/T12:00/,/T23:00/p' "$BATS_TEST_TMPDIR/S.out"
	[ "$(echo "$output" | sed -n 2,3p | paste -sd ' ')" = "昨天的 上午的" ]
	# at 8:00 only yesterday's; the next morning all four
	[ "$(sed -n 2p "$BATS_TEST_TMPDIR/S.out")" = 昨天的 ]
	[ "$(sed -n '/^2026-03-03T08/,$p' "$BATS_TEST_TMPDIR/S.out" | tail -4 | paste -sd ' ')" = "昨天的 今天的 上午的 下午的" ]
}

@test "tasks as a rep: their own, as psql shows their role; another's refused (exit 5), nothing written" {
	SIDE=S
	some_records
	crm --db "$A" task add --title 甲 --for account:1 >/dev/null
	crm --db "$A" task add --title 乙 --for account:2 >/dev/null
	crm --db "$A" task add --title 丙 --for account:3 >/dev/null
	crm --db "$B" task add --title 丁 >/dev/null
	local u url
	for u in alice bob carol; do
		url=$(pg_url "$DBNAME" "$u")
		[ "$(crm --db "$url" task list | crm_ids)" = "$(psql_ids "$u" task)" ]
	done
	[ "$(crm --db "$B" task list | crm_ids)" = "2 4" ]
	[ "$(crm --db "$C" task list | crm_ids)" = 3 ]
	run --separate-stderr crm --db "$B" task show 1
	assert_failure 5
	[[ "$stderr" == *"task:1 is not visible to bob"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm --db "$B" task done 3
	assert_failure 5
	run --separate-stderr crm --db "$B" task snooze 1 +2d
	assert_failure 5
	run --separate-stderr crm --db "$C" task rm 2
	assert_failure 5
	run --separate-stderr crm --db "$B" task add --title 戊 --for account:1
	assert_failure 5
	[ "$(pg_psql "$DBNAME" postgres "SELECT string_agg(id || ':' || status || ':' || (deleted_at IS NULL), ' ' ORDER BY id) FROM task")" = "1:open:true 2:open:true 3:open:true 4:open:true" ]
	# the rep's own: written
	run --separate-stderr crm --db "$B" task done 2
	assert_success
	[ "$(pg_psql "$DBNAME" postgres "SELECT status FROM task WHERE id = 2")" = done ]
}

@test "task bad input: the file's message and exit code, nothing written" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		as alice task add --title 发方案 --due tomorrow >/dev/null
		{
			run --separate-stderr as alice task add --title 坏 --priority urgent
			echo "$status $stderr"
			run --separate-stderr as alice task add --title 坏 --for account:99
			echo "$status $stderr"
			run --separate-stderr as alice task add --due tomorrow </dev/null
			echo "$status ${stderr%%$'\n'*}"
			run --separate-stderr as alice task add --title 坏 --due "not a time"
			echo "$status $stderr"
			run --separate-stderr as alice task snooze 1 -1d
			echo "$status $stderr"
			run --separate-stderr as alice task update 1 status=done
			echo "$status ${stderr%%$'\n'*}"
			run --separate-stderr as alice task list --due someday
			echo "$status $stderr"
			run --separate-stderr as alice task done 99
			echo "$status $stderr"
			as alice task list | jq -c '{id, type}' | as alice task add || echo "$?"
		} > "$BATS_TEST_TMPDIR/$side.out" 2>&1
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	cat "$BATS_TEST_TMPDIR/S.out"   # shown when what follows fails
	[ "$(cut -d' ' -f1 "$BATS_TEST_TMPDIR/S.out" | grep -v '^crm:\|^usage:' | paste -sd ' ')" = "3 1 2 3 3 2 2 1 3" ]
	[ "$(count task)" = 1 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT status || '|' || due || '|' || (updated_at = created_at) FROM task WHERE id = 1")" = "open|2026-03-03T00:00:00+08:00|true" ]
	[ "$(count audit "entity LIKE 'task:%'")" = 1 ]
}
