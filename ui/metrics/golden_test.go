package metrics

import (
	"strings"
	"testing"
	"time"

	"github.com/muesli/termenv"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane/panetest"
)

func TestGoldenViews(t *testing.T) {
	scenes := []struct {
		name string
		run  func(t *testing.T, m *Model, src *fakeSource, clk *panetest.Clock)
	}{
		{"loading", func(t *testing.T, m *Model, _ *fakeSource, _ *panetest.Clock) { m.Init() }},
		{"signals", func(t *testing.T, m *Model, _ *fakeSource, _ *panetest.Clock) {
			settle(m, m.Init())
			settle(m, panetest.Press(m, "s", "pay", "enter"))
		}},
		{"exemplar_cursor", func(t *testing.T, m *Model, _ *fakeSource, _ *panetest.Clock) {
			settle(m, m.Init())
			settle(m, panetest.Press(m, "s", "pay", "enter"))
			panetest.Press(m, "x")
		}},
		{"picker", func(t *testing.T, m *Model, _ *fakeSource, _ *panetest.Clock) {
			settle(m, m.Init())
			settle(m, panetest.Press(m, "s"))
			panetest.Press(m, "down")
		}},
		{"query_table", func(t *testing.T, m *Model, _ *fakeSource, _ *panetest.Clock) {
			settle(m, m.Run(`sum by (code) (rate(http_requests_total{service="payments"}[5m]))`))
			panetest.Press(m, "right", "left", "left", "left")
		}},
		{"query_error_stale", func(t *testing.T, m *Model, src *fakeSource, clk *panetest.Clock) {
			settle(m, m.Run(`sum by (code) (rate(http_requests_total[5m]))`))
			src.fail = &sources.Error{Backend: "prometheus", Op: "query_range", Kind: sources.KindBadQuery, Status: 400,
				Msg: `invalid parameter "query": 1:5: parse error: unclosed left parenthesis`}
			clk.Add(90 * time.Second)
			settle(m, m.Run(`sum(`))
		}},
		{"metric_not_found", func(t *testing.T, m *Model, src *fakeSource, _ *panetest.Clock) {
			src.missing["http_request_duration_seconds_bucket"] = true
			settle(m, m.Init())
		}},
	}
	// The matrix every pane has, and the middle size this pane's charts
	// reflow at.
	shots := append(panetest.Shots(), panetest.Shot{W: 120, H: 40, Profile: termenv.Ascii, Tag: "nocolor"},
		panetest.Shot{W: 120, H: 40, Profile: termenv.ANSI256, Tag: "256"})
	for _, sc := range scenes {
		for _, s := range shots {
			t.Run(s.Name(sc.name), func(t *testing.T) {
				src := newFake()
				m, clk := newTestModel(t, s.Profile, src, s.W, s.H)
				sc.run(t, m, src, clk)
				v := m.View()
				if n := strings.Count(v, "\n") + 1; n != s.H {
					t.Errorf("view has %d lines, pane is %d high", n, s.H)
				}
				s.Golden(t, "TestGoldenViews/"+sc.name, v, panetest.Update())
			})
		}
	}
}

func BenchmarkPaneFrame200x50(b *testing.B) {
	m, _, _ := loaded(b, termenv.ANSI256, 200, 50)
	panetest.Press(m, "x")
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}

func BenchmarkPaneFrame80x24(b *testing.B) {
	m, _, _ := loaded(b, termenv.ANSI256, 80, 24)
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}
