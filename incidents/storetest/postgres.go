package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/reltui/reltui/internal/stacktest"
)

// PostgresSchema creates an empty schema in the dev stack's PostgreSQL and
// returns a DSN whose search_path points at it; the schema is dropped when
// the test ends. It fails the test when the stack is not running.
func PostgresSchema(t *testing.T) string {
	t.Helper()
	base := stacktest.Require(t).PostgresDSN
	if base == "" {
		t.Fatal("RELTUI_PG_DSN is not in .devstack/stack.env: run scripts/stack/up.sh (or scripts/stack/postgres.sh start)")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to the dev PostgreSQL: %v", err)
	}
	defer conn.Close(ctx)
	name := fmt.Sprintf("reltui_test_%d_%d", time.Now().UnixNano(), rand.IntN(1e6))
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			t.Errorf("drop schema %s: %v", name, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), `DROP SCHEMA `+pgx.Identifier{name}.Sanitize()+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}
