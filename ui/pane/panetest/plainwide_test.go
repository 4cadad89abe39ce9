package panetest

import (
	"testing"

	"github.com/muesli/termenv"
)

func TestPlainAndWide(t *testing.T) {
	if p := Plain(); p.W != 80 || p.H != 24 || p.Profile != termenv.Ascii || p.Name("x") != "x_80x24_nocolor" {
		t.Errorf("Plain %+v", p)
	}
	if w := Wide(); w.W != 200 || w.H != 50 || w.Profile != termenv.ANSI256 || w.Name("x") != "x_200x50_256" {
		t.Errorf("Wide %+v", w)
	}
}
