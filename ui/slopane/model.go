// Package slopane is the console's SLOs pane: every SLO's status (ok,
// ticket, page, no data, insufficient traffic), its error budget as a bar,
// the multi-window burn-rate table, a burn-history chart and the sentence
// that explains it. It refreshes on a timer; a refresh still running when
// the next is due is not queued but skipped.
//
// The pane does no I/O in Update or View: evaluation runs in Cmds that
// capture their inputs by value, through a pane.Request that drops stale
// answers, and a pane.Refresher times the refresh.
package slopane

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/slo"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane"
)

// Defaults for Config's zero values.
const (
	DefaultRefresh = 30 * time.Second
	DefaultTimeout = 60 * time.Second
)

// Config is what the pane needs from outside.
type Config struct {
	// Basics are the ID ("slos" when empty), renderer, clock, timeout of
	// one refresh (DefaultTimeout) and parent context (Close ends its
	// work too); the zone is not used.
	pane.Basics
	// Source is the context's Prometheus; nil shows how to configure one.
	Source Source
	// SLOs are the context's configured SLOs (slos: and slo_files:).
	SLOs []slo.SLO
	// Rules, when set, is searched on every refresh for the SLOs Sloth
	// and Pyrra generated rules for; they join the configured ones.
	Rules slo.RuleLister
	// Exclusions are the context's slo_exclude periods; the discovered
	// SLOs get them too (the configured ones already carry theirs).
	Exclusions []slo.Exclusion
	// Searched says where SLOs are looked for, for the "none found" text.
	Searched slo.Searched
	// Incidents, when set, is read on every refresh for drills and
	// maintenance, which are left out of their services' SLO budgets.
	Incidents incidents.Lister
	// SpecErr is why the context's SLO specs could not be read; the pane
	// shows it instead of pretending there are none.
	SpecErr error
	Palette themes.Palette
	Keys    *KeyMap
	// Refresh is how often the SLOs are evaluated again (DefaultRefresh).
	Refresh time.Duration
	// To and Live are the console's range: a past range (Live false) is
	// judged at To; a live one at now.
	To   time.Time
	Live bool
}

// item is one SLO and what the pane last learnt about it.
type item struct {
	s       slo.SLO
	eval    slo.Evaluation
	hist    []slo.Point
	has     bool // eval holds a good answer
	err     error
	histErr error
}

// Model is the SLOs pane.
type Model struct {
	id      string
	src     Source
	st      Styles
	keys    KeyMap
	now     func() time.Time
	specErr error

	// configured are the context's own SLOs; rules and exclusions feed
	// discovery, and searched is what the last one found.
	configured []slo.SLO
	rules      slo.RuleLister
	exclusions []slo.Exclusion
	searched   slo.Searched
	searchDone bool
	incidents  incidents.Lister

	width, height int
	items         []item
	visible       []int // indexes into items that pass the filter
	sel, top      int   // positions in visible

	filter pane.Filter

	fetch pane.Poll[answer]

	// The range the root gave us: a past range evaluates at its end.
	to   time.Time
	live bool

	shownAt  time.Time // when the data on screen was evaluated
	warnings []string
	flash    string
}

// New builds the pane. It does not contact the backend.
func New(cfg Config) *Model {
	b := cfg.Basics.Fill("slos", DefaultTimeout)
	if cfg.Refresh <= 0 {
		cfg.Refresh = DefaultRefresh
	}
	keys := pane.KeysOr(cfg.Keys, DefaultKeyMap())
	m := &Model{
		id: b.ID, src: cfg.Source, keys: keys, now: b.Now,
		st: NewStyles(b.Renderer, cfg.Palette), specErr: cfg.SpecErr, live: cfg.Live || cfg.To.IsZero(), to: cfg.To,
	}
	m.fetch = pane.NewPoll[answer](pane.PollConfig{Pane: m.id, Timeout: b.Timeout, Now: m.now, Every: cfg.Refresh, Parent: b.Parent, Spinner: m.st.Spinner})
	m.configured, m.rules, m.exclusions, m.searched, m.incidents = cfg.SLOs, cfg.Rules, cfg.Exclusions, cfg.Searched, cfg.Incidents
	m.searchDone = cfg.Rules == nil
	for _, s := range cfg.SLOs {
		m.items = append(m.items, item{s: s})
	}
	m.filter = pane.NewFilter(b.Renderer, m.st.FilterConfig("name, service or status", keys.Apply, keys.Back))
	m.applyFilter()
	return m
}

// Title is the tab label.
func (m *Model) Title() string { return "SLOs" }

// Init evaluates the SLOs and starts the refresh timer.
func (m *Model) Init() tea.Cmd {
	return m.fetch.Init(m.refresh)
}

// Close cancels the running refresh and stops the timer.
func (m *Model) Close() {
	m.fetch.Close()
}

// Editing reports whether the filter input has the keyboard.
func (m *Model) Editing() bool { return m.filter.Editing() }

// AtRest reports whether esc would do nothing here.
func (m *Model) AtRest() bool { return !m.filter.Editing() && m.filter.Value() == "" }

// SetSize gives the pane its area.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(1, w), max(1, h)
	m.filter.SetWidth(m.width - 2)
	m.clamp()
}

// ShortHelp is the footer.
func (m *Model) ShortHelp() []key.Binding {
	short := m.keys.ShortHelp()
	if m.filter.Value() != "" {
		short = append(short, m.keys.Back)
	}
	return m.filter.ShortHelp(short)
}

// FullHelp is the pane's part of the help overlay.
func (m *Model) FullHelp() [][]key.Binding { return m.keys.FullHelp() }

// Update handles one message and returns the concrete type.
func (m *Model) Update(msg tea.Msg) (*Model, tea.Cmd) {
	if cmd, ok := m.fetch.Update(msg, m.refresh, m.onResult); ok {
		return m, cmd
	}
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return m, m.onKey(msg)
	case pane.RangeMsg:
		m.to, m.live = msg.To, msg.Live
		return m, m.refresh()
	}
	return m, nil
}

// evalAt is when the SLOs are judged: now, or the end of a past range.
func (m *Model) evalAt() time.Time {
	if m.live || m.to.IsZero() {
		return m.now()
	}
	return m.to
}

// refresh starts evaluating every SLO, cancelling one already running.
func (m *Model) refresh() tea.Cmd {
	if m.src == nil || (len(m.configured) == 0 && m.rules == nil) {
		return nil
	}
	req := fetchReq{src: m.src, rules: m.rules, at: m.evalAt(),
		configured: m.configured, exclusions: m.exclusions, searched: m.searched, incidents: m.incidents}
	return m.fetch.Start(fetch(req))
}

// onResult shows a refresh's answers. An SLO whose evaluation failed keeps
// its old one, marked stale; the request's error is the first such
// failure (fetch returns it beside the answer).
func (m *Model) onResult(res resultMsg) {
	msg := res.Value
	m.warnings = msg.warnings
	m.searched, m.searchDone = msg.searched, true
	m.setSLOs(msg.slos)
	good := 0
	for i := range m.items {
		if i >= len(msg.outcomes) {
			break
		}
		o, it := msg.outcomes[i], &m.items[i]
		it.err, it.histErr = o.Err, o.HistoryErr
		if o.Err == nil {
			it.eval, it.has = o.Eval, true
			good++
		}
		if o.HistoryErr == nil {
			it.hist = o.History
		}
	}
	if good > 0 {
		m.shownAt = msg.at
	}
}

// setSLOs makes the list the refresh's SLOs, in its order, keeping what
// was known about each SLO still there (by name) and the selection.
func (m *Model) setSLOs(slos []slo.SLO) {
	old := map[string]item{}
	for _, it := range m.items {
		old[it.s.Name] = it
	}
	items := make([]item, len(slos))
	for i, s := range slos {
		it := old[s.Name]
		it.s = s
		items[i] = it
	}
	m.items = items
	m.applyFilter()
}

func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	m.flash = ""
	k := m.keys
	if m.filter.Editing() {
		ev, cmd := m.filter.Update(msg)
		if ev == pane.FilterApplied {
			m.applyFilter()
		}
		return cmd
	}
	if k.Navigate(msg, &m.sel, &m.top, len(m.visible), m.listHeight()) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Filter):
		return m.filter.Open()
	case key.Matches(msg, k.Back):
		if m.filter.Value() != "" {
			m.filter.Clear()
			m.applyFilter()
		}
	case key.Matches(msg, k.Refresh):
		var cmd tea.Cmd
		cmd, m.flash = m.fetch.Again(m.refresh)
		return cmd
	case key.Matches(msg, k.Metrics):
		return m.pivotCmd()
	}
	m.clamp()
	return nil
}

// applyFilter keeps the SLOs whose name, service or status contains the
// filter (case-insensitive), keeping the selected SLO when it still shows.
func (m *Model) applyFilter() {
	cur := -1
	if m.sel >= 0 && m.sel < len(m.visible) {
		cur = m.visible[m.sel]
	}
	m.visible = m.visible[:0]
	m.sel = 0
	for i, it := range m.items {
		if m.filter.Match(it.s.Name + " " + it.s.Service + " " + string(it.eval.Status)) {
			if i == cur {
				m.sel = len(m.visible)
			}
			m.visible = append(m.visible, i)
		}
	}
	m.clamp()
}

func (m *Model) clamp() {
	m.sel, m.top = pane.ClampScroll(m.sel, m.top, len(m.visible), m.listHeight())
}

// selected is the SLO under the cursor.
func (m *Model) selected() (*item, bool) {
	if m.sel < 0 || m.sel >= len(m.visible) {
		return nil, false
	}
	return &m.items[m.visible[m.sel]], true
}

// pivotCmd opens the selected SLO's burn query in the Metrics pane.
func (m *Model) pivotCmd() tea.Cmd {
	it, ok := m.selected()
	if !ok {
		return nil
	}
	q, err := slo.BurnHistoryQuery(it.s)
	if err != nil {
		return nil
	}
	to := m.evalAt()
	msg := pane.PivotMsg{Target: pane.TargetMetrics, Query: q, Service: it.s.Service, From: to.Add(-History), To: to}
	return func() tea.Msg { return msg }
}

// Selection is the selected SLO as chart evidence: its burn query over the
// chart's window and a text snapshot of the verdict.
func (m *Model) Selection() (incidents.Evidence, bool) {
	it, ok := m.selected()
	if !ok || !it.has {
		return incidents.Evidence{}, false
	}
	q, err := slo.BurnHistoryQuery(it.s)
	if err != nil {
		return incidents.Evidence{}, false
	}
	to := m.shownAt
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s — %s\n", it.s.Name, it.eval.Status, it.eval.Sentence())
	for _, c := range it.eval.Conditions {
		fmt.Fprintf(&b, "%s %s/%s factor %s: long %s short %s firing %v\n", c.Severity,
			slo.FormatPromDuration(c.Long), slo.FormatPromDuration(c.Short), slo.FormatRate(c.Factor),
			rateText(c.LongRate), rateText(c.ShortRate), c.Firing)
	}
	return incidents.Evidence{
		Kind: incidents.EvidenceChart, Source: "prometheus", Query: q,
		From: to.Add(-History), To: to, Snapshot: sanitize.Text(b.String()),
	}, true
}

func rateText(v float64) string {
	if !finite(v) {
		return "-"
	}
	return slo.FormatRate(v)
}
