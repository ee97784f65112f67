-- 005-pipeline: what the funnel and forecast reports read fast.
--
-- Derived data, kept by a trigger on stage_history so that every way a
-- move is written (crm stage move, deal add, import, bulk SQL) keeps it:
--   deal.reach            the highest stage position the deal has reached
--                         (a lost stage does not count as progress); a deal
--                         that skipped stages or went back keeps its best.
--   stage_history.left_at when the deal left that stage, and days the stay
--                         lasted (NULL while it is the current stage).
--   stage_stats           per pipeline and stage: finished stays and their
--                         days, so the funnel does not scan every move.
ALTER TABLE deal ADD COLUMN reach INTEGER;
ALTER TABLE stage_history ADD COLUMN left_at TEXT;
ALTER TABLE stage_history ADD COLUMN days REAL;

CREATE TABLE stage_stats (
	pipeline TEXT NOT NULL,
	stage TEXT NOT NULL,
	stays INTEGER NOT NULL DEFAULT 0,
	days REAL NOT NULL DEFAULT 0,
	PRIMARY KEY (pipeline, stage)
) WITHOUT ROWID;

CREATE TRIGGER stage_history_moved AFTER INSERT ON stage_history BEGIN
	INSERT INTO stage_stats(pipeline, stage, stays, days)
		SELECT h.pipeline, h.to_stage, 1, julianday(NEW.at) - julianday(h.at)
		FROM stage_history h
		WHERE h.deal_id = NEW.deal_id AND h.left_at IS NULL AND h.id <> NEW.id
		ON CONFLICT (pipeline, stage) DO UPDATE SET stays = stays + 1, days = days + excluded.days;
	UPDATE stage_history SET left_at = NEW.at, days = julianday(NEW.at) - julianday(at)
		WHERE deal_id = NEW.deal_id AND left_at IS NULL AND id <> NEW.id;
	UPDATE deal SET reach = max(coalesce(reach, 0), coalesce((
		SELECT s.position FROM stage s JOIN pipeline p ON p.id = s.pipeline_id
		WHERE p.key = NEW.pipeline AND s.key = NEW.to_stage AND coalesce(s.closes, '') <> 'lost'), 0))
		WHERE id = NEW.deal_id;
END;

-- Covering indexes: funnel counts and amounts per reach, forecast per
-- period, silent deals, and stays per stage for filtered funnels.
CREATE INDEX deal_funnel ON deal(pipeline, status, reach, amount) WHERE deleted_at IS NULL;
CREATE INDEX deal_forecast ON deal(status, expected_close, amount, probability, owner, closed_at, pipeline)
	WHERE deleted_at IS NULL;
CREATE INDEX deal_won ON deal(status, closed_at, amount, owner, pipeline) WHERE deleted_at IS NULL;
CREATE INDEX stage_history_stay ON stage_history(pipeline, to_stage, deal_id, days);
CREATE INDEX approval_status ON approval(status, deal_id);

-- Deals from before this migration enter the history in their current
-- stage (the trigger above sets their reach).
INSERT INTO stage_history(deal_id, pipeline, from_stage, to_stage, at, user)
	SELECT id, pipeline, NULL, stage, coalesce(stage_entered_at, created_at), 'crm' FROM deal
	WHERE NOT EXISTS (SELECT 1 FROM stage_history h WHERE h.deal_id = deal.id);
