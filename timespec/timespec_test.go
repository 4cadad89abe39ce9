package timespec

import (
	"testing"
	"time"
)

var now = time.Date(2026, 11, 22, 10, 30, 0, 0, time.UTC)

func TestParseTime(t *testing.T) {
	cases := map[string]time.Time{
		"now":                       now,
		"now-15m":                   now.Add(-15 * time.Minute),
		"-2h":                       now.Add(-2 * time.Hour),
		"1d ago":                    now.Add(-24 * time.Hour),
		"2026-11-22T10:04:05Z":      time.Date(2026, 11, 22, 10, 4, 5, 0, time.UTC),
		"2026-11-22T10:04:05+02:00": time.Date(2026, 11, 22, 8, 4, 5, 0, time.UTC),
		"2026-11-22 10:04":          time.Date(2026, 11, 22, 10, 4, 0, 0, time.UTC),
		"2026-11-22":                time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC),
		"1763805845":                time.Unix(1763805845, 0),
		"1763805845123":             time.UnixMilli(1763805845123),
	}
	for in, want := range cases {
		got, err := ParseTime(in, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "yesterday", "now+5m", "2026-13-01", "-soon", "12345678901234567", "0001-01-01T00:00:00Z"} {
		if _, err := ParseTime(bad, now); err == nil {
			t.Errorf("ParseTime(%q) accepted", bad)
		}
	}
}

func TestParseDuration(t *testing.T) {
	cases := map[string]time.Duration{"30s": 30 * time.Second, "1h30m": 90 * time.Minute, "2d": 48 * time.Hour, "1w": 168 * time.Hour, "0.5d": 12 * time.Hour}
	for in, want := range cases {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "soon", "-5m", "1e300d", "d", "NaNd"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) accepted", bad)
		}
	}
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"now", "now-15m", "2026-11-22T10:04:05Z", "1763805845", "15m ago", "-1d", "2026-11-22 10:04"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseTime(s, now)
		if err == nil && (got.Year() < 1970 || got.Year() > 10000) && !got.Equal(now) {
			// Relative times may reach far back, but never before the epoch
			// minus the longest duration; absolute ones stay in range.
			if !(len(s) > 0 && (s[0] == '-' || len(s) > 4 && s[:4] == "now-" || len(s) > 4 && s[len(s)-4:] == " ago")) {
				t.Fatalf("ParseTime(%q) = %v out of range", s, got)
			}
		}
	})
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"30s", "2d", "1w", "1.5h", "-1d", "9999999999999d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err == nil && d < 0 {
			t.Fatalf("negative duration %v from %q", d, s)
		}
	})
}
