package metrics

import (
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/ui/pane"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// schemeModel is a pane over a fake whose backend has the series present
// and names services only by the labels given.
func schemeModel(t *testing.T, present, labels []string, mc *config.Metrics) (*Model, *fakeSource) {
	t.Helper()
	src := newFake()
	src.present, src.labels = present, labels
	m := newPane(t, Config{Basics: pane.Basics{Now: func() time.Time { return fixedNow }}, Source: src, Metrics: mc, Ticker: (&tickLog{}).tick}, 120, 40)
	settle(m, m.Init())
	return m, src
}

func TestSchemeDetectedFromSeriesAndLabel(t *testing.T) {
	for _, c := range []struct {
		present []string
		labels  []string
		scheme  string
		label   string
		metric  string // a series name the traffic query must read
	}{
		{[]string{"http_requests_total"}, nil, config.SchemePrometheusHTTP, "service", "http_requests_total"},
		{[]string{"http_server_request_duration_seconds_count"}, []string{"job"}, config.SchemeOTelHTTP, "job", "http_server_request_duration_seconds_count"},
		{[]string{"http_server_request_duration_seconds"}, []string{"service_name"}, config.SchemeOTelHTTPNative, "service_name", "histogram_count(rate(http_server_request_duration_seconds{"},
		{[]string{"http_server_requests_seconds_count"}, []string{"application"}, config.SchemeMicrometer, "application", "http_server_requests_seconds_count"},
		{[]string{"istio_requests_total"}, []string{"destination_service_name"}, config.SchemeIstio, "destination_service_name", "istio_requests_total"},
		{[]string{"grpc_server_handled_total"}, []string{"job"}, config.SchemeGRPC, "job", "grpc_server_handled_total"},
		// Two schemes: the first in order that has services.
		{[]string{"http_requests_total", "grpc_server_handled_total"}, []string{"job"}, config.SchemePrometheusHTTP, "job", "http_requests_total"},
	} {
		t.Run(c.scheme+"_"+c.label, func(t *testing.T) {
			m, _ := schemeModel(t, c.present, c.labels, nil)
			if m.scheme.Name != c.scheme || m.label != c.label || !m.detected {
				t.Fatalf("detected %q by %q (found=%v), want %q by %q", m.scheme.Name, m.label, m.detected, c.scheme, c.label)
			}
			if len(m.panels) != 4 || m.service != "checkout" {
				t.Fatalf("signals not shown for the first service: %d panels, service %q", len(m.panels), m.service)
			}
			traffic := m.panels[1].exprs[0]
			if !strings.Contains(traffic, c.metric) || !strings.Contains(traffic, c.label+`="checkout"`) {
				t.Errorf("traffic query %s does not read %s by %s", traffic, c.metric, c.label)
			}
			if v := m.View(); !strings.Contains(v, c.scheme+" names by "+c.label+" (detected; config templates override)") {
				t.Errorf("the pane does not say which scheme it detected:\n%s", v)
			}
		})
	}
}

func TestSchemeConfigOverridesAndFixes(t *testing.T) {
	// A template in config wins over the detected scheme's, and the pane
	// says so.
	mc := &config.Metrics{Templates: map[string]string{config.MetricsTraffic: `sum(rate(my_reqs{ {{selector}} }[{{window}}]))`}}
	m, _ := schemeModel(t, []string{"grpc_server_handled_total"}, []string{"job"}, mc)
	if m.scheme.Name != config.SchemeGRPC {
		t.Fatalf("scheme %q", m.scheme.Name)
	}
	if got := m.panels[1].exprs[0]; !strings.Contains(got, "my_reqs") || !strings.Contains(got, `job="checkout"`) {
		t.Errorf("override lost: %s", got)
	}
	if got := m.panels[2].exprs[0]; !strings.Contains(got, "grpc_server_handled_total") {
		t.Errorf("a template not overridden must come from the scheme: %s", got)
	}
	if v := m.View(); !strings.Contains(v, "config overrides traffic") {
		t.Errorf("the pane does not say the config overrides a template:\n%s", v)
	}

	// metrics.scheme and service_label pin both: detection only lists.
	mc = &config.Metrics{Scheme: config.SchemeIstio, ServiceLabel: "destination_workload"}
	m, src := schemeModel(t, []string{"http_requests_total", "istio_requests_total"}, []string{"destination_workload", "service"}, mc)
	if m.scheme.Name != config.SchemeIstio || m.label != "destination_workload" || !m.schemeFixed {
		t.Fatalf("pinned scheme ignored: %q by %q", m.scheme.Name, m.label)
	}
	for _, l := range src.asked {
		if l != "destination_workload" {
			t.Errorf("asked for services by %q, want only the pinned label", l)
		}
	}
}

func TestNoSchemeFallsBackAndSaysSo(t *testing.T) {
	m, _ := schemeModel(t, nil, nil, nil)
	if m.detected || m.scheme.Name != config.SchemePrometheusHTTP || m.label != "service" {
		t.Fatalf("fallback %q by %q (detected %v)", m.scheme.Name, m.label, m.detected)
	}
	if v := m.View(); !strings.Contains(v, "none detected") {
		t.Errorf("the pane does not say nothing was detected:\n%s", v)
	}
}

// The picker lists what detection found, by the detected label.
func TestPickerListsTheDetectedSchemesServices(t *testing.T) {
	m, src := schemeModel(t, []string{"http_server_requests_seconds_count"}, []string{"application"}, nil)
	src.Locked(func() {
		src.services = []string{"billing", "orders"}
	})
	settle(m, panetest.Press(m, "s"))
	if strings.Join(m.services, ",") != "billing,orders" || m.namings.byService["billing"].label != "application" {
		t.Fatalf("picker lists %v (%+v)", m.services, m.namings.byService)
	}
	settle(m, panetest.Press(m, "enter"))
	if m.service != "billing" || m.label != "application" || m.scheme.Name != config.SchemeMicrometer {
		t.Fatalf("picked %q read as %q by %q", m.service, m.scheme.Name, m.label)
	}
}

// One backend with two namings: each service is read by its own.
func TestMixedBackendReadsEachServiceByItsScheme(t *testing.T) {
	src := newFake()
	src.present = []string{"http_requests_total", "istio_requests_total"}
	src.labels = []string{"service", "destination_service_name"}
	src.byLabel = map[string][]string{"service": {"checkout"}, "destination_service_name": {"checkout", "reviews"}}
	m := newPane(t, Config{Basics: pane.Basics{Now: func() time.Time { return fixedNow }}, Source: src, Ticker: (&tickLog{}).tick, Service: "reviews"}, 120, 40)
	settle(m, m.Init())
	if strings.Join(m.services, ",") != "checkout,reviews" {
		t.Fatalf("services %v", m.services)
	}
	if m.scheme.Name != config.SchemeIstio || !strings.Contains(m.panels[1].exprs[0], `destination_service_name="reviews"`) {
		t.Fatalf("reviews read as %q: %s", m.scheme.Name, m.panels[1].exprs[0])
	}
	settle(m, m.selectService("checkout"))
	if m.scheme.Name != config.SchemePrometheusHTTP || !strings.Contains(m.panels[1].exprs[0], `service="checkout"`) {
		t.Fatalf("checkout read as %q: %s", m.scheme.Name, m.panels[1].exprs[0])
	}
}
