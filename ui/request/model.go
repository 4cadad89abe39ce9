// Package request is the console's Request pane: paste a request id or a
// trace id and see everything that happened to that request, in every
// service, as one timeline of spans and log lines grouped by service,
// under a summary (first error, slowest span, critical-path services).
//
// The pane does no I/O in Update or View: the resolution runs in a Cmd
// through a pane.Request, which cancels the one before and drops stale
// snapshots and answers.
package request

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/links"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane"
)

// Defaults for Config's zero values.
const (
	DefaultTimeout = 60 * time.Second
	// DefaultWindow is searched before the root gives the pane a range.
	DefaultWindow = 24 * time.Hour
)

// Config is what the pane needs from outside.
type Config struct {
	// Basics are the ID ("request" when empty), renderer, clock, zone,
	// timeout of one resolution (DefaultTimeout) and parent context.
	pane.Basics
	// Source resolves IDs; nil means neither Loki nor Jaeger is configured.
	Source  Source
	Palette themes.Palette
	Keys    *KeyMap
	// Pad is the window pivots search around a span or line
	// (correlate.DefaultPad).
	Pad time.Duration
	// LogDialect writes the log queries pinned as evidence, in the log
	// backend's language; LogBackend names that backend. Both are empty
	// when the context has no log backend.
	LogDialect sources.LogDialect
	LogBackend string
	// Links says where U's links point; the zero value makes none.
	Links links.Targets
}

type mode int

const (
	modeList mode = iota
	modeInput
	modeFilter
)

// Model is the Request pane.
type Model struct {
	// base is the filled Basics the pane was built with: its id, clock,
	// zone, timeout, renderer and parent.
	base pane.Basics
	src  Source
	st   Styles
	keys KeyMap
	pad  time.Duration
	// logDialect and logBackend write and name pinned log evidence.
	logDialect sources.LogDialect
	links      links.Targets
	logBackend string

	ctx    context.Context
	cancel context.CancelFunc

	width, height int
	mode          mode
	input         textinput.Model
	filterIn      textinput.Model
	spin          pane.Spinner
	flash         string

	// The range the root gave us.
	rng pane.Range

	// req is the resolution; loadID is the id it resolves while Busy.
	req    pane.Request[answer]
	loadID string
	// early is set once a snapshot of the running resolution is shown:
	// the answer then keeps the cursor where the user moved it.
	early     bool
	loadStart time.Time

	view   *correlate.View
	shown  string // the id whose view is shown
	err    error
	errID  string
	filter string
	rows   []row
	sel    int
	top    int
}

// New builds the pane; it contacts nothing.
func New(cfg Config) *Model {
	b := cfg.Basics.Fill("request", DefaultTimeout)
	if cfg.Pad <= 0 {
		cfg.Pad = correlate.DefaultPad
	}
	m := &Model{base: b, src: cfg.Source, keys: pane.KeysOr(cfg.Keys, DefaultKeyMap()),
		pad: cfg.Pad, logDialect: cfg.LogDialect, logBackend: cfg.LogBackend, links: cfg.Links,
		st: NewStyles(b.Renderer, cfg.Palette)}
	m.ctx, m.cancel = context.WithCancel(b.Parent)
	m.req = pane.NewRequest[answer](pane.RequestConfig{Pane: m.base.ID, Timeout: m.base.Timeout, Now: m.base.Now})
	m.input = newInput(b.Renderer, m.st, "id› ", "paste a request id or a trace id, then enter")
	m.filterIn = newInput(b.Renderer, m.st, "/", "")
	m.spin = pane.NewSpinner(m.base.ID, m.st.Spinner)
	return m
}

// newInput builds the pane's id input (see pane.NewInput).
func newInput(r *lipgloss.Renderer, st Styles, prompt, placeholder string) textinput.Model {
	return pane.NewInput(r, pane.InputStyle{Prompt: st.Prompt, Text: st.Text, Placeholder: st.Muted}, prompt, placeholder, 256)
}

// Title is the tab label.
func (m *Model) Title() string { return "Request" }

// Init starts with the ID input focused when nothing is shown.
func (m *Model) Init() tea.Cmd {
	if m.view == nil && !m.req.Busy() {
		m.mode = modeInput
		return m.input.Focus()
	}
	return nil
}

// Close cancels any running resolution.
func (m *Model) Close() { m.cancel() }

// Editing reports whether a text input has the keyboard.
func (m *Model) Editing() bool { return m.mode == modeInput || m.mode == modeFilter }

// AtRest reports whether esc would do nothing here.
func (m *Model) AtRest() bool { return m.mode == modeList && m.filter == "" && !m.req.Busy() }

// SetSize gives the pane its area.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(1, w), max(1, h)
	m.input.Width = max(1, m.width-lipgloss.Width(m.input.Prompt)-1)
	m.filterIn.Width = max(1, m.width-lipgloss.Width(m.filterIn.Prompt)-1)
	m.clamp()
}

// SetRange sets the window the next resolution searches.
func (m *Model) SetRange(from, to time.Time, live bool) {
	m.rng.Set(from, to, live)
}

// ShortHelp is the footer for the current mode.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch m.mode {
	case modeInput, modeFilter:
		return []key.Binding{k.Run, k.Back}
	}
	return []key.Binding{k.Edit, k.Open, k.SpanLogs, k.Filter, k.NextSvc}
}

// FullHelp is the pane's part of the help overlay.
func (m *Model) FullHelp() [][]key.Binding { return m.keys.fullHelp() }

// Update handles one message and returns the concrete type.
func (m *Model) Update(msg tea.Msg) (*Model, tea.Cmd) {
	if cmd, ok := pane.Answers(msg, pane.On(&m.req, m.onResult)); ok {
		return m, cmd
	}
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return m, m.onKey(msg)
	case pane.RangeMsg:
		m.SetRange(msg.From, msg.To, msg.Live)
		if m.shown != "" && !m.req.Busy() {
			return m, m.resolve(m.shown)
		}
	case progressMsg:
		// A stale resolution's snapshots stop here: its goroutine ends
		// into buffered channels nobody reads.
		if m.req.Current(msg.run) {
			m.onProgress(msg)
			return m, msg.next
		}
	case pane.SpinMsg:
		return m, m.spin.Update(msg, m.req.Busy())
	}
	return m, nil
}

// window is the range to search, resolved now for a live range.
func (m *Model) window() correlate.Window {
	from, to := m.rng.Window(m.base.Now(), DefaultWindow)
	return correlate.Window{From: from, To: to}
}

// Resolve shows id, as if typed and entered.
func (m *Model) Resolve(id string) tea.Cmd {
	m.input.SetValue(sanitize.Line(id))
	m.mode = modeList
	m.input.Blur()
	return m.resolve(id)
}

// resolve cancels what runs and starts resolving id.
func (m *Model) resolve(id string) tea.Cmd {
	id = strings.TrimSpace(id)
	if id == "" {
		m.flash = "paste a request id or a trace id first (i, then enter)"
		return nil
	}
	if _, _, ok := correlate.ClassifyInput(id); !ok {
		m.flash = "not a request id or a trace id: 1-128 characters without spaces or quotes"
		return nil
	}
	if m.src == nil {
		m.flash = "no Loki or Jaeger is configured for this context; see `reltui config check`"
		return nil
	}
	cmd := m.req.StartWith(m.ctx, resolveRun(m.src, id, m.window()))
	m.loadID, m.loadStart, m.flash, m.early = id, m.base.Now(), "", false
	return tea.Batch(cmd, m.spin.Start())
}

// onResult shows an accepted answer.
func (m *Model) onResult(msg resultMsg) tea.Cmd {
	if msg.Err != nil {
		// The previous view stays on screen; the error says it is not
		// the answer to what was asked.
		m.err, m.errID = msg.Err, msg.Value.id
		return nil
	}
	m.err = nil
	m.show(msg.Value.view, msg.Value.id)
	m.early = false
	return nil
}

// show puts v on screen; the cursor stays where the user moved it while
// an earlier snapshot of the same id was shown.
func (m *Model) show(v *correlate.View, id string) {
	keep := m.early && m.shown == id
	m.view, m.shown = v, id
	m.rebuild()
	if !keep {
		m.sel, m.top = 0, 0
	}
	m.clamp()
}

// onProgress shows a snapshot of the running resolution once it has found
// something: the trace usually answers long before a wide log search.
func (m *Model) onProgress(msg progressMsg) {
	if msg.view == nil || !msg.view.Found() {
		return
	}
	m.err = nil
	m.show(msg.view, msg.id)
	m.early = true
}

func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch m.mode {
	case modeInput:
		switch {
		case key.Matches(msg, k.Back):
			m.mode = modeList
			m.input.Blur()
			return nil
		case key.Matches(msg, k.Run):
			m.mode = modeList
			m.input.Blur()
			return m.resolve(m.input.Value())
		}
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		return cmd
	case modeFilter:
		switch {
		case key.Matches(msg, k.Back):
			m.mode = modeList
			m.filterIn.Blur()
			m.setFilter("")
			return nil
		case key.Matches(msg, k.Run):
			m.mode = modeList
			m.filterIn.Blur()
			m.setFilter(m.filterIn.Value())
			return nil
		}
		var cmd tea.Cmd
		m.filterIn, cmd = m.filterIn.Update(msg)
		return cmd
	}
	m.flash = ""
	switch {
	case key.Matches(msg, k.Back):
		switch {
		case m.req.Busy():
			m.req.Stop()
			m.flash = "search cancelled"
		case m.filter != "":
			m.setFilter("")
		}
	case key.Matches(msg, k.Edit):
		m.mode = modeInput
		m.input.CursorEnd()
		return m.input.Focus()
	case key.Matches(msg, k.Filter):
		m.mode = modeFilter
		m.filterIn.SetValue(m.filter)
		m.filterIn.CursorEnd()
		return m.filterIn.Focus()
	case k.Navigate(msg, &m.sel, &m.top, len(m.rows), m.listHeight()):
	case key.Matches(msg, k.NextSvc):
		m.jumpService(1)
	case key.Matches(msg, k.PrevSvc):
		m.jumpService(-1)
	case key.Matches(msg, k.Open):
		return m.open(false)
	case key.Matches(msg, k.SpanLogs):
		return m.open(true)
	case key.Matches(msg, k.Copy):
		return m.copySelected()
	case key.Matches(msg, k.Link):
		return m.copyLink()
	}
	return nil
}
