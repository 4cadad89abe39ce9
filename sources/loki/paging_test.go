package loki

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// clusteredEntries makes n entries over three streams in which runs of
// entries share a timestamp, within one stream and across streams, so that
// page boundaries fall inside runs.
func clusteredEntries(f *fakeLoki, n int, step time.Duration) {
	streams := []map[string]string{{"app": "a"}, {"app": "b"}, {"app": "c", "env": "prod"}}
	for i := 0; i < n; i++ {
		ts := t0.Add(time.Duration(i/7) * step)
		f.add(streams[i%3], ts, fmt.Sprintf("line %d", i%5)) // lines repeat across timestamps and streams
	}
}

// checkWalk asserts the properties a correct walk has, independent of how it
// pages: the right count, no repeats, direction order, only real entries,
// and nothing skipped before the cut.
func checkWalk(t *testing.T, all, got []sources.LogEntry, dir Direction, limit int) {
	t.Helper()
	want := min(limit, len(all))
	if len(got) != want {
		t.Fatalf("got %d entries, want %d", len(got), want)
	}
	exists := map[entryKey]bool{}
	for _, e := range all {
		exists[keyOf(e)] = true
	}
	seen := map[entryKey]bool{}
	for i, e := range got {
		k := keyOf(e)
		if !exists[k] {
			t.Fatalf("entry %d %v %q is not in the data", i, e.Time, e.Line)
		}
		if seen[k] {
			t.Fatalf("entry %d %v %s %q delivered twice", i, e.Time, labelsKey(e.Labels), e.Line)
		}
		seen[k] = true
		if i > 0 {
			prev := got[i-1].Time
			if dir == Backward && e.Time.After(prev) || dir == Forward && e.Time.Before(prev) {
				t.Fatalf("entry %d at %v is out of %s order after %v", i, e.Time, dir, prev)
			}
		}
	}
	if len(got) == 0 {
		return
	}
	cut := got[len(got)-1].Time
	for _, e := range all {
		inside := dir == Backward && e.Time.After(cut) || dir == Forward && e.Time.Before(cut)
		if inside && !seen[keyOf(e)] {
			t.Fatalf("entry %v %q before the cut %v was skipped", e.Time, e.Line, cut)
		}
	}
}

func TestWalkPagesWithoutDuplicates(t *testing.T) {
	for _, dir := range []Direction{Backward, Forward} {
		for _, limit := range []int{1, 99, 100, 101, 1000, 12345, 20000} {
			t.Run(fmt.Sprintf("%s/limit=%d", dir, limit), func(t *testing.T) {
				f := &fakeLoki{}
				clusteredEntries(f, 12345, time.Millisecond)
				c := newFakeClient(t, f, 100, 0)
				res, err := c.QueryRange(context.Background(), Query{Expr: `{app=~".+"}`,
					From: t0, To: t0.Add(time.Hour), Limit: limit, Direction: dir})
				if err != nil {
					t.Fatal(err)
				}
				checkWalk(t, f.entries, res.Entries, dir, limit)
				for _, r := range f.calls {
					if r.limit > 100 {
						t.Fatalf("asked for %d entries, above the page size", r.limit)
					}
				}
			})
		}
	}
}

func TestWalkDefaultLimit(t *testing.T) {
	f := &fakeLoki{}
	clusteredEntries(f, 3000, time.Millisecond)
	c := newFakeClient(t, f, 500, 0)
	res, err := c.QueryRange(context.Background(), Query{Expr: `{app="a"}`, From: t0, To: t0.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	checkWalk(t, f.entries, res.Entries, Backward, DefaultLimit)
}

// More entries at one timestamp than fit a page cannot all be read with
// Loki's API; the walk must end, say so, and still not repeat anything.
func TestWalkTimestampRunLongerThanPage(t *testing.T) {
	for _, dir := range []Direction{Backward, Forward} {
		t.Run(dir.String(), func(t *testing.T) {
			f := &fakeLoki{}
			s := map[string]string{"app": "a"}
			for i := 0; i < 50; i++ {
				f.add(s, t0.Add(time.Duration(i)*time.Second), fmt.Sprintf("before %d", i))
			}
			for i := 0; i < 250; i++ {
				f.add(s, t0.Add(time.Minute), fmt.Sprintf("same %d", i))
			}
			for i := 0; i < 50; i++ {
				f.add(s, t0.Add(2*time.Minute+time.Duration(i)*time.Second), fmt.Sprintf("after %d", i))
			}
			c := newFakeClient(t, f, 100, 0)
			var got []sources.LogEntry
			warns, err := c.QueryRangeFunc(context.Background(), Query{Expr: `{app="a"}`, From: t0, To: t0.Add(time.Hour),
				Limit: 10000, Direction: dir}, func(es []sources.LogEntry) error {
				got = append(got, es...)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(warns) == 0 || !strings.Contains(warns[0], "share the timestamp") {
				t.Fatalf("no warning about the long run: %q", warns)
			}
			seen := map[entryKey]bool{}
			var before, after int
			for _, e := range got {
				if seen[keyOf(e)] {
					t.Fatalf("%q delivered twice", e.Line)
				}
				seen[keyOf(e)] = true
				switch {
				case strings.HasPrefix(e.Line, "before"):
					before++
				case strings.HasPrefix(e.Line, "after"):
					after++
				}
			}
			if before != 50 || after != 50 {
				t.Fatalf("entries around the run lost: before=%d after=%d", before, after)
			}
		})
	}
}

func TestWalkSplitsLongWindows(t *testing.T) {
	for _, dir := range []Direction{Backward, Forward} {
		t.Run(dir.String(), func(t *testing.T) {
			f := &fakeLoki{maxLen: time.Hour}
			// One entry every 10 minutes over 5h30m, plus one exactly on each
			// split boundary.
			clusteredEntries(f, 7*33, 10*time.Minute/7)
			c := newFakeClient(t, f, 50, time.Hour)
			from, to := t0, t0.Add(5*time.Hour+30*time.Minute)
			res, err := c.QueryRange(context.Background(), Query{Expr: `{app=~".+"}`, From: from, To: to, Limit: 100000, Direction: dir})
			if err != nil {
				t.Fatal(err)
			}
			var inWindow []sources.LogEntry
			for _, e := range f.entries {
				if !e.Time.Before(from) && e.Time.Before(to) {
					inWindow = append(inWindow, e)
				}
			}
			checkWalk(t, inWindow, res.Entries, dir, 100000)
			for _, r := range f.calls {
				if r.end.Sub(r.start) > time.Hour || r.start.Before(from) || r.end.After(to) {
					t.Fatalf("request window %v..%v breaks the limits", r.start, r.end)
				}
			}
		})
	}
}

func TestSplitWindowsCoverInOrder(t *testing.T) {
	from := t0
	for _, span := range []time.Duration{time.Minute, time.Hour, 3 * time.Hour, 3*time.Hour + time.Nanosecond, 100 * time.Hour} {
		for _, dir := range []Direction{Backward, Forward} {
			ws := splitWindows(from, from.Add(span), time.Hour, dir)
			if len(ws) == 0 {
				t.Fatalf("%v: no windows", span)
			}
			// Walk them back into ascending order and check they tile the range.
			asc := ws
			if dir == Backward {
				asc = make([]window, len(ws))
				for i := range ws {
					asc[len(ws)-1-i] = ws[i]
				}
			}
			if !asc[0].from.Equal(from) || !asc[len(asc)-1].to.Equal(from.Add(span)) {
				t.Fatalf("%v %s: windows %v do not cover the range", span, dir, ws)
			}
			for i, w := range asc {
				if w.to.Sub(w.from) > time.Hour || !w.from.Before(w.to) {
					t.Fatalf("%v %s: window %d is %v", span, dir, i, w.to.Sub(w.from))
				}
				if i > 0 && !asc[i-1].to.Equal(w.from) {
					t.Fatalf("%v %s: gap or overlap between windows %d and %d", span, dir, i-1, i)
				}
			}
		}
	}
	if ws := splitWindows(from, from, time.Hour, Forward); len(ws) != 0 {
		t.Fatalf("empty range gave windows %v", ws)
	}
}

func TestMetricRangeSplitsOnStepGrid(t *testing.T) {
	f := &fakeLoki{metric: true, maxLen: time.Hour}
	c := newFakeClient(t, f, 100, time.Hour)
	from, to := t0, t0.Add(4*time.Hour+7*time.Minute)
	step := 7 * time.Minute
	ser, _, err := c.MetricRange(context.Background(), `rate({app="a"}[5m])`, from, to, step)
	if err != nil {
		t.Fatal(err)
	}
	if len(ser) != 1 {
		t.Fatalf("got %d series, want the windows joined into 1", len(ser))
	}
	got := ser[0].Samples
	for i, s := range got {
		if s.Time.Sub(from)%step != 0 {
			t.Fatalf("sample %d at %v is off the step grid", i, s.Time)
		}
		if i > 0 && s.Time.Sub(got[i-1].Time) != step {
			t.Fatalf("sample %d: gap or repeat between %v and %v", i, got[i-1].Time, s.Time)
		}
	}
	if !got[0].Time.Equal(from) || to.Sub(got[len(got)-1].Time) >= step {
		t.Fatalf("samples %v..%v do not span %v..%v", got[0].Time, got[len(got)-1].Time, from, to)
	}
	if len(f.calls) < 2 {
		t.Fatalf("a 4h window with a 1h limit went out in %d request(s)", len(f.calls))
	}
}

func TestQueryRangeRejectsMetricQuery(t *testing.T) {
	f := &fakeLoki{metric: true}
	c := newFakeClient(t, f, 100, 0)
	_, err := c.QueryRange(context.Background(), Query{Expr: `rate({a="b"}[1m])`, From: t0, To: t0.Add(time.Minute)})
	if sources.KindOf(err) != sources.KindBadQuery {
		t.Fatalf("got %v, want a bad query", err)
	}
}

func TestQueryRangeFuncStopsOnCallbackError(t *testing.T) {
	f := &fakeLoki{}
	clusteredEntries(f, 1000, time.Millisecond)
	c := newFakeClient(t, f, 100, 0)
	stop := errors.New("enough")
	pages := 0
	_, err := c.QueryRangeFunc(context.Background(), Query{Expr: `{app="a"}`, From: t0, To: t0.Add(time.Hour), Limit: 1000},
		func([]sources.LogEntry) error {
			pages++
			if pages == 2 {
				return stop
			}
			return nil
		})
	if !errors.Is(err, stop) || pages != 2 {
		t.Fatalf("got %v after %d pages", err, pages)
	}
}

func TestQueryValidation(t *testing.T) {
	c := newFakeClient(t, &fakeLoki{}, 100, 0)
	for name, q := range map[string]Query{
		"empty":     {Expr: "  "},
		"negative":  {Expr: `{a="b"}`, Limit: -1},
		"reversed":  {Expr: `{a="b"}`, From: t0.Add(time.Hour), To: t0},
		"direction": {Expr: `{a="b"}`, Direction: 7},
	} {
		if _, err := c.QueryRange(context.Background(), q); sources.KindOf(err) != sources.KindBadQuery {
			t.Errorf("%s: got %v, want a bad query", name, err)
		}
	}
}

func TestPageErrorsStopTheWalk(t *testing.T) {
	f := &fakeLoki{fail: func(call int) error {
		if call >= 3 {
			return httpError("query_range", 400, []byte("parse error at line 1, col 2: syntax error"))
		}
		return nil
	}}
	clusteredEntries(f, 1000, time.Millisecond)
	c := newFakeClient(t, f, 100, 0)
	var n int
	_, err := c.QueryRangeFunc(context.Background(), Query{Expr: `{app="a"}`, From: t0, To: t0.Add(time.Hour), Limit: 1000},
		func(es []sources.LogEntry) error { n += len(es); return nil })
	if sources.KindOf(err) != sources.KindBadQuery || !strings.Contains(err.Error(), "parse error") {
		t.Fatalf("got %v", err)
	}
	if len(f.calls) != 3 {
		t.Fatalf("a bad query was retried: %d calls", len(f.calls))
	}
	if n == 0 {
		t.Fatal("pages before the failure were not delivered")
	}
}
