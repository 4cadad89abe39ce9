// Package chart draws time-series line charts for the terminal with braille
// dots (2×4 per cell): a y axis with unit-formatted labels, a time axis,
// a legend that reads values at a cursor, and markers (exemplars) on top.
//
// Render is a pure function of its inputs: no clock, no I/O, no package
// state. Styles are built per session from a renderer and a palette, like
// every other style in the console.
package chart

import (
	"math"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/reltui/reltui/themes"
)

// Point is one sample.
type Point struct {
	T time.Time
	V float64
}

// Series is one line. Points are in time order; NaN and ±Inf are gaps.
type Series struct {
	Name   string
	Points []Point
}

// Marker is a point drawn on top of the lines, e.g. an exemplar.
type Marker struct {
	T        time.Time
	V        float64
	Selected bool
}

// Chart is everything one frame of a chart shows.
type Chart struct {
	Title string
	Unit  Unit
	// From and To are the time axis; points outside are not drawn.
	From, To time.Time
	// Step is the query resolution. Consecutive points more than 1.5 steps
	// apart are not joined, so a missing scrape shows as a gap rather
	// than a straight line across it. Zero joins everything.
	Step    time.Duration
	Series  []Series
	Markers []Marker
	// Changes are deploys and config changes: a dotted rule through the
	// plot and a mark on the time axis at each.
	Changes []time.Time
	// Cursor, when not zero, is marked on the time axis and the legend
	// reads the value of each series at it (else the last value).
	Cursor time.Time
	// ZeroBased starts the y axis at 0 when all values are positive:
	// rates and ratios read wrong on an axis that starts elsewhere.
	ZeroBased bool
	// Focused marks the chart that keys act on.
	Focused bool
	// Empty is shown instead of the plot when no series has a point in
	// range; "" means "no data".
	Empty string
	// Loc is the zone of the time labels; nil means UTC.
	Loc *time.Location
}

// Styles are a chart's styles for one session.
type Styles struct {
	Mono     bool
	Series   []lipgloss.Style
	Axis     lipgloss.Style
	Label    lipgloss.Style
	Title    lipgloss.Style
	Focus    lipgloss.Style
	Marker   lipgloss.Style
	Selected lipgloss.Style
	Cursor   lipgloss.Style
	Change   lipgloss.Style
	Empty    lipgloss.Style
	plain    lipgloss.Style
}

// NewStyles builds chart styles for palette p on renderer r.
func NewStyles(r *lipgloss.Renderer, p themes.Palette) *Styles {
	ns := r.NewStyle
	s := &Styles{Mono: p.Mono, plain: ns()}
	for _, c := range []lipgloss.TerminalColor{p.Primary, p.Warning, p.Error, p.OK, p.Secondary, p.Info} {
		s.Series = append(s.Series, ns().Foreground(c))
	}
	s.Axis = ns().Foreground(p.Border)
	s.Label = ns().Foreground(p.Subtle)
	s.Title = ns().Foreground(p.Text).Bold(true)
	s.Focus = ns().Foreground(p.Primary).Bold(true)
	s.Marker = ns().Foreground(p.Highlight).Bold(true)
	s.Selected = ns().Foreground(p.Error).Bold(true).Reverse(true)
	s.Cursor = ns().Foreground(p.Highlight).Bold(true)
	s.Change = ns().Foreground(p.Warning)
	s.Empty = ns().Foreground(p.Muted)
	if p.Mono {
		// Without colour, series differ by dash pattern (see patterns)
		// and the legend shows which is which.
		for i := range s.Series {
			s.Series[i] = ns()
		}
		s.Axis, s.Label, s.Title, s.Empty = ns(), ns(), ns().Bold(true), ns()
		s.Focus = ns().Bold(true).Underline(true)
		s.Marker = ns().Bold(true)
		s.Selected = ns().Reverse(true)
		s.Cursor = ns().Bold(true)
		s.Change = ns()
	}
	return s
}

func (s *Styles) series(i int) lipgloss.Style {
	if len(s.Series) == 0 {
		return s.plain
	}
	return s.Series[i%len(s.Series)]
}

// patterns are the dash patterns series are drawn with in mono: a dot is
// set where the bit of the step counter is set. In colour every series is
// solid.
var patterns = []uint32{0xFFFFFFFF, 0x3F3F3F3F, 0x55555555}

// monoGlyphs are the legend keys that match patterns.
var monoGlyphs = []string{"━", "╍", "┅"}

// braille bits by dot column (0, 1) and dot row (0..3).
var dotBits = [2][4]uint8{{0x01, 0x02, 0x04, 0x40}, {0x08, 0x10, 0x20, 0x80}}

const (
	ownerNone   = -1
	ownerMarker = -2
	ownerSel    = -3
	ownerChange = -4
)

// Render draws c into exactly h lines of exactly w cells.
func Render(c Chart, w, h int, st *Styles) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	if c.Loc == nil {
		c.Loc = time.UTC
	}
	lines := make([]string, 0, h)
	lines = append(lines, titleLine(&c, w, st))
	ph := h - 3 // the title, the axis and the time labels
	lo, hi, ok := yRange(&c)
	if !ok || ph < 1 || !c.To.After(c.From) {
		msg := c.Empty
		if msg == "" {
			msg = "no data"
		}
		for len(lines) < h {
			if len(lines) == 1+(h-1)/2 {
				lines = append(lines, center(st.Empty.Render(msg), ansi.StringWidth(msg), w))
				continue
			}
			lines = append(lines, strings.Repeat(" ", w))
		}
		return strings.Join(lines[:h], "\n")
	}
	ticks := yTicks(lo, hi, ph)
	labels := make([]string, len(ticks))
	lw := 0
	for i, t := range ticks {
		labels[i] = c.Unit.Format(t)
		lw = max(lw, ansi.StringWidth(labels[i]))
	}
	pw := w - lw - 1
	if pw < 2 {
		lw, pw = 0, w-1
	}
	if pw < 1 {
		return strings.Join(append(lines, blankLines(w, h-1)...), "\n")
	}
	g := newGrid(pw, ph)
	for i, s := range c.Series {
		pat := patterns[0]
		if st.Mono {
			pat = patterns[i%len(patterns)]
		}
		g.plot(&c, s.Points, lo, hi, i, pat)
	}
	for _, ch := range c.Changes {
		g.change(&c, ch)
	}
	for _, mk := range c.Markers {
		g.mark(&c, mk, lo, hi)
	}
	cx := -1
	if !c.Cursor.IsZero() && !c.Cursor.Before(c.From) && !c.Cursor.After(c.To) {
		cx = g.col(&c, c.Cursor)
	}
	// Which plot row each y label sits on.
	rowLabel := make([]string, ph)
	for i, t := range ticks {
		r := int(math.Round((hi - t) / (hi - lo) * float64(ph-1)))
		if r >= 0 && r < ph && rowLabel[r] == "" {
			rowLabel[r] = labels[i]
		}
	}
	var b strings.Builder
	for r := 0; r < ph; r++ {
		b.Reset()
		if lw > 0 {
			lab := rowLabel[r]
			b.WriteString(st.Label.Render(strings.Repeat(" ", lw-ansi.StringWidth(lab)) + lab))
		}
		if rowLabel[r] != "" {
			b.WriteString(st.Axis.Render("┤"))
		} else {
			b.WriteString(st.Axis.Render("│"))
		}
		g.writeRow(&b, r, st)
		lines = append(lines, b.String())
	}
	lines = append(lines, axisLine(&c, lw, pw, cx, st), timeLine(&c, lw, pw, g, st))
	return strings.Join(lines, "\n")
}

// titleLine is the title, the unit and the legend with each series' value
// at the cursor (or its last value), cut to w.
func titleLine(c *Chart, w int, st *Styles) string {
	ts := st.Title
	title := c.Title
	if c.Focused {
		ts = st.Focus
		title = "▸ " + title
	}
	var b strings.Builder
	b.WriteString(ts.Render(title))
	used := ansi.StringWidth(title)
	if n := c.Unit.Name(); n != "" && c.Unit != UnitRatio && w >= 60 {
		s := " (" + n + ")"
		b.WriteString(st.Label.Render(s))
		used += ansi.StringWidth(s)
	}
	for i, s := range c.Series {
		glyph := "●"
		if st.Mono {
			glyph = monoGlyphs[i%len(monoGlyphs)]
		}
		val := "–"
		if v, ok := valueAt(c, s.Points); ok {
			val = c.Unit.Format(v)
		}
		txt := " " + s.Name + " " + val
		if used+2+ansi.StringWidth(txt) > w {
			if used+2 <= w {
				b.WriteString(st.Label.Render(" …"))
				used += 2
			}
			break
		}
		b.WriteString(" " + st.series(i).Render(glyph))
		b.WriteString(st.Label.Render(txt))
		used += 2 + ansi.StringWidth(txt)
	}
	out := b.String()
	if used > w {
		return ansi.Truncate(out, w, "…")
	}
	return out + strings.Repeat(" ", w-used)
}

// valueAt is the series' value at the cursor: the last point at or before
// it, if that is within 1.5 steps. Without a cursor, the last point.
//
// On a chart with a time axis only the points on it count, so the value a
// legend reads is always one the plot draws inside the y axis.
func valueAt(c *Chart, ps []Point) (float64, bool) {
	if !c.To.IsZero() {
		lo := sort.Search(len(ps), func(i int) bool { return !ps[i].T.Before(c.From) })
		hi := sort.Search(len(ps), func(i int) bool { return ps[i].T.After(c.To) })
		ps = ps[lo:max(lo, hi)]
	}
	if len(ps) == 0 {
		return 0, false
	}
	if c.Cursor.IsZero() {
		v := ps[len(ps)-1].V
		return v, finite(v)
	}
	i := sort.Search(len(ps), func(i int) bool { return ps[i].T.After(c.Cursor) }) - 1
	if i < 0 {
		return 0, false
	}
	if c.Step > 0 && c.Cursor.Sub(ps[i].T) > c.Step*3/2 {
		return 0, false
	}
	return ps[i].V, finite(ps[i].V)
}

// ValueAt exposes the legend's reading for callers that print it
// elsewhere (a table, a snapshot): the value of ps at t given step.
func ValueAt(ps []Point, t time.Time, step time.Duration) (float64, bool) {
	c := Chart{Cursor: t, Step: step}
	return valueAt(&c, ps)
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// yRange is the value range of the points and markers in the time range,
// widened to nice bounds.
func yRange(c *Chart) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	see := func(t time.Time, v float64) {
		if !finite(v) || t.Before(c.From) || t.After(c.To) {
			return
		}
		lo, hi, ok = math.Min(lo, v), math.Max(hi, v), true
	}
	for _, s := range c.Series {
		for _, p := range s.Points {
			see(p.T, p.V)
		}
	}
	if !ok {
		// Markers alone are no chart: they annotate lines.
		return 0, 0, false
	}
	for _, m := range c.Markers {
		see(m.T, m.V)
	}
	if c.ZeroBased && lo > 0 {
		lo = 0
	}
	if hi == lo {
		if hi == 0 {
			hi = 1
		} else {
			d := math.Abs(hi) * 0.1
			lo, hi = lo-d, hi+d
			if c.ZeroBased && lo < 0 && hi-d >= 0 {
				lo = 0
			}
		}
	}
	step := niceNum((hi-lo)/4, true)
	lo = math.Floor(lo/step) * step
	hi = math.Ceil(hi/step) * step
	return lo, hi, true
}

// yTicks are the values labelled on the y axis: nice steps, about one
// label every three rows, always including the bounds.
func yTicks(lo, hi float64, rows int) []float64 {
	n := max(1, min(8, (rows-1)/3))
	step := niceNum((hi-lo)/float64(n), true)
	var out []float64
	for v := hi; v >= lo-step/1e6; v -= step {
		out = append(out, v)
		if len(out) > 20 {
			break
		}
	}
	if len(out) == 0 || math.Abs(out[len(out)-1]-lo) > step/1e6 {
		out = append(out, lo)
	}
	return out
}

// niceNum is Heckbert's nice number: 1, 2, 2.5 or 5 times a power of ten.
func niceNum(x float64, round bool) float64 {
	if x <= 0 || !finite(x) {
		return 1
	}
	exp := math.Floor(math.Log10(x))
	f := x / math.Pow(10, exp)
	var nf float64
	switch {
	case round && f < 1.5:
		nf = 1
	case round && f < 2.25:
		nf = 2
	case round && f < 3.5:
		nf = 2.5
	case round && f < 7.5:
		nf = 5
	case round:
		nf = 10
	case f <= 1:
		nf = 1
	case f <= 2:
		nf = 2
	case f <= 5:
		nf = 5
	default:
		nf = 10
	}
	return nf * math.Pow(10, exp)
}

// grid is the braille canvas: per cell, the dots set and who owns the
// cell's colour (the last series drawn there, or a marker).
type grid struct {
	w, h  int
	bits  []uint8
	owner []int16
}

func newGrid(w, h int) *grid {
	g := &grid{w: w, h: h, bits: make([]uint8, w*h), owner: make([]int16, w*h)}
	for i := range g.owner {
		g.owner[i] = ownerNone
	}
	return g
}

// dotX maps a time to a dot column.
func (g *grid) dotX(c *Chart, t time.Time) int {
	span := float64(c.To.Sub(c.From))
	return int(math.Round(float64(t.Sub(c.From)) / span * float64(g.w*2-1)))
}

// col maps a time to a cell column.
func (g *grid) col(c *Chart, t time.Time) int { return min(g.w-1, max(0, g.dotX(c, t)/2)) }

func (g *grid) dotY(v, lo, hi float64) int {
	return int(math.Round((hi - v) / (hi - lo) * float64(g.h*4-1)))
}

func (g *grid) set(x, y, owner int) {
	if x < 0 || y < 0 || x >= g.w*2 || y >= g.h*4 {
		return
	}
	i := (y/4)*g.w + x/2
	g.bits[i] |= dotBits[x%2][y%4]
	if g.owner[i] >= ownerNone {
		g.owner[i] = int16(owner)
	}
}

// plot draws ps. Points that fall in the same dot column are reduced to
// that column's first, lowest, highest and last value (min/max per
// column, never a sample of them), so a one-sample spike keeps its dot at
// every width and a frame costs one pass over the points.
func (g *grid) plot(c *Chart, ps []Point, lo, hi float64, owner int, pat uint32) {
	px, py, have := 0, 0, false
	var pt time.Time
	n := uint(0)
	joined := func(a, b time.Time) bool { return c.Step <= 0 || b.Sub(a) <= c.Step*3/2 }
	for i := 0; i < len(ps); {
		p := ps[i]
		if !finite(p.V) || p.T.Before(c.From) || p.T.After(c.To) {
			have = false
			i++
			continue
		}
		x, first := g.dotX(c, p.T), g.dotY(p.V, lo, hi)
		top, bottom, last, lastT := first, first, first, p.T
		j := i + 1
		for ; j < len(ps); j++ {
			q := ps[j]
			if !finite(q.V) || q.T.After(c.To) || g.dotX(c, q.T) != x || !joined(lastT, q.T) {
				break
			}
			y := g.dotY(q.V, lo, hi)
			top, bottom, last, lastT = min(top, y), max(bottom, y), y, q.T
		}
		if have && joined(pt, p.T) {
			g.line(px, py, x, first, owner, pat, &n)
		}
		// The column's extent is drawn solid: a dash must not hide a peak.
		for y := top; y <= bottom; y++ {
			g.set(x, y, owner)
		}
		px, py, pt, have = x, last, lastT, true
		i = j
	}
}

// line is Bresenham's, skipping the dots the pattern leaves out. The
// pattern's counter runs on across segments so dashes look even.
func (g *grid) line(x0, y0, x1, y1, owner int, pat uint32, n *uint) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := 1, 1
	if x0 > x1 {
		sx = -1
	}
	if y0 > y1 {
		sy = -1
	}
	e := dx + dy
	for {
		if pat>>(*n%32)&1 == 1 {
			g.set(x0, y0, owner)
		}
		*n++
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * e
		if e2 >= dy {
			e += dy
			x0 += sx
		}
		if e2 <= dx {
			e += dx
			y0 += sy
		}
	}
}

func (g *grid) mark(c *Chart, m Marker, lo, hi float64) {
	if !finite(m.V) || m.T.Before(c.From) || m.T.After(c.To) {
		return
	}
	x, y := g.col(c, m.T), min(g.h-1, max(0, g.dotY(m.V, lo, hi)/4))
	i := y*g.w + x
	if m.Selected {
		g.owner[i] = ownerSel
	} else if g.owner[i] != ownerSel {
		g.owner[i] = ownerMarker
	}
}

// change rules the column of a change through the cells no line uses.
func (g *grid) change(c *Chart, t time.Time) {
	if t.Before(c.From) || t.After(c.To) {
		return
	}
	x := g.col(c, t)
	for y := 0; y < g.h; y++ {
		if i := y*g.w + x; g.bits[i] == 0 && g.owner[i] == ownerNone {
			g.owner[i] = ownerChange
		}
	}
}

// writeRow writes plot row r, one style per run of cells with the same
// owner, so a frame costs a few Render calls per row and not one per cell.
func (g *grid) writeRow(b *strings.Builder, r int, st *Styles) {
	var run strings.Builder
	cur := int16(ownerNone)
	flush := func() {
		if run.Len() == 0 {
			return
		}
		switch {
		case cur == ownerNone:
			b.WriteString(run.String())
		case cur == ownerMarker:
			b.WriteString(st.Marker.Render(run.String()))
		case cur == ownerSel:
			b.WriteString(st.Selected.Render(run.String()))
		case cur == ownerChange:
			b.WriteString(st.Change.Render(run.String()))
		default:
			b.WriteString(st.series(int(cur)).Render(run.String()))
		}
		run.Reset()
	}
	for x := 0; x < g.w; x++ {
		i := r*g.w + x
		o := g.owner[i]
		if g.bits[i] == 0 && o == ownerNone {
			o = ownerNone
		}
		if o != cur {
			flush()
			cur = o
		}
		switch o {
		case ownerMarker:
			run.WriteRune('◆')
		case ownerSel:
			run.WriteRune('◉')
		case ownerChange:
			run.WriteRune('┊')
		default:
			if g.bits[i] == 0 {
				run.WriteByte(' ')
			} else {
				run.WriteRune(rune(0x2800 + int(g.bits[i])))
			}
		}
	}
	flush()
}

// timeStep picks the interval between time labels so that labels of width
// lw fit pw cells with room between them.
func timeStep(span time.Duration, pw, lw int) time.Duration {
	slots := max(1, pw/(lw+4))
	for _, s := range []time.Duration{
		time.Second, 5 * time.Second, 15 * time.Second, 30 * time.Second,
		time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
		time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
		2 * 24 * time.Hour, 7 * 24 * time.Hour,
	} {
		if span/s <= time.Duration(slots) {
			return s
		}
	}
	return 30 * 24 * time.Hour
}

func timeLayout(span time.Duration) string {
	switch {
	case span <= 10*time.Minute:
		return "15:04:05"
	case span <= 36*time.Hour:
		return "15:04"
	}
	return "01-02"
}

// timeTicks are the label times in [From, To], aligned to the step in Loc.
func timeTicks(c *Chart, pw int) ([]time.Time, string) {
	span := c.To.Sub(c.From)
	layout := timeLayout(span)
	step := timeStep(span, pw, len(layout))
	_, off := c.From.In(c.Loc).Zone()
	shift := time.Duration(off) * time.Second
	t := c.From.Add(shift).Truncate(step).Add(-shift)
	if t.Before(c.From) {
		t = t.Add(step)
	}
	var out []time.Time
	for ; !t.After(c.To) && len(out) < 64; t = t.Add(step) {
		out = append(out, t)
	}
	return out, layout
}

func axisLine(c *Chart, lw, pw, cx int, st *Styles) string {
	row := []rune(strings.Repeat("─", pw))
	g := &grid{w: pw}
	ticks, _ := timeTicks(c, pw)
	for _, t := range ticks {
		row[g.col(c, t)] = '┬'
	}
	// What each cell is: the axis, a change, or the cursor.
	kind := make([]uint8, pw)
	for _, t := range c.Changes {
		if !t.Before(c.From) && !t.After(c.To) {
			x := g.col(c, t)
			row[x], kind[x] = '◇', 1
		}
	}
	if cx >= 0 {
		row[cx], kind[cx] = '▲', 2
	}
	row, kind = append([]rune{'└'}, row...), append([]uint8{0}, kind...)
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", lw))
	styles := []lipgloss.Style{st.Axis, st.Change, st.Cursor}
	for x := 0; x < len(row); {
		j := x
		for j < len(row) && kind[j] == kind[x] {
			j++
		}
		b.WriteString(styles[kind[x]].Render(string(row[x:j])))
		x = j
	}
	return b.String()
}

func timeLine(c *Chart, lw, pw int, g *grid, st *Styles) string {
	row := []rune(strings.Repeat(" ", pw))
	ticks, layout := timeTicks(c, pw)
	next := 0
	for _, t := range ticks {
		s := t.In(c.Loc).Format(layout)
		x := g.col(c, t) - len(s)/2
		x = max(x, next)
		if x+len(s) > pw {
			x = pw - len(s)
		}
		if x < next || x < 0 {
			continue
		}
		copy(row[x:], []rune(s))
		next = x + len(s) + 1
	}
	return st.Label.Render(strings.Repeat(" ", lw+1) + string(row))
}

func blankLines(w, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = strings.Repeat(" ", w)
	}
	return out
}

func center(s string, sw, w int) string {
	if sw >= w {
		return ansi.Truncate(s, w, "…")
	}
	l := (w - sw) / 2
	return strings.Repeat(" ", l) + s + strings.Repeat(" ", w-sw-l)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
