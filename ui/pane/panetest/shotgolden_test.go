package panetest

import (
	"strings"
	"testing"

	"github.com/muesli/termenv"
)

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) { r.errs = append(r.errs, format) }

func TestShotFits(t *testing.T) {
	s := Shot{W: 4, H: 2, Profile: termenv.Ascii, Tag: "nocolor"}
	for _, c := range []struct {
		frame string
		fails int
	}{
		{"abcd\nefgh", 0},
		{"a\nb\nc", 1},
		{"abcde", 1},
		{"日本語", 1},
		{"\x1b[1ma\x1b[0m", 1},
	} {
		r := &recorder{TB: t}
		s.Fits(r, c.frame)
		if len(r.errs) != c.fails {
			t.Errorf("%q: %d failures %v, want %d", c.frame, len(r.errs), r.errs, c.fails)
		}
	}
	// With colour, SGR is what styles write.
	r := &recorder{TB: t}
	Shot{W: 4, H: 2, Profile: termenv.ANSI256}.Fits(r, "\x1b[1mabcd\x1b[0m")
	if len(r.errs) != 0 {
		t.Errorf("styled frame: %v", r.errs)
	}
}

func TestShotGoldenRoundTrip(t *testing.T) {
	t.Chdir(t.TempDir())
	s := Shots()[0]
	frame := strings.Repeat("x", 10) + "\nsecond"
	s.Golden(t, "scene", frame, true)
	r := &recorder{TB: t}
	s.Golden(r, "scene", frame, false)
	if len(r.errs) != 0 {
		t.Errorf("same frame: %v", r.errs)
	}
	s.Golden(r, "scene", frame+"!", false)
	if len(r.errs) != 1 {
		t.Errorf("changed frame: %d failures, want 1", len(r.errs))
	}
}
