package chart

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/reltui/reltui/ui/pane/panetest"
)

var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func styles(profile termenv.Profile) *Styles { return NewStyles(panetest.Renderer(profile)) }

// wave is n points a step apart: a slow sine around base with a spike.
func wave(n int, step time.Duration, base, amp float64, spikeAt int) []Point {
	ps := make([]Point, n)
	for i := range ps {
		v := base + amp*math.Sin(float64(i)/7)
		if spikeAt >= 0 && i >= spikeAt && i < spikeAt+n/10 {
			v *= 6
		}
		ps[i] = Point{T: t0.Add(time.Duration(i) * step), V: v}
	}
	return ps
}

func latencyChart() Chart {
	step := 15 * time.Second
	return Chart{
		Title: "Latency", Unit: UnitSeconds, From: t0, To: t0.Add(time.Hour), Step: step, ZeroBased: true,
		Series: []Series{
			{Name: "p50", Points: wave(241, step, 0.02, 0.005, -1)},
			{Name: "p95", Points: wave(241, step, 0.08, 0.02, 150)},
			{Name: "p99", Points: wave(241, step, 0.2, 0.05, 150)},
		},
		Markers: []Marker{{T: t0.Add(40 * time.Minute), V: 1.1}, {T: t0.Add(42 * time.Minute), V: 1.5, Selected: true}},
		Cursor:  t0.Add(40 * time.Minute),
		Focused: true,
	}
}

func checkBox(t *testing.T, out string, w, h int) {
	t.Helper()
	lines := strings.Split(out, "\n")
	if len(lines) != h {
		t.Fatalf("%d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Errorf("line %d is %d wide, want %d: %q", i, got, w, l)
		}
	}
}

func TestGolden(t *testing.T) {
	for _, sz := range []struct{ w, h int }{{38, 9}, {98, 22}} {
		for _, pr := range []struct {
			name string
			p    termenv.Profile
		}{{"nocolor", termenv.Ascii}, {"256", termenv.ANSI256}} {
			name := fmt.Sprintf("latency_%dx%d_%s", sz.w, sz.h, pr.name)
			t.Run(name, func(t *testing.T) {
				out := Render(latencyChart(), sz.w, sz.h, styles(pr.p))
				checkBox(t, out, sz.w, sz.h)
				if pr.p == termenv.Ascii && strings.ContainsRune(out, 0x1b) {
					t.Error("ASCII frame contains ESC")
				}
				golden.RequireEqual(t, []byte(out))
			})
		}
	}
}

func TestEveryFrameFitsItsBox(t *testing.T) {
	st := styles(termenv.ANSI256)
	for w := 1; w < 60; w += 3 {
		for h := 1; h < 16; h += 2 {
			out := Render(latencyChart(), w, h, st)
			checkBox(t, out, w, h)
		}
	}
}

func TestNoDataSaysSo(t *testing.T) {
	c := Chart{Title: "Traffic", From: t0, To: t0.Add(time.Hour)}
	out := Render(c, 40, 9, styles(termenv.Ascii))
	if !strings.Contains(out, "no data") {
		t.Fatalf("empty chart does not say no data:\n%s", out)
	}
	c.Empty = "metric foo not found"
	c.Series = []Series{{Name: "x", Points: []Point{{T: t0, V: math.NaN()}}}}
	out = Render(c, 40, 9, styles(termenv.Ascii))
	if !strings.Contains(out, "metric foo not found") {
		t.Fatalf("all-NaN chart does not show its empty message:\n%s", out)
	}
	if strings.ContainsRune(out, '⠀'+1) {
		t.Fatal("an empty chart has braille dots")
	}
}

// plotDots counts braille dots in the plot rows.
func plotDots(out string) int {
	n := 0
	for _, r := range ansi.Strip(out) {
		if r > 0x2800 && r <= 0x28FF {
			for b := r - 0x2800; b != 0; b &= b - 1 {
				n++
			}
		}
	}
	return n
}

func TestGapsAreNotJoined(t *testing.T) {
	step := time.Minute
	joined := []Point{{t0, 1}, {t0.Add(step), 1}, {t0.Add(2 * step), 1}, {t0.Add(58 * step), 1}, {t0.Add(59 * step), 1}}
	c := Chart{Title: "x", From: t0, To: t0.Add(59 * step), Step: step, Series: []Series{{Name: "a", Points: joined}}}
	gapped := plotDots(Render(c, 62, 8, styles(termenv.Ascii)))
	c.Step = 0
	full := plotDots(Render(c, 62, 8, styles(termenv.Ascii)))
	if gapped*3 > full {
		t.Fatalf("a 56-minute hole was joined: %d dots with step, %d without", gapped, full)
	}
	c.Step = step
	c.Series[0].Points[2].V = math.NaN()
	if plotDots(Render(c, 62, 8, styles(termenv.Ascii))) >= gapped {
		t.Fatal("a NaN point was drawn")
	}
}

func TestCursorAndLegend(t *testing.T) {
	step := 15 * time.Second
	ps := []Point{{t0, 0.01}, {t0.Add(step), 0.25}, {t0.Add(2 * step), 2.5}}
	c := Chart{Title: "Latency", Unit: UnitSeconds, From: t0, To: t0.Add(2 * step), Step: step,
		Series: []Series{{Name: "p99", Points: ps}}}
	if out := Render(c, 60, 8, styles(termenv.Ascii)); !strings.Contains(out, "p99 2.5s") {
		t.Errorf("no cursor: legend should read the last value:\n%s", out)
	}
	c.Cursor = t0.Add(step + time.Second)
	out := Render(c, 60, 8, styles(termenv.Ascii))
	if !strings.Contains(out, "p99 250ms") {
		t.Errorf("legend should read the value at the cursor:\n%s", out)
	}
	if !strings.Contains(out, "▲") {
		t.Errorf("cursor not marked on the axis:\n%s", out)
	}
	c.Cursor = t0.Add(-time.Minute)
	if out := Render(c, 60, 8, styles(termenv.Ascii)); !strings.Contains(out, "p99 –") {
		t.Errorf("cursor before the data should read –:\n%s", out)
	}
}

func TestMarkers(t *testing.T) {
	c := latencyChart()
	out := ansi.Strip(Render(c, 98, 22, styles(termenv.Ascii)))
	if strings.Count(out, "◆") != 1 || strings.Count(out, "◉") != 1 {
		t.Fatalf("want one marker and one selected marker:\n%s", out)
	}
	// The y axis grows to take in the exemplar at 1.5s.
	if !strings.Contains(out, "1.5s") {
		t.Errorf("axis does not reach the highest marker:\n%s", out)
	}
}

func TestUnits(t *testing.T) {
	cases := []struct {
		u    Unit
		v    float64
		want string
	}{
		{UnitSeconds, 0.0123, "12.3ms"}, {UnitSeconds, 1.84, "1.84s"}, {UnitSeconds, 0.00085, "850µs"},
		{UnitSeconds, 0, "0s"}, {UnitSeconds, 300, "5m"},
		{UnitRatio, 0.125, "12.5%"}, {UnitRatio, 1, "100%"},
		{UnitPerSecond, 4.2, "4.2/s"}, {UnitPerSecond, 12500, "12.5k/s"},
		{UnitBytes, 1536, "1.5KiB"}, {UnitNone, 2e6, "2M"}, {UnitNone, 0.001, "0.001"},
		{UnitNone, math.NaN(), "NaN"}, {UnitNone, math.Inf(1), "+Inf"},
	}
	for _, c := range cases {
		if got := c.u.Format(c.v); got != c.want {
			t.Errorf("%v.Format(%v) = %q, want %q", c.u, c.v, got, c.want)
		}
	}
	for name, want := range map[string]Unit{
		"http_request_duration_seconds_bucket": UnitSeconds, "db_pool_in_use_ratio": UnitRatio,
		"process_cpu_utilization": UnitRatio, "go_memstats_alloc_bytes": UnitBytes, "up": UnitNone,
	} {
		if got := UnitFor(name); got != want {
			t.Errorf("UnitFor(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestYRangeIsNiceAndZeroBased(t *testing.T) {
	c := Chart{From: t0, To: t0.Add(time.Minute), ZeroBased: true,
		Series: []Series{{Points: []Point{{t0, 3.2}, {t0.Add(time.Minute), 7.9}}}}}
	lo, hi, ok := yRange(&c)
	if !ok || lo != 0 || hi < 7.9 || hi > 10 {
		t.Fatalf("yRange = %v..%v, want 0..8-10", lo, hi)
	}
	c.ZeroBased = false
	if lo, _, _ := yRange(&c); lo == 0 || lo > 3.2 {
		t.Fatalf("not zero based: lo = %v", lo)
	}
}

func BenchmarkChartFrame200x50(b *testing.B) {
	st := styles(termenv.ANSI256)
	c := latencyChart()
	// A wide chart at full resolution: one point per braille column.
	step := time.Hour / 400
	c.Step = step
	for i := range c.Series {
		c.Series[i].Points = wave(401, step, 0.02*float64(i+1), 0.01, 250)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = Render(c, 200, 50, st)
	}
}

func TestMarkersAloneAreNoData(t *testing.T) {
	c := Chart{Title: "Latency", From: t0, To: t0.Add(time.Hour), Empty: "metric x not found",
		Markers: []Marker{{T: t0.Add(time.Minute), V: 1}}}
	out := Render(c, 40, 9, styles(termenv.Ascii))
	if !strings.Contains(out, "metric x not found") || strings.Contains(out, "◆") {
		t.Fatalf("markers without lines must show the empty message:\n%s", out)
	}
}

// spikeChart is an hour of one-second samples (far more than any width
// has columns) with a single sample at ten times the rest.
func spikeChart() (Chart, time.Time) {
	const n = 3601
	ps := make([]Point, n)
	spike := 2000
	for i := range ps {
		v := 0.9 + 0.1*math.Sin(float64(i)/300)
		if i == spike {
			v = 9.7
		}
		ps[i] = Point{T: t0.Add(time.Duration(i) * time.Second), V: v}
	}
	return Chart{
		Title: "Errors", Unit: UnitPerSecond, From: t0, To: t0.Add(time.Hour), Step: time.Second, ZeroBased: true,
		Series: []Series{{Name: "errors", Points: ps}},
	}, ps[spike].T
}

// plotRows are the plot's rows of a rendered chart: between the title
// and the two axis lines, without the y labels.
func plotRows(out string) []string {
	lines := strings.Split(ansi.Strip(out), "\n")
	rows := lines[1 : len(lines)-2]
	for i, r := range rows {
		if j := strings.IndexAny(r, "┤│"); j >= 0 {
			rows[i] = r[j+len("│"):]
		}
	}
	return rows
}

// A single sample of a dense series survives the reduction to the
// chart's columns at every size, and the legend read at it is inside the
// axis.
func TestOneSampleSpikeAtEveryWidth(t *testing.T) {
	for _, sz := range []struct{ w, h int }{{80, 24}, {120, 40}, {200, 50}} {
		for _, prof := range []termenv.Profile{termenv.Ascii, termenv.ANSI256} {
			name := map[termenv.Profile]string{termenv.Ascii: "nocolor", termenv.ANSI256: "256"}[prof]
			t.Run(fmt.Sprintf("%dx%d_%s", sz.w, sz.h, name), func(t *testing.T) {
				c, at := spikeChart()
				out := Render(c, sz.w, sz.h, styles(prof))
				checkBox(t, out, sz.w, sz.h)
				rows := plotRows(out)
				top := false
				for _, r := range rows[:max(1, len(rows)/8)] {
					if strings.TrimFunc(r, func(r rune) bool { return r == ' ' || r == '⠀' }) != "" {
						top = true
					}
				}
				if !top {
					t.Errorf("the spike is not drawn near the top:\n%s", ansi.Strip(out))
				}
				// The legend at the spike reads 9.7/s, and the axis goes at
				// least that high.
				c.Cursor = at
				out = ansi.Strip(Render(c, sz.w, sz.h, styles(prof)))
				if !strings.Contains(strings.SplitN(out, "\n", 2)[0], "errors 9.7/s") {
					t.Errorf("legend at the spike: %q", strings.SplitN(out, "\n", 2)[0])
				}
				if hi := topLabel(t, out); hi < 9.7 {
					t.Errorf("axis tops out at %g, below the legend's 9.7", hi)
				}
				golden.RequireEqual(t, []byte(Render(c, sz.w, sz.h, styles(prof))))
			})
		}
	}
}

// topLabel is the value of the highest y-axis label of a plain render.
func topLabel(t *testing.T, out string) float64 {
	t.Helper()
	for _, l := range strings.Split(out, "\n")[1:] {
		if i := strings.Index(l, "┤"); i >= 0 {
			lab := strings.TrimSpace(l[:i])
			lab = strings.TrimSuffix(strings.TrimSuffix(lab, "/s"), "%")
			var v float64
			if _, err := fmt.Sscan(lab, &v); err != nil {
				t.Fatalf("y label %q: %v", lab, err)
			}
			return v
		}
	}
	t.Fatal("no y labels")
	return 0
}

// Points outside the time axis are neither drawn nor read: the legend's
// value is always one the axis holds.
func TestLegendReadsOnlyWhatTheAxisShows(t *testing.T) {
	step := 15 * time.Second
	ps := wave(241, step, 0.01, 0.002, -1)
	// A point past the axis's end with a far larger value, as a query
	// answering a little past the window would give.
	ps = append(ps, Point{T: t0.Add(time.Hour + step), V: 0.232})
	c := Chart{Title: "Errors", Unit: UnitRatio, From: t0, To: t0.Add(time.Hour), Step: step, ZeroBased: true,
		Series: []Series{{Name: "errors", Points: ps}}}
	for _, w := range []int{39, 80, 200} {
		out := ansi.Strip(Render(c, w, 12, styles(termenv.Ascii)))
		legend := strings.SplitN(out, "\n", 2)[0]
		if strings.Contains(legend, "23.2%") {
			t.Errorf("width %d: the legend reads a point off the axis: %q", w, legend)
		}
		want := UnitRatio.Format(ps[240].V)
		if !strings.Contains(legend, want) {
			t.Errorf("width %d: legend %q, want the last point on the axis, %s", w, legend, want)
		}
		if hi := topLabel(t, out) / 100; hi < ps[240].V {
			t.Errorf("width %d: axis top %g below the legend's %g", w, hi, ps[240].V)
		}
	}
}

// A change is a rule through the plot's free cells and a mark on the
// time axis; one off the axis is not drawn.
func TestChangeMarkers(t *testing.T) {
	c, _ := spikeChart()
	c.Changes = []time.Time{t0.Add(15 * time.Minute), t0.Add(2 * time.Hour)}
	for _, prof := range []termenv.Profile{termenv.Ascii, termenv.ANSI256} {
		out := Render(c, 80, 24, styles(prof))
		checkBox(t, out, 80, 24)
		plain := ansi.Strip(out)
		lines := strings.Split(plain, "\n")
		axis := lines[len(lines)-2]
		if strings.Count(axis, "◇") != 1 {
			t.Fatalf("axis %q: want one change mark", axis)
		}
		col := runeIndex(axis, '◇')
		rules := 0
		for _, l := range lines[1 : len(lines)-2] {
			if runeIndex(l, '┊') == col {
				rules++
			}
		}
		if rules < 10 {
			t.Errorf("only %d rows carry the change's rule at column %d:\n%s", rules, col, plain)
		}
	}
}

func runeIndex(s string, r rune) int {
	for i, c := range []rune(s) {
		if c == r {
			return i
		}
	}
	return -1
}

// A frame of an hour of one-second samples (3,601 points, ~45 per dot
// column at 80 columns): the min/max reduction keeps it one pass.
func BenchmarkRenderDenseSpike(b *testing.B) {
	c, _ := spikeChart()
	st := styles(termenv.ANSI256)
	for _, sz := range [][2]int{{80, 24}, {200, 50}} {
		b.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Render(c, sz[0], sz[1], st)
			}
		})
	}
}
