-- 012-lead-wechat: leads have a wechat field (微信), as contacts do, since
-- spreadsheets of leads come with a 微信 column. A custom field of that
-- name made before (crm field add lead wechat) becomes the built-in one
-- with its values (the migration runner skips adding a column a custom
-- field made), and what it holds is searched from now on.
ALTER TABLE lead ADD COLUMN wechat TEXT;
DELETE FROM field WHERE type = 'lead' AND name = 'wechat';
INSERT OR IGNORE INTO search_dirty(key)
	SELECT id * 16 + 1 FROM lead WHERE wechat IS NOT NULL AND deleted_at IS NULL;
