//go:build integration

package storeopen

import (
	"context"
	"testing"
	"time"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/incidents/storetest"
)

// TestOpenPostgresFromTheDSNSecret opens the dev stack's PostgreSQL
// through the incidents: block's DSN secret, in a schema of its own, and
// reads back what was written there.
func TestOpenPostgresFromTheDSNSecret(t *testing.T) {
	dsn := storetest.PostgresSchema(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	in := &config.Incidents{Driver: "postgres", DSN: &config.Secret{Env: "TEST_DSN"}}
	s, warnings, err := Open(ctx, in, envWith(map[string]string{"TEST_DSN": dsn}))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(warnings) != 0 {
		t.Errorf("warnings from PostgreSQL: %v", warnings)
	}
	declareOne(t, s)
	// A second store on the same DSN sees the incident: it is in
	// PostgreSQL, not in a file.
	again, _, err := Open(ctx, in, envWith(map[string]string{"TEST_DSN": dsn}))
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if inc, err := again.Get(ctx, 1); err != nil || inc.Title != "opened" {
		t.Fatalf("the second store reads %+v, %v", inc, err)
	}
}
