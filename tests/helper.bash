# helper.bash: loaded by every suite. Each test gets its own HOME, config
# folder and database, and `crm` on PATH is the binary under test
# ($CRM_BIN, set by tests/run; ./crm otherwise).

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
	ln -sf "$CRM_BIN" "$BATS_TEST_TMPDIR/bin/crm"
	export PATH="$BATS_TEST_TMPDIR/bin:$PATH"
	if declare -F local_setup >/dev/null; then local_setup; fi
}

# A database with no notice noise on stderr.
fresh_db() {
	crm -q init >/dev/null
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
