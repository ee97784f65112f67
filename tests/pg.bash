# pg.bash: a throwaway PostgreSQL cluster for the team server's suites.
#
# pg_start (in setup_file) makes a cluster in a temporary directory,
# owned by an unprivileged system user (the server refuses to run as
# root; tests do), listening on a Unix socket in that directory only
# (listen_addresses=''), with trust authentication on it. pg_stop (in
# teardown_file) stops it and removes everything, also after a failure.
# pg_url DB [USER] is the URL crm and psql take. When no server binaries
# are installed and `make deps` cannot install them, pg_start says why
# and the suite skips.

PG_USER=${PG_USER:-crmpg}

pg_bindir() {
	local d
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
	done
	return 1
}

pg_find() {
	PG_BIN=$(pg_bindir) && return 0
	(cd "$ROOT_DIR" && make -s deps >/dev/null 2>&1) || true
	PG_BIN=$(pg_bindir)
}

# The system user the server runs as: made when missing.
pg_os_user() {
	id -u "$PG_USER" >/dev/null 2>&1 && return 0
	useradd -r -M -d /nonexistent -s /usr/sbin/nologin "$PG_USER" 2>/dev/null ||
		PG_USER=nobody
}

pg_as() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u "$PG_USER" -- "$@"
	else
		"$@"
	fi
}

pg_start() {
	if ! pg_find; then
		export PG_SKIP="no PostgreSQL server binaries (initdb, pg_ctl) and make deps could not install postgresql"
		return 0
	fi
	[ "$(id -u)" = 0 ] && pg_os_user
	PG_DIR=$(mktemp -d /tmp/crm-pg.XXXXXX)
	export PG_DIR PG_BIN   # for pg_stop, even when what follows fails
	chmod 755 "$PG_DIR"
	mkdir -p "$PG_DIR/data" "$PG_DIR/sock"
	[ "$(id -u)" = 0 ] && chown -R "$PG_USER" "$PG_DIR"
	pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
		>"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 1; }
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 \
		-o "-c listen_addresses='' -c unix_socket_directories='$PG_DIR/sock' -c fsync=off" start \
		>/dev/null 2>&1 || { cat "$PG_DIR/server.log" >&2; return 1; }
	export PG_DIR PG_BIN PG_USER
	export PG_SOCK="$PG_DIR/sock"
}

pg_stop() {
	[ -n "${PG_DIR:-}" ] || return 0
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf "$PG_DIR"
}

pg_skip_if_none() {
	[ -z "${PG_SKIP:-}" ] || skip "$PG_SKIP"
}

# pg_url DB [USER]: the URL of database DB as USER (default postgres).
pg_url() {
	echo "postgresql:///$1?host=$PG_SOCK&user=${2:-postgres}"
}

# A new, empty database: pg_createdb NAME.
pg_createdb() {
	psql -X -q -v ON_ERROR_STOP=1 "$(pg_url postgres)" -c "CREATE DATABASE \"$1\"" >/dev/null
}

# psql as USER on DB, one value per line, no headers: pg_psql DB USER SQL.
pg_psql() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 "$(pg_url "$1" "$2")" -c "$3"
}

# ---- a team on a server and on a file, for the suites that run the same
# commands on both and compare what they print ----

# The team: one `crm user add` argument list a line, the admin first. A
# suite may set PG_TEAM before its tests run.
PG_TEAM_DEFAULT='alice --role admin
bob --role rep
carol --role rep'

# pg_server_setup PREFIX (in local_setup): a new database DBNAME (PREFIX
# and the test's number) made a crm server at URL with the team's users;
# the clock pinned, so that a file and the server write the same times;
# A, B and C the URLs of alice, bob and carol; CRM_USER unset (a server
# acts as its login role).
pg_server_setup() {
	pg_skip_if_none
	DBNAME="$1$BATS_SUITE_TEST_NUMBER"
	pg_createdb "$DBNAME"
	URL=$(pg_url "$DBNAME")
	export CRM_NOW=2026-03-02T09:30:00+08:00
	crm server init "$URL" >/dev/null
	local line
	while IFS= read -r line; do
		# shellcheck disable=SC2086   # a line is the words of one command
		crm server user add $line --server "$URL" >/dev/null
	done <<EOF
${PG_TEAM:-$PG_TEAM_DEFAULT}
EOF
	A=$(pg_url "$DBNAME" alice)
	B=$(pg_url "$DBNAME" bob)
	C=$(pg_url "$DBNAME" carol)
	unset CRM_USER
}

# pg_team_file: the same team on a new file ($CRM_DB), the admin adding
# the others.
pg_team_file() {
	fresh_db
	local line admin=""
	while IFS= read -r line; do
		# shellcheck disable=SC2086
		if [ -z "$admin" ]; then
			crm user add $line >/dev/null
			admin=${line%% *}
		else
			crm --as "$admin" user add $line >/dev/null
		fi
	done <<EOF
${PG_TEAM:-$PG_TEAM_DEFAULT}
EOF
}

# as USER CMD...: crm as USER, on the server (SIDE=S) or on the file (F)
as() {
	local u=$1
	shift
	if [ "$SIDE" = F ]; then
		crm --as "$u" "$@"
	else
		crm --db "$(pg_url "$DBNAME" "$u")" "$@"
	fi
}
