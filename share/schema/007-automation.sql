-- Scoring rules, assignment rules and state, automation rules.

-- A lead's score is the sum of the points of the rules of the model whose
-- expression (the same language as --where) holds for it.
CREATE TABLE score_rule (
	id INTEGER PRIMARY KEY,
	model TEXT NOT NULL DEFAULT 'default',
	name TEXT NOT NULL,
	expr TEXT NOT NULL,
	points INTEGER NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (model, name)
);
-- The default model: a classic B2B one (see crm help score).
INSERT INTO score_rule(name, expr, points, created_at) VALUES
	('target_industry', 'instr('','' || replace(crm_config(''score.target_industries'', ''''), ''，'', '','') || '','', '','' || industry || '','') > 0', 20, '2026-01-01T00:00:00+08:00'),
	('company_size', 'company_size >= CAST(crm_config(''score.min_company_size'', ''100'') AS INTEGER)', 15, '2026-01-01T00:00:00+08:00'),
	('decision_maker', 'title LIKE ''%CEO%'' OR title LIKE ''%总监%'' OR title LIKE ''%总经理%'' OR title LIKE ''%负责人%''', 15, '2026-01-01T00:00:00+08:00'),
	('pricing_page_view', 'has_event(''pricing_page_view'')', 10, '2026-01-01T00:00:00+08:00'),
	('whitepaper_download', 'has_event(''whitepaper_download'')', 10, '2026-01-01T00:00:00+08:00'),
	('webinar', 'has_event(''webinar'')', 20, '2026-01-01T00:00:00+08:00'),
	('demo_request', 'has_event(''demo_request'')', 30, '2026-01-01T00:00:00+08:00'),
	('budget_confirmed', 'has_event(''budget_confirmed'')', 25, '2026-01-01T00:00:00+08:00');

-- crm assign rule add region=华东 owner=alice
CREATE TABLE assign_rule (
	id INTEGER PRIMARY KEY,
	field TEXT NOT NULL,
	value TEXT NOT NULL,
	owner TEXT NOT NULL,
	created_at TEXT NOT NULL
);
-- Where round-robin stopped, per team.
CREATE TABLE assign_state (
	team TEXT PRIMARY KEY,
	next INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- crm rule add NAME --on EVENT [--type T] [--when EXPR] [--every D] --do ACTION...
CREATE TABLE rule (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	event TEXT NOT NULL,          -- lead.created, ..., or tick
	type TEXT,                    -- the record type (tick rules)
	cond TEXT,                    -- --when
	every INTEGER,                -- tick rules: seconds between runs
	actions TEXT NOT NULL,        -- JSON array of action strings
	created_at TEXT NOT NULL,
	last_run TEXT                 -- tick rules: when they last ran
);
-- Tick rules fire once per record per condition: a record stays here while
-- the condition holds, and leaves when it stops holding.
CREATE TABLE rule_fired (
	rule_id INTEGER NOT NULL REFERENCES rule(id) ON DELETE CASCADE,
	entity TEXT NOT NULL,
	at TEXT NOT NULL,
	PRIMARY KEY (rule_id, entity)
) WITHOUT ROWID;
