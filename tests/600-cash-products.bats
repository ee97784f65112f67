#!/usr/bin/env bats
# crm product: the catalogue quotes are made of (CLI.md 8.2).
load helper

local_setup() {
	export CRM_NOW='2026-03-02 10:00'
	fresh_db
}

@test "product add: name, sku, price; unit 套, tax_rate 13 and status active unless given" {
	run --separate-stderr crm product add name=企业版 sku=CRM-ENT price=12800
	assert_success
	assert_jsonl
	[ "$(jqo '"\(.type) \(.id) \(.sku) \(.name) \(.price) \(.currency) \(.unit) \(.tax_rate) \(.status)"')" = "product 1 CRM-ENT 企业版 12800 CNY 套 13 active" ]
	run crm product add name=实施服务 sku=SVC price=1500.50 unit=人天 tax_rate=6 status=inactive
	[ "$(jqo '"\(.price) \(.unit) \(.tax_rate) \(.status)"')" = "1500.5 人天 6 inactive" ]
	# money as people write it: 1.28万 = 12800.00
	run crm product add name=企业版2 sku=E2 price=1.28万
	[ "$(jqo .price)" = 12800 ]
}

@test "product add refuses what is not a product: no name or price (3), a bad tax rate or status (3), a taken sku (4)" {
	crm product add name=企业版 sku=CRM-ENT price=12800 >/dev/null
	run --separate-stderr crm product add sku=X price=1
	assert_failure 3
	[[ "$stderr" == *"name: required field missing"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm product add name=X sku=X
	assert_failure 3
	run --separate-stderr crm product add name=X sku=X price=-1
	assert_failure 3
	run --separate-stderr crm product add name=X sku=X price=1 tax_rate=130
	assert_failure 3
	[[ "$stderr" == *"tax_rate: '130' is not a percentage"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm product add name=X sku=X price=1 status=gone
	assert_failure 3
	# name=... sku=... price=... are what CLI.md's synopsis asks for: no sku is exit 3 too
	run --separate-stderr crm product add name=X price=1
	assert_failure 3
	[[ "$stderr" == *"sku: required field missing"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm product add name=另一个 sku=CRM-ENT price=1
	assert_failure 4
	[[ "$stderr" == *"sku CRM-ENT already belongs to product:1"* ]] || fail "stderr: $stderr"
	[ "$(crm sql 'SELECT count(*) AS n FROM product' | jq .n)" = 1 ]
	# a removed product's sku may be used again; the removed one cannot come back then
	crm product rm 1 >/dev/null
	run crm product add name=新企业版 sku=CRM-ENT price=13800
	assert_success
	run --separate-stderr crm restore product:1
	assert_failure 4
	[[ "$stderr" == *"product:1 cannot come back: its sku CRM-ENT already belongs to product:2"* ]] || fail "stderr: $stderr"
}

@test "product list, show, update, rm; --where and the shorthand filters; a pipe" {
	crm product add name=企业版 sku=ENT price=12800 category=软件 >/dev/null
	crm product add name=实施服务 sku=SVC price=1500 category=服务 tax_rate=6 >/dev/null
	crm product add name=旧版 sku=OLD price=100 status=inactive >/dev/null
	run crm product list --status active
	[ "${#lines[@]}" = 2 ]
	run crm product list --where "price > 1000 AND category = '软件'"
	[ "$(jqo .sku)" = ENT ]
	run crm product list --sort -price --limit 1
	[ "$(jqo .sku)" = ENT ]
	run bash -c "crm product list --where \"tax_rate = 13\" | crm product update price=9999"
	assert_success
	[ "$(crm product show 1 | jq .price)" = 9999 ]
	[ "$(crm product show 3 | jq .price)" = 9999 ]
	[ "$(crm product show 2 | jq .price)" = 1500 ]
	run --separate-stderr crm product update 2 tax_rate=101
	assert_failure 3
	[ "$(crm product show 2 | jq .tax_rate)" = 6 ]
	run bash -c "crm product list --status inactive | crm product rm"
	assert_success
	run crm product list
	[ "${#lines[@]}" = 2 ]
	run crm product show 3
	assert_failure 1
}

@test "crm import products: Chinese headers (产品编号 产品名称 单价 单位 税率), 13% as 13, a known SKU skipped" {
	crm product add name=企业版 sku=ENT price=12800 >/dev/null
	printf '产品编号,产品名称,单价,单位,税率,产品分类\nA1,路由器,"1,999",台,13%%,硬件\nA2,交换机,2999.50,台,9,硬件\nENT,企业版,13800,套,13,软件\nA3,坏行,abc,台,13,硬件\n' > "$BATS_TEST_TMPDIR/p.csv"
	run --separate-stderr crm import products "$BATS_TEST_TMPDIR/p.csv"
	assert_failure 3
	[[ "$stderr" == *"2 inserted, 0 updated, 1 skipped, 1 rejected"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"line 5: price: 'abc' is not an amount of money"* ]] || fail "stderr: $stderr"
	[ "$(crm product list --where "sku = 'A1'" | jq -c '[.name, .price, .unit, .tax_rate, .category]')" = '["路由器",1999,"台",13,"硬件"]' ]
	[ "$(crm product list --where "sku = 'A2'" | jq .price)" = 2999.5 ]
	# the one already known keeps its price
	[ "$(crm product show 1 | jq .price)" = 12800 ]
	# --on-duplicate update matches it by its SKU
	run crm import products "$BATS_TEST_TMPDIR/p.csv" --on-duplicate update
	[ "$(crm product show 1 | jq .price)" = 13800 ]
}

@test "crm import products: a few rows onto many products find their SKUs the same (by the index, not a hash of all)" {
	{ echo 'sku,name,price'; for i in $(seq 1 40); do echo "S$i,产品$i,$i"; done; } > "$BATS_TEST_TMPDIR/many.csv"
	crm import products "$BATS_TEST_TMPDIR/many.csv" 2>/dev/null
	# one known SKU, one new one twice in the file (under --on-duplicate update
	# its first row changes nothing: skipped)
	printf 'sku,name,price\nS7,改名,700\nNEW,新品,5\nNEW,新品again,6\n' > "$BATS_TEST_TMPDIR/few.csv"
	run --separate-stderr crm import products "$BATS_TEST_TMPDIR/few.csv"
	assert_success
	[[ "$stderr" == *"1 inserted, 0 updated, 2 skipped"* ]] || fail "stderr: $stderr"
	[ "$(crm product list --where "sku = 'NEW'" | jq -c '[.name, .price]')" = '["新品",5]' ]
	[ "$(crm product list --where "sku = 'S7'" | jq -c '[.name, .price]')" = '["产品7",7]' ]
	run --separate-stderr crm import products "$BATS_TEST_TMPDIR/few.csv" --on-duplicate update
	assert_success
	[[ "$stderr" == *"0 inserted, 2 updated, 1 skipped"* ]] || fail "stderr: $stderr"
	[ "$(crm product list --where "sku = 'S7'" | jq -c '[.name, .price]')" = '["改名",700]' ]
	[ "$(crm product list --where "sku = 'NEW'" | jq -c '[.name, .price]')" = '["新品again",6]' ]
	[ "$(crm product list | wc -l)" = 41 ]
}

@test "export products with Chinese headers, and back in" {
	crm product add name=企业版 sku=ENT price=12800 unit=套 >/dev/null
	crm product add name=实施服务 sku=SVC price=1500.5 unit=人天 tax_rate=6 >/dev/null
	run crm export products --headers zh
	assert_success
	[[ "${lines[0]}" == 编号,产品编号,产品名称,产品分类,单位,单价,币种,税率,状态* ]] || fail "header: ${lines[0]}"
	crm export products --headers zh -o "$BATS_TEST_TMPDIR/p.csv"
	crm export products -o "$BATS_TEST_TMPDIR/p.xlsx"
	crm export products --format jsonl -o "$BATS_TEST_TMPDIR/p.jsonl"
	rm -f "$CRM_DB"
	fresh_db
	run --separate-stderr crm import products "$BATS_TEST_TMPDIR/p.csv"
	assert_success
	[ "$(crm product list | jq -c '[.sku, .price, .unit, .tax_rate]' | paste -sd' ')" = '["ENT",12800,"套",13] ["SVC",1500.5,"人天",6]' ]
	run --separate-stderr crm import products "$BATS_TEST_TMPDIR/p.xlsx"
	assert_success
	[[ "$stderr" == *"0 inserted, 0 updated, 2 skipped"* ]] || fail "stderr: $stderr"
	rm -f "$CRM_DB"
	fresh_db
	crm import products "$BATS_TEST_TMPDIR/p.jsonl" 2>/dev/null
	[ "$(crm product list | wc -l)" = 2 ]
}

@test "products are found by crm search, have a history and an audit trail, complete and have help" {
	crm product add name=普洱茶礼盒 sku=TEA-01 price=688 description=云南勐海 >/dev/null
	crm product update 1 price=699 >/dev/null
	run crm search 勐海
	assert_success
	[ "$(jqo '.type + " " + .sku')" = "product TEA-01" ]
	run crm search 普洱
	[ "$(jqo .type)" = product ]
	run crm history product:1
	assert_line --partial '"summary":"price: 688 → 699"'
	run crm log --entity product:1
	[ "${#lines[@]}" = 2 ]
	run crm __complete product ''
	for v in add list show update rm; do assert_line "$v"; done
	run crm help product
	assert_success
	assert_output --partial 'tax_rate'
	[ -f "$ROOT_DIR/share/man/man1/crm-product.1" ]
}
