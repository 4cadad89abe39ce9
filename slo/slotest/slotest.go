// Package slotest holds what tests of SLO code in several packages share:
// a set of SLOs to evaluate and a reader for Prometheus rule files in the
// shape the rules API returns them.
package slotest

import (
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/reltui/reltui/slo"
	"github.com/reltui/reltui/sources/prom"
)

// SLOs are availability SLOs of three services and the latency SLO of one,
// over http_requests_total and its histogram, as a config might declare.
func SLOs() []slo.SLO {
	avail := func(svc string) slo.SLO {
		return slo.SLO{
			Name: svc + "-availability", Service: svc, Objective: 0.999, Window: slo.DefaultWindow, Source: slo.SourceConfig,
			SLI: slo.SLI{Kind: slo.KindEventRatio, Events: &slo.EventRatioSLI{
				Bad:   fmt.Sprintf(`sum(rate(http_requests_total{service=%q,code=~"5.."}[{{.window}}]))`, svc),
				Total: fmt.Sprintf(`sum(rate(http_requests_total{service=%q}[{{.window}}]))`, svc),
			}},
		}
	}
	return []slo.SLO{avail("payments"), avail("checkout"), avail("frontend"), {
		Name: "payments-latency", Service: "payments", Objective: 0.99, Window: slo.DefaultWindow, Source: slo.SourceConfig,
		SLI: slo.SLI{Kind: slo.KindLatency, Latency: &slo.LatencySLI{
			Metric: "http_request_duration_seconds", Matchers: `service="payments"`, LE: "1",
		}},
	}}
}

// ReadRuleFile reads a Prometheus rule file into the rules API's shape.
func ReadRuleFile(path string) ([]prom.Rule, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseRules(data)
}

// ParseRules reads a rule file's text into the rules API's shape.
func ParseRules(data []byte) ([]prom.Rule, error) {
	var f struct {
		Groups []struct {
			Name  string
			Rules []struct {
				Record, Alert, Expr string
				Labels              map[string]string
			}
		}
	}
	if err := yaml.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	var out []prom.Rule
	for _, g := range f.Groups {
		for _, r := range g.Rules {
			pr := prom.Rule{Group: g.Name, Type: "recording", Name: r.Record, Query: strings.TrimSpace(r.Expr), Labels: r.Labels}
			if r.Alert != "" {
				pr.Type, pr.Name = "alerting", r.Alert
			}
			out = append(out, pr)
		}
	}
	return out, nil
}
