package logtest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

// pagingPastPageSize pushes 2500 lines over three streams, in runs of 7
// sharing a timestamp, and reads them with a page size of 1000, so pages
// end inside runs.
func (s *suite) pagingPastPageSize(t *testing.T) {
	b := s.h.New(t, ClientConfig{PageSize: 1000})
	id := runID(t)
	base := time.Now().Add(-20 * time.Minute).Truncate(time.Second)
	streams := []map[string]string{{Label: id, "app": "a"}, {Label: id, "app": "b"}, {Label: id, "app": "c"}}
	var all []sources.LogEntry
	for i := 0; i < 2500; i++ {
		all = append(all, sources.LogEntry{Time: base.Add(time.Duration(i/7) * time.Millisecond),
			Labels: streams[i%3], Line: fmt.Sprintf("line-%05d", i)})
	}
	s.pushAll(t, all)
	expr := selector(b, id)
	from, to := base.Add(-time.Minute), base.Add(time.Minute)
	waitVisible(t, b, expr, from, to, len(all))
	for _, dir := range []sources.Direction{sources.Backward, sources.Forward} {
		for _, limit := range []int{2200, 2500, 10000} {
			t.Run(fmt.Sprintf("%s/%d", dir, limit), func(t *testing.T) {
				var got []sources.LogEntry
				pages := 0
				_, err := b.QueryRangeFunc(ctxT(t, 2*time.Minute), sources.LogQuery{Expr: expr, From: from, To: to,
					Limit: limit, Direction: dir}, func(es []sources.LogEntry) error {
					pages++
					if len(es) > 1000 {
						t.Errorf("a batch of %d entries, above the page size", len(es))
					}
					got = append(got, es...)
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				if pages < 3 {
					t.Fatalf("%d entries came in %d batches; a page size of 1000 needs at least 3", len(got), pages)
				}
				checkWalk(t, all, got, dir, limit)
			})
		}
	}
}

// runsAtPageEdges puts 30 lines on each timestamp, with a page size (64)
// that no run divides, so almost every page ends inside a run.
func (s *suite) runsAtPageEdges(t *testing.T) {
	b := s.h.New(t, ClientConfig{PageSize: 64})
	id := runID(t)
	base := time.Now().Add(-15 * time.Minute).Truncate(time.Second)
	streams := []map[string]string{{Label: id, "app": "a"}, {Label: id, "app": "b"}}
	var all []sources.LogEntry
	for i := 0; i < 600; i++ {
		all = append(all, sources.LogEntry{Time: base.Add(time.Duration(i/30) * time.Second),
			Labels: streams[i%2], Line: fmt.Sprintf("edge-%04d", i)})
	}
	s.pushAll(t, all)
	expr := selector(b, id)
	from, to := base, base.Add(time.Minute)
	waitVisible(t, b, expr, from, to, len(all))
	for _, dir := range []sources.Direction{sources.Backward, sources.Forward} {
		for _, limit := range []int{64, 65, 333, 600} {
			res, err := b.QueryRange(ctxT(t, time.Minute), sources.LogQuery{Expr: expr, From: from, To: to, Limit: limit, Direction: dir})
			if err != nil {
				t.Fatal(err)
			}
			checkWalk(t, all, res.Entries, dir, limit)
		}
	}
}

// runLongerThanPage puts 150 lines on one timestamp, more than a page of
// 50. A backend either returns them all or says in a warning that some are
// missing; it never repeats one.
func (s *suite) runLongerThanPage(t *testing.T) {
	b := s.h.New(t, ClientConfig{PageSize: 50})
	id := runID(t)
	base := time.Now().Add(-12 * time.Minute).Truncate(time.Second)
	st := map[string]string{Label: id, "app": "run"}
	var all []sources.LogEntry
	for i := 0; i < 20; i++ {
		all = append(all, sources.LogEntry{Time: base.Add(time.Duration(i) * time.Second), Labels: st, Line: fmt.Sprintf("before-%02d", i)})
	}
	for i := 0; i < 150; i++ {
		all = append(all, sources.LogEntry{Time: base.Add(30 * time.Second), Labels: st, Line: fmt.Sprintf("same-%03d", i)})
	}
	for i := 0; i < 20; i++ {
		all = append(all, sources.LogEntry{Time: base.Add(time.Minute + time.Duration(i)*time.Second), Labels: st, Line: fmt.Sprintf("after-%02d", i)})
	}
	s.pushAll(t, all)
	expr := selector(b, id)
	from, to := base, base.Add(2*time.Minute)
	waitVisible(t, b, expr, from, to, len(all))
	for _, dir := range []sources.Direction{sources.Backward, sources.Forward} {
		res, err := b.QueryRange(ctxT(t, time.Minute), sources.LogQuery{Expr: expr, From: from, To: to, Limit: 1000, Direction: dir})
		if err != nil {
			t.Fatal(err)
		}
		if s.h.ExactRuns || len(res.Entries) == len(all) {
			checkWalk(t, all, res.Entries, dir, 1000)
			continue
		}
		if len(res.Warnings) == 0 {
			t.Fatalf("%s: %d of %d entries and no warning", dir, len(res.Entries), len(all))
		}
		seen := map[key]bool{}
		for _, e := range res.Entries {
			if seen[keyOf(e)] {
				t.Fatalf("%s: %q delivered twice", dir, e.Line)
			}
			seen[keyOf(e)] = true
		}
	}
}

// windowBounds checks that From is inclusive and To exclusive.
func (s *suite) windowBounds(t *testing.T) {
	b := s.h.New(t, ClientConfig{})
	id := runID(t)
	base := time.Now().Add(-10 * time.Minute).Truncate(time.Second)
	st := map[string]string{Label: id}
	var all []sources.LogEntry
	for i := 0; i < 10; i++ {
		all = append(all, sources.LogEntry{Time: base.Add(time.Duration(i) * time.Second), Labels: st, Line: fmt.Sprintf("w%d", i)})
	}
	s.pushAll(t, all)
	expr := selector(b, id)
	waitVisible(t, b, expr, base, base.Add(time.Minute), len(all))
	for _, dir := range []sources.Direction{sources.Backward, sources.Forward} {
		res, err := b.QueryRange(ctxT(t, time.Minute), sources.LogQuery{Expr: expr,
			From: base.Add(2 * time.Second), To: base.Add(5 * time.Second), Direction: dir})
		if err != nil {
			t.Fatal(err)
		}
		got := lines(res.Entries)
		want := []string{"w2", "w3", "w4"}
		if dir == sources.Backward {
			slices.Reverse(want)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%s over [2s, 5s): got %v, want %v", dir, got, want)
		}
	}
	// One nanosecond wide: exactly the entry at From.
	res, err := b.QueryRange(ctxT(t, time.Minute), sources.LogQuery{Expr: expr,
		From: base.Add(7 * time.Second), To: base.Add(7*time.Second + time.Nanosecond)})
	if err != nil {
		t.Fatal(err)
	}
	if got := lines(res.Entries); !slices.Equal(got, []string{"w7"}) {
		t.Fatalf("over [7s, 7s+1ns): got %v", got)
	}
}

// orderBothDirections interleaves two streams and checks the exact order.
func (s *suite) orderBothDirections(t *testing.T) {
	b := s.h.New(t, ClientConfig{})
	id := runID(t)
	base := time.Now().Add(-10 * time.Minute).Truncate(time.Second)
	sa, sb := map[string]string{Label: id, "app": "a"}, map[string]string{Label: id, "app": "b"}
	var all []sources.LogEntry
	var want []string
	for i := 0; i < 5; i++ {
		all = append(all, sources.LogEntry{Time: base.Add(time.Duration(2*i) * time.Second), Labels: sa, Line: fmt.Sprintf("a%d", i)},
			sources.LogEntry{Time: base.Add(time.Duration(2*i+1) * time.Second), Labels: sb, Line: fmt.Sprintf("b%d", i)})
		want = append(want, fmt.Sprintf("a%d", i), fmt.Sprintf("b%d", i))
	}
	s.pushAll(t, all)
	expr := selector(b, id)
	from, to := base.Add(-time.Minute), base.Add(time.Minute)
	waitVisible(t, b, expr, from, to, len(all))
	fwd, err := b.QueryRange(ctxT(t, time.Minute), sources.LogQuery{Expr: expr, From: from, To: to, Direction: sources.Forward})
	if err != nil {
		t.Fatal(err)
	}
	if got := lines(fwd.Entries); !slices.Equal(got, want) {
		t.Fatalf("forward: got %v, want %v", got, want)
	}
	back, err := b.QueryRange(ctxT(t, time.Minute), sources.LogQuery{Expr: expr, From: from, To: to, Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if got := lines(back.Entries); !slices.Equal(got, []string{"b4", "a4", "b3"}) {
		t.Fatalf("backward, limit 3: got %v", got)
	}
}

// metadataIsNotLabels checks that what was pushed beside the stream comes
// back in Metadata, and only the stream's labels in Labels.
func (s *suite) metadataIsNotLabels(t *testing.T) {
	b := s.h.New(t, ClientConfig{})
	id := runID(t)
	base := time.Now().Add(-10 * time.Minute).Truncate(time.Second)
	st := map[string]string{Label: id, "app": "meta"}
	var ls []Line
	for i := 0; i < 3; i++ {
		ls = append(ls, Line{Time: base.Add(time.Duration(i) * time.Second), Line: fmt.Sprintf("m%d", i),
			Metadata: map[string]string{"trace_id": fmt.Sprintf("trace-%d", i), "user": "u1"}})
	}
	s.h.Push(t, s.h.Address, st, ls)
	expr := selector(b, id)
	from, to := base.Add(-time.Minute), base.Add(time.Minute)
	waitVisible(t, b, expr, from, to, len(ls))
	res, err := b.QueryRange(ctxT(t, time.Minute), sources.LogQuery{Expr: expr, From: from, To: to, Direction: sources.Forward})
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range res.Entries {
		if e.Labels[Label] != id || e.Labels["app"] != "meta" {
			t.Fatalf("%s: labels %v lack the stream's", e.Line, e.Labels)
		}
		for _, k := range []string{"trace_id", "user"} {
			if _, leaked := e.Labels[k]; leaked {
				t.Fatalf("%s: metadata %s came back as a stream label: %v", e.Line, k, e.Labels)
			}
		}
		if e.Metadata["trace_id"] != fmt.Sprintf("trace-%d", i) || e.Metadata["user"] != "u1" {
			t.Fatalf("%s: metadata %v", e.Line, e.Metadata)
		}
		for k := range st {
			if _, dup := e.Metadata[k]; dup {
				t.Fatalf("%s: stream label %s repeated in metadata %v", e.Line, k, e.Metadata)
			}
		}
	}
}

func (s *suite) labelsAndValues(t *testing.T) {
	b := s.h.New(t, ClientConfig{})
	id := runID(t)
	now := time.Now()
	s.h.Push(t, s.h.Address, map[string]string{Label: id, "app": "lv-a"}, []Line{{Time: now, Line: "x"}})
	s.h.Push(t, s.h.Address, map[string]string{Label: id, "app": "lv-b"}, []Line{{Time: now, Line: "y"}})
	from, to := now.Add(-time.Minute), now.Add(time.Minute)
	waitVisible(t, b, selector(b, id), from, to, 2)
	names, err := b.Labels(ctxT(t, time.Minute), from, to)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(names, Label) || !slices.Contains(names, "app") {
		t.Fatalf("labels %v", names)
	}
	vals, err := b.LabelValues(ctxT(t, time.Minute), Label, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(vals, id) {
		t.Fatalf("values of %s lack %s: %v", Label, id, vals)
	}
	vals, err = b.LabelValues(ctxT(t, time.Minute), "app", from, to)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(vals, "lv-a") || !slices.Contains(vals, "lv-b") {
		t.Fatalf("values of app: %v", vals)
	}
	if err := b.Ping(ctxT(t, time.Minute)); err != nil {
		t.Fatalf("ping: %v", err)
	}
}

// idQueriesFindFieldOnlyIDs pushes an id that is only in a metadata
// field, one only in the line, and a decoy, and runs the dialect's
// queries the way the request view does.
func (s *suite) idQueriesFindFieldOnlyIDs(t *testing.T) {
	b := s.h.New(t, ClientConfig{})
	id := runID(t)
	base := time.Now().Add(-5 * time.Minute).Truncate(time.Second)
	st := map[string]string{Label: id, "app": "ids"}
	s.h.Push(t, s.h.Address, st, []Line{
		{Time: base, Line: "GET /checkout done", Metadata: map[string]string{"request_id": "req-fieldonly-7"}},
		{Time: base.Add(time.Second), Line: "handling req-lineonly-8 now"},
		{Time: base.Add(2 * time.Second), Line: "unrelated", Metadata: map[string]string{"request_id": "req-other-9"}},
	})
	sel := selector(b, id)
	from, to := base.Add(-time.Minute), base.Add(time.Minute)
	waitVisible(t, b, sel, from, to, 3)
	find := func(ids ...string) []string {
		var got []string
		for _, q := range b.Dialect().IDQueries(sel, []string{"request_id", "trace_id"}, ids) {
			res, err := b.QueryRange(ctxT(t, time.Minute), sources.LogQuery{Expr: q, From: from, To: to, Direction: sources.Forward})
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			for _, l := range lines(res.Entries) {
				if !slices.Contains(got, l) {
					got = append(got, l)
				}
			}
		}
		slices.Sort(got)
		return got
	}
	if got := find("req-fieldonly-7"); !slices.Equal(got, []string{"GET /checkout done"}) {
		t.Fatalf("an id only in a field: found %q", got)
	}
	if got := find("req-lineonly-8"); !slices.Equal(got, []string{"handling req-lineonly-8 now"}) {
		t.Fatalf("an id only in the line: found %q", got)
	}
	if got := find("req-fieldonly-7", "req-lineonly-8"); len(got) != 2 {
		t.Fatalf("two ids: found %q", got)
	}
	if got := find("req-nowhere-0"); len(got) != 0 {
		t.Fatalf("an absent id: found %q", got)
	}
}

// containsMatchesSubstrings checks Contains finds an id inside a longer
// token, and that quotes and backslashes in it are taken literally.
func (s *suite) containsMatchesSubstrings(t *testing.T) {
	b := s.h.New(t, ClientConfig{})
	id := runID(t)
	base := time.Now().Add(-5 * time.Minute).Truncate(time.Second)
	st := map[string]string{Label: id}
	s.h.Push(t, s.h.Address, st, []Line{
		{Time: base, Line: "user=req-abc123 ok"},
		{Time: base.Add(time.Second), Line: `quoted "x\y" here`},
		{Time: base.Add(2 * time.Second), Line: "nothing"},
	})
	sel := selector(b, id)
	from, to := base.Add(-time.Minute), base.Add(time.Minute)
	waitVisible(t, b, sel, from, to, 3)
	for needle, want := range map[string]string{"abc12": "user=req-abc123 ok", `"x\y"`: `quoted "x\y" here`} {
		q := b.Dialect().Contains(sel, needle)
		res, err := b.QueryRange(ctxT(t, time.Minute), sources.LogQuery{Expr: q, From: from, To: to})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if got := lines(res.Entries); !slices.Equal(got, []string{want}) {
			t.Fatalf("%s: got %q, want %q", q, got, want)
		}
	}
}

func (s *suite) badQuery(t *testing.T) {
	b := s.h.New(t, ClientConfig{})
	_, err := b.QueryRange(ctxT(t, time.Minute), sources.LogQuery{Expr: s.h.BadQuery})
	if sources.KindOf(err) != sources.KindBadQuery {
		t.Fatalf("got %v, want a bad query", err)
	}
	if s.h.BadQueryReason != "" && !strings.Contains(err.Error(), s.h.BadQueryReason) {
		t.Fatalf("%v does not carry the server's reason %q", err, s.h.BadQueryReason)
	}
}
