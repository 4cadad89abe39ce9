package metrics

import (
	"fmt"
	"github.com/reltui/reltui/ui/pane/panetest"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/reltui/reltui/sources"
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
	for _, sc := range scenes {
		for _, sz := range []struct{ w, h int }{{80, 24}, {120, 40}, {200, 50}} {
			for _, pr := range []struct {
				name string
				p    termenv.Profile
			}{{"nocolor", termenv.Ascii}, {"256", termenv.ANSI256}} {
				t.Run(fmt.Sprintf("%s_%dx%d_%s", sc.name, sz.w, sz.h, pr.name), func(t *testing.T) {
					src := newFake()
					m, clk := newTestModel(t, pr.p, src, sz.w, sz.h)
					sc.run(t, m, src, clk)
					v := m.View()
					lines := strings.Split(v, "\n")
					if len(lines) != sz.h {
						t.Errorf("view has %d lines, pane is %d high", len(lines), sz.h)
					}
					for i, l := range lines {
						if w := lipgloss.Width(l); w > sz.w {
							t.Errorf("line %d is %d wide, pane is %d", i, w, sz.w)
						}
					}
					if pr.p == termenv.Ascii && strings.ContainsRune(v, 0x1b) {
						t.Error("ASCII frame contains ESC")
					}
					golden.RequireEqual(t, []byte(v))
				})
			}
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
