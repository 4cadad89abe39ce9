package pane

import (
	"io"
	"slices"
	"testing"

	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/themes"
)

func TestNoticesLines(t *testing.T) {
	st := NewBaseStyles(lipgloss.NewRenderer(io.Discard), themes.NoColor())
	if got := (Notices{}).Lines(st); len(got) != 0 {
		t.Errorf("nothing to say: %q", got)
	}
	err := &sources.Error{Backend: "prometheus", Kind: sources.KindUnreachable, Msg: "connection refused"}
	kind, reason := ErrText(err)
	got := Notices{Err: err, Since: "1m30s", Warnings: []string{"first", "second"}, Flash: "sorted"}.Lines(st)
	want := []string{"! " + kind + " (results from 1m30s ago; r retries): " + reason, "warning: first", "sorted"}
	if !slices.Equal(got, want) {
		t.Errorf("lines\n got %q\nwant %q", got, want)
	}
	got = Notices{Err: err}.Lines(st)
	if want := "! " + kind + " (no results yet; r retries): " + reason; len(got) != 1 || got[0] != want {
		t.Errorf("without rows: %q, want %q", got, want)
	}
}
