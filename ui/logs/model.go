// Package logs is the console's Logs pane: a query editor (LogQL or LogsQL, the backend's own language) with history,
// a virtualized list of results that stays smooth at a million buffered
// lines, a `/` filter with context, a detail view, live tail, copy and
// jump-to-time.
//
// The pane does no I/O in Update or View. Queries and the tail run in Cmds
// that capture their inputs by value under a context the pane can cancel;
// every result carries the pane's id and a sequence number, and stale
// results are dropped. Every string from the backend is sanitized once, when
// it is buffered.
package logs

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
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
	DefaultLimit        = 5000
	DefaultMaxLines     = 1_000_000
	DefaultTimeout      = 60 * time.Second
	DefaultContextLines = 3
	// maxHistory bounds the query history kept in memory and persisted.
	maxHistory = 200
)

// Config is what the pane needs from outside. It travels as a typed struct;
// nothing is read from package state or context values.
type Config struct {
	// Basics are the ID ("logs" when empty; two Logs panes in one program
	// need different IDs), renderer, clock, zone, the timeout of one
	// query (DefaultTimeout) and the parent context, whose end (like
	// Close) ends all of the pane's work; zero values are filled as
	// pane.Basics.Fill says.
	pane.Basics
	Source  Source
	Palette themes.Palette
	// Keys overrides DefaultKeyMap.
	Keys *KeyMap
	// Limit is the most lines one query fetches (DefaultLimit).
	Limit int
	// MaxLines bounds the buffer; the tail evicts the oldest lines past it
	// (DefaultMaxLines).
	MaxLines int
	// ContextLines is how many lines either side of a match the context
	// view shows (DefaultContextLines).
	ContextLines int
	// Query, when set, is put in the editor and run by Init.
	Query string
	// IDs finds request, trace and span ids in a line for pivots; nil
	// means correlate.DefaultExtractor().
	IDs *correlate.Extractor
	// Links says where U's links point (Grafana Explore with the logs
	// datasource, VictoriaLogs' UI); the zero value makes none.
	Links links.Targets
}

type mode int

const (
	modeList mode = iota
	modeEdit
	modeFilter
	modeJump
	modeDetail
)

// Model is the Logs pane.
type Model struct {
	ids *correlate.Extractor
	// fallback is a pivot's structured-metadata query, run when its line
	// filter (fallbackFor) finds nothing.
	fallback, fallbackFor string
	// hintLabel names services in the hints (service_name until Loki
	// says which labels it has).
	hintLabel string
	id        string
	src       Source
	st        Styles
	keys      KeyMap
	now       func() time.Time
	loc       *time.Location
	limit     int
	tmo       time.Duration
	ctxN      int

	ctx    context.Context
	cancel context.CancelFunc

	width, height int
	mode          mode

	editor  textinput.Model
	history pane.History
	input   textinput.Model // the filter or jump-to-time input
	spin    pane.Spinner
	detail  viewport.Model
	// detailAbs is the row the detail view shows; the selection may move
	// under it while the tail appends.
	detailAbs int64
	flash     string

	// The range the root gave us.
	from, to time.Time
	live     bool
	rangeSet bool

	// The query in flight (lines or a chart) and the results on screen.
	query     pane.Request[answer]
	queryExpr string
	queryFrom time.Time
	queryTo   time.Time
	shown     sources.LogQuery // the query whose results are buffered
	shownAt   time.Time
	hasResult bool
	limitHit  bool
	// plot is the metric query's chart on screen, shown instead of the
	// lines; nil while lines (or nothing) are shown.
	plot *plot
	// The chart's cursor and chosen series; chartBack is the chart L
	// left, for esc.
	cursor    time.Time
	curSeries int
	chartBack *chartSaved
	// chartLive arms the chart's refresh only while the root shows the
	// pane (chartlive.go).
	chartLive pane.LiveRefresh

	warnings []string

	buf   *buffer
	flt   *filter
	paint *painter
	links links.Targets
	// fltGen numbers filters so a stale scan step is dropped; fltChain
	// is set while a step message is on its way.
	fltGen   int
	fltChain bool
	// The row kept selected while a filter scan adds matches (scan.go).
	anchorAbs            int64
	anchored             bool
	anchorSel, anchorTop int
	showCtx              bool
	sel, top             int // positions in the current view
	expanded             map[int64]bool
	showLabels           bool
	wrap                 bool

	// A page of older lines on its way (older.go).
	older pane.Request[olderPage]
	// The label names the hints ask for once (hint.go).
	labels pane.Request[string]

	// The live tail: a run of tail is out while it is on; its error is
	// why it ended.
	tail       pane.Request[sources.TailStatus]
	wantTail   bool // restart the tail when the running query answers
	tailer     sources.LogTail
	tailCtx    context.Context // the running tail's, for its next read
	tailStatus sources.TailStatus
	rate       rateMeter
}

// New builds the pane. It does not contact the backend.
func New(cfg Config) *Model {
	b := cfg.Basics.Fill("logs", DefaultTimeout)
	if cfg.IDs == nil {
		cfg.IDs = correlate.DefaultExtractor()
	}
	if cfg.Limit <= 0 {
		cfg.Limit = DefaultLimit
	}
	if cfg.MaxLines <= 0 {
		cfg.MaxLines = DefaultMaxLines
	}
	if cfg.ContextLines <= 0 {
		cfg.ContextLines = DefaultContextLines
	}
	m := &Model{
		history: pane.NewHistory(maxHistory),
		ids:     cfg.IDs, id: b.ID, src: cfg.Source, keys: pane.KeysOr(cfg.Keys, DefaultKeyMap()), now: b.Now, loc: b.Location,
		limit: cfg.Limit, tmo: b.Timeout, ctxN: cfg.ContextLines,
		st:       NewStyles(b.Renderer, cfg.Palette),
		buf:      newBuffer(cfg.MaxLines),
		expanded: map[int64]bool{},
	}
	m.paint = newPainter(&m.st)
	m.links = cfg.Links
	m.ctx, m.cancel = context.WithCancel(b.Parent)
	m.query = pane.NewRequest[answer](pane.RequestConfig{Pane: m.id, Name: "query", Timeout: m.tmo, Now: m.now})
	m.older = pane.NewRequest[olderPage](pane.RequestConfig{Pane: m.id, Name: "older", Timeout: m.tmo, Now: m.now})
	m.tail = pane.NewRequest[sources.TailStatus](pane.RequestConfig{Pane: m.id, Name: "tail", Now: m.now})
	m.labels = pane.NewRequest[string](pane.RequestConfig{Pane: m.id, Name: "labels", Timeout: labelsTimeout, Now: m.now})
	r := b.Renderer
	m.editor = newInput(r, m.st, strings.ToLower(m.dialect().Language())+"› ", "")
	m.setHintLabel("service_name")
	m.SetQuery(cfg.Query)
	m.input = newInput(r, m.st, "/", "")
	m.spin = pane.NewSpinner(m.id, m.st.Spinner)
	m.detail = viewport.New(0, 0)
	m.detail.Style = r.NewStyle()
	return m
}

// newInput builds the pane's text inputs (see pane.NewInput).
func newInput(r *lipgloss.Renderer, st Styles, prompt, placeholder string) textinput.Model {
	return pane.NewInput(r, pane.InputStyle{Prompt: st.Prompt, Text: st.Query, Placeholder: st.Muted}, prompt, placeholder, 4096)
}

// Title is the tab label.
func (m *Model) Title() string { return "Logs" }

// ID names the pane in its routed messages.
func (m *Model) ID() string { return m.id }

// Init runs Config.Query, if there is one.
func (m *Model) Init() tea.Cmd {
	if q := m.editor.Value(); strings.TrimSpace(q) != "" {
		return m.runQuery(q)
	}
	return m.hintCmd()
}

// Run puts expr in the editor and runs it, as if typed: the palette's
// ":logs QUERY" uses it.
func (m *Model) Run(expr string) tea.Cmd {
	m.editor.SetValue(strings.TrimSpace(expr))
	m.mode = modeList
	m.editor.Blur()
	return m.runQuery(expr)
}

// Query is the expression in the editor.
func (m *Model) Query() string { return m.editor.Value() }

// SetQuery puts expr in the editor without running it; Init runs it, as
// it runs Config.Query. The root hands a rebuilt pane the query of the
// pane it replaces this way.
func (m *Model) SetQuery(expr string) { m.editor.SetValue(sanitize.Line(expr)) }

// Close cancels the running query and the tail. Call it when the pane is
// left for good or the session ends.
func (m *Model) Close() { m.cancel() }

// Editing reports whether a text input has the keyboard (the query editor,
// the filter or the jump-to-time input). While it does, the root must pass
// printable keys to the pane instead of treating them as global shortcuts.
func (m *Model) Editing() bool {
	return m.mode == modeEdit || m.mode == modeFilter || m.mode == modeJump
}

// SetSize gives the pane its area.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(1, w), max(1, h)
	m.editor.Width = max(1, m.width-lipgloss.Width(m.editor.Prompt)-1)
	m.input.Width = max(1, m.width-lipgloss.Width(m.input.Prompt)-1)
	m.detail.Width, m.detail.Height = m.width, max(1, m.height-1)
	if m.mode == modeDetail {
		m.refreshDetail()
	}
	m.clampScroll()
}

// SetRange sets the time range the next query runs over. With live set
// the window ends at the moment the query runs and keeps its length; from
// and to are only used for that length. It does not re-run the query (send
// pane.RangeMsg for that).
func (m *Model) SetRange(from, to time.Time, live bool) {
	m.from, m.to, m.live, m.rangeSet = from, to, live, true
}

// History returns the query history, oldest first, for the root to persist.
func (m *Model) History() []string { return m.history.Entries() }

// SetHistory replaces the history, e.g. with one loaded from disk. The
// entries are sanitized: a history file is outside input too.
func (m *Model) SetHistory(h []string) { m.history.Set(h) }

// ShortHelp is the footer for the current mode.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch m.mode {
	case modeEdit:
		return []key.Binding{k.Run, k.HistPrev, k.HistNext, k.Back}
	case modeFilter, modeJump:
		return []key.Binding{k.Run, k.Back}
	case modeDetail:
		return []key.Binding{k.Up, k.Down, k.Copy, k.Back}
	}
	if m.plot != nil {
		return []key.Binding{k.Left, k.Right, k.Logs, k.Link, k.Edit}
	}
	if m.flt != nil {
		return []key.Binding{k.Next, k.Prev, k.Context, k.Filter, k.Detail, k.Back}
	}
	return k.listShortHelp()
}

// FullHelp is the pane's part of the help overlay.
func (m *Model) FullHelp() [][]key.Binding { return m.keys.fullHelp() }

// Update handles one message. It returns the concrete type so the root
// needs no type assertion.
func (m *Model) Update(msg tea.Msg) (*Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return m, m.onKey(msg)
	case pane.RangeMsg:
		m.SetRange(msg.From, msg.To, msg.Live)
		if m.queryExpr != "" {
			return m, m.runQuery(m.queryExpr)
		}
	case labelsMsg:
		if m.labels.Accept(msg) && msg.Err == nil && msg.Value != "" {
			m.setHintLabel(msg.Value)
		}
	case resultMsg:
		if !m.query.Accept(msg) {
			return m, nil
		}
		// The buffer the older page was asked before is gone, and so is
		// the error of one that failed.
		m.older.Reset()
		if msg.Value.metric {
			m.onMetric(msg)
			return m, m.scheduleChart()
		}
		return m, m.onResult(msg)
	case chartTickMsg:
		if msg.pane == m.id {
			return m, m.onChartTick(msg)
		}
	case pane.VisibleMsg:
		return m, m.onVisible(msg)
	case tailStartedMsg:
		if m.tail.Current(msg.run) {
			m.tailer = msg.tailer
			return m, tea.Batch(tailReadCmd(m.tailCtx, m.tailer, msg.run), tailTickCmd(m.tailCtx, m.tailer, msg.run))
		}
	case tailBatchMsg:
		if m.tail.Current(msg.run) {
			m.appendRows(msg.rows)
			m.rate.add(m.now(), len(msg.rows))
			return m, tailReadCmd(m.tailCtx, m.tailer, msg.run)
		}
	case tailTickMsg:
		if m.tail.Current(msg.run) {
			m.tailStatus = msg.status
			cmd := tailTickCmd(m.tailCtx, m.tailer, msg.run)
			if m.waiting() {
				// A reconnect began: the spinner shows it.
				cmd = tea.Batch(cmd, m.spin.Start())
			}
			return m, cmd
		}
	case tailEndMsg:
		if m.tail.Accept(msg) {
			m.endTail()
			m.tailStatus = msg.Value
		}
	case olderMsg:
		if m.older.Accept(msg) {
			m.onOlder(msg)
		}
	case filterStepMsg:
		if msg.pane == m.id {
			return m, m.onFilterStep(msg)
		}
	case pane.SpinMsg:
		return m, m.spin.Update(msg, m.waiting())
	}
	return m, nil
}

// waiting reports whether anything the spinner stands for is in flight.
func (m *Model) waiting() bool {
	return m.query.Busy() || m.older.Busy() || m.scanning() || (m.tail.Busy() && m.tailStatus.State != sources.TailLive)
}

// lastErr is the error the view shows: the older page's when one failed
// since the query answered, else the query's.
func (m *Model) lastErr() error {
	if err := m.older.Err(); err != nil {
		return err
	}
	return m.query.Err()
}

// window is the query's time window, resolved now for a live range.
func (m *Model) window() (time.Time, time.Time) {
	now := m.now()
	switch {
	case !m.rangeSet:
		return now.Add(-time.Hour), now
	case m.live:
		return now.Add(-m.to.Sub(m.from)), now
	}
	return m.from, m.to
}

// runQuery cancels whatever query is in flight and starts expr.
func (m *Model) runQuery(expr string) tea.Cmd {
	expr = strings.TrimSpace(expr)
	if expr == "" {
		m.flash = "type a " + m.dialect().Language() + " query first, e.g. " + m.exampleSelector()
		return nil
	}
	if m.src == nil {
		m.flash = "no log backend (loki or victorialogs) is configured for this context; see `reltui config check`"
		return nil
	}
	m.history.Add(expr)
	m.older.Stop()
	// The tail follows the shown query; a new query ends it, and it picks
	// up again from the new results.
	if m.tail.Busy() {
		m.wantTail = true
		m.stopTail()
	}
	m.queryExpr = expr
	m.queryFrom, m.queryTo = m.window()
	if lm, ok := sources.AsMetricQuery(m.src, expr); ok {
		// A chart has no tail to pick up again.
		m.wantTail = false
		return tea.Batch(m.query.Start(m.ctx, metric(lm, expr, m.queryFrom, m.queryTo)), m.spin.Start())
	}
	q := sources.LogQuery{Expr: expr, From: m.queryFrom, To: m.queryTo, Limit: m.limit, Direction: sources.Backward}
	return tea.Batch(m.query.Start(m.ctx, query(m.src, q)), m.spin.Start())
}

// cancelQuery gives up on the running query, and on an older page asked
// meanwhile; their answers will be stale.
func (m *Model) cancelQuery() {
	m.query.Stop()
	m.older.Stop()
	m.wantTail = false
}

// onResult takes a log query's accepted answer. After an error the
// previous results stay; the view marks them stale.
func (m *Model) onResult(msg resultMsg) tea.Cmd {
	if msg.Err != nil {
		m.wantTail = false
		return nil
	}
	a := msg.Value
	m.plot = nil
	m.shown, m.shownAt, m.hasResult = a.q, m.now(), true
	m.warnings = a.warnings
	m.limitHit = len(a.rows) >= a.q.Limit
	m.buf.reset(a.rows)
	clear(m.expanded)
	var scan tea.Cmd
	if m.flt != nil {
		scan = m.restartFilter() // which selects the newest match
	} else {
		m.sel = m.viewLen() - 1 // newest at the bottom, as in a terminal
		m.top = m.sel
		m.clampScroll()
	}
	if m.wantTail {
		m.wantTail = false
		return tea.Batch(scan, m.startTail())
	}
	return tea.Batch(scan, m.pivotFallback(len(a.rows), a.q.Expr))
}

func (m *Model) histMove(d int) {
	if text, ok := m.history.Move(d, m.editor.Value()); ok {
		m.editor.SetValue(text)
		m.editor.CursorEnd()
	}
}

// startTail follows the shown query. For a live range it resumes just
// after the newest buffered line so nothing is missed or repeated; for a
// past range it starts at now.
func (m *Model) startTail() tea.Cmd {
	expr := m.shown.Expr
	if !m.hasResult || expr == "" {
		m.flash = "run a query first (i, then enter); the tail follows it"
		return nil
	}
	m.stopTail()
	m.tail.Reset() // the error of the tail before is not this one's
	m.tailStatus = sources.TailStatus{State: sources.TailConnecting, Since: m.now()}
	m.rate = rateMeter{start: m.now()}
	var start time.Time
	if m.live && m.buf.Len() > 0 {
		start = m.buf.at(m.buf.end() - 1).e.Time.Add(time.Nanosecond)
	}
	src := m.src
	open := m.tail.StartWith(m.ctx, func(ctx context.Context, run pane.Stamp) tea.Cmd {
		m.tailCtx = ctx
		return tailOpenCmd(ctx, src, run, expr, start)
	})
	return tea.Batch(open, m.spin.Start())
}

// stopTail ends the tail; anything it still sends is stale.
func (m *Model) stopTail() {
	m.tail.Stop()
	m.endTail()
}

// endTail forgets the tail that ended or was stopped.
func (m *Model) endTail() {
	m.tailer, m.tailCtx = nil, nil
	m.tailStatus.State = sources.TailStopped
}

// appendRows adds tailed rows, keeping the filter, the selection and the
// scroll position in step with rows evicted at the front.
func (m *Model) appendRows(rs []row) {
	if len(rs) == 0 {
		return
	}
	follow := m.sel >= m.viewLen()-1 && m.mode != modeDetail
	oldEnd := m.buf.end()
	m.buf.push(rs)
	first := m.buf.first()
	removed := m.viewCountBelow(first)
	if f := m.flt; f != nil {
		f.trim(first)
		// While a new filter's scan is under way its steps reach these
		// rows too; after it, each tailed batch is tested as it arrives.
		if f.next >= oldEnd {
			f.scan(m.buf, max(oldEnd, first), m.buf.end())
			f.next = m.buf.end()
		}
		m.rebuildContext()
	}
	m.sel = max(0, m.sel-removed)
	m.top = max(0, m.top-removed)
	if follow {
		m.sel = m.viewLen() - 1
	}
	m.clampScroll()
}

// rateMeter measures lines per second over the last rateWindow.
type rateMeter struct {
	start time.Time
	ev    []rateEvent
}

type rateEvent struct {
	at time.Time
	n  int
}

const rateWindow = 10 * time.Second

func (r *rateMeter) add(at time.Time, n int) {
	r.ev = append(r.ev, rateEvent{at, n})
	i := 0
	for i < len(r.ev) && at.Sub(r.ev[i].at) > rateWindow {
		i++
	}
	r.ev = r.ev[i:]
}

// perSecond divides the lines seen in the window by the window, or by the
// time since the tail started while that is shorter.
func (r *rateMeter) perSecond(now time.Time) float64 {
	span := min(now.Sub(r.start), rateWindow)
	span = max(span, time.Second)
	n := 0
	for _, e := range r.ev {
		if now.Sub(e.at) <= rateWindow {
			n += e.n
		}
	}
	return float64(n) / span.Seconds()
}
