package postgres

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/storetest"
)

func TestMain(m *testing.M) {
	storetest.ChildMain(func(ctx context.Context, target string) (incidents.Store, error) {
		return Open(ctx, target, Options{})
	})
	os.Exit(m.Run())
}

func TestBadDSNNeverEchoesThePassword(t *testing.T) {
	for _, dsn := range []string{
		"postgres://reltui:hunter2secret@127.0.0.1:5432/db?sslmode=bogus",
		"host=127.0.0.1 password=hunter2secret port=notaport",
	} {
		_, err := Open(context.Background(), dsn, Options{})
		if !errors.Is(err, incidents.ErrInvalid) || strings.Contains(err.Error(), "hunter2secret") {
			t.Errorf("Open(%q): %v", dsn, err)
		}
	}
}

func TestUnreachableServerIsUnavailable(t *testing.T) {
	// A port that was free a moment ago: connection refused.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	_, err = Open(ctx, fmt.Sprintf("postgres://u:pw-secret@127.0.0.1:%d/db?sslmode=disable", port), Options{})
	if !errors.Is(err, incidents.ErrUnavailable) || strings.Contains(err.Error(), "pw-secret") {
		t.Fatalf("err = %v, want ErrUnavailable without the password", err)
	}
}

func TestMapErr(t *testing.T) {
	cases := []struct {
		code string
		want error
	}{
		{"23505", incidents.ErrConflict},
		{"23503", incidents.ErrConflict},
		{"40001", incidents.ErrUnavailable},
		{"57P01", incidents.ErrUnavailable},
		{"08006", incidents.ErrUnavailable},
		{"3D000", incidents.ErrUnavailable},
		{"XX001", incidents.ErrCorrupt},
	}
	for _, c := range cases {
		err := mapErr(fmt.Errorf("exec: %w", &pgconn.PgError{Code: c.code, Message: "m"}))
		if !errors.Is(err, c.want) {
			t.Errorf("%s -> %v, want %v", c.code, err, c.want)
		}
		var pe *pgconn.PgError
		if !errors.As(err, &pe) {
			t.Errorf("%s: mapping lost the driver error, so retries cannot see it", c.code)
		}
	}
	if err := mapErr(&pgconn.PgError{Code: "42601"}); errors.Is(err, incidents.ErrConflict) || errors.Is(err, incidents.ErrUnavailable) {
		t.Errorf("syntax error mapped to %v", err)
	}
	if !retryable(&pgconn.PgError{Code: "23505", ConstraintName: "events_idem_key"}) || retryable(&pgconn.PgError{Code: "23505", ConstraintName: "events_pkey"}) {
		t.Error("only a race on the idempotency key is retried")
	}
	if !retryable(mapErr(&pgconn.PgError{Code: "40P01"})) {
		t.Error("a deadlock is retried even after mapping")
	}
}
