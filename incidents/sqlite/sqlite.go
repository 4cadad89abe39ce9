// Package sqlite is the default incident store: one SQLite file, no setup,
// no cgo (modernc.org/sqlite). It runs in WAL mode with synchronous=FULL,
// so a committed write survives a crash of the process or the machine, and
// takes the write lock at BEGIN (BEGIN IMMEDIATE) so concurrent writers,
// in this process or others, queue instead of failing mid-transaction.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/reltui/reltui/incidents"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

var _ incidents.Store = (*Store)(nil)

// BusyTimeout is how long a writer waits for another writer's lock before
// giving up with ErrUnavailable. Writes are milliseconds; ten seconds
// covers a burst of them without hanging a person's command forever.
const BusyTimeout = 10 * time.Second

// Store is an incident store in one SQLite file.
type Store struct {
	db       *sql.DB
	path     string
	now      func() time.Time
	warnings []string
}

// Options tune Open; the zero value is what the CLI uses.
type Options struct {
	// Now is the store's clock (default time.Now). Event times and "now"
	// milestones come from it, never from the request.
	Now func() time.Time
}

// DefaultPath is $XDG_DATA_HOME/reltui/incidents.db, falling back to
// ~/.local/share/reltui/incidents.db as the XDG spec says.
func DefaultPath(getenv func(string) string) (string, error) {
	dir := getenv("XDG_DATA_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home := getenv("HOME")
		if home == "" {
			return "", errors.New("neither XDG_DATA_HOME nor HOME is set; give incidents.path in the config")
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "reltui", "incidents.db"), nil
}

// Open opens (creating if needed) the database at path and applies any
// pending migrations.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("%w: create incident store directory: %v", incidents.ErrUnavailable, err)
	}
	warnings, err := prepareFile(path)
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	// busy_timeout comes first: the other pragmas may need to wait for a
	// lock themselves (switching to WAL does, the first time).
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", BusyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, mapErr(err)
	}
	s := &Store{db: db, path: path, now: opts.Now, warnings: warnings}
	if s.now == nil {
		s.now = time.Now
	}
	if err := s.migrateWhileBusy(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// migrateWhileBusy is migrate, tried again for up to BusyTimeout while the
// database answers SQLITE_BUSY: when several processes open a new file at
// once, SQLite may refuse a connection's switch to WAL at once, without
// waiting out busy_timeout, and a later try succeeds.
func (s *Store) migrateWhileBusy(ctx context.Context) error {
	deadline := time.Now().Add(BusyTimeout)
	for attempt := 1; ; attempt++ {
		err := s.migrate(ctx)
		var se *sqlite.Error
		busy := errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
		if !busy || ctx.Err() != nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(min(time.Duration(attempt)*20*time.Millisecond, 200*time.Millisecond))
	}
}

// FileMode is the mode the database and its -wal and -shm files are
// created with: incident notes can name customers and hold pasted logs,
// so no other local user may read them.
const FileMode os.FileMode = 0o600

// prepareFile creates a missing database file with FileMode (SQLite then
// gives the -wal and -shm files the database's mode), and warns about an
// existing database, WAL or SHM file that group or others can read.
func prepareFile(path string) ([]string, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, FileMode)
	if err == nil {
		return nil, f.Close()
	}
	if !errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("%w: create incident store %s: %v", incidents.ErrUnavailable, path, err)
	}
	var warnings []string
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(p)
		if err != nil {
			continue
		}
		if m := info.Mode().Perm(); m&0o077 != 0 {
			warnings = append(warnings, fmt.Sprintf("%s is readable by group or others (mode %04o); run chmod 600 %s", p, m, p))
		}
	}
	return warnings, nil
}

// Warnings are problems found while opening that did not stop it, such
// as a database file other local users can read.
func (s *Store) Warnings() []string { return s.warnings }

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// DB exposes the handle for tests and maintenance (integrity checks).
func (s *Store) DB() *sql.DB { return s.db }

func (s *Store) migrate(ctx context.Context) error {
	ms, err := incidents.LoadMigrations(migrationFiles, "migrations")
	if err != nil {
		return err
	}
	for {
		done, err := s.migrateOne(ctx, ms)
		if err != nil || done {
			return err
		}
	}
}

// migrateOne applies the next pending migration in its own transaction and
// reports whether none was pending. The version is re-read under the write
// lock, so two processes opening a new file apply each migration once.
func (s *Store) migrateOne(ctx context.Context, ms []incidents.Migration) (bool, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("migrate incident store: %w", mapErr(err))
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT`); err != nil {
		return false, fmt.Errorf("migrate incident store: %w", mapErr(err))
	}
	var have int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
		return false, fmt.Errorf("migrate incident store: %w", mapErr(err))
	}
	if err := incidents.CheckSchemaVersion(have, ms); err != nil {
		return false, err
	}
	if have == len(ms) {
		return true, tx.Commit()
	}
	m := ms[have]
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return false, fmt.Errorf("migration %d (%s): %w", m.Version, m.Name, mapErr(err))
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.Version, m.Name, s.now().UnixMicro()); err != nil {
		return false, fmt.Errorf("migration %d (%s): %w", m.Version, m.Name, mapErr(err))
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("migration %d (%s): %w", m.Version, m.Name, mapErr(err))
	}
	return false, nil
}

// SchemaVersion returns the highest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, mapErr(err)
}

// write runs fn in a write transaction, retrying if the database stayed
// locked past the busy timeout. Retrying is safe because every write
// carries an idempotency key.
func (s *Store) write(ctx context.Context, fn func(incidents.Tx) error) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if err = s.writeOnce(ctx, fn); err == nil || !errors.Is(err, incidents.ErrUnavailable) || ctx.Err() != nil {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 50 * time.Millisecond)
	}
	return err
}

func (s *Store) writeOnce(ctx context.Context, fn func(incidents.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(err)
	}
	defer tx.Rollback()
	if err := fn(&sqlTx{tx: tx, now: s.now}); err != nil {
		return mapErr(err)
	}
	return mapErr(tx.Commit())
}

// Declare implements incidents.Store.
func (s *Store) Declare(ctx context.Context, d incidents.Declaration) (incidents.Incident, error) {
	var id int64
	err := s.write(ctx, func(tx incidents.Tx) (err error) {
		id, err = incidents.DeclareTx(ctx, tx, d)
		return err
	})
	if err != nil {
		return incidents.Incident{}, fmt.Errorf("declare incident: %w", err)
	}
	return s.Get(ctx, id)
}

// Append implements incidents.Store.
func (s *Store) Append(ctx context.Context, id int64, w incidents.Write) (incidents.Event, error) {
	var ev incidents.Event
	err := s.write(ctx, func(tx incidents.Tx) (err error) {
		ev, err = incidents.AppendTx(ctx, tx, id, w)
		return err
	})
	if err != nil {
		return incidents.Event{}, fmt.Errorf("%s: %w", incidents.Ref(id), err)
	}
	return ev, nil
}

// Get implements incidents.Store.
func (s *Store) Get(ctx context.Context, id int64) (incidents.Incident, error) {
	evs, err := queryEvents(ctx, s.db, `WHERE incident_id = ? ORDER BY seq`, id)
	if err != nil {
		return incidents.Incident{}, fmt.Errorf("%s: %w", incidents.Ref(id), err)
	}
	if len(evs) == 0 {
		return incidents.Incident{}, fmt.Errorf("%s: %w", incidents.Ref(id), incidents.ErrNotFound)
	}
	return incidents.Build(id, evs), nil
}

// List implements incidents.Store. It reads every event: the fold is the
// only definition of state, and an incident's start can be moved, so no
// column could filter on it without becoming a second truth.
func (s *Store) List(ctx context.Context, f incidents.Filter) ([]incidents.Incident, error) {
	evs, err := queryEvents(ctx, s.db, `ORDER BY incident_id, seq`)
	if err != nil {
		return nil, fmt.Errorf("list incidents: %w", err)
	}
	return incidents.BuildAll(evs, f), nil
}

// RecordDeploy implements incidents.Store.
func (s *Store) RecordDeploy(ctx context.Context, w incidents.DeployWrite) (incidents.Deploy, error) {
	var d incidents.Deploy
	err := s.write(ctx, func(tx incidents.Tx) (err error) {
		d, err = incidents.RecordDeployTx(ctx, tx, w)
		return err
	})
	if err != nil {
		return incidents.Deploy{}, fmt.Errorf("record deploy: %w", err)
	}
	return d, nil
}

// Deploys implements incidents.Store.
func (s *Store) Deploys(ctx context.Context, f incidents.DeployFilter) ([]incidents.Deploy, error) {
	ds, err := queryDeploys(ctx, s.db, `ORDER BY deployed_at, id`)
	if err != nil {
		return nil, fmt.Errorf("list deploys: %w", err)
	}
	return f.Filter(ds), nil
}

// Watch implements incidents.Store by polling the incident's highest seq
// every incidents.WatchInterval: one primary-key lookup, cheap enough to
// run for every open incident view, and it sees other processes' commits.
func (s *Store) Watch(ctx context.Context, id, after int64) (<-chan incidents.Event, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	return incidents.Feed(ctx, after, incidents.WatchInterval, nil, func(ctx context.Context, after int64) ([]incidents.Event, error) {
		return queryEvents(ctx, s.db, `WHERE incident_id = ? AND seq > ? ORDER BY seq`, id, after)
	}), nil
}

// IntegrityCheck runs PRAGMA integrity_check and returns its complaints,
// or nil when the file is sound.
func (s *Store) IntegrityCheck(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return nil, mapErr(err)
		}
		if line != "ok" {
			out = append(out, line)
		}
	}
	return out, mapErr(rows.Err())
}

// mapErr turns driver errors into incidents errors, keeping the driver's
// message for the person reading it.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	for _, known := range []error{incidents.ErrNotFound, incidents.ErrInvalid, incidents.ErrConflict, incidents.ErrUnavailable, incidents.ErrCorrupt, context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, known) {
			return err
		}
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %w", incidents.ErrNotFound, err)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR,
			sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM:
			return fmt.Errorf("%w: %w", incidents.ErrUnavailable, err)
		case sqlite3.SQLITE_CONSTRAINT:
			return fmt.Errorf("%w: %w", incidents.ErrConflict, err)
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return fmt.Errorf("%w: %w", incidents.ErrCorrupt, err)
		}
	}
	return err
}
