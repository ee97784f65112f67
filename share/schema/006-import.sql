-- Imports: how far each run got, so an interrupted one can be resumed
-- (crm import --resume) without importing a row twice. A run's line is
-- written in the same transaction as the rows up to it.
CREATE TABLE import_run (
	id INTEGER PRIMARY KEY,
	type TEXT NOT NULL,
	file TEXT NOT NULL,            -- absolute path
	size INTEGER NOT NULL,
	mtime INTEGER NOT NULL,
	user TEXT,
	started_at TEXT NOT NULL,
	finished_at TEXT,
	line INTEGER NOT NULL DEFAULT 0,  -- rows up to this line are done
	inserted INTEGER NOT NULL DEFAULT 0,
	updated INTEGER NOT NULL DEFAULT 0,
	skipped INTEGER NOT NULL DEFAULT 0,
	rejected INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX import_run_file ON import_run(file, size, mtime, type);
