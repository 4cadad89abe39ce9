package panetest

import (
	"testing"

	"github.com/muesli/termenv"

	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane"
)

// Setup is the part of a pane's Config every test sets the same way: the
// Basics with a renderer that writes nowhere, pinned to profile, and
// clk's clock; and the palette goldens are drawn with under that profile
// (see Renderer).
func Setup(profile termenv.Profile, clk *Clock) (pane.Basics, themes.Palette) {
	r, pal := Renderer(profile)
	return pane.Basics{Renderer: r, Now: clk.Now}, pal
}

// Open gives m a w×h area, closes it when t ends, and returns it.
func Open[M interface {
	SetSize(w, h int)
	Close()
}](t testing.TB, m M, w, h int) M {
	t.Helper()
	m.SetSize(w, h)
	t.Cleanup(m.Close)
	return m
}
