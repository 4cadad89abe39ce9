// Package timespec parses the times and durations people type: on the
// command line, in the palette, in incident forms. It is a leaf package.
package timespec

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ParseDuration accepts Go durations plus d (days) and w (weeks), e.g.
// "90s", "1h30m", "7d", "2w". Negative durations are refused.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("empty duration")
	}
	for _, u := range []struct {
		suffix string
		unit   time.Duration
	}{{"d", 24 * time.Hour}, {"w", 7 * 24 * time.Hour}} {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			f, err := strconv.ParseFloat(num, 64)
			if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) || f > float64(math.MaxInt64)/float64(u.unit) {
				return 0, fmt.Errorf("invalid duration %q (examples: 30s, 5m, 2h, 7d)", s)
			}
			return time.Duration(f * float64(u.unit)), nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q (examples: 30s, 5m, 2h, 7d)", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("negative duration %q", s)
	}
	return d, nil
}

// layouts are tried in order for absolute times without a zone; those are
// taken as UTC, because incident times are shared across time zones.
var layouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
}

// ParseTime reads an absolute or relative time:
//   - RFC 3339 ("2026-11-22T10:04:05Z", with offset or fraction);
//   - "2026-11-22 10:04[:05]" or "2026-11-22" (UTC);
//   - unix seconds ("1763805845") or milliseconds (13 digits);
//   - "now", "now-15m", "-15m" or "15m ago" relative to now.
func ParseTime(s string, now time.Time) (time.Time, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return time.Time{}, errors.New("empty time")
	}
	if in == "now" {
		return now, nil
	}
	if rel, ok := relative(in); ok {
		d, err := ParseDuration(rel)
		if err != nil {
			return time.Time{}, fmt.Errorf("invalid time %q: %w", s, err)
		}
		return now.Add(-d), nil
	}
	if isDigits(in) {
		n, err := strconv.ParseInt(in, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("invalid unix time %q", s)
		}
		switch {
		case len(in) <= 11:
			return time.Unix(n, 0).UTC(), nil
		case len(in) <= 14:
			return time.UnixMilli(n).UTC(), nil
		}
		return time.Time{}, fmt.Errorf("invalid unix time %q: give seconds or milliseconds", s)
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, in); err == nil {
			if t.Year() < 1970 || t.Year() > 9999 {
				break
			}
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid time %q (examples: 2026-11-22T10:04:05Z, \"2026-11-22 10:04\", 1763805845, now-15m, 15m ago)", s)
}

func relative(s string) (string, bool) {
	switch {
	case strings.HasPrefix(s, "now-"):
		return s[4:], true
	case strings.HasPrefix(s, "-"):
		return s[1:], true
	case strings.HasSuffix(s, " ago"):
		return strings.TrimSpace(strings.TrimSuffix(s, " ago")), true
	}
	return "", false
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
