package ui

import (
	"github.com/reltui/reltui/config"
	slolag "github.com/reltui/reltui/slo/lag"
	"github.com/reltui/reltui/sources/kafka"
	"github.com/reltui/reltui/ui/lag"
)

// newLagPane builds the Lag pane for one context: kafka_exporter's series
// from its Prometheus (queries overridable under lag:), or the brokers
// under kafka: directly when lag.source says so or there is no Prometheus.
func newLagPane(env PaneEnv) Pane {
	cfg := lag.Config{
		ID: env.ID, Renderer: env.Renderer, Palette: env.Palette, Now: env.Now, Parent: env.Parent,
	}
	var closeKafka func()
	if c := env.Ctx.Config; c != nil {
		cfg.Window = c.Lag.WindowOr()
		cfg.Queries = c.LagQueries()
		switch c.LagSource() {
		case "prometheus":
			if env.Ctx.Prom != nil {
				cfg.Source = slolag.PromSource{Querier: env.Ctx.Prom, Queries: cfg.Queries}
				cfg.SourceName = "prometheus"
			}
		case "kafka":
			if c.Kafka == nil {
				break
			}
			// Building the client dials nothing; franz-go connects on
			// the first request, which runs in the pane's Cmd.
			if kc, err := c.Kafka.ClientConfig(config.OSEnv()); err == nil {
				if cl, err := kafka.New(kc); err == nil {
					cfg.Source = &slolag.KafkaSource{Reader: cl}
					cfg.SourceName = "kafka"
					closeKafka = cl.Close
				}
			}
		}
	}
	m := lag.New(cfg)
	m.SetSize(env.Width, env.Height)
	if closeKafka != nil {
		m.OnClose(closeKafka)
	}
	return adapt(m)
}
