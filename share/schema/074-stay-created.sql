-- 074-stay-created: each stay knows when its deal was made, so that a
-- report over a period (funnel --since/--until: the deals made then)
-- reads the period's stays in one range of an index, not a lookup of
-- stage_history_deal per deal (a quarter of a million random lookups in
-- a 1M-deal database, most of funnel --since's time).
--
-- stage_history.deal_created_at is deal.created_at, always: the code that
-- writes a stay fills it; a stay written any other way (crm sql, a script)
-- gets it from the trigger below, and a deal whose created_at changes
-- takes its stays with it.
ALTER TABLE stage_history ADD COLUMN deal_created_at TEXT;

UPDATE stage_history SET deal_created_at = (SELECT d.created_at FROM deal d WHERE d.id = stage_history.deal_id);

CREATE TRIGGER stage_history_created AFTER INSERT ON stage_history WHEN NEW.deal_created_at IS NULL BEGIN
	UPDATE stage_history SET deal_created_at = (SELECT d.created_at FROM deal d WHERE d.id = NEW.deal_id)
		WHERE id = NEW.id;
END;

CREATE TRIGGER deal_created_moved AFTER UPDATE OF created_at ON deal
WHEN NEW.created_at IS NOT OLD.created_at BEGIN
	UPDATE stage_history SET deal_created_at = NEW.created_at WHERE deal_id = NEW.id;
END;

-- A pipeline's stays by when their deal was made, with what the funnel
-- reads of them (covering: the deal itself is looked up in memory).
CREATE INDEX stage_history_period ON stage_history(pipeline, deal_created_at, deal_id, to_stage, days, left_at, at);
