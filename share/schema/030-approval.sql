-- 030-approval: approvals become records (CLI.md 8.2), one row per step,
-- for deals, quotes and contracts alike: which record ("deal:7"), which
-- step and who may decide it (a role or a user's name), what it saw (the
-- amount, a quote's discount, a deal's stage), who decided, when, why.
-- status: pending, approved, rejected, used (a deal's move took it), void
-- (the amount was raised after it, the record changed, a step before it
-- was rejected). The first wave's rows (one per deal request, decided by
-- anyone but the owner) become step 1 of role manager.
CREATE TABLE approval_step (
	id INTEGER PRIMARY KEY,
	entity TEXT NOT NULL,
	step INTEGER NOT NULL DEFAULT 1,
	role TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'pending'
		CHECK (status IN ('pending', 'approved', 'rejected', 'used', 'void')),
	stage TEXT,
	amount INTEGER,
	currency TEXT,
	discount NUMERIC,
	requested_by TEXT,
	"by" TEXT,
	at TEXT,
	reason TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	deleted_at TEXT
);
INSERT INTO approval_step(id, entity, step, role, status, stage, amount, currency, requested_by, "by", at,
			  created_at, updated_at)
	SELECT a.id, 'deal:' || a.deal_id, 1, 'manager', a.status, a.stage, a.amount, d.currency,
	       a.requested_by, a.approved_by, a.approved_at, a.requested_at, coalesce(a.approved_at, a.requested_at)
	FROM approval AS a LEFT JOIN deal AS d ON d.id = a.deal_id;
DROP TABLE approval;
ALTER TABLE approval_step RENAME TO approval;
CREATE INDEX approval_entity ON approval(entity, status);
CREATE INDEX approval_pending ON approval(status) WHERE status = 'pending';
