#!/usr/bin/env bats
# CLI.md 8.1: masking. A person's phone and email print masked to
# finance; a custom field added --sensitive prints masked to all but an
# admin and the record's owner; everywhere values print; a masked value
# given back is no change (issue 16, acceptance 3).

load helper

local_setup() {
	fresh_db
	crm user add alice --role admin >/dev/null
	export CRM_USER=alice
	crm user add carol --role rep >/dev/null
	crm user add bob --role rep >/dev/null
	crm user add fin --role finance >/dev/null
	crm field add lead id_card --sensitive >/dev/null
	crm --as fin contact add name=张伟 phone=13812345678 email=zhangwei@example.com >/dev/null
	crm lead add name=李娜 phone=13900001111 id_card=330102199001011234 --owner carol >/dev/null
	crm share lead:1 --with bob >/dev/null
}

@test "finance sees a person's phone and email masked: 138****5678, zh***@example.com" {
	run --separate-stderr crm --as fin contact list
	assert_success
	[ "$(jqo '"\(.phone) \(.email)"')" = "138****5678 zh***@example.com" ]
	run crm --as fin contact show 1
	[ "$(jqo .phone)" = "138****5678" ]
	run crm --as fin contact list --table
	assert_output --partial "138****5678"
	refute_output --partial 13812345678
	run crm --as alice contact show 1
	[ "$(jqo '"\(.phone) \(.email)"')" = "13812345678 zhangwei@example.com" ]
}

@test "a lead shared with finance: visible, its phone masked" {
	run crm --as fin lead show 1
	assert_failure 5
	crm --as carol share lead:1 --with fin >/dev/null
	run crm --as fin lead list
	assert_success
	[ "$(jqo '"\(.id) \(.phone) \(.id_card)"')" = "1 139****1111 ***" ]
}

@test "masking reaches every way out: export (csv, jsonl, xlsx), search, history, log, rm" {
	crm --as fin contact update 1 phone=13812340000 >/dev/null
	for f in csv jsonl; do
		crm --as fin export contacts --format $f > "$BATS_TEST_TMPDIR/c.$f"
		grep -q '138\*\*\*\*0000' "$BATS_TEST_TMPDIR/c.$f" || fail "$f export is not masked"
		! grep -q 13812340000 "$BATS_TEST_TMPDIR/c.$f" || fail "$f export shows the phone"
	done
	crm --as fin export contacts -o "$BATS_TEST_TMPDIR/c.xlsx"
	run unzip -p "$BATS_TEST_TMPDIR/c.xlsx" xl/sharedStrings.xml
	assert_output --partial '138****0000'
	refute_output --partial 13812340000
	run crm --as fin search 张伟
	[ "$(jqo .phone)" = "138****0000" ]
	refute_output --partial 13812340000
	# what prints masked is not found either: the hidden digits, the
	# whole phone, the hidden part of the email; what shows still is
	for q in 1234 13812340000 zhangwei; do
		run crm --as fin search $q
		assert_failure 1
	done
	run crm --as fin search 0000
	[ "$(jqo .id)" = 1 ]
	run crm --as alice search 1234
	[ "$(jqo .id)" = 1 ]
	run crm --as fin history contact:1
	assert_output --partial '"phone":["138****5678","138****0000"]'
	refute_output --partial 13812345678
	run crm --as fin log --entity contact:1
	refute_output --partial 1381234
	run crm --as alice log --entity contact:1
	assert_output --partial 13812340000
	run crm --as fin contact rm 1
	[ "$(jqo .phone)" = "138****0000" ]
}

@test "dedupe names the shared phone or email masked to finance, in the clear to the admin" {
	crm --as fin contact add name=张伟伟 phone=13812345678 email=zhangwei@example.com --allow-duplicate >/dev/null
	run --separate-stderr crm --as fin dedupe contacts
	assert_success
	[ "$(echo "$output" | jq -r .reason | tr '\n' '|')" = "same phone: 138****5678|" ]
	refute_output --partial 13812345678
	run crm --as fin dedupe contacts --by email
	[ "$(jqo .reason)" = "same email: zh***@example.com" ]
	run crm --as alice dedupe contacts
	[ "$(jqo .reason)" = "same phone: 13812345678" ]
}

@test "a masked line piped back into update leaves the stored phone unchanged (acceptance 3)" {
	run bash -c "crm --as fin contact list | crm --as fin contact update title=经理"
	assert_success
	[ "$(jqo .phone)" = "138****5678" ]
	# the masked value itself given back is no change either
	run bash -c "crm --as fin contact show 1 | jq -r .phone"
	run crm --as fin contact update 1 phone="$output" email=zh***@example.com
	assert_success
	run crm --as alice contact show 1
	[ "$(jqo '"\(.phone) \(.email) \(.title)"')" = "13812345678 zhangwei@example.com 经理" ]
	run crm --as alice log --entity contact:1 --limit 1
	refute_output --partial '"phone"'
	# a real new value still goes in
	run crm --as fin contact update 1 phone=13700000000
	run crm --as alice contact show 1
	[ "$(jqo .phone)" = 13700000000 ]
}

@test "a --sensitive custom field: *** to others, in the clear to the owner and the admin" {
	run crm field list lead
	[ "$(jqo .sensitive)" = true ]
	run crm --as bob lead show 1
	assert_success
	[ "$(jqo .id_card)" = "***" ]
	[ "$(jqo .phone)" = 13900001111 ]   # a rep sees phones
	run crm --as carol lead show 1
	[ "$(jqo .id_card)" = 330102199001011234 ]
	run crm --as alice lead list
	[ "$(jqo .id_card)" = 330102199001011234 ]
	run crm --as bob export leads --format csv
	assert_output --partial '***'
	refute_output --partial 330102199001011234
	# in the history of a change too
	crm --as carol lead update 1 id_card=330102199001019999 >/dev/null
	run crm --as bob history lead:1
	assert_output --partial '"id_card":["***","***"]'
	refute_output --partial 3301021990
	# a masked value given back by someone who may write it changes nothing
	crm --as carol share lead:1 --with bob --write >/dev/null
	run bash -c "crm --as bob lead show 1 | crm --as bob lead update status=working"
	assert_success
	run crm --as bob lead update 1 id_card='***'
	assert_success
	run crm --as carol lead show 1
	[ "$(jqo '"\(.id_card) \(.status)"')" = "330102199001019999 working" ]
}

@test "--where and --sort read a masked field as it prints: a filter cannot test what is hidden" {
	crm lead add name=王芳 phone=13900002222 id_card=110101198001010000 --owner carol >/dev/null
	crm --as fin contact add name=赵六 phone=13700001111 email=zhaoliu@example.com >/dev/null
	# the hidden digits and the hidden part of an email match nothing
	run --separate-stderr crm --as fin contact list --where "phone LIKE '1381234%'"
	assert_failure 1
	run crm --as fin contact list --where "email = 'zhangwei@example.com'"
	assert_failure 1
	run crm --as fin export contacts --where "substr(phone, 4, 4) = '1234'"
	assert_failure 1
	# what shows still filters: the masked text itself, the kept digits
	run crm --as fin contact list --where "phone LIKE '%5678'"
	[ "$(jqo .name)" = 张伟 ]
	run crm --as fin contact list --where "email = 'zh***@example.com'"
	[ "$(echo "$output" | jq -r .name | tr '\n' ' ')" = "张伟 赵六 " ]
	# a --sensitive field: bob reads *** and filters on ***; the owner and
	# the admin on the value
	crm --as carol share lead:2 --with bob >/dev/null
	run crm --as bob lead list --where "id_card LIKE '3301%'"
	assert_failure 1
	run crm --as bob lead list --where "id_card = '***'"
	[ "$(echo "$output" | jq -r .id | tr '\n' ' ')" = "1 2 " ]
	run crm --as bob lead list --sort id_card,-id
	[ "$(echo "$output" | jq -r .id | tr '\n' ' ')" = "2 1 " ]
	run crm --as carol lead list --where "id_card LIKE '3301%'"
	[ "$(jqo .id)" = 1 ]
	run crm --as alice lead list --sort id_card
	[ "$(echo "$output" | jq -r .id | tr '\n' ' ')" = "2 1 " ]
	run crm --as alice contact list --where "phone LIKE '1381234%'"
	[ "$(jqo .name)" = 张伟 ]
}

@test "a sensitive field stays out of the search index; field add --sensitive is the admin's (5)" {
	run crm --as carol search 330102
	assert_failure 1
	run crm --as carol field add lead secret --sensitive
	assert_failure 5
	run crm field list lead
	[ "$(echo "$output" | wc -l)" -eq 1 ]
}

@test "without users nothing is masked" {
	rm -f "$CRM_DB"
	fresh_db
	crm field add lead id_card --sensitive >/dev/null
	crm --as a lead add name=李娜 phone=13900001111 id_card=330102199001011234 >/dev/null
	run crm --as b lead show 1
	[ "$(jqo '"\(.phone) \(.id_card)"')" = "13900001111 330102199001011234" ]
}
