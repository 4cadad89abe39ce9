// Package storeopen opens the incident store a config's incidents: block
// describes: the team's PostgreSQL, or a SQLite file, by default the one
// under $XDG_DATA_HOME/reltui, so incidents work with no setup. The CLI,
// the console and `reltui serve` open their store through it.
package storeopen

import (
	"context"
	"fmt"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/postgres"
	"github.com/reltui/reltui/incidents/sqlite"
)

// Open opens the store in describes (nil: no incidents: block, the
// default SQLite file). env resolves the DSN's secret and the default
// path. warnings are what the SQLite store noticed about its file (such
// as a mode others can read), for the caller to print; errors say which
// store could not be opened and why, in one line.
func Open(ctx context.Context, in *config.Incidents, env config.Env) (s incidents.Store, warnings []string, err error) {
	if in != nil && in.Driver == "postgres" {
		dsn, err := in.DSN.Value(env)
		if err != nil {
			return nil, nil, fmt.Errorf("incidents.dsn: %w", err)
		}
		s, err := postgres.Open(ctx, dsn, postgres.Options{})
		if err != nil {
			return nil, nil, fmt.Errorf("open the PostgreSQL incident store: %w", err)
		}
		return s, nil, nil
	}
	path := ""
	if in != nil {
		path = in.Path
	}
	if path == "" {
		if path, err = sqlite.DefaultPath(env.Getenv); err != nil {
			return nil, nil, err
		}
	}
	ls, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		return nil, nil, fmt.Errorf("open the incident store %s: %w", path, err)
	}
	return ls, ls.Warnings(), nil
}

// Configured opens the store only when f names one (an incidents:
// block); s is nil otherwise. Readers that must not create the default
// SQLite file as a side effect (`reltui slo`) open through it.
func Configured(ctx context.Context, f *config.File, env config.Env) (s incidents.Store, warnings []string, err error) {
	if f == nil || f.Incidents == nil {
		return nil, nil, nil
	}
	return Open(ctx, f.Incidents, env)
}
