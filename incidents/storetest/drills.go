package storetest

import (
	"testing"
	"time"

	"github.com/reltui/reltui/incidents"
)

// testUndetectedDrill: a drill declared as its fault is injected has no
// detected time until its alert fires; only a drill may be declared so.
func (su *suite) testUndetectedDrill(t *testing.T, s incidents.Store) {
	d := incidents.Declaration{Key: su.key(t), Author: "gameday", Title: "drill payments-errors", Kind: incidents.KindDrill, Started: base, Undetected: true}
	inc, err := s.Declare(ctx(t), d)
	if err != nil {
		t.Fatal(err)
	}
	if !inc.Milestones.Detected.IsZero() {
		t.Fatalf("an undetected drill reads detected %s", inc.Milestones.Detected)
	}
	if _, ok := inc.Duration(incidents.MTTD); ok {
		t.Fatal("an undetected drill has an MTTD")
	}
	bad := d
	bad.Key, bad.Kind = su.key(t), incidents.KindIncident
	_, err = s.Declare(ctx(t), bad)
	wantErr(t, err, incidents.ErrInvalid)
	bad.Kind, bad.Detected = incidents.KindDrill, base.Add(time.Minute)
	_, err = s.Declare(ctx(t), bad)
	wantErr(t, err, incidents.ErrInvalid)
	// The alert fired 41s after the injection: setting detected needs no
	// reason, since it was never set.
	if _, err := su.mark(s, t, inc.ID, incidents.Detected, base.Add(41*time.Second), ""); err != nil {
		t.Fatal(err)
	}
	got := mustGet(t, s, inc.ID)
	if d, ok := got.Duration(incidents.MTTD); !ok || d != 41*time.Second {
		t.Fatalf("MTTD %v %v; want 41s", d, ok)
	}
}
