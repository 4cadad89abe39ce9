//go:build integration

package postgres

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/storetest"
)

// freshSchema is an empty schema of the dev PostgreSQL for one test.
func freshSchema(t *testing.T) string { return storetest.PostgresSchema(t) }

func open(t *testing.T, dsn string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) incidents.Store { return open(t, freshSchema(t)) })
}

func TestEventsAreAppendOnly(t *testing.T) {
	s := open(t, freshSchema(t))
	ctx := context.Background()
	inc, err := s.Declare(ctx, incidents.Declaration{Key: "k", Author: "a", Title: "t"})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE events SET text = 'rewritten' WHERE incident_id = $1`,
		`DELETE FROM events WHERE incident_id = $1`,
		`DELETE FROM incidents WHERE id = $1`,
		`UPDATE incidents SET created_at = created_at WHERE id = $1`,
	} {
		_, err := s.Pool().Exec(ctx, q, inc.ID)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v, want the append-only trigger to refuse", q, err)
		}
	}
	if _, err := s.Pool().Exec(ctx, `TRUNCATE events`); err == nil {
		t.Error("TRUNCATE events was allowed")
	}
	if got, _ := s.Get(ctx, inc.ID); len(got.Events) != 3 {
		t.Fatalf("%d events left", len(got.Events))
	}
}

func TestMigrations(t *testing.T) {
	dsn := freshSchema(t)
	ctx := context.Background()
	// Concurrent first opens apply each migration once.
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		go func() {
			s, err := Open(ctx, dsn, Options{})
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
	s := open(t, dsn)
	if v, err := s.SchemaVersion(ctx); err != nil || v != 4 {
		t.Fatalf("schema version %d, %v", v, err)
	}
	if _, err := s.Pool().Exec(ctx, `INSERT INTO schema_migrations VALUES (99, 'future', now())`); err != nil {
		t.Fatal(err)
	}
	_, err := Open(ctx, dsn, Options{})
	if !errors.Is(err, incidents.ErrConflict) || !strings.Contains(err.Error(), "upgrade reltui") {
		t.Fatalf("newer schema: %v", err)
	}
}

// TestWatchSeesOtherConnections: a commit through a different pool (as
// from another machine) reaches the feed via NOTIFY well before the
// safety poll would have found it.
func TestWatchSeesOtherConnections(t *testing.T) {
	dsn := freshSchema(t)
	a, b := open(t, dsn), open(t, dsn)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	inc, err := a.Declare(ctx, incidents.Declaration{Key: "w", Author: "a", Title: "watch"})
	if err != nil {
		t.Fatal(err)
	}
	feed, err := a.Watch(ctx, inc.ID, 3)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * SafetyPoll / 2) // let the first safety poll pass
	began := time.Now()
	if _, err := b.Append(ctx, inc.ID, incidents.Write{Key: "n", Author: "b", Kind: incidents.KindNote, Text: "from b"}); err != nil {
		t.Fatal(err)
	}
	select {
	case e := <-feed:
		if e.Seq != 4 || e.Text != "from b" {
			t.Fatalf("feed sent %+v", e)
		}
		if d := time.Since(began); d > SafetyPoll/2 {
			t.Fatalf("event arrived after %v: NOTIFY did not wake the feed", d)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no event")
	}
}

func reliabilityConfig(t *testing.T) storetest.Config {
	dsn := freshSchema(t)
	return storetest.Config{
		Target: dsn,
		Open:   func(t *testing.T) incidents.Store { return open(t, dsn) },
		Check:  func(t *testing.T) { amcheck(t, dsn) },
	}
}

// amcheck verifies every B-tree index of the test schema against its heap
// (bt_index_check with heapallindexed) and the heaps themselves
// (verify_heapam): PostgreSQL's counterpart of PRAGMA integrity_check.
func amcheck(t *testing.T, dsn string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// In public, so dropping a test schema does not drop the extension.
	if _, err := conn.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS amcheck SCHEMA public`); err != nil {
		t.Fatalf("amcheck extension: %v", err)
	}
	var indexes int
	err = conn.QueryRow(ctx, `SELECT count(public.bt_index_check(c.oid, true))
		FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_am am ON am.oid = c.relam
		WHERE n.nspname = current_schema() AND am.amname = 'btree'`).Scan(&indexes)
	if err != nil || indexes < 3 {
		t.Fatalf("bt_index_check over %d indexes: %v", indexes, err)
	}
	for _, table := range []string{"incidents", "events"} {
		var problems int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM public.verify_heapam($1::regclass)`, table).Scan(&problems); err != nil || problems != 0 {
			t.Fatalf("verify_heapam(%s): %d problems, %v", table, problems, err)
		}
	}
}

func TestKill9DuringWrites(t *testing.T) {
	res := storetest.Crash(t, reliabilityConfig(t), 200, 1000)
	t.Logf("postgres kill -9: %d rounds (%d killed mid-write, %d before the store was open), %d of %d events written by children that were then killed, %v",
		res.Rounds, res.KilledMidWrite, res.KilledBeforeReady, res.AckedUnderFire, res.Acked, res.Elapsed.Round(time.Millisecond))
	if res.KilledMidWrite < 100 {
		t.Fatalf("only %d of %d kills landed mid-write", res.KilledMidWrite, res.Rounds)
	}
}

func TestTwoConcurrentWriters(t *testing.T) {
	d := storetest.ConcurrentWriters(t, reliabilityConfig(t), 500)
	t.Logf("postgres: two processes appended 500 events each in %v", d.Round(time.Millisecond))
}
