package ui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/ui/logs"
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

// kept is what a keeper pane hands on to the pane that replaces it.
type kept struct {
	query   string
	history []string
}

// keep collects what the keeper panes hand on, by target: their history,
// and with query their query too (a theme change keeps both, a context
// switch only the history).
func (m *Model) keep(query bool) map[pane.Target]kept {
	out := map[pane.Target]kept{}
	for i, p := range m.panes {
		if k, ok := paneAs[keeper](p); ok {
			c := kept{history: k.History()}
			if query {
				c.query = k.Query()
			}
			out[m.targets[i]] = c
		}
	}
	return out
}

// buildPanes (re)creates every pane, Logs first, for the current context
// and theme; carry gives each keeper the query and history of the pane it
// replaces. The old panes are closed first.
func (m *Model) buildPanes(carry map[pane.Target]kept) {
	for _, p := range m.panes {
		paneClose(p)
	}
	m.panes, m.ids, m.targets = nil, nil, nil
	for _, s := range append([]paneSpec{{pane.TargetLogs, m.logsSpec}}, paneSpecs()...) {
		env := m.paneEnv(s.target)
		p := s.build(env)
		if k, ok := paneAs[keeper](p); ok {
			k.SetQuery(carry[s.target].query)
			k.SetHistory(carry[s.target].history)
		}
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

// logsSpec builds the Logs pane over the session's log source (see
// logs.Build).
func (m *Model) logsSpec(env PaneEnv) Pane { return adapt(logs.Build(env, m.deps.Logs)) }
