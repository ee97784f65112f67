-- 021-team: the public pool (公海), shares, sensitive custom fields
-- (CLI.md 8.1). The users themselves are in 020.

-- The pool: a lead or account with no owner is in it. previous_owner is
-- who had it before it went there; locked_by the manager who locked it
-- (no reclaim); owned_at when its owner got it and pooled_at when it last
-- went to the pool are kept by the triggers below, whatever the write
-- (claim, assign, update, import, handover), for reclaim and the
-- protection period.
ALTER TABLE lead ADD COLUMN previous_owner TEXT;
ALTER TABLE lead ADD COLUMN locked_by TEXT;
ALTER TABLE lead ADD COLUMN owned_at TEXT;
ALTER TABLE lead ADD COLUMN pooled_at TEXT;
ALTER TABLE account ADD COLUMN previous_owner TEXT;
ALTER TABLE account ADD COLUMN locked_by TEXT;
ALTER TABLE account ADD COLUMN owned_at TEXT;
ALTER TABLE account ADD COLUMN pooled_at TEXT;

-- When the owner got it: the last write that set the owner, else when
-- the record was made.
UPDATE lead SET owned_at = coalesce((SELECT max(a.at) FROM audit a WHERE a.entity = 'lead:' || lead.id
		AND json_extract(a.after, '$.owner') IS NOT NULL), created_at)
	WHERE owner IS NOT NULL;
UPDATE account SET owned_at = coalesce((SELECT max(a.at) FROM audit a WHERE a.entity = 'account:' || account.id
		AND json_extract(a.after, '$.owner') IS NOT NULL), created_at)
	WHERE owner IS NOT NULL;

CREATE TRIGGER lead_owned AFTER INSERT ON lead WHEN NEW.owner IS NOT NULL AND NEW.owned_at IS NULL BEGIN
	UPDATE lead SET owned_at = NEW.created_at WHERE id = NEW.id;
END;
CREATE TRIGGER lead_owner_changed AFTER UPDATE OF owner ON lead WHEN NEW.owner IS NOT OLD.owner BEGIN
	UPDATE lead SET owned_at = CASE WHEN NEW.owner IS NULL THEN NULL ELSE NEW.updated_at END,
		pooled_at = CASE WHEN NEW.owner IS NULL THEN NEW.updated_at ELSE pooled_at END,
		previous_owner = CASE WHEN NEW.owner IS NULL AND OLD.owner IS NOT NULL THEN OLD.owner
			ELSE previous_owner END
		WHERE id = NEW.id;
END;
CREATE TRIGGER account_owned AFTER INSERT ON account WHEN NEW.owner IS NOT NULL AND NEW.owned_at IS NULL BEGIN
	UPDATE account SET owned_at = NEW.created_at WHERE id = NEW.id;
END;
CREATE TRIGGER account_owner_changed AFTER UPDATE OF owner ON account WHEN NEW.owner IS NOT OLD.owner BEGIN
	UPDATE account SET owned_at = CASE WHEN NEW.owner IS NULL THEN NULL ELSE NEW.updated_at END,
		pooled_at = CASE WHEN NEW.owner IS NULL THEN NEW.updated_at ELSE pooled_at END,
		previous_owner = CASE WHEN NEW.owner IS NULL AND OLD.owner IS NOT NULL THEN OLD.owner
			ELSE previous_owner END
		WHERE id = NEW.id;
END;

-- The reminders sent before a reclaim: one per record and deadline (the
-- basis it was counted from), so the tick reminds once.
CREATE TABLE pool_reminder (
	entity TEXT NOT NULL,
	basis TEXT NOT NULL,
	task_id INTEGER,
	at TEXT NOT NULL,
	PRIMARY KEY (entity, basis)
) WITHOUT ROWID;

-- crm share ENTITY --with USER [--write] [--until D]: shared_with may
-- read (or write) the record and what hangs off it until the day.
CREATE TABLE share (
	id INTEGER PRIMARY KEY,
	record_type TEXT NOT NULL,
	record_id INTEGER NOT NULL,
	shared_with TEXT NOT NULL,
	write INTEGER NOT NULL DEFAULT 0,
	until TEXT,                   -- the last day (YYYY-MM-DD), or NULL: no end
	by TEXT NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (record_type, record_id, shared_with)
);
CREATE INDEX share_with ON share(shared_with, record_type, record_id);

-- crm field add ... --sensitive: masked for all but an admin and the
-- record's owner.
ALTER TABLE field ADD COLUMN sensitive INTEGER NOT NULL DEFAULT 0;

-- Who owns what, for a manager's team and a handover.
CREATE INDEX contact_owner ON contact(owner);
