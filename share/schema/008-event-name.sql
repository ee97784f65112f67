-- has_event('webinar') in scoring rules and --where asks which leads have a
-- live event of that name: this index answers from the events of that name
-- alone, instead of reading every event once per rule (crm score --all over
-- a million leads: compute 14 s -> 3 s).
CREATE INDEX event_name_lead ON event(name, lead_id) WHERE deleted_at IS NULL;
