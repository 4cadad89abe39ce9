package ui

import (
	"context"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/slo"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/alertmanager"
	"github.com/reltui/reltui/sources/jaeger"
	"github.com/reltui/reltui/sources/prom"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/pane"
)

// ContextSources is one context's clients and settings. A nil client is a
// backend the context does not configure.
type ContextSources struct {
	Name   string
	Config *config.Context
	// ConfigFile is the file Config was read from ("" without one).
	ConfigFile string
	// Logs is the context's log backend (Loki or VictoriaLogs).
	Logs         sources.LogBackend
	Prom         *prom.Client
	Alertmanager *alertmanager.Client
	Jaeger       *jaeger.Client
	// SLOs are the context's configured SLOs, read when the context was
	// opened (never in Update); SLOsConfigured is false when the context
	// names none, and SLOErr says why they could not be read.
	SLOs           []slo.SLO
	SLOsConfigured bool
	SLOErr         error
}

// Session is who is at the keyboard and where incidents are kept. In
// `reltui serve` each SSH session has its own; locally it is the OS user.
type Session struct {
	User string
	// Role is viewer, responder or commander (incidents.Role names).
	Role      string
	Incidents incidents.Store
	// Categories are the root-cause categories the config's incidents
	// block allows; nil is incidents.DefaultCategories.
	Categories []string
}

// PaneEnv is everything a pane constructor gets from the root.
type PaneEnv struct {
	ID       string
	Renderer *lipgloss.Renderer
	Palette  themes.Palette
	Now      func() time.Time
	// Parent is cancelled when the context switches or the console ends.
	Parent   context.Context
	From, To time.Time
	Live     bool
	Ctx      ContextSources
	Session  Session
	// Env reads the files and environment variables clients need; use
	// it only inside a Cmd.
	Env config.Env
	// Status renders the backend status table (for placeholders and
	// panes whose backend is missing).
	Status        func(width int) string
	Width, Height int
}

// paneSpec is one pane after Logs, in tab order.
type paneSpec struct {
	target pane.Target
	build  func(PaneEnv) Pane
}

// Targets of panes that no pivot names, used only to find them.
const (
	targetSLOs   pane.Target = "slos"
	targetLag    pane.Target = "lag"
	targetAlerts             = pane.TargetAlerts
)

func paneSpecs() []paneSpec {
	return []paneSpec{
		{pane.TargetMetrics, newMetricsPane},
		{pane.TargetTraces, newTracesPane},
		{pane.TargetRequest, newRequestPane},
		{targetSLOs, newSLOsPane},
		{targetLag, newLagPane},
		{targetAlerts, newAlertsPane},
		{pane.TargetIncidents, newIncidentsPane},
	}
}

// model is what a pane package's concrete model provides; Update returns
// the concrete type, so the pane needs no type assertions.
type model[M any] interface {
	Title() string
	Init() tea.Cmd
	Update(tea.Msg) (M, tea.Cmd)
	View() string
	SetSize(width, height int)
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
}

// adapted wraps a concrete pane model as a Pane and forwards the optional
// pane interfaces it implements.
type adapted[M model[M]] struct{ m M }

func adapt[M model[M]](m M) Pane { return adapted[M]{m} }

func (a adapted[M]) Title() string             { return a.m.Title() }
func (a adapted[M]) Init() tea.Cmd             { return a.m.Init() }
func (a adapted[M]) View() string              { return a.m.View() }
func (a adapted[M]) SetSize(w, h int)          { a.m.SetSize(w, h) }
func (a adapted[M]) ShortHelp() []key.Binding  { return a.m.ShortHelp() }
func (a adapted[M]) FullHelp() [][]key.Binding { return a.m.FullHelp() }

func (a adapted[M]) Update(msg tea.Msg) (Pane, tea.Cmd) {
	m, cmd := a.m.Update(msg)
	return adapted[M]{m}, cmd
}

func (a adapted[M]) Editing() bool {
	e, ok := any(a.m).(pane.Editor)
	return ok && e.Editing()
}

func (a adapted[M]) AtRest() bool {
	r, ok := any(a.m).(pane.Rester)
	return !ok || r.AtRest()
}

func (a adapted[M]) Selection() (incidents.Evidence, bool) {
	if p, ok := any(a.m).(pane.Pinner); ok {
		return p.Selection()
	}
	return incidents.Evidence{}, false
}

func (a adapted[M]) Pivot(msg pane.PivotMsg) tea.Cmd {
	if p, ok := any(a.m).(pane.Pivoter); ok {
		return p.Pivot(msg)
	}
	return nil
}

func (a adapted[M]) Close() {
	if c, ok := any(a.m).(pane.Closer); ok {
		c.Close()
	}
}

// The root asks these of any Pane; a pane without the interface gets the
// neutral answer.
func paneEditing(p Pane) bool {
	e, ok := p.(pane.Editor)
	return ok && e.Editing()
}

func paneAtRest(p Pane) bool {
	r, ok := p.(pane.Rester)
	return !ok || r.AtRest()
}

func paneClose(p Pane) {
	if c, ok := p.(pane.Closer); ok {
		c.Close()
	}
}
