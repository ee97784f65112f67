#!/bin/sh
# share/rules/after-sale.sh: the automation rules of the service side, after
# the sale (CLI.md 8.3). Run it once against your database (CRM_DB, or crm
# --db) to install them; tests/813-service-after-sale.bats checks each one.
# contract.expiring and ticket.breached come from the clock: run
#   * * * * * crm automate tick
set -eu
crm=${CRM:-crm}

# A contract signed: the service side takes over, onboarding and training
# within 7 days.
$crm rule add 签约后培训 --on contract.signed \
	--do 'task 客户上线培训 --due +7d --owner owner'

# A contract ending soon (config renewal.remind_days, default 30): its
# owner talks renewal.
$crm rule add 续约提醒 --on contract.expiring \
	--do 'task 联系客户续约 --due +3d --owner owner' --do 'notify 合同即将到期'

# A complaint (投诉) in a note about an account or a contact of one: a
# ticket for it, with high priority.
$crm rule add 投诉转工单 --on activity.created \
	--when "text LIKE '%投诉%' AND (entity LIKE 'account:%' OR entity IN (SELECT 'contact:' || id FROM contact WHERE account_id IS NOT NULL))" \
	--do 'create ticket title=客户投诉 priority=high category=投诉'

# A detractor (NPS 0-6): the owner calls back the next day.
$crm rule add 差评回访 --on survey.received --when 'nps <= 6' \
	--do 'task 回访不满意客户 --due +1d --owner owner'

# A ticket past its SLA: a word to the manager.
$crm rule add 工单超时升级 --on ticket.breached \
	--do 'notify 工单超时 --to manager'
