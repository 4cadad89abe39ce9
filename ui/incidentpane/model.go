// Package incidentpane is the console's Incidents pane: the incident list
// filtered by status, severity and text (/), the incident view (a milestone bar with
// the time between milestones, MTTD/MTTA/MTTM/MTTR, the live timeline with
// its evidence) and forms to declare, add notes, move milestones and
// resolve. It also takes evidence pinned from any pane (pane.PinMsg).
//
// The pane does no I/O in Update or View: the store is read and written
// through pane.Requests (list.go, incident.go, form.go, changes.go),
// whose Cmds capture their inputs by value and whose stale answers are
// dropped. Writes go through incidents.Guard, so the session's role is
// enforced by the same rule `reltui serve` uses, and carry idempotency
// keys.
package incidentpane

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane"
)

// Defaults for Config's zero values.
const (
	DefaultTimeout = 15 * time.Second
	// DefaultRefresh is how often the list is re-read while no incident
	// is open; an open incident is followed live through Store.Watch.
	DefaultRefresh = 10 * time.Second
)

// QueryPrefix is how a pivot names an incident: pane.PivotMsg{Target:
// pane.TargetIncidents, Query: QueryPrefix + "42"} opens INC-42.
const QueryPrefix = pane.IncidentQueryPrefix

// PivotQuery is the pivot query that opens incident id.
func PivotQuery(id int64) string { return pane.IncidentPivot(id).Query }

// Config is what the pane needs from outside.
type Config struct {
	// Basics are the ID ("incidents" when empty), renderer, clock, the
	// zone times are shown in (time.Local when nil), the timeout of one
	// store request and the parent context that ends all of the pane's
	// work.
	pane.Basics
	// Store is the incident record; nil shows how to configure one.
	Store incidents.Store
	// Author is who writes are recorded as (the OS user locally, the SSH
	// user under `reltui serve`).
	Author string
	// Role is "viewer", "responder" or "commander" ("" is commander, the
	// local default). An unknown role may only read.
	Role    string
	Palette themes.Palette
	Keys    *KeyMap
	Refresh time.Duration
	// Categories are the root-cause categories offered; nil is
	// incidents.DefaultCategories().
	Categories []string
	// Changes lists the deploys and config changes an incident's
	// timeline shows; nil shows none.
	Changes ChangeLister
}

type mode int

const (
	modeList mode = iota
	modeIncident
)

// Model is the Incidents pane.
type Model struct {
	id     string
	store  incidents.Store
	author string
	role   incidents.Role
	cats   []string // root-cause categories; nil is the defaults
	// deploys are the candidates for the open incident's deploy
	// suggestions, read when it was opened.
	deploys []incidents.Deploy
	// allDeploys are the deploys of the list's stats window.
	allDeploys []incidents.Deploy
	st         Styles
	renderer   *lipgloss.Renderer
	keys       KeyMap
	now        func() time.Time
	loc        *time.Location
	tmo        time.Duration

	ctx    context.Context
	cancel context.CancelFunc

	width, height int
	mode          mode
	spin          pane.Spinner
	flash         string

	// The list (list.go).
	list      pane.Request[listed]
	refresh   pane.Refresher // re-reads the list while no incident is open
	all       []incidents.Incident
	rows      []incidents.Incident // all, filtered and sorted
	statusIdx int
	sevFilter incidents.Severity
	// The text filter (/) over id, title, services and commander.
	textFilter pane.Filter
	sel, top   int

	// The open incident (incident.go): open reads it, and follow's run
	// is its live feed, out (busy) while the feed is.
	open   pane.Request[opened]
	follow pane.Request[struct{}]
	feed   <-chan incidents.Event
	wantID int64
	inc    incidents.Incident
	hasInc bool
	tsel   int // the selected timeline event
	// entries is the open incident's timeline in words, built when events
	// arrive rather than on every frame.
	entries []incidents.Entry
	ttop    int

	// The open incident's changes (changes.go).
	lister    ChangeLister
	changeReq pane.Request[[]Change]
	changes   []Change

	// The open form and its write (form.go).
	form  *form
	write pane.Request[written]
	// pins counts pins in flight (pin.go): each is its own write, none
	// replaces another, so they are counted rather than one Request.
	pins int
}

// New builds the pane. It does not touch the store.
func New(cfg Config) *Model {
	b := cfg.Basics.Fill("incidents", DefaultTimeout)
	if cfg.Refresh <= 0 {
		cfg.Refresh = DefaultRefresh
	}
	if strings.TrimSpace(cfg.Author) == "" {
		cfg.Author = "unknown"
	}
	role, err := incidents.ParseRole(cfg.Role)
	if err != nil {
		role = incidents.RoleViewer // fail closed
	}
	keys := pane.KeysOr(cfg.Keys, DefaultKeyMap())
	m := &Model{
		id: b.ID, author: sanitize.Line(cfg.Author), role: role, renderer: b.Renderer, cats: cfg.Categories,
		st: NewStyles(b.Renderer, cfg.Palette), keys: keys, now: b.Now, loc: b.Location,
		tmo: b.Timeout, lister: cfg.Changes, refresh: pane.NewRefresher(b.ID, cfg.Refresh),
	}
	req := func(name string, tmo time.Duration) pane.RequestConfig {
		return pane.RequestConfig{Pane: b.ID, Name: name, Timeout: tmo, Now: b.Now}
	}
	m.list = pane.NewRequest[listed](req("list", b.Timeout))
	m.open = pane.NewRequest[opened](req("open", b.Timeout))
	m.follow = pane.NewRequest[struct{}](req("follow", 0)) // a feed runs until the incident is closed
	m.write = pane.NewRequest[written](req("write", b.Timeout))
	m.changeReq = pane.NewRequest[[]Change](req("changes", b.Timeout))
	if cfg.Store != nil {
		m.store = incidents.Guard(cfg.Store, role)
	}
	m.ctx, m.cancel = context.WithCancel(b.Parent)
	m.spin = pane.NewSpinner(m.id, m.st.Spinner)
	fc := m.st.FilterConfig("id, title, service or commander", keys.Apply, keys.Back)
	fc.Input.Text = m.st.Input // typed text in the palette's text colour, as in the forms
	m.textFilter = pane.NewFilter(b.Renderer, fc)
	m.textFilter.SetWidth(1)
	return m
}

// Title is the tab label.
func (m *Model) Title() string { return "Incidents" }

// Init loads the list and starts its refresh tick.
func (m *Model) Init() tea.Cmd {
	if m.store == nil {
		return nil
	}
	return tea.Batch(m.reload(), m.refresh.Start(m.ctx))
}

// Close ends the live feed and every request in flight.
func (m *Model) Close() { m.cancel() }

// Editing reports whether a form or the filter input has the keyboard.
func (m *Model) Editing() bool { return m.form != nil || m.textFilter.Editing() }

// AtRest reports whether esc would do nothing here: the list with no
// filter and no form.
func (m *Model) AtRest() bool {
	return m.form == nil && m.mode == modeList && m.statusIdx == 0 && m.sevFilter == "" && !m.textFilter.Editing() && m.textFilter.Value() == ""
}

// SetSize gives the pane its area.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(1, w), max(1, h)
	m.textFilter.SetWidth(m.width - 2)
	if f := m.form; f != nil {
		for i := range f.inputs {
			f.inputs[i].Width = max(1, m.fieldWidth(f.labels[i]))
		}
	}
	m.clampList()
}

// ShortHelp is the footer for what has focus.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch {
	case m.form != nil:
		return []key.Binding{k.Save, k.NextField, k.Back}
	case m.mode == modeIncident:
		return []key.Binding{k.Note, k.Milestone, k.Resolve, k.Copy, k.Back}
	}
	// The list's filter takes the keyboard only in the list.
	return m.textFilter.ShortHelp([]key.Binding{k.Open, k.Declare, k.Filter, k.Status, k.Severity})
}

// FullHelp is the pane's part of the help overlay.
func (m *Model) FullHelp() [][]key.Binding { return m.keys.fullHelp() }

// Pivot opens the incident a pivot names (Query "incident:<id>").
func (m *Model) Pivot(msg pane.PivotMsg) tea.Cmd {
	ref, ok := strings.CutPrefix(strings.TrimSpace(msg.Query), QueryPrefix)
	if !ok {
		return nil
	}
	id, err := incidents.ParseRef(ref)
	if err != nil {
		m.flash = "✗ " + trimSentinel(err)
		return nil
	}
	m.form = nil
	return tea.Batch(m.openIncident(id), m.reload())
}

// Update handles one message.
func (m *Model) Update(msg tea.Msg) (*Model, tea.Cmd) {
	if cmd, ok := pane.Answers(msg,
		pane.On(&m.list, m.onList),
		pane.On(&m.open, m.onOpen),
		pane.On(&m.write, m.onWrite),
		pane.On(&m.changeReq, m.onChanges),
	); ok {
		return m, cmd
	}
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return m, m.onKey(msg)
	case pane.PinMsg:
		return m, m.pin(msg.Evidence)
	case pane.PivotMsg:
		return m, m.Pivot(msg)
	case feedMsg:
		if m.follow.Current(msg.stamp) && m.hasInc {
			return m, m.onFeed(msg)
		}
	case pinMsg:
		if msg.pane == m.id {
			return m, m.onPin(msg)
		}
	case pane.RefreshTickMsg:
		// The list is re-read while it shows; an overlapping refresh is
		// dropped, not queued.
		cmd, _ := m.refresh.Tick(m.ctx, msg, m.mode != modeList || m.list.Busy(), m.reload)
		return m, cmd
	case pane.SpinMsg:
		return m, m.spin.Update(msg, m.waiting())
	}
	return m, nil
}

// waiting reports whether a request is out, for the spinner; the live
// feed is not waited on.
func (m *Model) waiting() bool {
	return m.list.Busy() || m.open.Busy() || m.pins > 0 || m.changeReq.Busy() || m.write.Busy()
}

// onKey sends a key to the form, the incident view or the list.
func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	if m.form != nil {
		return m.formKey(msg)
	}
	m.flash = ""
	switch {
	case m.mode == modeIncident:
		return m.incidentKey(msg)
	case m.textFilter.Editing():
		return m.filterKey(msg)
	}
	return m.listKey(msg)
}

func isRetryable(err error) bool {
	return errors.Is(err, incidents.ErrUnavailable) || errors.Is(err, context.DeadlineExceeded)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
