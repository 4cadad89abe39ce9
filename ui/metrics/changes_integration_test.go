//go:build integration

package metrics

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/correlate/changes"
	"github.com/reltui/reltui/demo/promwrite"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// A build-info series that changes version in the real Prometheus is one
// deploy marker on the pane's charts, at the new version's first sample.
func TestDeployMarkerFromRealBuildInfo(t *testing.T) {
	c, w := stackClients(t)
	end := time.Now().Truncate(15 * time.Second)
	svc := "reltui-it-deploy-" + strconv.FormatInt(time.Now().UnixNano()%1e12, 36)
	deploy := end.Add(-4 * time.Minute)
	info := func(version string, from, to time.Time) promwrite.TimeSeries {
		ts := promwrite.TimeSeries{Labels: []promwrite.Label{{Name: "__name__", Value: "reltui_it_build_info"},
			{Name: "service", Value: svc}, {Name: "version", Value: version}}}
		for t := from; !t.After(to); t = t.Add(15 * time.Second) {
			ts.Samples = append(ts.Samples, promwrite.Sample{Timestamp: t.UnixMilli(), Value: 1})
		}
		return ts
	}
	// The service's traffic, so the pane has something to chart.
	ok := schemeSeries{scheme: "prometheus-http", counter: "http_requests_total", hist: "http_request_duration_seconds",
		codeLabel: "code", ok: "200", fail: "503", svcLabel: "service", satName: "process_cpu_utilization", satLabel: "service"}
	series := append(ok.series(svc, end, 41), info("1.0.0", end.Add(-10*time.Minute), deploy.Add(-15*time.Second)), info("1.1.0", deploy, end))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	err := w.Push(ctx, series)
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	m := stackPane(t, c, Config{Service: svc, From: end.Add(-10 * time.Minute), To: end.Add(time.Second),
		Changes: []changes.Source{{Name: "deploys", Kind: "deploy", Expr: "reltui_it_build_info", ServiceLabel: "service"}}}, 120, 40)
	if m.chErr != nil {
		t.Fatal(m.chErr)
	}
	if len(m.changes) != 1 {
		t.Fatalf("changes = %+v", m.changes)
	}
	e := m.changes[0]
	if e.What != "version 1.0.0 → 1.1.0" || e.Service != svc || e.T.Sub(deploy).Abs() > m.panels[0].step {
		t.Fatalf("deploy = %+v (pushed at %s)", e, deploy)
	}
	panetest.Press(m, "c")
	if v := m.View(); !strings.Contains(v, "◇") || !strings.Contains(v, "deploy "+svc+": version 1.0.0 → 1.1.0") {
		t.Errorf("marker or readout missing:\n%s", v)
	}
}
