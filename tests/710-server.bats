#!/usr/bin/env bats
# The team server (CLI.md 8.5), its first part: crm server init, crm server
# user add, crm migrate to a server and back, and row-level security seen
# through psql. A throwaway cluster (tests/pg.bash) serves the whole file.
load helper
load pg

setup_file() {
	pg_start
}

teardown_file() {
	pg_stop
}

local_setup() {
	pg_skip_if_none
	DBNAME="t$BATS_SUITE_TEST_NUMBER"
	pg_createdb "$DBNAME"
	URL=$(pg_url "$DBNAME")
}

# A team's file: alice the admin, dave managing east (carol, bob), erin a
# rep in west, fiona in finance; leads of each, one in the pool, shares
# (one read, one expired, one to write), an account, a deal, a contact, a
# note, a task, a product and a custom field.
team_file() {
	fresh_db
	team_users
	crm user add erin --role rep --team west >/dev/null
	crm user add fiona --role finance >/dev/null
	crm user add sam --role service >/dev/null
	crm field add lead hobby >/dev/null
	local n=0 o i
	for o in carol bob erin; do
		for i in 1 2; do
			n=$((n + 1))
			crm lead add name="$o 客户 $i" phone="1381234560$n" company="公司$n" owner="$o" hobby="茶$n" >/dev/null
		done
	done
	crm lead add name="公海线索" owner= >/dev/null
	crm share lead:3 --with carol >/dev/null
	crm share lead:6 --with carol --write --until 2099-12-31 >/dev/null
	crm account add name="杭州云启科技有限公司" owner=carol >/dev/null
	crm account add name="宁波海纳贸易有限公司" owner=erin >/dev/null
	crm contact add name="张伟" phone=13900000001 account=1 owner=carol >/dev/null
	crm contact add name="李娜" phone=13900000002 account=2 owner=erin >/dev/null
	crm deal add name="云启 年度合同" account=1 owner=carol amount=120000.5 >/dev/null
	crm deal add name="海纳 试用" account=2 owner=erin amount=8000 >/dev/null
	crm stage move deal:1 qualified >/dev/null
	crm stage move deal:2 qualified >/dev/null
	crm stage move deal:2 proposal >/dev/null
	crm note lead:1 "打过电话，下周再联系" >/dev/null
	crm task add --for lead:2 --title "寄报价" --due tomorrow >/dev/null
	crm product add name=普洱茶 sku=PE-1 price=99.9 tax_rate=13 >/dev/null
	crm quote add --deal 1 >/dev/null
}

# ids_crm USER [TYPE]: the ids crm TYPE list --as USER shows (default lead)
ids_crm() {
	local out
	out=$(crm --as "$1" "${2:-lead}" list --json) || [ $? -eq 1 ] || return 1   # 1: none
	jq -r '.id' <<<"$out" | sort -n | paste -sd ' '
}

# ids_psql USER [TYPE]: the ids USER's own role sees through psql
ids_psql() {
	local out
	out=$(pg_psql "$DBNAME" "$1" "SELECT id FROM \"${2:-lead}\" ORDER BY id") || return 1
	paste -sd ' ' <<<"$out"
}

@test "server init makes the schema, the roles and the policies; a second init is refused" {
	run --separate-stderr crm server init "$URL"
	assert_success
	[ "$(jqo .type)" = server ]
	[ "$(jqo .pg_trgm)" = true ]
	[ "$(jqo .policies)" -gt 100 ]
	run pg_psql "$DBNAME" postgres "SELECT count(*) FROM pipeline; SELECT relforcerowsecurity FROM pg_class WHERE relname = 'lead'"
	assert_success
	assert_line --index 0 1
	assert_line --index 1 t
	run pg_psql "$DBNAME" postgres "SELECT rolname FROM pg_roles WHERE rolname LIKE 'crm\_%' ORDER BY 1"
	assert_output "$(printf 'crm_admin\ncrm_finance\ncrm_legal\ncrm_manager\ncrm_rep\ncrm_service')"
	# nothing of the full-text index nor of SQLite's own tables
	run pg_psql "$DBNAME" postgres "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'search\_%' AND tablename <> 'search_dirty' OR tablename LIKE 'sqlite%'"
	assert_output 0
	local before
	before=$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM pg_policies")
	run --separate-stderr crm --db "$URL" server init
	assert_failure 4
	[[ "$stderr" == *"is a crm server already"* ]] || fail "stderr: $stderr"
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM pg_policies")" = "$before" ]
}

@test "init refuses a database that has tables of crm's names, writing nothing" {
	pg_psql "$DBNAME" postgres "CREATE TABLE lead (x int)"
	run --separate-stderr crm server init "$URL"
	assert_failure 4
	run pg_psql "$DBNAME" postgres "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
	assert_output 1
}

@test "server user add: the first an admin, then a rep with a login role; bad role, duplicate, not an admin" {
	crm server init "$URL" >/dev/null
	run --separate-stderr crm server user add carol --role rep --server "$URL"
	assert_failure 2
	[[ "$stderr" == *"first user must be an admin"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm server user add boss --role admin --server "$URL"
	assert_success
	[ "$(jqo .login_role)" = boss ]
	run --separate-stderr crm --db "$URL" server user add carol --role rep --team east --manager boss
	assert_success
	[ "$(jqo .team)" = east ]
	run pg_psql "$DBNAME" carol "SELECT current_user, (SELECT role FROM \"user\" WHERE name = current_user)"
	assert_output 'carol|rep'
	run pg_psql "$DBNAME" postgres "SELECT pg_has_role('carol', 'crm_rep', 'member'), count(*) FROM audit WHERE entity LIKE 'user:%'"
	assert_output 't|2'
	run --separate-stderr crm server user add dan --role boss --server "$URL"
	assert_failure 3
	[[ "$stderr" == *"role: 'boss' is not one of"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm server user add carol --role rep --server "$URL"
	assert_failure 4
	run --separate-stderr crm server user add dan --role rep --manager nobody --server "$URL"
	assert_failure 3
	run --separate-stderr crm server user add dan --role rep --server "$(pg_url "$DBNAME" carol)"
	assert_failure 5
	run pg_psql "$DBNAME" postgres "SELECT count(*) FROM \"user\""
	assert_output 2
	run --separate-stderr crm server user add dan --role rep --server "$(pg_url nosuchdb)"
	assert_failure 6
	run --separate-stderr crm server user add dan --role rep --server ./file.db
	assert_failure 2
}

@test "user add --password-stdin sets a password the server checks" {
	crm server init "$URL" >/dev/null
	crm server user add boss --role admin --server "$URL" >/dev/null
	echo 's3cret pass' | crm server user add pat --role rep --password-stdin --server "$URL" >/dev/null
	run pg_psql "$DBNAME" postgres "SELECT rolpassword LIKE 'SCRAM-SHA-256\$%' FROM pg_authid WHERE rolname = 'pat'"
	assert_output t
	run --separate-stderr crm server user add pet --role rep --password-stdin --server "$URL" </dev/null
	assert_failure 3
}

@test "migrate to the server and back: the same exports, the same log, the counts printed" {
	team_file
	run --separate-stderr crm migrate --from "$CRM_DB" --to "$URL"
	assert_success
	assert_jsonl
	local tables
	tables=$(sqlite3 "$CRM_DB" "SELECT count(*) FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite%'")
	[ "$(echo "$output" | wc -l)" -eq "$tables" ]
	[ "$(echo "$output" | jq -s 'map(select(.ok | not)) | length')" = 0 ]
	[ "$(echo "$output" | jq -r 'select(.table == "lead") | .target')" = 7 ]
	run --separate-stderr crm migrate --from "$URL" --to "$BATS_TEST_TMPDIR/back.db"
	assert_success
	[ "$(echo "$output" | jq -s 'map(select(.ok | not)) | length')" = 0 ]
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/back.db")" = 600 ]
	local t
	for t in leads accounts contacts deals tasks activities users products; do
		cmp <(crm export "$t" --format jsonl) <(crm --db "$BATS_TEST_TMPDIR/back.db" export "$t" --format jsonl) ||
			fail "crm export $t differs after the round trip"
	done
	cmp <(crm log --json) <(crm --db "$BATS_TEST_TMPDIR/back.db" log --json) || fail "crm log differs"
	cmp <(crm history lead:1 --json) <(crm --db "$BATS_TEST_TMPDIR/back.db" history lead:1 --json) ||
		fail "crm history differs"
	run crm --db "$BATS_TEST_TMPDIR/back.db" check
	assert_success
	cmp <(crm report funnel --json) <(crm --db "$BATS_TEST_TMPDIR/back.db" report funnel --json) ||
		fail "the funnel differs (derived tables counted twice?)"
	local d
	for d in funnel_counts stage_stats stage_history; do
		[ "$(sqlite3 "$CRM_DB" "SELECT * FROM $d ORDER BY 1, 2, 3")" = \
		  "$(sqlite3 "$BATS_TEST_TMPDIR/back.db" "SELECT * FROM $d ORDER BY 1, 2, 3")" ] || fail "$d differs"
	done
	[ -n "$(sqlite3 "$CRM_DB" "SELECT * FROM stage_stats")" ]
	# the triggers are back and the search index is whole
	[ "$(sqlite3 "$CRM_DB" "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'")" = \
	  "$(sqlite3 "$BATS_TEST_TMPDIR/back.db" "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'")" ]
	run crm --db "$BATS_TEST_TMPDIR/back.db" search 客户
	assert_success
	[ "$(echo "$output" | wc -l)" -eq 6 ]
	# the server's identities go on past the ids copied
	run pg_psql "$DBNAME" postgres "INSERT INTO lead (name, status, created_at, updated_at) VALUES ('x', 'new', 'now', 'now') RETURNING id"
	assert_output 8
}

@test "migrate into a server or a file that is not new: exit 4, nothing written" {
	team_file
	crm migrate --from "$CRM_DB" --to "$URL" >/dev/null
	local leads audit
	leads=$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM lead")
	audit=$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM audit")
	run --separate-stderr crm migrate --from "$CRM_DB" --to "$URL"
	assert_failure 4
	[ -z "$output" ]
	[[ "$stderr" == *"is not empty"* ]] || fail "stderr: $stderr"
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM lead")" = "$leads" ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM audit")" = "$audit" ]
	echo keep > "$BATS_TEST_TMPDIR/there.db"
	run --separate-stderr crm migrate --from "$URL" --to "$BATS_TEST_TMPDIR/there.db"
	assert_failure 4
	[ "$(cat "$BATS_TEST_TMPDIR/there.db")" = keep ]
	run --separate-stderr crm migrate --from "$URL" --to "$URL"
	assert_failure 2
	run --separate-stderr crm migrate --from "$CRM_DB"
	assert_failure 2
}

@test "psql as a user's own role sees exactly what crm lead list --as shows; another rep's lead cannot change" {
	team_file
	crm migrate --from "$CRM_DB" --to "$URL" >/dev/null
	local u t got want
	for u in carol bob dave fiona sam erin alice; do
		for t in lead account contact deal task activity product quote; do
			got=$(ids_psql "$u" "$t") || fail "psql as $u could not read $t"
			want=$(ids_crm "$u" "$t") || fail "crm $t list --as $u failed"
			[ "$got" = "$want" ] || fail "$u: psql sees $t '$got', crm $t list --as $u '$want'"
		done
	done
	[ "$(ids_psql sam account)" = "1 2" ]   # service: every account
	[ "$(ids_psql fiona account)" = "1" ]   # finance: the accounts its quotes belong to
	[ "$(ids_psql fiona quote)" = "1" ]
	[ "$(ids_psql dave deal)" = "1" ]       # a manager: their team's
	[ "$(ids_psql carol)" = "1 2 3 6 7" ]   # own, shared (3, 6), the pool (7)
	[ "$(ids_psql fiona)" = "" ]
	# erin's lead 5: carol cannot see it, nor change it; lead 3 is shared to read only
	run pg_psql "$DBNAME" carol "UPDATE lead SET name = 'mine now' WHERE id IN (3, 4, 5)"
	assert_success
	run psql -X -v ON_ERROR_STOP=1 "$(pg_url "$DBNAME" carol)" -c "UPDATE lead SET name = 'mine now' WHERE id IN (3, 4, 5)"
	assert_output 'UPDATE 0'
	run psql -X "$(pg_url "$DBNAME" carol)" -c "UPDATE lead SET note = 'ok' WHERE id IN (1, 6)"
	assert_output 'UPDATE 2'
	run pg_psql "$DBNAME" postgres "SELECT count(*) FROM lead WHERE name = 'mine now'"
	assert_output 0
	# the users are everyone's to read, the admin's to change
	run pg_psql "$DBNAME" carol "SELECT count(*) FROM \"user\""
	assert_output 7
	run pg_psql "$DBNAME" carol "UPDATE \"user\" SET role = 'admin' WHERE name = 'carol'"
	assert_failure
	# one who has left holds no policy, whatever groups their login role is
	# in, nor one whose role is no longer their group's (the user table's
	# trigger, which would move their login role with the row, held back)
	pg_psql "$DBNAME" postgres "ALTER TABLE \"user\" DISABLE TRIGGER crm_user_login"
	pg_psql "$DBNAME" postgres "UPDATE \"user\" SET status = 'left' WHERE name = 'bob'"
	[ "$(ids_psql bob)" = "" ]
	pg_psql "$DBNAME" postgres "UPDATE \"user\" SET role = 'manager' WHERE name = 'erin'"
	[ "$(ids_psql erin)" = "" ]
	pg_psql "$DBNAME" postgres "ALTER TABLE \"user\" ENABLE TRIGGER crm_user_login"
	# with it, the change moves the login role as it commits: erin is in
	# crm_manager now, and sees what a manager erin sees on the file
	pg_psql "$DBNAME" postgres "UPDATE \"user\" SET role = 'manager' WHERE name = 'erin'"
	crm user update erin role=manager >/dev/null
	[ -n "$(ids_psql erin)" ]
	[ "$(ids_psql erin)" = "$(ids_crm erin)" ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT string_agg(g.rolname, ' ') FROM pg_auth_members AS m
		JOIN pg_roles AS g ON g.oid = m.roleid JOIN pg_roles AS u ON u.oid = m.member WHERE u.rolname = 'erin'")" = crm_manager ]
	# the audit log: a rep reads the entries of the leads she may see, no one else's
	[ "$(pg_psql "$DBNAME" carol "SELECT DISTINCT split_part(entity, ':', 2)::bigint FROM audit WHERE entity LIKE 'lead:%' ORDER BY 1" | paste -sd ' ')" = "$(ids_psql carol)" ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(DISTINCT entity) FROM audit WHERE entity LIKE 'lead:%'")" -gt 5 ]
	# the owner of the tables is bound too (FORCE): without crm_admin it sees nothing
	run pg_psql "$DBNAME" postgres "SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE relname = 'deal'"
	assert_output t
	# a rep adds a lead of their own; one for someone else the database refuses
	run pg_psql "$DBNAME" carol "INSERT INTO lead (name, status, owner, created_at, updated_at) VALUES ('mine', 'new', 'carol', 'now', 'now') RETURNING id"
	assert_success
	assert_output 8
	run pg_psql "$DBNAME" carol "INSERT INTO lead (name, status, owner, created_at, updated_at) VALUES ('x', 'new', 'erin', 'now', 'now')"
	assert_failure
	[[ "$output" == *"row-level security"* ]] || fail "$output"
	# and one who left may no longer log in at all, once the change commits
	pg_psql "$DBNAME" postgres "UPDATE \"user\" SET status = 'left' WHERE name = 'bob'"
	run pg_psql "$DBNAME" bob "SELECT 1"
	assert_failure
	[[ "$output" == *"not permitted to log in"* ]] || fail "$output"
}

@test "migrate piped into jq: one JSON line per table" {
	team_file
	run bash -c "crm migrate --from '$CRM_DB' --to '$URL' | jq -r 'select(.ok) | .table' | wc -l"
	assert_success
	[ "$output" -gt 30 ]
	run crm migrate --from "$URL" --to "$BATS_TEST_TMPDIR/b.db" --table
	assert_success
	assert_line --index 0 --regexp '^table +source +target +ok'
}

@test "--db postgresql://, CRM_DB and db.url naming a database that is no crm server: exit 6, crm server init named" {
	run --separate-stderr crm --db "$URL" lead list
	assert_failure 6
	[[ "$stderr" == *"the server has no crm schema: crm server init URL makes one"* ]] || fail "stderr: $stderr"
	[ ! -e "postgresql:" ]
	# crm init checks a server and never makes one: this is none
	run --separate-stderr crm init "$URL"
	assert_failure 6
	[[ "$stderr" == *"crm server init URL makes one"* ]] || fail "stderr: $stderr"
	[ ! -e "postgresql:" ]
	CRM_DB="$URL" run --separate-stderr crm lead list
	assert_failure 6
	unset CRM_DB
	mkdir -p "$HOME/.config/crm"
	echo "db.url = $URL" > "$HOME/.config/crm/config"
	run --separate-stderr crm lead list
	assert_failure 6
	[[ "$stderr" == *"crm server init"* ]] || fail "stderr: $stderr"
	# a schema of another version is refused the same way, nothing written
	rm "$HOME/.config/crm/config"
	crm server init "$URL" >/dev/null
	pg_psql "$DBNAME" postgres "UPDATE crm_schema SET version = version - 1"
	run --separate-stderr crm --db "$URL" lead add name=x
	assert_failure 6
	[[ "$stderr" == *"the server has crm schema v"*"crm server init"* ]] || fail "stderr: $stderr"
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM lead")" = 0 ]
}

@test "a server whose owner is no superuser: init, migrate, forced security on the owner, a rep cannot copy it all" {
	team_file
	local owner="owner$BATS_SUITE_TEST_NUMBER" db="own$BATS_SUITE_TEST_NUMBER"
	pg_psql postgres postgres "CREATE ROLE $owner LOGIN CREATEROLE"
	pg_psql postgres postgres "CREATE DATABASE $db OWNER $owner"
	local url
	url=$(pg_url "$db" "$owner")
	run --separate-stderr crm server init "$url"
	assert_success
	run --separate-stderr crm migrate --from "$CRM_DB" --to "$url"
	assert_success
	# every record table stays forced after the copy
	run pg_psql "$db" "$owner" "SELECT count(*) FROM pg_class WHERE relrowsecurity AND NOT relforcerowsecurity"
	assert_output 0
	[ "$(pg_psql "$db" carol "SELECT id FROM lead ORDER BY id" | paste -sd ' ')" = "$(ids_crm carol)" ]
	[ "$(pg_psql "$db" "$owner" "SELECT count(*) FROM lead")" = 7 ]
	# the owner without crm_admin is bound by the policies like anyone
	pg_psql "$db" postgres "REVOKE crm_admin FROM $owner"
	[ "$(pg_psql "$db" "$owner" "SELECT count(*) FROM lead")" = 0 ]
	pg_psql "$db" postgres "GRANT crm_admin TO $owner"
	run --separate-stderr crm migrate --from "$(pg_url "$db" carol)" --to "$BATS_TEST_TMPDIR/part.db"
	assert_failure 5
	[ ! -e "$BATS_TEST_TMPDIR/part.db" ]
	run --separate-stderr crm migrate --from "$url" --to "$BATS_TEST_TMPDIR/all.db"
	assert_success
	cmp <(crm export leads) <(crm --db "$BATS_TEST_TMPDIR/all.db" export leads)
	# alice, the crm admin, may copy it all through her own login role
	run --separate-stderr crm migrate --from "$(pg_url "$db" alice)" --to "$BATS_TEST_TMPDIR/alice.db"
	assert_success
	cmp <(crm export leads) <(crm --db "$BATS_TEST_TMPDIR/alice.db" export leads)
}

@test "a count that differs after the copy: exit 6, the table named, nothing left on the server" {
	team_file
	crm server init "$URL" >/dev/null
	# a server-side trigger that swallows one row of the copy
	pg_psql "$DBNAME" postgres "CREATE FUNCTION drop_two() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN IF NEW.id = 2 THEN RETURN NULL; END IF; RETURN NEW; END \$\$; CREATE TRIGGER drop_two BEFORE INSERT ON lead FOR EACH ROW EXECUTE FUNCTION drop_two()"
	run --separate-stderr crm migrate --from "$CRM_DB" --to "$URL"
	assert_failure 6
	[[ "$stderr" == *"counts differ"*"lead: 6 copied from 7"*"nothing was written"* ]] || fail "stderr: $stderr"
	[ "$(echo "$output" | jq -r 'select(.ok | not) | .table')" = lead ]
	run pg_psql "$DBNAME" postgres "SELECT (SELECT count(*) FROM lead), (SELECT count(*) FROM \"user\"), (SELECT count(*) FROM pipeline)"
	assert_output '0|0|1'
}

@test "completion knows the new commands' verbs and options" {
	run crm __complete server ''
	assert_line init
	assert_line user
	run crm __complete migrate --
	assert_line --from
	assert_line --to
	run crm help --commands
	assert_line server
	assert_line migrate
}

@test "every group reads, changes and adds to every record table without a policy error" {
	crm server init "$URL" >/dev/null
	crm server user add a0 --role admin --server "$URL" >/dev/null
	local r u t sql tables
	for r in manager rep finance service legal; do
		crm server user add "u_$r" --role "$r" --server "$URL" >/dev/null
	done
	tables=$(pg_psql "$DBNAME" postgres "SELECT relname FROM pg_class WHERE relrowsecurity AND relname NOT IN ('audit', 'lead_score', 'payment_alloc', 'ticket_breach', 'import_run') ORDER BY 1")
	[ "$(echo "$tables" | wc -l)" -ge 18 ]   # every record type but the users
	for u in a0 u_manager u_rep u_finance u_service u_legal; do
		sql=""
		for t in $tables; do
			sql="$sql SELECT count(*) FROM \"$t\"; UPDATE \"$t\" SET id = id WHERE false;"
			sql="$sql DELETE FROM \"$t\" WHERE false; INSERT INTO \"$t\" SELECT * FROM \"$t\" WHERE false;"
		done
		# a payment's allocations (no id of their own) follow the payment
		sql="$sql SELECT count(*) FROM payment_alloc; UPDATE payment_alloc SET amount = amount WHERE false;"
		sql="$sql DELETE FROM payment_alloc WHERE false; INSERT INTO payment_alloc SELECT * FROM payment_alloc WHERE false;"
		# and a ticket's breaches follow the ticket
		sql="$sql SELECT count(*) FROM ticket_breach; UPDATE ticket_breach SET due = due WHERE false;"
		sql="$sql DELETE FROM ticket_breach WHERE false; INSERT INTO ticket_breach SELECT * FROM ticket_breach WHERE false;"
		run pg_psql "$DBNAME" "$u" "$sql"
		assert_success
	done
	# the import runs: every group starts runs in its own name, never another's
	run pg_psql "$DBNAME" u_rep "INSERT INTO import_run (type, file, size, mtime, \"user\", started_at) VALUES ('lead', '-', 0, 0, 'u_rep', 'now')"
	assert_success
	run pg_psql "$DBNAME" u_rep "INSERT INTO import_run (type, file, size, mtime, \"user\", started_at) VALUES ('lead', '-', 0, 0, 'a0', 'now')"
	assert_failure
	[ "$(pg_psql "$DBNAME" u_finance "SELECT count(*) FROM import_run")" = 0 ]
	[ "$(pg_psql "$DBNAME" a0 "SELECT count(*) FROM import_run")" = 1 ]
	# the audit log: every group appends its own entries, and reads those of the records it may see
	run pg_psql "$DBNAME" u_rep "INSERT INTO audit (at, \"user\", command, entity, action) VALUES ('now', 'u_rep', 'x', 'lead:1', 'insert')"
	assert_success
	run pg_psql "$DBNAME" u_rep "INSERT INTO audit (at, \"user\", command, entity, action) VALUES ('now', 'a0', 'x', 'lead:1', 'insert')"
	assert_failure
	[ "$(pg_psql "$DBNAME" u_rep "SELECT count(*) FROM audit WHERE command = 'x'")" = 0 ]   # no lead:1 here
	[ "$(pg_psql "$DBNAME" a0 "SELECT count(*) FROM audit WHERE command = 'x'")" = 1 ]
}

@test "a few thousand generated leads go to the server and back in many COPY buffers, the same" {
	cc -O2 -std=c11 -o "$BATS_TEST_TMPDIR/gen" "$ROOT_DIR/tests/bench/gen.c"
	"$BATS_TEST_TMPDIR/gen" --rows 4000 --seed 7 -o "$BATS_TEST_TMPDIR/l.csv"
	fresh_db
	crm -q import leads "$BATS_TEST_TMPDIR/l.csv" >/dev/null 2>&1 || [ $? -eq 3 ]
	local n
	n=$(sqlite3 "$CRM_DB" "SELECT count(*) FROM lead")
	[ "$n" -gt 3000 ]
	run --separate-stderr crm migrate --from "$CRM_DB" --to "$URL"
	assert_success
	[ "$(echo "$output" | jq -r 'select(.table == "lead") | .target')" = "$n" ]
	run --separate-stderr crm migrate --from "$URL" --to "$BATS_TEST_TMPDIR/back.db"
	assert_success
	cmp <(crm export leads) <(crm --db "$BATS_TEST_TMPDIR/back.db" export leads) || fail "the leads differ"
	[ "$(crm search 科技 | wc -l)" = "$(crm --db "$BATS_TEST_TMPDIR/back.db" search 科技 | wc -l)" ]
}
