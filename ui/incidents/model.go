// Package incidents is the console's Incidents pane: the incident list
// filtered by status, severity and text (/), the incident view (a milestone bar with
// the time between milestones, MTTD/MTTA/MTTM/MTTR, the live timeline with
// its evidence) and forms to declare, add notes, move milestones and
// resolve. It also takes evidence pinned from any pane (pane.PinMsg).
//
// The pane does no I/O in Update or View: the store is read and written in
// Cmds that capture their inputs by value, every answer carries the pane's
// id and a sequence number, and stale answers are dropped. Writes go
// through incidents.Guard, so the session's role is enforced by the same
// rule `reltui serve` uses, and carry idempotency keys.
package incidents

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aymanbagabas/go-osc52/v2"
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
	// ID names the pane in its messages; "" means "incidents".
	ID string
	// Store is the incident record; nil shows how to configure one.
	Store incidents.Store
	// Author is who writes are recorded as (the OS user locally, the SSH
	// user under `reltui serve`).
	Author string
	// Role is "viewer", "responder" or "commander" ("" is commander, the
	// local default). An unknown role may only read.
	Role     string
	Renderer *lipgloss.Renderer
	Palette  themes.Palette
	Keys     *KeyMap
	// Now is the clock; tests pin it.
	Now func() time.Time
	// Location is the zone times are shown in; nil means time.Local.
	Location *time.Location
	Timeout  time.Duration
	Refresh  time.Duration
	// Parent ends all of the pane's work when cancelled.
	Parent context.Context
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

// statusFilters is the cycle of the list's status filter.
var statusFilters = []incidents.Status{"", incidents.StatusOpen, incidents.StatusMitigated, incidents.StatusResolved}

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
	every      time.Duration

	ctx    context.Context
	cancel context.CancelFunc

	width, height int
	mode          mode
	spin          pane.Spinner
	flash         string

	// The list.
	listSeq   int
	listing   bool
	listed    bool
	listErr   error
	listAt    time.Time
	all       []incidents.Incident
	rows      []incidents.Incident // all, filtered and sorted
	statusIdx int
	sevFilter incidents.Severity
	// The text filter (/) over id, title, services and commander.
	textFilter pane.Filter
	sel, top   int
	refreshSeq int

	// The open incident.
	openSeq    int
	opening    bool
	openErr    error
	wantID     int64
	inc        incidents.Incident
	hasInc     bool
	feedCancel context.CancelFunc
	feed       <-chan incidents.Event
	live       bool
	tsel       int // the selected timeline event
	// entries is the open incident's timeline in words, built when events
	// arrive rather than on every frame.
	entries []incidents.Entry
	ttop    int

	// The open incident's changes (changes.go).
	lister    ChangeLister
	changeReq pane.Request[[]Change]
	changes   []Change

	form     *form
	writeSeq int
	pins     int // pins in flight
}

// New builds the pane. It does not touch the store.
func New(cfg Config) *Model {
	if cfg.ID == "" {
		cfg.ID = "incidents"
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
	if strings.TrimSpace(cfg.Author) == "" {
		cfg.Author = "unknown"
	}
	role, err := incidents.ParseRole(cfg.Role)
	if err != nil {
		role = incidents.RoleViewer // fail closed
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
		id: cfg.ID, author: sanitize.Line(cfg.Author), role: role, renderer: cfg.Renderer, cats: cfg.Categories,
		st: NewStyles(cfg.Renderer, cfg.Palette), keys: keys, now: cfg.Now, loc: cfg.Location,
		tmo: cfg.Timeout, every: cfg.Refresh, lister: cfg.Changes,
	}
	m.changeReq = pane.NewRequest[[]Change](pane.RequestConfig{Pane: cfg.ID, Name: "changes", Timeout: cfg.Timeout, Now: cfg.Now})
	if cfg.Store != nil {
		m.store = incidents.Guard(cfg.Store, role)
	}
	m.ctx, m.cancel = context.WithCancel(parent)
	m.spin = pane.NewSpinner(m.id, m.st.Spinner)
	m.textFilter = pane.NewFilter(cfg.Renderer, pane.FilterConfig{
		Input:       pane.InputStyle{Prompt: m.st.Prompt, Text: m.st.Input, Placeholder: m.st.Muted},
		Placeholder: "id, title, service or commander", Limit: 256,
		Apply: keys.Apply, Cancel: keys.Back, Label: m.st.Subtle, Note: m.st.Muted,
	})
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
	return tea.Batch(m.reload(), refreshCmd(m.ctx, m.every, m.id, m.refreshSeq))
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
	case m.textFilter.Editing():
		return []key.Binding{k.Apply, k.Back}
	case m.mode == modeIncident:
		return []key.Binding{k.Note, k.Milestone, k.Resolve, k.Copy, k.Back}
	}
	return []key.Binding{k.Open, k.Declare, k.Filter, k.Status, k.Severity}
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
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return m, m.onKey(msg)
	case pane.PinMsg:
		return m, m.pin(msg.Evidence)
	case pane.PivotMsg:
		return m, m.Pivot(msg)
	case listMsg:
		if msg.pane == m.id && msg.seq == m.listSeq {
			m.onList(msg)
		}
	case openMsg:
		if msg.pane == m.id && msg.seq == m.openSeq {
			return m, m.onOpen(msg)
		}
	case feedMsg:
		if msg.pane == m.id && msg.seq == m.openSeq && m.hasInc {
			if msg.closed {
				m.live = false
				return m, nil
			}
			m.applyEvents(msg.events)
			return m, feedCmd(m.feed, m.id, m.openSeq)
		}
	case writeMsg:
		if msg.pane == m.id && msg.seq == m.writeSeq {
			return m, m.onWrite(msg)
		}
	case pane.Result[[]Change]:
		m.onChanges(msg)
	case pinMsg:
		if msg.pane == m.id {
			return m, m.onPin(msg)
		}
	case refreshMsg:
		if msg.pane == m.id && msg.seq == m.refreshSeq {
			cmd := refreshCmd(m.ctx, m.every, m.id, m.refreshSeq)
			if m.mode == modeList && !m.listing {
				// An overlapping refresh is dropped, not queued.
				cmd = tea.Batch(cmd, m.reload())
			}
			return m, cmd
		}
	case pane.SpinMsg:
		return m, m.spin.Update(msg, m.waiting())
	}
	return m, nil
}

func (m *Model) waiting() bool {
	return m.listing || m.opening || m.pins > 0 || m.changeReq.Busy() || (m.form != nil && m.form.busy)
}

// reload re-reads the list.
func (m *Model) reload() tea.Cmd {
	if m.store == nil {
		return nil
	}
	m.listSeq++
	m.listing = true
	return tea.Batch(listCmd(m.ctx, m.store, m.id, m.listSeq, m.tmo, m.now()), m.spin.Start())
}

func (m *Model) onList(msg listMsg) {
	m.listing = false
	if msg.err != nil {
		m.listErr = msg.err // the previous list stays on screen
		return
	}
	m.listErr, m.listed, m.listAt = nil, true, m.now()
	var keep int64
	if m.sel < len(m.rows) {
		keep = m.rows[m.sel].ID
	}
	m.all, m.allDeploys = msg.incs, msg.deploys
	m.filter(keep)
}

// filter rebuilds the rows from the filters, newest incident first, and
// keeps the selection on incident keep when it is still shown.
func (m *Model) filter(keep int64) {
	f := incidents.Filter{Status: statusFilters[m.statusIdx]}
	m.rows = m.rows[:0]
	for _, inc := range m.all {
		if f.Match(inc) && (m.sevFilter == "" || inc.Severity == m.sevFilter) && (m.textFilter.Value() == "" || m.textFilter.Match(searchText(inc))) {
			m.rows = append(m.rows, inc)
		}
	}
	slices.SortStableFunc(m.rows, func(a, b incidents.Incident) int {
		if ra, rb := statusRank(a), statusRank(b); ra != rb {
			return ra - rb
		}
		return int(b.ID - a.ID)
	})
	m.sel = 0
	for i, inc := range m.rows {
		if inc.ID == keep {
			m.sel = i
		}
	}
	m.clampList()
}

// searchText is what the text filter matches: the incident's id, title,
// services and commander, as the pane shows them, lower-cased.
func searchText(inc incidents.Incident) string {
	return strings.ToLower(sanitize.Line(strings.Join([]string{incidents.Ref(inc.ID), inc.Title, strings.Join(inc.Services, " "), inc.Commander}, " ")))
}

// statusRank puts what is still burning first.
func statusRank(inc incidents.Incident) int {
	switch inc.Status() {
	case incidents.StatusOpen:
		return 0
	case incidents.StatusMitigated:
		return 1
	}
	return 2
}

func (m *Model) listHeight() int {
	return max(1, m.height-4-len(m.formLines())-len(m.filterLines()))
}

func (m *Model) clampList() {
	n, h := len(m.rows), m.listHeight()
	m.sel = min(max(0, m.sel), max(0, n-1))
	if m.sel < m.top {
		m.top = m.sel
	}
	if m.sel >= m.top+h {
		m.top = m.sel - h + 1
	}
	m.top = max(0, min(m.top, max(0, n-h)))
}

// openIncident shows incident id and follows it live.
func (m *Model) openIncident(id int64) tea.Cmd {
	if m.store == nil {
		return nil
	}
	m.closeIncident()
	m.mode = modeIncident
	m.textFilter.Cancel() // a pivot can open an incident mid-edit
	m.wantID = id
	m.openSeq++
	m.opening, m.openErr = true, nil
	ctx, cancel := context.WithCancel(m.ctx)
	m.feedCancel = cancel
	return tea.Batch(openCmd(m.ctx, ctx, m.store, m.id, m.openSeq, id, m.tmo), m.spin.Start())
}

// closeIncident stops following the open incident.
func (m *Model) closeIncident() {
	if m.feedCancel != nil {
		m.feedCancel()
		m.feedCancel = nil
	}
	m.openSeq++
	m.hasInc, m.live, m.feed, m.opening = false, false, nil, false
	m.inc, m.entries = incidents.Incident{}, nil
	m.tsel, m.ttop = 0, 0
	m.changeReq.Reset()
	m.changes = nil
}

func (m *Model) onOpen(msg openMsg) tea.Cmd {
	m.opening = false
	if msg.err != nil && msg.inc.ID == 0 {
		m.openErr = msg.err
		return nil
	}
	m.inc, m.hasInc, m.deploys = msg.inc, true, msg.deploys
	m.entries = incidents.Timeline(m.inc)
	m.tsel = max(0, len(m.inc.Events)-1)
	changes := m.changesFor(m.inc)
	if msg.err != nil || msg.feed == nil {
		m.openErr = fmt.Errorf("live updates are off: %w", msg.err)
		return changes
	}
	m.feed, m.live = msg.feed, true
	return tea.Batch(feedCmd(m.feed, m.id, m.openSeq), changes)
}

// applyEvents adds events the incident does not have yet (a write's own
// event arrives twice: from the write and from the feed).
func (m *Model) applyEvents(evs []incidents.Event) {
	if !m.hasInc {
		return
	}
	follow := m.tsel >= len(m.inc.Events)-1
	changed := false
	for _, e := range evs {
		if e.IncidentID != m.inc.ID {
			continue
		}
		last := int64(0)
		if n := len(m.inc.Events); n > 0 {
			last = m.inc.Events[n-1].Seq
		}
		if e.Seq > last {
			m.inc.Events = append(m.inc.Events, e)
			changed = true
		}
	}
	if !changed {
		return
	}
	m.inc = incidents.Build(m.inc.ID, m.inc.Events)
	// Timeline describes each event against the ones before it, so new
	// events never change the old entries' words: only the tail is new.
	m.entries = incidents.Timeline(m.inc)
	if follow {
		m.tsel = len(m.inc.Events) - 1
	}
	// Keep the list's copy in step, so going back shows the new state.
	for i := range m.all {
		if m.all[i].ID == m.inc.ID {
			m.all[i] = m.inc
		}
	}
	var keep int64
	if m.sel < len(m.rows) {
		keep = m.rows[m.sel].ID
	}
	m.filter(keep)
}

// pin attaches ev to the open incident, or the latest open one.
func (m *Model) pin(ev incidents.Evidence) tea.Cmd {
	if m.store == nil {
		return flashCmd("✗ nothing to pin to: no incident store is configured")
	}
	if err := incidents.Allowed(m.role, incidents.ActionEvidence); err != nil {
		return flashCmd("✗ " + trimSentinel(err))
	}
	var target int64
	if m.hasInc && m.inc.Status() != incidents.StatusResolved {
		target = m.inc.ID
	}
	w := incidents.Write{Key: newKey(), Author: m.author, Kind: incidents.KindEvidence, Evidence: &ev, Text: pinCaption(ev)}
	m.pins++
	return tea.Batch(pinCmd(m.ctx, m.store, m.id, target, w, m.tmo), m.spin.Start())
}

func pinCaption(ev incidents.Evidence) string {
	return fmt.Sprintf("pinned %s from %s", ev.Kind, orDash(ev.Source))
}

func (m *Model) onPin(msg pinMsg) tea.Cmd {
	m.pins = max(0, m.pins-1)
	switch {
	case msg.none:
		return flashCmd("no open incident to pin to: press 8 for Incidents, then d to declare one (or d on an alert in Alerts)")
	case msg.err != nil:
		return flashCmd("✗ pin failed: " + sanitize.Line(errText(msg.err)))
	}
	text := "pinned to " + incidents.Ref(msg.id)
	if msg.title != "" {
		text += " (" + sanitize.Line(msg.title) + ")"
	}
	// The open incident's feed brings the event itself; the list needs a
	// re-read to count it.
	return tea.Batch(flashCmd(text), m.reload())
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

func (m *Model) filterKey(msg tea.KeyMsg) tea.Cmd {
	ev, cmd := m.textFilter.Update(msg)
	switch ev {
	case pane.FilterApplied:
		m.filter(m.selectedID())
	case pane.FilterCancelled:
		m.clampList()
	}
	return cmd
}

func (m *Model) listKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		m.sel--
	case key.Matches(msg, k.Down):
		m.sel++
	case key.Matches(msg, k.PageUp):
		m.sel -= m.listHeight()
	case key.Matches(msg, k.PageDown):
		m.sel += m.listHeight()
	case key.Matches(msg, k.Top):
		m.sel = 0
	case key.Matches(msg, k.Bottom):
		m.sel = len(m.rows) - 1
	case key.Matches(msg, k.Open):
		if m.sel < len(m.rows) {
			return m.openIncident(m.rows[m.sel].ID)
		}
	case key.Matches(msg, k.Status):
		m.statusIdx = (m.statusIdx + 1) % len(statusFilters)
		m.filter(m.selectedID())
	case key.Matches(msg, k.Severity):
		m.sevFilter = nextSeverity(m.sevFilter)
		m.filter(m.selectedID())
	case key.Matches(msg, k.Declare):
		return m.declareForm()
	case key.Matches(msg, k.Filter):
		cmd := m.textFilter.Open()
		m.clampList()
		return cmd
	case key.Matches(msg, k.Back):
		m.statusIdx, m.sevFilter = 0, ""
		m.textFilter.Clear()
		m.filter(m.selectedID())
	}
	m.clampList()
	return nil
}

func (m *Model) selectedID() int64 {
	if m.sel < len(m.rows) {
		return m.rows[m.sel].ID
	}
	return 0
}

func nextSeverity(s incidents.Severity) incidents.Severity {
	order := []incidents.Severity{"", "SEV1", "SEV2", "SEV3", "SEV4", "SEV5"}
	return order[(slices.Index(order, s)+1)%len(order)]
}

func (m *Model) incidentKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	n := len(m.inc.Events)
	switch {
	case key.Matches(msg, k.Back):
		m.closeIncident()
		m.mode = modeList
		return m.reload()
	case key.Matches(msg, k.Up):
		m.tsel--
	case key.Matches(msg, k.Down):
		m.tsel++
	case key.Matches(msg, k.PageUp):
		m.tsel -= 10
	case key.Matches(msg, k.PageDown):
		m.tsel += 10
	case key.Matches(msg, k.Top):
		m.tsel = 0
	case key.Matches(msg, k.Bottom):
		m.tsel = n - 1
	case key.Matches(msg, k.Note):
		return m.writeForm(incidents.ActionNote, func() {
			m.openForm(formNote, "Add a note to "+incidents.Ref(m.inc.ID), [3]string{"note", "what happened, what you did, what you saw", ""})
		})
	case key.Matches(msg, k.Milestone):
		return m.writeForm(incidents.ActionMilestone, func() {
			next := nextMilestone(m.inc.Milestones)
			m.openForm(formMilestone, "Set or move a milestone of "+incidents.Ref(m.inc.ID),
				[3]string{"milestone", "started, detected, acknowledged, identified, mitigated, resolved", string(next)},
				[3]string{"at", "now, 10:04, 5m ago, 2026-11-22T10:04:00Z", ""},
				[3]string{"reason", "required when moving a milestone that is set", ""})
		})
	case key.Matches(msg, k.Resolve):
		return m.writeForm(incidents.ActionResolve, func() {
			m.openForm(formResolve, "Resolve "+incidents.Ref(m.inc.ID),
				[3]string{"resolved at", "now, 10:04, 5m ago", ""},
				[3]string{"reason", "only when moving an earlier resolution", ""})
		})
	case key.Matches(msg, k.Copy):
		return m.copyEvidence()
	case key.Matches(msg, k.FollowUp):
		return m.writeForm(incidents.ActionFollowUp, m.openFollowUpForm)
	case key.Matches(msg, k.Cause):
		return m.writeForm(incidents.ActionUpdate, m.openCauseForm)
	case key.Matches(msg, k.Link):
		return m.writeForm(incidents.ActionUpdate, m.openLinkForm)
	case key.Matches(msg, k.Runbook):
		return m.openRunbook()
	}
	m.tsel = min(max(0, m.tsel), max(0, n-1))
	return nil
}

// writeForm opens a form when the role allows the write and an incident
// is loaded; otherwise it says why not.
func (m *Model) writeForm(a incidents.Action, open func()) tea.Cmd {
	if !m.hasInc {
		return nil
	}
	if err := incidents.Allowed(m.role, a); err != nil {
		m.flash = "✗ " + trimSentinel(err)
		return nil
	}
	open()
	return nil
}

func (m *Model) declareForm() tea.Cmd {
	if m.store == nil {
		return nil
	}
	if err := incidents.Allowed(m.role, incidents.ActionDeclare); err != nil {
		m.flash = "✗ " + trimSentinel(err)
		return nil
	}
	m.openForm(formDeclare, "Declare an incident",
		[3]string{"title", "what is wrong, in a line", ""},
		[3]string{"severity", "SEV1 (worst) .. SEV5; default SEV3", ""},
		[3]string{"services", "api, web", ""},
		[3]string{"started", "when impact began: now, 10:04, 15m ago", ""})
	return nil
}

// nextMilestone is the first milestone after the last one set: what the
// commander most likely marks next.
func nextMilestone(ms incidents.Milestones) incidents.Milestone {
	next := incidents.Acknowledged
	for i, x := range incidents.AllMilestones() {
		if !ms.Get(x).IsZero() && i+1 < len(incidents.AllMilestones()) {
			next = incidents.AllMilestones()[i+1]
		}
	}
	return next
}

// copyEvidence copies the selected event's evidence (link, else query,
// else snapshot) or text via OSC 52.
func (m *Model) copyEvidence() tea.Cmd {
	if !m.hasInc || m.tsel >= len(m.inc.Events) {
		return nil
	}
	e := m.inc.Events[m.tsel]
	text := e.Text
	if ev := e.Evidence; ev != nil {
		switch {
		case ev.Link != "":
			text = ev.Link
		case ev.Snapshot != "":
			text = ev.Snapshot
		default:
			text = ev.Query
		}
	}
	text = sanitize.Text(text)
	if text == "" {
		m.flash = "nothing to copy on this event"
		return nil
	}
	seq := osc52.New(text).String()
	m.flash = fmt.Sprintf("copied %d bytes (OSC 52)", len(text))
	return func() tea.Msg { return pane.CopyMsg{Text: text, Sequence: seq} }
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
