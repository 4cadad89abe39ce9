package incidentpane

import (
	"testing"
	"time"

	"github.com/reltui/reltui/incidents"
)

// FuzzParseAt: whatever is typed in a form's time field, parseAt does not
// panic, and a clock time it accepts is within a day before now.
func FuzzParseAt(f *testing.F) {
	for _, s := range []string{"", "now", "10:04", "10:04:30", "23:59", "5m ago", "now-15m", "2026-11-22T10:04:00Z", "2026-11-22 10:04", "1763805845", "25:00", "10:4", "\x1b[2J", "-1h"} {
		f.Add(s)
	}
	loc := time.FixedZone("X", 5*3600+1800)
	f.Fuzz(func(t *testing.T, s string) {
		at, err := parseAt(s, fixedNow, loc)
		if err != nil || at.IsZero() {
			return
		}
		if _, cerr := time.Parse("15:04", s); cerr == nil {
			if at.After(fixedNow.Add(incidents.ClockSkew)) || at.Before(fixedNow.Add(-24*time.Hour)) {
				t.Fatalf("clock time %q resolved to %v (now %v)", s, at, fixedNow)
			}
		}
	})
}
