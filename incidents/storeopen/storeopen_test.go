package storeopen

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/incidents"
)

// envWith is the process environment with getenv answering vars only.
func envWith(vars map[string]string) config.Env {
	env := config.OSEnv()
	env.Getenv = func(k string) string { return vars[k] }
	return env
}

// declareOne proves s is a working store: a declaration comes back listed.
func declareOne(t *testing.T, s incidents.Store) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.Declare(ctx, incidents.Declaration{Key: "k1", Author: "tester", Title: "opened"}); err != nil {
		t.Fatal(err)
	}
	incs, err := s.List(ctx, incidents.Filter{})
	if err != nil || len(incs) != 1 || incs[0].Title != "opened" {
		t.Fatalf("list: %v %+v", err, incs)
	}
}

func TestOpenDefaultSQLiteUnderXDGDataHome(t *testing.T) {
	dir := t.TempDir()
	s, warnings, err := Open(context.Background(), nil, envWith(map[string]string{"XDG_DATA_HOME": dir}))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	declareOne(t, s)
	info, err := os.Stat(filepath.Join(dir, "reltui", "incidents.db"))
	if err != nil {
		t.Fatalf("the default file was not created: %v", err)
	}
	if m := info.Mode().Perm(); m&0o077 != 0 || len(warnings) != 0 {
		t.Fatalf("a new store file has mode %04o and warnings %v; want owner-only and none", m, warnings)
	}
}

func TestOpenConfiguredPathWarnsAboutAReadableFile(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "team", "incidents.db")
	in := &config.Incidents{Path: db}
	s, _, err := Open(context.Background(), in, envWith(map[string]string{"XDG_DATA_HOME": filepath.Join(dir, "data")}))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(filepath.Join(dir, "data")); err == nil {
		t.Fatal("the default location was used despite incidents.path")
	}
	if err := os.Chmod(db, 0o644); err != nil {
		t.Fatal(err)
	}
	s, warnings, err := Open(context.Background(), in, envWith(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(warnings) != 1 || !strings.Contains(warnings[0], "chmod 600 "+db) {
		t.Fatalf("warnings %q, want one saying chmod 600 %s", warnings, db)
	}
}

func TestOpenSaysWhichStoreFailed(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, c := range []struct {
		name string
		in   *config.Incidents
		env  map[string]string
		want string
	}{
		{"unset dsn", &config.Incidents{Driver: "postgres", DSN: &config.Secret{Env: "RELTUI_TEST_UNSET_DSN"}}, nil,
			"incidents.dsn: environment variable RELTUI_TEST_UNSET_DSN is not set"},
		{"unreachable", &config.Incidents{Driver: "postgres", DSN: &config.Secret{Env: "DSN"}},
			map[string]string{"DSN": "postgres://reltui@127.0.0.1:1/reltui?connect_timeout=5"}, "open the PostgreSQL incident store: "},
		{"no home", nil, map[string]string{}, "XDG_DATA_HOME"},
		{"unwritable", &config.Incidents{Path: "/proc/reltui/incidents.db"}, nil, "open the incident store /proc/reltui/incidents.db: "},
	} {
		s, _, err := Open(ctx, c.in, envWith(c.env))
		if err == nil {
			s.Close()
			t.Errorf("%s: opened", c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %q, want it to say %q", c.name, err, c.want)
		}
	}
}

func TestConfiguredOpensOnlyANamedStore(t *testing.T) {
	dir := t.TempDir()
	env := envWith(map[string]string{"XDG_DATA_HOME": dir})
	for _, f := range []*config.File{nil, {}} {
		s, _, err := Configured(context.Background(), f, env)
		if s != nil || err != nil {
			t.Fatalf("Configured(%+v) = %v, %v; want no store", f, s, err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("asking created %v", entries)
	}
	s, _, err := Configured(context.Background(), &config.File{Incidents: &config.Incidents{}}, env)
	if err != nil || s == nil {
		t.Fatalf("an incidents: block: %v, %v", s, err)
	}
	defer s.Close()
	declareOne(t, s)
}
