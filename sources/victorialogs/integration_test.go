//go:build integration

package victorialogs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/logtail"
	"github.com/reltui/reltui/sources/transport"
)

// These tests cover what is VictoriaLogs' own, beyond the shared suite in
// conformance_integration_test.go: tenants, the dialect's quoting as the
// real parser reads it, streams, hits and the row-size bound.

func runID(t *testing.T) string {
	t.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "vl_" + hex.EncodeToString(b)
}

func stackClient(t *testing.T, cfg Config) (*Client, string) {
	t.Helper()
	st := stacktest.Require(t)
	if st.VLogsURL == "" {
		t.Fatal("stack.env has no RELTUI_VLOGS_URL")
	}
	cfg.Address = st.VLogsURL
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, st.VLogsURL
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func lineSet(es []sources.LogEntry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Line
	}
	slices.Sort(out)
	return out
}

func TestIntegrationTenants(t *testing.T) {
	c0, addr := stackClient(t, Config{})
	c79, _ := stackClient(t, Config{Transport: transport.Options{Tenant: "7:9"}})
	c7, _ := stackClient(t, Config{Transport: transport.Options{Tenant: "7"}})
	id := runID(t)
	now := time.Now()
	stacktest.PushVLogsTenant(t, addr, "7:9", map[string]string{"test_run": id}, []stacktest.VLogsLine{{TS: now, Line: "in 7:9"}})
	stacktest.PushVLogsTenant(t, addr, "7", map[string]string{"test_run": id}, []stacktest.VLogsLine{{TS: now, Line: "in 7:0"}})
	q := sources.LogQuery{Expr: Dialect{}.Stream("test_run", id), From: now.Add(-time.Minute), To: now.Add(time.Minute)}
	for c, want := range map[*Client]string{c79: "in 7:9", c7: "in 7:0", c0: ""} {
		res, err := c.QueryRange(ctxT(t), q)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(lineSet(res.Entries), ","); got != want {
			t.Fatalf("tenant client saw %q, want %q", got, want)
		}
	}
	vals, err := c79.LabelValues(ctxT(t), "test_run", now.Add(-time.Minute), now.Add(time.Minute))
	if err != nil || !slices.Contains(vals, id) {
		t.Fatalf("values in 7:9: %v %v", vals, err)
	}
}

// TestIntegrationHostileValues pushes label values, field values and
// lines full of quotes, backslashes and line breaks, and finds each with
// the dialect's queries as VictoriaLogs' own parser reads them.
func TestIntegrationHostileValues(t *testing.T) {
	c, addr := stackClient(t, Config{})
	id := runID(t)
	base := time.Now().Add(-2 * time.Minute).Truncate(time.Second)
	values := []string{`with "double" quotes`, `single ' quote`, "back`tick", `back\slash`, `trailing\`,
		"new\nline", `# not a comment`, `a | limit 1`, `{x="y"}`, `"}`, `*`, `()`, `or`, "tab\there", "ünïcødé ✓"}
	d := Dialect{}
	for i, v := range values {
		stacktest.PushVLogs(t, addr, map[string]string{"test_run": id, "hostile": v}, []stacktest.VLogsLine{{
			TS: base.Add(time.Duration(i) * time.Millisecond), Line: fmt.Sprintf("line %d: %s", i, v),
			Fields: map[string]string{"odd field": v, "idx": fmt.Sprint(i)}}})
	}
	from, to := base.Add(-time.Minute), base.Add(time.Minute)
	all := d.Stream("test_run", id)
	for i, v := range values {
		for _, q := range []string{
			all + " " + d.Stream("hostile", v),
			d.Stream("hostile", v) + " " + d.Stream("test_run", id),
			d.Contains(all, v),
			d.IDQueries(all, []string{"odd field"}, []string{v})[0],
		} {
			res, err := c.QueryRange(ctxT(t), sources.LogQuery{Expr: q, From: from, To: to})
			if err != nil {
				t.Fatalf("value %q, query %q: %v", v, q, err)
			}
			found := false
			for _, e := range res.Entries {
				if e.Metadata["idx"] == fmt.Sprint(i) && e.Labels["hostile"] == v && e.Metadata["odd field"] == v {
					found = true
				}
			}
			if !found {
				t.Errorf("value %q: query %q found %q", v, q, lineSet(res.Entries))
			}
		}
	}
	res, err := c.QueryRange(ctxT(t), sources.LogQuery{Expr: d.Stream("hostile", "") + " " + all, From: from, To: to, Limit: 100})
	if err != nil || len(res.Entries) != len(values) {
		t.Fatalf("empty value selector: %d entries, %v", len(res.Entries), err)
	}
	if !d.IsSelector(d.Stream("hostile", values[0])) {
		t.Fatal("Stream output is not a selector")
	}
}

func TestIntegrationStreamsHitsLabels(t *testing.T) {
	c, addr := stackClient(t, Config{})
	id := runID(t)
	base := time.Now().Add(-10 * time.Minute).Truncate(time.Minute)
	for app, n := range map[string]int{"a": 7, "b": 3} {
		var ls []stacktest.VLogsLine
		for i := 0; i < n; i++ {
			ls = append(ls, stacktest.VLogsLine{TS: base.Add(time.Duration(i) * 20 * time.Second), Line: app + fmt.Sprint(i),
				Fields: map[string]string{"level": "info"}})
		}
		stacktest.PushVLogs(t, addr, map[string]string{"test_run": id, "app": app}, ls)
	}
	from, to := base.Add(-time.Minute), base.Add(5*time.Minute)
	sel := Dialect{}.Stream("test_run", id)
	streams, err := c.Streams(ctxT(t), sel, from, to)
	if err != nil {
		t.Fatal(err)
	}
	apps := map[string]bool{}
	for _, s := range streams {
		if s["test_run"] != id {
			t.Fatalf("stream %v", s)
		}
		apps[s["app"]] = true
	}
	if len(streams) != 2 || !apps["a"] || !apps["b"] {
		t.Fatalf("streams %v", streams)
	}
	hits, err := c.Hits(ctxT(t), sel, from, to, time.Minute, "app")
	if err != nil {
		t.Fatal(err)
	}
	total := map[string]float64{}
	for _, s := range hits {
		for _, p := range s.Samples {
			total[s.Labels["app"]] += p.Value
		}
	}
	if total["a"] != 7 || total["b"] != 3 {
		t.Fatalf("hits per app %v", total)
	}
	names, err := c.Labels(ctxT(t), from, to)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"test_run", "app", "level"} {
		if !slices.Contains(names, want) {
			t.Fatalf("field names %v lack %s", names, want)
		}
	}
	for _, internal := range []string{"_time", "_msg", "_stream", "_stream_id"} {
		if slices.Contains(names, internal) {
			t.Fatalf("field names %v carry %s", names, internal)
		}
	}
}

func TestIntegrationLongRowsSkipped(t *testing.T) {
	c, addr := stackClient(t, Config{MaxLineBytes: 2000})
	id := runID(t)
	now := time.Now()
	stacktest.PushVLogs(t, addr, map[string]string{"test_run": id}, []stacktest.VLogsLine{
		{TS: now, Line: strings.Repeat("x", 5000)}, {TS: now.Add(time.Millisecond), Line: "short"}})
	res, err := c.QueryRange(ctxT(t), sources.LogQuery{Expr: Dialect{}.Stream("test_run", id), From: now.Add(-time.Minute), To: now.Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Entries) != 1 || res.Entries[0].Line != "short" || len(res.Warnings) != 1 {
		t.Fatalf("entries %q, warnings %q", lineSet(res.Entries), res.Warnings)
	}
}

// A relative time filter in the query means the same window on every
// page: pages are all evaluated at the query's end, not at their own.
func TestIntegrationRelativeTimeFilterAcrossPages(t *testing.T) {
	c, addr := stackClient(t, Config{PageSize: 2})
	id := runID(t)
	to := time.Now().Add(-time.Minute).Truncate(time.Minute)
	var ls []stacktest.VLogsLine
	for i := 0; i < 20; i++ {
		ls = append(ls, stacktest.VLogsLine{TS: to.Add(-time.Duration(i)*time.Minute - 30*time.Second), Line: fmt.Sprintf("m%02d", i)})
	}
	stacktest.PushVLogs(t, addr, map[string]string{"test_run": id}, ls)
	for _, dir := range []sources.Direction{sources.Backward, sources.Forward} {
		res, err := c.QueryRange(ctxT(t), sources.LogQuery{Expr: Dialect{}.Stream("test_run", id) + " _time:5m",
			From: to.Add(-time.Hour), To: to, Limit: 100, Direction: dir})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(lineSet(res.Entries), ","); got != "m00,m01,m02,m03,m04" {
			t.Fatalf("%s: the last 5 minutes before the end hold %s", dir, got)
		}
	}
}

// Two readers of one query share one upstream tail and both get every
// line.
func TestIntegrationTailHub(t *testing.T) {
	c, addr := stackClient(t, Config{})
	hub := logtail.NewBackendHub(c, logtail.Options{})
	defer hub.Close()
	id := runID(t)
	sel := Dialect{}.Stream("test_run", id)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r1, r2 := hub.Tail(ctx, sel, time.Time{}), hub.Tail(ctx, sel, time.Time{})
	for _, r := range []sources.LogTail{r1, r2} {
		for r.Status().State != sources.TailLive {
			if ctx.Err() != nil {
				t.Fatalf("reader not live: %+v", r.Status())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	now := time.Now()
	stacktest.PushVLogs(t, addr, map[string]string{"test_run": id}, []stacktest.VLogsLine{
		{TS: now, Line: "shared-0"}, {TS: now.Add(time.Millisecond), Line: "shared-1"}})
	for i, r := range []sources.LogTail{r1, r2} {
		var got []sources.LogEntry
		for len(got) < 2 {
			select {
			case es := <-r.C():
				got = append(got, es...)
			case <-ctx.Done():
				t.Fatalf("reader %d got %q", i, lineSet(got))
			}
		}
		if strings.Join(lineSet(got), ",") != "shared-0,shared-1" {
			t.Fatalf("reader %d got %q", i, lineSet(got))
		}
	}
	if hub.Opened() != 1 {
		t.Fatalf("%d upstream tails for one query", hub.Opened())
	}
}
