#!/bin/sh
# share/demo.sh CRM: what a new team does on day one, on the sample
# spreadsheet (make demo runs it). A fresh database in a temporary folder:
# import the leads, turn some into deals, move them through the pipeline,
# and print the reports.
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
