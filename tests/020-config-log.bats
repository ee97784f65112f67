#!/usr/bin/env bats
# crm config and crm log (the audit log).
load helper

@test "config set, get, list, unset" {
	fresh_db
	crm config set currency USD
	run crm config get currency
	assert_success
	assert_output USD
	run crm config list
	assert_success
	assert_line '{"type":"config","key":"currency","value":"USD","source":"database"}'
	crm config unset currency
	# unset, a setting crm knows prints its default; one with none exits 1
	run crm config get currency
	assert_success
	assert_output CNY
	run crm config get approval.amount_over
	assert_failure 1
	assert_output ''
}

@test "config values may be Chinese and contain spaces and commas" {
	fresh_db
	crm config set team.sales '张三,李四, 王五'
	run crm config get team.sales
	assert_output '张三,李四, 王五'
}

@test "config reads the user's config file; the database wins" {
	fresh_db
	mkdir -p "$HOME/.config/crm"
	printf '# comment\nuser.name = filey\nscore.mql = 40\n' > "$HOME/.config/crm/config"
	run crm config get score.mql
	assert_output 40
	crm config set score.mql 35
	run crm config get score.mql
	assert_output 35
	run crm config list
	assert_line --partial '"key":"user.name","value":"filey","source":"'
}

@test "config file: the last line for a key wins, and list shows it once" {
	fresh_db
	dir=${XDG_CONFIG_HOME:-$HOME/.config}/crm
	mkdir -p "$dir"
	printf 'currency = USD\nnoeq line\ncurrency = EUR\n' > "$dir/config"
	run crm config get currency
	assert_output EUR
	[ "$(crm config list | jq -r 'select(.key=="currency") | .value')" = EUR ]
	[ "$(crm deal add name=x amount=10 | jq -r .currency)" = EUR ]
}

@test "config set rejects a bad key with exit 2 and changes nothing" {
	fresh_db
	run --separate-stderr crm config set 'Bad Key' value
	assert_failure 2
	[[ "$stderr" == *"'Bad Key' is not a setting name"* ]] || fail "stderr: $stderr"
	[ "$(crm sql 'SELECT count(*) AS n FROM config' | jq .n)" = 0 ]
}

@test "config unset of a missing key exits 1" {
	fresh_db
	run --separate-stderr crm config unset no.such
	assert_failure 1
	[[ "$stderr" == *"'no.such' is not set"* ]] || fail "stderr: $stderr"
}

@test "acting user: --as, then CRM_USER, then config user.name, then USER" {
	fresh_db
	crm --as alice config set x.one 1
	crm config set x.two 2
	unset CRM_USER
	mkdir -p "$HOME/.config/crm"
	echo 'user.name = carol' > "$HOME/.config/crm/config"
	crm config set x.three 3
	rm "$HOME/.config/crm/config"
	USER=dave crm config set x.four 4
	run crm log --reverse
	[ "$(jq -r 'select(.entity=="config:x.one") | .user' <<<"$output")" = alice ]
	[ "$(jq -r 'select(.entity=="config:x.two") | .user' <<<"$output")" = tester ]
	[ "$(jq -r 'select(.entity=="config:x.three") | .user' <<<"$output")" = carol ]
	[ "$(jq -r 'select(.entity=="config:x.four") | .user' <<<"$output")" = dave ]
}

@test "crm log shows config changes with user, command and before/after values" {
	fresh_db
	crm --as alice config set approval.amount_over 100000
	crm --as bob config set approval.amount_over 200000
	crm --as bob config unset approval.amount_over
	run crm log
	assert_success
	assert_jsonl
	[ "${#lines[@]}" -eq 3 ]
	# newest first
	[ "$(jq -r .action <<<"${lines[0]}")" = unset ]
	[ "$(jq -c '[.user, .before, .after]' <<<"${lines[1]}")" = '["bob","100000","200000"]' ]
	[ "$(jq -c '[.user, .before, .after]' <<<"${lines[2]}")" = '["alice",null,"100000"]' ]
	[ "$(jq -r .command <<<"${lines[2]}")" = "crm --as alice config set approval.amount_over 100000" ]
	[ "$(jq -r .entity <<<"${lines[2]}")" = "config:approval.amount_over" ]
	[[ "$(jq -r .at <<<"${lines[2]}")" =~ ^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\+08:00$ ]]
}

@test "setting the same value again changes nothing and logs nothing" {
	fresh_db
	crm config set x.b 1
	crm config set x.b 1
	[ "$(crm log | wc -l)" -eq 1 ]
}

@test "crm log --user, --limit, --since filter" {
	fresh_db
	CRM_NOW=2026-01-01T10:00:00+08:00 crm --as alice config set x.x 1
	CRM_NOW=2026-03-01T10:00:00+08:00 crm --as bob config set x.y 1
	CRM_NOW=2026-03-02T10:00:00+08:00 crm --as bob config set x.z 1
	run crm log --user alice
	assert_success
	[ "${#lines[@]}" -eq 1 ]
	run crm log --limit 2
	[ "${#lines[@]}" -eq 2 ]
	run crm log --since 2026-02-01
	[ "${#lines[@]}" -eq 2 ]
	run crm log --user nobody
	assert_failure 1
	run crm log --limit abc
	assert_failure 2
}

@test "crm log as a table, and piped to head, exits quietly" {
	fresh_db
	for i in $(seq 1 200); do echo "INSERT INTO audit(at,user,entity,action) VALUES ('2026-01-01T00:00:00+08:00','x','config:k$i','set');"; done | sqlite3 "$CRM_DB"
	run crm log --table
	assert_success
	assert_line --regexp '^ *id +at +user'
	run bash -c 'crm log | head -1; echo "status=${PIPESTATUS[0]}"'
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == "status=0" || "${lines[1]}" == "status=141" ]]
	refute_output --partial 'crm:'
}

@test "config set db.url writes the config file (it says where the database is), the other lines kept; unset takes it out" {
	fresh_db
	mkdir -p "$HOME/.config/crm"
	printf '# mine\nuser.name = 张三\ndb.url = postgresql://old.example.com/crm\n' > "$HOME/.config/crm/config"
	run --separate-stderr crm config set db.url "postgresql://bob:secret@db.example.com/crm"
	assert_success
	[ "$(cat "$HOME/.config/crm/config")" = "$(printf '# mine\nuser.name = 张三\ndb.url = postgresql://bob:secret@db.example.com/crm')" ]
	[ "$(stat -c %a "$HOME/.config/crm/config")" = 600 ]
	# no database holds it, and none logs it
	[ "$(crm --db "$CRM_DB" config get db.url --format jsonl | jq -r .source)" = "$HOME/.config/crm/config" ]
	run crm log --entity config:db.url
	assert_failure 1
	# not a server's URL, or two lines: refused (3), the file as it was
	run --separate-stderr crm --db "$CRM_DB" config set db.url /tmp/x.db
	assert_failure 3
	[[ "$stderr" == *"db.url: '/tmp/x.db' is not a postgresql:// URL"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm --db "$CRM_DB" config set db.url "$(printf 'postgresql://a\nx = y')"
	assert_failure 3
	grep -q 'db.url = postgresql://bob:secret@db.example.com/crm' "$HOME/.config/crm/config"
	run crm --db "$CRM_DB" config unset db.url
	assert_success
	[ "$(cat "$HOME/.config/crm/config")" = "$(printf '# mine\nuser.name = 张三')" ]
	run --separate-stderr crm --db "$CRM_DB" config unset db.url
	assert_failure 1
	run crm help config
	[[ "$output" == *"db.url"*"config file"* ]] || fail "help: $output"
}
