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
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

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
	// ID names the pane in its messages; "" means "alerts".
	ID string
	// Sources are asked in order; a failing one does not hide the others.
	Sources []Source
	// Store, Author and Role are for declaring; a nil Store disables d.
	Store  incidents.Store
	Author string
	Role   string
	// Grafana, when set, gives declared evidence an Explore link.
	Grafana  incidents.Grafana
	Renderer *lipgloss.Renderer
	Palette  themes.Palette
	Keys     *KeyMap
	Now      func() time.Time
	Location *time.Location
	Timeout  time.Duration
	Refresh  time.Duration
	Parent   context.Context
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
	id      string
	srcs    []Source
	store   incidents.Store
	author  string
	role    incidents.Role
	grafana incidents.Grafana
	st      Styles
	keys    KeyMap
	now     func() time.Time
	loc     *time.Location
	tmo     time.Duration
	every   time.Duration

	ctx    context.Context
	cancel context.CancelFunc

	width, height int
	spin          pane.Spinner
	flash         string

	seq        int
	loading    bool
	loaded     bool
	loadedAt   time.Time
	errs       []error
	items      []item
	rows       []item
	sel, top   int
	stateIdx   int
	filter     pane.Filter
	detail     bool
	refreshSeq int

	declSeq   int
	declaring bool
	// pending holds declarations not yet acknowledged, by alert firing
	// (fingerprint@activeAt); declared maps a firing to its incident.
	pending  map[string]incidents.Declaration
	declared map[string]int64

	rbOpt runbook.Options
	md    markdown
	rb    runbookState

	noiseSrc NoiseSource
	noise    noiseState

	prom alertstart.Querier
	// prefilling is true while the alert's rule is evaluated backwards
	// for a declaration.
	prefilling bool
}

// New builds the pane; it contacts no backend.
func New(cfg Config) *Model {
	if cfg.ID == "" {
		cfg.ID = "alerts"
	}
	if cfg.Renderer == nil {
		cfg.Renderer = lipgloss.DefaultRenderer()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Location == nil {
		cfg.Location = time.Local
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Refresh <= 0 {
		cfg.Refresh = DefaultRefresh
	}
	role, err := incidents.ParseRole(cfg.Role)
	if err != nil {
		role = incidents.RoleViewer
	}
	parent := cfg.Parent
	if parent == nil {
		parent = context.Background()
	}
	keys := DefaultKeyMap()
	if cfg.Keys != nil {
		keys = *cfg.Keys
	}
	m := &Model{
		id: cfg.ID, srcs: cfg.Sources, author: sanitize.Line(cfg.Author), role: role, grafana: cfg.Grafana,
		st: NewStyles(cfg.Renderer, cfg.Palette), keys: keys, now: cfg.Now, loc: cfg.Location,
		tmo: cfg.Timeout, every: cfg.Refresh,
		pending: map[string]incidents.Declaration{}, declared: map[string]int64{},
		rbOpt: cfg.Runbooks, md: newMarkdown(cfg.Renderer, cfg.Palette), noiseSrc: cfg.Noise, prom: cfg.Prom,
	}
	if m.author == "" {
		m.author = "unknown"
	}
	if cfg.Store != nil {
		m.store = incidents.Guard(cfg.Store, role)
	}
	m.ctx, m.cancel = context.WithCancel(parent)
	m.spin = pane.NewSpinner(m.id, m.st.Spinner)
	m.filter = pane.NewFilter(cfg.Renderer, pane.FilterConfig{
		Input: pane.InputStyle{Prompt: m.st.Prompt, Text: m.st.Input, Placeholder: m.st.Muted},
		Limit: 200, Apply: keys.Apply, Cancel: keys.Back,
	})
	return m
}

// Title is the tab label.
func (m *Model) Title() string { return "Alerts" }

// Init fetches the alerts and starts the refresh tick.
func (m *Model) Init() tea.Cmd {
	if len(m.srcs) == 0 {
		return nil
	}
	return tea.Batch(m.fetch(), refreshCmd(m.ctx, m.every, m.id, m.refreshSeq))
}

// Close cancels everything in flight.
func (m *Model) Close() { m.cancel() }

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
	d := incidents.FromAlertLinked(it.a, m.now(), m.grafana)
	return d.Evidence[0], true
}

func (m *Model) selected() (item, bool) {
	if m.sel < 0 || m.sel >= len(m.rows) {
		return item{}, false
	}
	return m.rows[m.sel], true
}

// alertsMsg answers a fetch: every source's alerts and errors.
type alertsMsg struct {
	pane    string
	seq     int
	batches [][]sources.Alert
	errs    []error
}

// declaredMsg answers a declaration.
type declaredMsg struct {
	pane   string
	seq    int
	inc    incidents.Incident
	firing string
	err    error
}

type refreshMsg struct {
	pane string
	seq  int
}

func (m alertsMsg) PaneID() string   { return m.pane }
func (m declaredMsg) PaneID() string { return m.pane }
func (m refreshMsg) PaneID() string  { return m.pane }

func fetchCmd(ctx context.Context, srcs []Source, id string, seq int, tmo time.Duration) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, tmo)
		defer cancel()
		msg := alertsMsg{pane: id, seq: seq}
		for _, s := range srcs {
			as, err := s.Alerts(ctx)
			if err != nil {
				msg.errs = append(msg.errs, fmt.Errorf("%s: %w", s.Name(), err))
				continue
			}
			msg.batches = append(msg.batches, as)
		}
		return msg
	}
}

func declareCmd(ctx context.Context, s incidents.Store, id string, seq int, d incidents.Declaration, firing string, tmo time.Duration) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, tmo)
		defer cancel()
		inc, err := s.Declare(ctx, d)
		return declaredMsg{pane: id, seq: seq, inc: inc, firing: firing, err: err}
	}
}

func refreshCmd(ctx context.Context, every time.Duration, id string, seq int) tea.Cmd {
	return pane.Tick(ctx, every, func(time.Time) tea.Msg { return refreshMsg{pane: id, seq: seq} })
}

// Update handles one message.
func (m *Model) Update(msg tea.Msg) (*Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return m, m.onKey(msg)
	case alertsMsg:
		if msg.pane == m.id && msg.seq == m.seq {
			m.onAlerts(msg)
		}
	case declaredMsg:
		if msg.pane == m.id && msg.seq == m.declSeq {
			return m, m.onDeclared(msg)
		}
	case prefilledMsg:
		if msg.pane == m.id && msg.seq == m.declSeq {
			return m, m.onPrefilled(msg)
		}
	case refreshMsg:
		if msg.pane == m.id && msg.seq == m.refreshSeq {
			cmd := refreshCmd(m.ctx, m.every, m.id, m.refreshSeq)
			if !m.loading {
				cmd = tea.Batch(cmd, m.fetch())
			}
			return m, cmd
		}
	case noiseMsg:
		if msg.pane == m.id && msg.seq == m.noise.seq {
			m.onNoise(msg)
		}
	case stepsDoneMsg:
		if msg.pane == m.id && msg.seq == m.rb.seq {
			m.onStepsDone(msg)
		}
	case runbookMsg:
		if msg.pane == m.id && msg.seq == m.rb.seq {
			m.onRunbook(msg)
		}
	case StepDoneMsg:
		if msg.Pane == m.id {
			return m, m.onStepDone(msg)
		}
	case stepRecordedMsg:
		if msg.pane == m.id {
			m.onStepRecorded(msg)
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
	m.seq++
	m.loading = true
	return tea.Batch(fetchCmd(m.ctx, m.srcs, m.id, m.seq, m.tmo), m.spin.Start())
}

func (m *Model) onAlerts(msg alertsMsg) {
	m.loading = false
	m.errs = msg.errs
	if len(msg.batches) == 0 && len(msg.errs) > 0 {
		return // every source failed: keep what is on screen
	}
	var keep string
	if it, ok := m.selected(); ok {
		keep = it.a.Fingerprint
	}
	m.items, m.loaded, m.loadedAt = merge(msg.batches), true, m.now()
	m.refilter(keep)
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
	n, h := len(m.rows), m.listHeight()
	m.sel = min(max(0, m.sel), max(0, n-1))
	if m.sel < m.top {
		m.top = m.sel
	}
	if m.sel >= m.top+h {
		m.top = m.sel - h + 1
	}
	m.top = max(0, min(m.top, max(0, n-h)))
	if n == 0 {
		m.detail = false
	}
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
	case k.isMotion(msg):
		m.sel = k.move(msg, m.sel, m.listHeight(), len(m.rows))
	case key.Matches(msg, k.Detail):
		m.detail = len(m.rows) > 0
	case key.Matches(msg, k.Filter):
		return m.filter.Open()
	case key.Matches(msg, k.State):
		m.stateIdx = (m.stateIdx + 1) % len(stateFilters)
		m.refilter(m.selectedFP())
	case key.Matches(msg, k.Refresh):
		if !m.loading {
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

// declare opens an incident from the selected alert. A declaration is
// kept, key and all, until it succeeds, so d after a timeout retries the
// same request and cannot declare twice; d on an alert this session
// already declared from opens that incident instead.
func (m *Model) declare() tea.Cmd {
	it, ok := m.selected()
	switch {
	case !ok:
		m.flash = "no alert selected"
		return nil
	case m.store == nil:
		m.flash = "✗ no incident store is open for this session; see reltui incident --help"
		return nil
	case m.declaring || m.prefilling:
		return nil
	}
	firing := firingKey(it.a)
	if id, ok := m.declared[firing]; ok {
		return m.pivotTo(id, fmt.Sprintf("%s was already declared from this alert", incidents.Ref(id)))
	}
	if err := incidents.Allowed(m.role, incidents.ActionDeclare); err != nil {
		m.flash = "✗ " + strings.TrimPrefix(err.Error(), "not allowed: ")
		return nil
	}
	m.declSeq++
	d, ok := m.pending[firing]
	if !ok {
		// First the honest milestones, in a Cmd: the rule is evaluated
		// backwards in Prometheus.
		m.prefilling = true
		m.flash = "reading " + it.a.Name + "'s rule and history for when impact began…"
		return tea.Batch(prefillCmd(m.ctx, m.prom, m.id, m.declSeq, it.a, firing, m.now(), m.grafana, m.tmo), m.spin.Start())
	}
	return m.declareNow(d, firing, it.a.Name)
}

// declareNow sends the kept declaration for firing.
func (m *Model) declareNow(d incidents.Declaration, firing, name string) tea.Cmd {
	m.declaring = true
	m.flash = "declaring an incident from " + name + "…"
	return tea.Batch(declareCmd(m.ctx, m.store, m.id, m.declSeq, d, firing, m.tmo), m.spin.Start())
}

func newKey() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return "ui-alert-" + hex.EncodeToString(b[:])
}

func (m *Model) onDeclared(msg declaredMsg) tea.Cmd {
	m.declaring = false
	if msg.err != nil {
		m.flash = "✗ declare failed: " + sanitize.Line(msg.err.Error())
		if errors.Is(msg.err, incidents.ErrUnavailable) || errors.Is(msg.err, context.DeadlineExceeded) {
			m.flash += " (d again is safe: it cannot declare twice)"
		} else {
			delete(m.pending, msg.firing) // nothing was written
		}
		return nil
	}
	delete(m.pending, msg.firing)
	m.declared[msg.firing] = msg.inc.ID
	if m.rb.open && m.rb.firing == msg.firing {
		// Stay in the runbook: the steps marked next go on this incident.
		m.rb.incID = msg.inc.ID
		m.flash = fmt.Sprintf("declared %s; steps marked done go on its timeline", incidents.Ref(msg.inc.ID))
		return nil
	}
	return m.pivotTo(msg.inc.ID, fmt.Sprintf("declared %s: %s", incidents.Ref(msg.inc.ID), sanitize.Line(msg.inc.Title)))
}

// pivotTo flashes text and asks the root to show incident id.
func (m *Model) pivotTo(id int64, text string) tea.Cmd {
	m.flash = ""
	pivot := pane.IncidentPivot(id)
	return tea.Batch(
		func() tea.Msg { return pane.FlashMsg{Text: text} },
		func() tea.Msg { return pivot },
	)
}

func (m *Model) waiting() bool {
	return m.loading || m.declaring || m.prefilling || m.rb.loading || len(m.rb.sending) > 0 || m.noise.loading
}
