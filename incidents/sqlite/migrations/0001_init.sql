-- Incidents are the fold of their events; the incidents table only hands
-- out ids. Events are append-only: the triggers refuse UPDATE and DELETE,
-- so no code path, present or future, can rewrite history.
CREATE TABLE incidents (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	created_at INTEGER NOT NULL -- unix microseconds, UTC
) STRICT;

CREATE TABLE events (
	incident_id INTEGER NOT NULL REFERENCES incidents (id),
	seq         INTEGER NOT NULL CHECK (seq > 0),
	kind        TEXT    NOT NULL,
	recorded_at INTEGER NOT NULL, -- unix microseconds, UTC
	author      TEXT    NOT NULL,
	text        TEXT    NOT NULL DEFAULT '',
	milestone   TEXT    NOT NULL DEFAULT '',
	at          INTEGER,          -- milestone time, unix microseconds
	attrs       TEXT,             -- JSON incidents.Attributes
	evidence    TEXT,             -- JSON incidents.Evidence
	idem_key    TEXT,
	idem_hash   TEXT,
	PRIMARY KEY (incident_id, seq)
) STRICT, WITHOUT ROWID;

CREATE UNIQUE INDEX events_idem_key ON events (idem_key) WHERE idem_key IS NOT NULL;

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
	SELECT RAISE(ABORT, 'reltui: incident events are append-only');
END;

CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
	SELECT RAISE(ABORT, 'reltui: incident events are append-only');
END;

CREATE TRIGGER incidents_no_delete BEFORE DELETE ON incidents
BEGIN
	SELECT RAISE(ABORT, 'reltui: incidents are never deleted');
END;
