package correlate

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

// TestFindBaselineSearchesEverySlice: every query BaselineQueries names
// is searched, in order, and the chosen candidate comes back as found.
func TestFindBaselineSearchesEverySlice(t *testing.T) {
	target := cand("t", "frontend", opCheckout, 0, 1500, false)
	now := diffT0.Add(time.Hour)
	want, _ := BaselineQueries(target, now)
	var asked []BaselineQuery
	search := func(_ context.Context, q BaselineQuery) ([]sources.Trace, error) {
		asked = append(asked, q)
		if len(asked) == 2 {
			return []sources.Trace{cand("h100", "frontend", opCheckout, -3, 100, false), cand("e", "frontend", opCheckout, -2, 90, true)}, nil
		}
		return nil, nil
	}
	chosen, b, err := FindBaseline(context.Background(), target, now, search)
	if err != nil {
		t.Fatal(err)
	}
	if len(asked) != len(want) || asked[0] != want[0] || asked[len(asked)-1] != want[len(want)-1] {
		t.Fatalf("searched %+v, want %+v", asked, want)
	}
	if chosen == nil || chosen.TraceID != "h100" || b.TraceID != "h100" || len(b.Considered) != 2 {
		t.Fatalf("chose %+v, %+v", chosen, b)
	}
}

func TestFindBaselineSaysWhyNot(t *testing.T) {
	target := cand("t", "frontend", opCheckout, 0, 1500, false)
	now := diffT0.Add(time.Hour)
	down := errors.New("jaeger: unavailable")
	calls := 0
	failing := func(context.Context, BaselineQuery) ([]sources.Trace, error) { calls++; return nil, down }
	if _, _, err := FindBaseline(context.Background(), target, now, failing); !errors.Is(err, down) || calls != 1 {
		t.Fatalf("a failed search: %v after %d calls; want it passed on after the first", err, calls)
	}
	onlyErrors := func(context.Context, BaselineQuery) ([]sources.Trace, error) {
		return []sources.Trace{cand("e", "frontend", opCheckout, 1, 100, true)}, nil
	}
	var nb *NoBaselineError
	if _, _, err := FindBaseline(context.Background(), target, now, onlyErrors); !errors.As(err, &nb) || len(nb.Considered) == 0 {
		t.Fatalf("no healthy candidate: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := FindBaseline(ctx, target, now, onlyErrors); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled search: %v", err)
	}
	if _, _, err := FindBaseline(context.Background(), sources.Trace{TraceID: "z"}, now, onlyErrors); err == nil {
		t.Fatal("a trace with no spans: no error")
	}
}
