-- 015-money: money as people mean it.
-- A custom money field may be declared to take negative amounts (a
-- discount, a refund: crm field add deal discount_amount --kind money
-- --negative); every other amount below zero is refused.
ALTER TABLE field ADD COLUMN negative INTEGER NOT NULL DEFAULT 0;

-- Reports never add up different currencies: these find the currencies
-- in use without reading every deal or lead.
CREATE INDEX deal_currency ON deal(currency) WHERE deleted_at IS NULL;
CREATE INDEX lead_currency ON lead(currency) WHERE deleted_at IS NULL;
