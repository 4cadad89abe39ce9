package incidents

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
)

// EvidenceKind says what a piece of evidence shows.
type EvidenceKind string

// The evidence kinds.
const (
	EvidenceLog   EvidenceKind = "log"
	EvidenceSpan  EvidenceKind = "span"
	EvidenceChart EvidenceKind = "chart"
	EvidenceQuery EvidenceKind = "query"
)

// Evidence is what was seen, frozen at the moment it was attached: the
// query and window that find it again, and a sanitized text snapshot in
// case the backend has forgotten by the time of the postmortem.
type Evidence struct {
	Kind EvidenceKind `json:"kind"`
	// Source is the backend: loki, prometheus, alertmanager, jaeger.
	Source string    `json:"source,omitempty"`
	Query  string    `json:"query,omitempty"`
	From   time.Time `json:"from,omitzero"`
	To     time.Time `json:"to,omitzero"`
	// Snapshot is sanitized text (sanitize.Text) of what was on screen.
	Snapshot string `json:"snapshot,omitempty"`
	// Link opens the same query in Grafana Explore; may be empty.
	Link string `json:"link,omitempty"`
}

// ExploreLink builds a Grafana Explore URL that reruns e's query over its
// window on the datasource with UID datasource. It returns "" when there is
// no Grafana URL, no datasource or no query, since a link that opens an
// empty Explore is worse than none.
func ExploreLink(grafanaURL string, orgID int, datasource string, e Evidence) string {
	base := strings.TrimRight(strings.TrimSpace(grafanaURL), "/")
	if base == "" || datasource == "" || e.Query == "" {
		return ""
	}
	if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	q := map[string]any{"refId": "A", "datasource": map[string]string{"uid": datasource}}
	if e.Kind == EvidenceSpan {
		q["query"] = e.Query // trace datasources take the trace id as "query"
	} else {
		q["expr"] = e.Query
	}
	rng := map[string]string{"from": "now-1h", "to": "now"}
	if !e.From.IsZero() {
		rng["from"] = strconv.FormatInt(e.From.UnixMilli(), 10)
	}
	if !e.To.IsZero() {
		rng["to"] = strconv.FormatInt(e.To.UnixMilli(), 10)
	}
	panes, _ := json.Marshal(map[string]any{"reltui": map[string]any{
		"datasource": datasource,
		"queries":    []any{q},
		"range":      rng,
	}})
	v := url.Values{}
	v.Set("schemaVersion", "1")
	v.Set("panes", string(panes))
	if orgID > 0 {
		v.Set("orgId", strconv.Itoa(orgID))
	}
	return base + "/explore?" + v.Encode()
}

// Grafana says where Explore links point. The zero value makes no links.
type Grafana struct {
	URL   string
	OrgID int
	// Datasource is the UID of the Prometheus datasource alerts chart on.
	Datasource string
}

// FromAlertLinked is FromAlert with an Explore link on the evidence when
// g names a Grafana. The CLI's --from-alert and the console's Alerts pane
// both declare through it, so the two record the same thing.
func FromAlertLinked(a sources.Alert, now time.Time, g Grafana) Declaration {
	d := FromAlert(a, now)
	for i := range d.Evidence {
		d.Evidence[i].Link = ExploreLink(g.URL, g.OrgID, g.Datasource, d.Evidence[i])
	}
	return d
}

// AlertWindow is how far before an alert's ActiveAt its evidence window
// starts, so the chart shows the lead-up as well as the firing.
const AlertWindow = 30 * time.Minute

// FromAlert prefills a declaration from an alert: started and detected at
// the alert's ActiveAt (the alert is the detection; the commander moves
// started earlier, with a reason, once impact is known to have begun
// sooner), title, severity and service from its labels and annotations,
// and the alert itself as evidence. Key and Author are left to the caller.
func FromAlert(a sources.Alert, now time.Time) Declaration {
	name := sanitize.Line(a.Name)
	if name == "" {
		name = "alert " + sanitize.Line(a.Fingerprint)
	}
	title := name
	if s := sanitize.Line(a.Annotations["summary"]); s != "" {
		title += ": " + s
	}
	d := Declaration{
		Title:    truncateRunes(strings.TrimSpace(title), MaxTitle),
		Severity: severityFromLabel(a.Labels["severity"]),
		Started:  a.ActiveAt,
		Detected: a.ActiveAt,
	}
	if s := strings.TrimSpace(sanitize.Line(a.Labels["service"])); s != "" && !strings.Contains(s, ",") {
		d.Services = []string{s}
	}
	ev := Evidence{
		Kind:     EvidenceChart,
		Source:   a.Source,
		Query:    alertsQuery(a),
		To:       now,
		Snapshot: alertSnapshot(a),
	}
	if !a.ActiveAt.IsZero() {
		ev.From = a.ActiveAt.Add(-AlertWindow)
	}
	d.Evidence = []Evidence{ev}
	return d
}

// severityFromLabel maps common alert severity labels. SEV1 is never
// inferred: that call belongs to a person.
func severityFromLabel(l string) Severity {
	if s, err := ParseSeverity(l); err == nil && l != "" {
		return s
	}
	switch strings.ToLower(strings.TrimSpace(l)) {
	case "critical", "page", "p1":
		return "SEV2"
	case "error", "warning", "high", "p2":
		return "SEV3"
	case "info", "low", "p3", "p4":
		return "SEV4"
	}
	return DefaultSeverity
}

var promLabelName = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)

// alertsQuery is the PromQL for the alert's ALERTS series, which charts
// exactly when it was pending and firing.
func alertsQuery(a sources.Alert) string {
	if a.Name == "" {
		return ""
	}
	keys := make([]string, 0, len(a.Labels))
	for k := range a.Labels {
		if k != "alertname" && k != "alertstate" && promLabelName.MatchString(k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := []string{"alertname=" + strconv.Quote(a.Name)}
	for _, k := range keys {
		parts = append(parts, k+"="+strconv.Quote(a.Labels[k]))
	}
	return "ALERTS{" + strings.Join(parts, ", ") + "}"
}

func alertSnapshot(a sources.Alert) string {
	var b strings.Builder
	fmt.Fprintf(&b, "alert %s (%s) from %s\n", a.Name, a.State, a.Source)
	if !a.ActiveAt.IsZero() {
		fmt.Fprintf(&b, "active since %s\n", FormatTime(a.ActiveAt))
	}
	if a.Value != "" {
		fmt.Fprintf(&b, "value %s\n", a.Value)
	}
	if a.Fingerprint != "" {
		fmt.Fprintf(&b, "fingerprint %s\n", a.Fingerprint)
	}
	for _, m := range []struct {
		name string
		kv   map[string]string
	}{{"label", a.Labels}, {"annotation", a.Annotations}} {
		keys := make([]string, 0, len(m.kv))
		for k := range m.kv {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "%s %s=%s\n", m.name, k, m.kv[k])
		}
	}
	return sanitize.Text(strings.TrimRight(b.String(), "\n"))
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
