package request

import (
	"fmt"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/jaeger"
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
