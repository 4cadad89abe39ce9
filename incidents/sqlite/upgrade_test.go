package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/storetest"
)

// oldFile builds a database with only the first `version` migrations, as
// an older reltui left it, holding storetest.OldHistory in the old columns.
func oldFile(t *testing.T, path string, version int) {
	t.Helper()
	ctx := context.Background()
	ms, err := incidents.LoadMigrations(migrationFiles, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT`)
	for _, m := range ms[:version] {
		exec(m.SQL)
		exec(`INSERT INTO schema_migrations VALUES (?, ?, 0)`, m.Version, m.Name)
	}
	exec(`INSERT INTO incidents (id, created_at) VALUES (1, 0)`)
	if version >= 3 {
		d := storetest.OldDeploy()
		exec(`INSERT INTO deploys (id, service, version, deployed_at, recorded_at, author, idem_key, idem_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			d.ID, d.Service, d.Version, d.At.UnixMicro(), d.Recorded.UnixMicro(), d.Author, d.Key, d.KeyHash)
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
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.IncidentID, e.Seq, string(e.Kind), e.Time.UnixMicro(), e.Author, e.Text,
			string(e.Milestone), micros(e.At), attrs, ev, nullString(e.Key), nullString(e.KeyHash))
	}
}

// TestUpgradeKeepsEvents: a file from before schema 4 (and 3, and 2)
// opens, migrates in place and keeps every event byte for byte (and, from
// 3, its deploys, which read as not rollbacks).
func TestUpgradeKeepsEvents(t *testing.T) {
	for _, from := range []int{1, 2, 3} {
		t.Run(fmt.Sprintf("from%d", from), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "incidents.db")
			oldFile(t, path, from)
			s := open(t, path)
			ctx := context.Background()
			if v, err := s.SchemaVersion(ctx); err != nil || v != 4 {
				t.Fatalf("schema version %d, %v", v, err)
			}
			if from >= 3 {
				storetest.CheckOldDeploy(t, s)
			}
			storetest.CheckUpgraded(t, s, 1)
			if _, err := s.DB().ExecContext(ctx, `UPDATE incidents SET created_at = 0`); err == nil || !strings.Contains(err.Error(), "never rewritten") {
				t.Fatalf("0002 not applied: %v", err)
			}
			if _, err := s.DB().ExecContext(ctx, `DELETE FROM deploys`); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Fatalf("deploys are not append-only: %v", err)
			}
			if bad, err := s.IntegrityCheck(ctx); err != nil || len(bad) > 0 {
				t.Fatalf("integrity: %v %v", bad, err)
			}
		})
	}
}
