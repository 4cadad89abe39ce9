// Package traces is the console's Traces pane: a Jaeger search form, a
// sortable result table, and a virtualized waterfall of one trace with its
// critical path, error spans, a span filter and span detail, and a diff
// of the open trace against a healthy baseline (correlate.ChooseBaseline,
// correlate.Diff), ranked by how much of the extra time each span explains.
//
// The pane does no I/O in Update or View. Searches and trace fetches run
// in Cmds that capture their inputs by value under a context the pane can
// cancel; the Cmd also builds the span tree and the critical path, so a
// 50,000-span trace costs the UI goroutine nothing but swapping it in.
// Each kind of request runs through a pane.Request, which cancels the one
// before and drops stale answers. Every string from the backend is sanitized once,
// when the tree or the summary is built.
package traces

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/jaeger"
	"github.com/reltui/reltui/sources/links"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane"
)

// Defaults for Config's zero values.
const (
	DefaultTimeout  = 60 * time.Second
	DefaultLogLabel = "service"
	DefaultPad      = 5 * time.Minute
	// DefaultFoldShare is the share of a trace's duration under which the
	// fold key hides a span (jaeger-ui #389 asks for the same).
	DefaultFoldShare = 0.01
)

// Config is what the pane needs from outside, as a typed struct.
type Config struct {
	// Basics are the ID ("traces" when empty), renderer, clock, zone,
	// timeout of one search or fetch (DefaultTimeout) and parent context.
	pane.Basics
	// Source is the trace backend; nil means the context has none, and
	// the pane says so instead of searching.
	Source  Source
	Palette themes.Palette
	// Keys overrides DefaultKeyMap.
	Keys *KeyMap
	// LogLabel is the Loki stream label that names a service, for the
	// span-to-logs pivot (DefaultLogLabel, what the demo and most
	// promtail/alloy setups use).
	LogLabel string
	// Pad widens a span's window for the logs pivot (DefaultPad).
	Pad time.Duration
	// FoldShare is the share of the trace's duration under which the
	// fold key hides spans (DefaultFoldShare); spans on the critical path
	// are never hidden.
	FoldShare float64
	// Service, when set, is put in the search form.
	Service string
	// Links says where U's links point (Explore's trace datasource, Jaeger
	// UI); the zero value makes none.
	Links links.Targets
}

type mode int

const (
	modeResults mode = iota
	modeForm
	modeTrace
	modeFilter
	modeDetail
	// modeDiff shows the open trace against a healthy baseline.
	modeDiff
)

// sortKey is the column the result table is sorted by, largest first
// (newest first for start).
type sortKey int

const (
	sortStart sortKey = iota
	sortDuration
	sortSpans
	sortErrors
	numSortKeys
)

var sortNames = [numSortKeys]string{"start", "duration", "spans", "errors"}

// Model is the Traces pane.
type Model struct {
	// b are the pane's ID, renderer, clock, zone, timeout and parent,
	// defaults filled.
	b        pane.Basics
	src      Source
	st       Styles
	keys     KeyMap
	logLabel string
	pad      time.Duration
	share    float64

	ctx    context.Context
	cancel context.CancelFunc

	width, height int
	mode          mode
	form          form
	formErr       string
	sg            suggest
	spanFilter    pane.Filter
	spin          pane.Spinner
	detail        viewport.Model
	flash         string

	// The range the root gave us.
	rng pane.Range

	// The search.
	search     pane.Request[searchAnswer]
	shownQ     jaeger.FindQuery
	links      links.Targets
	hasResults bool
	rows       []sources.TraceSummary
	sortBy     sortKey
	sortAsc    bool // reversed: smallest (oldest) first
	rsel, rtop int
	warnings   []string

	// The trace.
	trace     pane.Request[*tree]
	fetchID   string // the id of the latest fetch; shown while trace is busy
	tr        *tree
	fromPivot bool // the trace was opened by a pivot, not from the table
	collapsed map[int32]bool
	// visible is the rows: spans in tree order minus collapsed subtrees,
	// and with foldTiny a row ^k for folds[k] in place of tiny spans.
	visible    []int32
	sel, top   int
	detailSpan int32
	foldTiny   bool
	opened     map[int32]bool // parents whose fold row the user opened
	folds      []foldRow
	hidden     int // spans the fold rows stand for

	// The diff against a healthy baseline.
	dv diffState

	// The span filter.
	filter  string
	matches []int32
	matchAt int // index into matches of the last step, -1 before the first
}

// New builds the pane. It does not contact the backend.
func New(cfg Config) *Model {
	b := cfg.Basics.Fill("traces", DefaultTimeout)
	if cfg.LogLabel == "" {
		cfg.LogLabel = DefaultLogLabel
	}
	if cfg.Pad <= 0 {
		cfg.Pad = DefaultPad
	}
	if cfg.FoldShare <= 0 || cfg.FoldShare >= 1 {
		cfg.FoldShare = DefaultFoldShare
	}
	m := &Model{
		b: b, src: cfg.Source, keys: pane.KeysOr(cfg.Keys, DefaultKeyMap()),
		logLabel: cfg.LogLabel, pad: cfg.Pad, share: cfg.FoldShare,
		st:        NewStyles(b.Renderer, cfg.Palette),
		collapsed: map[int32]bool{},
		opened:    map[int32]bool{},
		sortBy:    sortStart,
		matchAt:   -1,
		links:     cfg.Links,
	}
	m.ctx, m.cancel = context.WithCancel(b.Parent)
	rc := pane.RequestConfig{Pane: b.ID, Timeout: b.Timeout, Now: b.Now}
	m.search = pane.NewRequest[searchAnswer](rc)
	m.trace = pane.NewRequest[*tree](rc)
	m.sg.svc = pane.NewRequest[[]string](rc)
	m.sg.opsReq = pane.NewRequest[opsAnswer](rc)
	// The diff runs several searches, each under its own timeout.
	rc.Timeout = 0
	m.dv.req = pane.NewRequest[*diffResult](rc)
	r := b.Renderer
	m.form = newForm(r, m.st)
	m.form.inputs[fieldService].SetValue(cfg.Service)
	m.spanFilter = pane.NewFilter(r, pane.FilterConfig{
		Input:       pane.InputStyle{Prompt: m.st.Prompt, Text: m.st.Query, Placeholder: m.st.Muted},
		Placeholder: "service, operation, span id or tag text", Limit: 1024,
		Apply: m.keys.Run, Cancel: m.keys.Back,
	})
	m.spin = pane.NewSpinner(m.b.ID, m.st.Spinner)
	m.detail = viewport.New(0, 0)
	m.detail.Style = r.NewStyle()
	return m
}

// Title is the tab label.
func (m *Model) Title() string { return "Traces" }

// Init does nothing: a search needs a service, which the user or a pivot
// gives.
func (m *Model) Init() tea.Cmd { return nil }

// Close cancels whatever is in flight.
func (m *Model) Close() { m.cancel() }

// Editing reports whether a text input has the keyboard.
func (m *Model) Editing() bool { return m.mode == modeForm || m.mode == modeFilter }

// AtRest reports whether esc would do nothing here, so the root may take
// it as "back": the table with nothing running, or a trace a pivot opened
// (there is no table behind it) with no filter or fetch to cancel.
func (m *Model) AtRest() bool {
	switch m.mode {
	case modeResults:
		return !m.search.Busy() && !m.trace.Busy()
	case modeTrace:
		return m.fromPivot && !m.hasResults && m.filter == "" && !m.trace.Busy() && !m.dv.req.Busy()
	}
	return false
}

// SetSize gives the pane its area.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(1, w), max(1, h)
	m.form.setWidth(m.width - formLabelWidth - 1)
	m.spanFilter.SetWidth(m.width - 2)
	m.detail.Width, m.detail.Height = m.width, max(1, m.height-1)
	if m.mode == modeDetail {
		m.refreshDetail()
	}
	m.clampTrace()
	m.clampResults()
	m.clampDiff()
}

// SetRange sets the window the next search covers. With live set the
// window ends when the search runs and keeps its length.
func (m *Model) SetRange(from, to time.Time, live bool) {
	m.rng.Set(from, to, live)
}

// ShortHelp is the footer for the current mode.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch m.mode {
	case modeForm:
		if m.listOpen() && m.sg.sel >= 0 {
			return []key.Binding{k.Accept, k.Run, k.SuggestNext, k.SuggestPrev, k.Back}
		}
		return []key.Binding{k.Run, k.NextField, k.PrevField, k.Back}
	case modeFilter:
		return []key.Binding{k.Run, k.Back}
	case modeDetail:
		return []key.Binding{k.Up, k.Down, k.CopySpan, k.Logs, k.Back}
	case modeDiff:
		return []key.Binding{k.Up, k.Down, k.Top, k.Bottom, k.DiffJump, k.Back}
	case modeTrace:
		if m.filter != "" {
			return []key.Binding{k.Next, k.Prev, k.Filter, k.Detail, k.Back}
		}
		return []key.Binding{k.Collapse, k.Expand, k.FoldTiny, k.Detail, k.Filter, k.Diff, k.CopyTrace, k.Logs, k.Back}
	}
	return []key.Binding{k.Edit, k.Open, k.Sort, k.Reverse, k.CopyTrace}
}

// FullHelp is the pane's part of the help overlay.
func (m *Model) FullHelp() [][]key.Binding { return m.keys.fullHelp() }

// Update handles one message and returns the concrete type.
func (m *Model) Update(msg tea.Msg) (*Model, tea.Cmd) {
	if cmd, ok := pane.Answers(msg,
		pane.On(&m.search, m.onSearch),
		pane.On(&m.trace, m.onTrace),
		pane.On(&m.dv.req, m.onDiff),
		pane.On(&m.sg.svc, m.onServices),
		pane.On(&m.sg.opsReq, m.onOps),
	); ok {
		return m, cmd
	}
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return m, m.onKey(msg)
	case pane.RangeMsg:
		return m, m.onRange(msg)
	case pane.SpinMsg:
		return m, m.spin.Update(msg, m.waiting())
	}
	return m, nil
}

// onRange takes the root's new range and searches it again when a search
// is shown or running.
func (m *Model) onRange(msg pane.RangeMsg) tea.Cmd {
	m.SetRange(msg.From, msg.To, msg.Live)
	if m.hasResults || m.search.Busy() {
		return m.runSearch(m.shownQ)
	}
	return nil
}

// Pivot shows what another pane asked for: a trace by id, or a search of
// a service over the sender's window.
func (m *Model) Pivot(p pane.PivotMsg) tea.Cmd {
	if !p.From.IsZero() && !p.To.IsZero() {
		m.SetRange(p.From, p.To, false)
	}
	if id := strings.TrimSpace(p.TraceID); id != "" {
		cmd := m.openTrace(id)
		m.fromPivot = true
		return cmd
	}
	if svc := strings.TrimSpace(p.Service); svc != "" {
		q := jaeger.FindQuery{Service: svc}
		m.form.set(q)
		m.mode = modeResults
		return m.runSearch(q)
	}
	return nil
}

func (m *Model) waiting() bool {
	return m.search.Busy() || m.trace.Busy() || m.dv.req.Busy() || m.sg.svc.Busy() || m.sg.opsReq.Busy()
}

// window is the search window, resolved now for a live range.
func (m *Model) window() (time.Time, time.Time) { return m.rng.Window(m.b.Now(), time.Hour) }

// runSearch cancels a running search and starts q over the current range.
func (m *Model) runSearch(q jaeger.FindQuery) tea.Cmd {
	if m.src == nil {
		m.flash = "no Jaeger is configured for this context; see `reltui config check`"
		return nil
	}
	q.Start, q.End = m.window()
	m.shownQ = q
	return tea.Batch(m.search.Start(m.ctx, findTraces(m.src, q)), m.spin.Start())
}

// onSearch shows an accepted search answer. After an error the previous
// results stay; the view marks them stale.
func (m *Model) onSearch(msg searchMsg) tea.Cmd {
	if msg.Err != nil {
		return nil
	}
	m.hasResults = true
	m.rows, m.warnings = msg.Value.rows, msg.Value.warnings
	m.sortRows()
	m.rsel, m.rtop = 0, 0
	return nil
}

// sortRows orders the table by the chosen column, largest (or newest)
// first, or the other way round when reversed; ties keep the start and
// trace id order so the table is stable.
func (m *Model) sortRows() {
	by, asc := m.sortBy, m.sortAsc
	slices.SortStableFunc(m.rows, func(a, b sources.TraceSummary) int {
		var c int
		switch by {
		case sortDuration:
			c = cmpDesc(a.Duration, b.Duration)
		case sortSpans:
			c = cmpDesc(a.SpanCount, b.SpanCount)
		case sortErrors:
			c = cmpDesc(a.ErrorCount, b.ErrorCount)
		}
		if c == 0 {
			c = b.Start.Compare(a.Start)
		}
		if c == 0 {
			c = strings.Compare(a.TraceID, b.TraceID)
		}
		if asc {
			return -c
		}
		return c
	})
}

// reverseSort flips the sort direction and keeps the cursor on the trace
// it was on.
func (m *Model) reverseSort() {
	m.sortAsc = !m.sortAsc
	cur := ""
	if m.rsel < len(m.rows) {
		cur = m.rows[m.rsel].TraceID
	}
	m.sortRows()
	if i := slices.IndexFunc(m.rows, func(r sources.TraceSummary) bool { return r.TraceID == cur }); i >= 0 {
		m.rsel = i
	}
}

func cmpDesc[T int | time.Duration](a, b T) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

// openTrace fetches a trace; the waterfall shows it when it arrives.
func (m *Model) openTrace(id string) tea.Cmd {
	if m.src == nil {
		m.flash = "no Jaeger is configured for this context; see `reltui config check`"
		return nil
	}
	m.dropDiff() // the diff belongs to the trace being replaced
	cmd := m.trace.Start(m.ctx, fetchTrace(m.src, id, m.share))
	m.fetchID = id
	m.fromPivot = false
	m.mode = modeTrace
	return tea.Batch(cmd, m.spin.Start())
}

// onTrace shows an accepted trace. After an error the trace shown before,
// if any, stays; the view marks it stale.
func (m *Model) onTrace(msg traceMsg) tea.Cmd {
	if msg.Err != nil {
		return nil
	}
	m.tr = msg.Value
	clear(m.collapsed)
	clear(m.opened)
	m.rewalk()
	m.sel, m.top = 0, 0
	m.setFilter(m.filter)
	if m.mode == modeDetail || m.mode == modeDiff {
		m.mode = modeTrace
	}
	return nil
}

// rewalk recomputes the rows from the tree and the fold state.
func (m *Model) rewalk() {
	m.visible, m.folds, m.hidden = m.tr.rows(m.collapsed, m.foldTiny, m.opened)
}

// refold recomputes the visible rows after a fold changed, keeping the
// selected span selected, or its nearest ancestor that is still shown.
// On a fold row the cursor moves to the first span it hid once that is
// shown, else stays on the parent's fold row.
func (m *Model) refold() {
	cur := m.selSpan()
	var f *foldRow
	if sf := m.selFold(); sf != nil {
		fv := *sf // rewalk replaces m.folds
		f, cur = &fv, fv.first
	}
	m.rewalk()
	if p, ok := m.rowOf(cur); ok {
		m.sel = p
	} else if f != nil && m.foldRowOf(f.parent) >= 0 {
		m.sel = m.foldRowOf(f.parent)
	} else {
		for p := cur; p >= 0; p = m.tr.nodes[p].parent {
			if i, ok := m.rowOf(p); ok {
				m.sel = i
				break
			}
		}
	}
	m.clampTrace()
}

// rowOf is span i's row, if it is shown.
func (m *Model) rowOf(i int32) (int, bool) {
	if i < 0 {
		return 0, false
	}
	p := slices.Index(m.visible, i)
	return p, p >= 0
}

// foldRowOf is the row of parent's fold row, or -1.
func (m *Model) foldRowOf(parent int32) int {
	return slices.IndexFunc(m.visible, func(r int32) bool { return r < 0 && m.folds[^r].parent == parent })
}

// selSpan is the span under the cursor, or -1 (also on a fold row).
func (m *Model) selSpan() int32 {
	if m.tr == nil || m.sel < 0 || m.sel >= len(m.visible) || m.visible[m.sel] < 0 {
		return -1
	}
	return m.visible[m.sel]
}

// selFold is the fold row under the cursor, or nil.
func (m *Model) selFold() *foldRow {
	if m.tr == nil || m.sel < 0 || m.sel >= len(m.visible) || m.visible[m.sel] >= 0 {
		return nil
	}
	return &m.folds[^m.visible[m.sel]]
}

// toggleTiny turns the fold of tiny spans on or off and says what it did.
func (m *Model) toggleTiny() {
	m.foldTiny = !m.foldTiny
	clear(m.opened)
	m.refold()
	switch {
	case !m.foldTiny:
		m.flash = "showing every span"
	case m.hidden == 0:
		m.flash = fmt.Sprintf("no spans under %s of the trace (%s) to fold; critical-path spans never fold", m.shareLabel(), fmtDur(m.tr.foldBelow))
	default:
		rows := thousands(len(m.folds)) + " rows"
		if len(m.folds) == 1 {
			rows = "1 row"
		}
		m.flash = fmt.Sprintf("folded %s spans under %s of the trace (%s) into %s; critical-path spans never fold",
			thousands(m.hidden), m.shareLabel(), fmtDur(m.tr.foldBelow), rows)
	}
}

// shareLabel is the fold threshold as a percentage: "1%".
func (m *Model) shareLabel() string {
	return strconv.FormatFloat(m.tr.foldShare*100, 'g', 3, 64) + "%"
}

// openFold shows the spans a fold row stands for and puts the cursor on
// the first of them.
func (m *Model) openFold(f *foldRow) {
	m.opened[f.parent] = true
	m.refold()
}

// selectSpan moves the cursor to span i, unfolding its ancestors first
// when it is hidden, and opening the fold row that hides it.
func (m *Model) selectSpan(i int32) {
	if i < 0 || m.tr == nil {
		return
	}
	unfolded := false
	m.tr.ancestors(i, func(p int32) {
		if m.collapsed[p] {
			delete(m.collapsed, p)
			unfolded = true
		}
	})
	if p, ok := m.tr.foldedBy(i); ok && m.foldTiny && !m.opened[p] {
		m.opened[p] = true
		unfolded = true
	}
	if unfolded {
		m.rewalk()
	}
	if p, ok := m.rowOf(i); ok {
		m.sel = p
	}
	m.clampTrace()
}

// listHeight is the number of waterfall rows on screen.
func (m *Model) listHeight() int { return max(1, m.height-len(m.traceHeader())-1) }

func (m *Model) clampTrace() {
	m.sel, m.top = pane.ClampScroll(m.sel, m.top, len(m.visible), m.listHeight())
}

// tableHeight is the number of result rows on screen.
func (m *Model) tableHeight() int { return max(1, m.height-len(m.resultsHeader())-1) }

func (m *Model) clampResults() {
	m.rsel, m.rtop = pane.ClampScroll(m.rsel, m.rtop, len(m.rows), m.tableHeight())
}

// setFilter sets the span filter and finds its matches in tree order.
func (m *Model) setFilter(text string) {
	m.filter = strings.TrimSpace(text)
	m.matchAt = -1
	m.matches = nil
	if m.tr != nil && m.filter != "" {
		m.matches = m.tr.matches(m.filter)
	}
}

// step moves to the next (d = 1) or previous (d = -1) match from the
// cursor, wrapping around, and unfolds what hides it. With inclusive, a
// match under the cursor counts (used when a filter is first applied).
func (m *Model) step(d int, inclusive bool) {
	if len(m.matches) == 0 {
		if m.filter != "" {
			m.flash = "no span matches /" + m.filter
		}
		return
	}
	pos := int32(-1)
	if cur := m.selSpan(); cur >= 0 {
		pos = m.tr.pos[cur]
	} else if f := m.selFold(); f != nil {
		pos = m.tr.pos[f.first] - 1 // just before the spans it hides
	}
	// matches are in tree order, so their positions are sorted.
	k, found := slices.BinarySearchFunc(m.matches, pos, func(s, p int32) int { return int(m.tr.pos[s] - p) })
	switch {
	case found && inclusive:
	case d > 0 && found:
		k++
	case d < 0:
		k--
	}
	m.matchAt = (k + len(m.matches)) % len(m.matches)
	m.selectSpan(m.matches[m.matchAt])
	m.flash = ""
}
