package headless

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/sqlite"
)

// recorded declares an incident that started at started, reads it back
// from a real store, and gives it a hostile title and author, as a store
// written by an older version might hold.
func recorded(t *testing.T, started time.Time) incidents.Incident {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "incidents.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	inc, err := s.Declare(ctx, incidents.Declaration{Key: "k1", Author: "alice", Title: "Payments 5xx",
		Severity: "SEV2", Services: []string{"payments"}, Started: started, Detected: started.Add(4 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if inc, err = s.Get(ctx, inc.ID); err != nil {
		t.Fatal(err)
	}
	inc.Title, inc.DeclaredBy = "Payments \x1b[2J5xx", "ali\x1b[31mce"
	return inc
}

func TestIncidentTextIsSanitizedAndComplete(t *testing.T) {
	started := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	inc := recorded(t, started)
	var b strings.Builder
	if err := WriteIncidentText(&b, inc); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	if strings.ContainsRune(text, 0x1b) {
		t.Fatalf("an escape reached the text:\n%q", text)
	}
	for _, want := range []string{"INC-1  Payments ", "severity SEV2  status open  commander -  services payments\n",
		"  started       2026-11-30T10:00:00Z\n", "MTTD 4m00s", "\ntimeline (UTC;"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	b.Reset()
	if err := WriteIncidentTable(&b, []incidents.Incident{inc}, started.Add(90*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "1h30m+") || strings.ContainsRune(b.String(), 0x1b) {
		t.Errorf("an open incident's duration so far, sanitized:\n%s", b.String())
	}
	b.Reset()
	if err := WriteIncidentTable(&b, nil, started); err != nil || b.String() != "no incidents\n" {
		t.Errorf("no incidents: %q %v", b.String(), err)
	}
}

func TestIncidentShowSections(t *testing.T) {
	started := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	inc := recorded(t, started)
	v := IncidentShow{View: incidents.NewView(inc)}
	v.SuggestedDeploys = []incidents.Deploy{{ID: 7, Service: "payments", Version: "v4\x1b[31m", At: started.Add(-20 * time.Minute)}}
	var b strings.Builder
	if err := WriteIncidentShow(&b, v); err != nil {
		t.Fatal(err)
	}
	plain := b.String()
	if strings.Contains(plain, "changes in window") {
		t.Errorf("a changes section with no change source read:\n%s", plain)
	}
	if !strings.HasSuffix(plain, "\nsuggested: deploy #7 payments v4 at 2026-11-30T09:40:00Z, 20m00s before impact began (reltui incident link 1 7)\n") {
		t.Errorf("suggestion:\n%s", plain)
	}
	v.ChangesRead, v.WindowFrom, v.WindowTo = true, started.Add(-time.Hour), started.Add(time.Hour)
	v.ChangesError = "changes flags: unreachable"
	v.Changes = []ShowChange{{T: started.Add(-10 * time.Minute), Text: "deploy payments: version 1 → 2"}}
	b.Reset()
	if err := WriteIncidentShow(&b, v); err != nil {
		t.Fatal(err)
	}
	want := "\nchanges in window (2026-11-30T09:00:00Z – 2026-11-30T11:00:00Z)\n  ✗ changes flags: unreachable\n  2026-11-30T09:50:00Z  deploy payments: version 1 → 2\n"
	if !strings.Contains(b.String(), want) {
		t.Errorf("changes section lacks %q:\n%s", want, b.String())
	}
	v.Changes, v.ChangesError = nil, ""
	b.Reset()
	_ = WriteIncidentShow(&b, v)
	if !strings.Contains(b.String(), "changes in window (2026-11-30T09:00:00Z – 2026-11-30T11:00:00Z)\n  none\n") {
		t.Errorf("no changes:\n%s", b.String())
	}
}
