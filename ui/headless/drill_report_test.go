package headless

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/incidents"
)

func TestDrillReports(t *testing.T) {
	started := time.Date(2026, 3, 2, 12, 0, 0, 500_000_000, time.FixedZone("CET", 3600))
	inc := incidents.Incident{ID: 7, Milestones: incidents.Milestones{Started: started, Detected: started.Add(93 * time.Second)}}
	var b bytes.Buffer
	if err := WriteDrillStarted(&b, "api-errors", "HighErrorRate", inc); err != nil {
		t.Fatal(err)
	}
	if want := "drill api-errors (INC-7): started 2026-03-02T11:00:00.5Z, waiting for HighErrorRate\n"; b.String() != want {
		t.Errorf("started:\n got %q\nwant %q", b.String(), want)
	}
	b.Reset()
	if err := WriteDrillDetected(&b, "api-errors", "HighErrorRate", inc); err != nil {
		t.Fatal(err)
	}
	if want := "drill api-errors (INC-7): started 2026-03-02T11:00:00.5Z, detected 2026-03-02T11:01:33.5Z by HighErrorRate: time to detect 1m33s\n"; b.String() != want {
		t.Errorf("detected:\n got %q\nwant %q", b.String(), want)
	}
}

// A scenario's name and alert come from a config a team shares: no
// escape sequence or line break reaches the terminal.
func TestDrillReportsSanitize(t *testing.T) {
	inc := incidents.Incident{ID: 1, Milestones: incidents.Milestones{Started: time.Unix(0, 0)}}
	for _, write := range []func(*bytes.Buffer) error{
		func(b *bytes.Buffer) error { return WriteDrillStarted(b, "x\x1b[2Jy", "A\nB\u202e", inc) },
		func(b *bytes.Buffer) error { return WriteDrillDetected(b, "x\x1b[2Jy", "A\nB\u202e", inc) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		if out := b.String(); strings.ContainsAny(out, "\x1b\u202e") || strings.Count(out, "\n") != 1 {
			t.Errorf("unsanitized: %q", out)
		}
	}
}
