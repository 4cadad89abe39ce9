package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/reltui/reltui/incidents"
)

// OldHistory is one incident as a reltui from before schema version 3
// wrote it: declared, started, detected, a note, evidence, a moved
// milestone, an update and a resolution, each with its idempotency key.
// A dialect's upgrade test inserts these rows into a database built with
// only the old migrations, using the old columns, then opens it.
func OldHistory(id int64) []incidents.Event {
	at := func(m int) time.Time { return base.Add(time.Duration(m) * time.Minute) }
	ev := func(seq int64, kind incidents.EventKind, rec int, f func(*incidents.Event)) incidents.Event {
		e := incidents.Event{IncidentID: id, Seq: seq, Kind: kind, Time: at(rec), Author: "alice", Key: "old-" + string(rune('a'+seq)), KeyHash: "h"}
		f(&e)
		if e.Key == "" {
			e.KeyHash = ""
		}
		return e
	}
	return []incidents.Event{
		ev(1, incidents.KindDeclared, 10, func(e *incidents.Event) {
			e.Attrs = &incidents.Attributes{Title: "Payments 5xx", Severity: "SEV2", Services: []string{"payments"}, Commander: "bob"}
		}),
		ev(2, incidents.KindMilestone, 10, func(e *incidents.Event) { e.Milestone, e.At, e.Key = incidents.Started, at(0), "" }),
		ev(3, incidents.KindMilestone, 10, func(e *incidents.Event) { e.Milestone, e.At, e.Key = incidents.Detected, at(5), "" }),
		ev(4, incidents.KindNote, 12, func(e *incidents.Event) { e.Text = "rolled back to v41" }),
		ev(5, incidents.KindEvidence, 13, func(e *incidents.Event) {
			e.Text = "error ratio"
			e.Evidence = &incidents.Evidence{Kind: incidents.EvidenceChart, Source: "prometheus", Query: "sum(rate(x[5m]))", From: at(-10), To: at(10), Snapshot: "▁▂▇"}
		}),
		ev(6, incidents.KindMilestone, 14, func(e *incidents.Event) {
			e.Milestone, e.At, e.Text = incidents.Started, at(-2), "SLO chart shows 08:58"
		}),
		ev(7, incidents.KindUpdated, 15, func(e *incidents.Event) { e.Attrs = &incidents.Attributes{Severity: "SEV1"} }),
		ev(8, incidents.KindMilestone, 30, func(e *incidents.Event) { e.Milestone, e.At = incidents.Resolved, at(30) }),
	}
}

// CheckUpgraded verifies that incident id, written as OldHistory before
// the upgrade, kept every event exactly, and takes the new kinds of
// write (identified, category, follow-up, deploy link) afterwards.
func CheckUpgraded(t *testing.T, s incidents.Store, id int64) {
	t.Helper()
	su := newSuite()
	want := OldHistory(id)
	got := mustGet(t, s, id)
	if len(got.Events) != len(want) {
		t.Fatalf("%d events after the upgrade, want %d", len(got.Events), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got.Events[i], want[i]) {
			t.Fatalf("event %d changed by the upgrade:\n got %+v\nwant %+v", i+1, got.Events[i], want[i])
		}
	}
	if got.Title != "Payments 5xx" || got.Severity != "SEV1" || got.Kind != incidents.KindIncident || !got.Milestones.Started.Equal(base.Add(-2*time.Minute)) {
		t.Fatalf("state after upgrade: %+v", got)
	}
	if _, err := su.mark(s, t, id, incidents.Identified, base.Add(20*time.Minute), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Append(ctx(t), id, incidents.Write{Key: su.key(t), Author: "bob", Kind: incidents.KindUpdated, Attrs: &incidents.Attributes{Category: "deployment"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := su.followUp(t, s, id, incidents.FollowUp{Action: "canary deploys"}); err != nil {
		t.Fatal(err)
	}
	d, err := s.RecordDeploy(ctx(t), incidents.DeployWrite{Key: su.key(t), Author: "ci", Service: "payments", At: base.Add(-time.Hour), Rollback: true})
	if err != nil {
		t.Fatal(err)
	}
	if ds, err := s.Deploys(ctx(t), incidents.DeployFilter{}); err != nil || len(ds) == 0 || ds[len(ds)-1].ID != d.ID || !ds[len(ds)-1].Rollback {
		t.Fatalf("a rollback recorded after the upgrade reads back as %+v, %v", ds, err)
	}
	if _, err := s.Append(ctx(t), id, incidents.Write{Key: su.key(t), Author: "bob", Kind: incidents.KindDeployLink, Detail: &incidents.Detail{Deploy: &incidents.DeployLink{DeployID: d.ID}}}); err != nil {
		t.Fatal(err)
	}
	after := mustGet(t, s, id)
	if d, ok := after.Duration(incidents.MTTI); !ok || d != 22*time.Minute {
		t.Fatalf("MTTI after upgrade %v %v, want 22m", d, ok)
	}
	if after.Category != "deployment" || len(after.FollowUps) != 1 || len(after.Deploys) != 1 || !after.Deploys[0].Rollback || len(after.Events) != len(want)+4 {
		t.Fatalf("new writes on an upgraded incident: %+v", after)
	}
}

// OldDeploy is a deploy as a reltui from before schema version 4 (no
// rollback column) wrote it; upgrade tests from version 3 insert it.
func OldDeploy() incidents.Deploy {
	return incidents.Deploy{ID: 1, Service: "payments", Version: "v41", At: base.Add(-2 * time.Hour), Recorded: base.Add(-119 * time.Minute),
		Author: "ci", Key: "old-deploy", KeyHash: "h"}
}

// CheckOldDeploy verifies that OldDeploy came through the upgrade intact
// and reads as not a rollback.
func CheckOldDeploy(t *testing.T, s incidents.Store) {
	t.Helper()
	ds, err := s.Deploys(ctx(t), incidents.DeployFilter{})
	if err != nil || len(ds) == 0 {
		t.Fatalf("deploys after the upgrade: %+v, %v", ds, err)
	}
	if want := OldDeploy(); !reflect.DeepEqual(ds[0], want) {
		t.Fatalf("the old deploy changed in the upgrade:\n got %+v\nwant %+v", ds[0], want)
	}
}
