package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/reltui/reltui/incidents"
)

// pgTx is incidents.Tx on a READ COMMITTED transaction; LockIncident's
// row lock is what serializes writers of one incident.
type pgTx struct {
	tx  pgx.Tx
	now func() time.Time
}

// Now reads the server's clock (clock_timestamp, not now(): the latter is
// the transaction's start, before the row lock was granted), so every
// machine's events are stamped by one clock.
func (t *pgTx) Now(ctx context.Context) (time.Time, error) {
	if t.now != nil {
		return t.now(), nil
	}
	var now time.Time
	if err := t.tx.QueryRow(ctx, `SELECT clock_timestamp()`).Scan(&now); err != nil {
		return time.Time{}, mapErr(err)
	}
	return now.UTC(), nil
}

const eventCols = `incident_id, seq, kind, recorded_at, author, text, milestone, at, attrs, evidence, idem_key, idem_hash, occurred_at, detail`

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// EventByKey implements incidents.Tx.
func (t *pgTx) EventByKey(ctx context.Context, key string) (incidents.Event, bool, error) {
	evs, err := queryEvents(ctx, t.tx, `WHERE idem_key = $1`, key)
	if err != nil || len(evs) == 0 {
		return incidents.Event{}, false, err
	}
	return evs[0], true, nil
}

// LockIncident implements incidents.Tx.
func (t *pgTx) LockIncident(ctx context.Context, id int64) ([]incidents.Event, int64, error) {
	var last int64
	// FOR UPDATE on the incident row: a second writer of this incident
	// waits here until the first commits, then reads its events.
	if err := t.tx.QueryRow(ctx, `SELECT id FROM incidents WHERE id = $1 FOR UPDATE`, id).Scan(&last); err != nil {
		return nil, 0, mapErr(err)
	}
	if err := t.tx.QueryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM events WHERE incident_id = $1`, id).Scan(&last); err != nil {
		return nil, 0, mapErr(err)
	}
	kinds := make([]string, len(incidents.StateKinds()))
	for i, k := range incidents.StateKinds() {
		kinds[i] = string(k)
	}
	evs, err := queryEvents(ctx, t.tx, `WHERE incident_id = $1 AND kind = ANY($2) ORDER BY seq`, id, kinds)
	return evs, last, err
}

// CreateIncident implements incidents.Tx.
func (t *pgTx) CreateIncident(ctx context.Context, at time.Time) (int64, error) {
	var id int64
	err := t.tx.QueryRow(ctx, `INSERT INTO incidents (created_at) VALUES ($1) RETURNING id`, at).Scan(&id)
	return id, mapErr(err)
}

// InsertEvents implements incidents.Tx.
func (t *pgTx) InsertEvents(ctx context.Context, evs []incidents.Event) error {
	for _, e := range evs {
		attrs, err := jsonOrNil(e.Attrs)
		if err != nil {
			return err
		}
		ev, err := jsonOrNil(e.Evidence)
		if err != nil {
			return err
		}
		detail, err := jsonOrNil(e.Detail)
		if err != nil {
			return err
		}
		if _, err := t.tx.Exec(ctx, `INSERT INTO events (`+eventCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			e.IncidentID, e.Seq, string(e.Kind), e.Time, e.Author, e.Text, string(e.Milestone), timeOrNil(e.At),
			attrs, ev, stringOrNil(e.Key), stringOrNil(e.KeyHash), timeOrNil(e.Occurred), detail); err != nil {
			return err // raw, so write() can tell a lost race from a real conflict
		}
	}
	return nil
}

func queryEvents(ctx context.Context, q querier, where string, args ...any) ([]incidents.Event, error) {
	rows, err := q.Query(ctx, `SELECT `+eventCols+` FROM events `+where, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []incidents.Event
	for rows.Next() {
		var e incidents.Event
		var kind, milestone string
		var at, occurred *time.Time
		var attrs, evidence, key, hash, detail *string
		if err := rows.Scan(&e.IncidentID, &e.Seq, &kind, &e.Time, &e.Author, &e.Text, &milestone, &at, &attrs, &evidence, &key, &hash, &occurred, &detail); err != nil {
			return nil, mapErr(err)
		}
		e.Kind, e.Milestone = incidents.EventKind(kind), incidents.Milestone(milestone)
		// pgx hands timestamptz back in the local zone; the model is UTC.
		e.Time = e.Time.UTC()
		if at != nil {
			e.At = at.UTC()
		}
		if occurred != nil {
			e.Occurred = occurred.UTC()
		}
		if detail != nil {
			e.Detail = new(incidents.Detail)
			if err := json.Unmarshal([]byte(*detail), e.Detail); err != nil {
				return nil, fmt.Errorf("%w: %s event %d detail: %v", incidents.ErrCorrupt, incidents.Ref(e.IncidentID), e.Seq, err)
			}
		}
		if key != nil {
			e.Key = *key
		}
		if hash != nil {
			e.KeyHash = *hash
		}
		if attrs != nil {
			e.Attrs = new(incidents.Attributes)
			if err := json.Unmarshal([]byte(*attrs), e.Attrs); err != nil {
				return nil, fmt.Errorf("%w: %s event %d attrs: %v", incidents.ErrCorrupt, incidents.Ref(e.IncidentID), e.Seq, err)
			}
		}
		if evidence != nil {
			e.Evidence = new(incidents.Evidence)
			if err := json.Unmarshal([]byte(*evidence), e.Evidence); err != nil {
				return nil, fmt.Errorf("%w: %s event %d evidence: %v", incidents.ErrCorrupt, incidents.Ref(e.IncidentID), e.Seq, err)
			}
		}
		out = append(out, e)
	}
	return out, mapErr(rows.Err())
}

func jsonOrNil[T any](v *T) (*string, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("%w: encode: %v", incidents.ErrInvalid, err)
	}
	s := string(b)
	return &s, nil
}

func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func stringOrNil(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

const deployCols = `id, service, version, deployed_at, recorded_at, author, idem_key, idem_hash, rollback`

// DeployByKey implements incidents.Tx.
func (t *pgTx) DeployByKey(ctx context.Context, key string) (incidents.Deploy, bool, error) {
	ds, err := queryDeploys(ctx, t.tx, `WHERE idem_key = $1`, key)
	if err != nil || len(ds) == 0 {
		return incidents.Deploy{}, false, err
	}
	return ds[0], true, nil
}

// DeployByID implements incidents.Tx.
func (t *pgTx) DeployByID(ctx context.Context, id int64) (incidents.Deploy, bool, error) {
	ds, err := queryDeploys(ctx, t.tx, `WHERE id = $1`, id)
	if err != nil || len(ds) == 0 {
		return incidents.Deploy{}, false, err
	}
	return ds[0], true, nil
}

// InsertDeploy implements incidents.Tx.
func (t *pgTx) InsertDeploy(ctx context.Context, d incidents.Deploy) (int64, error) {
	var id int64
	err := t.tx.QueryRow(ctx, `INSERT INTO deploys (service, version, deployed_at, recorded_at, author, idem_key, idem_hash, rollback) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		d.Service, d.Version, d.At, d.Recorded, d.Author, d.Key, d.KeyHash, d.Rollback).Scan(&id)
	return id, err // raw, so write() can tell a lost race from a real conflict
}

func queryDeploys(ctx context.Context, q querier, where string, args ...any) ([]incidents.Deploy, error) {
	rows, err := q.Query(ctx, `SELECT `+deployCols+` FROM deploys `+where, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []incidents.Deploy
	for rows.Next() {
		var d incidents.Deploy
		if err := rows.Scan(&d.ID, &d.Service, &d.Version, &d.At, &d.Recorded, &d.Author, &d.Key, &d.KeyHash, &d.Rollback); err != nil {
			return nil, mapErr(err)
		}
		d.At, d.Recorded = d.At.UTC(), d.Recorded.UTC()
		out = append(out, d)
	}
	return out, mapErr(rows.Err())
}
