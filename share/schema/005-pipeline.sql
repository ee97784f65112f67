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

-- Covering indexes (the reports name them with INDEXED BY): forecast per
-- period, current stays of open deals, stays per stage for filtered funnels.
CREATE INDEX deal_forecast ON deal(status, expected_close, amount, probability, owner, closed_at, pipeline)
	WHERE deleted_at IS NULL;
CREATE INDEX deal_won ON deal(status, closed_at, amount, owner, pipeline) WHERE deleted_at IS NULL;
CREATE INDEX deal_stay ON deal(pipeline, status, stage, stage_entered_at) WHERE deleted_at IS NULL;
CREATE INDEX stage_history_stay ON stage_history(pipeline, to_stage, deal_id, days);
CREATE INDEX approval_status ON approval(status, deal_id);

-- Deals per pipeline, status and reach (not removed): the unfiltered
-- funnel reads this instead of every deal. Kept by triggers on deal.
CREATE TABLE funnel_counts (
	pipeline TEXT NOT NULL,
	status TEXT NOT NULL,
	reach INTEGER NOT NULL,
	n INTEGER NOT NULL,
	amount INTEGER NOT NULL,
	PRIMARY KEY (pipeline, status, reach)
) WITHOUT ROWID;

CREATE TRIGGER deal_counts_insert AFTER INSERT ON deal WHEN NEW.deleted_at IS NULL BEGIN
	INSERT INTO funnel_counts(pipeline, status, reach, n, amount)
		VALUES (NEW.pipeline, NEW.status, coalesce(NEW.reach, 0), 1, coalesce(NEW.amount, 0))
		ON CONFLICT (pipeline, status, reach) DO UPDATE SET n = n + 1, amount = amount + excluded.amount;
END;

CREATE TRIGGER deal_counts_update AFTER UPDATE OF pipeline, status, reach, amount, deleted_at ON deal BEGIN
	UPDATE funnel_counts SET n = n - 1, amount = amount - coalesce(OLD.amount, 0)
		WHERE OLD.deleted_at IS NULL AND pipeline = OLD.pipeline AND status = OLD.status
		AND reach = coalesce(OLD.reach, 0);
	INSERT INTO funnel_counts(pipeline, status, reach, n, amount)
		SELECT NEW.pipeline, NEW.status, coalesce(NEW.reach, 0), 1, coalesce(NEW.amount, 0)
		WHERE NEW.deleted_at IS NULL
		ON CONFLICT (pipeline, status, reach) DO UPDATE SET n = n + 1, amount = amount + excluded.amount;
END;

CREATE TRIGGER deal_counts_delete AFTER DELETE ON deal WHEN OLD.deleted_at IS NULL BEGIN
	UPDATE funnel_counts SET n = n - 1, amount = amount - coalesce(OLD.amount, 0)
		WHERE pipeline = OLD.pipeline AND status = OLD.status AND reach = coalesce(OLD.reach, 0);
END;

INSERT INTO funnel_counts(pipeline, status, reach, n, amount)
	SELECT pipeline, status, coalesce(reach, 0), count(*), coalesce(sum(amount), 0) FROM deal
	WHERE deleted_at IS NULL GROUP BY 1, 2, 3;

-- Deals from before this migration enter the history in their current
-- stage (the trigger above sets their reach).
INSERT INTO stage_history(deal_id, pipeline, from_stage, to_stage, at, user)
	SELECT id, pipeline, NULL, stage, coalesce(stage_entered_at, created_at), 'crm' FROM deal
	WHERE NOT EXISTS (SELECT 1 FROM stage_history h WHERE h.deal_id = deal.id);
