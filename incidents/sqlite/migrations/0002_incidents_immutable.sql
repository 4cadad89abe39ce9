-- 0001 left incident rows updatable; nothing in reltui updates them, and
-- nothing else should (created_at is part of the record).
CREATE TRIGGER incidents_no_update BEFORE UPDATE ON incidents
BEGIN
	SELECT RAISE(ABORT, 'reltui: incidents are never rewritten');
END;
