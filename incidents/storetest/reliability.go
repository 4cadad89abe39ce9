package storetest

import (
	"testing"
	"time"

	"github.com/reltui/reltui/incidents"
)

func reliabilityTests() []suiteTest {
	return []suiteTest{
		{"IdentifiedOrderAndMTTI", (*suite).testIdentified},
		{"KindAndCategory", (*suite).testKindCategory},
		{"FollowUps", (*suite).testFollowUps},
		{"DeploysAndLinks", (*suite).testDeploys},
		{"TwoClocksAndSuggestions", (*suite).testTwoClocks},
		{"ReliabilityReport", (*suite).testReliabilityReport},
		{"UndetectedDrill", (*suite).testUndetectedDrill},
	}
}

func (su *suite) testIdentified(t *testing.T, s incidents.Store) {
	inc := su.declare(t, s, "isolate", base, base.Add(4*time.Minute))
	if _, err := su.mark(s, t, inc.ID, incidents.Acknowledged, base.Add(6*time.Minute), ""); err != nil {
		t.Fatal(err)
	}
	// identified sits between acknowledged and mitigated.
	_, err := su.mark(s, t, inc.ID, incidents.Identified, base.Add(5*time.Minute), "")
	wantErr(t, err, incidents.ErrInvalid)
	if _, err := su.mark(s, t, inc.ID, incidents.Mitigated, base.Add(40*time.Minute), ""); err != nil {
		t.Fatal(err)
	}
	_, err = su.mark(s, t, inc.ID, incidents.Identified, base.Add(41*time.Minute), "")
	wantErr(t, err, incidents.ErrInvalid)
	if _, err := su.mark(s, t, inc.ID, incidents.Identified, base.Add(25*time.Minute), ""); err != nil {
		t.Fatal(err)
	}
	got := mustGet(t, s, inc.ID)
	if d, ok := got.Duration(incidents.MTTI); !ok || d != 25*time.Minute {
		t.Fatalf("MTTI = %v %v, want 25m", d, ok)
	}
	if len(got.Events) != 6 {
		t.Fatalf("%d events; rejected writes must write nothing", len(got.Events))
	}
}

func (su *suite) testKindCategory(t *testing.T, s incidents.Store) {
	inc, err := s.Declare(ctx(t), incidents.Declaration{Key: su.key(t), Author: "alice", Title: "game day", Kind: incidents.KindDrill, Started: base, Detected: base})
	if err != nil {
		t.Fatal(err)
	}
	if inc.Kind != incidents.KindDrill || inc.Category != "" {
		t.Fatalf("kind %q category %q", inc.Kind, inc.Category)
	}
	plain := su.declare(t, s, "plain", base, base)
	if plain.Kind != incidents.KindIncident {
		t.Fatalf("default kind %q", plain.Kind)
	}
	if _, err := s.Append(ctx(t), inc.ID, incidents.Write{Key: su.key(t), Author: "bob", Kind: incidents.KindUpdated, Attrs: &incidents.Attributes{Category: "Capacity", Kind: "maintenance"}}); err != nil {
		t.Fatal(err)
	}
	_, err = s.Append(ctx(t), inc.ID, incidents.Write{Key: su.key(t), Author: "bob", Kind: incidents.KindUpdated, Attrs: &incidents.Attributes{Kind: "exercise"}})
	wantErr(t, err, incidents.ErrInvalid)
	_, err = s.Append(ctx(t), inc.ID, incidents.Write{Key: su.key(t), Author: "bob", Kind: incidents.KindUpdated, Attrs: &incidents.Attributes{Category: "two words"}})
	wantErr(t, err, incidents.ErrInvalid)
	got := mustGet(t, s, inc.ID)
	if got.Kind != incidents.KindMaintenance || got.Category != "capacity" {
		t.Fatalf("kind %q category %q", got.Kind, got.Category)
	}
}

func (su *suite) followUp(t *testing.T, s incidents.Store, id int64, f incidents.FollowUp) (incidents.Event, error) {
	return s.Append(ctx(t), id, incidents.Write{Key: su.key(t), Author: "erin", Kind: incidents.KindFollowUp, Detail: &incidents.Detail{FollowUp: &f}})
}

func (su *suite) testFollowUps(t *testing.T, s incidents.Store) {
	inc := su.declare(t, s, "follow", base, base)
	due := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	a, err := su.followUp(t, s, inc.ID, incidents.FollowUp{Action: "add a canary for payments", Owner: "erin", Due: due})
	if err != nil {
		t.Fatal(err)
	}
	b, err := su.followUp(t, s, inc.ID, incidents.FollowUp{Action: "alert on queue depth"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := su.followUp(t, s, inc.ID, incidents.FollowUp{ID: b.Seq, State: incidents.FollowUpDone}); err != nil {
		t.Fatal(err)
	}
	_, err = su.followUp(t, s, inc.ID, incidents.FollowUp{ID: 999, State: incidents.FollowUpDone})
	wantErr(t, err, incidents.ErrNotFound)
	_, err = su.followUp(t, s, inc.ID, incidents.FollowUp{ID: a.Seq, State: "maybe"})
	wantErr(t, err, incidents.ErrInvalid)
	_, err = su.followUp(t, s, inc.ID, incidents.FollowUp{Action: ""})
	wantErr(t, err, incidents.ErrInvalid)
	got := mustGet(t, s, inc.ID)
	if len(got.FollowUps) != 2 {
		t.Fatalf("follow-ups %+v", got.FollowUps)
	}
	f0, f1 := got.FollowUps[0], got.FollowUps[1]
	if f0.ID != a.Seq || f0.Owner != "erin" || !f0.Due.Equal(due) || f0.State != incidents.FollowUpOpen || f1.State != incidents.FollowUpDone {
		t.Fatalf("follow-ups %+v", got.FollowUps)
	}
	if open := got.OpenFollowUps(); len(open) != 1 || open[0].Action != "add a canary for payments" {
		t.Fatalf("open %+v", open)
	}
}

func (su *suite) testDeploys(t *testing.T, s incidents.Store) {
	k := su.key(t)
	w := incidents.DeployWrite{Key: k, Author: "ci", Service: "payments", Version: "v42", At: base.Add(-time.Hour)}
	d, err := s.RecordDeploy(ctx(t), w)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.RecordDeploy(ctx(t), w)
	if err != nil || again.ID != d.ID {
		t.Fatalf("retry: %+v %v, want id %d", again, err, d.ID)
	}
	w.Version = "v43"
	_, err = s.RecordDeploy(ctx(t), w)
	wantErr(t, err, incidents.ErrConflict)
	_, err = s.RecordDeploy(ctx(t), incidents.DeployWrite{Key: su.key(t), Author: "ci", Service: "", At: base})
	wantErr(t, err, incidents.ErrInvalid)
	other, err := s.RecordDeploy(ctx(t), incidents.DeployWrite{Key: su.key(t), Author: "ci", Service: "checkout", At: base.Add(-30 * time.Minute), Rollback: true})
	if err != nil {
		t.Fatal(err)
	}
	if !other.Rollback || d.Rollback {
		t.Fatalf("rollback marks: %v %v", d.Rollback, other.Rollback)
	}
	all, err := s.Deploys(ctx(t), incidents.DeployFilter{})
	if err != nil || len(all) != 2 || all[0].ID != d.ID || all[0].Version != "v42" || !all[0].At.Equal(base.Add(-time.Hour)) {
		t.Fatalf("deploys %+v %v", all, err)
	}
	if only, _ := s.Deploys(ctx(t), incidents.DeployFilter{Service: "checkout"}); len(only) != 1 || only[0].ID != other.ID || !only[0].Rollback {
		t.Fatalf("filtered %+v", only)
	}
	inc, err := s.Declare(ctx(t), incidents.Declaration{Key: su.key(t), Author: "alice", Title: "after deploy", Services: []string{"payments"}, Started: base, Detected: base})
	if err != nil {
		t.Fatal(err)
	}
	if sug := incidents.SuggestDeploys(inc, all, incidents.DefaultSuggestWindow); len(sug) != 1 || sug[0].ID != d.ID {
		t.Fatalf("suggested %+v", sug)
	}
	link := func(id int64, unlink bool) error {
		_, err := s.Append(ctx(t), inc.ID, incidents.Write{Key: su.key(t), Author: "bob", Kind: incidents.KindDeployLink, Detail: &incidents.Detail{Deploy: &incidents.DeployLink{DeployID: id, Unlink: unlink}}})
		return err
	}
	if err := link(d.ID, false); err != nil {
		t.Fatal(err)
	}
	wantErr(t, link(d.ID, false), incidents.ErrConflict)
	wantErr(t, link(987654, false), incidents.ErrNotFound)
	if err := link(other.ID, false); err != nil {
		t.Fatal(err)
	}
	if err := link(other.ID, true); err != nil {
		t.Fatal(err)
	}
	got := mustGet(t, s, inc.ID)
	if len(got.Deploys) != 1 || got.Deploys[0].DeployID != d.ID || got.Deploys[0].Version != "v42" || got.Deploys[0].Service != "payments" {
		t.Fatalf("links %+v", got.Deploys)
	}
	if sug := incidents.SuggestDeploys(got, all, incidents.DefaultSuggestWindow); len(sug) != 0 {
		t.Fatalf("a linked deploy is still suggested: %+v", sug)
	}
}

func (su *suite) testTwoClocks(t *testing.T, s incidents.Store) {
	sg := &incidents.Suggestion{At: base.Add(-3 * time.Minute), Method: "alert expression evaluated backwards", Query: `rate(errors[1m]) > 0.5`}
	inc, err := s.Declare(ctx(t), incidents.Declaration{Key: su.key(t), Author: "carol", Title: "clocks", Started: base, Detected: base.Add(time.Minute), StartedSuggestion: sg})
	if err != nil {
		t.Fatal(err)
	}
	started := inc.MilestoneEvents(incidents.Started)
	if len(started) != 1 || started[0].Detail == nil || started[0].Detail.Suggestion == nil {
		t.Fatalf("started event %+v", started)
	}
	if got := started[0].Detail.Suggestion; !got.At.Equal(sg.At) || got.Method != sg.Method || got.Query != sg.Query {
		t.Fatalf("suggestion %+v", got)
	}
	if d := inc.MilestoneEvents(incidents.Detected); d[0].Detail != nil {
		t.Fatalf("detected has a suggestion nobody made: %+v", d[0].Detail)
	}
	occurred := base.Add(2 * time.Minute)
	ev, err := s.Append(ctx(t), inc.ID, incidents.Write{Key: su.key(t), Author: "carol", Kind: incidents.KindNote, Text: "paged the DBA", Occurred: occurred})
	if err != nil {
		t.Fatal(err)
	}
	got := mustGet(t, s, inc.ID)
	last := got.Events[len(got.Events)-1]
	if last.Seq != ev.Seq || !last.Occurred.Equal(occurred) || last.Time.Equal(occurred) {
		t.Fatalf("note clocks: occurred %v recorded %v", last.Occurred, last.Time)
	}
	_, err = s.Append(ctx(t), inc.ID, incidents.Write{Key: su.key(t), Author: "carol", Kind: incidents.KindNote, Text: "x", Occurred: time.Now().Add(time.Hour)})
	wantErr(t, err, incidents.ErrInvalid)
}
