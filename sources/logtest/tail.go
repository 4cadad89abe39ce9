package logtest

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

// liveLines are n lines stamped now, a millisecond apart.
func liveLines(prefix string, n int) []Line {
	now := time.Now()
	out := make([]Line, n)
	for i := range out {
		out[i] = Line{Time: now.Add(time.Duration(i) * time.Millisecond), Line: fmt.Sprintf("%s-%02d", prefix, i),
			Metadata: map[string]string{"seq": strconv.Itoa(i)}}
	}
	return out
}

func names(ls []Line) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Line
	}
	return out
}

// checkExactlyOnce asserts got holds each wanted line once and nothing
// else, in time order.
func checkExactlyOnce(t *testing.T, got []sources.LogEntry, want []string) {
	t.Helper()
	for i := 1; i < len(got); i++ {
		if got[i].Time.Before(got[i-1].Time) {
			t.Fatalf("entry %d %q is older than the one before it (%q)", i, got[i].Line, got[i-1].Line)
		}
	}
	g := lines(got)
	slices.Sort(g)
	w := slices.Clone(want)
	slices.Sort(w)
	if !slices.Equal(g, w) {
		t.Fatalf("tail delivered\n  %s\nwant each of\n  %s\nonce", strings.Join(g, " "), strings.Join(w, " "))
	}
}

// untilSentinel pushes a last line and reads until it arrives, so that
// any repeat or stray line sent before it shows up in the result, which
// leaves the sentinel out. The sentinel is stamped after every line the
// tests push (liveLines spans under 50ms), so it comes last.
func (s *suite) untilSentinel(t *testing.T, tl sources.LogTail, addr string, stream map[string]string) []sources.LogEntry {
	t.Helper()
	s.h.Push(t, addr, stream, []Line{{Time: time.Now().Add(100 * time.Millisecond), Line: "sentinel"}})
	var got []sources.LogEntry
	for {
		for i, e := range got {
			if e.Line == "sentinel" {
				return append(got[:i], got[i+1:]...)
			}
		}
		got = append(got, Collect(t, tl, 1, s.h.TailLatency+30*time.Second)...)
	}
}

func (s *suite) tailDeliversPushedLines(t *testing.T) {
	b := s.h.New(t, ClientConfig{})
	id := runID(t)
	ctx, cancel := context.WithCancel(ctxT(t, 3*time.Minute))
	defer cancel()
	tl := b.Tail(ctx, selector(b, id), time.Time{})
	waitState(t, tl, sources.TailLive, 30*time.Second)
	st := map[string]string{Label: id, "app": "tail"}
	ls := liveLines("live", 20)
	s.h.Push(t, s.h.Address, st, ls[:10])
	s.h.Push(t, s.h.Address, st, ls[10:])
	got := Collect(t, tl, 20, s.h.TailLatency+30*time.Second)
	if !slices.Equal(lines(got), names(ls)) {
		t.Fatalf("got %v", lines(got))
	}
	for i, e := range got {
		if e.Metadata["seq"] != strconv.Itoa(i) || e.Labels["app"] != "tail" || e.Labels[Label] != id {
			t.Fatalf("entry %d: labels %v metadata %v", i, e.Labels, e.Metadata)
		}
		if _, leaked := e.Labels["seq"]; leaked {
			t.Fatalf("metadata came back as a label: %v", e.Labels)
		}
	}
	if rest := s.untilSentinel(t, tl, s.h.Address, st); len(rest) != 0 {
		t.Fatalf("lines repeated or strayed in: %q", lines(rest))
	}
	if st := tl.Status(); st.State != sources.TailLive || st.Last.IsZero() || st.Reconnects != 0 {
		t.Fatalf("status %+v", st)
	}
	cancel()
	WaitDone(t, tl, 10*time.Second)
	if tl.Err() != nil {
		t.Fatalf("a cancelled tail ended with %v", tl.Err())
	}
}

// tailCatchesUpFromStart starts a tail in the past: the lines already
// there arrive first, then live ones, none twice.
func (s *suite) tailCatchesUpFromStart(t *testing.T) {
	b := s.h.New(t, ClientConfig{PageSize: 4})
	id := runID(t)
	st := map[string]string{Label: id, "app": "history"}
	base := time.Now().Add(-40 * time.Second)
	var old []Line
	for i := 0; i < 10; i++ {
		old = append(old, Line{Time: base.Add(time.Duration(i) * time.Second), Line: fmt.Sprintf("old-%02d", i)})
	}
	s.h.Push(t, s.h.Address, st, old)
	waitVisible(t, b, selector(b, id), base, time.Now().Add(time.Minute), len(old))
	ctx, cancel := context.WithCancel(ctxT(t, 3*time.Minute))
	defer cancel()
	tl := b.Tail(ctx, selector(b, id), base.Add(3*time.Second))
	got := Collect(t, tl, 7, 30*time.Second)
	if !slices.Equal(lines(got), names(old[3:])) {
		t.Fatalf("caught up %v, want %v", lines(got), names(old[3:]))
	}
	live := liveLines("new", 5)
	s.h.Push(t, s.h.Address, st, live)
	got = append(got, Collect(t, tl, 5, s.h.TailLatency+30*time.Second)...)
	got = append(got, s.untilSentinel(t, tl, s.h.Address, st)...)
	checkExactlyOnce(t, got, append(names(old[3:]), names(live)...))
}

// tailStartsAtStart writes lines just before a tail's start, where a
// backend's live stream may reach back to, and checks none of them come.
func (s *suite) tailStartsAtStart(t *testing.T) {
	b := s.h.New(t, ClientConfig{})
	id := runID(t)
	st := map[string]string{Label: id, "app": "start"}
	now := time.Now()
	s.h.Push(t, s.h.Address, st, []Line{{Time: now.Add(-7 * time.Second), Line: "before-7s"}, {Time: now.Add(-2 * time.Second), Line: "before-2s"}})
	waitVisible(t, b, selector(b, id), now.Add(-time.Minute), now, 2)
	start := time.Now()
	ctx, cancel := context.WithCancel(ctxT(t, 3*time.Minute))
	defer cancel()
	tl := b.Tail(ctx, selector(b, id), start)
	waitState(t, tl, sources.TailLive, 30*time.Second)
	live := liveLines("live", 3)
	s.h.Push(t, s.h.Address, st, live)
	got := Collect(t, tl, 1, s.h.TailLatency+30*time.Second)
	got = append(got, s.untilSentinel(t, tl, s.h.Address, st)...)
	for _, e := range got {
		if e.Time.Before(start) {
			t.Fatalf("the tail started at %v delivered %q from %v", start, e.Line, e.Time)
		}
	}
	checkExactlyOnce(t, got, names(live))
}

// tailResumesAfterCut cuts the tail's connection with a proxy, writes
// lines while it is down, and checks that every line arrives once.
func (s *suite) tailResumesAfterCut(t *testing.T) {
	p := startProxy(t, strings.TrimPrefix(strings.TrimPrefix(s.h.Address, "http://"), "https://"))
	b := s.h.New(t, ClientConfig{Address: p.url(), TailBackoff: 100 * time.Millisecond})
	s.resume(t, b, s.h.Address, func(tl sources.LogTail) {
		p.cut()
		waitState(t, tl, sources.TailReconnecting, 30*time.Second)
	}, p.restore)
}

// tailResumesAfterRestart restarts a private server under a live tail.
func (s *suite) tailResumesAfterRestart(t *testing.T) {
	if s.h.Private == nil {
		t.Skip("the harness cannot start a private server; TailResumesAfterCut proves reconnects")
	}
	addr, restart := s.h.Private(t)
	b := s.h.New(t, ClientConfig{Address: addr, TailBackoff: 100 * time.Millisecond})
	s.resume(t, b, addr, func(sources.LogTail) { restart() }, func() {})
}

// resume runs the reconnect scenario: lines before the break, lines
// written after it and before heal, lines once the tail is live again;
// each must arrive once.
func (s *suite) resume(t *testing.T, b sources.LogBackend, addr string, brk func(sources.LogTail), heal func()) {
	id := runID(t)
	st := map[string]string{Label: id, "app": "resume"}
	ctx, cancel := context.WithCancel(ctxT(t, 4*time.Minute))
	defer cancel()
	tl := b.Tail(ctx, selector(b, id), time.Time{})
	waitState(t, tl, sources.TailLive, 30*time.Second)

	before := liveLines("before", 5)
	s.h.Push(t, addr, st, before)
	got := Collect(t, tl, len(before), s.h.TailLatency+30*time.Second)

	brk(tl)
	during := liveLines("during", 5)
	s.h.Push(t, addr, st, during)
	heal()
	waitState(t, tl, sources.TailLive, time.Minute)
	after := liveLines("after", 5)
	s.h.Push(t, addr, st, after)
	got = append(got, Collect(t, tl, len(during)+len(after), s.h.TailLatency+time.Minute)...)
	got = append(got, s.untilSentinel(t, tl, addr, st)...)
	checkExactlyOnce(t, got, append(append(names(before), names(during)...), names(after)...))
	if st := tl.Status(); st.Reconnects < 1 || st.State != sources.TailLive {
		t.Fatalf("status %+v: want live after at least one reconnect", st)
	}
	cancel()
	WaitDone(t, tl, 10*time.Second)
}

func (s *suite) tailBadQuery(t *testing.T) {
	b := s.h.New(t, ClientConfig{})
	tl := b.Tail(ctxT(t, time.Minute), s.h.BadQuery, time.Time{})
	WaitDone(t, tl, 30*time.Second)
	if sources.KindOf(tl.Err()) != sources.KindBadQuery {
		t.Fatalf("a bad tail ended with %v, want a bad query", tl.Err())
	}
	if s.h.BadQueryReason != "" && !strings.Contains(tl.Err().Error(), s.h.BadQueryReason) {
		t.Fatalf("%v does not carry the server's reason %q", tl.Err(), s.h.BadQueryReason)
	}
	if st := tl.Status(); st.State != sources.TailStopped {
		t.Fatalf("status %+v", st)
	}
}
