// Package alerts is the console's Alerts pane: firing and pending alerts
// from Prometheus and Alertmanager, joined by fingerprint, sorted by
// severity and age, filterable, with every label and annotation on enter;
// d declares an incident from the selected alert (started prefilled from
// when it became active, the alert attached as evidence) and pivots to it
// in the Incidents pane. p (the root's pin key) pins the selected alert.
// o opens the alert's runbook (package runbook finds and loads it),
// rendered with glamour; its steps can be marked done on the alert's
// incident and a step's query block run in the right pane.
//
// No I/O happens in Update or View; fetches and the declaration run in
// Cmds whose answers carry the pane id and a sequence number.
package alerts

import (
	"context"
	"errors"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/alertstart"
	"github.com/reltui/reltui/incidents/runbook"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane"
)

// Defaults for Config's zero values.
const (
	DefaultTimeout = 15 * time.Second
	DefaultRefresh = 15 * time.Second
)

// Config is what the pane needs from outside.
type Config struct {
	// Basics are the pane's id ("" means "alerts"), renderer, clock,
	// zone, timeout (DefaultTimeout) and parent context.
	pane.Basics
	// Sources are asked in order; a failing one does not hide the others.
	Sources []Source
	// Store, Author and Role are for declaring; a nil Store disables d.
	Store  incidents.Store
	Author string
	Role   string
	// Grafana, when set, gives declared evidence an Explore link.
	Grafana incidents.Grafana
	Palette themes.Palette
	Keys    *KeyMap
	// Refresh is how often the alerts are fetched again (DefaultRefresh).
	Refresh time.Duration
	// Runbooks says where runbooks are found and which hosts they may be
	// fetched from.
	Runbooks runbook.Options
	// Noise computes the noise view (S); nil disables it.
	Noise NoiseSource
	// Prom evaluates an alert's rule backwards when d declares, so the
	// incident's started and detected are honest (package alertstart);
	// nil keeps the alert's own times.
	Prom alertstart.Querier
}

var stateFilters = []string{"", "firing", "pending"}

// Model is the Alerts pane.
type Model struct {
	// b holds the pane's id, renderer, clock, zone and timeout; ctx, a
	// child of its Parent, ends with Close.
	b      pane.Basics
	ctx    context.Context
	cancel context.CancelFunc

	srcs    []Source
	store   incidents.Store
	author  string
	role    incidents.Role
	grafana incidents.Grafana
	st      Styles
	keys    KeyMap

	width, height int
	spin          pane.Spinner
	flash         string

	// list fetches the alerts from every source; refresh repeats it.
	list     pane.Request[fetched]
	refresh  pane.Refresher
	errs     []srcErr
	items    []item
	rows     []item
	sel, top int
	stateIdx int
	filter   pane.Filter
	detail   bool

	// prefill reads the alert's rule backwards, then decl declares.
	prefill pane.Request[prefilled]
	decl    pane.Request[declared]
	// pending holds declarations not yet acknowledged, by alert firing
	// (fingerprint@activeAt); declared maps a firing to its incident.
	pending  map[string]incidents.Declaration
	declared map[string]int64

	rbOpt runbook.Options
	md    markdown
	rb    runbookState
	// rbDoc loads the open runbook, rbDone reads which of its steps the
	// incident records; recording writes a step, one request per step.
	rbDoc     pane.Request[runbook.Loaded]
	rbDone    pane.Request[stepsDone]
	recording map[int]*pane.Request[recorded]

	noiseSrc NoiseSource
	noise    noiseState

	prom alertstart.Querier
}

// New builds the pane; it contacts no backend.
func New(cfg Config) *Model {
	b := cfg.Basics.Fill("alerts", DefaultTimeout)
	if cfg.Refresh <= 0 {
		cfg.Refresh = DefaultRefresh
	}
	role, err := incidents.ParseRole(cfg.Role)
	if err != nil {
		role = incidents.RoleViewer
	}
	keys := pane.KeysOr(cfg.Keys, DefaultKeyMap())
	m := &Model{
		b: b, srcs: cfg.Sources, author: sanitize.Line(cfg.Author), role: role, grafana: cfg.Grafana,
		st: NewStyles(b.Renderer, cfg.Palette), keys: keys,
		refresh: pane.NewRefresher(b.ID, cfg.Refresh),
		pending: map[string]incidents.Declaration{}, declared: map[string]int64{}, recording: map[int]*pane.Request[recorded]{},
		rbOpt: cfg.Runbooks, md: newMarkdown(b.Renderer, cfg.Palette), noiseSrc: cfg.Noise, prom: cfg.Prom,
	}
	if m.author == "" {
		m.author = "unknown"
	}
	if cfg.Store != nil {
		m.store = incidents.Guard(cfg.Store, role)
	}
	m.list = pane.NewRequest[fetched](m.request("alerts"))
	m.prefill = pane.NewRequest[prefilled](m.request("prefill"))
	m.decl = pane.NewRequest[declared](m.request("declare"))
	m.rbDoc = pane.NewRequest[runbook.Loaded](m.request("runbook"))
	m.rbDone = pane.NewRequest[stepsDone](m.request("steps done"))
	m.noise.req = pane.NewRequest[noiseReport](m.request("noise"))
	m.ctx, m.cancel = context.WithCancel(b.Parent)
	m.spin = pane.NewSpinner(m.b.ID, m.st.Spinner)
	m.filter = pane.NewFilter(b.Renderer, pane.FilterConfig{
		Input: pane.InputStyle{Prompt: m.st.Prompt, Text: m.st.Input, Placeholder: m.st.Muted},
		Limit: 200, Apply: keys.Apply, Cancel: keys.Back,
	})
	return m
}

// request is the pane's request of one kind: answers routed here, told
// apart by name, bounded by the pane's timeout and dated by its clock.
func (m *Model) request(name string) pane.RequestConfig {
	return pane.RequestConfig{Pane: m.b.ID, Name: name, Timeout: m.b.Timeout, Now: m.b.Now}
}

// Title is the tab label.
func (m *Model) Title() string { return "Alerts" }

// Init fetches the alerts and starts the refresh timer.
func (m *Model) Init() tea.Cmd {
	if len(m.srcs) == 0 {
		return nil
	}
	return tea.Batch(m.fetch(), m.refresh.Start(m.ctx))
}

// Close cancels everything in flight and stops the refresh timer.
func (m *Model) Close() {
	m.cancel()
	m.refresh.Stop()
}

// Editing reports whether the filter input has the keyboard.
func (m *Model) Editing() bool { return m.filter.Editing() }

// AtRest reports whether esc would do nothing.
func (m *Model) AtRest() bool {
	return !m.filter.Editing() && !m.detail && !m.rb.open && !m.noise.open && m.filter.Value() == "" && m.stateIdx == 0
}

// SetSize gives the pane its area.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(1, w), max(1, h)
	m.filter.SetWidth(m.width - 3)
	m.clamp()
	m.renderRunbook()
	m.clampRunbook()
}

// ShortHelp is the footer for what has focus.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch {
	case m.filter.Editing():
		return []key.Binding{k.Apply, k.Back}
	case m.rb.open:
		return []key.Binding{k.NextStep, k.MarkDone, k.RunQuery, k.CopyURL, k.Back}
	case m.noise.open:
		return []key.Binding{k.Refresh, k.Back}
	case m.detail:
		return []key.Binding{k.Declare, k.Back}
	}
	return []key.Binding{k.Declare, k.Runbook, k.Noise, k.Detail, k.Filter, k.State}
}

// FullHelp is the pane's part of the help overlay.
func (m *Model) FullHelp() [][]key.Binding { return m.keys.fullHelp() }

// Selection is the selected alert as evidence, for the root's pin key.
func (m *Model) Selection() (incidents.Evidence, bool) {
	it, ok := m.selected()
	if !ok {
		return incidents.Evidence{}, false
	}
	d := incidents.FromAlertLinked(it.a, m.b.Now(), m.grafana)
	return d.Evidence[0], true
}

func (m *Model) selected() (item, bool) {
	if m.sel < 0 || m.sel >= len(m.rows) {
		return item{}, false
	}
	return m.rows[m.sel], true
}

// fetched answers a fetch: the alerts of every source that answered and
// the errors of those that did not.
type fetched struct {
	batches [][]sources.Alert
	errs    []srcErr
}

// srcErr is one source's failure, named for the error line.
type srcErr struct {
	src string
	err error
}

// fetchAlerts asks every source in turn; a failing one does not hide the
// others. The request fails only when every source failed.
func fetchAlerts(srcs []Source) func(context.Context) (fetched, error) {
	return func(ctx context.Context) (fetched, error) {
		var f fetched
		var errs []error
		for _, s := range srcs {
			as, err := s.Alerts(ctx)
			if err != nil {
				f.errs, errs = append(f.errs, srcErr{src: s.Name(), err: err}), append(errs, err)
				continue
			}
			f.batches = append(f.batches, as)
		}
		if len(f.batches) == 0 {
			return f, errors.Join(errs...)
		}
		return f, nil
	}
}

// Update handles one message.
func (m *Model) Update(msg tea.Msg) (*Model, tea.Cmd) {
	if cmd, ok := pane.Answers(msg,
		pane.On(&m.list, m.onAlerts),
		pane.On(&m.prefill, m.onPrefilled),
		pane.On(&m.decl, m.onDeclared),
		pane.On(&m.noise.req, m.onNoise),
		pane.On(&m.rbDoc, m.onRunbook),
		pane.On(&m.rbDone, m.onStepsDone),
		m.onRecorded,
	); ok {
		return m, cmd
	}
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return m, m.onKey(msg)
	case pane.RefreshTickMsg:
		cmd, _ := m.refresh.Tick(m.ctx, msg, m.list.Busy(), m.fetch)
		return m, cmd
	case StepDoneMsg:
		if msg.Pane == m.b.ID {
			return m, m.onStepDone(msg)
		}
	case pane.SpinMsg:
		return m, m.spin.Update(msg, m.waiting())
	}
	return m, nil
}

func (m *Model) fetch() tea.Cmd {
	if len(m.srcs) == 0 {
		return nil
	}
	return tea.Batch(m.list.Start(m.ctx, fetchAlerts(m.srcs)), m.spin.Start())
}

// loaded reports whether a fetch answered, and when.
func (m *Model) loaded() (bool, time.Time) {
	_, ok := m.list.Last()
	return ok, m.list.LastAt()
}

func (m *Model) onAlerts(msg pane.Result[fetched]) tea.Cmd {
	m.errs = msg.Value.errs
	if msg.Err != nil {
		return nil // every source failed: keep what is on screen
	}
	var keep string
	if it, ok := m.selected(); ok {
		keep = it.a.Fingerprint
	}
	m.items = merge(msg.Value.batches)
	m.refilter(keep)
	return nil
}

func (m *Model) refilter(keep string) {
	state := stateFilters[m.stateIdx]
	m.rows = m.rows[:0]
	for _, it := range m.items {
		if (state == "" || it.state == state) && it.matches(m.filter.Match) {
			m.rows = append(m.rows, it)
		}
	}
	m.sel = 0
	for i, it := range m.rows {
		if it.a.Fingerprint == keep {
			m.sel = i
		}
	}
	m.clamp()
}

func (m *Model) listHeight() int { return max(1, m.height-4) }

func (m *Model) clamp() {
	m.sel, m.top = pane.ClampScroll(m.sel, m.top, len(m.rows), m.listHeight())
	if len(m.rows) == 0 {
		m.detail = false
	}
}

// scrollTop clamps top, the first of n lines shown h at a time (the noise
// table, the runbook), so the view never scrolls past either end.
func scrollTop(top, n, h int) int {
	_, top = pane.ClampScroll(top, top, n, h)
	return top
}

func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if m.filter.Editing() {
		ev, cmd := m.filter.Update(msg)
		if ev == pane.FilterApplied {
			m.refilter(m.selectedFP())
		}
		return cmd
	}
	m.flash = ""
	switch {
	case m.rb.open:
		return m.onRunbookKey(msg)
	case m.noise.open:
		return m.onNoiseKey(msg)
	}
	if !m.detail && k.Navigate(msg, &m.sel, &m.top, len(m.rows), m.listHeight()) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Runbook):
		return m.openRunbook()
	case key.Matches(msg, k.Noise):
		return m.openNoise()
	case key.Matches(msg, k.Back):
		switch {
		case m.detail:
			m.detail = false
		default:
			m.stateIdx = 0
			m.filter.Clear()
			m.refilter(m.selectedFP())
		}
	case key.Matches(msg, k.Declare):
		return m.declare()
	case m.detail:
		// The detail shows one alert; only back and declare apply.
	case key.Matches(msg, k.Detail):
		m.detail = len(m.rows) > 0
	case key.Matches(msg, k.Filter):
		return m.filter.Open()
	case key.Matches(msg, k.State):
		m.stateIdx = (m.stateIdx + 1) % len(stateFilters)
		m.refilter(m.selectedFP())
	case key.Matches(msg, k.Refresh):
		if !m.list.Busy() {
			return m.fetch()
		}
	}
	m.clamp()
	return nil
}

func (m *Model) selectedFP() string {
	it, _ := m.selected()
	return it.a.Fingerprint
}

func (m *Model) waiting() bool {
	return m.list.Busy() || m.decl.Busy() || m.prefill.Busy() || m.rbDoc.Busy() || m.rbDone.Busy() || m.recordingAny() || m.noise.req.Busy()
}
