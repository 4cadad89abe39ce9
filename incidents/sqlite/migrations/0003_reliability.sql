-- Issue 19: the numbers reliability teams are asked for. Existing rows keep
-- every byte; the new columns are NULL for them, which means "nothing more
-- than before" (no second clock, no detail).
ALTER TABLE events ADD COLUMN occurred_at INTEGER; -- unix microseconds, when it differs from recorded_at
ALTER TABLE events ADD COLUMN detail TEXT;         -- JSON incidents.Detail

-- Deploys are the denominator of the change failure rate; append-only
-- like events.
CREATE TABLE deploys (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	service     TEXT    NOT NULL,
	version     TEXT    NOT NULL DEFAULT '',
	deployed_at INTEGER NOT NULL, -- unix microseconds, UTC
	recorded_at INTEGER NOT NULL,
	author      TEXT    NOT NULL,
	idem_key    TEXT    NOT NULL UNIQUE,
	idem_hash   TEXT    NOT NULL
) STRICT;

CREATE INDEX deploys_at ON deploys (deployed_at);

CREATE TRIGGER deploys_no_update BEFORE UPDATE ON deploys
BEGIN
	SELECT RAISE(ABORT, 'reltui: deploys are append-only');
END;

CREATE TRIGGER deploys_no_delete BEFORE DELETE ON deploys
BEGIN
	SELECT RAISE(ABORT, 'reltui: deploys are append-only');
END;
