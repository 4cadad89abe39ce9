package pane

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
)

// Scroll applies a list key to a viewport showing a document (a detail
// view): a line up or down, a page, or to the top or the bottom. It
// reports false, leaving v alone, for any other key.
func (k ListKeys) Scroll(msg tea.KeyMsg, v *viewport.Model) bool {
	switch {
	case key.Matches(msg, k.Up):
		v.ScrollUp(1)
	case key.Matches(msg, k.Down):
		v.ScrollDown(1)
	case key.Matches(msg, k.PageUp):
		v.PageUp()
	case key.Matches(msg, k.PageDown):
		v.PageDown()
	case key.Matches(msg, k.Top):
		v.GotoTop()
	case key.Matches(msg, k.Bottom):
		v.GotoBottom()
	default:
		return false
	}
	return true
}
