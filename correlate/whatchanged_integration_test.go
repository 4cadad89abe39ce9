//go:build integration

package correlate

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/reltui/reltui/correlate/changes"
	"github.com/reltui/reltui/demo/promwrite"
	"github.com/reltui/reltui/internal/stacktest"
	"github.com/reltui/reltui/sources/prom"
)

// A deploy pushed into the real Prometheus, as a build-info series of a
// service a real demo request went through, is listed in that request's
// view; a deploy of another service in the window is counted, not
// listed. The series has a name of its own, so the test needs neither
// the demo's build-info series nor a demo that emits it.
func TestIntegrationRequestViewListsADeployInItsWindow(t *testing.T) {
	lc, jc := stackClients(t)
	st := stacktest.Require(t)
	pc, err := prom.New(prom.Config{Address: st.PromURL})
	if err != nil {
		t.Fatal(err)
	}
	pw, err := promwrite.NewClient(st.PromURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := sampleRequestIDs(t, lc, 1)[0]
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	now := time.Now()
	// 90 minutes: 5 s steps, so the change is timed again over the
	// view's own window (Prometheus here takes samples up to 2 h old).
	w := Window{From: now.Add(-90 * time.Minute), To: now}
	v, err := NewResolver(Config{Logs: lc, Traces: jc}).Resolve(ctx, id, w)
	if err != nil || !v.Found() {
		t.Fatalf("resolving %s: found %v, err %v", id, v != nil && v.Found(), err)
	}
	start := v.Timeline[0].Time()
	for _, it := range v.Timeline {
		if it.Time().Before(start) {
			start = it.Time()
		}
	}
	svc := v.Services[0]

	metric := "reltui_it_build_info_" + strconv.FormatInt(now.UnixNano()%1e12, 36)
	deployAt := start.Add(-time.Minute).Truncate(time.Second)
	buildInfo := func(service, version string, from, to time.Time) promwrite.TimeSeries {
		ts := promwrite.TimeSeries{Labels: []promwrite.Label{{Name: "__name__", Value: metric}, {Name: "service", Value: service}, {Name: "version", Value: version}}}
		for t := from; !t.After(to); t = t.Add(15 * time.Second) {
			ts.Samples = append(ts.Samples, promwrite.Sample{Value: 1, Timestamp: t.UnixMilli()})
		}
		return ts
	}
	other := metric + "-other"
	if err := pw.Push(ctx, []promwrite.TimeSeries{
		buildInfo(svc, "1.0.0", w.From.Add(-10*time.Minute), deployAt.Add(-time.Second)),
		buildInfo(svc, "1.0.1", deployAt, now),
		buildInfo(other, "7", w.From.Add(-10*time.Minute), deployAt.Add(-time.Second)),
		buildInfo(other, "8", deployAt, now),
	}); err != nil {
		t.Fatal(err)
	}

	feeds := changes.Feeds{Prom: pc, Sources: []changes.Source{{Name: "deploys", Kind: "deploy", Expr: metric, ServiceLabel: "service"}}}
	v, err = NewResolver(Config{Logs: lc, Traces: jc, Changes: feeds}).Resolve(ctx, id, w)
	if err != nil {
		t.Fatal(err)
	}
	if v.ChangesProblem != "" {
		t.Fatalf("changes problem: %s", v.ChangesProblem)
	}
	if len(v.Changes) != 1 || v.ChangesElsewhere != 1 {
		t.Fatalf("changes %v, elsewhere %d; want the deploy of %s listed and %s's counted", v.Changes, v.ChangesElsewhere, svc, other)
	}
	e := v.Changes[0]
	step := changes.StepFor(v.Window.From, v.Window.To)
	if e.Service != svc || e.Kind != "deploy" || e.What != "version 1.0.0 → 1.0.1" || e.T.Before(deployAt) || e.T.After(deployAt.Add(step)) {
		t.Fatalf("change %+v; want %s version 1.0.0 → 1.0.1 within %v after %v", e, svc, step, deployAt)
	}
	var rounds []int
	for _, c := range v.Calls {
		if c.Backend == "changes" {
			rounds = append(rounds, c.Round)
		}
	}
	if len(rounds) != 2 {
		t.Errorf("changes calls in rounds %v, want the window searched and the view's", rounds)
	}
	d := v.Document()
	if len(d.Changes) != 1 || d.Changes[0].Service != svc || d.ChangesElsewhere != 1 {
		t.Errorf("document changes %+v (+%d)", d.Changes, d.ChangesElsewhere)
	}
}
