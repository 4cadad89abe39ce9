package pane

import (
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// SpinMsg is a spinner tick tagged with the pane it belongs to, so the
// root routes it to that pane even while another one is showing.
type SpinMsg struct {
	Pane string
	Tick spinner.TickMsg
}

// PaneID implements Routed.
func (m SpinMsg) PaneID() string { return m.Pane }

var _ Routed = SpinMsg{}

// Spinner is a pane's "waiting" spinner: its ticks are routed SpinMsgs,
// and at most one tick chain runs however many requests start it. The
// zero value is not usable; build it with NewSpinner.
type Spinner struct {
	pane  string
	model spinner.Model
	on    bool
}

// NewSpinner builds the spinner of the pane with id, drawn in style.
func NewSpinner(id string, style lipgloss.Style) Spinner {
	return Spinner{pane: id, model: spinner.New(spinner.WithSpinner(spinner.Dot), spinner.WithStyle(style))}
}

// Start starts the tick chain; it does nothing while one is running.
func (s *Spinner) Start() tea.Cmd {
	if s.on {
		return nil
	}
	s.on = true
	return s.wrap(s.model.Tick)
}

// Update advances the spinner on one of its own ticks and schedules the
// next, or stops the chain when the pane is no longer busy. A tick for
// another pane is ignored.
func (s *Spinner) Update(msg SpinMsg, busy bool) tea.Cmd {
	if msg.Pane != s.pane {
		return nil
	}
	if !busy {
		s.on = false
		return nil
	}
	var cmd tea.Cmd
	s.model, cmd = s.model.Update(msg.Tick)
	return s.wrap(cmd)
}

// View is the spinner's current frame.
func (s *Spinner) View() string { return s.model.View() }

// wrap tags the spinner's tick with the pane so the root routes it.
func (s *Spinner) wrap(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		s.on = false
		return nil
	}
	id := s.pane
	return func() tea.Msg {
		msg := cmd()
		if t, ok := msg.(spinner.TickMsg); ok {
			return SpinMsg{Pane: id, Tick: t}
		}
		return msg
	}
}
