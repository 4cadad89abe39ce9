-- Incidents are the fold of their events; the incidents table only hands
-- out ids (and is the row writers lock). Events are append-only: the
-- triggers refuse UPDATE and DELETE, so no code path can rewrite history.
CREATE TABLE incidents (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE events (
	incident_id BIGINT      NOT NULL REFERENCES incidents (id),
	seq         BIGINT      NOT NULL CHECK (seq > 0),
	kind        TEXT        NOT NULL,
	recorded_at TIMESTAMPTZ NOT NULL,
	author      TEXT        NOT NULL,
	text        TEXT        NOT NULL DEFAULT '',
	milestone   TEXT        NOT NULL DEFAULT '',
	at          TIMESTAMPTZ,
	attrs       TEXT, -- JSON incidents.Attributes, kept as text so both dialects store identical bytes
	evidence    TEXT, -- JSON incidents.Evidence
	idem_key    TEXT,
	idem_hash   TEXT,
	PRIMARY KEY (incident_id, seq)
);

CREATE UNIQUE INDEX events_idem_key ON events (idem_key) WHERE idem_key IS NOT NULL;

CREATE FUNCTION reltui_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'reltui: % on % refused: incident history is append-only', TG_OP, TG_TABLE_NAME
		USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
	FOR EACH ROW EXECUTE FUNCTION reltui_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
	FOR EACH STATEMENT EXECUTE FUNCTION reltui_append_only();
CREATE TRIGGER incidents_no_delete BEFORE DELETE ON incidents
	FOR EACH ROW EXECUTE FUNCTION reltui_append_only();
