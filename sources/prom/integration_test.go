//go:build integration

package prom_test

// Against the dev stack's real Prometheus (make stack-up). Each test pushes
// its own samples by remote write under a unique test_run label, so runs
// never see each other's data and expectations come from what was pushed.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang/snappy"
	"github.com/prometheus/common/model"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/prom"
	"github.com/reltui/reltui/sources/resilience"
)

// staleNaN is Prometheus's staleness marker: a sample with this exact bit
// pattern ends a series, so an alert it fed resolves at the next evaluation.
var staleNaN = math.Float64frombits(0x7ff0000000000002)

type sample struct {
	t time.Time
	v float64
}

type exemplar struct {
	labels map[string]string
	t      time.Time
	v      float64
}

type series struct {
	labels    map[string]string
	samples   []sample
	exemplars []exemplar
}

// encodeWriteRequest builds a remote-write 1.0 WriteRequest by hand, field
// numbers from prompb/types.proto, to keep prompb out of go.mod.
func encodeWriteRequest(ss []series) []byte {
	var req []byte
	for _, s := range ss {
		var ts []byte
		ts = appendLabels(ts, 1, s.labels)
		for _, p := range s.samples {
			var b []byte
			b = protowire.AppendTag(b, 1, protowire.Fixed64Type)
			b = protowire.AppendFixed64(b, math.Float64bits(p.v))
			b = protowire.AppendTag(b, 2, protowire.VarintType)
			b = protowire.AppendVarint(b, uint64(p.t.UnixMilli()))
			ts = protowire.AppendTag(ts, 2, protowire.BytesType)
			ts = protowire.AppendBytes(ts, b)
		}
		for _, e := range s.exemplars {
			var b []byte
			b = appendLabels(b, 1, e.labels)
			b = protowire.AppendTag(b, 2, protowire.Fixed64Type)
			b = protowire.AppendFixed64(b, math.Float64bits(e.v))
			b = protowire.AppendTag(b, 3, protowire.VarintType)
			b = protowire.AppendVarint(b, uint64(e.t.UnixMilli()))
			ts = protowire.AppendTag(ts, 3, protowire.BytesType)
			ts = protowire.AppendBytes(ts, b)
		}
		req = protowire.AppendTag(req, 1, protowire.BytesType)
		req = protowire.AppendBytes(req, ts)
	}
	return req
}

// appendLabels writes labels sorted by name, as remote write requires.
func appendLabels(b []byte, field protowire.Number, m map[string]string) []byte {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		var l []byte
		l = protowire.AppendTag(l, 1, protowire.BytesType)
		l = protowire.AppendString(l, k)
		l = protowire.AppendTag(l, 2, protowire.BytesType)
		l = protowire.AppendString(l, m[k])
		b = protowire.AppendTag(b, field, protowire.BytesType)
		b = protowire.AppendBytes(b, l)
	}
	return b
}

func push(t *testing.T, promURL string, ss ...series) {
	t.Helper()
	body := snappy.Encode(nil, encodeWriteRequest(ss))
	req, err := http.NewRequest(http.MethodPost, strings.TrimRight(promURL, "/")+"/api/v1/write", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-protobuf")
	req.Header.Set("Content-Encoding", "snappy")
	req.Header.Set("X-Prometheus-Remote-Write-Version", "0.1.0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("remote write: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		t.Fatalf("remote write: HTTP %d: %s", resp.StatusCode, b.String())
	}
}

func runID(t *testing.T) string {
	t.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func newClient(t *testing.T, addr string) *prom.Client {
	t.Helper()
	c, err := prom.New(prom.Config{Address: addr})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return c
}

func traceHex(run string, k int) string { return fmt.Sprintf("%s%020x", run, k) }

// fixture is the data TestQueries pushes: 41 points, 15s apart, over the
// last 10 minutes, for two counter series and one series of special values.
type fixture struct {
	run          string
	base, last   time.Time
	checkout     func(k int) float64
	search       func(k int) float64
	traceIDs     map[string]float64 // trace id → exemplar value
	metric, spec string
}

const points = 41

func pushFixture(t *testing.T, promURL string) fixture {
	t.Helper()
	f := fixture{
		run:      runID(t),
		base:     time.Now().Add(-10 * time.Minute).Truncate(15 * time.Second),
		checkout: func(k int) float64 { return float64(10 * k) },
		search:   func(k int) float64 { return float64(3*k + 1) },
		traceIDs: map[string]float64{},
		metric:   "reltui_it_requests_total",
		spec:     "reltui_it_special",
	}
	f.last = f.base.Add((points - 1) * 15 * time.Second)
	at := func(k int) time.Time { return f.base.Add(time.Duration(k) * 15 * time.Second) }
	co := series{labels: map[string]string{"__name__": f.metric, "job": "reltui-it", "service": "checkout", "test_run": f.run}}
	se := series{labels: map[string]string{"__name__": f.metric, "job": "reltui-it", "service": "search", "test_run": f.run}}
	for k := 0; k < points; k++ {
		co.samples = append(co.samples, sample{at(k), f.checkout(k)})
		se.samples = append(se.samples, sample{at(k), f.search(k)})
	}
	for _, k := range []int{10, 20, 30} {
		id := traceHex(f.run, k)
		f.traceIDs[id] = 0.25 * float64(k)
		co.exemplars = append(co.exemplars, exemplar{map[string]string{"trace_id": id}, at(k), 0.25 * float64(k)})
	}
	// A second instrumentation convention for the trace id label.
	id := traceHex(f.run, 15)
	f.traceIDs[id] = 1.5
	se.exemplars = append(se.exemplars, exemplar{map[string]string{"traceID": id, "span_id": "00f067aa0ba902b7"}, at(15), 1.5})
	sp := series{labels: map[string]string{"__name__": f.spec, "job": "reltui-it", "test_run": f.run},
		samples: []sample{{at(0), math.NaN()}, {at(1), math.Inf(1)}, {at(2), math.Inf(-1)}, {at(3), 7}}}
	push(t, promURL, co, se, sp)
	return f
}

func (f fixture) sel(extra string) string {
	s := fmt.Sprintf(`test_run=%q`, f.run)
	if extra != "" {
		s += "," + extra
	}
	return s
}

func TestQueries(t *testing.T) {
	st := stacktest.Require(t)
	c := newClient(t, st.PromURL)
	f := pushFixture(t, st.PromURL)
	ctx := ctx(t)

	t.Run("instant vector", func(t *testing.T) {
		got, _, err := c.Query(ctx, fmt.Sprintf("%s{%s}", f.metric, f.sel("")), f.last)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("got %d series, want 2: %+v", len(got), got)
		}
		want := map[string]float64{"checkout": f.checkout(points - 1), "search": f.search(points - 1)}
		for _, s := range got {
			if len(s.Samples) != 1 {
				t.Fatalf("vector series has %d samples", len(s.Samples))
			}
			svc := s.Labels["service"]
			if s.Labels["__name__"] != f.metric || s.Labels["test_run"] != f.run {
				t.Errorf("labels = %v", s.Labels)
			}
			if s.Samples[0].Value != want[svc] || !s.Samples[0].Time.Equal(f.last) {
				t.Errorf("%s: sample %+v, want %v at %v", svc, s.Samples[0], want[svc], f.last)
			}
		}
	})

	t.Run("aggregation and scalar", func(t *testing.T) {
		want := f.checkout(points-1) + f.search(points-1)
		for _, expr := range []string{
			fmt.Sprintf("sum(%s{%s})", f.metric, f.sel("")),
			fmt.Sprintf("scalar(sum(%s{%s}))", f.metric, f.sel("")),
		} {
			got, _, err := c.Query(ctx, expr, f.last)
			if err != nil {
				t.Fatalf("%s: %v", expr, err)
			}
			if len(got) != 1 || len(got[0].Labels) != 0 || got[0].Samples[0].Value != want {
				t.Errorf("%s = %+v, want one unlabelled series of %v", expr, got, want)
			}
		}
	})

	t.Run("range selector", func(t *testing.T) {
		// 7s after the last point, so no sample sits on the window's edge
		// and open/closed window semantics agree: 20 samples.
		got, _, err := c.Query(ctx, fmt.Sprintf("%s{%s}[5m]", f.metric, f.sel(`service="checkout"`)), f.last.Add(7*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || len(got[0].Samples) != 20 {
			t.Fatalf("got %+v, want one series of 20 samples", got)
		}
		for i, s := range got[0].Samples {
			k := points - 20 + i
			if s.Value != f.checkout(k) || !s.Time.Equal(f.base.Add(time.Duration(k)*15*time.Second)) {
				t.Fatalf("sample %d = %+v, want %v at point %d", i, s, f.checkout(k), k)
			}
		}
	})

	t.Run("query range", func(t *testing.T) {
		got, _, err := c.QueryRange(ctx, fmt.Sprintf("%s{%s}", f.metric, f.sel(`service="search"`)), f.base, f.last, 15*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || len(got[0].Samples) != points {
			t.Fatalf("got %+v, want one series of %d points", got, points)
		}
		for k, s := range got[0].Samples {
			if s.Value != f.search(k) || !s.Time.Equal(f.base.Add(time.Duration(k)*15*time.Second)) {
				t.Fatalf("point %d = %+v, want %v", k, s, f.search(k))
			}
		}
	})

	t.Run("query range auto step", func(t *testing.T) {
		got, _, err := c.QueryRange(ctx, fmt.Sprintf("%s{%s}", f.metric, f.sel(`service="search"`)), f.base, f.last, 0)
		if err != nil {
			t.Fatal(err)
		}
		step := prom.AutoStep(f.base, f.last, prom.DefaultPoints)
		if len(got) != 1 || len(got[0].Samples) < 2 {
			t.Fatalf("got %+v", got)
		}
		if d := got[0].Samples[1].Time.Sub(got[0].Samples[0].Time); d != step {
			t.Errorf("spacing %v, want AutoStep %v", d, step)
		}
	})

	t.Run("NaN and infinities", func(t *testing.T) {
		got, _, err := c.QueryRange(ctx, fmt.Sprintf("%s{%s}", f.spec, f.sel("")), f.base, f.base.Add(45*time.Second), 15*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || len(got[0].Samples) != 4 {
			t.Fatalf("got %+v", got)
		}
		v := got[0].Samples
		if !math.IsNaN(v[0].Value) || !math.IsInf(v[1].Value, 1) || !math.IsInf(v[2].Value, -1) || v[3].Value != 7 {
			t.Errorf("values = %v, want NaN +Inf -Inf 7", v)
		}
	})

	t.Run("series and labels", func(t *testing.T) {
		match := []string{fmt.Sprintf("{%s}", f.sel(""))}
		from, to := f.base.Add(-time.Minute), f.last.Add(time.Minute)
		ss, _, err := c.Series(ctx, match, from, to)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, s := range ss {
			names = append(names, s["__name__"]+"/"+s["service"])
		}
		sort.Strings(names)
		if want := []string{f.metric + "/checkout", f.metric + "/search", f.spec + "/"}; !slices.Equal(names, want) {
			t.Errorf("series = %v, want %v", names, want)
		}
		ln, _, err := c.LabelNames(ctx, match, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"__name__", "job", "service", "test_run"}; !slices.Equal(ln, want) {
			t.Errorf("label names = %v, want %v", ln, want)
		}
		lv, _, err := c.LabelValues(ctx, "service", match, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"checkout", "search"}; !slices.Equal(lv, want) {
			t.Errorf("label values = %v, want %v", lv, want)
		}
	})

	t.Run("exemplars", func(t *testing.T) {
		ex, err := c.QueryExemplars(ctx, fmt.Sprintf("%s{%s}", f.metric, f.sel("")), f.base, f.last)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]float64{}
		for _, e := range ex {
			if e.SeriesLabels["test_run"] != f.run || e.Time.Before(f.base) || e.Time.After(f.last) {
				t.Errorf("exemplar %+v outside the pushed data", e)
			}
			got[e.TraceID] = e.Value
		}
		if len(got) != len(f.traceIDs) {
			t.Fatalf("trace ids = %v, want %v", got, f.traceIDs)
		}
		for id, v := range f.traceIDs {
			if gv, ok := got[id]; !ok || gv != v {
				t.Errorf("trace %s: value %v (found %v), want %v", id, gv, ok, v)
			}
		}
	})
}

func TestErrorsFromRealServer(t *testing.T) {
	st := stacktest.Require(t)
	c := newClient(t, st.PromURL)
	ctx := ctx(t)

	_, _, err := c.Query(ctx, "sum(rate(http_requests_total[5m])", time.Time{})
	var se *sources.Error
	if !errors.As(err, &se) || se.Kind != sources.KindBadQuery || se.Status != 400 || !strings.Contains(se.Msg, "parse error") {
		t.Errorf("bad query: %#v", err)
	}

	now := time.Now()
	_, _, err = c.QueryRange(ctx, "up", now.Add(-30*24*time.Hour), now, time.Second)
	if !errors.As(err, &se) || se.Kind != sources.KindTooMuchData || !strings.Contains(se.Msg, "resolution") {
		t.Errorf("too many points: %#v", err)
	}
	if c.Health().Breaker != "closed" {
		t.Errorf("client errors moved the breaker: %+v", c.Health())
	}
	if err := c.Ping(ctx); err != nil {
		t.Errorf("ping: %v", err)
	}
	if h := c.Health(); h.LastOK.IsZero() || h.LastErr != nil {
		t.Errorf("health after ping = %+v", h)
	}
}

func TestUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := "http://" + ln.Addr().String()
	ln.Close()
	// A guard each: retries of the first call would otherwise count
	// toward opening the shared breaker for the second.
	mk := func() *prom.Client {
		c, err := prom.New(prom.Config{Address: addr, Guard: resilience.New("prometheus", resilience.Policy{BaseBackoff: time.Millisecond})})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ctx := ctx(t)
	_, _, err = mk().Query(ctx, "up", time.Time{})
	if k := sources.KindOf(err); k != sources.KindUnreachable {
		t.Errorf("query: kind %v (%v), want unreachable", k, err)
	}
	if err := mk().Ping(ctx); sources.KindOf(err) != sources.KindUnreachable {
		t.Errorf("ping: %v, want unreachable", err)
	}
}

func TestRulesAndAlerts(t *testing.T) {
	st := stacktest.Require(t)
	c := newClient(t, st.PromURL)
	ctx := ctx(t)

	rules, err := c.Rules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]prom.Rule{}
	for _, r := range rules {
		byName[r.Name] = r
	}
	for _, name := range []string{"PaymentsErrorBurst", "ConsumerLagHigh"} {
		r, ok := byName[name]
		if !ok {
			t.Fatalf("rule %s missing from %d rules", name, len(rules))
		}
		if !r.Alerting() || r.Query == "" || r.Group == "" || r.Labels["severity"] == "" || r.Annotations["summary"] == "" {
			t.Errorf("rule %s = %+v", name, r)
		}
		if r.Health == "err" {
			t.Errorf("rule %s unhealthy: %s", name, r.LastError)
		}
	}

	// ConsumerLagHigh fires when any consumer group lags by over 1000
	// messages, with `for: 0m`: a lag pushed now fires at the next rule
	// evaluation. A unique consumer group keeps it apart from the demo.
	group := "reltui-it-" + runID(t)
	lag := series{labels: map[string]string{"__name__": "kafka_consumergroup_lag", "consumergroup": group,
		"topic": "reltui-it", "partition": "0", "test_run": group}}
	pushed := time.Now()
	lag.samples = []sample{{pushed, 5000}}
	push(t, st.PromURL, lag)
	t.Cleanup(func() {
		// End the series so the alert resolves instead of lingering in
		// the demo for the 5-minute lookback.
		lag.samples = []sample{{time.Now(), staleNaN}}
		push(t, st.PromURL, lag)
	})

	var found *sources.Alert
	deadline := time.Now().Add(90 * time.Second)
	for found == nil && time.Now().Before(deadline) {
		alerts, err := c.Alerts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i, a := range alerts {
			checkAlert(t, a)
			if a.Labels["consumergroup"] == group {
				found = &alerts[i]
			}
		}
		if found == nil {
			time.Sleep(2 * time.Second)
		}
	}
	if found == nil {
		t.Fatalf("ConsumerLagHigh for %s did not fire within three evaluation intervals", group)
	}
	if found.Name != "ConsumerLagHigh" || found.State != "firing" || found.Labels["severity"] != "warning" {
		t.Errorf("alert = %+v", found)
	}
	if v, err := strconv.ParseFloat(found.Value, 64); err != nil || v != 5000 {
		t.Errorf("alert value %q, want 5000", found.Value)
	}
	if !strings.Contains(found.Annotations["summary"], group) {
		t.Errorf("annotations not templated with the group: %v", found.Annotations)
	}
	if found.ActiveAt.Before(pushed.Add(-time.Minute)) {
		t.Errorf("activeAt %v is before the lag was pushed (%v)", found.ActiveAt, pushed)
	}
}

// checkAlert asserts what every alert from Prometheus must satisfy.
func checkAlert(t *testing.T, a sources.Alert) {
	t.Helper()
	ls := model.LabelSet{}
	for k, v := range a.Labels {
		ls[model.LabelName(k)] = model.LabelValue(v)
	}
	if a.Name == "" || a.Name != a.Labels["alertname"] || a.Source != "prometheus" ||
		(a.State != "firing" && a.State != "pending") || a.ActiveAt.IsZero() ||
		a.Fingerprint != ls.Fingerprint().String() {
		t.Errorf("malformed alert %+v", a)
	}
}
