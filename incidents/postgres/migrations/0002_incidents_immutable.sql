-- 0001 left incident rows updatable and truncatable; nothing in reltui
-- does either, and nothing else should (created_at is part of the record).
CREATE TRIGGER incidents_no_update BEFORE UPDATE ON incidents
	FOR EACH ROW EXECUTE FUNCTION reltui_append_only();
CREATE TRIGGER incidents_no_truncate BEFORE TRUNCATE ON incidents
	FOR EACH STATEMENT EXECUTE FUNCTION reltui_append_only();
