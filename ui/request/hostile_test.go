package request

import (
	"context"
	"fmt"
	"testing"

	"github.com/muesli/termenv"

	"github.com/reltui/reltui/correlate"
	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/themes"
	"github.com/reltui/reltui/ui/chart/frametest"
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
		s.Operation += " " + frametest.One()
		s.Service += " " + frametest.Hostile[1]
		s.Tags = append(s.Tags, sources.KV{Key: "k " + frametest.Hostile[0], Value: frametest.One()})
		spans = append(spans, s)
	}
	for _, l := range v.Logs {
		l.Line += " " + frametest.One()
		l.Service += " " + frametest.Hostile[4]
		l.Labels = map[string]string{"l " + frametest.Hostile[2]: frametest.One()}
		logs = append(logs, l)
	}
	v.Joined = correlate.Join(spans, logs)
	v.Selectors = frametest.Hostile
	v.Warnings = frametest.Hostile
	v.Partial = []correlate.Problem{{Backend: "jaeger " + frametest.Hostile[0], Reason: frametest.One()}}
	v.Summary.FirstError.Text += frametest.One()
	v.Summary.SlowestSpan.Service += frametest.Hostile[5]
	return v
}

// TestHostileRequestTextNeverReachesTheTerminal walks every row of a
// request whose spans and lines carry control sequences, and a failed
// resolution with a hostile error: every frame is clean and fits.
func TestHostileRequestTextNeverReachesTheTerminal(t *testing.T) {
	for _, prof := range []termenv.Profile{termenv.Ascii, termenv.ANSI256} {
		for _, sz := range [][2]int{{80, 24}, {200, 50}} {
			src := &fakeSource{}
			src.set(func(context.Context, string, correlate.Window) (*correlate.View, error) { return hostileView(), nil })
			m := newTestModel(t, prof, themes.Dark(), src, sz[0], sz[1])
			check := func(what string) { t.Helper(); frametest.Check(t, fmt.Sprint(prof, sz, what), m.View(), sz[0]) }
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
				return nil, &sources.Error{Backend: "loki", Kind: sources.KindBadQuery, Msg: frametest.One()}
			})
			settle(m, m.Resolve("other-id"))
			check("failed")
		}
	}
}
