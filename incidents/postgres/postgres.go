// Package postgres is the team incident store: PostgreSQL through pgx. A
// writer locks the incident's row (SELECT ... FOR UPDATE) for the length
// of its transaction, so concurrent writers from any number of machines
// append in one order and every order check sees the latest state.
// Commits NOTIFY a channel that Watch LISTENs on.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/reltui/reltui/incidents"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

var _ incidents.Store = (*Store)(nil)

// Channel is the LISTEN/NOTIFY channel; payloads are "schema:id".
const Channel = "reltui_incidents"

// migrateLock is the advisory lock key that serializes migrations across
// processes ("reltui" in ASCII).
const migrateLock = 0x72656c747569

// SafetyPoll is how often a watch re-reads even without a notification,
// covering notifications lost while its connection was being replaced.
const SafetyPoll = 2 * time.Second

// Store is an incident store in a PostgreSQL schema.
type Store struct {
	pool   *pgxpool.Pool
	schema string
	now    func() time.Time // nil: the server's clock
}

// Options tune Open; the zero value is what the CLI uses.
type Options struct {
	// Now replaces the server's clock (clock_timestamp()) for tests.
	Now func() time.Time
}

// Open connects with dsn (URL or key=value form; a search_path parameter
// selects the schema) and applies pending migrations.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx redacts passwords from parse errors only on a best-effort
		// basis, so its message is not repeated here.
		return nil, fmt.Errorf("%w: the PostgreSQL DSN is not a valid URL or key=value string", incidents.ErrInvalid)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 10 * time.Second
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, mapErr(err)
	}
	s := &Store{pool: pool, now: opts.Now}
	if err := pool.QueryRow(ctx, `SELECT current_schema()`).Scan(&s.schema); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", mapErr(err))
	}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Pool exposes the pool for tests and maintenance.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

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

// migrateOne applies the next pending migration in its own transaction,
// under an advisory lock so concurrent Opens apply it once.
func (s *Store) migrateOne(ctx context.Context, ms []incidents.Migration) (bool, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return false, fmt.Errorf("migrate incident store: %w", mapErr(err))
	}
	defer tx.Rollback(context.Background())
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrateLock)); err != nil {
		return false, fmt.Errorf("migrate incident store: %w", mapErr(err))
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`); err != nil {
		return false, fmt.Errorf("migrate incident store: %w", mapErr(err))
	}
	var have int
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
		return false, fmt.Errorf("migrate incident store: %w", mapErr(err))
	}
	if err := incidents.CheckSchemaVersion(have, ms); err != nil {
		return false, err
	}
	if have == len(ms) {
		return true, mapErr(tx.Commit(ctx))
	}
	m := ms[have]
	if _, err := tx.Exec(ctx, m.SQL); err != nil {
		return false, fmt.Errorf("migration %d (%s): %w", m.Version, m.Name, mapErr(err))
	}
	if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, clock_timestamp())`, m.Version, m.Name); err != nil {
		return false, fmt.Errorf("migration %d (%s): %w", m.Version, m.Name, mapErr(err))
	}
	if err := tx.Commit(ctx); err != nil {
		return false, fmt.Errorf("migration %d (%s): %w", m.Version, m.Name, mapErr(err))
	}
	return false, nil
}

// SchemaVersion returns the highest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.pool.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, mapErr(err)
}

// write runs fn in a transaction and notifies watchers of incident id
// (from fn) on commit. Transactions that lost a race (serialization
// failure, deadlock, two first attempts of one key) are retried; the
// idempotency key makes the retry return what the winner wrote.
func (s *Store) write(ctx context.Context, fn func(incidents.Tx) (int64, error)) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		if err = s.writeOnce(ctx, fn); err == nil || !retryable(err) || ctx.Err() != nil {
			return mapErr(err)
		}
		time.Sleep(time.Duration(attempt+1) * 20 * time.Millisecond)
	}
	return mapErr(err)
}

func (s *Store) writeOnce(ctx context.Context, fn func(incidents.Tx) (int64, error)) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.Background())
	id, err := fn(&pgTx{tx: tx, now: s.now})
	if err != nil {
		return err
	}
	// NOTIFY is transactional: delivered on commit, dropped on rollback.
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, Channel, s.payload(id)); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

func (s *Store) payload(id int64) string { return s.schema + ":" + strconv.FormatInt(id, 10) }

// Declare implements incidents.Store.
func (s *Store) Declare(ctx context.Context, d incidents.Declaration) (incidents.Incident, error) {
	var id int64
	err := s.write(ctx, func(tx incidents.Tx) (int64, error) {
		var err error
		id, err = incidents.DeclareTx(ctx, tx, d)
		return id, err
	})
	if err != nil {
		return incidents.Incident{}, fmt.Errorf("declare incident: %w", err)
	}
	return s.Get(ctx, id)
}

// Append implements incidents.Store.
func (s *Store) Append(ctx context.Context, id int64, w incidents.Write) (incidents.Event, error) {
	var ev incidents.Event
	err := s.write(ctx, func(tx incidents.Tx) (int64, error) {
		var err error
		ev, err = incidents.AppendTx(ctx, tx, id, w)
		return id, err
	})
	if err != nil {
		return incidents.Event{}, fmt.Errorf("%s: %w", incidents.Ref(id), err)
	}
	return ev, nil
}

// Get implements incidents.Store.
func (s *Store) Get(ctx context.Context, id int64) (incidents.Incident, error) {
	evs, err := queryEvents(ctx, s.pool, `WHERE incident_id = $1 ORDER BY seq`, id)
	if err != nil {
		return incidents.Incident{}, fmt.Errorf("%s: %w", incidents.Ref(id), err)
	}
	if len(evs) == 0 {
		return incidents.Incident{}, fmt.Errorf("%s: %w", incidents.Ref(id), incidents.ErrNotFound)
	}
	return incidents.Build(id, evs), nil
}

// List implements incidents.Store; like the SQLite store it folds every
// event, as the fold is the only definition of an incident's state.
func (s *Store) List(ctx context.Context, f incidents.Filter) ([]incidents.Incident, error) {
	evs, err := queryEvents(ctx, s.pool, `ORDER BY incident_id, seq`)
	if err != nil {
		return nil, fmt.Errorf("list incidents: %w", err)
	}
	return incidents.BuildAll(evs, f), nil
}

// RecordDeploy implements incidents.Store.
func (s *Store) RecordDeploy(ctx context.Context, w incidents.DeployWrite) (incidents.Deploy, error) {
	var d incidents.Deploy
	err := s.write(ctx, func(tx incidents.Tx) (int64, error) {
		var err error
		d, err = incidents.RecordDeployTx(ctx, tx, w)
		return 0, err
	})
	if err != nil {
		return incidents.Deploy{}, fmt.Errorf("record deploy: %w", err)
	}
	return d, nil
}

// Deploys implements incidents.Store.
func (s *Store) Deploys(ctx context.Context, f incidents.DeployFilter) ([]incidents.Deploy, error) {
	ds, err := queryDeploys(ctx, s.pool, `ORDER BY deployed_at, id`)
	if err != nil {
		return nil, fmt.Errorf("list deploys: %w", err)
	}
	return f.Filter(ds), nil
}

// Watch implements incidents.Store with LISTEN on its own connection (a
// pooled one would be held for as long as someone looks at the incident).
// The listener is up before Watch returns, so no commit after the call is
// missed; SafetyPoll covers the gaps while a lost connection is replaced.
func (s *Store) Watch(ctx context.Context, id, after int64) (<-chan incidents.Event, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	conn, err := s.listen(ctx)
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", incidents.Ref(id), err)
	}
	wake := make(chan struct{}, 1)
	go s.notifications(ctx, conn, s.payload(id), wake)
	return incidents.Feed(ctx, after, SafetyPoll, wake, func(ctx context.Context, after int64) ([]incidents.Event, error) {
		return queryEvents(ctx, s.pool, `WHERE incident_id = $1 AND seq > $2 ORDER BY seq`, id, after)
	}), nil
}

func (s *Store) listen(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, mapErr(err)
	}
	if _, err := conn.Exec(ctx, `LISTEN `+pgx.Identifier{Channel}.Sanitize()); err != nil {
		conn.Close(context.Background())
		return nil, mapErr(err)
	}
	return conn, nil
}

// notifications pokes wake for each notification about the watched
// incident, reconnecting (with a pause) whenever the connection fails.
func (s *Store) notifications(ctx context.Context, conn *pgx.Conn, payload string, wake chan<- struct{}) {
	defer func() {
		if conn != nil {
			conn.Close(context.Background())
		}
	}()
	for ctx.Err() == nil {
		if conn == nil {
			var err error
			if conn, err = s.listen(ctx); err != nil {
				conn = nil
				select {
				case <-ctx.Done():
				case <-time.After(time.Second):
				}
				continue
			}
			// Events committed while disconnected: let the feed look.
			poke(wake)
		}
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			conn.Close(context.Background())
			conn = nil
			continue
		}
		if n.Payload == payload {
			poke(wake)
		}
	}
}

func poke(wake chan<- struct{}) {
	select {
	case wake <- struct{}{}:
	default: // a wake-up is already pending; the feed reads everything new
	}
}

// retryable reports whether the transaction lost a race it may win on a
// second try, or failed before anything reached the server.
func retryable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "40001", "40P01": // serialization_failure, deadlock_detected
			return true
		case "23505": // unique_violation: two first attempts of one key
			return pe.ConstraintName == "events_idem_key" || pe.ConstraintName == "deploys_idem_key_key"
		}
		return false
	}
	return pgconn.SafeToRetry(err)
}

// mapErr turns driver errors into incidents errors. Messages keep the
// server's words (never the DSN, which may hold a password).
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	for _, known := range []error{incidents.ErrNotFound, incidents.ErrInvalid, incidents.ErrConflict, incidents.ErrUnavailable, incidents.ErrCorrupt, context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, known) {
			return err
		}
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%w: %w", incidents.ErrNotFound, err)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && len(pe.Code) == 5 {
		switch {
		case pe.Code == "XX001" || pe.Code == "XX002": // data_corrupted, index_corrupted
			return fmt.Errorf("%w: %w", incidents.ErrCorrupt, err)
		case pe.Code[:2] == "23": // integrity constraint violation
			return fmt.Errorf("%w: %w", incidents.ErrConflict, err)
		case pe.Code[:2] == "08", pe.Code[:2] == "28", pe.Code[:2] == "40", pe.Code[:2] == "53", pe.Code[:2] == "57", pe.Code == "3D000":
			// connection, auth, rollback, resources, operator intervention, no such database
			return fmt.Errorf("%w: %w", incidents.ErrUnavailable, err)
		}
		return err
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	if errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || pgconn.Timeout(err) {
		return fmt.Errorf("%w: %w", incidents.ErrUnavailable, err)
	}
	return err
}
