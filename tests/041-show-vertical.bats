#!/usr/bin/env bats
# show on a terminal: every field the record has, one a line (key, value),
# not the list's few columns; in a pipe, one JSON line as before.
load helper

local_setup() {
	fresh_db
	crm -q field add lead wechat_id >/dev/null
	crm -q lead add name=张伟 phone=13812345678 email=zw@example.com company=杭州云启科技有限公司 \
		title=总监 region=浙江 source=展会 industry=软件 budget=50万 tags=VIP wechat_id=zw2026 \
		note="第一行
第二行" >/dev/null
}

@test "lead show --table prints every set field as a key/value line" {
	run --separate-stderr crm lead show 1 --table
	assert_success
	assert_line --regexp '^id +1$'
	assert_line --regexp '^name +张伟$'
	assert_line --regexp '^phone +13812345678$'
	assert_line --regexp '^email +zw@example.com$'
	assert_line --regexp '^company +杭州云启科技有限公司$'
	assert_line --regexp '^title +总监$'
	assert_line --regexp '^region +浙江$'
	assert_line --regexp '^source +展会$'
	assert_line --regexp '^industry +软件$'
	assert_line --regexp '^budget +500000$'
	assert_line --regexp '^currency +CNY$'
	assert_line --regexp '^wechat_id +zw2026$'
	assert_line --regexp '^created_at +'
	# a value of several lines goes on under itself
	assert_line --regexp '^note +第一行$'
	assert_line --regexp '^ +第二行$'
	# every key of the JSON record is there (type aside), unset ones are not
	n=$(crm lead show 1 | jq -r 'del(.type) | keys | length')
	[ "$(grep -c '^[a-z_]' <<<"$output")" -eq "$n" ]
	refute_output --partial deleted_at
	refute_output --partial last_contacted_at
}

@test "every type's show is vertical on a terminal: contact, deal, account" {
	crm -q account add name=云启 industry=软件 >/dev/null
	crm -q contact add name=王五 account=1 phone=13900000000 title=经理 >/dev/null
	crm -q deal add name=年度大单 amount=100万 account=1 expected_close=2026-12-31 >/dev/null
	run crm contact show 1 --table
	assert_line --regexp '^title +经理$'
	assert_line --regexp '^account_id +1$'
	run crm deal show 1 --table
	assert_line --regexp '^amount +1000000$'
	assert_line --regexp '^expected_close +2026-12-31$'
	assert_line --regexp '^stage_history +new$'
	run crm account show 1 --table
	assert_line --regexp '^industry +软件$'
	# its related lists follow as tables
	assert_line 'contacts (1)'
	assert_line --regexp '^ *1 +王五'
}

@test "several records: one block each, a blank line between" {
	crm -q lead add name=李娜 >/dev/null
	run crm lead show 1 2 --table
	assert_success
	assert_line --regexp '^name +张伟$'
	assert_line --regexp '^name +李娜$'
	[ "$(grep -c '^$' <<<"$output")" = 1 ]
}

@test "in a pipe show stays one JSON line a record" {
	run --separate-stderr crm lead show 1
	assert_success
	[ "${#lines[@]}" = 1 ]
	[ "$(jqo .wechat_id)" = zw2026 ]
	run --separate-stderr crm deal show 1
	assert_failure 1
	# and list on a terminal is still a table with a header
	run crm lead list --table
	assert_line --index 0 --regexp '^id +name'
}
