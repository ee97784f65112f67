#!/usr/bin/env bats
# The team server (CLI.md 8.1 and 8.5): crm user add, update, rm and
# leave run on a server, as the admin's own login role. A crm user there
# is also a login role in the group of their role (crm_rep, ...): the
# server's crm_user_role(), which crm server init makes, keeps it so as
# the user's row changes (made with the user, moved between groups, no
# group and no login once they leave or are removed). What crm prints is
# what it prints on a file; psql shows the roles. A throwaway cluster
# (tests/pg.bash) serves the whole file: its login roles outlive each
# test's database, so each test's team is made anew (crm server user add
# gives a role crm ended its login back).
load helper
load pg

setup_file() {
	pg_start
}

teardown_file() {
	pg_stop
}

# alice the admin; bob and carol reps
local_setup() {
	pg_server_setup u
}

# groups ROLE: the crm groups login role ROLE is a member of, by name
groups() {
	pg_psql "$DBNAME" postgres "SELECT coalesce(string_agg(g.rolname, ' ' ORDER BY g.rolname), '-')
		FROM pg_roles AS r LEFT JOIN pg_auth_members AS m ON m.member = r.oid
		LEFT JOIN pg_roles AS g ON g.oid = m.roleid AND g.rolname LIKE 'crm\_%'
		WHERE r.rolname = '$1'"
}

# can_login ROLE: t or f, or nothing when there is no such role
can_login() {
	pg_psql "$DBNAME" postgres "SELECT rolcanlogin FROM pg_roles WHERE rolname = '$1'"
}

@test "user add on the server: the user, audited, and their login role in their role's group; the file's lines" {
	local side
	pg_psql postgres postgres "DROP ROLE IF EXISTS dave; DROP ROLE IF EXISTS erin"
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		{
			as alice user add dave --role manager --team east --label 大卫
			as alice user add erin --role rep --team east --manager dave
			as alice user list
			as alice user show erin
			as alice history user:5
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	[ "$(grep -c '"type":"user"' "$BATS_TEST_TMPDIR/S.out")" -ge 7 ]
	# the login roles, made by crm_user_role() as crm's
	[ "$(can_login dave)" = t ]
	[ "$(groups dave)" = crm_manager ]
	[ "$(groups erin)" = crm_rep ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = 'erin'")" = \
		"crm: the login role of a crm user" ]
	# and erin acts as herself at once
	run --separate-stderr crm --db "$(pg_url "$DBNAME" erin)" lead add name=新线索
	assert_success
	[ "$(jqo .owner)" = erin ]
	# the audit log names the admin who added her, as on a file
	[ "$(pg_psql "$DBNAME" postgres "SELECT \"user\" FROM audit WHERE entity = 'user:5' AND action = 'insert'")" = alice ]
}

@test "user update role=manager moves the login role to crm_manager, out of crm_rep; the file's lines" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		{
			as alice user update bob role=manager --team east
			as alice user update carol --manager bob
			as alice user show bob carol
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	[ "$(groups bob)" = crm_manager ]
	[ "$(groups carol)" = crm_rep ]
	# bob manages carol now: he sees her leads, through crm and through psql
	crm --db "$C" lead add name=卡罗的 >/dev/null
	run --separate-stderr crm --db "$B" lead list
	assert_success
	[ "$(jqo .name)" = 卡罗的 ]
	[ "$(pg_psql "$DBNAME" bob "SELECT name FROM lead")" = 卡罗的 ]
	# and back: a rep again, in crm_rep alone
	crm --db "$A" user update bob role=rep >/dev/null
	[ "$(groups bob)" = crm_rep ]
	# a role the user table cannot take is refused before any role changes
	run --separate-stderr crm --db "$A" user update bob role=boss
	assert_failure 3
	[ "$(groups bob)" = crm_rep ]
	# an admin's change of the table through psql moves the groups too, as it commits
	pg_psql "$DBNAME" alice "UPDATE \"user\" SET role = 'finance' WHERE name = 'carol'"
	[ "$(groups carol)" = crm_finance ]
}

@test "user leave bob --to alice: his leads are alice's, he can no longer connect (5) nor act; the file's lines" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		as bob lead add name=鲍勃的一 >/dev/null
		as bob lead add name=鲍勃的二 >/dev/null
		as bob account add name=鲍勃公司 >/dev/null
		as carol lead add name=卡罗的 >/dev/null
		{
			as alice user leave bob --to alice
			as alice lead list
			as alice user show bob | jq -c 'del(.left_at, .updated_at)'
			as alice history lead:1 | jq -c 'del(.at)'
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	[ "$(grep -c '"type":"handover"' "$BATS_TEST_TMPDIR/S.out")" = 2 ]
	# what psql shows: his records are alice's, he is in no group and may not log in
	[ "$(pg_psql "$DBNAME" postgres "SELECT string_agg(owner, ' ' ORDER BY id) FROM lead")" = "alice alice carol" ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT owner FROM account")" = alice ]
	[ "$(can_login bob)" = f ]
	[ "$(groups bob)" = - ]
	run --separate-stderr crm --db "$B" lead list
	assert_failure 5
	[[ "$stderr" == *"the login role bob may not log in (bob has left"* ]] || fail "stderr: $stderr"
	run pg_psql "$DBNAME" bob "SELECT count(*) FROM lead"
	assert_failure
	[[ "$output" == *"not permitted to log in"* ]] || fail "$output"
	# the others go on
	[ "$(can_login carol)" = t ]
	run --separate-stderr crm --db "$C" lead list
	assert_success
	[ "$(jqo .name)" = 卡罗的 ]
	# each handover is in the audit log, in alice's name
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM audit WHERE action = 'handover' AND \"user\" = 'alice'")" = 3 ]
}

@test "user leave --to-pool on the server: leads and accounts to the pool, the rest to the manager" {
	local side
	for side in F S; do
		SIDE=$side
		[ "$side" = F ] && pg_team_file
		as alice user add dave --role manager >/dev/null
		as alice user update carol --manager dave >/dev/null
		as carol lead add name=卡罗的 >/dev/null
		as carol account add name=卡罗公司 >/dev/null
		as carol task add --title 回电 --for lead:1 >/dev/null
		{
			as alice user leave carol --to-pool
			as bob pool list
			as dave task list
		} > "$BATS_TEST_TMPDIR/$side.out"
	done
	diff "$BATS_TEST_TMPDIR/F.out" "$BATS_TEST_TMPDIR/S.out"
	[ "$(grep -c '"to_pool":true' "$BATS_TEST_TMPDIR/S.out")" = 2 ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT previous_owner FROM lead WHERE owner IS NULL")" = carol ]
	[ "$(can_login carol)" = f ]
}

@test "user rm ends the login role, restore gives it back, --purge ends it for good" {
	SIDE=S
	run --separate-stderr crm --db "$A" user rm carol
	assert_success
	[ "$(can_login carol)" = f ]
	[ "$(groups carol)" = - ]
	run --separate-stderr crm --db "$C" lead list
	assert_failure 5
	run --separate-stderr crm --db "$A" restore user:3
	assert_success
	[ "$(can_login carol)" = t ]
	[ "$(groups carol)" = crm_rep ]
	run --separate-stderr crm --db "$C" lead add name=回来了
	assert_success
	# one who owns records stays (4), nothing changes
	run --separate-stderr crm --db "$A" user rm carol
	assert_failure 4
	[ "$(can_login carol)" = t ]
	crm --db "$A" lead rm --purge 1 >/dev/null
	run --separate-stderr crm --db "$A" user rm --purge carol
	assert_success
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM \"user\" WHERE name = 'carol'")" = 0 ]
	[ "$(can_login carol)" = f ]
	[ "$(groups carol)" = - ]
}

@test "only an admin changes users: a rep is refused by crm (5) and by psql (permission denied), nothing changes" {
	SIDE=S
	run --separate-stderr crm --db "$B" user add mallory --role admin
	assert_failure 5
	run --separate-stderr crm --db "$B" user update bob role=admin
	assert_failure 5
	run --separate-stderr crm --db "$B" user leave carol --to bob
	assert_failure 5
	# psql: the function is crm_admin's alone, the user table too
	run pg_psql "$DBNAME" bob "SELECT crm_user_role('bob')"
	assert_failure
	[[ "$output" == *"permission denied for function crm_user_role"* ]] || fail "$output"
	run pg_psql "$DBNAME" bob "UPDATE \"user\" SET role = 'admin' WHERE name = 'bob'"
	assert_failure
	[[ "$output" == *"permission denied"* ]] || fail "$output"
	run pg_psql "$DBNAME" bob "INSERT INTO \"user\" (name, role, status, created_at, updated_at) VALUES ('mallory', 'admin', 'active', 'x', 'x')"
	assert_failure
	[ -z "$(can_login mallory)" ]
	[ "$(groups bob)" = crm_rep ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT string_agg(name || ':' || role || ':' || status, ' ' ORDER BY id) FROM \"user\"")" = \
		"alice:admin:active bob:rep:active carol:rep:active" ]
	# nor may a rep who was made a member of crm_admin by hand act through it while the user table says rep
	pg_psql "$DBNAME" postgres "GRANT crm_admin TO bob"
	run pg_psql "$DBNAME" bob "SELECT crm_user_role('carol')"
	assert_failure
	[[ "$output" == *"only an admin makes, moves or ends a user's login role"* ]] || fail "$output"
	pg_psql "$DBNAME" postgres "REVOKE crm_admin FROM bob"
}

@test "crm_user_role() touches no role but a crm user's: a superuser an admin's alone, never ended; no group, no name the server keeps" {
	SIDE=S
	run --separate-stderr crm --db "$A" user add postgres --role rep
	assert_failure 5
	[[ "$stderr" == *"postgres is a superuser: row-level security does not bind it, so it is no rep's login role"* ]] ||
		fail "stderr: $stderr"
	# an admin's it may be (it sees everything anyway), and its removal leaves it as it is
	run --separate-stderr crm --db "$A" user add postgres --role admin
	assert_success
	run --separate-stderr crm --db "$A" user rm --purge postgres
	assert_success
	[ "$(can_login postgres)" = t ]
	run --separate-stderr crm --db "$A" user add crm_admin --role rep
	assert_failure 3
	[[ "$stderr" == *"is no name for a crm user's login role"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm --db "$A" user add pg_monitor --role rep
	assert_failure 3
	[ "$(pg_psql "$DBNAME" postgres "SELECT count(*) FROM \"user\"")" = 3 ]
	# a name that is no user's: nothing to make, nothing changes
	pg_psql postgres postgres "DROP ROLE IF EXISTS outsider; CREATE ROLE outsider LOGIN"
	[ "$(pg_psql "$DBNAME" alice "SELECT crm_user_role('outsider')")" = none ]
	[ "$(can_login outsider)" = t ]
	# a role crm did not make joins the group, and keeps its LOGIN as the cluster has it when the user leaves
	crm --db "$A" user add outsider --role rep >/dev/null
	[ "$(groups outsider)" = crm_rep ]
	crm --db "$A" user leave outsider --to bob >/dev/null 2>&1
	[ "$(groups outsider)" = - ]
	[ "$(can_login outsider)" = t ]
	run --separate-stderr crm --db "$(pg_url "$DBNAME" outsider)" lead list
	assert_failure 5
	pg_psql postgres postgres "DROP ROLE outsider"
}

@test "an admin may change their own row: a rep from then on (crm_rep), or gone (no login)" {
	SIDE=S
	crm server user add zoe --role admin --server "$URL" >/dev/null
	run --separate-stderr crm --db "$A" user update alice role=rep
	assert_success
	[ "$(jqo .role)" = rep ]
	[ "$(groups alice)" = crm_rep ]
	[ "$(pg_psql "$DBNAME" postgres "SELECT \"user\" FROM audit WHERE entity = 'user:1' AND action = 'update'")" = alice ]
	crm --db "$(pg_url "$DBNAME" zoe)" user update alice role=admin >/dev/null
	[ "$(groups alice)" = crm_admin ]
	run --separate-stderr crm --db "$A" user leave alice --to zoe
	assert_success
	[ "$(can_login alice)" = f ]
	[ "$(groups alice)" = - ]
	# the last admin stays (4), their login too
	run --separate-stderr crm --db "$(pg_url "$DBNAME" zoe)" user leave zoe --to bob
	assert_failure 4
	[ "$(groups zoe)" = crm_admin ]
	[ "$(can_login zoe)" = t ]
}

@test "a server made by a role with CREATEROLE, no superuser: its admins add, move and end login roles" {
	SIDE=S
	pg_psql postgres postgres "DROP ROLE IF EXISTS maker; CREATE ROLE maker LOGIN CREATEROLE"
	pg_psql postgres postgres "DROP DATABASE IF EXISTS made_by_maker" >/dev/null 2>&1
	pg_psql postgres postgres "CREATE DATABASE made_by_maker OWNER maker"
	local url
	url=$(pg_url made_by_maker maker)
	crm server init "$url" >/dev/null
	# the first user, added by the maker (no crm user: the admin while there is none)
	run --separate-stderr crm --db "$url" user add ann --role admin
	assert_success
	DBNAME=made_by_maker
	[ "$(groups ann)" = crm_admin ]
	run --separate-stderr crm --db "$(pg_url made_by_maker ann)" user add ben --role rep
	assert_success
	[ "$(groups ben)" = crm_rep ]
	crm --db "$(pg_url made_by_maker ann)" user update ben role=finance >/dev/null
	[ "$(groups ben)" = crm_finance ]
	crm --db "$(pg_url made_by_maker ann)" user leave ben --to ann >/dev/null 2>&1
	[ "$(can_login ben)" = f ]
	[ "$(groups ben)" = - ]
	[ "$(pg_psql made_by_maker postgres "SELECT proowner::regrole FROM pg_proc WHERE proname = 'crm_user_role'")" = maker ]
	pg_psql postgres postgres "DROP DATABASE made_by_maker" >/dev/null
}
