//go:build integration

package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/sources/links"
)

// `reltui request -o json` carries a link that opens the same request in
// Grafana Explore: read back, it names the request's lines on the logs
// datasource and its trace on the trace datasource, over the view's window.
func TestE2ERequestJSONLinkRoundTrip(t *testing.T) {
	st := stacktest.Require(t)
	reqID := recentDemoIDs(t, st).RequestID
	if reqID == "" {
		t.Fatal("no request id among the recent frontend lines; is the demo running?")
	}
	cfg := writeConfig(t, fmt.Sprintf(`contexts:
  dev:
    victorialogs:
      url: %s
    jaeger:
      url: grpc://%s
      ui_url: http://jaeger.example:16686
    grafana:
      url: https://grafana.example
      org_id: 4
      loki_datasource: vl-uid
      jaeger_datasource: jaeger-uid
`, st.VLogsURL, st.JaegerGRPC))
	code, out, errs := runCLI(t, "request", reqID, "--config", cfg, "--output", "json", "--since", "30m")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc correlate.Document
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Link == "" || len(doc.TraceIDs) == 0 {
		t.Fatalf("no link or trace: %+v", doc.Link)
	}
	ps, err := links.ParseExplore(doc.Link)
	if err != nil || len(ps) != 2 {
		t.Fatalf("%v %+v", err, ps)
	}
	ms := func(t time.Time) time.Time { return t.Truncate(time.Millisecond) }
	if ps[0].Datasource != "vl-uid" || !strings.Contains(ps[0].Expr, reqID) || ps[1].Datasource != "jaeger-uid" || ps[1].TraceID != doc.TraceIDs[0] {
		t.Errorf("panes %+v", ps)
	}
	for _, p := range ps {
		if !p.From.Equal(ms(doc.Window.From)) || !p.To.Equal(ms(doc.Window.To)) {
			t.Errorf("range %v–%v, the view's %v–%v", p.From, p.To, doc.Window.From, doc.Window.To)
		}
	}
}
