//go:build integration

package ui

// The four pivots, end to end through the real root (routing, the back
// stack) at 80x24, against the dev stack's real log backend, Prometheus
// and Jaeger fed by the demo workload: log → trace, span → logs,
// exemplar → trace, chart point → logs, and esc back to where the user
// was after each.

import (
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/internal/stacklogs"
	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/jaeger"
	"github.com/reltui/reltui/sources/prom"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// driver runs the root the way bubbletea does: each Cmd in its own
// goroutine, each message back through Update, one at a time.
type driver struct {
	t    *testing.T
	m    *Model
	msgs chan tea.Msg
	done chan struct{}
}

func newDriver(t *testing.T, m *Model) *driver {
	d := &driver{t: t, m: m, msgs: make(chan tea.Msg, 4096), done: make(chan struct{})}
	t.Cleanup(func() { close(d.done) })
	return d
}

var cmdType = reflect.TypeOf((tea.Cmd)(nil))

func (d *driver) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		msg := cmd()
		if msg == nil {
			return
		}
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				d.run(c)
			}
			return
		}
		// tea.Sequence's message is unexported: a slice of Cmds run in order.
		if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == cmdType {
			for i := 0; i < v.Len(); i++ {
				if c, _ := v.Index(i).Interface().(tea.Cmd); c != nil {
					if m := c(); m != nil {
						d.deliver(m)
					}
				}
			}
			return
		}
		d.deliver(msg)
	}()
}

func (d *driver) deliver(msg tea.Msg) {
	select {
	case d.msgs <- msg:
	case <-d.done:
	}
}

func (d *driver) update(msg tea.Msg) {
	_, cmd := d.m.Update(msg)
	d.run(cmd)
}

func (d *driver) keys(ks ...string) {
	for _, k := range ks {
		d.update(panetest.Key(k))
	}
}

// typeText sends s one rune at a time, as a terminal would.
func (d *driver) typeText(s string) {
	for _, r := range s {
		d.update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

// until feeds messages until the frame satisfies ok, and returns it.
func (d *driver) until(what string, ok func(frame string) bool, timeout time.Duration) string {
	d.t.Helper()
	deadline := time.After(timeout)
	for {
		frame := d.m.View()
		if ok(frame) {
			return frame
		}
		select {
		case msg := <-d.msgs:
			d.update(msg)
		case <-deadline:
			d.t.Fatalf("%s: not within %v; the frame:\n%s", what, timeout, frame)
		}
	}
}

func contains(s string) func(string) bool {
	return func(f string) bool { return strings.Contains(f, s) }
}

var linesRe = regexp.MustCompile(`(^|\n)[1-9][\d,]* lines`)

// hasLines reports whether the Logs pane shows the answer of a query that
// found lines (its status line starts with their count).
func hasLines(frame string) bool {
	return linesRe.MatchString(frame) && !strings.Contains(frame, "querying")
}

// realRoot is the console at 80x24 on the stack's real backends.
func realRoot(t *testing.T) (*driver, sources.LogBackend) {
	t.Helper()
	st := stacktest.Require(t)
	lb := stacklogs.Backend(t, st)
	pc, err := prom.New(prom.Config{Address: st.PromURL})
	if err != nil {
		t.Fatal(err)
	}
	jc, err := jaeger.New(jaeger.Config{Address: st.JaegerGRPC})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { jc.Close() })
	r, pal := panetest.Plain().Renderer()
	m := New(Deps{Context: "dev", Logs: lb, Palette: pal, Renderer: r, Now: time.Now,
		Sources: ContextSources{Name: "dev", Logs: lb, Prom: pc, Jaeger: jc}})
	d := newDriver(t, m)
	d.update(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.run(m.Init())
	return d, lb
}

// paneKey is the digit that shows the pane for target.
func paneKey(t *testing.T, target pane.Target) string {
	for i, s := range paneSpecs() {
		if s.target == target {
			return strconv.Itoa(i + 2)
		}
	}
	t.Fatalf("no pane for %s", target)
	return ""
}

// recentTraceLine finds a demo frontend line from a few minutes ago that
// names a trace, old enough for every service's spans to be in Jaeger.
func recentTraceLine(t *testing.T, lb sources.LogBackend) (sources.LogEntry, string) {
	t.Helper()
	d := lb.Dialect()
	now := time.Now()
	res, err := lb.QueryRange(t.Context(), sources.LogQuery{Expr: d.Contains(d.Stream("service", "frontend"), "request completed"),
		From: now.Add(-10 * time.Minute), To: now.Add(-time.Minute), Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	x := correlate.DefaultExtractor()
	for _, e := range res.Entries {
		if id := x.Extract(e).TraceID; id != "" {
			return e, id
		}
	}
	t.Fatalf("no frontend line with a trace id among %d; is the demo workload running?", len(res.Entries))
	return sources.LogEntry{}, ""
}

// The lines of one trace in the Logs pane → o opens that trace in the
// Traces pane → esc back to the same lines → o again → L on a span shows
// that service's lines of the trace around the span → esc back to the
// trace.
func TestPivotLogToTraceAndSpanToLogs(t *testing.T) {
	d, lb := realRoot(t)
	_, traceID := recentTraceLine(t, lb)
	dl := lb.Dialect()
	query := dl.Contains(dl.Stream("service", "frontend"), traceID)

	d.keys("1", "i")
	d.typeText(query)
	d.keys("enter")
	logsFrame := d.until("the trace's frontend lines", func(f string) bool {
		return hasLines(f)
	}, 30*time.Second)
	queryLine := lineWith(logsFrame, "›")
	if !strings.Contains(queryLine, traceID[:12]) {
		t.Fatalf("the query line does not show the query:\n%s", logsFrame)
	}

	d.keys("o")
	d.until("the trace opened from the line", contains("Trace "+traceID), 30*time.Second)
	d.until("the trace's spans", contains("spans"), 30*time.Second)
	d.keys("esc")
	back := d.until("esc back to the lines", contains(queryLine), 10*time.Second)
	if lineWith(back, " lines ·") != lineWith(logsFrame, " lines ·") {
		t.Errorf("back on the Logs pane, the lines changed:\n%s\nwas\n%s", back, logsFrame)
	}

	d.keys("o")
	d.until("the trace again", contains("Trace "+traceID), 30*time.Second)
	d.until("the trace's spans", contains("spans"), 30*time.Second)
	// A span below the root, then its lines.
	d.keys("j", "L")
	spanLogs := d.until("the span's lines", func(f string) bool {
		return !strings.Contains(f, "Trace "+traceID) && hasLines(f)
	}, 30*time.Second)
	if q := lineWith(spanLogs, "›"); !strings.Contains(q, traceID[:12]) || q == queryLine {
		t.Errorf("the span's logs query does not name the trace, or is the user's:\n%s", spanLogs)
	}
	d.keys("esc")
	d.until("esc back to the trace", contains("Trace "+traceID), 10*time.Second)
}

// lineWith is the first line of frame containing s.
func lineWith(frame, s string) string {
	for _, l := range strings.Split(frame, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

var exemplarRe = regexp.MustCompile(`exemplar \d+/\d+: trace ([0-9a-f]{16,32})`)

// The Metrics pane's latency chart → x selects a real exemplar → enter
// opens its trace → esc back to the chart → a cursor on the chart and L
// shows the service's lines at that time → esc back to the chart.
func TestPivotExemplarToTraceAndChartToLogs(t *testing.T) {
	d, _ := realRoot(t)
	d.keys(paneKey(t, pane.TargetMetrics))
	d.until("the golden signals with exemplars", func(f string) bool {
		return regexp.MustCompile(`\d+ exem`).MatchString(f)
	}, 60*time.Second)

	d.keys("x")
	f := d.until("an exemplar selected", func(f string) bool { return exemplarRe.MatchString(f) }, 10*time.Second)
	id := exemplarRe.FindStringSubmatch(f)[1]
	d.keys("enter")
	d.until("the exemplar's trace", contains("Trace "+id), 30*time.Second)
	d.keys("esc")
	d.until("esc back to the chart", contains("exemplar"), 10*time.Second)

	d.keys("esc", "left", "left", "left")
	at := d.until("the cursor on the chart", contains("cursor "), 10*time.Second)
	cursor := regexp.MustCompile(`cursor (\d\d:\d\d:\d\d)`).FindStringSubmatch(at)
	d.keys("L")
	lines := d.until("the service's lines at the cursor", func(f string) bool {
		return hasLines(f)
	}, 30*time.Second)
	if q := lineWith(lines, "›"); !strings.Contains(q, "checkout") && !strings.Contains(q, "service") {
		t.Errorf("the lines are not one service's:\n%s", lines)
	}
	// The lines' range (the status line's from–to) holds the cursor's time.
	rng := regexp.MustCompile(`(\d\d:\d\d:\d\d)–(\d\d:\d\d:\d\d)`).FindStringSubmatch(lineWith(lines, " lines "))
	if cursor == nil || rng == nil || cursor[1] < rng[1] || cursor[1] > rng[2] {
		t.Errorf("the lines' range %v does not hold the cursor %v:\n%s", rng, cursor, lines)
	}
	d.keys("esc")
	d.until("esc back to the chart", contains(lineWith(at, "cursor ")), 10*time.Second)
}
