package panetest

import (
	"testing"
	"time"

	"github.com/muesli/termenv"
)

type sized struct {
	w, h   int
	closed bool
}

func (s *sized) SetSize(w, h int) { s.w, s.h = w, h }
func (s *sized) Close()           { s.closed = true }

func TestSetup(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	clk := NewClock(at)
	for _, p := range []termenv.Profile{termenv.Ascii, termenv.ANSI256} {
		b, pal := Setup(p, clk)
		r, want := Renderer(p)
		if b.Renderer.ColorProfile() != r.ColorProfile() || pal.Name != want.Name {
			t.Errorf("%v: profile %v palette %q, want %v %q", p, b.Renderer.ColorProfile(), pal.Name, r.ColorProfile(), want.Name)
		}
		if !b.Now().Equal(at) {
			t.Errorf("%v: clock %v", p, b.Now())
		}
	}
}

func TestOpenSizesAndCloses(t *testing.T) {
	s := &sized{}
	t.Run("sub", func(t *testing.T) {
		if got := Open(t, s, 80, 24); got != s || s.w != 80 || s.h != 24 || s.closed {
			t.Errorf("open: %+v", s)
		}
	})
	if !s.closed {
		t.Error("not closed when the test ended")
	}
}
