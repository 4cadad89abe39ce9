package victorialogs

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

type entryKey struct {
	ts     int64
	stream string
	line   string
}

func keyOf(e sources.LogEntry) entryKey {
	return entryKey{ts: e.Time.UnixNano(), stream: formatStream(e.Labels), line: e.Line}
}

// clustered makes n entries over three streams in runs that share a
// timestamp, within a stream and across streams, so that page edges fall
// inside runs.
func clustered(f *fakeVL, n, run int) {
	streams := []map[string]string{{"app": "a"}, {"app": "b"}, {"app": "c", "env": "prod"}}
	for i := 0; i < n; i++ {
		f.add(streams[i%3], t0.Add(time.Duration(i/run)*time.Millisecond), fmt.Sprintf("line %d", i))
	}
}

// checkWalk asserts what a correct walk gives, however it pages: the right
// count, no repeats, direction order, only real entries, and nothing
// skipped before the cut.
func checkWalk(t *testing.T, all, got []sources.LogEntry, dir sources.Direction, limit int) {
	t.Helper()
	if want := min(limit, len(all)); len(got) != want {
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
			t.Fatalf("entry %d %v %q delivered twice", i, e.Time, e.Line)
		}
		seen[k] = true
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

func TestWalkPagesWithoutDuplicates(t *testing.T) {
	for _, dir := range []sources.Direction{sources.Backward, sources.Forward} {
		for _, limit := range []int{1, 99, 100, 101, 1000, 4321, 5000} {
			t.Run(fmt.Sprintf("%s/limit=%d", dir, limit), func(t *testing.T) {
				f := newFakeVL()
				clustered(f, 4321, 7)
				c := newFakeClient(t, f, 100)
				res, err := c.QueryRange(context.Background(), sources.LogQuery{Expr: `{app=~".+"}`,
					From: t0, To: t0.Add(time.Hour), Limit: limit, Direction: dir})
				if err != nil {
					t.Fatal(err)
				}
				checkWalk(t, f.allEntries(), res.Entries, dir, limit)
				for _, call := range f.calls {
					if call.limit > 100 {
						t.Fatalf("asked for %d entries, above the page size", call.limit)
					}
					if !call.at.Equal(t0.Add(time.Hour)) {
						t.Fatalf("page evaluated at %v, not at the query's end", call.at)
					}
				}
			})
		}
	}
}

// Runs at one timestamp longer than a page, which Loki's API cannot page
// through, are read whole here.
func TestWalkRunLongerThanPage(t *testing.T) {
	for _, dir := range []sources.Direction{sources.Backward, sources.Forward} {
		t.Run(dir.String(), func(t *testing.T) {
			f := newFakeVL()
			s := map[string]string{"app": "a"}
			for i := 0; i < 50; i++ {
				f.add(s, t0.Add(time.Duration(i)*time.Second), fmt.Sprintf("before %d", i))
			}
			for i := 0; i < 250; i++ {
				f.add(map[string]string{"app": fmt.Sprint("s", i%4)}, t0.Add(time.Minute), fmt.Sprintf("same %d", i))
			}
			for i := 0; i < 50; i++ {
				f.add(s, t0.Add(2*time.Minute+time.Duration(i)*time.Second), fmt.Sprintf("after %d", i))
			}
			c := newFakeClient(t, f, 100)
			for _, limit := range []int{10000, 120, 300} {
				var got []sources.LogEntry
				warns, err := c.QueryRangeFunc(context.Background(), sources.LogQuery{Expr: `{app="a"}`,
					From: t0, To: t0.Add(time.Hour), Limit: limit, Direction: dir}, func(es []sources.LogEntry) error {
					got = append(got, es...)
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				if len(warns) != 0 {
					t.Fatalf("warnings %q", warns)
				}
				checkWalk(t, f.allEntries(), got, dir, limit)
			}
		})
	}
}

func TestWalkSplitsLongWindows(t *testing.T) {
	f := newFakeVL()
	s := map[string]string{"app": "a"}
	for i := 0; i < 100; i++ {
		f.add(s, t0.Add(time.Duration(i)*time.Minute), fmt.Sprintf("m%d", i))
	}
	srvClient := newFakeClient(t, f, 30)
	srvClient.maxLen = 10 * time.Minute
	for _, dir := range []sources.Direction{sources.Backward, sources.Forward} {
		f.calls = nil
		res, err := srvClient.QueryRange(context.Background(), sources.LogQuery{Expr: `{app="a"}`,
			From: t0, To: t0.Add(100 * time.Minute), Limit: 1000, Direction: dir})
		if err != nil {
			t.Fatal(err)
		}
		checkWalk(t, f.allEntries(), res.Entries, dir, 1000)
		for _, call := range f.calls {
			if call.end.Sub(call.start) > 10*time.Minute {
				t.Fatalf("window %v..%v longer than the maximum", call.start, call.end)
			}
		}
	}
}

// The window is [From, To): an entry at To is not in it, one at From is.
func TestWalkWindowBounds(t *testing.T) {
	f := newFakeVL()
	s := map[string]string{"app": "a"}
	f.add(s, t0, "at from")
	f.add(s, t0.Add(time.Minute), "at to")
	c := newFakeClient(t, f, 10)
	res, err := c.QueryRange(context.Background(), sources.LogQuery{Expr: `{app="a"}`, From: t0, To: t0.Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Entries) != 1 || res.Entries[0].Line != "at from" {
		t.Fatalf("got %+v", res.Entries)
	}
}

func TestWalkDefaultLimitAndStop(t *testing.T) {
	f := newFakeVL()
	clustered(f, 3000, 3)
	c := newFakeClient(t, f, 500)
	res, err := c.QueryRange(context.Background(), sources.LogQuery{Expr: `*`, From: t0, To: t0.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	checkWalk(t, f.allEntries(), res.Entries, sources.Backward, DefaultLimit)

	stop := errors.New("enough")
	pages := 0
	_, err = c.QueryRangeFunc(context.Background(), sources.LogQuery{Expr: `*`, From: t0, To: t0.Add(time.Hour), Limit: 3000},
		func([]sources.LogEntry) error {
			pages++
			return stop
		})
	if !errors.Is(err, stop) || pages != 1 {
		t.Fatalf("fn's error: got %v after %d pages", err, pages)
	}
}

func TestNormalizeRefusesBadQueries(t *testing.T) {
	c := newFakeClient(t, newFakeVL(), 10)
	for name, q := range map[string]sources.LogQuery{
		"empty":     {Expr: "  "},
		"negative":  {Expr: "*", Limit: -1},
		"direction": {Expr: "*", Direction: 7},
		"reversed":  {Expr: "*", From: t0.Add(time.Hour), To: t0},
	} {
		if _, err := c.QueryRange(context.Background(), q); sources.KindOf(err) != sources.KindBadQuery {
			t.Errorf("%s: got %v, want a bad query", name, err)
		}
	}
}

func TestWithPipe(t *testing.T) {
	for in, want := range map[string]string{
		`{a="b"}`:              `{a="b"} | limit 1`,
		"{a=\"b\"};  \n":       `{a="b"} | limit 1`,
		"{a=\"b\"} # note":     "{a=\"b\"} # note\n| limit 1",
		"x # c\n{a=\"b\"} err": "x # c\n{a=\"b\"} err | limit 1",
	} {
		if got := withPipe(in, "limit 1"); got != want {
			t.Errorf("withPipe(%q) = %q, want %q", in, got, want)
		}
	}
}

// With the page size left to the client, pages of short lines double from
// DefaultPageSize to MaxPageSize, and a walk still returns every entry
// once; pages of long lines do not grow. A page size the caller set is
// never exceeded (TestWalkPagesWithoutDuplicates).
func TestWalkGrowsPagesOfShortLines(t *testing.T) {
	pages := func(f *fakeVL) []int {
		var sizes []int
		for _, call := range f.calls {
			if pageRe.MatchString(call.query) {
				sizes = append(sizes, call.limit)
			}
		}
		return sizes
	}
	f := newFakeVL()
	clustered(f, 150_000, 3)
	c := newFakeClient(t, f, 0)
	res, err := c.QueryRange(context.Background(), sources.LogQuery{Expr: `{app=~".+"}`, From: t0, To: t0.Add(time.Hour), Limit: 150_000})
	if err != nil {
		t.Fatal(err)
	}
	checkWalk(t, f.allEntries(), res.Entries, sources.Backward, 150_000)
	got := pages(f)
	want := []int{DefaultPageSize, 2 * DefaultPageSize, 4 * DefaultPageSize, 8 * DefaultPageSize, MaxPageSize}
	if len(got) < len(want) || fmt.Sprint(got[:len(want)]) != fmt.Sprint(want) {
		t.Fatalf("page sizes %v; want them to start %v", got, want)
	}
	for _, n := range got {
		if n > MaxPageSize {
			t.Fatalf("asked for a page of %d, above MaxPageSize", n)
		}
	}

	long := newFakeVL()
	line := strings.Repeat("x", 2000) // 5000 of them are 10 MB, above pageGrowBytes
	for i := 0; i < 12_000; i++ {
		long.add(map[string]string{"app": "a"}, t0.Add(time.Duration(i)*time.Millisecond), fmt.Sprintf("%s %d", line, i))
	}
	c = newFakeClient(t, long, 0)
	if _, err := c.QueryRange(context.Background(), sources.LogQuery{Expr: `{app="a"}`, From: t0, To: t0.Add(time.Hour), Limit: 12_000}); err != nil {
		t.Fatal(err)
	}
	for _, n := range pages(long) {
		if n > DefaultPageSize {
			t.Fatalf("pages of 2 KB lines grew to %d entries: %v", n, pages(long))
		}
	}
}
