//go:build integration

package storeopen

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/internal/stacktest"
)

// TestOpenPostgresFromTheDSNSecret opens the dev stack's PostgreSQL
// through the incidents: block's DSN secret, in a schema of its own, and
// finds the declared incident's rows there.
func TestOpenPostgresFromTheDSNSecret(t *testing.T) {
	base := stacktest.Require(t).PostgresDSN
	if base == "" {
		t.Fatal("RELTUI_PG_DSN is not in .devstack/stack.env: run scripts/stack/up.sh")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	schema := fmt.Sprintf("reltui_storeopen_test_%d", time.Now().UnixNano())
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+pgx.Identifier{schema}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	defer conn.Exec(context.Background(), `DROP SCHEMA `+pgx.Identifier{schema}.Sanitize()+` CASCADE`)
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	in := &config.Incidents{Driver: "postgres", DSN: &config.Secret{Env: "TEST_DSN"}}
	s, warnings, err := Open(ctx, in, envWith(map[string]string{"TEST_DSN": u.String()}))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(warnings) != 0 {
		t.Errorf("warnings from PostgreSQL: %v", warnings)
	}
	declareOne(t, s)
	inc, err := s.Get(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{schema, "events"}.Sanitize()).Scan(&n); err != nil || n == 0 || n != len(inc.Events) {
		t.Fatalf("%d events in the schema, the store says %d, %v", n, len(inc.Events), err)
	}
}
