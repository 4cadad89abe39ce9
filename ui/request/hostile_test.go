package request

import (
	"context"
	"testing"
	"time"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// hostileView is sampleView with outside text everywhere a backend puts
// it: log lines, labels, services, operations, span tags, selectors,
// warnings and problems.
func hostileView() *correlate.View {
	v := sampleView()
	var spans []sources.Span
	var logs []correlate.Log
	for _, s := range v.Spans {
		s.Operation += " " + panetest.HostileLine()
		s.Service += " " + panetest.Hostile()[1]
		s.Tags = append(s.Tags, sources.KV{Key: "k " + panetest.Hostile()[0], Value: panetest.HostileLine()})
		spans = append(spans, s)
	}
	for _, l := range v.Logs {
		l.Line += " " + panetest.HostileLine()
		l.Service += " " + panetest.Hostile()[4]
		l.Labels = map[string]string{"l " + panetest.Hostile()[2]: panetest.HostileLine()}
		logs = append(logs, l)
	}
	v.Joined = correlate.Join(spans, logs)
	v.Selectors = panetest.Hostile()
	v.Warnings = panetest.Hostile()
	v.Partial = []correlate.Problem{{Backend: "jaeger " + panetest.Hostile()[0], Reason: panetest.HostileLine()}}
	v.Summary.FirstError.Text += panetest.HostileLine()
	v.Summary.SlowestSpan.Service += panetest.Hostile()[5]
	// A view from elsewhere than the resolver may carry changes unsanitized.
	v.Changes = []correlate.Change{{T: v.Window.From.Add(time.Minute), Service: "pay " + panetest.Hostile()[3], Kind: "deploy " + panetest.Hostile()[1],
		Source: panetest.Hostile()[2], What: panetest.HostileLine()}}
	v.ChangesElsewhere, v.ChangesProblem = 3, panetest.HostileLine()
	return v
}

// TestHostileRequestTextNeverReachesTheTerminal walks every row of a
// request whose spans and lines carry control sequences, and a failed
// resolution with a hostile error: every frame is clean and fits.
func TestHostileRequestTextNeverReachesTheTerminal(t *testing.T) {
	panetest.EachShot(t, "hostile", func(t *testing.T, s panetest.Shot) {
		src := &fakeSource{}
		src.set(func(context.Context, string, correlate.Window) (*correlate.View, error) { return hostileView(), nil })
		m := newTestModel(t, s, src)
		check := func(what string) { t.Helper(); panetest.CheckFrame(t, what, m.View(), s.W) }
		settle(m, m.Resolve(reqID))
		check("resolved")
		for range 12 {
			panetest.Press(m, "j")
			check("row")
		}
		panetest.Press(m, "/", "c", "s", "i")
		check("filtering")
		panetest.Press(m, "esc", "esc")
		src.set(func(context.Context, string, correlate.Window) (*correlate.View, error) {
			return nil, &sources.Error{Backend: "loki", Kind: sources.KindBadQuery, Msg: panetest.HostileLine()}
		})
		settle(m, m.Resolve("other-id"))
		check("failed")
	})
}
