#!/usr/bin/env bats
# crm quote: quotes and their lines, the arithmetic, the statuses, the
# approval of a discount, revise, print (CLI.md 8.2).
load helper

local_setup() {
	export CRM_NOW='2026-03-02 10:00'
	fresh_db
	crm account add name=杭州云启科技有限公司 >/dev/null
	crm --as alice deal add name=云启CRM account_id=1 >/dev/null
}

@test "quote add: a draft for a deal, numbered Q-YYYY-NNNN, with the deal's account, currency and owner" {
	run --separate-stderr crm quote add --deal 1 --valid-until 2026-03-31
	assert_success
	assert_jsonl
	[ "$(jqo '"\(.type) \(.number) \(.deal_id) \(.account_id) \(.currency) \(.owner) \(.status) \(.version) \(.valid_until) \(.tax_included)"')" = "quote Q-2026-0001 1 1 CNY alice draft 1 2026-03-31 1" ]
	[ "$(jq -c '[.amount_untaxed, .amount_tax, .amount_total]' <<<"$output")" = "[0,0,0]" ]
	run crm quote add --deal 1
	[ "$(jqo .number)" = Q-2026-0002 ]
	# a number given by hand is kept, and unique
	run crm quote add --deal 1 number=BJ-001
	[ "$(jqo .number)" = BJ-001 ]
	run --separate-stderr crm quote add --deal 1 number=BJ-001
	assert_failure 4
	[[ "$stderr" == *"number BJ-001 already belongs to quote:3"* ]] || fail "stderr: $stderr"
	# the number is the year and the id it gets (quote:4 is Q-2026-0004);
	# one taken by hand is skipped
	run crm quote add --deal 1 number=Q-2026-0005
	[ "$(jqo '"\(.id) \(.number)"')" = "4 Q-2026-0005" ]
	run crm quote add --deal 1
	[ "$(jqo '"\(.id) \(.number)"')" = "5 Q-2026-0006" ]
	# no deal: not a quote (3), nor one of another currency (3)
	run --separate-stderr crm quote add valid_until=2026-03-31
	assert_failure 3
	crm deal update 1 amount=1000 >/dev/null   # a deal in CNY now
	run --separate-stderr crm quote add --deal 1 currency=USD
	assert_failure 3
	[[ "$stderr" == *"currency: deal:1 is in CNY: its quotes are too"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm quote add --deal 9
	assert_failure 3
	[ "$(crm sql 'SELECT count(*) AS n FROM quote' | jq .n)" = 5 ]
}

@test "a line copies the product's name, unit, price and tax rate unless given; qty has up to 3 decimals" {
	crm product add name=企业版 sku=ENT price=12800 unit=套 >/dev/null
	crm product add name=1001号 sku=1001 price=10 >/dev/null
	crm quote add --deal 1 >/dev/null
	run --separate-stderr crm quote line add 1 --product ENT
	assert_success
	[ "$(jqo '"\(.type) \(.line_no) \(.product_id) \(.sku) \(.name) \(.unit) \(.qty) \(.price) \(.tax_rate)"')" = "quote_line 1 1 ENT 企业版 套 1 12800 13" ]
	run crm quote line add 1 --product 1 --qty 1.125 --price 12000 "name=企业版(年付)" unit=年 tax_rate=6
	[ "$(jqo '"\(.line_no) \(.name) \(.unit) \(.qty) \(.price) \(.tax_rate)"')" = "2 企业版(年付) 年 1.125 12000 6" ]
	# a SKU that looks like an id is a SKU first
	run crm quote line add 1 --product 1001
	[ "$(jqo .sku)" = 1001 ]
	run --separate-stderr crm quote line add 1 --product ENT --qty 1.2345
	assert_failure 3
	[[ "$stderr" == *"qty: '1.2345' is not a quantity"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm quote line add 1 --product ENT --qty 0
	assert_failure 3
	run --separate-stderr crm quote line add 1 --product ENT --discount 101
	assert_failure 3
	run --separate-stderr crm quote line add 1 --product NOPE
	assert_failure 3
	[[ "$stderr" == *"no product with SKU or id 'NOPE'"* ]] || fail "stderr: $stderr"
	# a line without a product names itself
	run crm quote line add 1 name=上门安装 price=800 qty=2
	assert_success
	[ "$(crm sql 'SELECT count(*) AS n FROM quote_line' | jq .n)" = 4 ]
}

@test "the arithmetic with tax included: half up at each step, sums of the lines" {
	crm product add name=企业版 sku=ENT price=12800 >/dev/null
	crm product add name=实施 sku=SVC price=10.01 tax_rate=6 >/dev/null
	crm quote add --deal 1 --discount 5 >/dev/null
	# 3 x 12800.00 = 3840000 fen; -12.5% = 3360000; x 95% (quote) = 3192000
	# untaxed = 3192000 x 100 / 113 = 2824778.76 -> 2824779 (28247.79)
	# tax = 3192000 - 2824779 = 367221 (3672.21)
	run crm quote line add 1 --product ENT --qty 3 --discount 12.5
	[ "$(jq -c '[.amount_untaxed, .amount_tax, .amount_total]' <<<"$output")" = "[28247.79,3672.21,31920]" ]
	# 0.5 x 10.01 = 500.5 fen -> 501 (half up); x 95% = 475.95 -> 476 (4.76)
	# untaxed = 476 x 100 / 106 = 449.06 -> 449 (4.49); tax = 27 (0.27)
	run crm quote line add 1 --product SVC --qty 0.5
	[ "$(jq -c '[.amount_untaxed, .amount_tax, .amount_total]' <<<"$output")" = "[4.49,0.27,4.76]" ]
	# the quote: 2824779 + 449 = 2825228; 367221 + 27 = 367248; 3192000 + 476 = 3192476
	run crm quote show 1
	[ "$(jq -c '[.amount_untaxed, .amount_tax, .amount_total]' <<<"${lines[0]}")" = "[28252.28,3672.48,31924.76]" ]
	# the quote discount changes every line: 0% now
	# ENT: 3360000, untaxed 3360000 x 100 / 113 = 2973451.33 -> 2973451, tax 386549
	# SVC: 501, untaxed 501 x 100 / 106 = 472.64 -> 473, tax 28
	# total 3360000 + 501 = 3360501 (33605.01)
	crm quote update 1 discount=0 >/dev/null
	run crm quote show 1
	[ "$(jq -c '[.amount_untaxed, .amount_tax, .amount_total]' <<<"${lines[0]}")" = "[29739.24,3865.77,33605.01]" ]
}

@test "the arithmetic with tax excluded (config tax.included false): the tax is added on top" {
	crm config set tax.included false >/dev/null
	crm product add name=硬件 sku=HW price=99.99 >/dev/null
	crm quote add --deal 1 >/dev/null
	# 3 x 99.99 = 29997 fen; -12.5% = 26247.375 -> 26247 (262.47)
	# tax = 26247 x 13 / 100 = 3412.11 -> 3412 (34.12); total 26247 + 3412 = 29659 (296.59)
	run crm quote line add 1 --product HW --qty 3 --discount 12.5
	[ "$(jq -c '[.amount_untaxed, .amount_tax, .amount_total]' <<<"$output")" = "[262.47,34.12,296.59]" ]
	run crm quote show 1
	[ "$(jq -c '[.tax_included, .amount_untaxed, .amount_tax, .amount_total]' <<<"${lines[0]}")" = "[0,262.47,34.12,296.59]" ]
	# the quote keeps how it was made: changing the setting later changes nothing
	crm config set tax.included true >/dev/null
	run crm quote show 1
	[ "$(jq .amount_total <<<"${lines[0]}")" = 296.59 ]
}

@test "quote show: the quote, then its lines as quote_line records; line rm, line list, line update" {
	crm product add name=企业版 sku=ENT price=100 >/dev/null
	crm quote add --deal 1 >/dev/null
	for q in 1 2 3; do crm quote line add 1 --product ENT --qty $q >/dev/null; done
	run --separate-stderr crm quote show 1
	assert_success
	[ "$(jq -r .type <<<"$output" | paste -sd,)" = "quote,quote_line,quote_line,quote_line" ]
	run crm quote line rm 1 2
	assert_success
	[ "$(jqo '"\(.type) \(.line_no) \(.qty)"')" = "quote_line 2 2" ]
	# 100.00 + 300.00 = 400.00
	[ "$(crm quote show 1 | head -1 | jq .amount_total)" = 400 ]
	run crm quote line list 1
	[ "$(jq -r .line_no <<<"$output" | paste -sd,)" = "1,3" ]
	run crm quote line update 1 3 qty=4
	assert_success
	# 100.00 + 400.00 = 500.00
	[ "$(crm quote show 1 | head -1 | jq .amount_total)" = 500 ]
	run --separate-stderr crm quote line rm 1 2
	assert_failure 1
	run --separate-stderr crm quote line update 1 3 qty=1.0001
	assert_failure 3
	[ "$(crm quote show 1 | head -1 | jq .amount_total)" = 500 ]
}

@test "status: draft -> sent -> accepted; accept sets the deal's amount to the quote's total" {
	crm product add name=企业版 sku=ENT price=12800 >/dev/null
	crm quote add --deal 1 --valid-until 2026-03-31 >/dev/null
	run --separate-stderr crm quote send 1
	assert_failure 4
	[[ "$stderr" == *"quote:1 has no lines"* ]] || fail "stderr: $stderr"
	crm quote line add 1 --product ENT --qty 2 >/dev/null
	run --separate-stderr crm quote send 1
	assert_success
	[ "$(jqo '.status + " " + .sent_at')" = "sent 2026-03-02T10:00:00+08:00" ]
	run --separate-stderr crm quote send 1
	assert_failure 4
	[[ "$stderr" == *"quote:1 is sent: send needs a draft (from sent: accept, reject, revise)"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm quote accept 1
	assert_success
	[ "$(jqo .status)" = accepted ]
	# 2 x 12800.00 = 25600.00
	[ "$(crm deal show 1 | jq -c '[.amount, .currency]')" = '[25600,"CNY"]' ]
	run crm log --entity deal:1 --limit 1
	[ "$(jqo '.action + " " + .after.quote')" = "quote_accepted quote:1" ]
	run --separate-stderr crm quote reject 1
	assert_failure 4
	[[ "$stderr" == *"quote:1 is accepted: reject needs a sent quote (from accepted: nothing)"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm quote revise 1
	assert_failure 4
	# status is the verbs' job
	run --separate-stderr crm quote update 1 status=draft
	assert_failure 3
}

@test "a sent quote past valid_until reads expired from the next day; the tick fires quote.expired once" {
	crm product add name=企业版 sku=ENT price=100 >/dev/null
	crm quote add --deal 1 --valid-until 2026-03-31 >/dev/null
	crm quote line add 1 --product ENT >/dev/null
	crm quote send 1 >/dev/null
	[ "$(CRM_NOW='2026-03-31 23:59' crm quote show 1 | head -1 | jq -r .status)" = sent ]
	[ "$(CRM_NOW='2026-04-01 00:00' crm quote show 1 | head -1 | jq -r .status)" = expired ]
	[ "$(CRM_NOW='2026-04-01 08:00' crm quote list --status expired | jq .id)" = 1 ]
	[ "$(CRM_NOW='2026-04-01 08:00' crm quote list --where "status = 'expired'" | jq .id)" = 1 ]
	run env CRM_NOW='2026-04-01 08:00' crm quote accept 1
	assert_failure 4
	[[ "$output" == *"quote:1 is expired: accept needs a sent quote within its valid_until (from expired: revise)"* ]] || fail "output: $output"
	crm rule add 过期跟进 --on quote.expired --do 'task "报价过期: 跟进客户" --due +1d' >/dev/null
	[ "$(CRM_NOW='2026-03-31 10:00' crm automate tick | wc -l)" = 0 ]
	run env CRM_NOW='2026-04-01 08:00' crm automate tick
	assert_success
	assert_line '{"type":"fired","event":"quote.expired","entity":"quote:1"}'
	run env CRM_NOW='2026-04-02 08:00' crm automate tick
	[[ "$output" != *quote.expired* ]] || fail "fired again: $output"
	[ "$(crm task list | jq -r '.title + " " + .entity')" = "报价过期: 跟进客户 quote:1" ]
	# rejected, or revised into version 2
	run env CRM_NOW='2026-04-02 08:00' crm quote revise 1
	assert_success
	[ "$(jqo '"\(.number) \(.version) \(.status) \(.revision_of)"')" = "Q-2026-0001-v2 2 draft 1" ]
	[ "$(crm quote show 1 | head -1 | jq -r .status)" = superseded ]
}

@test "revise copies a sent or rejected quote with its lines as version + 1; the old one is superseded" {
	crm product add name=企业版 sku=ENT price=100 >/dev/null
	crm quote add --deal 1 --discount 5 >/dev/null
	crm quote line add 1 --product ENT --qty 2 --discount 10 >/dev/null
	run --separate-stderr crm quote revise 1
	assert_failure 4
	[[ "$stderr" == *"quote:1 is draft: revise needs a sent, rejected or expired quote (from draft: send)"* ]] || fail "stderr: $stderr"
	crm quote send 1 >/dev/null
	crm quote reject 1 >/dev/null
	run --separate-stderr bash -c 'crm quote list --status rejected | crm quote revise'
	assert_success
	[ "$(jqo '"\(.id) \(.number) \(.version) \(.status) \(.discount) \(.amount_total)"')" = "2 Q-2026-0001-v2 2 draft 5 171" ]
	# 2 x 100.00 -10% = 180.00; x 95% = 171.00, as in version 1
	[ "$(crm quote line list 2 | jq -c '[.line_no, .sku, .qty, .discount]')" = '[1,"ENT",2,10]' ]
	[ "$(crm quote show 1 | head -1 | jq -r .status)" = superseded ]
	crm quote send 2 >/dev/null
	run crm quote revise 2
	[ "$(jqo .number)" = Q-2026-0001-v3 ]
}

@test "only a draft is edited; send needs an approval over approval.discount_over; raising the discount after voids it" {
	crm product add name=企业版 sku=ENT price=100 >/dev/null
	crm quote add --deal 1 >/dev/null
	crm quote line add 1 --product ENT --discount 10 >/dev/null
	# unset: no approval
	run crm quote send 1
	assert_success
	run --separate-stderr crm quote line add 1 --product ENT
	assert_failure 4
	crm config set approval.discount_over 10 >/dev/null
	crm quote add --deal 1 --discount 8 >/dev/null
	crm quote line add 2 --product ENT --discount 10 >/dev/null
	# 10% is not over 10%
	run crm quote send 2
	assert_success
	crm quote add --deal 1 --discount 12 >/dev/null
	crm quote line add 3 --product ENT --qty 2 >/dev/null
	run --separate-stderr crm --as alice quote send 3
	assert_failure 4
	[[ "$stderr" == *"quote:3 has a discount of 12%, over approval.discount_over (10%): sending it needs an approval; requested"* ]] || fail "stderr: $stderr"
	# 2 x 100.00 x 88% = 176.00
	[ "$(crm approval list --pending | jq -c '[.entity, .discount, .amount]')" = '["quote:3",12,176]' ]
	run --separate-stderr crm --as alice quote send 3
	assert_failure 4
	[[ "$stderr" == *"waits for approval"* ]] || fail "stderr: $stderr"
	[ "$(crm sql "SELECT count(*) AS n FROM approval" | jq .n)" = 1 ]
	run --separate-stderr crm --as alice approve quote:3
	assert_failure 5
	crm --as dave approve quote:3 >/dev/null
	# a bigger discount after the approval: it no longer holds
	crm quote update 3 discount=15 >/dev/null
	[ "$(crm approval show 1 | jq -r .status)" = void ]
	run --separate-stderr crm --as alice quote send 3
	assert_failure 4
	[[ "$stderr" == *"requested"* ]] || fail "stderr: $stderr"
	crm --as dave approve quote:3 >/dev/null
	# a lower amount keeps it: 1 x 100.00 x 85% = 85.00 < 2 x 100.00 x 85% = 170.00
	crm quote line update 3 1 qty=1 >/dev/null
	[ "$(crm approval show 2 | jq -r .status)" = approved ]
	# (a lower discount raises the amount, which voids it: the approval saw 85.00)
	run crm --as alice quote send 3
	assert_success
	[ "$(jqo .status)" = sent ]
}

@test "quote print: the company, the customer, the lines, the totals and the total in capital numerals" {
	crm config set company.name 上海星河软件有限公司 >/dev/null
	crm config set company.address '上海市浦东新区张江路 88 号' >/dev/null
	crm config set company.phone 021-88886666 >/dev/null
	crm config set company.tax_number 91310000MA1FL0000X >/dev/null
	crm product add name=企业版 sku=ENT price=10005 >/dev/null
	crm quote add --deal 1 --valid-until 2026-03-31 >/dev/null
	crm quote line add 1 --product ENT >/dev/null
	run --separate-stderr crm quote print 1
	assert_success
	for s in 上海星河软件有限公司 '上海市浦东新区张江路 88 号' 021-88886666 91310000MA1FL0000X 'Q-2026-0001' \
		杭州云启科技有限公司 云启CRM 2026-03-31 企业版 '10,005.00' '合计: ¥10,005.00 CNY'; do
		[[ "$output" == *"$s"* ]] || fail "no '$s' in: $output"
	done
	# 10005.00: one 零 for the zeros, whole yuan end in 整
	assert_line '大写: 壹万零伍元整'
	run --separate-stderr crm quote print 1 --format html -o "$BATS_TEST_TMPDIR/q.html"
	assert_success
	[ -z "$output" ]
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/q.html")" = 600 ]
	html=$(cat "$BATS_TEST_TMPDIR/q.html")
	[[ "$html" == "<!DOCTYPE html>"* ]] || fail "not html"
	[[ "$html" == *"@page { size: A4"* ]] || fail "no A4 page"
	[[ "$html" == *"壹万零伍元整"* ]] || fail "no capital numerals"
	[[ "$html" == *"上海星河软件有限公司"* ]] || fail "no company"
	# self-contained: nothing fetched
	! grep -Eq '(src|href)=|url\(|@import' "$BATS_TEST_TMPDIR/q.html"
	# a customer's name is text, never markup
	crm account update 1 'name=<b>云启</b> & 子公司' >/dev/null
	run crm quote print 1 --format html
	assert_output --partial '&lt;b&gt;云启&lt;/b&gt; &amp; 子公司'
	# 100000.10: 零 after 元 before the 角
	crm quote line update 1 1 price=100000.10 >/dev/null
	run crm quote print 1
	assert_line '大写: 壹拾万元零壹角'
	run --separate-stderr crm quote print 1 --format pdf
	assert_failure 2
	run --separate-stderr crm quote print 9
	assert_failure 1
}

@test "quote show --table: the quote, then each line, every field one a line in its own order, as every show" {
	crm product add name=企业版 sku=ENT price=12800 >/dev/null
	crm quote add --deal 1 >/dev/null
	crm quote line add 1 --product ENT --qty 2 >/dev/null
	run --separate-stderr crm quote show 1 --table
	assert_success
	assert_line --regexp '^number +Q-2026-0001$'
	# 2 x 12800.00 = 25600.00, the line's and the quote's total
	assert_line --regexp '^amount_total +25600$'
	assert_line --regexp '^line_no +1$'
	assert_line --regexp '^sku +ENT$'
	# the line starts with its id, then its quote: not the quote's key order
	n=$(grep -n '^line_no' <<<"$output" | cut -d: -f1)
	[ "$(sed -n "$((n - 2))p;$((n - 1))p" <<<"$output" | awk '{print $1}' | paste -sd,)" = id,quote_id ]
}

@test "quote print -o FILE: replaced whole, 0600; a file that cannot be made leaves what was there" {
	crm product add name=企业版 sku=ENT price=10 >/dev/null
	crm quote add --deal 1 >/dev/null
	crm quote line add 1 --product ENT >/dev/null
	echo old > "$BATS_TEST_TMPDIR/q.txt"
	chmod 644 "$BATS_TEST_TMPDIR/q.txt"
	run --separate-stderr crm quote print 1 -o "$BATS_TEST_TMPDIR/q.txt"
	assert_success
	[ -z "$output" ]
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/q.txt")" = 600 ]
	grep -q '大写: 壹拾元整' "$BATS_TEST_TMPDIR/q.txt"
	[ "$(ls "$BATS_TEST_TMPDIR" | grep -c tmp)" = 0 ]
	run --separate-stderr crm quote print 1 -o "$BATS_TEST_TMPDIR/none/q.txt"
	assert_failure 2
	[ ! -e "$BATS_TEST_TMPDIR/none" ]
}

@test "quote lines exported with Chinese headers import back: 产品ID is read as product_id" {
	crm product add name=企业版 sku=ENT price=12800 >/dev/null
	crm product add name=实施服务 sku=SVC price=1500 unit=人天 tax_rate=6 >/dev/null
	crm quote add --deal 1 >/dev/null
	crm quote line add 1 --product ENT >/dev/null
	crm quote line add 1 --product SVC --qty 2 >/dev/null
	crm export quote_lines --headers zh > "$BATS_TEST_TMPDIR/l.csv"
	head -1 "$BATS_TEST_TMPDIR/l.csv" | grep -q '产品ID'
	crm quote add --deal 1 >/dev/null
	# the same lines for quote 2, without their ids
	sed '1!s/^[0-9]*,1,/,2,/' "$BATS_TEST_TMPDIR/l.csv" > "$BATS_TEST_TMPDIR/l2.csv"
	run --separate-stderr crm import quote_lines "$BATS_TEST_TMPDIR/l2.csv"
	assert_success
	[[ "$stderr" != *"not a quote_line field"* ]] || fail "stderr: $stderr"
	[ "$(crm quote line list 2 | jq -c '[.line_no, .product_id, .sku, .amount_total]' | paste -sd' ')" = '[1,1,"ENT",12800] [2,2,"SVC",3000]' ]
}

@test "a draft quote stays in its deal's currency: update currency=USD is exit 3, as add" {
	crm quote add --deal 1 >/dev/null
	run --separate-stderr crm quote update 1 currency=USD
	assert_failure 3
	[[ "$stderr" == *"currency: a quote is in its deal's currency (CNY)"* ]] || fail "stderr: $stderr"
	[ "$(crm quote show 1 | jq -r .currency)" = CNY ]
}

@test "quote line add reads the quotes to add to from stdin: crm quote add | crm quote line add" {
	crm product add name=企业版 sku=ENT price=12800 >/dev/null
	run --separate-stderr bash -c 'crm quote add --deal 1 | crm quote line add --product ENT --qty 2'
	assert_success
	assert_jsonl
	# 2 x 12800.00 = 25600.00
	[ "$(jqo '"\(.type) \(.quote_id) \(.line_no) \(.amount_total)"')" = "quote_line 1 1 25600" ]
	crm quote add --deal 1 >/dev/null
	# each quote on stdin gets the line; the type is checked
	run --separate-stderr bash -c 'crm quote list | crm quote line add -p ENT note=加购'
	assert_success
	[ "$(jq -c '[.quote_id, .line_no, .note]' <<<"$output" | paste -sd' ')" = '[1,2,"加购"] [2,1,"加购"]' ]
	run --separate-stderr bash -c 'crm deal list | crm quote line add -p ENT'
	assert_failure 3
	[[ "$stderr" == *"line 1: a deal, not a quote"* ]] || fail "stderr: $stderr"
	# no quote and nothing piped: a usage error
	run --separate-stderr crm quote line add -p ENT </dev/null
	assert_failure 2
	[ "$(crm quote line list | wc -l)" = 3 ]
}

@test "quote print shows the whole quote's discount, which the line amounts already include" {
	crm product add name=实施服务 sku=SVC price=1500 unit=人天 tax_rate=6 >/dev/null
	crm quote add --deal 1 --discount 5 >/dev/null
	crm quote line add 1 --product SVC --qty 2 --discount 10 >/dev/null
	# 2 x 1500.00 = 3000.00; -10% = 2700.00; -5% = 2565.00: the line's amount
	run --separate-stderr crm quote print 1
	assert_success
	assert_line '整单折扣: 5% (已计入各行金额)'
	assert_line --regexp '^ +1  SVC .* 10% +6%  2,565\.00$'
	assert_line '合计: ¥2,565.00 CNY'
	run crm quote print 1 --format html
	assert_output --partial '<tr><th>整单折扣</th><td>5% (已计入各行金额)</td></tr>'
	# without one, no such line
	crm quote update 1 discount=0 >/dev/null
	run crm quote print 1
	refute_line --partial '整单折扣'
}

@test "quote print respects visibility: a rep cannot print another rep's quote (exit 5, nothing printed)" {
	crm user add tester role=admin >/dev/null
	crm user add alice role=rep >/dev/null
	crm user add bob role=rep >/dev/null
	crm product add name=企业版 sku=ENT price=12800 >/dev/null
	crm --as alice quote add --deal 1 >/dev/null
	crm --as alice quote line add 1 --product ENT >/dev/null
	run --separate-stderr crm --as bob quote print 1
	assert_failure 5
	[ -z "$output" ]
	[[ "$stderr" == *"quote:1 is not visible to bob"* ]] || fail "stderr: $stderr"
	run --separate-stderr crm --as bob quote print 1 --format html -o "$BATS_TEST_TMPDIR/q.html"
	assert_failure 5
	[ ! -e "$BATS_TEST_TMPDIR/q.html" ]
	# as quote show: the owner and an admin may
	run --separate-stderr crm --as alice quote print 1
	assert_success
	assert_line '大写: 壹万贰仟捌佰元整'
	run crm --as tester quote print 1
	assert_success
}

@test "an inactive product is not quoted (exit 4, no line written); a revised quote keeps its line of it" {
	crm product add name=旧版 sku=OLD price=500 >/dev/null
	crm quote add --deal 1 >/dev/null
	crm quote line add 1 --product OLD >/dev/null
	crm product update 1 status=inactive >/dev/null
	run --separate-stderr crm quote line add 1 --product OLD --qty 2
	assert_failure 4
	[[ "$stderr" == *"product:1 (OLD) is inactive"* ]] || fail "stderr: $stderr"
	[ "$(crm quote line list 1 | wc -l)" = 1 ]
	# in a pipe too: the quotes on stdin get no line of it
	run --separate-stderr bash -c 'crm quote list | crm quote line add --product OLD'
	assert_failure 4
	[ "$(crm sql 'SELECT count(*) AS n FROM quote_line' | jq .n)" = 1 ]
	# what was quoted before stays: send, reject, revise copy the line
	crm quote send 1 >/dev/null
	crm quote reject 1 >/dev/null
	run --separate-stderr crm quote revise 1
	assert_success
	[ "$(crm quote line list 2 | jq -r '"\(.sku) \(.price)"')" = "OLD 500" ]
	# active again, it is quoted again
	crm product update 1 status=active >/dev/null
	run crm quote line add 2 --product OLD
	assert_success
}
