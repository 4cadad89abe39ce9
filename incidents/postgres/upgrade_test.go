//go:build integration

package postgres

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/storetest"
)

// oldSchema fills the schema dsn points at with only the first `version`
// migrations, as an older reltui left it, holding storetest.OldHistory in
// the old columns.
func oldSchema(t *testing.T, dsn string, version int) {
	t.Helper()
	ctx := context.Background()
	ms, err := incidents.LoadMigrations(migrationFiles, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := conn.Exec(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`)
	for _, m := range ms[:version] {
		exec(m.SQL)
		exec(`INSERT INTO schema_migrations VALUES ($1, $2, now())`, m.Version, m.Name)
	}
	exec(`INSERT INTO incidents (created_at) VALUES (now())`)
	if version >= 3 {
		d := storetest.OldDeploy()
		// The first identity of a fresh schema is d.ID.
		exec(`INSERT INTO deploys (service, version, deployed_at, recorded_at, author, idem_key, idem_hash) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			d.Service, d.Version, d.At, d.Recorded, d.Author, d.Key, d.KeyHash)
	}
	for _, e := range storetest.OldHistory(1) {
		attrs, err := jsonOrNil(e.Attrs)
		if err != nil {
			t.Fatal(err)
		}
		ev, err := jsonOrNil(e.Evidence)
		if err != nil {
			t.Fatal(err)
		}
		exec(`INSERT INTO events (incident_id, seq, kind, recorded_at, author, text, milestone, at, attrs, evidence, idem_key, idem_hash)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, e.IncidentID, e.Seq, string(e.Kind), e.Time, e.Author, e.Text,
			string(e.Milestone), timeOrNil(e.At), attrs, ev, stringOrNil(e.Key), stringOrNil(e.KeyHash))
	}
}

// TestUpgradeKeepsEvents: a schema from before version 4 (and 3, and 2)
// migrates in place on open and keeps every event (and, from 3, its
// deploys, which read as not rollbacks).
func TestUpgradeKeepsEvents(t *testing.T) {
	for _, from := range []int{1, 2, 3} {
		t.Run(fmt.Sprintf("from%d", from), func(t *testing.T) {
			dsn := freshSchema(t)
			oldSchema(t, dsn, from)
			s := open(t, dsn)
			ctx := context.Background()
			if v, err := s.SchemaVersion(ctx); err != nil || v != 4 {
				t.Fatalf("schema version %d, %v", v, err)
			}
			if from >= 3 {
				storetest.CheckOldDeploy(t, s)
			}
			storetest.CheckUpgraded(t, s, 1)
			if _, err := s.Pool().Exec(ctx, `DELETE FROM deploys`); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Fatalf("deploys are not append-only: %v", err)
			}
			if _, err := s.Pool().Exec(ctx, `UPDATE incidents SET created_at = now()`); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Fatalf("0002 not applied: %v", err)
			}
		})
	}
}
