package logs

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/muesli/termenv"

	"github.com/reltui/reltui/sources"
	"github.com/reltui/reltui/ui/pane/panetest"
)

// update is -update. The integration build imports teatest, whose golden
// package defines the same flag; then that one is used.
var update = panetest.BoolFlag("update", "rewrite the golden files under testdata")

// sampleEntries is a varied, deterministic set of lines: logfmt, JSON,
// prose, CJK and one very long line, over three streams. Newest first.
func sampleEntries(n int) []sources.LogEntry {
	streams := []map[string]string{
		{"service_name": "checkout", "env": "dev"},
		{"service_name": "payments", "env": "dev"},
		{"service_name": "gateway", "env": "dev", "pod": "gateway-7d9f"},
	}
	es := make([]sources.LogEntry, n)
	for i := 0; i < n; i++ {
		var line string
		var md map[string]string
		switch i % 7 {
		case 0:
			line = fmt.Sprintf(`level=info msg="order placed" order_id=%d amount=%d.%02d currency=EUR`, 1000+i, i%90+10, i%100)
		case 1:
			line = fmt.Sprintf(`{"level":"error","msg":"charge failed: card declined","order_id":%d,"attempt":%d}`, 1000+i, i%3+1)
			md = map[string]string{"trace_id": fmt.Sprintf("%032x", i*7919)}
		case 2:
			line = fmt.Sprintf(`level=warn msg="slow upstream" upstream=inventory took=%dms`, 200+i%800)
		case 3:
			line = fmt.Sprintf(`level=debug msg="cache lookup" key=sku-%d hit=%v`, i, i%2 == 0)
		case 4:
			line = fmt.Sprintf(`GET /api/orders/%d 200 %dms "Mozilla/5.0"`, 1000+i, i%40)
		case 5:
			line = fmt.Sprintf(`level=info msg="注文を受け付けました 🚀" order_id=%d`, 1000+i)
		case 6:
			line = `level=error msg="upstream timeout" detail="` + strings.Repeat("context deadline exceeded; ", 20) + `"`
		}
		es[n-1-i] = sources.LogEntry{
			Time:     fixedNow.Add(-time.Duration(n-i) * 1370 * time.Millisecond),
			Labels:   streams[i%3],
			Line:     line,
			Metadata: md,
		}
	}
	return es
}

func goldenModel(t testing.TB, profile termenv.Profile, w, h int) (*Model, *fakeSource, *panetest.Clock) {
	t.Helper()
	src := &fakeSource{}
	src.returning(sampleEntries(300), "some entries were dropped: max entries limit")
	m, clk := newTestModelIn(t, profile, src, w, h)
	m.editor.SetValue(`{env="dev"} |= "order"`)
	return m, src, clk
}

func TestGoldenViews(t *testing.T) {
	goldenScenes(t, goldenModel, []scene[*fakeSource]{
		{"empty", func(*Model, *fakeSource, *panetest.Clock) {}},
		{"querying", func(m *Model, _ *fakeSource, _ *panetest.Clock) { press(m, "i", "enter") }},
		{"results", func(m *Model, _ *fakeSource, _ *panetest.Clock) {
			settle(m, press(m, "i", "enter"))
			press(m, "k", "k", "k")
		}},
		{"labels_wrap", func(m *Model, _ *fakeSource, _ *panetest.Clock) {
			settle(m, press(m, "i", "enter"))
			press(m, "l", "w", "k", "k")
		}},
		{"filter_context", func(m *Model, _ *fakeSource, _ *panetest.Clock) {
			settle(m, press(m, "i", "enter"))
			press(m, "/", "TIMEOUT", "enter", "c", "N")
		}},
		{"error_stale", func(m *Model, src *fakeSource, clk *panetest.Clock) {
			settle(m, press(m, "i", "enter"))
			clk.Add(3*time.Minute + 10*time.Second)
			src.setQuery(func(context.Context, sources.LogQuery) (*sources.LogResult, error) {
				return nil, &sources.Error{Backend: "loki", Op: "query_range", Kind: sources.KindTimeout, Msg: "context deadline exceeded after 60s"}
			})
			settle(m, press(m, "i", "enter"))
		}},
		{"detail_json", func(m *Model, _ *fakeSource, _ *panetest.Clock) {
			settle(m, press(m, "i", "enter"))
			press(m, "T", "10:29:53.15", "enter", "enter") // a JSON line with metadata
		}},
		{"tail_live", func(m *Model, src *fakeSource, clk *panetest.Clock) {
			settle(m, press(m, "i", "enter"))
			settle(m, press(m, "t"))
			ft := src.tailers[0]
			ft.setState(sources.TailLive, nil)
			m.Update(tailTickMsg{run: tailRun(m), status: ft.Status()})
			clk.Add(4 * time.Second)
			later := sampleEntries(37)
			for i := range later {
				later[i].Time = later[i].Time.Add(time.Minute)
			}
			m.Update(tailBatchMsg{run: tailRun(m), rows: buildRows(later, true)})
		}},
	})
}

// scene is one golden scene: run brings the pane, its source and its
// clock to what the golden file shows.
type scene[S any] struct {
	name string
	run  func(m *Model, src S, clk *panetest.Clock)
}

// goldenScenes draws every scene in every shot of the golden matrix
// (panetest.Shots) on a pane from model, and checks that the frame fits
// the shot and matches its golden file.
func goldenScenes[S any](t *testing.T, model func(t testing.TB, p termenv.Profile, w, h int) (*Model, S, *panetest.Clock), scenes []scene[S]) {
	for _, sc := range scenes {
		panetest.EachShot(t, sc.name, func(t *testing.T, s panetest.Shot) {
			m, src, clk := model(t, s.Profile, s.W, s.H)
			sc.run(m, src, clk)
			s.Golden(t, sc.name, m.View(), update())
		})
	}
}
