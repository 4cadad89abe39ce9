package alerts

import (
	"github.com/reltui/reltui/incidents"
	"github.com/reltui/reltui/incidents/alertnoise"
	"github.com/reltui/reltui/incidents/alertstart"
	"github.com/reltui/reltui/incidents/runbook"
	"github.com/reltui/reltui/ui/pane"
)

// Build builds the Alerts pane on the context's Prometheus and
// Alertmanager, declaring into the session's incident store, with the
// context's runbooks: settings.
func Build(env pane.Env) *Model {
	var srcs []Source
	if c := env.Ctx.Prom; c != nil {
		srcs = append(srcs, PromSource(c))
	}
	if c := env.Ctx.Alertmanager; c != nil {
		srcs = append(srcs, AlertmanagerSource(c))
	}
	var noise NoiseSource
	var q alertstart.Querier
	if c := env.Ctx.Prom; c != nil {
		q = c
		var incs alertnoise.IncidentLister
		if s := env.Session.Incidents; s != nil {
			incs = s
		}
		noise = NewNoiseSource(c, incs)
	}
	var graf incidents.Grafana
	var rb runbook.Options
	if cfg := env.Ctx.Config; cfg != nil {
		if cfg.Grafana != nil {
			graf = incidents.Grafana{URL: cfg.Grafana.URL, OrgID: cfg.Grafana.OrgID, Datasource: cfg.Grafana.PrometheusDatasource}
		}
		rb = cfg.RunbookOptions(env.Ctx.ConfigFile)
	}
	m := New(Config{
		Basics:   env.Basics(),
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
	return m
}
