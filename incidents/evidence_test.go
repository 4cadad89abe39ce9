package incidents

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

func TestExploreLink(t *testing.T) {
	e := Evidence{Kind: EvidenceLog, Query: `{service="payments"} |= "timeout"`, From: t0, To: t0.Add(time.Hour)}
	link := ExploreLink("https://grafana.example.com/", 3, "loki-uid", e)
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	if u.Host != "grafana.example.com" || u.Path != "/explore" || u.Query().Get("orgId") != "3" || u.Query().Get("schemaVersion") != "1" {
		t.Fatalf("link %s", link)
	}
	var panes map[string]struct {
		Datasource string `json:"datasource"`
		Queries    []struct {
			Expr       string            `json:"expr"`
			Query      string            `json:"query"`
			Datasource map[string]string `json:"datasource"`
		} `json:"queries"`
		Range map[string]string `json:"range"`
	}
	if err := json.Unmarshal([]byte(u.Query().Get("panes")), &panes); err != nil {
		t.Fatalf("panes: %v", err)
	}
	p := panes["reltui"]
	// 2026-05-01T12:00:00Z is 1777636800 s since the epoch.
	if p.Datasource != "loki-uid" || len(p.Queries) != 1 || p.Queries[0].Expr != e.Query || p.Queries[0].Datasource["uid"] != "loki-uid" ||
		p.Range["from"] != "1777636800000" || p.Range["to"] != "1777640400000" {
		t.Fatalf("pane %+v", p)
	}
	span := ExploreLink("http://g:3000", 0, "jaeger", Evidence{Kind: EvidenceSpan, Query: "abc123"})
	if !strings.Contains(span, "%22query%22%3A%22abc123%22") || strings.Contains(span, "orgId") {
		t.Fatalf("span link %s", span)
	}
	for _, empty := range []string{
		ExploreLink("", 1, "ds", e),
		ExploreLink("https://g", 1, "", e),
		ExploreLink("https://g", 1, "ds", Evidence{Kind: EvidenceChart}),
		ExploreLink("ftp://g", 1, "ds", e),
	} {
		if empty != "" {
			t.Errorf("want no link, got %s", empty)
		}
	}
}

func TestFromAlert(t *testing.T) {
	a := sources.Alert{
		Name: "PaymentsErrorBurst", State: "firing", Source: "prometheus", Value: "0.12",
		Labels:      map[string]string{"alertname": "PaymentsErrorBurst", "severity": "page", "service": "payments", "bad-label": "x"},
		Annotations: map[string]string{"summary": "payments is failing \x1b]0;pwned\x07more than 5%"},
		ActiveAt:    t0, Fingerprint: "abc123",
	}
	now := t0.Add(7 * time.Minute)
	d := FromAlert(a, now)
	if d.Title != "PaymentsErrorBurst: payments is failing more than 5%" {
		t.Fatalf("title %q", d.Title)
	}
	if d.Severity != "SEV2" || !d.Started.Equal(t0) || !d.Detected.Equal(t0) || len(d.Services) != 1 || d.Services[0] != "payments" {
		t.Fatalf("declaration %+v", d)
	}
	if len(d.Evidence) != 1 {
		t.Fatal("no evidence")
	}
	ev := d.Evidence[0]
	if ev.Query != `ALERTS{alertname="PaymentsErrorBurst", service="payments", severity="page"}` {
		t.Fatalf("query %s", ev.Query)
	}
	if !ev.From.Equal(t0.Add(-30*time.Minute)) || !ev.To.Equal(now) || ev.Kind != EvidenceChart || ev.Source != "prometheus" {
		t.Fatalf("evidence %+v", ev)
	}
	if strings.Contains(ev.Snapshot, "\x1b") || !strings.Contains(ev.Snapshot, "fingerprint abc123") || !strings.Contains(ev.Snapshot, "label service=payments") {
		t.Fatalf("snapshot %q", ev.Snapshot)
	}
	// What FromAlert produces must pass the same validation as any
	// declaration, or declaring from a real alert would fail.
	d.Key, d.Author = "k", "a"
	if _, err := planDeclare(d, now); err != nil {
		t.Fatalf("FromAlert output rejected: %v", err)
	}
	long := a
	long.Annotations = map[string]string{"summary": strings.Repeat("é", 300)}
	long.Labels = map[string]string{"severity": "sev1"}
	ld := FromAlert(long, now)
	if n := len([]rune(ld.Title)); n != MaxTitle || ld.Severity != "SEV1" || ld.Services != nil {
		t.Fatalf("long title is %d runes, severity %s, services %v", n, ld.Severity, ld.Services)
	}
}

func TestSeverityFromLabel(t *testing.T) {
	for in, want := range map[string]Severity{"critical": "SEV2", "warning": "SEV3", "info": "SEV4", "": DefaultSeverity, "weird": DefaultSeverity, "SEV4": "SEV4"} {
		if got := severityFromLabel(in); got != want {
			t.Errorf("severityFromLabel(%q) = %s, want %s", in, got, want)
		}
	}
}
