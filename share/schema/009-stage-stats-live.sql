-- 009-stage-stats-live: stage_stats (finished stays per stage, read by the
-- funnel's and the cycle report's average days) counted the stays of removed
-- deals too, while everything else in those reports leaves removed deals
-- out. Recount it from the live deals, and keep it so when a deal is
-- removed, restored or purged.

-- Each deal's finished stays per stage (a deal_id condition reaches the
-- index stage_history_deal).
CREATE VIEW stage_stays_done AS
	SELECT deal_id, pipeline, to_stage AS stage, count(*) AS n, coalesce(sum(days), 0) AS d
	FROM stage_history WHERE left_at IS NOT NULL GROUP BY deal_id, pipeline, to_stage;

DELETE FROM stage_stats;
INSERT INTO stage_stats(pipeline, stage, stays, days)
	SELECT x.pipeline, x.stage, sum(x.n), sum(x.d)
	FROM stage_stays_done x JOIN deal ON deal.id = x.deal_id
	WHERE deal.deleted_at IS NULL GROUP BY x.pipeline, x.stage;

CREATE TRIGGER deal_stays_removed AFTER UPDATE OF deleted_at ON deal
WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL BEGIN
	UPDATE stage_stats SET stays = stays - x.n, days = days - x.d FROM stage_stays_done x
		WHERE x.deal_id = NEW.id AND stage_stats.pipeline = x.pipeline AND stage_stats.stage = x.stage;
END;

-- A live deal purged at once: its stays go before its history does.
CREATE TRIGGER deal_stays_purged BEFORE DELETE ON deal WHEN OLD.deleted_at IS NULL BEGIN
	UPDATE stage_stats SET stays = stays - x.n, days = days - x.d FROM stage_stays_done x
		WHERE x.deal_id = OLD.id AND stage_stats.pipeline = x.pipeline AND stage_stats.stage = x.stage;
END;

CREATE TRIGGER deal_stays_restored AFTER UPDATE OF deleted_at ON deal
WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL BEGIN
	INSERT INTO stage_stats(pipeline, stage, stays, days)
		SELECT pipeline, stage, n, d FROM stage_stays_done WHERE deal_id = NEW.id
		ON CONFLICT (pipeline, stage) DO UPDATE SET stays = stays + excluded.stays,
			days = days + excluded.days;
END;
