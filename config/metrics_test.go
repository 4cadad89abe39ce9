package config

import (
	"strings"
	"testing"
)

func metricsDoc(block string) string {
	return "contexts:\n  p:\n    prometheus: {url: http://x}\n    metrics:\n" + block
}

func TestMetricsValid(t *testing.T) {
	doc := metricsDoc("      service_label: app\n      templates:\n" +
		"        traffic: 'sum(rate(http_server_requests_total{ {{ selector }} }[{{window}}]))'\n" +
		"        latency: 'histogram_quantile({{quantile}}, sum by (le) (rate(x_bucket{app=\"{{service}}\"}[{{window}}])))'\n")
	f, err := Parse([]byte(doc), "c.yaml", testEnv(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	m := f.Contexts["p"].Metrics
	if m.Label() != "app" {
		t.Fatalf("Label = %q", m.Label())
	}
	ts := m.MetricsTemplates()
	if !strings.Contains(ts[MetricsTraffic], "http_server_requests_total") {
		t.Errorf("override lost: %q", ts[MetricsTraffic])
	}
	if ts[MetricsErrors] != DefaultMetricsTemplates()[MetricsErrors] {
		t.Errorf("a template left out must keep its default, got %q", ts[MetricsErrors])
	}
	got := ExpandMetricsTemplate(ts[MetricsTraffic], map[string]string{"service_label": "app", "service": "pay\"ments", "window": "75s"})
	if want := `sum(rate(http_server_requests_total{ app="pay\"ments" }[75s]))`; got != want {
		t.Errorf("expand = %s, want %s", got, want)
	}
}

func TestMetricsNilKeepsDefaults(t *testing.T) {
	var m *Metrics
	if m.Label() != DefaultServiceLabel || len(m.MetricsTemplates()) != len(MetricsTemplateNames()) {
		t.Fatal("a nil Metrics must give the defaults")
	}
}

// The defaults must pass the same validation users' templates do.
func TestDefaultTemplatesValidate(t *testing.T) {
	f := &File{}
	if ps := f.validateMetrics("m", &Metrics{Templates: DefaultMetricsTemplates()}); len(ps) != 0 {
		t.Fatalf("defaults do not validate: %v", ps)
	}
}

func TestMetricsProblems(t *testing.T) {
	cases := []struct{ name, block, want string }{
		{"unknown template", "      templates:\n        latncy: 'x{ {{selector}} }'\n",
			`c.yaml:6:9: contexts.p.metrics.templates.latncy: unknown template "latncy" (have: latency, traffic, errors, saturation, exemplars)`},
		{"empty template", "      templates:\n        traffic: '  '\n", "contexts.p.metrics.templates.traffic: template is empty"},
		{"unknown placeholder", "      templates:\n        traffic: 'sum(rate(x{ {{selectr}} }[5m]))'\n", "unknown placeholder {{selectr}}"},
		{"unbalanced", "      templates:\n        traffic: 'sum(rate(x{ {{selector} }[5m]))'\n", "unbalanced {{ or }}"},
		{"latency without quantile", "      templates:\n        latency: 'histogram_quantile(0.99, x{ {{selector}} })'\n", "latency template must use {{quantile}}"},
		{"quantile elsewhere", "      templates:\n        traffic: 'x{ {{selector}} } * {{quantile}}'\n", "only the latency template may use {{quantile}}"},
		{"no service", "      templates:\n        errors: 'sum(rate(errors_total[5m]))'\n", "template does not use {{service}} or {{selector}}"},
		{"bad label", "      service_label: 'service-name'\n", `contexts.p.metrics.service_label: "service-name" is not a Prometheus label name`},
		{"unknown key", "      service_lable: x\n", "unknown key"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(metricsDoc(c.block)), "c.yaml", testEnv(nil, nil))
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error:\n%v\nwant it to contain:\n%s", err, c.want)
			}
		})
	}
}
