//go:build integration

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/internal/stacktest"
)

// TestIncidentCommandsOnPostgres drives the commands against the dev
// stack's PostgreSQL through the config's incidents block, in a schema of
// its own.
func TestIncidentCommandsOnPostgres(t *testing.T) {
	isolate(t)
	base := stacktest.Require(t).PostgresDSN
	if base == "" {
		t.Fatal("RELTUI_PG_DSN is not in .devstack/stack.env: run scripts/stack/up.sh")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	schema := fmt.Sprintf("reltui_cli_test_%d_%d", time.Now().UnixNano(), rand.IntN(1e6))
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+pgx.Identifier{schema}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	defer conn.Exec(ctx, `DROP SCHEMA `+pgx.Identifier{schema}.Sanitize()+` CASCADE`)
	u, _ := url.Parse(base)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	t.Setenv("RELTUI_TEST_INCIDENTS_DSN", u.String())
	p := writeConfig(t, "contexts:\n  dev:\n    loki: {url: http://127.0.0.1:1}\nincidents:\n  driver: postgres\n  dsn: {env: RELTUI_TEST_INCIDENTS_DSN}\n")

	b := baseTime()
	cli(t, 0, "--config", p, "incident", "declare", "--title", "Checkout latency", "--started", at(b), "--detected", at(b.Add(3*time.Minute)))
	cli(t, 0, "--config", p, "incident", "mark", "1", "mitigated", "--at", at(b.Add(20*time.Minute)))
	cli(t, 0, "--config", p, "incident", "resolve", "1", "--at", at(b.Add(25*time.Minute)))
	_, stderr := cli(t, 1, "--config", p, "incident", "resolve", "1")
	if !strings.Contains(stderr, "already resolved") {
		t.Fatalf("second resolve: %s", stderr)
	}
	out, _ := cli(t, 0, "--config", p, "incident", "show", "1", "-o", "json")
	var v incidents.View
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if v.MTTDSeconds == nil || *v.MTTDSeconds != 180 || v.MTTRSeconds == nil || *v.MTTRSeconds != 1500 || len(v.Events) != 5 {
		t.Fatalf("show: %s", out)
	}
	// The rows are in PostgreSQL, not in a SQLite file.
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{schema, "events"}.Sanitize()).Scan(&n); err != nil || n != 5 {
		t.Fatalf("%d events in PostgreSQL, %v", n, err)
	}
}
