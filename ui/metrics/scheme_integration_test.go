//go:build integration

package metrics

// Against the dev stack's real Prometheus: series in each naming scheme's
// own names are pushed by remote write, and the pane, given no template
// and no scheme, must detect the scheme and draw all four golden signals.

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/demo/promwrite"
	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/sources/prom"
)

// schemeSeries describes one scheme's instrumentation for the pusher.
type schemeSeries struct {
	scheme    string
	counter   string // a counter of requests ("" when the histogram's _count is the counter)
	hist      string // the duration histogram's base name
	ms        bool   // durations in milliseconds
	codeLabel string
	ok, fail  string // a success and a server-failure code
	svcLabel  string
	extra     []promwrite.Label // labels every request series carries
	satName   string
	satLabel  string // the label saturation is selected by
}

var pushedSchemes = []schemeSeries{
	{scheme: config.SchemePrometheusHTTP, counter: "http_requests_total", hist: "http_request_duration_seconds",
		codeLabel: "code", ok: "200", fail: "503", svcLabel: "service", satName: "process_cpu_utilization", satLabel: "service"},
	{scheme: config.SchemeOTelHTTP, hist: "http_server_request_duration_seconds",
		codeLabel: "http_response_status_code", ok: "200", fail: "500", svcLabel: "service_name",
		extra: []promwrite.Label{{Name: "http_request_method", Value: "GET"}}, satName: "process_cpu_utilization", satLabel: "service_name"},
	{scheme: config.SchemeMicrometer, hist: "http_server_requests_seconds",
		codeLabel: "status", ok: "200", fail: "500", svcLabel: "application",
		extra: []promwrite.Label{{Name: "uri", Value: "/orders"}, {Name: "outcome", Value: "SUCCESS"}}, satName: "process_cpu_usage", satLabel: "application"},
	{scheme: config.SchemeIstio, counter: "istio_requests_total", hist: "istio_request_duration_milliseconds", ms: true,
		codeLabel: "response_code", ok: "200", fail: "503", svcLabel: "destination_service_name",
		extra: []promwrite.Label{{Name: "reporter", Value: "destination"}}, satName: "process_cpu_utilization", satLabel: "app"},
	{scheme: config.SchemeGRPC, counter: "grpc_server_handled_total", hist: "grpc_server_handling_seconds",
		codeLabel: "grpc_code", ok: "OK", fail: "Unavailable", svcLabel: "job",
		extra: []promwrite.Label{{Name: "grpc_service", Value: "shop.Orders"}, {Name: "grpc_method", Value: "Place"}}, satName: "process_cpu_utilization", satLabel: "job"},
}

// Request rates and the latency distribution every scheme's service gets:
// 10/s succeed, 1/s fail; half under 50ms, 99.5% under 500ms.
const okRate, failRate = 10.0, 1.0

var bucketShare = []struct {
	le    float64 // seconds
	share float64
}{{0.05, 0.5}, {0.1, 0.8}, {0.25, 0.95}, {0.5, 0.995}, {1, 1}, {math.Inf(1), 1}}

// series builds n scrapes, 15 s apart, ending at end, for service svc.
func (s schemeSeries) series(svc string, end time.Time, n int) []promwrite.TimeSeries {
	var out []promwrite.TimeSeries
	base := func(name string, more ...promwrite.Label) []promwrite.Label {
		ls := []promwrite.Label{{Name: "__name__", Value: name}, {Name: s.svcLabel, Value: svc}}
		ls = append(ls, s.extra...)
		return append(ls, more...)
	}
	points := func(f func(i int) float64) []promwrite.Sample {
		ps := make([]promwrite.Sample, n)
		for i := range ps {
			t := end.Add(-time.Duration(n-1-i) * 15 * time.Second)
			ps[i] = promwrite.Sample{Timestamp: t.UnixMilli(), Value: f(i)}
		}
		return ps
	}
	for _, c := range []struct {
		code string
		rate float64
	}{{s.ok, okRate}, {s.fail, failRate}} {
		total := func(i int) float64 { return c.rate * 15 * float64(i+1) }
		code := promwrite.Label{Name: s.codeLabel, Value: c.code}
		if s.counter != "" {
			out = append(out, promwrite.TimeSeries{Labels: base(s.counter, code), Samples: points(total)})
		}
		out = append(out, promwrite.TimeSeries{Labels: base(s.hist+"_count", code), Samples: points(total)})
		out = append(out, promwrite.TimeSeries{Labels: base(s.hist+"_sum", code), Samples: points(func(i int) float64 { return total(i) * 0.06 })})
		for _, b := range bucketShare {
			le := b.le
			if s.ms && !math.IsInf(le, 1) {
				le *= 1000
			}
			leS := strconv.FormatFloat(le, 'g', -1, 64)
			if math.IsInf(le, 1) {
				leS = "+Inf"
			}
			share := b.share
			out = append(out, promwrite.TimeSeries{Labels: base(s.hist+"_bucket", code, promwrite.Label{Name: "le", Value: leS}),
				Samples: points(func(i int) float64 { return total(i) * share })})
		}
	}
	sat := []promwrite.Label{{Name: "__name__", Value: s.satName}, {Name: s.satLabel, Value: svc}}
	out = append(out, promwrite.TimeSeries{Labels: sat, Samples: points(func(int) float64 { return 0.42 })})
	return out
}

func lastFinite(p panel) (float64, bool) {
	for _, s := range p.series {
		for i := len(s.Points) - 1; i >= 0; i-- {
			if v := s.Points[i].V; !math.IsNaN(v) && !math.IsInf(v, 0) {
				return v, true
			}
		}
	}
	return 0, false
}

func TestEachNamingSchemeGivesFourSignalsWithNoTemplate(t *testing.T) {
	c, w := stackClients(t)
	end := time.Now().Truncate(15 * time.Second)
	nonce := strconv.FormatInt(time.Now().UnixNano()%1e12, 36)
	for _, sc := range pushedSchemes {
		svc := fmt.Sprintf("reltui-it-%s-%s", sc.scheme, nonce)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := w.Push(ctx, sc.series(svc, end, 41))
		cancel()
		if err != nil {
			t.Fatalf("push %s: %v", sc.scheme, err)
		}
	}
	for _, sc := range pushedSchemes {
		t.Run(sc.scheme, func(t *testing.T) {
			svc := fmt.Sprintf("reltui-it-%s-%s", sc.scheme, nonce)
			m := stackPane(t, c, Config{Service: svc, From: end.Add(-10 * time.Minute), To: end.Add(time.Second)}, 160, 40)
			if m.scheme.Name != sc.scheme || m.label != sc.svcLabel || !m.detected {
				t.Fatalf("detected %q by %q (found %v), want %s by %s", m.scheme.Name, m.label, m.detected, sc.scheme, sc.svcLabel)
			}
			if !slices.Contains(m.services, svc) {
				t.Errorf("the picker does not list %s", svc)
			}
			if len(m.panels) != 4 {
				t.Fatalf("%d panels", len(m.panels))
			}
			want := map[string][2]float64{ // name: [min, max] of the last value
				config.MetricsLatency:    {0.02, 0.1}, // the first line is p50: at the 50ms bucket edge
				config.MetricsTraffic:    {okRate + failRate - 0.5, okRate + failRate + 0.5},
				config.MetricsErrors:     {failRate/(okRate+failRate) - 0.01, failRate/(okRate+failRate) + 0.01},
				config.MetricsSaturation: {0.41, 0.43},
			}
			checkLastValues(t, m, want)
			if p := m.panels[0]; len(p.series) != 3 {
				t.Errorf("latency has %d lines, want p50, p95, p99", len(p.series))
			}
		})
	}
}

// checkLastValues checks that every chart of m drew, and that its first
// line's last finite value lies in want[its name] ([min, max]).
func checkLastValues(t *testing.T, m *Model, want map[string][2]float64) {
	t.Helper()
	for _, p := range m.panels {
		if p.err != nil || p.empty != "" {
			t.Errorf("%s: err %v, empty %q; queries %v", p.name, p.err, p.empty, p.exprs)
			continue
		}
		v, ok := lastFinite(p)
		if r := want[p.name]; !ok || v < r[0]-1e-9 || v > r[1]+1e-9 {
			t.Errorf("%s = %g (finite: %v), want in [%g, %g]; queries %v", p.name, v, ok, r[0], r[1], p.exprs)
		}
	}
}

// stackPane is a pane of w×h over the dev stack's Prometheus c, built
// from cfg with a timeout for a real backend, after its first load.
func stackPane(t *testing.T, c Source, cfg Config, w, h int) *Model {
	t.Helper()
	cfg.Source, cfg.Timeout = c, 30*time.Second
	m := newPane(t, cfg, w, h)
	settleWithin(m, m.Init(), 3*time.Second)
	return m
}

// stackProm is a client of the dev stack's Prometheus.
func stackProm(t *testing.T) *prom.Client {
	t.Helper()
	c, err := prom.New(prom.Config{Address: stacktest.Require(t).PromURL})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// stackClients reads and writes the dev stack's Prometheus.
func stackClients(t *testing.T) (*prom.Client, *promwrite.Client) {
	t.Helper()
	c := stackProm(t)
	w, err := promwrite.NewClient(stacktest.Require(t).PromURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c, w
}
