-- 050-report-indexes: the reports of a period read only that period's
-- deals, through covering indexes (the dashboard runs several of them on a
-- million deals):
--   deal_created  deals by when they came in, with what the funnel counts
--                 (report funnel --since reads the range, not the table)
--   deal_board    deals by owner and status, with when they closed and
--                 their amount (report leaderboard: each owner's won and
--                 lost deals of the period, and open pipeline)
CREATE INDEX deal_created ON deal(created_at, pipeline, status, reach, amount, owner)
	WHERE deleted_at IS NULL;
CREATE INDEX deal_board ON deal(owner, status, closed_at, amount) WHERE deleted_at IS NULL;
