package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/sqlite"
)

// TestDrillWatchRefuses: watch only resumes an undetected drill, and
// names the scenario it could not find.
func TestDrillWatchRefuses(t *testing.T) {
	dir := isolate(t)
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte("contexts:\n  dev:\n    prometheus: {url: http://127.0.0.1:1}\n    drills:\n      - {name: other, alert: A, inject: {command: [\"true\"]}}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cli(t, 0, "--config", cfg, "incident", "declare", "--title", "payments 5xx")
	if _, errOut := cli(t, 1, "--config", cfg, "drill", "watch", "INC-1"); !strings.Contains(errOut, "INC-1 is not a drill") {
		t.Fatalf("watch on an incident: %s", errOut)
	}
	cli(t, 0, "--config", cfg, "incident", "declare", "--title", "drill other", "--kind", "drill")
	if _, errOut := cli(t, 1, "--config", cfg, "drill", "watch", "2"); !strings.Contains(errOut, "INC-2 was already detected") {
		t.Fatalf("watch on a detected drill: %s", errOut)
	}
	s, err := sqlite.Open(context.Background(), filepath.Join(dir, "data", "reltui", "incidents.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Declare(context.Background(), incidents.Declaration{Key: "k", Author: "t", Title: "gone: was removed", Kind: incidents.KindDrill, Started: time.Now().Add(-time.Minute), Undetected: true})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, errOut := cli(t, 2, "--config", cfg, "drill", "watch", "3"); !strings.Contains(errOut, `no drill scenario "gone" (have: other)`) {
		t.Fatalf("watch with no such scenario: %s", errOut)
	}
}
