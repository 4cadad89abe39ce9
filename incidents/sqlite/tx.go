package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/reltui/reltui/incidents"
)

// sqlTx is incidents.Tx on a BEGIN IMMEDIATE transaction: the database
// write lock is already held, so LockIncident only has to check the id.
type sqlTx struct {
	tx  *sql.Tx
	now func() time.Time
}

// Now is this machine's clock: a SQLite file has one writer machine.
func (t *sqlTx) Now(context.Context) (time.Time, error) { return t.now(), nil }

const eventCols = `incident_id, seq, kind, recorded_at, author, text, milestone, at, attrs, evidence, idem_key, idem_hash, occurred_at, detail`

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// EventByKey implements incidents.Tx.
func (t *sqlTx) EventByKey(ctx context.Context, key string) (incidents.Event, bool, error) {
	evs, err := queryEvents(ctx, t.tx, `WHERE idem_key = ?`, key)
	if err != nil || len(evs) == 0 {
		return incidents.Event{}, false, err
	}
	return evs[0], true, nil
}

// LockIncident implements incidents.Tx.
func (t *sqlTx) LockIncident(ctx context.Context, id int64) ([]incidents.Event, int64, error) {
	var last int64
	err := t.tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT MAX(seq) FROM events WHERE incident_id = i.id), 0) FROM incidents i WHERE i.id = ?`, id).Scan(&last)
	if err != nil {
		return nil, 0, mapErr(err)
	}
	args := []any{id}
	marks := make([]string, len(incidents.StateKinds()))
	for i, k := range incidents.StateKinds() {
		args, marks[i] = append(args, string(k)), "?"
	}
	evs, err := queryEvents(ctx, t.tx, `WHERE incident_id = ? AND kind IN (`+strings.Join(marks, ", ")+`) ORDER BY seq`, args...)
	return evs, last, err
}

// CreateIncident implements incidents.Tx.
func (t *sqlTx) CreateIncident(ctx context.Context, at time.Time) (int64, error) {
	res, err := t.tx.ExecContext(ctx, `INSERT INTO incidents (created_at) VALUES (?)`, at.UnixMicro())
	if err != nil {
		return 0, mapErr(err)
	}
	id, err := res.LastInsertId()
	return id, mapErr(err)
}

// InsertEvents implements incidents.Tx.
func (t *sqlTx) InsertEvents(ctx context.Context, evs []incidents.Event) error {
	stmt, err := t.tx.PrepareContext(ctx, `INSERT INTO events (`+eventCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return mapErr(err)
	}
	defer stmt.Close()
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
		if _, err := stmt.ExecContext(ctx, e.IncidentID, e.Seq, string(e.Kind), e.Time.UnixMicro(), e.Author, e.Text,
			string(e.Milestone), micros(e.At), attrs, ev, nullString(e.Key), nullString(e.KeyHash), micros(e.Occurred), detail); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

func queryEvents(ctx context.Context, q querier, where string, args ...any) ([]incidents.Event, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+eventCols+` FROM events `+where, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []incidents.Event
	for rows.Next() {
		var e incidents.Event
		var kind, milestone string
		var recorded int64
		var at, occurred sql.NullInt64
		var attrs, evidence, key, hash, detail sql.NullString
		if err := rows.Scan(&e.IncidentID, &e.Seq, &kind, &recorded, &e.Author, &e.Text, &milestone, &at, &attrs, &evidence, &key, &hash, &occurred, &detail); err != nil {
			return nil, mapErr(err)
		}
		e.Kind, e.Milestone = incidents.EventKind(kind), incidents.Milestone(milestone)
		e.Time = time.UnixMicro(recorded).UTC()
		if at.Valid {
			e.At = time.UnixMicro(at.Int64).UTC()
		}
		e.Key, e.KeyHash = key.String, hash.String
		if occurred.Valid {
			e.Occurred = time.UnixMicro(occurred.Int64).UTC()
		}
		if detail.Valid {
			e.Detail = new(incidents.Detail)
			if err := json.Unmarshal([]byte(detail.String), e.Detail); err != nil {
				return nil, fmt.Errorf("%w: %s event %d detail: %v", incidents.ErrCorrupt, incidents.Ref(e.IncidentID), e.Seq, err)
			}
		}
		if attrs.Valid {
			e.Attrs = new(incidents.Attributes)
			if err := json.Unmarshal([]byte(attrs.String), e.Attrs); err != nil {
				return nil, fmt.Errorf("%w: %s event %d attrs: %v", incidents.ErrCorrupt, incidents.Ref(e.IncidentID), e.Seq, err)
			}
		}
		if evidence.Valid {
			e.Evidence = new(incidents.Evidence)
			if err := json.Unmarshal([]byte(evidence.String), e.Evidence); err != nil {
				return nil, fmt.Errorf("%w: %s event %d evidence: %v", incidents.ErrCorrupt, incidents.Ref(e.IncidentID), e.Seq, err)
			}
		}
		out = append(out, e)
	}
	return out, mapErr(rows.Err())
}

func jsonOrNil[T any](v *T) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("%w: encode: %v", incidents.ErrInvalid, err)
	}
	return string(b), nil
}

func micros(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

const deployCols = `id, service, version, deployed_at, recorded_at, author, idem_key, idem_hash, rollback`

// DeployByKey implements incidents.Tx.
func (t *sqlTx) DeployByKey(ctx context.Context, key string) (incidents.Deploy, bool, error) {
	ds, err := queryDeploys(ctx, t.tx, `WHERE idem_key = ?`, key)
	if err != nil || len(ds) == 0 {
		return incidents.Deploy{}, false, err
	}
	return ds[0], true, nil
}

// DeployByID implements incidents.Tx.
func (t *sqlTx) DeployByID(ctx context.Context, id int64) (incidents.Deploy, bool, error) {
	ds, err := queryDeploys(ctx, t.tx, `WHERE id = ?`, id)
	if err != nil || len(ds) == 0 {
		return incidents.Deploy{}, false, err
	}
	return ds[0], true, nil
}

// InsertDeploy implements incidents.Tx.
func (t *sqlTx) InsertDeploy(ctx context.Context, d incidents.Deploy) (int64, error) {
	res, err := t.tx.ExecContext(ctx, `INSERT INTO deploys (service, version, deployed_at, recorded_at, author, idem_key, idem_hash, rollback) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		d.Service, d.Version, d.At.UnixMicro(), d.Recorded.UnixMicro(), d.Author, d.Key, d.KeyHash, d.Rollback)
	if err != nil {
		return 0, mapErr(err)
	}
	id, err := res.LastInsertId()
	return id, mapErr(err)
}

func queryDeploys(ctx context.Context, q querier, where string, args ...any) ([]incidents.Deploy, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+deployCols+` FROM deploys `+where, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []incidents.Deploy
	for rows.Next() {
		var d incidents.Deploy
		var at, rec int64
		if err := rows.Scan(&d.ID, &d.Service, &d.Version, &at, &rec, &d.Author, &d.Key, &d.KeyHash, &d.Rollback); err != nil {
			return nil, mapErr(err)
		}
		d.At, d.Recorded = time.UnixMicro(at).UTC(), time.UnixMicro(rec).UTC()
		out = append(out, d)
	}
	return out, mapErr(rows.Err())
}
