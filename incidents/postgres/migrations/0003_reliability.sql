-- Issue 19: the numbers reliability teams are asked for. Existing rows keep
-- every value; the new columns are NULL for them, which means "nothing
-- more than before" (no second clock, no detail).
ALTER TABLE events ADD COLUMN occurred_at TIMESTAMPTZ; -- when it differs from recorded_at
ALTER TABLE events ADD COLUMN detail TEXT;             -- JSON incidents.Detail

-- Deploys are the denominator of the change failure rate; append-only
-- like events.
CREATE TABLE deploys (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	service     TEXT        NOT NULL,
	version     TEXT        NOT NULL DEFAULT '',
	deployed_at TIMESTAMPTZ NOT NULL,
	recorded_at TIMESTAMPTZ NOT NULL,
	author      TEXT        NOT NULL,
	idem_key    TEXT        NOT NULL UNIQUE,
	idem_hash   TEXT        NOT NULL
);

CREATE INDEX deploys_at ON deploys (deployed_at);

CREATE TRIGGER deploys_append_only BEFORE UPDATE OR DELETE ON deploys
	FOR EACH ROW EXECUTE FUNCTION reltui_append_only();
CREATE TRIGGER deploys_no_truncate BEFORE TRUNCATE ON deploys
	FOR EACH STATEMENT EXECUTE FUNCTION reltui_append_only();
