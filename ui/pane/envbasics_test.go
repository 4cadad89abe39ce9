package pane

import (
	"context"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
)

func TestEnvBasics(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	type key struct{}
	parent := context.WithValue(context.Background(), key{}, "p")
	r := lipgloss.DefaultRenderer()
	b := Env{ID: "lag", Renderer: r, Now: func() time.Time { return at }, Parent: parent, Width: 80}.Basics()
	if b.ID != "lag" || b.Renderer != r || !b.Now().Equal(at) || b.Parent.Value(key{}) != "p" {
		t.Errorf("basics %+v", b)
	}
	if b.Location != nil || b.Timeout != 0 {
		t.Errorf("env has no zone or timeout; got %v %v", b.Location, b.Timeout)
	}
}
