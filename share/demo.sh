#!/bin/sh
# share/demo.sh CRM: what a new team does on day one, on the sample
# spreadsheet (make demo runs it). A fresh database in a temporary folder:
# import the leads, turn some into deals, move them through the pipeline
# over a quarter, print the reports; quote, sign and collect on a few won
# deals; serve their customers; and write the dashboard as a page,
# dashboard.html, in the folder it was run from. With DEMO_DB=FILE the
# database is made there and kept (tests read it). Needs GNU date.
set -eu
CRM=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SHARE=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/crm-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
export CRM_DB="${DEMO_DB:-$work/crm.db}" CRM_USER=demo HOME="$work"
# The demo's today is pinned, so that it prints the same every time
# against the sample spreadsheet's dates (set CRM_NOW for another day);
# the sample team works in China.
export CRM_NOW="${CRM_NOW:-2026-11-20 10:00}" TZ="${TZ:-Asia/Shanghai}"
TODAY=${CRM_NOW%%[T ]*}
crm() { "$CRM" "$@"; }

echo "== crm import leads share/samples/leads.csv (UTF-8 with BOM, CRLF, phones typed many ways, repeats, 3 bad rows)"
crm import leads "$SHARE/samples/leads.csv" --errors "$work/rejected.jsonl" || true
echo
echo "== the rows it rejected, and why (--errors FILE)"
jq -r '"line \(.line): \(.column // "-"): \(.error)"' "$work/rejected.jsonl"
echo
echo "== the same people from the GBK file Excel writes on Chinese Windows: all duplicates, nothing added"
crm import leads "$SHARE/samples/leads-gbk.csv" || true
echo
echo "== crm lead list --where \"region = '浙江'\" --limit 5"
crm --table lead list --where "region = '浙江'" --limit 5
echo

# The sales team takes 60 leads round-robin, in three batches over a
# quarter; they become deals (account, contact and deal each) and move
# through the pipeline: a quarter in fast forward, each step on its day
# (CRM_NOW, counted back from the demo's today).
crm config set team.default alice,bob,carol > /dev/null
day() { date -d "$TODAY $1 days" '+%Y-%m-%d 10:00'; }
at() { d=$1; shift; CRM_NOW=$(day "$d") "$CRM" "$@"; }
echo "== crm lead list --limit 20 | crm assign --by round-robin | crm lead convert --stage new (three times)"
for d in -84 -50 -12; do
	ids=$(crm lead list --where "status = 'new' AND created_at < '$(day "$d")'" --sort id --limit 20 --json |
		jq -r .id | paste -sd, -)
	at "$d" lead list --where "id IN ($ids)" | at "$d" assign --by round-robin | at "$d" lead convert --stage new
	# each rep's first call: most on the day, some days later, some never
	for rep in alice bob carol; do
		at "$d" lead list --owner $rep --where "id IN ($ids) AND id % 4 != 3" |
			at "$d" --as $rep note "首次电话沟通" --type call > /dev/null || :
		at $((d + 3)) lead list --owner $rep --where "id IN ($ids) AND id % 4 = 3 AND id % 3 != 0" |
			at $((d + 3)) --as $rep note "加了微信" --type wechat > /dev/null || :
	done
	at $((d + 1)) task list --where "title = '首次联系' AND entity IN (SELECT 'lead:' || id FROM lead
		WHERE id IN ($ids) AND id % 4 != 3)" | at $((d + 1)) task done > /dev/null || :
done | jq -r .type | sort | uniq -c
echo
# (a step that finds nothing to move exits 1, as grep: not a failure here)
move() { at "$1" deal list --where "$2" | at "$1" stage move $3 > /dev/null || :; }
move -78 "id <= 20 AND id % 4 != 0" qualified
move -70 "id <= 20 AND id % 5 != 1 AND stage = 'qualified'" proposal
move -62 "id <= 20 AND id % 2 = 0 AND stage = 'proposal'" negotiation
move -55 "id <= 20 AND id % 7 != 3 AND stage = 'negotiation'" won
move -45 "id > 20 AND id <= 40 AND id % 4 != 1" qualified
move -38 "id > 20 AND id <= 40 AND id % 5 != 2 AND stage = 'qualified'" proposal
move -33 "id <= 40 AND id % 2 = 1 AND stage = 'proposal'" negotiation
move -26 "id <= 40 AND id % 4 != 2 AND stage = 'negotiation'" won
move -10 "id > 40 AND id % 4 != 2" qualified
move -7 "id > 40 AND id % 5 != 3 AND stage = 'qualified'" proposal
move -4 "id % 2 = 0 AND stage = 'proposal'" negotiation
move -2 "id % 5 = 1 AND stage = 'negotiation'" won
at -20 deal list --where "id % 7 = 0 AND status = 'open'" | at -20 stage move lost --reason 预算不足 > /dev/null
# when the open deals are expected to close
for k in "0 +12d" "1 +45d" "2 +75d"; do
	set -- $k
	crm deal list --where "status = 'open' AND id % 3 = $1" | crm deal update expected_close="$2" > /dev/null
done
crm report silent --days 14 | crm task add --title 回访 --due tomorrow > /dev/null

# Cash for the won deals: a contract each, signed the day the deal was won,
# a 30/40/30 payment plan from ten days later, and what has come in so far
# (the first part of most, on time; some of the second).
echo "== crm contract add --deal ID, sign, plan split 30%,40%,30%, payment add (for the won deals)"
crm deal list --where "status = 'won' AND amount > 0" --sort id --json |
	jq -r '"\(.id) \(.amount) \(.closed_at[0:10])"' | while read -r id amount won; do
	ago=$(( ($(date -d "$TODAY" +%s) - $(date -d "$won" +%s)) / 86400 ))
	at "-$ago" -q contract add --deal "$id" amount="$amount" start="$won" end="$(date -d "$won +1 year" +%F)" > /dev/null
	c=$(crm contract list --where "deal_id = $id" --json | jq -r .id)
	at "-$ago" contract submit "$c" > /dev/null
	at "-$ago" contract sign "$c" > /dev/null
	at "-$ago" plan split --contract "$c" --parts 30%,40%,30% --first "$(date -d "$won +10 days" +%F)" --every 1m > /dev/null
	for k in 1 2; do
		due=$(date -d "$won +$((10 + 30 * (k - 1))) days" +%F)
		paid=$(date -d "$due -2 days" +%F)
		[ "$(date -d "$paid" +%s)" -le "$(date -d "$TODAY" +%s)" ] || continue
		[ "$k" = 1 ] && [ $((id % 4)) = 3 ] && continue      # some have not paid yet
		[ "$k" = 2 ] && [ $((id % 2)) = 1 ] && continue
		part=$(crm plan list --where "contract_id = $c AND installment = $k" --json | jq -r .amount)
		at "-$ago" payment add --contract "$c" amount="$part" date="$paid" > /dev/null
	done
done
crm --table report receivables | head -n 6
echo

echo "== crm report sources"
crm --table report sources
echo
echo "== crm report funnel"
crm --table report funnel
echo
echo "== crm report leaderboard"
crm --table report leaderboard
echo

# From won to paid: the first won deals get a quote of three lines, a
# signed contract, a 30/40/30 payment plan that started two months ago,
# and some of their money.
crm product add name=企业版 sku=CRM-ENT price=12800 > /dev/null
crm product add name=实施服务 sku=SVC price=1500 unit=人天 tax_rate=6 > /dev/null
crm product add name=培训 sku=TRN price=3000 unit=场 > /dev/null
n=0
for d in $(crm deal list --status won --sort id --limit 4 | jq .id); do
	n=$((n + 1))
	q=$(crm quote add --deal "$d" --valid-until +30d | jq .id)
	crm quote line add "$q" --product CRM-ENT --qty "$n" > /dev/null
	crm quote line add "$q" --product SVC --qty "$n.5" --discount 10 > /dev/null
	crm quote line add "$q" --product TRN > /dev/null
	crm quote send "$q" > /dev/null
	crm quote accept "$q" > /dev/null
	k=$(crm contract add --quote "$q" start=-70d end=+295d | crm contract submit | crm contract sign | jq .id)
	crm plan split --contract "$k" --parts 30%,40%,30% --first -60d > /dev/null
	[ $((n % 2)) = 1 ] && crm payment add --contract "$k" amount=5000 date=-50d method=银行转账 > /dev/null
	[ "$n" = 1 ] && crm payment add --contract "$k" amount=6000 date=-20d method=银行转账 > /dev/null
	crm invoice add --contract "$k" amount=10000 | crm invoice issue > /dev/null
done
echo "== crm contract list"
crm --table contract list
echo
echo "== crm report receivables (what is due and not received, by days late)"
crm --table report receivables
echo
echo "== crm report revenue --by month"
crm --table report revenue --by month

# After the sale: the customers of won deals call in; tickets with SLA
# clocks over business hours, replies, a pending stretch, surveys.
crm config set sla.hours "09:00-18:00 1-5" > /dev/null
echo "== crm ticket add (three customers), reply, pending, resolve, survey"
acc=$(crm deal list --where "status = 'won'" --limit 3 --sort id | jq -r .account_id)
n=0
for a in $acc; do
	n=$((n + 1))
	case $n in
	1) crm ticket add --account "$a" title=系统登录失败 priority=urgent category=账号 --assignee carol > /dev/null ;;
	2) crm ticket add --account "$a" title=发票抬头有误 category=账单 --assignee dave > /dev/null ;;
	*) crm ticket add --account "$a" title=申请新增用户 priority=low category=账号 --assignee carol > /dev/null ;;
	esac
done
crm ticket reply 1 "已收到，正在排查" > /dev/null
crm ticket pending 1 --note "等客户提供日志" > /dev/null
crm ticket reply 1 "日志已收到，已修复" > /dev/null
crm ticket resolve 1 > /dev/null
crm ticket reply 2 "已重开发票" > /dev/null
crm ticket resolve 2 > /dev/null
crm survey add ticket:1 --csat 5 --comment 响应很快 > /dev/null
crm survey add ticket:2 --csat 3 > /dev/null
for a in $acc; do crm survey add "account:$a" --nps 9 > /dev/null; done
crm --table ticket list
echo
echo "== crm report service --by assignee"
crm --table report service --by assignee
echo
echo "== crm report satisfaction"
crm --table report satisfaction
echo
echo "== crm report kpi --since 90d"
crm --table report kpi --since 90d
echo
echo "== crm --as alice report weekly (last week's report, in Markdown)"
crm --as alice report weekly | head -n 18
echo "..."
echo
echo "== crm report dashboard --since 90d (the quarter on one screen)"
crm --table report dashboard --since 90d
echo
# The demo's folder goes when it ends; the page stays where the demo ran.
page="$(pwd)/dashboard.html"
crm -q report dashboard --since 90d -o "$page"
echo "== crm report dashboard --since 90d -o dashboard.html"
echo "the dashboard as one page (opens offline, prints on A4 landscape): $page"
