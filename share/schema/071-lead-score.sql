-- 071-lead-score: scores live apart from the lead rows.
-- A scoring run over a million leads changed most of their scores, and
-- each change rewrote a whole lead row (and its updated_at, so that a line
-- piped from before looked stale). A lead's score is now its row here, or
-- 0 when it has none; `score` is still a lead field wherever one is read
-- (list, show, --where, --sort, export, crm sql's lead view).
CREATE TABLE lead_score (
	id INTEGER PRIMARY KEY REFERENCES lead(id) ON DELETE CASCADE,
	score INTEGER NOT NULL
);
INSERT INTO lead_score(id, score) SELECT id, score FROM lead WHERE score <> 0;
ALTER TABLE lead DROP COLUMN score;
