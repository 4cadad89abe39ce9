package headless

import (
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/correlate"
)

func TestWriteChangesText(t *testing.T) {
	at := time.Date(2026, 11, 22, 7, 44, 43, 0, time.UTC)
	v := &correlate.View{}
	var b strings.Builder
	writeChangesText(&b, v)
	if b.String() != "" {
		t.Fatalf("no changes printed %q", b.String())
	}
	v.Changes = []correlate.Change{{T: at, Service: "payments", Kind: "deploy", What: "version 1 → 2\x1b[2J"}}
	v.ChangesElsewhere = 2
	writeChangesText(&b, v)
	want := "changes 1 in window (+2 to other services)\n  07:44:43  deploy payments: version 1 → 2\n"
	if b.String() != want {
		t.Fatalf("got %q\nwant %q", b.String(), want)
	}
}
