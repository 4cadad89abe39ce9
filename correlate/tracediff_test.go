package correlate

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

var diffT0 = time.Date(2026, 12, 5, 14, 0, 0, 0, time.UTC)

// sp is a span from ms offsets.
func dsp(id, parent, svc, op string, from, to int, failed bool) sources.Span {
	return sources.Span{SpanID: id, ParentSpanID: parent, Service: svc, Operation: op,
		Start: diffT0.Add(time.Duration(from) * time.Millisecond), Duration: time.Duration(to-from) * time.Millisecond, Error: failed}
}

const (
	opCheckout  = "POST /api/checkout"
	opCheckoutB = "POST /checkout"
	opReserve   = "POST /v1/reserve"
	opCharge    = "POST /v1/charge"
	opAuthorize = "POST /v2/authorize"
	opPublish   = "orders publish"
)

// The baseline: frontend → checkout → (inventory call, payments call with
// the gateway authorize, publish). Critical times, worked by hand (ms):
// A 4, B 14 (93-98, 90-91, 25-30, 2-5), C 2, D 18, E 2, F 6, G 52, H 2;
// they add up to the root's 100.
func baseTrace() sources.Trace {
	return sources.Trace{TraceID: "base", Spans: []sources.Span{
		dsp("a", "", "frontend", opCheckout, 0, 100, false),
		dsp("b", "a", "checkout", opCheckoutB, 2, 98, false),
		dsp("c", "b", "checkout", opReserve, 5, 25, false),
		dsp("d", "c", "inventory", opReserve, 6, 24, false),
		dsp("e", "b", "checkout", opCharge, 30, 90, false),
		dsp("f", "e", "payments", opCharge, 31, 89, false),
		dsp("g", "f", "payments", opAuthorize, 33, 85, false),
		dsp("h", "b", "checkout", opPublish, 91, 93, false),
	}}
}

// The slow trace: the first reservation fails in inventory, checkout
// retries it (an extra call, C1/D1), the gateway authorize takes 1192 ms
// instead of 52, and nothing is published (H missing). Critical times
// (ms): A 4; B 26 (1285-1298, 80-85, 25-30, 2-5); C0 2, D0 18; C1 2
// (79-80, 30-31), D1 48; E 2, F 6, G 1192. Sum 1300.
func slowTrace() sources.Trace {
	spans := []sources.Span{
		dsp("A", "", "frontend", opCheckout, 0, 1300, false),
		dsp("B", "A", "checkout", opCheckoutB, 2, 1298, false),
		dsp("C0", "B", "checkout", opReserve, 5, 25, false),
		dsp("D0", "C0", "inventory", opReserve, 6, 24, true),
		dsp("C1", "B", "checkout", opReserve, 30, 80, false),
		dsp("D1", "C1", "inventory", opReserve, 31, 79, false),
		dsp("E", "B", "checkout", opCharge, 85, 1285, false),
		dsp("F", "E", "payments", opCharge, 86, 1284, false),
		dsp("G", "F", "payments", opAuthorize, 88, 1280, false),
	}
	// Arrival order must not matter.
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(spans), func(i, j int) { spans[i], spans[j] = spans[j], spans[i] })
	return sources.Trace{TraceID: "slow", Spans: spans}
}

func dms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

func TestDiffRanksByWhatExplainsTheExtraDuration(t *testing.T) {
	d := Diff(slowTrace(), baseTrace())
	type want struct {
		slowID, baseID     string
		presence           Presence
		crit, self, total  time.Duration
		slowCrit, baseCrit time.Duration
		slowErr, baseErr   bool
		path               string
	}
	// Ranking worked by hand: G explains 1140 ms; the retry's inventory
	// span 48 and its call 2 (only in the slow trace); checkout's own
	// time 12. Then the zero critical deltas: D0 first as it failed only
	// in the slow trace, then by self delta (all 0) and total delta: A
	// 1200, E 1140, F 1140 (tree order), C0 0. H, only in the baseline,
	// explains -2 and comes last.
	wants := []want{
		{"G", "g", InBoth, dms(1140), dms(1140), dms(1140), dms(1192), dms(52), false, false,
			"frontend POST /api/checkout › checkout POST /checkout › checkout POST /v1/charge › payments POST /v1/charge › payments POST /v2/authorize"},
		{"D1", "", OnlySlow, dms(48), dms(48), dms(48), dms(48), 0, false, false,
			"frontend POST /api/checkout › checkout POST /checkout › checkout POST /v1/reserve#2 › inventory POST /v1/reserve"},
		{"B", "b", InBoth, dms(12), dms(12), dms(1200), dms(26), dms(14), false, false, ""},
		{"C1", "", OnlySlow, dms(2), dms(2), dms(50), dms(2), 0, false, false, ""},
		{"D0", "d", InBoth, 0, 0, 0, dms(18), dms(18), true, false, ""},
		{"A", "a", InBoth, 0, 0, dms(1200), dms(4), dms(4), false, false, "frontend POST /api/checkout"},
		{"E", "e", InBoth, 0, 0, dms(1140), dms(2), dms(2), false, false, ""},
		{"F", "f", InBoth, 0, 0, dms(1140), dms(6), dms(6), false, false, ""},
		{"C0", "c", InBoth, 0, 0, 0, dms(2), dms(2), false, false, ""},
		{"", "h", OnlyBase, -dms(2), -dms(2), -dms(2), 0, dms(2), false, false,
			"frontend POST /api/checkout › checkout POST /checkout › checkout orders publish"},
	}
	if len(d.Rows) != len(wants) {
		t.Fatalf("%d rows, want %d", len(d.Rows), len(wants))
	}
	for i, w := range wants {
		r := d.Rows[i]
		got := fmt.Sprintf("%s/%s %s crit %v self %v total %v (crit %v vs %v) err %v/%v",
			r.Slow.SpanID, r.Base.SpanID, r.Presence, r.CriticalDelta, r.SelfDelta, r.TotalDelta, r.Slow.Critical, r.Base.Critical, r.Slow.Error, r.Base.Error)
		exp := fmt.Sprintf("%s/%s %s crit %v self %v total %v (crit %v vs %v) err %v/%v",
			w.slowID, w.baseID, w.presence, w.crit, w.self, w.total, w.slowCrit, w.baseCrit, w.slowErr, w.baseErr)
		if got != exp {
			t.Errorf("row %d: %s\n          want %s", i, got, exp)
		}
		if w.path != "" && d.Path(i) != w.path {
			t.Errorf("row %d path %q, want %q", i, d.Path(i), w.path)
		}
	}
	if d.Matched != 7 || d.OnlySlow != 2 || d.OnlyBase != 1 {
		t.Errorf("counts %d/%d/%d", d.Matched, d.OnlySlow, d.OnlyBase)
	}
	if d.Slow.Duration != dms(1300) || d.Base.Duration != dms(100) || d.Slow.Errors != 1 || d.Slow.Service != "frontend" {
		t.Errorf("sides %+v %+v", d.Slow, d.Base)
	}
	// The critical deltas account for the whole extra duration.
	var sum time.Duration
	for _, r := range d.Rows {
		sum += r.CriticalDelta
	}
	if sum != d.Slow.Duration-d.Base.Duration {
		t.Errorf("critical deltas add up to %v, the traces differ by %v", sum, d.Slow.Duration-d.Base.Duration)
	}
	if s, b := d.Rows[0].OnCriticalPath(); !s || !b {
		t.Error("authorize is on both paths")
	}
	if s, b := d.Rows[len(d.Rows)-1].OnCriticalPath(); s || !b {
		t.Error("publish is on the baseline's path only")
	}
}

func TestDiffSelfTimeClipsAndMergesChildren(t *testing.T) {
	tr := sources.Trace{TraceID: "x", Spans: []sources.Span{
		dsp("r", "", "s", "root", 0, 100, false),
		dsp("1", "r", "s", "a", 10, 30, false),
		dsp("2", "r", "s", "a", 20, 40, false),  // overlaps 1: 10-40 covered
		dsp("3", "r", "s", "b", 90, 130, false), // outlives the root: 90-100
		dsp("4", "r", "s", "b", -5, 5, false),   // starts before it: 0-5
	}}
	d := Diff(tr, tr)
	for _, r := range d.Rows {
		if r.Depth == 0 && r.Slow.Self != dms(100-30-10-5) {
			t.Errorf("root self %v, want 55ms", r.Slow.Self)
		}
		if r.Presence != InBoth || r.TotalDelta != 0 || r.CriticalDelta != 0 {
			t.Errorf("a trace against itself: %+v", r)
		}
	}
}

func TestDiffSurvivesCyclesDuplicatesAndOrphans(t *testing.T) {
	tr := sources.Trace{TraceID: "x", Spans: []sources.Span{
		dsp("r", "", "s", "root", 0, 100, false),
		dsp("r", "", "s", "dup", 0, 100, false),
		dsp("x", "y", "s", "cyc", 10, 20, false),
		dsp("y", "x", "s", "cyc", 12, 18, false),
		dsp("o", "gone", "s", "orphan", 30, 40, false),
	}}
	d := Diff(tr, sources.Trace{TraceID: "e"})
	if len(d.Rows) != 4 || d.OnlySlow != 4 {
		t.Fatalf("rows %+v", d.Rows)
	}
	for i := range d.Rows {
		_ = d.Path(i) // terminates
	}
	if e := Diff(sources.Trace{}, sources.Trace{}); len(e.Rows) != 0 {
		t.Fatal("empty traces give rows")
	}
}

// healthy builds a one-root candidate trace.
func cand(id, svc, op string, startMin float64, durMS int, failed bool) sources.Trace {
	st := diffT0.Add(time.Duration(startMin * float64(time.Minute)))
	return sources.Trace{TraceID: id, Spans: []sources.Span{
		{SpanID: id + "-r", Service: svc, Operation: op, Start: st, Duration: dms(durMS)},
		{SpanID: id + "-c", ParentSpanID: id + "-r", Service: "payments", Operation: opCharge, Start: st, Duration: dms(durMS / 2), Error: failed},
	}}
}

func TestChooseBaseline(t *testing.T) {
	target := cand("t", "frontend", opCheckout, 0, 1500, false)
	cands := []sources.Trace{
		target,
		cand("err", "frontend", opCheckout, 0.1, 100, true),
		cand("other", "frontend", "GET /", 0.1, 100, false),
		cand("old", "frontend", opCheckout, -120, 100, false),
		cand("h90", "frontend", opCheckout, -10, 90, false),
		cand("h100", "frontend", opCheckout, -3, 100, false),
		cand("h105", "frontend", opCheckout, -20, 105, false),
		cand("h110", "frontend", opCheckout, 2, 110, false),
		cand("h400", "frontend", opCheckout, 0.5, 400, false),
		{TraceID: "empty"},
		cand("h100", "frontend", opCheckout, -3, 100, false),
	}
	b, err := ChooseBaseline(target, cands)
	if err != nil {
		t.Fatal(err)
	}
	// Healthy: 90 100 105 110 400; lower median 105, ±25% keeps all but
	// 400; of those h110 (2 min after) is nearest in time.
	if b.TraceID != "h110" || b.Median != dms(105) {
		t.Fatalf("chose %s, median %v", b.TraceID, b.Median)
	}
	wantReason := map[string]string{
		"t": "the trace itself", "err": "has errors: 1 error spans", "other": "different root: frontend GET /",
		"old": "too far in time: 2h0m0s from the target", "h90": "healthy: 90ms, 10m0s from the target",
		"h400": "duration far from median: 400ms vs median 105ms (more than 25% off)", "empty": "no spans",
		"h110": "chosen: 110ms, 2m0s from the target",
	}
	kept := 0
	for i, c := range b.Considered {
		if w, ok := wantReason[c.TraceID]; ok && c.Reason != w && !(c.TraceID == "h100" && i == 10) {
			t.Errorf("%s: %q, want %q", c.TraceID, c.Reason, w)
		}
		if c.Kept {
			kept++
		}
	}
	if b.Considered[10].Reason != "duplicate of an earlier candidate" {
		t.Errorf("duplicate: %q", b.Considered[10].Reason)
	}
	if kept != 4 || !b.Considered[7].Chosen {
		t.Errorf("kept %d", kept)
	}
	if got := TallyCandidates(b.Considered); got != "1 the trace itself, 1 has errors, 1 different root, 1 too far in time, 3 healthy, 1 chosen, 1 duration far from median, 1 no spans, 1 duplicate of an earlier candidate" {
		t.Errorf("tally %q", got)
	}
	if !strings.Contains(b.Reason, "nearest in time (2m0s after) of 4 healthy frontend POST /api/checkout traces within 25% of their median 105ms") {
		t.Errorf("reason %q", b.Reason)
	}
}

func TestChooseBaselineNoneHealthy(t *testing.T) {
	target := cand("t", "frontend", opCheckout, 0, 1500, false)
	_, err := ChooseBaseline(target, []sources.Trace{
		target, cand("e1", "frontend", opCheckout, 1, 100, true), cand("e2", "frontend", opCheckout, 2, 100, true),
		cand("o", "frontend", "GET /", 1, 100, false),
	})
	var nb *NoBaselineError
	if !errors.As(err, &nb) || len(nb.Considered) != 4 {
		t.Fatalf("err %v", err)
	}
	if got := err.Error(); got != "no healthy baseline found among 4 candidates: 1 the trace itself, 2 has errors, 1 different root" {
		t.Errorf("message %q", got)
	}
	if _, err := ChooseBaseline(target, nil); err == nil || !strings.Contains(err.Error(), "no candidate traces") {
		t.Errorf("no candidates: %v", err)
	}
	if _, err := ChooseBaseline(sources.Trace{TraceID: "z"}, nil); err == nil {
		t.Error("an empty target gives no error")
	}
}

func TestGivenBaselineNotes(t *testing.T) {
	target := cand("t", "frontend", opCheckout, 0, 1500, false)
	b := GivenBaseline(target, cand("b", "frontend", "GET /", 1, 100, true))
	if b.TraceID != "b" || len(b.Notes) != 2 {
		t.Fatalf("%+v", b)
	}
	if b := GivenBaseline(target, cand("b", "frontend", opCheckout, 1, 100, false)); len(b.Notes) != 0 {
		t.Fatalf("%+v", b)
	}
	if b := GivenBaseline(target, target); len(b.Notes) != 1 || b.Notes[0] != "the baseline is the trace itself" {
		t.Fatalf("%+v", b)
	}
}

func TestBaselineQueries(t *testing.T) {
	target := cand("t", "frontend", opCheckout, 0, 1500, false)
	qs, err := BaselineQueries(target, diffT0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != BaselineSlices || !qs[0].From.Equal(diffT0.Add(-BaselineLookback)) || !qs[len(qs)-1].To.Equal(diffT0.Add(BaselineLookahead)) {
		t.Fatalf("%+v", qs)
	}
	for i, q := range qs {
		if q.Service != "frontend" || q.Operation != opCheckout || q.Limit != BaselinePerSlice || !q.From.Before(q.To) {
			t.Errorf("query %d %+v", i, q)
		}
		if i > 0 && !q.From.Equal(qs[i-1].To) {
			t.Errorf("query %d leaves a gap", i)
		}
	}
	// A recent trace: no slice reaches past now.
	qs, _ = BaselineQueries(target, diffT0.Add(time.Minute))
	if !qs[len(qs)-1].To.Equal(diffT0.Add(time.Minute)) {
		t.Errorf("last slice ends %v", qs[len(qs)-1].To)
	}
	if _, err := BaselineQueries(sources.Trace{TraceID: "z"}, diffT0); err == nil {
		t.Error("empty trace")
	}
	if _, err := BaselineQueries(target, diffT0.Add(-time.Hour)); err == nil {
		t.Error("a trace from the future")
	}
}

func TestTraceDiffJSON(t *testing.T) {
	d := Diff(slowTrace(), baseTrace())
	j := d.JSON(Baseline{TraceID: "base", Reason: "given\x1b[31m"}, 3)
	if len(j.Rows) != 3 || j.Omitted != 7 || j.DeltaUS != 1_200_000 || j.Rows[0].Rank != 1 {
		t.Fatalf("%+v", j)
	}
	b, err := json.Marshal(j)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{`"critical_delta_us":1140000`, `"presence":"only_slow","slow":{"span_id":"D1"`, `"baseline":null`, `"notes":[]`} {
		if !strings.Contains(s, want) {
			t.Errorf("json lacks %s: %s", want, s)
		}
	}
	if strings.Contains(s, "\x1b") || strings.Contains(s, `\u001b`) {
		t.Error("unsanitized reason")
	}
}

// TestDiffProperties checks, on random trees, that a trace diffed with
// itself (in another arrival order) matches every span with no deltas,
// and that the critical deltas of two different trees add up to the
// difference of their roots' durations.
func TestDiffProperties(t *testing.T) {
	for seed := range 20 {
		a := sources.Trace{TraceID: "a", Spans: bigTraceSeed(500, uint64(seed))}
		shuffled := sources.Trace{TraceID: "b", Spans: append([]sources.Span(nil), a.Spans...)}
		rand.New(rand.NewPCG(uint64(seed), 9)).Shuffle(len(shuffled.Spans), func(i, j int) {
			shuffled.Spans[i], shuffled.Spans[j] = shuffled.Spans[j], shuffled.Spans[i]
		})
		d := Diff(a, shuffled)
		if d.Matched != len(a.Spans) || d.OnlySlow != 0 || d.OnlyBase != 0 {
			t.Fatalf("seed %d: %d/%d/%d of %d", seed, d.Matched, d.OnlySlow, d.OnlyBase, len(a.Spans))
		}
		for _, r := range d.Rows {
			if r.TotalDelta != 0 || r.SelfDelta != 0 || r.CriticalDelta != 0 || r.Slow.SpanID != r.Base.SpanID {
				t.Fatalf("seed %d: %+v", seed, r)
			}
		}
		other := sources.Trace{TraceID: "c", Spans: bigTraceSeed(400, uint64(seed)+100)}
		d = Diff(a, other)
		var sum time.Duration
		for i, r := range d.Rows {
			sum += r.CriticalDelta
			if i > 0 && r.CriticalDelta > d.Rows[i-1].CriticalDelta {
				t.Fatalf("seed %d: row %d out of order", seed, i)
			}
			if p := r.Parent; p >= 0 && d.Rows[p].Depth != r.Depth-1 {
				t.Fatalf("seed %d: row %d's parent is at depth %d", seed, i, d.Rows[p].Depth)
			}
		}
		if want := d.Slow.Duration - d.Base.Duration; sum != want {
			t.Fatalf("seed %d: critical deltas add up to %v, roots differ by %v", seed, sum, want)
		}
		if d.Matched+d.OnlySlow != 500 || d.Matched+d.OnlyBase != 400 {
			t.Fatalf("seed %d: %d/%d/%d", seed, d.Matched, d.OnlySlow, d.OnlyBase)
		}
	}
}

// bigTraceSeed is bigTrace's shape with a seed of its own and a handful of
// names, so that two trees share many positions.
func bigTraceSeed(n int, seed uint64) []sources.Span {
	r := rand.New(rand.NewPCG(seed, seed))
	t0 := diffT0
	spans := []sources.Span{{SpanID: "0", Service: "frontend", Operation: "GET /", Start: t0, Duration: time.Duration(1+r.IntN(10)) * time.Second}}
	for i := 1; i < n; i++ {
		p := spans[r.IntN(len(spans))]
		off := time.Duration(r.Int64N(int64(p.Duration) + 1))
		d := time.Duration(r.Int64N(int64(p.Duration-off) + 1))
		spans = append(spans, sources.Span{
			SpanID: fmt.Sprintf("%x", i), ParentSpanID: p.SpanID,
			Service: fmt.Sprintf("svc-%d", r.IntN(3)), Operation: "op",
			Start: p.Start.Add(off), Duration: d,
		})
	}
	return spans
}

// During an incident most nearby traces are the incident's own, so their
// median is slow: a candidate that was not faster than the trace is never
// its baseline, even the nearest; with none faster there is no baseline.
func TestChooseBaselineMustBeFaster(t *testing.T) {
	target := cand("t", "frontend", opCheckout, 0, 1200, false)
	b, err := ChooseBaseline(target, []sources.Trace{
		cand("slow-near", "frontend", opCheckout, 0.1, 1300, false),
		cand("slow2", "frontend", opCheckout, -1, 1250, false),
		cand("fast-far", "frontend", opCheckout, -5, 1100, false),
	})
	// Median 1250, ±25%: all three typical; only fast-far was faster.
	if err != nil || b.TraceID != "fast-far" {
		t.Fatalf("chose %q, %v", b.TraceID, err)
	}
	for _, c := range b.Considered {
		if c.TraceID == "slow-near" && c.Reason != "not faster than the trace: 1.3s, the trace took 1.2s" {
			t.Errorf("slow-near: %q", c.Reason)
		}
	}
	_, err = ChooseBaseline(target, []sources.Trace{cand("s", "frontend", opCheckout, 0.1, 1300, false)})
	var nb *NoBaselineError
	if !errors.As(err, &nb) || !strings.Contains(err.Error(), "1 not faster than the trace") {
		t.Fatalf("none faster: %v", err)
	}
}
