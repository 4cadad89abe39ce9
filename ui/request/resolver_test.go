package request

import (
	"testing"

	"github.com/reltui/reltui/config"
	"github.com/reltui/reltui/sources/prom"
)

func TestChangeFeeds(t *testing.T) {
	if f := ChangeFeeds(nil, nil, nil); !f.Empty() || f.Prom != nil || f.Logs != nil {
		t.Fatalf("no context: %+v", f)
	}
	c := &config.Context{Metrics: &config.Metrics{ServiceLabel: "app"}, Changes: []config.ChangeSource{
		{Name: "deploys", PromQL: "app_build_info"},
		{Name: "config", Kind: "config", Logs: `{app="deployer"}`, ServiceLabel: "svc"},
	}}
	// Without clients the interfaces stay nil, so a source says it has
	// no backend instead of calling a nil client.
	f := ChangeFeeds(c, nil, nil)
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
	if f := ChangeFeeds(c, pc, nil); f.Prom == nil {
		t.Error("the Prometheus client was not kept")
	}
}
