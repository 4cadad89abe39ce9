package links

import (
	"strings"
	"testing"
	"time"
)

func TestPromGraphRoundTrip(t *testing.T) {
	q := `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{service="api"}[5m])))`
	l := PromGraph("http://prom:9090/", q, from, to)
	if !strings.HasPrefix(l, "http://prom:9090/graph?") {
		t.Fatalf("link %q", l)
	}
	gotQ, gotFrom, gotTo, err := ParsePromGraph(l)
	if err != nil {
		t.Fatal(err)
	}
	if gotQ != q || !gotFrom.Equal(from.Truncate(1e9)) || !gotTo.Equal(to.Truncate(1e9)) {
		t.Errorf("round trip: %q %v %v, want %q %v %v", gotQ, gotFrom, gotTo, q, from, to)
	}
	for _, bad := range []string{PromGraph("", q, from, to), PromGraph("http://p", " ", from, to), PromGraph("http://p", q, to, from)} {
		if bad != "" {
			t.Errorf("made a link without a base, query or range: %q", bad)
		}
	}
	if _, _, _, err := ParsePromGraph("http://p/graph?g0.tab=0"); err == nil {
		t.Error("a link without g0.expr parsed")
	}
}

func TestMetricsPrefersExplore(t *testing.T) {
	all := Targets{Grafana: Grafana{URL: "http://g"}, MetricsDatasource: "prom-uid", Prometheus: "http://prom:9090"}
	l, ok := all.Metrics("up", from, to)
	if !ok || l.Where != WhereExplore {
		t.Fatalf("with Grafana: %+v", l)
	}
	ps, err := ParseExplore(l.URL)
	if err != nil || len(ps) != 1 || ps[0].Datasource != "prom-uid" || ps[0].Expr != "up" {
		t.Errorf("explore link %v %+v", err, ps)
	}
	own := Targets{Prometheus: "http://prom:9090"}
	if l, ok := own.Metrics("up", from, to); !ok || l.Where != WhereProm || !own.Any() {
		t.Errorf("without Grafana: %+v", l)
	}
	if _, ok := (Targets{}).Metrics("up", from, to); ok {
		t.Error("empty targets made a metrics link")
	}
}

func FuzzParsePromGraph(f *testing.F) {
	f.Add(PromGraph("http://p", "up", from, to))
	f.Add("http://p/graph?g0.expr=up&g0.range_input=1h&g0.end_input=2026-01-01%2000:00:00")
	f.Add("http://p/graph?g0.expr=&g0.range_input=x")
	f.Add("/graph?g0.expr= &g0.range_input=1h&g0.end_input=0000-01-01%200:00:00")
	f.Add("/graph?g0.expr=up&g0.range_input=-1h&g0.end_input=2026-01-01%2000:00:00")
	f.Fuzz(func(t *testing.T, link string) {
		q, a, b, err := ParsePromGraph(link)
		if err != nil || !a.Before(b) || q == "" {
			return
		}
		// What parses rebuilds into a link that parses to the same query
		// and end (whole seconds, as the UI takes them).
		q2, _, b2, err := ParsePromGraph(PromGraph("http://p", q, a, b))
		if err != nil || q2 != q || !b2.Equal(b.UTC().Truncate(time.Second)) {
			t.Fatalf("%q: %q %v %v -> %q %v (%v)", link, q, a, b, q2, b2, err)
		}
	})
}
