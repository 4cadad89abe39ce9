package alerts

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/muesli/termenv"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/sources/prom"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// fakeNoiseProm answers like Prometheus would for a rule that fired four
// times for 30s, two minutes apart, and one that never fired.
type fakeNoiseProm struct{}

func (fakeNoiseProm) Query(_ context.Context, expr string, at time.Time) ([]sources.Series, []string, error) {
	var samples []sources.Sample
	for f := range 4 {
		start := at.Add(-time.Hour + time.Duration(f)*2*time.Minute)
		samples = append(samples, sources.Sample{Time: start, Value: 1}, sources.Sample{Time: start.Add(15 * time.Second), Value: 1})
	}
	return []sources.Series{{Labels: map[string]string{"alertname": "FlappyProbe", "alertstate": "firing"}, Samples: samples}}, nil, nil
}

func (fakeNoiseProm) Rules(context.Context) ([]prom.Rule, error) {
	return []prom.Rule{
		{Type: "alerting", Name: "QuietRule", Group: "g", Interval: 15 * time.Second},
		{Type: "alerting", Name: "FlappyProbe", Group: "g", Interval: 15 * time.Second},
		{Type: "recording", Name: "job:up:sum", Group: "g"},
	}, nil
}

func TestNoiseViewRanksTheFlappingRuleFirst(t *testing.T) {
	f := loaded(t, "viewer", termenv.Ascii, 80, 24)
	settle(f.m, panetest.Press(f.m, "S"))
	v := f.m.View()
	panetest.CheckFrame(t, "noise", v, 80)
	lines := strings.Split(v, "\n")
	if !strings.Contains(lines[0], "Alert noise") || !strings.HasPrefix(strings.TrimSpace(lines[2]), "FlappyProbe") || !strings.Contains(lines[3], "QuietRule") {
		t.Fatalf("view:\n%s", v)
	}
	// 4 firings, 3 of them within the flap window of the previous one,
	// none actionable (the store is empty but was read).
	if fs := strings.Fields(lines[2]); fs[1] != "4" || fs[3] != "3" || fs[6] != "0" || fs[7] != "(0%)" {
		t.Errorf("row %q", lines[2])
	}
	if strings.Contains(v, "job:up:sum") {
		t.Error("a recording rule is listed")
	}
	panetest.Press(f.m, "esc")
	if f.m.noise.open || !f.m.AtRest() {
		t.Error("esc did not close the noise view")
	}
}
