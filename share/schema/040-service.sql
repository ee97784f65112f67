-- 040-service: after the sale (CLI.md 8.3): service tickets with their SLA
-- clocks, and satisfaction surveys.
-- A ticket's status moves only through crm ticket reply|pending|resolve|
-- close|reopen; its first_response_due, resolve_due and breached are
-- computed whenever it is read (lib/service/ticket.c), from opened_at, the
-- priority's sla.PRIORITY, sla.hours and the stretches in ticket_pause.
CREATE TABLE ticket (
	id INTEGER PRIMARY KEY,
	title TEXT NOT NULL,
	account_id INTEGER REFERENCES account(id) ON DELETE SET NULL,
	contact_id INTEGER REFERENCES contact(id) ON DELETE SET NULL,
	priority TEXT NOT NULL DEFAULT 'normal',
	category TEXT,
	status TEXT NOT NULL DEFAULT 'new',
	owner TEXT,
	opened_at TEXT NOT NULL,
	first_response_at TEXT,
	resolved_at TEXT,
	closed_at TEXT,
	tags TEXT,
	note TEXT,
	last_contacted_at TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	deleted_at TEXT
);
CREATE INDEX ticket_account ON ticket(account_id);
CREATE INDEX ticket_contact ON ticket(contact_id);
CREATE INDEX ticket_owner ON ticket(owner);
CREATE INDEX ticket_status ON ticket(status);

-- Time that does not run the SLA clocks: [from_at, to_at), to_at NULL while
-- it lasts. kind: pending (waiting on the customer), resolved (between a
-- resolution and a reopen).
CREATE TABLE ticket_pause (
	id INTEGER PRIMARY KEY,
	ticket_id INTEGER NOT NULL REFERENCES ticket(id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('pending', 'resolved')),
	from_at TEXT NOT NULL,
	to_at TEXT
);
CREATE INDEX ticket_pause_ticket ON ticket_pause(ticket_id);

-- ticket.breached fired by the tick: once per clock and ticket.
CREATE TABLE ticket_breach (
	ticket_id INTEGER NOT NULL REFERENCES ticket(id) ON DELETE CASCADE,
	clock TEXT NOT NULL CHECK (clock IN ('first_response', 'resolve')),
	due TEXT NOT NULL,
	fired_at TEXT NOT NULL,
	PRIMARY KEY (ticket_id, clock)
);

-- A CSAT (1-5) or NPS (0-10) answer about a ticket, account or contact;
-- account_id, owner and category follow from what it is about. Exactly
-- one answer: the survey type checks it (exit 3), before and after updates.
CREATE TABLE survey (
	id INTEGER PRIMARY KEY,
	entity TEXT NOT NULL,
	account_id INTEGER REFERENCES account(id) ON DELETE SET NULL,
	csat INTEGER CHECK (csat BETWEEN 1 AND 5),
	nps INTEGER CHECK (nps BETWEEN 0 AND 10),
	comment TEXT,
	at TEXT NOT NULL,
	owner TEXT,
	category TEXT,
	tags TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	deleted_at TEXT
);
CREATE INDEX survey_entity ON survey(entity);
CREATE INDEX survey_account ON survey(account_id);
CREATE INDEX survey_at ON survey(at);
