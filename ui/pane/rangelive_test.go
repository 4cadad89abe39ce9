package pane

import (
	"testing"
	"time"
)

func TestRangeLive(t *testing.T) {
	var r Range
	if !r.Live() {
		t.Error("a range not given yet ends now: live")
	}
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	r.Set(now.Add(-time.Hour), now, false)
	if r.Live() {
		t.Error("a fixed range is not live")
	}
	r.Set(now.Add(-time.Hour), now, true)
	if !r.Live() {
		t.Error("a live range is live")
	}
}
