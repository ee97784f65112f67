#!/usr/bin/env bats
# The team server (CLI.md 8.5): crm search, the service types (ticket with
# its SLA clock, survey) and the behaviour events and scores (track,
# score, activity) with --db postgresql://... The same commands on a file
# print the same lines; a rep finds and lists on the server only what the
# server's row-level security shows their role through psql. A throwaway
# cluster (tests/pg.bash) serves the whole file.
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
	pg_server_setup q
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

# The same records on one side: alice's, bob's, carol's, with Chinese text.
search_records() {
	as alice lead add name=张伟 phone=13812345678 company=杭州云启科技有限公司 >/dev/null
	as bob lead add name=李娜 email=lina@example.com company=云启科技 title="云启科技 采购" >/dev/null
	as carol lead add name=王芳 phone=13900000003 company=宁波海纳贸易 >/dev/null
	as alice account add name="杭州云启科技" address="杭州市西湖区文三路" >/dev/null
	as bob account add name="普洱茶业" address="云南省普洱市" >/dev/null
	as carol contact add name="赵六" title=采购经理 wechat=zhaoliu_pe >/dev/null
	as alice note lead:1 "客户说喜欢喝普洱茶，下周去云启科技拜访" --type call >/dev/null
	as bob note lead:2 "李娜 关心 100%_折扣 的事" >/dev/null
	as carol note lead:3 "宁波 喜欢 红茶" >/dev/null
}

@test "search prints on the server what it prints on a file: Chinese words long and short, ranking, --type, --limit, table" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		search_records
		{
			as alice search 云启科技
			as alice search 云启
			as alice search 普洱
			as alice search 茶
			as alice search "喜欢 普洱茶"
			as alice search "云启科技 采购"
			as alice search 138123
			as alice search LINA@EXAMPLE
			as alice search 100%_
			as alice search 云启 --type lead
			as alice search 云启科技 --limit 2
			as alice search 普洱 --format table
			as alice search 云启 --type account --format csv
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/S.out")" -ge 20 ]
	# the text of a record found by what its fields say, ranked: the record
	# that says 云启科技 twice in few words first
	[ "$(crm --db "$A" search 云启科技 | jq -r '"\(.type):\(.id)"' | paste -sd ' ')" = "lead:2 account:1 activity:1 lead:1" ]
	# the server's trigram indexes are there, one per searched type
	[ "$(count pg_indexes "indexname = 'crm_search_lead' AND indexdef LIKE '%gin_trgm_ops%'")" = 1 ]
}

@test "search on the server reads what was just written, changed or removed; nothing found is exit 1" {
	SIDE=S
	search_records
	run --separate-stderr crm --db "$A" search 西湖区
	assert_success
	[ "$(jqo .name)" = 杭州云启科技 ]
	[[ "$(jqo .snippet)" == *"[西湖区]"* ]] || fail "snippet: $(jqo .snippet)"
	crm --db "$A" account update 1 address=上海市浦东新区 >/dev/null
	run --separate-stderr crm --db "$A" search 西湖区
	assert_failure 1
	assert_output ''
	[ "$(crm --db "$A" search 浦东 | crm_ids)" = 1 ]
	crm --db "$A" lead rm 1 >/dev/null
	[ "$(crm --db "$A" search 138123 | wc -l)" = 0 ]
	run --separate-stderr crm --db "$A" search 没有这个词
	assert_failure 1
	[ "$stderr" = "" ]
}

@test "search bad input on the server: the file's message and exit code" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		search_records
		{
			run --separate-stderr as alice search "  "
			echo "$status $stderr"
			run --separate-stderr as alice search 云启 --type nosuch
			echo "$status $stderr"
			run --separate-stderr as alice search 云启 --limit -3
			echo "$status $stderr"
			run --separate-stderr as alice search
			echo "$status $stderr"
			run --separate-stderr as alice search "'; DROP TABLE lead; --"
			echo "$status $output $stderr"
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	cat "$BATS_TEST_TMPDIR/S.out"
	[ "$(grep -E '^[0-9]( |$)' "$BATS_TEST_TMPDIR/S.out" | cut -d' ' -f1 | paste -sd ' ')" = "2 2 2 2 1" ]
	[ "$(count lead)" = 3 ]
}

@test "a rep's search on the server finds only their own records, as psql shows their role" {
	SIDE=S
	search_records
	# bob: his lead, his account, his note; not alice's lead or account
	[ "$(crm --db "$B" search 云启科技 | jq -r '"\(.type):\(.id)"' | paste -sd ' ')" = "lead:2" ]
	[ "$(crm --db "$B" search 普洱 | jq -r '"\(.type):\(.id)"' | paste -sd ' ')" = "account:2" ]
	run --separate-stderr crm --db "$B" search 西湖区
	assert_failure 1
	[ "$(crm --db "$C" search 喜欢 | jq -r '"\(.type):\(.id)"' | paste -sd ' ')" = "activity:3" ]
	[ "$(crm --db "$A" search 喜欢 | jq -r '"\(.type):\(.id)"' | paste -sd ' ')" = "activity:1 activity:3" ]
	# what a rep finds of a type is among what their role reads through psql
	local u ids
	for u in bob carol; do
		for t in lead account contact activity; do
			ids=$(crm --db "$(pg_url "$DBNAME" "$u")" search 1 --type "$t" --limit 0 | crm_ids)
			for id in $ids; do
				[[ " $(psql_ids "$u" "$t") " == *" $id "* ]] || fail "$u found $t:$id"
			done
		done
	done
	# a rep's --limit counts only what they may see
	[ "$(crm --db "$B" search 云 --limit 1 | crm_ids)" = 2 ]
}

@test "search in a pipe on the server: its hits piped into show and tag" {
	SIDE=S
	search_records
	run --separate-stderr bash -c "crm --db '$A' search 云启科技 --type lead | crm --db '$A' lead show"
	assert_success
	[ "$(jq -r .name <<<"$output" | paste -sd ' ')" = "李娜 张伟" ]
	run --separate-stderr bash -c "crm --db '$B' search 云启 --type lead | crm --db '$B' tag add 云启"
	assert_success
	[ "$(crm --db "$A" lead list --tag 云启 | crm_ids)" = 2 ]
}
