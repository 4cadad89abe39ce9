package alerts

import (
	"context"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/alertmanager"
	"github.com/reltui/reltui/sources/prom"
)

// Source is one place alerts come from. It is declared here, on the
// consumer side, so tests hand the pane fakes.
type Source interface {
	// Name is the backend, for error lines: "prometheus", "alertmanager".
	Name() string
	Alerts(ctx context.Context) ([]sources.Alert, error)
}

// PromSource reads the alerts Prometheus itself holds (pending and firing).
func PromSource(c *prom.Client) Source { return promSource{c} }

// AlertmanagerSource reads Alertmanager's alerts (active and suppressed).
func AlertmanagerSource(c *alertmanager.Client) Source { return amSource{c} }

type promSource struct{ c *prom.Client }

func (s promSource) Name() string { return "prometheus" }
func (s promSource) Alerts(ctx context.Context) ([]sources.Alert, error) {
	return s.c.Alerts(ctx)
}

type amSource struct{ c *alertmanager.Client }

func (s amSource) Name() string { return "alertmanager" }
func (s amSource) Alerts(ctx context.Context) ([]sources.Alert, error) {
	return s.c.Alerts(ctx, nil)
}
