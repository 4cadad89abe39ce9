package pane

import (
	"context"
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/slo"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/alertmanager"
	"github.com/reltui/reltui/sources/jaeger"
	"github.com/reltui/reltui/sources/prom"
	"github.com/reltui/reltui/themes"
)

// Sources is one context's clients and settings. A nil client is a
// backend the context does not configure.
type Sources struct {
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

// Env is everything a pane's constructor gets from the root: a pane
// package exports `func Build(env pane.Env) *Model` and the root lists
// it, so wiring a new pane is one line.
type Env struct {
	ID       string
	Renderer *lipgloss.Renderer
	Palette  themes.Palette
	Now      func() time.Time
	// Parent is cancelled when the context switches or the console ends.
	Parent   context.Context
	From, To time.Time
	Live     bool
	Ctx      Sources
	Session  Session
	// Env reads the files and environment variables clients need; use
	// it only inside a Cmd.
	Env config.Env
	// Status renders the backend status table (for placeholders and
	// panes whose backend is missing).
	Status        func(width int) string
	Width, Height int
}
