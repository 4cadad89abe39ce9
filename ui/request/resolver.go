package request

import (
	"fmt"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/correlate/changes"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/jaeger"
	"github.com/reltui/reltui/sources/prom"
)

// ResolverConfig turns a context's correlate block (nil for none) and its
// clients (nil when not configured) into the resolver's configuration.
// The headless `reltui request` command and the pane share it, so both
// search the same way.
func ResolverConfig(c *config.Correlate, lc sources.LogBackend, jc *jaeger.Client) (correlate.Config, error) {
	var cfg correlate.Config
	// A nil *Client in the interface would look configured; keep nil nil.
	if lc != nil {
		cfg.Logs = lc
	}
	if jc != nil {
		cfg.Traces = jc
	}
	if c == nil {
		return cfg, nil
	}
	specs := make([]correlate.RuleSpec, len(c.Rules))
	for i, r := range c.Rules {
		specs[i] = correlate.RuleSpec{ID: r.ID, From: r.From, Key: r.Key, Regex: r.Regex}
	}
	x, err := correlate.NewExtractor(specs)
	if err != nil {
		return cfg, fmt.Errorf("correlate: %w", err)
	}
	cfg.Extractor = x
	cfg.Selectors = c.Selectors
	cfg.Pad = c.Pad.Std()
	cfg.TraceTag = c.TraceTag
	return cfg, nil
}

// ChangeFeeds turns a context's change sources (nil for no context) and
// its clients (nil when not configured) into the feeds the request view
// lists changes from. A source without a service label uses the metrics
// service label, as the Metrics pane's markers do. The feeds are empty
// when the context configures no change source.
func ChangeFeeds(c *config.Context, pc *prom.Client, lc sources.LogBackend) changes.Feeds {
	var f changes.Feeds
	if c == nil {
		return f
	}
	for _, s := range c.Changes {
		f.Sources = append(f.Sources, changes.Source{Name: s.Name, Kind: s.KindOr(), Expr: s.PromQL, Logs: s.Logs,
			ServiceLabel: s.LabelOr(c.Metrics.Label())})
	}
	// A nil *Client in the interface would look configured; keep nil nil.
	if pc != nil {
		f.Prom = pc
	}
	if lc != nil {
		f.Logs = lc
	}
	return f
}
