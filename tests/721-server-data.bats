#!/usr/bin/env bats
# The team server (CLI.md 8.5): crm dedupe, merge, backup and check with
# --db postgresql://... The same commands on a file print the same lines
# (check prints a third, row_level_security); a rep's dedupe finds among
# what their role sees, and merge, backup and check are an admin's (5).
# A backup of a server is a database file crm reads; a purge there leaves
# nothing that refers to what went (the server has no foreign keys), as
# crm check says. A throwaway cluster (tests/pg.bash) serves the whole
# file.
load helper
load pg

setup_file() {
	pg_start
}

teardown_file() {
	pg_stop
}

local_setup() {
	pg_server_setup d
}

# count TABLE [WHERE]: rows on the server, read as postgres (no policy)
count() {
	pg_psql "$DBNAME" postgres "SELECT count(*) FROM \"$1\"${2:+ WHERE $2}"
}

# Likely duplicates on one side: alice's and bob's leads, two accounts.
duplicates() {
	as alice lead add name=张伟 phone=13812345678 company=杭州云启科技有限公司 >/dev/null
	as alice lead add name=张伟 phone="138 1234 5678" company=杭州云启科技 email=zw@x.cn --allow-duplicate >/dev/null
	as alice lead add name=李娜 company=宁波海天 email=ln@x.cn >/dev/null
	as alice lead add name="张 伟" company="杭州云启科技(中国)有限公司" >/dev/null
	as bob lead add name=Amy company="Foo Co., Ltd." >/dev/null
	as bob lead add name=amy company=foo >/dev/null
	as bob lead add name=李晓明 company=北京华信有限公司 >/dev/null
	as bob lead add name=李小明 company=北京华信 >/dev/null
	as alice lead add name=李娜 company=宁波海天 email=ln@x.cn --allow-duplicate >/dev/null
	as alice account add name=杭州云启科技有限公司 >/dev/null
	as alice account add name="杭州云启科技 (中国) 有限公司" >/dev/null
}

# try CMD...: the command's lines and its exit status
try() {
	local rc=0
	"$@" 2>&1 || rc=$?
	echo "rc=$rc"
}

@test "dedupe prints on the server what it prints on a file: each key, --fuzzy, accounts, a rep's own, a pipe into merge" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		duplicates
		{
			try as alice dedupe leads
			try as alice dedupe leads --fuzzy
			try as alice dedupe leads --by email
			try as alice dedupe leads --by name+company --fuzzy --format table
			try as alice dedupe accounts --fuzzy
			try as alice dedupe leads --by colour
			try as bob dedupe leads --fuzzy
			try as bob dedupe leads --by phone
			# each group merged into its first record, in a pipe
			as alice dedupe leads --by phone,email | jq -r '.ids | map(tostring) | join(" ")' |
				while read -r keep drop; do
					# shellcheck disable=SC2086   # the ids to drop, as words
					as alice merge lead "$keep" $drop | jq -c '{id, email, merged}'
				done
			try as alice dedupe leads
			as alice lead list | jq -c '[.id, .name, .phone, .email]'
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	# what it found, on the server
	grep -qF '"ids":[1,2],"records":["lead:1","lead:2"],"reason":"same phone: 13812345678","score":1' "$BATS_TEST_TMPDIR/S.out"
	grep -qF '"reason":"similar names at one company (fuzzy): 李晓明 ~ 李小明 / 北京华信","score":0.8' "$BATS_TEST_TMPDIR/S.out"
	grep -qF '"ids":[1,2],"records":["account:1","account:2"]' "$BATS_TEST_TMPDIR/S.out"
	grep -qF "'colour' is not phone, email or name+company" "$BATS_TEST_TMPDIR/S.out"
	# bob finds among his own leads alone
	run --separate-stderr crm --db "$B" dedupe leads --fuzzy
	assert_success
	[ "$(jq -c .ids <<<"$output" | paste -sd ' ')" = "[5,6] [7,8]" ]
	[ "$(grep -c '^rc=' "$BATS_TEST_TMPDIR/S.out")" -eq 9 ]
	# the merges went through: one lead where each group was
	[ "$(count lead "deleted_at IS NULL")" = 7 ]
}

@test "merge on the server: the file's lines, restore undoes it; all or nothing; a rep is refused (5), nothing changes" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		duplicates
		{
			as alice note lead:2 "二号的通话" --next "+1d 回电" >/dev/null
			as alice note lead:1 "一号的通话" >/dev/null
			as alice track 2 demo_request >/dev/null
			as alice tag add lead:2 重要 >/dev/null
			as alice merge lead 1 2
			as alice lead show 1
			as alice activity list --for lead:1 | jq -c '[.entity, .text]'
			as alice task list --for lead:1 | jq -c '[.entity, .title]'
			try as alice lead show 2
			as alice history lead:2 | jq -c '[.action, .user]'
			as alice restore lead:2
			as alice lead show 1 2 | jq -c '[.id, .email, .tags, .score]'
			as alice activity list --for lead:2 | jq -c '[.entity, .text]'
			# a drop that is not there: nothing merged, not even the others
			try as alice merge lead 1 2 99
			try as alice merge lead 1 1
			try as bob merge lead 5 6
			as alice lead list | jq -c '[.id, .email]'
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	grep -qF '"merged":{"lead:2":' "$BATS_TEST_TMPDIR/S.out"
	grep -qF 'no lead with id 99' "$BATS_TEST_TMPDIR/S.out"
	grep -qF 'settings are the admin' "$BATS_TEST_TMPDIR/S.out"
	# on the server: lead 2 is back, its events with it, and bob's two leads stand
	[ "$(count lead "deleted_at IS NULL")" = 9 ]
	[ "$(count event "lead_id = 2")" = 1 ]
	[ "$(count audit "action = 'merge'")" = 1 ]
}

@test "check on the server: integrity, foreign keys as on a file and row_level_security, ok; damage is exit 6 naming it; a rep is refused (5)" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		duplicates
		as alice check > "$BATS_TEST_TMPDIR/$side.out"
	done
	# the file's two lines, and the server's third
	diff "$BATS_TEST_TMPDIR/F.out" <(head -2 "$BATS_TEST_TMPDIR/S.out")
	[ "$(cat "$BATS_TEST_TMPDIR/F.out")" = '{"type":"check","check":"integrity","result":"ok"}
{"type":"check","check":"foreign_keys","result":"ok"}' ]
	[ "$(tail -1 "$BATS_TEST_TMPDIR/S.out")" = '{"type":"check","check":"row_level_security","result":"ok"}' ]
	# a rep may not: nothing printed
	run --separate-stderr crm --db "$B" check
	assert_failure 5
	[ -z "$output" ]
	[[ "$stderr" == *"connect as an admin (bob is not one)"* ]]
	# damage done through psql: a score of no lead, a stay of no deal, the
	# leads' security not forced, the audit log's off
	pg_psql "$DBNAME" postgres "INSERT INTO lead_score(id, score) VALUES (99, 5);
		INSERT INTO stage_history(deal_id, pipeline, to_stage, at, \"user\") VALUES (42, 'default', 'new', 'x', 'alice');
		ALTER TABLE lead NO FORCE ROW LEVEL SECURITY; ALTER TABLE audit DISABLE ROW LEVEL SECURITY" >/dev/null
	run --separate-stderr crm --db "$A" check
	assert_failure 6
	assert_jsonl
	[ "$(jq -r '.check + ": " + .result' <<<"$output")" = "integrity: ok
foreign_keys: stage_history 1 deal 0
foreign_keys: lead_score 99 lead 0
row_level_security: audit: row-level security is off
row_level_security: lead: row-level security is not forced (its owner reads past it)" ]
	[[ "$stderr" == *"is damaged (4 problems above)"* ]]
	[[ "$stderr" != *"password"* ]]
	# a missing column is the integrity check's
	pg_psql "$DBNAME" postgres "ALTER TABLE lead_score DROP COLUMN score" >/dev/null
	run --separate-stderr crm --db "$A" check
	assert_failure 6
	[ "$(jq -r 'select(.check == "integrity") | .result' <<<"$output")" = "lead_score: no column score on the server" ]
}

# The records a purge must leave nothing of, on one side: a scored lead,
# a deal with its stays, a payment applied to an instalment, a ticket with
# a pause and a breach, a tick rule that fired, an import run whose lead
# was scored.
purged_records() {
	as alice account add name=杭州云启科技有限公司 >/dev/null
	as alice lead add name=甲 phone=13800000001 >/dev/null
	as alice track 1 demo_request >/dev/null
	as alice deal add name=云启CRM account_id=1 amount=10000 >/dev/null
	as alice stage move deal:1 qualified >/dev/null
	as alice contract add --deal 1 amount=10000 start=2026-03-01 end=2027-02-28 >/dev/null
	as alice contract submit 1 >/dev/null
	as alice contract sign 1 >/dev/null
	as alice plan add --contract 1 amount=4000 due=2026-04-01 >/dev/null
	as alice payment add --contract 1 amount=1000 date=2026-03-10 >/dev/null
	as alice ticket add --account 1 title=登录不了 priority=urgent >/dev/null
	CRM_NOW=2026-03-02T10:00:00+08:00 as alice ticket reply 1 "请提供截图" >/dev/null
	CRM_NOW=2026-03-02T10:10:00+08:00 as alice ticket pending 1 >/dev/null
	as alice ticket add --account 1 title=数据丢失 priority=urgent >/dev/null
	CRM_NOW=2026-03-05T09:30:00+08:00 as alice automate tick >/dev/null
	as alice rule add stale --on tick --type lead --every 1h --when "status = 'new'" --do "tag add 待跟进" >/dev/null
	CRM_NOW=2026-03-05T09:30:00+08:00 as alice automate tick >/dev/null
	printf 'name,phone\n乙,13800000002\n丙,13800000003\n' > "$BATS_TEST_TMPDIR/l.csv"
	as alice import leads "$BATS_TEST_TMPDIR/l.csv" >/dev/null 2>&1
	as alice track 2 webinar >/dev/null
}

@test "a purge on the server leaves nothing that refers to what went: lead, deal, payment, ticket, rule, import undo; check is clean" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		purged_records
		if [ "$side" = S ]; then
			# what the purges must take with them is there
			[ "$(count lead_score)" = 2 ]
			[ "$(count stage_history)" -ge 1 ]
			[ "$(count payment_alloc)" = 1 ]
			[ "$(count ticket_pause)" = 1 ]
			[ "$(count ticket_breach)" -ge 1 ]
			[ "$(count rule_fired)" -ge 1 ]
		fi
		{
			as alice payment rm 1 --purge | jq -c '[.type, .id]'
			as alice plan rm 1 --purge | jq -c '[.type, .id]'
			as alice ticket rm 1 2 --purge | jq -c '[.type, .id]'
			as alice lead rm 1 --purge | jq -c '[.type, .id]'
			as alice deal rm 1 --purge | jq -c '[.type, .id]'
			as alice rule rm stale
			as alice import undo 1 --force 2>&1 | sed -E 's/; [0-9]+\.[0-9]+ s$//'
			as alice check
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" <(grep -v row_level_security "$BATS_TEST_TMPDIR/S.out")
	grep -qxF '{"type":"check","check":"foreign_keys","result":"ok"}' "$BATS_TEST_TMPDIR/S.out"
	grep -qxF '{"type":"check","check":"row_level_security","result":"ok"}' "$BATS_TEST_TMPDIR/S.out"
	local t
	for t in lead_score stage_history payment_alloc ticket_pause ticket_breach rule_fired; do
		[ "$(count "$t")" = 0 ] || fail "$t: $(count "$t") rows left"
	done
}

@test "backup on the server: a database file (0600) of everything, read by crm --db FILE; the default name here; a file or a link there is refused (4); a rep is refused (5)" {
	SIDE=S
	duplicates
	as alice merge lead 1 2 >/dev/null
	cd "$BATS_TEST_TMPDIR"
	run --separate-stderr crm --db "$A" backup "$BATS_TEST_TMPDIR/b.db"
	assert_success
	[ "$(jqo .type)" = backup ]
	[ "$(jqo .path)" = "$BATS_TEST_TMPDIR/b.db" ]
	[ "$(jqo .bytes)" = "$(stat -c %s "$BATS_TEST_TMPDIR/b.db")" ]
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/b.db")" = 600 ]
	[ -z "$(ls "$BATS_TEST_TMPDIR" | grep tmp-)" ]
	# the file reads as the server did, for alice and for bob
	for u in alice bob; do
		diff <(crm --db "$(pg_url "$DBNAME" "$u")" lead list) <(crm --db "$BATS_TEST_TMPDIR/b.db" --as "$u" lead list)
		diff <(crm --db "$(pg_url "$DBNAME" "$u")" account list) <(crm --db "$BATS_TEST_TMPDIR/b.db" --as "$u" account list)
	done
	diff <(crm --db "$A" user list) <(crm --db "$BATS_TEST_TMPDIR/b.db" --as alice user list)
	diff <(crm --db "$A" log) <(crm --db "$BATS_TEST_TMPDIR/b.db" --as alice log)
	diff <(crm --db "$A" dedupe leads --fuzzy) <(crm --db "$BATS_TEST_TMPDIR/b.db" --as alice dedupe leads --fuzzy)
	run crm --db "$BATS_TEST_TMPDIR/b.db" --as alice check
	assert_success
	# the default name, in the current folder
	run --separate-stderr crm --db "$A" backup
	assert_success
	[[ "$(jqo .path)" =~ ^crm-backup-[0-9]{8}-[0-9]{6}-[0-9]{3}\.db$ ]] || fail "$output"
	[ "$(stat -c %a "$(jqo .path)")" = 600 ]
	# an existing file, or a link, is not written (4)
	echo keep > "$BATS_TEST_TMPDIR/old.db"
	run --separate-stderr crm --db "$A" backup "$BATS_TEST_TMPDIR/old.db"
	assert_failure 4
	[[ "$stderr" == *"already exists"* ]]
	[ "$(cat "$BATS_TEST_TMPDIR/old.db")" = keep ]
	ln -s "$BATS_TEST_TMPDIR/target" "$BATS_TEST_TMPDIR/link.db"
	run --separate-stderr crm --db "$A" backup "$BATS_TEST_TMPDIR/link.db"
	assert_failure 4
	[[ "$stderr" == *"symbolic link"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/target" ]
	# a rep's is refused, and leaves nothing
	run --separate-stderr crm --db "$B" backup "$BATS_TEST_TMPDIR/bob.db"
	assert_failure 5
	[[ "$stderr" == *"crm backup copies everything: connect as an admin"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/bob.db" ]
	[ -z "$(ls "$BATS_TEST_TMPDIR" | grep tmp-)" ]
}
