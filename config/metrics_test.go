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

func TestMetricsSchemeAndScrapeInterval(t *testing.T) {
	f, err := Parse([]byte(metricsDoc("      scheme: istio\n      scrape_interval: 30s\n")), "c.yaml", testEnv(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	m := f.Contexts["p"].Metrics
	if m.Scheme != SchemeIstio || m.ScrapeInterval.Std().String() != "30s" {
		t.Fatalf("scheme %q, scrape %s", m.Scheme, m.ScrapeInterval.Std())
	}
	_, err = Parse([]byte(metricsDoc("      scheme: zipkin\n")), "c.yaml", testEnv(nil, nil))
	if err == nil || !strings.Contains(err.Error(), `unknown scheme "zipkin"`) || !strings.Contains(err.Error(), "micrometer") {
		t.Fatalf("unknown scheme: %v", err)
	}
}

// Every scheme's templates pass the validation users' templates do, and
// a scheme's template is overridden one by one.
func TestSchemeTemplatesValidateAndOverride(t *testing.T) {
	f := &File{}
	for _, s := range MetricsSchemes() {
		ts := map[string]string{}
		for k, v := range s.Templates {
			if v != "" {
				ts[k] = v
			}
		}
		if ps := f.validateMetrics("m", &Metrics{Templates: ts}); len(ps) != 0 {
			t.Errorf("%s: %v", s.Name, ps)
		}
		if !strings.Contains(s.Templates[MetricsTraffic], strings.TrimSuffix(strings.TrimSuffix(s.Probe, "_count"), "_total")) {
			t.Errorf("%s: traffic %q does not read its probe %s", s.Name, s.Templates[MetricsTraffic], s.Probe)
		}
	}
	g, _ := MetricsSchemeByName(SchemeGRPC)
	m := &Metrics{Templates: map[string]string{MetricsErrors: "x{ {{selector}} }"}}
	got := m.TemplatesFor(g)
	if got[MetricsErrors] != "x{ {{selector}} }" || got[MetricsTraffic] != g.Templates[MetricsTraffic] {
		t.Fatalf("TemplatesFor = %v", got)
	}
	if o := m.Overrides(); len(o) != 1 || o[0] != MetricsErrors {
		t.Fatalf("Overrides = %v", o)
	}
}
