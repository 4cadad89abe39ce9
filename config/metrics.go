package config

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Metrics overrides the Metrics pane's golden-signal PromQL for one
// context:
//
//	metrics:
//	  service_label: app            # default "service"
//	  templates:
//	    latency: histogram_quantile({{quantile}}, sum by (le) (rate(http_server_duration_seconds_bucket{ {{selector}} }[{{window}}])))
//	    traffic: sum(rate(http_server_duration_seconds_count{ {{selector}} }[{{window}}]))
//
// A template is PromQL with placeholders, replaced before each query:
//
//	{{service}}        the selected service, escaped for a "double-quoted" PromQL string
//	{{service_label}}  the label that names a service (service_label)
//	{{selector}}       shorthand for {{service_label}}="{{service}}"
//	{{window}}         the rate window: the query step plus one scrape, at least 1m (e.g. 75s)
//	{{quantile}}       latency only: 0.5, 0.95 and 0.99, one query each
//
// The templates are latency (seconds; must use {{quantile}}), traffic
// (requests per second), errors (a 0..1 ratio of failed requests),
// saturation (0..1 ratios; one line per series) and exemplars (the
// histogram bucket series whose exemplars mark the latency chart). Every
// template but exemplars must name the service ({{service}} or
// {{selector}}), or all services would show the same lines. A template
// left out keeps its default (DefaultMetricsTemplates).
//
// Without templates the pane detects which common naming the backend has
// (see MetricsSchemes) and reads that; scheme names one instead of
// detecting, and scrape_interval is the fastest live refresh (15s).
type Metrics struct {
	// ServiceLabel is the label that names a service (default: the
	// detected scheme's, else "service").
	ServiceLabel string `yaml:"service_label"`
	// Scheme names the naming scheme ("" or "auto": detect).
	Scheme string `yaml:"scheme"`
	// ScrapeInterval is the backend's scrape interval (default 15s).
	ScrapeInterval Duration `yaml:"scrape_interval"`
	// Templates overrides the default golden-signal queries by name.
	Templates map[string]string `yaml:"templates"`
}

// The metrics template names.
const (
	MetricsLatency    = "latency"
	MetricsTraffic    = "traffic"
	MetricsErrors     = "errors"
	MetricsSaturation = "saturation"
	MetricsExemplars  = "exemplars"
)

// DefaultServiceLabel is the label that names a service unless
// metrics.service_label says otherwise.
const DefaultServiceLabel = "service"

// MetricsTemplateNames lists the template names in the order the pane
// draws them.
func MetricsTemplateNames() []string {
	return []string{MetricsLatency, MetricsTraffic, MetricsErrors, MetricsSaturation, MetricsExemplars}
}

// MetricsPlaceholders lists the placeholders a template may use.
func MetricsPlaceholders() []string {
	return []string{"service", "service_label", "selector", "window", "quantile"}
}

// DefaultMetricsTemplates are the golden signals under Prometheus and
// OpenTelemetry naming: http_requests_total{service,route,code} and the
// http_request_duration_seconds histogram; saturation is the busiest of
// the service's CPU utilization and DB connection pool use.
func DefaultMetricsTemplates() map[string]string {
	return map[string]string{
		MetricsLatency:    `histogram_quantile({{quantile}}, sum by (le) (rate(http_request_duration_seconds_bucket{ {{selector}} }[{{window}}])))`,
		MetricsTraffic:    `sum(rate(http_requests_total{ {{selector}} }[{{window}}]))`,
		MetricsErrors:     `(sum(rate(http_requests_total{ {{selector}}, code=~"5.." }[{{window}}])) or vector(0)) / sum(rate(http_requests_total{ {{selector}} }[{{window}}]))`,
		MetricsSaturation: `max by (__name__) ({__name__=~"process_cpu_utilization|db_pool_in_use_ratio", {{selector}} })`,
		MetricsExemplars:  `http_request_duration_seconds_bucket{ {{selector}} }`,
	}
}

// MetricsTemplates returns the context's templates: the defaults with the
// configured overrides. m may be nil.
func (m *Metrics) MetricsTemplates() map[string]string {
	t := DefaultMetricsTemplates()
	if m != nil {
		for k, v := range m.Templates {
			if strings.TrimSpace(v) != "" {
				t[k] = v
			}
		}
	}
	return t
}

// Label returns the service label, or DefaultServiceLabel. m may be nil.
func (m *Metrics) Label() string {
	if m == nil || m.ServiceLabel == "" {
		return DefaultServiceLabel
	}
	return m.ServiceLabel
}

// ExpandMetricsTemplate replaces the placeholders in tmpl. vars holds
// the values of service_label, service, window and quantile; selector
// is built from the first two, and service is escaped here.
func ExpandMetricsTemplate(tmpl string, vars map[string]string) string {
	label := vars["service_label"]
	svc := escapePromQL(vars["service"])
	return placeholderRE.ReplaceAllStringFunc(tmpl, func(ph string) string {
		switch name := strings.TrimSpace(ph[2 : len(ph)-2]); name {
		case "service":
			return svc
		case "selector":
			return label + `="` + svc + `"`
		default:
			if v, ok := vars[name]; ok {
				return v
			}
		}
		return ph
	})
}

// escapePromQL makes s safe inside a double-quoted PromQL string.
func escapePromQL(s string) string {
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

var (
	placeholderRE = regexp.MustCompile(`\{\{[^{}]*\}\}`)
	labelNameRE   = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
)

func (f *File) validateMetrics(key string, m *Metrics) []Problem {
	var ps []Problem
	if m.ServiceLabel != "" && !labelNameRE.MatchString(m.ServiceLabel) {
		ps = append(ps, f.problem(key+".service_label", "%q is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)", m.ServiceLabel))
	}
	if sc := m.Scheme; sc != "" && sc != "auto" {
		if _, ok := MetricsSchemeByName(sc); !ok {
			ps = append(ps, f.problem(key+".scheme", "unknown scheme %q (have: auto, %s)", sc, strings.Join(MetricsSchemeNames(), ", ")))
		}
	}
	if m.ScrapeInterval < 0 {
		ps = append(ps, f.problem(key+".scrape_interval", "scrape interval must be positive"))
	}
	names := MetricsTemplateNames()
	known := MetricsPlaceholders()
	keys := make([]string, 0, len(m.Templates))
	for k := range m.Templates {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, name := range keys {
		tmpl := m.Templates[name]
		k := key + ".templates." + name
		if !slices.Contains(names, name) {
			ps = append(ps, f.problem(k, "unknown template %q (have: %s)", name, strings.Join(names, ", ")))
			continue
		}
		if strings.TrimSpace(tmpl) == "" {
			ps = append(ps, f.problem(k, "template is empty; leave it out to keep the default"))
			continue
		}
		used := map[string]bool{}
		for _, ph := range placeholderRE.FindAllString(tmpl, -1) {
			p := strings.TrimSpace(ph[2 : len(ph)-2])
			if !slices.Contains(known, p) {
				ps = append(ps, f.problem(k, "unknown placeholder %s (have: {{%s}})", ph, strings.Join(known, "}}, {{")))
			}
			used[p] = true
		}
		if rest := placeholderRE.ReplaceAllString(tmpl, ""); strings.Contains(rest, "{{") || strings.Contains(rest, "}}") {
			ps = append(ps, f.problem(k, "unbalanced {{ or }} in template"))
		}
		switch {
		case name == MetricsLatency && !used["quantile"]:
			ps = append(ps, f.problem(k, "latency template must use {{quantile}} (it is drawn at 0.5, 0.95 and 0.99)"))
		case name != MetricsLatency && used["quantile"]:
			ps = append(ps, f.problem(k, "only the latency template may use {{quantile}}"))
		}
		if name != MetricsExemplars && !used["service"] && !used["selector"] {
			ps = append(ps, f.problem(k, "template does not use {{service}} or {{selector}}, so every service would show the same lines"))
		}
	}
	return ps
}
