package config

import (
	"fmt"
	"strings"
)

// ChangeSource is one place a context's deploys and config changes come
// from, drawn as markers on the Metrics pane's charts:
//
//	changes:
//	  - name: deploys
//	    kind: deploy                  # default "deploy"
//	    promql: app_build_info        # a new label set (version) is a deploy,
//	    service_label: service        # a new value (a generation) a rollout
//	  - name: config
//	    kind: config
//	    logs: '{service=~".+"} "config reloaded"'   # every line is a change
//
// PromQL is an expression whose changes are events: a build-info series
// (value 1, a label per version) or a deployment-generation series. The
// service label names the service changed (default: the metrics service
// label, else "service").
type ChangeSource struct {
	Name   string `yaml:"name"`
	Kind   string `yaml:"kind"`
	PromQL string `yaml:"promql"`
	// Logs, instead of PromQL, is a log query in the context's log
	// backend's language (LogQL or LogsQL) whose every line is a change.
	Logs         string `yaml:"logs"`
	ServiceLabel string `yaml:"service_label"`
}

// DefaultChangeKind is a change source's kind unless it names one.
const DefaultChangeKind = "deploy"

// KindOr returns the source's kind, or DefaultChangeKind.
func (c ChangeSource) KindOr() string {
	if k := strings.TrimSpace(c.Kind); k != "" {
		return k
	}
	return DefaultChangeKind
}

// LabelOr returns the source's service label, or fallback.
func (c ChangeSource) LabelOr(fallback string) string {
	if c.ServiceLabel != "" {
		return c.ServiceLabel
	}
	return fallback
}

func (f *File) validateChanges(key string, cs []ChangeSource) []Problem {
	var ps []Problem
	names := map[string]bool{}
	for i, c := range cs {
		k := fmt.Sprintf("%s[%d]", key, i)
		switch {
		case strings.TrimSpace(c.Name) == "":
			ps = append(ps, f.problem(k+".name", "a change source needs a name"))
		case names[c.Name]:
			ps = append(ps, f.problem(k+".name", "another change source is called %q", c.Name))
		}
		names[c.Name] = true
		switch prom, logs := strings.TrimSpace(c.PromQL) != "", strings.TrimSpace(c.Logs) != ""; {
		case !prom && !logs:
			ps = append(ps, f.problem(k+".promql", "a change source needs a PromQL expression whose changes are events (e.g. app_build_info) or a log query (logs:) whose lines are"))
		case prom && logs:
			ps = append(ps, f.problem(k+".logs", "a change source reads promql or logs, not both (make two sources)"))
		}
		if c.ServiceLabel != "" && !labelNameRE.MatchString(c.ServiceLabel) {
			ps = append(ps, f.problem(k+".service_label", "%q is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)", c.ServiceLabel))
		}
	}
	return ps
}
