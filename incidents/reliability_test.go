package incidents

import (
	"strings"
	"testing"
	"time"
)

func TestTimelineTwoClocksSuggestionsFollowUps(t *testing.T) {
	t0 := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	sg := &Suggestion{At: t0.Add(-7 * time.Minute), Method: "alert expression evaluated backwards", Query: "x > 1"}
	evs := []Event{
		{Seq: 1, Kind: KindDeclared, Time: t0, Author: "alice", Attrs: &Attributes{Title: "T", Severity: "SEV2"}},
		{Seq: 2, Kind: KindMilestone, Time: t0, Author: "alice", Milestone: Started, At: sg.At, Detail: &Detail{Suggestion: sg}},
		{Seq: 3, Kind: KindMilestone, Time: t0, Author: "alice", Milestone: Detected, At: t0},
		{Seq: 4, Kind: KindNote, Time: t0.Add(time.Hour), Author: "bob", Text: "paged DBA", Occurred: t0.Add(5 * time.Minute)},
		{Seq: 5, Kind: KindFollowUp, Time: t0.Add(2 * time.Hour), Author: "bob", Detail: &Detail{FollowUp: &FollowUp{Action: "add canary", Owner: "erin", Due: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), State: FollowUpOpen}}},
		{Seq: 6, Kind: KindFollowUp, Time: t0.Add(3 * time.Hour), Author: "erin", Detail: &Detail{FollowUp: &FollowUp{ID: 5, State: FollowUpDone}}},
	}
	inc := Build(9, evs)
	tl := Timeline(inc)
	if got := tl[1].Summary; !strings.Contains(got, "suggested: alert expression evaluated backwards; confirmed by alice") {
		t.Errorf("started summary %q does not say it was suggested and confirmed", got)
	}
	if !tl[1].Happened.Equal(sg.At) || !tl[2].Happened.IsZero() {
		t.Errorf("happened: started %v (want %v), detected %v (want zero: same clock)", tl[1].Happened, sg.At, tl[2].Happened)
	}
	if !tl[3].Happened.Equal(t0.Add(5 * time.Minute)) {
		t.Errorf("note happened %v", tl[3].Happened)
	}
	if got := tl[5].Summary; got != "follow-up #5: done" {
		t.Errorf("follow-up change summary %q", got)
	}
	if len(inc.FollowUps) != 1 || inc.FollowUps[0].State != FollowUpDone || len(inc.OpenFollowUps()) != 0 {
		t.Errorf("follow-ups %+v", inc.FollowUps)
	}
	md := Markdown(inc)
	for _, want := range []string{
		"| 4 | 2026-05-01T12:05:00Z | 2026-05-01T13:00:00Z | bob | note: paged DBA |",
		"| 5 | add canary | erin | 2026-06-01 | done |",
		"| Kind | incident |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}

func TestSuggestDeploysWindow(t *testing.T) {
	st := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	inc := Incident{ID: 1, Services: []string{"payments"}, Milestones: Milestones{Started: st}}
	deps := []Deploy{
		{ID: 1, Service: "payments", At: st.Add(-3 * time.Hour)},    // too early
		{ID: 2, Service: "payments", At: st.Add(-90 * time.Minute)}, // in
		{ID: 3, Service: "checkout", At: st.Add(-10 * time.Minute)}, // other service
		{ID: 4, Service: "payments", At: st.Add(time.Minute)},       // after the start
		{ID: 5, Service: "payments", At: st.Add(-5 * time.Minute)},  // in, newest
		{ID: 6, Service: "payments", At: st.Add(-2 * time.Hour)},    // exactly the window: out
	}
	got := SuggestDeploys(inc, deps, 2*time.Hour)
	if len(got) != 2 || got[0].ID != 5 || got[1].ID != 2 {
		t.Fatalf("suggested %+v, want deploys 5 then 2", got)
	}
}

// TestRolesForTheNewWrites: a responder adds follow-ups and records
// deploys (facts, like notes); linking a deploy, setting the cause or the
// kind belongs to the commander; a viewer does none of it.
func TestRolesForTheNewWrites(t *testing.T) {
	followUp := Write{Kind: KindFollowUp}
	link := Write{Kind: KindDeployLink}
	cause := Write{Kind: KindUpdated, Attrs: &Attributes{Category: "capacity"}}
	cases := []struct {
		r    Role
		a    Action
		want bool
	}{
		{RoleResponder, ActionOf(followUp), true},
		{RoleResponder, ActionDeploy, true},
		{RoleResponder, ActionOf(link), false},
		{RoleResponder, ActionOf(cause), false},
		{RoleCommander, ActionOf(link), true},
		{RoleViewer, ActionOf(followUp), false},
		{RoleViewer, ActionDeploy, false},
	}
	for _, c := range cases {
		if err := Allowed(c.r, c.a); (err == nil) != c.want {
			t.Errorf("Allowed(%s, %s) = %v, want allowed=%v", c.r, c.a, err, c.want)
		}
	}
	g := Guard(nil, RoleViewer)
	if _, err := g.RecordDeploy(t.Context(), DeployWrite{}); err == nil || !strings.Contains(err.Error(), "record a deploy") {
		t.Fatalf("viewer RecordDeploy: %v", err)
	}
}
