-- 010-import-run-dups: a resumed import says how many rows repeated an
-- earlier row of the same file, counting the part before the interruption:
-- the run keeps the first id it made (rows matching a record from there on
-- repeat the file, not the database) and that count.
ALTER TABLE import_run ADD COLUMN first_id INTEGER;
ALTER TABLE import_run ADD COLUMN in_file INTEGER NOT NULL DEFAULT 0;
