package logs

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// rowLayout is computed once per frame: the column widths every row uses.
type rowLayout struct {
	timeFmt string
	prefixW int // gutter, time, level column and their spaces
	labelW  int // the most columns labels may take; 0 when hidden
}

func (m *Model) rowLayout() rowLayout {
	lay := rowLayout{timeFmt: "15:04:05.000"}
	if n := m.buf.Len(); n > 0 {
		a, b := m.buf.at(m.buf.first()).e.Time.In(m.loc), m.buf.at(m.buf.end()-1).e.Time.In(m.loc)
		if a.YearDay() != b.YearDay() || a.Year() != b.Year() {
			lay.timeFmt = "01-02 15:04:05.000"
		}
	}
	lay.prefixW = 1 + len(lay.timeFmt) + 3
	if m.showLabels {
		lay.labelW = min(60, max(8, m.width/3))
	}
	return lay
}

// rowText is what the list shows of a row's text: the whole line when
// expanded, else the first listCap runes with a "…(+N)" marker.
func (m *Model) rowText(abs int64) string {
	r := m.buf.at(abs)
	if m.expanded[abs] {
		// Never more than a screenful of text is wrapped per frame.
		limit := m.listHeight() * max(1, m.width)
		if cut := limit * 4; len(r.text) > cut {
			for cut > 0 && !utf8.RuneStart(r.text[cut]) {
				cut--
			}
			return r.text[:cut]
		}
		return r.text
	}
	text, cut := r.capped()
	if cut > 0 {
		text += fmt.Sprintf("…(+%d)", cut)
	}
	return text
}

func (m *Model) labelsText(abs int64, lay rowLayout) string {
	if lay.labelW == 0 {
		return ""
	}
	l := m.buf.at(abs).labels
	if l == "" {
		return ""
	}
	return ansi.Truncate(l, lay.labelW, "…") + " "
}

// groupStart reports whether the row at p starts a new group of context
// lines, which gets a "--" line above it as in grep.
func (m *Model) groupStart(p int) bool {
	return m.flt != nil && m.showCtx && p > 0 && m.viewAt(p-1) != m.viewAt(p)-1
}

// chunks splits a row's text into the screen lines it takes.
func (m *Model) chunks(abs int64, avail int) []string {
	text := m.rowText(abs)
	if !m.wrap && !m.expanded[abs] {
		return []string{ansi.Truncate(text, avail, "…")}
	}
	out := strings.Split(ansi.Wrap(text, avail, ""), "\n")
	if m.expanded[abs] {
		out = out[:min(len(out), m.listHeight())]
	}
	return out
}

// rowHeight is how many screen lines the row at p takes.
func (m *Model) rowHeight(p int) int {
	h := 1
	if m.groupStart(p) {
		h++
	}
	abs := m.viewAt(p)
	if !m.wrap && !m.expanded[abs] {
		return h
	}
	lay := m.rowLayout()
	avail := max(1, m.width-lay.prefixW-ansi.StringWidth(m.labelsText(abs, lay)))
	return h - 1 + len(m.chunks(abs, avail))
}

// renderRow draws the row at p: gutter (">" marks the selection, which
// works without colour or attributes), time, level marker, labels, text
// with filter matches highlighted, continuation lines indented.
func (m *Model) renderRow(p int, sel bool, lay rowLayout) []string {
	abs := m.viewAt(p)
	r := m.buf.at(abs)
	var out []string
	pt := &m.paint.normal
	if sel {
		pt = &m.paint.sel
	}
	if m.groupStart(p) {
		out = append(out, pt.muted.Render("--"))
	}
	inContext := m.flt != nil && m.showCtx
	isMatch := inContext && m.flt.isMatch(abs)
	text := &pt.lines[r.level]
	if inContext && !isMatch {
		text = &pt.context
	}

	// The gutter carries selection and, with context on, which rows
	// match: attributes alone vanish under NO_COLOR's ASCII profile.
	gutter := " "
	switch {
	case sel:
		gutter = ">"
	case isMatch:
		gutter = "*"
	}
	ts := r.e.Time.In(m.loc).Format(lay.timeFmt)
	labels := m.labelsText(abs, lay)
	labelsW := ansi.StringWidth(labels)
	avail := max(1, m.width-lay.prefixW-labelsW)
	chunks := m.chunks(abs, avail)

	// Unstyled text is written as is: most of a frame is unselected rows.
	plain := func(b *strings.Builder, s string) {
		if sel {
			pt.plain.write(b, s)
		} else {
			b.WriteString(s)
		}
	}
	var b strings.Builder
	plain(&b, gutter)
	pt.time.write(&b, ts+" ")
	if r.level == levelNone {
		plain(&b, "  ")
	} else {
		pt.levels[r.level].write(&b, r.level.marker())
		plain(&b, " ")
	}
	if labels != "" {
		pt.labels.write(&b, labels)
	}
	for i, c := range chunks {
		if i > 0 {
			out = append(out, b.String())
			b.Reset()
			plain(&b, strings.Repeat(" ", lay.prefixW+labelsW))
		}
		m.highlight(&b, c, text, &pt.match, sel || text != &pt.lines[r.level] || !isPlainLevel(r.level))
		if sel {
			if pad := avail - ansi.StringWidth(c); pad > 0 {
				plain(&b, strings.Repeat(" ", pad))
			}
		}
	}
	out = append(out, b.String())
	return out
}

// isPlainLevel reports whether a line of level l is drawn in the normal
// text colour.
func isPlainLevel(l level) bool { return l == levelInfo || l == levelNone }

// highlight writes s with the filter's matches in the match paint; the
// rest in base, or as is when styled is false.
func (m *Model) highlight(b *strings.Builder, s string, base, match *paint, styled bool) {
	if s == "" {
		return
	}
	put := func(t string) {
		if styled {
			base.write(b, t)
		} else {
			b.WriteString(t)
		}
	}
	spans := m.flt.spans(s)
	prev := 0
	for _, sp := range spans {
		if sp[0] > prev {
			put(s[prev:sp[0]])
		}
		match.write(b, s[sp[0]:sp[1]])
		prev = sp[1]
	}
	if prev < len(s) {
		put(s[prev:])
	}
}
