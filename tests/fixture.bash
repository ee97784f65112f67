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
	cp "$BATS_FILE_TMPDIR/fixture.db" "$CRM_DB"
	export CRM_NOW="$1"
}
