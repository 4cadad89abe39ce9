package ui

import (
	"context"
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/sources/sanitize"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane"
)

// runPalette carries out one ":" command.
func (m *Model) runPalette(msg paletteRunMsg) tea.Cmd {
	switch msg.verb {
	case "q", "quit":
		m.Close()
		return tea.Quit
	case "help":
		m.showHelp = true
	case "status":
		m.showStatus = true
	case "logs":
		m.showPane(pane.TargetLogs)
		if i := m.indexOf(pane.TargetLogs); i >= 0 && msg.arg != "" {
			if r, ok := paneAs[runner](m.panes[i]); ok {
				return r.Run(msg.arg)
			}
		}
		return nil
	case "metrics":
		if msg.arg == "" {
			m.showPane(pane.TargetMetrics)
			return nil
		}
		return m.pivot(pane.PivotMsg{Target: pane.TargetMetrics, Query: msg.arg})
	case "slos", "lag", "alerts", "incidents":
		m.showPane(pane.Target(msg.verb))
	case "range":
		r, err := parseRange(msg.arg, m.rng, m.deps.Now())
		if err != nil {
			m.flash = ":range: " + sanitize.Line(err.Error())
			return nil
		}
		m.rng = r
		return m.rangeChanged()
	case "theme":
		p, err := themes.ByName(msg.arg)
		if err != nil {
			m.flash = ":theme: " + sanitize.Line(err.Error())
			return nil
		}
		if m.styles.Palette.Mono && !p.Mono {
			m.flash = "colours are off (NO_COLOR or a plain terminal); keeping no-color"
			return nil
		}
		m.applyTheme(p)
		// Styles are fixed at construction: rebuild the panes. A keeper
		// (Logs) keeps its query and history.
		m.buildPanes(m.keep(true))
		return m.initPanes()
	case "ctx":
		return m.openContext(msg.arg)
	case "request":
		if msg.arg == "" {
			m.showPane(pane.TargetRequest)
			return nil
		}
		return m.pivot(pane.PivotMsg{Target: pane.TargetRequest, RequestID: msg.arg})
	case "trace", "traces":
		if msg.arg == "" {
			m.showPane(pane.TargetTraces)
			return nil
		}
		return m.pivot(pane.PivotMsg{Target: pane.TargetTraces, TraceID: msg.arg})
	default:
		names := make([]string, len(paletteCommands))
		for i, c := range paletteCommands {
			names[i] = c.name
		}
		m.flash = fmt.Sprintf("unknown command %q; try %s", sanitize.Line(msg.verb), strings.Join(names, ", "))
	}
	return nil
}

// showPane puts the pane for t on screen, as its number key does.
func (m *Model) showPane(t pane.Target) {
	if i := m.indexOf(t); i >= 0 {
		m.active = i
		m.backStack = nil
		return
	}
	m.flash = "no " + string(t) + " pane in this console"
}

// openContext starts opening another context in a Cmd.
func (m *Model) openContext(name string) tea.Cmd {
	if name == "" {
		m.flash = ":ctx needs a name: " + strings.Join(m.deps.Contexts, ", ")
		return nil
	}
	if name == m.ctxName {
		m.flash = "already on context " + name
		return nil
	}
	if m.deps.OpenContext == nil {
		m.flash = "switching context is not available here"
		return nil
	}
	m.ctxGen++
	gen, open := m.ctxGen, m.deps.OpenContext
	m.flash = "opening context " + sanitize.Line(name) + "…"
	return func() tea.Msg {
		d, err := open(name)
		return ctxOpenedMsg{gen: gen, deps: d, err: err}
	}
}

// switchContext drops every piece of per-context state: queries, tails,
// results, health, and connections. Only the time range carries over.
func (m *Model) switchContext(msg ctxOpenedMsg) tea.Cmd {
	if msg.gen != m.ctxGen {
		if msg.deps.Close != nil {
			msg.deps.Close() // a newer switch won
		}
		return nil
	}
	if msg.err != nil {
		m.flash = "cannot open context: " + sanitize.Line(msg.err.Error())
		return nil
	}
	kept := m.keep(false)
	m.ccancel()
	if m.ctxClose != nil {
		m.ctxClose()
	}
	m.cctx, m.ccancel = context.WithCancel(m.ctx)
	m.ctxName, m.ctxClose = msg.deps.Name, msg.deps.Close
	m.deps.Logs = msg.deps.Logs
	m.deps.Sources = msg.deps.Sources
	if m.deps.Sources.Name == "" {
		m.deps.Sources.Name = msg.deps.Name
	}
	m.backends = nil
	for _, b := range msg.deps.Backends {
		m.backends = append(m.backends, &backendStatus{Backend: b})
	}
	m.probeSeq++
	m.pending = 0
	m.buildPanes(kept)
	m.flash = "switched to context " + sanitize.Line(m.ctxName)
	return tea.Batch(m.probeRound(), m.initPanes())
}
