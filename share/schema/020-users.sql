-- 020-users: the people who use crm, for roles and visibility (CLI.md 8.1).
-- While the table is empty, crm is single-user: everyone acts as admin.
-- "user" is quoted everywhere: it is a keyword in SQL (PostgreSQL).
CREATE TABLE "user" (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	label TEXT,
	role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'rep', 'finance', 'service', 'legal')),
	team TEXT,
	manager TEXT,
	status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'left')),
	email TEXT,
	phone TEXT,
	left_at TEXT,
	tags TEXT,
	note TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	deleted_at TEXT
);
CREATE UNIQUE INDEX user_name ON "user"(name) WHERE deleted_at IS NULL;
CREATE INDEX user_team ON "user"(team);
CREATE INDEX user_manager ON "user"(manager);
