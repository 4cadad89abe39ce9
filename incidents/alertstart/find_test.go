package alertstart

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/reltui/reltui/sources"
)

// lister answers alerts, or fails with err, and counts its calls.
func lister(calls *int, err error, alerts ...sources.Alert) AlertLister {
	return func(context.Context) ([]sources.Alert, error) {
		*calls++
		return alerts, err
	}
}

func TestFindStopsAtTheFirstListerThatHasIt(t *testing.T) {
	var promCalls, amCalls int
	prom := lister(&promCalls, nil, sources.Alert{Fingerprint: "aa11", Name: "A", Source: "prometheus"})
	am := lister(&amCalls, nil, sources.Alert{Fingerprint: "BB22", Name: "B", Source: "alertmanager"})
	a, err := Find(context.Background(), " bb22 ", prom, am)
	if err != nil || a.Name != "B" || promCalls != 1 || amCalls != 1 {
		t.Fatalf("found %+v, %v after %d+%d calls", a, err, promCalls, amCalls)
	}
	if a, err = Find(context.Background(), "AA11", prom, am); err != nil || a.Name != "A" || amCalls != 1 {
		t.Fatalf("found %+v, %v; Alertmanager asked %d times, want it left alone", a, err, amCalls)
	}
}

func TestFindSaysWhyItFoundNothing(t *testing.T) {
	var calls int
	down := errors.New("alertmanager: connection refused")
	// One lister fails, the next has it: found.
	a, err := Find(context.Background(), "cc33", lister(&calls, down), lister(&calls, nil, sources.Alert{Fingerprint: "cc33", Name: "C"}))
	if err != nil || a.Name != "C" {
		t.Fatalf("%+v, %v", a, err)
	}
	_, err = Find(context.Background(), "dd44", lister(&calls, nil, sources.Alert{Fingerprint: "cc33"}))
	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.Err != nil || err.Error() != "no firing or pending alert has fingerprint dd44" {
		t.Fatalf("every lister answered: %v", err)
	}
	_, err = Find(context.Background(), "dd44", lister(&calls, nil), lister(&calls, down))
	if !errors.As(err, &nf) || !errors.Is(err, down) || !strings.HasPrefix(err.Error(), "alert dd44 not found, and looking failed: ") {
		t.Fatalf("a lister failed: %v", err)
	}
	if _, err := Find(context.Background(), "dd44"); !errors.As(err, &nf) {
		t.Fatalf("no listers: %v", err)
	}
}
