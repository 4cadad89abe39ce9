// Package lagpane is the console's Lag pane: consumer lag per group and topic,
// expandable to partitions, in messages and in seconds (with the method
// that gave the seconds), Burrow's status and a trend sparkline. It sorts
// by status, lag or name and refreshes on a timer, dropping a refresh that
// would overlap a running one.
//
// The pane does no I/O in Update or View; fetches run in Cmds that
// capture their inputs by value, through a pane.Request that drops stale
// answers, and a pane.Refresher times the refresh.
package lagpane

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/slo/lag"
	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane"
)

// Defaults for Config's zero values.
const (
	DefaultRefresh = 15 * time.Second
	DefaultTimeout = 30 * time.Second
	DefaultWindow  = 30 * time.Minute
)

// Config is what the pane needs from outside.
type Config struct {
	// Basics are the ID ("lag" when empty), renderer, clock, timeout
	// (DefaultTimeout) and parent context; the zone is not used.
	pane.Basics
	Source Source
	// SourceName is "prometheus" or "kafka", for the header and evidence.
	SourceName string
	// Queries are the Prometheus lag queries (for evidence and pivots).
	Queries lag.Queries
	Palette themes.Palette
	Keys    *KeyMap
	// Window is the offset history Burrow's rules judge (DefaultWindow).
	Window time.Duration
	// Refresh is how often lag is read again (DefaultRefresh).
	Refresh time.Duration
}

// SortKey orders the group/topic rows.
type SortKey int

// The sort orders, in the order s cycles through them.
const (
	SortStatus SortKey = iota // worst status first, then oldest lag
	SortSeconds
	SortMessages
	SortName
)

var sortNames = map[SortKey]string{SortStatus: "status", SortSeconds: "lag seconds", SortMessages: "lag messages", SortName: "name"}

// rowRef is one line of the list: a group/topic, or one of its partitions.
type rowRef struct {
	topic int
	part  int // -1 for the group/topic row
}

// Model is the Lag pane.
type Model struct {
	id      string
	src     Source
	srcName string
	queries lag.Queries
	st      Styles
	keys    KeyMap
	now     func() time.Time
	window  time.Duration

	onClose []func()

	width, height int

	topics   []lag.Topic
	expanded map[[2]string]bool
	rows     []rowRef
	sel, top int
	sortKey  SortKey
	reverse  bool

	// The text filter over group and topic.
	filter pane.Filter

	fetch pane.Poll[answer]

	hasData  bool
	shownAt  time.Time
	warnings []string
	flash    string
}

// New builds the pane. It does not contact the backend.
func New(cfg Config) *Model {
	b := cfg.Basics.Fill("lag", DefaultTimeout)
	if cfg.Window <= 0 {
		cfg.Window = DefaultWindow
	}
	if cfg.Refresh <= 0 {
		cfg.Refresh = DefaultRefresh
	}
	if cfg.Queries == (lag.Queries{}) {
		cfg.Queries = lag.DefaultQueries()
	}
	keys := pane.KeysOr(cfg.Keys, DefaultKeyMap())
	m := &Model{
		id: b.ID, src: cfg.Source, srcName: cfg.SourceName, queries: cfg.Queries, keys: keys, now: b.Now,
		window: cfg.Window, st: NewStyles(b.Renderer, cfg.Palette), expanded: map[[2]string]bool{},
	}
	m.fetch = pane.NewPoll[answer](pane.PollConfig{Pane: m.id, Timeout: b.Timeout, Now: m.now, Every: cfg.Refresh, Parent: b.Parent, Spinner: m.st.Spinner})
	m.filter = pane.NewFilter(b.Renderer, m.st.FilterConfig("group or topic", keys.Apply, keys.Collapse))
	return m
}

// Title is the tab label.
func (m *Model) Title() string { return "Lag" }

// Init fetches lag and starts the refresh timer.
func (m *Model) Init() tea.Cmd { return m.fetch.Init(m.refresh) }

// Close cancels the running fetch, stops the timer and releases what
// OnClose registered (a Kafka client's connections).
func (m *Model) Close() {
	m.fetch.Close()
	for _, f := range m.onClose {
		f()
	}
	m.onClose = nil
}

// OnClose registers f to run when the pane closes.
func (m *Model) OnClose(f func()) { m.onClose = append(m.onClose, f) }

// Editing reports whether the filter input has the keyboard.
func (m *Model) Editing() bool { return m.filter.Editing() }

// AtRest reports whether esc would do nothing (no filter, no row is
// expanded).
func (m *Model) AtRest() bool {
	if m.filter.Editing() || m.filter.Value() != "" {
		return false
	}
	for _, v := range m.expanded {
		if v {
			return false
		}
	}
	return true
}

// SetSize gives the pane its area.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(1, w), max(1, h)
	m.filter.SetWidth(m.width - 2)
	m.clamp()
}

// ShortHelp is the footer.
func (m *Model) ShortHelp() []key.Binding { return m.filter.ShortHelp(m.keys.ShortHelp()) }

// FullHelp is the pane's part of the help overlay.
func (m *Model) FullHelp() [][]key.Binding { return m.keys.FullHelp() }

// Update handles one message and returns the concrete type.
func (m *Model) Update(msg tea.Msg) (*Model, tea.Cmd) {
	if cmd, ok := m.fetch.Update(msg, m.refresh, m.onResult); ok {
		return m, cmd
	}
	// Lag is always "now": a range (pane.RangeMsg) does not change what
	// it means.
	if msg, ok := msg.(tea.KeyMsg); ok {
		return m, m.onKey(msg)
	}
	return m, nil
}

func (m *Model) refresh() tea.Cmd {
	if m.src == nil {
		return nil
	}
	at := m.now()
	return m.fetch.Start(fetch(m.src, at.Add(-m.window), at))
}

// onResult shows an accepted answer. After an error the old rows stay;
// the view says how old they are.
func (m *Model) onResult(msg resultMsg) {
	if msg.Err != nil {
		return
	}
	a := msg.Value
	m.warnings = a.warnings
	m.hasData, m.shownAt = true, a.at
	cur, hadCur := m.current()
	m.topics = lag.ByTopic(a.parts)
	m.resort()
	if hadCur {
		m.selectRef(cur)
	}
}

// current names the selected row by group, topic and partition, so the
// selection survives a refresh that reorders rows.
func (m *Model) current() ([3]any, bool) {
	if m.sel < 0 || m.sel >= len(m.rows) {
		return [3]any{}, false
	}
	r := m.rows[m.sel]
	t := m.topics[r.topic]
	p := int32(-1)
	if r.part >= 0 {
		p = t.Partitions[r.part].Partition
	}
	return [3]any{t.Group, t.Topic, p}, true
}

func (m *Model) selectRef(ref [3]any) {
	for i, r := range m.rows {
		t := m.topics[r.topic]
		p := int32(-1)
		if r.part >= 0 {
			p = t.Partitions[r.part].Partition
		}
		if t.Group == ref[0] && t.Topic == ref[1] && p == ref[2] {
			m.sel = i
			break
		}
	}
	m.clamp()
}

// resort orders topics and their partitions by the sort key and rebuilds
// the visible rows.
func (m *Model) resort() {
	cmpNaN := func(a, b float64) int { // unknown sorts as the smallest
		switch {
		case math.IsNaN(a) && math.IsNaN(b):
			return 0
		case math.IsNaN(a):
			return -1
		case math.IsNaN(b):
			return 1
		}
		return cmp.Compare(a, b)
	}
	byName := func(a, b lag.Topic) int {
		if c := cmp.Compare(a.Group, b.Group); c != 0 {
			return c
		}
		return cmp.Compare(a.Topic, b.Topic)
	}
	var f func(a, b lag.Topic) int
	switch m.sortKey {
	case SortStatus:
		f = func(a, b lag.Topic) int {
			switch {
			case lag.Worse(a.Status, b.Status):
				return -1
			case lag.Worse(b.Status, a.Status):
				return 1
			}
			return cmp.Or(-cmpNaN(a.LagSeconds, b.LagSeconds), byName(a, b))
		}
	case SortSeconds:
		f = func(a, b lag.Topic) int { return cmp.Or(-cmpNaN(a.LagSeconds, b.LagSeconds), byName(a, b)) }
	case SortMessages:
		f = func(a, b lag.Topic) int { return cmp.Or(-cmp.Compare(a.LagMessages, b.LagMessages), byName(a, b)) }
	default:
		f = byName
	}
	if m.reverse {
		g := f
		f = func(a, b lag.Topic) int { return g(b, a) }
	}
	slices.SortStableFunc(m.topics, f)
	m.rebuild()
}

func (m *Model) rebuild() {
	m.rows = m.rows[:0]
	for i, t := range m.topics {
		if !m.filter.Match(sanitize.Line(t.Group + " / " + t.Topic)) {
			continue
		}
		m.rows = append(m.rows, rowRef{i, -1})
		if m.expanded[[2]string{t.Group, t.Topic}] {
			for j := range t.Partitions {
				m.rows = append(m.rows, rowRef{i, j})
			}
		}
	}
	m.clamp()
}

func (m *Model) listHeight() int {
	return max(1, m.height-len(m.noticeLines())-2-detailLines)
}

func (m *Model) clamp() {
	m.sel, m.top = pane.ClampScroll(m.sel, m.top, len(m.rows), m.listHeight())
}

// shownTopics is how many group/topic rows pass the filter.
func (m *Model) shownTopics() int {
	n := 0
	for _, r := range m.rows {
		if r.part < 0 {
			n++
		}
	}
	return n
}

// refilter shows the rows that pass the filter, keeping the selected
// group/topic when it still shows.
func (m *Model) refilter() {
	cur, ok := m.current()
	m.rebuild()
	if ok {
		m.selectRef(cur)
	}
}

func (m *Model) filterKey(msg tea.KeyMsg) tea.Cmd {
	ev, cmd := m.filter.Update(msg)
	switch ev {
	case pane.FilterApplied:
		m.refilter()
	case pane.FilterCancelled:
		m.clamp()
	}
	return cmd
}

func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	m.flash = ""
	if m.filter.Editing() {
		return m.filterKey(msg)
	}
	k := m.keys
	if k.Navigate(msg, &m.sel, &m.top, len(m.rows), m.listHeight()) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Expand):
		if m.sel < len(m.rows) {
			r := m.rows[m.sel]
			t := m.topics[r.topic]
			id := [2]string{t.Group, t.Topic}
			m.expanded[id] = !m.expanded[id]
			m.rebuild()
			// Stay on the group/topic row (a partition row folds into it).
			for i, rr := range m.rows {
				if rr.topic == r.topic && rr.part < 0 {
					m.sel = i
				}
			}
		}
	case key.Matches(msg, k.ExpandAll):
		all := true
		for _, t := range m.topics {
			all = all && m.expanded[[2]string{t.Group, t.Topic}]
		}
		for _, t := range m.topics {
			m.expanded[[2]string{t.Group, t.Topic}] = !all
		}
		cur, ok := m.current()
		m.rebuild()
		if ok {
			cur[2] = int32(-1)
			m.selectRef(cur)
		}
	case key.Matches(msg, k.Filter):
		cmd := m.filter.Open()
		m.clamp()
		return cmd
	case key.Matches(msg, k.Collapse) && m.filter.Value() != "":
		m.filter.Clear()
		m.refilter()
	case key.Matches(msg, k.Collapse):
		cur, ok := m.current()
		clear(m.expanded)
		m.rebuild()
		if ok {
			cur[2] = int32(-1)
			m.selectRef(cur)
		}
	case key.Matches(msg, k.Sort), key.Matches(msg, k.Reverse):
		if key.Matches(msg, k.Sort) {
			m.sortKey = (m.sortKey + 1) % 4
		} else {
			m.reverse = !m.reverse
		}
		cur, ok := m.current()
		m.resort()
		if ok {
			m.selectRef(cur)
		}
		m.flash = "sorted by " + sortNames[m.sortKey]
		if m.reverse {
			m.flash += ", reversed"
		}
	case key.Matches(msg, k.Refresh):
		var cmd tea.Cmd
		cmd, m.flash = m.fetch.Again(m.refresh)
		return cmd
	case key.Matches(msg, k.Metrics):
		if q, ok := m.selectedQuery(); ok {
			at := m.now()
			pm := pane.PivotMsg{Target: pane.TargetMetrics, Query: q, From: at.Add(-m.window), To: at}
			return func() tea.Msg { return pm }
		}
		m.flash = "lag comes straight from Kafka here; there is no series to chart"
	}
	m.clamp()
	return nil
}

// selectedQuery is the PromQL for the selected row's lag series; false
// when lag is read from the brokers (there is no series).
func (m *Model) selectedQuery() (string, bool) {
	if m.srcName == "kafka" || m.sel >= len(m.rows) {
		return "", false
	}
	r := m.rows[m.sel]
	t := m.topics[r.topic]
	sel := fmt.Sprintf("consumergroup=%q, topic=%q", t.Group, t.Topic)
	if r.part >= 0 {
		sel += fmt.Sprintf(", partition=\"%d\"", t.Partitions[r.part].Partition)
	}
	q := m.queries.Lag
	if isMetricName(q) {
		return q + "{" + sel + "}", true
	}
	// An overridden query is an expression: matchers cannot be added to
	// it, so the whole of it is charted.
	return q, true
}

func isMetricName(q string) bool {
	for i, r := range q {
		ok := r == '_' || r == ':' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (i > 0 && r >= '0' && r <= '9')
		if !ok {
			return false
		}
	}
	return q != ""
}

// Selection is the selected row as evidence: its lag query (Prometheus)
// and a snapshot of what the row says.
func (m *Model) Selection() (incidents.Evidence, bool) {
	if !m.hasData || m.sel >= len(m.rows) {
		return incidents.Evidence{}, false
	}
	r := m.rows[m.sel]
	t := m.topics[r.topic]
	var snap string
	if r.part < 0 {
		snap = fmt.Sprintf("%s/%s: %s, %.0f messages behind, %s (%s)", t.Group, t.Topic, t.Status, t.LagMessages, secondsText(t.LagSeconds), t.Method)
	} else {
		p := t.Partitions[r.part]
		snap = fmt.Sprintf("%s/%s partition %d: %s, %.0f messages behind, %s (%s); %s", t.Group, t.Topic, p.Partition, p.Verdict.Status,
			p.LagMessages, secondsText(p.LagSeconds), p.Method, p.Verdict.Reason)
	}
	ev := incidents.Evidence{Kind: incidents.EvidenceQuery, Source: m.srcName, From: m.shownAt.Add(-m.window), To: m.shownAt, Snapshot: sanitize.Text(snap)}
	if q, ok := m.selectedQuery(); ok {
		ev.Query = q
	}
	return ev, true
}
