// Package ui is reltui's console: a thin root model that lays out a header,
// the active pane and a footer, and routes messages to panes. Every pane is
// its own model. No I/O happens in Update or View: all of it runs in Cmds
// that capture their inputs by value and carry a sequence number, so
// stale results are dropped.
package ui

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/logs"
	"github.com/reltui/reltui/ui/pane"
)

// Deps is everything a console session needs from outside. It travels as a
// typed struct, never through context values or package state.
type Deps struct {
	// Context is the selected config context's name.
	Context  string
	Backends []Backend
	Range    TimeRange
	Palette  themes.Palette
	// Renderer is this session's lipgloss renderer (one per SSH session).
	Renderer *lipgloss.Renderer
	// Now is the clock; tests pin it.
	Now func() time.Time
	// Tick is how often ages refresh; probes run every third tick.
	Tick time.Duration
	// Version is shown in the help overlay.
	Version string
	// Logs is the log backend; nil when the context has no Loki.
	Logs logs.Source
	// Sources are the first context's clients and settings for the other
	// panes.
	Sources ContextSources
	// Session is who is at the keyboard and the incident store.
	Session Session
	// Clipboard receives OSC 52 sequences for copy (the session's
	// terminal); nil disables copying.
	Clipboard io.Writer
	// Contexts lists the config's context names for ":ctx".
	Contexts []string
	// OpenContext builds another context's clients. It is called from a
	// Cmd, never from Update, because it resolves secret files.
	OpenContext func(name string) (ContextDeps, error)
	// PaletteHistory and LogHistory seed the two histories; the caller
	// persists Histories() when the program ends. LogHistory holds queries
	// in the log backend's language, so the caller keeps one per language.
	PaletteHistory []string
	LogHistory     []string
	// CloseContext releases the first context's connections when the
	// console switches away from it or ends.
	CloseContext func()
	// Env is how panes read the files and environment variables a
	// context's clients need (secrets, TLS files), always from a Cmd;
	// zero means config.OSEnv. Tests record or refuse its calls.
	Env config.Env
}

// ContextDeps is what one context contributes: its backends and the log
// source. Close releases its connections.
type ContextDeps struct {
	Name     string
	Backends []Backend
	Logs     logs.Source
	Sources  ContextSources
	Close    func()
}

// ctxOpenedMsg carries a context opened for ":ctx".
type ctxOpenedMsg struct {
	gen  int
	deps ContextDeps
	err  error
}

// Model is the root model.
type Model struct {
	deps   Deps
	styles Styles
	keys   GlobalKeyMap
	help   help.Model

	ctx    context.Context
	cancel context.CancelFunc
	// cctx is the current context's lifetime: switching context cancels
	// every query, tail and probe of the old one.
	cctx     context.Context
	ccancel  context.CancelFunc
	ctxName  string
	ctxClose func()
	gen      int // pane generations, for unique pane IDs
	ctxGen   int // context switches; a slower, older switch is dropped

	palette palette
	flash   string

	width, height int
	panes         []Pane
	// ids and targets run parallel to panes: routed results find their
	// pane by id, pivots by target.
	ids     []string
	targets []pane.Target
	active  int
	// backStack holds the panes pivots left, for esc/backspace.
	backStack  []int
	rng        TimeRange
	showHelp   bool
	showStatus bool

	backends  []*backendStatus
	probeSeq  int
	pending   int
	lastRound time.Time
}

// New builds the root model. Cancel the returned model's work with Close.
func New(d Deps) *Model {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Tick <= 0 {
		d.Tick = 5 * time.Second
	}
	if d.Range.Span == 0 {
		d.Range = LiveRange(time.Hour)
	}
	if d.Renderer == nil {
		d.Renderer = lipgloss.DefaultRenderer()
	}
	if d.Env.ReadFile == nil {
		d.Env = config.OSEnv()
	}
	ctx, cancel := context.WithCancel(context.Background())
	m := &Model{deps: d, keys: DefaultGlobalKeyMap(), ctx: ctx, cancel: cancel, rng: d.Range, ctxName: d.Context, ctxClose: d.CloseContext}
	m.help = help.New()
	m.applyTheme(d.Palette)
	m.palette.history.Set(d.PaletteHistory)
	m.palette.contexts = d.Contexts
	m.cctx, m.ccancel = context.WithCancel(ctx)
	for _, b := range d.Backends {
		m.backends = append(m.backends, &backendStatus{Backend: b})
	}
	if m.deps.Sources.Name == "" {
		m.deps.Sources.Name = d.Context
	}
	if m.deps.Session.User == "" {
		// Looked up once, at wiring time: it reads the user database,
		// and :theme and :ctx rebuild the panes from Update. The CLI's
		// rule (config.OSUser), so both name the same person.
		getenv := m.deps.Env.Getenv
		if getenv == nil {
			getenv = config.OSEnv().Getenv
		}
		m.deps.Session.User = config.OSUser(getenv)
	}
	m.buildPanes(map[pane.Target]kept{pane.TargetLogs: {history: d.LogHistory}})
	return m
}

// Close cancels every in-flight Cmd of this session and releases the
// context's connections.
func (m *Model) Close() {
	for _, p := range m.panes {
		paneClose(p)
	}
	m.cancel()
	if m.ctxClose != nil {
		m.ctxClose()
		m.ctxClose = nil
	}
}

// Histories returns the palette and log-query histories for the caller to
// persist.
func (m *Model) Histories() (palette, logs []string) {
	if i := m.indexOf(pane.TargetLogs); i >= 0 {
		if k, ok := paneAs[keeper](m.panes[i]); ok {
			logs = k.History()
		}
	}
	return m.palette.history.Entries(), logs
}

// ContextName is the context being shown.
func (m *Model) ContextName() string { return m.ctxName }

// applyTheme rebuilds every style of the root from p.
func (m *Model) applyTheme(p themes.Palette) {
	m.styles = NewStyles(m.deps.Renderer, p)
	m.help.Styles.ShortKey = m.styles.HelpKey
	m.help.Styles.ShortDesc = m.styles.HelpDesc
	m.help.Styles.FullKey = m.styles.HelpKey
	m.help.Styles.FullDesc = m.styles.HelpDesc
	m.help.Styles.ShortSeparator = m.styles.Muted
	m.help.Styles.FullSeparator = m.styles.Muted
	hist := m.palette.history.Entries()
	m.palette = newPalette(m.deps.Renderer, m.styles)
	m.palette.history.Set(hist)
	m.palette.contexts = m.deps.Contexts
}

// Init starts the first probe round, the clock and the panes.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.probeRound(), tickCmd(m.ctx, m.deps.Tick), m.initPanes())
}

// copyCmd writes an OSC 52 sequence to the session's terminal. It runs as
// a Cmd so Update stays free of I/O.
func copyCmd(w io.Writer, seq string) tea.Cmd {
	if w == nil || seq == "" {
		return nil
	}
	return func() tea.Msg {
		_, _ = io.WriteString(w, seq)
		return nil
	}
}

// probeRound starts a health probe of every backend unless one is still
// running: an overlapping refresh is dropped, not queued.
func (m *Model) probeRound() tea.Cmd {
	if m.pending > 0 || len(m.backends) == 0 {
		return nil
	}
	m.probeSeq++
	m.pending = len(m.backends)
	m.lastRound = m.deps.Now()
	cmds := make([]tea.Cmd, 0, len(m.backends))
	for _, b := range m.backends {
		if b.state == healthUnknown {
			b.state = healthChecking
		}
		cmds = append(cmds, probeCmd(m.cctx, m.probeSeq, b.Backend, m.deps.Now))
	}
	return tea.Batch(cmds...)
}

// Update routes messages. Global keys first, then the active pane. When
// the pane on screen changes, the one left and the one shown are told.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	prev, n := m.active, len(m.panes)
	_, cmd := m.update(msg)
	if m.active != prev && len(m.panes) == n && prev < n {
		cmd = tea.Batch(cmd, m.updatePane(prev, pane.VisibleMsg{}), m.updatePane(m.active, pane.VisibleMsg{Visible: true}))
	}
	return m, cmd
}

func (m *Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case healthMsg:
		if msg.seq != m.probeSeq {
			return m, nil // a stale round
		}
		for _, b := range m.backends {
			if b.Name == msg.name {
				b.apply(msg)
			}
		}
		if m.pending > 0 {
			m.pending--
		}
		return m, nil
	case tickMsg:
		cmds := []tea.Cmd{tickCmd(m.ctx, m.deps.Tick)}
		if m.deps.Now().Sub(m.lastRound) >= 3*m.deps.Tick {
			cmds = append(cmds, m.probeRound())
		}
		return m, tea.Batch(cmds...)
	case pane.CopyMsg:
		return m, copyCmd(m.deps.Clipboard, msg.Sequence)
	case pane.Routed:
		// A pane's async results go to it even when another pane is
		// showing, so a query finishes in the background.
		return m, m.route(msg.PaneID(), msg)
	case pane.FlashMsg:
		m.flash = msg.Text
		return m, nil
	case pane.PivotMsg:
		return m, m.pivot(msg)
	case pane.BackMsg:
		m.back()
		return m, nil
	case pane.PinMsg:
		return m, m.deliverPin(msg)
	case paletteRunMsg:
		return m, m.runPalette(msg)
	case ctxOpenedMsg:
		return m, m.switchContext(msg)
	case tea.KeyMsg:
		editing := paneEditing(m.panes[m.active])
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste && !m.palette.open && !editing {
			// Keys typed faster than one read (a fast typist, tmux, a
			// laggy SSH link) arrive as one message; a shortcut like ":"
			// must still work, so each rune is handled on its own.
			return m, m.splitRunes(msg)
		}
		m.flash = ""
		if m.palette.open && msg.Type != tea.KeyCtrlC {
			return m, m.palette.update(msg)
		}
		if editing && msg.Type != tea.KeyCtrlC {
			// Typing a query: every key is text, not a shortcut.
			return m, m.updateActive(msg)
		}
		if cmd, handled := m.handleKey(msg); handled {
			return m, cmd
		}
	}
	return m, m.updateActive(msg)
}

// updateActive hands msg to the pane on screen.
func (m *Model) updateActive(msg tea.Msg) tea.Cmd {
	return m.updatePane(m.active, msg)
}

// updatePane hands msg to pane i.
func (m *Model) updatePane(i int, msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	m.panes[i], cmd = m.panes[i].Update(msg)
	return cmd
}

// splitRunes handles a burst of typed runes one key at a time.
func (m *Model) splitRunes(msg tea.KeyMsg) tea.Cmd {
	var cmds []tea.Cmd
	for _, r := range msg.Runes {
		_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt})
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

// rangeChanged tells the panes the shared range moved.
func (m *Model) rangeChanged() tea.Cmd {
	from, to := m.rng.Bounds(m.deps.Now())
	cmds := make([]tea.Cmd, len(m.panes))
	for i := range m.panes {
		cmds[i] = m.updatePane(i, pane.RangeMsg{From: from, To: to, Live: m.rng.Live()})
	}
	return tea.Batch(cmds...)
}

func (m *Model) handleKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := m.keys
	now := m.deps.Now()
	switch {
	case key.Matches(msg, k.Quit):
		m.cancel()
		return tea.Quit, true
	case m.showHelp && (key.Matches(msg, k.Help) || msg.Type == tea.KeyEsc):
		m.showHelp = false
	case m.showStatus && msg.Type == tea.KeyEsc:
		m.showStatus = false
	case key.Matches(msg, k.Help):
		m.showHelp = true
	case key.Matches(msg, m.palette.keys.Open):
		return m.palette.show(), true
	case key.Matches(msg, k.Pin):
		return m.pin(), true
	case key.Matches(msg, k.Back) && len(m.backStack) > 0 && paneAtRest(m.panes[m.active]):
		m.back()
	case key.Matches(msg, k.NextPane):
		m.active = (m.active + 1) % len(m.panes)
		m.backStack = nil
	case key.Matches(msg, k.PrevPane):
		m.active = (m.active + len(m.panes) - 1) % len(m.panes)
		m.backStack = nil
	case key.Matches(msg, k.Refresh):
		return m.probeRound(), true
	case key.Matches(msg, k.PanBack):
		m.rng = m.rng.Pan(-1, now)
		return m.rangeChanged(), true
	case key.Matches(msg, k.PanFwd):
		m.rng = m.rng.Pan(1, now)
		return m.rangeChanged(), true
	case key.Matches(msg, k.ZoomIn):
		m.rng = m.rng.Zoom(true)
		return m.rangeChanged(), true
	case key.Matches(msg, k.ZoomOut):
		m.rng = m.rng.Zoom(false)
		return m.rangeChanged(), true
	case key.Matches(msg, k.Live):
		m.rng = LiveRange(m.rng.Span)
		return m.rangeChanged(), true
	default:
		for i, b := range k.Pane {
			if key.Matches(msg, b) && i < len(m.panes) {
				m.active = i
				m.backStack = nil
				return nil, true
			}
		}
		return nil, false
	}
	return nil, true
}

const headerLines, footerLines = 2, 1

func (m *Model) layout() {
	h := max(1, m.height-headerLines-footerLines)
	for _, p := range m.panes {
		p.SetSize(m.width, h)
	}
	m.help.Width = m.width
}

// View renders header, pane and footer. It does no I/O.
func (m *Model) View() string {
	if m.width == 0 {
		return "starting reltui…"
	}
	body := m.panes[m.active].View()
	if m.showStatus {
		body = m.statusTable(m.width) + "\n" + m.styles.Muted.Render("esc to close")
	}
	if m.showHelp {
		body = m.fullHelp()
	}
	bodyH := max(1, m.height-headerLines-footerLines)
	if m.palette.open && bodyH > 1 {
		// The suggestion line takes the body's last row.
		hint, _ := m.palette.view(m.styles, m.width)
		body = lipgloss.NewStyle().Width(m.width).Height(bodyH-1).MaxHeight(bodyH-1).Render(body) + "\n" + hint
	}
	body = lipgloss.NewStyle().Width(m.width).Height(bodyH).MaxHeight(bodyH).Render(body)
	return lipgloss.JoinVertical(lipgloss.Left, m.header(), m.tabs(), body, m.footer())
}

func (m *Model) header() string {
	now := m.deps.Now()
	st := m.styles
	left := st.HeaderKey.Render("ctx ") + st.HeaderVal.Render(m.ctxName) +
		st.Muted.Render(" │ ") + st.HeaderVal.Render(m.rng.Label(now))
	for _, compact := range []bool{false, true} {
		parts := make([]string, 0, len(m.backends))
		for _, b := range m.backends {
			parts = append(parts, m.healthBadge(b, now, compact))
		}
		line := left + st.Muted.Render(" │ ") + strings.Join(parts, " ")
		if lipgloss.Width(line) <= m.width || compact {
			return lipgloss.NewStyle().MaxWidth(m.width).Render(line)
		}
	}
	return left
}

// shortNames keep the header on one line at 80 columns.
var shortNames = map[string]string{"prometheus": "prom", "alertmanager": "am", "jaeger": "jgr", "loki": "loki", "victorialogs": "vlogs"}

func (m *Model) healthBadge(b *backendStatus, now time.Time, compact bool) string {
	st := m.styles
	name := b.Name
	if compact {
		if s, ok := shortNames[name]; ok {
			name = s
		}
	}
	switch b.state {
	case healthOK:
		age := ageLabel(now, b.lastOK)
		return st.OK.Render("✓"+name) + st.Muted.Render(" "+age)
	case healthDown:
		label := "✗" + name + " " + b.errKind.String()
		if !b.lastOK.IsZero() && !compact {
			label += ", ok " + agoLabel(now, b.lastOK)
		}
		return st.Error.Render(label)
	case healthChecking:
		return st.Muted.Render("…" + name)
	}
	return st.Muted.Render("?" + name)
}

func (m *Model) tabs() string {
	parts := make([]string, len(m.panes))
	for i, p := range m.panes {
		label := fmt.Sprintf("%d %s", i+1, p.Title())
		if i == m.active {
			if m.styles.Palette.Mono {
				// Attributes may be stripped too (ASCII profile); brackets
				// always show which pane is active.
				label = "[" + label + "]"
			}
			parts[i] = m.styles.ActiveTab.Render(label)
		} else {
			parts[i] = m.styles.Tab.Render(label)
		}
	}
	return lipgloss.NewStyle().MaxWidth(m.width).Render(strings.Join(parts, ""))
}

func (m *Model) footer() string {
	if m.palette.open {
		_, line := m.palette.view(m.styles, m.width)
		return line
	}
	if m.flash != "" {
		return lipgloss.NewStyle().MaxWidth(m.width).Render(m.styles.Warning.Render(m.flash))
	}
	bindings := m.panes[m.active].ShortHelp()
	if !paneEditing(m.panes[m.active]) {
		// While a pane's input has the keyboard, the global keys are text.
		bindings = append(bindings, m.keys.ShortHelp()...)
	}
	return lipgloss.NewStyle().MaxWidth(m.width).Render(m.help.ShortHelpView(bindings))
}

func (m *Model) fullHelp() string {
	title := m.styles.Title.Render("Keys") + m.styles.Muted.Render("  (? or esc to close)")
	if m.deps.Version != "" {
		title += m.styles.Muted.Render("  reltui " + m.deps.Version)
	}
	p := m.panes[m.active]
	return title + "\n\n" +
		m.styles.Subtle.Render(p.Title()) + "\n" + m.helpBlocks(p.FullHelp()) + "\n" +
		m.styles.Subtle.Render("Everywhere") + "\n" + m.helpBlocks(m.keys.FullHelp())
}

// helpBlocks lays key groups out as columns that wrap onto more rows when
// the terminal is narrow, so no key is cut off at 80 columns.
func (m *Model) helpBlocks(groups [][]key.Binding) string {
	var blocks []string
	for _, g := range groups {
		kw := 0
		for _, b := range g {
			if b.Enabled() {
				kw = max(kw, lipgloss.Width(b.Help().Key))
			}
		}
		var lines []string
		for _, b := range g {
			if !b.Enabled() || b.Help().Key == "" {
				continue
			}
			k := b.Help().Key
			lines = append(lines, m.styles.HelpKey.Render(k+strings.Repeat(" ", kw-lipgloss.Width(k)))+" "+m.styles.HelpDesc.Render(b.Help().Desc))
		}
		if len(lines) > 0 {
			blocks = append(blocks, strings.Join(lines, "\n"))
		}
	}
	var rows []string
	var row []string
	rowW := 0
	const gap = 3
	for _, bl := range blocks {
		w := lipgloss.Width(bl)
		if len(row) > 0 && rowW+gap+w > m.width {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
			row, rowW = nil, 0
		}
		if len(row) > 0 {
			row = append(row, strings.Repeat(" ", gap))
			rowW += gap
		}
		row = append(row, bl)
		rowW += w
	}
	if len(row) > 0 {
		rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
	}
	return strings.Join(rows, "\n")
}

// statusTable shows each backend's state in full: address, last good
// answer, latency, and the reason it is down.
func (m *Model) statusTable(width int) string {
	st := m.styles
	now := m.deps.Now()
	var b strings.Builder
	b.WriteString(st.Title.Render("Backends") + "\n")
	if len(m.backends) == 0 {
		b.WriteString(st.Warning.Render("No backends configured for this context; see `reltui config check`.") + "\n")
	}
	for _, s := range m.backends {
		var state string
		switch s.state {
		case healthOK:
			state = st.OK.Render("ok") + st.Muted.Render(fmt.Sprintf("  %s, checked %s", s.latency.Round(time.Millisecond), agoLabel(now, s.checked)))
		case healthDown:
			last := "never answered"
			if !s.lastOK.IsZero() {
				last = "last good answer " + agoLabel(now, s.lastOK)
			}
			state = st.Error.Render(s.errKind.String()) + st.Muted.Render("  "+last)
		case healthChecking:
			state = st.Muted.Render("checking…")
		default:
			state = st.Muted.Render("not checked yet")
		}
		line := fmt.Sprintf("  %-13s %s  %s", s.Name, st.Subtle.Render(fmt.Sprintf("%-24s", s.Addr)), state)
		b.WriteString(lipgloss.NewStyle().MaxWidth(width).Render(line) + "\n")
		if s.state == healthDown && s.errMsg != "" {
			for _, l := range strings.Split(wrapText(s.errMsg, max(20, width-6)), "\n") {
				b.WriteString("    " + st.Muted.Render(l) + "\n")
			}
		}
	}
	return b.String()
}
