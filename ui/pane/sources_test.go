package pane

import (
	"strings"
	"testing"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/links"
	"github.com/reltui/reltui/sources/loki"
	"github.com/reltui/reltui/sources/prom"
	"github.com/reltui/reltui/sources/victorialogs"
)

func TestChangeFeeds(t *testing.T) {
	if f := (Sources{}).ChangeFeeds(); !f.Empty() || f.Prom != nil || f.Logs != nil {
		t.Fatalf("no context: %+v", f)
	}
	c := &config.Context{Metrics: &config.Metrics{ServiceLabel: "app"}, Changes: []config.ChangeSource{
		{Name: "deploys", PromQL: "app_build_info"},
		{Name: "config", Kind: "config", Logs: `{app="deployer"}`, ServiceLabel: "svc"},
	}}
	// Without clients the interfaces stay nil, so a source says it has
	// no backend instead of calling a nil client.
	f := Sources{Config: c}.ChangeFeeds()
	if f.Prom != nil || f.Logs != nil || len(f.Sources) != 2 {
		t.Fatalf("feeds %+v", f)
	}
	d, l := f.Sources[0], f.Sources[1]
	if d.Kind != config.DefaultChangeKind || d.Expr != "app_build_info" || d.ServiceLabel != "app" {
		t.Errorf("deploys %+v: want the default kind and the metrics service label", d)
	}
	if l.Kind != "config" || l.Logs != `{app="deployer"}` || l.ServiceLabel != "svc" {
		t.Errorf("config %+v", l)
	}
	pc, err := prom.New(prom.Config{Address: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	if f := (Sources{Config: c, Prom: pc}).ChangeFeeds(); f.Prom == nil {
		t.Error("the Prometheus client was not kept")
	}
}

func TestLinkTargetsAndResolver(t *testing.T) {
	if got := (Sources{}).LinkTargets(); got != (links.Targets{}) {
		t.Errorf("no context links to %+v", got)
	}
	c := &config.Context{
		Grafana:      &config.Grafana{URL: "https://g.example", OrgID: 2, LokiDatasource: "L", JaegerDatasource: "J", PrometheusDatasource: "P"},
		Prometheus:   &config.Backend{URL: "http://prom:9090"},
		VictoriaLogs: &config.Backend{URL: "http://vl:9428"},
		Jaeger:       &config.Backend{UIURL: "http://jaeger:16686"},
		Correlate:    &config.Correlate{Rules: []config.IDRule{{ID: "request", From: "label", Key: "order_ref"}}},
	}
	got := Sources{Config: c}.LinkTargets()
	want := links.Targets{Grafana: links.Grafana{URL: "https://g.example", OrgID: 2}, LogsDatasource: "L", TracesDatasource: "J",
		MetricsDatasource: "P", Prometheus: "http://prom:9090", JaegerUI: "http://jaeger:16686"}
	if got != want {
		t.Errorf("targets without a log backend:\n got %+v\nwant %+v", got, want)
	}
	vl, err := victorialogs.New(victorialogs.Config{Address: "http://vl:9428"})
	if err != nil {
		t.Fatal(err)
	}
	if got := (Sources{Config: c, Logs: vl}).LinkTargets().VictoriaLogs; got != "http://vl:9428" {
		t.Errorf("with VictoriaLogs as the log backend its UI is %q", got)
	}
	lk, err := loki.New(loki.Config{Address: "http://loki:3100"})
	if err != nil {
		t.Fatal(err)
	}
	if got := (Sources{Config: c, Logs: lk}).LinkTargets().VictoriaLogs; got != "" {
		t.Errorf("with Loki as the log backend VictoriaLogs' UI is %q", got)
	}
	rc, err := Sources{Config: c}.Resolver()
	if err != nil || rc.Extractor == nil || rc.Logs != nil || rc.Traces != nil {
		t.Errorf("resolver %+v, %v: want the context's rules and no clients", rc, err)
	}
	e := sources.LogEntry{Labels: map[string]string{"order_ref": "ord-7"}}
	if got := (Sources{Config: c}).Extractor().Extract(e).RequestID; got != "ord-7" {
		t.Errorf("request id %q: the context's label rule was not used", got)
	}
	if got := correlate.DefaultExtractor().Extract(e).RequestID; got == "ord-7" {
		t.Fatal("the defaults already read order_ref, so the check above proves nothing")
	}
	bad := &config.Context{Correlate: &config.Correlate{Rules: []config.IDRule{{ID: "request", From: "regex", Regex: "("}}}}
	if _, err := (Sources{Config: bad}).Resolver(); err == nil || !strings.Contains(err.Error(), "correlate") {
		t.Errorf("a rule that does not compile: %v", err)
	}
	if x := (Sources{Config: bad}).Extractor(); x == nil || x.Extract(sources.LogEntry{Line: "trace_id=4bf92f3577b34da6a3ce929d0e0e4736"}).TraceID == "" {
		t.Error("a broken rule must fall back to the defaults")
	}
}
