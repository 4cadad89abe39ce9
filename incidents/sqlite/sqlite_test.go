package sqlite

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/storetest"
)

func TestMain(m *testing.M) {
	storetest.ChildMain(func(ctx context.Context, target string) (incidents.Store, error) {
		return Open(ctx, target, Options{})
	})
	os.Exit(m.Run())
}

func open(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) incidents.Store {
		return open(t, filepath.Join(t.TempDir(), "incidents.db"))
	})
}

func TestPragmas(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "x", "incidents.db"))
	ctx := context.Background()
	// Pin one connection: pragmas are per connection, and every connection
	// the pool opens must carry them.
	for i := 0; i < 3; i++ {
		c, err := s.DB().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var mode string
		var sync, busy int
		if err := c.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&sync); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&busy); err != nil {
			t.Fatal(err)
		}
		if mode != "wal" || sync != 2 || busy != 10000 {
			t.Fatalf("journal_mode=%s synchronous=%d busy_timeout=%d; want wal, 2 (FULL), 10000", mode, sync, busy)
		}
		defer c.Close()
	}
	info, err := os.Stat(filepath.Dir(s.Path()))
	if err != nil || info.Mode().Perm() != 0o700 {
		t.Fatalf("store directory mode %v, %v; want 0700 (incident notes can be sensitive)", info.Mode(), err)
	}
}

func TestEventsAreAppendOnly(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "incidents.db"))
	ctx := context.Background()
	inc, err := s.Declare(ctx, incidents.Declaration{Key: "k", Author: "a", Title: "t"})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE events SET text = 'rewritten' WHERE incident_id = ?`,
		`DELETE FROM events WHERE incident_id = ?`,
		`DELETE FROM incidents WHERE id = ?`,
		`UPDATE incidents SET created_at = created_at WHERE id = ?`,
	} {
		_, err := s.DB().ExecContext(ctx, q, inc.ID)
		if err == nil || !strings.Contains(err.Error(), "reltui:") {
			t.Errorf("%s: err = %v, want the append-only trigger to refuse", q, err)
		}
	}
	if got, _ := s.Get(ctx, inc.ID); len(got.Events) != 3 {
		t.Fatalf("%d events left", len(got.Events))
	}
}

func TestMigrations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "incidents.db")
	ctx := context.Background()
	s := open(t, path)
	if v, err := s.SchemaVersion(ctx); err != nil || v != 4 {
		t.Fatalf("schema version %d, %v", v, err)
	}
	s.Close()
	// Reopening applies nothing twice.
	s = open(t, path)
	var n int
	if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil || n != 4 {
		t.Fatalf("%d migration rows, %v", n, err)
	}
	// A file from a newer reltui is refused, not misread.
	if _, err := s.DB().ExecContext(ctx, `INSERT INTO schema_migrations VALUES (99, 'future', 0)`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err := Open(ctx, path, Options{})
	if !errors.Is(err, incidents.ErrConflict) || !strings.Contains(err.Error(), "upgrade reltui") {
		t.Fatalf("newer schema: %v", err)
	}
}

func TestConcurrentOpenMigratesOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "incidents.db")
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		go func() {
			s, err := Open(context.Background(), path, Options{})
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for i := 0; i < 4; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

func TestDriverErrorsAreMapped(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("this is not a database\n", 500)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), garbage, Options{}); !errors.Is(err, incidents.ErrCorrupt) {
		t.Errorf("garbage file: %v, want ErrCorrupt", err)
	}
	if _, err := Open(context.Background(), dir, Options{}); !errors.Is(err, incidents.ErrUnavailable) {
		t.Errorf("directory as database: %v, want ErrUnavailable", err)
	}
}

func TestDefaultPath(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cases := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_DATA_HOME": "/data", "HOME": "/home/a"}, "/data/reltui/incidents.db"},
		{map[string]string{"HOME": "/home/a"}, "/home/a/.local/share/reltui/incidents.db"},
		// The XDG spec says a relative XDG_DATA_HOME is invalid and ignored.
		{map[string]string{"XDG_DATA_HOME": "rel", "HOME": "/home/a"}, "/home/a/.local/share/reltui/incidents.db"},
	}
	for _, c := range cases {
		if got, err := DefaultPath(env(c.env)); err != nil || got != c.want {
			t.Errorf("DefaultPath(%v) = %q, %v; want %q", c.env, got, err, c.want)
		}
	}
	if _, err := DefaultPath(env(nil)); err == nil {
		t.Error("no HOME: want an error")
	}
}

func reliabilityConfig(t *testing.T) storetest.Config {
	path := filepath.Join(t.TempDir(), "incidents.db")
	return storetest.Config{
		Target: path,
		Open:   func(t *testing.T) incidents.Store { return open(t, path) },
		Check: func(t *testing.T) {
			probs, err := open(t, path).IntegrityCheck(context.Background())
			if err != nil || len(probs) > 0 {
				t.Fatalf("integrity_check: %v %v", probs, err)
			}
		},
	}
}

func TestKill9DuringWrites(t *testing.T) {
	res := storetest.Crash(t, reliabilityConfig(t), 200, 1000)
	t.Logf("sqlite kill -9: %d rounds (%d killed mid-write, %d before the store was open), %d of %d events written by children that were then killed, %v",
		res.Rounds, res.KilledMidWrite, res.KilledBeforeReady, res.AckedUnderFire, res.Acked, res.Elapsed.Round(time.Millisecond))
	if res.KilledMidWrite < 100 {
		t.Fatalf("only %d of %d kills landed mid-write", res.KilledMidWrite, res.Rounds)
	}
}

func TestTwoConcurrentWriters(t *testing.T) {
	d := storetest.ConcurrentWriters(t, reliabilityConfig(t), 500)
	t.Logf("sqlite: two processes appended 500 events each in %v", d.Round(time.Millisecond))
}

// TestFileModes: a new database and its WAL and SHM files are 0600; an
// existing one that others can read opens with a warning that names it.
func TestFileModes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "incidents.db")
	s := open(t, path)
	if _, err := s.Declare(context.Background(), incidents.Declaration{Key: "k", Author: "a", Title: "t"}); err != nil {
		t.Fatal(err)
	}
	if len(s.Warnings()) != 0 {
		t.Fatalf("warnings on a new file: %v", s.Warnings())
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if m := info.Mode().Perm(); m != 0o600 {
			t.Errorf("%s mode %04o, want 0600", filepath.Base(p), m)
		}
	}
	s.Close()
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	s = open(t, path)
	if w := s.Warnings(); len(w) != 1 || !strings.Contains(w[0], path) || !strings.Contains(w[0], "0644") {
		t.Fatalf("warnings %v, want one naming %s and 0644", w, path)
	}
}
