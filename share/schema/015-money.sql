-- 015-money: money as people mean it.
-- A custom money field may be declared to take negative amounts (a
-- discount, a refund: crm field add deal discount_amount --kind money
-- --negative); every other amount below zero is refused.
ALTER TABLE field ADD COLUMN negative INTEGER NOT NULL DEFAULT 0;

-- Reports never add up different currencies: this finds the currencies
-- of deals without reading every deal (leads are read whole by the one
-- report that needs theirs, so imports keep one index fewer to write).
CREATE INDEX deal_currency ON deal(currency) WHERE deleted_at IS NULL;
