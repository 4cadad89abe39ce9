package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/reltui/reltui/incidents"
)

// isolate points the incident store at a fresh directory and hides any
// config the developer or the stack scripts have set.
func isolate(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("RELTUI_CONFIG", "")
	t.Setenv("RELTUI_CONTEXT", "")
	t.Setenv("USER", "tester")
	return dir
}

func cli(t *testing.T, wantCode int, args ...string) (string, string) {
	t.Helper()
	code, out, errOut := runCLI(t, args...)
	if code != wantCode {
		t.Fatalf("reltui %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, wantCode, out, errOut)
	}
	return out, errOut
}

func showJSON(t *testing.T, id string) incidents.View {
	t.Helper()
	out, _ := cli(t, 0, "incident", "show", id, "-o", "json")
	var v incidents.View
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("show json: %v\n%s", err, out)
	}
	return v
}

// base is a fixed hour two days ago: inside stats' default 90 days, and
// far enough back that every milestone below is in the past.
func baseTime() time.Time { return time.Now().UTC().Add(-48 * time.Hour).Truncate(time.Hour) }

func at(t time.Time) string { return t.Format(time.RFC3339) }

func TestIncidentLifecycle(t *testing.T) {
	isolate(t)
	b := baseTime()
	out, _ := cli(t, 0, "incident", "declare", "--title", "Payments 5xx", "--severity", "sev2", "--service", "payments", "--commander", "bob", "--started", at(b), "-o", "json")
	var v incidents.View
	if err := json.Unmarshal([]byte(out), &v); err != nil || v.ID != 1 || v.Severity != "SEV2" || v.DeclaredBy != "tester" {
		t.Fatalf("declare: %v %+v", err, v)
	}
	cli(t, 0, "incident", "mark", "INC-1", "detected", "--at", at(b.Add(4*time.Minute)), "--reason", "the alert fired at +4m")
	cli(t, 0, "incident", "mark", "1", "ack", "--at", at(b.Add(6*time.Minute)))
	cli(t, 0, "incident", "note", "1", "rolled back to v41")
	cli(t, 0, "incident", "mark", "1", "mitigated", "--at", at(b.Add(30*time.Minute)))
	out, _ = cli(t, 0, "incident", "resolve", "1", "--at", at(b.Add(50*time.Minute)))
	if !strings.Contains(out, "INC-1 #8: resolved at") {
		t.Fatalf("resolve said %q", out)
	}
	v = showJSON(t, "1")
	// Hand-computed: detected +4m, acknowledged +6m, mitigated +30m,
	// resolved +50m from started.
	for name, c := range map[string]struct {
		got  *float64
		want float64
	}{"mttd": {v.MTTDSeconds, 240}, "mtta": {v.MTTASeconds, 120}, "mttm": {v.MTTMSeconds, 1800}, "mttr": {v.MTTRSeconds, 3000}} {
		if c.got == nil || *c.got != c.want {
			t.Errorf("%s_seconds = %v, want %v", name, c.got, c.want)
		}
	}
	if v.Status != incidents.StatusResolved || len(v.Events) != 8 || !v.Milestones.Resolved.Equal(b.Add(50*time.Minute)) {
		t.Fatalf("show: status %s, %d events, resolved %v", v.Status, len(v.Events), v.Milestones.Resolved)
	}
	// The trail keeps who moved detected, from what, and why.
	moved := v.Events[3]
	if moved.Milestone != incidents.Detected || moved.Text != "the alert fired at +4m" || moved.Author != "tester" {
		t.Fatalf("event 4 = %+v", moved)
	}
	text, _ := cli(t, 0, "incident", "show", "1")
	for _, want := range []string{"INC-1  Payments 5xx", "MTTD 4m00s  MTTA 2m00s  MTTI n/a  MTTM 30m00s  MTTR 50m00s", "detected moved from", "note: rolled back to v41"} {
		if !strings.Contains(text, want) {
			t.Errorf("show text lacks %q:\n%s", want, text)
		}
	}
	list, _ := cli(t, 0, "incident", "list", "--status", "resolved")
	if !strings.Contains(list, "INC-1  SEV2  resolved") || !strings.Contains(list, "50m00s") {
		t.Fatalf("list:\n%s", list)
	}
	if open, _ := cli(t, 0, "incident", "list", "--status", "open"); strings.TrimSpace(open) != "no incidents" {
		t.Fatalf("open list:\n%s", open)
	}
}

func TestIncidentBadInputWritesNothing(t *testing.T) {
	isolate(t)
	b := baseTime()
	cli(t, 0, "incident", "declare", "--title", "t", "--started", at(b), "--detected", at(b))
	cli(t, 0, "incident", "resolve", "1", "--at", at(b.Add(time.Hour)))
	before := showJSON(t, "1")
	cases := []struct {
		code int
		args []string
		want string
	}{
		{1, []string{"incident", "show", "99"}, "INC-99: not found"},
		{1, []string{"incident", "note", "99", "x"}, "not found"},
		{1, []string{"incident", "mark", "INC-99", "ack"}, "not found"},
		{2, []string{"incident", "show", "ninety"}, "not an incident id"},
		{2, []string{"incident", "mark", "1", "ack", "--at", "yesterdayish"}, `--at: invalid time "yesterdayish"`},
		{2, []string{"incident", "mark", "1", "fixed"}, "unknown milestone"},
		{2, []string{"incident", "declare", "--title", "x", "--started", "soonish"}, "--started: invalid time"},
		{1, []string{"incident", "mark", "1", "mitigated", "--at", at(b.Add(-time.Minute))}, "would be before detected"},
		{1, []string{"incident", "mark", "1", "started", "--at", at(b.Add(2 * time.Hour)), "--reason", "typo"}, "milestones must be in order"},
		{2, []string{"incident", "mark", "1", "ack", "--at", "in 1h"}, "--at: invalid time"},
		{1, []string{"incident", "resolve", "1"}, "already resolved"},
		{1, []string{"incident", "mark", "1", "detected", "--at", at(b)}, "needs a reason"},
		{1, []string{"incident", "mark", "1", "ack", "--at", at(time.Now().Add(48 * time.Hour))}, "in the future"},
		{2, []string{"incident", "declare"}, "declare needs --title"},
		{2, []string{"incident", "declare", "--title", "x", "--severity", "urgent"}, "--severity"},
		{2, []string{"incident", "note", "1", "  "}, "the note is empty"},
		{2, []string{"incident", "list", "--status", "burning"}, "--status"},
		{2, []string{"incident", "show", "1", "-o", "yaml"}, "--output"},
		{2, []string{"incident", "export", "1", "--format", "pdf"}, "--format"},
		{2, []string{"incident", "stats", "--since", "forever"}, "--since"},
		{2, []string{"incident", "note", "1"}, "needs an incident id and the note text"},
	}
	for _, c := range cases {
		code, _, stderr := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d mentioning %q", c.args, code, stderr, c.code, c.want)
		}
		if strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v: error is not one line: %q", c.args, stderr)
		}
	}
	after := showJSON(t, "1")
	if len(after.Events) != len(before.Events) {
		t.Fatalf("rejected commands wrote %d events", len(after.Events)-len(before.Events))
	}
	out, _ := cli(t, 0, "incident", "list", "-o", "json")
	var all []incidents.View
	if err := json.Unmarshal([]byte(out), &all); err != nil || len(all) != 1 || all[0].Events != nil {
		t.Fatalf("list json: %v %s", err, out)
	}
}

func TestIncidentIdempotencyKey(t *testing.T) {
	isolate(t)
	cli(t, 0, "incident", "declare", "--title", "t", "--idempotency-key", "decl-1")
	cli(t, 0, "incident", "declare", "--title", "t", "--idempotency-key", "decl-1")
	cli(t, 0, "incident", "note", "1", "one", "--idempotency-key", "n-1")
	out, _ := cli(t, 0, "incident", "note", "1", "one", "--idempotency-key", "n-1", "-o", "json")
	var ev incidents.Event
	if err := json.Unmarshal([]byte(out), &ev); err != nil || ev.Seq != 4 {
		t.Fatalf("replayed note: %v %+v", err, ev)
	}
	_, stderr := cli(t, 1, "incident", "note", "1", "two", "--idempotency-key", "n-1")
	if !strings.Contains(stderr, "already used for a different request") {
		t.Fatalf("reused key: %s", stderr)
	}
	if v := showJSON(t, "1"); len(v.Events) != 4 {
		t.Fatalf("%d events, want 4", len(v.Events))
	}
	if list, _ := cli(t, 0, "incident", "list"); strings.Count(list, "INC-") != 1 {
		t.Fatalf("replayed declare made a second incident:\n%s", list)
	}
}

func TestIncidentStats(t *testing.T) {
	isolate(t)
	b := baseTime()
	for i, c := range []struct{ detect, resolve time.Duration }{{2 * time.Minute, 30 * time.Minute}, {4 * time.Minute, 90 * time.Minute}} {
		st := b.Add(time.Duration(i) * time.Hour)
		cli(t, 0, "incident", "declare", "--title", fmt.Sprint("inc ", i), "--service", "api", "--started", at(st))
		id := fmt.Sprint(i + 1)
		cli(t, 0, "incident", "mark", id, "detected", "--at", at(st.Add(c.detect)), "--reason", "paged")
		cli(t, 0, "incident", "resolve", id, "--at", at(st.Add(c.resolve)))
	}
	// An incident that started before the period is left out.
	cli(t, 0, "incident", "declare", "--title", "old", "--started", at(time.Now().Add(-100*24*time.Hour)))
	out, _ := cli(t, 0, "incident", "stats", "-o", "json")
	var r incidents.ReportView
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	// MTTD over 2m and 4m; MTTR over 30m and 90m (nearest-rank p90 of two
	// values is the larger).
	check := func(name string, s incidents.SummaryView, n int, mean, median, p90 float64) {
		if s.Count != n || s.Mean == nil || *s.Mean != mean || *s.Median != median || *s.P90 != p90 {
			t.Errorf("%s = %+v, want n=%d mean %v median %v p90 %v", name, s, n, mean, median, p90)
		}
	}
	if r.Count != 2 {
		t.Fatalf("count %d, want 2", r.Count)
	}
	check("mttd", r.MTTD, 2, 180, 180, 240)
	check("mttr", r.MTTR, 2, 3600, 3600, 5400)
	if r.MTTA.Count != 0 || r.MTTA.Mean != nil {
		t.Errorf("mtta should be empty: %+v", r.MTTA)
	}
	check("api mttr", r.ByService["api"].MTTR, 2, 3600, 3600, 5400)
	if r.BySeverity["SEV3"].Count != 2 {
		t.Errorf("by severity: %+v", r.BySeverity)
	}
	text, _ := cli(t, 0, "incident", "stats", "--since", "7d")
	if !strings.Contains(text, "MTTR    2  1h00m  1h00m   1h30m") {
		t.Errorf("stats text:\n%s", text)
	}
}

func TestIncidentExportMarkdown(t *testing.T) {
	isolate(t)
	b := baseTime()
	cli(t, 0, "incident", "declare", "--title", "Queue | backlog", "--started", at(b))
	cli(t, 0, "incident", "note", "1", "consumer \x1b[31mstuck\x1b[0m")
	md, _ := cli(t, 0, "incident", "export", "1", "--format", "markdown")
	for _, want := range []string{"# INC-1: Queue | backlog", "## Summary", "## Impact", "## MTTx", "## Timeline", "## Evidence", "## Action items", "note: consumer stuck"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	if strings.Contains(md, "\x1b") {
		t.Error("escape sequence reached the export")
	}
	if rows := strings.Count(md, "\n| 4 |"); rows != 1 {
		t.Errorf("timeline row for event 4 appears %d times", rows)
	}
	text, _ := cli(t, 0, "incident", "show", "1")
	if strings.Contains(text, "\x1b") {
		t.Error("escape sequence reached show")
	}
	js, _ := cli(t, 0, "incident", "export", "1", "--format", "json")
	var v incidents.View
	if err := json.Unmarshal([]byte(js), &v); err != nil || len(v.Events) != 4 {
		t.Fatalf("export json: %v", err)
	}
}

func TestIncidentStoreFromConfig(t *testing.T) {
	dir := isolate(t)
	db := filepath.Join(dir, "team", "incidents.db")
	p := writeConfig(t, "contexts:\n  dev:\n    loki: {url: http://127.0.0.1:1}\nincidents:\n  path: "+db+"\n")
	cli(t, 0, "--config", p, "incident", "declare", "--title", "x")
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("the configured path was not used: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "reltui", "incidents.db")); err == nil {
		t.Fatal("the default path was used despite the config")
	}
	bad := writeConfig(t, "contexts:\n  dev:\n    loki: {url: http://127.0.0.1:1}\nincidents:\n  driver: postgres\n  dsn: {env: RELTUI_TEST_UNSET_DSN}\n")
	_, stderr := cli(t, 1, "--config", bad, "incident", "list")
	if !strings.Contains(stderr, "incidents.dsn.env: environment variable RELTUI_TEST_UNSET_DSN is not set") {
		t.Fatalf("stderr: %s", stderr)
	}
}

// TestIncidentDeclareFromAlert uses a fake Prometheus: the dev stack's
// alerts fire only under injected faults, which other tests share.
func TestIncidentDeclareFromAlert(t *testing.T) {
	isolate(t)
	active := time.Now().UTC().Add(-7 * time.Minute).Truncate(time.Second)
	labels := model.LabelSet{"alertname": "PaymentsErrorBurst", "service": "payments", "severity": "page"}
	prom := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/alerts" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprintf(w, `{"status":"success","data":{"alerts":[{"labels":{"alertname":"PaymentsErrorBurst","service":"payments","severity":"page"},
			"annotations":{"summary":"payments is failing"},"state":"firing","activeAt":%q,"value":"1.2e-01"}]}}`, active.Format(time.RFC3339))
	}))
	defer prom.Close()
	p := writeConfig(t, "contexts:\n  dev:\n    prometheus: {url: "+prom.URL+"}\n    grafana: {url: https://grafana.example.com, org_id: 2, prometheus_datasource: prom-uid}\n")
	fp := labels.Fingerprint().String()
	out, _ := cli(t, 0, "--config", p, "incident", "declare", "--from-alert", fp, "-o", "json")
	var v incidents.View
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if v.Title != "PaymentsErrorBurst: payments is failing" || v.Severity != "SEV2" || !v.Milestones.Started.Equal(active) || len(v.Services) != 1 {
		t.Fatalf("declared %+v", v)
	}
	var ev *incidents.Evidence
	for _, e := range v.Events {
		if e.Kind == incidents.KindEvidence {
			ev = e.Evidence
		}
	}
	if ev == nil || ev.Source != "prometheus" || !strings.HasPrefix(ev.Link, "https://grafana.example.com/explore?") || !strings.Contains(ev.Snapshot, "fingerprint "+fp) {
		t.Fatalf("evidence %+v", ev)
	}
	u, _ := url.Parse(ev.Link)
	if !strings.Contains(u.Query().Get("panes"), `"uid":"prom-uid"`) || u.Query().Get("orgId") != "2" {
		t.Fatalf("link %s", ev.Link)
	}
	_, stderr := cli(t, 1, "--config", p, "incident", "declare", "--from-alert", "0000000000000000")
	if !strings.Contains(stderr, "no firing or pending alert has fingerprint 0000000000000000") {
		t.Fatalf("unknown fingerprint: %s", stderr)
	}
	if list, _ := cli(t, 0, "--config", p, "incident", "list"); strings.Count(list, "INC-") != 1 {
		t.Fatalf("a failed declare wrote an incident:\n%s", list)
	}
}

func FuzzParseMark(f *testing.F) {
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	for _, s := range [][3]string{{"42", "ack", ""}, {"INC-7", "resolved", "15m ago"}, {"1", "started", "2026-11-22 09:58"}, {"x", "y", "z"}, {"1", "detected", "1763805845"}} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, ref, milestone, at string) {
		id, m, when, err := parseMark(ref, milestone, at, now)
		if err != nil {
			if code := err.(*exitError).code; code != 2 {
				t.Fatalf("bad input must be a usage error, got exit %d", code)
			}
			return
		}
		if id <= 0 {
			t.Fatalf("id %d from %q", id, ref)
		}
		if _, perr := incidents.ParseMilestone(string(m)); perr != nil || string(m) == "" {
			t.Fatalf("milestone %q from %q", m, milestone)
		}
		if at == "" && !when.IsZero() {
			t.Fatal("no --at must mean the store's now (zero time)")
		}
		if at != "" && (when.IsZero() || when.After(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC))) {
			t.Fatalf("time %v from %q", when, at)
		}
	})
}
