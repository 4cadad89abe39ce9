package correlate

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

// kind sets a span's kind the way the Jaeger source does.
func kind(s sources.Span, k string) sources.Span {
	s.Kind = k
	return s
}

// kindTag sets a span's kind only as a span.kind tag, as a source that
// does not fill Kind would.
func kindTag(s sources.Span, k string) sources.Span {
	s.Tags = append(s.Tags, sources.KV{Key: "span.kind", Value: k})
	return s
}

// refs gives a span references; the parent is whatever ParentSpanID says.
func refs(s sources.Span, r ...sources.SpanRef) sources.Span {
	s.References = r
	return s
}

func childOf(id string) sources.SpanRef {
	return sources.SpanRef{TraceID: "t", SpanID: id, Type: sources.ChildOf}
}
func followsFrom(id string) sources.SpanRef {
	return sources.SpanRef{TraceID: "t", SpanID: id, Type: sources.FollowsFrom}
}

// TestCriticalPathJaegerUIRules checks hand-made trees against the path
// Jaeger UI gives. The jaeger-ui cases are its own testCases/test1..9
// shapes (times in ms instead of µs) with its expected sections, put in
// time order; the others were worked out by hand from the rules in
// CriticalPath's doc comment, as the comment on each says.
func TestCriticalPathJaegerUIRules(t *testing.T) {
	cases := []struct {
		name  string
		spans []sources.Span
		want  []piece
	}{
		// jaeger-ui testCases, expected sections as jaeger-ui's tests give them.
		{
			name:  "jaeger-ui test1: sequential children, listed out of order",
			spans: []sources.Span{sp("E", "C", "s", 50, 60), sp("C", "", "s", 1, 101), sp("D", "C", "s", 20, 40)},
			want:  []piece{{"C", 1, 20}, {"D", 20, 40}, {"C", 40, 50}, {"E", 50, 60}, {"C", 60, 101}},
		},
		{
			name:  "jaeger-ui test2: overlapping children, the last finishing one hides the other",
			spans: []sources.Span{sp("X", "", "s", 1, 101), sp("A", "X", "s", 10, 50), sp("C", "X", "s", 20, 60)},
			want:  []piece{{"X", 1, 20}, {"C", 20, 60}, {"X", 60, 101}},
		},
		{
			name:  "jaeger-ui test3: a child starting at or after its parent's end is dropped",
			spans: []sources.Span{sp("A", "", "s", 100, 140), sp("B", "A", "s", 140, 200)},
			want:  []piece{{"A", 100, 140}},
		},
		{
			name:  "jaeger-ui test4: a dropped child takes its subtree with it",
			spans: []sources.Span{sp("A", "", "s", 1, 31), sp("B", "A", "s", 40, 80), sp("C", "B", "s", 50, 60)},
			want:  []piece{{"A", 1, 31}},
		},
		{
			name: "jaeger-ui test5: a consumer under a producer (FOLLOWS_FROM too) is off the path with its subtree",
			spans: []sources.Span{
				kind(sp("A", "", "s", 1, 31), "producer"),
				refs(kind(sp("B", "A", "s", 10, 20), "consumer"), followsFrom("A")),
				sp("C", "B", "s", 12, 14),
			},
			want: []piece{{"A", 1, 31}},
		},
		{
			name:  "jaeger-ui test6: a grandchild starting before its parent is cut to the parent's fitted start",
			spans: []sources.Span{sp("A", "", "s", 1, 30), sp("B", "A", "s", 15, 35), sp("C", "B", "s", 10, 25)},
			want:  []piece{{"A", 1, 15}, {"C", 15, 25}, {"B", 25, 30}},
		},
		{
			name:  "jaeger-ui test7: a chain outliving the root is cut at the root's end",
			spans: []sources.Span{sp("A", "", "s", 1, 30), sp("B", "A", "s", 15, 35), sp("C", "B", "s", 20, 40)},
			want:  []piece{{"A", 1, 15}, {"B", 15, 20}, {"C", 20, 30}},
		},
		{
			name:  "jaeger-ui test8: a child starting before and ending after its parent takes the parent's whole window",
			spans: []sources.Span{sp("A", "", "s", 10, 30), sp("B", "A", "s", 5, 35)},
			want:  []piece{{"B", 10, 30}},
		},
		{
			name:  "jaeger-ui test9: a child ending before its parent starts is dropped",
			spans: []sources.Span{sp("A", "", "s", 10, 30), sp("B", "A", "s", 1, 5)},
			want:  []piece{{"A", 10, 30}},
		},

		// Worked out by hand from the rules.
		{
			// The demo's shape: checkout publishes while it still runs and
			// the consumer starts before the publish returns. Unpruned, the
			// consumer would be publish's last-finishing child and own
			// 65..80; pruned, publish keeps 60..80 and root the rest.
			name: "producer → consumer (CHILD_OF, as OTel converts it): consumer and its subtree are off the path",
			spans: []sources.Span{
				kind(sp("co", "", "checkout", 0, 100), "server"),
				refs(kind(sp("pub", "co", "checkout", 60, 80), "producer"), childOf("co")),
				refs(kind(sp("proc", "pub", "orders", 65, 95), "consumer"), childOf("pub")),
				refs(kind(sp("db", "proc", "orders", 70, 78), "client"), childOf("proc")),
			},
			want: []piece{{"co", 0, 60}, {"pub", 60, 80}, {"co", 80, 100}},
		},
		{
			// Same tree with kinds only as upper-case tags: root 0..60,
			// publish 60..80, root 80..100 again.
			name: "producer → consumer read from span.kind tags in any case",
			spans: []sources.Span{
				sp("co", "", "checkout", 0, 100),
				kindTag(sp("pub", "co", "checkout", 60, 80), "PRODUCER"),
				kindTag(sp("proc", "pub", "orders", 65, 95), "Consumer"),
			},
			want: []piece{{"co", 0, 60}, {"pub", 60, 80}, {"co", 80, 100}},
		},
		{
			// Only the pair is non-blocking: a client under a producer, and
			// a consumer under an internal span (a poll loop), do block.
			// Root's LFC is poll (ends 90): root 90..100; poll's LFC is
			// proc: poll 85..90, proc 50..85; back in poll at 50 nothing
			// ends before: poll 40..50; back in root at 40: pub (ends 30),
			// root 30..40; pub's LFC is ack: pub 25..30, ack 15..25, pub
			// 10..15; root 0..10.
			name: "a client under a producer and a consumer under an internal span block",
			spans: []sources.Span{
				sp("root", "", "s", 0, 100),
				kind(sp("pub", "root", "s", 10, 30), "producer"),
				kind(sp("ack", "pub", "s", 15, 25), "client"),
				kind(sp("poll", "root", "s", 40, 90), "internal"),
				kind(sp("proc", "poll", "s", 50, 85), "consumer"),
			},
			want: []piece{{"root", 0, 10}, {"pub", 10, 15}, {"ack", 15, 25}, {"pub", 25, 30}, {"root", 30, 40},
				{"poll", 40, 50}, {"proc", 50, 85}, {"poll", 85, 90}, {"root", 90, 100}},
		},
		{
			// f follows from the root, so the root does not wait for it:
			// without f the LFC is a (ends 40): root 40..100, a 10..40,
			// root 0..10. With f (ends 90) and its child on the path the
			// answer would differ.
			name: "a FOLLOWS_FROM child is off the path with its subtree",
			spans: []sources.Span{
				sp("root", "", "s", 0, 100),
				refs(sp("a", "root", "s", 10, 40), childOf("root")),
				refs(sp("f", "root", "s", 30, 90), followsFrom("root")),
				refs(sp("f1", "f", "s", 40, 80), childOf("f")),
			},
			want: []piece{{"root", 0, 10}, {"a", 10, 40}, {"root", 40, 100}},
		},
		{
			// A FOLLOWS_FROM beside a CHILD_OF to the same parent, or a
			// link to some other span, does not make the child
			// non-blocking: b is the LFC, root 0..20, b 20..90, root 90..100.
			name: "CHILD_OF wins over FOLLOWS_FROM; a link elsewhere changes nothing",
			spans: []sources.Span{
				sp("root", "", "s", 0, 100),
				refs(sp("b", "root", "s", 20, 90), followsFrom("root"), childOf("root")),
				refs(sp("c", "root", "s", 5, 15), childOf("root"), followsFrom("b")),
			},
			want: []piece{{"root", 0, 5}, {"c", 5, 15}, {"root", 15, 20}, {"b", 20, 90}, {"root", 90, 100}},
		},
		{
			// A consumer whose producer is not in the trace is an orphan
			// root; being the longest root it is walked: proc 0..10,
			// db 10..20, proc 20..50.
			name: "a consumer whose producer is missing is a root and walked",
			spans: []sources.Span{
				kind(sp("proc", "gone", "orders", 0, 50), "consumer"),
				kind(sp("db", "proc", "orders", 10, 20), "client"),
			},
			want: []piece{{"proc", 0, 10}, {"db", 10, 20}, {"proc", 20, 50}},
		},
		{
			// b and c end together; Jaeger UI takes the first in start
			// order (b) whatever the input order: root 80..100, b 10..80,
			// root 0..10. c is hidden behind b.
			name: "equal ends: the child that started first is taken",
			spans: []sources.Span{
				sp("root", "", "s", 0, 100), sp("c", "root", "s", 30, 80), sp("b", "root", "s", 10, 80),
			},
			want: []piece{{"root", 0, 10}, {"b", 10, 80}, {"root", 80, 100}},
		},
		{
			// Nested with overlap and an overrun at two levels: b is cut
			// to 10..100, its children are c (20..50) and d (40..95), and
			// d's child e (60..130) is cut to d's end, 60..95. root has nothing after b's end 100; in b, d is
			// the LFC: b 95..100; in d, e: nothing after 95, e 60..95, d
			// 40..60; back in b at 40, c ends 50 (too late): b 10..40;
			// root 0..10.
			name: "nested overlap and overrun",
			spans: []sources.Span{
				sp("root", "", "s", 0, 100), sp("b", "root", "s", 10, 120),
				sp("c", "b", "s", 20, 50), sp("d", "b", "s", 40, 95), sp("e", "d", "s", 60, 130),
			},
			want: []piece{{"root", 0, 10}, {"b", 10, 40}, {"d", 40, 60}, {"e", 60, 95}, {"b", 95, 100}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := pieces(CriticalPath(tc.spans))
			if !slices.Equal(got, tc.want) {
				t.Errorf("path\n got %v\nwant %v", got, tc.want)
			}
		})
	}
}

func TestCriticalServicesSkipTheConsumer(t *testing.T) {
	spans := []sources.Span{
		kind(sp("fe", "", "frontend", 0, 100), "server"),
		kind(sp("co", "fe", "checkout", 5, 95), "server"),
		kind(sp("pub", "co", "checkout", 60, 80), "producer"),
		kind(sp("proc", "pub", "orders", 62, 99), "consumer"),
	}
	got := CriticalServices(spans)
	if want := []string{"frontend", "checkout"}; !slices.Equal(got, want) {
		t.Errorf("CriticalServices = %v, want %v (orders does not block checkout)", got, want)
	}
}

// refPath is the test's own statement of the rules, written the way
// Jaeger UI's code reads (prune, fit top down, recursive last-finishing-
// child walk) with reltui's deliberate differences (a child ending exactly
// at the return time is taken; one root; adjacent pieces joined). It is
// quadratic and recursive: an oracle, not an implementation.
func refPath(spans []sources.Span) []piece {
	if len(spans) == 0 {
		return []piece{}
	}
	type win struct{ start, end int }
	ms := func(t time.Time) int { return int(t.Sub(cpT0) / time.Millisecond) }
	byID := map[string]sources.Span{}
	for _, s := range spans {
		byID[s.SpanID] = s
	}
	kids := map[string][]sources.Span{}
	for _, s := range spans[1:] {
		kids[s.ParentSpanID] = append(kids[s.ParentSpanID], s)
	}
	blocking := func(c, p sources.Span) bool {
		ck, _ := c.Tag("span.kind")
		pk, _ := p.Tag("span.kind")
		ck, pk = cmp.Or(c.Kind, ck), cmp.Or(p.Kind, pk)
		if strings.EqualFold(ck, "consumer") && strings.EqualFold(pk, "producer") {
			return false
		}
		return len(c.References) == 0 || c.References[0].Type == sources.ChildOf
	}
	w := map[string]win{}
	children := map[string][]string{}
	var fit func(s sources.Span)
	fit = func(s sources.Span) {
		pw := w[s.SpanID]
		for _, c := range kids[s.SpanID] {
			st, en := ms(c.Start), ms(c.End())
			if !blocking(c, s) || st >= pw.end && st >= pw.start || st < pw.start && en <= pw.start {
				continue
			}
			w[c.SpanID] = win{max(st, pw.start), min(en, pw.end)}
			children[s.SpanID] = append(children[s.SpanID], c.SpanID)
			fit(c)
		}
		slices.SortStableFunc(children[s.SpanID], func(a, b string) int {
			return cmp.Compare(ms(byID[a].Start), ms(byID[b].Start))
		})
	}
	root := spans[0]
	w[root.SpanID] = win{ms(root.Start), ms(root.End())}
	fit(root)
	var rev []piece
	taken := map[string]bool{}
	var walk func(id string, until int)
	walk = func(id string, until int) {
		lfc := ""
		for _, c := range children[id] {
			if !taken[c] && w[c].end <= until && (lfc == "" || w[c].end > w[lfc].end) {
				lfc = c
			}
		}
		if lfc != "" {
			taken[lfc] = true
			rev = append(rev, piece{id, w[lfc].end, until})
			walk(lfc, w[lfc].end)
			walk(id, w[lfc].start)
			return
		}
		rev = append(rev, piece{id, w[id].start, until})
	}
	walk(root.SpanID, w[root.SpanID].end)
	out := []piece{}
	for i := len(rev) - 1; i >= 0; i-- {
		p := rev[i]
		if p.to <= p.from {
			continue
		}
		if k := len(out) - 1; k >= 0 && out[k].id == p.id && out[k].to == p.from {
			out[k].to = p.to
			continue
		}
		out = append(out, p)
	}
	return out
}

// asyncTrace is randomTrace with some spans made producers, consumers and
// FOLLOWS_FROM children, so non-blocking subtrees turn up at every depth.
func asyncTrace(r *rand.Rand, n int) []sources.Span {
	spans := randomTrace(r, n)
	for i := range spans {
		switch r.IntN(6) {
		case 0:
			spans[i].Kind = "producer"
		case 1:
			spans[i].Kind = "consumer"
		case 2:
			spans[i].Kind = "server"
		}
		if i > 0 && r.IntN(6) == 0 {
			spans[i].References = []sources.SpanRef{followsFrom(spans[i].ParentSpanID)}
		}
	}
	return spans
}

// TestCriticalPathMatchesTheRules compares the iterative walk with the
// recursive oracle on random trees with skew, overlap, zero-length and
// non-blocking spans.
func TestCriticalPathMatchesTheRules(t *testing.T) {
	for seed := uint64(1); seed <= 500; seed++ {
		spans := asyncTrace(rand.New(rand.NewPCG(seed, 11)), 1+int(seed%80))
		got, want := pieces(CriticalPath(spans)), refPath(spans)
		if !slices.Equal(got, want) {
			t.Fatalf("seed %d: path\n got %v\nwant %v\nspans %s", seed, got, want, dumpSpans(spans))
		}
	}
}

// TestNonBlockingSubtreesAreAsIfAbsent: removing every non-blocking child
// with its subtree from the input must not change the path.
func TestNonBlockingSubtreesAreAsIfAbsent(t *testing.T) {
	for seed := uint64(1); seed <= 300; seed++ {
		spans := asyncTrace(rand.New(rand.NewPCG(seed, 13)), 2+int(seed%60))
		byID := map[string]*sources.Span{}
		for i := range spans {
			byID[spans[i].SpanID] = &spans[i]
		}
		gone := map[string]bool{}
		var pruned []sources.Span
		for _, s := range spans { // parents come before children in randomTrace
			if p := byID[s.ParentSpanID]; p != nil && (gone[p.SpanID] || !blocksParent(&s, p)) {
				gone[s.SpanID] = true
				continue
			}
			pruned = append(pruned, s)
		}
		got, want := pieces(CriticalPath(spans)), pieces(CriticalPath(pruned))
		if !slices.Equal(got, want) {
			t.Fatalf("seed %d: with non-blocking subtrees %v, without %v", seed, got, want)
		}
		for _, sg := range CriticalPath(spans) {
			if gone[sg.SpanID] {
				t.Fatalf("seed %d: non-blocking span %s on the path", seed, sg.SpanID)
			}
		}
	}
}

func dumpSpans(spans []sources.Span) string {
	var b strings.Builder
	for _, s := range spans {
		ft := ""
		if len(s.References) > 0 && s.References[0].Type == sources.FollowsFrom {
			ft = " FOLLOWS_FROM"
		}
		fmt.Fprintf(&b, "\n  %s<-%s %s%s [%d,%d]", s.SpanID, s.ParentSpanID, s.Kind, ft,
			s.Start.Sub(cpT0)/time.Millisecond, s.End().Sub(cpT0)/time.Millisecond)
	}
	return b.String()
}
