package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/ui/alerts"
	"github.com/reltui/reltui/ui/incidentpane"
	"github.com/reltui/reltui/ui/lagpane"
	"github.com/reltui/reltui/ui/metrics"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/request"
	"github.com/reltui/reltui/ui/slopane"
	"github.com/reltui/reltui/ui/traces"
)

// ContextSources is one context's clients and settings (pane.Sources).
type ContextSources = pane.Sources

// Session is who is at the keyboard and where incidents are kept
// (pane.Session).
type Session = pane.Session

// PaneEnv is everything a pane constructor gets from the root (pane.Env).
type PaneEnv = pane.Env

// paneSpec is one pane, in tab order.
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

// paneSpecs are the panes after Logs, which buildPanes puts first. Each
// pane package builds itself from the env; wiring a new pane is one line
// here.
func paneSpecs() []paneSpec {
	return []paneSpec{
		{pane.TargetMetrics, built(metrics.Build)},
		{pane.TargetTraces, built(traces.Build)},
		{pane.TargetRequest, built(request.Build)},
		{targetSLOs, built(slopane.Build)},
		{targetLag, built(lagpane.Build)},
		{targetAlerts, built(alerts.Build)},
		{pane.TargetIncidents, built(incidentpane.Build)},
	}
}

// built turns a pane package's Build into a spec's constructor.
func built[M model[M]](build func(pane.Env) M) func(PaneEnv) Pane {
	return func(env PaneEnv) Pane { return adapt(build(env)) }
}

// model is what a pane package's concrete model provides; Update returns
// the concrete type, so the pane needs no type assertions.
type model[M any] interface {
	screen
	Update(tea.Msg) (M, tea.Cmd)
}

// adapted wraps a concrete pane model as a Pane: the model's screen
// methods are its own, and it forwards the optional pane interfaces the
// model implements.
type adapted[M model[M]] struct{ model[M] }

func adapt[M model[M]](m M) Pane { return adapted[M]{m} }

func (a adapted[M]) Update(msg tea.Msg) (Pane, tea.Cmd) {
	m, cmd := a.model.Update(msg)
	return adapted[M]{m}, cmd
}

func (a adapted[M]) Editing() bool {
	e, ok := any(a.model).(pane.Editor)
	return ok && e.Editing()
}

func (a adapted[M]) AtRest() bool {
	r, ok := any(a.model).(pane.Rester)
	return !ok || r.AtRest()
}

func (a adapted[M]) Selection() (incidents.Evidence, bool) {
	if p, ok := any(a.model).(pane.Pinner); ok {
		return p.Selection()
	}
	return incidents.Evidence{}, false
}

func (a adapted[M]) Pivot(msg pane.PivotMsg) tea.Cmd {
	if p, ok := any(a.model).(pane.Pivoter); ok {
		return p.Pivot(msg)
	}
	return nil
}

func (a adapted[M]) Close() {
	if c, ok := any(a.model).(pane.Closer); ok {
		c.Close()
	}
}

// unwrap is the model an adapted pane wraps, for paneAs.
func (a adapted[M]) unwrap() any { return a.model }

// The root's own optional interfaces, asked through paneAs.
type (
	// runner is a pane that runs a query given as text (":logs QUERY").
	runner interface{ Run(query string) tea.Cmd }
	// keeper is a pane whose query and history outlive it: the pane that
	// replaces it (a theme change, a context switch) is given them before
	// its Init, and the root persists the history.
	keeper interface {
		Query() string
		History() []string
		SetQuery(query string)
		SetHistory(history []string)
	}
)

// paneAs finds the optional interface T on p or on the model it wraps.
func paneAs[T any](p Pane) (T, bool) {
	if t, ok := p.(T); ok {
		return t, true
	}
	if u, ok := p.(interface{ unwrap() any }); ok {
		t, ok := u.unwrap().(T)
		return t, ok
	}
	var zero T
	return zero, false
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
