-- 072-event-indexes: behaviour events are facts written by the million
-- (crm track); they keep only the indexes queries use. event_lead serves a
-- lead's events (history, removing a lead, and has_event for one lead
-- from the index alone: deleted_at is in it); event_name_lead (008)
-- has_event over every lead. Nothing reads events by time alone
-- (event_count's days look at a lead's few rows).
DROP INDEX event_at;
DROP INDEX event_lead;
CREATE INDEX event_lead ON event(lead_id, name, deleted_at);
