package slo

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reltui/reltui/sources"
)

// recordingQuerier answers every query with 0 and keeps the expressions.
type recordingQuerier struct {
	mu    sync.Mutex
	exprs []string
}

func (r *recordingQuerier) Query(_ context.Context, expr string, at time.Time) ([]sources.Series, []string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.exprs = append(r.exprs, expr)
	return []sources.Series{{Samples: []sources.Sample{{Time: at, Value: 0}}}}, nil, nil
}

func TestCalendarBudgetStartsWithThePeriod(t *testing.T) {
	s := SLO{Name: "m", Objective: 0.99, Window: 30 * Day,
		Calendar: &CalendarWindow{Unit: "month", Count: 1, Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		SLI: SLI{Kind: KindEventRatio, Events: &EventRatioSLI{
			Bad: "sum(rate(errors_total[{{.window}}]))", Total: "sum(rate(requests_total[{{.window}}]))"}}}
	at := time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC) // 2 days 12 hours into March
	if got := s.BudgetSpan(at); got != 60*time.Hour {
		t.Fatalf("BudgetSpan = %s, want 60h", got)
	}
	var q recordingQuerier
	if _, _, err := Measure(context.Background(), &q, s, at, nil); err != nil {
		t.Fatal(err)
	}
	all := strings.Join(q.exprs, "\n")
	if !strings.Contains(all, "errors_total[2d12h]") || strings.Contains(all, "[30d]") {
		t.Errorf("the budget is not measured from the period's start:\n%s", all)
	}
	s.Calendar = nil
	if got := s.BudgetSpan(at); got != 30*Day {
		t.Errorf("rolling BudgetSpan = %s, want the window", got)
	}
	// Exclusions are clipped to the period too.
	s.Calendar = &CalendarWindow{Unit: "month", Count: 1, Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s.Exclusions = []Exclusion{{From: time.Date(2026, 2, 27, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)}}
	if ex := s.Overlapping(at); len(ex) != 1 || !ex[0].From.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("overlapping exclusions %+v, want one clipped to March 1st", ex)
	}
}
