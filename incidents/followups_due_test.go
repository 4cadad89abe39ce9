package incidents

import (
	"testing"
	"time"
)

func TestDueFollowUpsEarliestFirstUndatedLast(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 12, d, 0, 0, 0, 0, time.UTC) }
	incs := []Incident{
		{ID: 1, Title: "one", FollowUps: []FollowUp{
			{ID: 3, Action: "undated a", Owner: "erin", State: FollowUpOpen},
			{ID: 4, Action: "late", Owner: "erin", Due: day(20), State: FollowUpOpen},
			{ID: 5, Action: "finished", Owner: "erin", Due: day(1), State: FollowUpDone},
		}},
		{ID: 2, Title: "two", FollowUps: []FollowUp{
			{ID: 6, Action: "early", Owner: "sam", Due: day(2), State: FollowUpOpen},
			{ID: 7, Action: "undated b", Owner: "sam", State: FollowUpOpen},
			{ID: 8, Action: "same day as late", Owner: "erin", Due: day(20), State: FollowUpOpen},
		}},
	}
	var got []string
	for _, d := range DueFollowUps(incs, "") {
		got = append(got, d.Incident+" "+d.FollowUp.Action)
	}
	want := []string{"INC-2 early", "INC-1 late", "INC-2 same day as late", "INC-1 undated a", "INC-2 undated b"}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
	if sam := DueFollowUps(incs, "sam"); len(sam) != 2 || sam[0].FollowUp.ID != 6 || sam[0].Title != "two" {
		t.Fatalf("sam's: %+v", sam)
	}
	if none := DueFollowUps(nil, ""); none == nil || len(none) != 0 {
		t.Fatalf("no incidents: %#v, want an empty list", none)
	}
}
