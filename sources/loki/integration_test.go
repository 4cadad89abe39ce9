//go:build integration && loki

// These tests need a real Loki, which the project never builds (AGPL):
// they run in make test's second pass, with the loki tag, only where the
// machine has a loki binary (scripts/test.sh).
package loki

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/resilience"
)

// These tests run against the real Loki of the dev stack (and, for the
// restart test, a private Loki started from the same binary). Each test
// labels its lines with its own test_run value, so tests do not see each
// other or the demo workload.

func runID(t *testing.T) string {
	t.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return strings.ToLower(strings.ReplaceAll(t.Name(), "/", "_")) + "_" + hex.EncodeToString(b)
}

func stackClient(t *testing.T) (*Client, string) {
	t.Helper()
	st := stacktest.Require(t)
	if st.LokiURL == "" {
		t.Fatal("stack.env has no RELTUI_LOKI_URL")
	}
	c, err := New(Config{Address: st.LokiURL})
	if err != nil {
		t.Fatal(err)
	}
	return c, st.LokiURL
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func TestIntegrationPushQueryMetadata(t *testing.T) {
	c, addr := stackClient(t)
	id := runID(t)
	base := time.Now().Add(-10 * time.Minute).Truncate(time.Second)
	sa := map[string]string{"test_run": id, "app": "a"}
	sb := map[string]string{"test_run": id, "app": "b"}
	var la, lb []stacktest.LokiLine
	for i := 0; i < 5; i++ {
		la = append(la, stacktest.LokiLine{TS: base.Add(time.Duration(2*i) * time.Second), Line: fmt.Sprintf("a%d", i),
			Meta: map[string]string{"trace_id": fmt.Sprintf("trace-a%d", i), "user": "u1"}})
		lb = append(lb, stacktest.LokiLine{TS: base.Add(time.Duration(2*i+1) * time.Second), Line: fmt.Sprintf("b%d", i)})
	}
	stacktest.PushLoki(t, addr, sa, la)
	stacktest.PushLoki(t, addr, sb, lb)

	q := Query{Expr: fmt.Sprintf(`{test_run=%q}`, id), From: base.Add(-time.Minute), To: base.Add(time.Minute), Limit: 100}
	res, err := c.QueryRange(ctxT(t), q)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"b4", "a4", "b3", "a3", "b2", "a2", "b1", "a1", "b0", "a0"}
	if got := lines(res.Entries); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("backward: got %v, want %v", got, want)
	}
	q.Direction = Forward
	res, err = c.QueryRange(ctxT(t), q)
	if err != nil {
		t.Fatal(err)
	}
	if got := lines(res.Entries); got[0] != "a0" || got[9] != "b4" || len(got) != 10 {
		t.Fatalf("forward: got %v", got)
	}
	var sharedA map[string]string
	for _, e := range res.Entries {
		if e.Labels["test_run"] != id || e.Labels["app"] == "" {
			t.Fatalf("stream labels %v", e.Labels)
		}
		if _, leaked := e.Labels["trace_id"]; leaked {
			t.Fatalf("structured metadata returned as a stream label: %v", e.Labels)
		}
		if e.Labels["app"] != "a" {
			continue
		}
		n := strings.TrimPrefix(e.Line, "a")
		if e.Metadata["trace_id"] != "trace-a"+n || e.Metadata["user"] != "u1" {
			t.Fatalf("%s: metadata %v", e.Line, e.Metadata)
		}
		if sharedA == nil {
			sharedA = e.Labels
		} else if fmt.Sprintf("%p", sharedA) != fmt.Sprintf("%p", e.Labels) {
			t.Fatal("entries of one stream do not share one labels map")
		}
	}
}

func TestIntegrationLabelsValuesSeries(t *testing.T) {
	c, addr := stackClient(t)
	id := runID(t)
	now := time.Now()
	stacktest.PushLoki(t, addr, map[string]string{"test_run": id, "app": "a"}, []stacktest.LokiLine{{TS: now, Line: "x"}})
	stacktest.PushLoki(t, addr, map[string]string{"test_run": id, "app": "b"}, []stacktest.LokiLine{{TS: now, Line: "y"}})
	ctx := ctxT(t)
	from, to := now.Add(-time.Minute), now.Add(time.Minute)
	names, err := c.Labels(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if !contains(names, "test_run") || !contains(names, "app") {
		t.Fatalf("labels %v", names)
	}
	vals, err := c.LabelValues(ctx, "test_run", from, to)
	if err != nil {
		t.Fatal(err)
	}
	if !contains(vals, id) {
		t.Fatalf("values of test_run %v lack %s", vals, id)
	}
	ser, err := c.Series(ctx, []string{fmt.Sprintf(`{test_run=%q}`, id)}, from, to)
	if err != nil {
		t.Fatal(err)
	}
	apps := map[string]bool{}
	for _, s := range ser {
		if s["test_run"] != id {
			t.Fatalf("series %v", s)
		}
		apps[s["app"]] = true
	}
	if len(ser) != 2 || !apps["a"] || !apps["b"] {
		t.Fatalf("series %v, want the two streams", ser)
	}
	if err := c.Ping(ctx); err != nil {
		t.Fatalf("ping: %v", err)
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// More lines than Loki returns in one query (5000 by default), in runs of 12
// sharing a timestamp (4 per stream), so page boundaries cut through runs.
func TestIntegrationPagedQuery(t *testing.T) {
	c, addr := stackClient(t)
	id := runID(t)
	const n = 12345
	base := time.Now().Add(-20 * time.Minute).Truncate(time.Second)
	streams := []map[string]string{{"test_run": id, "app": "a"}, {"test_run": id, "app": "b"}, {"test_run": id, "app": "c"}}
	per := make([][]stacktest.LokiLine, 3)
	var all []sources.LogEntry
	for i := 0; i < n; i++ {
		ts := base.Add(time.Duration(i/12) * time.Millisecond)
		l := stacktest.LokiLine{TS: ts, Line: fmt.Sprintf("line-%05d", i)}
		per[i%3] = append(per[i%3], l)
		all = append(all, sources.LogEntry{Time: ts, Labels: streams[i%3], Line: l.Line})
	}
	for i, s := range streams {
		stacktest.PushLoki(t, addr, s, per[i])
	}
	from, to := base.Add(-time.Minute), base.Add(time.Minute)
	expr := fmt.Sprintf(`{test_run=%q}`, id)
	for _, dir := range []Direction{Backward, Forward} {
		for _, limit := range []int{20000, 7000} {
			t.Run(fmt.Sprintf("%s/%d", dir, limit), func(t *testing.T) {
				var got []sources.LogEntry
				pages := 0
				warns, err := c.QueryRangeFunc(ctxT(t), Query{Expr: expr, From: from, To: to, Limit: limit, Direction: dir},
					func(es []sources.LogEntry) error {
						pages++
						got = append(got, es...)
						return nil
					})
				if err != nil {
					t.Fatal(err)
				}
				if pages < 2 {
					t.Fatalf("%d lines came in %d page(s)", len(got), pages)
				}
				// Compare with the pushed lines on (stream, ts, line), with
				// Loki's extra labels (service_name) left out.
				norm := make([]sources.LogEntry, len(got))
				for i, e := range got {
					norm[i] = sources.LogEntry{Time: e.Time, Labels: map[string]string{"test_run": e.Labels["test_run"], "app": e.Labels["app"]}, Line: e.Line}
				}
				checkWalk(t, all, norm, dir, limit)
				t.Logf("%d entries in %d pages, warnings %q", len(got), pages, warns)
			})
		}
	}
}

func TestIntegrationMetricQuery(t *testing.T) {
	c, addr := stackClient(t)
	id := runID(t)
	base := time.Now().Add(-15 * time.Minute).Truncate(time.Minute).Add(20 * time.Second)
	counts := map[string]int{"a": 7, "b": 3}
	total := 0
	for app, k := range counts {
		var ls []stacktest.LokiLine
		for i := 0; i < k; i++ {
			ls = append(ls, stacktest.LokiLine{TS: base.Add(time.Duration(i) * 17 * time.Second), Line: fmt.Sprintf("%s%d", app, i)})
		}
		stacktest.PushLoki(t, addr, map[string]string{"test_run": id, "app": app}, ls)
		total += k
	}
	ctx := ctxT(t)
	// count_over_time over [1m] sampled every 1m counts every line once.
	expr := fmt.Sprintf(`sum by (app) (count_over_time({test_run=%q}[1m]))`, id)
	ser, warns, err := c.MetricRange(ctx, expr, base.Add(-2*time.Minute), base.Add(5*time.Minute), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, s := range ser {
		for _, p := range s.Samples {
			got[s.Labels["app"]] += int(p.Value)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(counts) {
		t.Fatalf("counted %v, pushed %v (warnings %q)", got, counts, warns)
	}
	res, err := c.Instant(ctx, fmt.Sprintf(`sum(count_over_time({test_run=%q}[30m]))`, id), base.Add(5*time.Minute), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Series) != 1 || len(res.Series[0].Samples) != 1 || int(res.Series[0].Samples[0].Value) != total {
		t.Fatalf("instant count %+v, want %d", res.Series, total)
	}
	if _, err := c.QueryRange(ctx, Query{Expr: expr, From: base, To: base.Add(time.Minute)}); sources.KindOf(err) != sources.KindBadQuery {
		t.Fatalf("a metric query through QueryRange gave %v", err)
	}
}

func TestIntegrationBadQuery(t *testing.T) {
	c, _ := stackClient(t)
	ctx := ctxT(t)
	_, err := c.QueryRange(ctx, Query{Expr: `{test_run="x"`})
	var se *sources.Error
	if sources.KindOf(err) != sources.KindBadQuery || !strings.Contains(err.Error(), "parse error") {
		t.Fatalf("got %v, want a bad query with Loki's parse error", err)
	}
	if se, _ = err.(*sources.Error); se.Status != http.StatusBadRequest {
		t.Fatalf("status %d", se.Status)
	}
	_, err = c.Instant(ctx, `{test_run="x"}`, time.Time{}, 10)
	if sources.KindOf(err) != sources.KindBadQuery || !strings.Contains(err.Error(), "instant") {
		t.Fatalf("a log query as an instant query gave %v", err)
	}
	tl := c.Tail(ctx, `{test_run=`, time.Time{})
	waitDone(t, tl)
	if sources.KindOf(tl.Err()) != sources.KindBadQuery || !strings.Contains(tl.Err().Error(), "parse error") {
		t.Fatalf("a bad tail ended with %v", tl.Err())
	}
}

func TestIntegrationUnreachable(t *testing.T) {
	c, err := New(Config{Address: "http://" + freeClosedAddr(t)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.QueryRange(ctxT(t), Query{Expr: `{a="b"}`})
	if sources.KindOf(err) != sources.KindUnreachable {
		t.Fatalf("got %v, want unreachable", err)
	}
	if err := c.Ping(ctxT(t)); sources.KindOf(err) != sources.KindUnreachable {
		t.Fatalf("ping got %v", err)
	}
}

func TestIntegrationTail(t *testing.T) {
	c, addr := stackClient(t)
	id := runID(t)
	ctx, cancel := context.WithCancel(ctxT(t))
	defer cancel()
	tl := c.Tail(ctx, fmt.Sprintf(`{test_run=%q}`, id), time.Time{})
	waitState(t, tl, TailLive)
	s := map[string]string{"test_run": id, "app": "t"}
	now := time.Now()
	var want []string
	var ls []stacktest.LokiLine
	for i := 0; i < 20; i++ {
		l := fmt.Sprintf("tail-%02d", i)
		ls = append(ls, stacktest.LokiLine{TS: now.Add(time.Duration(i) * time.Millisecond), Line: l, Meta: map[string]string{"seq": strconv.Itoa(i)}})
		want = append(want, l)
	}
	stacktest.PushLoki(t, addr, s, ls[:10])
	stacktest.PushLoki(t, addr, s, ls[10:])
	got := collect(t, tl, 20)
	if strings.Join(lines(got), ",") != strings.Join(want, ",") {
		t.Fatalf("got %v", lines(got))
	}
	if got[3].Metadata["seq"] != "3" || got[3].Labels["app"] != "t" {
		t.Fatalf("entry %+v", got[3])
	}
	cancel()
	waitDone(t, tl)
}

// privateLoki is a Loki of our own, from the stack's binary and config with
// its own ports and data directory, so it can be killed and restarted
// without disturbing the shared stack.
type privateLoki struct {
	t       *testing.T
	bin     string
	cfg     string
	dir     string
	httpURL string
	cmd     *exec.Cmd
}

func startPrivateLoki(t *testing.T) *privateLoki {
	t.Helper()
	st := stacktest.Require(t)
	bin := st.Var("RELTUI_LOKI_BIN")
	if bin == "" {
		t.Fatal("stack.env has no RELTUI_LOKI_BIN")
	}
	raw, err := os.ReadFile(filepath.Join(st.Dir, "loki.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	httpAddr, grpcAddr := freeClosedAddr(t), freeClosedAddr(t)
	_, httpPort, _ := net.SplitHostPort(httpAddr)
	_, grpcPort, _ := net.SplitHostPort(grpcAddr)
	cfg := string(raw)
	prefix := regexp.MustCompile(`(?m)^\s*path_prefix:\s*(\S+)`).FindStringSubmatch(cfg)
	if prefix == nil {
		t.Fatal("loki.yaml has no path_prefix")
	}
	cfg = strings.ReplaceAll(cfg, prefix[1], filepath.Join(dir, "loki"))
	cfg = regexp.MustCompile(`(?m)^(\s*http_listen_port:).*$`).ReplaceAllString(cfg, "${1} "+httpPort)
	cfg = regexp.MustCompile(`(?m)^(\s*grpc_listen_port:).*$`).ReplaceAllString(cfg, "${1} "+grpcPort)
	cfg = regexp.MustCompile(`(?m)^(\s*alertmanager_url:).*$`).ReplaceAllString(cfg, "${1} http://127.0.0.1:1")
	p := &privateLoki{t: t, bin: bin, cfg: filepath.Join(dir, "loki.yaml"), dir: dir, httpURL: "http://" + httpAddr}
	if err := os.WriteFile(p.cfg, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.kill)
	p.start()
	return p
}

func (p *privateLoki) start() {
	p.t.Helper()
	log, err := os.OpenFile(filepath.Join(p.dir, "loki.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		p.t.Fatal(err)
	}
	defer log.Close()
	p.cmd = exec.Command(p.bin, "-config.file="+p.cfg)
	p.cmd.Dir, p.cmd.Stdout, p.cmd.Stderr = p.dir, log, log
	if err := p.cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(p.httpURL + "/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	out, _ := os.ReadFile(filepath.Join(p.dir, "loki.log"))
	p.t.Fatalf("private Loki not ready; log tail:\n%s", tail(string(out), 2000))
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// stop ends our Loki the way a restart does, and waits for it to exit.
func (p *privateLoki) stop() {
	stacktest.Stop(p.cmd, 30*time.Second)
	p.cmd = nil
}

func (p *privateLoki) kill() { p.stop() }

func byTimeLine(es []sources.LogEntry) string {
	ss := make([]string, len(es))
	for i, e := range es {
		ss[i] = fmt.Sprintf("%d %s", e.Time.UnixNano(), e.Line)
	}
	slices.Sort(ss)
	return strings.Join(ss, " | ")
}

// The tail is cut by a Loki restart. Lines written after the restart must
// arrive exactly once, whether catch-up or the new live stream brings them,
// and the lines at the resume timestamp it had already delivered must not
// come again (logcli #3387).
func TestIntegrationTailSurvivesRestart(t *testing.T) {
	lk := startPrivateLoki(t)
	p := resilience.DefaultPolicy()
	p.BreakerOpenFor = time.Second
	c, err := New(Config{Address: lk.httpURL, Guard: resilience.New(backend, p)})
	if err != nil {
		t.Fatal(err)
	}
	id := runID(t)
	s := map[string]string{"test_run": id, "app": "r"}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	tl := c.Tail(ctx, fmt.Sprintf(`{test_run=%q}`, id), time.Time{})
	waitState(t, tl, TailLive)

	t1 := time.Now()
	at := func(ms int) time.Time { return t1.Add(time.Duration(ms) * time.Millisecond) }
	before := []stacktest.LokiLine{{TS: at(0), Line: "a1"}, {TS: at(1), Line: "a2"}, {TS: at(2), Line: "a3"},
		{TS: at(3), Line: "a4 at the resume timestamp"}, {TS: at(3), Line: "a5 at the resume timestamp"}}
	stacktest.PushLoki(t, lk.httpURL, s, before)
	got := collect(t, tl, len(before))

	lk.stop()
	waitState(t, tl, TailReconnecting)
	lk.start()

	after := []stacktest.LokiLine{{TS: at(3), Line: "c0 written after the restart at the resume timestamp"},
		{TS: at(10), Line: "c1"}, {TS: at(11), Line: "c2"}, {TS: at(12), Line: "c3"}}
	stacktest.PushLoki(t, lk.httpURL, s, after)
	got = append(got, collect(t, tl, len(after))...)
	waitState(t, tl, TailLive)
	live := []stacktest.LokiLine{{TS: time.Now(), Line: "d0 live after reconnecting"}, {TS: time.Now().Add(time.Millisecond), Line: "sentinel"}}
	stacktest.PushLoki(t, lk.httpURL, s, live)
	for len(got) == 0 || got[len(got)-1].Line != "sentinel" {
		got = append(got, collect(t, tl, 1)...)
	}

	// Lines sharing a timestamp may come in either order; everything else
	// must come in time order, and the whole must match what was pushed.
	var want []sources.LogEntry
	for _, group := range [][]stacktest.LokiLine{before, after, live} {
		for _, l := range group {
			want = append(want, sources.LogEntry{Time: l.TS, Line: l.Line})
		}
	}
	for i := 1; i < len(got); i++ {
		if got[i].Time.Before(got[i-1].Time) {
			t.Fatalf("entry %d %q is older than the one before it", i, got[i].Line)
		}
	}
	if a, b := byTimeLine(got), byTimeLine(want); a != b {
		t.Fatalf("after the restart the tail delivered\n  %s\nwant\n  %s", a, b)
	}
	if st := tl.Status(); st.Reconnects < 1 {
		t.Fatalf("status %+v: no reconnect recorded", st)
	}
	cancel()
	waitDone(t, tl)
}
