package lagpane

import (
	"context"
	"sync"
	"time"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/slo/lag"
	"github.com/reltui/reltui/sources/kafka"
	"github.com/reltui/reltui/ui/pane"
)

// Build builds the Lag pane for one context: kafka_exporter's series from
// its Prometheus (queries overridable under lag:), or the brokers under
// kafka: directly when lag.source says so or there is no Prometheus. It
// does no I/O: a Kafka client (its TLS files and secrets) is built by the
// pane's first fetch, in a Cmd, and its errors show on the pane.
func Build(env pane.Env) *Model {
	cfg := Config{Basics: env.Basics(), Palette: env.Palette}
	var closeKafka func()
	if c := env.Ctx.Config; c != nil {
		cfg.Window = c.Lag.WindowOr()
		cfg.Queries = c.LagQueries()
		switch c.LagSource() {
		case "prometheus":
			if env.Ctx.Prom != nil {
				cfg.Source = lag.PromSource{Querier: env.Ctx.Prom, Queries: cfg.Queries}
				cfg.SourceName = "prometheus"
			}
		case "kafka":
			if c.Kafka == nil {
				break
			}
			src := &lazyKafka{cfg: c.Kafka, env: env.Env}
			cfg.Source, cfg.SourceName, closeKafka = src, "kafka", src.Close
		}
	}
	m := New(cfg)
	m.SetSize(env.Width, env.Height)
	if closeKafka != nil {
		m.OnClose(closeKafka)
	}
	return m
}

// lazyKafka is the Lag pane's Kafka source, built on first use. Building
// reads the CA, certificate and key files and resolves the SASL secret,
// so it must not happen in Update: Partitions runs in the pane's Cmd. A
// build that fails is tried again on the next fetch (the file may have
// been fixed); one that succeeds is kept, with the lag history its
// KafkaSource tracks.
type lazyKafka struct {
	cfg *config.Kafka
	env config.Env

	mu     sync.Mutex
	src    *lag.KafkaSource
	client *kafka.Client
	closed bool
}

// Partitions implements Source.
func (k *lazyKafka) Partitions(ctx context.Context, group string, from, now time.Time) ([]lag.Partition, []string, error) {
	src, err := k.source()
	if err != nil {
		return nil, nil, err
	}
	return src.Partitions(ctx, group, from, now)
}

// source returns the built source, building it (outside the lock, so a
// Close from Update never waits on file reads) when there is none.
func (k *lazyKafka) source() (*lag.KafkaSource, error) {
	k.mu.Lock()
	src, closed := k.src, k.closed
	k.mu.Unlock()
	if src != nil {
		return src, nil
	}
	if closed {
		return nil, context.Canceled
	}
	kc, err := k.cfg.ClientConfig(k.env)
	if err != nil {
		return nil, err
	}
	cl, err := kafka.New(kc)
	if err != nil {
		return nil, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.closed || k.src != nil { // closed meanwhile, or another fetch won
		cl.Close()
		if k.closed {
			return nil, context.Canceled
		}
		return k.src, nil
	}
	k.src, k.client = &lag.KafkaSource{Reader: cl}, cl
	return k.src, nil
}

// Close releases the client's connections, if one was built.
func (k *lazyKafka) Close() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.closed = true
	if k.client != nil {
		k.client.Close()
		k.client = nil
	}
}
