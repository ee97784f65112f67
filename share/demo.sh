#!/bin/sh
# share/demo.sh CRM: what a new team does on day one, on the sample
# spreadsheet (make demo runs it). A fresh database in a temporary folder:
# import the leads, turn some into deals, move them through the pipeline,
# print the reports; then quote, sign and collect on a few won deals and
# print the receivables.
set -eu
CRM=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SHARE=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/crm-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
export CRM_DB="$work/crm.db" CRM_USER=demo HOME="$work"
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

# The sales team takes 60 leads round-robin; they become deals (account,
# contact and deal each); then a sales quarter in fast forward.
crm config set team.default alice,bob,carol > /dev/null
echo "== crm lead list --limit 60 | crm assign --by round-robin | crm lead convert --stage new"
crm lead list --limit 60 --sort id | crm assign --by round-robin |
	crm lead convert --stage new | jq -r .type | sort | uniq -c
echo
crm deal list --where "id % 4 != 0" | crm stage move qualified > /dev/null
crm deal list --where "id % 3 != 0 AND stage = 'qualified'" | crm stage move proposal > /dev/null
crm deal list --where "id % 5 < 3 AND stage = 'proposal'" | crm stage move negotiation > /dev/null
crm deal list --where "id % 2 = 0 AND stage = 'negotiation'" | crm stage move won > /dev/null
crm deal list --where "id % 7 = 0 AND status = 'open'" | crm stage move lost --reason 预算不足 > /dev/null

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
