package ui

import (
	"fmt"
	"os/user"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/ui/pane"
)

// paneEnv is what a pane constructor gets for slot i.
func (m *Model) paneEnv(target pane.Target) PaneEnv {
	m.gen++
	from, to := m.rng.Bounds(m.deps.Now())
	return PaneEnv{
		ID:       fmt.Sprintf("%s-%d", target, m.gen),
		Renderer: m.deps.Renderer, Palette: m.styles.Palette, Now: m.deps.Now,
		Parent: m.cctx, From: from, To: to, Live: m.rng.Live(),
		Ctx: m.deps.Sources, Session: m.deps.Session, Env: m.deps.Env, Status: m.statusTable,
		Width: m.width, Height: max(1, m.height-headerLines-footerLines),
	}
}

// buildPanes (re)creates every pane after Logs for the current context
// and theme. The old panes are closed first.
func (m *Model) buildPanes() {
	for i := 1; i < len(m.panes); i++ {
		paneClose(m.panes[i])
	}
	m.panes = []Pane{logsPane{m.logs}}
	m.ids = []string{m.logs.ID()}
	m.targets = []pane.Target{pane.TargetLogs}
	for _, s := range paneSpecs() {
		env := m.paneEnv(s.target)
		p := s.build(env)
		if m.width > 0 {
			p.SetSize(env.Width, env.Height)
		}
		m.panes = append(m.panes, p)
		m.ids = append(m.ids, env.ID)
		m.targets = append(m.targets, s.target)
	}
	m.backStack = nil
}

// initPanes starts every pane's first work. Panes not on screen are told
// so first, so a live pane does not start refreshing in the background.
func (m *Model) initPanes() tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(m.panes))
	for i := range m.panes {
		if i != m.active {
			cmds = append(cmds, m.updatePane(i, pane.VisibleMsg{}))
		}
		cmds = append(cmds, m.panes[i].Init())
	}
	return tea.Batch(cmds...)
}

// route delivers an async result to the pane it belongs to, shown or not.
// A result for a pane that no longer exists (a context switch, a theme
// change) is dropped.
func (m *Model) route(id string, msg tea.Msg) tea.Cmd {
	for i, pid := range m.ids {
		if pid == id {
			return m.updatePane(i, msg)
		}
	}
	return nil
}

func (m *Model) indexOf(t pane.Target) int {
	for i, pt := range m.targets {
		if pt == t {
			return i
		}
	}
	return -1
}

// pivot switches to the pane msg names and asks it to show msg; the pane
// left behind is remembered for back.
func (m *Model) pivot(msg pane.PivotMsg) tea.Cmd {
	i := m.indexOf(msg.Target)
	if i < 0 {
		m.flash = "nowhere to pivot to: " + string(msg.Target)
		return nil
	}
	if i != m.active {
		m.backStack = append(m.backStack, m.active)
		if len(m.backStack) > 32 {
			m.backStack = m.backStack[1:]
		}
	}
	m.active = i
	if i == 0 {
		var cmd tea.Cmd
		m.logs, cmd = m.logs.Pivot(msg)
		m.panes[0] = logsPane{m.logs}
		return cmd
	}
	pv, ok := m.panes[i].(pane.Pivoter)
	if !ok {
		return nil
	}
	return pv.Pivot(msg)
}

// back returns to the pane the last pivot left, with its state kept.
func (m *Model) back() {
	if n := len(m.backStack); n > 0 {
		m.active = m.backStack[n-1]
		m.backStack = m.backStack[:n-1]
	}
}

// pin takes what is under the cursor in the active pane to the Incidents
// pane.
func (m *Model) pin() tea.Cmd {
	p, ok := m.panes[m.active].(pane.Pinner)
	if !ok {
		m.flash = "nothing to pin in this pane"
		return nil
	}
	ev, ok := p.Selection()
	if !ok {
		m.flash = "nothing selected to pin; move the cursor to a line, span or chart first"
		return nil
	}
	return m.deliverPin(pane.PinMsg{Evidence: ev})
}

func (m *Model) deliverPin(msg pane.PinMsg) tea.Cmd {
	i := m.indexOf(pane.TargetIncidents)
	if i < 0 {
		m.flash = "no Incidents pane to pin to"
		return nil
	}
	if _, placeholder := m.panes[i].(*comingSoon); placeholder {
		m.flash = "pinning needs the Incidents pane, which is not built yet"
		return nil
	}
	return m.updatePane(i, msg)
}

// extractorFor builds the context's ID rules; a rule the config check
// would already have refused falls back to the defaults.
func extractorFor(cs ContextSources) *correlate.Extractor {
	if cs.Config == nil || cs.Config.Correlate == nil || len(cs.Config.Correlate.Rules) == 0 {
		return correlate.DefaultExtractor()
	}
	specs := make([]correlate.RuleSpec, len(cs.Config.Correlate.Rules))
	for i, r := range cs.Config.Correlate.Rules {
		specs[i] = correlate.RuleSpec{ID: r.ID, From: r.From, Key: r.Key, Regex: r.Regex}
	}
	x, err := correlate.NewExtractor(specs)
	if err != nil {
		return correlate.DefaultExtractor()
	}
	return x
}

// localUser names the author of local writes.
func localUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "local"
}
