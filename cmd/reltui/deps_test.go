package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/reltui/reltui/slo/lag"
)

// TestLagSourceForPicksThroughTheInjectedProm: the real lag opener reads
// the context's choice and opens Prometheus through the opener it is
// given, never a package-level one.
func TestLagSourceForPicksThroughTheInjectedProm(t *testing.T) {
	isolate(t)
	f := ratioFake(0, 0)
	opened := 0
	openFake := func(*globals) (promQuerier, func(), error) { opened++; return f, func() {}, nil }
	promOnly := writeConfig(t, "contexts:\n  dev:\n    prometheus: {url: http://127.0.0.1:1}\n")
	ls, err := lagSourceFor(&globals{configPath: promOnly, configSet: true}, openFake, "")
	if err != nil || ls.kind != "prometheus" || opened != 1 {
		t.Fatalf("prometheus context: kind %q, opened %d, %v", ls.kind, opened, err)
	}
	if ps, ok := ls.src.(lag.PromSource); !ok || ps.Querier != promQuerier(f) {
		t.Fatalf("source %#v does not query the injected Prometheus", ls.src)
	}
	if _, err := lagSourceFor(&globals{configPath: promOnly, configSet: true}, openFake, "kafka"); err == nil || !strings.Contains(err.Error(), "context dev has no kafka brokers configured") {
		t.Fatalf("--source kafka without brokers: %v", err)
	}
	lokiOnly := writeConfig(t, "contexts:\n  dev:\n    loki: {url: http://127.0.0.1:1}\n")
	if _, err := lagSourceFor(&globals{configPath: lokiOnly, configSet: true}, openFake, ""); err == nil || !strings.Contains(err.Error(), "has neither prometheus nor kafka") {
		t.Fatalf("neither configured: %v", err)
	}
	down := errors.New("prometheus: connection refused")
	failing := func(*globals) (promQuerier, func(), error) { return nil, nil, down }
	if _, err := lagSourceFor(&globals{configPath: promOnly, configSet: true}, failing, "prometheus"); !errors.Is(err, down) {
		t.Fatalf("the opener's error is not passed on: %v", err)
	}
	if opened != 1 {
		t.Fatalf("opened %d times, want 1 (only the prometheus context)", opened)
	}
}
