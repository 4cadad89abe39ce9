package pane

import "testing"

func TestFit(t *testing.T) {
	called := false
	if got := Fit(0, 5, func() []string { called = true; return []string{"x"} }); got != "" || called {
		t.Fatalf("no width: %q, draw called %v", got, called)
	}
	got := Fit(5, 2, func() []string { return []string{"abcdefgh", "\x1b[1mbold text\x1b[0m", "third"} })
	if got != "abcd…\n\x1b[1mbold…\x1b[0m" {
		t.Fatalf("Fit = %q", got)
	}
	if got := Fit(5, 3, func() []string { return []string{"a"} }); got != "a" {
		t.Fatalf("a short frame is not padded: %q", got)
	}
}
