package links

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

var (
	from = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	to   = from.Add(15 * time.Minute)
)

// Each link is parsed back: the query, the datasource and the range must
// survive, including queries full of characters URLs and JSON escape.
func TestExploreRoundTrip(t *testing.T) {
	g := Grafana{URL: "https://grafana.example.com/", OrgID: 3}
	queries := []string{
		`sum by (level) (count_over_time({service="payments"} |= "a&b=c#d" [5m]))`,
		`{app="x"} |~ "\"quoted\" % + ? / é 日本"`,
		`_stream:{service="checkout"} "req-42" | stats by (level) count()`,
	}
	for _, q := range queries {
		link := Explore(g, ExplorePane{Datasource: "loki-uid", Expr: q, From: from, To: to})
		if !strings.HasPrefix(link, "https://grafana.example.com/explore?") {
			t.Fatalf("link %q", link)
		}
		u, _ := url.Parse(link)
		if u.Query().Get("orgId") != "3" || u.Query().Get("schemaVersion") != "1" {
			t.Errorf("org or schema lost: %s", link)
		}
		ps, err := ParseExplore(link)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 1 || ps[0].Datasource != "loki-uid" || ps[0].Expr != q || !ps[0].From.Equal(from) || !ps[0].To.Equal(to) {
			t.Errorf("round trip of %q: %+v", q, ps)
		}
	}
	// A split view: logs beside a trace.
	link := Explore(g, ExplorePane{Datasource: "logs", Expr: `{a="b"} |= "req-1"`, From: from, To: to},
		ExplorePane{Datasource: "jaeger-uid", TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", From: from, To: to})
	ps, err := ParseExplore(link)
	if err != nil || len(ps) != 2 {
		t.Fatalf("split: %v %+v", err, ps)
	}
	if ps[1].Datasource != "jaeger-uid" || ps[1].TraceID != "4bf92f3577b34da6a3ce929d0e0e4736" || ps[1].Expr != "" || !ps[1].To.Equal(to) {
		t.Errorf("trace pane: %+v", ps[1])
	}
}

func TestExploreRefusesEmpty(t *testing.T) {
	for name, link := range map[string]string{
		"no grafana":    Explore(Grafana{}, ExplorePane{Datasource: "d", Expr: "q"}),
		"relative url":  Explore(Grafana{URL: "grafana.local"}, ExplorePane{Datasource: "d", Expr: "q"}),
		"no datasource": Explore(Grafana{URL: "http://g"}, ExplorePane{Expr: "q"}),
		"no query":      Explore(Grafana{URL: "http://g"}, ExplorePane{Datasource: "d"}),
		"javascript":    Explore(Grafana{URL: "javascript:alert(1)"}, ExplorePane{Datasource: "d", Expr: "q"}),
	} {
		if link != "" {
			t.Errorf("%s: made %q", name, link)
		}
	}
}

func TestVMUIRoundTrip(t *testing.T) {
	q := `service:="checkout" "req 7&x=#" | stats by (level) count()`
	link := VMUI("http://127.0.0.1:9428", q, from, to)
	if !strings.HasPrefix(link, "http://127.0.0.1:9428/select/vmui/#/?") {
		t.Fatalf("link %q", link)
	}
	gotQ, gotFrom, gotTo, err := ParseVMUI(link)
	if err != nil {
		t.Fatal(err)
	}
	if gotQ != q || !gotFrom.Equal(from) || !gotTo.Equal(to) {
		t.Errorf("round trip: %q %v %v", gotQ, gotFrom, gotTo)
	}
}

func TestJaegerRoundTrip(t *testing.T) {
	id, _, err := ParseJaeger(JaegerTrace("http://jaeger:16686/", "abc123"))
	if err != nil || id != "abc123" {
		t.Errorf("trace: %q %v", id, err)
	}
	s := JaegerSearch{Service: "checkout", Operation: "POST /pay", Tags: map[string]string{"error": "true", "http.status_code": "500"}, From: from, To: to, Limit: 20,
		MinDuration: 150 * time.Millisecond}
	_, got, err := ParseJaeger(JaegerSearchLink("http://jaeger:16686", s))
	if err != nil {
		t.Fatal(err)
	}
	if got.Service != s.Service || got.Operation != s.Operation || got.Tags["http.status_code"] != "500" || len(got.Tags) != 2 ||
		!got.From.Equal(from) || !got.To.Equal(to) || got.Limit != 20 || got.MinDuration != s.MinDuration || got.MaxDuration != 0 {
		t.Errorf("search round trip: %+v", got)
	}
}

func TestTargetsPreferExplore(t *testing.T) {
	all := Targets{Grafana: Grafana{URL: "http://g"}, LogsDatasource: "l", TracesDatasource: "j", VictoriaLogs: "http://vl:9428", JaegerUI: "http://jq:16686"}
	if l, _ := all.Logs("q", from, to); l.Where != WhereExplore {
		t.Errorf("logs with Grafana: %+v", l)
	}
	if l, _ := all.Request("q", "t1", from, to); l.Where != WhereExplore {
		t.Errorf("request with Grafana: %+v", l)
	} else if ps, err := ParseExplore(l.URL); err != nil || len(ps) != 2 {
		t.Errorf("request link is no split view: %v %+v", err, ps)
	}
	own := Targets{VictoriaLogs: "http://vl:9428", JaegerUI: "http://jq:16686"}
	if l, _ := own.Logs("q", from, to); l.Where != WhereVMUI {
		t.Errorf("logs without Grafana: %+v", l)
	}
	if l, _ := own.Request("q", "t1", from, to); l.Where != WhereJaeger {
		t.Errorf("request without Grafana: %+v", l)
	}
	if _, ok := (Targets{}).Trace("t1", from, to); ok || (Targets{}).Any() {
		t.Error("empty targets made a link")
	}
}

func FuzzParseExplore(f *testing.F) {
	f.Add(Explore(Grafana{URL: "http://g"}, ExplorePane{Datasource: "d", Expr: "q", From: from, To: to}))
	f.Add("http://g/explore?panes=%7B%7D")
	f.Add("http://g/explore?panes=%7B%22reltui0%22:%7B%22queries%22:[]%7D%7D")
	f.Fuzz(func(t *testing.T, link string) {
		ps, err := ParseExplore(link)
		if err != nil {
			return
		}
		// What parses rebuilds into a link that parses to the same panes.
		for i := range ps {
			if (ps[i].Expr == "") == (ps[i].TraceID == "") || ps[i].Datasource == "" {
				return
			}
		}
		if len(ps) == 0 {
			return
		}
		again, err := ParseExplore(Explore(Grafana{URL: "http://g"}, ps...))
		if err != nil || len(again) != len(ps) {
			t.Fatalf("rebuilt link does not parse: %v", err)
		}
		for i := range ps {
			if again[i].Expr != ps[i].Expr || again[i].TraceID != ps[i].TraceID || again[i].Datasource != ps[i].Datasource {
				t.Fatalf("pane %d changed: %+v -> %+v", i, ps[i], again[i])
			}
		}
	})
}

func FuzzParseVMUI(f *testing.F) {
	f.Add(VMUI("http://vl:9428", "q", from, to))
	f.Add("http://vl/select/vmui/#/?query=x&g0.range_input=1h&g0.end_input=2026-01-01T00:00:00")
	f.Fuzz(func(t *testing.T, link string) {
		q, a, b, err := ParseVMUI(link)
		if err != nil || q == "" || !a.Before(b) {
			return
		}
		q2, _, b2, err := ParseVMUI(VMUI("http://vl", q, a, b))
		if err != nil || q2 != q || !b2.Equal(b.UTC().Truncate(time.Second)) {
			t.Fatalf("rebuilt %q %v -> %q %v (%v)", q, b, q2, b2, err)
		}
	})
}
