package pane

import (
	"testing"
	"time"
)

func TestRangeWindow(t *testing.T) {
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	var r Range
	if f, to := r.Window(now, time.Hour); !f.Equal(now.Add(-time.Hour)) || !to.Equal(now) {
		t.Errorf("unset: %v–%v", f, to)
	}
	from, end := now.Add(-3*time.Hour), now.Add(-2*time.Hour)
	r.Set(from, end, false)
	if f, to := r.Window(now, time.Hour); !f.Equal(from) || !to.Equal(end) {
		t.Errorf("fixed: %v–%v", f, to)
	}
	r.Set(from, end, true)
	if f, to := r.Window(now, 24*time.Hour); !f.Equal(now.Add(-time.Hour)) || !to.Equal(now) {
		t.Errorf("live: %v–%v, want the last hour", f, to)
	}
}
