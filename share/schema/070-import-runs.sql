-- 070-import-runs: an import run is audited once, and can be undone.
-- Each record an import makes carries its run and the line of the file it
-- came from (crm history: "created by import run 7 from leads.csv line
-- 12"); other types get these columns from the bulk writer when first
-- imported into (ALTER TABLE ADD COLUMN costs nothing).
ALTER TABLE lead ADD COLUMN import_run INTEGER;
ALTER TABLE lead ADD COLUMN import_line INTEGER;
ALTER TABLE account ADD COLUMN import_run INTEGER;
ALTER TABLE account ADD COLUMN import_line INTEGER;
ALTER TABLE contact ADD COLUMN import_run INTEGER;
ALTER TABLE contact ADD COLUMN import_line INTEGER;
ALTER TABLE deal ADD COLUMN import_run INTEGER;
ALTER TABLE deal ADD COLUMN import_line INTEGER;
ALTER TABLE activity ADD COLUMN import_run INTEGER;
ALTER TABLE activity ADD COLUMN import_line INTEGER;
ALTER TABLE task ADD COLUMN import_run INTEGER;
ALTER TABLE task ADD COLUMN import_line INTEGER;

-- The changes a run made one by one (a record it updated, what a rule did
-- on a record it made) say which run they belong to, so that undoing the
-- run finds them; and a run's own entry is "import:RUN".
ALTER TABLE audit ADD COLUMN run INTEGER;
CREATE INDEX audit_run ON audit(run) WHERE run IS NOT NULL;

-- A run: where the audit stood when it began (what came after it is what
-- undo looks at), the last id it made, whether it loads through a staging
-- table, and when (and by whom) it was undone.
ALTER TABLE import_run ADD COLUMN audit_from INTEGER;
ALTER TABLE import_run ADD COLUMN last_id INTEGER;
ALTER TABLE import_run ADD COLUMN staged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_run ADD COLUMN undone_at TEXT;
ALTER TABLE import_run ADD COLUMN undone_by TEXT;
