package pane

import (
	"context"
	"time"

	"github.com/charmbracelet/lipgloss"
)

// Basics are the settings every pane's Config carries, which every pane's
// New defaults the same way: a pane's Config embeds them and its New
// calls Fill.
type Basics struct {
	// ID names the pane in its messages.
	ID string
	// Renderer is the session's lipgloss renderer.
	Renderer *lipgloss.Renderer
	// Now is the clock; Location the zone times are shown in.
	Now      func() time.Time
	Location *time.Location
	// Timeout bounds one backend request.
	Timeout time.Duration
	// Parent ends all of the pane's work when it is cancelled.
	Parent context.Context
}

// Fill is b with its zero values replaced: the ID by id, the renderer by
// lipgloss's default, the clock by time.Now, the zone by time.Local, a
// Timeout of zero or less by timeout, and the parent by
// context.Background().
func (b Basics) Fill(id string, timeout time.Duration) Basics {
	if b.ID == "" {
		b.ID = id
	}
	if b.Renderer == nil {
		b.Renderer = lipgloss.DefaultRenderer()
	}
	if b.Now == nil {
		b.Now = time.Now
	}
	if b.Location == nil {
		b.Location = time.Local
	}
	if b.Timeout <= 0 {
		b.Timeout = timeout
	}
	if b.Parent == nil {
		b.Parent = context.Background()
	}
	return b
}

// KeysOr is *override when a Config sets its keys, else def.
func KeysOr[K any](override *K, def K) K {
	if override != nil {
		return *override
	}
	return def
}
