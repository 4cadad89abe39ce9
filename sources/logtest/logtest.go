// Package logtest is one conformance suite for every log backend client:
// the same behaviours, checked with the same assertions, against a real
// server. A backend's integration test builds a Harness (how to make a
// client, how to push lines into the server that client reads) and calls
// Run.
//
// Each test pushes under its own test_run label value, so tests never see
// each other's lines, the demo workload's, or those of an earlier run.
// Error conditions a real server cannot be made to show on demand (a
// server that hangs, an address where nothing listens, a connection cut
// in the middle of a tail) come from the suite itself: an httptest server
// that never answers, a closed port, and a TCP proxy in front of the real
// server that the suite can cut.
package logtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/resilience"
)

// Line is one line to push.
type Line struct {
	Time time.Time
	Line string
	// Metadata goes in as what the backend keeps beside the stream:
	// VictoriaLogs fields, Loki structured metadata. Never stream labels.
	Metadata map[string]string
}

// ClientConfig is what the suite varies between the clients it asks for.
type ClientConfig struct {
	// Address is the server to talk to; empty means the harness's real
	// server (Harness.Address).
	Address string
	// PageSize is the client's page size; 0 means the backend's default.
	PageSize int
	// Guard wraps the client's calls; nil means the backend's default.
	Guard *resilience.Guard
	// TailBackoff is the base wait before a tail reconnects; 0 means the
	// backend's default. The suite shortens it to keep reconnect tests
	// quick.
	TailBackoff time.Duration
}

// Harness connects the suite to one backend and its server.
type Harness struct {
	// Address is the real server's base URL, http://host:port.
	Address string
	// New returns a client configured by cfg.
	New func(t *testing.T, cfg ClientConfig) sources.LogBackend
	// Push writes lines into one stream of the server at addr (Address,
	// or one that Private started), with stream as the stream's labels.
	// It may return before the lines are searchable; the suite waits for
	// them through the client.
	Push func(t *testing.T, addr string, stream map[string]string, lines []Line)
	// Private starts a server of the test's own (its own data, stopped at
	// the test's end) and returns its address and a function that stops
	// it and starts it again with the same data at the same address. nil
	// when the harness cannot: the restart test is then skipped, and
	// reconnects are proven by the proxy test alone.
	Private func(t *testing.T) (addr string, restart func())
	// BadQuery is a query the backend refuses as malformed; empty means
	// `{test_run="unterminated"`, which neither LogQL nor LogsQL accepts.
	BadQuery string
	// BadQueryReason is a piece of the server's own text for BadQuery
	// that the error must carry, e.g. "parse error" or "cannot parse".
	BadQueryReason string
	// ExactRuns says the backend returns every entry of a timestamp
	// shared by more entries than fit in a page. Loki's API cannot; a
	// backend without it must say in a warning that entries are missing.
	ExactRuns bool
	// TailLatency is how long after its timestamp a pushed line may take
	// to reach a live tail (VictoriaLogs' tail runs an offset behind
	// now). 0 means 30 seconds.
	TailLatency time.Duration
}

// Label is the stream label every test's lines carry, with a value of
// its own.
const Label = "test_run"

// Run runs the whole suite.
func Run(t *testing.T, h Harness) {
	if h.New == nil || h.Push == nil || h.Address == "" {
		t.Fatal("logtest: the harness needs Address, New and Push")
	}
	if h.BadQuery == "" {
		h.BadQuery = `{test_run="unterminated"`
	}
	if h.TailLatency == 0 {
		h.TailLatency = 30 * time.Second
	}
	s := &suite{h: h}
	t.Run("PagingPastPageSize", s.pagingPastPageSize)
	t.Run("RunsAtPageEdges", s.runsAtPageEdges)
	t.Run("RunLongerThanPage", s.runLongerThanPage)
	t.Run("WindowBounds", s.windowBounds)
	t.Run("OrderBothDirections", s.orderBothDirections)
	t.Run("MetadataIsNotLabels", s.metadataIsNotLabels)
	t.Run("LabelsAndValues", s.labelsAndValues)
	t.Run("IDQueriesFindFieldOnlyIDs", s.idQueriesFindFieldOnlyIDs)
	t.Run("ContainsMatchesSubstrings", s.containsMatchesSubstrings)
	t.Run("BadQuery", s.badQuery)
	t.Run("Unreachable", s.unreachable)
	t.Run("Hung", s.hung)
	t.Run("TailDeliversPushedLines", s.tailDeliversPushedLines)
	t.Run("TailCatchesUpFromStart", s.tailCatchesUpFromStart)
	t.Run("TailStartsAtStart", s.tailStartsAtStart)
	t.Run("TailResumesAfterCut", s.tailResumesAfterCut)
	t.Run("TailResumesAfterRestart", s.tailResumesAfterRestart)
	t.Run("TailBadQuery", s.tailBadQuery)
}

type suite struct{ h Harness }

var unsafeChars = regexp.MustCompile(`[^a-z0-9_]+`)

// runID is a label value of the test's own: its name and random hex.
func runID(t *testing.T) string {
	t.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	name := unsafeChars.ReplaceAllString(strings.ToLower(t.Name()), "_")
	if len(name) > 40 {
		name = name[len(name)-40:]
	}
	return name + "_" + hex.EncodeToString(b)
}

func ctxT(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// selector is the backend's own selector for the test's lines.
func selector(b sources.LogBackend, id string) string { return b.Dialect().Stream(Label, id) }

// waitVisible polls until the query over [from, to) returns n entries,
// since a server may take a moment to make pushed lines searchable. It
// fails the test when they do not all show within a minute, or when more
// show than were pushed.
func waitVisible(t *testing.T, b sources.LogBackend, expr string, from, to time.Time, n int) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	last := -1
	for {
		res, err := b.QueryRange(ctxT(t, 30*time.Second), sources.LogQuery{Expr: expr, From: from, To: to, Limit: n + 1})
		if err != nil {
			t.Fatalf("waiting for pushed lines: %v", err)
		}
		last = len(res.Entries)
		if last == n {
			return
		}
		if last > n {
			t.Fatalf("%d entries visible, %d pushed", last, n)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the client returned only %d of %d pushed lines for a minute: the server did not make them searchable, or the client loses entries", last, n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// key identifies an entry for the suite's comparisons.
type key struct {
	ts   int64
	line string
}

func keyOf(e sources.LogEntry) key { return key{e.Time.UnixNano(), e.Line} }

func lines(es []sources.LogEntry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Line
	}
	return out
}

// checkWalk asserts what a correct query gives, however it pages: the
// right count, no repeats, direction order, only pushed entries, the
// pushed labels, and nothing skipped before the cut. Lines are unique
// within a test, so (time, line) identifies an entry.
func checkWalk(t *testing.T, all, got []sources.LogEntry, dir sources.Direction, limit int) {
	t.Helper()
	if want := min(limit, len(all)); len(got) != want {
		t.Fatalf("got %d entries, want %d", len(got), want)
	}
	pushed := map[key]sources.LogEntry{}
	for _, e := range all {
		pushed[keyOf(e)] = e
	}
	seen := map[key]bool{}
	for i, e := range got {
		k := keyOf(e)
		p, ok := pushed[k]
		if !ok {
			t.Fatalf("entry %d %v %q was not pushed", i, e.Time, e.Line)
		}
		if seen[k] {
			t.Fatalf("entry %d %v %q delivered twice", i, e.Time, e.Line)
		}
		seen[k] = true
		for l, v := range p.Labels {
			if e.Labels[l] != v {
				t.Fatalf("entry %q has labels %v, pushed with %v", e.Line, e.Labels, p.Labels)
			}
		}
		if i > 0 {
			prev := got[i-1].Time
			if dir == sources.Backward && e.Time.After(prev) || dir == sources.Forward && e.Time.Before(prev) {
				t.Fatalf("entry %d at %v is out of %s order after %v", i, e.Time, dir, prev)
			}
		}
	}
	if len(got) == 0 {
		return
	}
	cut := got[len(got)-1].Time
	for _, e := range all {
		inside := dir == sources.Backward && e.Time.After(cut) || dir == sources.Forward && e.Time.Before(cut)
		if inside && !seen[keyOf(e)] {
			t.Fatalf("entry %v %q before the cut %v was skipped", e.Time, e.Line, cut)
		}
	}
}

// pushAll pushes entries stream by stream, in batches of at most 1000.
func (s *suite) pushAll(t *testing.T, es []sources.LogEntry) {
	t.Helper()
	byStream := map[string][]Line{}
	streams := map[string]map[string]string{}
	var order []string
	for _, e := range es {
		k := fmt.Sprint(e.Labels)
		if _, ok := streams[k]; !ok {
			streams[k] = e.Labels
			order = append(order, k)
		}
		byStream[k] = append(byStream[k], Line{Time: e.Time, Line: e.Line, Metadata: e.Metadata})
	}
	for _, k := range order {
		ls := byStream[k]
		for len(ls) > 0 {
			n := min(len(ls), 1000)
			s.h.Push(t, s.h.Address, streams[k], ls[:n])
			ls = ls[n:]
		}
	}
}

// Collect reads n entries from a tail, failing the test after d. The
// backends' and the tail engine's own tests use it too.
func Collect(t testing.TB, tl sources.LogTail, n int, d time.Duration) []sources.LogEntry {
	t.Helper()
	var got []sources.LogEntry
	timeout := time.After(d)
	for len(got) < n {
		select {
		case es, ok := <-tl.C():
			if !ok {
				t.Fatalf("tail ended after %d of %d entries: %v (status %+v)", len(got), n, tl.Err(), tl.Status())
			}
			got = append(got, es...)
		case <-timeout:
			t.Fatalf("tail delivered %d of %d entries in %s: %q (status %+v)", len(got), n, d, lines(got), tl.Status())
		}
	}
	return got
}

// waitState waits until the tail's state is st.
func waitState(t *testing.T, tl sources.LogTail, st sources.TailState, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for tl.Status().State != st {
		if time.Now().After(deadline) {
			t.Fatalf("tail did not become %s within %s: %+v", st, d, tl.Status())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// WaitDone waits for a tail to end, failing the test after d.
func WaitDone(t testing.TB, tl sources.LogTail, d time.Duration) {
	t.Helper()
	select {
	case <-tl.Done():
	case <-time.After(d):
		t.Fatalf("tail did not end within %s: %+v", d, tl.Status())
	}
}
