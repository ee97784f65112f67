#!/usr/bin/env bats
# The deal rules hold for imported deals too (stage gates, lost reasons,
# approvals, a status that follows the stage, closed_at), so the reports
# agree afterwards; every pipeline has its closing stages.
load helper

local_setup() {
	export CRM_NOW='2026-03-02 10:00'
	fresh_db
}

count() {
	crm sql "SELECT count(*) AS n FROM deal" | jq .n
}

@test "import: a won deal is closed (closed_at from its closing-date column, else now), like deal add" {
	printf 'name,amount,stage,created_at,成交日期\n甲项目,10万,won,2026-01-01,2026-02-10\n丁项目,3万,won,2026-02-20,\n' \
		> "$BATS_TEST_TMPDIR/w.csv"
	run --separate-stderr crm import deals "$BATS_TEST_TMPDIR/w.csv"
	assert_success
	run crm deal show 1
	[ "$(jqo .status)" = won ]
	[ "$(jqo .closed_at)" = "2026-02-10T00:00:00+08:00" ]
	[ "$(jqo .stage_entered_at)" = "2026-02-10T00:00:00+08:00" ]
	run crm deal show 2
	[ "$(jqo .status)" = won ]
	[ "$(jqo .closed_at)" = "2026-03-02T10:00:00+08:00" ]
	# a status column that agrees with the stage (crm's own export) is fine
	printf 'name,stage,status\n戊,won,won\n己,proposal,open\n' > "$BATS_TEST_TMPDIR/s.csv"
	run --separate-stderr crm import deals "$BATS_TEST_TMPDIR/s.csv"
	assert_success
	[ "$(crm deal show 3 | jq -r '.status + " " + .closed_at')" = "won 2026-03-02T10:00:00+08:00" ]
	[ "$(crm deal show 4 | jq -r '.status + " " + (.closed_at // "-")')" = "open -" ]
}

@test "import: rows a deal add would refuse are rejected with the reason (exit 3), the rest go in" {
	crm stage add negotiation --require expected_close >/dev/null
	{
		echo 'name,amount,stage,status,lost_reason,成交日期,created_at'
		echo 'ok,100,proposal,,,,'                      # 2: fine
		echo 'nolostreason,200,lost,,,,'                # 3: lost needs a reason
		echo 'gate,300,negotiation,,,,'                 # 4: the gate wants expected_close
		echo 'wrongstatus,400,proposal,won,,,'          # 5: won in an open stage
		echo 'openclosed,500,proposal,,,2026-02-01,'    # 6: an open deal with a closing date
		echo 'future,600,won,,,2026-12-01,'             # 7: closed in the future
		echo 'early,700,won,,,2026-01-01,2026-02-01'    # 8: closed before it was made
		echo 'nosuch,800,签约,,,,'                       # 9: no such stage
		echo 'lostok,900,lost,,太贵,2026-02-01,'         # 10: fine
	} > "$BATS_TEST_TMPDIR/bad.csv"
	run --separate-stderr crm import deals "$BATS_TEST_TMPDIR/bad.csv" --errors "$BATS_TEST_TMPDIR/err.jsonl"
	assert_failure 3
	[[ "$stderr" == *"2 inserted, 0 updated, 0 skipped, 7 rejected"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"line 3: lost_reason: a deal added as lost needs one"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"line 4: stage negotiation needs expected_close"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"line 5: status: a deal in stage proposal is open, not won"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"line 6: closed_at: a deal in stage proposal is open"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"line 7: closed_at: 2026-12-01T00:00:00+08:00 is in the future"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"line 8: closed_at: 2026-01-01 is before the deal was made (2026-02-01)"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"line 9: stage: no stage '签约'"* ]] || fail "stderr: $stderr"
	[ "$(jq -r .line "$BATS_TEST_TMPDIR/err.jsonl" | paste -sd,)" = "3,4,5,6,7,8,9" ]
	[ "$(jq -r 'select(.line == 6) | .column' "$BATS_TEST_TMPDIR/err.jsonl")" = 成交日期 ]
	[ "$(jq -r 'select(.line == 4) | .error' "$BATS_TEST_TMPDIR/err.jsonl")" = \
		"stage negotiation needs expected_close: add the deal without them in an earlier stage" ]
	# nothing half-written: the two good rows and their first stages only
	[ "$(crm deal list | jq -r '.name + ":" + .status' | paste -sd,)" = "ok:open,lostok:lost" ]
	[ "$(crm sql "SELECT count(*) AS n FROM stage_history" | jq .n)" = 2 ]
	[ "$(crm sql "SELECT lost_reason FROM deal WHERE name = 'lostok'" | jq -r .lost_reason)" = 太贵 ]
	# closed before the import, with no created_at: it was made by then at the latest
	[ "$(crm deal list --where "name = 'lostok'" | jq -r '.created_at + " " + .closed_at')" = \
		"2026-02-01T00:00:00+08:00 2026-02-01T00:00:00+08:00" ]
}

@test "import: a deal over the approval amount cannot come in past the approval stages" {
	crm config set approval.amount_over 50万 >/dev/null
	printf 'name,amount,stage\n大单,80万,won\n小单,20万,won\n大单在谈,90万,proposal\n' > "$BATS_TEST_TMPDIR/a.csv"
	run --separate-stderr crm import deals "$BATS_TEST_TMPDIR/a.csv"
	assert_failure 3
	[[ "$stderr" == *"line 2: the deal is over the approval amount"* ]] || fail "stderr: $stderr"
	[ "$(crm deal list | jq -r .name | paste -sd,)" = "小单,大单在谈" ]
	[ "$(crm sql "SELECT count(*) AS n FROM approval" | jq .n)" = 0 ]
}

@test "import: a stage may be named by its label (赢单)" {
	printf '商机,金额,阶段,输单原因\n甲,100,赢单,\n乙,200,输单,价格\n' > "$BATS_TEST_TMPDIR/l.csv"
	run --separate-stderr crm import deals "$BATS_TEST_TMPDIR/l.csv"
	assert_success
	[ "$(crm deal list | jq -r '.stage + ":" + .status' | paste -sd,)" = "won:won,lost:lost" ]
}

@test "import: funnel, forecast, cycle and leaderboard agree on imported won and lost deals" {
	{
		echo 'name,amount,stage,lost_reason,created_at,成交日期,expected_close,owner'
		echo '甲项目,10万,won,,2026-01-01,2026-02-10,,alice'
		echo '乙项目,20万,lost,预算砍了,2026-01-05,2026-02-01,,alice'
		echo '丙项目,5万,proposal,,2026-02-01,,2026-04-15,bob'
		echo '丁项目,3万,won,,2026-02-20,,,bob'
	} > "$BATS_TEST_TMPDIR/r.csv"
	crm import deals "$BATS_TEST_TMPDIR/r.csv" 2>/dev/null
	# won: 甲 100000 (closed 2026-02-10) and 丁 30000 (closed now, 2026-03-02)
	run crm report funnel
	[ "$(jq -r 'select(.stage == "won") | "\(.deals) \(.amount)"' <<<"$output")" = "2 130000" ]
	[ "$(jq -r 'select(.stage == "lost") | "\(.deals) \(.amount)"' <<<"$output")" = "1 200000" ]
	run crm report forecast
	[ "$(jq -r 'select(.period == "2026-02") | "\(.won_deals) \(.won)"' <<<"$output")" = "1 100000" ]
	[ "$(jq -r 'select(.period == "2026-03") | "\(.won_deals) \(.won)"' <<<"$output")" = "1 30000" ]
	[ "$(jq -r 'select(.period == "2026-04") | "\(.open_deals) \(.pipeline) \(.weighted)"' <<<"$output")" = "1 50000 25000" ]
	run crm report cycle
	# 甲: 2026-01-01 to 2026-02-10 = 40 days; 丁: 2026-02-20 00:00 to 2026-03-02 10:00 = 10.4 days
	[ "$(jq -r 'select(.by == "owner" and .key == "alice") | "\(.won_deals) \(.median_days)"' <<<"$output")" = "1 40" ]
	[ "$(jq -r 'select(.by == "owner" and .key == "bob") | "\(.won_deals) \(.median_days)"' <<<"$output")" = "1 10.4" ]
	run crm report leaderboard
	[ "$(jq -r '"\(.owner) \(.won_amount) \(.won_deals) \(.win_pct)"' <<<"$output" | paste -sd,)" = \
		"alice 100000 1 50,bob 30000 1 100" ]
	# the same won total everywhere: 100000 + 30000
	[ "$(crm sql "SELECT sum(amount) AS s FROM deal WHERE status = 'won' AND closed_at IS NOT NULL" | jq .s)" = 130000 ]
}

@test "a new pipeline gets won and lost closing stages; stage add won means the closing stage" {
	run --separate-stderr crm pipeline add 工程项目
	assert_success
	[ "$(jq -r '.key + ":" + (.closes // "-")' <<<"$output" | paste -sd,)" = "won:won,lost:lost" ]
	run crm stage add 立项 --pipeline 工程项目 --probability 20
	[ "$(jqo .position)" = 1 ]
	[ "$(crm stage list --pipeline 工程项目 | jq -r .key | paste -sd,)" = "立项,won,lost" ]
	# a deal moved to won there is won, and lost needs a reason
	crm deal add name=大楼 pipeline=工程项目 amount=100万 >/dev/null
	[ "$(crm deal show 1 | jq -r .stage)" = 立项 ]
	run --separate-stderr crm stage move 1 lost
	assert_failure 2
	run crm stage move 1 won
	assert_success
	[ "$(jqo .status)" = won ]
	[ "$(jqo .closed_at)" = "2026-03-02T10:00:00+08:00" ]
	# a pipeline made with its own stages gets what it lacks
	run crm pipeline add saas --stages "demo:产品演示:30,won:赢单:100"
	[ "$(jq -r '.key + ":" + (.closes // "-")' <<<"$output" | paste -sd,)" = "demo:-,won:won,lost:lost" ]
	run crm pipeline add p3 --stages "a:A:10,signed:签约:100:won"
	[ "$(jq -r '.key + ":" + (.closes // "-")' <<<"$output" | paste -sd,)" = "a:-,signed:won,lost:lost" ]
	# stage add won on a pipeline that has none (removed) makes the closing one
	crm stage rm lost --pipeline p3 >/dev/null
	run crm stage add lost --pipeline p3
	[ "$(jqo .closes)" = lost ]
	[ "$(jqo .probability)" = 0 ]
	# --closes still says otherwise when given
	run crm stage add won --pipeline p3 --closes ""
	[ "$(jqo '.closes // "-"')" = "-" ]
}

@test "a pipeline with only its closing stages has no stage for a new deal to start in" {
	crm pipeline add 空 >/dev/null
	run --separate-stderr crm deal add name=x pipeline=空
	assert_failure 3
	[[ "$stderr" == *"pipeline '空' has no open stage"* ]] || fail "stderr: $stderr"
	[ "$(count)" = 0 ]
	# made right in a closing stage, the rules hold: lost needs its reason
	run --separate-stderr crm deal add name=x pipeline=空 stage=lost
	assert_failure 3
	run crm deal add name=x pipeline=空 stage=won
	assert_success
	[ "$(jqo .status)" = won ]
}

@test "import --on-duplicate update changes a deal's fields but does not move it" {
	crm deal add name=甲项目 amount=100 >/dev/null
	printf 'name,stage,amount\n甲项目,won,200\n' > "$BATS_TEST_TMPDIR/u.csv"
	run --separate-stderr crm import deals "$BATS_TEST_TMPDIR/u.csv" --key name --on-duplicate update
	assert_failure 3
	[[ "$stderr" == *"stage: deal:1 is new; an import does not move it to won"* ]] || fail "stderr: $stderr"
	[ "$(crm deal show 1 | jq -r '"\(.stage) \(.status) \(.amount)"')" = "new open 100" ]
	printf 'name,stage,amount\n甲项目,new,300\n' > "$BATS_TEST_TMPDIR/u2.csv"
	run --separate-stderr crm import deals "$BATS_TEST_TMPDIR/u2.csv" --key name --on-duplicate update
	assert_success
	[ "$(crm deal show 1 | jq -r '"\(.stage) \(.status) \(.amount)"')" = "new open 300" ]
}
