# helper.bash: loaded by every suite. Each test gets its own HOME, config
# folder and database, and `crm` on PATH is the binary under test
# ($CRM_BIN, set by tests/run; ./crm otherwise).
#
# With CRM_TEST_SERVER set (tests/run-server), each test runs on the team
# server instead: $CRM_DB is a new database on the throwaway cluster, a
# copy of the template crm server init made ($CRM_TEST_TEMPLATE, with the
# admin tester as its login role), dropped after the test; `crm` is
# tests/server-crm, which connects as the user the test acts as. A test
# that tests/server.skip names is skipped there, with the reason it gives.

bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert

TESTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "$TESTS_DIR/.." && pwd)"
: "${CRM_BIN:=$ROOT_DIR/crm}"

setup() {
	export HOME="$BATS_TEST_TMPDIR/home"
	mkdir -p "$HOME" "$BATS_TEST_TMPDIR/bin"
	unset XDG_DATA_HOME XDG_CONFIG_HOME CRM_NOW CRM_NO_HOOKS NO_COLOR COLUMNS
	export CRM_DB="$BATS_TEST_TMPDIR/crm.db"
	export CRM_USER=tester
	export TZ=Asia/Shanghai
	if [ -n "${CRM_TEST_SERVER:-}" ]; then
		ln -sf "$TESTS_DIR/server-crm" "$BATS_TEST_TMPDIR/bin/crm"
	else
		ln -sf "$CRM_BIN" "$BATS_TEST_TMPDIR/bin/crm"
	fi
	export PATH="$BATS_TEST_TMPDIR/bin:$PATH"
	if [ -n "${CRM_TEST_SERVER:-}" ]; then server_setup || return 1; fi
	if declare -F local_setup >/dev/null; then local_setup; fi
}

teardown() {
	if declare -F local_teardown >/dev/null; then local_teardown; fi
	if [ -n "${SERVER_DBNAME:-}" ]; then
		psql -X -q "postgresql:///postgres?host=$PG_SOCK&user=postgres" \
			-c "DROP DATABASE IF EXISTS \"$SERVER_DBNAME\" WITH (FORCE)" >/dev/null 2>&1 || true
	fi
}

# The reason tests/server.skip gives for not running this test on the
# server, if it names it: lines of "SUITE<tab>TEST<tab>WHY", TEST a glob.
server_skip_reason() {
	local suite test why
	suite=$(basename "$BATS_TEST_FILENAME" .bats)
	while IFS=$'\t' read -r s t why; do
		case $s in '#'* | '') continue ;; esac
		# shellcheck disable=SC2053   # t is a glob
		if [ "$s" = "$suite" ] && [[ $BATS_TEST_DESCRIPTION == $t ]]; then
			echo "$why"
			return 0
		fi
	done <"$TESTS_DIR/server.skip"
	return 1
}

server_setup() {
	local why
	if why=$(server_skip_reason); then
		skip "not on the server: $why"
	fi
	SERVER_DBNAME="$(basename "$BATS_TEST_FILENAME" .bats)-$BATS_TEST_NUMBER"
	psql -X -q -v ON_ERROR_STOP=1 "postgresql:///postgres?host=$PG_SOCK&user=postgres" \
		-c "CREATE DATABASE \"$SERVER_DBNAME\" TEMPLATE \"$CRM_TEST_TEMPLATE\" STRATEGY FILE_COPY" >/dev/null || return 1
	export CRM_DB="postgresql:///$SERVER_DBNAME?host=$PG_SOCK&user=tester"
	mkdir -p "$BATS_TEST_TMPDIR/server-users"
	touch "$BATS_TEST_TMPDIR/server-users/tester"
}

# A database with no notice noise on stderr (on the server: the one the
# test was given, checked).
fresh_db() {
	crm -q init >/dev/null
}

# An empty database in place of the test's (a fixture's, say): the file
# removed and made again; on the server the test's database made again
# as a copy of the template, whose one user is tester.
empty_db() {
	if [ -n "${CRM_TEST_SERVER:-}" ]; then
		psql -X -q -v ON_ERROR_STOP=1 "postgresql:///postgres?host=$PG_SOCK&user=postgres" \
			-c "DROP DATABASE \"$SERVER_DBNAME\" WITH (FORCE)" \
			-c "CREATE DATABASE \"$SERVER_DBNAME\" TEMPLATE \"$CRM_TEST_TEMPLATE\" STRATEGY FILE_COPY" >/dev/null ||
			return 1
		find "$BATS_TEST_TMPDIR/server-users" -mindepth 1 ! -name tester -delete
	else
		rm -f "$CRM_DB"
	fi
	fresh_db
}

# Every line of $output is one JSON object with "type".
assert_jsonl() {
	local n=0 line
	while IFS= read -r line; do
		n=$((n + 1))
		echo "$line" | jq -e 'type == "object"' >/dev/null ||
			fail "line $n is not a JSON object: $line"
	done <<<"$output"
}

# The value of a jq filter over $output (one JSON line).
jqo() {
	jq -r "$1" <<<"$output"
}

# A team (CLI.md 8.1): alice the admin, and from then on the acting user;
# dave manages east, where carol and bob are reps.
team_users() {
	crm user add alice --role admin >/dev/null
	export CRM_USER=alice
	crm user add dave --role manager --team east "$@" >/dev/null
	crm user add carol --role rep --team east --manager dave >/dev/null
	crm user add bob --role rep --team east --manager dave >/dev/null
}
