-- 002-records: customers, deals, follow-ups.
-- Conventions: times are ISO 8601 text with offset; money is INTEGER minor
-- units; tags are a JSON array of strings; deleted_at marks a recoverable
-- removal; `entity` columns hold "type:id". Custom fields are added as
-- columns by `crm field add` and described in the field table.

CREATE TABLE account (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	industry TEXT,
	size INTEGER,
	region TEXT,
	tier TEXT,
	owner TEXT,
	source TEXT,
	phone TEXT,
	address TEXT,
	website TEXT,
	tags TEXT,
	note TEXT,
	last_contacted_at TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	deleted_at TEXT
);
CREATE INDEX account_name ON account(name);
CREATE INDEX account_owner ON account(owner);

CREATE TABLE contact (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	title TEXT,
	phone TEXT,
	email TEXT,
	wechat TEXT,
	birthday TEXT,
	account_id INTEGER REFERENCES account(id) ON DELETE SET NULL,
	decision_role TEXT,
	owner TEXT,
	source TEXT,
	tags TEXT,
	note TEXT,
	last_contacted_at TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	deleted_at TEXT
);
CREATE INDEX contact_phone ON contact(phone);
CREATE INDEX contact_email ON contact(email);
CREATE INDEX contact_account ON contact(account_id);

CREATE TABLE pipeline (
	id INTEGER PRIMARY KEY,
	key TEXT NOT NULL UNIQUE,
	label TEXT,
	is_default INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'))
);

CREATE TABLE stage (
	id INTEGER PRIMARY KEY,
	pipeline_id INTEGER NOT NULL REFERENCES pipeline(id) ON DELETE CASCADE,
	key TEXT NOT NULL,
	label TEXT,
	probability INTEGER NOT NULL DEFAULT 0,
	position INTEGER NOT NULL,
	closes TEXT,                  -- 'won', 'lost' or NULL
	require_fields TEXT,          -- comma-separated field names
	require_activity TEXT,        -- an activity kind needed since the previous stage
	UNIQUE (pipeline_id, key)
);

INSERT INTO pipeline(id, key, label, is_default) VALUES (1, 'default', '默认销售流程', 1);
INSERT INTO stage(pipeline_id, key, label, probability, position, closes) VALUES
	(1, 'new', '初步接触', 10, 1, NULL),
	(1, 'qualified', '需求确认', 25, 2, NULL),
	(1, 'proposal', '方案报价', 50, 3, NULL),
	(1, 'negotiation', '商务谈判', 75, 4, NULL),
	(1, 'won', '赢单', 100, 5, 'won'),
	(1, 'lost', '输单', 0, 6, 'lost');

CREATE TABLE lead (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	phone TEXT,
	email TEXT,
	company TEXT,
	title TEXT,
	industry TEXT,
	region TEXT,
	source TEXT,
	budget INTEGER,
	currency TEXT,
	company_size INTEGER,
	status TEXT NOT NULL DEFAULT 'new',
	score INTEGER NOT NULL DEFAULT 0,
	owner TEXT,
	tags TEXT,
	note TEXT,
	account_id INTEGER REFERENCES account(id) ON DELETE SET NULL,
	contact_id INTEGER REFERENCES contact(id) ON DELETE SET NULL,
	deal_id INTEGER,
	converted_at TEXT,
	last_contacted_at TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	deleted_at TEXT
);
CREATE INDEX lead_phone ON lead(phone);
CREATE INDEX lead_email ON lead(email);
CREATE INDEX lead_owner ON lead(owner, status);
CREATE INDEX lead_status ON lead(status);
CREATE INDEX lead_created ON lead(created_at);

CREATE TABLE deal (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	account_id INTEGER REFERENCES account(id) ON DELETE SET NULL,
	contact_id INTEGER REFERENCES contact(id) ON DELETE SET NULL,
	lead_id INTEGER REFERENCES lead(id) ON DELETE SET NULL,
	amount INTEGER,
	currency TEXT,
	pipeline TEXT NOT NULL DEFAULT 'default',
	stage TEXT NOT NULL DEFAULT 'new',
	probability INTEGER,
	expected_close TEXT,
	owner TEXT,
	source TEXT,
	status TEXT NOT NULL DEFAULT 'open',
	lost_reason TEXT,
	closed_at TEXT,
	stage_entered_at TEXT,
	tags TEXT,
	note TEXT,
	last_contacted_at TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	deleted_at TEXT
);
CREATE INDEX deal_stage ON deal(pipeline, stage);
CREATE INDEX deal_owner ON deal(owner, status);
CREATE INDEX deal_account ON deal(account_id);
CREATE INDEX deal_close ON deal(status, expected_close);

-- Every stage move: the funnel and cycle reports read this.
CREATE TABLE stage_history (
	id INTEGER PRIMARY KEY,
	deal_id INTEGER NOT NULL REFERENCES deal(id) ON DELETE CASCADE,
	pipeline TEXT NOT NULL,
	from_stage TEXT,
	to_stage TEXT NOT NULL,
	at TEXT NOT NULL,
	user TEXT NOT NULL,
	reason TEXT,
	forced INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX stage_history_deal ON stage_history(deal_id, at);
CREATE INDEX stage_history_to ON stage_history(pipeline, to_stage);

CREATE TABLE approval (
	id INTEGER PRIMARY KEY,
	deal_id INTEGER NOT NULL REFERENCES deal(id) ON DELETE CASCADE,
	stage TEXT NOT NULL,
	amount INTEGER,
	requested_by TEXT NOT NULL,
	requested_at TEXT NOT NULL,
	approved_by TEXT,
	approved_at TEXT,
	status TEXT NOT NULL DEFAULT 'pending'   -- pending, approved, used
);
CREATE INDEX approval_deal ON approval(deal_id, status);

-- Notes, calls, meetings: what happened with a customer.
CREATE TABLE activity (
	id INTEGER PRIMARY KEY,
	entity TEXT NOT NULL,
	kind TEXT NOT NULL DEFAULT 'note',
	text TEXT,
	at TEXT NOT NULL,
	owner TEXT,
	tags TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	deleted_at TEXT
);
CREATE INDEX activity_entity ON activity(entity, at);
CREATE INDEX activity_at ON activity(at);
CREATE INDEX activity_owner ON activity(owner, at);

-- What someone has to do next.
CREATE TABLE task (
	id INTEGER PRIMARY KEY,
	entity TEXT,
	title TEXT NOT NULL,
	due TEXT,
	owner TEXT,
	priority TEXT NOT NULL DEFAULT 'normal',
	status TEXT NOT NULL DEFAULT 'open',
	done_at TEXT,
	rule TEXT,                    -- the automation rule that made it
	tags TEXT,
	note TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	deleted_at TEXT
);
CREATE INDEX task_owner_due ON task(owner, status, due);
CREATE INDEX task_entity ON task(entity);

-- Behaviour events (page views, downloads): feed scoring.
CREATE TABLE event (
	id INTEGER PRIMARY KEY,
	lead_id INTEGER REFERENCES lead(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	at TEXT NOT NULL,
	props TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	deleted_at TEXT
);
CREATE INDEX event_lead ON event(lead_id, name, at);
CREATE INDEX event_at ON event(at);

-- Custom fields: the column exists in the record's table; this says what
-- it holds.
CREATE TABLE field (
	type TEXT NOT NULL,
	name TEXT NOT NULL,
	kind TEXT NOT NULL,           -- text, number, money, date, enum
	choices TEXT,                 -- enum values, comma-separated
	required INTEGER NOT NULL DEFAULT 0,
	label TEXT,
	created_at TEXT NOT NULL,
	PRIMARY KEY (type, name)
) WITHOUT ROWID;

-- Full-text search over names, companies, phones, emails, notes and
-- activity text. trigram finds Chinese substrings of 3+ characters; shorter
-- queries scan (see search.c). rowid = record id * 16 + type number.
CREATE VIRTUAL TABLE search USING fts5(entity UNINDEXED, body, tokenize = 'trigram');
-- Records written since the index was last brought up to date: indexing
-- happens on the next search, so bulk imports do not pay for it.
CREATE TABLE search_dirty (
	key INTEGER PRIMARY KEY       -- same numbering as search.rowid
);
