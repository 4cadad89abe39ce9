// Package metrics is the console's Metrics pane: the golden signals of a
// service (latency p50/p95/p99 with exemplars, traffic, error ratio,
// saturation) as four charts over the shared time range, and a free
// PromQL mode with history, a chart and a table. A cursor reads values at
// a moment; an exemplar opens its trace; the cursor's moment opens the
// service's logs.
//
// The pane does no I/O in Update or View: queries run in Cmds that
// capture their inputs by value under a context the pane cancels, and
// every result carries the pane's id and a sequence number.
package metrics

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/correlate/changes"
	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/sources/links"
	"github.com/reltui/reltui/sources/prom"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/chart"
	"github.com/reltui/reltui/ui/pane"
)

// Defaults for Config's zero values.
const (
	DefaultTimeout = 60 * time.Second
	maxHistory     = 200
	// pivotPad widens a pivot's window either side of the moment.
	pivotPad = 5 * time.Minute
)

// Config is what the pane needs from outside.
type Config struct {
	// Basics are the ID ("metrics" when empty), renderer, clock, zone,
	// timeout of one refresh (DefaultTimeout) and the parent context that
	// ends all of the pane's work.
	pane.Basics
	// Source is the Prometheus to read; nil shows how to configure one.
	Source  Source
	Palette themes.Palette
	Keys    *KeyMap
	// ScrapeInterval is the backend's scrape interval, the fastest live
	// refresh (DefaultScrapeInterval).
	ScrapeInterval time.Duration
	// Ticker arms the live-refresh timer; nil means pane.Tick.
	Ticker Ticker
	// Metrics is the context's metrics config (templates, service
	// label); nil means the defaults.
	Metrics *config.Metrics
	// Changes are the context's change sources, drawn as markers; Logs
	// runs the sources that are log queries (nil: none can run).
	Changes []changes.Source
	Logs    changes.LogQuerier
	// Links is where U links the focused chart's query out to (Grafana
	// Explore on the Prometheus datasource, else Prometheus's own UI).
	Links links.Targets
	// Service, when set, is selected at start.
	Service string
	// From, To and Live are the initial range (the console's).
	From, To time.Time
	Live     bool
}

type mode int

const (
	modeSignals mode = iota
	modeQuery
)

type input int

const (
	inputNone input = iota
	inputEditor
	inputPicker
)

// Model is the Metrics pane.
type Model struct {
	// base is the filled Basics the pane was built with: its id, clock,
	// zone, timeout, renderer and parent.
	base  pane.Basics
	links links.Targets
	src   Source
	st    Styles
	keys  KeyMap

	tmpl  map[string]string
	label string // the service label on the metrics
	// Naming scheme (scheme.go).
	metricsCfg  *config.Metrics
	scheme      config.MetricsScheme // the shown service's
	schemeFixed bool                 // metrics.scheme named it
	detected    bool                 // detection found it in the backend
	namings     detection            // the last detection
	overrides   []string             // templates the config overrides
	wantLabel   string               // metrics.service_label, "" to detect
	logLabel    string               // the stream label a logs pivot names the service by

	ctx    context.Context
	cancel context.CancelFunc

	// Live refresh (live.go).
	ticker Ticker
	scrape time.Duration
	shown  pane.LiveRefresh // the timer runs only while the root shows the pane

	width, height int
	mode          mode
	input         input
	focus         int // the focused chart in signals mode
	flash         string

	// rng is the range given; a live one (or none) is resolved at each
	// refresh.
	rng pane.Range

	editor  textinput.Model
	history pane.History
	filter  textinput.Model
	pick    int // the highlighted service in the picker

	spin pane.Spinner

	// Services.
	svcReq      pane.Request[detection]
	services    []string
	service     string
	svcReqCount int

	// Signals.
	sigReq     pane.Request[signals]
	panels     []panel
	exemplars  []exemplar
	exErr      error
	exSel      int // -1: none
	changeSrcs []changes.Source
	changeLogs changes.LogQuerier
	changes    []changes.Event
	chErr      error

	// Free query.
	qReq   pane.Request[panel]
	qExpr  string
	result *panel

	// cursor is the moment read out; zero means none.
	cursor time.Time
}

// New builds the pane. It does not contact the backend.
func New(cfg Config) *Model {
	b := cfg.Basics.Fill("metrics", DefaultTimeout)
	if cfg.Ticker == nil {
		cfg.Ticker = pane.Tick
	}
	if cfg.ScrapeInterval <= 0 {
		cfg.ScrapeInterval = DefaultScrapeInterval
	}
	m := &Model{
		links:   cfg.Links,
		history: pane.NewHistory(maxHistory),
		base:    b, src: cfg.Source, keys: pane.KeysOr(cfg.Keys, DefaultKeyMap()),
		st:    NewStyles(b.Renderer, cfg.Palette),
		tmpl:  cfg.Metrics.MetricsTemplates(),
		label: cfg.Metrics.Label(), logLabel: cfg.Metrics.Label(),
		metricsCfg: cfg.Metrics, overrides: cfg.Metrics.Overrides(),
		exSel:   -1,
		service: sanitize.Line(cfg.Service),
		ticker:  cfg.Ticker, scrape: cfg.ScrapeInterval,
		changeSrcs: cfg.Changes, changeLogs: cfg.Logs,
	}
	if mc := cfg.Metrics; mc != nil {
		m.wantLabel = mc.ServiceLabel
		if sc, ok := config.MetricsSchemeByName(mc.Scheme); ok {
			m.scheme, m.schemeFixed = sc, true
		}
	}
	// Without a range given, the last hour, live.
	if !cfg.From.IsZero() && cfg.To.After(cfg.From) {
		m.rng.Set(cfg.From, cfg.To, cfg.Live)
	}
	m.ctx, m.cancel = context.WithCancel(b.Parent)
	r := b.Renderer
	m.editor = newInput(r, m.st, "promql› ", `sum by (code) (rate(http_requests_total[5m]))`)
	m.filter = newInput(r, m.st, "service› ", "type to filter")
	m.spin = pane.NewSpinner(m.base.ID, m.st.Spinner)
	m.svcReq = pane.NewRequest[detection](pane.RequestConfig{Pane: m.base.ID, Name: "services", Timeout: m.base.Timeout, Now: m.base.Now})
	m.sigReq = pane.NewRequest[signals](pane.RequestConfig{Pane: m.base.ID, Name: "signals", Timeout: m.base.Timeout, Now: m.base.Now})
	m.qReq = pane.NewRequest[panel](pane.RequestConfig{Pane: m.base.ID, Name: "query", Timeout: m.base.Timeout, Now: m.base.Now})
	return m
}

// newInput builds the pane's text inputs (see pane.NewInput).
func newInput(r *lipgloss.Renderer, st Styles, prompt, placeholder string) textinput.Model {
	return pane.NewInput(r, pane.InputStyle{Prompt: st.Prompt, Text: st.Query, Placeholder: st.Muted}, prompt, placeholder, 4096)
}

// Title is the tab label.
func (m *Model) Title() string { return "Metrics" }

// Init detects the naming scheme and lists the services; the signals of
// the chosen service (or the first) follow. A live range also arms the
// refresh timer.
func (m *Model) Init() tea.Cmd {
	// The signals wait for detection, which says how to read them.
	return tea.Batch(m.loadServices(), m.startTick())
}

// Close cancels everything in flight.
func (m *Model) Close() { m.cancel() }

// Editing reports whether a text input has the keyboard.
func (m *Model) Editing() bool { return m.input != inputNone }

// AtRest reports whether esc would do nothing here.
func (m *Model) AtRest() bool {
	return m.input == inputNone && m.exSel < 0 && m.cursor.IsZero()
}

// SetSize gives the pane its area.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(1, w), max(1, h)
	m.editor.Width = max(1, m.width-lipgloss.Width(m.editor.Prompt)-1)
	m.filter.Width = max(1, m.width-lipgloss.Width(m.filter.Prompt)-1)
}

// History returns the PromQL history, oldest first, for the root to keep.
func (m *Model) History() []string { return m.history.Entries() }

// SetHistory replaces the history (e.g. loaded from disk), sanitized.
func (m *Model) SetHistory(h []string) { m.history.Set(h) }

// ShortHelp is the footer for the current state.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch {
	case m.input == inputEditor:
		return []key.Binding{k.Run, k.HistPrev, k.HistNext, k.Back}
	case m.input == inputPicker:
		return []key.Binding{k.PickUp, k.PickDown, k.Run, k.Back}
	case m.mode == modeQuery:
		return []key.Binding{k.Edit, k.Left, k.Right, k.Mode, k.Copy}
	}
	return []key.Binding{k.Service, k.Left, k.Right, k.NextExemplar, k.OpenTrace, k.NextChange, k.Logs, k.Edit}
}

// FullHelp is the pane's part of the help overlay.
func (m *Model) FullHelp() [][]key.Binding { return m.keys.fullHelp() }

// Run switches to PromQL mode and runs expr, as if typed; the palette's
// ":metrics QUERY" and a pivot use it.
func (m *Model) Run(expr string) tea.Cmd {
	expr = strings.TrimSpace(sanitize.Line(expr))
	m.editor.SetValue(expr)
	m.mode, m.input = modeQuery, inputNone
	m.editor.Blur()
	return m.runQuery(expr)
}

// Pivot shows what a pivot asks for: a PromQL query, or a service's
// signals, over the pivot's window.
func (m *Model) Pivot(msg pane.PivotMsg) tea.Cmd {
	if !msg.From.IsZero() && msg.To.After(msg.From) {
		m.rng.Set(msg.From, msg.To, false)
	}
	m.cursor, m.exSel = time.Time{}, -1
	tick := m.startTick()
	if strings.TrimSpace(msg.Query) != "" {
		return tea.Batch(m.Run(msg.Query), tick)
	}
	if msg.Service != "" {
		m.mode = modeSignals
		return tea.Batch(m.selectService(sanitize.Line(msg.Service)), tick)
	}
	return tea.Batch(m.refresh(), tick)
}

// Update handles one message.
func (m *Model) Update(msg tea.Msg) (*Model, tea.Cmd) {
	if cmd, ok := pane.Answers(msg,
		pane.On(&m.svcReq, m.onSchemes),
		pane.On(&m.sigReq, m.onSignals),
		pane.On(&m.qReq, m.onQuery)); ok {
		return m, cmd
	}
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return m, m.onKey(msg)
	case pane.RangeMsg:
		m.rng.Set(msg.From, msg.To, msg.Live)
		m.cursor, m.exSel = time.Time{}, -1
		return m, tea.Batch(m.refresh(), m.startTick())
	case tickMsg:
		if msg.pane == m.base.ID {
			return m, m.onTick(msg.gen)
		}
	case pane.VisibleMsg:
		return m, m.onVisible(msg)
	case pane.SpinMsg:
		return m, m.spin.Update(msg, m.loading())
	}
	return m, nil
}

// refresh re-runs what the current mode shows.
func (m *Model) refresh() tea.Cmd {
	if m.mode == modeQuery {
		if m.qExpr != "" {
			return m.runQuery(m.qExpr)
		}
		return nil
	}
	if m.service == "" {
		return m.loadServices()
	}
	return m.runSignals()
}

// resolve is the window a query runs over, now for a live range.
func (m *Model) resolve() (time.Time, time.Time) { return m.rng.Window(m.base.Now(), time.Hour) }

// step is the automatic resolution: about one point per braille dot
// column of the chart that will show it.
func (m *Model) step(from, to time.Time) time.Duration {
	return prom.AutoStep(from, to, max(20, m.plotWidth()*2))
}

func (m *Model) request() (request, bool) {
	if m.src == nil {
		m.flash = "no Prometheus is configured for this context; see `reltui config check`"
		return request{}, false
	}
	// Prometheus keeps milliseconds and rounds to the nearest: a window
	// in whole milliseconds keeps its last sample inside the chart.
	from, to := m.resolve()
	from, to = from.Truncate(time.Millisecond), to.Truncate(time.Millisecond)
	return request{src: m.src, from: from, to: to, step: m.step(from, to)}, true
}

// loadServices detects the naming scheme and lists the services on it.
func (m *Model) loadServices() tea.Cmd {
	r, ok := m.request()
	if !ok {
		return nil
	}
	want := ""
	if m.schemeFixed {
		want = m.scheme.Name
	}
	return tea.Batch(m.svcReq.Start(m.ctx, detectFn(r, want, m.wantLabel)), m.spin.Start())
}

// onSchemes keeps what detection found and lists its services.
func (m *Model) onSchemes(msg schemesMsg) tea.Cmd {
	if msg.Err != nil {
		return nil
	}
	m.namings = msg.Value
	m.applyNaming(m.service)
	return m.onServices(msg.Value.services)
}

// applyNaming reads service with the naming it was detected under (the
// fallback when it was not), with the config's templates on top.
func (m *Model) applyNaming(service string) {
	n, ok := m.namings.byService[service]
	if !ok {
		if m.scheme.Name != "" && service != "" && m.detected {
			return // gone from this window: keep how it was read
		}
		n = m.namings.fallback
	}
	if n.scheme.Name == "" {
		return // no detection yet: keep the config's templates
	}
	m.scheme, m.detected, m.label = n.scheme, ok, n.label
	m.tmpl = m.metricsCfg.TemplatesFor(n.scheme)
}

func (m *Model) onServices(services []string) tea.Cmd {
	m.services = services
	if m.service != "" {
		if len(m.panels) == 0 && m.mode == modeSignals && !m.sigReq.Busy() {
			return m.runSignals() // a service chosen before detection
		}
		return nil
	}
	if len(m.services) == 0 {
		m.flash = fmt.Sprintf("no series carry the label %q; set metrics.scheme or metrics.service_label in the config", m.label)
		return nil
	}
	m.service = m.services[0]
	m.applyNaming(m.service)
	if m.mode == modeSignals {
		return m.runSignals()
	}
	return nil
}

func (m *Model) selectService(s string) tea.Cmd {
	if s == "" {
		return nil
	}
	if s != m.service {
		m.panels, m.exemplars, m.exSel, m.changes = nil, nil, -1, nil
	}
	m.service = s
	m.applyNaming(s)
	return m.runSignals()
}

func (m *Model) runSignals() tea.Cmd {
	r, ok := m.request()
	if !ok {
		return nil
	}
	tmpl := make(map[string]string, len(m.tmpl))
	for k, v := range m.tmpl {
		tmpl[k] = v
	}
	return tea.Batch(m.sigReq.Start(m.ctx, signalsFn(r, m.service, m.label, tmpl, m.changeSrcs, m.changeLogs)), m.spin.Start())
}

// onSignals shows an accepted answer; the request keeps the last failed
// chart's error as the pane's.
func (m *Model) onSignals(res signalsMsg) tea.Cmd {
	msg := res.Value
	old := m.panels
	m.panels = msg.panels
	for i := range m.panels {
		p := &m.panels[i]
		if p.err == nil {
			continue
		}
		// A failed chart keeps what it showed before, marked stale.
		if i < len(old) && old[i].err == nil && msg.service == m.service {
			keep := old[i]
			keep.err = p.err
			*p = keep
		}
	}
	if msg.chErr == nil || len(msg.changes) > 0 {
		m.changes = msg.changes
	}
	m.chErr = msg.chErr
	if msg.exErr == nil {
		// A refresh keeps the selected exemplar when it is still there.
		sel, had := m.selectedExemplar()
		m.exemplars, m.exErr = slowestPerSlot(msg.ex, msg.panels[0].from, msg.panels[0].to, max(8, m.plotWidth()/3)), nil
		m.exSel = -1
		for i, e := range m.exemplars {
			if had && e.traceID == sel.traceID && e.t.Equal(sel.t) {
				m.exSel = i
			}
		}
	} else {
		m.exErr = msg.exErr
	}
	return nil
}

func (m *Model) runQuery(expr string) tea.Cmd {
	expr = strings.TrimSpace(expr)
	if expr == "" {
		m.flash = "type a PromQL query first, e.g. rate(http_requests_total[5m])"
		return nil
	}
	r, ok := m.request()
	if !ok {
		return nil
	}
	m.history.Add(expr)
	m.qExpr = expr
	return tea.Batch(m.qReq.Start(m.ctx, queryFn(r, expr)), m.spin.Start())
}

// onQuery shows an accepted answer; after an error the old chart stays.
func (m *Model) onQuery(msg queryMsg) tea.Cmd {
	if msg.Err == nil {
		res := msg.Value
		m.result = &res
	}
	return nil
}

func (m *Model) histMove(d int) {
	if text, ok := m.history.Move(d, m.editor.Value()); ok {
		m.editor.SetValue(text)
		m.editor.CursorEnd()
	}
}

func (m *Model) loading() bool { return m.svcReq.Busy() || m.sigReq.Busy() || m.qReq.Busy() }

// shownPanels are the charts on screen in the current mode.
func (m *Model) shownPanels() []panel {
	if m.mode == modeQuery {
		if m.result == nil {
			return nil
		}
		return []panel{*m.result}
	}
	return m.panels
}

// moment is the cursor, or the end of the window without one.
func (m *Model) moment() time.Time {
	if !m.cursor.IsZero() {
		return m.cursor
	}
	_, to := m.resolve()
	if ps := m.shownPanels(); len(ps) > 0 {
		to = ps[0].to
	}
	return to
}

// Selection is the focused chart, frozen as evidence: its query, window
// and the values at the cursor.
func (m *Model) Selection() (incidents.Evidence, bool) {
	ps := m.shownPanels()
	if len(ps) == 0 {
		return incidents.Evidence{}, false
	}
	p := ps[0]
	if m.mode == modeSignals {
		p = ps[min(m.focus, len(ps)-1)]
	}
	q := p.exprs[len(p.exprs)-1] // latency: the p99 query
	at := m.moment()
	var b strings.Builder
	who := "query"
	if m.mode == modeSignals {
		who = m.service + " " + strings.ToLower(p.title)
	}
	fmt.Fprintf(&b, "%s at %s:", who, at.In(m.base.Location).Format("2006-01-02 15:04:05 MST"))
	if p.empty != "" {
		b.WriteString(" " + p.empty)
	}
	for i, s := range p.series {
		if i == 20 {
			fmt.Fprintf(&b, "\n… %d more series", len(p.series)-20)
			break
		}
		val := "–"
		if v, ok := chart.ValueAt(s.Points, at, p.step); ok {
			val = p.unit.Format(v)
		}
		fmt.Fprintf(&b, "\n  %s = %s", s.Name, val)
	}
	if e, ok := m.selectedExemplar(); ok && m.mode == modeSignals {
		fmt.Fprintf(&b, "\n  exemplar trace %s = %s at %s", e.traceID, chart.UnitSeconds.Format(e.v), e.t.In(m.base.Location).Format("15:04:05"))
	}
	return incidents.Evidence{
		Kind: incidents.EvidenceChart, Source: prom.Backend, Query: q,
		From: p.from, To: p.to, Snapshot: sanitize.Text(b.String()),
	}, true
}

// slowestPerSlot keeps the slowest exemplar in each of n equal slices of
// [from, to]: the exemplars worth opening, spread out, without burying
// the latency lines under a marker for every request.
func slowestPerSlot(es []exemplar, from, to time.Time, n int) []exemplar {
	span := to.Sub(from)
	if span <= 0 || len(es) <= n {
		return es
	}
	best := make([]int, n)
	for i := range best {
		best[i] = -1
	}
	for i, e := range es {
		s := int(float64(e.t.Sub(from)) / float64(span) * float64(n))
		s = min(n-1, max(0, s))
		if best[s] < 0 || e.v > es[best[s]].v {
			best[s] = i
		}
	}
	out := make([]exemplar, 0, n)
	for _, i := range best {
		if i >= 0 {
			out = append(out, es[i])
		}
	}
	return out
}

func (m *Model) selectedExemplar() (exemplar, bool) {
	if m.exSel < 0 || m.exSel >= len(m.exemplars) {
		return exemplar{}, false
	}
	return m.exemplars[m.exSel], true
}
