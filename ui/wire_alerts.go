package ui

import (
	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/alertnoise"
	"github.com/reltui/reltui/incidents/alertstart"
	"github.com/reltui/reltui/incidents/runbook"
	"github.com/reltui/reltui/ui/alerts"
	"github.com/reltui/reltui/ui/pane"
)

// newAlertsPane builds the Alerts pane on the context's Prometheus and
// Alertmanager, declaring into the session's incident store, with the
// context's runbooks: settings.
func newAlertsPane(env PaneEnv) Pane {
	var srcs []alerts.Source
	if c := env.Ctx.Prom; c != nil {
		srcs = append(srcs, alerts.PromSource(c))
	}
	if c := env.Ctx.Alertmanager; c != nil {
		srcs = append(srcs, alerts.AlertmanagerSource(c))
	}
	var noise alerts.NoiseSource
	var q alertstart.Querier
	if c := env.Ctx.Prom; c != nil {
		q = c
		var incs alertnoise.IncidentLister
		if s := env.Session.Incidents; s != nil {
			incs = s
		}
		noise = alerts.NewNoiseSource(c, incs)
	}
	var graf incidents.Grafana
	var rb runbook.Options
	if cfg := env.Ctx.Config; cfg != nil {
		if cfg.Grafana != nil {
			graf = incidents.Grafana{URL: cfg.Grafana.URL, OrgID: cfg.Grafana.OrgID, Datasource: cfg.Grafana.PrometheusDatasource}
		}
		rb = cfg.RunbookOptions(env.Ctx.ConfigFile)
	}
	m := alerts.New(alerts.Config{
		Basics:   pane.Basics{ID: env.ID, Renderer: env.Renderer, Now: env.Now, Parent: env.Parent},
		Sources:  srcs,
		Store:    env.Session.Incidents,
		Author:   env.Session.User,
		Role:     env.Session.Role,
		Grafana:  graf,
		Palette:  env.Palette,
		Runbooks: rb,
		Noise:    noise,
		Prom:     q,
	})
	m.SetSize(env.Width, env.Height)
	return adapt(m)
}
