package pane

import (
	"context"
	"errors"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/sources"
)

func newTestRequest(now time.Time) Request[string] {
	return NewRequest[string](RequestConfig{Pane: "p", Name: "q", Timeout: time.Minute, Now: func() time.Time { return now }})
}

func answer(v string, err error) func(context.Context) (string, error) {
	return func(context.Context) (string, error) { return v, err }
}

func TestRequestDropsStaleAnswer(t *testing.T) {
	r := newTestRequest(time.Unix(100, 0))
	first := r.Start(context.Background(), answer("old", nil))
	second := r.Start(context.Background(), answer("new", nil))
	if r.Accept(first().(Result[string])) {
		t.Fatal("the answer to a replaced run was accepted")
	}
	if !r.Busy() {
		t.Fatal("a stale answer ended the run that is out")
	}
	if !r.Accept(second().(Result[string])) {
		t.Fatal("the latest answer was dropped")
	}
	if v, ok := r.Last(); !ok || v != "new" || r.Busy() {
		t.Fatalf("Last = %q, %v; busy %v", v, ok, r.Busy())
	}
	// Another pane's or another request's answer with the same number.
	third := r.Start(context.Background(), answer("x", nil))
	res := third().(Result[string])
	for _, other := range []Result[string]{{Pane: "other", Name: res.Name, Seq: res.Seq}, {Pane: res.Pane, Name: "other", Seq: res.Seq}} {
		if r.Accept(other) {
			t.Fatalf("accepted %+v", other)
		}
	}
}

func TestRequestStartCancelsPrevious(t *testing.T) {
	r := newTestRequest(time.Unix(100, 0))
	var firstCtx context.Context
	first := r.Start(context.Background(), func(ctx context.Context) (string, error) {
		firstCtx = ctx
		<-ctx.Done()
		return "", ctx.Err()
	})
	done := make(chan Result[string], 1)
	go func() { done <- first().(Result[string]) }()
	time.Sleep(10 * time.Millisecond) // let the first run begin (it waits for its context either way)
	_ = r.Start(context.Background(), answer("new", nil))
	select {
	case res := <-done:
		if !errors.Is(res.Err, context.Canceled) || firstCtx.Err() == nil {
			t.Fatalf("first run ended with %v, want context.Canceled", res.Err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("starting a new run did not cancel the one out")
	}
}

func TestRequestStopMakesAnswerStale(t *testing.T) {
	r := newTestRequest(time.Unix(100, 0))
	cmd := r.Start(context.Background(), func(ctx context.Context) (string, error) { return "late", ctx.Err() })
	r.Stop()
	if r.Busy() {
		t.Fatal("busy after Stop")
	}
	res := cmd().(Result[string])
	if !errors.Is(res.Err, context.Canceled) {
		t.Fatalf("stopped run's context not cancelled: %v", res.Err)
	}
	if r.Accept(res) {
		t.Fatal("a stopped run's answer was accepted")
	}
}

func TestRequestKeepsOldViewOnError(t *testing.T) {
	now := time.Unix(100, 0)
	r := newTestRequest(now)
	r.Accept(r.Start(context.Background(), answer("good", nil))().(Result[string]))
	bad := &sources.Error{Backend: "prometheus", Kind: sources.KindTimeout, Msg: "took \x1b[31mtoo long"}
	cmd := r.Start(context.Background(), answer("", bad))
	if v, ok := r.Last(); !ok || v != "good" || !r.Busy() {
		t.Fatalf("while loading: Last = %q, %v, busy %v; want the old answer kept", v, ok, r.Busy())
	}
	if !r.Accept(cmd().(Result[string])) {
		t.Fatal("error answer dropped")
	}
	if v, ok := r.Last(); !ok || v != "good" {
		t.Fatalf("after an error Last = %q, %v; want the old answer kept", v, ok)
	}
	kind, reason := r.ErrText()
	if r.Err() != bad || !r.ErrAt().Equal(now) || kind != sources.KindTimeout.String() || reason != "took too long" {
		t.Fatalf("error = %v at %v, text %q %q", r.Err(), r.ErrAt(), kind, reason)
	}
	r.Accept(r.Start(context.Background(), answer("again", nil))().(Result[string]))
	if r.Err() != nil || !r.ErrAt().IsZero() {
		t.Fatal("a good answer did not clear the error")
	}
	r.Reset()
	if _, ok := r.Last(); ok || r.Busy() {
		t.Fatal("Reset kept the answer")
	}
}

func TestRequestTimeout(t *testing.T) {
	r := NewRequest[string](RequestConfig{Pane: "p", Timeout: 10 * time.Millisecond})
	res := r.Start(context.Background(), func(ctx context.Context) (string, error) {
		<-ctx.Done()
		return "", ctx.Err()
	})().(Result[string])
	if !errors.Is(res.Err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the timeout", res.Err)
	}
}

// progressMsg is a snapshot a multi-message run sends before its answer.
type progressMsg struct {
	stamp Stamp
	n     int
}

func TestRequestStartWithProgress(t *testing.T) {
	r := NewRequest[string](RequestConfig{Pane: "p", Name: "resolve", Timeout: time.Minute})
	var runCtx context.Context
	first := r.StartWith(context.Background(), func(ctx context.Context, s Stamp) tea.Cmd {
		runCtx = ctx
		return func() tea.Msg { return progressMsg{stamp: s, n: 1} }
	})
	p1 := first().(progressMsg)
	if !r.Current(p1.stamp) || !r.Busy() {
		t.Fatal("the run's progress is not current")
	}
	if _, ok := runCtx.Deadline(); !ok {
		t.Fatal("the run's context has no timeout")
	}
	// A new run: the old one's context ends and its messages are stale.
	second := r.StartWith(context.Background(), func(ctx context.Context, s Stamp) tea.Cmd {
		return func() tea.Msg { return NewResult(s, "done", nil) }
	})
	if r.Current(p1.stamp) || runCtx.Err() == nil {
		t.Fatalf("the replaced run is still current (ctx err %v)", runCtx.Err())
	}
	res := second().(Result[string])
	if !r.Accept(res) || r.Busy() {
		t.Fatal("the answer of a StartWith run was not accepted")
	}
	if v, _ := r.Last(); v != "done" || r.Current(Stamp{Pane: "p", Name: "resolve", Seq: r.Seq()}) {
		t.Fatalf("Last = %q; a finished run is still current", v)
	}
}
