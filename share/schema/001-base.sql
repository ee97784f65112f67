-- 001-base: settings and the audit log.
CREATE TABLE config (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

-- Every change to a record or a setting, written by lib/ in the same
-- transaction as the change. before/after hold JSON (changed fields only
-- for updates, the whole record for inserts and removals).
CREATE TABLE audit (
	id INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	user TEXT NOT NULL,
	command TEXT,
	entity TEXT NOT NULL,      -- "lead:42", "config:currency"
	action TEXT NOT NULL,      -- insert, update, remove, restore, purge, merge, set, unset, ...
	before TEXT,
	after TEXT
);
CREATE INDEX audit_entity ON audit(entity, id);
CREATE INDEX audit_at ON audit(at);
CREATE INDEX audit_user ON audit(user, id);
