//go:build integration

package correlate

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reltui/reltui/internal/stacklogs"
	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/jaeger"
)

func stackClients(t *testing.T) (sources.LogBackend, *jaeger.Client) {
	t.Helper()
	st := stacktest.Require(t)
	lc := stacklogs.Backend(t, st)
	jc, err := jaeger.New(jaeger.Config{Address: st.JaegerGRPC})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = jc.Close() })
	return lc, jc
}

// sampleRequestIDs picks n request ids of demo requests that completed
// between 30 seconds and 10 minutes ago, from the frontend's own lines in
// the log backend, so every service has flushed its spans and lines by then. On a
// stack that has just started it waits (up to 3 minutes) for enough.
func sampleRequestIDs(t *testing.T, lc sources.LogBackend, n int) []string {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		ids := requestIDsNow(t, lc, n)
		if len(ids) >= n {
			return ids
		}
		if time.Now().After(deadline) {
			t.Fatalf("found %d demo request ids in the log backend, want %d (is the demo workload running?)", len(ids), n)
		}
		time.Sleep(5 * time.Second)
	}
}

func requestIDsNow(t *testing.T, lc sources.LogBackend, n int) []string {
	t.Helper()
	now := time.Now()
	d := lc.Dialect()
	res, err := lc.QueryRange(context.Background(), sources.LogQuery{Expr: d.Contains(d.Stream("service", "frontend"), "request completed"),
		From: now.Add(-10 * time.Minute), To: now.Add(-30 * time.Second), Limit: 2000})
	if err != nil {
		t.Fatal(err)
	}
	x := DefaultExtractor()
	seen := map[string]bool{}
	var ids []string
	// Spread the sample over the window rather than taking a burst.
	step := max(1, len(res.Entries)/n)
	for i := 0; i < len(res.Entries) && len(ids) < n; i += step {
		if id := x.Extract(res.Entries[i]).RequestID; id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids
}

// Every sampled request resolves to its trace and to lines of every
// service its trace touched; inventory's lines join their spans only
// through structured metadata (fields, on VictoriaLogs).
func TestIntegrationRequestsResolve(t *testing.T) {
	lc, jc := stackClients(t)
	ids := sampleRequestIDs(t, lc, 50)
	r := NewResolver(Config{Logs: lc, Traces: jc})
	now := time.Now()
	w := Window{From: now.Add(-15 * time.Minute), To: now}

	var mu sync.Mutex
	viaMetadata := 0
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
			defer cancel()
			v, err := r.Resolve(ctx, id, w)
			if err != nil {
				t.Errorf("%s: %v", id, err)
				return
			}
			if v.IsPartial() {
				t.Errorf("%s: %s", id, v.PartialNote())
				return
			}
			if len(v.TraceIDs) == 0 || len(v.Spans) == 0 {
				t.Errorf("%s: no trace (trace ids %v, %d spans)", id, v.TraceIDs, len(v.Spans))
				return
			}
			touched := map[string]bool{}
			for _, sp := range v.Spans {
				touched[sp.Service] = true
				if v, _ := sp.Tag("request_id"); v != "" && v != id {
					t.Errorf("%s: span %s belongs to request %s", id, sp.SpanID, v)
				}
			}
			logged := map[string]bool{}
			n := 0
			for i, l := range v.Logs {
				logged[l.Service] = true
				if l.Service == "inventory" && l.TraceFrom == FromMetadata && !strings.Contains(l.Line, l.TraceID) &&
					v.How[i] == MatchSpanID {
					n++
				}
				if l.RequestID != id {
					t.Errorf("%s: a line of request %q is in the view: %s", id, l.RequestID, l.Line)
				}
			}
			for svc := range touched {
				if !logged[svc] {
					t.Errorf("%s: trace %v touched %s but no line of %s was found", id, v.TraceIDs, svc, svc)
				}
			}
			if !slices.Contains(v.RequestIDs, id) || v.Summary.SpanCount != len(v.Spans) {
				t.Errorf("%s: request ids %v", id, v.RequestIDs)
			}
			mu.Lock()
			viaMetadata += n
			mu.Unlock()
		}()
	}
	wg.Wait()
	if viaMetadata == 0 {
		t.Error("no inventory line joined its span through structured metadata")
	}
	t.Logf("%d requests resolved; %d inventory lines joined through structured metadata", len(ids), viaMetadata)
}

// A trace id finds inventory's lines, which carry it only in structured
// metadata: the line filter alone finds none of them.
func TestIntegrationTraceIDOnlyInMetadata(t *testing.T) {
	lc, jc := stackClients(t)
	id := sampleRequestIDs(t, lc, 1)[0]
	r := NewResolver(Config{Logs: lc, Traces: jc})
	now := time.Now()
	w := Window{From: now.Add(-15 * time.Minute), To: now}
	byReq, err := r.Resolve(context.Background(), id, w)
	if err != nil || len(byReq.TraceIDs) == 0 {
		t.Fatalf("%s: %v %v", id, err, byReq)
	}
	tid := byReq.TraceIDs[0]
	v, err := r.Resolve(context.Background(), tid, w)
	if err != nil {
		t.Fatal(err)
	}
	if v.Kind != IDTrace || len(v.Spans) == 0 || !slices.Contains(v.RequestIDs, id) {
		t.Fatalf("trace view: kind %v, %d spans, request ids %v", v.Kind, len(v.Spans), v.RequestIDs)
	}
	inv := 0
	for _, l := range v.Logs {
		if l.Service == "inventory" {
			inv++
		}
	}
	if inv == 0 {
		t.Fatal("no inventory line found for the trace id")
	}
	d := lc.Dialect()
	plain, err := lc.QueryRange(context.Background(), sources.LogQuery{Expr: d.Contains(d.Stream("service", "inventory"), tid), From: w.From, To: w.To})
	if err != nil {
		t.Fatal(err)
	}
	if len(plain.Entries) != 0 {
		t.Fatalf("the line filter alone found %d inventory lines; the demo should keep the trace id out of them", len(plain.Entries))
	}
	// The document carries exactly the fields the issues name (17: the changes in the window).
	b, _ := json.Marshal(v.Document())
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range doc {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if got := strings.Join(keys, ","); got != "changes,changes_elsewhere,logs,request_id,services,spans,summary,timeline,trace_ids,window" {
		t.Errorf("document fields %s", got)
	}
}

func TestIntegrationUnknownID(t *testing.T) {
	lc, jc := stackClients(t)
	now := time.Now()
	id := fmt.Sprintf("req-nowhere-%d", now.UnixNano())
	v, err := NewResolver(Config{Logs: lc, Traces: jc}).Resolve(context.Background(), id, Window{From: now.Add(-30 * time.Minute), To: now})
	if err != nil {
		t.Fatal(err)
	}
	if v.Found() || v.IsPartial() || !v.Widened {
		t.Fatalf("found %v partial %v widened %v", v.Found(), v.PartialNote(), v.Widened)
	}
	msg := v.NotFound()
	// The selector is derived from the labels the backend has: Loki adds
	// service_name on its own, VictoriaLogs keeps the demo's service.
	if len(v.Selectors) != 1 || (v.Selectors[0] != lc.Dialect().Stream("service_name", "") && v.Selectors[0] != lc.Dialect().Stream("service", "")) {
		t.Errorf("selectors %q; want one over service_name or service", v.Selectors)
	}
	for _, want := range []string{id + " not found in ", "nor, widened once, in ", "; searched " + DisplayName(lc.Backend()) + " selectors " + strings.Join(v.Selectors, ", "),
		" and Jaeger tag request_id=" + id + " in 5 services"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}

// A Jaeger that does not answer leaves a partial view, labelled so, with
// the lines the log backend still has.
func TestIntegrationJaegerDownIsPartial(t *testing.T) {
	lc, _ := stackClients(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	jc, err := jaeger.New(jaeger.Config{Address: addr})
	if err != nil {
		t.Fatal(err)
	}
	defer jc.Close()
	id := sampleRequestIDs(t, lc, 1)[0]
	now := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	v, err := NewResolver(Config{Logs: lc, Traces: jc}).Resolve(ctx, id, Window{From: now.Add(-15 * time.Minute), To: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Logs) == 0 || len(v.Spans) != 0 {
		t.Fatalf("%d logs %d spans", len(v.Logs), len(v.Spans))
	}
	if len(v.Partial) != 1 || v.Partial[0].Backend != "jaeger" || v.Partial[0].Kind != sources.KindUnreachable {
		t.Fatalf("partial %+v", v.Partial)
	}
	if note := v.PartialNote(); !strings.HasPrefix(note, "partial: jaeger unreachable: ") || !strings.HasSuffix(note, "; showing logs only") {
		t.Errorf("note %q", note)
	}
}
