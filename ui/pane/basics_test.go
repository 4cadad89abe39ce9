package pane

import (
	"context"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
)

func TestBasicsFill(t *testing.T) {
	b := Basics{Timeout: -time.Second}.Fill("p", 7*time.Second)
	if b.ID != "p" || b.Renderer == nil || b.Now == nil || b.Location != time.Local || b.Timeout != 7*time.Second || b.Parent == nil {
		t.Fatalf("defaults not filled: %+v", b)
	}
	r := lipgloss.NewRenderer(nil)
	at := time.Unix(42, 0)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	set := Basics{ID: "q", Renderer: r, Now: func() time.Time { return at }, Location: time.UTC, Timeout: time.Second, Parent: ctx}.Fill("p", 7*time.Second)
	if set.ID != "q" || set.Renderer != r || !set.Now().Equal(at) || set.Location != time.UTC || set.Timeout != time.Second || set.Parent != ctx {
		t.Fatalf("a set value was replaced: %+v", set)
	}
}

func TestKeysOr(t *testing.T) {
	own := ListKeys{}
	if got := KeysOr(&own, DefaultListKeys()); len(got.Up.Keys()) != 0 {
		t.Errorf("override ignored: %v", got.Up.Keys())
	}
	if got := KeysOr(nil, DefaultListKeys()); len(got.Up.Keys()) == 0 {
		t.Error("default not used")
	}
}
