-- 009-stage-stats-live: stage_stats (finished stays per stage, read by the
-- funnel's and the cycle report's average days) counted the stays of removed
-- deals too, while everything else in those reports leaves removed deals
-- out. Recount it from the live deals, and keep it so when a deal is
-- removed, restored or purged.
DELETE FROM stage_stats;
INSERT INTO stage_stats(pipeline, stage, stays, days)
	SELECT h.pipeline, h.to_stage, count(*), coalesce(sum(h.days), 0)
	FROM stage_history h JOIN deal d ON d.id = h.deal_id
	WHERE h.left_at IS NOT NULL AND d.deleted_at IS NULL
	GROUP BY h.pipeline, h.to_stage;

CREATE TRIGGER deal_stays_removed AFTER UPDATE OF deleted_at ON deal
WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL BEGIN
	UPDATE stage_stats SET stays = stays - x.n, days = days - x.d
		FROM (SELECT pipeline, to_stage, count(*) AS n, coalesce(sum(days), 0) AS d
		      FROM stage_history WHERE deal_id = NEW.id AND left_at IS NOT NULL
		      GROUP BY pipeline, to_stage) AS x
		WHERE stage_stats.pipeline = x.pipeline AND stage_stats.stage = x.to_stage;
END;

CREATE TRIGGER deal_stays_restored AFTER UPDATE OF deleted_at ON deal
WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL BEGIN
	INSERT INTO stage_stats(pipeline, stage, stays, days)
		SELECT pipeline, to_stage, count(*), coalesce(sum(days), 0)
		FROM stage_history WHERE deal_id = NEW.id AND left_at IS NOT NULL
		GROUP BY pipeline, to_stage
		ON CONFLICT (pipeline, stage) DO UPDATE SET stays = stays + excluded.stays,
			days = days + excluded.days;
END;

-- A live deal purged at once: its stays go before its history does.
CREATE TRIGGER deal_stays_purged BEFORE DELETE ON deal WHEN OLD.deleted_at IS NULL BEGIN
	UPDATE stage_stats SET stays = stays - x.n, days = days - x.d
		FROM (SELECT pipeline, to_stage, count(*) AS n, coalesce(sum(days), 0) AS d
		      FROM stage_history WHERE deal_id = OLD.id AND left_at IS NOT NULL
		      GROUP BY pipeline, to_stage) AS x
		WHERE stage_stats.pipeline = x.pipeline AND stage_stats.stage = x.to_stage;
END;
