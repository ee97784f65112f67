# fixture.bash: for a suite over one of tests/fixtures/*.sh, made once per
# file and copied afresh for each test:
#   load fixture
#   setup_file() { fixture_file reports.sh; }
#   local_setup() { fixture_copy '2026-03-01 10:00'; }   # and the pinned clock

fixture_file() {
	export HOME="$BATS_FILE_TMPDIR/home" CRM_USER=tester TZ=Asia/Shanghai
	unset XDG_DATA_HOME XDG_CONFIG_HOME CRM_NOW
	mkdir -p "$HOME"
	: "${CRM_BIN:=$(cd "$BATS_TEST_DIRNAME/.." && pwd)/crm}"
	export CRM_DB="$BATS_FILE_TMPDIR/fixture.db"
	"$CRM_BIN" -q init >/dev/null
	bash "$BATS_TEST_DIRNAME/fixtures/$1" "$CRM_BIN"
}

fixture_copy() {
	export CRM_NOW="$1"
	if [ -n "${CRM_TEST_SERVER:-}" ]; then
		fixture_server
		return
	fi
	cp "$BATS_FILE_TMPDIR/fixture.db" "$CRM_DB"
}

# On the server (tests/helper.bash): the fixture migrated once per file
# into a database of its own, with tester its admin, and the test's
# database made a copy of that one instead of the template.
fixture_server() {
	local admin="postgresql:///postgres?host=$PG_SOCK&user=postgres"
	local fx="fixture-$(basename "$BATS_TEST_FILENAME" .bats)"
	local fxurl="postgresql:///$fx?host=$PG_SOCK&user=postgres"
	if [ ! -e "$BATS_FILE_TMPDIR/fixture.server" ]; then
		psql -X -q -v ON_ERROR_STOP=1 "$admin" -c "CREATE DATABASE \"$fx\"" >/dev/null || return 1
		"$CRM_BIN" migrate --from "$BATS_FILE_TMPDIR/fixture.db" --to "$fxurl" >/dev/null || return 1
		if [ "$(psql -X -A -t "$fxurl" -c "SELECT count(*) FROM users WHERE name = 'tester'")" = 0 ]; then
			"$CRM_BIN" server user add tester --role admin --server "$fxurl" >/dev/null || return 1
		fi
		touch "$BATS_FILE_TMPDIR/fixture.server"
	fi
	psql -X -q -v ON_ERROR_STOP=1 "$admin" -c "DROP DATABASE \"$SERVER_DBNAME\"" \
		-c "CREATE DATABASE \"$SERVER_DBNAME\" TEMPLATE \"$fx\" STRATEGY FILE_COPY" >/dev/null
}
