package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/sqlite"
	"github.com/reltui/reltui/incidents/storetest"
)

// TestIncidentStatsOverSeededHistory: `incident stats` reports MTTI,
// recurrence by category and service and change failure rate equal to the
// numbers worked out by hand (storetest.CheckReliability) for the seeded
// history, in JSON and in text.
func TestIncidentStatsOverSeededHistory(t *testing.T) {
	dir := isolate(t)
	s, err := sqlite.Open(context.Background(), filepath.Join(dir, "data", "reltui", "incidents.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := storetest.SeedHistory(t, s)
	s.Close()
	args := []string{"incident", "stats", "--from", h.From.Format(time.RFC3339), "--to", h.To.Format(time.RFC3339), "--recur-within", "7d"}
	out, _ := cli(t, 0, append(args, "-o", "json")...)
	var r incidents.Reliability
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("stats json: %v\n%s", err, out)
	}
	storetest.CheckReliability(t, r)
	text, _ := cli(t, 0, args...)
	for _, want := range []string{
		"4 incidents started between 2026-03-14T09:00:00Z and 2026-04-13T09:00:00Z (left out: 1 drill)",
		"recurred 2 of 4 (50.0%) [0 of 2 (0.0%)]",
		"change failure rate: 33.3% (2 of 6 deploys) [100.0% (1 of 1)]",
		"rollbacks: 1 of 6 deploys (16.7%) [0 of 1 (0.0%)]",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("stats text lacks %q:\n%s", want, text)
		}
	}
	if !regexp.MustCompile(`payments +4 +2 +50\.0% +100\.0% +1 +0\n`).MatchString(text) {
		t.Errorf("stats text lacks payments' deploys, failures and rollbacks:\n%s", text)
	}
	if !regexp.MustCompile(`MTTI +3 +46m40s +30m00s +1h30m`).MatchString(text) {
		t.Errorf("stats text MTTI row wrong:\n%s", text)
	}
}

// TestIncidentAuthor: --as wins, then the config's user:, then the OS
// user; every write says which it used.
func TestIncidentAuthor(t *testing.T) {
	dir := isolate(t)
	_, errOut := cli(t, 0, "incident", "declare", "--title", "one")
	if !strings.Contains(errOut, "recorded as tester (from the OS user") {
		t.Fatalf("fallback: %q", errOut)
	}
	_, errOut = cli(t, 0, "incident", "note", "1", "hello", "--as", "alice")
	if !strings.Contains(errOut, "recorded as alice (from --as)") {
		t.Fatalf("--as: %q", errOut)
	}
	cfg := filepath.Join(dir, "config.yaml")
	body := "contexts:\n  dev:\n    loki: {url: http://127.0.0.1:1}\nuser: carol\nincidents:\n  path: " + filepath.Join(dir, "data", "reltui", "incidents.db") + "\n  categories: [deployment, vendor]\n"
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut = cli(t, 0, "--config", cfg, "incident", "set", "1", "--category", "vendor")
	if !strings.Contains(errOut, "recorded as carol (from the config's user:)") {
		t.Fatalf("config user: %q", errOut)
	}
	// The config's list replaces the defaults.
	_, errOut = cli(t, 2, "--config", cfg, "incident", "set", "1", "--category", "capacity")
	if !strings.Contains(errOut, "not one of deployment, vendor") {
		t.Fatalf("category outside the config's list: %q", errOut)
	}
	v := showJSON(t, "1")
	if v.Category != "vendor" || v.Events[len(v.Events)-1].Author != "carol" || v.Events[len(v.Events)-2].Author != "alice" || v.DeclaredBy != "tester" {
		t.Fatalf("authors/category: %+v", v)
	}
}

// TestIncidentFollowUpsDeploysAndClocks drives the new commands end to
// end through the CLI.
func TestIncidentFollowUpsDeploysAndClocks(t *testing.T) {
	isolate(t)
	b := baseTime()
	cli(t, 0, "incident", "deploy", "--service", "payments", "--version", "v42", "--at", at(b.Add(-20*time.Minute)))
	cli(t, 0, "incident", "declare", "--title", "after deploy", "--service", "payments", "--started", at(b), "--detected", at(b.Add(3*time.Minute)))
	out, _ := cli(t, 0, "incident", "show", "1")
	if !strings.Contains(out, "suggested: deploy #1 payments v42") || !strings.Contains(out, "20m00s before impact began (reltui incident link 1 1)") {
		t.Fatalf("show lacks the deploy suggestion:\n%s", out)
	}
	cli(t, 0, "incident", "link", "1", "1")
	cli(t, 0, "incident", "mark", "1", "identified", "--at", at(b.Add(12*time.Minute)))
	cli(t, 0, "incident", "note", "1", "paged the DBA", "--at", at(b.Add(5*time.Minute)))
	cli(t, 0, "incident", "followup", "add", "1", "canary deploys for payments", "--owner", "erin", "--due", "2099-01-31")
	cli(t, 0, "incident", "followup", "add", "1", "alert on queue depth")
	cli(t, 0, "incident", "followup", "done", "1", "8")
	v := showJSON(t, "1")
	if v.MTTISeconds == nil || *v.MTTISeconds != 720 || len(v.Deploys) != 1 || len(v.SuggestedDeploys) != 0 || len(v.FollowUps) != 2 {
		t.Fatalf("view: mtti %v deploys %+v suggested %+v follow-ups %+v", v.MTTISeconds, v.Deploys, v.SuggestedDeploys, v.FollowUps)
	}
	out, _ = cli(t, 0, "incident", "followup", "list", "-o", "json")
	var open []incidents.DueFollowUp
	if err := json.Unmarshal([]byte(out), &open); err != nil || len(open) != 1 || open[0].FollowUp.Action != "canary deploys for payments" {
		t.Fatalf("open follow-ups %v %s", err, out)
	}
	md, _ := cli(t, 0, "incident", "export", "1")
	for _, want := range []string{"| 7 | canary deploys for payments | erin | 2099-01-31 | open |", "| 8 | alert on queue depth | - | - | done |",
		"| " + incidents.FormatTime(b.Add(5*time.Minute)) + " |", "| Linked deploys | #1 payments v42"} {
		if !strings.Contains(md, want) {
			t.Errorf("export lacks %q:\n%s", want, md)
		}
	}
	_, errOut := cli(t, 1, "incident", "followup", "done", "1", "99")
	if !strings.Contains(errOut, "no follow-up #99") {
		t.Fatalf("unknown follow-up: %q", errOut)
	}
}
