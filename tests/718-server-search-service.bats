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

# try CMD...: run it; a failure is a line saying its exit status
try() {
	"$@" || echo "exit $?"
}

# Tickets and surveys on one side, the clocks moved by CRM_NOW.
service_records() {
	as alice account add name=杭州云启科技 >/dev/null
	as bob account add name=宁波海纳贸易 >/dev/null
	as bob contact add name=李娜 account_id=2 >/dev/null
	as alice ticket add --account 1 title="系统登录不了" priority=high category=登录
	as bob ticket add --contact 1 title="发票抬头错了" category=财务
	as bob ticket add --account 2 title="紧急：数据丢失" priority=urgent --assignee bob
	CRM_NOW=2026-03-02T10:00:00+08:00 as alice ticket reply 1 "请提供截图"
	CRM_NOW=2026-03-02T10:10:00+08:00 as alice ticket pending 1
	CRM_NOW=2026-03-03T09:00:00+08:00 as alice ticket reply 1 "截图已收到" --type call
	CRM_NOW=2026-03-02T11:00:00+08:00 as bob ticket resolve 3 --note 已恢复
	CRM_NOW=2026-03-02T12:00:00+08:00 as bob ticket close 3
	CRM_NOW=2026-03-02T13:00:00+08:00 as bob ticket reopen 3
	as alice survey add ticket:3 --csat 4 --comment "处理很快"
	as bob survey add account:2 --nps 9 --at 2026-03-01
	as alice survey add account:1 --nps 3 --comment 不满意
}

@test "ticket and survey print on the server what they print on a file: the SLA clocks, pauses, business hours, breaches" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		{
			service_records
			try as alice ticket list
			try as alice ticket show 1 2 3
			CRM_NOW=2026-03-05T10:00:00+08:00 try as alice ticket list --breached
			CRM_NOW=2026-03-02T12:00:00+08:00 try as alice ticket list --due-within 4h --format table
			try as alice ticket list --status open --assignee bob
			try as alice ticket list --where "priority = 'high' OR breached IS NOT NULL" --sort -id
			try as alice ticket update 2 priority=urgent
			try as alice config set sla.hours "09:00-18:00 1-5"
			try as alice config set sla.normal "2h/1d"
			try as alice ticket show 1 2 3
			CRM_NOW=2026-03-06T17:00:00+08:00 try as alice ticket list --format table
			try as alice ticket rm 2
			try as alice ticket list --removed
			try as alice survey list
			try as alice survey list --since 2026-03-02 --format table
			try as alice survey show 2
			try as alice survey update 3 comment=改好了
			try as alice survey rm 1
			try as alice activity list
			try as alice activity list --for ticket:1 --format table
			try as alice activity list --since 2026-03-03 --where "kind = 'call'"
			try as bob ticket list
			try as bob survey list
		} > "$BATS_TEST_TMPDIR/$side.out" 2>&1
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/S.out")" -ge 50 ]
	grep -q '"breached":\["first_response","resolve"\]' "$BATS_TEST_TMPDIR/S.out"
	# the pauses and the stamps are on the server
	[ "$(count ticket_pause)" = 2 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT status || '|' || first_response_at FROM ticket WHERE id = 1")" = "open|2026-03-02T10:00:00+08:00" ]
	[ "$(count survey "deleted_at IS NULL")" = 2 ]
}

@test "ticket and survey bad input on the server: the file's message and exit code, nothing written" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		as alice account add name=杭州云启科技 >/dev/null
		as alice ticket add --account 1 title=已有 >/dev/null
		{
			run --separate-stderr as alice ticket add title=没有客户
			echo "$status $stderr"
			run --separate-stderr as alice ticket add --account 1 title=坏 priority=asap
			echo "$status $stderr"
			run --separate-stderr as alice ticket add --account 1 title=坏 status=closed
			echo "$status $stderr"
			run --separate-stderr as alice ticket close 1
			echo "$status $stderr"
			run --separate-stderr as alice ticket pending 1
			echo "$status $stderr"
			run --separate-stderr as alice ticket reply 9 你好
			echo "$status $stderr"
			run --separate-stderr as alice ticket list --due-within soon
			echo "$status $stderr"
			run --separate-stderr as alice survey add ticket:1 --csat 9
			echo "$status $stderr"
			run --separate-stderr as alice survey add ticket:1 --csat 3 --nps 5
			echo "$status $stderr"
			run --separate-stderr as alice survey add ticket:7 --nps 5
			echo "$status $stderr"
			run --separate-stderr as alice activity list --for lead:99
			echo "$status $stderr"
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	cat "$BATS_TEST_TMPDIR/S.out"
	[ "$(count ticket)" = 1 ]
	[ "$(count survey)" = 0 ]
	[ "$(count ticket_pause)" = 0 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT status FROM ticket WHERE id = 1")" = new ]
}

@test "a rep's tickets, surveys and activities on the server: only what psql shows their role; another's is exit 5" {
	SIDE=S
	service_records >/dev/null
	local u
	for u in bob carol; do
		[ "$(crm --db "$(pg_url "$DBNAME" "$u")" ticket list | crm_ids)" = "$(psql_ids "$u" ticket)" ]
		[ "$(crm --db "$(pg_url "$DBNAME" "$u")" survey list | crm_ids)" = "$(psql_ids "$u" survey)" ]
		[ "$(crm --db "$(pg_url "$DBNAME" "$u")" activity list | crm_ids)" = "$(psql_ids "$u" activity)" ]
	done
	[ "$(crm --db "$B" ticket list | crm_ids)" = "2 3" ]
	# the pauses follow the ticket: bob reads those of his own
	[ "$(pg_psql "$DBNAME" bob "SELECT count(*) FROM ticket_pause")" = 1 ]
	run --separate-stderr crm --db "$B" ticket show 1
	assert_failure 5
	[[ "$stderr" == *"ticket:1 is not visible to bob"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm --db "$B" ticket reply 1 "我来看看"
	assert_failure 5
	run --separate-stderr crm --db "$C" ticket resolve 2
	assert_failure 5
	run --separate-stderr crm --db "$C" survey add ticket:2 --csat 1
	assert_failure 5
	[ "$(pg_psql "$DBNAME" postgres "SELECT status FROM ticket WHERE id = 2")" = new ]
	[ "$(count activity "entity = 'ticket:1'")" = 2 ]
	# a rep's search finds the titles of their own tickets only
	[ "$(crm --db "$B" search 发票抬头 | jq -r '"\(.type):\(.id)"')" = ticket:2 ]
	run --separate-stderr crm --db "$B" search 登录不了
	assert_failure 1
}

@test "tickets in pipes on the server: list piped into resolve, survey add from JSON lines" {
	SIDE=S
	service_records >/dev/null
	run --separate-stderr bash -c "crm --db '$A' ticket list --status open | crm --db '$A' ticket resolve --note 批量处理"
	assert_success
	[ "$(jq -r '"\(.id):\(.status)"' <<<"$output" | paste -sd ' ')" = "1:resolved 3:resolved" ]
	[ "$(count ticket "status = 'resolved' AND resolved_at IS NOT NULL")" = 2 ]
	run --separate-stderr crm --db "$A" survey add <<<'{"entity":"ticket:1","csat":5}
{"entity":"account:2","nps":10,"comment":"很好"}'
	assert_success
	[ "$(jq -r .id <<<"$output" | paste -sd ' ')" = "4 5" ]
	run --separate-stderr bash -c "crm --db '$B' ticket list | crm --db '$B' ticket show"
	assert_success
	[ "$(jq -r .id <<<"$output" | paste -sd ' ')" = "2 3" ]
}

# scored_file: the team's leads and their events on a file, not yet
# scored (crm track --no-score), and the same copied to a new server
# (crm migrate), whose name is then DBNAME.
scored_file() {
	pg_team_file
	crm --as alice config set score.target_industries "SaaS,制造" >/dev/null
	crm --as alice lead add name=张三 title=总经理 industry=SaaS company_size=500 >/dev/null
	crm --as bob lead add name=李四 industry=制造 >/dev/null
	crm --as carol lead add name=王五 company_size=150 >/dev/null
	crm --as bob lead add name=赵六 title=采购总监 >/dev/null
	crm --as alice track --no-score 1 webinar --at 2026-03-01 >/dev/null
	crm --as alice track --no-score 2 demo_request --at 2026-02-25 >/dev/null
	crm --as alice track --no-score 2 budget_confirmed --at 2026-01-02 >/dev/null
	crm --as alice track --no-score 3 pricing_page_view >/dev/null
	crm --as alice track --no-score 4 demo_request >/dev/null
	crm --as alice track --no-score 4 budget_confirmed >/dev/null
	DBNAME="${DBNAME}m"
	pg_createdb "$DBNAME"
	crm migrate --from "$CRM_DB" --to "$(pg_url "$DBNAME")" >/dev/null
}

@test "score on the server prints what it prints on a file: --all, ids, --explain, rules, has_event and event_count" {
	scored_file
	local side
	for side in F S; do
		SIDE=$side
		{
			try as alice lead list --where "has_event('demo_request')"
			try as alice lead list --where "event_count('budget_confirmed', 30) > 0" --format table
			try as alice score --all
			try as alice score --all
			try as alice score 1 2 --explain
			try as alice score rule add hot --when "has_event('demo_request') AND event_count('budget_confirmed', 30) > 0" --points 40
			try as alice score rule list --format table
			try as alice score 2 4
			try as alice config set score.min_company_size 120
			try as alice score --all --explain
			try as alice score rule rm hot
			try as alice score
			try as alice score --all
			try as alice lead list --sort -score,id --format table
			try as alice lead list --where "score >= 60"
		} > "$BATS_TEST_TMPDIR/$side.out" 2>&1
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	cat "$BATS_TEST_TMPDIR/S.out"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/S.out")" -ge 30 ]
	# the scores are on the server, a lead over score.sql qualified
	[ "$(pg_psql "$DBNAME" postgres "SELECT id || ':' || score FROM lead_score ORDER BY id" | paste -sd ' ')" = "1:70 2:75 3:25 4:70" ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT status FROM lead WHERE id = 4")" = qualified ]
}

@test "score on the server: a rep scores their own leads only, rules are the admin's, bad input refused" {
	scored_file
	SIDE=S
	local B M
	B=$(pg_url "$DBNAME" bob)
	run --separate-stderr crm --db "$B" score --all
	assert_success
	[ "$(jq -r .id <<<"$output" | paste -sd ' ')" = "2 4" ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT id FROM lead_score ORDER BY id" | paste -sd ' ')" = "2 4" ]
	# another's lead: exit 5, nothing scored
	run --separate-stderr crm --db "$B" score 1
	assert_failure 5
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM lead_score WHERE id = 1")" = 0 ]
	run --separate-stderr crm --db "$B" score rule add x --when "1 = 1" --points 5
	assert_failure 5
	M=$(pg_url "$DBNAME" alice)
	run --separate-stderr crm --db "$M" score rule add bad --when "nosuch > 1" --points 5
	assert_failure 2
	run --separate-stderr crm --db "$M" score rule add bad2 --when "1 = 1" --points many
	assert_failure 2
	run --separate-stderr crm --db "$M" score 99
	assert_failure 1
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM score_rule WHERE name LIKE 'bad%' OR name = 'x'")" = 0 ]
	# the run's audit entry is in the name of who ran it
	[ "$(pg_psql "$DBNAME" postgres "SELECT \"user\" FROM audit WHERE entity = 'score' ORDER BY id DESC LIMIT 1")" = bob ]
}

@test "score in a pipe on the server: a list piped into score, the changed leads piped on" {
	scored_file
	SIDE=S
	local M
	M=$(pg_url "$DBNAME" alice)
	run --separate-stderr bash -c "crm --db '$M' lead list --where \"has_event('demo_request')\" | crm --db '$M' score | crm --db '$M' tag add 热"
	assert_success
	[ "$(jq -r .id <<<"$output" | paste -sd ' ')" = "2 4" ]
	[ "$(crm --db "$M" lead list --tag 热 | jq -r '"\(.id):\(.score):\(.status)"' | paste -sd ' ')" = "2:75:qualified 4:70:qualified" ]
}

@test "track on the server prints what it prints on a file: events by id and from JSON lines, each lead rescored; bad input refused, a rep's own leads only" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		as alice lead add name=张伟 industry=SaaS >/dev/null
		as bob lead add name=李娜 >/dev/null
		{
			try as alice track 1 demo_request --at 2026-03-01
			printf '%s\n' '{"lead_id":1,"name":"pricing_page_view","at":"2026-03-01T10:00:00+08:00"}' \
				'{"lead_id":2,"name":"webinar","at":"2026-03-01T11:00:00+08:00"}' | try as alice track
			try as alice lead list --sort id | jq -c '{id, score, status}'
			try as alice track 99 demo_request 2>&1
			try as alice track 1 "" 2>&1
			# bob's lead only: alice's is not his to track
			try as bob track 1 webinar 2>&1
			try as bob track 2 webinar --at 2026-03-02
		} >"$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	grep -q '"name":"demo_request"' "$BATS_TEST_TMPDIR/S.out"
	[ "$(count event)" = 4 ]
	# a scoring rescored lead 1 above lead 2 on the server as on the file
	[ "$(pg_psql "$DBNAME" postgres "SELECT (SELECT score FROM lead_score WHERE id = 1) > coalesce((SELECT score FROM lead_score WHERE id = 2), 0)")" = t ]
}
