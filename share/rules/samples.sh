#!/bin/sh
# share/rules/samples.sh: the automation rules most teams start with.
# Run it once against your database (CRM_DB, or crm --db) to install them;
# tests/330-rules.bats checks each one. Tick rules need cron:
#   * * * * * crm automate tick
set -eu
crm=${CRM:-crm}

# A new lead: its owner calls within 2 hours.
$crm rule add 新线索首次联系 --on lead.created \
	--do 'task 首次联系 --due +2h --owner owner'

# A lead nobody has talked to for 3 days (once, not every tick).
$crm rule add 三天未跟进 --on tick --type lead --every 1h \
	--when "status IN ('new', 'working', 'nurturing') AND days_since(coalesce(last_contacted_at, created_at)) >= 3" \
	--do 'task 该跟进了 --due +4h --owner owner'

# A high-value account quiet for 5 days: a task for its owner, a word to the manager.
$crm rule add 高价值客户沉默 --on tick --type account --every 1d \
	--when "has_tag('高价值') AND days_since(coalesce(last_contacted_at, created_at)) >= 5" \
	--do 'task 联系高价值客户 --due +1d --owner owner' \
	--do 'notify 高价值客户5天没有联系了 --to manager'

# A deal moved to proposal: chase the feedback in a week.
$crm rule add 报价跟进 --on deal.stage_changed --when "stage = 'proposal'" \
	--do 'task 跟进报价反馈 --due +7d'

# A complaint in a note: tag the customer, and a high-priority task.
$crm rule add 投诉处理 --on activity.created --when "text LIKE '%投诉%'" \
	--do 'tag add 投诉' \
	--do 'task 处理客户投诉 --due +4h --priority high'

# A contact's birthday: send wishes.
$crm rule add 生日祝福 --on tick --type contact --every 1d \
	--when "substr(birthday, 6, 5) = substr(crm_now(), 6, 5)" \
	--do 'task 生日祝福 --due +8h'
